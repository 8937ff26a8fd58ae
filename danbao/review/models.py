"""Review committee (评审会) and external experts: who sits on the committee, meetings with their
agenda of flow instances waiting at a committee node, attendance, recusals, votes, decisions, and
expert opinions collected through signed links. Statuses move only through `lifecycle.py`."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from danbao.core.history import audited_history


class Person(models.Model):
    """What the committee member and the expert registries share: a name, where to reach them, and
    an optional link to a user account. Never deleted: deactivated with a reason."""

    name = models.CharField(pgettext_lazy("review", "name"), max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user account"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    industry = models.CharField(_("industry / field"), max_length=100, blank=True)
    title = models.CharField(_("professional title"), max_length=100, blank=True)
    organisation = models.CharField(pgettext_lazy("review", "organisation"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    is_active = models.BooleanField(pgettext_lazy("review", "active"), default=True)
    deactivated_at = models.DateTimeField(_("deactivated at"), null=True, blank=True)
    deactivated_reason = models.CharField(_("deactivation reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-is_active", "name"]

    def __str__(self) -> str:
        return self.name


class CommitteeMember(Person):
    """A member of the review committee (评审委员); votes when invited and present."""

    history = audited_history()

    class Meta(Person.Meta):
        verbose_name = _("committee member")
        verbose_name_plural = _("committee members")


class Expert(Person):
    """An external expert (外部专家) asked for written opinions on agenda items."""

    specialty = models.CharField(_("specialty"), max_length=200, blank=True)

    history = audited_history()

    class Meta(Person.Meta):
        verbose_name = _("external expert")
        verbose_name_plural = _("external experts")


class Meeting(models.Model):
    """A committee meeting (评审会). Status moves only through lifecycle.py (draft → convened → closed; cancelled)."""

    class Status(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("meeting", "Draft")
        CONVENED = "convened", _("In session")
        CLOSED = "closed", pgettext_lazy("meeting", "Closed")
        CANCELLED = "cancelled", pgettext_lazy("meeting", "Cancelled")

    number = models.CharField(_("meeting number"), max_length=40, unique=True)
    title = models.CharField(pgettext_lazy("review", "title"), max_length=200)
    scheduled_at = models.DateTimeField(_("date and time"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("online meeting link"), blank=True)
    chair = models.ForeignKey(CommitteeMember, verbose_name=_("chair"), on_delete=models.PROTECT, related_name="chaired_meetings")
    secretary = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("secretary"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT, editable=False)
    note = models.TextField(_("note"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    convened_at = models.DateTimeField(_("convened at"), null=True, blank=True)
    closed_at = models.DateTimeField(pgettext_lazy("review", "closed at"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    cancel_reason = models.CharField(_("cancellation reason"), max_length=500, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("review meeting")
        verbose_name_plural = _("review meetings")
        ordering = ["-scheduled_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="cancelled", cancel_reason__gt="") | ~Q(status="cancelled"), name="review_cancel_reason"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.CONVENED)


class Attendance(models.Model):
    """One invited member of a meeting and whether they attended."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Not recorded")
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        LEAVE = "leave", _("On leave")

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="attendances")
    member = models.ForeignKey(CommitteeMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="attendances")
    status = models.CharField(_("attendance"), max_length=16, choices=Status.choices, default=Status.INVITED)
    note = models.CharField(_("note"), max_length=200, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), null=True, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["meeting", "member__name"]
        constraints = [models.UniqueConstraint(fields=["meeting", "member"], name="review_attendance_unique")]

    def __str__(self) -> str:
        return f"{self.member} ({self.get_status_display()})"


