"""Demo customers: about 300 of every kind with valid credit codes and ID numbers, spread over the
demo business departments and managers. Deterministic (fixed seed) and idempotent: a customer whose
code already exists is left alone."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from danbao.core.crypto import blind_index
from danbao.customers.identity import ric_check_char, uscc_check_char
from danbao.customers.models.customer import Customer, CustomerKind
from danbao.customers.reference import industry_choices, region_choices
from danbao.customers.services import customer_create

SEED = 20260101
PROVINCE = "430000"  # 湖南省: the demo institution is a provincial agricultural guarantor
MANAGERS = (("manager", "manager2"), ("manager2", "manager"), ("manager3", None), ("manager4", None))

# Kind, count. Organisations first: their credit codes are drawn before the ID numbers.
PLAN = (
    (CustomerKind.ENTERPRISE, 90),
    (CustomerKind.COOPERATIVE, 50),
    (CustomerKind.FAMILY_FARM, 35),
    (CustomerKind.INDIVIDUAL_BUSINESS, 40),
    (CustomerKind.FARMER, 55),
    (CustomerKind.NATURAL_PERSON, 30),
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚"
    "卢姜崔钟谭陆汪范金石廖贾夏韦付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾龚邵万覃武钱戴严欧莫孔向常汤"
)
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红玉兰春梅海燕小东林波辉鹏飞宇浩凯文斌晨旭阳佳欣婷雪慧俊峰亮成德福贵荣"
BRANDS = (
    "金禾 丰源 绿野 湘农 惠民 盛达 宏图 鑫隆 嘉禾 天润 沃土 稻香 恒丰 瑞丰 益农 "
    "康达 华茂 兴旺 福满 顺发 绿源 楚天 洞庭 岳麓 潇湘 芙蓉 碧水 青山 百川 万家"
).split()
ENTERPRISE_TRADES = (
    ("01", "农业科技"),
    ("03", "畜牧养殖"),
    ("04", "水产养殖"),
    ("05", "农业服务"),
    ("13", "粮油加工"),
    ("14", "食品"),
    ("15", "茶业"),
    ("20", "竹木制品"),
    ("26", "生物肥料"),
    ("35", "农机制造"),
    ("51", "农产品贸易"),
    ("52", "超市"),
    ("59", "冷链仓储"),
    ("61", "农家乐"),
    ("65", "信息技术"),
)
COOPERATIVE_TRADES = (
    ("01", "水稻种植"),
    ("01", "蔬菜种植"),
    ("01", "柑橘种植"),
    ("02", "油茶种植"),
    ("03", "生猪养殖"),
    ("04", "稻虾养殖"),
    ("05", "农机"),
)
FARM_TRADES = (("01", "种植"), ("03", "养殖"), ("04", "渔业"), ("01", "果蔬"))
SHOP_TRADES = (("52", "农资店"), ("52", "粮油店"), ("62", "餐馆"), ("51", "农产品经营部"), ("80", "农机维修部"))


def _counties(rng: random.Random) -> list[tuple[str, str, str]]:
    """(county code, city name, county name) of the demo province."""
    out = []
    for city_code, city in region_choices(PROVINCE):
        for county_code, county in region_choices(city_code):
            if county != "市辖区":
                out.append((county_code, city, county))
    return out or [("430102", "长沙市", "芙蓉区")]


def make_uscc(rng: random.Random, prefix: str, region: str) -> str:
    """A valid unified social credit code: authority+type, region, organisation code, check character."""
    body8 = "".join(rng.choice("0123456789") for _ in range(8))
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    value = 11 - sum(int(c) * w for c, w in zip(body8, weights, strict=True)) % 11
    org_code = body8 + {10: "X", 11: "0"}.get(value, str(value))
    if "X" in org_code:  # X is not in the credit-code alphabet: draw again
        return make_uscc(rng, prefix, region)
    body = prefix + region + org_code
    return body + uscc_check_char(body)


def make_ric(rng: random.Random, region: str, *, born_from: int = 1960, born_to: int = 1995, male: bool | None = None) -> str:
    """A valid resident ID number for the region with a random birth date and sex."""
    birth = date(born_from, 1, 1) + timedelta(days=rng.randrange((date(born_to, 12, 31) - date(born_from, 1, 1)).days))
    male = rng.random() < 0.6 if male is None else male
    seq = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{region}{birth:%Y%m%d}{seq:03d}"
    return body + ric_check_char(body)


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _mobile(rng: random.Random) -> str:
    return rng.choice(("138", "139", "135", "136", "150", "151", "158", "177", "186", "187", "199")) + f"{rng.randrange(10**8):08d}"


def _wan(rng: random.Random, low: int, high: int) -> Decimal:
    return Decimal(rng.randrange(low, high)) * 10000


def _plan(rng: random.Random) -> list[dict[str, Any]]:
    counties = _counties(rng)
    divisions = {code for code, _label in industry_choices("division")}
    rows: list[dict[str, Any]] = []
    names: set[str] = set()
    codes: set[str] = set()
    for kind, count in PLAN:
        for index in range(count):
            county_code, city, county = rng.choice(counties)
            place = rng.choice((city, county))
            fields: dict[str, Any] = {"region_code": county_code, "mobile": _mobile(rng)}
            if kind == CustomerKind.ENTERPRISE:
                industry, trade = rng.choice(ENTERPRISE_TRADES)
                name = f"{city}{rng.choice(BRANDS)}{trade}有限公司"
                prefix = "91"
            elif kind == CustomerKind.COOPERATIVE:
                industry, trade = rng.choice(COOPERATIVE_TRADES)
                name = f"{county}{rng.choice(BRANDS)}{trade}专业合作社"
                prefix = "N2" if index % 10 == 0 else "93"  # a few letter-led codes (rural registrations)
            elif kind == CustomerKind.FAMILY_FARM:
                industry, trade = rng.choice(FARM_TRADES)
                name = f"{county}{_person(rng)}家庭农场"
                prefix = "92"
            elif kind == CustomerKind.INDIVIDUAL_BUSINESS:
                industry, trade = rng.choice(SHOP_TRADES)
                name = f"{place}{rng.choice(BRANDS)}{trade}"
                prefix = "92"
            else:
                industry = rng.choice(("01", "03", "04")) if kind == CustomerKind.FARMER else rng.choice(("", "52", "01"))
                name = _person(rng)
                prefix = ""
            if industry and industry not in divisions:
                industry = ""
            if name in names and prefix:
                name = name.replace("有限公司", f"{index}号有限公司") if "有限公司" in name else f"{name}（{index}）"
            names.add(name)
            fields.update(name=name, industry_code=industry)
            if prefix:
                fields["identity_code"] = make_uscc(rng, prefix, county_code)
                fields["legal_rep_name"] = _person(rng)
                fields["legal_rep_id"] = make_ric(rng, county_code)
                fields["established_on"] = date(2005, 1, 1) + timedelta(days=rng.randrange(6500))
                fields["registered_address"] = f"湖南省{city}{county}{rng.choice(BRANDS)}路{rng.randrange(1, 300)}号"
                fields["operating_address"] = fields["registered_address"]
                small = kind != CustomerKind.ENTERPRISE or rng.random() < 0.7
                fields["employees"] = rng.randrange(2, 20) if small else rng.randrange(20, 400)
                fields["annual_revenue"] = _wan(rng, 20, 600) if small else _wan(rng, 300, 30000)
                fields["total_assets"] = _wan(rng, 30, 800) if small else _wan(rng, 500, 50000)
                fields["registered_capital"] = _wan(rng, 10, 1000 if small else 10000)
                fields["business_scope"] = f"{trade}；农产品收购、销售；农业技术推广服务。"
            else:
                fields["identity_code"] = make_ric(rng, county_code)
                fields["household_address"] = f"湖南省{city}{county}{rng.choice(BRANDS)}村{rng.randrange(1, 20)}组"
                if rng.random() < 0.6:
                    fields["spouse_name"] = _person(rng)
                    fields["spouse_id"] = make_ric(rng, county_code)
            if fields["identity_code"] in codes:
                continue
            codes.add(fields["identity_code"])
            rows.append({"kind": kind, **fields})
    return rows


def seed() -> str:
    """Create the demo customers that do not exist yet (by identity code)."""
    from danbao.org.models import User

    users = {
        u.username: u for u in User.objects.filter(username__in=[m for pair in MANAGERS for m in pair if m]).select_related("department")
    }
    if not all(m in users for m, _b in MANAGERS):
        return "skipped (demo managers missing)"
    rng = random.Random(SEED)  # noqa: S311 - demo data, not security
    rows = _plan(rng)
    existing = set(
        Customer.objects.filter(identity_index__in=[blind_index(r["identity_code"]) for r in rows]).values_list("identity_index", flat=True)
    )
    created = 0
    for index, row in enumerate(rows):
        if blind_index(row["identity_code"]) in existing:
            continue
        a_name, b_name = MANAGERS[index % len(MANAGERS)]
        manager = users[a_name]
        customer_create(
            actor=None,
            department=manager.department,
            manager=manager,
            b_manager=users.get(b_name) if b_name else None,
            **row,
        )
        created += 1
    return f"{created} customers created, {len(rows) - created} already present"
