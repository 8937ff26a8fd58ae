"""Content sniffing and name sanitising without a database (SECURITY E.59)."""

from __future__ import annotations

import io

import pytest

from danbao.core.attachments import errors
from danbao.core.attachments.validation import check_content, normalise_extension, sanitise_name
from danbao.core.errors import DomainError
from danbao.core.tests.attachments_support import ELF, EXE, HTML_AS_PDF, JPG, PDF, PNG, SCRIPT, SVG, office_zip, zip_bomb_docx


def refused(content: bytes, extension: str) -> str:
    with pytest.raises(DomainError) as caught:
        check_content(io.BytesIO(content), extension)
    return caught.value.code


@pytest.mark.parametrize(
    ("content", "extension", "mime"),
    [
        (PDF, "pdf", "application/pdf"),
        (PNG, "png", "image/png"),
        (JPG, "jpg", "image/jpeg"),
        (b"GIF89a" + b"\x00" * 20, "gif", "image/gif"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 " + b"\x00" * 20, "webp", "image/webp"),
        (office_zip("docx"), "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        (office_zip("xlsx"), "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 50, "doc", "application/msword"),
        ("客户名称,金额\n甲,100\n".encode(), "csv", "text/csv"),
        ("说明".encode("gb18030"), "txt", "text/plain"),
    ],
)
def test_genuine_files_pass(content: bytes, extension: str, mime: str) -> None:
    assert check_content(io.BytesIO(content), extension).mime_type == mime


@pytest.mark.parametrize(
    ("content", "extension", "code"),
    [
        (HTML_AS_PDF, "pdf", errors.ACTIVE_CONTENT.code),
        (SVG, "png", errors.ACTIVE_CONTENT.code),
        (b"  <svg onload=alert(1)>", "jpg", errors.ACTIVE_CONTENT.code),
        (HTML_AS_PDF, "txt", errors.ACTIVE_CONTENT.code),
        (EXE, "pdf", errors.EXECUTABLE.code),
        (ELF, "png", errors.EXECUTABLE.code),
        (SCRIPT, "txt", errors.EXECUTABLE.code),
        (PNG, "pdf", errors.CONTENT_MISMATCH.code),
        (PDF, "docx", errors.CONTENT_MISMATCH.code),
        (b"plain words", "pdf", errors.CONTENT_MISMATCH.code),
        (PDF, "txt", errors.CONTENT_MISMATCH.code),
        (office_zip("xlsx"), "docx", errors.CONTENT_MISMATCH.code),
        (office_zip("docx", content_types=False), "docx", errors.CONTENT_MISMATCH.code),
        (office_zip("docx", extra={"word/vbaProject.bin": b"macro"}), "docx", errors.MACROS.code),
        (office_zip("docx", extra={"../evil.txt": b"x"}), "docx", errors.ARCHIVE_UNSAFE.code),
        (b"PK\x03\x04garbage", "docx", errors.ARCHIVE_INVALID.code),
        (b"", "pdf", errors.EMPTY.code),
    ],
)
def test_disguised_or_hostile_files_are_refused(content: bytes, extension: str, code: str) -> None:
    assert refused(content, extension) == code


def test_zip_bomb_is_refused_from_the_directory_alone() -> None:
    assert refused(zip_bomb_docx(20), "docx") == errors.ARCHIVE_UNSAFE.code


def test_too_many_entries_is_refused() -> None:
    extra = {f"word/media/p{i}.xml": b"x" for i in range(2001)}
    assert refused(office_zip("docx", extra=extra), "docx") == errors.ARCHIVE_UNSAFE.code


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("../../x.pdf", "x.pdf"),
        ("..\\..\\windows\\x.pdf", "x.pdf"),
        ("/etc/passwd", "passwd"),
        ("营业执照\x00\r\n.pdf", "营业执照.pdf"),
        ("invoice\u202efdp.exe", "invoicefdp.exe"),
        ("...", "file"),
        ("", "file"),
    ],
)
def test_original_names_are_sanitised(raw: str, clean: str) -> None:
    assert sanitise_name(raw) == clean


def test_long_names_keep_their_extension() -> None:
    name = sanitise_name("甲" * 300 + ".pdf")
    assert len(name) == 200 and name.endswith(".pdf")


@pytest.mark.parametrize(("name", "extension"), [("A.JPEG", "jpg"), ("scan.Pdf", "pdf"), ("noext", "")])
def test_extensions_are_normalised(name: str, extension: str) -> None:
    assert normalise_extension(name) == extension
