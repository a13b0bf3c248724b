"""Generate ``provinces.csv``, ``cities.csv`` and ``districts.csv`` (run once; the outputs are committed).

Sources (see PROVENANCE.md in this folder):

* the administrative-division list ``adcodes.csv`` shipped in the PyPI package
  ``cpca`` 0.5.5 (MIT licence), itself taken from the National Bureau of Statistics
  of China's statistical division codes (统计用区划代码);
* ``pypinyin`` (MIT), used here only, at generation time, to romanise city names;
* the province table below is written by hand from ISO 3166-2:CN (2017 codes) and
  the conventional English names.

Usage::

    pip install cpca pypinyin
    python src/patentnav/data/geo/make_tables.py
"""

from __future__ import annotations

import csv
import io
import re
from importlib.resources import files
from pathlib import Path

HERE = Path(__file__).resolve().parent

# adcode prefix, Chinese name, English name, ISO 3166-2 code, extra English aliases (|)
PROVINCES = [
    ("11", "北京市", "Beijing", "CN-BJ", "Peking"),
    ("12", "天津市", "Tianjin", "CN-TJ", ""),
    ("13", "河北省", "Hebei", "CN-HE", ""),
    ("14", "山西省", "Shanxi", "CN-SX", ""),
    ("15", "内蒙古自治区", "Inner Mongolia", "CN-NM", "Nei Mongol|Neimenggu|Nei Menggu"),
    ("21", "辽宁省", "Liaoning", "CN-LN", ""),
    ("22", "吉林省", "Jilin", "CN-JL", ""),
    ("23", "黑龙江省", "Heilongjiang", "CN-HL", ""),
    ("31", "上海市", "Shanghai", "CN-SH", ""),
    ("32", "江苏省", "Jiangsu", "CN-JS", ""),
    ("33", "浙江省", "Zhejiang", "CN-ZJ", ""),
    ("34", "安徽省", "Anhui", "CN-AH", ""),
    ("35", "福建省", "Fujian", "CN-FJ", ""),
    ("36", "江西省", "Jiangxi", "CN-JX", ""),
    ("37", "山东省", "Shandong", "CN-SD", ""),
    ("41", "河南省", "Henan", "CN-HA", ""),
    ("42", "湖北省", "Hubei", "CN-HB", ""),
    ("43", "湖南省", "Hunan", "CN-HN", ""),
    ("44", "广东省", "Guangdong", "CN-GD", "Canton"),
    ("45", "广西壮族自治区", "Guangxi", "CN-GX", ""),
    ("46", "海南省", "Hainan", "CN-HI", ""),
    ("50", "重庆市", "Chongqing", "CN-CQ", ""),
    ("51", "四川省", "Sichuan", "CN-SC", ""),
    ("52", "贵州省", "Guizhou", "CN-GZ", ""),
    ("53", "云南省", "Yunnan", "CN-YN", ""),
    ("54", "西藏自治区", "Tibet", "CN-XZ", "Xizang"),
    ("61", "陕西省", "Shaanxi", "CN-SN", ""),
    ("62", "甘肃省", "Gansu", "CN-GS", ""),
    ("63", "青海省", "Qinghai", "CN-QH", ""),
    ("64", "宁夏回族自治区", "Ningxia", "CN-NX", ""),
    ("65", "新疆维吾尔自治区", "Xinjiang", "CN-XJ", ""),
    ("71", "台湾省", "Taiwan", "CN-TW", ""),
    ("81", "香港特别行政区", "Hong Kong", "CN-HK", "Hongkong|Xianggang"),
    ("82", "澳门特别行政区", "Macao", "CN-MO", "Macau|Aomen"),
]
MUNICIPALITIES = {"11", "12", "31", "50"}

# Conventional English spellings that differ from plain pinyin (added as aliases).
CITY_ALIASES = {
    "乌鲁木齐市": "Urumqi",
    "喀什地区": "Kashgar",
    "拉萨市": "Lhasa",
    "呼和浩特市": "Hohhot",
    "哈尔滨市": "Harbin",
    "日喀则市": "Shigatse",
    "吕梁市": "Lyuliang|Luliang|Lvliang",
}
# Polyphone fixes where pypinyin's reading is not the place-name reading.
PINYIN_FIXES = {
    "六安": "Lu'an", "蚌埠": "Bengbu", "丽水": "Lishui", "重庆": "Chongqing", "厦门": "Xiamen",
    "长治": "Changzhi", "朝阳": "Chaoyang", "漯河": "Luohe", "吕梁": "Lüliang", "昌都": "Changdu",
    "阿勒泰": "Aletai", "克孜勒苏": "Kezilesu", "锡林郭勒": "Xilinguole",
}

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}


