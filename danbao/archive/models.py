"""Project archive files (档案卷), their document checklist, and borrowings (借阅).

An ArchiveFile belongs to one project. Its ArchiveItems are the documents a complete file has, built
from what exists in the database (`danbao.archive.checklist`); the archivist records the paper that
arrived (original or copy, pages, note) or waives an item with a reason. Archiving gives the file its
archive number, box and location. A Borrowing asks for an archived file, is approved by a second
person, lent and returned. States move only through `danbao.archive.lifecycle`. Nothing is deleted.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history

USER = settings.AUTH_USER_MODEL


class FileState(models.TextChoices):
    OPEN = "open", pgettext_lazy("archive file state", "Collecting")
    ARCHIVED = "archived", pgettext_lazy("archive file state", "Archived")
    LENT = "lent", pgettext_lazy("archive file state", "Lent out")


class ArchiveFile(models.Model):
    project = models.OneToOneField("projects.Project", verbose_name=_("project"), on_delete=models.PROTECT, related_name="archive_file")
    state = models.CharField(_("state"), max_length=12, choices=FileState.choices, default=FileState.OPEN, editable=False)
    number = models.CharField(_("archive number"), max_length=40, blank=True)
    box = models.CharField(_("box"), max_length=40, blank=True)
    room = models.CharField(_("room"), max_length=40, blank=True)
    cabinet = models.CharField(_("cabinet"), max_length=40, blank=True)
    shelf = models.CharField(_("shelf"), max_length=40, blank=True)
    retention = models.CharField(_("retention period"), max_length=40, blank=True)
    retention_until = models.DateField(_("kept until"), null=True, blank=True)
    archived_on = models.DateField(_("archived on"), null=True, blank=True)
    archived_by = models.ForeignKey(USER, verbose_name=_("archived by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    reopen_count = models.PositiveIntegerField(_("times re-opened"), default=0)
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    history = audited_history(excluded_fields=["updated_at"])

    class Meta:
        verbose_name = _("archive file")
        verbose_name_plural = _("archive files")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=FileState.values), name="archive_file_state_valid"),
            models.UniqueConstraint(fields=["number"], condition=~Q(number=""), name="archive_file_number_unique"),
            models.CheckConstraint(condition=Q(state="open") | ~Q(number=""), name="archive_file_archived_has_number"),
        ]
        indexes = [models.Index(fields=["state"], name="archive_file_state_idx"), models.Index(fields=["box"], name="archive_file_box_idx")]

    def __str__(self) -> str:
        return self.number or f"file {self.project_id}"

    @property
    def location(self) -> str:
        return " / ".join(part for part in (self.room, self.cabinet, self.shelf) if part)


class Received(models.TextChoices):
    NONE = "", pgettext_lazy("archive paper", "Not received")
    ORIGINAL = "original", pgettext_lazy("archive paper", "Original")
    COPY = "copy", pgettext_lazy("archive paper", "Copy")


class ArchiveItem(models.Model):
    """One document of the file's checklist. `required`, `in_system` and `detail` are refreshed from the
    database; `received`/`pages`/`note` and the waiver are what the archivist records."""

    file = models.ForeignKey(ArchiveFile, verbose_name=_("archive file"), on_delete=models.PROTECT, related_name="items")
    key = models.CharField(_("key"), max_length=80)
    section = models.CharField(_("section"), max_length=40)
    label = models.CharField(_("document"), max_length=200)
    order = models.PositiveIntegerField(_("order"), default=0)
    required = models.BooleanField(_("required"), default=True)
    in_system = models.BooleanField(_("in the system"), default=False)
    detail = models.CharField(_("what the system holds"), max_length=300, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    current = models.BooleanField(_("still part of the file"), default=True)
    received = models.CharField(_("paper received"), max_length=10, choices=Received.choices, blank=True, default="")
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    waived = models.BooleanField(_("waived"), default=False)
    waiver_reason = models.CharField(_("reason for the waiver"), max_length=300, blank=True)
    checked_by = models.ForeignKey(USER, verbose_name=_("recorded by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("archive item")
        verbose_name_plural = _("archive items")
        ordering = ["file", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["file", "key"], name="archive_item_key_unique"),
            models.CheckConstraint(condition=Q(waived=False) | ~Q(waiver_reason=""), name="archive_item_waiver_has_reason"),
            models.CheckConstraint(condition=Q(received__in=Received.values), name="archive_item_received_valid"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def done(self) -> bool:
        return bool(self.received) or self.waived

    @property
    def missing(self) -> bool:
        return self.current and self.required and not self.done


class FileTransition(models.Model):
    """Append-only log of the file's moves (archive, re-open, lend, return)."""

    file = models.ForeignKey(ArchiveFile, verbose_name=_("archive file"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=12)
    target = models.CharField(_("to state"), max_length=12)
    action = models.CharField(_("action"), max_length=20)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("archive file transition")
        verbose_name_plural = _("archive file transitions")
        ordering = ["at", "id"]

    @property
    def source_label(self) -> str:
        return str(FileState(self.source).label) if self.source in FileState.values else self.source

    @property
    def target_label(self) -> str:
        return str(FileState(self.target).label) if self.target in FileState.values else self.target


class BorrowState(models.TextChoices):
    REQUESTED = "requested", pgettext_lazy("borrowing state", "Awaiting approval")
    APPROVED = "approved", pgettext_lazy("borrowing state", "Approved")
    REJECTED = "rejected", pgettext_lazy("borrowing state", "Rejected")
    CANCELLED = "cancelled", pgettext_lazy("borrowing state", "Cancelled")
    LENT = "lent", pgettext_lazy("borrowing state", "Lent out")
    RETURNED = "returned", pgettext_lazy("borrowing state", "Returned")


class BorrowForm(models.TextChoices):
    ORIGINAL = "original", pgettext_lazy("archive paper", "Original")
    COPY = "copy", pgettext_lazy("archive paper", "Copy")


class BorrowMode(models.TextChoices):
    ON_SITE = "on_site", _("Read on site")
    TAKE_OUT = "take_out", _("Take out")


class Borrowing(models.Model):
    number = models.CharField(_("borrowing number"), max_length=40, unique=True)
    file = models.ForeignKey(ArchiveFile, verbose_name=_("archive file"), on_delete=models.PROTECT, related_name="borrowings")
    requester = models.ForeignKey(USER, verbose_name=_("requested by"), on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(_("purpose"), max_length=300)
    items = models.CharField(_("documents wanted"), max_length=500, blank=True)
    form = models.CharField(_("original or copy"), max_length=10, choices=BorrowForm.choices, default=BorrowForm.COPY)
    mode = models.CharField(_("on site or take out"), max_length=10, choices=BorrowMode.choices, default=BorrowMode.ON_SITE)
    expected_return = models.DateField(_("expected return date"))
    state = models.CharField(_("state"), max_length=12, choices=BorrowState.choices, default=BorrowState.REQUESTED, editable=False)
    requested_at = models.DateTimeField(_("requested at"))
    decided_by = models.ForeignKey(USER, verbose_name=_("decided by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = models.CharField(_("decision comment"), max_length=300, blank=True)
    lent_by = models.ForeignKey(USER, verbose_name=_("handed over by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lent_at = models.DateTimeField(_("handed over at"), null=True, blank=True)
    returned_to = models.ForeignKey(
        USER, verbose_name=_("received back by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    return_condition = models.CharField(_("condition on return"), max_length=300, blank=True)
    reminded_soon_on = models.DateField(_("due-soon reminder sent on"), null=True, blank=True)
    reminded_overdue_on = models.DateField(_("overdue reminder sent on"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    history = audited_history()

    class Meta:
        verbose_name = _("borrowing")
        verbose_name_plural = _("borrowings")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=BorrowState.values), name="archive_borrowing_state_valid"),
            models.CheckConstraint(condition=Q(form__in=BorrowForm.values), name="archive_borrowing_form_valid"),
            models.CheckConstraint(condition=Q(mode__in=BorrowMode.values), name="archive_borrowing_mode_valid"),
            models.CheckConstraint(condition=~Q(decided_by=models.F("requester")), name="archive_borrowing_not_self_approved"),
        ]
        indexes = [models.Index(fields=["state", "expected_return"], name="archive_borrow_state_due_idx")]

    def __str__(self) -> str:
        return self.number


class BorrowTransition(models.Model):
    borrowing = models.ForeignKey(Borrowing, verbose_name=_("borrowing"), on_delete=models.PROTECT, related_name="transitions")
    source = models.CharField(_("from state"), max_length=12)
    target = models.CharField(_("to state"), max_length=12)
    action = models.CharField(_("action"), max_length=20)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    actor = models.ForeignKey(USER, verbose_name=_("by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(_("at"))

    class Meta:
        verbose_name = _("borrowing transition")
        verbose_name_plural = _("borrowing transitions")
        ordering = ["at", "id"]

    @property
    def source_label(self) -> str:
        return str(BorrowState(self.source).label) if self.source in BorrowState.values else self.source

    @property
    def target_label(self) -> str:
        return str(BorrowState(self.target).label) if self.target in BorrowState.values else self.target
