"""Report, sign-offs, reopen, materials and waivers, visits and photos: happy paths, each refusal,
who may do what, audit events, nothing changed on a refusal."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import Any

import pytest

from danbao.audit.tests.helpers import assert_no_event, assert_one_event
from danbao.core.errors import DomainError
from danbao.diligence import selectors, services
from danbao.diligence.models import CaptureSource, DiligenceMaterial, DiligenceReport, ReportState, SitePhoto, SiteVisit
from danbao.diligence.tests.support import SECTION_TEXT, complete, jpeg, pdf_file, written

pytestmark = pytest.mark.django_db


def _code(exc: Any) -> str:
    return exc.value.code


def test_start_copies_the_checklist_for_the_customer_kind(project: Any, owner: Any) -> None:
    report = services.report_start(actor=owner, project=project)
    assert (report.number, report.state, report.is_current) == (1, ReportState.DRAFT, True)
    assert report.proposed_amount == project.amount
    names = list(DiligenceMaterial.objects.filter(project=project).values_list("name", "required"))
    assert names == [("营业执照", True), ("近三年财务报表", True), ("纳税证明", False)]  # not the farmer's item
    assert_one_event("diligence.report_started", actor_id=owner.pk)
    with pytest.raises(DomainError) as exc:
        services.report_start(actor=owner, project=project)
    assert _code(exc) == "diligence.already_started"


def test_only_the_a_role_starts_and_writes(project: Any, owner: Any, b_manager: Any, colleague: Any, dept_head: Any) -> None:
    for user in (b_manager, colleague, dept_head):
        with pytest.raises(DomainError) as exc:
            services.report_start(actor=user, project=project)
        assert _code(exc) == "diligence.not_a_role"
    report = services.report_start(actor=owner, project=project)
    for user in (b_manager, colleague, dept_head):
        with pytest.raises(DomainError):
            services.report_save(actor=user, report=report, company_basics="改写")
    report.refresh_from_db()
    assert report.company_basics == ""
    assert_no_event("diligence.report_saved")


def test_save_validates_and_is_idempotent(project: Any, owner: Any) -> None:
    report = services.report_start(actor=owner, project=project)
    for field, value, code in (
        ("proposed_amount", "-1", "diligence.amount_invalid"),
        ("proposed_amount", "abc", "diligence.amount_invalid"),
        ("proposed_term_months", "0", "diligence.term_invalid"),
        ("proposed_fee_rate", D("1.2"), "diligence.fee_rate_invalid"),
    ):
        with pytest.raises(DomainError) as exc:
            services.report_save(actor=owner, report=report, **{field: value})
        assert _code(exc) == code
    saved = services.report_save(actor=owner, report=report, company_basics="  基本情况  ")
    assert saved.company_basics == "基本情况"
    version = saved.version
    again = services.report_save(actor=owner, report=saved, company_basics="基本情况")
    assert again.version == version  # nothing changed, nothing written
    with pytest.raises(DomainError) as exc:
        services.report_save(actor=owner, report=saved, expected_version=version - 1, operations="x")
    assert _code(exc) == "diligence.stale"


def test_sign_needs_every_section(project: Any, owner: Any) -> None:
    report = services.report_start(actor=owner, project=project)
    services.report_save(actor=owner, report=report, company_basics="有")
    with pytest.raises(DomainError) as exc:
        services.report_sign(actor=owner, report=report)
    assert _code(exc) == "diligence.sections_missing"
    assert "经营" in exc.value.message or "Operations" in exc.value.message
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT


def test_sign_confirm_locks_and_freezes_facts(project: Any, owner: Any, b_manager: Any) -> None:
    report = written(project, owner)
    signed = services.report_sign(actor=owner, report=report)
    assert signed.state == ReportState.A_SIGNED and signed.a_signed_by == owner
    assert "financial" in signed.snapshot and "related" in signed.snapshot
    assert_one_event("diligence.report_signed", actor_id=owner.pk)
    with pytest.raises(DomainError) as exc:
        services.report_save(actor=owner, report=signed, company_basics="签后改")
    assert _code(exc) == "diligence.not_editable"
    with pytest.raises(DomainError) as exc:
        services.report_confirm(actor=b_manager, report=signed, opinion="  ")
    assert _code(exc) == "diligence.opinion_required"
    confirmed = services.report_confirm(actor=b_manager, report=signed, opinion="同意")
    assert confirmed.state == ReportState.CONFIRMED and confirmed.is_locked
    assert_one_event("diligence.report_confirmed", actor_id=b_manager.pk)
    assert [t.action for t in confirmed.transitions.all()] == ["sign", "confirm"]


def test_only_the_b_role_confirms_or_returns(
    project: Any, owner: Any, b_manager: Any, colleague: Any, dept_head: Any, risk_manager: Any
) -> None:
    report = services.report_sign(actor=owner, report=written(project, owner))
    for user in (owner, colleague, dept_head, risk_manager):
        with pytest.raises(DomainError):
            services.report_confirm(actor=user, report=report, opinion="同意")
        with pytest.raises(DomainError):
            services.report_return(actor=user, report=report, reason="退回")
    report.refresh_from_db()
    assert report.state == ReportState.A_SIGNED
    assert_no_event("diligence.report_confirmed")


def test_b_returns_with_reason_then_a_signs_again(project: Any, owner: Any, b_manager: Any) -> None:
    report = services.report_sign(actor=owner, report=written(project, owner))
    with pytest.raises(DomainError) as exc:
        services.report_return(actor=b_manager, report=report, reason="")
    assert _code(exc) == "diligence.reason_required"
    returned = services.report_return(actor=b_manager, report=report, reason="补充现金流分析")
    assert returned.state == ReportState.DRAFT and returned.a_signed_by is None and returned.return_reason == "补充现金流分析"
    assert_one_event("diligence.report_returned", actor_id=b_manager.pk)
    assert selectors.reports_returned_to(owner).get() == returned
    services.report_save(actor=owner, report=returned, financial_comment="补充：经营现金流为正。")
    again = services.report_sign(actor=owner, report=returned)
    assert again.state == ReportState.A_SIGNED and again.return_reason == ""
    assert list(selectors.reports_to_confirm(b_manager)) == [again]


def test_reopen_keeps_the_confirmed_version(project: Any, owner: Any, b_manager: Any) -> None:
    old = complete(project, owner, b_manager)
    with pytest.raises(DomainError) as exc:
        services.report_reopen(actor=b_manager, report=old, reason="补充")
    assert _code(exc) == "diligence.not_a_role"
    with pytest.raises(DomainError) as exc:
        services.report_reopen(actor=owner, report=old, reason="")
    assert _code(exc) == "diligence.reason_required"
    new = services.report_reopen(actor=owner, report=old, reason="风险经理退回：补充担保人资产")
    old.refresh_from_db()
    assert (old.state, old.is_current, old.b_confirmed_by) == (ReportState.SUPERSEDED, False, b_manager)
    assert (new.number, new.state, new.is_current, new.previous) == (2, ReportState.DRAFT, True, old)
    assert new.company_basics == SECTION_TEXT["company_basics"] and new.a_signed_by is None
    assert DiligenceReport.objects.filter(project=project).count() == 2
    assert_one_event("diligence.report_reopened", actor_id=owner.pk)
    with pytest.raises(DomainError) as exc:
        services.report_reopen(actor=owner, report=old, reason="again")
    assert _code(exc) == "diligence.not_reopenable"


def test_upload_and_waiver(project: Any, owner: Any, b_manager: Any, dept_head: Any, colleague: Any, outsider: Any) -> None:
    services.report_start(actor=owner, project=project)
    licence, statements, tax = DiligenceMaterial.objects.filter(project=project).order_by("sort_order", "id")
    attachment = services.material_upload(actor=owner, material=licence, upload=pdf_file())
    assert attachment.kind == "file"
    assert_one_event("attachment.uploaded", actor_id=owner.pk)
    b_file = services.material_upload(actor=b_manager, material=tax, upload=pdf_file("tax.pdf"))
    assert b_file.uploaded_by == b_manager
    with pytest.raises(DomainError) as exc:
        services.material_upload(actor=colleague, material=statements, upload=pdf_file())
    assert _code(exc) == "diligence.permission_denied"
    # The A-role may not waive what it must provide; a colleague or outsider neither.
    for user in (owner, colleague, outsider):
        with pytest.raises(DomainError) as exc:
            services.material_waive(actor=user, material=statements, reason="客户为新设企业")
        assert _code(exc) == "diligence.waiver_forbidden"
    with pytest.raises(DomainError) as exc:
        services.material_waive(actor=b_manager, material=statements, reason=" ")
    assert _code(exc) == "diligence.reason_required"
    waived = services.material_waive(actor=b_manager, material=statements, reason="新设企业，仅一年报表")
    assert waived.waived and waived.waived_by == b_manager
    assert_one_event("diligence.material_waived", actor_id=b_manager.pk)
    with pytest.raises(DomainError) as exc:
        services.material_waive(actor=dept_head, material=statements, reason="再次")
    assert _code(exc) == "diligence.already_waived"
    statuses = {row["material"].name: row["status"] for row in selectors.materials_of(project)}
    assert statuses == {"营业执照": "uploaded", "近三年财务报表": "waived", "纳税证明": "uploaded"}


def test_department_head_may_waive(project: Any, owner: Any, dept_head: Any) -> None:
    services.report_start(actor=owner, project=project)
    material = DiligenceMaterial.objects.filter(project=project).first()
    assert services.material_waive(actor=dept_head, material=material, reason="总部批准豁免").waived_by == dept_head


def test_visit_and_photos(project: Any, owner: Any, b_manager: Any, colleague: Any) -> None:
    services.report_start(actor=owner, project=project)
    today = dt.date.today()
    for kwargs, code in (
        ({"visit_date": today + dt.timedelta(days=1), "place": "厂区", "notes": "x"}, "diligence.visit_invalid"),
        ({"visit_date": today, "place": " ", "notes": "x"}, "diligence.visit_invalid"),
        ({"visit_date": today, "place": "厂区", "notes": ""}, "diligence.visit_invalid"),
    ):
        with pytest.raises(DomainError) as exc:
            services.visit_record(actor=owner, project=project, **kwargs)
        assert _code(exc) == code
    with pytest.raises(DomainError):
        services.visit_record(actor=colleague, project=project, visit_date=today, place="厂区", notes="x")
    assert not SiteVisit.objects.exists()
    visit = services.visit_record(
        actor=b_manager,
        project=project,
        visit_date=today,
        place="长沙县厂区",
        notes="设备运转正常",
        participants=[owner],
        other_participants="张总",
    )
    assert set(visit.participants.all()) == {owner, b_manager}
    assert_one_event("diligence.visit_recorded", actor_id=b_manager.pk)

    with_exif = services.photo_add(
        actor=owner, visit=visit, upload=jpeg("2026:05:01 10:20:30"), latitude="28.228209", longitude="112.938814", accuracy="12.5"
    )
    assert with_exif.capture_source == CaptureSource.EXIF
    assert with_exif.captured_at.strftime("%Y-%m-%d %H:%M:%S") == "2026-05-01 10:20:30" or with_exif.captured_at.year == 2026
    assert (with_exif.latitude, with_exif.longitude, with_exif.accuracy_m) == (D("28.228209"), D("112.938814"), D("12.5"))
    plain = services.photo_add(actor=owner, visit=visit, upload=jpeg(), caption="仓库")
    assert plain.capture_source == CaptureSource.UPLOAD and not plain.has_position
    for lat, lon in (("91", "10"), ("10", "181"), ("abc", "1")):
        with pytest.raises(DomainError) as exc:
            services.photo_add(actor=owner, visit=visit, upload=jpeg(), latitude=lat, longitude=lon)
        assert _code(exc) == "diligence.position_invalid"
    with pytest.raises(DomainError):
        services.photo_add(actor=colleague, visit=visit, upload=jpeg())
    assert SitePhoto.objects.count() == 2

    with pytest.raises(DomainError) as exc:
        services.visit_void(actor=owner, visit=visit, reason="")
    assert _code(exc) == "diligence.reason_required"
    services.visit_void(actor=owner, visit=visit, reason="录错项目")
    with pytest.raises(DomainError) as exc:
        services.photo_add(actor=owner, visit=visit, upload=jpeg())
    assert _code(exc) == "diligence.visit_voided"


def test_nothing_changes_once_signed(project: Any, owner: Any, b_manager: Any) -> None:
    report = written(project, owner)
    material = DiligenceMaterial.objects.filter(project=project).first()
    visit = services.visit_record(actor=owner, project=project, visit_date=dt.date.today(), place="厂区", notes="正常")
    services.report_sign(actor=owner, report=report)
    with pytest.raises(DomainError) as exc:
        services.material_upload(actor=owner, material=material, upload=pdf_file())
    assert _code(exc) == "diligence.not_editable"
    with pytest.raises(DomainError):
        services.material_waive(actor=b_manager, material=material, reason="x")
    with pytest.raises(DomainError):
        services.visit_record(actor=owner, project=project, visit_date=dt.date.today(), place="厂区", notes="二次")
    with pytest.raises(DomainError):
        services.photo_add(actor=owner, visit=visit, upload=jpeg())
    assert SiteVisit.objects.count() == 1 and not SitePhoto.objects.exists()


def test_project_outside_diligence_is_closed(project: Any, owner: Any) -> None:
    from danbao.projects import services as project_services

    project_services.project_withdraw(actor=owner, project=project, reason="客户撤回申请")
    project.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        services.report_start(actor=owner, project=project)
    assert _code(exc) == "diligence.project_state"


def test_readiness(project: Any, owner: Any, b_manager: Any) -> None:
    problems = selectors.readiness(project)
    assert len(problems) == 2  # no report, no visit (materials come with the report)
    report = written(project, owner)
    problems = selectors.readiness(project)
    assert any("营业执照" in p for p in problems) and any("近三年财务报表" in p for p in problems)
    assert not any("纳税证明" in p for p in problems)  # optional
    with pytest.raises(DomainError) as exc:
        selectors.review_submit_check(project, owner)
    assert _code(exc) == "diligence.not_ready"
    services.report_sign(actor=owner, report=report)
    services.report_return(actor=b_manager, report=report, reason="补材料")
    complete_report = DiligenceReport.objects.get(pk=report.pk)
    for material in DiligenceMaterial.objects.filter(project=project, required=True):
        services.material_upload(actor=owner, material=material, upload=pdf_file())
    services.visit_record(actor=owner, project=project, visit_date=dt.date.today(), place="厂区", notes="正常")
    services.report_sign(actor=owner, report=complete_report)
    assert len(selectors.readiness(project)) == 1  # B has not confirmed yet
    services.report_confirm(actor=b_manager, report=complete_report, opinion="同意")
    assert selectors.readiness(project) == []
    selectors.review_submit_check(project, owner)  # no refusal


def test_returned_project_needs_a_new_signature(project: Any, owner: Any, b_manager: Any, risk_manager: Any) -> None:
    from danbao.projects import services as project_services

    report = complete(project, owner, b_manager)
    project_services.project_review_submit(actor=owner, project=project)
    project_services.project_review_return(actor=risk_manager, project=project, reason="补充担保人资产")
    project.refresh_from_db()
    problems = selectors.readiness(project)
    assert len(problems) == 1 and ("reopen" in problems[0].lower() or "重新" in problems[0])
    new = services.report_reopen(actor=owner, report=report, reason="补充担保人资产")
    services.report_sign(actor=owner, report=new)
    services.report_confirm(actor=b_manager, report=new, opinion="同意")
    assert selectors.readiness(project) == []
