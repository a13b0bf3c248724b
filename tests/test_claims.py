"""Claim-based indicators (landscape.claims) and the claims / agents columns of the readers.

The twelve USPTO grants below were counted by hand from the XML of
tests/data/uspto-grant-xml (a copy of ../shared/data/uspto-grant-xml): the independent
claims by reading every claim for a reference to another claim (markup or text), the words
of claim 1 by counting the whitespace-separated tokens of its text after the claim number
that hold a letter or digit (``(a)``, ``(10)``, ``cis-1,4-bond``, ``85%`` are one word each).
Selection: the first utility grant of each weekly file, plus 6836979 (claim 16 refers to
"the previous claims" without markup), 6838526 (claim 4 refers to "any one of claims 1 and
2 to 3" without markup) and 6837063.
"""

from __future__ import annotations


import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patentnav
from patentnav import Corpus
from patentnav.io.canonical import write_jsonl
from patentnav.landscape.claims import claim_indicators, count_han, count_words, refers_to_claim, split_claims

from conftest import DATA

XML = DATA / "uspto-grant-xml"

#: publication number -> (independent claims, words of claim 1), counted by hand
HAND = {
    "US-6836899-B1": (2, 116),  # ipg050104: napkin holder; independent 1 and 16
    "US-6838526-B1": (1, 91),  # claim 4: "as claimed in any one of claims 1 and 2 to 3", no claim-ref
    "US-6836979-B2": (2, 154),  # claim 16: "according to one or more of the previous claims"; independent 1, 19
    "US-6837063-B1": (3, 66),  # independent 1, 9, 13
    "US-6981431-B2": (1, 160),  # ipg060103
    "US-7155908-B2": (1, 180),  # ipg070102
    "US-7314069-B2": (4, 122),  # ipg080101: four independent claims
    "US-7472552-B2": (1, 267),  # ipg090106 ("repeating the above steps" is no claim reference)
    "US-7640884-B2": (3, 311),  # ipg100105: independent 1, 7, 13
    "US-7861515-B2": (3, 133),  # ipg110104: independent 1, 8, 12
    "US-8087209-B2": (1, 154),  # ipg120103
    "US-8418361-B2": (1, 162),  # ipg130416
}
#: shortest independent claim, counted by hand: 6836899 claim 16; 7314069 claim 2
HAND_SHORTEST = {"US-6836899-B1": 83, "US-7314069-B2": 104}


@pytest.fixture(scope="module")
def xml_corpus():
    return patentnav.read(XML)


@pytest.fixture(scope="module")
def ci(xml_corpus):
    return claim_indicators(xml_corpus).set_index("publication_number")


@pytest.mark.parametrize("pub", sorted(HAND))
def test_hand_counted_grants(ci, pub):
    independent, words = HAND[pub]
    assert ci.loc[pub, "independent_claims"] == independent
    assert ci.loc[pub, "first_claim_words"] == words
    assert ci.loc[pub, "claim_length_unit"] == "word"


def test_hand_counted_shortest_independent_claims(ci):
    for pub, words in HAND_SHORTEST.items():
        assert ci.loc[pub, "shortest_independent_claim_words"] == words


def test_reference_without_markup_makes_a_claim_dependent(xml_corpus, ci):
    row = xml_corpus.filter(publication_number="US-6838526-B1").table.to_pylist()[0]
    assert row["dependent_claim_numbers"] == [2, 3]  # claim 4 carries no <claim-ref>
    assert ci.loc["US-6838526-B1", "dependent_claims"] == 3 and ci.loc["US-6838526-B1", "total_claims"] == 4
    assert ci.loc["US-6838526-B1", "dependent_ratio"] == 3.0
    assert ci.loc["US-6836979-B2", "dependent_claims"] == 22


def test_every_utility_grant_segments_to_its_claim_count(xml_corpus, ci):
    t = xml_corpus.table
    utility = [p for p, d in zip(t["publication_number"].to_pylist(), t["document_type"].to_pylist()) if d == "granted_patent"]
    assert len(utility) == 199
    sub = ci.loc[utility]
    assert (sub["claims_parsed"] == sub["total_claims"]).all()
    assert sub["independent_claims"].notna().all() and (sub["independent_claims"] >= 1).all()


def test_designs_and_documents_without_claims_are_null_never_zero(xml_corpus, ci, drones):
    t = xml_corpus.table
    designs = [p for p, d in zip(t["publication_number"].to_pylist(), t["document_type"].to_pylist()) if d == "design"]
    assert len(designs) == 220
    assert ci.loc[designs, ["total_claims", "independent_claims", "first_claim_words", "dependent_ratio"]].isna().all().all()
    d = claim_indicators(drones)
    assert d[["independent_claims", "first_claim_words", "shortest_independent_claim_words", "total_claims"]].isna().all().all()
    assert "no claims text" in d.attrs["availability"]["first_claim_words"]
    assert not any(d.attrs["available"].values())


