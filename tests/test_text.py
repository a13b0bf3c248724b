"""Tokenisation, stop words, document-term matrices, TF-IDF and c-TF-IDF (patentnav.text)."""

from __future__ import annotations

import random

import numpy as np
import pyarrow as pa
import pytest
import scipy.sparse as sp

from patentnav import text as T
from patentnav.text import (
    Vocabulary,
    class_term_counts,
    class_tfidf,
    detect_language,
    document_term_matrix,
    stem,
    stopwords,
    tfidf,
    tokenize,
    tokenize_many,
)


# --- Chinese ------------------------------------------------------------------------------------
def test_chinese_title():
    toks = tokenize("一种无人机的控制方法")
    assert "无人机" in toks and "控制" in toks
    assert "一种" not in toks and "方法" not in toks and "的" not in toks


def test_chinese_boilerplate_and_mixed_script():
    toks = tokenize("一种无人机，其特征在于，包括：设置ＧＰＳ模块用于获取位置信息以及飞行控制器，所述电池 batteries")
    for w in ("其特征在于", "特征在于", "在于", "包括", "设置", "用于", "以及", "所述", "模块"):
        assert w not in toks
    # 飞行控制器 is a word of the patent glossary, so jieba keeps it whole (index and queries alike)
    assert {"无人机", "gps", "位置", "信息", "飞行控制器", "电池", "battery"} <= set(toks)
    assert all(len(t) >= 2 for t in toks)


def test_chinese_tokens_at_least_two_chars_and_no_punctuation():
    toks = tokenize("本发明公开了一种用于农业植保的多旋翼无人机及其喷洒装置。")
    assert all(len(t) >= 2 for t in toks)
    assert not any(ch in "".join(toks) for ch in "，。：；、")
    assert "旋翼" in "".join(toks) and "喷洒" in toks


def test_jieba_global_tokenizer_untouched():
    import jieba

    tokenize("一种无人机，其特征在于")
    # the private tokenizer knows 其特征在于 as a word; the global default was not modified
    assert T._jieba() is not jieba.dt
    assert "其特征在于" in T._jieba().FREQ


def test_forced_language():
    assert tokenize("Drone", lang="zh") == ["drone"]  # Latin inside the Chinese path
    assert tokenize("无人机 drone", lang="en") == ["无人机", "drone"]  # no segmentation
    with pytest.raises(ValueError):
        tokenize("x", lang="fr")


# --- English ------------------------------------------------------------------------------------
def test_english_rules():
    toks = tokenize("A method and system for controlling a plurality of unmanned aerial vehicles (UAVs), "
                    "wherein said first drone comprises 2 batteries; take-off in 2016 with 3D/5G.")
    assert toks == ["controlling", "unmanned", "aerial", "vehicle", "uav", "drone", "battery", "take", "3d", "5g"]


def test_english_empty_and_none():
    assert tokenize(None) == [] and tokenize("") == [] and tokenize("the of and") == []


@pytest.mark.parametrize("word,expected", [
    ("drones", "drone"), ("vehicles", "vehicle"), ("batteries", "battery"), ("processes", "process"),
    ("addresses", "address"), ("switches", "switch"), ("boxes", "box"), ("meshes", "mesh"),
    ("images", "image"), ("uses", "use"), ("keys", "key"),
    ("glass", "glass"), ("status", "status"), ("analysis", "analysis"), ("avionics", "avionics"),
    ("lens", "lens"), ("gas", "gas"), ("series", "series"), ("ties", "ties"), ("gps", "gps"), ("bus", "bus"),
])
def test_stemmer(word, expected):
    assert stem(word) == expected


def test_stem_option_and_custom_stopwords():
    assert tokenize("drones batteries", stem=False) == ["drones", "batteries"]
    assert tokenize("the drone system", stopwords=False) == ["the", "drone", "system"]
    assert tokenize("the drone system", stopwords=stopwords() | {"drone"}) == []


def test_detect_language():
    assert detect_language("一种无人机") == "zh"
    assert detect_language("Drone 𠀀") == "zh"  # extension B
    assert detect_language("Café drone") == "en"
    assert detect_language(None) == "en" and detect_language("") == "en"


