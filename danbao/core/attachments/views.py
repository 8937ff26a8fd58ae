"""Attachment pages: authorised download and preview (hash verified before sending), upload and void
from the documents panel with htmx. No file is ever served from a public media path."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from typing import IO, Any
from urllib.parse import quote

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from danbao.core.access import login_only, safe_next_url
from danbao.core.attachments import errors
from danbao.core.attachments.forms import AttachmentUploadForm, AttachmentVoidForm
from danbao.core.attachments.models import Attachment
from danbao.core.attachments.selectors import attachment_get_for, owner_get_for, panel_context
from danbao.core.attachments.services import attachment_add, attachment_void
from danbao.core.errors import DomainError
from danbao.core.events import security_event

CHUNK = 64 * 1024
SPOOL_MEMORY = 8 * 1024 * 1024  # larger files spool to a temporary file, removed when the response closes


class IntegrityFailure(Exception):
    def __init__(self, reason: str, actual: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.actual = actual


def _verified_copy(attachment: Attachment) -> IO[bytes]:
    """A private copy of the stored file whose SHA-256 matched; the bytes sent are the bytes checked."""
    spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=SPOOL_MEMORY)  # noqa: SIM115 - closed by the response
    sha = hashlib.sha256()
    try:
        with default_storage.open(attachment.stored_name, "rb") as stored:
            for chunk in iter(lambda: stored.read(CHUNK), b""):
                sha.update(chunk)
                spool.write(chunk)
    except (FileNotFoundError, OSError):
        spool.close()
        raise IntegrityFailure("missing") from None
    if sha.hexdigest() != attachment.sha256:
        spool.close()
        raise IntegrityFailure("hash_mismatch", sha.hexdigest())
    spool.seek(0)
    return spool


def _stream(spool: IO[bytes]) -> Iterator[bytes]:
    try:
        yield from iter(lambda: spool.read(CHUNK), b"")
    finally:
        spool.close()


def content_disposition(disposition: str, name: str) -> str:
    """RFC 6266: an ASCII fallback plus the UTF-8 original (Chinese names survive every browser)."""
    fallback = "".join(ch for ch in name if 32 <= ord(ch) < 127 and ch not in '"\\;%') or "download"
    if fallback.startswith("."):
        fallback = "download" + fallback
    return f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{quote(name, safe='')}"


def _serve(request: HttpRequest, attachment: Attachment, *, inline: bool) -> HttpResponse:
    try:
        spool = _verified_copy(attachment)
    except IntegrityFailure as failure:
        security_event(
            "attachment.integrity_failed",
            request=request,
            result="failure",
            reason=failure.reason,
            object_type="core.attachment",
            object_id=attachment.pk,
            data={"stored_name": attachment.stored_name, "expected": attachment.sha256, "actual": failure.actual},
        )
        return render(request, "core/attachments/integrity_error.html", {"attachment": attachment}, status=409)
    security_event(
        "attachment.downloaded",
        request=request,
        object_type="core.attachment",
        object_id=attachment.pk,
        data={"disposition": "inline" if inline else "attachment", "kind": attachment.kind, "version": attachment.version},
    )
    response = StreamingHttpResponse(_stream(spool), content_type=attachment.mime_type)
    response["Content-Length"] = str(attachment.size)
    response["Content-Disposition"] = content_disposition("inline" if inline else "attachment", attachment.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    if inline:
        # Whatever the file holds, it runs nothing and loads nothing (SECURITY E.59).
        response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    return response


@login_only
@require_GET
def attachment_download(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_get_for(request.user, pk)
    return _serve(request, attachment, inline=False)


@login_only
@require_GET
def attachment_preview(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_get_for(request.user, pk)
    if not attachment.previewable:
        raise Http404
    return _serve(request, attachment, inline=True)


def _panel_response(request: HttpRequest, owner: Model, *, kind: str = "", error: str = "", notice: str = "") -> HttpResponse:
    context = panel_context(owner, request.user)
    for group in context["groups"]:
        if group.kind.code == kind:
            group.error, group.notice = error, notice
    if not kind and notice:
        context["notice"] = notice
    return render(request, "core/attachments/panel_body.html", context)


def _back(request: HttpRequest, error: str, notice: str) -> HttpResponse:
    """Plain (non-htmx) posts: message and back to the page the panel is on."""
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(safe_next_url(request, request.POST.get("next") or request.META.get("HTTP_REFERER") or "/"))


def _denied(request: HttpRequest, exc: DomainError) -> PermissionDenied:
    security_event("access.denied", request=request, result="failure", reason="attachments", data={"path": request.path, "code": exc.code})
    return PermissionDenied()


@login_only
@require_POST
def attachment_upload(request: HttpRequest) -> HttpResponse:
    _entry, owner = owner_get_for(request.user, request.POST.get("owner", ""), request.POST.get("owner_id", ""))
    form = AttachmentUploadForm(request.POST, request.FILES)
    kind = request.POST.get("kind", "")
    error = notice = ""
    if form.is_valid():
        upload: UploadedFile = form.cleaned_data["file"]
        try:
            attachment = attachment_add(
                actor=request.user, owner=owner, kind=form.cleaned_data["kind"], upload=upload, note=form.cleaned_data["note"]
            )
        except DomainError as exc:
            if exc.code == errors.FORBIDDEN.code:
                raise _denied(request, exc) from None
            error = exc.message
        else:
            notice = _("Uploaded “%(name)s” as version %(version)s.") % {"name": attachment.original_name, "version": attachment.version}
    else:
        error = " ".join(str(message) for messages_ in form.errors.values() for message in messages_)
    if request.htmx:  # type: ignore[attr-defined]
        return _panel_response(request, owner, kind=kind, error=error, notice=notice)
    return _back(request, error, notice)


@login_only
@require_POST
def attachment_void_view(request: HttpRequest, pk: int) -> HttpResponse:
    attachment = attachment_get_for(request.user, pk)
    owner: Any = attachment.owner  # type: ignore[attr-defined]
    form = AttachmentVoidForm(request.POST)
    error = notice = ""
    if form.is_valid():
        try:
            attachment_void(actor=request.user, attachment=attachment, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            if exc.code == errors.FORBIDDEN.code:
                raise _denied(request, exc) from None
            error = exc.message
        else:
            notice = _("Voided “%(name)s” (version %(version)s).") % {"name": attachment.original_name, "version": attachment.version}
    else:
        error = _("Give a reason for voiding the file.")
    if request.htmx:  # type: ignore[attr-defined]
        return _panel_response(request, owner, kind=attachment.kind, error=error, notice=notice)
    return _back(request, error, notice)


@login_only
@require_GET
def attachment_panel(request: HttpRequest, owner: str, owner_id: str) -> HttpResponse:
    """The documents panel alone (htmx refresh)."""
    _entry, obj = owner_get_for(request.user, owner, owner_id)
    return _panel_response(request, obj)
