"""The placeholder catalogue and the renderer of contract wording.

Template wording is plain text written by staff. It is NEVER handed to Django's template engine:
this module finds `{{名称}}` tokens itself, refuses names that are not in the declared catalogue,
substitutes the values as text and escapes everything when it builds HTML.

Line markup of the wording (one block per line; blank lines are ignored):

    # 委托保证合同            → the contract title (centred)
    ## 第一条 主债务          → an article heading
    {{抵押物清单}}            → a table placeholder, alone on its line
    any other line            → a paragraph (placeholders substituted inline)
    > 甲方（盖章）：…          → a signature-block line (kept together at the end)
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape

from danbao.contracts import errors

TOKEN = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
TEXT = "text"
TABLE = "table"


@dataclass(frozen=True)
class Placeholder:
    name: str
    description: str
    sample: str
    kind: str = TEXT


# Columns of the collateral tables (抵押物清单 / 质押物清单), with the row keys they read.
COLLATERAL_COLUMNS: tuple[tuple[str, str], ...] = (
    ("name", "名称"),
    ("owner", "权属人"),
    ("certificate", "权证/凭证号"),
    ("location", "坐落/存放地"),
    ("value", "评估价值（元）"),
    ("note", "备注"),
)

SAMPLE_COLLATERAL = [
    {
        "name": "商业用房（某市某区某路18号1-2层）",
        "owner": "张三",
        "certificate": "某(2024)某市不动产权第0012345号",
        "location": "某市某区某路18号",
        "value": "3,200,000.00",
        "note": "第一顺位",
    },
    {
        "name": "数控机床 2 台",
        "owner": "示例科技有限公司",
        "certificate": "发票号 04412345",
        "location": "公司厂房",
        "value": "860,000.00",
        "note": "",
    },
]

CATALOGUE: tuple[Placeholder, ...] = (
    Placeholder("合同编号", "本合同的编号（按编号规则生成）", "WTBZ2026-0001"),
    Placeholder("项目编号", "担保项目编号", "DB2026-0001"),
    Placeholder("批复编号", "项目批复书编号", "PF2026-0001"),
    Placeholder("担保人名称", "本机构（担保人/保证人）名称，取系统参数", "示范融资担保有限公司"),
    Placeholder("担保人住所", "本机构住所，取系统参数", "某省某市某区金融街1号"),
    Placeholder("债务人名称", "被担保人（借款人、委托人）名称", "示例科技有限公司"),
    Placeholder("债务人证件类型", "被担保人证件类型", "统一社会信用代码"),
    Placeholder("债务人证件号码", "被担保人证件号码（只打印在合同上）", "91110000MA01ABCD2X"),
    Placeholder("债务人住所", "被担保人住所（注册地址或联系地址）", "某市某区科技园路8号"),
    Placeholder("债务人法定代表人", "被担保人法定代表人（企业客户）", "王五"),
    Placeholder("贷款银行", "贷款银行（债权人）名称，含支行", "某某银行股份有限公司某某支行"),
    Placeholder("贷款银行住所", "贷款银行住所", "某市某区人民路100号"),
    Placeholder("担保金额", "批复担保金额（小写，千分位）", "1,000,000.00"),
    Placeholder("担保金额大写", "批复担保金额（人民币大写）", "壹佰万元整"),
    Placeholder("借款期限", "借款期限（月）", "12"),
    Placeholder("借款用途", "借款用途", "购买原材料"),
    Placeholder("还款方式", "还款方式", "按月付息，到期还本"),
    Placeholder("担保费率", "批复担保费率（百分比）", "2.00%"),
    Placeholder("收费方式", "担保费计收方式（按年/一次性）", "年化费率，按年计收"),
    Placeholder("担保费金额", "担保期内担保费合计（小写）", "20,000.00"),
    Placeholder("担保费金额大写", "担保期内担保费合计（大写）", "贰万元整"),
    Placeholder("评审费金额", "评审费（小写）", "0.00"),
    Placeholder("保证金比例", "存入保证金比例（百分比）", "0.00%"),
    Placeholder("保证方式", "保证方式（本机构一律为连带责任保证）", "连带责任保证"),
    Placeholder("保证期间", "保证期间的文字（系统参数，民法典第692条）", "主债务履行期限届满之日起三年"),
    Placeholder("反担保措施", "批复要求的反担保措施（多项以“；”分隔）", "张三提供个人连带责任保证；某市某区某路18号房产抵押"),
    Placeholder("前提条件", "批复的放款前提条件（多项以“；”分隔）", "落实全部反担保措施"),
    Placeholder("争议管辖", "争议解决方式（系统参数）", "向担保人住所地有管辖权的人民法院提起诉讼"),
    Placeholder("反担保人名称", "反担保合同的反担保人、抵押人或出质人", "张三"),
    Placeholder("反担保人证件号码", "反担保人证件号码（只打印在合同上）", "110101198001011234"),
    Placeholder("反担保人住所", "反担保人住所", "某市某区某路18号"),
    Placeholder("担保物价值合计", "抵押物/质押物评估价值合计（小写）", "4,060,000.00"),
    Placeholder("担保物价值合计大写", "抵押物/质押物评估价值合计（大写）", "肆佰零陆万元整"),
    Placeholder("抵押物清单", "抵押物清单（表格，单独成行）", "", TABLE),
    Placeholder("质押物清单", "质押物清单（表格，单独成行）", "", TABLE),
    Placeholder("生成日期", "合同生成日期（YYYY-MM-DD）", "2026-01-15"),
)
BY_NAME = {p.name: p for p in CATALOGUE}
TABLE_NAMES = frozenset(p.name for p in CATALOGUE if p.kind == TABLE)


def sample_values() -> dict[str, Any]:
    """Sample data for the preview beside the editor."""
    values: dict[str, Any] = {p.name: p.sample for p in CATALOGUE if p.kind == TEXT}
    for name in TABLE_NAMES:
        values[name] = SAMPLE_COLLATERAL
    return values


def used_names(body: str) -> list[str]:
    """Placeholder names used in `body`, in order of first use."""
    seen: list[str] = []
    for match in TOKEN.finditer(body or ""):
        name = match.group(1)
        if name not in seen:
            seen.append(name)
    return seen


def validate(body: str) -> None:
    """Refuse unknown, empty or unclosed placeholders and table placeholders not alone on a line."""
    unknown = [name for name in used_names(body) if name not in BY_NAME]
    for number, line in enumerate((body or "").splitlines(), start=1):
        rest = TOKEN.sub("", line)
        if "{{" in rest or "}}" in rest or any(not m.group(1) for m in TOKEN.finditer(line)):
            raise errors.BROKEN_PLACEHOLDER.error(line=number)
        for match in TOKEN.finditer(line):
            if match.group(1) in TABLE_NAMES and line.strip() != match.group(0):
                raise errors.TABLE_PLACEHOLDER_INLINE.error(name="{{" + match.group(1) + "}}", line=number)
    if unknown:
        raise errors.UNKNOWN_PLACEHOLDERS.error(names="、".join("{{" + name + "}}" for name in unknown))


def _substitute(line: str, values: dict[str, Any]) -> str:
    def one(match: re.Match[str]) -> str:
        value = values.get(match.group(1), "")
        return "" if value is None else str(value)

    return TOKEN.sub(one, line)


def _table(rows: Any) -> dict[str, Any]:
    cells = []
    for row in rows or []:
        cells.append([str(row.get(key, "") or "") for key, _label in COLLATERAL_COLUMNS])
    return {"t": "table", "columns": [label for _key, label in COLLATERAL_COLUMNS], "rows": cells}


def render_blocks(body: str, values: dict[str, Any]) -> list[dict[str, Any]]:
    """The wording as a list of blocks with every placeholder substituted (plain text, unescaped)."""
    blocks: list[dict[str, Any]] = []
    for raw in (body or "").splitlines():
        line = raw.strip()
        if not line:
            continue
        match = TOKEN.fullmatch(line)
        if match and match.group(1) in TABLE_NAMES:
            blocks.append(_table(values.get(match.group(1))))
        elif line.startswith("## "):
            blocks.append({"t": "heading", "text": _substitute(line[3:].strip(), values)})
        elif line.startswith("# "):
            blocks.append({"t": "title", "text": _substitute(line[2:].strip(), values)})
        elif line.startswith(">"):
            blocks.append({"t": "sign", "text": _substitute(line[1:].strip(), values)})
        else:
            blocks.append({"t": "p", "text": _substitute(line, values)})
    return blocks


def blocks_html(blocks: list[dict[str, Any]]) -> str:
    """Escaped HTML of rendered blocks (the stored snapshot; shown with |safe because built here)."""
    parts: list[str] = []
    signs: list[str] = []
    for block in blocks:
        kind = block["t"]
        if kind == "title":
            parts.append(f'<h1 class="contract-title">{escape(block["text"])}</h1>')
        elif kind == "heading":
            parts.append(f'<h2 class="contract-article">{escape(block["text"])}</h2>')
        elif kind == "sign":
            signs.append(f"<p>{escape(block['text'])}</p>")
        elif kind == "table":
            head = "".join(f"<th>{escape(c)}</th>" for c in ["序号", *block["columns"]])
            if block["rows"]:
                body = "".join(
                    "<tr>" + f"<td>{i}</td>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>"
                    for i, row in enumerate(block["rows"], start=1)
                )
            else:
                body = f'<tr><td colspan="{len(block["columns"]) + 1}">（无）</td></tr>'
            parts.append(f'<table class="contract-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>')
        else:
            parts.append(f"<p>{escape(block['text'])}</p>")
    if signs:
        parts.append('<div class="contract-signatures">' + "".join(signs) + "</div>")
    return "\n".join(parts)


def render(body: str, values: dict[str, Any]) -> tuple[str, str]:
    """(HTML, blocks as JSON) of `body` with `values`; the body must have passed `validate`."""
    blocks = render_blocks(body, values)
    return blocks_html(blocks), json.dumps(blocks, ensure_ascii=False)
