"""Chinese applicant names (issue 18): division prefixes, branches, cross-script links
learned from patent families, and the harmonised names in the tables that count firms."""

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import patentnav
from patentnav.cli.main import main
from patentnav.names import NameHarmonizer, harmonize_names, normalize_name, write_links_csv, write_mapping_csv
from patentnav.names.branches import split_branches
from patentnav.names.divisions import division_links, division_prefixes, is_distinctive
from patentnav.names.families import application_keys, family_labels, script_of
from patentnav.names.metrics import pairwise_precision_recall_f1
from patentnav.names.normalize import clean_names

DATA = Path(__file__).parent / "data" / "names"
FAMILY_FILES = [DATA / "family_lens.csv", DATA / "family_cnipa.csv", DATA / "family_lens_constructed.csv"]


@pytest.fixture(scope="module")
def variants():
    return pd.read_csv(DATA / "cn_applicant_variants.csv")


@pytest.fixture(scope="module")
def families():
    return patentnav.read(*FAMILY_FILES)


def _together(names, a, b):
    out = dict(zip(names, harmonize_names(names)))
    return out[a] == out[b]


# ---------------------------------------------------------------- the labelled list of real firms
def test_labelled_variants_no_wrong_merge_and_every_chinese_variant_linked(variants):
    h = NameHarmonizer().fit(variants["raw"])
    group = variants["raw"].map(h.mapping_.set_index("raw")["group"])
    p, r, _ = pairwise_precision_recall_f1(group.to_numpy(), variants["firm"].to_numpy())
    assert p == 1.0  # no wrong merge
    cjk = (script_of(pa.array(variants["raw"].tolist())) == "cjk")
    _, r_cjk, _ = pairwise_precision_recall_f1(group[cjk].to_numpy(), variants["firm"][cjk].to_numpy())
    assert r_cjk == 1.0  # every Chinese-script variant of a firm joins it (names alone)
    assert r < 1.0  # English spellings need family evidence or an alias (tested below)


@pytest.mark.parametrize("a, b", [
    ("腾讯科技(深圳)有限公司", "腾讯科技(北京)有限公司"),
    ("华为技术有限公司", "华为终端有限公司"),
    ("深圳大学", "深圳技术大学"),
    ("深圳市大疆创新科技有限公司", "深圳市大疆百旺科技有限公司"),
    ("大疆创新科技有限公司", "大疆百旺科技有限公司"),
    ("零度智控（北京）智能科技有限公司", "武汉零度智控科技有限公司"),
    ("深圳清华大学研究院", "清华大学"),
    ("西安交通大学", "上海交通大学"),
])
def test_distinct_legal_entities_stay_apart(variants, a, b):
    names = list(variants["raw"]) + [a, b]
    assert not _together(names, a, b)


def test_the_three_dji_forms_of_the_issue_are_one_firm():
    names = ["深圳市大疆创新科技有限公司", "深圳大疆创新科技有限公司", "大疆创新科技有限公司"]
    h = NameHarmonizer().fit(names)
    assert h.mapping_["group"].nunique() == 1
    assert set(h.mapping_["reason"]) <= {"canonical", "division", "typo"}


# ---------------------------------------------------------------- division prefixes
def test_generic_remainder_never_links():
    names = ["深圳市科技有限公司", "北京市科技有限公司", "科技有限公司", "深圳大学", "大学", "深圳技术大学", "技术大学"]
    assert len(set(harmonize_names(names))) == len(names)
    assert is_distinctive(["大疆创新科技", "科技", "技术大学", "人民医院", "TCL科技", "DJI TECH", "UNIV"]).to_pylist() == [
        True, False, False, False, True, True, False]


def test_prefix_with_and_without_suffix_nested_levels():
    dp = division_prefixes(["广东省深圳市南山区大疆创新科技", "广东深圳大疆创新科技", "深圳大疆创新科技", "中山大学"])
    assert dp["core"].tolist() == ["大疆创新科技", "大疆创新科技", "大疆创新科技", "中山大学"]
    assert dp["codes"].tolist()[:3] == [("440305",), ("4403",), ("4403",)] and dp["prefix"][3] == ""


def test_district_only_after_its_city():
    # 南山 (a district of Shenzhen) is no division at the start: 南山铝业 keeps it (art. 11)
    assert division_prefixes(["南山铝业", "深圳市南山区大疆创新科技"])["core"].tolist() == ["南山铝业", "大疆创新科技"]


