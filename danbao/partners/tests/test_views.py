"""Pages: who sees each page (view code), who may change (manage codes), 403 for the three
administrators and users without a role, 404 for missing records; happy paths through the forms."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from danbao.partners.models import Agreement, AgreementStatus, Bank, Channel, Partner, PartnerKind
from danbao.partners.tests.factories import exposure, in_force, make_agreement, make_bank

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(gm):
    from danbao.partners import services

    head = make_bank("ABC", "中国农业银行湖南省分行")
    branch = make_bank("ABC-CS", "农行长沙分行", parent=head)
    contact = services.contact_save(actor=None, bank=head, name="刘建华")
    agreement = in_force(head, gm, credit_line_amount=Decimal("1000000"), single_cap_amount=None)
    partner = services.partner_create(
        actor=None,
        code="POOL",
        name="风险补偿资金池",
        kind=PartnerKind.RISK_POOL,
        share_rate=Decimal("0.1"),
        fee_rate_low=Decimal(0),
        fee_rate_high=Decimal(0),
    )
    channel = services.channel_create(actor=None, code="PARK-1", name="长沙经开区", kind="park")
    return {"bank": head, "branch": branch, "contact": contact, "agreement": agreement, "partner": partner, "channel": channel}


def _view_pages(w) -> list[str]:
    return [
        reverse("partners:bank-list"),
        reverse("partners:bank-detail", args=[w["bank"].pk]),
        reverse("partners:bank-detail", args=[w["branch"].pk]),
        reverse("partners:agreement-list"),
        reverse("partners:agreement-detail", args=[w["agreement"].pk]),
        reverse("partners:partner-list"),
        reverse("partners:partner-detail", args=[w["partner"].pk]),
        reverse("partners:channel-list"),
        reverse("partners:channel-detail", args=[w["channel"].pk]),
    ]


def _manage_pages(w) -> list[str]:
    return [
        reverse("partners:bank-create"),
        reverse("partners:bank-edit", args=[w["bank"].pk]),
        reverse("partners:agreement-create"),
        reverse("partners:agreement-edit", args=[w["agreement"].pk]),
        reverse("partners:agreement-terminate", args=[w["agreement"].pk]),
        reverse("partners:partner-create"),
        reverse("partners:partner-edit", args=[w["partner"].pk]),
    ]


def _channel_pages(w) -> list[str]:
    return [reverse("partners:channel-create"), reverse("partners:channel-edit", args=[w["channel"].pk])]


def _posts(w) -> list[str]:
    return [
        reverse("partners:bank-active", args=[w["bank"].pk]),
        reverse("partners:contact-create", args=[w["bank"].pk]),
        reverse("partners:contact-deactivate", args=[w["bank"].pk, w["contact"].pk]),
        reverse("partners:agreement-activate", args=[w["agreement"].pk]),
        reverse("partners:partner-active", args=[w["partner"].pk]),
        reverse("partners:channel-active", args=[w["channel"].pk]),
    ]


@pytest.mark.parametrize("who", ["owner", "risk_manager", "dept_head", "finance", "gm", "chairman"])
def test_viewers_see_every_view_page(request, client_for, world, who) -> None:
    client = client_for(request.getfixturevalue(who))
    for url in _view_pages(world):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["sysadmin", "secadmin", "auditadmin", "nobody"])
def test_administrators_and_roleless_users_get_403_everywhere(request, client_for, world, who) -> None:
    client = client_for(request.getfixturevalue(who))
    for url in _view_pages(world) + _manage_pages(world) + _channel_pages(world):
        assert client.get(url).status_code == 403, url
    for url in _posts(world):
        assert client.post(url, {"active": "0", "reason": "x"}).status_code == 403, url
    assert Bank.objects.get(pk=world["bank"].pk).is_active


@pytest.mark.parametrize("who", ["owner", "risk_manager", "finance", "dept_head"])
def test_viewers_without_manage_get_403_on_manage_pages(request, client_for, world, who) -> None:
    client = client_for(request.getfixturevalue(who))
    for url in _manage_pages(world):
        assert client.get(url).status_code == 403, url
    for url in _posts(world)[:5]:
        assert client.post(url, {"active": "0", "reason": "x"}).status_code == 403, url


def test_channel_manage_pages(client_for, world, dept_head, owner, gm) -> None:
    for user, status in ((dept_head, 200), (gm, 200), (owner, 403)):
        client = client_for(user)
        for url in _channel_pages(world):
            assert client.get(url).status_code == status, (user, url)


def test_managers_open_every_manage_page(client_for, world, gm) -> None:
    client = client_for(gm)
    for url in _manage_pages(world) + _channel_pages(world):
        assert client.get(url).status_code == 200, url


def test_missing_records_are_404(client_for, gm, world) -> None:
    client = client_for(gm)
    for name in ("bank-detail", "agreement-detail", "partner-detail", "channel-detail", "bank-edit", "agreement-edit"):
        assert client.get(reverse(f"partners:{name}", args=[99999])).status_code == 404, name
    other = make_bank("CCB")
    url = reverse("partners:contact-deactivate", args=[other.pk, world["contact"].pk])  # contact of another bank
    assert client.post(url).status_code == 404


def test_anonymous_is_sent_to_login(client, world) -> None:
    response = client.get(reverse("partners:bank-list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_bank_list_shows_usage_bars_and_exports(client_for, world, owner, book) -> None:
    book.append(exposure("g1", "850000", "ABC-CS"))
    client = client_for(owner)
    page = client.get(reverse("partners:bank-list")).content.decode()
    assert 'data-level="amber"' in page and "85.0%" in page
    assert page.count('data-testid="usage-bar"') == 2  # the head office and its branch under the head-office agreement
    partial = client.get(reverse("partners:bank-list") + "?q=ABC", HTTP_HX_REQUEST="true", HTTP_HX_TARGET="list-region")
    assert partial.status_code == 200 and b"<html" not in partial.content
    export = client.get(reverse("partners:bank-list") + "?export=xlsx")
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_lists_export_and_filter(client_for, world, owner) -> None:
    client = client_for(owner)
    for name in ("agreement-list", "partner-list", "channel-list"):
        assert client.get(reverse(f"partners:{name}") + "?export=xlsx").status_code == 200, name
    page = client.get(reverse("partners:agreement-list") + "?status=in_force").content.decode()
    assert world["agreement"].number in page
    page = client.get(reverse("partners:agreement-list") + "?status=draft").content.decode()
    assert world["agreement"].number not in page


def test_agreement_page_shows_usage_terms_history(client_for, world, owner, book) -> None:
    book += [exposure("g1", "1000000", "ABC"), exposure("g2", "100000", "ABC-CS")]
    page = client_for(owner).get(reverse("partners:agreement-detail", args=[world["agreement"].pk])).content.decode()
    assert 'data-level="red"' in page and "110.0%" in page
    assert "-100,000.00" in page  # overdrawn: negative available
    assert "农行长沙分行" in page  # by-branch table
    assert "20%" in page  # bank share shown in percent
    assert 'data-testid="agreement-attachments"' in page


def _agreement_post(bank: Bank, manager, **overrides) -> dict:
    data = {
        "bank": bank.pk,
        "number": "YD-NEW-1",
        "title": "新协议",
        "valid_from": "2026-01-01",
        "valid_to": "2027-12-31",
        "credit_line_amount": "300000000",
        "single_cap_amount": "10000000",
        "bank_share_rate": "20",
        "margin_rate": "0",
        "grace_days": "90",
        "payment_days": "30",
        "covers_principal": "on",
        "product_codes": "ndb-gen, xw-gen",
        "manager": manager.pk,
    }
    data.update(overrides)
    return data


def test_agreement_form_refuses_reversed_dates_in_chinese_and_saves_nothing(client_for, world, gm) -> None:
    bank = make_bank("CCB", "建设银行")
    response = client_for(gm).post(reverse("partners:agreement-create"), _agreement_post(bank, gm, valid_to="2025-01-01"))
    assert response.status_code == 200
    assert "早于生效日" in response.content.decode()
    assert not Agreement.objects.filter(number="YD-NEW-1").exists()
    response = client_for(gm).post(reverse("partners:agreement-create"), _agreement_post(bank, gm, bank_share_rate="120"))
    assert "0% 到 100%" in response.content.decode()


def test_agreement_created_by_gm_put_in_force_by_chairman(client, client_for, world, gm, chairman) -> None:
    bank = make_bank("CCB", "建设银行")
    response = client_for(gm).post(reverse("partners:agreement-create"), _agreement_post(bank, gm))
    agreement = Agreement.objects.get(number="YD-NEW-1")
    assert response.status_code == 302 and response["Location"] == reverse("partners:agreement-detail", args=[agreement.pk])
    assert agreement.bank_share_rate == Decimal("0.2") and agreement.product_codes == ["NDB-GEN", "XW-GEN"]
    client_for(gm).post(reverse("partners:agreement-activate", args=[agreement.pk]))
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.DRAFT  # maker-checker
    client.logout()
    client_for(chairman).post(reverse("partners:agreement-activate", args=[agreement.pk]))
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.IN_FORCE


def test_agreement_edit_and_terminate(client_for, world, gm) -> None:
    agreement = world["agreement"]
    client = client_for(gm)
    data = _agreement_post(
        agreement.bank, gm, number=agreement.number, credit_line_amount="2000000", single_cap_amount="", version=agreement.version
    )
    assert client.post(reverse("partners:agreement-edit", args=[agreement.pk]), data).status_code == 302
    assert Agreement.objects.get(pk=agreement.pk).credit_line_amount == Decimal("2000000")
    response = client.post(reverse("partners:agreement-terminate", args=[agreement.pk]), {"reason": ""})
    assert response.status_code == 200 and Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.IN_FORCE
    client.post(reverse("partners:agreement-terminate", args=[agreement.pk]), {"reason": "合作到期提前终止"})
    assert Agreement.objects.get(pk=agreement.pk).status == AgreementStatus.TERMINATED
    response = client.get(reverse("partners:agreement-edit", args=[agreement.pk]))
    assert response.status_code == 302  # closed: back to the page with the message


def test_bank_forms_and_contacts(client_for, world, gm) -> None:
    client = client_for(gm)
    response = client.post(reverse("partners:bank-create"), {"code": "abc-cd", "name": "农行常德分行", "parent": world["bank"].pk})
    branch = Bank.objects.get(code="ABC-CD")
    assert response.status_code == 302 and branch.parent == world["bank"]
    response = client.post(reverse("partners:bank-create"), {"code": "ABC-CD", "name": "重复"})
    assert "已被" in response.content.decode()
    client.post(reverse("partners:contact-create", args=[branch.pk]), {"name": "张三", "phone": "0736-1234567"})
    assert branch.contacts.filter(name="张三").exists()
    client.post(reverse("partners:bank-active", args=[branch.pk]), {"active": "0", "reason": "网点撤并"})
    assert not Bank.objects.get(pk=branch.pk).is_active


def test_partner_pages_and_calculator(client_for, world, gm, owner) -> None:
    client = client_for(gm)
    response = client.post(
        reverse("partners:partner-create"),
        {
            "code": "HNRG",
            "name": "湖南省融资再担保",
            "kind": "reguarantor",
            "share_rate": "20",
            "fee_band_amount": "5000000",
            "fee_rate_low": "0.3",
            "fee_rate_high": "0.5",
        },
    )
    partner = Partner.objects.get(code="HNRG")
    assert response.status_code == 302 and partner.share_rate == Decimal("0.2") and partner.fee_rate_low == Decimal("0.003")
    page = client_for(owner).get(reverse("partners:partner-detail", args=[partner.pk])).content.decode()
    assert "1,800.00" in page and "8,000.00" in page  # TV-11 examples at 300万 and 800万
    page = client_for(owner).get(reverse("partners:partner-list") + "?loss=500&bank_share=20&recovered=120").content.decode()
    assert 'data-testid="split-table"' in page
    assert "2,500,000.00" in page  # original guarantor: 100 − 20 bank − 20 provincial − 10 pool = 50 %
    page = client_for(owner).get(reverse("partners:partner-list") + "?bank_share=95").content.decode()
    assert 'data-testid="calc-error"' in page


def test_channel_pages(client_for, world, dept_head, book) -> None:
    book += [exposure("g1", "1500000", channel_code="PARK-1", party="浏阳花炮厂"), exposure("g2", "500000", channel_code="PARK-1")]
    client = client_for(dept_head)
    page = client.get(reverse("partners:channel-detail", args=[world["channel"].pk])).content.decode()
    assert "浏阳花炮厂" in page and "2,000,000.00" in page
    listing = client.get(reverse("partners:channel-list")).content.decode()
    assert "2,000,000.00" in listing
    response = client.post(reverse("partners:channel-create"), {"code": "gov-1", "name": "县农业农村局", "kind": "government"})
    assert response.status_code == 302 and Channel.objects.filter(code="GOV-1").exists()
    client.post(reverse("partners:channel-active", args=[world["channel"].pk]), {"active": "0", "reason": "园区撤并"})
    assert not Channel.objects.get(pk=world["channel"].pk).is_active


def test_menu_shows_partner_items_to_viewers_only(client_for, world, owner, sysadmin) -> None:
    assert "合作银行" in client_for(owner).get(reverse("partners:agreement-list")).content.decode()
    from danbao.core.menu import menu_for

    labels = [str(i["label"]) for g in menu_for(sysadmin) for i in g.items]
    assert not any("合作" in label or "Partner" in label for label in labels)


def test_draft_page_offers_put_in_force_to_the_checker_only(client, client_for, world, gm, chairman) -> None:
    draft = make_agreement(make_bank("BCS"), gm, actor=gm)
    page = client_for(gm).get(reverse("partners:agreement-detail", args=[draft.pk])).content.decode()
    assert 'data-testid="agreement-activate"' not in page and 'data-testid="draft-note"' in page
    client.logout()
    page = client_for(chairman).get(reverse("partners:agreement-detail", args=[draft.pk])).content.decode()
    assert 'data-testid="agreement-activate"' in page


def test_list_pages_run_a_fixed_number_of_queries(client_for, world, gm, owner, book) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(owner)
    urls = [reverse("partners:bank-list"), reverse("partners:agreement-list"), reverse("partners:channel-list")]

    def counts() -> list[int]:
        client.get(urls[0])  # warm the session and the parameter cache
        result = []
        for url in urls:
            with CaptureQueriesContext(connection) as ctx:
                assert client.get(url).status_code == 200
            result.append(len(ctx.captured_queries))
        return result

    before = counts()
    for n in range(4):
        head = make_bank(f"QB{n}")
        make_bank(f"QB{n}-1", parent=head)
        in_force(head, gm)
        book.append(exposure(f"q{n}", "1000", f"QB{n}-1", channel_code="PARK-1"))
    assert counts() == before
