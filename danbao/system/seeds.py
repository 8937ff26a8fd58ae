"""Default configuration: dictionaries, the parameter catalogue and numbering rules.

Parameters follow shared/domain/regulation.md §10 "Parameter catalogue". Percent values are
written in percent ("50" = 0.50). Grade [R] (recalled, not re-read) is stated in the description
as "回忆所得，待核实" so compliance staff verify it before relying on it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django.db import transaction

from danbao.core.registry import Registry
from danbao.system.models import DictItem, DictType, NumberingRule, Parameter
from danbao.system.services.numbering import numbering_rule_create
from danbao.system.services.parameters import parameter_define

# Business apps keep their own parameter catalogues (`<app>/parameters.py`) and register the function that
# creates them here, so `manage.py ensure_parameters` creates every app's parameters in production too.
app_parameter_seeders: Registry[Callable[[], int]] = Registry("app parameter seeders")


def register_parameter_seeder(app_label: str, seeder: Callable[[], int]) -> None:
    app_parameter_seeders.register(app_label, seeder, replace=True)


def ensure_app_parameters() -> int:
    """Run every registered app's idempotent parameter seeder; returns how many parameters were created."""
    return sum(int(seeder() or 0) for seeder in app_parameter_seeders)


RECALLED = "（回忆所得，待核实 / recalled, verify）"

# code, name, items (code, label[, children])
DICTIONARIES: list[tuple[str, str, list[tuple[Any, ...]]]] = [
    (
        "id_type",
        "证件类型",
        [
            ("01", "居民身份证"),
            ("02", "统一社会信用代码"),
            ("03", "护照"),
            ("04", "港澳居民来往内地通行证"),
            ("05", "台湾居民来往大陆通行证"),
            ("99", "其他证件"),
        ],
    ),
    ("guarantee_method", "担保方式", [("01", "连带责任保证"), ("02", "一般保证"), ("03", "抵押"), ("04", "质押")]),
    (
        "counter_guarantee_method",
        "反担保方式",
        [
            ("01", "保证", [("0101", "个人保证"), ("0102", "企业保证")]),
            ("02", "抵押", [("0201", "房产抵押"), ("0202", "土地使用权抵押"), ("0203", "设备抵押")]),
            ("03", "质押", [("0301", "应收账款质押"), ("0302", "股权质押"), ("0303", "存单质押")]),
            ("99", "无反担保"),
        ],
    ),
    ("enterprise_scale", "企业规模", [("L", "大型"), ("M", "中型"), ("S", "小型"), ("XS", "微型")]),
    (
        "customer_type",
        "客户类型",
        [
            ("enterprise", "企业"),
            ("individual", "个人"),
            ("farmer", "农户"),
            ("individual_business", "个体工商户"),
            ("cooperative", "农民专业合作社"),
            ("family_farm", "家庭农场"),
        ],
    ),
    (
        "loan_purpose",
        "贷款用途",
        [
            ("working_capital", "流动资金"),
            ("fixed_assets", "固定资产投资"),
            ("agri_production", "农业生产"),
            ("land_transfer", "土地流转"),
            ("agri_machinery", "农机购置"),
            ("other", "其他"),
        ],
    ),
    (
        "repayment_method",
        "还款方式",
        [
            ("bullet", "到期一次还本付息"),
            ("interest_monthly", "按月付息到期还本"),
            ("equal_installment", "等额本息"),
            ("equal_principal", "等额本金"),
            ("custom", "自定义还款计划"),
        ],
    ),
    ("risk_class", "风险分类", [("01", "正常"), ("02", "关注"), ("03", "次级"), ("04", "可疑"), ("05", "损失")]),
    ("warning_level", "预警级别", [("blue", "蓝色预警"), ("yellow", "黄色预警"), ("orange", "橙色预警"), ("red", "红色预警")]),
]

