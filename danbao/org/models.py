"""Organisation: departments (a tree), positions, roles (permissions + data scope) and users."""

from __future__ import annotations

import time
from base64 import b32encode
from binascii import unhexlify
from functools import cached_property
from urllib.parse import quote, urlencode

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from danbao.core.crypto import EncryptedTextField
from danbao.core.history import audited_history


class Department(models.Model):
    """A node of the organisation tree. `path` is the materialised path of ids ("/1/4/9/")."""

    class Kind(models.TextChoices):
        HEAD_OFFICE = "head_office", _("Head office")
        BRANCH = "branch", _("Branch")
        DEPARTMENT = "department", _("Department")

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.DEPARTMENT)
    parent = models.ForeignKey(
        "self", verbose_name=_("parent department"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(_("tree path"), max_length=255, editable=False, db_index=True, default="")
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False, default=0)
    sort_order = models.PositiveIntegerField(_("sort order"), default=100)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = audited_history()

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name


class Position(models.Model):
    """A post (岗位) such as A-role business manager or risk manager; informational, not a permission."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    history = audited_history()

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DataScope(models.TextChoices):
    ALL = "all", _("All data")
    DEPT_AND_BELOW = "dept_and_below", _("Own department and below")
    DEPT = "dept", _("Own department")
    SELF = "self", _("Own records only")
    CUSTOM = "custom", _("Chosen departments")
    NONE = "none", _("No business data")


class AdminKind(models.TextChoices):
    """三员分立: the three administrator roles are mutually exclusive and exclude business roles."""

    NONE = "", _("Business role")
    SYSTEM = "system", _("System administrator")
    SECURITY = "security", _("Security administrator")
    AUDIT = "audit", _("Audit administrator")


class Role(models.Model):
    """A permission set plus a data scope. Permission codes are listed in org.permissions."""

    code = models.CharField(_("code"), max_length=32, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=255, blank=True)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    data_scope = models.CharField(_("data scope"), max_length=16, choices=DataScope.choices, default=DataScope.SELF)
    custom_departments = models.ManyToManyField(Department, verbose_name=_("chosen departments"), blank=True)
    admin_kind = models.CharField(_("administrator kind"), max_length=16, choices=AdminKind.choices, default="", blank=True)
    require_2fa = models.BooleanField(_("two-factor authentication required"), default=False)
    is_builtin = models.BooleanField(_("built-in"), default=False, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    history = audited_history(m2m_fields=[custom_departments])

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class DanbaoUserManager(UserManager["User"]):
    pass


class User(AbstractUser):
    """A person who signs in. Login name = `username`; every account is bound to a real person."""

    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]
    real_name = models.CharField(_("real name"), max_length=50)
    employee_no = models.CharField(_("employee number"), max_length=32, null=True, blank=True, unique=True)
    mobile = models.CharField(_("mobile"), max_length=20, blank=True)
    department = models.ForeignKey(
        Department, verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    positions = models.ManyToManyField(Position, verbose_name=_("positions"), blank=True, related_name="users")
    roles = models.ManyToManyField(Role, verbose_name=_("roles"), blank=True, related_name="users")
    must_change_password = models.BooleanField(_("must change password"), default=False)
    password_changed_at = models.DateTimeField(_("password changed at"), null=True, blank=True)
    temporary_password_expires_at = models.DateTimeField(_("temporary password expires at"), null=True, blank=True)
    valid_until = models.DateField(_("account valid until"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo account"), default=False)
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)
    history = audited_history(excluded_fields=["password", "last_login", "last_seen_at"], m2m_fields=[roles, positions])

    objects = DanbaoUserManager()
    REQUIRED_FIELDS = ["real_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.UniqueConstraint(fields=["mobile"], condition=~Q(mobile=""), name="org_user_mobile_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.real_name} ({self.username})" if self.real_name else self.username

    def get_full_name(self) -> str:
        return self.real_name or self.username

    def get_short_name(self) -> str:
        return self.real_name or self.username

    @cached_property
    def active_roles(self) -> list[Role]:
        return [role for role in self.roles.all() if role.is_active]

    @cached_property
    def permission_codes(self) -> frozenset[str]:
        codes: set[str] = set()
        for role in self.active_roles:
            codes.update(role.permissions or [])
        return frozenset(codes)

    def can(self, code: str) -> bool:
        """True when one of the user's active roles grants `code` (see org.permissions)."""
        return self.is_active and code in self.permission_codes

    @property
    def admin_kind(self) -> str:
        kinds = {role.admin_kind for role in self.active_roles if role.admin_kind}
        return next(iter(kinds)) if len(kinds) == 1 else ""

    @property
    def requires_2fa(self) -> bool:
        return any(role.require_2fa for role in self.active_roles)


class PasswordHistory(models.Model):
    """Hashes of a user's previous passwords, to refuse re-use of the last N (等保 8.1.4.1a)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("password history")
        verbose_name_plural = _("password history")
        ordering = ["-created_at", "-id"]


class UserSession(models.Model):
    """One signed-in browser session: for the online-users list, own sessions and forced logout."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=64, unique=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_activity_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=32, blank=True)

    class Meta:
        verbose_name = _("user session")
        verbose_name_plural = _("user sessions")
        ordering = ["-last_activity_at"]
        indexes = [models.Index(fields=["user", "ended_at"])]


class SecurityPolicy(models.Model):
    """The security policy (one row), set by the security administrator; every change is audited."""

    password_min_length = models.PositiveSmallIntegerField(_("minimum password length"), default=8)
    password_history_count = models.PositiveSmallIntegerField(_("passwords that may not be reused"), default=5)
    password_max_age_days = models.PositiveSmallIntegerField(_("password expires after (days)"), default=90)
    lockout_threshold = models.PositiveSmallIntegerField(_("failed logins before lockout"), default=5)
    lockout_minutes = models.PositiveSmallIntegerField(_("lockout duration (minutes)"), default=30)
    ip_failure_limit = models.PositiveSmallIntegerField(_("failed logins per IP address before throttling"), default=20)
    idle_timeout_minutes = models.PositiveSmallIntegerField(_("idle session timeout (minutes)"), default=30)
    privileged_idle_timeout_minutes = models.PositiveSmallIntegerField(_("idle session timeout for administrators (minutes)"), default=15)
    temporary_password_hours = models.PositiveSmallIntegerField(_("temporary password valid for (hours)"), default=24)
    dormant_account_days = models.PositiveSmallIntegerField(_("disable accounts unused for (days)"), default=90)
    two_factor_enabled = models.BooleanField(
        _("two-factor authentication enabled"),
        default=False,
        help_text=_("When enabled, the three administrators and roles marked as requiring it must use TOTP."),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history()

    class Meta:
        verbose_name = _("security policy")
        verbose_name_plural = _("security policy")
        constraints = [
            models.CheckConstraint(condition=Q(password_min_length__gte=8), name="org_policy_min_length_8"),
            models.CheckConstraint(condition=Q(lockout_threshold__gte=1), name="org_policy_lockout_threshold_1"),
            models.CheckConstraint(condition=Q(idle_timeout_minutes__gte=1), name="org_policy_idle_1"),
        ]

    def __str__(self) -> str:
        return str(_("security policy"))

    @classmethod
    def current(cls) -> SecurityPolicy:
        policy, _created = cls.objects.get_or_create(pk=1)
        return policy


def _default_totp_key() -> str:
    from django_otp.util import random_hex

    return random_hex(20)


class TOTPDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238). django-otp's own TOTP model stores the seed in clear;
    this one keeps it encrypted at rest (SECURITY A.10) and otherwise behaves the same: one use per
    time step (`last_t`, no replay), throttling after wrong codes, clock drift tracking."""

    key = EncryptedTextField(_("secret key"), default=_default_totp_key)  # hex seed, encrypted at rest
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode())

    def verify_token(self, token: object) -> bool:
        allowed, _details = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            value = int(str(token))
        except ValueError:
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(value, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    def get_throttle_factor(self) -> int:
        return 1

    @property
    def config_url(self) -> str:
        """otpauth:// URL for the QR code shown once at enrolment."""
        issuer = str(getattr(settings, "OTP_TOTP_ISSUER", "Danbao")).replace(":", "")
        label = f"{issuer}:{self.user.get_username()}"
        params = urlencode({"secret": b32encode(self.bin_key), "algorithm": "SHA1", "digits": self.digits, "period": self.step})
        return f"otpauth://totp/{quote(label)}?{params}&issuer={quote(issuer)}"
