"""Scorecard templates (versioned: draft → published → retired), their factors, scoring bins and
grade bands; stored assessments with their inputs, factor breakdown and adjustments.

A published version is immutable (the services refuse edits and ``TemplateVersion.save`` refuses
to rewrite a published row's content); assessments keep the version they were run under.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from danbao.core.history import audited_history

MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}
SCORE = {"max_digits": 7, "decimal_places": 2}
# A bin edge: ratios (0.4523), amounts (yuan) and counts share one column.
EDGE = {"max_digits": 20, "decimal_places": 6, "null": True, "blank": True}

GRADES = ("AAA", "AA", "A", "BBB", "BB", "B", "CCC", "CC", "C")


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    RETIRED = "retired", _("Retired")


class FactorKind(models.TextChoices):
    FINANCIAL = "financial", _("Financial measure")
    QUALITATIVE = "qualitative", _("Qualitative answer")
    CREDIT = "credit", _("Credit record")
    COVERAGE = "coverage", _("Counter-guarantee coverage")


class ScorecardTemplate(models.Model):
    """A scorecard for some products and customer kinds; its content lives in versions."""

    code = models.CharField(_("template code"), max_length=32, unique=True)
    name = models.CharField(_("template name"), max_length=100)
    product_codes = models.JSONField(_("products"), default=list, blank=True, help_text=_("Product codes; empty means every product."))
    customer_kinds = models.JSONField(_("customer kinds"), default=list)
    description = models.CharField(_("description"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    history = audited_history()

    class Meta:
        verbose_name = _("scorecard template")
        verbose_name_plural = _("scorecard templates")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class TemplateVersion(models.Model):
    """One version of a template's factors, bins and grades. Status moves only in the services."""

    template = models.ForeignKey(ScorecardTemplate, verbose_name=_("template"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    status = models.CharField(_("version status"), max_length=16, choices=VersionStatus.choices, default=VersionStatus.DRAFT)
    change_note = models.CharField(_("change note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    retired_reason = models.CharField(_("retirement reason"), max_length=500, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("scorecard version")
        verbose_name_plural = _("scorecard versions")
        ordering = ["template", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["template", "number"], name="scoring_version_number_unique"),
            models.UniqueConstraint(fields=["template"], condition=models.Q(status="draft"), name="scoring_one_draft_version"),
            models.UniqueConstraint(fields=["template"], condition=models.Q(status="published"), name="scoring_one_published_version"),
            models.CheckConstraint(condition=models.Q(status__in=VersionStatus.values), name="scoring_version_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.template.name} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # Defence in depth: once published only the retirement fields may change.
        if self.pk is not None:
            stored = TemplateVersion.objects.filter(pk=self.pk).values("status", "change_note", "number").first()
            if stored and stored["status"] != VersionStatus.DRAFT:
                fields = set(kwargs.get("update_fields") or ())
                if stored["status"] == VersionStatus.RETIRED or not fields or not fields <= {"status", "retired_at", "retired_reason"}:
                    raise ValueError("a published scorecard version is immutable")
        super().save(*args, **kwargs)

    @property
    def is_draft(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Factor(models.Model):
    """One scored factor. ``weight`` is a percentage of the total (all weights of a version sum to 100)."""

    Kind = FactorKind

    version = models.ForeignKey(TemplateVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="factors")
    code = models.CharField(_("factor code"), max_length=32)
    name = models.CharField(_("factor name"), max_length=100)
    kind = models.CharField(_("factor kind"), max_length=16, choices=FactorKind.choices)
    source = models.CharField(_("source"), max_length=40, blank=True, help_text=_("Which measure or credit figure is scored."))
    question = models.CharField(_("question"), max_length=300, blank=True)
    weight = models.DecimalField(_("weight (%)"), max_digits=5, decimal_places=2)
    options = models.JSONField(_("answer options"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("factor")
        verbose_name_plural = _("factors")
        ordering = ["version", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "code"], name="scoring_factor_code_unique"),
            models.CheckConstraint(condition=models.Q(weight__gt=0) & models.Q(weight__lte=100), name="scoring_factor_weight_range"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Bin(models.Model):
    """A range of the raw value and its points (0–100). An empty edge is unbounded."""

    factor = models.ForeignKey(Factor, verbose_name=_("factor"), on_delete=models.CASCADE, related_name="bins")
    lower = models.DecimalField(_("lower edge"), **EDGE)
    lower_inclusive = models.BooleanField(_("lower edge included"), default=True)
    upper = models.DecimalField(_("upper edge"), **EDGE)
    upper_inclusive = models.BooleanField(_("upper edge included"), default=False)
    points = models.DecimalField(_("points"), **SCORE)
    sort_order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("scoring bin")
        verbose_name_plural = _("scoring bins")
        ordering = ["factor", "sort_order", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gte=0) & models.Q(points__lte=100), name="scoring_bin_points_range"),
        ]


class GradeBand(models.Model):
    """Scores from ``min_score`` (included) to ``max_score`` (excluded, except 100) give ``grade``."""

    version = models.ForeignKey(TemplateVersion, verbose_name=_("version"), on_delete=models.CASCADE, related_name="grades")
    grade = models.CharField(_("grade"), max_length=4, choices=[(g, g) for g in GRADES])
    min_score = models.DecimalField(_("minimum score"), **SCORE)
    max_score = models.DecimalField(_("maximum score"), **SCORE)
    max_amount = models.DecimalField(_("suggested maximum amount (yuan)"), null=True, blank=True, **MONEY)
    fee_rate_min = models.DecimalField(_("fee rate from"), null=True, blank=True, **RATE)
    fee_rate_max = models.DecimalField(_("fee rate to"), null=True, blank=True, **RATE)

    class Meta:
        verbose_name = _("grade band")
        verbose_name_plural = _("grade bands")
        ordering = ["version", "-min_score"]
        constraints = [models.UniqueConstraint(fields=["version", "grade"], name="scoring_grade_unique")]


class Assessment(models.Model):
    """One run of a scorecard on a subject (the customer itself, or a project), with everything used."""

    subject_type = models.ForeignKey(ContentType, verbose_name=_("subject type"), on_delete=models.PROTECT, related_name="+")
    subject_id = models.CharField(_("subject id"), max_length=64)
    customer = models.ForeignKey("customers.Customer", verbose_name=_("customer"), on_delete=models.PROTECT, related_name="assessments")
    version = models.ForeignKey(TemplateVersion, verbose_name=_("scorecard version"), on_delete=models.PROTECT, related_name="assessments")
    assessed_on = models.DateField(_("assessed on"))
    inputs = models.JSONField(_("inputs"), default=dict)
    breakdown = models.JSONField(_("factor breakdown"), default=list)
    total_score = models.DecimalField(_("total score"), **SCORE)
    grade = models.CharField(_("grade"), max_length=4, blank=True)
    max_amount = models.DecimalField(_("suggested maximum amount (yuan)"), null=True, blank=True, **MONEY)
    fee_rate_min = models.DecimalField(_("fee rate from"), null=True, blank=True, **RATE)
    fee_rate_max = models.DecimalField(_("fee rate to"), null=True, blank=True, **RATE)
    missing_count = models.PositiveIntegerField(_("factors without input"), default=0)
    adjustment_count = models.PositiveIntegerField(_("adjustments"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("risk assessment")
        verbose_name_plural = _("risk assessments")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["subject_type", "subject_id"], name="scoring_assessment_subject_idx")]

    def __str__(self) -> str:
        return f"{self.customer} {self.grade} {self.total_score}"


class Adjustment(models.Model):
    """A risk manager's change of one qualitative answer, with the reason and the before/after."""

    assessment = models.ForeignKey(Assessment, verbose_name=_("assessment"), on_delete=models.PROTECT, related_name="adjustments")
    factor_code = models.CharField(_("factor code"), max_length=32)
    old_answer = models.CharField(_("previous answer"), max_length=32, blank=True)
    new_answer = models.CharField(_("new answer"), max_length=32)
    old_points = models.DecimalField(_("previous points"), **SCORE)
    new_points = models.DecimalField(_("new points"), **SCORE)
    old_total = models.DecimalField(_("previous total"), **SCORE)
    new_total = models.DecimalField(_("new total"), **SCORE)
    old_grade = models.CharField(_("previous grade"), max_length=4, blank=True)
    new_grade = models.CharField(_("new grade"), max_length=4, blank=True)
    reason = models.CharField(_("reason"), max_length=500)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("adjusted by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("adjusted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("assessment adjustment")
        verbose_name_plural = _("assessment adjustments")
        ordering = ["assessment", "created_at", "id"]

    def __str__(self) -> str:
        return f"{self.factor_code}: {self.old_answer} → {self.new_answer}"


__all__ = [
    "GRADES",
    "Adjustment",
    "Assessment",
    "Bin",
    "ContentType",
    "Factor",
    "FactorKind",
    "GradeBand",
    "ScorecardTemplate",
    "TemplateVersion",
    "VersionStatus",
]
