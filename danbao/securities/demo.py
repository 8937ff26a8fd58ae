"""Demo counter-guarantees (step 105, after the contracts step 100 which seeds the templates): for every
approved demo project (note starts with projects.demo.DEMO_NOTE)

* the actual controller's and the spouse's personal guarantees (实际控制人夫妇连带责任保证);
* every second project a real-estate mortgage with owner, appraisal, registration (他项权证),
  insurance on some, and the title certificate in custody; the first three mortgage projects share one
  factory building (最高额) with part of its value allocated to each;
* every third project a receivables pledge;
* each measure's contract generated and signed through the contracts services (with a small scan),
  evidence uploaded, and the measure put in place through `measure_fulfil` — except one project in
  fourteen, left pending (contract not signed, no evidence);
* two pending revaluations waiting for the risk manager.

Everything goes through the services (as the project's A-role manager, the risk manager, the archivist),
inside seed_demo's one transaction. Idempotent: a project with any measure is skipped.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone

from danbao.core.errors import DomainError
from danbao.customers.models.customer import PERSON_KINDS
from danbao.projects.demo import DEMO_NOTE
from danbao.projects.models import Project, ProjectState
from danbao.securities import services
from danbao.securities.models import Collateral, Measure

PENDING_EVERY = 14  # one project in fourteen keeps its measures pending
REGION = "430104"  # 长沙市岳麓区
SURNAMES = "王李张刘陈杨黄赵周吴徐孙胡朱高林何郭马罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华"


@contextmanager
def _inside_seed_transaction() -> Iterator[None]:
    """Let the entry services' durable blocks run inside seed_demo's one atomic block (as a test case
    does); outside a block nothing changes. Same device as projects.demo."""
    blocks = connection.atomic_blocks
    if not blocks:
        yield
        return
    outer, before = blocks[-1], blocks[-1]._from_testcase
    outer._from_testcase = True
    try:
        yield
    finally:
        outer._from_testcase = before


def _ric(rng: random.Random, male: bool) -> str:
    from danbao.customers.identity import ric_check_char

    birth = dt.date(1965, 1, 1) + dt.timedelta(days=rng.randrange(9000))
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{REGION}{birth:%Y%m%d}{seq:03d}"
    return body + ric_check_char(body)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def pdf(name: str) -> SimpleUploadedFile:
    from danbao.contracts.demo import scan_pdf

    upload = scan_pdf(name)
    upload.name = f"{name}.pdf"
    return upload


def _address(rng: random.Random) -> str:
    district = rng.choice(["岳麓区", "天心区", "雨花区", "开福区"])
    estate = rng.choice(["梅溪湖", "洋湖", "滨江"])
    return f"长沙市{district}{estate}小区{rng.randrange(1, 30)}栋{rng.randrange(101, 2801)}室"


def _round(value: Decimal) -> Decimal:
    return (value / Decimal("10000")).quantize(Decimal("1")) * Decimal("10000")


class Seeder:
    def __init__(self, rng: random.Random) -> None:
        from danbao.org.models import User

        self.rng = rng
        self.risk = User.objects.filter(username="risk").first()
        self.archivist = User.objects.filter(username="archivist").first()
        self.shared: dict[int, list[Any]] = {}  # manager pk -> [collateral, allocations left]
        self.counts = {"measures": 0, "fulfilled": 0, "collateral": 0, "contracts": 0, "revaluations": 0}

    # --- collateral ---

    def real_estate(self, actor: Any, owner: str, owner_id: str, value: Decimal, name: str, address: str) -> Collateral:
        rng = self.rng
        collateral = services.collateral_create(
            actor=actor,
            type="real_estate",
            name=name,
            attributes={
                "address": address,
                "certificate_no": f"湘(2023)长沙市不动产权第{rng.randrange(100000, 999999):07d}号",
                "area": str(Decimal(rng.randrange(8000, 60000)) / 100),
                "use": rng.choice(["住宅", "商业", "工业"]),
            },
            owners=[{"party_type": "person", "name": owner, "id_code": owner_id, "share_percent": "100"}],
            appraisal={
                "value": value,
                "appraiser": rng.choice(["湖南中联评估有限公司", "长沙天健房地产评估有限公司"]),
                "appraised_on": timezone.localdate() - dt.timedelta(days=rng.randrange(20, 90)),
                "method": "市场比较法",
            },
        )
        self.registered(actor, collateral, "长沙市不动产登记中心")
        self.counts["collateral"] += 1
        return collateral

    def registered(self, actor: Any, collateral: Collateral, office: str) -> None:
        services.registration_record(
            actor=actor,
            collateral=collateral,
            registry_office=office,
            certificate_no=f"湘(2026)长沙市不动产证明第{self.rng.randrange(1000000, 9999999)}号",
            registered_on=timezone.localdate() - dt.timedelta(days=self.rng.randrange(1, 15)),
            priority=1,
            secured_amount=collateral.current_value,
        )

    def custody(self, collateral: Collateral) -> None:
        """The archivist takes the title documents into custody (once the collateral secures a project,
        which puts it in the archivist's reach)."""
        if self.archivist is None or collateral.custody.exists():
            return
        services.custody_in(
            actor=self.archivist,
            collateral=collateral,
            document="不动产权证书原件、不动产登记证明",
            location=f"档案室 权证柜{self.rng.randrange(1, 6)}号",
            reason="抵押登记完成，权证入库保管",
        )

    def receivable(self, actor: Any, project: Project, value: Decimal) -> Collateral:
        rng = self.rng
        debtor = rng.choice(
            ["湖南省农业发展集团有限公司", "长沙市城市建设投资有限公司", "中联重科股份有限公司", "步步高商业连锁股份有限公司"]
        )
        collateral = services.collateral_create(
            actor=actor,
            type="receivable",
            name=f"{project.customer.name}对{debtor}的应收账款",
            attributes={
                "debtor": debtor,
                "amount": str(value),
                "due": (timezone.localdate() + dt.timedelta(days=rng.randrange(90, 300))).isoformat(),
            },
            owners=[
                {
                    "party_type": "person" if project.customer.kind in PERSON_KINDS else "company",
                    "name": project.customer.name,
                    "id_code": project.customer.identity_code or "",
                }
            ],
            appraisal={
                "value": value,
                "appraiser": "本公司风险管理部",
                "appraised_on": timezone.localdate() - dt.timedelta(days=10),
                "method": "账面核实",
            },
        )
        services.registration_record(
            actor=actor,
            collateral=collateral,
            registry_office="中国人民银行征信中心动产融资统一登记公示系统",
            certificate_no=f"{rng.randrange(10**19, 10**20)}",
            registered_on=timezone.localdate() - dt.timedelta(days=rng.randrange(1, 10)),
        )
        self.counts["collateral"] += 1
        return collateral

    # --- measures ---

    def measure(self, actor: Any, project: Project, requirement: str, **data: Any) -> Measure:
        measure = services.measure_create(actor=actor, project=project, requirement=requirement, **data)
        self.counts["measures"] += 1
        return measure

    def put_in_place(self, actor: Any, measure: Measure, *, complete: bool) -> None:
        from danbao.contracts import services as contracts
        from danbao.contracts.demo import scan_pdf
        from danbao.core.attachments.services import attachment_add

        try:
            contract = contracts.contract_generate(
                actor=actor, project=measure.project, kind=measure.contract_kind, subject_key=measure.subject_key
            )
        except DomainError:
            return  # no published template of that kind: the measure stays pending
        self.counts["contracts"] += 1
        if not complete:
            return
        contracts.contract_sign(
            actor=actor,
            contract=contract,
            signed_on=timezone.localdate(),
            signatories=f"反担保人：{measure.provider_name}；担保人：{actor.real_name or actor.username}（授权代表）",
            scan=scan_pdf(contract.number),
        )
        attachment_add(
            actor=actor,
            owner=measure,
            kind="evidence",
            upload=pdf(f"{measure.project.number}-落实凭证-{measure.pk}"),
            note="反担保落实凭证",
        )
        services.measure_fulfil(actor=actor, measure=measure)
        self.counts["fulfilled"] += 1

    def project(self, index: int, project: Project) -> None:
        rng = self.rng
        actor = project.manager_a
        complete = index % PENDING_EVERY != PENDING_EVERY - 1
        amount = project.approved_amount or project.amount
        parties = {p.kind: p for p in project.customer.related_parties.filter(ended_on__isnull=True, party_type="person")}
        controller = parties.get("actual_controller") or parties.get("legal_representative")
        measures: list[Measure] = []
        if controller is not None and (controller.party_id_code or controller.party_customer_id):
            measures.append(
                self.measure(
                    actor,
                    project,
                    "实际控制人提供连带责任保证",
                    kind="personal_guarantee",
                    provider_source="related",
                    related_party=controller,
                )
            )
            controller_name, controller_id = controller.display_name, controller.party_id_code or _ric(rng, True)
        else:
            controller_name, controller_id = project.customer.legal_rep_name or _person(rng), _ric(rng, True)
            measures.append(
                self.measure(
                    actor,
                    project,
                    "实际控制人提供连带责任保证",
                    kind="personal_guarantee",
                    provider_source="third",
                    provider_type="person",
                    provider_name=controller_name,
                    provider_id_code=controller_id,
                )
            )
        spouse = parties.get("spouse")
        if spouse is not None and spouse.party_id_code:
            measures.append(
                self.measure(
                    actor,
                    project,
                    "实际控制人配偶提供连带责任保证",
                    kind="personal_guarantee",
                    provider_source="related",
                    related_party=spouse,
                )
            )
        else:
            measures.append(
                self.measure(
                    actor,
                    project,
                    "实际控制人配偶提供连带责任保证",
                    kind="personal_guarantee",
                    provider_source="third",
                    provider_type="person",
                    provider_name=_person(rng),
                    provider_id_code=_ric(rng, False),
                )
            )
        if index % 2 == 0:
            mortgage = self.measure(
                actor,
                project,
                "房产抵押",
                kind="mortgage",
                provider_source="third",
                provider_type="person",
                provider_name=controller_name,
                provider_id_code=controller_id,
                description="住宅房产抵押反担保",
            )
            # 最高额: the first mortgage projects of two managers share a building (a manager reaches
            # the collateral they registered; each allocation takes part of its value).
            shared = self.shared.get(actor.pk)
            if shared is None and len(self.shared) < 2:
                building = self.real_estate(
                    actor,
                    controller_name,
                    controller_id,
                    _round(amount * Decimal("8")),
                    f"麓谷工业园标准厂房{len(self.shared) + 8}栋（最高额抵押）",
                    f"长沙市岳麓区麓谷工业园{len(self.shared) + 8}栋",
                )
                shared = self.shared[actor.pk] = [building, 3]
            if shared is not None and shared[1] > 0:
                headroom = shared[0].current_value - sum(a.allocated_value for a in shared[0].allocations.filter(released_at__isnull=True))
                services.allocation_add(
                    actor=actor, measure=mortgage, collateral=shared[0], allocated_value=min(_round(amount * Decimal("1.6")), headroom)
                )
                self.custody(shared[0])
                shared[1] -= 1
            else:
                value = _round(amount / Decimal("0.7") * Decimal(rng.choice(["1.1", "1.25", "1.5"])))
                house = self.real_estate(
                    actor,
                    controller_name,
                    controller_id,
                    value,
                    f"{controller_name}名下住宅",
                    _address(rng),
                )
                services.allocation_add(actor=actor, measure=mortgage, collateral=house, allocated_value=value)
                self.custody(house)
                if index % 4 == 0:
                    services.insurance_record(
                        actor=actor,
                        collateral=house,
                        insurer="中国人民财产保险股份有限公司长沙市分公司",
                        policy_no=f"PQAA2026{rng.randrange(10**8, 10**9)}",
                        amount=value,
                        starts_on=timezone.localdate() - dt.timedelta(days=5),
                        ends_on=timezone.localdate() + dt.timedelta(days=360),
                        first_beneficiary="本担保公司",
                    )
            measures.append(mortgage)
        if index % 3 == 0:
            pledge = self.measure(
                actor, project, "应收账款质押", kind="pledge", provider_source="customer", description="应收账款质押反担保"
            )
            # Alone, the receivables must cover the guarantee (60 % pledge rate); beside a mortgage, half of it.
            share = Decimal("0.5") if index % 2 == 0 else Decimal("1.8")
            receivable = self.receivable(actor, project, _round(amount * share))
            services.allocation_add(actor=actor, measure=pledge, collateral=receivable, allocated_value=receivable.current_value)
            measures.append(pledge)
        for measure in measures:
            self.put_in_place(actor, measure, complete=complete)

    def revaluations(self) -> None:
        """Two revaluations proposed by a manager, waiting for the risk manager's confirmation."""
        for collateral in Collateral.objects.filter(type="real_estate", current_value__isnull=False).order_by("pk")[:2]:
            if collateral.appraisals.filter(state="proposed").exists():
                continue
            services.appraisal_record(
                actor=collateral.created_by,
                collateral=collateral,
                value=_round(collateral.current_value * Decimal("0.92")),
                appraiser="湖南中联评估有限公司",
                appraised_on=timezone.localdate() - dt.timedelta(days=2),
                method="市场比较法（年度重估）",
            )
            self.counts["revaluations"] += 1


def seed() -> str:
    with _inside_seed_transaction():
        return _seed()


def _seed() -> str:
    started = time.monotonic()
    services.ensure_setup()
    from danbao.contracts.services import ensure_contract_templates

    ensure_contract_templates()  # idempotent; the contracts step (100) normally did it
    projects = list(
        Project.objects.filter(note__startswith=DEMO_NOTE, state=ProjectState.APPROVED)
        .exclude(measures__isnull=False)
        .select_related("customer", "manager_a")
        .order_by("pk")
    )
    if not projects:
        return "nothing to do (no approved demo project without measures)"
    seeder = Seeder(random.Random(20261129))  # noqa: S311 - demo data
    for index, project in enumerate(projects):
        seeder.project(index, project)
    seeder.revaluations()
    c = seeder.counts
    return (
        f"{c['measures']} measures ({c['fulfilled']} in place), {c['collateral']} collateral, "
        f"{c['contracts']} counter-guarantee contracts, "
        f"{c['revaluations']} revaluations pending, {time.monotonic() - started:.1f} s"
    )
