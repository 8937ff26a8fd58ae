"""Release pages: guarantees ready for release, the registration form, the release detail with its
tasks and the release notice PDF, my release tasks."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from danbao.core.access import require_permission
from danbao.core.errors import DomainError
from danbao.release import forms, selectors, services
from danbao.release.models import TaskKind

VIEW, REGISTER = selectors.VIEW, selectors.REGISTER


def _field_error(form: Any, exc: DomainError) -> None:
    field = exc.data.get("field")
    form.add_error(field if field in form.fields else None, exc.message)


@require_permission(VIEW)
def ready_list(request: HttpRequest) -> HttpResponse:
    guarantees = list(selectors.ready_for_release(request.user)[:200])
    soon = timezone.localdate()
    rows = [{"guarantee": g, "repaid": g.loan_balance == 0, "may_register": selectors.may_register(request.user, g)} for g in guarantees]
    return render(request, "release/ready_list.html", {"rows": rows, "today": soon})


@require_permission(VIEW)
def release_list(request: HttpRequest) -> HttpResponse:
    releases = selectors.release_list_for(request.user)[:200]
    return render(request, "release/release_list.html", {"releases": releases})


@require_permission(VIEW)
def task_list(request: HttpRequest) -> HttpResponse:
    tasks = selectors.tasks_for(request.user)[:200]
    return render(request, "release/task_list.html", {"tasks": tasks})


@require_permission(REGISTER)
def register(request: HttpRequest, pk: int) -> HttpResponse:
    guarantee = selectors.guarantee_get_for(request.user, pk, request)
    if not selectors.may_register(request.user, guarantee):
        raise PermissionDenied
    existing = getattr(guarantee, "release", None) if hasattr(guarantee, "release") else None
    if existing is not None:
        messages.info(request, _("The release of this guarantee was already registered (%(number)s).") % {"number": existing.number})
        return redirect("release:detail", pk=existing.pk)
    form = forms.RegisterForm(request.POST or None, request.FILES or None, initial={"notice_date": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            release = services.release_register(
                actor=request.user,
                guarantee=guarantee,
                notice_date=data["notice_date"],
                reference=data["reference"],
                scan=data["scan"],
                note=data["note"],
                confirms_full_repayment=data["confirms_full_repayment"],
            )
        except DomainError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, _("Release %(number)s registered.") % {"number": release.number})
            return redirect("release:detail", pk=release.pk)
    return render(request, "release/register.html", {"guarantee": guarantee, "form": form})


@require_permission(VIEW)
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    release = selectors.release_get_for(request.user, pk, request)
    tasks = [
        {"task": t, "may_complete": selectors.may_complete(request.user, t)}
        for t in release.tasks.select_related("measure", "collateral", "completed_by")
    ]
    return render(
        request,
        "release/detail.html",
        {
            "release": release,
            "tasks": tasks,
            "transitions": release.transitions.select_related("actor"),
            "form": forms.TaskForm(initial={"done_on": timezone.localdate()}),
        },
    )


@require_permission(VIEW)
def notice(request: HttpRequest, pk: int) -> HttpResponse:
    from danbao.release.pdf import notice_pdf

    release = selectors.release_get_for(request.user, pk, request)
    response = HttpResponse(notice_pdf(release), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{release.number}.pdf"'
    return response


@require_permission(VIEW)
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    task = selectors.task_get_for(request.user, pk, request)
    if not selectors.may_complete(request.user, task):
        raise PermissionDenied
    form = forms.TaskForm(request.POST or None, initial={"done_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.task_complete(actor=request.user, task=task, **form.cleaned_data)
        except DomainError as exc:
            _field_error(form, exc)
        else:
            messages.success(request, _("Release task done."))
            return redirect("release:detail", pk=task.release_id)
    return render(request, "release/task_form.html", {"task": task, "form": form, "kinds": TaskKind})
