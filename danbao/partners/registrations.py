"""Permissions, default grants, menu, message kind, attachments, audit labels and the demo step of
the partners app (imported from PartnersConfig.ready)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from danbao.audit import labels as audit_labels
from danbao.core import demo, menu
from danbao.core.attachments.registry import AttachmentKind, register_owner
from danbao.core.menu import MenuGroup, MenuItem
from danbao.notifications.registry import MessageKind, kinds, register_kind
from danbao.org import permissions, roles
from danbao.partners.models import Agreement, Partner

VIEW = "partners.partner.view"
MANAGE = "partners.partner.manage"
CHANNEL_MANAGE = "partners.channel.manage"

PARTNERS = permissions.PermissionGroup(
    "partners",
    _("Partners and channels"),
    (
        (VIEW, _("View partner banks, agreements, risk-sharing partners and channels")),
        (MANAGE, _("Maintain partner banks, agreements and risk-sharing partners")),
        (CHANNEL_MANAGE, _("Maintain referral channels")),
    ),
)
permissions.register(PARTNERS)

for role in ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman", "finance"):
    roles.register_default_grants(role, VIEW)
# Agreements move risk numbers: maintained by the general manager, put in force by a second person
# (maker-checker), so the chairman holds the code too. Finance reads them only.
roles.register_default_grants("general_manager", MANAGE, CHANNEL_MANAGE)
roles.register_default_grants("chairman", MANAGE)
roles.register_default_grants("dept_head", CHANNEL_MANAGE)

# Partners get their own menu group between customers and projects (the kernel's groups are a registry).
if "partners" not in menu.groups:
    menu.groups.register("partners", MenuGroup("partners", _("Partners"), "ti-building-bank", 25))
for item in (
    MenuItem("partners.banks", "partners", _("Partner banks"), "partners:bank-list", VIEW, 10, "ti-building-bank"),
    MenuItem("partners.agreements", "partners", _("Cooperation agreements"), "partners:agreement-list", VIEW, 20, "ti-file-certificate"),
    MenuItem("partners.partners", "partners", _("Re-guarantee and funds"), "partners:partner-list", VIEW, 30, "ti-shield-half"),
    MenuItem("partners.channels", "partners", _("Referral channels"), "partners:channel-list", VIEW, 40, "ti-route"),
):
    menu.register_item(item)

if "partners.credit_line_warning" not in kinds:
    register_kind(
        MessageKind(
            "partners.credit_line_warning",
            _("Bank credit line nearly used"),
            _("Credit line of {bank} at {ratio}"),
            _("Agreement {agreement} with {bank}: {used} of the {limit} credit line is used ({ratio}); {available} is left."),
            {
                "bank": "中国建设银行XX省分行",
                "agreement": "YD-2026-001",
                "ratio": "82.5%",
                "used": "412,500,000.00",
                "limit": "500,000,000.00",
                "available": "87,500,000.00",
            },
        )
    )


def _can_view(user: Any, obj: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.can(VIEW))


def _agreement_changeable(user: Any, agreement: Agreement) -> bool:
    return _can_view(user, agreement) and user.can(MANAGE) and agreement.is_editable


def _partner_changeable(user: Any, partner: Partner) -> bool:
    return _can_view(user, partner) and user.can(MANAGE)


register_owner(
    Agreement,
    can_view=_can_view,
    can_change=_agreement_changeable,
    kinds=[
        AttachmentKind("signed", _("Signed agreement (scan)"), allowed=("pdf", "jpg", "png")),
        AttachmentKind("amendment", _("Supplementary agreement"), allowed=("pdf", "jpg", "png", "docx")),
        AttachmentKind("other", _("Other documents")),
    ],
)
register_owner(
    Partner,
    can_view=_can_view,
    can_change=_partner_changeable,
    kinds=[
        AttachmentKind("signed", _("Signed agreement (scan)"), allowed=("pdf", "jpg", "png")),
        AttachmentKind("other", _("Other documents")),
    ],
)


def _run_demo() -> str:
    from danbao.partners.demo import seed

    return seed()


demo.register(demo.DemoStep("partners", 60, _run_demo))

audit_labels.register_group("partners.", _("Partners"))
audit_labels.register_labels(
    {
        "partners.bank_created": _("Partner bank created"),
        "partners.bank_updated": _("Partner bank changed"),
        "partners.bank_deactivated": _("Partner bank deactivated"),
        "partners.bank_reactivated": _("Partner bank reactivated"),
        "partners.contact_saved": _("Bank contact saved"),
        "partners.contact_deactivated": _("Bank contact deactivated"),
        "partners.agreement_created": _("Agreement created"),
        "partners.agreement_updated": _("Agreement amended"),
        "partners.agreement_activate": _("Agreement put in force"),
        "partners.agreement_terminate": _("Agreement terminated"),
        "partners.agreement_expire": _("Agreement expired"),
        "partners.credit_line_level": _("Credit-line usage level changed"),
        "partners.partner_created": _("Risk-sharing partner created"),
        "partners.partner_updated": _("Risk-sharing partner changed"),
        "partners.partner_deactivated": _("Risk-sharing partner deactivated"),
        "partners.partner_reactivated": _("Risk-sharing partner reactivated"),
        "partners.channel_created": _("Channel created"),
        "partners.channel_updated": _("Channel changed"),
        "partners.channel_deactivated": _("Channel deactivated"),
        "partners.channel_reactivated": _("Channel reactivated"),
    }
)

# The two daily jobs join the system's default periodic jobs (created by `ensure_jobs`, editable there).
from danbao.system.services import jobs as system_jobs  # noqa: E402

for _job in (
    system_jobs.DefaultJob(
        "合作协议到期处理", "danbao.partners.tasks.expire_agreements", "30", "0", "每天 00:30 将已过到期日的银行合作协议标记为已到期"
    ),
    system_jobs.DefaultJob(
        "银行授信额度使用检查",
        "danbao.partners.tasks.check_credit_lines",
        "0",
        "7",
        "每天 07:00 计算各生效协议的授信额度使用率，达到预警线时提醒协议负责人",
    ),
):
    if not any(job.task == _job.task for job in system_jobs.DEFAULT_JOBS):
        system_jobs.DEFAULT_JOBS.append(_job)

from danbao.partners import parameters as _parameters  # noqa: E402
from danbao.system.seeds import register_parameter_seeder  # noqa: E402

register_parameter_seeder("partners", _parameters.ensure_parameters)
