"""Cross-lingual relevance: the gloss (lexical) channel, the dense channel, fusion and the
evidence rule (issue 11)."""

import socket

import numpy as np
import pytest

from conftest import corpus_from_rows as _corpus
from patentnav.warning import gloss
from patentnav.warning.relevance import RRF_K, RelevanceIndex, rrf


EN = _corpus([
    {"publication_number": "US-1-A", "title": "Camera gimbal with three axis stabilization"},
    {"publication_number": "US-2-A", "title": "Foldable drone arm locking mechanism"},
    {"publication_number": "US-3-A", "title": "Obstacle avoidance for unmanned aerial vehicles using stereo vision"},
    {"publication_number": "US-4-A", "title": "Wireless charging pad for electric vehicles"},
    {"publication_number": "US-5-A", "title": "Inverter circuit board with a cooling housing"},
])
ZH = _corpus([
    {"publication_number": "CN-1-A", "title": "一种三轴云台相机增稳装置"},
    {"publication_number": "CN-2-A", "title": "可折叠无人机机臂锁定结构"},
    {"publication_number": "CN-3-A", "title": "基于双目视觉的无人机避障方法"},
    {"publication_number": "CN-4-A", "title": "电动汽车无线充电装置"},
])


# --- lexicon --------------------------------------------------------------------------------
def test_supplement_glosses_patent_terms_cedict_lacks():
    lex = gloss.lexicon()
    for zh, en in [("云台", ("gimbal",)), ("飞控", ("flight", "controller")), ("图传", ("video", "transmission")),
                   ("壳体", ("housing",)), ("逆变器", ("inverter",)), ("充电桩", ("charging", "pile")),
                   ("无线充电", ("wireless", "charging")), ("控制器", ("controller",)), ("电路板", ("circuit", "board"))]:
        assert lex.source[zh] == "supplement"
        assert lex.zh2en[zh][0] == en, zh


def test_cedict_senses_are_cleaned():
    lex = gloss.lexicon()
    assert lex.source["打印机"] == "cedict" and ("printer",) in lex.zh2en["打印机"]
    assert gloss.clean_sense("CL:個|个[ge4]") == () and gloss.clean_sense("surname Wang") == ()
    assert gloss.clean_sense("variant of 台[tai2]") == ()
    assert gloss.clean_sense(" folding (bicycle, antenna, bed etc)") == ("folding",)
    assert gloss.clean_sense("an explanation that is far too long to be a gloss") == ()
    assert all(len(s) <= gloss.MAX_SENSE_WORDS for senses in lex.zh2en.values() for s in senses)


def test_claim_boilerplate_is_never_glossed():
    units = gloss.gloss_units("一种无人机，其特征在于，包括：所述机臂")
    assert [u.source for u in units] == ["无人机", "机臂"]
    assert {"所述", "其特征在于", "一种", "权利要求"} <= gloss.boilerplate()


def test_inverse_mapping_en_to_zh():
    units = {u.source: u.alternatives for u in gloss.gloss_units("gimbal obstacle avoidance unmanned aerial vehicle")}
    assert ("云台",) in units["gimbal"] and units["obstacle avoidance"] == (("避障",),)
    assert ("无人机",) in units["unmanned aerial vehicle"]  # the longest phrase wins over its words


def test_unknown_words_are_split_into_known_ones():
    assert gloss.lexicon().split("机臂锁定") == ["机臂", "锁定"]


