"""Letter reads: the pre-issue checklist, a project's letters, the register. Anything hanging off a
project is visible only when its project is (projects.selectors scope); out of scope answers 404."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from django.http import Http404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import pgettext

from danbao.core.checklist import ChecklistItem
from danbao.letters.models import ConditionItem, ConditionState, GuaranteeLetter, LetterKind, LetterState, LetterTransition
from danbao.projects.models import Project, ProjectState, ProjectTerms
from danbao.projects.selectors import project_list_for

VIEW = "letters.letter.view"
ISSUE = "letters.letter.issue"
VOID = "letters.letter.void"
RELEASE = "letters.letter.release"
EXPORT = "letters.letter.export"
MARK = "letters.condition.mark"
CONFIRM = "letters.condition.confirm"

LETTER_RELATED = ("project", "project__customer", "project__department", "bank", "issued_by")


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


# --- conditions -----------------------------------------------------------------------------------


def effective_terms(project: Project) -> ProjectTerms | None:
    """The terms in force: the effective row with the highest sequence."""
    return project.terms.filter(effective_at__isnull=False).select_related("bank", "branch").order_by("-sequence", "-id").first()


def condition_lines(terms: ProjectTerms | None) -> list[str]:
    """The conditions of `terms`, one per non-empty line, stripped, duplicates dropped, in order."""
    if terms is None:
        return []
    seen: list[str] = []
    for raw in (terms.conditions or "").splitlines():
        line = " ".join(raw.split())[:500]
        if line and line not in seen:
            seen.append(line)
    return seen


def conditions_of(project: Project, *, include_superseded: bool = True) -> list[ConditionItem]:
    queryset = project.condition_items.select_related("marked_by", "confirmed_by")
    if not include_superseded:
        queryset = queryset.filter(superseded_at__isnull=True)
    return list(queryset.order_by("superseded_at", "sort_order", "id"))


def evidence_of(items: list[ConditionItem]) -> dict[int, list[Any]]:
    """Current evidence files per condition item id."""
    from danbao.core.attachments.models import Attachment

    if not items:
        return {}
    owner_type = ContentType.objects.get_for_model(ConditionItem)
    files: dict[int, list[Any]] = {}
    rows = Attachment.objects.filter(owner_type=owner_type, owner_id__in=[str(i.pk) for i in items], voided_at__isnull=True)
    for row in rows.select_related("uploaded_by").order_by("uploaded_at", "id"):
        files.setdefault(int(row.owner_id), []).append(row)
    return files


def conditions_to_confirm(user: Any) -> QuerySet[ConditionItem]:
    """Marked conditions of projects in the user's scope that the user may confirm (not own marks)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.can(CONFIRM):
        return ConditionItem.objects.none()
    return (
        ConditionItem.objects.filter(
            state__in=(ConditionState.MET_MARKED, ConditionState.NA_MARKED),
            superseded_at__isnull=True,
            project__in=project_list_for(user).filter(state=ProjectState.APPROVED),
        )
        .exclude(marked_by=user)
        .select_related("project", "project__customer")
        .order_by("marked_at", "id")
    )


# --- letters --------------------------------------------------------------------------------------


def issued_letter_for(project: Project) -> GuaranteeLetter | None:
    """The project's valid guarantee letter (担保函), or None. The ledger needs it before a loan."""
    return GuaranteeLetter.objects.filter(project=project, kind=LetterKind.GUARANTEE, state=LetterState.VALID).first()


def valid_intent_letter_for(project: Project) -> GuaranteeLetter | None:
    return GuaranteeLetter.objects.filter(project=project, kind=LetterKind.INTENT, state=LetterState.VALID).first()


def letters_of(project: Project) -> list[GuaranteeLetter]:
    """Every letter of the project, newest first (valid, released, void and superseded)."""
    return list(project.letters.select_related("bank", "issued_by").order_by("-issued_at", "-id"))


def letter_list_for(user: Any) -> QuerySet[GuaranteeLetter]:
    """Letters of the projects the user may see."""
    return GuaranteeLetter.objects.filter(project__in=project_list_for(user).values("pk")).select_related(*LETTER_RELATED)


