"""Demo projects: about 350 guarantee projects spread over every pre-lending state (about 190 of them
approved, for the contract, security, letter and disbursement demos of the later steps), driven
through the real services (intake rules and screening, due diligence through the registered demo
hooks, flows, committee meetings with votes, approval letters, a few changes), so histories, audit
and flow timelines are consistent. Deterministic (fixed seed) and idempotent: nothing is added once
demo projects exist.

History is back-dated: a demo clock (`DemoClock`) stands in for `django.utils.timezone.now` while a
project is driven, starting at its intake date (spread over the last ~18 months; open projects are
recent) and moving forward a few working days per step, so transitions, audit events, flow tasks,
meetings, terms and letters carry dates in order after the intake instead of the seeding day.

`seed_flows` (step 48, before the products step) publishes the approval and change flows so the
demo products bind their approval bands to them."""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.utils import timezone

from danbao.core.errors import DomainError
from danbao.customers.models.customer import Customer
from danbao.org.models import User
from danbao.partners.models import Bank
from danbao.products.selectors import active_products_on
from danbao.projects import demo_hooks, services
from danbao.projects.flows import flows_ensure
from danbao.projects.models import Project, ProjectState
from danbao.projects.services.common import APPROVAL_FLOW_TYPE

SEED = 20260601
DEMO_NOTE = "[演示数据]"
# (A-role, B-role): the A-role's department owns the project.
PAIRS = (("manager", "manager2"), ("manager2", "manager"), ("manager3", "manager"), ("manager4", "manager3"))
# Final state (or "committee"/"gm": waiting at that step of the approval) → how many.
PLAN = (
    ("accepted", 24),
    ("due_diligence", 30),
    ("risk_review", 28),
    ("approving_dept", 16),
    ("approving_committee", 12),
    ("approving_gm", 10),
    ("returned", 8),
    ("approved", 196),  # a few stop at risk review: a pre-approval rule refuses them (kept, audited)
    ("rejected", 10),
    ("withdrawn", 12),
    ("override_pending", 3),
    ("declined", 3),
)
# When the application came in, in days before today: closed projects over the last ~18 months,
# open ones recent enough that their pending step is days or weeks old, not a year.
INTAKE_DAYS_AGO = {
    "accepted": (1, 10),
    "override_pending": (1, 6),
    "due_diligence": (6, 30),
    "risk_review": (25, 50),
    "approving_dept": (30, 60),
    "approving_committee": (35, 70),
    "approving_gm": (40, 80),
    "returned": (35, 75),
}
CLOSED_DAYS_AGO = (45, 540)
PURPOSES = ("购买种苗化肥", "收购粮食", "扩大养殖规模", "购置农机设备", "冷链仓储建设", "补充流动资金", "茶园改造", "采购饲料")
REPAYMENTS = ("bullet", "interest_monthly", "annuity", "equal_principal")


class DemoClock:
    """The demo's "now": while a project is driven, `timezone.now()` answers this clock, which starts
    at the project's intake and moves forward by working days per step (two seconds per reading,
    so rows written by one service stay in order). It never passes `limit` (shortly before the real
    now): a step that would is squeezed into the time left."""

    def __init__(self, real_now: dt.datetime) -> None:
        self.real_now = real_now
        self.limit = real_now - timedelta(hours=1)
        self.at: dt.datetime | None = None

    def __call__(self) -> dt.datetime:
        if self.at is None:
            return self.real_now
        self.at = min(self.at + timedelta(seconds=2), self.real_now - timedelta(minutes=1))
        return self.at

    def set(self, at: dt.datetime) -> None:
        self.at = min(at, self.limit)

    def advance(self, rng: random.Random, low_days: float, high_days: float) -> dt.datetime:
        """Move forward by a random number of days to a weekday's office hours."""
        assert self.at is not None
        target = office_hours(self.at + timedelta(days=rng.uniform(low_days, high_days)), rng)
        if target >= self.limit:
            target = self.at + (self.limit - self.at) / 2
        self.at = max(target, self.at + timedelta(minutes=1))
        return self.at


