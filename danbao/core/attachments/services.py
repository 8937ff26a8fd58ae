"""Writes: add a file to a business object, void one. Each runs in one transaction with one audit
event; a stored file whose transaction rolls back is deleted again (no orphan files)."""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone

from danbao.core.attachments import errors
from danbao.core.attachments.models import Attachment
from danbao.core.attachments.registry import AttachmentKind, OwnerEntry, global_cap_mb, owner_entry, scan
from danbao.core.attachments.validation import check_content, normalise_extension, sanitise_name
from danbao.core.errors import DomainError
from danbao.core.events import security_event

MB = 1024 * 1024
# Refusals worth a security event (someone may be probing with a disguised or hostile file).
_HOSTILE = {
    errors.EXECUTABLE.code,
    errors.ACTIVE_CONTENT.code,
    errors.CONTENT_MISMATCH.code,
    errors.ARCHIVE_UNSAFE.code,
    errors.MACROS.code,
    errors.INFECTED.code,
}


def _entry_and_kind(owner: models.Model, kind: str) -> tuple[OwnerEntry, AttachmentKind]:
    entry = owner_entry(owner)
    if entry is None:
        raise errors.OWNER_NOT_REGISTERED.error()
    if kind not in entry.kinds:
        raise errors.KIND_UNKNOWN.error(kind=kind)
    return entry, entry.kinds[kind]


def size_limit_mb(kind: AttachmentKind) -> int:
    """The stricter of the kind's limit and the institution-wide cap."""
    return min(kind.max_size_mb, global_cap_mb())


def _digest(upload: UploadedFile) -> tuple[str, int]:
    sha = hashlib.sha256()
    size = 0
    upload.seek(0)
    for chunk in upload.chunks():
        sha.update(chunk)
        size += len(chunk)
    upload.seek(0)
    return sha.hexdigest(), size


def _generated_name(extension: str) -> str:
    now = timezone.now()
    return f"attachments/{now:%Y/%m}/{uuid.uuid4().hex}.{extension}"


def _check_file(upload: UploadedFile, kind: AttachmentKind, label: str) -> tuple[str, str, str, int]:
    """Name, size and content checks before anything is stored; returns (name, extension, mime, size)."""
    name = sanitise_name(upload.name or "")
    extension = normalise_extension(name)
    allowed = [normalise_extension(f"x.{a}") for a in kind.allowed]
    if extension not in allowed:
        raise errors.TYPE_NOT_ALLOWED.error(extension=extension or "?", kind=kind.label, allowed=", ".join(kind.allowed))
    limit = size_limit_mb(kind)
    # The declared size first, so a huge upload is refused without reading it.
    if (upload.size or 0) > limit * MB:
        raise errors.TOO_LARGE.error(limit=limit)
    if not upload.size:
        raise errors.EMPTY.error()
    try:
        sniffed = check_content(upload, extension)
        signature = scan(upload)
        if signature:
            raise errors.INFECTED.error(signature=signature)
    except DomainError as exc:
        if exc.code in _HOSTILE:
            security_event(
                "attachment.refused",
                result="failure",
                reason=exc.code.rsplit(".", 1)[-1],
                object_type=label,
                data={"name": name, "kind": kind.code, "size": upload.size, **exc.data},
            )
        raise
    return name, extension, sniffed.mime_type, int(upload.size)


def attachment_add(*, actor: Any, owner: models.Model, kind: str, upload: UploadedFile, note: str = "") -> Attachment:
    """Store `upload` as the next version of `kind` on `owner` after checking permission, size and content."""
    entry, kind_spec = _entry_and_kind(owner, kind)
    if not entry.can_change(actor, owner):
        raise errors.FORBIDDEN.error()
    note = (note or "").strip()
    if len(note) > 200:
        raise errors.NOTE_TOO_LONG.error()
    name, extension, mime_type, _size = _check_file(upload, kind_spec, entry.label)
    sha256, size = _digest(upload)
    if size > size_limit_mb(kind_spec) * MB:
        raise errors.TOO_LARGE.error(limit=size_limit_mb(kind_spec))

    stored: str | None = None
    # The file is written inside the transaction and removed again when anything in it fails. If an
    # enclosing transaction of the caller rolls back later, `verify_attachments --remove-orphans`
    # finds the file without a row (Django has no on-rollback hook).
    try:
        with transaction.atomic():
            # Lock the owner so two uploads of the same kind cannot take the same version number.
            type(owner)._default_manager.select_for_update().filter(pk=owner.pk).first()
            owner_type = ContentType.objects.get_for_model(owner, for_concrete_model=False)
            siblings = Attachment.objects.filter(owner_type=owner_type, owner_id=str(owner.pk), kind=kind)
            version = (siblings.aggregate(top=Max("version"))["top"] or 0) + 1
            stored = default_storage.save(_generated_name(extension), upload)
            attachment = Attachment(
                owner_type=owner_type,
                owner_id=str(owner.pk),
                kind=kind,
                version=version,
                original_name=name,
                stored_name=stored,
                size=size,
                sha256=sha256,
                mime_type=mime_type,
                extension=extension,
                note=note,
                uploaded_by=actor,
            )
            attachment.full_clean()
            attachment.save()
            security_event(
                "attachment.uploaded",
                actor=actor,
                object_type="core.attachment",
                object_id=attachment.pk,
                data={
                    "owner": entry.label,
                    "owner_id": str(owner.pk),
                    "kind": kind,
                    "version": version,
                    "name": name,
                    "size": size,
                    "sha256": sha256,
                    "mime_type": mime_type,
                },
            )
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return attachment


def attachment_void(*, actor: Any, attachment: Attachment, reason: str) -> Attachment:
    """Mark a file void with a reason; the file and its row stay (documents are never deleted)."""
    reason = (reason or "").strip()
    if not reason:
        raise errors.REASON_REQUIRED.error()
    if len(reason) > 200:
        raise errors.NOTE_TOO_LONG.error()
    with transaction.atomic():
        locked = Attachment.objects.select_for_update().get(pk=attachment.pk)
        entry = owner_entry(locked.owner_type.model_class())  # type: ignore[arg-type]
        if entry is None:
            raise errors.OWNER_NOT_REGISTERED.error()
        owner = entry.model._default_manager.filter(pk=locked.owner_id).first()
        if owner is None or not entry.can_change(actor, owner):
            raise errors.FORBIDDEN.error()
        if locked.voided_at is not None:
            raise errors.ALREADY_VOIDED.error()
        locked.voided_at = timezone.now()
        locked.voided_by = actor
        locked.void_reason = reason
        locked.save(update_fields=["voided_at", "voided_by", "void_reason"])
        security_event(
            "attachment.voided",
            actor=actor,
            object_type="core.attachment",
            object_id=locked.pk,
            reason="voided",
            data={"owner": entry.label, "owner_id": locked.owner_id, "kind": locked.kind, "version": locked.version, "note": reason},
        )
    attachment.voided_at, attachment.voided_by, attachment.void_reason = locked.voided_at, actor, reason
    return attachment
