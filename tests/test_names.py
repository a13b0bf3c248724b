"""Applicant-name harmonisation: rules, aliases, individuals, bad input, corpus integration."""

import pandas as pd
import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given, settings, strategies as st

import patentnav
from patentnav.cli.main import main
from patentnav.names import NameHarmonizer, harmonize_names, is_individual, clean_names, normalize_name, normalize_names, read_aliases


@pytest.mark.parametrize("raw, key", [
    ("Huawei Technologies Co., Ltd.", "HUAWEI TECH"),
    ("HUAWEI TECH CO LTD", "HUAWEI TECH"),
    ("Huawei Device Co., Ltd.", "HUAWEI DEVICE"),
    ("ＨＵＡＷＥＩ　ＴＥＣＨＮＯＬＯＧＩＥＳ ＣＯ．， ＬＴＤ．", "HUAWEI TECH"),  # full-width
    ("华为技术有限公司", "华为技术"),
    ("深圳市大疆创新科技有限公司", "深圳市大疆创新科技"),
    ("中兴通讯股份有限公司南京分公司", "中兴通讯 南京分公司"),  # a branch keeps its branch
    ("腾讯科技（深圳）有限公司", "腾讯科技 深圳"),  # a bracketed place stays
    ("AgResearch Ltd", "AGRESEARCH"),  # not RESEARCH misspelt (issue 12)
    ("中国石油化工股份有限公司", "中国石油化工"),
    ("海尔集团公司", "海尔"),
    ("The Xerox Corporation", "XEROX"),
    ("Ernst Leitz G.m.b.H.", "ERNST LEITZ"),
    ("Lucke Apparate-Bau Gesellschaft mit beschraenkter Haftung", "LUCKE APPARATE BAU"),
    ("Minolta Camera Kubushiki Kaisha", "MINOLTA CAMERA"),
    ("Société Générale S.A.", "SOCIETE GENERALE"),
    ("Nokia Oyj", "NOKIA"),
    ("Telefonaktiebolaget L M Ericsson (publ)", "TELEFONAKTIEBOLAGET L M ERICSSON"),
    ("Koninklijke Philips N.V.", "KONINKLIJKE PHILIPS"),
    ("Fiat S.p.A.", "FIAT"),
    ("Samsung Electronics Co. Ltd.", "SAMSUNG ELECTRONICS"),
    ("Hyundai Motor Chusik Hoesa", "HYUNDAI MOTOR"),
    ("International Business Machines Corporation (IBM)", "INT BUSINESS MACH"),
    ("General Electic Company", "GENERAL ELEC"),  # misspelt standard word
    ("Ford Motor Compnay", "FORD MOTOR"),  # misspelt legal form
    ("AT&T Corp.", "AT AND T"),
    ("Co., Ltd.", "CO LTD"),  # only a legal form: kept, never empty
])
def test_normalisation_rules(raw, key):
    assert normalize_name(raw) == key


@pytest.mark.parametrize("raw", [None, "", "   ", "---", "()", "。。。"])
def test_blank_or_punctuation_only_gives_null(raw):
    assert normalize_name(raw) is None


def test_huawei_example_from_the_issue():
    names = ["HUAWEI TECH CO LTD", "Huawei Technologies Co., Ltd.", "华为技术有限公司", "Huawei Device Co., Ltd."]
    out = harmonize_names(names)
    assert out[0] == out[1] and out[3] not in (out[0], out[2])
    assert out[2] != out[0]  # Chinese-English pairs come only from aliases
    aliased = harmonize_names(names, aliases=[("华为技术有限公司", "Huawei Technologies Co., Ltd.")])
    assert aliased[:3] == ["Huawei Technologies Co., Ltd."] * 3 and aliased[3] == "Huawei Device Co., Ltd."
    grouped = harmonize_names(names, aliases=[("华为技术有限公司", "Huawei Technologies Co., Ltd."),
                                              ("Huawei Device Co., Ltd.", "Huawei Technologies Co., Ltd.")])
    assert len(set(grouped)) == 1


def test_typos_link_but_decisive_words_do_not():
    out = harmonize_names([
        "Lucent Technologies Inc.", "Lucent Technologies Inc.", "Lucent Techologies Inc.",
        "The United States of America as represented by the Secretary of the Navy",
        "The United States of America as represented by the Secretary of the Army",
        "University of Kansas", "University of Arkansas", "3M Company", "3D Company",
        "AT&T IP I LP", "AT&T IP II LP",
    ])
    assert out[0] == out[1] == out[2] == "Lucent Technologies Inc."
    assert len(set(out[3:])) == 8


