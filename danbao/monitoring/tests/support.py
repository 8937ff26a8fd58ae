"""Monitoring test helpers: an in-force guarantee made through the ledger's disbursement service
(the ledger tests' approved project of the owner, 500,000 yuan lent on LOAN_DATE for 12 months), and
the monitoring parameters."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from danbao.ledger.models import Guarantee
from danbao.ledger.schedules import add_months
from danbao.ledger.tests.support import LOAN_DATE, record


@pytest.fixture
def monitoring_params(db: Any) -> None:
    from danbao.monitoring.parameters import ensure_parameters

    ensure_parameters()


@pytest.fixture
def guarantee(lettered: Any, owner: Any, monitoring_params: Any) -> Guarantee:
    """The owner's project in force: one loan of 500,000 yuan on LOAN_DATE for 12 months."""
    record(lettered, owner)
    return Guarantee.objects.get(project=lettered)


def maturity() -> dt.date:
    return add_months(LOAN_DATE, 12)


def jpeg(name: str = "site.jpg", exif_time: str | None = None) -> SimpleUploadedFile:
    from PIL import Image

    image = Image.new("RGB", (64, 48), (90, 140, 60))
    out = io.BytesIO()
    if exif_time:
        exif = Image.Exif()
        exif[306] = exif_time
        image.save(out, "JPEG", exif=exif)
    else:
        image.save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


AMOUNT = D("500000")