def test_claim_indicators_join_the_quality_table(xml_corpus, ci):
    q = patentnav.landscape.indicators.quality_table(xml_corpus)
    assert q.loc["US-7314069-B2", "independent_claims"] == 4
    assert q.loc["US-7314069-B2", "first_claim_words"] == 122
    assert "first_claim_words" in q.attrs["availability"]


@pytest.mark.parametrize("text", [
    "2. The device of claim 1, wherein", "3. A method as in claims 1 to 3", "4. Apparatus according to claim1",
    "5. The polymer as claimed in any one of claims 1 and 2 to 3", "6. A method according to any preceding claim",
    "7. Method according to one or more of the previous claims", "8. Vorrichtung nach Anspruch 1",
    "9. Dispositif selon la revendication 2", "2.根据权利要求1所述的无人机", "3.如权利要求1-3任一项所述的装置",
    "4.如前述任一项权利要求所述的方法", "2. 請求項1に記載の装置",
])
def test_references_to_other_claims(text):
    assert refers_to_claim(pa.array([text])).tolist() == [True]


@pytest.mark.parametrize("text", [
    "1. A claim holder for insurance forms", "1. The claimed invention comprises a rotor",
    "1. A method comprising repeating the above steps", "1.一种无人机，包括机身",
])
def test_no_reference(text):
    assert refers_to_claim(pa.array([text])).tolist() == [False]


def test_word_and_han_counts():
    assert count_words(pa.array(["(a) a lanyard ; anti-lock — 10% (Mw/Mn)", "", None])).tolist() == [6, 0, 0]
    # Unicode letters are letters; a text ending in punctuation does not run into the next one
    texts = ["Устройство для — измерения ±", "α-олефин", "“quoted” — …", "一种 无人机", "—", "a", "±"]
    assert count_words(pa.array(texts)).tolist() == [3, 1, 1, 2, 0, 1, 0]
    assert count_words(pa.array(texts)).tolist() == [len([w for w in t.split() if any(c.isalnum() for c in w)]) for t in texts]
    # 一种无人机包括机身和四个机臂: 14 Han characters; Latin letters and punctuation are not counted
    assert count_han(pa.array(["一种无人机，包括机身和四个机臂。", "一种基于LTE的方法"])).tolist() == [14, 7]


def test_segmentation_rules():
    t = split_claims([
        "What is claimed is: 1. A drone with arms of 1.5 mm. 2. The drone as in claim 1. 3. The drone of claim 2.",
        "１．一种云台，包括电机。\n２．如权利要求１所述的云台。",
        "1、一种机臂。2、根据权利要求1所述的机臂。",
        "A lone claim without a number.",
        None,
    ])
    rows = t.to_pylist()
    assert [(r["doc"], r["number"]) for r in rows] == [(0, 1), (0, 2), (0, 3), (1, 1), (1, 2), (2, 1), (2, 2), (3, 1)]
    assert [r["words"] for r in rows if r["doc"] == 0] == [7, 6, 5]  # "1.5" one word; "claim 1." kept in claim 2
    assert [r["refers"] for r in rows if r["doc"] == 0] == [False, True, True]
    assert [r["han"] for r in rows if r["doc"] == 1] == [8, 10]  # 一种云台包括电机; 如权利要求所述的云台
    assert rows[-1]["words"] == 6


def test_coverage_first_and_independent():
    t = split_claims(["1. A drone. 2. The drone of claim 1.", "1. A drone. 7. A method. 12. A system."],
                     coverage=["first", "independent"])
    assert [(r["doc"], r["number"]) for r in t.to_pylist()] == [(0, 1), (1, 1), (1, 7), (1, 12)]
    assert t.to_pylist()[0]["words"] == 8  # the whole text is claim 1


def test_cn_export_claims_and_agents():
    c = patentnav.read(DATA / "cn-export" / "claims_agents_utf8.csv")
    r = {x["publication_number"]: x for x in c.table.to_pylist()}
    assert r["CN-115000001-A"]["agents"] == ["深圳市赛恩倍吉知识产权代理有限公司", "王宝筠", "李娜"]  # agency code 44334 removed
    assert r["CN-115000002-B"]["agents"] == ["北京集佳知识产权代理有限公司", "张三", "李四"]
    assert [r[p]["claims_coverage"] for p in ("CN-115000001-A", "CN-216000001-U", "CN-306000001-S")] == ["all", "first", None]
    ci = claim_indicators(c).set_index("publication_number")
    # hand counts of Han characters: 一种无人机包括机身和四个机臂 (14); 一种云台包括电机 (8);
    # 一种无人机机臂其特征在于包括碳纤维管 (18); claim 4 一种无人机的控制方法包括获取姿态数据根据所述姿态数据控制电机 (30)
    assert ci.loc["CN-115000001-A", ["independent_claims", "dependent_claims", "first_claim_words",
                                     "shortest_independent_claim_words"]].tolist() == [2, 2, 14, 14]
    assert ci.loc["CN-115000002-B", ["independent_claims", "first_claim_words"]].tolist() == [1, 8]
    u = ci.loc["CN-216000001-U"]  # 主权项 only: length yes, counts no
    assert u["first_claim_words"] == 18 and u["total_claims"] == 6 and pd.isna(u["independent_claims"])
    assert ci.loc["CN-306000001-S"].drop(["claims_coverage", "claim_length_unit"]).isna().all()  # design
    assert (ci["claim_length_unit"].dropna() == "han").all()


