"""Download, preview, upload and void pages: who gets the file (owner/viewer 200, outsider 404),
headers, hash check before sending, htmx panel, audit events (SECURITY E.59, E.60)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.attachments.models import Attachment
from danbao.core.attachments.services import attachment_add
from danbao.core.tests import attachments_support
from danbao.core.tests.attachments_support import (
    HTML_AS_PDF,
    PDF,
    PNG,
    office_zip,
    stored_files,
    upload,
)
from tests.scopeapp.models import Record

pytestmark = pytest.mark.django_db
# Shared fixtures: the Record owner registration, a private MEDIA_ROOT and a record of department A.
media, registered, record = attachments_support.media, attachments_support.registered, attachments_support.record

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def licence(owner: Any, record: Record) -> Attachment:
    return attachment_add(actor=owner, owner=record, kind="licence", upload=upload("营业执照 2025.pdf"))


def body(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def test_owner_downloads_with_safe_headers_and_audit(client_for: Any, owner: Any, licence: Attachment) -> None:
    mark = audit_mark()
    response = client_for(owner).get(reverse("core:attachment-download", args=[licence.pk]))
    assert response.status_code == 200
    assert body(response) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; ")
    assert "filename*=UTF-8''%E8%90%A5%E4%B8%9A%E6%89%A7%E7%85%A7%202025.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert_one_event("attachment.downloaded", since=mark, actor_id=owner.pk, object_id=str(licence.pk), data={"disposition": "attachment"})


@pytest.mark.parametrize(
    ("who", "status"), [("dept_head", 200), ("risk_manager", 200), ("colleague", 404), ("outsider", 404), ("nobody", 404)]
)
def test_download_permission(client_for: Any, request: Any, licence: Attachment, who: str, status: int) -> None:
    response = client_for(request.getfixturevalue(who)).get(reverse("core:attachment-download", args=[licence.pk]))
    assert response.status_code == status


def test_anonymous_is_sent_to_login(client: Any, licence: Attachment) -> None:
    response = client.get(reverse("core:attachment-download", args=[licence.pk]))
    assert response.status_code == 302 and "/login" in response["Location"]


def test_missing_attachment_is_404(client_for: Any, owner: Any, registered: None) -> None:
    assert client_for(owner).get(reverse("core:attachment-download", args=[999999])).status_code == 404


def test_media_is_not_served_publicly(client_for: Any, owner: Any, licence: Attachment) -> None:
    assert client_for(owner).get(f"/media/{licence.stored_name}").status_code == 404


def test_altered_file_fails_integrity_check(client_for: Any, owner: Any, licence: Attachment, media: Path) -> None:
    (media / licence.stored_name).write_bytes(PDF.replace(b"Catalog", b"Catalox"))
    mark = audit_mark()
    response = client_for(owner).get(reverse("core:attachment-download", args=[licence.pk]))
    assert response.status_code == 409
    assert "integrity" in response.content.decode().lower() or "完整性" in response.content.decode()
    assert_one_event("attachment.integrity_failed", since=mark, result="failure", reason="hash_mismatch", object_id=str(licence.pk))
    assert_no_event("attachment.downloaded", since=mark)


def test_missing_file_fails_integrity_check(client_for: Any, owner: Any, licence: Attachment, media: Path) -> None:
    (media / licence.stored_name).unlink()
    mark = audit_mark()
    assert client_for(owner).get(reverse("core:attachment-preview", args=[licence.pk])).status_code == 409
    assert_one_event("attachment.integrity_failed", since=mark, reason="missing")


def test_preview_is_inline_and_sandboxed(client_for: Any, owner: Any, record: Record) -> None:
    image = attachment_add(actor=owner, owner=record, kind="licence", upload=upload("scan.png", PNG))
    mark = audit_mark()
    response = client_for(owner).get(reverse("core:attachment-preview", args=[image.pk]))
    assert response.status_code == 200 and body(response) == PNG
    assert response["Content-Disposition"].startswith("inline; ")
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert_one_event("attachment.downloaded", since=mark, data={"disposition": "inline"})


def test_preview_only_for_images_and_pdf(client_for: Any, owner: Any, outsider: Any, record: Record, licence: Attachment) -> None:
    docx = attachment_add(actor=owner, owner=record, kind="statement", upload=upload("a.docx", office_zip("docx")))
    assert client_for(owner).get(reverse("core:attachment-preview", args=[docx.pk])).status_code == 404
    assert client_for(owner).get(reverse("core:attachment-preview", args=[licence.pk])).status_code == 200
    assert client_for(outsider).get(reverse("core:attachment-preview", args=[licence.pk])).status_code == 404


def post_upload(client: Any, record: Record, kind: str, file: Any, **extra: Any) -> Any:
    data = {"owner": "scopeapp.record", "owner_id": str(record.pk), "kind": kind, "file": file, "note": "原件"}
    return client.post(reverse("core:attachment-upload"), data, **extra)


def test_htmx_upload_rerenders_panel(client_for: Any, owner: Any, record: Record, media: Path) -> None:
    mark = audit_mark()
    response = post_upload(client_for(owner), record, "licence", upload("执照.pdf"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="attachments-scopeapp-record-' in html and "执照.pdf" in html and "<html" not in html
    attachment = Attachment.objects.get()
    assert attachment.note == "原件" and attachment.uploaded_by == owner
    assert_one_event("attachment.uploaded", since=mark, object_id=str(attachment.pk))


def test_htmx_upload_of_disguised_file_shows_error(client_for: Any, owner: Any, record: Record, media: Path) -> None:
    response = post_upload(client_for(owner), record, "licence", upload("x.pdf", HTML_AS_PDF), **HTMX)
    assert response.status_code == 200
    assert 'data-testid="attachment-error"' in response.content.decode()
    assert not Attachment.objects.exists() and not stored_files(media)


def test_plain_upload_redirects_back_with_message(client_for: Any, owner: Any, record: Record) -> None:
    client = client_for(owner)
    response = post_upload(client, record, "licence", upload("a.pdf"), HTTP_REFERER="/records/1/")
    assert response.status_code == 302 and response["Location"] == "/records/1/"
    assert Attachment.objects.count() == 1
    response = post_upload(client, record, "licence", upload("a.pdf"), HTTP_REFERER="https://evil.example/")
    assert response["Location"] == "/"


@pytest.mark.parametrize(("who", "status"), [("dept_head", 403), ("colleague", 404), ("outsider", 404)])
def test_upload_permission(client_for: Any, request: Any, record: Record, who: str, status: int) -> None:
    response = post_upload(client_for(request.getfixturevalue(who)), record, "licence", upload(), **HTMX)
    assert response.status_code == status
    assert not Attachment.objects.exists()


def test_htmx_void(client_for: Any, owner: Any, licence: Attachment) -> None:
    mark = audit_mark()
    response = client_for(owner).post(reverse("core:attachment-void", args=[licence.pk]), {"reason": "已过期"}, **HTMX)
    assert response.status_code == 200 and "已过期" in response.content.decode()
    licence.refresh_from_db()
    assert licence.is_voided
    assert_one_event("attachment.voided", since=mark, object_id=str(licence.pk))


@pytest.mark.parametrize(("who", "status"), [("dept_head", 403), ("outsider", 404)])
def test_void_permission(client_for: Any, request: Any, licence: Attachment, who: str, status: int) -> None:
    response = client_for(request.getfixturevalue(who)).post(reverse("core:attachment-void", args=[licence.pk]), {"reason": "x"}, **HTMX)
    assert response.status_code == status
    licence.refresh_from_db()
    assert not licence.is_voided


def test_download_requires_get(client_for: Any, owner: Any, licence: Attachment) -> None:
    assert client_for(owner).post(reverse("core:attachment-download", args=[licence.pk])).status_code == 405


def test_panel_include_renders_kinds_files_and_forms(
    owner: Any, dept_head: Any, outsider: Any, record: Record, licence: Attachment
) -> None:
    template = engines["django"].from_string('{% include "core/attachments/panel.html" with owner=obj %}')

    def render(user: Any) -> str:
        request = RequestFactory().get("/records/1/")
        request.user = user
        return template.render({"obj": record}, request)

    html = render(owner)
    assert "营业执照 2025.pdf" in html and "Business licence" in html and "Site photo" in html
    assert html.count('name="kind"') == 3 and "data-confirm" in html
    assert reverse("core:attachment-preview", args=[licence.pk]) in html
    viewer = render(dept_head)
    assert "营业执照 2025.pdf" in viewer and 'name="kind"' not in viewer and "data-confirm" not in viewer
    assert render(outsider).strip() == ""


def test_panel_view_for_htmx_refresh(client_for: Any, owner: Any, outsider: Any, record: Record, licence: Attachment) -> None:
    url = reverse("core:attachment-panel", args=["scopeapp.record", record.pk])
    assert "营业执照 2025.pdf" in client_for(owner).get(url).content.decode()
    assert client_for(outsider).get(url).status_code == 404
    assert client_for(outsider).get(reverse("core:attachment-panel", args=["org.department", 1])).status_code == 404