def test_cache_is_written_and_reused(tmp_path, monkeypatch):
    monkeypatch.setenv("PATENTNAV_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(gloss, "_cached", None)
    a = gloss.lexicon()
    files = list(tmp_path.glob("gloss-*.json.gz"))
    assert len(files) == 1
    monkeypatch.setattr(gloss, "_build", lambda: pytest.fail("rebuilt although cached"))
    monkeypatch.setattr(gloss, "_cached", None)
    assert gloss.lexicon().zh2en["云台"] == a.zh2en["云台"]
    monkeypatch.setattr(gloss, "_cached", None)


def test_inflections():
    assert gloss.inflections("clean")[:3] == ("clean", "cleaning", "cleaned")
    assert gloss.inflections("云台") == ("云台",)


# --- the gloss channel in the index -------------------------------------------------------
def test_chinese_query_finds_english_patents_with_bilingual_evidence():
    idx = RelevanceIndex.build(EN)
    r = idx.query(["三轴云台相机增稳"], dense=False)
    top = r.iloc[0]
    assert top.publication_number == "US-1-A"
    assert {"三轴云台 → axis gimbal", "相机 → camera"} <= set(top.matched_glosses)
    assert top.channels == ["gloss"] and top.reads_on > 0.5
    assert idx.query(["可折叠机臂"], dense=False).publication_number.iloc[0] == "US-2-A"
    assert idx.query(["逆变器电路板壳体"], dense=False).publication_number.iloc[0] == "US-5-A"


def test_english_query_finds_chinese_patents():
    idx = RelevanceIndex.build(ZH)
    assert idx.language == "zh"
    r = idx.query(["foldable drone arm"], dense=False)
    assert r.publication_number.iloc[0] == "CN-2-A"
    assert "arm → 机臂" in r.matched_glosses.iloc[0]
    r = idx.query(["obstacle avoidance with stereo vision"], dense=False)
    assert r.publication_number.iloc[0] == "CN-3-A" and "obstacle avoidance → 避障" in r.matched_glosses.iloc[0]


def test_unit_score_is_the_best_alternative_with_partial_credit():
    """s_unit(d) = max over alternatives of sum_t w(d,t) * (terms present) / |alt| (oracle)."""
    idx = RelevanceIndex.build(EN)
    plan = idx.plan(["无人机"])
    U = idx.unit_scores(plan).toarray()[:, 0]
    W = idx.weights.toarray()
    expect = np.zeros(len(idx))
    for _, alts in plan.rows[0].units:
        for alt, cols, n in alts:
            s = W[:, cols].sum(axis=1) * (W[:, cols] > 0).sum(axis=1) / n
            expect = np.maximum(expect, s)
    np.testing.assert_allclose(U, expect)
    assert U[2] > 0  # "unmanned aerial vehicle" fully present in US-3
    assert U[3] > 0 and U[3] < U[2]  # "vehicle" alone: partial credit only


def test_a_feature_in_both_languages_is_not_counted_twice():
    idx = RelevanceIndex.build(EN)
    assert idx.plan(["云台 gimbal"]).rows[0].units == []
    S1, _, _ = idx.text_scores(["gimbal"])
    S2, _, _ = idx.text_scores(["云台 gimbal"])
    np.testing.assert_allclose(S1, S2)


# --- fusion ------------------------------------------------------------------------------------
def test_rrf_against_the_definition():
    a = np.array([0.9, 0.5, 0.0, 0.5])
    b = np.array([0.0, 0.2, 0.7, 0.1])
    got = rrf([a, b], 4)
    # ranks: a -> d0 1, d1 2 (tie with d3), d3 2; b -> d2 1, d1 2, d3 3
    expect = [1 / (RRF_K + 1), 1 / (RRF_K + 2) + 1 / (RRF_K + 2), 1 / (RRF_K + 1), 1 / (RRF_K + 2) + 1 / (RRF_K + 3)]
    np.testing.assert_allclose(got, expect)
    assert rrf([a], 4, depth=1).tolist() == [1 / (RRF_K + 1), 0, 0, 0]


def test_fusion_options():
    idx = RelevanceIndex.build(EN)
    with pytest.raises(ValueError, match="fusion"):
        idx.query(["gimbal"], fusion="max")
    lin = idx.query(["gimbal camera"], fusion="linear")
    assert (lin.dense_score == 0).all()


# --- dense channel ---------------------------------------------------------------------------
@pytest.fixture
def no_network(monkeypatch):
    def refuse(*a, **k):
        raise AssertionError("network access attempted")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_dense_encoder_works_without_network(no_network, monkeypatch):
    from patentnav.warning import dense

    monkeypatch.setattr(dense, "_model", None)  # load the weights with sockets disabled
    v = dense.encode(["三轴云台相机", "three-axis camera gimbal", "wireless charging pad", ""])
    assert v.shape == (4, dense.DIM) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v[:3], axis=1), 1.0, atol=1e-4)
    assert not v[3].any()  # empty text: zero vector
    assert v[0] @ v[1] > v[0] @ v[2]  # a translation is closer than an unrelated text


def test_dense_channel_ranks_a_shortlist_and_never_grades(no_network):
    idx = RelevanceIndex.build(EN)
    r = idx.query(["三轴云台相机增稳"], codes=[])
    assert r.publication_number.iloc[0] == "US-1-A"
    assert r.dense_score.iloc[0] > 0.5 and "dense" in r.channels.iloc[0]
    # a document found by meaning only has no relevance
    meaning_only = r[(r.text_score == 0) & (r.dense_score > 0)]
    assert (meaning_only.relevance == 0).all()


def test_embed_all_scores_every_document():
    idx = RelevanceIndex.build(EN).embed_all()
    assert idx._all_vectors.shape == (5, 512)
    d = idx.dense_scores(idx.plan(["无线充电"]), np.arange(5))
    assert int(np.argmax(d)) == 3


def test_a_match_is_listed_once_per_feature():
    """Two keywords that gloss to the same word (无人机, 航拍无人机 -> uav) list that match once."""
    res = RelevanceIndex.build(EN).query(["无人机航拍"], keywords=["无人机", "航拍无人机"], top=10, dense=False)
    assert len(res)
    for feats in res["matched_features"]:
        for _, terms in feats:
            assert len(terms) == len(set(terms))