def test_patentsview_claims_and_attorneys():
    c = patentnav.read(DATA / "patentsview")
    r = {x["source_id"]: x for x in c.table.to_pylist()}
    assert r["10000005"]["claims"].splitlines()[1] == "2. The fastening device of claim 1, wherein the latch has a hook at its free end."
    assert r["10000005"]["dependent_claim_numbers"] == [2, 3] and r["10000005"]["claims_coverage"] == "all"
    assert r["10000001"]["agents"] == ["Oblon, McClelland, Maier & Neustadt, L.L.P.", "Kenji Sato"]  # by attorney_sequence
    assert r["11000001"]["agents"] == ["北京集佳知识产权代理有限公司"]
    ci = claim_indicators(c).set_index("publication_number")
    a = ci.loc["US-10000005-B2"]  # counted by hand: claim 1 has 19 words, claim 4 (independent) 14
    assert [a["independent_claims"], a["dependent_claims"], a["first_claim_words"], a["shortest_independent_claim_words"]] == [2, 2, 19, 14]
    b = ci.loc["US-11000001-B1"]  # 2 claim rows but num_claims 8: no counts, claim 1 still measured (15 words)
    assert pd.isna(b["independent_claims"]) and b["first_claim_words"] == 15 and b["total_claims"] == 8
    assert "differ from claims_count" in ci.attrs["availability"]["independent_claims"]


def test_uspto_agents(xml_corpus):
    r = {x["publication_number"]: x["agents"] for x in xml_corpus.table.select(["publication_number", "agents"]).to_pylist()}
    assert r["US-6836899-B1"] == ["Wilkinson, Charles A."]
    assert r["US-6837063-B1"] == ["Baker Botts L.L.P."]
    assert sum(len(v) for v in r.values()) == 505  # every <agent> element of the ten files


def test_round_trips_keep_claims_and_agents(xml_corpus, tmp_path):
    c = xml_corpus
    assert Corpus.from_pandas(c.to_pandas()).table.equals(c.table)
    c.to_parquet(tmp_path / "c.parquet")
    assert patentnav.read(tmp_path / "c.parquet").table.equals(c.table)
    write_jsonl(c, tmp_path / "c.jsonl")
    back = patentnav.read(tmp_path / "c.jsonl").table
    for col in ("agents", "claims", "claims_coverage", "dependent_claim_numbers"):
        assert back[col].to_pylist() == c.table[col].to_pylist(), col
    twice = Corpus.concat([c, c])  # merging keeps one copy of each list
    assert twice.table["dependent_claim_numbers"].to_pylist() == c.table["dependent_claim_numbers"].to_pylist()


def test_bad_markup_values_are_reported(tmp_path):
    p = tmp_path / "x.jsonl"
    p.write_text('{"publication_number": "US-1-B2", "claims": "1. A.", "claims_coverage": "most", "dependent_claim_numbers": ["2", "x"]}\n',
                 encoding="utf-8")
    c = patentnav.read(p)
    row = c.table.to_pylist()[0]
    assert row["claims_coverage"] == "all" and row["dependent_claim_numbers"] == [2]
    reasons = sorted(w.reason for w in c.report.warnings)
    assert reasons == ["not a claim number; dropped", "not one of all, independent, first; read as all"]


def test_chunking_does_not_change_the_result(xml_corpus, ci):
    small = claim_indicators(xml_corpus, chunk_size=7).set_index("publication_number")
    pd.testing.assert_frame_equal(small, ci)


def _han(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x4DBF or 0x4E00 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from(list("ab1 ;—,.(\u3000\t\n") + ["α", "д", "无", "人", "，", "𠀀", "😀", "±", "Ⅳ"]),
                        max_size=30), min_size=1, max_size=8))
def test_word_and_han_counts_match_a_python_reference(texts):
    import re as _re

    words = [sum(1 for w in _re.split(r"[\x00-\x20]+", t) if any(c.isalnum() for c in w)) for t in texts]
    assert count_words(pa.array(texts)).tolist() == words
    assert count_han(pa.array(texts)).tolist() == [sum(_han(c) for c in t) for t in texts]
