"""Reason codes of the review services (zh-Hans via the app's message catalogue)."""

from django.utils.translation import gettext_lazy as _

from danbao.core.errors import ErrorCode

PERMISSION_DENIED = ErrorCode("review.permission_denied", _("You do not have permission to do this."))
NAME_REQUIRED = ErrorCode("review.name_required", _("Enter the name."))
REASON_REQUIRED = ErrorCode("review.reason_required", _("Give a reason."))
USER_TAKEN = ErrorCode("review.user_taken", _("This user account is already linked to %(name)s."))
ALREADY_INACTIVE = ErrorCode("review.already_inactive", _("%(name)s is already deactivated."))
ALREADY_ACTIVE = ErrorCode("review.already_active", _("%(name)s is already active."))
MEMBER_INACTIVE = ErrorCode("review.member_inactive", _("%(name)s is deactivated and cannot be invited."))
TRANSITION_NOT_ALLOWED = ErrorCode("review.transition_not_allowed", _("A meeting in status %(source)s cannot move to %(target)s."))
MEETING_NOT_OPEN = ErrorCode("review.meeting_not_open", _("This meeting is closed or cancelled and can no longer be changed."))
MEETING_NOT_CONVENED = ErrorCode("review.meeting_not_convened", _("This can only be done while the meeting is in session."))
CHAIR_REQUIRED = ErrorCode("review.chair_required", _("Choose the chair from the active committee members."))
TIME_REQUIRED = ErrorCode("review.time_required", _("Enter the date and time of the meeting."))
PLACE_REQUIRED = ErrorCode("review.place_required", _("Enter the place or the online meeting link."))
NOT_INVITED = ErrorCode("review.not_invited", _("%(name)s is not invited to this meeting."))
CHAIR_NOT_REMOVABLE = ErrorCode("review.chair_not_removable", _("The chair cannot be removed from the invited members."))
MEMBER_HAS_VOTES = ErrorCode(
    "review.member_has_votes", _("%(name)s has already voted on undecided items; their attendance cannot be changed to absent.")
)
ATTENDANCE_INVALID = ErrorCode("review.attendance_invalid", _("Choose present, absent or on leave."))
NO_ITEMS = ErrorCode("review.no_items", _("Put at least one item on the agenda before opening the meeting."))
TOO_FEW_INVITED = ErrorCode(
    "review.too_few_invited", _("Invite at least %(minimum)s committee members (the quorum); %(count)s are invited.")
)
ITEM_NOT_WAITING = ErrorCode(
    "review.item_not_waiting", _("This approval is not waiting at a committee step (it may have been withdrawn or decided).")
)
ITEM_ON_AGENDA = ErrorCode("review.item_on_agenda", _("This approval is already on the agenda of meeting %(number)s."))
ITEM_DECIDED = ErrorCode("review.item_decided", _("This item was already decided (%(result)s) and cannot be changed."))
ITEM_NOT_PENDING = ErrorCode("review.item_not_pending", _("This item is no longer on the agenda."))
ITEM_HAS_VOTES = ErrorCode("review.item_has_votes", _("Votes have been cast on this item; it can no longer be removed."))
NOT_PRESENT = ErrorCode("review.not_present", _("Only members recorded as present can vote."))
RECUSED = ErrorCode("review.recused", _("%(name)s has recused from this item and cannot vote on it."))
RECUSAL_REQUIRED = ErrorCode(
    "review.recusal_required", _("%(name)s is related to this item (submitter or excluded from its approval) and must recuse.")
)
ALREADY_RECUSED = ErrorCode("review.already_recused", _("%(name)s has already recused from this item."))
RECUSAL_AFTER_VOTE = ErrorCode("review.recusal_after_vote", _("%(name)s has already voted on this item and can no longer recuse from it."))
CHOICE_INVALID = ErrorCode("review.choice_invalid", _("Choose agree, agree with conditions, reconsider or disagree."))
OPINION_REQUIRED = ErrorCode("review.opinion_required", _("Write your opinion."))
CONDITIONS_REQUIRED = ErrorCode("review.conditions_required", _("An agreement with conditions needs the conditions."))
NO_QUORUM = ErrorCode(
    "review.no_quorum",
    _("The meeting has no quorum: %(present)s of %(invited)s invited members present; at least %(minimum)s and %(share)s are needed."),
)
TOO_FEW_VOTERS = ErrorCode(
    "review.too_few_voters",
    _(
        "After %(recused)s recusal(s) only %(voters)s members can vote on this item; at least %(minimum)s and %(share)s of the "
        "invited members who did not recuse are needed. The item cannot be decided at this meeting."
    ),
)
VOTES_MISSING = ErrorCode("review.votes_missing", _("%(missing)s present member(s) have not voted yet: %(names)s."))
OPEN_ITEMS = ErrorCode("review.open_items", _("Items have already been decided at this meeting; it can be closed but not cancelled."))
EXPERT_INACTIVE = ErrorCode("review.expert_inactive", _("%(name)s is deactivated and cannot be given a link."))
ITEMS_REQUIRED = ErrorCode("review.items_required", _("Choose at least one agenda item for the expert."))
DAYS_INVALID = ErrorCode("review.days_invalid", _("A link is valid for 1 to 30 days."))
LINK_REVOKED = ErrorCode("review.link_revoked", _("This link was already revoked."))
OPINION_SUBMITTED = ErrorCode("review.opinion_submitted", _("This opinion has already been submitted and can no longer be changed."))
RECOMMENDATION_INVALID = ErrorCode("review.recommendation_invalid", _("Choose a recommendation."))
