"""Message centre pages: inbox, message, mark read / archive (htmx), compose, message templates."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import login_only, require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, build_state, render_list
from danbao.notifications import selectors, services
from danbao.notifications.forms import ComposeForm, TemplateForm
from danbao.notifications.models import Channel
from danbao.notifications.registry import kind_choices, kind_label, kinds
from danbao.notifications.rendering import render_text

STATE_CHOICES = [("unread", gettext_lazy("Unread")), ("read", gettext_lazy("Read")), ("archived", gettext_lazy("Archived"))]

INBOX = ListSpec(
    name="notifications-inbox",
    columns=[
        Column("message__title", gettext_lazy("Title"), sort_field="message__title"),
        Column("kind", gettext_lazy("Kind"), display=lambda r: kind_label(r.message.kind)),
        Column(
            "message__sender__real_name",
            gettext_lazy("From"),
            display=lambda r: r.message.sender.real_name if r.message.sender else _("System"),
        ),
        Column("message__created_at", gettext_lazy("Sent at"), sort_field="message__created_at", kind="datetime"),
    ],
    filters=[
        Filter("state", gettext_lazy("Status"), "state", STATE_CHOICES),
        Filter("kind", gettext_lazy("Kind"), "message__kind", lambda user: kind_choices()),
    ],
    search_fields=["message__title"],
    search_placeholder=gettext_lazy("Search titles"),
    default_sort="-message__created_at",
)


def _inbox_queryset(request: HttpRequest) -> Any:
    rows = selectors.inbox_for(request.user)
    if request.GET.get("state") != "archived":
        rows = rows.filter(archived_at__isnull=True)
    return rows


@login_only
def inbox(request: HttpRequest) -> HttpResponse:
    """My messages: unread first by filter, newest first."""
    return render_list(request, INBOX, _inbox_queryset(request), "notifications/inbox.html")


def _after_bulk(request: HttpRequest, notice: str) -> HttpResponse:
    """htmx: the refreshed list plus the top-bar badge out of band; otherwise back to the inbox."""
    if getattr(request, "htmx", False):
        ctx = {"list": build_state(request, INBOX, _inbox_queryset(request)), "unread_count": selectors.unread_count_for(request.user)}
        html = render_to_string("notifications/inbox.html#list-region", ctx, request)
        html += render_to_string("notifications/inbox.html#badge", {**ctx, "oob": True}, request)
        return HttpResponse(html)
    messages.success(request, notice)
    query = request.META.get("QUERY_STRING", "")
    return redirect(reverse("notifications:inbox") + (f"?{query}" if query else ""))


def _ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("ids") if v.isdigit()][:500]


@require_POST
@login_only
def mark_read(request: HttpRequest) -> HttpResponse:
    count = services.message_mark_read(user=request.user, message_ids=_ids(request))  # type: ignore[arg-type]
    return _after_bulk(request, _("%(count)d messages marked as read.") % {"count": count})


@require_POST
@login_only
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.message_mark_all_read(user=request.user)  # type: ignore[arg-type]
    return _after_bulk(request, _("%(count)d messages marked as read.") % {"count": count})


@require_POST
@login_only
def archive(request: HttpRequest) -> HttpResponse:
    count = services.message_archive(user=request.user, message_ids=_ids(request))  # type: ignore[arg-type]
    return _after_bulk(request, _("%(count)d messages archived.") % {"count": count})


@login_only
def message_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One of my messages; opening it marks it read."""
    row = selectors.recipient_get_for(request.user, pk)
    if row.read_at is None:
        services.message_mark_read(user=request.user, message_ids=[pk])  # type: ignore[arg-type]
        row = selectors.recipient_get_for(request.user, pk)
    states = {"sent": (_("Sent"), "bg-green-lt"), "failed": (_("Failed"), "bg-red-lt"), "pending": (_("Sending"), "bg-secondary-lt")}
    channel_labels = dict(Channel.choices)
    deliveries = [
        {"channel": channel_labels.get(channel, channel), "state": states.get(entry.get("state"), (entry.get("state"), "bg-secondary-lt"))}
        for channel, entry in row.deliveries.items()
    ]
    context = {"row": row, "message": row.message, "kind_label": kind_label(row.message.kind), "deliveries": deliveries}
    return render(request, "notifications/detail.html", context)


@require_POST
@login_only
def message_archive(request: HttpRequest, pk: int) -> HttpResponse:
    row = selectors.recipient_get_for(request.user, pk)
    services.message_archive(user=request.user, message_ids=[row.message_id])  # type: ignore[arg-type]
    messages.success(request, _("The message was archived. You find it under the Archived filter."))
    return redirect("notifications:inbox")