def office_hours(moment: dt.datetime, rng: random.Random) -> dt.datetime:
    """The same (or next working) day between 09:00 and 17:30, local time."""
    day = timezone.localtime(moment).date()
    while day.weekday() >= 5:
        day += timedelta(days=1)
    minute = rng.randint(9 * 60, 17 * 60 + 30)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(minute // 60, minute % 60)))


@contextmanager
def demo_clock(clock: DemoClock) -> Iterator[DemoClock]:
    """`django.utils.timezone.now` answers `clock` inside the block (modules call `timezone.now()`
    through the module, and so do model fields with auto_now, history and audit)."""
    original = timezone.now
    timezone.now = clock  # type: ignore[assignment]
    try:
        yield clock
    finally:
        timezone.now = original  # type: ignore[assignment]


def seed_flows() -> str:
    gm = User.objects.filter(username="gm", is_active=True).first()
    if gm is None:
        return "no general manager: flows not created"
    return f"{flows_ensure(gm)} project flows published"


def _users(*names: str) -> dict[str, User]:
    return {u.username: u for u in User.objects.filter(username__in=names, is_active=True)}


def _pending(user: User, project: Project) -> Any:
    from danbao.projects.selectors import pending_task_for

    return pending_task_for(user, project)


def _approve_step(project: Project, who: list[User], comment: str = "同意") -> bool:
    from danbao.workflow.services import task_approve

    for user in who:
        task = _pending(user, project)
        if task is not None:
            task_approve(actor=user, task=task, comment=comment)
            return True
    return False


def _step_users(project: Project, users: dict[str, User]) -> list[User]:
    from danbao.projects.selectors import running_instance
    from danbao.workflow.models import Task

    instance = running_instance(project, APPROVAL_FLOW_TYPE)
    if instance is None:
        return []
    ids = Task.objects.filter(instance=instance, status=Task.Status.PENDING).values_list("assignee_id", flat=True)
    return list(User.objects.filter(pk__in=list(ids)))


class Committee:
    """Holds meetings for projects waiting at the committee step: agenda, attendance, votes, decision."""

    def __init__(self, secretary: User | None) -> None:
        from danbao.review.models import CommitteeMember

        self.secretary = secretary
        self.members = list(CommitteeMember.objects.filter(is_active=True).select_related("user").order_by("pk"))
        self.count = 0

    @property
    def ready(self) -> bool:
        return self.secretary is not None and len(self.members) >= 3

    def decide(self, projects: list[tuple[Project, str]], when: Any, clock: DemoClock | None = None) -> int:
        """One meeting deciding each (project, "agree"|"disagree") by the members' votes. Under the
        demo clock the agenda is set two days before `when` and the meeting is held at `when`."""
        from danbao.review.services.meetings import (
            attendance_set,
            item_add,
            item_decide,
            meeting_close,
            meeting_convene,
            meeting_create,
            vote_cast,
        )
        from danbao.workflow.models import NodeRun

        if not self.ready or not projects:
            return 0
        self.count += 1
        if clock is not None:
            clock.set(when - timedelta(days=2))
        meeting = meeting_create(
            actor=self.secretary,
            title=f"第{self.count}次项目评审会",
            scheduled_at=when,
            chair=self.members[0],
            members=self.members[1:],
            place="公司三楼会议室",
        )
        items = []
        for project, choice in projects:
            from danbao.projects.selectors import running_instance

            instance = running_instance(project, APPROVAL_FLOW_TYPE)
            run = NodeRun.objects.filter(instance=instance, kind="committee", status=NodeRun.Status.ACTIVE).first()
            if run is None:
                continue
            items.append((item_add(actor=self.secretary, meeting=meeting, node_run=run), choice))
        for member in self.members:
            attendance_set(actor=self.secretary, meeting=meeting, member=member, status="present")
        if not items:
            return 0
        if clock is not None:
            clock.set(when)
        meeting_convene(actor=self.secretary, meeting=meeting)
        for item, choice in items:
            for index, member in enumerate(self.members):
                vote = choice if index < len(self.members) - 1 else "agree"
                text = "第一还款来源充足，反担保措施有效，同意" if vote == "agree" else "经营现金流不足以覆盖本息，不同意"
                try:
                    vote_cast(actor=member.user, item=item, choice=vote, opinion=text)
                except DomainError:
                    continue  # a recused or related member does not vote
            item_decide(actor=self.secretary, item=item, note="按表决规则决议")
        meeting_close(actor=self.secretary, meeting=meeting)
        return len(items)


@contextmanager
def _inside_seed_transaction() -> Iterator[None]:
    """`seed_demo` runs every step inside one atomic block, where Django refuses the entry services'
    `atomic(durable=True)`. The demo is one batch that commits or rolls back as a whole, so for its
    duration the enclosing block is treated like a test case's (Django's own `_from_testcase` flag);
    the services still open their savepoints and take their locks. Outside a block: no change."""
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


def seed() -> str:
    with _inside_seed_transaction(), demo_clock(DemoClock(timezone.now())) as clock:
        return _seed(clock)


def _flagged_customers() -> set[int]:
    """Customers with an open screening hit: their applications need an intake exception."""
    from danbao.customers.models import ScreeningHit

    return set(ScreeningHit.objects.filter(status="open").values_list("customer_id", flat=True))


def _schedule(rng: random.Random, real_now: dt.datetime) -> list[tuple[dt.datetime, str]]:
    """Every planned project with its intake moment, oldest first (numbers then follow the dates)."""
    plan = []
    for state, count in PLAN:
        low, high = INTAKE_DAYS_AGO.get(state, CLOSED_DAYS_AGO)
        for _ in range(count):
            plan.append((office_hours(real_now - timedelta(days=rng.uniform(low, high)), rng), state))
    plan.sort(key=lambda item: item[0])
    return plan


def _seed(clock: DemoClock) -> str:
    if Project.objects.filter(note__startswith=DEMO_NOTE).exists():
        return f"demo projects exist ({Project.objects.count()} projects)"
    started = time.monotonic()
    rng = random.Random(SEED)  # noqa: S311 - demo data
    users = _users("manager", "manager2", "manager3", "manager4", "risk", "risk2", "depthead", "depthead2", "gm", "chairman")
    if "risk" not in users or "gm" not in users or not any(a in users for a, _ in PAIRS):
        return "demo users missing: no projects"
    flows_ensure(users["gm"])
    products = [(p, v) for p, v in active_products_on() if v.bands.exists()]
    banks = list(Bank.objects.filter(parent__isnull=True, is_active=True, agreements__status="in_force").distinct().order_by("code"))
    if not products or not banks:
        return "no product with approval bands or no bank with an agreement: no projects"
    branches = {b.pk: list(b.branches.filter(is_active=True)) for b in banks}
    committee = Committee(users.get("risk2"))
    flagged = _flagged_customers()
    pools: dict[str, tuple[list[Customer], list[Customer]]] = {}
    for a, b in PAIRS:
        if a in users and b in users:
            mine = list(Customer.objects.filter(manager=users[a], status="active").order_by("pk"))
            pools[a] = ([c for c in mine if c.pk not in flagged], [c for c in mine if c.pk in flagged])
    made: dict[str, int] = {}
    skipped = 0
    at_committee: list[tuple[Project, str, str]] = []
    for index, (intake_at, target) in enumerate(_schedule(rng, clock.real_now)):
        a_name, b_name = PAIRS[index % len(PAIRS)]
        clean, exceptions = pools.get(a_name) or ([], [])
        # An intake exception needs a rule asking for one: a customer with an open screening hit.
        pool = exceptions if target in ("override_pending", "declined") and exceptions else clean
        project = None
        for _attempt in range(6):
            if not pool:
                break
            clock.set(intake_at)
            customer = pool[rng.randrange(len(pool))]
            fitting = [(p, v) for p, v in products if customer.kind in (v.customer_kinds or [customer.kind])]
            if not fitting:
                continue
            product, version = fitting[rng.randrange(len(fitting))]
            low, high = max(version.amount_min, Decimal(100_000)), min(version.amount_max, Decimal(8_000_000))
            steps = int((high - low) / 50_000) if high > low else 0
            amount = low + 50_000 * rng.randint(0, steps)
            bank = banks[rng.randrange(len(banks))]
            try:
                project = services.project_intake(
                    actor=users[a_name],
                    customer=customer,
                    product=product,
                    amount=amount,
                    term_months=rng.randint(version.term_min_months, version.term_max_months),
                    purpose=PURPOSES[rng.randrange(len(PURPOSES))],
                    repayment_method=REPAYMENTS[rng.randrange(len(REPAYMENTS))],
                    bank=bank,
                    branch=(branches[bank.pk] or [None])[rng.randrange(max(1, len(branches[bank.pk])))],
                    manager_a=users[a_name],
                    manager_b=users[b_name],
                    note=DEMO_NOTE,
                    override_reason="名单疑似命中，客户经理已核实不是同一主体" if customer.pk in flagged else "",
                    on=timezone.localdate(),
                )
            except DomainError:
                skipped += 1
                continue
            break
        if project is None:
            continue
        reached = _drive(project, target, users, at_committee, rng, clock)
        made[reached] = made.get(reached, 0) + 1
        if len(at_committee) >= 8:
            _flush(committee, at_committee, users, rng, clock)
    _flush(committee, at_committee, users, rng, clock)
    _changes(users, rng, clock)
    clock.at = None
    counts = {s: Project.objects.filter(note__startswith=DEMO_NOTE, state=s).count() for s in ProjectState.values}
    elapsed = time.monotonic() - started
    shown = ", ".join(f"{k} {v}" for k, v in counts.items() if v)
    summary = f"{sum(counts.values())} demo projects in {elapsed:.0f}s ({shown})"
    return f"{summary}; {skipped} applications refused by rules; {committee.count} meetings"


def _to_review(project: Project, clock: DemoClock, rng: random.Random) -> None:
    """Due diligence takes one to three weeks; the registered hooks write the report, the visit and
    the materials, both managers sign, then the A-role hands the project to risk review (the
    diligence readiness check in REVIEW_SUBMIT_CHECKS applies as for anyone)."""
    clock.advance(rng, 7, 20)
    demo_hooks.run("before_review", project)
    clock.advance(rng, 0.1, 1)
    services.project_review_submit(actor=project.manager_a, project=project)


def _override(project: Project, users: dict[str, User], approve: bool, reason: str) -> None:
    """The exception is decided by the head of the project's department (else the general manager)."""
    from danbao.projects.selectors import project_in_scope

    heads = [users[name] for name in ("depthead", "depthead2", "gm") if name in users]
    head = next((u for u in heads if u.department_id == project.department_id and project_in_scope(u, project)), None)
    head = head or next((u for u in heads if project_in_scope(u, project)), users["gm"])
    services.project_override_decide(actor=head, project=project, approve=approve, reason=reason)


def _drive(project: Project, target: str, users: dict[str, User], at_committee: list[Any], rng: random.Random, clock: DemoClock) -> str:
    """Take an accepted project towards `target` through the services; returns where it stopped."""
    a = project.manager_a
    risk = users["risk"]
    try:
        if project.state == ProjectState.OVERRIDE_PENDING:
            if target == "override_pending":
                return target
            clock.advance(rng, 1, 3)
            approve = target != "declined"
            reason = "已核实名单命中为同名不同人，同意受理" if approve else "名单命中无法排除，不予受理"
            _override(project, users, approve, reason)
            if target == "declined":
                return target
        if target == "accepted":
            return target
        clock.advance(rng, 1, 4)
        if target == "withdrawn" and rng.random() < 0.5:
            services.project_withdraw(actor=a, project=project, reason="客户已从他行获得贷款，放弃申请")
            return target
        services.project_diligence_start(actor=a, project=project)
        demo_hooks.run("diligence_started", project)
        if target == "due_diligence":
            return target
        _to_review(project, clock, rng)
        if target == "withdrawn":
            clock.advance(rng, 1, 5)
            services.project_withdraw(actor=a, project=project, reason="客户经营计划调整，撤回申请")
            return target
        clock.advance(rng, 2, 6)
        if target == "risk_review":
            if rng.random() < 0.3:
                services.project_review_return(actor=risk, project=project, reason="请补充近三个月银行流水和主要合同")
                _to_review(project, clock, rng)
            return target
        services.project_approval_submit(
            actor=risk,
            project=project,
            recommendation="disagree" if target == "rejected" else rng.choice(["agree", "conditional"]),
            opinion="经审查，借款人主营稳定，第一还款来源基本充足，反担保措施可行。"
            if target != "rejected"
            else "借款人负债率偏高，现金流紧张。",
            risk_points="农产品价格波动；以应收账款质押和实际控制人连带保证缓释",
            suggested_conditions="实际控制人夫妇提供连带责任反担保；落实存货质押登记后放款",
        )
        if target == "approving_dept":
            return target
        clock.advance(rng, 1, 3)
        heads = _step_users(project, users)
        if target == "returned":
            from danbao.workflow.services import task_return

            task = _pending(heads[0], project) if heads else None
            if task is not None:
                task_return(actor=heads[0], task=task, reason="请补充反担保物权属证明", target="submitter")
            return target
        if target == "rejected" and rng.random() < 0.5:
            from danbao.workflow.services import task_reject

            task = _pending(heads[0], project) if heads else None
            if task is not None:
                task_reject(actor=heads[0], task=task, comment="担保额度超出客户偿债能力，不同意")
            return target
        _approve_step(project, heads, "同意，提交评审会")
        at_committee.append((project, "disagree" if target == "rejected" else "agree", target, clock.at))
        return target
    except DomainError:
        project.refresh_from_db()
        return str(project.state)


def _flush(committee: Committee, queue: list[Any], users: dict[str, User], rng: random.Random, clock: DemoClock) -> None:
    """Hold a meeting for the queued projects a few days after the last one joined the agenda, then
    take the approved ones on to their target (general manager, chairman) in the days after it."""
    if not queue:
        return
    deciding = [(p, choice) for p, choice, target, _at in queue if target != "approving_committee"]
    clock.set(max(at for *_rest, at in queue))
    when = clock.advance(rng, 1, 4)
    if committee.ready:
        committee.decide(deciding, when, clock)
    else:
        from danbao.projects.selectors import running_instance
        from danbao.workflow.services import committee_complete

        for project, choice in deciding:
            result = "approved" if choice == "agree" else "rejected"
            committee_complete(actor=None, instance=running_instance(project, APPROVAL_FLOW_TYPE), result=result, comment="评审会决议")
    for project, _choice, target, _at in queue:
        project.refresh_from_db()
        if target not in ("approved",) or project.state != ProjectState.APPROVING:
            continue
        clock.set(when)
        for _step in range(3):  # general manager, then the chairman on major flows
            who = _step_users(project, users)
            if not who:
                break
            clock.advance(rng, 0.5, 3)
            if _is_last_step(project) and rng.random() < 0.6:
                _write_terms(project, who, rng)
            _approve_step(project, who, "同意")
            project.refresh_from_db()
            if project.state != ProjectState.APPROVING:
                break
    queue.clear()


def _is_last_step(project: Project) -> bool:
    from danbao.projects.selectors import running_instance

    instance = running_instance(project, APPROVAL_FLOW_TYPE)
    if instance is None:
        return False
    ids = [n["id"] for n in instance.version.graph.get("nodes", []) if n.get("kind") == "approval"]
    return bool(ids) and instance.current_node == ids[-1]


def _write_terms(project: Project, who: list[User], rng: random.Random) -> None:
    version = project.product_version
    amount = (project.amount * Decimal(rng.choice(["1", "1", "0.9", "0.8"]))).quantize(Decimal("10000"))
    amount = max(amount, version.amount_min, Decimal("10000"))
    for user in who:
        try:
            services.project_terms_save(
                actor=user,
                project=project,
                amount=min(amount, project.amount),
                term_months=project.term_months,
                fee_rate=version.fee_rate_default,
                counter_guarantees="实际控制人夫妇提供连带责任保证；应收账款质押",
                conditions="1. 落实反担保措施；2. 签订委托担保合同并缴纳担保费后出具担保函",
            )
            return
        except DomainError:
            continue


def _changes(users: dict[str, User], rng: random.Random, clock: DemoClock) -> None:
    """Three approved projects ask for a longer term a month or two after approval; the first change
    is approved through its flow."""
    approved = list(Project.objects.filter(note__startswith=DEMO_NOTE, state=ProjectState.APPROVED).order_by("pk")[:3])
    for index, project in enumerate(approved):
        terms = project.terms.filter(effective_at__isnull=False).order_by("-sequence").first()
        if terms is None:
            continue
        clock.set(terms.effective_at)
        clock.advance(rng, 30, 60)
        version = project.product_version
        term = min(terms.term_months + 6, version.term_max_months)
        amount = terms.amount if term != terms.term_months else terms.amount - Decimal(50_000)
        try:
            services.project_change_request(
                actor=project.manager_a,
                project=project,
                amount=amount,
                term_months=term,
                bank=terms.bank,
                branch=terms.branch,
                reason="生产周期延长，申请调整期限",
            )
        except DomainError:
            continue
        if index == 0:
            from danbao.workflow.models import Task

            for _step in range(3):
                task = Task.objects.filter(
                    instance__flow_type="project.change", instance__object_id__in=project.changes.values("pk"), status="pending"
                ).first()
                if task is None:
                    break
                from danbao.workflow.services import task_approve

                clock.advance(rng, 1, 3)
                task_approve(actor=task.assignee, task=task, comment="同意变更")