D_TIAOLI = date(2017, 10, 1)  # 融资担保公司监督管理条例 (国务院令第683号) effective
D_PEITAO = date(2018, 4, 2)  # 四项配套制度 银保监发〔2018〕1号
D_ZANXING = date(2010, 3, 8)  # 融资性担保公司管理暂行办法 (2010年第3号令) — month per regulation.md, day to verify
D_GUOBAN6 = date(2019, 2, 14)  # 国办发〔2019〕6号 (published)
D_CAIJIN11 = date(2025, 3, 1)  # 财金〔2025〕11号 effective
D_CAINONG15 = date(2020, 4, 1)  # 财农〔2020〕15号 (2020-04; day to verify)
D_BANK2023 = date(2023, 7, 1)  # 商业银行金融资产风险分类办法 effective

# code, name, kind, value, legal_force, valid_from, category, unit, source, description, choices
PARAMETERS: list[dict[str, Any]] = [
    dict(
        code="leverage_cap_normal",
        name="放大倍数上限（一般）",
        kind="int",
        value="10",
        legal=True,
        start=D_TIAOLI,
        category="监管指标",
        unit="倍",
        source="条例 第15条 [V]",
        description="融资担保责任余额不得超过净资产的倍数。",
    ),
    dict(
        code="leverage_cap_small_agri",
        name="放大倍数上限（主要服务小微和三农）",
        kind="int",
        value="15",
        legal=True,
        start=D_TIAOLI,
        category="监管指标",
        unit="倍",
        source="条例 第15条 [V]；认定标准 [R]",
        description="主要为小微企业和农业、农村、农民服务的融资担保公司适用；认定标准" + RECALLED,
    ),
    dict(
        code="small_agri_balance_share_min",
        name="15倍认定：小微三农在保余额占比下限",
        kind="percent",
        value="50",
        legal=True,
        start=D_PEITAO,
        category="监管指标",
        source="计量办法 [R]",
        description="小微企业（≤500万）与农户（≤200万）借款类担保在保余额占全部在保余额的比例" + RECALLED,
    ),
    dict(
        code="small_agri_household_share_min",
        name="15倍认定：小微三农户数占比下限",
        kind="percent",
        value="80",
        legal=True,
        start=D_PEITAO,
        category="监管指标",
        source="计量办法 [R]",
        description="上述被担保人户数占全部被担保人户数的比例" + RECALLED,
    ),
    dict(
        code="concentration_single",
        name="单一客户集中度上限",
        kind="percent",
        value="10",
        legal=True,
        start=D_TIAOLI,
        category="监管指标",
        source="条例 第16条 [V]",
        description="对同一被担保人的融资担保责任余额占净资产的比例上限。",
    ),
    dict(
        code="concentration_related",
        name="关联客户集中度上限",
        kind="percent",
        value="15",
        legal=True,
        start=D_TIAOLI,
        category="监管指标",
        source="条例 第16条 [V]",
        description="对同一被担保人及其关联方的融资担保责任余额占净资产的比例上限。",
    ),
    dict(
        code="net_assets_deduct_equity_in_guarantors",
        name="净资产扣除对其他担保公司的股权投资",
        kind="bool",
        value="true",
        legal=True,
        start=D_PEITAO,
        category="监管指标",
        source="计量办法 [R]；行业实践 [P]",
        description="计算放大倍数和集中度时，净资产扣除对其他融资担保、再担保公司的股权投资" + RECALLED,
    ),
    dict(
        code="weight_smb_le_5m",
        name="权重：单户≤500万小微企业借款类",
        kind="percent",
        value="75",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        source="计量办法 [P]",
        description="单户在保余额 500 万元（含）以下的小微企业借款类担保。",
    ),
    dict(
        code="weight_smb_threshold",
        name="小微企业单户在保余额阈值",
        kind="int",
        value="5000000",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        unit="元",
        source="计量办法 [P]",
        description="含本数（以下含本数）。",
    ),
    dict(
        code="weight_farmer_le_2m",
        name="权重：单户≤200万农户借款类",
        kind="percent",
        value="75",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        source="计量办法 [P]",
        description="单户在保余额 200 万元（含）以下的农户借款类担保。",
    ),
    dict(
        code="weight_farmer_threshold",
        name="农户单户在保余额阈值",
        kind="int",
        value="2000000",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        unit="元",
        source="计量办法 [P]",
        description="含本数。",
    ),
    dict(
        code="weight_housing",
        name="权重：住房置业担保",
        kind="percent",
        value="30",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        source="计量办法 [P]",
        description="住房置业担保业务。",
    ),
    dict(
        code="weight_bond_aa_or_better",
        name="权重：AA级以上发债担保",
        kind="percent",
        value="80",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        source="计量办法 [P]",
        description="主体信用评级 AA 级以上的发行债券担保。",
    ),
    dict(
        code="weight_other_bond",
        name="权重：其他发行债券担保",
        kind="percent",
        value="100",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        source="计量办法 [P]/[R]",
        description="其他发行债券担保" + RECALLED,
    ),
    dict(
        code="weight_other_fin",
        name="权重：其他融资担保",
        kind="percent",
        value="100",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        source="计量办法 [P]/[R]",
        description="其他融资担保业务" + RECALLED,
    ),
    dict(
        code="weight_other_loan",
        name="权重：其他借款类担保",
        kind="percent",
        value="100",
        legal=True,
        start=D_PEITAO,
        category="责任余额权重",
        source="计量办法 [P]",
        description="不满足上述条件的借款类担保。",
    ),
    dict(
        code="threshold_basis",
        name="单户阈值口径",
        kind="choice",
        value="own_share",
        choices=["own_share", "gross"],
        legal=False,
        start=None,
        category="责任余额权重",
        source="regulation.md §2.2.4（待定问题）",
        description="own_share：按本公司承担份额；gross：按贷款全额。",
    ),
    dict(
        code="deduct_reguarantee_share",
        name="扣除再担保分担部分",
        kind="bool",
        value="false",
        legal=False,
        start=None,
        category="责任余额权重",
        source="regulation.md §2.2.5",
        description="计算融资担保责任余额时是否扣除再担保机构分担的部分。",
    ),
    dict(
        code="asset_ratio_i_plus_ii_min",
        name="Ⅰ级与Ⅱ级资产占比下限",
        kind="percent",
        value="70",
        legal=True,
        start=D_PEITAO,
        category="资产比例",
        source="资产比例办法 [R]；扣除项 [V]",
        description="分母为资产总额扣除应收代偿款和受托管理的政府性资金" + RECALLED,
    ),
    dict(
        code="asset_ratio_i_min",
        name="Ⅰ级资产占比下限",
        kind="percent",
        value="20",
        legal=True,
        start=D_PEITAO,
        category="资产比例",
        source="资产比例办法 [R]",
        description="同上口径" + RECALLED,
    ),
    dict(
        code="asset_ratio_iii_max",
        name="Ⅲ级资产占比上限",
        kind="percent",
        value="30",
        legal=True,
        start=D_PEITAO,
        category="资产比例",
        source="资产比例办法 [R]",
        description="同上口径" + RECALLED,
    ),
    dict(
        code="self_use_property_level2_cap",
        name="自用房产计入Ⅱ级资产上限（占净资产）",
        kind="percent",
        value="30",
        legal=True,
        start=D_PEITAO,
        category="资产比例",
        source="资产比例办法 [V]",
        description="超出部分计入Ⅲ级资产。",
    ),
    dict(
        code="client_equity_level2_share",
        name="对在保客户股权投资计入Ⅱ级比例",
        kind="percent",
        value="20",
        legal=True,
        start=D_PEITAO,
        category="资产比例",
        source="资产比例办法 [V]",
        description="其余计入Ⅲ级资产。",
    ),
    dict(
        code="entrusted_loan_level2_share",
        name="对在保客户委托贷款计入Ⅱ级比例",
        kind="percent",
        value="40",
        legal=True,
        start=D_PEITAO,
        category="资产比例",
        source="资产比例办法 [V]",
        description="期限不超过 6 个月的委托贷款；其余计入Ⅲ级资产。",
    ),
    dict(
        code="upr_rate",
        name="未到期责任准备金提取比例",
        kind="percent",
        value="50",
        legal=True,
        start=D_ZANXING,
        category="准备金",
        source="暂行办法 第31条 [P]",
        description="按当年担保费收入的比例提取。生效日期的具体日数待核实。",
    ),
    dict(
        code="comp_reserve_rate_min",
        name="担保赔偿准备金提取比例",
        kind="percent",
        value="1",
        legal=True,
        start=D_ZANXING,
        category="准备金",
        source="暂行办法 第31条 [P]",
        description="按年末担保责任余额的比例提取。",
    ),
    dict(
        code="comp_reserve_rate_cap",
        name="担保赔偿准备金累计上限",
        kind="percent",
        value="10",
        legal=True,
        start=D_ZANXING,
        category="准备金",
        source="暂行办法 第31条 [P]",
        description="累计达到当年担保责任余额的该比例后实行差额提取。",
    ),
    dict(
        code="reserve_base",
        name="准备金计提基数",
        kind="choice",
        value="weighted_liability",
        choices=["weighted_liability", "outstanding_balance"],
        legal=False,
        start=None,
        category="准备金",
        source="regulation.md §3.1（待定问题）",
        description="weighted_liability：融资担保责任余额；outstanding_balance：在保余额。",
    ),
    dict(
        code="gov_fee_cap_le_5m",
        name="政府性担保费率上限（≤500万）",
        kind="percent",
        value="1",
        legal=True,
        start=D_GUOBAN6,
        category="政府性担保",
        source="国办发〔2019〕6号 [V]",
        description="单户担保金额 500 万元及以下的年化担保费率上限。",
    ),
    dict(
        code="gov_fee_cap_gt_5m",
        name="政府性担保费率上限（>500万）",
        kind="percent",
        value="1.5",
        legal=True,
        start=D_GUOBAN6,
        category="政府性担保",
        source="国办发〔2019〕6号 [V]",
        description="单户担保金额 500 万元以上的年化担保费率上限。",
    ),
    dict(
        code="gov_share_smb_agri_min",
        name="支小支农业务占比下限",
        kind="percent",
        value="80",
        legal=True,
        start=D_GUOBAN6,
        category="政府性担保",
        source="国办发〔2019〕6号 [V]；财金〔2025〕11号 第6条 [V]",
        description="支小支农担保金额占全部担保金额的比例。",
    ),
    dict(
        code="gov_share_le_5m_min",
        name="单户≤500万业务占比下限",
        kind="percent",
        value="50",
        legal=True,
        start=D_GUOBAN6,
        category="政府性担保",
        source="国办发〔2019〕6号 [V]；财金〔2025〕11号 第6条 [V]",
        description="其中单户 500 万元及以下的担保金额占比。",
    ),
    dict(
        code="gov_focus_single_max",
        name="政府性担保聚焦单户上限",
        kind="int",
        value="10000000",
        legal=True,
        start=D_CAIJIN11,
        category="政府性担保",
        unit="元",
        source="财金〔2025〕11号 第6条 [V]",
        description="单户担保金额上限。",
    ),
    dict(
        code="fund_risk_share",
        name="国家融资担保基金分险比例",
        kind="percent",
        value="20",
        legal=True,
        start=D_GUOBAN6,
        category="再担保",
        source="国办发〔2019〕6号 [V]",
        description="省级再担保机构分险比例不低于基金。",
    ),
    dict(
        code="fund_bank_share_min",
        name="银行分险比例下限",
        kind="percent",
        value="20",
        legal=True,
        start=D_GUOBAN6,
        category="再担保",
        source="国办发〔2019〕6号 [V]",
        description="合作银行承担的风险比例下限。",
    ),
    dict(
        code="fund_reguarantee_fee_le_5m",
        name="基金再担保费率（≤500万）",
        kind="percent",
        value="0.3",
        legal=True,
        start=D_GUOBAN6,
        category="再担保",
        source="[V]",
        description="按基金承担的风险部分计收。",
    ),
    dict(
        code="fund_reguarantee_fee_gt_5m",
        name="基金再担保费率（>500万）",
        kind="percent",
        value="0.5",
        legal=True,
        start=D_GUOBAN6,
        category="再担保",
        source="[V]",
        description="按基金承担的风险部分计收。",
    ),
    dict(
        code="fund_comp_rate_cap_general",
        name="基金代偿率上限（一般）",
        kind="percent",
        value="4",
        legal=False,
        start=None,
        category="再担保",
        source="[P]",
        description="超过后基金暂停分险。",
    ),
    dict(
        code="fund_comp_rate_cap_tech",
        name="基金代偿率上限（科创）",
        kind="percent",
        value="5",
        legal=False,
        start=None,
        category="再担保",
        source="[P]",
        description="科技创新专项担保计划。",
    ),
    dict(
        code="nongdan_policy_range",
        name="农担政策性业务单户范围",
        kind="json",
        value="[100000, 3000000]",
        legal=True,
        start=D_CAINONG15,
        category="农业信贷担保",
        unit="元",
        source="财农〔2020〕15号 [P]",
        description="双控：单户在保余额 10 万—300 万元（含）。生效日期的具体日数待核实。",
    ),
    dict(
        code="nongdan_single_max",
        name="农担单户上限",
        kind="int",
        value="10000000",
        legal=True,
        start=D_CAINONG15,
        category="农业信贷担保",
        unit="元",
        source="财农〔2020〕15号 [P]",
        description="单户在保余额最高 1000 万元。",
    ),
    dict(
        code="nongdan_policy_share_min",
        name="农担政策性业务占比下限",
        kind="percent",
        value="70",
        legal=True,
        start=D_CAINONG15,
        category="农业信贷担保",
        source="财农〔2020〕15号 [R]",
        description="政策性业务在保余额占比" + RECALLED,
    ),
    dict(
        code="nongdan_fee_cap",
        name="农担政策性业务费率上限",
        kind="percent",
        value="0.8",
        legal=True,
        start=D_CAINONG15,
        category="农业信贷担保",
        source="[R]",
        description="年化担保费率上限" + RECALLED,
    ),
    dict(
        code="classification_dpd_floors",
        name="风险分类逾期天数下限",
        kind="json",
        value='{"02": 1, "03": 91, "04": 271, "05": 361}',
        legal=True,
        start=D_BANK2023,
        category="风险分类",
        unit="天",
        source="商业银行金融资产风险分类办法（2023）[R]",
        description="逾期即至少关注；逾期 91 天起至少次级，271 天起至少可疑，361 天起损失（键为风险分类字典代码）" + RECALLED,
    ),
    dict(
        code="committee_pass_rule",
        name="评审会通过规则",
        kind="json",
        value='{"base": "present", "numerator": 2, "denominator": 3}',
        legal=False,
        start=None,
        category="业务规则",
        source="行业实践 [PR]",
        description="同意票数 / 出席人数 ≥ 2/3（整数比较）。",
    ),
    dict(
        code="compensation_grace_days",
        name="代偿宽限期",
        kind="int",
        value="90",
        legal=False,
        start=None,
        category="业务规则",
        unit="天",
        source="行业实践 [PR]",
        description="合作协议未约定时的默认代偿宽限期。",
    ),
    dict(
        code="compensation_rate_denominator",
        name="代偿率分母口径",
        kind="choice",
        value="release_plus_compensation",
        choices=["release_plus_compensation", "release_only"],
        legal=False,
        start=None,
        category="监管指标",
        source="regulation.md §8.3；国农担报表逻辑 [P]",
        description="release_plus_compensation：代偿额 /（正常解保额 + 代偿额），解除担保额含因代偿而解除的部分；"
        "release_only：代偿额 / 正常解保额。官方指标解释未能核实。",
    ),
    dict(
        code="regulatory_warning_ratio",
        name="监管指标预警线（占限额比例）",
        kind="percent",
        value="90",
        legal=False,
        start=None,
        category="监管指标",
        source="行业实践 [PR]",
        description="指标达到限额的该比例即显示“接近限额”预警（下限类指标：低于下限的 1/该比例 时预警）。",
    ),
    dict(
        code="policy_share_basis",
        name="支小支农占比计算口径（新增/在保）",
        kind="choice",
        value="new",
        choices=["new", "outstanding"],
        legal=False,
        start=None,
        category="政府性担保",
        source="regulation.md §4.2（待定问题）；2020 年财政部通知及 31 号文按新增 [P]",
        description="new：按期间新增担保金额；outstanding：按期末在保余额。",
    ),
    dict(
        code="policy_share_denominator",
        name="单户≤500万占比的分母",
        kind="choice",
        value="all_guarantees",
        choices=["all_guarantees", "policy_guarantees"],
        legal=False,
        start=None,
        category="政府性担保",
        source="regulation.md §4.2（待定问题）",
        description="all_guarantees：全部担保金额；policy_guarantees：支小支农担保金额。",
    ),
    dict(
        code="fund_provincial_share_min",
        name="省级再担保分险比例下限",
        kind="percent",
        value="20",
        legal=True,
        start=D_GUOBAN6,
        category="再担保",
        source="国办发〔2019〕6号 [V]",
        description="省级担保、再担保基金（机构）承担的风险责任比例不低于国家融资担保基金承担的比例。",
    ),
]

