"""Names of the review-committee events in the audit log (audit.labels)."""

from django.utils.translation import pgettext_lazy

from danbao.audit import labels

labels.register_group("review.", pgettext_lazy("audit area", "Review committee and experts"))
labels.register_labels(
    {
        "review.meeting.created": pgettext_lazy("audit event", "Meeting created"),
        "review.item.added": pgettext_lazy("audit event", "Item put on the agenda"),
        "review.item.decided": pgettext_lazy("audit event", "Item decided"),
        "review.vote.cast": pgettext_lazy("audit event", "Vote cast"),
        "review.vote.changed": pgettext_lazy("audit event", "Vote changed"),
        "review.recusal.recorded": pgettext_lazy("audit event", "Recusal recorded"),
        "review.member.created": pgettext_lazy("audit event", "Committee member added"),
        "review.member.updated": pgettext_lazy("audit event", "Committee member changed"),
        "review.member.reactivated": pgettext_lazy("audit event", "Committee member reactivated"),
        "review.expert_link.created": pgettext_lazy("audit event", "Expert link issued"),
        "review.expert_link.used": pgettext_lazy("audit event", "Expert link opened"),
        "review.expert_link.refused": pgettext_lazy("audit event", "Expert link refused"),
        "review.expert_opinion.submitted": pgettext_lazy("audit event", "Expert opinion submitted"),
    }
)
