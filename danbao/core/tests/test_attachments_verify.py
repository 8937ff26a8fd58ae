"""verify_attachments: the periodic verifier lists altered, missing and orphan files (SECURITY E.60)."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from danbao.audit.tests.helpers import assert_one_event, audit_mark
from danbao.core.attachments.services import attachment_add
from danbao.core.tests import attachments_support
from danbao.core.tests.attachments_support import (
    PNG,
    upload,
)
from tests.scopeapp.models import Record

pytestmark = pytest.mark.django_db
# Shared fixtures: the Record owner registration, a private MEDIA_ROOT and a record of department A.
media, registered, record = attachments_support.media, attachments_support.registered, attachments_support.record


def run(*args: str) -> str:
    out = StringIO()
    call_command("verify_attachments", *args, stdout=out)
    return out.getvalue()


def test_clean_store_passes(owner: Any, record: Record) -> None:
    attachment_add(actor=owner, owner=record, kind="licence", upload=upload())
    mark = audit_mark()
    assert "1 attachments verified" in run()
    assert_one_event("attachment.verified", since=mark, result="success", data={"checked": 1})


def test_altered_and_missing_files_are_listed_and_fail(owner: Any, record: Record, media: Path) -> None:
    altered = attachment_add(actor=owner, owner=record, kind="licence", upload=upload("a.pdf"))
    missing = attachment_add(actor=owner, owner=record, kind="photo", upload=upload("b.png", PNG))
    (media / altered.stored_name).write_bytes(b"%PDF-1.4 tampered")
    (media / missing.stored_name).unlink()
    out = StringIO()
    mark = audit_mark()
    with pytest.raises(CommandError, match="2 of 2"):
        call_command("verify_attachments", stdout=out)
    text = out.getvalue()
    assert f"ALTERED  #{altered.pk}" in text and f"MISSING  #{missing.pk}" in text
    assert_one_event("attachment.verified", since=mark, result="failure", data={"problem_count": 2})


def test_orphans_are_listed(owner: Any, record: Record, media: Path) -> None:
    attachment_add(actor=owner, owner=record, kind="licence", upload=upload())
    orphan = media / "attachments" / "2020" / "01" / "left-over.pdf"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"%PDF-")
    assert "ORPHAN   attachments/2020/01/left-over.pdf" in run("--orphans")
    assert "REMOVED  attachments/2020/01/left-over.pdf" not in run("--remove-orphans")  # younger than an hour
    assert orphan.exists()
