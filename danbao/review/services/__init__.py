"""Every write of the review app: registries (people.py), meetings, agenda, attendance, recusal,
votes and decisions (meetings.py), expert links and opinions (experts.py)."""

from danbao.review.services.experts import expert_link_create, expert_link_revoke, expert_opinion_submit, link_resolve
from danbao.review.services.meetings import (
    attendance_set,
    item_add,
    item_decide,
    item_remove,
    meeting_cancel,
    meeting_close,
    meeting_convene,
    meeting_create,
    meeting_invite,
    meeting_uninvite,
    meeting_update,
    recusal_record,
    vote_cast,
)
from danbao.review.services.people import person_create, person_deactivate, person_reactivate, person_update

__all__ = [
    "attendance_set",
    "expert_link_create",
    "expert_link_revoke",
    "expert_opinion_submit",
    "item_add",
    "item_decide",
    "item_remove",
    "link_resolve",
    "meeting_cancel",
    "meeting_close",
    "meeting_convene",
    "meeting_create",
    "meeting_invite",
    "meeting_uninvite",
    "meeting_update",
    "person_create",
    "person_deactivate",
    "person_reactivate",
    "person_update",
    "recusal_record",
    "vote_cast",
]
