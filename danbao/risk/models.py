"""Early warnings (风险预警) and five-level classification decisions (五级分类)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL
RISK_CLASSES = (("01", "正常"), ("02", "关注"), ("03", "次级"), ("04", "可疑"), ("05", "损失"))


class Level(models.TextChoices):
    YELLOW = "yellow", pgettext_lazy("warning level", "Yellow")
    ORANGE = "orange", pgettext_lazy("warning level", "Orange")
    RED = "red", pgettext_lazy("warning level", "Red")


LEVEL_RANK = {Level.YELLOW: 1, Level.ORANGE: 2, Level.RED: 3}


class WarningState(models.TextChoices):
    OPEN = "open", pgettext_lazy("warning state", "Open")
    ACKNOWLEDGED = "acknowledged", pgettext_lazy("warning state", "Acknowledged")
    ACTING = "acting", pgettext_lazy("warning state", "Being acted on")
    CLOSED = "closed", pgettext_lazy("warning state", "Closed")


class WarningRun(models.Model):
    """One run of the nightly warning job (restartable: chunks commit on their own)."""

    on_date = models.DateField(_("as of"))
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    evaluated = models.PositiveIntegerField(_("guarantees evaluated"), default=0)
    created = models.PositiveIntegerField(_("warnings created"), default=0)
    changed = models.PositiveIntegerField(_("level changes"), default=0)
    closed = models.PositiveIntegerField(_("warnings auto-closed"), default=0)

    class Meta:
        verbose_name = _("warning run")
        ordering = ["-started_at"]


class Warning(models.Model):
    """A signal raised by one rule on one guarantee; at most one not closed per guarantee and rule."""

    guarantee = models.ForeignKey("ledger.Guarantee", verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="warnings")
    rule_code = models.CharField(_("rule"), max_length=32)
    level = models.CharField(_("level"), max_length=8, choices=Level.choices)
    reason = models.CharField(_("reason"), max_length=500)
    owner = models.ForeignKey(USER, verbose_name=_("owner"), null=True, blank=True, on_delete=models.PROTECT, related_name="risk_warnings")
    state = models.CharField(_("state"), max_length=16, choices=WarningState.choices, default=WarningState.OPEN, editable=False)
    opened_on = models.DateField(_("opened on"))
    auto_closed = models.BooleanField(_("closed by the nightly job"), default=False)
    close_note = models.TextField(_("closing note"), blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    notified_at = models.DateTimeField(_("owner notified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("early warning")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["guarantee", "rule_code"], condition=~Q(state="closed"), name="risk_one_open_warning_per_rule"),
            models.CheckConstraint(condition=Q(level__in=["yellow", "orange", "red"]), name="risk_warning_level_valid"),
            models.CheckConstraint(condition=Q(state__in=["open", "acknowledged", "acting", "closed"]), name="risk_warning_state_valid"),
        ]
        indexes = [models.Index(fields=["state", "level"]), models.Index(fields=["owner", "state"])]

    def __str__(self) -> str:
        return f"{self.rule_code} {self.level}"


class WarningLog(models.Model):
    """Handling log of a warning: created, level changed, acknowledged, acting, closed, notes."""

    warning = models.ForeignKey(Warning, verbose_name=_("warning"), on_delete=models.CASCADE, related_name="log")
    action = models.CharField(_("action"), max_length=16)
    from_level = models.CharField(_("from level"), max_length=8, blank=True)
    to_level = models.CharField(_("to level"), max_length=8, blank=True)
    note = models.TextField(_("note"), blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("actor"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("warning log entry")
        ordering = ["at", "pk"]


class ClassState(models.TextChoices):
    SUGGESTED = "suggested", pgettext_lazy("classification state", "Suggested")
    PROPOSED = "proposed", pgettext_lazy("classification state", "Waiting for check")
    EFFECTIVE = "effective", pgettext_lazy("classification state", "In effect")
    REJECTED = "rejected", pgettext_lazy("classification state", "Rejected")
    SUPERSEDED = "superseded", pgettext_lazy("classification state", "Superseded")


class Classification(models.Model):
    """A five-level classification of one guarantee: the nightly suggestion with its reasons, the risk
    manager's confirmation or override (maker) and the second person's check (checker)."""

    guarantee = models.ForeignKey("ledger.Guarantee", verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="classifications")
    on_date = models.DateField(_("as of"))
    current_class = models.CharField(_("class before"), max_length=2, choices=RISK_CLASSES)
    floor_class = models.CharField(_("objective floor"), max_length=2, choices=RISK_CLASSES)
    suggested_class = models.CharField(_("suggested class"), max_length=2, choices=RISK_CLASSES)
    reasons = models.JSONField(_("reasons"), default=list)
    days_past_due = models.PositiveIntegerField(_("days past due"), default=0)
    proposed_class = models.CharField(_("proposed class"), max_length=2, choices=RISK_CLASSES, blank=True)
    proposed_reason = models.TextField(_("reason of the proposal"), blank=True)
    proposed_by = models.ForeignKey(USER, verbose_name=_("proposed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(_("proposed at"), null=True, blank=True)
    checked_by = models.ForeignKey(USER, verbose_name=_("checked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    check_note = models.TextField(_("check note"), blank=True)
    final_class = models.CharField(_("final class"), max_length=2, choices=RISK_CLASSES, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ClassState.choices, default=ClassState.SUGGESTED, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("risk classification")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["guarantee"], condition=Q(state__in=["suggested", "proposed"]), name="risk_one_pending_classification"
            ),
        ]