# --- stop word files ------------------------------------------------------------------------------
def test_stopword_lists():
    en, zh = stopwords("en"), stopwords("zh")
    assert {"method", "system", "apparatus", "device", "wherein", "said", "comprising", "first", "second",
            "plurality", "configured", "unit", "module", "the", "and"} <= en
    assert {"的", "一种", "方法", "装置", "系统", "所述", "其特征在于", "包括", "设置", "用于", "以及"} <= zh
    # technical content words stay
    assert not {"control", "vehicle", "image", "sensor", "fire", "top", "bottom", "front", "camera"} & en
    assert not {"控制", "图像", "飞行", "传感器", "无人机"} & zh
    assert stopwords() == en | zh


def test_stopword_files_document_their_sources():
    from importlib import resources

    for name in ("stopwords_en.txt", "stopwords_zh.txt"):
        head = resources.files("patentnav.data").joinpath(name).read_text(encoding="utf-8")[:3000]
        assert "Source" in head or "source" in head
    en_head = resources.files("patentnav.data").joinpath("stopwords_en.txt").read_text(encoding="utf-8")[:3000]
    assert "Glasgow" in en_head and "boilerplate" in en_head


# --- tokenize_many ---------------------------------------------------------------------------------
def _mixed_sample(drones, n=1500):
    titles = drones["title"].to_pylist()[:n]
    extra = ["一种无人机的控制方法", "基于ＧＰＳ的无人机定位系统及方法", None, "", "  ", "Café naïve façade — ＵＡＶ１２",
             "μ-controller for α-β filters", "take_off_speed drone_s", "Ärzte-Drohnen über Städten", "İstanbul",
             "3,5-dimethyl 1.5 mm 10%", "一种无人机的控制方法", "ドローンの制御", "무인기 제어", "x\u00a0y drone\u3000系统"]
    return titles + extra


def test_tokenize_many_equals_tokenize(drones):
    texts = _mixed_sample(drones)
    assert tokenize_many(texts) == [tokenize(t) for t in texts]
    assert tokenize_many(pa.array(texts)) == [tokenize(t) for t in texts]
    assert tokenize_many(texts, lang="en") == [tokenize(t, lang="en") for t in texts]
    assert tokenize_many(texts, stem=False, stopwords=False) == [tokenize(t, stem=False, stopwords=False) for t in texts]


def test_tokenize_many_random_unicode():
    rng = random.Random(7)
    alphabet = "abcXYZ019 -_,.;:()/\u00e9\u00df\u0130\u00a0\u3000\uff21\uff11\u00b2\u2163\u4e00\u65e0\u4eba\u673a"
    texts = ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(400)]
    assert tokenize_many(texts) == [tokenize(t) for t in texts]


@pytest.mark.parametrize("block", [1, 7, 64])
def test_tokenize_many_in_blocks(drones, monkeypatch, block):
    """English texts are split in blocks of ``_EN_BLOCK`` texts: the tokens (order, multi-token
    chunks such as ``take-off``, blocks without any token) are those of :func:`tokenize`."""
    texts = _mixed_sample(drones, 300) + ["the of and", None, "take-off/landing gear-boxes", "a"] * 5
    rng = random.Random(3)
    alphabet = "abc01 -_,.;:()/\u00e9\u00df\uff21\uff11"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30))) for _ in range(200)]
    monkeypatch.setattr(T, "_EN_BLOCK", block)
    assert tokenize_many(texts) == [tokenize(t) for t in texts]
    assert tokenize_many(texts, lang="en") == [tokenize(t, lang="en") for t in texts]


@pytest.mark.parametrize("seed", range(5))
def test_repeat_tokens_equals_python_lists(seed):
    """Tokens carried from distinct values to items equal the list definition."""
    rng = np.random.default_rng(seed)
    n_distinct = int(rng.integers(1, 30))
    per = [list(rng.integers(0, 50, int(rng.integers(0, 2 if seed % 2 else 4)))) for _ in range(n_distinct)]
    rows = np.repeat(np.arange(n_distinct), [len(p) for p in per])
    codes = np.asarray([c for p in per for c in p], dtype=np.int64)
    which = rng.integers(-1, n_distinct, 200)
    items, got = T._repeat_tokens(rows, codes, n_distinct, which)
    ref = [(i, c) for i, w in enumerate(which) if w >= 0 for c in per[w]]
    assert list(zip(items.tolist(), got.tolist())) == ref


def test_tokenize_many_lists_are_not_shared():
    out = tokenize_many(["drone camera", "drone camera"])
    out[0].append("x")
    assert out[1] == ["drone", "camera"]


