"""Audit pages for the audit administrator: event log, login log, field-level change history.

Auditing the auditor (SECURITY C.25, C.33): a list request writes one "audit.search" event when its
search criteria (search text, filters, date range) are non-empty and differ from the criteria this
session last searched on that list. Paging, sorting, changing columns or page size and reloading the
same search therefore write nothing more; a new or changed search writes exactly one event. Exports
are logged by core.listing as "data.export"; opening a detail page writes one "audit.view".
"""

from __future__ import annotations

import json
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from danbao.audit import labels, selectors
from danbao.audit.models import AuditEvent
from danbao.core.access import require_permission
from danbao.core.events import security_event
from danbao.core.listing import Column, DateRange, Filter, ListSpec, filtered_queryset, render_list

VIEW = "audit.log.view"
EXPORT = "audit.log.export"

# Event types are "<area>.<action>"; the filter offers the registered areas (audit.labels).


def stamp(value: Any) -> str:
    """Asia/Shanghai, to the second: the form auditors quote."""
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


def _event_url(event: AuditEvent) -> str:
    return reverse("audit:event-detail", args=[event.pk])


def _object(event: AuditEvent) -> str:
    if not event.object_type:
        return ""
    return f"{event.object_type} #{event.object_id}" if event.object_id else event.object_type


TIME = Column("created_at", gettext_lazy("Time"), sort_field="created_at", display=lambda e: stamp(e.created_at), link=_event_url)
RESULT = Column("result", gettext_lazy("Result"), sort_field="result", display=lambda e: e.get_result_display())
RESULT_FILTER = Filter("result", gettext_lazy("Result"), "result", AuditEvent.Result.choices)
TIME_RANGE = DateRange("date", gettext_lazy("Date"), "created_at")

EVENT_SPEC = ListSpec(
    name="audit-events",
    columns=[
        TIME,
        Column("event_type", gettext_lazy("Event type"), sort_field="event_type", display=lambda e: labels.label_of(e.event_type)),
        Column("event_code", gettext_lazy("Event code"), display=lambda e: e.event_type, default=False),
        Column("actor_username", gettext_lazy("Login name"), sort_field="actor_username"),
        Column("actor_name", gettext_lazy("Real name")),
        Column("actor_roles", gettext_lazy("Roles"), default=False),
        Column("object", gettext_lazy("Object"), display=_object),
        RESULT,
        Column("reason", gettext_lazy("Reason code")),
        Column("ip_address", gettext_lazy("IP address")),
        Column("request_id", gettext_lazy("Request id"), default=False),
        Column("user_agent", gettext_lazy("User agent"), default=False),
    ],
    filters=[Filter("type", gettext_lazy("Event type"), "event_type__startswith", labels.group_choices), RESULT_FILTER],
    date_ranges=[TIME_RANGE],
    search_fields=["actor_username", "object_id", "request_id"],
    search_placeholder=gettext_lazy("Login name, object id or request id"),
    default_sort="-created_at",
    export_name=gettext_lazy("Audit log"),
    export_permission=EXPORT,
)

LOGIN_SPEC = ListSpec(
    name="audit-logins",
    columns=[
        TIME,
        Column("event_type", gettext_lazy("Event"), sort_field="event_type", display=lambda e: labels.label_of(e.event_type)),
        Column("actor_username", gettext_lazy("Login name tried"), sort_field="actor_username"),
        Column("actor_name", gettext_lazy("Real name"), default=False),
        RESULT,
        Column("reason", gettext_lazy("Reason code")),
        Column("ip_address", gettext_lazy("IP address"), sort_field="ip_address"),
        Column("user_agent", gettext_lazy("User agent")),
        Column("request_id", gettext_lazy("Request id"), default=False),
    ],
    filters=[RESULT_FILTER],
    date_ranges=[TIME_RANGE],
    search_fields=["actor_username", "ip_address", "request_id"],
    search_placeholder=gettext_lazy("Login name, IP address or request id"),
    default_sort="-created_at",
    export_name=gettext_lazy("Login log"),
    export_permission=EXPORT,
)


def log_search(request: HttpRequest, spec: ListSpec, queryset: Any, **extra: Any) -> None:
    """One "audit.search" event per new search on a list (rule in the module docstring)."""
    if request.GET.get("export"):
        return
    _qs, params = filtered_queryset(request, spec, queryset)
    criteria = {"q": params["q"], **params["filters"], **extra} if (params["q"] or params["filters"]) else {}
    session_key = f"audit-search:{spec.name}"
    if not criteria:
        request.session.pop(session_key, None)
        return
    if request.session.get(session_key) == criteria:
        return
    security_event("audit.search", request=request, object_type=spec.name, data={"criteria": criteria})
    request.session[session_key] = criteria


