"""Monitoring pages: my inspection tasks (phone first), the task page with the report form and photos,
report detail with accept/return, the batch inspection, a guarantee's monitoring page, risk events,
the department head's overdue view."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list
from danbao.monitoring import forms, selectors, services
from danbao.monitoring.models import RISK_CLASSES, ReportState, RiskEventKind, RiskEventState, Severity, TaskStatus

VIEW, INSPECT, REVIEW, RECORD = selectors.VIEW, selectors.INSPECT, selectors.REVIEW, selectors.RECORD
GEO_POLICY = "camera=(self), geolocation=(self), microphone=()"


def _field_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


# --- my tasks -------------------------------------------------------------------------------------


@require_permission(INSPECT)
def task_list(request: HttpRequest) -> HttpResponse:
    tab = request.GET.get("tab", "soon")
    if tab not in ("soon", "overdue", "done", "open"):
        tab = "soon"
    today = timezone.localdate()
    tasks = list(selectors.my_tasks(request.user, tab, today)[:200])
    context = {"tab": tab, "tasks": tasks, "counts": selectors.tab_counts(request.user, today), "today": today}
    return render(request, "monitoring/task_list.html", context)


def _report_form(task: Any, report: Any) -> forms.ReportForm:
    if report is not None:
        initial = {name: getattr(report, name) for name in forms.ReportForm.FIELDS}
        initial["version"] = report.version
    else:
        initial = {"inspection_date": timezone.localdate(), "suggested_class": task.risk_class, "method": "on_site"}
    return forms.ReportForm(initial=initial)


@require_permission(VIEW)
def task_detail(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for(request.user, pk, request)
    report = getattr(task, "report", None)
    may_inspect = request.user.can(INSPECT) and task.assignee_id == request.user.pk  # type: ignore[union-attr]
    editable = may_inspect and task.status != TaskStatus.SUPERSEDED and (report is None or report.editable)
    form = _report_form(task, report)
    photo_form = forms.PhotoForm()
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        action = request.POST.get("action", "save")
        if action == "photo":
            photo_form = forms.PhotoForm(request.POST, request.FILES)
            if photo_form.is_valid() and report is not None:
                data = photo_form.cleaned_data
                try:
                    services.photo_add(
                        actor=request.user,
                        report=report,
                        upload=data["photo"],
                        caption=data["caption"],
                        latitude=data["latitude"],
                        longitude=data["longitude"],
                        accuracy=data["accuracy"],
                    )
                except DomainError as exc:
                    photo_form.add_error("photo", exc.message)
                else:
                    messages.success(request, _("Photo added."))
                    return redirect("monitoring:task-detail", pk=task.pk)
        else:
            form = forms.ReportForm(request.POST)
            if form.is_valid():
                try:
                    if report is None:
                        report = services.report_start(actor=request.user, task=task)
                        expected = report.version
                    else:
                        expected = form.cleaned_data["version"]
                    if action == "submit":
                        services.report_submit(actor=request.user, report=report, expected_version=expected, **form.changes())
                        messages.success(request, _("Inspection report submitted; the task is done."))
                        return redirect("monitoring:report-detail", pk=report.pk)
                    services.report_save(actor=request.user, report=report, expected_version=expected, **form.changes())
                except DomainError as exc:
                    _field_error(form, exc)
                else:
                    messages.success(request, _("Draft saved; you can add photos now."))
                    return redirect("monitoring:task-detail", pk=task.pk)
    photos = list(report.photos.select_related("attachment").all()) if report is not None else []
    context = {
        "task": task,
        "guarantee": task.guarantee,
        "report": report,
        "form": form,
        "photo_form": photo_form,
        "photos": photos,
        "editable": editable,
        "today": timezone.localdate(),
    }
    response = render(request, "monitoring/task_detail.html", context)
    response["Permissions-Policy"] = GEO_POLICY
    return response


# --- reports --------------------------------------------------------------------------------------


def _report_url(report: Any) -> str:
    return reverse("monitoring:report-detail", args=[report.pk])


REPORT_LIST = ListSpec(
    name="monitoring-reports",
    columns=[
        Column("inspection_date", gettext_lazy("Inspection date"), sort_field="inspection_date", kind="date", link=_report_url),
        Column("guarantee__project__number", gettext_lazy("Project number"), sort_field="guarantee__project__number"),
        Column("guarantee__customer__name", gettext_lazy("Customer"), sort_field="guarantee__customer__name"),
        Column("method", pgettext_lazy("monitoring", "Method"), sort_field="method", display=lambda r: r.get_method_display()),
        Column(
            "suggested_class",
            gettext_lazy("Suggested risk class"),
            sort_field="suggested_class",
            display=lambda r: selectors.class_label(r.suggested_class),
        ),
        Column("state", gettext_lazy("State"), sort_field="state", display=lambda r: r.get_state_display()),
        Column("author__real_name", gettext_lazy("Inspected by"), sort_field="author__real_name"),
        Column("submitted_at", gettext_lazy("Submitted at"), sort_field="submitted_at", kind="datetime", default=False),
    ],
    filters=[
        Filter("state", gettext_lazy("State"), "state", ReportState.choices),
        Filter("class", gettext_lazy("Suggested risk class"), "suggested_class", [(c, f"{c} {label}") for c, label in RISK_CLASSES]),
    ],
    search_fields=["guarantee__project__number", "guarantee__customer__name"],
    search_placeholder=gettext_lazy("Project number or customer"),
    default_sort="-inspection_date",
)


@require_permission(VIEW)
def report_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, REPORT_LIST, selectors.report_list_for(request.user), "monitoring/report_list.html", {})


@require_permission(VIEW)
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for(request.user, pk, request)
    context = {
        "report": report,
        "guarantee": report.guarantee,
        "may_review": selectors.may_review(request.user, report),
        "reason_form": forms.ReasonForm(),
        "comment_form": forms.CommentForm(),
    }
    return render(request, "monitoring/report_detail.html", context)


@require_POST
@require_permission(REVIEW)
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for(request.user, pk, request)
    try:
        services.report_accept(actor=request.user, report=report, comment=request.POST.get("comment", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Inspection report accepted."))
    return redirect("monitoring:report-detail", pk=report.pk)


@require_POST
@require_permission(REVIEW)
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    report = selectors.report_get_for(request.user, pk, request)
    try:
        services.report_return(actor=request.user, report=report, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Inspection report returned for rework."))
    return redirect("monitoring:report-detail", pk=report.pk)


# --- batch inspection -----------------------------------------------------------------------------


def _product_choices(tasks: list[Any]) -> list[tuple[str, str]]:
    seen: dict[str, str] = {}
    for task in tasks:
        product = task.guarantee.product_version.product
        seen[str(product.pk)] = product.name
    return sorted(seen.items(), key=lambda x: x[1])


@require_permission(INSPECT)
def batch(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    product, place = request.GET.get("product", ""), request.GET.get("place", "").strip()
    candidates = list(selectors.batch_candidates(request.user, today, product if product.isdigit() else "", place)[:300])
    all_candidates = list(selectors.batch_candidates(request.user, today)[:300]) if (product or place) else candidates
    form = forms.BatchForm(initial={"key": secrets.token_hex(16)})
    chosen: set[int] = set()
    if request.method == "POST":
        form = forms.BatchForm(request.POST)
        chosen = {int(v) for v in request.POST.getlist("task") if v.isdigit()}
        if form.is_valid():
            tasks = [t for t in all_candidates if t.pk in chosen] or [t for t in candidates if t.pk in chosen]
            outcomes = {t.pk: (request.POST.get(f"conclusion_{t.pk}", ""), request.POST.get(f"class_{t.pk}", t.risk_class)) for t in tasks}
            try:
                done = services.batch_inspect(
                    actor=request.user,
                    tasks=tasks,
                    title=form.cleaned_data["title"],
                    shared=form.shared(),
                    outcomes=outcomes,
                    idempotency_key=form.cleaned_data["key"],
                )
            except DomainError as exc:
                _field_error(form, exc)
            else:
                messages.success(request, _("Batch inspection submitted: %(count)s reports.") % {"count": done.reports.count()})
                return redirect(f"{reverse('monitoring:task-list')}?tab=done")
    context = {
        "form": form,
        "candidates": candidates,
        "chosen": chosen,
        "products": _product_choices(all_candidates),
        "product": product,
        "place": place,
        "classes": RISK_CLASSES,
        "today": today,
    }
    return render(request, "monitoring/batch.html", context)


# --- a guarantee's monitoring page ----------------------------------------------------------------


@require_permission(VIEW)
def guarantee_detail(request: HttpRequest, pk: int) -> HttpResponse:
    guarantee = selectors.guarantee_get_for(request.user, pk, request)
    context = selectors.guarantee_page(guarantee)
    context.update(
        {
            "guarantee": guarantee,
            "may_replan": request.user.can(REVIEW),  # type: ignore[union-attr]
            "may_record": selectors.may_record_event(request.user, guarantee),
            "replan_form": forms.ReplanForm(initial={"risk_class": context["plan"].risk_class if context["plan"] else "01"}),
        }
    )
    return render(request, "monitoring/guarantee_detail.html", context)


@require_POST
@require_permission(REVIEW)
def guarantee_replan(request: HttpRequest, pk: int) -> HttpResponse:
    guarantee = selectors.guarantee_get_for(request.user, pk, request)
    form = forms.ReplanForm(request.POST)
    if form.is_valid():
        try:
            services.plan_replan(
                actor=request.user, guarantee=guarantee, risk_class=form.cleaned_data["risk_class"], reason=form.cleaned_data["reason"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Monitoring plan re-made for the new risk class."))
    else:
        messages.error(request, _("Choose a risk class and give a reason."))
    return redirect("monitoring:guarantee-detail", pk=guarantee.pk)


# --- risk events ----------------------------------------------------------------------------------


def _event_url(event: Any) -> str:
    return reverse("monitoring:event-detail", args=[event.pk])


EVENT_LIST = ListSpec(
    name="monitoring-events",
    columns=[
        Column("occurred_date", gettext_lazy("Occurred on"), sort_field="occurred_date", kind="date", link=_event_url),
        Column("guarantee__project__number", gettext_lazy("Project number"), sort_field="guarantee__project__number"),
        Column("guarantee__customer__name", gettext_lazy("Customer"), sort_field="guarantee__customer__name"),
        Column("kind", gettext_lazy("Kind"), sort_field="kind", display=lambda e: e.get_kind_display()),
        Column("severity", gettext_lazy("Severity"), sort_field="severity", display=lambda e: e.get_severity_display()),
        Column("state", gettext_lazy("State"), sort_field="state", display=lambda e: e.get_state_display()),
        Column("recorded_by__real_name", gettext_lazy("Recorded by"), sort_field="recorded_by__real_name"),
    ],
    filters=[
        Filter("kind", gettext_lazy("Kind"), "kind", RiskEventKind.choices),
        Filter("severity", gettext_lazy("Severity"), "severity", Severity.choices),
        Filter("state", gettext_lazy("State"), "state", RiskEventState.choices),
    ],
    search_fields=["guarantee__project__number", "guarantee__customer__name", "description"],
    search_placeholder=gettext_lazy("Project number, customer or description"),
    default_sort="-occurred_date",
)


@require_permission(VIEW)
def event_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, EVENT_LIST, selectors.event_list_for(request.user), "monitoring/event_list.html", {})


@require_permission(RECORD)
def event_create(request: HttpRequest, pk: int) -> HttpResponse:
    guarantee = selectors.guarantee_get_for(request.user, pk, request)
    form = forms.EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.risk_event_record(
                actor=request.user,
                guarantee=guarantee,
                kind=data["kind"],
                severity=data["severity"],
                description=data["description"],
                occurred_date=data["occurred_date"],
            )
        except DomainError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, _("Risk event recorded."))
            return redirect("monitoring:event-detail", pk=event.pk)
    return render(request, "monitoring/event_form.html", {"guarantee": guarantee, "form": form})


@require_permission(VIEW)
def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    from danbao.core.attachments.services import attachment_add

    event = selectors.event_get_for(request.user, pk, request)
    may_record = selectors.may_record_event(request.user, event.guarantee) and event.state != RiskEventState.CLOSED
    entry_form, close_form = forms.EntryForm(), forms.CloseForm()
    if request.method == "POST":
        if not may_record:
            raise PermissionDenied
        if request.POST.get("action") == "close":
            close_form = forms.CloseForm(request.POST)
            if close_form.is_valid():
                try:
                    services.risk_event_close(actor=request.user, event=event, conclusion=close_form.cleaned_data["conclusion"])
                except DomainError as exc:
                    _field_error(close_form, exc)
                else:
                    messages.success(request, _("Risk event closed."))
                    return redirect("monitoring:event-detail", pk=event.pk)
        else:
            entry_form = forms.EntryForm(request.POST, request.FILES)
            if entry_form.is_valid():
                data = entry_form.cleaned_data
                try:
                    entry = services.risk_event_log(actor=request.user, event=event, action=data["action"], entry_date=data["entry_date"])
                    if data.get("file"):
                        attachment_add(actor=request.user, owner=entry, kind="file", upload=data["file"])
                except DomainError as exc:
                    _field_error(entry_form, exc)
                else:
                    messages.success(request, _("Handling step recorded."))
                    return redirect("monitoring:event-detail", pk=event.pk)
    context = {"event": event, "guarantee": event.guarantee, "may_record": may_record, "entry_form": entry_form, "close_form": close_form}
    return render(request, "monitoring/event_detail.html", context)


# --- the department head's overdue view -----------------------------------------------------------


@require_permission(REVIEW)
def overdue_list(request: HttpRequest) -> HttpResponse:
    escalated = request.GET.get("escalated") == "1"
    today = timezone.localdate()
    tasks = list(selectors.overdue_for(request.user, today, escalated_only=escalated)[:500])
    to_review = list(selectors.reports_to_review(request.user)[:100])
    context = {"tasks": tasks, "escalated": escalated, "today": today, "to_review": to_review}
    return render(request, "monitoring/overdue_list.html", context)
