"""The document checklist of a project's archive file, composed from what the database holds.

Every line says which paper document a complete file has, whether the system holds its record or
electronic copy (`in_system`, `detail`) and whether the paper is required. Sources, in lifecycle order:

  申请受理   application form (always), other application materials and attachments of the project
  尽职调查   due-diligence report, site visits, scorecard assessment
  评审审批   risk review opinion, committee minutes and votes, approval letter (批复书)
  合同与反担保 each non-void contract (signed scan), each counter-guarantee measure with its 他项权证
  收费与放款 fee receipts, guarantee letters, loan notices (each tranche)
  保后管理   accepted inspection reports
  解保       lines added by other apps through `register_documents` (the release notice, …)

The required set depends on how far the project went: a project declined at intake needs only its
application; a rejected one also its diligence report and risk opinion; an approved one everything it
has. Anything the system holds is required on paper, except photos and "other" attachments.

Models of other apps are looked up by label (`apps.get_model`): a source whose app is not installed
contributes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from danbao.core.registry import Registry


@dataclass(frozen=True)
class DocLine:
    key: str
    section: str
    label: str
    required: bool
    in_system: bool
    detail: str = ""
    url: str = ""


DocumentSource = Callable[[Any], list[DocLine]]
documents: Registry[DocumentSource] = Registry("archive document sources")


def register_documents(key: str, source: DocumentSource, *, replace: bool = False) -> None:
    """Other apps (release: 解保通知书) add lines to every project's checklist."""
    documents.register(key, source, replace=replace)


SECTIONS = ("application", "diligence", "review", "contracts", "lending", "aftercare", "release")


def section_label(code: str) -> str:
    return {
        "application": pgettext("archive section", "Application"),
        "diligence": pgettext("archive section", "Due diligence"),
        "review": pgettext("archive section", "Review and approval"),
        "contracts": pgettext("archive section", "Contracts and counter-guarantees"),
        "lending": pgettext("archive section", "Fees and lending"),
        "aftercare": pgettext("archive section", "Post-guarantee"),
        "release": pgettext("archive section", "Release"),
    }.get(code, code)


REACHED_REVIEW = ("risk_review", "approving", "returned", "approved", "rejected")


def _model(label: str) -> Any:
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _url(name: str, *args: Any) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def attachment_counts(model: Any, ids: list[Any]) -> dict[str, dict[str, int]]:
    """{owner id: {kind: count}} of the live (not voided) attachments of these records."""
    from danbao.core.attachments.models import Attachment

    found: dict[str, dict[str, int]] = {}
    if model is None or not ids:
        return found
    rows = Attachment.objects.filter(
        owner_type=ContentType.objects.get_for_model(model), owner_id__in=[str(i) for i in ids], voided_at__isnull=True
    ).values_list("owner_id", "kind")
    for owner_id, kind in rows:
        kinds = found.setdefault(owner_id, {})
        kinds[kind] = kinds.get(kind, 0) + 1
    return found


def _pages(count: int) -> str:
    return _("%(count)s file(s) in the system") % {"count": count}


def _application(project: Any) -> list[DocLine]:
    Project = type(project)
    kinds = attachment_counts(Project, [project.pk]).get(str(project.pk), {})
    project_url = _url("projects:project-detail", project.pk)
    lines = [
        DocLine(
            "application.form",
            "application",
            _("Guarantee application form"),
            True,
            bool(kinds.get("application")),
            _pages(kinds.get("application", 0)) if kinds.get("application") else _("Intake record %(number)s") % {"number": project.number},
            project_url,
        )
    ]
    optional = {
        "materials": (_("Application materials"), True),
        "diligence": (_("Due-diligence documents (project)"), True),
        "review": (_("Risk review documents (project)"), True),
        "approval": (_("Approval documents (project)"), True),
        "site_photo": (_("Site photos (project)"), False),
        "other": (_("Other documents (project)"), False),
    }
    for kind, (label, required) in optional.items():
        if kinds.get(kind):
            lines.append(DocLine(f"project.{kind}", "application", label, required, True, _pages(kinds[kind]), project_url))
    return lines