# Evidence grade (regulation.md §0 / §10) and article of the first version, by parameter code.
# Seeding sets the grade of existing rows too (it is metadata, not a value with legal force).
GRADES: dict[str, tuple[str, str]] = {
    "leverage_cap_normal": ("V", "第十五条"),
    "leverage_cap_small_agri": ("V", "第十五条"),
    "small_agri_balance_share_min": ("R", "条款待核实"),
    "small_agri_household_share_min": ("R", "条款待核实"),
    "concentration_single": ("V", "第十六条"),
    "concentration_related": ("V", "第十六条"),
    "net_assets_deduct_equity_in_guarantors": ("R", "条款待核实"),
    "weight_smb_le_5m": ("P", ""),
    "weight_smb_threshold": ("P", ""),
    "weight_farmer_le_2m": ("P", ""),
    "weight_farmer_threshold": ("P", ""),
    "weight_housing": ("P", ""),
    "weight_bond_aa_or_better": ("P", ""),
    "weight_other_bond": ("R", ""),
    "weight_other_fin": ("R", ""),
    "weight_other_loan": ("P", ""),
    "threshold_basis": ("PR", ""),
    "deduct_reguarantee_share": ("PR", ""),
    "asset_ratio_i_plus_ii_min": ("R", ""),
    "asset_ratio_i_min": ("R", ""),
    "asset_ratio_iii_max": ("R", ""),
    "self_use_property_level2_cap": ("V", "第六条"),
    "client_equity_level2_share": ("V", "第六条"),
    "entrusted_loan_level2_share": ("V", "第六条"),
    "upr_rate": ("P", "第三十一条"),
    "comp_reserve_rate_min": ("P", "第三十一条"),
    "comp_reserve_rate_cap": ("P", "第三十一条"),
    "reserve_base": ("PR", ""),
    "gov_fee_cap_le_5m": ("V", ""),
    "gov_fee_cap_gt_5m": ("V", ""),
    "gov_share_smb_agri_min": ("V", "财金〔2025〕11号 第六条"),
    "gov_share_le_5m_min": ("V", "财金〔2025〕11号 第六条"),
    "gov_focus_single_max": ("V", "第六条"),
    "fund_risk_share": ("V", ""),
    "fund_bank_share_min": ("V", ""),
    "fund_provincial_share_min": ("V", ""),
    "fund_reguarantee_fee_le_5m": ("V", ""),
    "fund_reguarantee_fee_gt_5m": ("V", ""),
    "fund_comp_rate_cap_general": ("P", ""),
    "fund_comp_rate_cap_tech": ("P", ""),
    "nongdan_policy_range": ("P", ""),
    "nongdan_single_max": ("P", ""),
    "nongdan_policy_share_min": ("R", ""),
    "nongdan_fee_cap": ("R", ""),
    "classification_dpd_floors": ("R", ""),
    "committee_pass_rule": ("PR", ""),
    "compensation_grace_days": ("PR", ""),
    "compensation_rate_denominator": ("P", ""),
    "regulatory_warning_ratio": ("PR", ""),
    "policy_share_basis": ("PR", ""),
    "policy_share_denominator": ("PR", ""),
}

