"""The placeholder catalogue and the renderer: substitution (大写 included), refusal of unknown or
broken placeholders naming them, escaping, and no template-engine evaluation of user text."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from danbao.contracts import placeholders, wording
from danbao.contracts.context import fee_total
from danbao.core.errors import DomainError
from danbao.core.money import amount_in_words, format_amount


def test_built_in_wording_uses_only_catalogue_placeholders() -> None:
    for _name, _title, body in wording.BUILT_IN.values():
        placeholders.validate(body)
        names = placeholders.used_names(body)
        assert "担保金额大写" in names and "合同编号" in names


def test_guarantee_wording_states_joint_liability_and_explicit_period() -> None:
    html, _blocks = placeholders.render(wording.GUARANTEE, placeholders.sample_values())
    assert "连带责任保证" in html
    assert "保证期间为主债务履行期限届满之日起三年" in html
    assert "第六百九十二条" in html


def test_substitution_with_amount_in_words() -> None:
    values = {
        "项目编号": "DB2026-0007",
        "担保金额": format_amount(Decimal("1234567.89")),
        "担保金额大写": amount_in_words(Decimal("1234567.89")),
    }
    html, blocks = placeholders.render("# 合同\n项目{{项目编号}}，金额¥{{ 担保金额 }}元（{{担保金额大写}}）", values)
    assert "项目DB2026-0007，金额¥1,234,567.89元（壹佰贰拾叁万肆仟伍佰陆拾柒元捌角玖分）" in html
    assert json.loads(blocks)[0] == {"t": "title", "text": "合同"}


def test_unknown_placeholders_are_refused_naming_each_once() -> None:
    with pytest.raises(DomainError) as exc:
        placeholders.validate("甲方{{债务人名称}}，{{借款人电话}}、{{银行行长}}、{{借款人电话}}")
    assert exc.value.code == "contracts.unknown_placeholders"
    assert exc.value.data["names"] == "{{借款人电话}}、{{银行行长}}"
    assert "{{借款人电话}}" in exc.value.message


@pytest.mark.parametrize("body", ["金额{{担保金额", "金额担保金额}}", "金额{{}}", "{{ }}"])
def test_broken_placeholders_are_refused(body: str) -> None:
    with pytest.raises(DomainError) as exc:
        placeholders.validate(body)
    assert exc.value.code == "contracts.broken_placeholder"
    assert exc.value.data["line"] == 1


def test_table_placeholder_must_stand_alone() -> None:
    with pytest.raises(DomainError) as exc:
        placeholders.validate("第一行\n抵押物如下：{{抵押物清单}}")
    assert exc.value.code == "contracts.table_placeholder_inline" and exc.value.data["line"] == 2
    placeholders.validate("抵押物如下：\n  {{抵押物清单}}  ")


def test_collateral_table_rows_and_empty_table() -> None:
    rows = [{"name": "厂房", "owner": "张三", "certificate": "权证1", "location": "某地", "value": "1,000.00", "note": "第一顺位"}]
    html, blocks = placeholders.render("{{抵押物清单}}\n{{质押物清单}}", {"抵押物清单": rows, "质押物清单": []})
    table = json.loads(blocks)[0]
    assert table["rows"] == [["厂房", "张三", "权证1", "某地", "1,000.00", "第一顺位"]]
    assert "<th>权属人</th>" in html and "<td>厂房</td>" in html
    assert "（无）" in html


def test_user_text_is_escaped_and_never_evaluated_as_a_django_template() -> None:
    body = "<script>alert(1)</script> {% load static %}{{ request.user }}"
    with pytest.raises(DomainError):  # {{ request.user }} is not a catalogue placeholder
        placeholders.validate(body)
    html, _blocks = placeholders.render("<b>{{债务人名称}}</b> {% now 'Y' %} {# c #}", {"债务人名称": "<img src=x onerror=alert(1)>"})
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "{% now &#x27;Y&#x27; %}" in html  # left as literal text


def test_signature_lines_are_grouped_at_the_end() -> None:
    html, _ = placeholders.render("# T\n> 甲方（盖章）：\n正文\n> 乙方（盖章）：", {})
    assert html.endswith('<div class="contract-signatures"><p>甲方（盖章）：</p><p>乙方（盖章）：</p></div>')


@given(st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999.99"), places=2))
def test_any_amount_renders_figures_and_words(amount: Decimal) -> None:
    html, _ = placeholders.render(
        "{{担保金额}}={{担保金额大写}}", {"担保金额": format_amount(amount), "担保金额大写": amount_in_words(amount)}
    )
    assert html == f"<p>{format_amount(amount)}={amount_in_words(amount)}</p>"


def test_fee_total_per_basis() -> None:
    assert fee_total(Decimal("800000"), Decimal("0.009"), 12, "annual") == Decimal("7200.00")
    assert fee_total(Decimal("800000"), Decimal("0.009"), 18, "annual") == Decimal("10800.00")
    assert fee_total(Decimal("800000"), Decimal("0.009"), 18, "one_off") == Decimal("7200.00")
    assert fee_total(Decimal("333333"), Decimal("0.015"), 7, "annual") == Decimal("2916.66")


@given(
    st.decimals(min_value=Decimal("1"), max_value=Decimal("100000000"), places=2),
    st.decimals(min_value=Decimal("0"), max_value=Decimal("0.05"), places=4),
    st.integers(min_value=1, max_value=60),
)
def test_fee_total_is_never_negative_and_annual_grows_with_term(amount: Decimal, rate: Decimal, months: int) -> None:
    fee = fee_total(amount, rate, months, "annual")
    assert fee >= 0 and fee_total(amount, rate, months + 12, "annual") >= fee
    assert fee_total(amount, rate, months, "one_off") == fee_total(amount, rate, 12, "annual")
