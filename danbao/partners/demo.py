"""Demo partners: five banks of a Hunan provincial guarantor with branches and in-force agreements,
the national fund, the provincial re-guarantor, a government risk pool and six referral channels.
Idempotent: anything whose code or number exists is left alone."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import timezone

from danbao.org.models import User
from danbao.partners import parameters
from danbao.partners.models import Agreement, AgreementStatus, Bank, BankContact, Channel, Partner, PartnerKind
from danbao.partners.services import (
    agreement_activate,
    agreement_create,
    bank_create,
    channel_create,
    contact_save,
    partner_create,
)

W = Decimal(10_000)  # 万元

# code, name, short name, licence, branches (code, name), line (万元), bank share, margin, contact
BANKS: list[tuple[Any, ...]] = [
    (
        "ABC-HN",
        "中国农业银行湖南省分行",
        "农行湖南",
        "B0002B243000001",
        [("ABC-CS", "中国农业银行长沙分行"), ("ABC-LY", "中国农业银行浏阳市支行"), ("ABC-CD", "中国农业银行常德分行")],
        100_000,
        Decimal("0.20"),
        Decimal("0"),
        ("刘建华", "普惠金融事业部总经理", "0731-84000001"),
    ),
    (
        "CCB-HN",
        "中国建设银行湖南省分行",
        "建行湖南",
        "B0004B243000001",
        [("CCB-CS", "中国建设银行长沙芙蓉支行"), ("CCB-YY", "中国建设银行岳阳分行")],
        60_000,
        Decimal("0.20"),
        Decimal("0"),
        ("陈思源", "普惠金融部副总经理", "0731-84000002"),
    ),
    (
        "PSBC-HN",
        "中国邮政储蓄银行湖南省分行",
        "邮储湖南",
        "B0018B243000001",
        [("PSBC-HY", "中国邮政储蓄银行衡阳市分行")],
        40_000,
        Decimal("0.10"),
        Decimal("0.05"),
        ("王晓梅", "三农金融部经理", "0731-84000003"),
    ),
    (
        "CSRCB",
        "长沙农村商业银行",
        "长沙农商行",
        "B1096H243010001",
        [("CSRCB-WC", "长沙农村商业银行望城支行"), ("CSRCB-NX", "长沙农村商业银行宁乡支行")],
        30_000,
        Decimal("0"),
        Decimal("0.10"),
        ("李卫东", "公司业务部总经理", "0731-84000004"),
    ),
    (
        "BCS",
        "长沙银行",
        "长沙银行",
        "B0248H243010001",
        [("BCS-XT", "长沙银行湘潭分行"), ("BCS-ZZ", "长沙银行株洲分行")],
        20_000,
        Decimal("0.15"),
        Decimal("0.05"),
        ("赵敏", "小微企业部经理", "0731-84000005"),
    ),
]

PARTNERS: list[dict[str, Any]] = [
    dict(
        code="NFGF",
        name="国家融资担保基金有限责任公司",
        kind=PartnerKind.NATIONAL_FUND,
        share_rate=Decimal("0.20"),
        loss_rate_cap=Decimal("0.04"),
        agreement_number="国担基金再担保〔2024〕湘001号",
        contact_name="基金业务二部",
        note="再担保费率取系统参数（≤500万 0.3%，>500万 0.5%），按基金承担的风险部分计收；经省级再担保机构分险。",
    ),
    dict(
        code="HNRG",
        name="湖南省融资再担保有限公司",
        kind=PartnerKind.REGUARANTOR,
        share_rate=Decimal("0.20"),
        loss_rate_cap=Decimal("0.05"),
        agreement_number="湘再担〔2024〕018号",
        contact_name="再担保业务部",
        note="省级再担保分险比例不低于国家融资担保基金；费率同基金标准。",
    ),
    dict(
        code="HN-RCP",
        name="湖南省中小微企业融资风险补偿资金池",
        kind=PartnerKind.RISK_POOL,
        share_rate=Decimal("0.10"),
        cap_amount=Decimal(50_000_000),
        fee_rate_low=Decimal(0),
        fee_rate_high=Decimal(0),
        agreement_number="湘财金〔2024〕12号",
        contact_name="省财政厅金融处",
        note="对合作范围内小微企业贷款损失按10%补偿，年度补偿总额以资金池余额为限。",
    ),
]

CHANNELS: list[dict[str, Any]] = [
    dict(
        code="GOV-AGRI",
        name="湖南省农业农村厅",
        kind="government",
        contact_name="计划财务处",
        arrangement="新型农业经营主体名录推荐，不收取费用。",
    ),
    dict(code="GOV-IND", name="长沙市工业和信息化局", kind="government", contact_name="中小企业科", arrangement="专精特新企业白名单推送。"),
    dict(
        code="PARK-CSEDZ",
        name="长沙经济技术开发区管委会",
        kind="park",
        contact_name="企业服务中心",
        arrangement="园区企业集中推荐，园区贴息50%。",
    ),
    dict(code="PARK-LYHT", name="浏阳高新技术产业开发区", kind="park", contact_name="招商服务局", arrangement="园区入驻企业推荐。"),
    dict(
        code="BANK-ABC",
        name="中国农业银行湖南省分行（推荐）",
        kind="bank",
        contact_name="普惠金融事业部",
        arrangement="银行推荐客户，按总对总协议执行。",
    ),
    dict(
        code="AGENT-HX",
        name="湖南惠信融资服务有限公司",
        kind="intermediary",
        contact_name="周经理",
        arrangement="居间服务，不得向客户收费；机构按成功项目支付服务费0.2%。",
    ),
]


def seed() -> str:
    """Create what is missing; the agreements are put in force by the system (no maker-checker)."""
    parameters.ensure_parameters()
    today = timezone.localdate()
    manager = User.objects.filter(username="depthead").first() or User.objects.filter(is_active=True).order_by("pk").first()
    created = {"banks": 0, "agreements": 0, "partners": 0, "channels": 0}
    for index, (code, name, short, licence, branches, line, share, margin, contact) in enumerate(BANKS, start=1):
        bank = Bank.objects.filter(code=code).first()
        if bank is None:
            bank = bank_create(actor=None, code=code, name=name, short_name=short, licence_no=licence, address="湖南省长沙市")
            contact_save(actor=None, bank=bank, name=contact[0], title=contact[1], phone=contact[2])
            created["banks"] += 1
        for branch_code, branch_name in branches:
            if not Bank.objects.filter(code=branch_code).exists():
                bank_create(actor=None, code=branch_code, name=branch_name, parent=bank)
                created["banks"] += 1
        number = f"YD-HN-{index:03d}"
        if manager is not None and not Agreement.objects.filter(number=number).exists():
            agreement = agreement_create(
                actor=None,
                bank=bank,
                number=number,
                title=f"{name}与本公司银担合作协议",
                signed_date=date(today.year - 1, 12, 20),
                valid_from=date(today.year - 1, 1, 1),
                valid_to=date(today.year + 1, 12, 31),
                credit_line_amount=line * W,
                single_cap_amount=Decimal(10_000_000),
                bank_share_rate=share,
                margin_rate=margin,
                grace_days=90,
                payment_days=30,
                covers_principal=True,
                covers_interest=True,
                covers_penalty=False,
                covers_fees=False,
                loss_rate_cap=Decimal("0.03") if index == 4 else None,
                product_codes=["NDB-GEN", "XW-GEN"],
                manager=manager,
            )
            agreement_activate(actor=None, agreement=agreement, today=today)
            created["agreements"] += 1
    for spec in PARTNERS:
        if not Partner.objects.filter(code=spec["code"]).exists():
            partner_create(actor=None, valid_from=date(2024, 1, 1), valid_to=date(today.year + 2, 12, 31), **spec)
            created["partners"] += 1
    for spec in CHANNELS:
        if not Channel.objects.filter(code=spec["code"]).exists():
            channel_create(actor=None, **spec)
            created["channels"] += 1
    total = Agreement.objects.filter(status=AgreementStatus.IN_FORCE).count()
    contacts = BankContact.objects.count()
    return (
        f"{created['banks']} banks, {created['agreements']} agreements, {created['partners']} risk-sharing partners, "
        f"{created['channels']} channels created ({total} agreements in force, {contacts} bank contacts)"
    )