def test_remainder_under_two_places_links_by_place_and_leaves_the_bare_name_alone():
    keys = ["深圳市甲乙科技", "深圳甲乙科技", "北京市甲乙科技", "甲乙科技", "广东甲乙科技"]
    r, c, _ = division_links(keys)
    pairs = {frozenset((keys[i], keys[j])) for i, j in zip(r, c)}
    assert frozenset(("深圳市甲乙科技", "深圳甲乙科技")) in pairs
    linked = {k for p in pairs for k in p}
    assert "甲乙科技" not in linked and "北京市甲乙科技" not in linked
    assert "广东甲乙科技" in linked  # Guangdong contains Shenzhen only: one firm


def test_bracketed_place_stays_part_of_the_name():
    assert normalize_name("腾讯科技（深圳）有限公司") == normalize_name("腾讯科技(深圳)有限公司") == "腾讯科技 深圳"
    names = ["腾讯科技(深圳)有限公司", "腾讯科技(北京)有限公司", "腾讯科技有限公司"]
    assert len(set(harmonize_names(names))) == 3


# ---------------------------------------------------------------- branches
def test_branch_shapes():
    names = ["中兴通讯股份有限公司南京分公司", "中兴通讯南京分公司", "北京大学深圳研究生院", "深圳清华大学研究院",
             "中国石油化工股份有限公司北京化工研究院", "某某研究院有限公司", "华为技术有限公司",
             "HUAWEI TECHNOLOGIES CO LTD SHANGHAI BRANCH", "深圳市科技分公司"]
    e, b = split_branches(clean_names(names))
    assert e.to_pylist() == ["中兴通讯股份有限公司", "中兴通讯", "北京大学", None, "中国石油化工股份有限公司", None, None,
                             "HUAWEI TECHNOLOGIES CO LTD", None]
    assert b.to_pylist()[:3] == ["南京分公司", "南京分公司", "深圳研究生院"]


def test_branch_joins_its_legal_entity_which_names_the_group_and_the_branch_stays_visible():
    names = ["中兴通讯股份有限公司南京分公司"] * 5 + ["中兴通讯股份有限公司上海分公司"] * 2 + ["中兴通讯股份有限公司"]
    h = NameHarmonizer().fit(names)
    m = h.mapping_.set_index("raw")
    assert m["canonical"].unique().tolist() == ["中兴通讯股份有限公司"]  # the entity, though the branch is more frequent
    assert m.loc["中兴通讯股份有限公司南京分公司", ["reason", "branch"]].tolist() == ["branch", "南京分公司"]
    # a branch alone still counts for its legal entity
    h = NameHarmonizer().fit(["国网江苏省电力有限公司南京供电分公司"])
    assert h.transform(["国网江苏省电力有限公司南京供电分公司"]) == ["国网江苏省电力有限公司"]


# ---------------------------------------------------------------- family evidence (cross-script)
def test_family_labels_join_cn_first_filings_and_their_foreign_members(families):
    t = families.table.to_pandas()
    fam = pd.Series(family_labels(families.table), index=t["publication_number"])
    assert fam["CN-90000000-A"] == fam["EP-2780228-B1"]  # CN 201310008317 claimed as priority
    assert fam["CN-90000010-A"] == fam["US-8903568-B1"] == fam["WO-2015014116-A1"]
    assert fam["CN-90000000-A"] != fam["CN-90000010-A"]
    assert application_keys(["201310008317.5", "CN 201310008317", "PCT/CN2014/083315"], ["CN", None, None]).to_pylist() == [
        "CN201310008317", "CN201310008317", "CN2014083315"]


