"""Letters pages: who sees what (owner, colleague, outsider 404, no permission 403), the checklist's
actions, issuing from the page, the letter detail, PDF, register with export, and the public
verification page (no personal data, 404 on a bad token, 429 over the limit, no-store/noindex)."""

from __future__ import annotations

import shutil
import subprocess
from typing import Any

import pytest
from django.core.cache import cache
from django.urls import reverse

from danbao.letters import pdf, selectors, services
from danbao.letters.models import ConditionItem, ConditionState, GuaranteeLetter, LetterState
from danbao.letters.tests.support import confirm_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def letter(ready: Any, dept_head: Any) -> GuaranteeLetter:
    return services.letter_issue(actor=dept_head, project=ready)


def _text(data: bytes) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    result = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)  # noqa: S603,S607
    return result.stdout.decode()


class TestChecklistPage:
    def test_who_sees_it(self, client_for, approved, owner, colleague, outsider, nobody, risk_manager, client) -> None:
        url = reverse("letters:checklist", args=[approved.pk])
        assert client.get(url).status_code == 302  # anonymous: to the login page
        page = client_for(owner).get(url)
        assert page.status_code == 200
        html = page.content.decode()
        assert "落实厂房抵押登记" in html and 'data-testid="condition-mark-met"' in html
        assert 'data-testid="letters-issue"' not in html  # the A-role cannot issue
        # Business managers see their own projects only (data scope "self"): a colleague gets 404.
        assert client_for(colleague).get(url).status_code == 404
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(nobody).get(url).status_code == 403
        risk_page = client_for(risk_manager).get(url).content.decode()
        assert 'data-testid="condition-mark-met"' not in risk_page

    def test_opening_it_materialises_the_conditions(self, client_for, approved, owner) -> None:
        client_for(owner).get(reverse("letters:checklist", args=[approved.pk]))
        client_for(owner).get(reverse("letters:checklist", args=[approved.pk]))
        assert ConditionItem.objects.filter(project=approved).count() == 2

    def test_lines_are_red_with_what_is_missing(self, client_for, approved, dept_head, lower_green) -> None:
        html = client_for(dept_head).get(reverse("letters:checklist", args=[approved.pk])).content.decode()
        assert 'data-ok="0"' in html and "尚未由业务经理标记为已落实" in html or "Not yet marked as met" in html
        assert 'data-testid="letters-issue" disabled' in html

    def test_mark_confirm_and_issue_from_the_page(self, client_for, approved, owner, risk_manager, dept_head, lower_green) -> None:
        url = reverse("letters:checklist", args=[approved.pk])
        client_for(owner).get(url)
        for item in ConditionItem.objects.filter(project=approved):
            mark = reverse("letters:condition-mark", args=[approved.pk, item.pk])
            assert client_for(owner).post(mark, {"note": "已办理", "action": "met", "version": item.version}).status_code == 302
        assert set(ConditionItem.objects.filter(project=approved).values_list("state", flat=True)) == {ConditionState.MET_MARKED}
        for item in ConditionItem.objects.filter(project=approved):
            confirm = reverse("letters:condition-confirm", args=[approved.pk, item.pk])
            assert client_for(owner).post(confirm, {"action": "confirm"}).status_code == 403
            assert client_for(risk_manager).post(confirm, {"action": "confirm", "version": item.version}).status_code == 302
        assert set(ConditionItem.objects.filter(project=approved).values_list("state", flat=True)) == {ConditionState.MET}
        client = client_for(dept_head)
        assert client.post(reverse("letters:recheck", args=[approved.pk])).status_code == 302
        response = client.post(reverse("letters:letter-issue", args=[approved.pk]), {"kind": "guarantee"})
        letter = selectors.issued_letter_for(approved)
        assert letter is not None and response["Location"] == reverse("letters:letter-detail", args=[letter.pk])
        client.post(reverse("letters:letter-issue", args=[approved.pk]), {"kind": "guarantee"})
        assert GuaranteeLetter.objects.filter(project=approved).count() == 1

    def test_refusal_is_shown(self, client_for, approved, dept_head, lower_green) -> None:
        client = client_for(dept_head)
        response = client.post(reverse("letters:letter-issue", args=[approved.pk]), {"kind": "guarantee"}, follow=True)
        html = response.content.decode()
        assert "落实厂房抵押登记" in html and not GuaranteeLetter.objects.exists()

    def test_issue_needs_the_permission(self, client_for, approved, owner, outsider) -> None:
        url = reverse("letters:letter-issue", args=[approved.pk])
        assert client_for(owner).post(url, {"kind": "intent"}).status_code == 403
        assert not GuaranteeLetter.objects.exists()

    def test_intent_letter_from_the_page(self, client_for, approved, dept_head) -> None:
        client_for(dept_head).post(reverse("letters:letter-issue", args=[approved.pk]), {"kind": "intent"})
        intent = GuaranteeLetter.objects.get(project=approved)
        assert intent.kind == "intent"
        text = _text(client_for(dept_head).get(reverse("letters:letter-pdf", args=[intent.pk])).content)
        assert "担保意向书" in text and intent.number in text and "捌拾万元整" in text

    def test_list_pages_query_budget(self, client_for, letter, owner, django_assert_max_num_queries) -> None:
        client = client_for(owner)
        for name in ("letters:register", "letters:project-list"):
            with django_assert_max_num_queries(30):
                assert client.get(reverse(name)).status_code == 200

    def test_project_list(self, client_for, approved, letter, owner, outsider, nobody) -> None:
        url = reverse("letters:project-list")
        html = client_for(owner).get(url).content.decode()
        assert approved.number in html
        assert approved.number not in client_for(outsider).get(url).content.decode()
        assert client_for(nobody).get(url).status_code == 403


