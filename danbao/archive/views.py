"""Archive pages: the archive register (filters, Excel export), a project's archive file (checklist,
paper received, waivers, archive, re-open), files ready to archive, borrowings (mine, to approve, lent
out, overdue) with the request form and the borrowing page, and the box/location view."""

from __future__ import annotations

import datetime as dt
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

from danbao.archive import forms, readiness, selectors, services
from danbao.archive.models import BorrowState, FileState
from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.core.listing import Column, Filter, ListSpec, render_list

VIEW, MANAGE, REQUEST, APPROVE = selectors.VIEW, selectors.MANAGE, selectors.REQUEST, selectors.APPROVE


def _field_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


# --- the register ---------------------------------------------------------------------------------


def _file_url(file: Any) -> str:
    return reverse("archive:project", args=[file.project_id])


def _years(user: Any) -> list[tuple[str, str]]:
    years = selectors.file_list_for(user).exclude(archived_on=None).dates("archived_on", "year", order="DESC")
    return [(str(d.year), str(d.year)) for d in years]


def _boxes(user: Any) -> list[tuple[str, str]]:
    values = selectors.file_list_for(user).exclude(box="").order_by("box").values_list("box", flat=True).distinct()
    return [(v, v) for v in values]


def _rooms(user: Any) -> list[tuple[str, str]]:
    values = selectors.file_list_for(user).exclude(room="").order_by("room").values_list("room", flat=True).distinct()
    return [(v, v) for v in values]


def _banks(user: Any) -> list[tuple[str, str]]:
    rows = selectors.file_list_for(user).order_by("project__bank__name").values_list("project__bank_id", "project__bank__name").distinct()
    return [(str(pk), name) for pk, name in rows]


def _products(user: Any) -> list[tuple[str, str]]:
    rows = (
        selectors.file_list_for(user)
        .order_by("project__product_version__product__name")
        .values_list("project__product_version__product_id", "project__product_version__product__name")
        .distinct()
    )
    return [(str(pk), name) for pk, name in rows]


REGISTER = ListSpec(
    name="archive-register",
    columns=[
        Column("number", pgettext_lazy("archive", "Archive number"), sort_field="number", link=_file_url),
        Column("project__number", pgettext_lazy("archive", "Project number"), sort_field="project__number", link=_file_url),
        Column("project__customer__name", pgettext_lazy("archive", "Customer"), sort_field="project__customer__name"),
        Column("project__bank__name", pgettext_lazy("archive", "Lending bank"), sort_field="project__bank__name"),
        Column("project__product_version__product__name", pgettext_lazy("archive", "Product"), default=False),
        Column("project_state", pgettext_lazy("archive", "Project state"), display=lambda f: f.project.get_state_display()),
        Column("state", pgettext_lazy("archive", "State"), sort_field="state", kind="badge", display=lambda f: f.get_state_display()),
        Column("box", pgettext_lazy("archive", "Box"), sort_field="box"),
        Column("location", pgettext_lazy("archive", "Location"), sort_field="room"),
        Column("archived_on", pgettext_lazy("archive", "Archived on"), sort_field="archived_on", kind="date"),
        Column("retention", pgettext_lazy("archive", "Retention period"), default=False),
        Column("archived_by__real_name", pgettext_lazy("archive", "Archived by"), default=False),
    ],
    filters=[
        Filter("state", pgettext_lazy("archive", "State"), "state", FileState.choices),
        Filter("year", gettext_lazy("Year archived"), "archived_on__year", _years),
        Filter("box", pgettext_lazy("archive", "Box"), "box", _boxes),
        Filter("room", pgettext_lazy("archive", "Room"), "room", _rooms),
        Filter("bank", pgettext_lazy("archive", "Lending bank"), "project__bank_id", _banks),
        Filter("product", pgettext_lazy("archive", "Product"), "project__product_version__product_id", _products),
    ],
    search_fields=["number", "project__number", "project__customer__name", "box"],
    search_placeholder=gettext_lazy("Archive number, project number, customer or box"),
    default_sort="-id",
    select_related=selectors.FILE_RELATED,
    export_name=gettext_lazy("Archive register"),
    export_permission=VIEW,
)


