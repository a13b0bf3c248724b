"""Regenerate the family-evidence fixtures of this folder (see README.md).

    python tests/data/names/make_fixtures.py

Writes

* ``family_lens.csv``: real records of the bundled Lens.org drone sample (classic Lens CSV,
  unchanged rows), the US/EP/WO members whose priority is a Chinese national application;
* ``family_cnipa.csv``: **constructed** CNIPA-style records of those Chinese first filings:
  申请号 is the real priority number of the Lens record with its CNIPA check digit, 申请人
  the firm's real Chinese legal name; publication numbers, dates and titles are made up;
* ``family_lens_constructed.csv``: **constructed** Lens-style US records for three Huawei
  families whose Chinese members are in ``family_cnipa.csv``; in the third, 华为 and 大疆
  are co-applicants listed in opposite orders by the two offices.

Output is reproducible byte for byte.
"""

from __future__ import annotations

import csv
import gzip
import io
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parents[2] / "src" / "patentnav" / "datasets" / "lens_drones_9071.csv.gz"

# English name in the Lens sample -> the firm's Chinese legal name (checked against public
# sources, see README.md)
CHINESE = {
    "SZ DJI TECHNOLOGY CO LTD": "深圳市大疆创新科技有限公司",
    "XIAOMI INC": "小米科技有限责任公司",
    "BEIJING XIAOMI MOBILE SOFTWARE CO LTD": "北京小米移动软件有限公司",
    "GUANGZHOU EHANG INTELLIGENT TECH CO LTD": "广州亿航智能技术有限公司",
    "TENCENT TECH (SHENZHEN) COMPANY LTD": "腾讯科技(深圳)有限公司",
}

# real Lens records (publication numbers as in the sample)
LENS = ["EP 2780228 B1", "US 8903568 B1", "WO 2015/014116 A1", "US 2017/0054713 A1", "US 2017/0127459 A1",
        "US 2017/0341775 A1", "US 2017/0345319 A1", "US 2017/0365162 A1", "WO 2017/107751 A1",
        "WO 2017/107753 A1", "WO 2017/075973 A1"]


def check_digit(number: str) -> str:
    """CNIPA application-number check digit (weights 2..9 repeating, mod 11, 10 = X)."""
    weights = [2, 3, 4, 5, 6, 7, 8, 9] * 2
    s = sum(int(d) * weights[i] for i, d in enumerate(number)) % 11
    return "X" if s == 10 else str(s)


def lens_rows() -> tuple[list[str], list[list[str]]]:
    with gzip.open(SAMPLE, "rt", encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    pub = header.index("publication_number")
    keep = [r for r in body if r[pub] in LENS]
    assert len(keep) == len(LENS), sorted(set(LENS) - {r[pub] for r in keep})
    return header, sorted(keep, key=lambda r: LENS.index(r[pub]))


def cn_priorities(header: list[str], rows: list[list[str]]) -> list[tuple[str, str, str]]:
    """(application number, Chinese applicant, priority date) of each Chinese national priority."""
    out = []
    for r in rows:
        name = r[header.index("applicants")]
        for p in r[header.index("priority_numbers")].split(";;"):
            cc, num, kind, date = p.split(" ")
            if cc == "CN" and kind in ("A", "U") and len(num) == 12 and num not in {o[0][:12] for o in out}:
                out.append((num + "." + check_digit(num), CHINESE[name], f"{date[:4]}-{date[4:6]}-{date[6:]}"))
    return out


CNIPA_HEADER = ["申请号", "申请日", "公开（公告）号", "公开（公告）日", "发明名称", "申请（专利权）人", "优先权号", "优先权日"]

# constructed Huawei families: (CN application, CN applicants, US applicants in the US member's order)
HUAWEI = "华为技术有限公司"
HUAWEI_FAMILIES = [
    ("201610123456", [HUAWEI], ["HUAWEI TECH CO LTD"]),
    ("201710234567", [HUAWEI], ["HUAWEI TECH CO LTD"]),
    # co-applicants listed in another order by the two offices: one wrong pair per position
    ("201810345678", [HUAWEI, "深圳市大疆创新科技有限公司"], ["SZ DJI TECHNOLOGY CO LTD", "HUAWEI TECH CO LTD"]),
]


def main() -> None:
    header, rows = lens_rows()
    with open(HERE / "family_lens.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    cn = []
    for k, (app, name, date) in enumerate(cn_priorities(header, rows)):
        kind = "U" if app[4] == "2" else "A"  # the fifth digit is the type: 1 invention, 2 utility model
        cn.append([app, date, f"CN90{k:05d}0{kind}", date[:4] + "-12-31", f"构造的测试记录 {k + 1}（无人机）", name, "", ""])
    for k, (num, zh, _) in enumerate(HUAWEI_FAMILIES):
        date = f"{num[:4]}-06-0{k + 1}"
        cn.append([num + "." + check_digit(num), date, f"CN91{k:05d}0A", date[:4] + "-12-31",
                   f"构造的测试记录 H{k + 1}（通信）", ";".join(zh), "", ""])
    with open(HERE / "family_cnipa.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(CNIPA_HEADER)
        w.writerows(cn)
    lens = []
    for k, (num, _, en) in enumerate(HUAWEI_FAMILIES):
        date = f"0{k + 1}/06/{num[2:4]}"
        row = dict.fromkeys(header, "")
        row.update({"number": str(k + 1), "jurisdiction": "US", "kind": "A1",
                    "publication_number": f"US 20{int(num[2:4]) + 1}/09{k:05d} A1",
                    "lens_id": f"000-000-000-000-00{k}", "publication_date": f"01/02/{int(num[2:4]) + 1}",
                    "publication_year": f"20{int(num[2:4]) + 1}",
                    "application_number": f"US 20{num[2:4]}15{k:06d} A", "application_date": date,
                    "priority_numbers": f"CN {num} A {num[:4]}060{k + 1}",
                    "title": f"Constructed Test Record H{k + 1}", "applicants": ";;".join(en),
                    "type": "Patent Application"})
        lens.append([row[h] for h in header])
    with open(HERE / "family_lens_constructed.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(lens)


if __name__ == "__main__":
    main()