def letter_get_for(user: Any, pk: Any, request: Any = None) -> GuaranteeLetter:
    """One letter whose project is in the user's scope, or 404 (logged like any scope refusal)."""
    from danbao.org.scope import get_in_scope

    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    letter = GuaranteeLetter.objects.filter(pk=pk).only("project_id").first()
    if letter is None:
        raise Http404
    get_in_scope(project_list_for(user), user, request, pk=letter.project_id)
    return GuaranteeLetter.objects.select_related(*LETTER_RELATED).get(pk=pk)


def letter_by_token(token: str) -> GuaranteeLetter | None:
    """The letter of a verification token, compared in constant time after the indexed lookup."""
    import hmac

    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    letter = GuaranteeLetter.objects.filter(token=token).select_related("bank").first()
    if letter is None or not hmac.compare_digest(letter.token.encode(), token.encode()):
        return None
    return letter


def transitions_of(letter: GuaranteeLetter) -> list[LetterTransition]:
    return list(letter.transitions.select_related("actor").order_by("at", "id"))


# --- the pre-issue checklist ----------------------------------------------------------------------


def latest_pre_issue_evaluation(project: Project) -> Any:
    """The newest stored pre-issue rule evaluation of the project, or None."""
    from danbao.rules.models import Evaluation, Stage

    content_type = ContentType.objects.get_for_model(Project)
    return (
        Evaluation.objects.filter(content_type=content_type, object_id=project.pk, stage=Stage.PRE_ISSUE)
        .order_by("-created_at", "-id")
        .first()
    )


def _project_line(project: Project, terms: ProjectTerms | None, valid: GuaranteeLetter | None) -> ChecklistItem:
    label = pgettext("letters", "Project approved with effective terms, no guarantee letter issued yet")
    url = _url("projects:project-detail", project.pk)
    if project.state != ProjectState.APPROVED:
        state = ProjectState(project.state).label if project.state in ProjectState.values else project.state
        return ChecklistItem(
            "letters.project", label, False, pgettext("letters", "The project is %(state)s, not approved.") % {"state": state}, url
        )
    if terms is None:
        return ChecklistItem("letters.project", label, False, pgettext("letters", "The project has no effective approved terms."), url)
    if valid is not None:
        detail = pgettext("letters", "Guarantee letter %(number)s is already valid.") % {"number": valid.number}
        return ChecklistItem("letters.project", label, False, detail, _url("letters:letter-detail", valid.pk))
    detail = pgettext("letters", "Approval %(number)s, terms version %(sequence)s.") % {
        "number": project.approval_number or "-",
        "sequence": terms.sequence,
    }
    return ChecklistItem("letters.project", label, True, detail, url)


def _condition_lines(project: Project, terms: ProjectTerms | None) -> list[ChecklistItem]:
    url = _url("letters:checklist", project.pk) + "#conditions"
    items = {item.text: item for item in project.condition_items.all()}
    lines = condition_lines(terms)
    if not lines:
        return [
            ChecklistItem(
                "letters.conditions",
                pgettext("letters", "Conditions precedent"),
                True,
                pgettext("letters", "The approval sets no conditions precedent."),
                url,
            )
        ]
    result: list[ChecklistItem] = []
    for index, text in enumerate(lines, start=1):
        item = items.get(text)
        label = pgettext("letters", "Condition %(index)s: %(text)s") % {"index": index, "text": text}
        key = f"letters.condition:{item.pk}" if item is not None else f"letters.condition:new{index}"
        if item is None or item.superseded_at is not None:
            result.append(
                ChecklistItem(key, label, False, pgettext("letters", "Not yet recorded as a condition item; open the checklist page."), url)
            )
        elif item.state == ConditionState.MET:
            who = item.confirmed_by.get_full_name() if item.confirmed_by else ""
            result.append(ChecklistItem(key, label, True, pgettext("letters", "Met, confirmed by %(name)s.") % {"name": who}, url))
        elif item.state == ConditionState.NOT_APPLICABLE:
            who = item.confirmed_by.get_full_name() if item.confirmed_by else ""
            result.append(
                ChecklistItem(key, label, True, pgettext("letters", "Not applicable, confirmed by %(name)s.") % {"name": who}, url)
            )
        elif item.state in (ConditionState.MET_MARKED, ConditionState.NA_MARKED):
            detail = pgettext("letters", "Marked by the business manager, awaiting the risk manager's confirmation.")
            result.append(ChecklistItem(key, label, False, detail, url))
        else:
            result.append(ChecklistItem(key, label, False, pgettext("letters", "Not yet marked as met by the business manager."), url))
    return result


