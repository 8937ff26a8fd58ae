"""The security policy: one row, changed only by the security administrator, every change audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from danbao.core.events import security_event
from danbao.org import errors
from danbao.org.models import Role, SecurityPolicy, User

EDITABLE_FIELDS = (
    "password_min_length",
    "password_history_count",
    "password_max_age_days",
    "lockout_threshold",
    "lockout_minutes",
    "ip_failure_limit",
    "idle_timeout_minutes",
    "privileged_idle_timeout_minutes",
    "temporary_password_hours",
    "dormant_account_days",
    "two_factor_enabled",
)

# Bounds a regulator would accept (等保 8.1.4.1); the model's check constraints repeat the hard floors.
BOUNDS: dict[str, tuple[int, int]] = {
    "password_min_length": (8, 64),
    "password_history_count": (1, 24),
    "password_max_age_days": (1, 365),
    "lockout_threshold": (1, 10),
    "lockout_minutes": (1, 1440),
    "ip_failure_limit": (5, 1000),
    "idle_timeout_minutes": (1, 120),
    "privileged_idle_timeout_minutes": (1, 120),
    "temporary_password_hours": (1, 24),
    "dormant_account_days": (30, 365),
}


def _check(actor: User) -> None:
    if not actor.can("security.policy.manage"):
        raise errors.PERMISSION_DENIED.error()


def _validate(values: dict[str, Any]) -> list[str]:
    from django.utils.translation import gettext as _

    problems: list[str] = []
    for name, (low, high) in BOUNDS.items():
        value = values[name]
        if not low <= int(value) <= high:
            label = SecurityPolicy._meta.get_field(name).verbose_name
            problems.append(_("%(field)s must be between %(low)d and %(high)d.") % {"field": label, "low": low, "high": high})
    if values["privileged_idle_timeout_minutes"] > values["idle_timeout_minutes"]:
        problems.append(_("The administrators' idle timeout may not be longer than everyone else's."))
    return problems


@transaction.atomic
def policy_update(*, actor: User, **changes: Any) -> SecurityPolicy:
    """Change policy parameters; writes "security.policy_changed" with before and after values."""
    _check(actor)
    SecurityPolicy.current()
    policy = SecurityPolicy.objects.select_for_update().get(pk=1)
    before = {name: getattr(policy, name) for name in EDITABLE_FIELDS}
    after = {**before, **{k: v for k, v in changes.items() if k in EDITABLE_FIELDS}}
    problems = _validate(after)
    if problems:
        raise errors.POLICY_INVALID.error(reasons=" ".join(problems))
    changed = {name: {"before": before[name], "after": after[name]} for name in EDITABLE_FIELDS if before[name] != after[name]}
    if not changed:
        return policy
    for name, value in after.items():
        setattr(policy, name, value)
    try:
        policy.full_clean()
    except ValidationError as exc:
        raise errors.POLICY_INVALID.error(reasons=" ".join(exc.messages)) from None
    policy.save()
    security_event("security.policy_changed", actor=actor, object_type="org.SecurityPolicy", object_id=policy.pk, data={"changes": changed})
    return policy


@transaction.atomic
def role_require_2fa_set(*, actor: User, role: Role, required: bool) -> bool:
    """Mark a role as requiring two-factor authentication; returns False when nothing changed."""
    _check(actor)
    role = Role.objects.select_for_update().get(pk=role.pk)
    if role.require_2fa == required:
        return False
    role.require_2fa = required
    role.save(update_fields=["require_2fa"])
    security_event(
        "security.role_2fa_changed",
        actor=actor,
        object_type="org.Role",
        object_id=role.pk,
        data={"role": role.code, "before": not required, "after": required},
    )
    return True
