"""Demo data of the scorecards (idempotent): an enterprise and a farmer scorecard, published, and
assessments of some demo customers (household statements and credit reports are recorded through
the customers' services when a demo farmer or enterprise has none), one adjusted by a risk manager."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal as D
from typing import Any

from django.db import transaction

from danbao.core.errors import DomainError
from danbao.customers.models import CreditReport, Customer, FinancialStatement, HouseholdStatement
from danbao.customers.models.customer import CustomerKind
from danbao.scoring.calculate import FactorDef, GradeDef, OptionDef, parse_bins
from danbao.scoring.models import Assessment, ScorecardTemplate
from danbao.scoring.services import (
    assessment_adjust,
    assessment_run,
    factor_save,
    grades_save,
    template_create,
    version_publish,
)

CREDIT_BINS = "(-∞, 0] = 100\n(0, 2] = 50\n(2, +∞) = 0"
COVERAGE_BINS = "(-∞, 0.3) = 0\n[0.3, 0.6) = 40\n[0.6, 1) = 70\n[1, +∞) = 100"


def _f(code: str, name: str, kind: str, weight: str, source: str = "", bins: str = "", question: str = "", options: str = "") -> FactorDef:
    parsed = tuple(parse_bins(bins)[0]) if bins else ()
    opts = tuple(OptionDef(c, label, D(p)) for c, label, p in (line.split("|") for line in options.splitlines() if line)) if options else ()
    return FactorDef(code, name, kind, D(weight), source=source, question=question, bins=parsed, options=opts)


ENTERPRISE = [
    _f(
        "debt",
        "资产负债率",
        "financial",
        "20",
        "debt_to_asset",
        "(-∞, 0.5) = 100\n[0.5, 0.6) = 80\n[0.6, 0.7) = 60\n[0.7, 0.8) = 30\n[0.8, +∞) = 0",
    ),
    _f("current", "流动比率", "financial", "10", "current_ratio", "(-∞, 0.8) = 0\n[0.8, 1) = 40\n[1, 1.5) = 70\n[1.5, +∞) = 100"),
    _f("growth", "销售增长率", "financial", "10", "revenue_growth", "(-∞, -0.1) = 0\n[-0.1, 0) = 40\n[0, 0.1) = 70\n[0.1, +∞) = 100"),
    _f("margin", "净利润率", "financial", "10", "net_margin", "(-∞, 0) = 0\n[0, 0.03) = 50\n[0.03, 0.08) = 80\n[0.08, +∞) = 100"),
    _f("credit", "征信记录", "credit", "15", "overdue_count_24m", CREDIT_BINS),
    _f("years", "经营年限", "financial", "10", "years_in_business", "(-∞, 2) = 20\n[2, 5) = 60\n[5, 10) = 80\n[10, +∞) = 100"),
    _f(
        "controller",
        "实际控制人从业经验",
        "qualitative",
        "10",
        question="实际控制人在本行业的从业年限？",
        options="gt10|10年以上|100\n5to10|5至10年|80\n3to5|3至5年|50\nlt3|3年以下|20",
    ),
    _f("coverage", "反担保覆盖率", "coverage", "15", bins=COVERAGE_BINS),
]
FARMER = [
    _f(
        "networth",
        "家庭净资产",
        "financial",
        "20",
        "household_net_worth",
        "(-∞, 0) = 0\n[0, 200000) = 40\n[200000, 500000) = 70\n[500000, +∞) = 100",
    ),
    _f(
        "scale",
        "经营规模",
        "financial",
        "20",
        "household_income",
        "(-∞, 100000) = 30\n[100000, 300000) = 60\n[300000, 1000000) = 80\n[1000000, +∞) = 100",
    ),
    _f(
        "experience",
        "从业年限",
        "qualitative",
        "15",
        question="申请人从事现有种养殖业的年限？",
        options="gt10|10年以上|100\n5to10|5至10年|80\n2to5|2至5年|50\nlt2|2年以下|20",
    ),
    _f("credit", "征信记录", "credit", "20", "overdue_count_24m", CREDIT_BINS),
    _f("coverage", "反担保覆盖率", "coverage", "15", bins=COVERAGE_BINS),
    _f("village", "村委评价", "qualitative", "10", question="村委会对申请人的评价？", options="good|好|100\nfair|一般|60\npoor|差|0"),
]
SCORES = ("90", "80", "70", "60", "50", "40", "30", "20", "0")
GRADE_NAMES = ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C")


def _grades(amounts: list[str], fees: list[tuple[str, str] | None]) -> list[GradeDef]:
    out, upper = [], D(100)
    for grade, low, amount, fee in zip(GRADE_NAMES, SCORES, amounts, fees, strict=True):
        out.append(GradeDef(grade, D(low), upper, D(amount), D(fee[0]) if fee else None, D(fee[1]) if fee else None))
        upper = D(low)
    return out


ENTERPRISE_GRADES = _grades(
    ["5000000", "4000000", "3000000", "2000000", "1000000", "500000", "0", "0", "0"],
    [
        ("0.005", "0.008"),
        ("0.008", "0.010"),
        ("0.010", "0.012"),
        ("0.012", "0.015"),
        ("0.015", "0.020"),
        ("0.020", "0.025"),
        None,
        None,
        None,
    ],
)
FARMER_GRADES = _grades(
    ["3000000", "2000000", "1000000", "500000", "300000", "100000", "0", "0", "0"],
    [
        ("0.005", "0.005"),
        ("0.005", "0.006"),
        ("0.006", "0.007"),
        ("0.007", "0.008"),
        ("0.008", "0.008"),
        ("0.008", "0.008"),
        None,
        None,
        None,
    ],
)
TEMPLATES = [
    ("ENT-STD", "企业客户担保风险评分卡", [CustomerKind.ENTERPRISE, CustomerKind.INDIVIDUAL_BUSINESS], ENTERPRISE, ENTERPRISE_GRADES),
    ("FARM-STD", "农户担保风险评分卡", [CustomerKind.FARMER], FARMER, FARMER_GRADES),
]


def _template(code: str, name: str, kinds: list[str], factors: list[FactorDef], grades: list[GradeDef]) -> bool:
    if ScorecardTemplate.objects.filter(code=code).exists():
        return False
    template = template_create(actor=None, code=code, name=name, product_codes=[], customer_kinds=list(kinds), description="演示评分卡")
    draft = template.versions.get(number=1)
    for factor in factors:
        factor_save(actor=None, version=draft, factor=factor)
    grades_save(actor=None, version=draft, grades=grades)
    draft.change_note = "首版"
    draft.save(update_fields=["change_note"])
    version_publish(actor=None, version=draft)
    return True


def _as(user: Any, code: str) -> Any:
    return user if user is not None and user.is_active and user.can(code) else None


def _farmer_data(customer: Customer, rng: random.Random, year: int) -> None:
    """A household statement (via the customers' service, as the customer's manager) when there is none."""
    from danbao.customers.services_extras.financials import household_save

    manager = _as(customer.manager, "customers.statement.manage")
    if manager is None or HouseholdStatement.objects.filter(customer=customer).exists():
        return
    assets = D(rng.randrange(150, 1500) * 1000)
    income = D(rng.randrange(60, 900) * 1000)
    values = {
        "annual_income_amount": income,
        "annual_expenses_amount": (income * D(rng.randrange(50, 85)) / 100).quantize(D("1")),
        "total_assets_amount": assets,
        "total_liabilities_amount": (assets * D(rng.randrange(10, 70)) / 100).quantize(D("1")),
    }
    household_save(actor=manager, customer=customer, year=year, values=values)


def _credit_data(customer: Customer, rng: random.Random, today: date) -> None:
    """A consent and a credit report (via the customers' services) when the customer has none."""
    from danbao.customers.credit_providers import ProviderEntry
    from danbao.customers.services_extras.credit import consent_record, report_record

    manager = _as(customer.manager, "customers.credit.manage")
    if manager is None or CreditReport.objects.filter(customer=customer).exists():
        return
    signed = today - timedelta(days=30)
    consent = consent_record(
        actor=manager,
        customer=customer,
        values={
            "person_name": "",
            "person_id_code": "",
            "text_version": "2024版",
            "signed_on": signed,
            "scope": "担保业务审查",
            "valid_until": signed + timedelta(days=365),
        },
    )
    overdue = rng.choice([0, 0, 0, 1, 3])
    entries = [ProviderEntry("loan", "湖南农村商业银行", D("500000"), D("300000"), "正常")]
    entries += [
        ProviderEntry("overdue", "长沙银行", D("100000"), D("0"), "已结清", D("0"), 15, 1, today - timedelta(days=90 * (i + 1)))
        for i in range(overdue)
    ]
    report_record(
        actor=manager, customer=customer, query_date=today - timedelta(days=7), purpose="担保业务审查", entries=entries, consent=consent
    )


def _assess(customers: list[Customer], template: ScorecardTemplate, rng: random.Random, today: date) -> list[Assessment]:
    version = template.versions.get(status="published")
    questions = [f for f in version.factors.all() if f.kind == "qualitative"]
    done = []
    for customer in customers:
        answers = {f.code: rng.choice(f.options)["code"] for f in questions}
        coverage = D(rng.randrange(20, 160)) / 100
        actor = _as(customer.manager, "scoring.assessment.run")
        try:
            done.append(
                assessment_run(
                    actor=actor, subject=customer, customer=customer, template_version=version, answers=answers, coverage=coverage, on=today
                )
            )
        except DomainError:
            continue  # a closed customer or one outside the manager's scope: not assessed
    return done


@transaction.atomic
def seed() -> str:
    created = sum(_template(*spec) for spec in TEMPLATES)
    if Assessment.objects.exists():
        return f"{created} scorecard templates created, {Assessment.objects.count()} assessments kept"
    rng = random.Random(20250601)  # noqa: S311 - demo data
    today = date.today()
    with_statements = FinancialStatement.objects.filter(is_draft=False).values("customer")
    enterprises = list(
        Customer.objects.filter(kind=CustomerKind.ENTERPRISE, status="active", pk__in=with_statements)
        .select_related("manager")
        .order_by("pk")[:12]
    )
    farmers = list(Customer.objects.filter(kind=CustomerKind.FARMER, status="active").select_related("manager").order_by("pk")[:6])
    for customer in enterprises[:8] + farmers:
        _credit_data(customer, rng, today)
    for customer in farmers:
        _farmer_data(customer, rng, today.year - 1)
    done = _assess(enterprises, ScorecardTemplate.objects.get(code="ENT-STD"), rng, today)
    done += _assess(farmers, ScorecardTemplate.objects.get(code="FARM-STD"), rng, today)
    from danbao.org.models import User

    risk = next(
        (u for u in User.objects.filter(is_demo=True, roles__code="risk_manager").order_by("pk") if u.can("scoring.assessment.adjust")),
        None,
    )
    if risk is not None and done:
        target = done[0]
        answers = target.inputs.get("answers", {})
        current = answers.get("controller")
        new = "5to10" if current != "5to10" else "3to5"
        assessment_adjust(
            actor=risk, assessment=target, factor_code="controller", new_answer=new, reason="现场访谈核实：实际控制人从业年限与申报不符"
        )
    return f"{created} scorecard templates created, {len(done)} assessments"