class AgendaItem(models.Model):
    """A flow instance waiting at a committee node, put on a meeting's agenda.

    `node_run` is the committee node's run: it may be on one open agenda and be decided once.
    `tally` stores the decision's inputs, the parameter values and the counts (explainable later).
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("To be decided")
        PASSED = "passed", _("Passed")
        REJECTED = "rejected", pgettext_lazy("review item", "Rejected")
        RECONSIDER = "reconsider", _("Reconsider")
        DEFERRED = "deferred", _("Deferred")
        REMOVED = "removed", _("Removed from agenda")

    DECIDED = (Status.PASSED, Status.REJECTED, Status.RECONSIDER)

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="items")
    flow_instance = models.ForeignKey("workflow.FlowInstance", verbose_name=_("approval"), on_delete=models.PROTECT, related_name="+")
    node_run = models.ForeignKey("workflow.NodeRun", on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField(pgettext_lazy("review", "order"), default=1)
    title = models.CharField(pgettext_lazy("review item", "title"), max_length=200)
    description = models.TextField(_("business description"), blank=True)
    status = models.CharField(_("result"), max_length=16, choices=Status.choices, default=Status.PENDING, editable=False)
    conditions = models.TextField(_("conditions"), blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)
    tally = models.JSONField(_("tally"), default=dict, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("added by"), on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = audited_history()

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "order", "pk"]
        constraints = [
            # a committee run sits on at most one open agenda and is decided at most once
            models.UniqueConstraint(
                fields=["node_run"], condition=Q(status__in=["pending", "passed", "rejected", "reconsider"]), name="review_item_run_once"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED


class Recusal(models.Model):
    """A member related to an item stands aside (回避): they cannot vote on it."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="recusals")
    member = models.ForeignKey(CommitteeMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("recusal")
        verbose_name_plural = _("recusals")
        ordering = ["item", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="review_recusal_unique"),
            models.CheckConstraint(condition=~Q(reason=""), name="review_recusal_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.member} — {self.reason}"


class VoteChoice(models.TextChoices):
    AGREE = "agree", _("Agree")
    CONDITIONAL = "conditional", _("Agree with conditions")
    RECONSIDER = "reconsider", _("Reconsider")
    DISAGREE = "disagree", _("Disagree")


class Vote(models.Model):
    """One member's vote on one item; changeable until the item is decided (history kept)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.PROTECT, related_name="votes")
    member = models.ForeignKey(CommitteeMember, verbose_name=_("member"), on_delete=models.PROTECT, related_name="votes")
    choice = models.CharField(_("vote"), max_length=16, choices=VoteChoice.choices)
    opinion = models.TextField(_("opinion"))
    conditions = models.TextField(_("conditions"), blank=True)
    cast_at = models.DateTimeField(_("cast at"))
    changed_at = models.DateTimeField(_("changed at"), null=True, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        ordering = ["item", "member__name"]
        constraints = [
            models.UniqueConstraint(fields=["item", "member"], name="review_vote_unique"),
            models.CheckConstraint(condition=~Q(choice="conditional") | ~Q(conditions=""), name="review_vote_conditions"),
        ]

    def __str__(self) -> str:
        return f"{self.member}: {self.get_choice_display()}"


class ExpertLink(models.Model):
    """A signed, expiring, revocable link that lets one expert read the material of the assigned items
    and give an opinion on each. Only a hash of the link's secret is stored."""

    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, related_name="expert_links")
    expert = models.ForeignKey(Expert, verbose_name=_("expert"), on_delete=models.PROTECT, related_name="links")
    secret_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("revoked by"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    revoke_reason = models.CharField(_("revocation reason"), max_length=500, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    use_count = models.PositiveIntegerField(_("times opened"), default=0)

    class Meta:
        verbose_name = _("expert link")
        verbose_name_plural = _("expert links")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.expert} · {self.meeting.number}"


class ExpertOpinion(models.Model):
    """An item assigned to an expert through a link, and the expert's opinion once submitted (then read-only)."""

    class Recommendation(models.TextChoices):
        AGREE = "agree", _("Recommend approval")
        CONDITIONAL = "conditional", _("Recommend approval with conditions")
        RECONSIDER = "reconsider", _("Recommend reconsideration")
        DISAGREE = "disagree", _("Recommend rejection")

    link = models.ForeignKey(ExpertLink, on_delete=models.PROTECT, related_name="opinions")
    item = models.ForeignKey(AgendaItem, verbose_name=_("agenda item"), on_delete=models.PROTECT, related_name="expert_opinions")
    recommendation = models.CharField(_("recommendation"), max_length=16, choices=Recommendation.choices, blank=True)
    text = models.TextField(_("opinion"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    history = audited_history()

    class Meta:
        verbose_name = _("expert opinion")
        verbose_name_plural = _("expert opinions")
        ordering = ["item", "pk"]
        constraints = [models.UniqueConstraint(fields=["link", "item"], name="review_opinion_unique")]

    def __str__(self) -> str:
        return f"{self.link.expert} · {self.item}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None