def _list_page(request: HttpRequest, spec: ListSpec, queryset: Any, title: str, icon: str) -> HttpResponse:
    log_search(request, spec, queryset)
    return render_list(request, spec, queryset, "audit/event_list.html", {"page_title": title, "icon": icon})


@require_permission(VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, EVENT_SPEC, selectors.event_list_for(request.user), _("Audit log"), "ti-report-search")


@require_permission(VIEW)
def login_list(request: HttpRequest) -> HttpResponse:
    return _list_page(request, LOGIN_SPEC, selectors.login_event_list_for(request.user), _("Login log"), "ti-login")


@require_permission(VIEW)
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    event = selectors.event_get_for(request.user, event_id)
    security_event("audit.view", request=request, object_type="audit_event", object_id=event.pk)
    group = labels.group_of(event.event_type)
    data_json = json.dumps(event.data, ensure_ascii=False, indent=2, sort_keys=True)
    return render(
        request,
        "audit/event_detail.html",
        {
            "event": event,
            "group": group,
            "label": labels.label_of(event.event_type),
            "time": stamp(event.created_at),
            "data_json": data_json,
        },
    )


# Field-level change history --------------------------------------------------------------------

CHANGE_TYPES = [
    ("+", pgettext_lazy("history change", "Created")),
    ("~", pgettext_lazy("history change", "Changed")),
    ("-", pgettext_lazy("history change", "Deleted")),
]
CHANGE_LABELS = dict(CHANGE_TYPES)


def _history_spec(item: selectors.HistoryModel) -> ListSpec:
    pk_name = item.model._meta.pk.name

    def link(record: Any) -> str:
        return reverse("audit:history-detail", args=[item.key, record.history_id])

    return ListSpec(
        name=f"audit-history-{item.key}",
        columns=[
            Column("history_date", gettext_lazy("Time"), sort_field="history_date", display=lambda r: stamp(r.history_date), link=link),
            Column(
                "history_user",
                gettext_lazy("Changed by"),
                sort_field="history_user__username",
                display=lambda r: str(r.history_user) if r.history_user_id else _("System"),
            ),
            Column(
                "history_type",
                gettext_lazy("Change"),
                sort_field="history_type",
                display=lambda r: f"{r.history_type} {CHANGE_LABELS.get(r.history_type, '')}",
            ),
            Column(pk_name, gettext_lazy("Object id"), sort_field=pk_name),
            Column("object", gettext_lazy("Object"), display=selectors.history_object_label),
            Column("ip_address", gettext_lazy("IP address")),
            Column("request_id", gettext_lazy("Request id"), default=False),
            Column("history_change_reason", gettext_lazy("Reason"), default=False),
        ],
        filters=[Filter("change", gettext_lazy("Change"), "history_type", CHANGE_TYPES)],
        date_ranges=[DateRange("date", gettext_lazy("Date"), "history_date")],
        search_fields=["history_user__username", "history_user__real_name", pk_name],
        search_placeholder=gettext_lazy("Login name, name or object id"),
        default_sort="-history_date",
        export_name=gettext_lazy("Change history"),
        export_permission=EXPORT,
    )


@require_permission(VIEW)
def history_list(request: HttpRequest, model_key: str = "") -> HttpResponse:
    models = selectors.history_models()
    if not model_key:
        if not models:
            raise Http404
        return redirect("audit:history-model", model_key=models[0].key)
    item = selectors.history_model_get(model_key)
    spec = _history_spec(item)
    queryset = selectors.history_list_for(request.user, item)
    log_search(request, spec, queryset, model=item.key)
    return render_list(request, spec, queryset, "audit/history_list.html", {"item": item, "models": models})


@require_permission(VIEW)
def history_detail(request: HttpRequest, model_key: str, history_id: int) -> HttpResponse:
    item = selectors.history_model_get(model_key)
    record = selectors.history_get_for(request.user, item, history_id)
    previous, changes = selectors.history_changes(record)
    security_event("audit.view", request=request, object_type=f"history:{item.key}", object_id=history_id)
    return render(
        request,
        "audit/history_detail.html",
        {
            "item": item,
            "record": record,
            "previous": previous,
            "changes": changes,
            "time": stamp(record.history_date),
            "change_label": CHANGE_LABELS.get(record.history_type, ""),
            "object_id": getattr(record, item.model._meta.pk.attname),
            "object_label": selectors.history_object_label(record),
        },
    )
