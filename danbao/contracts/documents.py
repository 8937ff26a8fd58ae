"""A contract as a file, rendered on download from the stored snapshot (never at generation):
PDF with WeasyPrint and the Noto CJK fonts (like projects/pdf.py), DOCX with python-docx. The
snapshot is the escaped HTML and the block list built by `contracts.placeholders`, so a reprint is
identical to the first print whatever happened to the template or the project since."""

from __future__ import annotations

import io
import json
from typing import Any

from django.template.loader import render_to_string

from danbao.contracts.models import Contract


def contract_pdf(contract: Contract) -> bytes:
    from weasyprint import HTML

    html = render_to_string("contracts/pdf/contract.html", {"contract": contract, "body": contract.body_html})
    return HTML(string=html).write_pdf()


def _blocks(contract: Contract) -> list[dict[str, Any]]:
    try:
        return list(json.loads(contract.body_blocks or "[]"))
    except ValueError:
        return []


def contract_docx(contract: Contract) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    signs: list[str] = []
    for block in _blocks(contract):
        kind = block.get("t")
        if kind == "title":
            paragraph = document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = paragraph.add_run(block["text"])
            run.bold = True
            run.font.size = Pt(18)
        elif kind == "heading":
            run = document.add_paragraph().add_run(block["text"])
            run.bold = True
        elif kind == "sign":
            signs.append(block["text"])
        elif kind == "table":
            columns = ["序号", *block["columns"]]
            rows = block["rows"] or [["（无）"] + [""] * (len(columns) - 2)]
            table = document.add_table(rows=1, cols=len(columns))
            table.style = "Table Grid"
            for cell, text in zip(table.rows[0].cells, columns, strict=True):
                cell.text = text
            for index, row in enumerate(rows, start=1):
                cells = table.add_row().cells
                cells[0].text = str(index) if block["rows"] else ""
                for cell, text in zip(cells[1:], row, strict=False):
                    cell.text = text
        else:
            document.add_paragraph(block.get("text", ""))
    if signs:
        document.add_paragraph()
        for text in signs:
            document.add_paragraph(text)
    document.core_properties.title = contract.number
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