# code, name, prefix, date pattern, separator, width, reset
NUMBERING_RULES = [
    ("project", "项目编号", "DB", "{YYYY}", "-", 4, "yearly"),
    ("contract", "委托担保合同编号", "HT", "{YYYY}", "-", 4, "yearly"),
    ("guarantee_letter", "担保函编号", "BH", "{YYYY}{MM}", "-", 4, "monthly"),
    ("compensation", "代偿编号", "DC", "{YYYY}", "-", 3, "yearly"),
    ("customer", "客户编号", "KH", "", "", 8, "never"),
]


def ensure_dictionaries() -> int:
    """Create missing dictionaries and items (never changes what an administrator edited)."""
    created = 0
    with transaction.atomic():
        for code, name, items in DICTIONARIES:
            dict_type, new = DictType.objects.get_or_create(code=code, defaults={"name": name, "is_system": True})
            created += int(new)
            for position, entry in enumerate(items, start=1):
                item_code, label, *rest = entry
                parent, new = DictItem.objects.get_or_create(
                    dict_type=dict_type, code=item_code, defaults={"label": label, "sort_order": position * 10}
                )
                created += int(new)
                for child_position, (child_code, child_label) in enumerate(rest[0] if rest else [], start=1):
                    _child, new = DictItem.objects.get_or_create(
                        dict_type=dict_type,
                        code=child_code,
                        defaults={"label": child_label, "sort_order": child_position * 10, "parent": parent},
                    )
                    created += int(new)
    return created


