"""Due diligence (保前尽调) of a project: the versioned report with A/B sign-off, the materials
checklist copied from the product version, site visits with their photos.

The report's `state` moves only through `diligence.lifecycle` (called by services); every move is
logged in ReportTransition. Nothing here is deleted: a reopened report keeps its old version
(superseded), a wrong site visit is voided with a reason.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history

MONEY = {"max_digits": 18, "decimal_places": 2}
RATE = {"max_digits": 9, "decimal_places": 6}
USER = settings.AUTH_USER_MODEL


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("diligence report", "Draft")
    A_SIGNED = "a_signed", _("Signed by the A-role")
    CONFIRMED = "confirmed", _("Confirmed by the B-role")
    SUPERSEDED = "superseded", _("Superseded by a newer version")


class Recommendation(models.TextChoices):
    RECOMMEND = "recommend", _("Recommend the guarantee")
    CONDITIONAL = "conditional", _("Recommend with conditions")
    DECLINE = "decline", _("Do not recommend")


# The narrative sections in report order: (field, label). Every one must be filled before the A-role signs.
SECTIONS = (
    ("company_basics", _("Company basics")),
    ("operations", _("Operations and industry")),
    ("financial_comment", _("Financial analysis")),
    ("credit_comment", _("Credit situation")),
    ("related_comment", _("Related parties and external guarantees")),
    ("counter_guarantee_plan", _("Counter-guarantee plan")),
    ("risk_points", _("Risk points and mitigants")),
    ("conclusion", _("Conclusion")),
)


class DiligenceReport(models.Model):
    """One version of a project's due-diligence report (尽职调查报告); one current version per project."""

    State = ReportState

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="diligence_reports")
    number = models.PositiveIntegerField(_("report version"), default=1)
    is_current = models.BooleanField(_("current version"), default=True)
    previous = models.OneToOneField(
        "self", verbose_name=_("previous version"), null=True, blank=True, on_delete=models.PROTECT, related_name="next_version"
    )
    state = models.CharField(_("state"), max_length=16, choices=ReportState.choices, default=ReportState.DRAFT, editable=False)

    company_basics = models.TextField(_("Company basics"), blank=True)
    operations = models.TextField(_("Operations and industry"), blank=True)
    financial_comment = models.TextField(_("Financial analysis"), blank=True)
    credit_comment = models.TextField(_("Credit situation"), blank=True)
    related_comment = models.TextField(_("Related parties and external guarantees"), blank=True)
    counter_guarantee_plan = models.TextField(_("Counter-guarantee plan"), blank=True)
    risk_points = models.TextField(_("Risk points and mitigants"), blank=True)
    conclusion = models.TextField(_("Conclusion"), blank=True)
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=Recommendation.choices, blank=True)
    proposed_amount = models.DecimalField(_("proposed amount (yuan)"), null=True, blank=True, **MONEY)
    proposed_term_months = models.PositiveIntegerField(_("proposed term (months)"), null=True, blank=True)
    proposed_fee_rate = models.DecimalField(_("proposed fee rate"), null=True, blank=True, **RATE)
    proposed_conditions = models.TextField(_("proposed conditions"), blank=True)

    # What the report pulled in from the customer (ratios, related parties, credit) when the A-role
    # signed, as strings, so a signed report reads the same years later.
    snapshot = models.JSONField(_("data at signing"), default=dict, blank=True)
    a_signed_by = models.ForeignKey(
        USER, verbose_name=_("signed by (A-role)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    a_signed_at = models.DateTimeField(_("signed at (A-role)"), null=True, blank=True)
    b_confirmed_by = models.ForeignKey(
        USER, verbose_name=_("confirmed by (B-role)"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    b_confirmed_at = models.DateTimeField(_("confirmed at (B-role)"), null=True, blank=True)
    b_opinion = models.TextField(_("B-role opinion"), blank=True)
    return_reason = models.CharField(_("reason for the last return"), max_length=500, blank=True)
    reopen_reason = models.CharField(_("reason for reopening"), max_length=500, blank=True)

    version = models.PositiveIntegerField(_("edit version"), default=1)
    created_by = models.ForeignKey(USER, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("due-diligence report")
        verbose_name_plural = _("due-diligence reports")
        ordering = ["project", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["project", "number"], name="diligence_report_number_unique"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(is_current=True), name="diligence_report_one_current"),
            models.CheckConstraint(condition=models.Q(state__in=ReportState.values), name="diligence_report_state_valid"),
            models.CheckConstraint(
                condition=models.Q(proposed_amount__isnull=True) | models.Q(proposed_amount__gt=0), name="diligence_report_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_id} v{self.number}"

    @property
    def is_locked(self) -> bool:
        return self.state in (ReportState.CONFIRMED, ReportState.SUPERSEDED)

    @property
    def is_editable(self) -> bool:
        return self.state == ReportState.DRAFT and self.is_current


class ReportTransition(models.Model):
    """Append-only log of report moves (sign, return, confirm, reopen): who, when, why."""

    report = models.ForeignKey(DiligenceReport, verbose_name=_("report"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=16, blank=True)
    target = models.CharField(_("to state"), max_length=16)
    action = models.CharField(_("action"), max_length=20)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("report state change")
        verbose_name_plural = _("report state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("report transitions are append-only")
        super().save(*args, **kwargs)

    @property
    def target_label(self) -> str:
        return str(ReportState(self.target).label) if self.target in ReportState.values else self.target


class DiligenceMaterial(models.Model):
    """One item of the project's materials checklist, copied from the product version for the
    customer's kind; complete when it has a current file or a waiver with a reason."""

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="diligence_materials")
    product_material = models.ForeignKey(
        "products.ProductMaterial", verbose_name=_("product material"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("material"), max_length=200)
    required = models.BooleanField(_("required"), default=True)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    waived = models.BooleanField(_("waived"), default=False, editable=False)
    waive_reason = models.CharField(_("reason for the waiver"), max_length=500, blank=True)
    waived_by = models.ForeignKey(USER, verbose_name=_("waived by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    waived_at = models.DateTimeField(_("waived at"), null=True, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("checklist material")
        verbose_name_plural = _("checklist materials")
        ordering = ["project", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "product_material"], name="diligence_material_once"),
            models.CheckConstraint(condition=models.Q(waived=False) | ~models.Q(waive_reason=""), name="diligence_material_waiver_reason"),
        ]

    def __str__(self) -> str:
        return self.name


class SiteVisit(models.Model):
    """A site visit (现场调查): when, who, where, what was seen; photos hang off it."""

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="site_visits")
    visit_date = models.DateField(_("visit date"))
    place = models.CharField(_("place"), max_length=300)
    participants = models.ManyToManyField(USER, verbose_name=_("staff present"), related_name="+", blank=True)
    other_participants = models.CharField(
        _("other people present"), max_length=500, blank=True, help_text=_("Customer's people and others, e.g. 张总（法定代表人）")
    )
    notes = models.TextField(_("notes"))
    created_by = models.ForeignKey(USER, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(USER, verbose_name=_("voided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    void_reason = models.CharField(_("reason for voiding"), max_length=500, blank=True)
    history = audited_history()

    class Meta:
        verbose_name = _("site visit")
        verbose_name_plural = _("site visits")
        ordering = ["project", "-visit_date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(voided_at__isnull=True) | ~models.Q(void_reason=""), name="diligence_visit_void_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_date:%Y-%m-%d} {self.place}"

    @property
    def is_voided(self) -> bool:
        return self.voided_at is not None


class CaptureSource(models.TextChoices):
    EXIF = "exif", _("Camera time (EXIF)")
    UPLOAD = "upload", _("Upload time (no camera time in the file)")


class SitePhoto(models.Model):
    """One photo of a visit: the stored file (core attachment), when it was taken and, when the user
    allowed it, where the phone was (browser geolocation)."""

    visit = models.ForeignKey(SiteVisit, verbose_name=_("site visit"), on_delete=models.PROTECT, related_name="photos")
    attachment = models.OneToOneField("core.Attachment", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    captured_at = models.DateTimeField(_("captured at"))
    capture_source = models.CharField(_("capture time from"), max_length=8, choices=CaptureSource.choices)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    accuracy_m = models.DecimalField(_("accuracy (m)"), max_digits=9, decimal_places=1, null=True, blank=True)
    uploaded_by = models.ForeignKey(USER, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("site photo")
        verbose_name_plural = _("site photos")
        ordering = ["visit", "captured_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(latitude__isnull=True) & models.Q(longitude__isnull=True))
                | (models.Q(latitude__gte=-90, latitude__lte=90) & models.Q(longitude__gte=-180, longitude__lte=180)),
                name="diligence_photo_position_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.visit_id} {self.attachment_id}"

    @property
    def has_position(self) -> bool:
        return self.latitude is not None and self.longitude is not None
