"""File checks by name and by content: the extension must be allowed for the kind AND the first
bytes must prove the same type. Executables, scripts, HTML/SVG and zip bombs are refused before any
parser touches the file (SECURITY E.59; ASVS 12.1, 12.2)."""

from __future__ import annotations

import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO

from danbao.core.attachments import errors

# Canonical extension -> MIME type we report for it.
MIME_TYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "png": "image/png",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "doc": "application/msword",
    "xls": "application/vnd.ms-excel",
    "ofd": "application/ofd",
    "txt": "text/plain",
    "csv": "text/csv",
}
ALIASES = {"jpeg": "jpg", "jpe": "jpg"}
PREVIEWABLE = {"pdf", "jpg", "png", "gif", "webp"}

# Zip-based formats: the part that must be present besides [Content_Types].xml (OFD has none of those).
ZIP_MARKERS = {"docx": "word/", "xlsx": "xl/", "pptx": "ppt/"}
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024  # 200 MB unpacked in total
ZIP_MAX_RATIO = 100  # per entry and overall; ordinary Office files stay far below

SNIFF_BYTES = 4096
_EXECUTABLE_MAGIC = (
    b"MZ",  # Windows PE / DOS
    b"\x7fELF",
    b"#!",  # shebang script
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",  # Mach-O
    b"\xca\xfe\xba\xbe",  # Mach-O fat / Java class
    b"\x00asm",  # WebAssembly
)
_ACTIVE_MARKERS = re.compile(rb"<\s*(!doctype\s+html|html|head|body|script|svg|iframe|object|embed|meta|\?xml[^>]*>\s*<svg)", re.IGNORECASE)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class Sniffed:
    extension: str
    mime_type: str


def normalise_extension(name: str) -> str:
    extension = os.path.splitext(name)[1].lower().lstrip(".")
    return ALIASES.get(extension, extension)


def sanitise_name(name: str) -> str:
    """The original name as metadata only: no directories, no control or bidi characters, at most 200."""
    name = unicodedata.normalize("NFC", name or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = _CONTROL.sub("", name)
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cf", "Cc", "Cs"))
    name = name.strip().lstrip(".").strip()
    if len(name) > 200:
        stem, extension = os.path.splitext(name)
        name = stem[: 200 - len(extension)] + extension
    return name or "file"


def _content_type(head: bytes) -> str | None:
    """The format the first bytes prove, or None."""
    if head.startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if head.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "ole"
    return None


def _check_zip(stream: IO[bytes], extension: str) -> None:
    """Read only the central directory: refuse bombs, macros and zips that are not the claimed format."""
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            if len(infos) > ZIP_MAX_ENTRIES:
                raise errors.ARCHIVE_UNSAFE.error()
            total = 0
            packed = 0
            for info in infos:
                total += info.file_size
                packed += info.compress_size
                if info.file_size > 1024 * 1024 and info.file_size > ZIP_MAX_RATIO * max(info.compress_size, 1):
                    raise errors.ARCHIVE_UNSAFE.error()
            if total > ZIP_MAX_UNCOMPRESSED or (total > 10 * 1024 * 1024 and total > ZIP_MAX_RATIO * max(packed, 1)):
                raise errors.ARCHIVE_UNSAFE.error()
            names = [info.filename for info in infos]
    except zipfile.BadZipFile:
        raise errors.ARCHIVE_INVALID.error() from None
    finally:
        stream.seek(0)
    if any(name.startswith("/") or ".." in name.split("/") for name in names):
        raise errors.ARCHIVE_UNSAFE.error()
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise errors.MACROS.error()
    if extension == "ofd":
        if "OFD.xml" not in names:
            raise errors.CONTENT_MISMATCH.error()
        return
    marker = ZIP_MARKERS.get(extension)
    if "[Content_Types].xml" not in names or marker is None or not any(name.startswith(marker) for name in names):
        raise errors.CONTENT_MISMATCH.error()


def _check_text(head: bytes) -> None:
    if b"\x00" in head:
        raise errors.CONTENT_MISMATCH.error()
    for encoding in ("utf-8", "gb18030"):
        try:
            head.decode(encoding)
            return
        except UnicodeDecodeError as exc:
            if encoding == "utf-8" and exc.start > len(head) - 4:
                return  # a multi-byte character cut off at the end of the sniffed block
    raise errors.CONTENT_MISMATCH.error()


def check_content(stream: IO[bytes], extension: str) -> Sniffed:
    """Prove that `stream` really is an `extension` file; raise a DomainError otherwise."""
    stream.seek(0)
    head = stream.read(SNIFF_BYTES)
    stream.seek(0)
    if not head:
        raise errors.EMPTY.error()
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(_EXECUTABLE_MAGIC) or stripped.startswith(b"#!"):
        raise errors.EXECUTABLE.error()
    found = _content_type(head)
    if found is None and _ACTIVE_MARKERS.search(head):
        raise errors.ACTIVE_CONTENT.error()
    if extension in ("txt", "csv"):
        if found is not None:
            raise errors.CONTENT_MISMATCH.error()
        _check_text(head)
    elif extension in ("docx", "xlsx", "pptx", "ofd"):
        if found != "zip":
            raise errors.CONTENT_MISMATCH.error()
        _check_zip(stream, extension)
    elif extension in ("doc", "xls"):
        if found != "ole":
            raise errors.CONTENT_MISMATCH.error()
    elif found != extension:
        raise errors.CONTENT_MISMATCH.error()
    if extension in ("jpg", "png", "gif", "webp") and _ACTIVE_MARKERS.search(head[:1024]):
        # A polyglot image that also parses as HTML in a sniffing browser.
        raise errors.ACTIVE_CONTENT.error()
    return Sniffed(extension, MIME_TYPES[extension])