class TestLetterPages:
    def test_detail(self, client_for, letter, owner, colleague, outsider, nobody) -> None:
        url = reverse("letters:letter-detail", args=[letter.pk])
        html = client_for(owner).get(url).content.decode()
        assert letter.number in html and "捌拾万元整" in html and letter.token in html
        assert 'data-testid="letter-void"' not in html
        assert client_for(colleague).get(url).status_code == 404
        assert client_for(outsider).get(url).status_code == 404
        assert client_for(nobody).get(url).status_code == 403
        assert client_for(owner).get(reverse("letters:letter-detail", args=[99999])).status_code == 404

    def test_void_from_the_page(self, client_for, letter, owner, dept_head) -> None:
        url = reverse("letters:letter-void", args=[letter.pk])
        assert client_for(owner).post(url, {"reason": "x"}).status_code == 403
        client_for(dept_head).post(url, {"reason": "", "version": letter.version})
        letter.refresh_from_db()
        assert letter.state == LetterState.VALID
        client_for(dept_head).post(url, {"reason": "银行退回", "version": letter.version})
        letter.refresh_from_db()
        assert letter.state == LetterState.VOID and letter.state_reason == "银行退回"

    def test_pdf(self, client_for, letter, owner, outsider) -> None:
        response = client_for(owner).get(reverse("letters:letter-pdf", args=[letter.pk]))
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        text = _text(response.content)
        assert letter.number in text and "捌拾万元整" in text and "800,000.00" in text and "连带责任保证" in text
        assert f"/letters/verify/{letter.token}/" in "".join(text.split())
        assert client_for(outsider).get(reverse("letters:letter-pdf", args=[letter.pk])).status_code == 404

    def test_the_qr_code_carries_the_verification_address(self, letter, rf, settings) -> None:
        settings.DANBAO_PUBLIC_URL = "https://verify.example.cn/"
        url = pdf.verify_url(letter, rf.get("/"))
        assert url == f"https://verify.example.cn/letters/verify/{letter.token}/"
        html = pdf.letter_html(letter, url)
        assert pdf.qr_data_uri(url) in html
        try:
            from pyzbar.pyzbar import decode  # type: ignore[import-not-found]
        except ImportError:
            # No QR decoder on this machine: the QR code embedded is the one made from exactly this
            # address, and the SVG is a real QR symbol (version ≥ 1: 21+ modules plus the quiet zone).
            svg = pdf.qr_svg(url).decode()
            assert 'viewBox="0 0 ' in svg and int(svg.split('viewBox="0 0 ')[1].split(" ")[0]) >= 29
        else:  # pragma: no cover - only where pyzbar and zbar are installed
            import io

            import qrcode

            image = qrcode.make(url)
            out = io.BytesIO()
            image.save(out)
            from PIL import Image

            assert decode(Image.open(out))[0].data.decode() == url

    def test_without_the_setting_the_request_address_is_used(self, letter, rf, settings) -> None:
        settings.DANBAO_PUBLIC_URL = ""
        assert pdf.verify_url(letter, rf.get("/", HTTP_HOST="danbao.local")) == f"http://danbao.local/letters/verify/{letter.token}/"

    def test_register_and_export(self, client_for, letter, owner, outsider, dept_head, nobody) -> None:
        url = reverse("letters:register")
        html = client_for(owner).get(url).content.decode()
        assert letter.number in html
        assert letter.number not in client_for(outsider).get(url).content.decode()
        assert client_for(nobody).get(url).status_code == 403
        assert letter.number in client_for(owner).get(url, {"state": "valid", "kind": "guarantee"}).content.decode()
        assert letter.number not in client_for(owner).get(url, {"state": "void"}).content.decode()
        assert letter.number not in client_for(owner).get(url, {"issued_from": "2099-01-01"}).content.decode()
        export = client_for(dept_head).get(url, {"export": "xlsx"})
        assert export.status_code == 200 and "spreadsheet" in export["Content-Type"]
        assert client_for(owner).get(url, {"export": "xlsx"}).status_code == 403

    def test_dossier_section(self, client_for, letter, owner) -> None:
        html = client_for(owner).get(reverse("projects:project-detail", args=[letter.project_id])).content.decode()
        assert 'data-testid="dossier-letters"' in html and letter.number in html


