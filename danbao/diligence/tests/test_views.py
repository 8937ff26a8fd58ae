"""Pages: who sees them (scope, permission), who gets 403/404, and the happy paths through the forms."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse

from danbao.diligence import services
from danbao.diligence.models import DiligenceMaterial, ReportState, SitePhoto, SiteVisit
from danbao.diligence.tests.support import SECTION_TEXT, complete, jpeg, pdf_file, written

pytestmark = pytest.mark.django_db


def url(name: str, project: Any, *args: Any) -> str:
    return reverse(f"diligence:{name}", args=[project.pk, *args])


def test_workspace_visibility(
    client_for: Any,
    project: Any,
    owner: Any,
    b_manager: Any,
    colleague: Any,
    dept_head: Any,
    risk_manager: Any,
    outsider: Any,
    nobody: Any,
    sysadmin: Any,
) -> None:
    written(project, owner)
    # Own projects (A/B-role), the department head's department, the risk manager's whole institution.
    for user in (owner, b_manager, dept_head, risk_manager):
        response = client_for(user).get(url("project-detail", project))
        assert response.status_code == 200, user
        assert "成立于2015年" in response.content.decode()
    # A business manager's scope is their own projects: a colleague's project is "not found".
    assert client_for(colleague).get(url("project-detail", project)).status_code == 404
    assert client_for(outsider).get(url("project-detail", project)).status_code == 404  # other department
    assert client_for(nobody).get(url("project-detail", project)).status_code == 403
    assert client_for(sysadmin).get(url("project-detail", project)).status_code == 403
    assert client_for(owner).get(reverse("diligence:project-detail", args=[999999])).status_code == 404


def test_list_page(client_for: Any, project: Any, owner: Any, outsider: Any, nobody: Any) -> None:
    written(project, owner)
    body = client_for(owner).get(reverse("diligence:project-list")).content.decode()
    assert project.number in body and "草稿" in body or "Draft" in body
    assert project.number in client_for(owner).get(reverse("diligence:project-list") + "?mine=1").content.decode()
    assert project.number not in client_for(outsider).get(reverse("diligence:project-list")).content.decode()
    assert client_for(nobody).get(reverse("diligence:project-list")).status_code == 403


def test_a_role_starts_and_edits_through_the_pages(client_for: Any, project: Any, owner: Any, b_manager: Any, risk_manager: Any) -> None:
    assert client_for(b_manager).post(url("report-start", project)).status_code == 302
    assert not project.diligence_reports.exists()  # refused with a message
    client = client_for(owner)
    assert client.post(url("report-start", project)).status_code == 302
    assert project.diligence_reports.count() == 1
    page = client.get(url("report-edit", project))
    assert page.status_code == 200
    data = {k: v for k, v in SECTION_TEXT.items() if k != "proposed_fee_rate"}
    data.update({"proposed_fee_rate_percent": "1.5", "version": project.diligence_reports.get().version})
    response = client.post(url("report-edit", project), data)
    assert response.status_code == 302
    report = project.diligence_reports.get()
    assert str(report.proposed_fee_rate) == "0.015000" and report.operations == SECTION_TEXT["operations"]
    bad = client.post(url("report-edit", project), {**data, "proposed_amount": "-5", "version": report.version})
    assert bad.status_code == 200 and "error-proposed_amount" in bad.content.decode()
    # Only the A-role edits; the B-role is sent back to the workspace, a risk manager has no write permission.
    assert client_for(b_manager).get(url("report-edit", project)).status_code == 302
    assert client_for(risk_manager).get(url("report-edit", project)).status_code == 403


def test_sign_confirm_and_pdf_through_the_pages(
    client_for: Any, project: Any, owner: Any, b_manager: Any, colleague: Any, risk_manager: Any
) -> None:
    report = written(project, owner)
    client_for(owner).post(url("report-sign", project), {"version": report.version})
    report.refresh_from_db()
    assert report.state == ReportState.A_SIGNED
    client_for(colleague).post(url("report-confirm", project), {"opinion": "同意"})
    report.refresh_from_db()
    assert report.state == ReportState.A_SIGNED
    page = client_for(b_manager).get(url("project-detail", project)).content.decode()
    assert 'data-testid="dd-confirm"' in page
    client_for(b_manager).post(url("report-confirm", project), {"opinion": "独立核实，同意"})
    report.refresh_from_db()
    assert report.state == ReportState.CONFIRMED
    response = client_for(risk_manager).get(url("report-pdf", project))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert client_for(risk_manager).get(url("report-pdf", project) + "?v=7").status_code == 404


def test_return_and_reopen_through_the_pages(client_for: Any, project: Any, owner: Any, b_manager: Any) -> None:
    report = services.report_sign(actor=owner, report=written(project, owner))
    client_for(b_manager).post(url("report-return", project), {"reason": "补充现金流"})
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and report.return_reason == "补充现金流"
    services.report_sign(actor=owner, report=report)
    services.report_confirm(actor=b_manager, report=report, opinion="同意")
    client_for(owner).post(url("report-reopen", project), {"reason": "风险经理退回"})
    assert project.diligence_reports.get(is_current=True).number == 2


def test_material_upload_and_waive_pages(
    client_for: Any, project: Any, owner: Any, b_manager: Any, dept_head: Any, risk_manager: Any
) -> None:
    services.report_start(actor=owner, project=project)
    licence, statements, tax = DiligenceMaterial.objects.filter(project=project).order_by("sort_order", "id")
    client_for(owner).post(url("material-upload", project, licence.pk), {"file": pdf_file()})
    client_for(owner).post(url("material-waive", project, statements.pk), {"reason": "自己豁免"})
    statements.refresh_from_db()
    assert not statements.waived
    assert client_for(risk_manager).post(url("material-waive", project, statements.pk), {"reason": "x"}).status_code == 403
    client_for(dept_head).post(url("material-waive", project, statements.pk), {"reason": "新设企业"})
    statements.refresh_from_db()
    assert statements.waived and statements.waived_by == dept_head
    body = client_for(owner).get(url("project-detail", project)).content.decode()
    assert "licence.pdf" in body and "新设企业" in body
    other = DiligenceMaterial.objects.create(project=project, name="外部项目材料")
    other.project_id = project.pk
    assert client_for(owner).post(url("material-upload", project, 999999), {"file": pdf_file()}).status_code == 404


def test_visit_pages_from_a_phone(client_for: Any, project: Any, owner: Any, b_manager: Any, colleague: Any, dept_head: Any) -> None:
    services.report_start(actor=owner, project=project)
    client = client_for(owner)
    form = client.get(url("visit-create", project))
    assert form.status_code == 200
    response = client.post(
        url("visit-create", project),
        {
            "visit_date": dt.date.today().isoformat(),
            "place": "长沙县黄花镇",
            "notes": "厂区整洁",
            "participants": [b_manager.pk],
            "other_participants": "张总",
        },
    )
    visit = SiteVisit.objects.get()
    assert response.status_code == 302 and response["Location"] == url("visit-detail", project, visit.pk)
    page = client.get(url("visit-detail", project, visit.pk))
    body = page.content.decode()
    assert 'accept="image/*"' in body and 'capture="environment"' in body
    assert "geolocation=(self)" in page["Permissions-Policy"]
    client.post(
        url("visit-detail", project, visit.pk),
        {"photo": jpeg("2026:05:01 10:20:30"), "caption": "车间", "latitude": "28.1", "longitude": "113.2", "accuracy": "8"},
    )
    client.post(url("visit-detail", project, visit.pk), {"photo": jpeg(), "caption": "仓库"})
    photos = list(SitePhoto.objects.order_by("id"))
    assert [p.capture_source for p in photos] == ["exif", "upload"]
    assert str(photos[0].latitude) == "28.100000" and photos[1].latitude is None
    # The department head sees the visit but cannot add photos; a colleague does not see it at all.
    assert client_for(dept_head).get(url("visit-detail", project, visit.pk)).status_code == 200
    assert client_for(dept_head).post(url("visit-detail", project, visit.pk), {"photo": jpeg()}).status_code == 403
    assert client_for(colleague).get(url("visit-detail", project, visit.pk)).status_code == 404
    assert SitePhoto.objects.count() == 2
    bad = client_for(owner).post(
        url("visit-create", project), {"visit_date": (dt.date.today() + dt.timedelta(days=3)).isoformat(), "place": "x", "notes": "y"}
    )
    assert bad.status_code == 200 and SiteVisit.objects.count() == 1


def test_dossier_section_renders(rf: Any, project: Any, owner: Any, b_manager: Any, outsider: Any) -> None:
    from django.template.loader import render_to_string

    from danbao.diligence.selectors import dossier_section

    complete(project, owner, b_manager)
    html = render_to_string("diligence/_dossier_section.html", dossier_section(owner, project))
    assert "dossier-diligence" in html and "营业执照" in html and "长沙县黄花镇厂区" in html
    assert render_to_string("diligence/_dossier_section.html", dossier_section(outsider, project)).strip() == ""


def test_list_query_budget(client_for: Any, project: Any, owner: Any, django_assert_max_num_queries: Any) -> None:
    written(project, owner)
    client = client_for(owner)
    client.get(reverse("diligence:project-list"))  # warm caches (menu, permissions)
    with django_assert_max_num_queries(25):
        response = client.get(reverse("diligence:project-list"))
    assert response.status_code == 200 and project.number in response.content.decode()


def test_project_dossier_shows_the_diligence_section(client_for: Any, project: Any, owner: Any, risk_manager: Any) -> None:
    written(project, owner)
    page = client_for(risk_manager).get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert 'data-testid="dossier-diligence"' in page and "成立于2015年" in page
