"""Message kinds: each app registers the kinds of message it sends, with a default text.

Higher apps register in their AppConfig.ready() (e.g. "task.assigned"); `notify(kind=...)` renders
the administrator's template for the kind, or the default registered here when there is none.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from danbao.core.registry import Registry


@dataclass(frozen=True)
class MessageKind:
    """One kind of message: `subject`/`body` use {placeholder} fields listed in `placeholders`."""

    code: str
    label: str | Promise
    subject: str | Promise
    body: str | Promise
    placeholders: dict[str, str | Promise] = field(default_factory=dict)  # name -> sample value for the preview
    templated: bool = True  # False for kinds whose text the sender writes (no administrator template)


kinds: Registry[MessageKind] = Registry("message kinds")


def register_kind(kind: MessageKind) -> None:
    kinds.register(kind.code, kind)


def kind_label(code: str) -> str:
    """The label of a registered kind, or the code itself for a kind no longer registered."""
    return str(kinds.get(code).label) if code in kinds else code


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, str(k.label)) for k in kinds]


def templated_kind_choices() -> list[tuple[str, str]]:
    """Kinds an administrator can write templates for."""
    return [(k.code, str(k.label)) for k in kinds if k.templated]


PLATFORM_KINDS = (
    MessageKind(
        "manual",
        _("Message from a colleague"),
        "{title}",
        "{body}",
        {"title": _("Meeting notice"), "body": _("The weekly risk meeting starts at 9:00 on Monday.")},
        templated=False,
    ),
    MessageKind(
        "account.password_changed",
        _("Password changed"),
        _("Your password was changed"),
        _(
            "Hello {name}, the password of your account {username} was changed at {time}. "
            "If this was not you, contact the security administrator at once."
        ),
        {"name": "王立业", "username": "manager", "time": "2026-01-05 09:30"},
    ),
    MessageKind(
        "account.locked",
        _("Account locked"),
        _("Your account was locked"),
        _(
            "Hello {name}, your account {username} was locked after {failures} failed sign-in attempts. "
            "It unlocks automatically after {minutes} minutes, or ask the security administrator."
        ),
        {"name": "王立业", "username": "manager", "failures": "5", "minutes": "30"},
    ),
    MessageKind(
        "account.two_factor_changed",
        _("Two-factor authentication changed"),
        _("Two-factor authentication of your account changed"),
        _(
            "Hello {name}, two-factor authentication of your account {username} was {change} at {time}. "
            "If this was not you, contact the security administrator at once."
        ),
        {"name": "王立业", "username": "manager", "change": _("turned on"), "time": "2026-01-05 09:30"},
    ),
    MessageKind(
        "system.job_failed",
        _("Scheduled job failed"),
        _("Scheduled job {job} failed"),
        _("The scheduled job {job} failed at {time}: {error}. Check the job's run log."),
        {"job": "nightly-classification", "time": "2026-01-05 02:00", "error": "timeout"},
    ),
    MessageKind(
        "system.notice",
        _("System notice"),
        "{title}",
        "{body}",
        {"title": _("Welcome"), "body": _("Welcome to the guarantee management system.")},
    ),
)
