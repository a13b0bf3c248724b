"""Tests of patentnav.warning.relevance (BM25 + code relevance index)."""

import math
from collections import Counter

import numpy as np
import pyarrow as pa
import pytest

import patentnav
from conftest import corpus_from_rows as _corpus
from patentnav.text import tokenize
from patentnav.warning.relevance import B, K1, RelevanceIndex


@pytest.fixture(scope="module")
def small():
    return _corpus([
        {"publication_number": "US-1-A", "title": "Drone battery swapping station",
         "abstract": "A station replaces the battery of an unmanned aerial vehicle automatically.",
         "ipc": ["B64F1/36"], "cpc": ["B60L53/80"]},
        {"publication_number": "US-2-A", "title": "Camera gimbal stabilisation",
         "abstract": "A three-axis gimbal stabilises a camera carried by an aircraft.",
         "ipc": ["F16M11/12"], "cpc": ["G03B15/006"]},
        {"publication_number": "US-3-A", "title": "Obstacle avoidance using lidar",
         "abstract": "A lidar sensor detects obstacles in the flight path of a drone.",
         "ipc": ["G05D1/10", "G01S17/93"]},
        {"publication_number": "US-4-A", "title": "Agricultural spraying drone",
         "abstract": "A drone sprays pesticide over crops using a pump and nozzles.",
         "ipc": ["A01M7/00", "B64D1/18"]},
        {"publication_number": "US-5-A", "title": "Battery charging for electric vehicles",
         "abstract": "A charger supplies current to the battery of an electric car.",
         "ipc": ["B60L53/10"], "cpc": ["B60L53/80"]},
        {"publication_number": "US-6-A", "title": "Wireless communication in cellular networks",
         "abstract": "Resource allocation for a base station.", "ipc": ["H04W72/04"]},
    ])


# --- BM25 against a brute-force oracle --------------------------------------------------------
def _oracle(docs_tokens, query_tokens, k1=K1, b=B):
    n = len(docs_tokens)
    avgdl = sum(len(d) for d in docs_tokens) / n
    df = Counter(t for d in docs_tokens for t in set(d))
    out = []
    for d in docs_tokens:
        tf = Counter(d)
        s = 0.0
        for t in set(query_tokens):
            if tf[t] == 0:
                continue
            idf = math.log(1 + (n - df[t] + 0.5) / (df[t] + 0.5))
            s += idf * tf[t] * (k1 + 1) / (tf[t] + k1 * (1 - b + b * len(d) / avgdl))
        out.append(s)
    return np.array(out)


def test_bm25_matches_bruteforce_oracle(small):
    idx = RelevanceIndex.build(small)
    t = small.table.to_pandas()
    texts = [f"{a}\n{b}" for a, b in zip(t.title, t.abstract)]
    docs_tokens = [tokenize(x) for x in texts]
    for q in ["drone battery", "battery battery charger station", "camera gimbal lidar drone", "nothing here"]:
        S, _, _ = idx.text_scores([q])
        np.testing.assert_allclose(S[:, 0], _oracle(docs_tokens, tokenize(q)), rtol=1e-12, atol=1e-12)


def test_bm25_oracle_other_parameters(small):
    idx = RelevanceIndex.build(small, fields=("title",), k1=2.0, b=0.3)
    docs_tokens = [tokenize(x) for x in small.table["title"].to_pylist()]
    S, _, _ = idx.text_scores(["drone battery charging"])
    np.testing.assert_allclose(S[:, 0], _oracle(docs_tokens, tokenize("drone battery charging"), 2.0, 0.3))


# --- self retrieval ---------------------------------------------------------------------------
def test_own_title_and_abstract_ranks_first(small):
    idx = RelevanceIndex.build(small)
    t = small.table.to_pandas()
    for i in range(len(t)):
        r = idx.query([t.title[i], t.abstract[i]], top=5)
        assert r.publication_number.iloc[0] == t.publication_number[i]


@pytest.fixture(scope="module")
def drones():
    return patentnav.datasets.drones()


def test_drones_own_title_retrieval(drones):
    idx = RelevanceIndex.build(drones)
    df = drones.to_pandas()
    counts = df.title.map(df.title.value_counts())
    distinct = np.flatnonzero(df.title.notna().to_numpy() & (counts == 1).to_numpy())
    pick = np.random.default_rng(0).choice(distinct, 50, replace=False)
    ranks = []
    for i in pick:
        r = idx.query([df.title[i]], top=10).publication_number.tolist()
        ranks.append(r.index(df.publication_number[i]) + 1 if df.publication_number[i] in r else np.inf)
    ranks = np.array(ranks)
    p_at_1, r_at_3, r_at_10 = (ranks == 1).mean(), (ranks <= 3).mean(), (ranks <= 10).mean()
    # measured (seed 0): precision@1 = 0.96, recall@3 = 1.00, recall@10 = 1.00
    assert p_at_1 >= 0.94
    assert r_at_3 >= 0.98
    assert r_at_10 == 1.0