def _diligence(project: Any) -> list[DocLine]:
    Report, Visit, Material = _model("diligence.DiligenceReport"), _model("diligence.SiteVisit"), _model("diligence.DiligenceMaterial")
    lines: list[DocLine] = []
    must = project.state in REACHED_REVIEW
    url = _url("diligence:project-detail", project.pk)
    if Report is not None:
        reports = list(Report.objects.filter(project=project).exclude(state="superseded").exclude(state="draft"))
        if reports or must:
            detail = ", ".join(f"v{r.number} {r.get_state_display()}" for r in reports)
            lines.append(DocLine("diligence.report", "diligence", _("Due-diligence report"), True, bool(reports), detail, url))
    if Visit is not None:
        count = Visit.objects.filter(project=project).count()
        if count:
            lines.append(
                DocLine(
                    "diligence.visits", "diligence", _("Site visit records"), True, True, _("%(count)s visit(s)") % {"count": count}, url
                )
            )
    if Material is not None:
        ids = list(Material.objects.filter(project=project).values_list("pk", flat=True))
        files = sum(sum(k.values()) for k in attachment_counts(Material, ids).values())
        if files:
            lines.append(
                DocLine("diligence.materials", "diligence", _("Due-diligence checklist materials"), True, True, _pages(files), url)
            )
    Assessment = _model("scoring.Assessment")
    if Assessment is not None:
        scored = list(
            Assessment.objects.filter(subject_type=ContentType.objects.get_for_model(type(project)), subject_id=str(project.pk))
            .order_by("-id")
            .values_list("total_score", "grade")[:1]
        )
        if scored:
            score, grade = scored[0]
            lines.append(DocLine("scoring.assessment", "diligence", _("Scorecard assessment"), True, True, f"{score} {grade}".strip(), ""))
    return lines


def _review(project: Any) -> list[DocLine]:
    lines: list[DocLine] = []
    url = _url("projects:project-detail", project.pk)
    opinions = project.risk_opinions.count() if hasattr(project, "risk_opinions") else 0
    if opinions or project.state in REACHED_REVIEW:
        lines.append(
            DocLine(
                "review.risk_opinion",
                "review",
                _("Risk review opinion"),
                True,
                bool(opinions),
                _("%(count)s opinion(s)") % {"count": opinions} if opinions else "",
                url,
            )
        )
    AgendaItem, Vote = _model("review.AgendaItem"), _model("review.Vote")
    if AgendaItem is not None:
        items = list(
            AgendaItem.objects.filter(
                flow_instance__content_type=ContentType.objects.get_for_model(type(project)), flow_instance__object_id=project.pk
            ).select_related("meeting")
        )
        if items:
            votes = Vote.objects.filter(item__in=items).count() if Vote is not None else 0
            meetings = ", ".join(sorted({i.meeting.number for i in items}))
            lines.append(
                DocLine(
                    "review.committee",
                    "review",
                    _("Committee minutes and votes"),
                    True,
                    True,
                    _("Meeting %(meetings)s, %(votes)s vote(s)") % {"meetings": meetings, "votes": votes},
                    "",
                )
            )
    if project.approval_number or project.state == "approved":
        lines.append(
            DocLine(
                "review.approval_letter",
                "review",
                _("Approval letter (批复书)"),
                True,
                bool(project.approval_number),
                project.approval_number,
                url,
            )
        )
    return lines


