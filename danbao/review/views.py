"""Review pages: member and expert registries, meetings (agenda, attendance, recusal, decisions,
minutes), the members' voting page, my meetings, expert links. Each view parses, fetches through a
selector, calls one service and responds; refusals come back as the service's Chinese message."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.attachments.views import content_disposition
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list
from danbao.review import pdf, selectors, services
from danbao.review.forms import (
    AttendanceForm,
    InviteForm,
    MeetingForm,
    PersonForm,
    ReasonForm,
    RecusalForm,
    VoteForm,
    person_initial,
)
from danbao.review.models import AgendaItem, Attendance, CommitteeMember, Expert, Meeting
from danbao.review.permissions import EXPERT_MANAGE, MEETING_MANAGE, MEETING_VIEW, MEMBER_MANAGE
from danbao.review.services.meetings import preview, related_user_ids


def _apply_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition("attachment", name)
    response["Cache-Control"] = "no-store"
    return response


# ----------------------------------------------------------------------------------------------
# registries


KINDS: dict[str, dict[str, Any]] = {
    "member": {
        "model": CommitteeMember,
        "code": MEMBER_MANAGE,
        "title": gettext_lazy("Committee members"),
        "one": gettext_lazy("committee member"),
        "list": "review:member-list",
        "create": "review:member-create",
        "edit": "review:member-edit",
    },
    "expert": {
        "model": Expert,
        "code": EXPERT_MANAGE,
        "title": gettext_lazy("External experts"),
        "one": gettext_lazy("external expert"),
        "list": "review:expert-list",
        "create": "review:expert-create",
        "edit": "review:expert-edit",
    },
}


def _person_spec(kind: str) -> ListSpec:
    edit = KINDS[kind]["edit"]
    columns = [
        Column("name", pgettext_lazy("review", "Name"), sort_field="name", link=lambda p: reverse(edit, args=[p.pk])),
        Column("title", gettext_lazy("Professional title"), sort_field="title"),
        Column("organisation", pgettext_lazy("review", "Organisation"), sort_field="organisation"),
        Column("industry", gettext_lazy("Industry / field"), sort_field="industry"),
        Column("phone", gettext_lazy("Phone")),
        Column("email", gettext_lazy("E-mail"), default=False),
        Column("user__username", gettext_lazy("User account")),
        Column("is_active", pgettext_lazy("review", "Active"), sort_field="is_active"),
    ]
    if kind == "expert":
        columns.insert(2, Column("specialty", gettext_lazy("Specialty"), sort_field="specialty"))
    return ListSpec(
        name=f"review-{kind}s",
        columns=columns,
        filters=[
            Filter(
                "active",
                gettext_lazy("Status"),
                "is_active",
                [("1", pgettext_lazy("review", "Active")), ("0", gettext_lazy("Deactivated"))],
            ),
        ],
        search_fields=["name", "organisation", "industry", "title"] + (["specialty"] if kind == "expert" else []),
        search_placeholder=gettext_lazy("Name, organisation or field"),
        default_sort="name",
        select_related=["user"],
        export_name=KINDS[kind]["title"],
        export_permission=KINDS[kind]["code"],
    )


MEMBER_LIST = _person_spec("member")
EXPERT_LIST = _person_spec("expert")


def _people(kind: str) -> QuerySet[Any]:
    return selectors.member_list() if kind == "member" else selectors.expert_list()


def _person(kind: str, pk: int, request: HttpRequest) -> Any:
    getter = selectors.member_get if kind == "member" else selectors.expert_get
    return getter(pk, request.user, request)


def _check(request: HttpRequest, code: str) -> None:
    if not request.user.can(code):  # type: ignore[union-attr]
        raise PermissionDenied


@require_permission(MEMBER_MANAGE, EXPERT_MANAGE)
def person_list(request: HttpRequest, kind: str) -> HttpResponse:
    _check(request, KINDS[kind]["code"])
    spec = MEMBER_LIST if kind == "member" else EXPERT_LIST
    return render_list(request, spec, _people(kind), "review/person_list.html", {"kind": kind, "meta": KINDS[kind]})


@require_permission(MEMBER_MANAGE, EXPERT_MANAGE)
def person_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    _check(request, KINDS[kind]["code"])
    person = _person(kind, pk, request) if pk else None
    initial = person_initial(person) if person else None
    form = PersonForm(request.POST or None, expert=kind == "expert", initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if person is None:
                person = services.person_create(actor=request.user, model=KINDS[kind]["model"], **form.cleaned_data)
            else:
                person = services.person_update(actor=request.user, person=person, **form.cleaned_data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": person.name})
            return redirect(KINDS[kind]["list"])
    reason_form = ReasonForm() if person is not None and person.is_active else None
    return render(
        request, "review/person_form.html", {"form": form, "person": person, "kind": kind, "meta": KINDS[kind], "reason_form": reason_form}
    )


@require_POST
@require_permission(MEMBER_MANAGE, EXPERT_MANAGE)
def person_active(request: HttpRequest, kind: str, pk: int, active: bool) -> HttpResponse:
    _check(request, KINDS[kind]["code"])
    person = _person(kind, pk, request)
    try:
        if active:
            services.person_reactivate(actor=request.user, person=person)
            messages.success(request, _("%(name)s is active again.") % {"name": person.name})
        else:
            services.person_deactivate(actor=request.user, person=person, reason=request.POST.get("reason", ""))
            messages.success(request, _("%(name)s deactivated.") % {"name": person.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect(KINDS[kind]["edit"], pk=person.pk)


# ----------------------------------------------------------------------------------------------
# meetings


def _meeting_link(meeting: Meeting) -> str:
    return reverse("review:meeting-detail", args=[meeting.pk])


MEETING_LIST = ListSpec(
    name="review-meetings",
    columns=[
        Column("number", gettext_lazy("Meeting number"), sort_field="number", link=_meeting_link),
        Column("title", pgettext_lazy("review", "Title"), sort_field="title"),
        Column("scheduled_at", gettext_lazy("Date and time"), sort_field="scheduled_at", kind="datetime"),
        Column("place", gettext_lazy("Place")),
        Column("chair__name", gettext_lazy("Chair"), sort_field="chair__name"),
        Column("secretary__real_name", gettext_lazy("Secretary")),
        Column("status", gettext_lazy("Status"), sort_field="status", display=lambda m: m.get_status_display()),
    ],
    filters=[Filter("status", gettext_lazy("Status"), "status", Meeting.Status.choices)],
    date_ranges=[DateRange("date", gettext_lazy("Date"), "scheduled_at")],
    search_fields=["number", "title", "place"],
    search_placeholder=gettext_lazy("Number, title or place"),
    default_sort="-scheduled_at",
    select_related=["chair", "secretary"],
    export_name=gettext_lazy("Review meetings"),
    export_permission=MEETING_MANAGE,
)


@require_permission(MEETING_MANAGE)
def meeting_list(request: HttpRequest) -> HttpResponse:
    return render_list(request, MEETING_LIST, selectors.meeting_list_for(request.user), "review/meeting_list.html")


@require_permission(MEETING_VIEW, MEETING_MANAGE)
def my_meetings(request: HttpRequest) -> HttpResponse:
    meetings = list(selectors.my_meetings(request.user)[:100])
    to_vote = list(selectors.items_to_vote(request.user))
    return render(request, "review/my_meetings.html", {"meetings": meetings, "to_vote": to_vote})


@require_permission(MEETING_MANAGE)
def meeting_create(request: HttpRequest) -> HttpResponse:
    form = MeetingForm(request.POST or None, initial={"secretary": request.user})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                actor=request.user,
                title=data["title"],
                scheduled_at=data["scheduled_at"],
                chair=data["chair"],
                members=list(data["members"]),
                place=data["place"],
                online_link=data["online_link"],
                secretary=data["secretary"],
                note=data["note"],
            )
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Meeting %(number)s created.") % {"number": meeting.number})
            return redirect("review:meeting-detail", pk=meeting.pk)
    return render(request, "review/meeting_form.html", {"form": form, "meeting": None})


@require_permission(MEETING_MANAGE)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    initial = {
        "title": meeting.title,
        "scheduled_at": timezone.localtime(meeting.scheduled_at),
        "place": meeting.place,
        "online_link": meeting.online_link,
        "chair": meeting.chair,
        "note": meeting.note,
    }
    form = MeetingForm(request.POST or None, editing=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Meeting %(number)s saved.") % {"number": meeting.number})
            return redirect("review:meeting-detail", pk=meeting.pk)
    return render(request, "review/meeting_form.html", {"form": form, "meeting": meeting})


@require_permission(MEETING_VIEW, MEETING_MANAGE)
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    user = request.user
    manage = user.can(MEETING_MANAGE)  # type: ignore[union-attr]
    detail = selectors.meeting_detail(meeting)
    member = selectors.member_of(user)
    previews = {}
    if manage and meeting.status == Meeting.Status.CONVENED:
        previews = {item.pk: preview(meeting, item) for item in detail["items"] if item.status == AgendaItem.Status.PENDING}
    for item in detail["items"]:
        item.preview = previews.get(item.pk)  # type: ignore[attr-defined]
        item.my_vote = next((v for v in item.votes.all() if member and v.member_id == member.pk), None)  # type: ignore[attr-defined]
        item.submitted_opinions = [o for o in item.expert_opinions.all() if o.is_submitted]  # type: ignore[attr-defined]
    invited_ids = [a.member_id for a in detail["attendance"]]
    context = {
        "meeting": meeting,
        "manage": manage,
        "member": member,
        "expert_manage": manage and user.can(EXPERT_MANAGE),  # type: ignore[union-attr]
        "links": selectors.expert_links_for(meeting) if manage else [],
        "invite_form": InviteForm(exclude=invited_ids) if manage and meeting.is_open else None,
        "recusal_form": RecusalForm(meeting=meeting) if manage and meeting.is_open else None,
        "attendance_choices": AttendanceForm().fields["status"].choices,
        **detail,
    }
    return render(request, "review/meeting_detail.html", context)


def _back(meeting: Meeting, anchor: str = "") -> HttpResponse:
    return redirect(reverse("review:meeting-detail", args=[meeting.pk]) + (f"#{anchor}" if anchor else ""))


@require_POST
@require_permission(MEETING_MANAGE)
def meeting_invite(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    form = InviteForm(request.POST, exclude=[])
    if form.is_valid():
        try:
            added = services.meeting_invite(actor=request.user, meeting=meeting, members=list(form.cleaned_data["members"]))
            messages.success(request, _("%(count)s member(s) invited.") % {"count": len(added)})
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose the members to invite."))
    return _back(meeting, "attendance")


@require_POST
@require_permission(MEETING_MANAGE)
def meeting_uninvite(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    member = selectors.member_get(member_id, request.user, request)
    try:
        services.meeting_uninvite(actor=request.user, meeting=meeting, member=member)
        messages.success(request, _("%(name)s is no longer invited.") % {"name": member.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(meeting, "attendance")


@require_POST
@require_permission(MEETING_MANAGE)
def meeting_attendance(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    member = selectors.member_get(member_id, request.user, request)
    form = AttendanceForm(request.POST)
    if form.is_valid():
        try:
            services.attendance_set(actor=request.user, meeting=meeting, member=member, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
    else:
        messages.error(request, _("Choose present, absent or on leave."))
    return _back(meeting, "attendance")


@require_POST
@require_permission(MEETING_MANAGE)
def meeting_transition(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    try:
        if action == "convene":
            services.meeting_convene(actor=request.user, meeting=meeting)
            messages.success(request, _("The meeting is in session."))
        elif action == "close":
            services.meeting_close(actor=request.user, meeting=meeting)
            messages.success(request, _("The meeting is closed."))
        elif action == "cancel":
            services.meeting_cancel(actor=request.user, meeting=meeting, reason=request.POST.get("reason", ""))
            messages.success(request, _("The meeting is cancelled."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(meeting)


@require_permission(MEETING_VIEW, MEETING_MANAGE)
def meeting_minutes(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    if meeting.status == Meeting.Status.DRAFT:
        messages.error(request, _("Minutes are available once the meeting is in session."))
        return _back(meeting)
    services.common.audit("minutes.printed", request.user, meeting, number=meeting.number)
    return _pdf(pdf.minutes_pdf(meeting), f"{meeting.number}-会议纪要.pdf")


# ----------------------------------------------------------------------------------------------
# agenda, recusal, votes, decisions


@require_permission(MEETING_MANAGE)
def item_add(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = selectors.meeting_get_for(request.user, pk, request)
    if request.method == "POST":
        run = selectors.waiting_run_get(request.POST.get("node_run"))
        if run is None:
            messages.error(request, _("This approval is not waiting at a committee step (it may have been withdrawn or decided)."))
        else:
            try:
                item = services.item_add(actor=request.user, meeting=meeting, node_run=run)
                messages.success(request, _("%(title)s put on the agenda.") % {"title": item.title})
            except DomainError as exc:
                messages.error(request, exc.message)
        return redirect("review:item-add", pk=meeting.pk)
    waiting = list(selectors.waiting_runs()[:200])
    for run in waiting:
        run.description = services.meetings.describe(run.instance)  # type: ignore[attr-defined]
    return render(request, "review/item_add.html", {"meeting": meeting, "waiting": waiting})


@require_permission(MEETING_MANAGE)
def item_remove(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for(request.user, pk, request)
    form = ReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_remove(actor=request.user, item=item, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("%(title)s taken off the agenda.") % {"title": item.title})
            return _back(item.meeting)
    context = {"form": form, "meeting": item.meeting, "heading": _("Take off the agenda"), "subject": item.title}
    return render(request, "review/reason_form.html", context)


@require_POST
@require_permission(MEETING_VIEW, MEETING_MANAGE)
def item_recuse(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for(request.user, pk, request)
    manage = request.user.can(MEETING_MANAGE)  # type: ignore[union-attr]
    member = None
    if manage and request.POST.get("member"):
        member = selectors.invited_member(item.meeting, request.POST.get("member"))
    if member is None:
        member = selectors.member_of(request.user)
    if member is None:
        raise Http404
    try:
        services.recusal_record(actor=request.user, item=item, member=member, reason=request.POST.get("reason", ""))
        messages.success(request, _("Recusal of %(name)s recorded.") % {"name": member.name})
    except DomainError as exc:
        messages.error(request, exc.message)
    if not manage:
        return redirect("review:vote", pk=item.pk)
    return _back(item.meeting, f"item-{item.pk}")


@require_POST
@require_permission(MEETING_MANAGE)
def item_decide(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for(request.user, pk, request)
    try:
        decided = services.item_decide(actor=request.user, item=item, note=request.POST.get("note", ""))
        messages.success(request, _("%(title)s: %(result)s.") % {"title": decided.title, "result": decided.get_status_display()})
    except DomainError as exc:
        messages.error(request, exc.message)
    return _back(item.meeting, f"item-{item.pk}")


@require_permission(MEETING_VIEW, MEETING_MANAGE)
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The member's voting page (phone friendly): the item's material, my vote, recusal."""
    item = selectors.item_get_for(request.user, pk, request)
    member = selectors.member_of(request.user)
    meeting = item.meeting
    attendance = selectors.attendance_of(meeting, member)
    if attendance is None:
        raise Http404  # only invited members vote; the secretary uses the meeting page
    mine = selectors.vote_of(item, member)
    initial = {"choice": mine.choice, "opinion": mine.opinion, "conditions": mine.conditions} if mine else None
    form = VoteForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.vote_cast(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as exc:
            _apply_error(form, exc)
        else:
            messages.success(request, _("Your vote on %(title)s is recorded.") % {"title": item.title})
            following = selectors.items_to_vote(request.user).filter(meeting=meeting).first()
            return redirect("review:vote", pk=following.pk) if following else redirect("review:meeting-detail", pk=meeting.pk)
    recused = item.recusals.filter(member=member).first()
    context = {
        "item": item,
        "meeting": meeting,
        "form": form,
        "mine": mine,
        "attendance": attendance,
        "recused": recused,
        "related": bool(member and member.user_id in related_user_ids(item)),
        "can_vote": meeting.status == Meeting.Status.CONVENED
        and item.status == AgendaItem.Status.PENDING
        and attendance.status == Attendance.Status.PRESENT
        and recused is None,
        "siblings": list(meeting.items.exclude(status=AgendaItem.Status.REMOVED).order_by("order")),
    }
    return render(request, "review/vote.html", context)


@require_permission(MEETING_MANAGE)
def item_expert_report(request: HttpRequest, pk: int) -> HttpResponse:
    item = selectors.item_get_for(request.user, pk, request)
    services.common.audit("expert_report.printed", request.user, item, meeting=item.meeting_id)
    return _pdf(pdf.expert_report_pdf(item), f"{item.meeting.number}-{item.order}-专家评审意见.pdf")
