"""What the risk app registers with the platform: permission codes and default grants, menu,
message kinds, to-dos, the nightly job and its demo step."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.notifications import registry as message_kinds
from danbao.notifications.registry import MessageKind
from danbao.org import permissions, roles

VIEW = "risk.view"
HANDLE = "risk.warning.handle"
CLASSIFY = "risk.classify"
CHECK = "risk.classification.check"
EXPORT = "risk.report.export"

if "risk" not in permissions.catalog:
    permissions.register(
        permissions.PermissionGroup(
            "risk",
            pgettext_lazy("risk app", "Risk warning and classification"),
            (
                (VIEW, _("View early warnings and classifications of guarantees in the data scope")),
                (HANDLE, _("Handle early warnings (acknowledge, act, close)")),
                (CLASSIFY, _("Confirm or override the suggested five-level class (maker)")),
                (CHECK, _("Check a five-level classification made by another person (checker)")),
                (EXPORT, _("Export the classification distribution report")),
            ),
        )
    )

for _role in ("business_manager", "risk_manager", "dept_head", "general_manager", "chairman"):
    roles.register_default_grants(_role, VIEW)
roles.register_default_grants("business_manager", HANDLE)
roles.register_default_grants("risk_manager", HANDLE, CLASSIFY, CHECK, EXPORT)
roles.register_default_grants("general_manager", CHECK, EXPORT)
roles.register_default_grants("dept_head", EXPORT)

if "risk.warning_new" not in message_kinds.kinds:
    message_kinds.register_kind(
        MessageKind(
            "risk.warning_new",
            _("New early warning"),
            _("New {level} early warning"),
            _("A new early warning was raised on a guarantee you manage: {reason}"),
            {"level": "红色", "reason": "逾期 95 天"},
        )
    )

# --- the nightly job and the demo step ------------------------------------------------------------

from danbao.core import demo  # noqa: E402
from danbao.system.services import jobs as system_jobs  # noqa: E402

_JOB = system_jobs.DefaultJob(
    "风险预警与五级分类建议",
    "danbao.risk.tasks.nightly",
    "45",
    "1",
    "每天 01:45 对在保业务批量运行预警规则（新增、升级、自动关闭预警）并生成五级分类建议",
)
if not any(job.task == _JOB.task for job in system_jobs.DEFAULT_JOBS):
    system_jobs.DEFAULT_JOBS.append(_JOB)


def _demo() -> str:
    from danbao.risk.demo import run

    return run()


if "risk" not in demo.steps:
    demo.register(demo.DemoStep("risk", 140, _demo))