def short_name(name: str, nations: list[str]) -> str:
    autonomous = bool(re.search(r"(自治区|自治州|自治县)$", name))
    s = re.sub(r"(特别行政区|自治区|自治州|自治县|林区|地区|盟|省|市|县)$", "", name)
    changed = autonomous  # ethnic names are stripped from autonomous units only (六盘水 keeps 水)
    while changed:
        changed = False
        for n in nations:
            for form in (n, n[:-1] if n.endswith("族") else n):
                if len(form) >= 1 and s.endswith(form) and len(s) > len(form) + 1:
                    s = s[: -len(form)]
                    changed = True
    return s


def romanise(short: str) -> str:
    from pypinyin import Style, lazy_pinyin

    if short in PINYIN_FIXES:
        return PINYIN_FIXES[short]
    syl = lazy_pinyin(short, style=Style.NORMAL)
    out = ""
    for s in syl:
        # pinyin apostrophe before a syllable starting with a vowel (Xi'an, Lu'an)
        if out and s[0] in "aoe":
            out += "'"
        out += s
    return out.capitalize()


def main() -> None:
    res = files("cpca.resources")
    rows = list(csv.DictReader(io.StringIO(res.joinpath("adcodes.csv").read_text("utf8"))))
    nations = [r.strip() for r in res.joinpath("56_nations.csv").read_text("utf8").split()[0:] if r.strip()]
    nations = sorted({n for n in nations if n != "nation"}, key=len, reverse=True)
    prov = {p[0]: p for p in PROVINCES}

    with open(HERE / "provinces.csv", "w", newline="", encoding="utf8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["adcode", "name_zh", "short_zh", "name_en", "iso", "aliases"])
        for code, zh, en, iso, aliases in PROVINCES:
            w.writerow([code + "0000", zh, short_name(zh, nations), en, iso, aliases])

    cities = []
    for r in sorted(rows, key=lambda r: r["adcode"]):
        code, name = r["adcode"], r["name"]
        p2 = code[:2]
        if p2 not in prov:
            continue
        if p2 in MUNICIPALITIES:
            if code[2:] == "0" * 10:  # the municipality itself is its own city
                cities.append((code[:6], name, p2, "prefecture"))
            continue
        if code[2:4] != "00" and code[4:] == "0" * 8 and name not in PLACEHOLDERS:
            cities.append((code[:6], name, p2, "prefecture"))
        elif code[2:4] == "90" and code[4:6] != "00" and code[6:] == "0" * 6:
            # county-level cities administered directly by the province (仙桃市, 济源市 ...)
            cities.append((code[:6], name, p2, "province-administered"))
    seen = set()
    with open(HERE / "cities.csv", "w", newline="", encoding="utf8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["adcode", "name_zh", "short_zh", "name_en", "province_iso", "key", "kind", "aliases"])
        for code, name, p2, kind in cities:
            short = short_name(name, nations)
            en = romanise(short)
            iso = prov[p2][3]
            key = f"{iso}-{en.replace(chr(39), '').replace(' ', '').replace('ü', 'v')}"
            assert key not in seen, key
            seen.add(key)
            w.writerow([code, name, short, en, iso, key, kind, CITY_ALIASES.get(name, "")])
    n_districts = write_districts(rows, nations, {c[0] for c in cities})
    print(f"{len(PROVINCES)} provinces, {len(cities)} cities, {n_districts} districts written to {HERE}")


def write_districts(rows: list[dict], nations: list[str], city_codes: set[str]) -> int:
    """County-level divisions (区, 县, 县级市, 旗) with the prefecture-level city they belong to.

    ``city_adcode`` is the 6-digit code of the prefecture (``440300`` for 深圳市) or, in the
    four municipalities, of the municipality itself (``110000``). Placeholders (市辖区) and
    the province-administered county-level cities already in ``cities.csv`` are left out.
    """
    out = []
    for r in sorted(rows, key=lambda r: r["adcode"]):
        code, name = r["adcode"], r["name"]
        if code[:2] not in {p[0] for p in PROVINCES} or code[4:6] == "00" or code[6:] != "0" * 6:
            continue
        if name in PLACEHOLDERS or code[:6] in city_codes:
            continue
        city = code[:2] + "0000" if code[:2] in MUNICIPALITIES else code[:4] + "00"
        short = short_name(name, nations)
        if short == name:  # short_name knows 县/市 and autonomous units; districts end in 区 or 旗 too
            short = re.sub(r"(区|旗)$", "", name)
        out.append((code[:6], name, short, city))
    with open(HERE / "districts.csv", "w", newline="", encoding="utf8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["adcode", "name_zh", "short_zh", "city_adcode"])
        w.writerows(out)
    return len(out)


if __name__ == "__main__":
    main()
