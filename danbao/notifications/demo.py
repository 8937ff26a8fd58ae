"""Demo messages: a welcome notice for every demo account and a few system messages; default templates."""

from __future__ import annotations

from django.db import transaction

from danbao.notifications.models import Message
from danbao.notifications.services import _create_message, message_templates_ensure_defaults
from danbao.org.models import Role, User

# kind, title, body, link, who gets it ("all", "role:<code>" or "user:<login>"), sender login or ""
DEMO_MESSAGES = [
    (
        "system.notice",
        "欢迎使用担保业务管理系统",
        "这是演示环境，所有客户与项目数据均为虚构。\n左侧菜单按角色显示；右上角铃铛显示未读消息数。",
        "/",
        "all",
        "",
    ),
    (
        "system.notice",
        "系统维护通知",
        "系统将于本周六 22:00 至 23:00 进行例行维护，届时暂停服务，请提前保存工作。",
        "",
        "all",
        "sysadmin",
    ),
    (
        "manual",
        "本周风险例会安排",
        "本周一上午 9:00 在三楼会议室召开风险例会，请各位风险经理准备在保项目的风险情况汇报。",
        "",
        "role:risk_manager",
        "sysadmin",
    ),
    (
        "system.job_failed",
        "定时任务 nightly-classification 执行失败",
        "定时任务 nightly-classification 于 02:00 执行失败：连接超时。请查看任务运行日志。",
        "",
        "user:sysadmin",
        "",
    ),
]


@transaction.atomic
def seed() -> str:
    """Idempotent: a message with the same kind and title is never created twice."""
    templates = message_templates_ensure_defaults()
    demo_users = User.objects.filter(is_demo=True, is_active=True)
    created = 0
    for kind, title, body, link, audience, sender_name in DEMO_MESSAGES:
        if Message.objects.filter(kind=kind, title=title).exists():
            continue
        if audience == "all":
            recipients, description = list(demo_users), "全体用户"
        elif audience.startswith("role:"):
            role = Role.objects.filter(code=audience[5:]).first()
            recipients = list(demo_users.filter(roles=role)) if role else []
            description = f"角色：{role.name}" if role else ""
        else:
            recipients = list(demo_users.filter(username=audience[5:]))
            description = f"用户：{recipients[0].real_name}" if recipients else ""
        if not recipients:
            continue
        sender = User.objects.filter(username=sender_name, is_demo=True).first() if sender_name else None
        _create_message(sender=sender, kind=kind, title=title, body=body, link=link, audience=description, recipients=recipients)
        created += 1
    return f"{created} messages, {templates} templates"
