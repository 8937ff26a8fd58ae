"""attachment_add / attachment_void and the selectors: permission, size, content, versions, voiding,
rollback without orphan files, audit events (SECURITY E.59, E.60, D.53)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.http import Http404
from django.utils import translation

from danbao.audit.tests.helpers import assert_no_event, assert_one_event, audit_mark
from danbao.core.attachments import errors, registry
from danbao.core.attachments.models import Attachment
from danbao.core.attachments.selectors import attachment_get_for, attachments_for
from danbao.core.attachments.services import attachment_add, attachment_void
from danbao.core.errors import DomainError
from danbao.core.tests import attachments_support
from danbao.core.tests.attachments_support import (
    EXE,
    HTML_AS_PDF,
    JPG,
    PDF,
    PNG,
    office_zip,
    stored_files,
    upload,
    zip_bomb_docx,
)
from tests.scopeapp.models import Record

pytestmark = pytest.mark.django_db
# Shared fixtures: the Record owner registration, a private MEDIA_ROOT and a record of department A.
media, registered, record = attachments_support.media, attachments_support.registered, attachments_support.record


def refusal(**kwargs: Any) -> DomainError:
    with pytest.raises(DomainError) as caught:
        attachment_add(**kwargs)
    return caught.value


def test_upload_stores_file_under_generated_name_with_hash_and_audit(owner: Any, record: Record, media: Path) -> None:
    mark = audit_mark()
    attachment = attachment_add(actor=owner, owner=record, kind="licence", upload=upload("营业执照.pdf"), note="正本扫描")
    assert attachment.original_name == "营业执照.pdf"
    assert re.fullmatch(r"attachments/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", attachment.stored_name)
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    assert (attachment.size, attachment.mime_type, attachment.version) == (len(PDF), "application/pdf", 1)
    assert attachment.uploaded_by == owner and attachment.note == "正本扫描"
    assert (media / attachment.stored_name).read_bytes() == PDF
    assert_one_event(
        "attachment.uploaded",
        since=mark,
        actor_id=owner.pk,
        object_id=str(attachment.pk),
        data={"owner": "scopeapp.record", "kind": "licence", "version": 1, "sha256": attachment.sha256},
    )


def test_traversal_name_is_kept_only_as_metadata(owner: Any, record: Record, media: Path) -> None:
    attachment = attachment_add(actor=owner, owner=record, kind="licence", upload=upload("../../x.pdf"))
    assert attachment.original_name == "x.pdf"
    assert "x.pdf" not in attachment.stored_name
    [path] = stored_files(media)
    assert path.resolve().is_relative_to(media.resolve())
    assert not (media.parent / "x.pdf").exists()


def test_sixty_megabytes_refused_without_reading_it(owner: Any, record: Record, media: Path) -> None:
    # A sparse temporary file: 60 MB on paper, no memory and (almost) no disk used.
    big = TemporaryUploadedFile("scan.pdf", "application/pdf", 60 * 1024 * 1024, None)
    big.write(PDF)
    big.file.truncate(60 * 1024 * 1024)
    big.seek(0)
    with translation.override("zh-hans"):
        error = refusal(actor=owner, owner=record, kind="statement", upload=big)
        assert error.message == "文件过大：最大 50 MB"
    assert error.code == errors.TOO_LARGE.code
    big.close()
    assert not Attachment.objects.exists() and not stored_files(media)


def test_kind_limit_and_global_cap_apply(owner: Any, record: Record) -> None:
    photo = upload("site.jpg", JPG, "image/jpeg")
    photo.size = 6 * 1024 * 1024  # the declared size decides before anything is read
    assert refusal(actor=owner, owner=record, kind="photo", upload=photo).data == {"limit": 5}
    registry.set_global_cap_provider(lambda: 1)
    try:
        statement = upload("s.pdf")
        statement.size = 2 * 1024 * 1024
        assert refusal(actor=owner, owner=record, kind="statement", upload=statement).data == {"limit": 1}
    finally:
        registry._global_cap_provider.clear()


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("report.pdf", HTML_AS_PDF, errors.ACTIVE_CONTENT.code),
        ("setup.pdf", EXE, errors.EXECUTABLE.code),
        ("photo.pdf", PNG, errors.CONTENT_MISMATCH.code),
        ("bomb.docx", None, errors.ARCHIVE_UNSAFE.code),
    ],
)
def test_hostile_content_refused_and_logged(owner: Any, record: Record, media: Path, name: str, content: bytes | None, code: str) -> None:
    mark = audit_mark()
    error = refusal(actor=owner, owner=record, kind="statement", upload=upload(name, content or zip_bomb_docx(20)))
    assert error.code == code
    assert not Attachment.objects.exists() and not stored_files(media)
    assert_one_event("attachment.refused", since=mark, result="failure", object_type="scopeapp.record", data={"name": name})
    assert_no_event("attachment.uploaded", since=mark)


def test_mismatch_message_in_chinese(owner: Any, record: Record) -> None:
    with translation.override("zh-hans"):
        assert refusal(actor=owner, owner=record, kind="licence", upload=upload("a.pdf", PNG)).message == "文件内容与扩展名不符"


def test_extension_not_allowed_for_kind(owner: Any, record: Record) -> None:
    error = refusal(actor=owner, owner=record, kind="licence", upload=upload("tool.exe", EXE))
    assert error.code == errors.TYPE_NOT_ALLOWED.code
    assert "pdf" in error.message


def test_valid_docx_accepted(owner: Any, record: Record) -> None:
    attachment = attachment_add(actor=owner, owner=record, kind="statement", upload=upload("报表.docx", office_zip("docx")))
    assert attachment.extension == "docx" and attachment.mime_type.endswith("wordprocessingml.document")


def test_unknown_kind_and_unregistered_owner(owner: Any, record: Record, org: Any) -> None:
    assert refusal(actor=owner, owner=record, kind="passport", upload=upload()).code == errors.KIND_UNKNOWN.code
    assert refusal(actor=owner, owner=org.dept_a, kind="licence", upload=upload()).code == errors.OWNER_NOT_REGISTERED.code


def test_department_head_who_may_only_view_cannot_upload(dept_head: Any, record: Record, media: Path) -> None:
    assert refusal(actor=dept_head, owner=record, kind="licence", upload=upload()).code == errors.FORBIDDEN.code
    assert not stored_files(media)


def test_new_upload_of_versioned_kind_becomes_current(owner: Any, record: Record) -> None:
    first = attachment_add(actor=owner, owner=record, kind="licence", upload=upload("v1.pdf"))
    second = attachment_add(actor=owner, owner=record, kind="licence", upload=upload("v2.png", PNG))
    assert (first.version, second.version) == (1, 2)
    licence = next(g for g in attachments_for(record, owner) if g.kind.code == "licence")
    assert licence.current == [second] and licence.history == [first]
    assert not licence.missing


def test_unversioned_kind_keeps_every_file_current(owner: Any, record: Record) -> None:
    a = attachment_add(actor=owner, owner=record, kind="photo", upload=upload("a.jpg", JPG))
    b = attachment_add(actor=owner, owner=record, kind="photo", upload=upload("b.png", PNG))
    photos = next(g for g in attachments_for(record, owner) if g.kind.code == "photo")
    assert photos.current == [b, a] and photos.history == []


def test_required_kind_without_file_is_missing(owner: Any, record: Record) -> None:
    groups = {g.kind.code: g for g in attachments_for(record, owner)}
    assert groups["licence"].missing and not groups["statement"].missing


def test_void_keeps_file_and_previous_version_becomes_current(owner: Any, record: Record, media: Path) -> None:
    first = attachment_add(actor=owner, owner=record, kind="licence", upload=upload("v1.pdf"))
    second = attachment_add(actor=owner, owner=record, kind="licence", upload=upload("v2.pdf"))
    mark = audit_mark()
    attachment_void(actor=owner, attachment=second, reason="上传错了客户")
    second.refresh_from_db()
    assert second.is_voided and second.void_reason == "上传错了客户" and second.voided_by == owner
    assert (media / second.stored_name).exists()
    licence = next(g for g in attachments_for(record, owner) if g.kind.code == "licence")
    assert licence.current == [first] and licence.history == [second]
    assert_one_event("attachment.voided", since=mark, actor_id=owner.pk, object_id=str(second.pk), data={"note": "上传错了客户"})


def test_void_refusals(owner: Any, dept_head: Any, record: Record) -> None:
    attachment = attachment_add(actor=owner, owner=record, kind="licence", upload=upload())
    with pytest.raises(DomainError) as caught:
        attachment_void(actor=owner, attachment=attachment, reason="  ")
    assert caught.value.code == errors.REASON_REQUIRED.code
    with pytest.raises(DomainError) as caught:
        attachment_void(actor=dept_head, attachment=attachment, reason="x")
    assert caught.value.code == errors.FORBIDDEN.code
    attachment_void(actor=owner, attachment=attachment, reason="重复")
    with pytest.raises(DomainError) as caught:
        attachment_void(actor=owner, attachment=attachment, reason="again")
    assert caught.value.code == errors.ALREADY_VOIDED.code


def test_rollback_leaves_no_file(owner: Any, record: Record, media: Path) -> None:
    with mock.patch("danbao.core.attachments.services.security_event", side_effect=RuntimeError("audit down")):
        with pytest.raises(RuntimeError):
            attachment_add(actor=owner, owner=record, kind="licence", upload=upload())
    assert not Attachment.objects.exists()
    assert stored_files(media) == []


def test_outsider_sees_nothing(owner: Any, outsider: Any, colleague: Any, nobody: Any, record: Record) -> None:
    attachment = attachment_add(actor=owner, owner=record, kind="licence", upload=upload())
    for user in (outsider, colleague, nobody):
        with pytest.raises(Http404):
            attachments_for(record, user)
        with pytest.raises(Http404):
            attachment_get_for(user, attachment.pk)


def test_department_head_and_risk_manager_may_see(owner: Any, dept_head: Any, risk_manager: Any, record: Record) -> None:
    attachment = attachment_add(actor=owner, owner=record, kind="licence", upload=upload())
    assert attachment_get_for(dept_head, attachment.pk) == attachment == attachment_get_for(risk_manager, attachment.pk)


EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


def test_virus_scanner_refusal_is_logged(owner: Any, record: Record, media: Path) -> None:
    registry.set_scanner(lambda stream: "Eicar-Test-Signature" if b"EICAR-STANDARD" in stream.read() else None)
    try:
        mark = audit_mark()
        error = refusal(actor=owner, owner=record, kind="statement", upload=upload("eicar.txt", EICAR))
        assert error.code == errors.INFECTED.code
        assert_one_event("attachment.refused", since=mark, reason="infected", data={"signature": "Eicar-Test-Signature"})
        assert not stored_files(media)
        assert attachment_add(actor=owner, owner=record, kind="statement", upload=upload("clean.txt", b"hello")).version == 1
    finally:
        registry.set_scanner(None)


def test_documents_of_a_record_cost_the_same_queries_for_one_or_many_files(
    owner: Any, record: Record, django_assert_max_num_queries: Any
) -> None:
    attachment_add(actor=owner, owner=record, kind="licence", upload=upload())
    for name in ("a.jpg", "b.jpg", "c.jpg", "d.jpg"):
        attachment_add(actor=owner, owner=record, kind="photo", upload=upload(name, JPG))
    attachment_add(actor=owner, owner=record, kind="licence", upload=upload("v2.pdf"))
    owner = type(owner).objects.get(pk=owner.pk)  # a fresh user: scope computed once, as in a request
    with django_assert_max_num_queries(4):
        groups = attachments_for(record, owner)
        names = [a.uploaded_by.real_name for g in groups for a in [*g.current, *g.history]]
    assert len(names) == 6
