"""Reads: a record's documents grouped by kind, one attachment for a user (404 unless the owner is
visible to them), and the owner behind a form's content type and id."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import Http404

from danbao.core.attachments.models import Attachment
from danbao.core.attachments.registry import AttachmentKind, OwnerEntry, global_cap_mb, owner_entry, owners
from danbao.core.events import security_event


@dataclass
class KindDocuments:
    """One kind on one record: what is in force now, and everything older or voided."""

    kind: AttachmentKind
    current: list[Attachment] = field(default_factory=list)
    history: list[Attachment] = field(default_factory=list)
    limit_mb: int = 0
    error: str = ""  # the refusal of the last upload into this kind (panel re-render)
    notice: str = ""

    @property
    def accept(self) -> str:
        return ",".join(f".{extension}" for extension in self.kind.allowed)

    @property
    def allowed_display(self) -> str:
        return " / ".join(extension.upper() for extension in self.kind.allowed)

    @property
    def missing(self) -> bool:
        return self.kind.required and not self.current


def _not_found(user: Any, object_type: str, object_id: Any) -> Http404:
    security_event(
        "access.not_found",
        actor=user if getattr(user, "is_authenticated", False) else None,
        result="failure",
        reason="scope_or_missing",
        object_type=object_type,
        object_id=str(object_id),
    )
    return Http404()


def owner_key(owner: Model) -> str:
    return owner._meta.label_lower


def owner_get_for(user: Any, label: str, pk: Any) -> tuple[OwnerEntry, Model]:
    """The registered owner `label`/`pk` if `user` may see it; 404 otherwise (same as missing)."""
    if label not in owners:
        raise _not_found(user, label, pk)
    entry = owners.get(label)
    try:
        owner = entry.model._default_manager.filter(pk=pk).first()
    except (ValueError, TypeError):
        owner = None
    if owner is None or not entry.can_view(user, owner):
        raise _not_found(user, label, pk)
    return entry, owner


def _group(entry: OwnerEntry, rows: list[Attachment]) -> list[KindDocuments]:
    groups = {code: KindDocuments(kind) for code, kind in entry.kinds.items()}
    for row in rows:  # newest version first
        group = groups.get(row.kind)
        if group is None:  # a kind no longer registered: keep its files visible, never hide records
            group = groups[row.kind] = KindDocuments(AttachmentKind(row.kind, row.kind, versioned=True))
        if row.is_voided or (group.kind.versioned and group.current):
            group.history.append(row)
        else:
            group.current.append(row)
    return list(groups.values())


def attachments_for(owner: Model, user: Any) -> list[KindDocuments]:
    """Documents of `owner` grouped by its registered kinds (current versions and history); 404 if not visible."""
    entry = owner_entry(owner)
    if entry is None or not entry.can_view(user, owner):
        raise _not_found(user, owner_key(owner), owner.pk)
    owner_type = ContentType.objects.get_for_model(owner, for_concrete_model=False)
    rows = list(
        Attachment.objects.filter(owner_type=owner_type, owner_id=str(owner.pk))
        .select_related("uploaded_by", "voided_by")
        .order_by("kind", "-version")
    )
    return _group(entry, rows)


def attachment_get_for(user: Any, pk: Any) -> Attachment:
    """One attachment whose owner `user` may see; 404 for a missing one or an invisible owner."""
    try:
        attachment = Attachment.objects.select_related("owner_type", "uploaded_by").get(pk=int(pk))
    except (Attachment.DoesNotExist, ValueError, TypeError):
        raise _not_found(user, "core.attachment", pk) from None
    model = attachment.owner_type.model_class()
    entry = owner_entry(model) if model is not None else None
    owner = entry.model._default_manager.filter(pk=attachment.owner_id).first() if entry else None
    if entry is None or owner is None or not entry.can_view(user, owner):
        raise _not_found(user, "core.attachment", pk)
    attachment.owner = owner  # type: ignore[attr-defined]  # the resolved owner, for the caller's checks
    return attachment


def panel_context(owner: Model, user: Any) -> dict[str, Any]:
    """What the documents panel shows for `owner`: groups, whether the user may change, form targets."""
    entry = owner_entry(owner)
    if entry is None:
        raise _not_found(user, owner_key(owner), owner.pk)
    groups = attachments_for(owner, user)
    cap = global_cap_mb()
    for group in groups:
        group.limit_mb = min(group.kind.max_size_mb, cap)
    return {
        "owner": owner,
        "owner_label": entry.label,
        "owner_pk": owner.pk,
        "panel_id": f"attachments-{entry.label.replace('.', '-')}-{owner.pk}",
        "groups": groups,
        "can_change": entry.can_change(user, owner),
        "missing_count": sum(1 for group in groups if group.missing),
    }