class TestVerifyPage:
    @pytest.fixture(autouse=True)
    def _fresh_counter(self) -> None:
        cache.clear()

    def test_shows_only_number_bank_amount_state(self, client, letter, world) -> None:
        response = client.get(reverse("letters:verify", args=[letter.token]))
        assert response.status_code == 200
        html = response.content.decode()
        assert letter.number in html and "工商银行长沙分行" in html and "800,000.00" in html and "有效" in html
        customer = world["customer"]
        for secret in (customer.name, customer.identity_code, letter.project.number, letter.project.approval_number, "王业务"):
            assert secret and secret not in html
        assert "no-store" in response["Cache-Control"]
        assert "noindex" in response["X-Robots-Tag"] and 'name="robots" content="noindex' in html

    def test_states(self, client, letter, dept_head) -> None:
        services.letter_release(actor=dept_head, letter=letter, reason="已还清")
        assert "已解除" in client.get(reverse("letters:verify", args=[letter.token])).content.decode()

    def test_void_state(self, client, letter, dept_head) -> None:
        services.letter_void(actor=dept_head, letter=letter, reason="作废")
        assert "已作废" in client.get(reverse("letters:verify", args=[letter.token])).content.decode()

    def test_unknown_token_is_a_neutral_404(self, client, letter) -> None:
        for token in (letter.token[:-1] + ("A" if letter.token[-1] != "A" else "B"), "x", "a" * 200):
            response = client.get(reverse("letters:verify", args=[token]))
            assert response.status_code == 404 and letter.number not in response.content.decode()
            assert "no-store" in response["Cache-Control"]

    def test_rate_limit(self, client, letter) -> None:
        from danbao.letters import parameters

        url = reverse("letters:verify", args=[letter.token])
        limit = parameters.param_int(parameters.VERIFY_LIMIT)
        for _ in range(limit):
            assert client.get(url).status_code == 200
        response = client.get(url)
        assert response.status_code == 429 and "请稍后" in response.content.decode()
        other = client.get(url, REMOTE_ADDR="10.9.8.7")
        assert other.status_code == 200

    def test_signed_in_staff_see_the_same(self, client_for, letter, owner) -> None:
        html = client_for(owner).get(reverse("letters:verify", args=[letter.token])).content.decode()
        assert letter.number in html and letter.project.customer.name not in html


def test_views_declare_their_gate() -> None:
    from danbao.letters import views

    assert views.verify.required_permissions == () and views.verify.gate == "public_token"
    assert views.checklist.required_permissions == (selectors.VIEW,)


def test_confirm_all_helper_leaves_everything_met(approved, owner, risk_manager) -> None:
    confirm_all(approved, owner, risk_manager)
    assert set(ConditionItem.objects.filter(project=approved).values_list("state", flat=True)) == {ConditionState.MET}
