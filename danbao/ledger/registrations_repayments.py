"""Registrations of the repayment, release and maturity work of the ledger (imported by
`ledger.registrations`): the release permission and its default grants, audit event names."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.audit import labels
from danbao.ledger.repayments import RELEASE
from danbao.org import permissions, roles

if "ledger_release" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "ledger_release",
            pgettext_lazy("ledger app", "Release of guarantees"),
            ((RELEASE, _("Release (解保) in-force guarantees of projects in the data scope once repaid")),),
        )
    )
for _role in ("business_manager", "risk_manager", "dept_head", "general_manager"):
    roles.register_default_grants(_role, RELEASE)

labels.register_labels(
    {
        "ledger.repayment_recorded": pgettext_lazy("audit event", "Repayment recorded"),
        "ledger.repayment_reversed": pgettext_lazy("audit event", "Repayment reversed"),
        "ledger.repayments_imported": pgettext_lazy("audit event", "Bank repayments imported"),
        "ledger.guarantee_released": pgettext_lazy("audit event", "Guarantee released"),
        "ledger.maturity_reminders": pgettext_lazy("audit event", "Maturity reminders sent"),
    }
)

# --- menu -----------------------------------------------------------------------------------------

from danbao.core import menu  # noqa: E402
from danbao.core.menu import MenuItem  # noqa: E402
from danbao.ledger.selectors import RECORD_ANY, VIEW  # noqa: E402

if "ledger.maturity" not in menu.items:
    menu.register_item(MenuItem("ledger.maturity", "aftercare", _("Maturity list"), "ledger:maturity-list", VIEW, 14, "ti-calendar-due"))
if "ledger.repayment_import" not in menu.items:
    menu.register_item(
        MenuItem(
            "ledger.repayment_import", "aftercare", _("Import bank repayments"), "ledger:repayment-import", RECORD_ANY, 16, "ti-upload"
        )
    )

# --- maturity reminders: message kind and the nightly job -----------------------------------------

from danbao.notifications.registry import MessageKind, kinds, register_kind  # noqa: E402
from danbao.system.services import jobs as system_jobs  # noqa: E402

if "ledger.maturity_reminder" not in kinds:
    register_kind(
        MessageKind(
            "ledger.maturity_reminder",
            _("Guarantee maturing soon"),
            _("{number} {customer} matures in {days} days"),
            _("The guarantee of project {number} ({customer}, {bank}) matures on {maturity}, in {days} days; loan balance {balance} yuan."),
            {
                "number": "DB-2026-0001",
                "customer": "某某农业科技有限公司",
                "bank": "中国工商银行某支行",
                "maturity": "2026-12-31",
                "days": "30",
                "balance": "500,000.00",
            },
        )
    )

_job = system_jobs.DefaultJob(
    "在保担保到期提醒",
    "danbao.ledger.tasks.maturity_reminders",
    "10",
    "7",
    "每天 07:10 提醒A角客户经理30/15/7天内到期的在保担保（每档一次）",
)
if not any(job.task == _job.task for job in system_jobs.DEFAULT_JOBS):
    system_jobs.DEFAULT_JOBS.append(_job)

# --- demo -----------------------------------------------------------------------------------------

from danbao.core import demo  # noqa: E402


def _run_demo_repayments() -> str:
    from danbao.ledger.demo_repayments import seed

    return seed()


if "ledger_repayments" not in demo.steps:
    demo.register(demo.DemoStep("ledger_repayments", 125, _run_demo_repayments))

# --- extensions (展期) through the workflow ---------------------------------------------------------

from danbao.workflow import registry as flows  # noqa: E402


def _extension_executor(name: str):  # type: ignore[no-untyped-def]
    def run(obj, *, instance, actor) -> None:  # type: ignore[no-untyped-def]
        from danbao.ledger import extensions

        getattr(extensions, name)(obj, instance=instance, actor=actor)

    return run


def _extension_url(extension) -> str:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    return reverse("ledger:guarantee-detail", args=[extension.guarantee_id])


flows.register(
    flows.FlowType(
        code="ledger.extension",
        label=_("Loan extension (展期)"),
        model="ledger.Extension",
        fields={"amount": "decimal", "department": "int", "manager_a": "user"},
        values=lambda ext: {
            "amount": ext.loan.balance,
            "department": ext.guarantee.project.department_id,
            "manager_a": ext.guarantee.project.manager_a_id,
        },
        field_labels={"amount": _("Principal outstanding (yuan)"), "department": _("Department"), "manager_a": _("A-role manager")},
        excluded_users=lambda ext: {ext.requested_by_id},
        on_approved=_extension_executor("on_approved"),
        on_rejected=_extension_executor("on_rejected"),
        on_withdrawn=_extension_executor("on_ended"),
        on_terminated=_extension_executor("on_ended"),
        describe=lambda ext: f"贷款展期 {ext.guarantee.project.number} {ext.loan.contract_number} 至 {ext.new_maturity.isoformat()}",
        department_of=lambda ext: ext.guarantee.project.department,
        url_of=_extension_url,
    ),
    replace=True,
)
labels.register_labels(
    {
        "ledger.extension_requested": pgettext_lazy("audit event", "Loan extension requested"),
        "ledger.extension_approved": pgettext_lazy("audit event", "Loan extension approved"),
        "ledger.extension_rejected": pgettext_lazy("audit event", "Loan extension rejected"),
    }
)
