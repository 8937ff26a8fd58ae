"""Two uploads of the same kind at the same moment get distinct version numbers (PostgreSQL row lock)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from django.db import connection

from danbao.core.attachments.models import Attachment
from danbao.core.attachments.services import attachment_add
from danbao.core.tests import attachments_support
from danbao.core.tests.attachments_support import upload
from tests.scopeapp.models import Record

media, registered, record = attachments_support.media, attachments_support.registered, attachments_support.record


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_racing_uploads_get_distinct_versions(owner: Any, record: Record) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(name: str) -> None:
        from django.db import connections

        try:
            barrier.wait()
            attachment_add(actor=owner, owner=record, kind="licence", upload=upload(name))
        except BaseException as exc:  # noqa: BLE001 - reported below
            failures.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(f"{i}.pdf",)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []
    assert sorted(Attachment.objects.values_list("version", flat=True)) == [1, 2]
