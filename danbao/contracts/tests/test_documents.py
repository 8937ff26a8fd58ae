"""The contract files: the PDF (pdftotext) carries the project number and the amount in words; the
DOCX opens with the same text; reprints come from the snapshot."""

from __future__ import annotations

import io
import subprocess
import tempfile
from typing import Any

import pytest

from danbao.contracts import documents, services
from danbao.contracts.models import Contract

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(data)
        handle.flush()
        return subprocess.run(["pdftotext", "-layout", handle.name, "-"], capture_output=True, check=True, text=True).stdout  # noqa: S603,S607


def test_pdf_and_docx(approved: Any, owner: Any) -> None:
    from docx import Document

    contract = services.contract_generate(actor=owner, project=approved, kind="guarantee")
    contract = Contract.objects.get(pk=contract.pk)
    text = pdf_text(documents.contract_pdf(contract)).replace(" ", "")
    assert data_in(text, approved.number, contract.number, "捌拾万元整", "连带责任保证", "保证期间为主债务履行期限届满之日起三年")

    document = Document(io.BytesIO(documents.contract_docx(contract)))
    paragraphs = "\n".join(p.text for p in document.paragraphs)
    assert paragraphs.splitlines()[0] == "保证合同"
    assert approved.number in paragraphs and "捌拾万元整" in paragraphs
    assert document.core_properties.title == contract.number


def test_reprint_is_identical_after_the_project_changes(approved: Any, owner: Any) -> None:
    contract = services.contract_generate(actor=owner, project=approved, kind="entrusted")
    first = Contract.objects.get(pk=contract.pk).body_html
    approved.customer.name = "改名后的公司"
    approved.customer.save(update_fields=["name"])
    again = Contract.objects.get(pk=contract.pk)
    assert again.body_html == first and "改名后的公司" not in documents.contract_docx(again).decode("latin-1")


def data_in(text: str, *needles: str) -> bool:
    missing = [n for n in needles if n not in text]
    assert not missing, f"missing in PDF text: {missing}"
    return True
