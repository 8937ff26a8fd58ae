"""Conditions precedent (批复条件) of an approved project and the letters issued on it: the guarantee
letter (担保函/保函) and the intent letter (担保意向书).

Conditions are materialised from the effective approved terms, one row per line; a line dropped by a
later change stays as superseded (nothing is deleted). A condition is met (or not applicable) only
after a second person confirms it (maker-checker). A letter is numbered once, keeps what it says as a
snapshot, and moves only through `letters.lifecycle`; every move is logged in LetterTransition.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history

MONEY = {"max_digits": 18, "decimal_places": 2}
USER = settings.AUTH_USER_MODEL


class ConditionState(models.TextChoices):
    OPEN = "open", _("Not yet met")
    MET_MARKED = "met_marked", _("Marked met, awaiting confirmation")
    NA_MARKED = "na_marked", _("Marked not applicable, awaiting confirmation")
    MET = "met", _("Met (confirmed)")
    NOT_APPLICABLE = "not_applicable", _("Not applicable (confirmed)")


DONE_STATES = (ConditionState.MET, ConditionState.NOT_APPLICABLE)
MARKED_STATES = (ConditionState.MET_MARKED, ConditionState.NA_MARKED)


class ConditionItem(models.Model):
    """One condition precedent of a project (one line of the effective terms' conditions)."""

    State = ConditionState

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="condition_items")
    text = models.CharField(_("condition"), max_length=500)
    sort_order = models.PositiveIntegerField(_("order"), default=0)
    terms_sequence = models.PositiveIntegerField(_("from terms version"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=16, choices=ConditionState.choices, default=ConditionState.OPEN, editable=False)
    note = models.CharField(_("note by who marked it"), max_length=500, blank=True)
    marked_by = models.ForeignKey(USER, verbose_name=_("marked by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(_("marked at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        USER, verbose_name=_("confirmed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirm_note = models.CharField(_("note by who confirmed or returned it"), max_length=500, blank=True)
    superseded_at = models.DateTimeField(_("superseded at"), null=True, blank=True)
    superseded_sequence = models.PositiveIntegerField(_("dropped by terms version"), null=True, blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = audited_history()

    class Meta:
        verbose_name = _("condition precedent")
        verbose_name_plural = _("conditions precedent")
        ordering = ["project", "sort_order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "text"], name="letters_condition_text_unique"),
            models.CheckConstraint(condition=models.Q(state__in=ConditionState.values), name="letters_condition_state_valid"),
        ]

    def __str__(self) -> str:
        return self.text

    @property
    def is_current(self) -> bool:
        return self.superseded_at is None

    @property
    def is_done(self) -> bool:
        return self.state in DONE_STATES

    @property
    def awaits_confirmation(self) -> bool:
        return self.state in MARKED_STATES


class LetterKind(models.TextChoices):
    GUARANTEE = "guarantee", _("Guarantee letter")
    INTENT = "intent", _("Intent letter")


class LetterState(models.TextChoices):
    VALID = "valid", pgettext_lazy("letter state", "Valid")
    RELEASED = "released", pgettext_lazy("letter state", "Released")
    VOID = "void", pgettext_lazy("letter state", "Void")
    SUPERSEDED = "superseded", pgettext_lazy("letter state", "Superseded by the guarantee letter")


class GuaranteeLetter(models.Model):
    """One numbered letter to the lending bank. `snapshot` holds everything printed on it as strings,
    so the PDF reads the same years later; `token` is the secret of the public verification link."""

    Kind = LetterKind
    State = LetterState

    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="letters")
    kind = models.CharField(_("kind"), max_length=12, choices=LetterKind.choices)
    number = models.CharField(_("letter number"), max_length=40, unique=True)
    state = models.CharField(_("state"), max_length=12, choices=LetterState.choices, default=LetterState.VALID, editable=False)
    bank = models.ForeignKey("partners.Bank", verbose_name=_("beneficiary bank"), on_delete=models.PROTECT, related_name="+")
    beneficiary = models.CharField(_("beneficiary"), max_length=200)
    amount = models.DecimalField(_("guaranteed amount (yuan)"), **MONEY)
    issue_date = models.DateField(_("issue date"))
    valid_until = models.DateField(_("valid until"))
    snapshot = models.JSONField(_("letter contents"), default=dict)
    token = models.CharField(_("verification token"), max_length=64, unique=True, editable=False)
    checklist = models.JSONField(_("checklist at issue"), default=list, blank=True)
    evaluation = models.ForeignKey(
        "rules.Evaluation", verbose_name=_("pre-issue rule evaluation"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    replaces = models.ForeignKey(
        "self", verbose_name=_("replaces letter"), null=True, blank=True, on_delete=models.PROTECT, related_name="replaced_by"
    )
    issued_by = models.ForeignKey(USER, verbose_name=_("issued by"), on_delete=models.PROTECT, related_name="+")
    issued_at = models.DateTimeField(_("issued at"))
    state_reason = models.CharField(_("reason for the state"), max_length=500, blank=True)
    state_changed_at = models.DateTimeField(_("state changed at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("edit version"), default=1)
    history = audited_history(excluded_fields=["token"])

    class Meta:
        verbose_name = _("guarantee letter")
        verbose_name_plural = _("guarantee letters")
        ordering = ["-issued_at", "-id"]
        constraints = [
            # At most one valid letter of each kind per project: a double click cannot issue two.
            models.UniqueConstraint(
                fields=["project", "kind"], condition=models.Q(state="valid"), name="letters_letter_one_valid_per_kind"
            ),
            models.CheckConstraint(condition=models.Q(state__in=LetterState.values), name="letters_letter_state_valid"),
            models.CheckConstraint(condition=models.Q(kind__in=LetterKind.values), name="letters_letter_kind_valid"),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="letters_letter_amount_positive"),
        ]
        indexes = [models.Index(fields=["kind", "state"], name="letters_kind_state_idx")]

    def __str__(self) -> str:
        return self.number

    @property
    def is_valid(self) -> bool:
        return self.state == LetterState.VALID

    @property
    def is_guarantee(self) -> bool:
        return self.kind == LetterKind.GUARANTEE

    def snap(self, key: str, default: Any = "") -> Any:
        return (self.snapshot or {}).get(key, default)


class LetterTransition(models.Model):
    """Append-only log of letter moves (issue, release, void, supersede): who, when, why."""

    letter = models.ForeignKey(GuaranteeLetter, verbose_name=_("letter"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=12, blank=True)
    target = models.CharField(_("to state"), max_length=12)
    action = models.CharField(_("action"), max_length=20)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("letter state change")
        verbose_name_plural = _("letter state changes")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.letter_id}: {self.source} → {self.target}"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        if self.pk is not None:
            raise ValueError("letter transitions are append-only")
        super().save(*args, **kwargs)

    @property
    def target_label(self) -> str:
        return str(LetterState(self.target).label) if self.target in LetterState.values else self.target
