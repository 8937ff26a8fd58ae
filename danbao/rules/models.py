"""Rule catalogue rows (editable data around code-registered checks) and stored evaluations.

The check itself is a Python function registered under the rule's code (registry.py); the row
holds what authorised staff may change: active, severity, stages, products, reason texts and
the rule's own dated parameter values. Evaluations are append-only explanations of a decision.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history


class Severity(models.TextChoices):
    BLOCK = "block", _("Block")
    WARN = "warn", _("Warning")
    APPROVAL = "approval", _("Needs extra approval")


class Stage(models.TextChoices):
    INTAKE = "intake", _("Intake")
    PRE_APPROVAL = "pre_approval", _("Before approval")
    PRE_ISSUE = "pre_issue", _("Before the guarantee letter")
    PRE_DISBURSEMENT = "pre_disbursement", _("Before disbursement")


class Rule(models.Model):
    """One business rule of the catalogue. `version` counts every change (evaluations record it)."""

    code = models.CharField(_("rule code"), max_length=40, unique=True)
    name = models.CharField(_("rule name"), max_length=100)
    reason_zh = models.CharField(_("reason (Chinese)"), max_length=300)
    reason_en = models.CharField(_("reason (English)"), max_length=300)
    severity = models.CharField(_("severity"), max_length=16, choices=Severity.choices)
    stages = models.JSONField(_("stages"), default=list)
    all_products = models.BooleanField(_("applies to all products"), default=True)
    product_codes = models.JSONField(pgettext_lazy("rule", "products"), default=list, blank=True)
    active = models.BooleanField(_("active"), default=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    change_reason = models.CharField(_("reason for the last change"), max_length=500, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("business rule")
        verbose_name_plural = _("business rules")
        ordering = ["code"]
        constraints = [models.CheckConstraint(condition=models.Q(severity__in=Severity.values), name="rules_rule_severity_valid")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def stage_labels(self) -> str:
        return "、".join(str(Stage(s).label) for s in self.stages if s in Stage.values)


class RuleParameter(models.Model):
    """A rule's own value of one parameter for a period [valid_from, valid_to] (open ends = None).
    It overrides the system parameter or default the check declares; periods of one key never overlap."""

    rule = models.ForeignKey(Rule, verbose_name=_("business rule"), on_delete=models.PROTECT, related_name="parameters")
    key = models.CharField(_("parameter"), max_length=40)
    value = models.JSONField(_("value"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.CharField(_("source or note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    history = audited_history()

    class Meta:
        verbose_name = _("rule parameter")
        verbose_name_plural = _("rule parameters")
        ordering = ["rule", "key", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="rules_param_period_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule.code}.{self.key}"


class Evaluation(models.Model):
    """One stored run of the rules for a decision: inputs, each rule's version, parameters and result.

    Append-only: never updated or deleted, so a decision can be explained years later."""

    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField(pgettext_lazy("rule evaluation", "object id"), null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    subject_label = models.CharField(pgettext_lazy("rule evaluation", "subject"), max_length=200, blank=True)
    stage = models.CharField(_("stage"), max_length=24, choices=Stage.choices)
    on_date = models.DateField(_("evaluated for date"))
    inputs = models.JSONField(_("inputs"))
    results = models.JSONField(_("results"))
    hit_count = models.PositiveIntegerField(_("hits"), default=0)
    blocked = models.BooleanField(_("blocked"), default=False)
    needs_approval = models.BooleanField(_("needs extra approval"), default=False)
    created_at = models.DateTimeField(_("evaluated at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("evaluated by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("rule evaluation")
        verbose_name_plural = _("rule evaluations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="rules_eval_subject_idx")]

    def __str__(self) -> str:
        return f"{self.get_stage_display()} {self.created_at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("rule evaluations are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("rule evaluations are append-only")

    @property
    def hits(self) -> list[dict[str, Any]]:
        return [r for r in self.results if r.get("outcome") in ("hit", "error")]
