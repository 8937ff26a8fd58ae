"""Readable names for audit event types ("<area>.<action>"), so auditors read 登录失败, not auth.login_failed.

Areas (prefixes) feed the event-type filter; each app registers its own areas and event names in
AppConfig.ready(). An event type nobody named is shown as its code under its area's name.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

_groups: dict[str, str | Promise] = {}
_labels: dict[str, str | Promise] = {}


def register_group(prefix: str, label: str | Promise) -> None:
    """An area of events, e.g. ("customer.", "客户"). The prefix ends with a dot."""
    if not prefix.endswith("."):
        raise ValueError(f"audit event group prefix must end with a dot: {prefix!r}")
    _groups.setdefault(prefix, label)


def register_labels(labels: dict[str, str | Promise]) -> None:
    for code, label in labels.items():
        _labels.setdefault(code, label)


def group_choices(user: object = None) -> list[tuple[str, str | Promise]]:
    return sorted(_groups.items(), key=lambda item: item[0])


def group_of(event_type: str) -> str:
    matches = [prefix for prefix in _groups if event_type.startswith(prefix)]
    return str(_groups[max(matches, key=len)]) if matches else ""


def label_of(event_type: str) -> str:
    """The event's name; unnamed events fall back to their code."""
    label = _labels.get(event_type)
    return str(label) if label is not None else event_type


# Areas and events written by the platform floors (core, org, audit): they cannot import audit's
# registry order-independently, so audit names them here.
register_group("auth.", pgettext_lazy("audit area", "Sign-in and authentication"))
register_group("account.", pgettext_lazy("audit area", "Accounts and passwords"))
register_group("access.", pgettext_lazy("audit area", "Access refused"))
register_group("data.", pgettext_lazy("audit area", "Data viewing and export"))
register_group("attachment.", pgettext_lazy("audit area", "Attachments"))
register_group("user.", pgettext_lazy("audit area", "Users"))
register_group("role.", pgettext_lazy("audit area", "Roles and permissions"))
register_group("department.", pgettext_lazy("audit area", "Departments"))
register_group("position.", pgettext_lazy("audit area", "Positions"))
register_group("security.", pgettext_lazy("audit area", "Security administration"))
register_group("system.", pgettext_lazy("audit area", "System settings"))
register_group("audit.", pgettext_lazy("audit area", "Audit administration"))
register_group("message.", pgettext_lazy("audit area", "Messages"))
register_group("sensitive.", pgettext_lazy("audit area", "Sensitive data"))
register_labels(
    {
        "auth.login": _("Signed in"),
        "auth.login_failed": _("Sign-in failed"),
        "auth.logout": _("Signed out"),
        "auth.locked": _("Account locked after failed sign-ins"),
        "auth.unlocked": _("Account unlocked"),
        "auth.otp_ok": _("Second factor accepted"),
        "auth.otp_failed": _("Second factor refused"),
        "auth.reauthenticated": _("Password confirmed again (step-up)"),
        "auth.reauth_failed": _("Password confirmation failed (step-up)"),
        "auth.session_ended": _("Session ended"),
        "account.otp_enabled": _("Two-factor authentication enabled"),
        "account.otp_disabled": _("Two-factor authentication disabled"),
        "account.locked": _("Account locked"),
        "account.password_changed": _("Password changed"),
        "account.password_reset": _("Password reset"),
        "account.two_factor_changed": _("Two-factor settings changed"),
        "access.denied": _("Access refused"),
        "access.not_found": _("Object outside the user's scope requested"),
        "data.export": _("Data exported"),
        "data.view": _("Data viewed"),
        "attachment.uploaded": _("Attachment uploaded"),
        "attachment.downloaded": _("Attachment downloaded"),
        "attachment.refused": _("Attachment refused"),
        "attachment.voided": _("Attachment voided"),
        "attachment.verified": _("Attachments verified"),
        "attachment.integrity_failed": _("Attachment failed its integrity check"),
        "user.created": _("User created"),
        "user.changed": _("User changed"),
        "user.disabled": _("User disabled"),
        "user.roles_changed": _("User's roles changed"),
        "role.created": _("Role created"),
        "role.changed": _("Role changed"),
        "department.created": _("Department created"),
        "department.activated": _("Department activated"),
        "department.deactivated": _("Department deactivated"),
        "position.created": _("Position created"),
        "position.changed": _("Position changed"),
        "security.policy_changed": _("Security policy changed"),
        "security.role_2fa_changed": _("Two-factor requirement of a role changed"),
        "system.job_changed": _("Scheduled job changed"),
        "audit.search": _("Audit log searched"),
        "audit.view": _("Audit event opened"),
        "message.sent": _("Message sent"),
        "sensitive.unmasked": _("Masked personal data shown in full"),
    }
)
