"""Project pages: who sees them (owner / colleague / outsider 404 / no permission 403) and the happy paths."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal as D

import pytest
from django.urls import reverse

from danbao.projects.models import Project, ProjectState
from danbao.projects.tests.support import intake, pending, to_approving, to_review
from danbao.workflow import services as wf
from danbao.workflow.models import FlowInstance

pytestmark = pytest.mark.django_db


@pytest.fixture
def project(world, owner, b_manager):
    return intake(world, owner, b_manager)


class TestLists:
    def test_library_scope(self, client_for, project, owner, b_manager, colleague, dept_head, outsider, nobody):
        url = reverse("projects:project-list")
        assert project.number in client_for(owner).get(url).content.decode()
        assert project.number in client_for(b_manager).get(url).content.decode()
        assert project.number in client_for(dept_head).get(url).content.decode()  # department and below
        assert project.number not in client_for(colleague).get(url).content.decode()  # business managers: own projects only
        assert project.number not in client_for(outsider).get(url).content.decode()
        assert client_for(nobody).get(url).status_code == 403

    def test_filters_and_amount_band(self, client_for, project, owner):
        url = reverse("projects:project-list")
        assert project.number in client_for(owner).get(url, {"state": "accepted", "amount_band": "a1"}).content.decode()
        assert project.number not in client_for(owner).get(url, {"state": "approved"}).content.decode()
        assert project.number not in client_for(owner).get(url, {"amount_min": "2000000"}).content.decode()

    def test_mine(self, client_for, project, owner, b_manager, dept_head):
        url = reverse("projects:project-mine")
        assert project.number in client_for(owner).get(url).content.decode()
        assert project.number in client_for(b_manager).get(url).content.decode()
        assert project.number not in client_for(dept_head).get(url).content.decode()

    def test_htmx_partial(self, client_for, project, owner):
        response = client_for(owner).get(reverse("projects:project-list"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-region")
        assert response.status_code == 200
        assert "<html" not in response.content.decode()


class TestDossier:
    def test_permissions(self, client_for, project, owner, b_manager, colleague, outsider, nobody):
        url = reverse("projects:project-detail", args=[project.pk])
        body = client_for(owner).get(url).content.decode()
        assert project.number in body and "已受理" in body
        assert 'data-testid="start-diligence"' in body
        b_body = client_for(b_manager).get(url).content.decode()
        assert 'data-testid="start-diligence"' not in b_body  # only the A-role manager
        assert client_for(colleague).get(url).status_code == 404
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(nobody).get(url).status_code == 403

    def test_start_and_submit_buttons_move_the_project(self, client_for, project, owner):
        client = client_for(owner)
        client.post(reverse("projects:project-diligence-start", args=[project.pk]))
        client.post(reverse("projects:project-review-submit", args=[project.pk]))
        project.refresh_from_db()
        assert project.state == ProjectState.RISK_REVIEW

    def test_outsider_cannot_post(self, client_for, project, outsider):
        response = client_for(outsider).post(reverse("projects:project-diligence-start", args=[project.pk]))
        assert response.status_code == 404
        project.refresh_from_db()
        assert project.state == ProjectState.ACCEPTED


class TestIntakePage:
    def test_get_and_post(self, client_for, world, owner, b_manager):
        client = client_for(owner)
        assert client.get(reverse("projects:project-intake")).status_code == 200
        data = {
            "customer": world["customer"].pk,
            "product": world["product"].pk,
            "amount": "1500000",
            "term_months": "12",
            "fee_rate": "0.8",
            "purpose": "收购粮食",
            "repayment_method": "bullet",
            "bank": world["bank"].pk,
            "branch": world["branch"].pk,
            "manager_a": owner.pk,
            "manager_b": b_manager.pk,
            "department": owner.department_id,
        }
        response = client.post(reverse("projects:project-intake"), data)
        project = Project.objects.get()
        assert response.status_code == 302
        assert project.fee_rate == D("0.008")

    def test_blocked_shows_reason_and_creates_nothing(self, client_for, world, owner, b_manager):
        data = {
            "customer": world["customer"].pk,
            "product": world["product"].pk,
            "amount": "9500000",
            "term_months": "12",
            "purpose": "收购粮食",
            "repayment_method": "bullet",
            "bank": world["bank"].pk,
            "manager_a": owner.pk,
            "manager_b": b_manager.pk,
        }
        response = client_for(owner).post(reverse("projects:project-intake"), data)
        assert response.status_code == 200
        assert "准入规则拒绝" in response.content.decode()
        assert not Project.objects.exists()

    def test_risk_manager_forbidden(self, client_for, risk_manager):
        assert client_for(risk_manager).get(reverse("projects:project-intake")).status_code == 403


class TestReviewAndLetter:
    def test_review_page_and_submit(self, client_for, project, owner, risk_manager, colleague):
        to_review(project, owner)
        project.refresh_from_db()
        url = reverse("projects:project-review", args=[project.pk])
        assert client_for(colleague).get(url).status_code == 403
        page = client_for(risk_manager).get(url)
        assert page.status_code == 200
        assert 'data-testid="what-if-card"' in page.content.decode()
        response = client_for(risk_manager).post(url, {"recommendation": "agree", "opinion": "同意提交审批", "version": project.version})
        body = response.content.decode()
        assert response.status_code == 302, (
            body[body.find("invalid-feedback") - 300 : body.find("invalid-feedback") + 300]
            + body[body.find("form-errors") : body.find("form-errors") + 400]
        )
        project.refresh_from_db()
        assert project.state == ProjectState.APPROVING

    def test_terms_form_letter_pdf(self, client_for, project, owner, risk_manager, dept_head, gm, outsider):
        to_approving(project, owner, risk_manager)
        wf.task_approve(actor=dept_head, task=pending(dept_head))
        wf.committee_complete(actor=None, instance=FlowInstance.objects.get(object_id=project.pk), result="approved")
        detail = reverse("projects:project-detail", args=[project.pk])
        assert 'data-testid="terms-form"' in client_for(gm).get(detail).content.decode()
        response = client_for(gm).post(
            reverse("projects:project-terms", args=[project.pk]),
            {
                "amount": "900000",
                "term_months": "12",
                "fee_rate": "0.9",
                "counter_guarantees": "股东连带保证",
                "conditions": "签订反担保合同",
            },
        )
        assert response.status_code == 302
        wf.task_approve(actor=gm, task=pending(gm))
        project.refresh_from_db()
        letter = reverse("projects:project-letter", args=[project.pk])
        assert client_for(outsider).get(letter).status_code == 404
        pdf = client_for(owner).get(letter)
        assert pdf["Content-Type"] == "application/pdf"
        text = subprocess.run(  # noqa: S603 - fixed local binary, no shell
            [shutil.which("pdftotext") or "/usr/bin/pdftotext", "-", "-"],
            input=pdf.content,
            capture_output=True,
            check=True,
        ).stdout.decode()
        assert project.number in text
        assert "900,000.00" in text
        assert "玖拾万元整" in text
        assert project.approval_number in text

    @pytest.mark.parametrize("page", ["project", "workflow"])
    def test_resubmit_from_either_page_moves_the_project_back(self, client_for, page, project, owner, risk_manager, dept_head):
        to_approving(project, owner, risk_manager)
        wf.task_return(actor=dept_head, task=pending(dept_head), reason="补充反担保资料", target="submitter")
        instance = FlowInstance.objects.get(object_id=project.pk)
        if page == "project":
            url, data = reverse("projects:project-resubmit", args=[project.pk]), {"comment": "已补充"}
        else:
            url, data = reverse("workflow:instance-act", args=[instance.pk]), {"action": "resubmit", "comment": "已补充"}
        assert client_for(risk_manager).post(url, data).status_code == 302
        project.refresh_from_db()
        assert project.state == ProjectState.APPROVING
        assert project.transitions.filter(action="resubmit", actor=risk_manager).count() == 1
        assert pending(dept_head)

    def test_letter_404_before_approval(self, client_for, project, owner):
        assert client_for(owner).get(reverse("projects:project-letter", args=[project.pk])).status_code == 404

    def test_review_queue(self, client_for, project, owner, risk_manager):
        to_review(project, owner)
        body = client_for(risk_manager).get(reverse("projects:review-queue")).content.decode()
        assert project.number in body
        assert client_for(owner).get(reverse("projects:review-queue")).status_code == 403


def test_library_query_budget(client_for, world, owner, b_manager, django_assert_max_num_queries):
    for amount in ("500000", "800000", "1200000"):
        intake(world, owner, b_manager, amount=D(amount))
    client = client_for(owner)
    client.get(reverse("projects:project-list"))  # warm caches (menus, permissions)
    with django_assert_max_num_queries(30):
        response = client.get(reverse("projects:project-list"))
    assert response.status_code == 200


def test_dossier_sections_registry(client_for, project, owner):
    from danbao.projects import dossier

    dossier.register(
        dossier.DossierSection("test", "projects/_evaluation.html", lambda user, p: {"ev": p.intake_evaluation}, 1), replace=True
    )
    try:
        body = client_for(owner).get(reverse("projects:project-detail", args=[project.pk])).content.decode()
    finally:
        dossier.sections._entries.pop("test", None)
    assert body.count('data-testid="evaluation-intake"') == 2


class TestRiskAssessment:
    @pytest.fixture
    def scorecard(self, db):
        from danbao.scoring.services import version_publish
        from danbao.scoring.tests.conftest import build_template

        return version_publish(actor=None, version=build_template().versions.get(number=1))

    def test_who_may_run_it(self, client_for, project, scorecard, owner, b_manager, risk_manager, colleague, outsider, nobody):
        url = reverse("projects:project-score", args=[project.pk])
        page = client_for(owner).get(url)
        assert page.status_code == 200 and 'data-testid="score-form"' in page.content.decode()
        dossier = client_for(owner).get(reverse("projects:project-detail", args=[project.pk])).content.decode()
        assert 'data-testid="run-scorecard"' in dossier
        assert client_for(b_manager).get(url).status_code == 200
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(nobody).get(url).status_code == 403
        # A colleague of the department who is neither manager nor reviewer is sent back to the dossier.
        assert client_for(colleague).get(url).status_code in (302, 404)

    def test_run_scores_the_project_and_the_dossier_shows_it(self, client_for, project, scorecard, owner, risk_manager):
        from danbao.audit.tests.helpers import assert_one_event
        from danbao.scoring.models import Assessment

        url = reverse("projects:project-score", args=[project.pk])
        response = client_for(owner).post(url, {"version": scorecard.pk, "answer_mgmt": "gt10", "coverage": "120"})
        assert response.status_code == 302 and response["Location"] == reverse("projects:project-detail", args=[project.pk])
        assessment = Assessment.objects.get()
        assert assessment.subject_id == str(project.pk) and assessment.subject_type.model == "project"
        assert assessment.customer == project.customer and assessment.inputs["answers"] == {"mgmt": "gt10"}
        assert_one_event("project.assessed", object_id=str(project.pk), actor_id=owner.pk)
        body = client_for(risk_manager).get(reverse("projects:project-detail", args=[project.pk])).content.decode()
        assert 'data-testid="dossier-scorecard"' in body

    def test_bad_answer_changes_nothing_and_after_approval_it_is_closed(
        self, client_for, world, project, scorecard, owner, b_manager, risk_manager
    ):
        from danbao.scoring.models import Assessment

        url = reverse("projects:project-score", args=[project.pk])
        page = client_for(owner).post(url, {"version": scorecard.pk, "answer_mgmt": "nonsense"})
        assert page.status_code == 200 and not Assessment.objects.exists()
        to_approving(project, owner, risk_manager)
        response = client_for(owner).post(url, {"version": scorecard.pk, "answer_mgmt": "gt10"})
        assert response.status_code == 302 and not Assessment.objects.exists()