@require_permission("system.message.broadcast")
def compose(request: HttpRequest) -> HttpResponse:
    """Write a message; the first submit shows how many people will get it, the second sends.

    The send only goes ahead when the audience still has the count the user confirmed; if the
    selection changed after "Check recipients", the page shows the new count instead of sending.
    """
    form = ComposeForm(request.POST or None)
    recipients = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        audience = {
            "users": list(data["users"]),
            "roles": list(data["roles"]),
            "departments": list(data["departments"]),
            "include_subdepartments": data["include_subdepartments"],
        }
        targets = selectors.audience_users(**audience)
        count = targets.count()
        if request.POST.get("action") == "send" and request.POST.get("confirmed_count") == str(count):
            try:
                message = services.message_send(actor=request.user, title=data["title"], body=data["body"], link=data["link"], **audience)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(
                    request, _("Message “%(title)s” sent to %(count)d people.") % {"title": message.title, "count": message.recipient_count}
                )
                return redirect("notifications:compose")
        elif request.POST.get("action") == "send":
            messages.warning(request, _("The recipients changed since you checked them. Check the new count, then send."))
        recipients = {
            "count": count,
            "sample": list(targets.select_related("department")[:12]),
            "audience": selectors.audience_description(**audience),
        }
    return render(request, "notifications/compose.html", {"form": form, "recipients": recipients})


TEMPLATES = ListSpec(
    name="notifications-templates",
    columns=[
        Column(
            "kind",
            gettext_lazy("Message kind"),
            display=lambda t: kind_label(t.kind),
            link=lambda t: reverse("notifications:template-edit", args=[t.pk]),
        ),
        Column("kind_code", gettext_lazy("Code"), display=lambda t: t.kind, sort_field="kind"),
        Column("channel", gettext_lazy("Channel"), display=lambda t: t.get_channel_display(), sort_field="channel"),
        Column("subject", gettext_lazy("Subject"), sort_field="subject"),
        Column("is_active", gettext_lazy("Active"), kind="bool"),
        Column("updated_at", gettext_lazy("Updated at"), sort_field="updated_at", kind="datetime"),
    ],
    filters=[
        Filter("channel", gettext_lazy("Channel"), "channel", Channel.choices),
        Filter("kind", gettext_lazy("Message kind"), "kind", lambda user: kind_choices()),
    ],
    search_fields=["subject", "body", "kind"],
    search_placeholder=gettext_lazy("Search subject or text"),
    default_sort="kind",
    row_actions=lambda t, user: [(_("Edit"), reverse("notifications:template-edit", args=[t.pk]))],
)


@require_permission("system.template.manage")
def template_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, TEMPLATES, selectors.template_list_for(request.user), "notifications/template_list.html")


def _preview(data: dict[str, Any]) -> dict[str, Any]:
    """Render subject and body with the kind's sample values; report placeholders the kind does not know."""
    spec = kinds.get(data["kind"]) if data.get("kind") in kinds else None
    samples = {name: str(value) for name, value in (spec.placeholders if spec else {}).items()}
    subject = render_text(data.get("subject", ""), samples)
    body = render_text(data.get("body", ""), samples)
    unknown = list(dict.fromkeys([*subject.missing, *body.missing]))
    return {"subject": subject.text, "body": body.text, "unknown": unknown, "known": list(samples)}


@require_permission("system.template.manage")
def template_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Create or change a template; "Preview" shows the text with sample values before saving."""
    template = selectors.template_get_for(request.user, pk) if pk else None
    initial = {f: getattr(template, f) for f in services.TEMPLATE_FIELDS} if template else {"is_active": True, "channel": Channel.IN_APP}
    form = TemplateForm(request.POST or None, initial=initial)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("action") == "preview":
            preview = _preview(form.cleaned_data)
            if getattr(request, "htmx", False):
                return render(request, "notifications/template_edit.html#preview", {"preview": preview})
        else:
            try:
                services.message_template_save(actor=request.user, template=template, **form.cleaned_data)  # type: ignore[arg-type]
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("The message template was saved."))
                return redirect("notifications:template-list")
    elif template is not None and request.method == "GET":
        preview = _preview(initial)
    context = {
        "form": form,
        "template": template,
        "template_label": f"{kind_label(template.kind)} · {template.get_channel_display()}" if template else "",
        "preview": preview,
        "kind_placeholders": _kind_placeholders(form),
    }
    return render(request, "notifications/template_edit.html", context)


def _kind_placeholders(form: TemplateForm) -> list[str]:
    code = form.data.get("kind") if form.is_bound else form.initial.get("kind")
    return list(kinds.get(code).placeholders) if code in kinds else []
