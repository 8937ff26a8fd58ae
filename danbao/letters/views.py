"""Letters pages: the approved projects' work list, a project's pre-issue checklist with its
conditions, issuing guarantee and intent letters, a letter's detail and PDF, the register, and the
public verification page (no login, rate-limited, no personal data)."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from django.contrib import messages
from django.core.cache import cache
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import pgettext, pgettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from danbao.core.access import require_permission
from danbao.core.checklist import all_ok
from danbao.core.errors import DomainError
from danbao.core.listing import Column, DateRange, Filter, ListSpec, render_list
from danbao.letters import parameters, selectors, services
from danbao.letters.models import ConditionItem, GuaranteeLetter, LetterKind, LetterState
from danbao.letters.pdf import verify_url
from danbao.projects.selectors import project_get_for

VIEW, ISSUE, VOID, EXPORT = selectors.VIEW, selectors.ISSUE, selectors.VOID, selectors.EXPORT
MARK, CONFIRM = selectors.MARK, selectors.CONFIRM


def _checklist_url(project: Any) -> str:
    return reverse("letters:checklist", args=[project.pk])


def _letter_url(letter: GuaranteeLetter) -> str:
    return reverse("letters:letter-detail", args=[letter.pk])


def _letter_state(project: Any) -> str:
    return str(pgettext("letters", "Guarantee letter valid")) if project.has_letter else str(pgettext("letters", "Not issued"))


PROJECT_LIST = ListSpec(
    name="letters_projects",
    columns=[
        Column("number", pgettext_lazy("letters", "Project number"), sort_field="number", link=_checklist_url),
        Column("customer__name", pgettext_lazy("letters", "Customer"), sort_field="customer__name"),
        Column("approved_amount", pgettext_lazy("letters", "Approved amount (yuan)"), sort_field="approved_amount", kind="amount"),
        Column("bank__name", pgettext_lazy("letters", "Lending bank"), sort_field="bank__name"),
        Column("has_letter", pgettext_lazy("letters", "Guarantee letter"), sort_field="has_letter", display=_letter_state),
        Column("manager_a__real_name", pgettext_lazy("letters", "A-role manager"), sort_field="manager_a__real_name"),
        Column("approved_at", pgettext_lazy("letters", "Approved at"), sort_field="approved_at", kind="datetime"),
    ],
    filters=[
        Filter(
            "letter",
            pgettext_lazy("letters", "Guarantee letter"),
            "has_letter",
            [("True", pgettext_lazy("letters", "Issued")), ("False", pgettext_lazy("letters", "Not issued"))],
        )
    ],
    search_fields=["number", "customer__name"],
    search_placeholder=pgettext_lazy("letters", "Project number or customer"),
    default_sort="-approved_at",
)


def _bank_choices(user: Any) -> list[tuple[str, str]]:
    from danbao.partners.models import Bank

    ids = selectors.letter_list_for(user).values("bank_id")
    return [(str(b.pk), b.name) for b in Bank.objects.filter(pk__in=ids).order_by("code")]


REGISTER = ListSpec(
    name="letters_register",
    columns=[
        Column("number", pgettext_lazy("letters", "Letter number"), sort_field="number", link=_letter_url),
        Column("kind", pgettext_lazy("letters", "Kind"), sort_field="kind", display=lambda letter: letter.get_kind_display()),
        Column("state", pgettext_lazy("letters", "State"), sort_field="state", display=lambda letter: letter.get_state_display()),
        Column("project__number", pgettext_lazy("letters", "Project number"), sort_field="project__number"),
        Column("project__customer__name", pgettext_lazy("letters", "Customer"), sort_field="project__customer__name"),
        Column("beneficiary", pgettext_lazy("letters", "Beneficiary"), sort_field="beneficiary"),
        Column("amount", pgettext_lazy("letters", "Amount (yuan)"), sort_field="amount", kind="amount"),
        Column("issue_date", pgettext_lazy("letters", "Issue date"), sort_field="issue_date", kind="date"),
        Column("valid_until", pgettext_lazy("letters", "Valid until"), sort_field="valid_until", kind="date"),
        Column("issued_by__real_name", pgettext_lazy("letters", "Issued by"), sort_field="issued_by__real_name", default=False),
        Column("project__department__name", pgettext_lazy("letters", "Department"), sort_field="project__department__name", default=False),
    ],
    filters=[
        Filter("kind", pgettext_lazy("letters", "Kind"), "kind", LetterKind.choices),
        Filter("state", pgettext_lazy("letters", "State"), "state", LetterState.choices),
        Filter("bank", pgettext_lazy("letters", "Beneficiary bank"), "bank_id", _bank_choices),
    ],
    date_ranges=[DateRange("issued", pgettext_lazy("letters", "Issue date"), "issue_date", is_datetime=False)],
    search_fields=["number", "project__number", "project__customer__name", "beneficiary"],
    search_placeholder=pgettext_lazy("letters", "Letter number, project or customer"),
    default_sort="-issue_date",
    export_name=pgettext_lazy("letters", "Guarantee letters register"),
    export_permission=EXPORT,
)


@require_permission(VIEW)
def project_list(request: HttpRequest) -> HttpResponse:
    valid = GuaranteeLetter.objects.filter(project=OuterRef("pk"), kind=LetterKind.GUARANTEE, state=LetterState.VALID)
    queryset = selectors.approved_projects_for(request.user).annotate(has_letter=Exists(valid))
    return render_list(request, PROJECT_LIST, queryset, "letters/project_list.html")


@require_permission(VIEW)
def register(request: HttpRequest) -> HttpResponse:
    return render_list(request, REGISTER, selectors.letter_list_for(request.user), "letters/register.html")


# --- the checklist --------------------------------------------------------------------------------


def _back(request: HttpRequest, project: Any, text: str = "", error: DomainError | None = None) -> HttpResponse:
    if error is not None:
        messages.error(request, error.message)
    elif text:
        messages.success(request, text)
    return redirect("letters:checklist", pk=project.pk)


@require_permission(VIEW)
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for(request.user, pk, request)
    if project.state == "approved":
        services.conditions_sync(actor=request.user, project=project)
    items = selectors.checklist(project)
    conditions = selectors.conditions_of(project)
    evidence = selectors.evidence_of(conditions)
    for condition in conditions:
        condition.files = evidence.get(condition.pk, [])  # type: ignore[attr-defined]
    user = request.user
    is_manager = selectors.is_manager(user, project)
    context = {
        "project": project,
        "terms": selectors.effective_terms(project),
        "items": items,
        "ready": all_ok(items),
        "conditions": conditions,
        "letters": selectors.letters_of(project),
        "valid_letter": selectors.issued_letter_for(project),
        "intent_letter": selectors.valid_intent_letter_for(project),
        "evaluation": selectors.latest_pre_issue_evaluation(project),
        "can_mark": user.can(MARK) and is_manager and project.state == "approved",
        "can_confirm": user.can(CONFIRM) and not is_manager and project.state == "approved",
        "can_issue": user.can(ISSUE) and not is_manager and project.state == "approved",
        "can_recheck": (user.can(MARK) or user.can(CONFIRM) or user.can(ISSUE)) and project.state == "approved",
    }
    return render(request, "letters/checklist.html", context)


@require_POST
@require_permission(MARK, CONFIRM, ISSUE)
def recheck(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for(request.user, pk, request)
    try:
        items = services.checklist_recheck(actor=request.user, project=project)
    except DomainError as exc:
        return _back(request, project, error=exc)
    if all_ok(items):
        return _back(request, project, pgettext("letters", "Re-checked: every line is green."))
    return _back(
        request, project, pgettext("letters", "Re-checked: %(count)s line(s) still missing.") % {"count": len(selectors.missing(items))}
    )


def _item(request: HttpRequest, pk: int, item_pk: int) -> tuple[Any, ConditionItem]:
    project = project_get_for(request.user, pk, request)
    item = project.condition_items.filter(pk=item_pk).first()
    if item is None:
        raise Http404
    return project, item


@require_POST
@require_permission(MARK)
def condition_mark(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    project, item = _item(request, pk, item_pk)
    version = request.POST.get("version") or None
    note = request.POST.get("note", "")
    try:
        if request.POST.get("action") == "not_applicable":
            services.condition_mark_not_applicable(actor=request.user, item=item, reason=note, expected_version=version)
        else:
            evidence = request.FILES.get("evidence")
            services.condition_mark_met(actor=request.user, item=item, note=note, evidence=evidence, expected_version=version)
    except DomainError as exc:
        return _back(request, project, error=exc)
    return _back(request, project, pgettext("letters", "Marked; a risk manager must now confirm it."))


@require_POST
@require_permission(CONFIRM)
def condition_confirm(request: HttpRequest, pk: int, item_pk: int) -> HttpResponse:
    project, item = _item(request, pk, item_pk)
    version = request.POST.get("version") or None
    try:
        if request.POST.get("action") == "return":
            services.condition_return(actor=request.user, item=item, reason=request.POST.get("note", ""), expected_version=version)
            text = pgettext("letters", "The condition was sent back to the business manager.")
        else:
            services.condition_confirm(actor=request.user, item=item, note=request.POST.get("note", ""), expected_version=version)
            text = pgettext("letters", "Condition confirmed.")
    except DomainError as exc:
        return _back(request, project, error=exc)
    return _back(request, project, text)


@require_POST
@require_permission(ISSUE)
def letter_issue(request: HttpRequest, pk: int) -> HttpResponse:
    project = project_get_for(request.user, pk, request)
    try:
        if request.POST.get("kind") == LetterKind.INTENT:
            letter = services.intent_letter_issue(actor=request.user, project=project)
        else:
            letter = services.letter_issue(actor=request.user, project=project)
    except DomainError as exc:
        return _back(request, project, error=exc)
    messages.success(request, pgettext("letters", "Letter %(number)s is valid.") % {"number": letter.number})
    return redirect("letters:letter-detail", pk=letter.pk)


# --- a letter -------------------------------------------------------------------------------------


@require_permission(VIEW)
def letter_detail(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_get_for(request.user, pk, request)
    context = {
        "letter": letter,
        "project": letter.project,
        "s": letter.snapshot,
        "transitions": selectors.transitions_of(letter),
        "can_void": request.user.can(VOID) and letter.is_valid,
        "verify_url": verify_url(letter, request),
    }
    return render(request, "letters/letter_detail.html", context)


@require_permission(VIEW)
def letter_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_get_for(request.user, pk, request)
    data = services.letter_print(actor=request.user, letter=letter, verify_url=verify_url(letter, request))
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(f'{letter.number}.pdf')}"
    return response


@require_POST
@require_permission(VOID)
def letter_void(request: HttpRequest, pk: int) -> HttpResponse:
    letter = selectors.letter_get_for(request.user, pk, request)
    try:
        services.letter_void(
            actor=request.user, letter=letter, reason=request.POST.get("reason", ""), expected_version=request.POST.get("version") or None
        )
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, pgettext("letters", "Letter %(number)s is void.") % {"number": letter.number})
    return redirect("letters:letter-detail", pk=letter.pk)


# --- the public verification page -----------------------------------------------------------------

RATE_KEY = "letters:verify:{ip}"


def public_token_only(view: Any) -> Any:
    """The verification page needs no login: the unguessable token in the address is the gate, and it
    shows nothing personal. Declared as requiring no permission code so the permission matrix sees a
    deliberate gate."""
    view.required_permissions = ()
    view.gate = "public_token"
    return view


def _over_limit(request: HttpRequest) -> bool:
    """Count this request for the client IP in the window; True once the limit is passed."""
    from danbao.org.lockout import client_ip

    limit = parameters.param_int(parameters.VERIFY_LIMIT)
    window = parameters.param_int(parameters.VERIFY_WINDOW_MINUTES) * 60
    key = RATE_KEY.format(ip=client_ip(request) or "-")
    if cache.add(key, 1, timeout=window):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=window)
            count = 1
    return count > limit


def _public(response: HttpResponse) -> HttpResponse:
    response["Cache-Control"] = "no-store, max-age=0"
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


@public_token_only
@never_cache
def verify(request: HttpRequest, token: str) -> HttpResponse:
    if _over_limit(request):
        context = {
            "title": pgettext("letters", "Too many checks"),
            "text": pgettext("letters", "Too many checks from your network. Please try again in a few minutes."),
        }
        return _public(render(request, "letters/verify_refused.html", context, status=429))
    letter = selectors.letter_by_token(token)
    if letter is None:
        context = {
            "title": pgettext("letters", "Letter not found"),
            "text": pgettext("letters", "No letter matches this address. Check that it was copied completely."),
        }
        return _public(render(request, "letters/verify_refused.html", context, status=404))
    context = {
        "number": letter.number,
        "beneficiary": letter.beneficiary,
        "amount": letter.amount,
        "state": letter.state,
        "state_text": LetterState(letter.state).label,
        "checked_at": timezone.localtime(),
    }
    return _public(render(request, "letters/verify.html", context))