def _readiness(app: str, project: Project, label: str) -> list[ChecklistItem]:
    """The readiness lines of a lower app; a missing or failing provider is a red line, never green."""
    import importlib

    try:
        module = importlib.import_module(f"danbao.{app}.selectors")
        readiness = module.readiness
    except (ImportError, AttributeError):
        return [ChecklistItem(f"letters.{app}", label, False, pgettext("letters", "This check is not available yet."), "")]
    return list(readiness(project))


def _rules_line(project: Project, terms: ProjectTerms | None, evaluation: Any) -> ChecklistItem:
    label = pgettext("letters", "Pre-issue rules re-run")
    url = _url("letters:checklist", project.pk) + "#rules"
    if evaluation is None:
        return ChecklistItem(
            "letters.rules", label, False, pgettext("letters", "The pre-issue rules have not been run; press Re-check."), url
        )
    today = timezone.localdate()
    if evaluation.on_date != today or (terms is not None and terms.effective_at and evaluation.created_at < terms.effective_at):
        return ChecklistItem("letters.rules", label, False, pgettext("letters", "The last run is out of date; press Re-check."), url)
    if evaluation.blocked:
        blocking = [
            r.get("reason_zh") or r.get("name") or r.get("code")
            for r in (evaluation.results or [])
            if r.get("outcome") == "error" or (r.get("outcome") == "hit" and r.get("severity") == "block")
        ]
        detail = pgettext("letters", "Blocking rule hits: %(hits)s") % {"hits": "；".join(str(b) for b in blocking)}
        return ChecklistItem("letters.rules", label, False, detail, url)
    detail = pgettext("letters", "Run at %(at)s, %(hits)s hit(s), none blocking.") % {
        "at": timezone.localtime(evaluation.created_at).strftime("%Y-%m-%d %H:%M"),
        "hits": evaluation.hit_count,
    }
    return ChecklistItem("letters.rules", label, True, detail, url)


def lower_readiness(project: Project) -> list[ChecklistItem]:
    """The lines the lower apps report: contracts signed, counter-guarantees in place, fees received."""
    return (
        _readiness("contracts", project, pgettext("letters", "Contracts signed"))
        + _readiness("securities", project, pgettext("letters", "Counter-guarantees in place"))
        + _readiness("finance", project, pgettext("letters", "Fees received"))
    )


def checklist(project: Project, *, evaluation: Any = None) -> list[ChecklistItem]:
    """Every line that must be green before the guarantee letter may be issued, in page order.

    `evaluation` is a fresh pre-issue rule evaluation (the issue service passes the one it just
    stored); without it the latest stored one is read."""
    terms = effective_terms(project)
    items = [_project_line(project, terms, issued_letter_for(project))]
    items += _condition_lines(project, terms)
    items += lower_readiness(project)
    items.append(_rules_line(project, terms, evaluation if evaluation is not None else latest_pre_issue_evaluation(project)))
    return items


def missing(items: list[ChecklistItem]) -> list[ChecklistItem]:
    return [item for item in items if not item.ok]


def describe_missing(items: list[ChecklistItem]) -> str:
    """The red lines as one sentence: '<label>: <detail>；…'."""
    return "；".join(f"{item.label}：{item.detail}" if item.detail else str(item.label) for item in missing(items))


# --- page helpers ---------------------------------------------------------------------------------


def is_manager(user: Any, project: Project) -> bool:
    return user is not None and user.pk in (project.manager_a_id, project.manager_b_id)


def approved_projects_for(user: Any) -> QuerySet[Project]:
    """Approved projects in scope (the letters work list)."""
    return project_list_for(user).filter(state=ProjectState.APPROVED)


def dossier_section(user: Any, project: Project) -> dict[str, Any]:
    if not user.can(VIEW):
        return {}
    return {
        "visible": True,
        "letters": letters_of(project),
        "conditions": conditions_of(project, include_superseded=False),
        "checklist_url": _url("letters:checklist", project.pk),
    }