def test_cross_script_links_need_two_families_and_mutual_best(families):
    h = families.harmonize_applicants()
    canon = dict(zip(h.applicant_mapping["raw"], h.applicant_mapping["canonical"]))
    for zh, en in [("深圳市大疆创新科技有限公司", "SZ DJI TECHNOLOGY CO LTD"), ("小米科技有限责任公司", "XIAOMI INC"),
                   ("北京小米移动软件有限公司", "BEIJING XIAOMI MOBILE SOFTWARE CO LTD"), ("华为技术有限公司", "HUAWEI TECH CO LTD"),
                   ("广州亿航智能技术有限公司", "GUANGZHOU EHANG INTELLIGENT TECH CO LTD")]:
        assert canon[zh] == canon[en], zh
    assert canon["XIAOMI INC"] != canon["BEIJING XIAOMI MOBILE SOFTWARE CO LTD"]
    # one family is below the threshold: Tencent stays apart
    assert canon["腾讯科技(深圳)有限公司"] != canon["TENCENT TECH (SHENZHEN) COMPANY LTD"]
    # co-applicants listed in opposite orders give one wrong pair each: never linked
    assert canon["华为技术有限公司"] != canon["SZ DJI TECHNOLOGY CO LTD"]
    links = h.applicant_links
    cross = links[links["reason"] == "cross-script"]
    assert len(cross) == 5 and (cross["evidence"] >= 2).all()
    m = h.applicant_mapping.set_index("raw")
    assert m.loc["HUAWEI TECH CO LTD", "evidence"] == 2  # two families, not three
    # with a threshold of 1 the single Tencent family is enough
    h1 = families.harmonize_applicants(min_evidence=1)
    c1 = dict(zip(h1.applicant_mapping["raw"], h1.applicant_mapping["canonical"]))
    assert c1["腾讯科技(深圳)有限公司"] == c1["TENCENT TECH (SHENZHEN) COMPANY LTD"]


def test_never_on_romanisation_alone():
    names = ["深圳市大疆创新科技有限公司", "SHENZHEN DAJIANG INNOVATION TECH CO LTD", "DAJIANG CHUANGXIN KEJI", "大疆创新"]
    out = harmonize_names(names)
    assert out[0] not in out[1:3] and out[1] != out[2]


def test_person_applicants_do_not_shift_positions(families):
    # a WO member listing inventors as applicants still aligns its firm with the CN member's
    t = families.table
    apps = t["applicants"].to_pylist()
    i = t["publication_number"].to_pylist().index("EP-2780228-B1")
    apps[i] = ["SZ DJI TECHNOLOGY CO LTD", "WANG MINGYU", "ZHOU GUYUE"]
    c = patentnav.Corpus(t.set_column(t.schema.get_field_index("applicants"), "applicants",
                                      pa.array(apps, pa.list_(pa.string()))))
    m = c.harmonize_applicants().applicant_mapping.set_index("raw")
    assert m.loc["深圳市大疆创新科技有限公司", "canonical"] == m.loc["SZ DJI TECHNOLOGY CO LTD", "canonical"]


# ---------------------------------------------------------------- mapping export and the CLI
def test_exported_mapping_and_links_carry_reason_and_evidence(families, tmp_path):
    h = families.harmonize_applicants()
    write_mapping_csv(h.applicant_mapping, tmp_path / "m.csv")
    write_links_csv(h.applicant_links, tmp_path / "l.csv")
    m = pd.read_csv(tmp_path / "m.csv", encoding="utf-8-sig")
    assert {"reason", "evidence", "linked_to", "detail", "branch"} <= set(m.columns)
    row = m[m["raw"] == "BEIJING XIAOMI MOBILE SOFTWARE CO LTD"].iloc[0]
    assert row["reason"] == "cross-script" and row["evidence"] == 3 and row["linked_to"] == "北京小米移动软件有限公司"
    links = pd.read_csv(tmp_path / "l.csv", encoding="utf-8-sig")
    assert list(links.columns) == ["name_a", "name_b", "reason", "evidence", "detail", "key_a", "key_b"]
    assert (links["reason"] == "cross-script").sum() == 5


def test_names_command_with_families_and_links(tmp_path):
    out, links = tmp_path / "m.csv", tmp_path / "l.csv"
    r = CliRunner().invoke(main, ["names", *map(str, FAMILY_FILES), "-o", str(out), "--links", str(links), "--lang", "zh"])
    assert r.exit_code == 0, r.output
    assert "跨文种" in r.output  # the reasons table, in Chinese
    assert pd.read_csv(links, encoding="utf-8-sig")["reason"].eq("cross-script").sum() == 5


# ---------------------------------------------------------------- harmonised names in the tables that count firms
def _dji_corpus():
    rows = []
    for k, (app, addr) in enumerate([("深圳市大疆创新科技有限公司", "广东省深圳市南山区"), ("大疆创新科技有限公司", "广东省深圳市南山区"),
                                     ("深圳大疆创新科技有限公司", "广东省深圳市南山区"), ("深圳市道通智能航空技术有限公司", "广东省深圳市南山区")]):
        rows.append({"publication_number": f"CN-10000000{k}-A", "jurisdiction": "CN", "applicants": [app],
                     "applicant_addresses": [addr], "ipc": ["B64C39/02"]})
    return patentnav.Corpus.from_pandas(pd.DataFrame(rows))