# --- codes and Chinese text -------------------------------------------------------------------
def test_chinese_features_match_english_documents_by_gloss_and_code(small):
    idx = RelevanceIndex.build(small)
    r = idx.query(["一种无人机电池自动更换站"], codes=["B64F 1/36"])
    top = r.iloc[0]
    assert top.publication_number == "US-1-A"
    assert top.text_score == pytest.approx(1.0)  # 无人机 -> drone, 电池 -> battery, 更换 -> replace
    assert top.code_score == pytest.approx(1.0) and top.matched_codes == ["B64F1/36"]
    assert {"无人机 → drone", "电池 → battery"} <= set(top.matched_glosses)
    assert {"battery", "drone"} <= set(top.matched_terms)
    assert {"gloss", "code"} <= set(top.channels) and "lexical" not in top.channels
    assert top.reads_on > 0 and top.relevance > 0
    # CPC codes count too, and levels: B60L53/80 (subgroup) in US-1 and US-5 (CPC)
    r = idx.query(["电池"], codes=["B60L53/80"], fusion="linear")
    assert set(r.publication_number) == {"US-1-A", "US-5-A"}
    np.testing.assert_allclose(r.code_score, 1.0)


def test_text_that_matches_nothing_gives_no_relevance_from_codes(small):
    """The evidence rule: codes rank and find documents, but without a shared term (in either
    language) the absolute relevance is 0."""
    idx = RelevanceIndex.build(small)
    r = idx.query(["齉齾"], codes=["B64F 1/36"])
    assert r.publication_number.iloc[0] == "US-1-A"
    assert r.text_score.iloc[0] == 0 and r.code_score.iloc[0] == pytest.approx(1.0)
    assert r.relevance.iloc[0] == 0 and r.reads_on.iloc[0] == 0
    assert r.channels.iloc[0] == ["code"]
    assert idx.plan(["齉齾"]).terms_in_vocabulary() == 0


def test_code_levels_weights(small):
    idx = RelevanceIndex.build(small)
    # B60L53/99: no subgroup match; main group B60L53/00 and subclass B60L match US-1 (cpc) and US-5
    r = idx.query([], codes=["B60L53/99"])
    assert set(r.publication_number) == {"US-1-A", "US-5-A"}
    assert r.code_score.iloc[0] == pytest.approx((0.6 + 0.3) / 1.9)
    assert r.matched_codes.iloc[0] == ["B60L53/00"]
    # subclass only: B64D matches US-4 at subclass level -> full score for that level
    r = idx.query([], codes=["B64D"])
    assert r.publication_number.tolist() == ["US-4-A"]
    assert r.code_score.iloc[0] == pytest.approx(1.0)
    assert r.matched_codes.iloc[0] == ["B64D"]


def test_bilingual_keywords(small):
    idx = RelevanceIndex.build(small)
    r = idx.query(["一种植保无人机"], keywords=["无人机", "drone", "spraying"])
    assert r.publication_number.iloc[0] == "US-4-A"
    # the Chinese feature matches through its gloss; "drone" in the keywords is not counted twice
    assert r.matched_features.iloc[0] == [(0, ["无人机 → drone"]), (-1, ["drone", "spraying"])]
    assert r.matched_glosses.iloc[0] == ["无人机 → drone"]
    assert set(r.publication_number[r.relevance > 0]) == {"US-1-A", "US-3-A", "US-4-A"}


def test_matched_features(small):
    idx = RelevanceIndex.build(small)
    r = idx.query(["A lidar detects obstacles", "drone battery replacement", "gimbal"], top=10)
    got = dict(zip(r.publication_number, r.matched_features))
    assert got["US-3-A"] == [(0, ["detect", "lidar", "obstacle"]), (1, ["drone"])]
    assert got["US-1-A"] == [(1, ["battery", "drone"])]
    assert got["US-2-A"] == [(2, ["gimbal"])]
    assert got["US-5-A"] == [(1, ["battery"])]
    assert "US-6-A" not in got
    terms = dict(zip(r.publication_number, r.matched_terms))
    assert terms["US-3-A"] == ["detect", "drone", "lidar", "obstacle"]
    assert set(r.columns) == {"publication_number", "text_score", "code_score", "dense_score", "score", "reads_on",
                              "code_agreement", "relevance", "matched_terms", "matched_features", "matched_codes",
                              "matched_glosses", "channels"}
    assert r.score.is_monotonic_decreasing
    assert ((r.text_score >= 0) & (r.text_score <= 1)).all()


def test_combined_score_and_empty(small):
    idx = RelevanceIndex.build(small)
    r = idx.query(["drone"], codes=["G05D1/10"], text_weight=0.7, fusion="linear")
    np.testing.assert_allclose(r.score, 0.7 * r.text_score + 0.3 * r.code_score)
    assert r.publication_number.iloc[0] == "US-3-A"
    e = idx.query(["completely unrelated words"], codes=["Z99"])
    assert len(e) == 0 and list(e.columns)[0] == "publication_number"
    with pytest.raises(ValueError):
        idx.query(["drone"], text_weight=2)


