"""Security policy page and service; nightly dormant-account job (SECURITY A.17, B.24)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from danbao.audit.models import AuditEvent
from danbao.core.errors import DomainError
from danbao.org.models import SecurityPolicy
from danbao.org.services.policy import EDITABLE_FIELDS, policy_update, role_require_2fa_set
from danbao.org.tasks import disable_dormant_accounts
from danbao.org.tests.factories import DEFAULT_PASSWORD


def _form(**changes):
    policy = SecurityPolicy.current()
    data = {name: getattr(policy, name) for name in EDITABLE_FIELDS}
    data.update(changes)
    if not data["two_factor_enabled"]:
        data.pop("two_factor_enabled")
    return data


@pytest.mark.parametrize(
    ("who", "status"), [("secadmin", 200), ("sysadmin", 403), ("auditadmin", 403), ("owner", 403), ("dept_head", 403), ("nobody", 403)]
)
def test_policy_page_permissions(client_for, request, who, status):
    assert client_for(request.getfixturevalue(who)).get(reverse("org:policy")).status_code == status


def test_policy_change_is_saved_audited_and_kept_in_history(client_for, secadmin, org):
    client = client_for(secadmin)
    role = org.roles["finance"]
    response = client.post(reverse("org:policy"), {**_form(lockout_threshold=3), "require_2fa": [str(role.pk)]})
    assert response.status_code == 302
    policy = SecurityPolicy.current()
    assert policy.lockout_threshold == 3
    role.refresh_from_db()
    assert role.require_2fa
    event = AuditEvent.objects.get(event_type="security.policy_changed")
    assert event.data["changes"]["lockout_threshold"] == {"before": 5, "after": 3}
    assert AuditEvent.objects.filter(event_type="security.role_2fa_changed").count() == 1
    page = client.get(reverse("org:policy")).content.decode()
    assert 'data-testid="policy-history"' in page and "登录失败锁定次数" in page
    # Turning two-factor on sends the administrator to enrolment at once.
    client.post(reverse("org:policy"), _form(two_factor_enabled=True))
    assert SecurityPolicy.current().two_factor_enabled
    assert client.get(reverse("org:policy"))["Location"].startswith(reverse("org:otp-setup"))


@pytest.mark.parametrize(
    ("field", "value"),
    [("password_min_length", 6), ("lockout_threshold", 0), ("idle_timeout_minutes", 0), ("temporary_password_hours", 48)],
)
def test_policy_values_out_of_bounds_are_refused(secadmin, org, field, value):
    with pytest.raises(DomainError) as exc:
        policy_update(actor=secadmin, **{field: value})
    assert exc.value.code == "org.policy_invalid"
    assert getattr(SecurityPolicy.current(), field) != value
    assert not AuditEvent.objects.filter(event_type="security.policy_changed").exists()


def test_policy_page_shows_the_refusal(client_for, secadmin):
    response = client_for(secadmin).post(reverse("org:policy"), _form(privileged_idle_timeout_minutes=60))
    assert response.status_code == 200 and "管理员的会话空闲超时" in response.content.decode()


def test_only_the_security_administrator_may_change_the_policy(sysadmin, org):
    with pytest.raises(DomainError) as exc:
        policy_update(actor=sysadmin, lockout_threshold=3)
    assert exc.value.code == "org.permission_denied"
    with pytest.raises(DomainError):
        role_require_2fa_set(actor=sysadmin, role=org.roles["finance"], required=True)


def test_unchanged_policy_writes_no_event(secadmin, org):
    policy_update(actor=secadmin, lockout_threshold=5)
    assert not AuditEvent.objects.filter(event_type="security.policy_changed").exists()


def test_new_minimum_length_applies_at_once(secadmin, owner):
    from danbao.org.services.passwords import password_set

    policy_update(actor=secadmin, password_min_length=14)
    with pytest.raises(DomainError):
        password_set(user=owner, raw_password="Harbour#2027x", actor=owner)  # 13 characters
    password_set(user=owner, raw_password="Harbour#2027xy", actor=owner)


# ---------------------------------------------------------------- dormant accounts


def test_nightly_job_disables_dormant_and_expired_accounts_once(client, owner, colleague, outsider, risk_manager):
    now = timezone.now()
    owner.last_login = now - timedelta(days=10)
    owner.save()
    colleague.last_login = now - timedelta(days=91)
    colleague.save()
    outsider.valid_until = timezone.localdate() - timedelta(days=1)
    outsider.last_login = now
    outsider.save()
    risk_manager.last_login = now - timedelta(days=200)
    risk_manager.is_demo = True
    risk_manager.save()
    disabled = disable_dormant_accounts.delay().get()
    assert sorted(disabled) == ["colleague", "outsider"]
    for user, active in ((owner, True), (colleague, False), (outsider, False), (risk_manager, True)):
        user.refresh_from_db()
        assert user.is_active is active
    events = AuditEvent.objects.filter(event_type="user.disabled").order_by("id")
    assert [(e.data["username"], e.reason) for e in events] == [("colleague", "dormant"), ("outsider", "expired")]
    assert disable_dormant_accounts() == []  # idempotent
    response = client.post(reverse("org:login"), {"username": "colleague", "password": DEFAULT_PASSWORD})
    assert "_auth_user_id" not in client.session and "已停用" in response.content.decode()


def test_never_used_account_counts_from_creation(owner):
    from danbao.org.services.auth import dormant_accounts_disable

    assert dormant_accounts_disable() == []
    with time_machine.travel(timezone.now() + timedelta(days=91)):
        assert dormant_accounts_disable() == ["owner"]