def test_acronym_links_only_on_evidence():
    # initials alone are no evidence (tests/test_names_acronyms.py has the cases of issue 12)
    out = harmonize_names(["IBM Corporation", "International Business Machines Corporation", "International Business Machines Corp."])
    assert out[0] != out[1] == out[2]
    stated = ["IBM Corporation (International Business Machines Corporation)"] * 2
    out = harmonize_names(["IBM Corporation", "International Business Machines Corporation", *stated])
    assert len(set(out)) == 1
    out = harmonize_names(["ABC Inc.", "American Broadcasting Company", "Atlantic Bottling Corporation"])
    assert len(set(out)) == 3


def test_individuals_are_kept_apart_and_grouped_exactly():
    raw = pa.array(["CARPENTER CHRISTOPHER M", "Smith, John", "王涛", "Nor-Skilt AS", "SZ DJI TECHNOLOGY CO LTD", "大疆创新"])
    flags = is_individual(raw, clean_names(raw), normalize_names(raw)).to_pylist()
    assert flags == [True, True, True, False, False, False]
    h = NameHarmonizer().fit(["SMITH JOHN", "SMITH JOHNS", "Smith John"])
    # persons never link fuzzily: SMITH JOHNS stays apart
    assert h.transform(["SMITH JOHN", "SMITH JOHNS"])[0] != h.transform(["SMITH JOHNS"])[0]


def test_display_name_is_the_most_frequent_variant_and_ids_are_deterministic():
    names = ["Acme Corp"] * 3 + ["ACME CORPORATION"] * 5 + ["Beta GmbH"] * 9
    h = NameHarmonizer().fit(names)
    assert h.transform(["Acme Corp"]) == ["ACME CORPORATION"]
    m = h.mapping_
    assert m.loc[m.raw == "Beta GmbH", "group"].item() == 0  # largest group first
    assert NameHarmonizer().fit(list(reversed(names))).mapping_.equals(m)


def test_unseen_names_map_through_their_key():
    h = NameHarmonizer().fit(["Acme Corporation"])
    assert h.transform(["ACME CORP.", "Other Ltd", None]) == ["Acme Corporation", "Other Ltd", None]


def test_alias_file_errors_name_file_and_line(tmp_path):
    p = tmp_path / "aliases.csv"
    p.write_text("alias,canonical\n华为技术有限公司,Huawei Technologies Co., Ltd.\n", encoding="utf-8")
    with pytest.raises(patentnav.IngestError, match="line 2"):
        read_aliases(p)  # unquoted comma: 3 fields is fine, but check the quoted form below
    p.write_text('alias,canonical\n华为技术有限公司,"Huawei Technologies Co., Ltd."\n,missing\n', encoding="utf-8")
    with pytest.raises(patentnav.IngestError, match="line 3"):
        read_aliases(p)
    p.write_text("name,other\n", encoding="utf-8")
    with pytest.raises(patentnav.IngestError, match="alias,canonical"):
        read_aliases(p)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(st.none(), st.text(max_size=400), st.sampled_from(["", " ", "Co., Ltd.", "有限公司", "(集团)", "&&&", "Ⅷ", "a" * 2000])), max_size=30))
def test_any_input_is_stable_and_never_crashes(names):
    out = harmonize_names(names)
    assert len(out) == len(names)
    for raw, canon in zip(names, out):
        if raw is None or normalize_name(raw) is None:
            assert canon is None
        else:
            assert isinstance(canon, str) and canon
    assert harmonize_names(names) == out  # deterministic


def test_corpus_harmonize_applicants_keeps_raw(drones):
    h = drones.harmonize_applicants()
    row = h.filter(publication_number="AU-2016219013-A1").table.to_pylist()[0]
    assert row["applicants"] == ["ESCO CORP"] and row["applicants_harmonized"] == ["ESCO CORP"]
    m = h.applicant_mapping
    assert set(m.raw) == set(pa.compute.list_flatten(drones["applicants"]).to_pylist())
    google = m[m.raw.isin(["GOOGLE INC", "GOOGLE LLC"])]
    assert google.canonical.nunique() == 1 == google.group.nunique()
    # the harmonised column is aligned row by row and never longer than the raw one
    lens = pa.compute.list_value_length(h["applicants"]).to_pylist()
    hl = pa.compute.list_value_length(h["applicants_harmonized"]).to_pylist()
    assert all(b <= a for a, b in zip(lens, hl)) and sum(hl) > 0


