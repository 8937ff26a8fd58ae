"""Files given with an approval action (approve / reject / return): attachments owned by the Action row.

Registered as an attachment owner in WorkflowConfig.ready(). Who may see them: whoever may see the
instance (submitter, an assignee, a CC recipient, a supervisor) — the download view of
`core.attachments` asks `can_view`. Nobody may add or void them afterwards through the documents
panel: history is immutable, so `can_change` is true only while the engine itself attaches the files
of the action it is recording, inside that action's transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from danbao.core.attachments.models import Attachment
from danbao.core.attachments.registry import AttachmentKind, register_owner

KIND = "approval_file"
ALLOWED = ("pdf", "jpg", "png", "docx", "xlsx", "ofd")
MAX_FILES = 10

_attaching: ContextVar[tuple[int, int] | None] = ContextVar("workflow_attaching", default=None)


def _can_view(user: Any, action: Any) -> bool:
    from danbao.workflow.selectors import instance_involves

    return bool(getattr(user, "is_authenticated", False)) and instance_involves(user, action.instance)


def _can_change(user: Any, action: Any) -> bool:
    """Only the engine, for the action it is recording right now, by that action's actor."""
    return _attaching.get() == (action.pk, getattr(user, "pk", None)) and action.actor_id == getattr(user, "pk", None)


def register() -> None:
    from danbao.workflow.models import Action

    register_owner(
        Action,
        can_view=_can_view,
        can_change=_can_change,
        kinds=[AttachmentKind(KIND, _("Approval attachment"), allowed=ALLOWED, versioned=False)],
        replace=True,
    )


@contextmanager
def _attaching_to(action: Any) -> Iterator[None]:
    token = _attaching.set((action.pk, action.actor_id))
    try:
        yield
    finally:
        _attaching.reset(token)


def attach(action: Any, uploads: Sequence[UploadedFile]) -> list[Attachment]:
    """Store `uploads` on `action` (caller's transaction). On any refusal the files stored so far are
    removed again and the error propagates, so the caller's whole action rolls back."""
    from danbao.core.attachments.services import attachment_add

    added: list[Attachment] = []
    try:
        with _attaching_to(action):
            for upload in uploads:
                added.append(attachment_add(actor=action.actor, owner=action, kind=KIND, upload=upload))
    except BaseException:
        for attachment in added:
            default_storage.delete(attachment.stored_name)
        raise
    return added


def files_by_action(action_ids: Sequence[int]) -> dict[int, list[Attachment]]:
    """The files of each action (in upload order), for the timeline."""
    from danbao.workflow.models import Action

    if not action_ids:
        return {}
    owner_type = ContentType.objects.get_for_model(Action, for_concrete_model=False)
    rows = Attachment.objects.filter(owner_type=owner_type, owner_id__in=[str(pk) for pk in action_ids], voided_at__isnull=True)
    grouped: dict[int, list[Attachment]] = {}
    for row in rows.order_by("pk"):
        grouped.setdefault(int(row.owner_id), []).append(row)
    return grouped