def _contracts(project: Any) -> list[DocLine]:
    lines: list[DocLine] = []
    Contract = _model("contracts.Contract")
    if Contract is not None:
        contracts = list(Contract.objects.filter(project=project).exclude(state="void").order_by("id"))
        scans = attachment_counts(Contract, [c.pk for c in contracts])
        url = _url("contracts:project", project.pk)
        for contract in contracts:
            count = sum(scans.get(str(contract.pk), {}).values())
            detail = f"{contract.get_state_display()} · " + (_pages(count) if count else _("no signed scan"))
            lines.append(
                DocLine(
                    f"contract:{contract.number}",
                    "contracts",
                    _("Contract %(number)s %(title)s (signed original)") % {"number": contract.number, "title": contract.title},
                    True,
                    bool(count),
                    detail,
                    url,
                )
            )
    Measure, Registration = _model("securities.Measure"), _model("securities.Registration")
    if Measure is not None:
        measures = list(Measure.objects.filter(project=project).exclude(state="cancelled").order_by("id"))
        evidence = attachment_counts(Measure, [m.pk for m in measures])
        url = _url("securities:project-measures", project.pk)
        for measure in measures:
            certificates: list[str] = []
            if Registration is not None:
                certificates = list(
                    Registration.objects.filter(collateral__allocations__measure=measure)
                    .values_list("certificate_no", flat=True)
                    .distinct()
                )
            count = sum(evidence.get(str(measure.pk), {}).values())
            parts = [measure.get_state_display()]
            if certificates:
                parts.append(_("他项权证 %(numbers)s") % {"numbers": ", ".join(certificates)})
            if count:
                parts.append(_pages(count))
            lines.append(
                DocLine(
                    f"measure:{measure.pk}",
                    "contracts",
                    _("Counter-guarantee evidence: %(kind)s, %(provider)s")
                    % {"kind": measure.get_kind_display(), "provider": measure.provider_name},
                    True,
                    bool(count or certificates or measure.state in ("fulfilled", "released")),
                    " · ".join(parts),
                    url,
                )
            )
    return lines


def _lending(project: Any) -> list[DocLine]:
    lines: list[DocLine] = []
    Receipt = _model("finance.Receipt")
    if Receipt is not None:
        count = Receipt.objects.filter(project=project).exclude(state="reversed").count()
        if count:
            lines.append(
                DocLine(
                    "finance.receipts", "lending", _("Fee receipts and notices"), True, True, _("%(count)s receipt(s)") % {"count": count}
                )
            )
    Letter = _model("letters.GuaranteeLetter")
    if Letter is not None:
        for letter in Letter.objects.filter(project=project).exclude(state="void").order_by("id"):
            lines.append(
                DocLine(
                    f"letter:{letter.number}",
                    "lending",
                    _("%(kind)s %(number)s (copy)") % {"kind": letter.get_kind_display(), "number": letter.number},
                    True,
                    True,
                    letter.get_state_display(),
                    _url("letters:checklist", project.pk),
                )
            )
    Loan = _model("ledger.Loan")
    if Loan is not None:
        for loan in Loan.objects.filter(guarantee__project=project).order_by("id"):
            number = loan.contract_number
            lines.append(
                DocLine(
                    f"loan:{loan.pk}",
                    "lending",
                    _("Loan notice and loan contract %(number)s") % {"number": number},
                    True,
                    True,
                    _("Tranche %(sequence)s") % {"sequence": loan.sequence},
                )
            )
    return lines


def _aftercare(project: Any) -> list[DocLine]:
    Report = _model("monitoring.InspectionReport")
    if Report is None:
        return []
    count = Report.objects.filter(guarantee__project=project, state="accepted").count()
    if not count:
        return []
    return [
        DocLine(
            "monitoring.reports",
            "aftercare",
            _("Post-guarantee inspection reports"),
            True,
            True,
            _("%(count)s accepted report(s)") % {"count": count},
        )
    ]


BUILT_IN: tuple[DocumentSource, ...] = (_application, _diligence, _review, _contracts, _lending, _aftercare)


def compose(project: Any) -> list[DocLine]:
    """Every document line of the project's complete file, in lifecycle order."""
    lines: list[DocLine] = []
    for source in BUILT_IN:
        lines.extend(source(project))
    for _key, source in sorted(documents.items(), key=lambda pair: pair[0]):
        lines.extend(source(project))
    seen: set[str] = set()
    unique = []
    for line in lines:
        if line.key not in seen:
            seen.add(line.key)
            unique.append(line)
    return unique