def test_regions_count_harmonised_firms():
    from patentnav.geo import assign_regions

    c = _dji_corpus()
    a = assign_regions(c.harmonize_applicants(), level="city")
    assert a["applicant"].nunique() == 2  # three DJI spellings, one firm
    assert set(a["applicant_raw"]) == {"深圳市大疆创新科技有限公司", "大疆创新科技有限公司", "深圳大疆创新科技有限公司", "深圳市道通智能航空技术有限公司"}
    raw = assign_regions(c, level="city")  # not harmonised: raw names
    assert raw["applicant"].nunique() == 4


def test_gap_holders_and_closest_local_firms_are_harmonised_firms():
    from patentnav.landscape.gaps import gaps

    names = ["深圳市大疆创新科技有限公司", "大疆创新科技有限公司", "深圳大疆创新科技有限公司", "深圳市道通智能航空技术有限公司",
             "北京小米移动软件有限公司", "HUAWEI TECH CO LTD"]
    addr = ["广东省深圳市南山区"] * 4 + ["北京市海淀区", "Shenzhen, CN"]
    ipcs = [["B64C39/02"], ["B64C39/02", "G05D1/10"], ["G05D1/10"], ["B64C39/02"], ["H04W4/00"], ["H04W4/00", "G05D1/10"]]
    rows = [{"publication_number": f"CN-1000{k:04d}-A", "jurisdiction": "CN", "applicants": [names[k % 6]],
             "applicant_addresses": [addr[k % 6]], "ipc": ipcs[k % 6], "document_type": "application",
             "filing_date": pd.Timestamp(2015 + k % 5, 1, 1).date(), "publication_date": pd.Timestamp(2016 + k % 5, 1, 1).date()}
            for k in range(24)]
    c = patentnav.Corpus.from_pandas(pd.DataFrame(rows)).harmonize_applicants()
    g = gaps(c, "CN-GD-Shenzhen", level="subclass", region_level="city").table.set_index("technology")
    dji = {"深圳市大疆创新科技有限公司", "大疆创新科技有限公司", "深圳大疆创新科技有限公司"}
    for col in ("holders", "closest_local_firms"):
        for tech in ("B64C", "G05D"):
            assert len(dji & set(g.loc[tech, col])) == 1, (col, tech)  # three spellings, one firm


_PARTS = st.lists(st.sampled_from(["深圳市", "深圳", "广东省", "南山区", "北京", "（北京）", "(深圳)", "大疆", "创新", "科技", "大学",
                                   "有限公司", "股份有限公司", "分公司", "研究院", "南京", "办事处", "IBM", " (", ")", "CO LTD",
                                   "甲", "乙", "丙", "丁"]), min_size=1, max_size=8).map("".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(_PARTS, min_size=1, max_size=25))
def test_chinese_shaped_input_never_crashes_and_is_deterministic(names):
    h = NameHarmonizer().fit(names)
    out = h.transform(names)
    assert len(out) == len(names)
    assert all((c is None) == (normalize_name(n) is None) for n, c in zip(names, out))
    assert NameHarmonizer().fit(list(reversed(names))).mapping_.equals(h.mapping_)
    assert set(h.mapping_["reason"].dropna()) <= {"canonical", "normalised", "typo", "division", "branch", "acronym-stated"}


def test_family_labels_without_family_columns_equal_the_graph(monkeypatch):
    """With nothing but publication numbers, the labels (codes of the kind-less numbers) equal
    those of the component graph."""
    import pyarrow as pa

    from patentnav.names import families as fam

    t = pa.table({"publication_number": ["US-1-A1", "US-2-A", "US-1-B2", "CN-3-A", "WO-2-A1", "US-2-B1", "X\x00", "X"],
                  "family_id": pa.nulls(8, pa.string()),
                  "family_members": pa.array([[]] * 8, pa.list_(pa.string()))})
    assert fam._numbers_only(t)
    fast = fam.family_labels(t)
    monkeypatch.setattr(fam, "_numbers_only", lambda table: False)
    assert fast.tolist() == fam.family_labels(t).tolist() == [0, 1, 0, 2, 3, 1, 4, 4]
    assert not fam._numbers_only(t.set_column(1, "family_id", pa.array(["F"] + [None] * 7, pa.string())))