@require_permission(VIEW)
def register(request: HttpRequest) -> HttpResponse:
    return render_list(request, REGISTER, selectors.file_list_for(request.user), "archive/register.html", {})


@require_permission(MANAGE)
def ready(request: HttpRequest) -> HttpResponse:
    projects = selectors.ready_candidates(request.user, limit=100)
    return render(request, "archive/ready.html", {"projects": projects})


@require_permission(VIEW)
def boxes(request: HttpRequest) -> HttpResponse:
    return render(request, "archive/boxes.html", {"boxes": selectors.boxes(request.user)})


# --- the project's file ---------------------------------------------------------------------------


@require_permission(VIEW)
def project_file(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    file = selectors.file_of(project)
    if file is not None:
        services.file_refresh(file=file)
        file.refresh_from_db()
    items = selectors.items_of(file) if file is not None else []
    may_manage = request.user.can(MANAGE)  # type: ignore[union-attr]
    lines = readiness.readiness_for(project)
    archive_form = forms.ArchiveForm(
        initial={"version": file.version, "box": file.box, "room": file.room, "cabinet": file.cabinet, "shelf": file.shelf}
        if file is not None
        else {}
    )
    context = {
        "project": project,
        "file": file,
        "groups": selectors.grouped([i for i in items if i.current]),
        "stale_items": [i for i in items if not i.current],
        "missing": selectors.missing_of(items),
        "readiness": lines,
        "ready": all(line.ok for line in lines),
        "late": selectors.late_documents(file) if file is not None else [],
        "may_manage": may_manage,
        "editable": may_manage and file is not None and file.state == FileState.OPEN,
        "may_borrow": request.user.can(REQUEST) and file is not None and file.state != FileState.OPEN,  # type: ignore[union-attr]
        "archive_form": archive_form,
        "reason_form": forms.ReasonForm(),
        "received_choices": forms.ItemForm.base_fields["received"].choices,
        "borrowings": list(file.borrowings.select_related("requester").order_by("-id")) if file is not None else [],
        "transitions": list(file.transitions.select_related("actor")) if file is not None else [],
    }
    return render(request, "archive/project_file.html", context)


def _file_for_post(request: HttpRequest, pk: int) -> Any:
    project = selectors.project_for(request.user, pk, request)
    file = selectors.file_of(project)
    if file is None:
        raise PermissionDenied
    return file


@require_POST
@require_permission(MANAGE)
def file_open(request: HttpRequest, pk: int) -> HttpResponse:
    project = selectors.project_for(request.user, pk, request)
    try:
        services.file_open(actor=request.user, project=project)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Archive file opened; tick the paper documents as they arrive."))
    return redirect("archive:project", pk=project.pk)


@require_POST
@require_permission(MANAGE)
def item_record(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    file = _file_for_post(request, pk)
    form = forms.ItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(e for errs in form.errors.values() for e in errs))
        return redirect("archive:project", pk=pk)
    data = form.cleaned_data
    try:
        services.item_record(
            actor=request.user, file=file, item_pk=item_pk, received=data["received"] or "", pages=data["pages"], note=data["note"]
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect(f"{reverse('archive:project', args=[pk])}#item-{item_pk}")


@require_POST
@require_permission(MANAGE)
def item_waive(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    file = _file_for_post(request, pk)
    try:
        if request.POST.get("undo"):
            services.item_unwaive(actor=request.user, file=file, item_pk=item_pk)
        else:
            services.item_waive(actor=request.user, file=file, item_pk=item_pk, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Recorded."))
    return redirect(f"{reverse('archive:project', args=[pk])}#item-{item_pk}")


@require_POST
@require_permission(MANAGE)
def file_archive(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file_for_post(request, pk)
    form = forms.ArchiveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the box, the room and the cabinet."))
        return redirect("archive:project", pk=pk)
    data = form.cleaned_data
    try:
        file = services.file_archive(
            actor=request.user,
            file=file,
            box=data["box"],
            room=data["room"],
            cabinet=data["cabinet"],
            shelf=data["shelf"],
            expected_version=data["version"],
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("File archived under number %(number)s.") % {"number": file.number})
    return redirect("archive:project", pk=pk)


@require_POST
@require_permission(MANAGE)
def file_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    file = _file_for_post(request, pk)
    try:
        services.file_reopen(actor=request.user, file=file, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("File re-opened; archive it again when the late document is in."))
    return redirect("archive:project", pk=pk)


# --- borrowing ------------------------------------------------------------------------------------


@require_permission(VIEW, REQUEST, APPROVE, MANAGE)
def borrowings(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    default = "approve" if user.can(APPROVE) else ("lent" if user.can(MANAGE) else "mine")
    tab = request.GET.get("tab", default)
    if tab not in selectors.TABS:
        tab = default
    today = timezone.localdate()
    rows = list(selectors.borrowings_tab(user, tab, today).order_by("-id")[:200])
    context = {"tab": tab, "rows": rows, "counts": selectors.tab_counts(user, today), "today": today}
    return render(request, "archive/borrowings.html", context)


@require_permission(REQUEST)
def borrow_request(request: HttpRequest, pk: int) -> HttpResponse:
    file = selectors.file_get_for(request.user, pk, request)
    form = forms.BorrowRequestForm(initial={"expected_return": timezone.localdate() + dt.timedelta(days=7)})
    if request.method == "POST":
        form = forms.BorrowRequestForm(request.POST)
        if form.is_valid():
            try:
                borrowing = services.borrow_request(actor=request.user, file=file, **form.cleaned_data)
            except DomainError as exc:
                _field_error(form, exc)
            else:
                messages.success(request, _("Borrowing request %(number)s sent for approval.") % {"number": borrowing.number})
                return redirect("archive:borrowing-detail", pk=borrowing.pk)
    return render(request, "archive/borrow_form.html", {"file": file, "project": file.project, "form": form})


@require_permission(VIEW, REQUEST, APPROVE, MANAGE)
def borrowing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    borrowing = selectors.borrowing_get_for(request.user, pk, request)
    user: Any = request.user
    today = timezone.localdate()
    context = {
        "b": borrowing,
        "file": borrowing.file,
        "project": borrowing.file.project,
        "may_approve": selectors.may_approve(user, borrowing),
        "may_cancel": borrowing.requester_id == user.pk and borrowing.state in (BorrowState.REQUESTED, BorrowState.APPROVED),
        "may_lend": user.can(MANAGE) and borrowing.state == BorrowState.APPROVED,
        "may_return": user.can(MANAGE) and borrowing.state == BorrowState.LENT,
        "overdue": borrowing.state == BorrowState.LENT and borrowing.expected_return < today,
        "comment_form": forms.CommentForm(),
        "reason_form": forms.ReasonForm(),
        "return_form": forms.ReturnForm(),
        "transitions": list(borrowing.transitions.select_related("actor")),
    }
    return render(request, "archive/borrowing_detail.html", context)


ACTIONS = {
    "approve": (APPROVE, gettext_lazy("Borrowing approved.")),
    "reject": (APPROVE, gettext_lazy("Borrowing rejected.")),
    "cancel": (REQUEST, gettext_lazy("Request cancelled.")),
    "lend": (MANAGE, gettext_lazy("Hand-over recorded; the documents are lent out.")),
    "return": (MANAGE, gettext_lazy("Return recorded.")),
}


@require_POST
@require_permission(REQUEST, APPROVE, MANAGE)
def borrowing_act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise PermissionDenied
    permission, done = ACTIONS[action]
    user: Any = request.user
    if not user.can(permission):
        raise PermissionDenied
    borrowing = selectors.borrowing_get_for(user, pk, request)
    try:
        if action == "approve":
            services.borrow_approve(actor=user, borrowing=borrowing, comment=request.POST.get("comment", ""))
        elif action == "reject":
            services.borrow_reject(actor=user, borrowing=borrowing, reason=request.POST.get("reason", ""))
        elif action == "cancel":
            services.borrow_cancel(actor=user, borrowing=borrowing)
        elif action == "lend":
            services.borrow_lend(actor=user, borrowing=borrowing)
        else:
            services.borrow_return(actor=user, borrowing=borrowing, condition=request.POST.get("condition", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, str(done))
    return redirect("archive:borrowing-detail", pk=borrowing.pk)
