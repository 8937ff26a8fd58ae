"""Banks (tree rules, unique codes), contacts, risk-sharing partners (fees from the dated parameters)
and channels: happy paths, refusals, permissions, audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.errors import DomainError
from danbao.partners import selectors, services
from danbao.partners.models import Bank, Channel, Partner, PartnerKind
from danbao.partners.tests.factories import make_bank

pytestmark = pytest.mark.django_db
W = Decimal(10_000)


def _refused(expected: str, fn, **kwargs) -> DomainError:
    with pytest.raises(DomainError) as info:
        fn(**kwargs)
    assert info.value.code == expected, info.value
    return info.value


def test_bank_tree_and_codes(gm) -> None:
    mark = audit_mark()
    head = services.bank_create(actor=gm, code=" ccb-hn ", name="中国建设银行湖南省分行", licence_no="B0004B243000001")
    assert head.code == "CCB-HN" and head.is_head_office
    assert_one_event("partners.bank_created", since=mark, actor_id=gm.pk)
    branch = services.bank_create(actor=gm, code="CCB-CS", name="建行长沙芙蓉支行", parent=head)
    assert branch.head_office == head
    _refused("partners.code_duplicate", services.bank_create, actor=gm, code="ccb-cs", name="重复")
    _refused("partners.parent_not_head_office", services.bank_create, actor=gm, code="CCB-X", name="支行下的支行", parent=branch)
    _refused("partners.parent_has_branches", services.bank_update, actor=gm, bank=head, parent=make_bank("ABC"))
    _refused("partners.required", services.bank_create, actor=gm, code="X1", name=" ")
    assert Bank.objects.count() == 3


def test_bank_deactivation_needs_a_reason_and_blocks_new_agreements(gm) -> None:
    bank = make_bank("BCS", "长沙银行")
    _refused("partners.reason_required", services.bank_set_active, actor=gm, bank=bank, active=False)
    services.bank_set_active(actor=gm, bank=bank, active=False, reason="停止合作")
    from danbao.partners.tests.factories import agreement_terms

    _refused(
        "partners.bank_inactive", services.agreement_create, actor=gm, bank=Bank.objects.get(pk=bank.pk), manager=gm, **agreement_terms()
    )


def test_bank_services_check_permission(owner, dept_head) -> None:
    for actor in (owner, dept_head):
        _refused("partners.permission_denied", services.bank_create, actor=actor, code="X", name="X")


def test_contacts(gm) -> None:
    bank = make_bank("PSBC")
    contact = services.contact_save(actor=gm, bank=bank, name="王晓梅", title="三农金融部经理", phone="0731-84000003", email="")
    services.contact_deactivate(actor=gm, contact=contact)
    contact.refresh_from_db()
    assert not contact.is_active and contact.history.count() == 2
    _refused("partners.required", services.contact_save, actor=gm, bank=bank, name="")


def _fund(actor, **extra) -> Partner:
    fields = {"code": "NFGF", "name": "国家融资担保基金", "kind": PartnerKind.NATIONAL_FUND, "share_rate": Decimal("0.2")}
    fields.update(extra)
    return services.partner_create(actor=actor, **fields)


def test_partner_fee_reads_the_dated_fund_parameters(gm) -> None:
    from danbao.system.seeds import ensure_parameters

    ensure_parameters()
    fund = _fund(gm)
    assert selectors.partner_fee(fund, 300 * W, date(2026, 6, 1)).amount == Decimal("1800.00")  # TV-11
    assert selectors.partner_fee(fund, 500 * W, date(2026, 6, 1)).amount == Decimal("3000.00")  # exactly 500万: low band
    assert selectors.partner_fee(fund, 800 * W, date(2026, 6, 1)).amount == Decimal("8000.00")
    pool = services.partner_create(
        actor=gm, code="POOL", name="风险补偿资金池", kind=PartnerKind.RISK_POOL, share_rate=Decimal("0.1"), fee_rate_low=Decimal(0)
    )
    assert selectors.partner_fee(pool, 300 * W).amount == Decimal("0.00")  # pools charge nothing unless agreed


def test_partner_refusals(gm) -> None:
    _refused("partners.share_range", _fund, actor=gm, share_rate=Decimal("1.01"))
    _refused("partners.dates_reversed", _fund, actor=gm, valid_from=date(2027, 1, 1), valid_to=date(2026, 1, 1))
    _refused("partners.kind_invalid", _fund, actor=gm, kind="bank")
    _refused("partners.amount_negative", _fund, actor=gm, cap_amount=Decimal(-1))
    assert not Partner.objects.exists()


def test_partner_update_and_deactivation(gm, owner) -> None:
    fund = _fund(gm)
    mark = audit_mark()
    services.partner_update(actor=gm, partner=fund, share_rate=Decimal("0.3"))
    event = assert_one_event("partners.partner_updated", since=mark)
    assert event.data["changes"]["share_rate"]["after"] == "0.3"
    _refused("partners.permission_denied", services.partner_update, actor=owner, partner=fund, share_rate=Decimal("0.1"))
    _refused("partners.reason_required", services.partner_set_active, actor=gm, partner=fund, active=False)
    services.partner_set_active(actor=gm, partner=fund, active=False, reason="协议到期")
    assert not Partner.objects.get(pk=fund.pk).is_active


def test_loss_split_preview_with_the_national_chain(gm) -> None:
    services.partner_create(actor=gm, code="HNRG", name="省再担保", kind=PartnerKind.REGUARANTOR, share_rate=Decimal("0.2"))
    _fund(gm)
    preview = selectors.loss_split_preview(500 * W, Decimal("0.2"), 120 * W)
    finals = {row["name"]: row["final"] for row in preview.rows}
    assert finals["省再担保"] == 70 * W and finals["国家融资担保基金"] == 70 * W
    assert preview.paid_to_bank == 400 * W
    assert {(f["payer"], f["payee"], f["amount"]) for f in preview.flows} >= {("国家融资担保基金", "省再担保", 100 * W)}


def test_channels(dept_head, owner) -> None:
    mark = audit_mark()
    channel = services.channel_create(actor=dept_head, code="park-1", name="长沙经开区", kind="park", arrangement="园区推荐")
    assert channel.code == "PARK-1"
    assert_one_event("partners.channel_created", since=mark, actor_id=dept_head.pk)
    _refused("partners.code_duplicate", services.channel_create, actor=dept_head, code="PARK-1", name="重复", kind="park")
    _refused("partners.kind_invalid", services.channel_create, actor=dept_head, code="X", name="X", kind="club")
    _refused("partners.permission_denied", services.channel_create, actor=owner, code="Y", name="Y", kind="other")
    services.channel_update(actor=dept_head, channel=channel, contact_name="周主任")
    mark = audit_mark()
    _refused("partners.reason_required", services.channel_set_active, actor=dept_head, channel=channel, active=False)
    assert_no_event("partners.channel_deactivated", since=mark)
    services.channel_set_active(actor=dept_head, channel=channel, active=False, reason="园区撤并")
    assert Channel.objects.get(pk=channel.pk).history.count() == 3


def test_demo_step_is_idempotent(db) -> None:
    from danbao.org.demo import seed as org_seed
    from danbao.partners.demo import seed
    from danbao.partners.models import Agreement, AgreementStatus

    org_seed()
    seed()
    counts = (Bank.objects.count(), Agreement.objects.count(), Partner.objects.count(), Channel.objects.count())
    assert counts == (15, 5, 3, 6)
    assert Agreement.objects.filter(status=AgreementStatus.IN_FORCE).count() == 5
    assert "0 banks, 0 agreements, 0 risk-sharing partners, 0 channels created" in seed()
    assert (Bank.objects.count(), Agreement.objects.count(), Partner.objects.count(), Channel.objects.count()) == counts
