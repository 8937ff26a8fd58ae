"""System configuration: holiday table, dictionaries, dated parameters, numbering rules, job runs."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history


class CalendarDay(models.Model):
    """One exception to the weekday rule: a statutory holiday or a make-up working day (调休上班)."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Holiday")
        WORKDAY = "workday", _("Make-up working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited_history()

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.get_kind_display()} {self.name}".strip()


class CalendarYear(models.Model):
    """A year whose holidays are fully maintained in the table (the State Council notice is entered)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    maintained = models.BooleanField(_("fully maintained"), default=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited_history()

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)


class DictType(models.Model):
    """A dictionary (数据字典): a named list of coded values used by forms and filters."""

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.CharField(_("description"), max_length=500, blank=True)
    is_system = models.BooleanField(
        _("built-in"), default=False, help_text=_("Built-in dictionaries are used by program logic; their codes cannot change.")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited_history()

    class Meta:
        ordering = ["code"]
        verbose_name = _("dictionary")
        verbose_name_plural = _("dictionaries")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class DictItem(models.Model):
    """One value of a dictionary; items are deactivated, never deleted, once they may be in use."""

    dict_type = models.ForeignKey(DictType, on_delete=models.PROTECT, related_name="items", verbose_name=_("dictionary"))
    code = models.CharField(_("code"), max_length=50)
    label = models.CharField(_("label"), max_length=100)
    sort_order = models.PositiveIntegerField(_("sort order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children", verbose_name=_("parent item")
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited_history()

    class Meta:
        ordering = ["dict_type", "sort_order", "id"]
        constraints = [models.UniqueConstraint(fields=["dict_type", "code"], name="system_dictitem_unique_code")]
        verbose_name = _("dictionary item")
        verbose_name_plural = _("dictionary items")

    def __str__(self) -> str:
        return f"{self.label} ({self.code})"


class EvidenceGrade(models.TextChoices):
    """How sure the institution is of a parameter's legal basis (shared/domain/regulation.md §0)."""

    VERIFIED = "V", _("Verified [V]")
    PUBLIC = "P", _("Public secondary source [P]")
    PRACTICE = "PR", _("Industry practice [PR]")
    RECALLED = "R", _("Recalled [R]")


GRADE_EXPLANATIONS = {
    EvidenceGrade.VERIFIED: _("Verified against the full official text or a faithful copy."),
    EvidenceGrade.PUBLIC: _(
        "Found in a public secondary source or only part of the article was read; check before a regulator-facing report."
    ),
    EvidenceGrade.PRACTICE: _("Industry practice, not regulation: set it by the institution's own rules."),
    EvidenceGrade.RECALLED: _("Recalled, not re-read: compliance staff must verify it."),
}


class Parameter(models.Model):
    """A system parameter's definition; its values live in dated versions (ParameterVersion)."""

    Grade = EvidenceGrade

    class Kind(models.TextChoices):
        INT = "int", _("Integer")
        DECIMAL = "decimal", _("Decimal")
        PERCENT = "percent", _("Percentage / rate")
        BOOL = "bool", _("Yes / no")
        STRING = "string", _("Text")
        DATE = "date", _("Date")
        JSON = "json", _("JSON")
        CHOICE = "choice", _("Choice")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("type"), max_length=16, choices=Kind.choices)
    choices = models.JSONField(_("allowed values"), default=list, blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True)
    category = models.CharField(_("category"), max_length=50, blank=True)
    description = models.TextField(_("description"), blank=True)
    legal_force = models.BooleanField(_("legal force"), default=False, help_text=_("Set by a regulation: every value is dated."))
    grade = models.CharField(_("evidence grade"), max_length=2, choices=EvidenceGrade.choices, blank=True, default="")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited_history()

    class Meta:
        ordering = ["category", "code"]
        verbose_name = _("system parameter")
        verbose_name_plural = _("system parameters")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def grade_explanation(self) -> str:
        return str(GRADE_EXPLANATIONS.get(self.grade, _("No evidence grade recorded.")))


class ParameterVersion(models.Model):
    """The value of a parameter for a period [valid_from, valid_to]; open ends are None.

    Periods of one parameter never overlap (checked by the parameter service under a row lock).
    """

    parameter = models.ForeignKey(Parameter, on_delete=models.PROTECT, related_name="versions", verbose_name=_("parameter"))
    value = models.TextField(_("value"))
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    source = models.CharField(_("source document"), max_length=200, blank=True)
    article = models.CharField(_("article"), max_length=100, blank=True, default="")
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("created by")
    )

    history = audited_history()

    class Meta:
        ordering = ["parameter", "valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["parameter", "valid_from"], name="system_paramversion_unique_start"),
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_to__gte=models.F("valid_from")),
                name="system_paramversion_period_ordered",
            ),
        ]
        verbose_name = _("parameter version")
        verbose_name_plural = _("parameter versions")

    def __str__(self) -> str:
        return f"{self.parameter.code} {self.valid_from or '…'}–{self.valid_to or '…'}"


class NumberingRule(models.Model):
    """How business numbers are formed: prefix, date part, separator and a gap-free sequence."""

    class Reset(models.TextChoices):
        YEARLY = "yearly", _("Every year")
        MONTHLY = "monthly", _("Every month")
        NEVER = "never", pgettext_lazy("numbering reset", "Never")

    DATE_PATTERNS = [
        ("", _("No date")),
        ("{YYYY}", "{YYYY}"),
        ("{YYYY}{MM}", "{YYYY}{MM}"),
        ("{YYYY}{MM}{DD}", "{YYYY}{MM}{DD}"),
        ("{YY}{MM}", "{YY}{MM}"),
        ("{YY}{MM}{DD}", "{YY}{MM}{DD}"),
    ]

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=20, blank=True)
    date_pattern = models.CharField(_("date part"), max_length=20, blank=True, choices=DATE_PATTERNS)
    separator = models.CharField(_("separator"), max_length=2, blank=True, choices=[("", _("None")), ("-", "-"), ("/", "/"), ("_", "_")])
    sequence_width = models.PositiveSmallIntegerField(_("sequence digits"), default=4)
    reset = models.CharField(_("reset"), max_length=10, choices=Reset.choices, default=Reset.YEARLY)
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited_history()

    class Meta:
        ordering = ["code"]
        verbose_name = _("numbering rule")
        verbose_name_plural = _("numbering rules")

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class NumberCounter(models.Model):
    """The last number handed out for one rule in one period ("2026", "202611" or "" for never)."""

    rule = models.ForeignKey(NumberingRule, on_delete=models.CASCADE, related_name="counters")
    period = models.CharField(max_length=8, blank=True)
    last_value = models.PositiveBigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rule", "period"], name="system_numbercounter_unique_period")]


class JobRun(models.Model):
    """One execution of a scheduled or manually started job (the run log)."""

    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCESS = "success", _("Succeeded")
        FAILURE = "failure", _("Failed")

    task_name = models.CharField(_("task"), max_length=200, db_index=True)
    started_at = models.DateTimeField(_("started at"), db_index=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.RUNNING)
    summary = models.TextField(_("summary"), blank=True)
    error = models.CharField(_("error"), max_length=1000, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["task_name", "-started_at"], name="system_jobrun_task_started")]
        verbose_name = _("job run")
        verbose_name_plural = _("job runs")

    def __str__(self) -> str:
        return f"{self.task_name} {self.started_at:%Y-%m-%d %H:%M} {self.status}"

    @property
    def duration_seconds(self) -> float | None:
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