def test_reads_on_against_a_plain_oracle(small):
    """reads_on(d) = sum of idf over the document's terms that the product text contains,
    divided by the sum of idf over all the document's terms."""
    from patentnav.text import tokenize
    from patentnav.warning.relevance import CODE_AGREEMENT, SHORT_TEXT_PRIOR

    idx = RelevanceIndex.build(small)
    features = ["drone with lidar obstacle detection", "battery swap station"]
    r = idx.query(features, codes=["G05D1/10"], top=10)
    docs = small.table.to_pandas()
    toks = {p: set(tokenize(f"{t} {a}")) for p, t, a in zip(docs.publication_number, docs.title, docs.abstract)}
    n = len(toks)
    df = Counter(t for d in toks.values() for t in d)
    idf = {t: math.log(1 + (n - k + 0.5) / (k + 0.5)) for t, k in df.items()}
    query = set(tokenize(" ".join(features)))
    prior = SHORT_TEXT_PRIOR * float(np.median(list(idf.values())))
    agreement = {"US-3-A": 1.0}  # shares subgroup G05D1/10; the others share nothing with G05D
    for p, ro, rel, agree in zip(r.publication_number, r.reads_on, r.relevance, r.code_agreement):
        expect = sum(idf[t] for t in toks[p] & query) / (sum(idf[t] for t in toks[p]) + prior)
        assert ro == pytest.approx(expect, rel=1e-9), p
        assert agree == agreement.get(p, 0.0), p
        assert rel == pytest.approx(ro * (1 - CODE_AGREEMENT + CODE_AGREEMENT * agree), rel=1e-9)
    assert r.set_index("publication_number").reads_on["US-3-A"] > r.set_index("publication_number").reads_on.get("US-5-A", 0)


def test_first_claims_and_reads_on_uses_the_first_claim():
    import pyarrow as pa

    from patentnav.warning.relevance import first_claims

    got = first_claims(pa.array(["1. A drone comprising arms. 2. The drone of claim 1, wherein ...",
                                 "1.一种无人机，包括机臂。2.根据权利要求1所述的无人机",
                                 "1. A range of 4.5 km. 2. x", "1. Up to 12. units\n2) y", "no numbering"])).to_pylist()
    assert got == ["1. A drone comprising arms.", "1.一种无人机，包括机臂。", "1. A range of 4.5 km.",
                   "1. Up to 12. units", "no numbering"]
    c = _corpus([
        {"publication_number": "US-7-B1", "title": "Drone",
         "claims": "1. A drone comprising foldable arms. 2. The drone of claim 1, with a thermal camera and a winch."},
        {"publication_number": "US-8-B1", "title": "Winch", "claims": "1. A winch with a thermal camera."},
    ])
    idx = RelevanceIndex.build(c)
    r = idx.query(["drone with foldable arms"], top=5).set_index("publication_number")
    # claim 2's camera and winch do not dilute claim 1: the product reads on all of claim 1's terms
    full = idx.reads_on([0], ["drone with foldable arms thermal camera winch"])[0]
    assert r.reads_on["US-7-B1"] == pytest.approx(full, rel=1e-9)
    assert "US-8-B1" not in r.index


def test_grades_are_calibrated_on_real_claims():
    """A product described by a patent's own first claim reads on it (relevance high enough
    for the "high" grade); the same patent against another patent's claim does not
    (benchmarks/bench_risk_calibration.py measures this on all 199 grants)."""
    import glob

    from conftest import ROOT

    from patentnav import read
    from patentnav.warning.relevance import first_claims
    from patentnav.warning.risk import GRADE_THRESHOLDS

    files = sorted(glob.glob(str(ROOT / "tests" / "data" / "uspto-grant-xml" / "*.xml")))
    corpus = read(*files)
    t = corpus.table.to_pandas()
    firsts = first_claims(pa.array(t["claims"].fillna(""), pa.large_string())).to_pylist()
    ok = [i for i in range(len(t)) if t.document_type[i] == "granted_patent" and len(firsts[i].split()) >= 15
          and t.ipc[i] is not None and len(t.ipc[i])][:12]
    assert len(ok) >= 8
    idx = RelevanceIndex.build(corpus)
    need = GRADE_THRESHOLDS["high"] / (100 * 0.81)  # in force, strength 0.5, firm
    own, unrelated = [], []
    for k, i in enumerate(ok):
        parts = [p for p in firsts[i].replace(":", ";").split(";") if len(p.split()) >= 2]
        own.append(idx.relevance_of([i], parts, codes=list(t.ipc[i]))[2][0])
        j = ok[(k + 1) % len(ok)]
        other = [p for p in firsts[j].replace(":", ";").split(";") if len(p.split()) >= 2]
        unrelated.append(idx.relevance_of([i], other, codes=list(t.ipc[j]))[2][0])
    assert np.mean(np.array(own) >= need) >= 0.8
    assert max(unrelated) < 0.3
