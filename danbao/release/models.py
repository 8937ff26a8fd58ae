"""Release (解保): one release per guarantee (the bank's repayment notice), its tasks per security."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 18, "decimal_places": 2}


class ReleaseState(models.TextChoices):
    REGISTERED = "registered", pgettext_lazy("release state", "Registered, tasks open")
    COMPLETE = "complete", pgettext_lazy("release state", "Complete")


class TaskKind(models.TextChoices):
    DEREGISTER = "deregister", _("Deregister the mortgage / pledge (注销登记)")
    CUSTODY = "custody", _("Return the title documents out of custody")
    REFUND = "refund", _("Refund the margin deposit")
    LETTER = "letter", _("Release letter to the guarantor")


class TaskState(models.TextChoices):
    OPEN = "open", pgettext_lazy("release task state", "Open")
    DONE = "done", pgettext_lazy("release task state", "Done")


class Release(models.Model):
    """The registered bank notice (解保通知) of one guarantee and the release notice (解保通知书) we issue."""

    guarantee = models.OneToOneField("ledger.Guarantee", verbose_name=_("guarantee"), on_delete=models.PROTECT, related_name="release")
    project = models.ForeignKey("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="releases")
    number = models.CharField(_("release notice number"), max_length=40, unique=True)
    notice_date = models.DateField(_("date of the bank's notice"))
    reference = models.CharField(_("reference of the bank's notice"), max_length=80)
    note = models.CharField(_("note"), max_length=500, blank=True)
    released_amount = models.DecimalField(_("guaranteed amount released (yuan)"), **MONEY)
    state = models.CharField(_("state"), max_length=12, choices=ReleaseState.choices, default=ReleaseState.REGISTERED, editable=False)
    registered_by = models.ForeignKey(USER, verbose_name=_("registered by"), on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("release")
        verbose_name_plural = _("releases")
        ordering = ("-registered_at", "-id")

    def __str__(self) -> str:
        return self.number


class ReleaseTransition(models.Model):
    release = models.ForeignKey(Release, verbose_name=_("release"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=12, blank=True)
    target = models.CharField(_("to state"), max_length=12)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ("at", "id")


class ReleaseTask(models.Model):
    """One thing to undo for one security: deregistration, return of title documents, margin refund,
    release letter to a guarantor."""

    release = models.ForeignKey(Release, verbose_name=_("release"), on_delete=models.PROTECT, related_name="tasks")
    kind = models.CharField(_("kind"), max_length=12, choices=TaskKind.choices)
    measure = models.ForeignKey("securities.Measure", verbose_name=_("measure"), on_delete=models.PROTECT, related_name="+")
    collateral = models.ForeignKey(
        "securities.Collateral", verbose_name=_("collateral"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    subject = models.CharField(_("subject"), max_length=300)
    amount = models.DecimalField(_("amount (yuan)"), null=True, blank=True, **MONEY)
    state = models.CharField(_("state"), max_length=8, choices=TaskState.choices, default=TaskState.OPEN, editable=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    registry_office = models.CharField(_("registry office"), max_length=200, blank=True)
    certificate_returned = models.BooleanField(_("certificate returned"), default=False)
    evidence = models.CharField(_("evidence"), max_length=200, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    completed_by = models.ForeignKey(
        USER, verbose_name=_("completed by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    completed_at = models.DateTimeField(_("completed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("release task")
        verbose_name_plural = _("release tasks")
        ordering = ("release", "id")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.subject}"


class TaskTransition(models.Model):
    task = models.ForeignKey(ReleaseTask, verbose_name=_("release task"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=8, blank=True)
    target = models.CharField(_("to state"), max_length=8)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ("at", "id")