def test_tokenize_many_parallel_chinese(monkeypatch):
    base = ["一种无人机的控制方法", "一种多旋翼飞行器的电池更换装置", "基于图像识别的农业植保无人机"]
    texts = [f"{b}{i}号" for i in range(60) for b in base]
    serial = tokenize_many(texts)
    monkeypatch.setattr(T, "_PARALLEL_MIN", 10)
    assert tokenize_many(texts, workers=2) == serial


# --- document-term matrices ---------------------------------------------------------------------------
def test_document_term_matrix_basic():
    m, terms = document_term_matrix(["Drone camera and drone gimbal", None, "Camera lens", "一种无人机云台"])
    assert terms.tolist() == ["camera", "drone", "gimbal", "lens", "云台", "无人机"]
    assert m.dtype == np.int32 and sp.isspmatrix_csr(m)
    assert m.toarray().tolist() == [[1, 2, 1, 0, 0, 0], [0] * 6, [1, 0, 0, 1, 0, 0], [0, 0, 0, 0, 1, 1]]


def test_document_term_matrix_filters():
    docs = ["drone camera", "drone lens", "drone gimbal camera", "battery"]
    m, terms = document_term_matrix(docs, min_df=2)
    assert terms.tolist() == ["camera", "drone"]
    m, terms = document_term_matrix(docs, max_df=0.5)
    assert terms.tolist() == ["battery", "camera", "gimbal", "lens"]
    m, terms = document_term_matrix(docs, max_terms=2)
    assert terms.tolist() == ["camera", "drone"]
    m, terms = document_term_matrix(docs, binary=True)
    assert m.max() == 1


def test_document_term_matrix_same_as_tokens(drones):
    texts = _mixed_sample(drones)
    m1, t1 = document_term_matrix(texts)
    m2, t2 = document_term_matrix(tokenize_many(texts))
    assert t1.tolist() == t2.tolist()
    assert (m1 != m2).nnz == 0
    # row sums are the token counts
    assert np.asarray(m1.sum(axis=1)).ravel().tolist() == [len(t) for t in tokenize_many(texts)]


def test_vocabulary_transform():
    v = Vocabulary().fit(["drone camera", "drone battery"])
    assert len(v) == 3 and "drone" in v and v.index("drone") == 2
    m = v.transform(["camera camera lens", None, "一种无人机"])
    assert m.shape == (3, 3) and m.toarray().tolist() == [[0, 2, 0], [0, 0, 0], [0, 0, 0]]
    with pytest.raises(RuntimeError):
        Vocabulary().transform(["x"])


# --- TF-IDF and c-TF-IDF ---------------------------------------------------------------------------
def test_tfidf_matches_sklearn():
    skl = pytest.importorskip("sklearn.feature_extraction.text")
    rng = np.random.default_rng(0)
    counts = sp.csr_matrix(rng.poisson(0.6, size=(30, 12)))
    for smooth in (True, False):
        for sub in (True, False):
            ref = skl.TfidfTransformer(smooth_idf=smooth, sublinear_tf=sub).fit_transform(counts)
            np.testing.assert_allclose(tfidf(counts, smooth=smooth, sublinear=sub).toarray(), ref.toarray(), atol=1e-12)


def test_class_tfidf_hand_computed():
    # two classes over terms (a, b, c): class 0 = a a b b, class 1 = b b c c c c
    X = sp.csr_matrix([[2, 2, 0], [0, 2, 4]])
    # f = (2, 4, 4); A = 10 / 2 = 5; idf = log(1 + 5/f) = (log 3.5, log 2.25, log 2.25)
    raw = class_tfidf(X, normalize=False).toarray()
    np.testing.assert_allclose(raw, [[2 * np.log(3.5), 2 * np.log(2.25), 0], [0, 2 * np.log(2.25), 4 * np.log(2.25)]])
    # BERTopic form: tf L1-normalised per class
    w = class_tfidf(X).toarray()
    np.testing.assert_allclose(w, [[0.5 * np.log(3.5), 0.5 * np.log(2.25), 0], [0, np.log(2.25) / 3, 2 * np.log(2.25) / 3]])
    # the class-specific term ranks first in each class
    assert w[0].argmax() == 0 and w[1].argmax() == 2


def test_class_term_counts_ignores_unassigned():
    counts = sp.csr_matrix([[1, 0], [0, 2], [3, 3], [1, 1]])
    cc = class_term_counts(counts, np.array([0, 1, -1, 0]))
    assert cc.toarray().tolist() == [[2, 1], [0, 2]]
