"""Every write of the monitoring app: plans and their nightly upkeep (`plans`), inspection reports,
photos and batch inspections (`reports`), risk events (`events`)."""

from danbao.monitoring.services.events import risk_event_close, risk_event_log, risk_event_record
from danbao.monitoring.services.plans import (
    monitoring_nightly,
    plan_generate,
    plan_replan,
    plans_create_missing,
    plans_deactivate,
    tasks_generate,
    tasks_remind,
)
from danbao.monitoring.services.reports import (
    batch_inspect,
    batch_write,
    photo_add,
    report_accept,
    report_return,
    report_save,
    report_start,
    report_submit,
)

__all__ = [
    "batch_inspect",
    "batch_write",
    "monitoring_nightly",
    "photo_add",
    "plan_generate",
    "plan_replan",
    "plans_create_missing",
    "plans_deactivate",
    "report_accept",
    "report_return",
    "report_save",
    "report_start",
    "report_submit",
    "risk_event_close",
    "risk_event_log",
    "risk_event_record",
    "tasks_generate",
    "tasks_remind",
]