def test_names_command(tmp_path):
    aliases = tmp_path / "aliases.csv"
    aliases.write_text("alias,canonical\nGOOGLE LLC,Google\n", encoding="utf-8")
    out = tmp_path / "mapping.csv"
    r = CliRunner().invoke(main, ["names", "--aliases", str(aliases), "-o", str(out), "--top", "5"])
    assert r.exit_code == 0, r.output
    assert "raw names ->" in r.output
    df = pd.read_csv(out, encoding="utf-8-sig")
    assert df.loc[df.raw == "GOOGLE INC", "canonical"].item() == "Google"


def _canonical_lists_reference(lists, mapping):
    """The definition canonical_name_lists replaced: index_in on every name, (row, name) pairs
    de-duplicated with an Arrow group-by, lists rebuilt by a stable sort."""
    import pyarrow.compute as pc

    from patentnav._arrow import dedupe_pairs, regroup

    flat = pc.list_flatten(lists)
    idx = pc.index_in(flat, value_set=pa.array(mapping["raw"].tolist(), pa.string()))
    canon = pc.coalesce(pa.array(mapping["canonical"].tolist(), pa.string()).take(idx), flat)
    t = dedupe_pairs(pa.table({"p": pc.list_parent_indices(lists), "c": canon}))
    return regroup(t, len(lists))


def _canonical_applicants_reference(mapping, raw, aligned):
    import numpy as np

    raw = np.asarray(raw, dtype=object)
    out = raw.copy()
    aligned = np.asarray(aligned, dtype=object)
    ok = pd.notna(aligned)
    out[ok] = aligned[ok]
    canon = pd.Series(raw).map(dict(zip(mapping["raw"], mapping["canonical"]))).to_numpy(dtype=object)
    ok = pd.notna(canon)
    out[ok] = canon[ok]
    return out


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_coded_canonical_names_equal_their_definitions(seed):
    import numpy as np

    from patentnav.names.harmonize import canonical_applicant_array, canonical_name_lists

    rng = np.random.default_rng(seed)
    pool = ["Huawei Technologies Co., Ltd.", "HUAWEI TECH CO LTD", "Huawei Device Co., Ltd.", "深圳市大疆创新科技有限公司",
            "大疆创新科技有限公司", "Zhang San", "!!!", "", None]
    lists = pa.array([None if rng.random() < 0.1 else [pool[j] for j in rng.integers(0, len(pool), rng.integers(0, 5))]
                      for _ in range(400)], pa.list_(pa.string()))
    mapping = NameHarmonizer().fit(pa.compute.list_flatten(lists)).mapping_
    got = canonical_name_lists(lists, mapping)
    assert got.equals(_canonical_lists_reference(lists, mapping)) and got.type == pa.list_(pa.string())
    assert sum(len(x) for x in got.to_pylist()) < sum(len(x or []) for x in lists.to_pylist())  # repeats were dropped

    class C:
        applicant_mapping = mapping

    raw = [pool[j] for j in rng.integers(0, len(pool), 300)] + ["unseen name"]
    aligned = [pool[j] if rng.random() < 0.5 else None for j in rng.integers(0, len(pool), 301)]
    want = _canonical_applicants_reference(mapping, raw, aligned)
    got = canonical_applicant_array(C, pa.array(raw, pa.string()), pa.array(aligned, pa.string())).to_pylist()
    assert got == want.tolist()
    lazy = canonical_applicant_array(C, pa.array(raw, pa.string()), lambda: pa.array(aligned, pa.string()))
    assert lazy.to_pylist() == want.tolist()
    from patentnav.names import canonical_applicants

    assert canonical_applicants(C, raw, aligned).tolist() == want.tolist()


def test_applicant_positions_equal_the_filtered_frame(drones):
    """The applicants of families are selected before the frame is made: the same frame as
    making it for every applicant and filtering it."""
    import numpy as np
    import pyarrow.compute as pc

    from patentnav.names.families import applicant_positions, family_labels

    def reference(t, fam):
        apps = t["applicants"].combine_chunks()
        parent = np.asarray(pc.list_parent_indices(apps).to_numpy(), dtype=np.int64)
        lens = np.asarray(pc.list_value_length(apps).fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
        out = pd.DataFrame({"family": fam[parent], "doc": parent,
                            "publication_number": t["publication_number"].combine_chunks().take(pa.array(parent)).to_pandas(),
                            "position": np.arange(len(parent)) - np.repeat(np.cumsum(lens) - lens, lens),
                            "n_applicants": lens[parent], "raw": pc.list_flatten(apps).to_pandas()})
        size = np.bincount(fam)
        return out[out["raw"].notna() & (size[out["family"].to_numpy()] > 1)].reset_index(drop=True)

    t = drones.table
    for fam in (family_labels(t), np.arange(len(t)) // 3, np.arange(len(t))):
        pd.testing.assert_frame_equal(applicant_positions(t, fam), reference(t, fam), check_exact=True)
