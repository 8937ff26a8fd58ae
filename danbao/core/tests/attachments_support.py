"""Shared set-up of the attachment tests: tests/scopeapp's Record registered as an owner with
scope-based visibility (the owner may change; a department head or risk manager may only view), sample files."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danbao.core.attachments.registry import AttachmentKind, register_owner, unregister_owner
from danbao.org.scope import apply_scope
from tests.scopeapp.models import Record

PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" + b"\x00" * 32
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 64
HTML_AS_PDF = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 100
ELF = b"\x7fELF\x02\x01\x01" + b"\x00" * 100
SCRIPT = b"#!/bin/sh\nrm -rf /\n"

KINDS = [
    AttachmentKind("licence", "Business licence", allowed=("pdf", "jpg", "png"), required=True),
    AttachmentKind("statement", "Statement", allowed=("pdf", "xlsx", "docx", "txt"), max_size_mb=50),
    AttachmentKind("photo", "Site photo", allowed=("jpg", "png"), max_size_mb=5, versioned=False),
]


def can_view(user: Any, record: Record) -> bool:
    return apply_scope(Record.objects.filter(pk=record.pk), user).exists()


def can_change(user: Any, record: Record) -> bool:
    return record.owner_id == user.pk and can_view(user, record)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def registered() -> Iterator[None]:
    register_owner(Record, can_view=can_view, can_change=can_change, kinds=KINDS, replace=True)
    yield
    unregister_owner(Record)


@pytest.fixture
def record(owner: Any, org: Any, registered: None, media: Path) -> Record:
    return Record.objects.create(title="客户甲", department=org.dept_a, owner=owner)


def upload(name: str = "licence.pdf", content: bytes = PDF, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


def office_zip(kind: str = "docx", *, extra: dict[str, bytes] | None = None, content_types: bool = True) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if content_types:
            archive.writestr("[Content_Types].xml", "<Types/>")
        part = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml"}[kind]
        archive.writestr(part, "<document>hello</document>")
        for name, data in (extra or {}).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def zip_bomb_docx(megabytes: int = 20) -> bytes:
    """A docx whose one part unpacks to `megabytes` of zeros, written in chunks (little memory)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w", force_zip64=True) as part:
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                part.write(chunk)
    return buffer.getvalue()


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()] if root.exists() else []
