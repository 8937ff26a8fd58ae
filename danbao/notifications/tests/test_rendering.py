"""Placeholder substitution: plain {name} fields, unknown ones left visible, no object access."""

from danbao.notifications.rendering import placeholders_in, render_text


def test_known_placeholders_are_filled() -> None:
    result = render_text("项目 {project_no} 已分配给 {name}", {"project_no": "DB2026-001", "name": "王立业"})
    assert result.text == "项目 DB2026-001 已分配给 王立业"
    assert result.missing == ()
    assert result.used == ("project_no", "name")


def test_unknown_placeholders_stay_visible_and_are_reported() -> None:
    result = render_text("{name}：{amount} 元", {"name": "王"})
    assert result.text == "王：{amount} 元"
    assert result.missing == ("amount",)


def test_no_attribute_access_or_format_specs() -> None:
    class Secret:
        password = "hunter2"  # noqa: S105

    for template in ("{user.password}", "{user[password]}", "{user!r}", "{user:>10}", "{{ user.password }}", "{% debug %}"):
        text = render_text(template, {"user": Secret()}).text
        assert "hunter2" not in text
    assert render_text("{0}", {"0": "x"}).text == "{0}"


def test_placeholders_in_lists_each_name_once() -> None:
    assert placeholders_in("{a} {b} {a} {c.d}") == ["a", "b"]
