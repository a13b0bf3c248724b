"""Classification reference tables: IPC titles, WIPO 35 fields, CNIPA SEI concordance, describe_code.

Expected values were read by hand from the shipped files in src/patentnav/data/.
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from importlib import resources

import pyarrow as pa
import pytest

import patentnav
from patentnav.classify import sei, titles, wipo
from patentnav.classify.lookup import describe_code
from patentnav.classify.sei import codes_of_field, sei_fields, sei_fields_array, sei_mask, sei_match, sei_of_code, sei_tree
from patentnav.classify.titles import ipc_heading, ipc_title, ipc_titles, title_path
from patentnav.classify.wipo import WIPO_FIELDS, wipo_field, wipo_fields_array

DATA = resources.files("patentnav.data")
LS = pa.list_(pa.string())


@pytest.fixture(scope="module")
def drones():
    return patentnav.datasets.drones()


# --- titles -----------------------------------------------------------------------------------


@pytest.mark.parametrize("code, title", [
    ("A01B1/02", "Spades; Shovels"),
    ("A01B 1/02", "Spades; Shovels"),
    ("A01B0001020000", "Spades; Shovels"),
    ("B64C39/02", "characterised by special use"),
    ("H04W72/04", "Wireless resource allocation"),
    ("A", "HUMAN NECESSITIES"),
    ("H04", "ELECTRIC COMMUNICATION TECHNIQUE"),
    ("B64C", "AEROPLANES; HELICOPTERS (air-cushion vehicles B60V)"),
])
def test_titles_known(code, title):
    assert ipc_title(code) == title


def test_title_subclass_and_main_group_forms():
    assert ipc_title("H04W").startswith("WIRELESS COMMUNICATION NETWORKS (broadcast communication H04H;")
    mg = "Local resource management, e.g. selection or allocation of wireless resources or wireless traffic scheduling"
    assert ipc_title("H04W72/00") == ipc_title("H04W72") == ipc_title("H04W 72") == mg


def test_title_file_quirks():
    # literal quotes (no CSV quoting in the file)
    assert ipc_title("A47C7/46") == 'with special, e.g. adjustable, profile; "Ackerblom" profile chairs'
    assert ipc_title("A61H31/02").startswith('"Iron-lungs", whether')
    # titles continued on a second and third physical line; 14-character references made canonical
    assert ipc_title("B61D19/00") == ("Door arrangements specially adapted for rail vehicles (locks for vehicles "
                                      "E05B77/00 – E05B85/00;door-operating mechanisms E05F)")
    assert ipc_title("C01B4/00").endswith("e.g. NH3 + D2 → NH2D + HD")
    # a guide heading precedes the group's own title under the same code
    assert ipc_title("A01B3/00") == "Ploughs with fixed plough-shares"
    assert ipc_heading("A01B3/00") == "Ploughs"
    assert ipc_heading("A01B1/02") is None


def test_title_none_for_cpc_only_unknown_and_invalid():
    for code in ["Y02E10/50", "Y02E", "Y", "B64C2201/123", "B64C2201/00", "B64U", "B64U10/13", "A01B1/99", "nonsense", "", None]:
        assert ipc_title(code) is None, code


def test_title_path_and_counts():
    assert title_path("B64C39/02") == [
        ("B", "PERFORMING OPERATIONS; TRANSPORTING"),
        ("B64", "AIRCRAFT; AVIATION; COSMONAUTICS"),
        ("B64C", "AEROPLANES; HELICOPTERS (air-cushion vehicles B60V)"),
        ("B64C39/00", "Aircraft not otherwise provided for"),
        ("B64C39/02", "characterised by special use"),
    ]
    assert title_path("B64C39/024")[-1] == ("B64C39/024", None)  # a CPC subdivision
    assert title_path("bad") == []
    assert ipc_titles(["H04", "x"]) == {"H04": "ELECTRIC COMMUNICATION TECHNIQUE", "x": None}
    codes = titles.scheme_codes()
    # 8 sections, 131 classes, 645 subclasses, 74,503 distinct groups (540 codes carry a heading row too)
    assert sum(len(c) == 1 for c in codes) == 8
    assert sum(len(c) == 3 for c in codes) == 131
    assert sum(len(c) == 4 for c in codes) == 645
    assert sum("/" in c for c in codes) == 74503
    assert len(titles._load()[1]) == 540


# --- WIPO technology fields --------------------------------------------------------------------


@pytest.mark.parametrize("code, expected", [
    ("H04W72/04", (4, "Digital communication", "Electrical engineering")),  # H04W% -> 4, not 3
    ("H04B7/185", (3, "Telecommunications", "Electrical engineering")),  # H04B% -> 3
    ("H04N19/10", (2, "Audio-visual technology", "Electrical engineering")),  # row "H04N  19/%"
    ("H04N21/41", (4, "Digital communication", "Electrical engineering")),  # row "H04N  21/%"
    ("H04N1/00", (3, "Telecommunications", "Electrical engineering")),  # row "H04N   1/%"
    ("A61K8/02", (14, "Organic fine chemistry", "Chemistry")),  # row "A61K   8/%"
    ("A61K31/00", (16, "Pharmaceuticals", "Chemistry")),
    ("G01N33/48", (11, "Analysis of biological materials", "Instruments")),
    ("G01N21/00", (10, "Measurement", "Instruments")),
    ("B64C39/02", (32, "Transport", "Mechanical engineering")),
    ("G05D1/10", (12, "Control", "Instruments")),
    ("G06Q10/08", (7, "IT methods for management", "Electrical engineering")),
    ("E01F8/00", (24, "Environmental technology", "Chemistry")),
    ("F24S10/00", (30, "Thermal processes and apparatus", "Mechanical engineering")),  # "Newly added" 2018
    ("A47C7/46", (33, "Furniture, games", "Other fields")),
])
def test_wipo_field_hand_checked(code, expected):
    assert tuple(wipo_field(code)) == expected


def test_wipo_field_none():
    # split subclass (no subclass row), section/class, newer subclass, section Y, invalid
    for code in ["H04N", "A61K", "H", "H04", "B64U10/13", "Y02E10/50", "bad", None]:
        assert wipo_field(code) is None, code
    assert wipo_field("B64C2201/123").number == 32  # CPC indexing code under a whole-subclass row


def test_wipo_every_row_of_the_concordance():
    text = DATA.joinpath("wipo_ipc_technology_35_fields.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.DictReader(text.splitlines()))
    assert len(rows) == 764
    for r in rows:
        m = re.fullmatch(r"([A-H]\d\d[A-Z])(?:\s+(\d+)/)?%", r["IPC_code"])
        code = f"{m.group(1)}{m.group(2) or 1}/99"
        assert wipo_field(code).number == int(r["Field_number"]), r["IPC_code"]


def test_wipo_covers_every_main_group_of_the_scheme():
    mains = [c for c in titles.scheme_codes() if c.endswith("/00")]
    assert len(mains) > 7000
    assert [c for c in mains if wipo_field(c) is None] == []


def test_wipo_fields_table():
    assert len(WIPO_FIELDS) == 35
    assert [f["number"] for f in WIPO_FIELDS] == list(range(1, 36))
    assert WIPO_FIELDS[0]["sector_zh"] == "电气工程"
    assert {f["sector_en"] for f in WIPO_FIELDS} == set(wipo.WIPO_SECTORS)
    assert all(f["field_zh"] for f in WIPO_FIELDS)
    assert wipo.wipo_fields_table().shape == (35, 5)


def test_wipo_fields_array(drones):
    arr = pa.array([["H04W72/04", "H04L29/08", "B64C39/02"], [], None, ["Y02E10/50"], ["G06Q10/08", "H04W 4/02"]], LS)
    assert wipo_fields_array(arr).to_pylist() == [[4, 32], [], [], [], [4, 7]]
    ipc = drones.table["ipc"]
    got = wipo_fields_array(ipc).to_pylist()
    oracle = [sorted({wipo_field(c).number for c in row if wipo_field(c)}) for row in ipc.to_pylist()]
    assert got == oracle
    assert sum(bool(r) for r in got) == 8997  # every document with an IPC code (8,997 of 9,071)


# --- SEI concordance --------------------------------------------------------------------------------


def test_sei_counts():
    d = sei._load()
    assert len(d.rules) == 321
    assert sum(len(v) for v in d.exact.values()) == 34598
    assert len(d.exact) == 34396
    f = sei_fields()
    assert len(f) == 40 and f["industry"].nunique() == 9
    assert f.loc[f.code == "5.4", "name"].item() == "新能源汽车相关服务"  # upstream: 新能源汽车相关服
    assert f.loc[f.code == "1.5", "name"].item() == "人工智能"
    assert int(f["n_rules"].sum()) == 321
    tree = sei_tree()
    assert [i["code"] for i in tree] == list("123456789")
    assert tree[0]["name"] == "新一代信息技术产业" and tree[8]["name"] == "相关服务业"
    assert sum(len(i["fields"]) for i in tree) == 40
    assert sum(i["n_rules"] for i in tree) == 321


def test_sei_exact():
    assert sei_of_code("A01B1/02") == [("2.1", "智能制造装备产业", 33)]
    assert sei_match("A01B 1/02")["via"] == "exact"
    assert [f for f, _, _ in sei_of_code("H04W72/04")] == ["1.1"]
    assert sei_match("G16H") == {"code": "G16H", "matched": "G16H", "via": "exact",
                                 "fields": [{"code": "1.5", "name": "人工智能", "name_en": "Artificial intelligence"}]}
    assert sei_match("C08")["fields"] == [{"code": "3.6", "name": "前沿新材料", "name_en": "Frontier new materials"}]  # a class-level entry


def test_sei_subgroup_through_main_group():
    assert "B64C39/024" not in sei._load().exact
    m = sei_match("B64C39/024")
    assert (m["matched"], m["via"], m["fields"]) == ("B64C39/00", "main_group", [{"code": "2.2", "name": "航空装备产业", "name_en": "Aviation equipment"}])
    assert sei_match("G05D1/10")["matched"] == "G05D1/00"


def test_sei_subclass_fallback_and_omitted_main_groups():
    # G16H is listed and none of its groups are: the subclass entry covers them
    assert sei_match("G16H10/60")["matched"] == "G16H"
    # G06F19 is not in the IPC 2020 scheme (withdrawn), G06F is listed: subclass fallback
    assert sei_match("G06F19/00")["matched"] == "G06F"
    # C07C is listed (4.1) but C07C67 is in the scheme and nothing under it is listed: left out
    assert "C07C" in sei._load().exact and "C07C67/00" in titles.scheme_codes()
    assert sei_of_code("C07C67/08") == [] and sei_of_code("C07C67/00") == []
    assert sei_of_code("B22D5/00") == []


def test_sei_not_in_any_field():
    for code in ["A47C7/46", "A47C", "H04W", "H04", "Y02E10/50", "B64U10/13", "junk", None]:
        assert sei_of_code(code) == [], code


def test_sei_data_evidence_for_the_level_rule():
    """The claims made in docs/classification.md about the table."""
    exact = sei._load().exact
    scheme = titles.scheme_codes()
    a01b = [c for c in scheme if c.startswith("A01B") and "/" in c]
    assert exact["A01B"] == (33,) and len(a01b) == 224 and all(exact.get(c) == (33,) for c in a01b)
    assert not any(c.startswith("G16H") and "/" in c for c in exact)
    c07c1 = [c for c in scheme if c.startswith("C07C1/")]
    assert c07c1 and not any(c in exact for c in c07c1)


def test_codes_of_field():
    ai = codes_of_field("1.5")
    assert "G16H" in ai and "A61B5/00" in ai and len(ai) == 271
    assert ai == sorted(set(ai), key=sei._ipc_order)
    ind1 = codes_of_field("1")
    assert set(ind1) == set().union(*(codes_of_field(f"1.{i}") for i in range(1, 6)))
    assert len(ind1) == sei_tree()[0]["n_codes"]
    with pytest.raises(ValueError, match="industry digit"):
        codes_of_field("10")


def test_sei_arrays_small():
    arr = pa.array([["B64C39/024", "H04W72/04"], ["A47C7/46"], [], None, ["C08"], ["A01B 1/02", "A01B1/04"]], LS)
    assert sei_fields_array(arr).to_pylist() == [["1.1", "2.2"], [], [], [], ["3.6"], ["2.1"]]
    assert sei_mask(arr, "1").to_pylist() == [True, False, False, False, False, False]
    assert sei_mask(arr, "2.2").to_pylist() == [True, False, False, False, False, False]
    assert sei_mask(arr, ["3", "2.1"]).to_pylist() == [False, False, False, False, True, True]
    with pytest.raises(ValueError):
        sei_mask(arr, "1.9")


def _oracle_sei_rows(ipc_rows, industry: str) -> int:
    """Independent plain-Python implementation of the documented level rule."""
    rules = {}
    for line in DATA.joinpath("sei.jsonl").read_text(encoding="utf-8").splitlines():
        r = json.loads(line)
        rules[r["id"]] = r["seiCode"]
    table: dict[str, set] = {}
    for line in gzip.decompress(DATA.joinpath("ipc-sei.jsonl.gz").read_bytes()).decode().splitlines():
        m = json.loads(line)
        table.setdefault(m["ipcCode"], set()).add(rules[m["seiId"]])
    scheme_main = set()
    for line in gzip.decompress(DATA.joinpath("ipc_scheme_titles_en.tsv.gz").read_bytes()).decode().splitlines():
        code = line.split("\t")[0]
        if len(code) == 14 and code.endswith("000000"):
            scheme_main.add(f"{code[:4]}{int(code[4:8])}")
    listed_main = {c.split("/")[0] for c in table if "/" in c}
    sub_with_groups = {c[:4] for c in table if "/" in c}

    def fields(code):
        if code in table:
            return table[code]
        main = code.split("/")[0]
        if main + "/00" in table:
            return table[main + "/00"]
        sub = code[:4]
        if sub in table and not (sub in sub_with_groups and main not in listed_main and main in scheme_main):
            return table[sub]
        return set()

    return sum(1 for row in ipc_rows if any(f.split(".")[0] == industry for c in row for f in fields(c)))


def test_corpus_filter_sei(drones):
    rows = drones.table["ipc"].to_pylist()
    n1 = len(drones.filter(sei="1"))
    assert n1 == 3358 == _oracle_sei_rows(rows, "1")
    assert len(drones.filter(sei="2")) == 2763 == _oracle_sei_rows(rows, "2")
    assert len(drones.filter(sei="1.5")) == 455
    got = sei_fields_array(drones.table["ipc"]).to_pylist()
    assert sum(bool(r) for r in got) == 7434  # coverage measured for docs/classification.md
    assert sum(any(f.startswith("1.") for f in r) for r in got) == n1


# --- describe_code -----------------------------------------------------------------------------------------


def test_describe_valid():
    d = describe_code("H04W 72/04 (2009.01)")
    assert d["valid"] and d["code"] == "H04W72/04" and d["level"] == "subgroup" and not d["is_cpc_only"]
    assert [h["level"] for h in d["hierarchy"]] == ["section", "class", "subclass", "main_group", "subgroup"]
    assert d["hierarchy"][-1] == {"level": "subgroup", "code": "H04W72/04", "title": "Wireless resource allocation"}
    assert d["wipo_field"]["number"] == 4 and d["wipo_field"]["field_zh"] == "数字通信"
    assert d["sei_fields"] == [{"code": "1.1", "name": "下一代信息网络产业", "name_en": "Next-generation information networks"}]
    assert "error" not in d
    d = describe_code("B64C39/024")
    assert d["sei_via"] == {"code": "B64C39/00", "via": "main_group"} and d["title"] is None
    d = describe_code("h04")
    assert d["valid"] and d["level"] == "class" and d["title"] == "ELECTRIC COMMUNICATION TECHNIQUE"


def test_describe_cpc_only():
    d = describe_code("Y02E 10/50")
    assert d["valid"] and d["is_cpc_only"] and d["code"] == "Y02E10/50"
    assert all(h["title"] is None for h in d["hierarchy"])
    assert d["wipo_field"] is None and d["sei_fields"] == []
    d = describe_code("B64C2201/123")
    assert d["is_cpc_only"] and d["title"] is None and d["hierarchy"][2]["title"].startswith("AEROPLANES")


@pytest.mark.parametrize("text", ["H04W72/04x", "bogus", "", "   ", None, "Z01B1/02", "H04W0/00"])
def test_describe_invalid(text):
    d = describe_code(text)
    assert d["valid"] is False and d["code"] is None and d["hierarchy"] == []
    assert "H04W72/04" in d["error"] and "valid code looks like" in d["error"]


def test_has_sei_field_is_nonempty_sei_fields_array(drones):
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from patentnav.classify.sei import has_sei_field, sei_fields_array

    for lists in (drones.table["ipc"], pa.array([["B64C39/02"], [], None, ["ZZZ"], ["A01B1/00", "B64C"]], pa.list_(pa.string()))):
        want = pc.list_value_length(sei_fields_array(lists)).fill_null(0).to_numpy(zero_copy_only=False) > 0
        got = has_sei_field(lists)
        assert got.dtype == bool and np.array_equal(got, want)
    assert has_sei_field(drones.table["ipc"]).sum() > 0