def ensure_parameters() -> int:
    """Create missing parameters of the catalogue with their first dated version; returns how many.

    Existing rows get the catalogue's evidence grade (and the article of their first version when
    that is empty); values are never touched, so administrators' versions stay.
    """
    before = Parameter.objects.count()
    for p in PARAMETERS:
        grade, article = GRADES.get(p["code"], ("", ""))
        parameter = parameter_define(
            actor=None,
            code=p["code"],
            name=p["name"],
            kind=p["kind"],
            value=p["value"],
            valid_from=p["start"],
            legal_force=p["legal"],
            choices=p.get("choices"),
            unit=p.get("unit", ""),
            category=p["category"],
            description=p["description"],
            source=p["source"],
            grade=grade,
            article=article,
        )
        _ensure_grade(parameter, grade, article)
    return Parameter.objects.count() - before


def _ensure_grade(parameter: Parameter, grade: str, article: str) -> None:
    """Bring an existing parameter's grade (and its first version's empty article) to the catalogue's."""
    if parameter.grade != grade:
        parameter.grade = grade
        parameter.save(update_fields=["grade", "updated_at"])
    if article:
        first = parameter.versions.order_by("valid_from", "id").first()
        if first is not None and not first.article and first.created_by_id is None:
            first.article = article
            first.save(update_fields=["article"])


def ensure_numbering_rules() -> int:
    created = 0
    for code, name, prefix, pattern, separator, width, reset in NUMBERING_RULES:
        if NumberingRule.objects.filter(code=code).exists():
            continue
        numbering_rule_create(
            actor=None, code=code, name=name, prefix=prefix, date_pattern=pattern, separator=separator, sequence_width=width, reset=reset
        )
        created += 1
    return created
