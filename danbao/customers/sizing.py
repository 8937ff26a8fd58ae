"""Enterprise size class (大型/中型/小型/微型) per 《中小企业划型标准规定》 (工信部联企业〔2011〕300号)
and its statistical counterpart 《统计上大中小微型企业划分办法》 (国家统计局 2011, revised 2017 as
国统字〔2017〕213号 to map the same thresholds onto GB/T 4754-2017). Pure function, no database.

How the standard decides (the comments below cite the article of 300号; the NBS 办法 restates them):

* 第二条: SMEs are medium, small and micro, by 从业人员 (employees), 营业收入 (revenue) and
  资产总额 (total assets) according to the industry.
* 第四条 (一)–(十六): one paragraph per industry group, each giving the upper limit of SMEs (= the lower
  limit of large, 第七条: "本规定的中型企业标准上限即为大型企业标准的下限") and the lower limits of
  medium and small; everything below the small limits is micro.
* NBS 办法, 表注: "大型、中型和小型企业须同时满足所列指标的下限，否则下划一档；微型企业只须满足所列指标
  中的一项即可" — large, medium and small must reach the lower limit of EVERY listed indicator
  (otherwise the enterprise drops one class); micro needs to fall below only ONE of them. In 300号 the
  same appears as "X及以上，且Y及以上的为中型" and "X以下或Y以下的为微型".
* The limits are inclusive lower bounds ("及以上"): 1000 employees with 40,000 万元 revenue is large in
  工业 (NBS table: 大型 X≥1000, Y≥40000).

Amounts are given in 万元 by the standard and converted to yuan here (× 10,000).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext_lazy as _

from danbao.customers.reference import industry_get, industry_normalize

__all__ = [
    "GROUP_LABELS",
    "SIZE_CLASSES",
    "THRESHOLDS",
    "SizeResult",
    "compute_size_class",
    "industry_size_group",
]

SIZE_CLASSES = {
    "large": _("Large"),
    "medium": _("Medium"),
    "small": _("Small"),
    "micro": _("Micro"),
}

WAN = Decimal(10000)

# Indicators: "employees" (从业人员, persons), "revenue" (营业收入, 万元), "assets" (资产总额, 万元).
# Per group: the article, the indicators used, and the lower limits of large / medium / small, as
# tuples in the order of the indicators. Micro is whatever does not reach the small limits.
THRESHOLDS: tuple[dict, ...] = (
    # 第四条（一）农、林、牧、渔业。营业收入20000万元以下的为中小微型企业。其中，营业收入500万元及以上的
    # 为中型企业，营业收入50万元及以上的为小型企业，营业收入50万元以下的为微型企业。
    {"group": "agriculture", "article": "第四条（一）", "indicators": ("revenue",), "large": (20000,), "medium": (500,), "small": (50,)},
    # 第四条（二）工业。从业人员1000人以下或营业收入40000万元以下的为中小微型企业。其中，从业人员300人及以上，
    # 且营业收入2000万元及以上的为中型企业；从业人员20人及以上，且营业收入300万元及以上的为小型企业；
    # 从业人员20人以下或营业收入300万元以下的为微型企业。
    {
        "group": "industry",
        "article": "第四条（二）",
        "indicators": ("employees", "revenue"),
        "large": (1000, 40000),
        "medium": (300, 2000),
        "small": (20, 300),
    },
    # 第四条（三）建筑业。营业收入80000万元以下或资产总额80000万元以下的为中小微型企业。其中，营业收入6000万元
    # 及以上，且资产总额5000万元及以上的为中型企业；营业收入300万元及以上，且资产总额300万元及以上的为小型企业；
    # 营业收入300万元以下或资产总额300万元以下的为微型企业。
    {
        "group": "construction",
        "article": "第四条（三）",
        "indicators": ("revenue", "assets"),
        "large": (80000, 80000),
        "medium": (6000, 5000),
        "small": (300, 300),
    },
    # 第四条（四）批发业。从业人员200人以下或营业收入40000万元以下；中型 20人且5000万元；小型 5人且1000万元。
    {
        "group": "wholesale",
        "article": "第四条（四）",
        "indicators": ("employees", "revenue"),
        "large": (200, 40000),
        "medium": (20, 5000),
        "small": (5, 1000),
    },
    # 第四条（五）零售业。从业人员300人以下或营业收入20000万元以下；中型 50人且500万元；小型 10人且100万元。
    {
        "group": "retail",
        "article": "第四条（五）",
        "indicators": ("employees", "revenue"),
        "large": (300, 20000),
        "medium": (50, 500),
        "small": (10, 100),
    },
    # 第四条（六）交通运输业。从业人员1000人以下或营业收入30000万元以下；中型 300人且3000万元；小型 20人且200万元。
    {
        "group": "transport",
        "article": "第四条（六）",
        "indicators": ("employees", "revenue"),
        "large": (1000, 30000),
        "medium": (300, 3000),
        "small": (20, 200),
    },
    # 第四条（七）仓储业。从业人员200人以下或营业收入30000万元以下；中型 100人且1000万元；小型 20人且100万元。
    {
        "group": "warehousing",
        "article": "第四条（七）",
        "indicators": ("employees", "revenue"),
        "large": (200, 30000),
        "medium": (100, 1000),
        "small": (20, 100),
    },
    # 第四条（八）邮政业。从业人员1000人以下或营业收入30000万元以下；中型 300人且2000万元；小型 20人且100万元。
    {
        "group": "postal",
        "article": "第四条（八）",
        "indicators": ("employees", "revenue"),
        "large": (1000, 30000),
        "medium": (300, 2000),
        "small": (20, 100),
    },
    # 第四条（九）住宿业。从业人员300人以下或营业收入10000万元以下；中型 100人且2000万元；小型 10人且100万元。
    {
        "group": "accommodation",
        "article": "第四条（九）",
        "indicators": ("employees", "revenue"),
        "large": (300, 10000),
        "medium": (100, 2000),
        "small": (10, 100),
    },
    # 第四条（十）餐饮业。从业人员300人以下或营业收入10000万元以下；中型 100人且2000万元；小型 10人且100万元。
    {
        "group": "catering",
        "article": "第四条（十）",
        "indicators": ("employees", "revenue"),
        "large": (300, 10000),
        "medium": (100, 2000),
        "small": (10, 100),
    },
    # 第四条（十一）信息传输业。从业人员2000人以下或营业收入100000万元以下；中型 100人且1000万元；小型 10人且100万元。
    {
        "group": "telecom",
        "article": "第四条（十一）",
        "indicators": ("employees", "revenue"),
        "large": (2000, 100000),
        "medium": (100, 1000),
        "small": (10, 100),
    },
    # 第四条（十二）软件和信息技术服务业。从业人员300人以下或营业收入10000万元以下；中型 100人且1000万元；
    # 小型 10人且50万元。
    {
        "group": "software",
        "article": "第四条（十二）",
        "indicators": ("employees", "revenue"),
        "large": (300, 10000),
        "medium": (100, 1000),
        "small": (10, 50),
    },
    # 第四条（十三）房地产开发经营。营业收入200000万元以下或资产总额10000万元以下；中型 营业收入1000万元且资产总额
    # 5000万元；小型 营业收入100万元且资产总额2000万元。
    {
        "group": "real_estate_development",
        "article": "第四条（十三）",
        "indicators": ("revenue", "assets"),
        "large": (200000, 10000),
        "medium": (1000, 5000),
        "small": (100, 2000),
    },
    # 第四条（十四）物业管理。从业人员1000人以下或营业收入5000万元以下；中型 300人且1000万元；小型 100人且500万元。
    {
        "group": "property_management",
        "article": "第四条（十四）",
        "indicators": ("employees", "revenue"),
        "large": (1000, 5000),
        "medium": (300, 1000),
        "small": (100, 500),
    },
    # 第四条（十五）租赁和商务服务业。从业人员300人以下或资产总额120000万元以下；中型 100人且资产总额8000万元；
    # 小型 10人且资产总额100万元。
    {
        "group": "leasing_business",
        "article": "第四条（十五）",
        "indicators": ("employees", "assets"),
        "large": (300, 120000),
        "medium": (100, 8000),
        "small": (10, 100),
    },
    # 第四条（十六）其他未列明行业。从业人员300人以下的为中小微型企业。其中，从业人员100人及以上的为中型企业；
    # 从业人员10人及以上的为小型企业；从业人员10人以下的为微型企业。
    {"group": "other", "article": "第四条（十六）", "indicators": ("employees",), "large": (300,), "medium": (100,), "small": (10,)},
)
_BY_GROUP = {row["group"]: row for row in THRESHOLDS}

GROUP_LABELS = {
    "agriculture": _("Agriculture, forestry, animal husbandry and fishery"),
    "industry": _("Industry"),
    "construction": _("Construction"),
    "wholesale": _("Wholesale"),
    "retail": _("Retail"),
    "transport": _("Transport"),
    "warehousing": _("Warehousing"),
    "postal": _("Postal services"),
    "accommodation": _("Accommodation"),
    "catering": _("Catering"),
    "telecom": _("Information transmission"),
    "software": _("Software and information technology services"),
    "real_estate_development": _("Real estate development"),
    "property_management": _("Property management"),
    "leasing_business": _("Leasing and business services"),
    "other": _("Other industries not listed"),
}

_INDICATOR_LABELS = {
    "employees": _("employees"),
    "revenue": _("revenue"),
    "assets": _("total assets"),
}

# Mapping from GB/T 4754-2017 to the groups, per the notes of the NBS 办法 (2017):
#  工业 = 采矿业 (B), 制造业 (C), 电力、热力、燃气及水生产和供应业 (D);
#  交通运输业 = 道路、水上、航空、管道运输业, 多式联运和运输代理业, 装卸搬运 (54–58, 591), NOT 铁路运输业 (53);
#  仓储业 = 通用/低温/危险品/农产品/中药材/其他仓储 (592–599);
#  信息传输业 = 电信、广播电视和卫星传输服务, 互联网和相关服务 (63, 64);
#  其他未列明行业 = 科学研究和技术服务业, 水利、环境和公共设施管理业, 居民服务、修理和其他服务业, 社会工作,
#  文化、体育和娱乐业, 房地产中介服务 (703), 其他房地产业 (709) 等，不包括自有房地产经营活动 — the list ends
#  with "等", so here every enterprise industry not named elsewhere is "other" too (铁路运输业 53,
#  教育 P, 卫生 84).
# Not covered (None): 金融业 J (金融业企业划型标准规定 applies), 公共管理、社会保障和社会组织 S, 国际组织 T,
# and 房地产租赁经营 (704, the 2017 successor of the 2011 class 自有房地产经营活动 that the note excludes).
_SECTION_GROUPS = {"A": "agriculture", "B": "industry", "C": "industry", "D": "industry", "E": "construction", "L": "leasing_business"}
_DIVISION_GROUPS = {
    "51": "wholesale",
    "52": "retail",
    "54": "transport",
    "55": "transport",
    "56": "transport",
    "57": "transport",
    "58": "transport",
    "60": "postal",
    "61": "accommodation",
    "62": "catering",
    "63": "telecom",
    "64": "telecom",
    "65": "software",
}
_GROUP_GROUPS = {"591": "transport", "701": "real_estate_development", "702": "property_management"}
_NOT_COVERED_SECTIONS = {"J", "S", "T"}


@dataclass(frozen=True)
class SizeResult:
    size_class: str | None  # large | medium | small | micro, None when it cannot be decided
    group: str  # key of GROUP_LABELS, "" when the industry is unknown or not covered
    rule: str  # the threshold text that decided (or why nothing was decided)
    inputs: dict = field(default_factory=dict)


def _section_of(digits: str) -> str | None:
    div = industry_get(digits[:2])
    return div.parent if div else None


def industry_size_group(industry_code: str | None) -> tuple[str | None, str]:
    """(group, reason): the size group of a GB/T 4754-2017 code, or (None, why not)."""
    code = industry_normalize(industry_code)
    if not code:
        return None, str(_("No industry given."))
    if len(code) == 1:
        section = code
        digits = ""
    elif code.isdigit() and len(code) in (2, 3, 4):
        digits = code
        section = _section_of(code)
        if section is None:
            return None, str(_("Unknown industry code %(code)s.") % {"code": code})
    else:
        return None, str(_("Unknown industry code %(code)s.") % {"code": code})
    if section in _NOT_COVERED_SECTIONS:
        return None, str(_("Section %(section)s is not covered by the SME classification standard.") % {"section": section})
    if digits[:3] in _GROUP_GROUPS:
        return _GROUP_GROUPS[digits[:3]], ""
    if digits[:2] == "59":
        return "warehousing", ""
    if digits[:3] == "704":
        return None, str(_("Real estate leasing (704) is excluded from the SME classification standard."))
    if digits[:2] == "70":
        if len(digits) == 2:
            return None, str(_("Real estate (70) needs the group code: development (701) and property management (702) differ."))
        return "other", ""
    if digits[:2] in _DIVISION_GROUPS:
        return _DIVISION_GROUPS[digits[:2]], ""
    if section in _SECTION_GROUPS:
        return _SECTION_GROUPS[section], ""
    if len(code) == 1 and section in ("F", "G", "H", "I", "K"):
        return None, str(_("Section %(section)s spans several size groups; give the division.") % {"section": section})
    return "other", ""


def _fmt_limit(indicator: str, value: int) -> str:
    if indicator == "employees":
        return str(_("%(n)s employees") % {"n": value})
    return str(_("%(label)s %(n)s (10k yuan)") % {"label": _INDICATOR_LABELS[indicator], "n": value})


def compute_size_class(
    *,
    industry_code: str,
    employees: int | None,
    revenue: Decimal | None,
    total_assets: Decimal | None,
) -> SizeResult:
    """Size class of an enterprise. ``revenue`` and ``total_assets`` in yuan (last year's 营业收入 and
    year-end 资产总额), ``employees`` the 从业人员 count. Returns ``size_class=None`` when the industry is
    not covered or an indicator the decision needs is missing."""
    inputs = {"industry_code": industry_code, "employees": employees, "revenue": revenue, "total_assets": total_assets}
    group, reason = industry_size_group(industry_code)
    if group is None:
        return SizeResult(None, "", reason, inputs)
    row = _BY_GROUP[group]
    values_wan = {
        "employees": Decimal(employees) if employees is not None else None,
        "revenue": Decimal(revenue) / WAN if revenue is not None else None,
        "assets": Decimal(total_assets) / WAN if total_assets is not None else None,
    }

    def ruled(text: str) -> str:
        return str(_("%(article)s %(group)s: %(text)s") % {"article": row["article"], "group": GROUP_LABELS[group], "text": text})

    # Large, medium, small: every listed indicator must reach the class's lower limit, otherwise one
    # class down (NBS 表注). A missing indicator that could still decide makes the result unknown.
    for size in ("large", "medium", "small"):
        limits = row[size]
        below = []
        missing = []
        for indicator, limit in zip(row["indicators"], limits, strict=True):
            v = values_wan[indicator]
            if v is None:
                missing.append(indicator)
            elif v < limit:
                below.append((indicator, limit))
        if below:
            continue
        if missing:
            names = ", ".join(str(_INDICATOR_LABELS[i]) for i in missing)
            return SizeResult(None, group, ruled(str(_("missing %(names)s") % {"names": names})), inputs)
        reached = str(_(" and ")).join(_fmt_limit(i, lim) for i, lim in zip(row["indicators"], limits, strict=True))
        text = str(_("%(size)s: at least %(limits)s") % {"size": SIZE_CLASSES[size], "limits": reached})
        return SizeResult(size, group, ruled(text), inputs)
    # Micro: below the small limit in one indicator is enough ("只须满足所列指标中的一项即可").
    below_small = [
        (i, lim)
        for i, lim in zip(row["indicators"], row["small"], strict=True)
        if values_wan[i] is not None and values_wan[i] < lim  # type: ignore[operator]
    ]
    first = below_small[0]
    text = str(_("%(size)s: below %(limit)s") % {"size": SIZE_CLASSES["micro"], "limit": _fmt_limit(*first)})
    return SizeResult("micro", group, ruled(text), inputs)
