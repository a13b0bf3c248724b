"""Tokenisation of patent titles and abstracts (English and Chinese) and sparse
document-term matrices.

Used for the term labels of technology fields (:mod:`patentnav.landscape.clusters`) and for
any other text-based analysis (e.g. relevance screening); everything here is general.

Rules (see ``docs/methods.md``, section "Text"):

* **Language** is decided per text, by script: a text holding at least one Han character
  (CJK unified ideographs, extensions A-F, compatibility ideographs) is Chinese, any other
  text English. ``lang="en"`` / ``lang="zh"`` forces one path. Japanese with kanji would
  therefore take the Chinese path; patentnav does not tokenise Japanese or Korean properly.
* Non-ASCII text is first NFKC-normalised (full-width ``ＧＰＳ１２`` -> ``GPS12``).
* **English**: lower-case; tokens are maximal runs of Unicode letters and digits (``[^\\W_]+``,
  so ``take-off`` -> ``take``, ``off``); tokens made only of digits are dropped; a light
  **plural stemmer** (below) is applied; stop words are removed (checked before and after
  stemming); tokens shorter than 2 characters are dropped.
* **Chinese**: segmented by `jieba <https://github.com/fxsjy/jieba>`_ in precise mode
  (``cut_all=False``, HMM on) with its bundled dictionary (no network; a private
  ``jieba.Tokenizer`` so the global one is untouched; ``其特征在于``, ``特征在于`` and the Chinese
  head words of the patent glossary ``data/gloss_zh_en.tsv`` are added as words). Han tokens of at least 2 characters that are not stop words are kept; Latin
  tokens inside Chinese text go through the English rules; punctuation is dropped.

**Plural stemmer** (``stem=True``, the default). A conservative variant of the "S" stemmer
of Harman (1991, *How effective is suffixing?*, JASIS 42(1): 7-15), applied to lower-case
words of more than 3 characters, first matching rule only:

1. words ending in ``ss``, ``us``, ``is``, ``ics``, and the exceptions ``lens``, ``bias``,
   ``gas``, ``chassis``, ``series``, ``species``, ``news``, ``means``, ``always``,
   ``perhaps``, ``towards``, ``whereas``, ``thus``, ``canvas``, ``atlas``, ``alias``,
   ``radius``: unchanged (``glass``, ``status``, ``analysis``, ``avionics``);
2. ``-sses`` -> ``-ss`` (``processes`` -> ``process``);
3. ``-ies`` -> ``-y`` when the word is longer than 4 characters and does not end in
   ``-eies``/``-aies`` (``batteries`` -> ``battery``);
4. ``-xes``, ``-ches``, ``-shes``, ``-zzes`` -> drop ``es`` (``boxes`` -> ``box``,
   ``switches`` -> ``switch``);
5. ``-s`` -> drop ``s`` (``drones`` -> ``drone``, ``vehicles`` -> ``vehicle``).

It only merges singular and plural forms, so the stems are readable words (no
``batteri``); verb and adjective suffixes (``-ing``, ``-ed``, ``-ly``) are left alone.

**Stop words** are the bundled lists ``data/stopwords_en.txt`` and ``data/stopwords_zh.txt``
(their headers say where every part comes from): generic function words plus patent
boilerplate (``method``, ``system``, ``wherein``, ``comprising``, ``plurality``;
``一种``, ``所述``, ``其特征在于``). Both lists apply to every text.
"""

from __future__ import annotations

import itertools
import re
import threading
import unicodedata
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

__all__ = [
    "tokenize",
    "tokenize_many",
    "token_codes",
    "detect_language",
    "stem",
    "stopwords",
    "Vocabulary",
    "document_term_matrix",
    "tfidf",
    "class_term_counts",
    "class_tfidf",
]

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]")
_WORD = re.compile(r"[^\W_]+")
_KEEP_S = frozenset("lens bias gas chassis series species news means always perhaps towards whereas thus "
                    "canvas atlas alias radius".split())
_JIEBA_WORDS = ("其特征在于", "特征在于")
#: distinct Chinese texts above which ``workers > 1`` starts processes
_PARALLEL_MIN = 2000


# --- stop words -----------------------------------------------------------------------------
def _read_list(name: str) -> frozenset[str]:
    text = resources.files("patentnav.data").joinpath(name).read_text(encoding="utf-8")
    words = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return frozenset(w.lower() for w in words if w)


@lru_cache(maxsize=None)
def _stopwords(lang: str | None) -> frozenset[str]:
    if lang == "en":
        return _read_list("stopwords_en.txt")
    if lang == "zh":
        return _read_list("stopwords_zh.txt")
    return _stopwords("en") | _stopwords("zh")


def stopwords(lang: str | None = None) -> frozenset[str]:
    """The bundled stop words: ``"en"``, ``"zh"`` or both (default).

    To extend them, pass ``stopwords=patentnav.text.stopwords() | {"drone"}`` to the
    tokenising functions.

    >>> {"wherein", "所述"} <= stopwords()
    True
    """
    if lang not in (None, "en", "zh"):
        raise ValueError(f"lang must be 'en', 'zh' or None, not {lang!r}")
    return _stopwords(lang)


# --- stemming -------------------------------------------------------------------------------
def stem(word: str) -> str:
    """The plural stemmer of this module (see the module docstring) on one lower-case word.

    >>> [stem(w) for w in ["drones", "batteries", "processes", "switches", "lens", "analysis", "gps"]]
    ['drone', 'battery', 'process', 'switch', 'lens', 'analysis', 'gps']
    """
    n = len(word)
    if n <= 3 or word[-1] != "s":
        return word
    if word.endswith(("ss", "us", "is", "ics")) or word in _KEEP_S:
        return word
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies"):
        if n > 4 and not word.endswith(("eies", "aies")):
            return word[:-3] + "y"
        return word
    if word.endswith(("xes", "ches", "shes", "zzes")):
        return word[:-2]
    return word[:-1]


# --- language and segmentation --------------------------------------------------------------
def detect_language(text: str | None) -> str:
    """``"zh"`` when the text holds a Han character, else ``"en"`` (also for empty text).

    >>> detect_language("一种无人机"), detect_language("Drone"), detect_language("GPS 定位")
    ('zh', 'en', 'zh')
    """
    if not text:
        return "en"
    return "zh" if _HAN.search(text) else "en"


def _glossary_words() -> tuple[str, ...]:
    """Chinese head words of the patent glossary ``data/gloss_zh_en.tsv`` (云台, 图传, 飞控 ...),
    added to the segmenter so that index and queries cut them the same way."""
    text = resources.files("patentnav.data").joinpath("gloss_zh_en.tsv").read_text(encoding="utf-8")
    return tuple(ln.split("\t", 1)[0].strip() for ln in text.splitlines()
                 if ln.strip() and not ln.startswith("#") and "\t" in ln)


_jieba_lock = threading.Lock()
_jieba_tok = None


def _jieba():
    """A private, initialised jieba tokenizer (bundled dictionary, quiet, no network)."""
    global _jieba_tok
    if _jieba_tok is None:
        with _jieba_lock:
            if _jieba_tok is None:
                import jieba

                jieba.setLogLevel(60)
                tok = jieba.Tokenizer()
                tok.initialize()
                for w in _JIEBA_WORDS + _glossary_words():
                    tok.add_word(w)
                _jieba_tok = tok
    return _jieba_tok


class _Normalizer:
    """Token rules for one (stem, stop set) configuration, with a per-word cache."""

    def __init__(self, do_stem: bool, stop: frozenset[str]):
        self.do_stem = do_stem
        self.stop = stop
        self.cache: dict[str, str | None] = {}

    def latin(self, w: str) -> str | None:
        """Rules for a lower-case Latin/other-script word (cached)."""
        try:
            return self.cache[w]
        except KeyError:
            pass
        out: str | None = w
        if len(w) < 2 or w.isdigit() or w in self.stop:
            out = None
        elif self.do_stem:
            s = stem(w)
            out = None if (s in self.stop or len(s) < 2) else s
        self.cache[w] = out
        return out

    def en(self, text: str) -> list[str]:
        if not text.isascii():
            text = unicodedata.normalize("NFKC", text)
        cache = self.cache
        out = []
        for w in _WORD.findall(text.lower()):
            t = cache[w] if w in cache else self.latin(w)
            if t is not None:
                out.append(t)
        return out

    def zh(self, text: str) -> list[str]:
        text = unicodedata.normalize("NFKC", text)
        out = []
        stop = self.stop
        for w in _jieba().lcut(text, cut_all=False, HMM=True):
            if _HAN.search(w):
                if len(w) >= 2 and w not in stop:
                    out.append(w)
            else:
                for part in _WORD.findall(w.lower()):
                    t = self.latin(part)
                    if t is not None:
                        out.append(t)
        return out

    def __call__(self, text, lang: str | None) -> list[str]:
        if text is None or not isinstance(text, str) or not text:
            return []
        if lang is None:
            lang = "zh" if (not text.isascii() and _HAN.search(text)) else "en"
        return self.zh(text) if lang == "zh" else self.en(text)


_normalizers: dict[tuple, _Normalizer] = {}


def _normalizer(do_stem: bool, stop_words) -> _Normalizer:
    if stop_words is None:
        key, stop = (do_stem, None), _stopwords(None)
    elif stop_words is False:
        key, stop = (do_stem, False), frozenset()
    else:
        stop = frozenset(str(w).lower() for w in stop_words)
        key = (do_stem, stop)
    nz = _normalizers.get(key)
    if nz is None:
        if len(_normalizers) > 32:  # custom stop sets: keep the cache bounded
            _normalizers.clear()
        nz = _normalizers[key] = _Normalizer(do_stem, stop)
    return nz


def _check_lang(lang):
    if lang not in (None, "en", "zh"):
        raise ValueError(f"lang must be 'en', 'zh' or None (detect per text), not {lang!r}")


def tokenize(text: str | None, lang: str | None = None, *, stem: bool = True,
             stopwords: Iterable[str] | bool | None = None) -> list[str]:
    """Tokens of one text (rules in the module docstring).

    Parameters
    ----------
    text : str or None
        None and empty text give ``[]``.
    lang : {"en", "zh"} or None
        None: detected from the script (:func:`detect_language`).
    stem : bool
        Apply the plural stemmer to English tokens.
    stopwords : iterable of str, False or None
        None: the bundled English and Chinese lists; False: none; else the words to use.

    Examples
    --------
    >>> tokenize("Unmanned aerial vehicles and methods for delivering packages")
    ['unmanned', 'aerial', 'vehicle', 'delivering', 'package']
    >>> tokenize("一种无人机的控制方法")
    ['无人机', '控制']
    """
    _check_lang(lang)
    return _normalizer(stem, stopwords)(text, lang)


def _as_list(texts) -> list:
    if hasattr(texts, "to_pylist"):  # pyarrow Array / ChunkedArray
        return texts.to_pylist()
    if isinstance(texts, (pd.Series, pd.Index)):
        return texts.tolist()
    if isinstance(texts, np.ndarray):
        return texts.tolist()
    return list(texts)


def _tokenize_chunk(args) -> list[list[str]]:
    texts, lang, do_stem, stop_words = args
    nz = _normalizer(do_stem, stop_words)
    return [nz(t, lang) for t in texts]


def _repeat_tokens(rows: np.ndarray, codes: np.ndarray, n_distinct: int, which: np.ndarray
                   ) -> tuple[np.ndarray, np.ndarray]:
    """Tokens of every item from those of its distinct value: item ``i`` holds, in order, the
    tokens ``(rows, codes)`` (``rows`` sorted) of distinct value ``which[i]`` (-1: none).
    Returns the item and the code of every token, in item order (integer arrays only)."""
    if len(rows) == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    n_tok = np.bincount(rows, minlength=n_distinct)
    lens = np.where(which >= 0, n_tok[which], 0)
    items = np.flatnonzero(lens)
    w = which[items]
    if n_tok.max(initial=0) <= 1:  # one token at most per value: a lookup
        first = np.zeros(n_distinct, dtype=np.int64)
        first[rows] = codes
        return items, first[w]
    lens = lens[items]
    starts = np.cumsum(n_tok) - n_tok
    out_start = np.cumsum(lens) - lens
    pos = np.repeat(starts[w] - out_start, lens) + np.arange(int(lens.sum()))
    return np.repeat(items, lens), codes[pos]


#: texts split at a time by :func:`_english_codes` (bounds the Arrow arrays held at once)
_EN_BLOCK = 1 << 17


def _chunk_tokens(chunk: str, nz: _Normalizer, ids: dict[str, int]) -> tuple[int, ...]:
    """Term ids of one whitespace-free chunk by the rules of :meth:`_Normalizer.en` (new terms
    get the next id in ``ids``)."""
    if not chunk.isascii():
        chunk = unicodedata.normalize("NFKC", chunk)
    cache, out = nz.cache, []
    for w in _WORD.findall(chunk.lower()):
        t = cache[w] if w in cache else nz.latin(w)
        if t is not None:
            j = ids.get(t)
            if j is None:
                j = ids[t] = len(ids)
            out.append(j)
    return tuple(out)


def _english_codes(arr: pa.Array, nz: _Normalizer) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Vectorised English path: (row of each token, term id of each token, terms).

    In blocks of ``_EN_BLOCK`` texts, Arrow (C++) encodes the distinct texts (the publications
    of a family repeat a title), splits them on white space and encodes the distinct chunks;
    the Python rules of :meth:`_Normalizer.en` (NFKC, lower case, letter/digit runs, stemming,
    stop words) then run once per distinct chunk (``"take-off,"`` -> ``take``, ``off``), so
    the tokens are those of :func:`tokenize` (tested). Chunks' tokens are carried to texts with
    integer arrays only (:func:`_repeat_tokens`), no list per text.
    """
    ids: dict[str, int] = {}
    memo: dict[str, tuple[int, ...]] = {}  # chunk -> term ids, across blocks
    rows_out, codes_out = [], []
    for start in range(0, len(arr), _EN_BLOCK):
        texts = pc.dictionary_encode(arr.slice(start, _EN_BLOCK))
        parts = pc.utf8_split_whitespace(texts.dictionary)
        chunks = pc.dictionary_encode(pc.list_flatten(parts))
        toks = []
        for ch in chunks.dictionary.to_pylist():
            t = memo.get(ch)
            if t is None:
                t = memo[ch] = _chunk_tokens(ch, nz, ids)
            toks.append(t)
        n_tok = np.fromiter(map(len, toks), dtype=np.int64, count=len(toks))
        term = np.fromiter(itertools.chain.from_iterable(toks), dtype=np.int64, count=int(n_tok.sum()))
        # chunk -> its occurrences -> their distinct texts -> the block's texts
        occ, code = _repeat_tokens(np.repeat(np.arange(len(toks)), n_tok), term, len(toks),
                                   chunks.indices.to_numpy())
        parent = pc.list_parent_indices(parts).to_numpy()[occ]
        which = pc.fill_null(texts.indices, -1).to_numpy()
        rows, codes = _repeat_tokens(parent, code, len(texts.dictionary), which)
        rows_out.append((rows + start).astype(np.int32))  # int32 while blocks accumulate
        codes_out.append(codes.astype(np.int32))
    if not rows_out:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), []
    return (np.concatenate(rows_out, dtype=np.int64), np.concatenate(codes_out, dtype=np.int64), list(ids))


_HAN_RE2 = "[\\x{3400}-\\x{4DBF}\\x{4E00}-\\x{9FFF}\\x{F900}-\\x{FAFF}\\x{20000}-\\x{2FA1F}]"


def _as_arrow(texts) -> pa.Array:
    """Texts as a ``large_string`` Arrow array; empty strings and non-strings become null."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    if isinstance(texts, pa.Array):
        arr = texts.cast(pa.large_string())
    else:
        arr = pa.array([t if isinstance(t, str) else None for t in _as_list(texts)], pa.large_string())
    empty = pc.equal(arr, "")
    if not pc.any(empty).as_py():  # no empty string: the texts as they are, no copy
        return arr
    return pc.if_else(empty, pa.scalar(None, pa.large_string()), arr)


def _han_mask(arr: pa.Array) -> np.ndarray:
    """True where a text holds a Han character (same ranges as ``_HAN``)."""
    n = len(arr)
    out = np.zeros(n, dtype=bool)
    nonascii = pc.fill_null(pc.invert(pc.string_is_ascii(arr)), False)
    cand = np.flatnonzero(nonascii.to_numpy(zero_copy_only=False))
    if len(cand):
        hit = pc.match_substring_regex(arr.take(pa.array(cand)), _HAN_RE2)
        out[cand] = pc.fill_null(hit, False).to_numpy(zero_copy_only=False)
    return out


def _token_codes(texts, lang: str | None, nz: _Normalizer, workers: int = 1
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, term id, sorted terms) of the tokens of every text, in text order.

    English texts take the vectorised Arrow path; Chinese texts are segmented by jieba once
    per distinct text (in ``workers`` processes when there are many).
    """
    arr = _as_arrow(texts)
    valid = pc.is_valid(arr).to_numpy(zero_copy_only=False)
    if lang is None:
        is_zh = _han_mask(arr)
    else:
        is_zh = valid.copy() if lang == "zh" else np.zeros(len(arr), dtype=bool)
    parts = []  # (rows, codes, terms) per script
    if not is_zh.any():  # null texts have no token: no copy of the texts
        r, c, terms = _english_codes(arr, nz)
        if len(c):
            parts.append((r, c, terms))
    else:
        en_idx = np.flatnonzero(valid & ~is_zh)
        if len(en_idx):
            r, c, terms = _english_codes(arr.take(pa.array(en_idx)), nz)
            parts.append((en_idx[r], c, terms))
    zh_idx = np.flatnonzero(is_zh)
    if len(zh_idx):
        zh_texts = arr.take(pa.array(zh_idx)).to_pylist()
        uniq: dict[str, int] = {}
        which = np.empty(len(zh_idx), dtype=np.int64)
        for k, t in enumerate(zh_texts):
            j = uniq.get(t)
            if j is None:
                j = uniq[t] = len(uniq)
            which[k] = j
        distinct = list(uniq)
        if workers > 1 and len(distinct) > _PARALLEL_MIN:
            from concurrent.futures import ProcessPoolExecutor

            size = -(-len(distinct) // (workers * 4))
            chunks = [distinct[i:i + size] for i in range(0, len(distinct), size)]
            with ProcessPoolExecutor(max_workers=workers) as ex:
                toks = [t for out in ex.map(_tokenize_chunk, [(ch, "zh", nz.do_stem, nz.stop) for ch in chunks])
                        for t in out]
        else:
            toks = [nz.zh(t) for t in distinct]
        # term ids per distinct text, then repeated for every text
        tl = np.fromiter((len(t) for t in toks), dtype=np.int64, count=len(toks))
        tc, tterms = pd.factorize(np.fromiter(itertools.chain.from_iterable(toks), dtype=object, count=int(tl.sum())))
        r, c = _repeat_tokens(np.repeat(np.arange(len(toks)), tl), tc.astype(np.int64), len(toks), which)
        parts.append((zh_idx[r], c, list(tterms)))
    if not parts:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, dtype=object)
    allterms = np.asarray(sorted(set().union(*(p[2] for p in parts))), dtype=object)
    index = pd.Index(allterms)
    rows = np.concatenate([p[0] for p in parts]) if len(parts) > 1 else parts[0][0]
    codes = [index.get_indexer(np.asarray(p[2], dtype=object))[p[1]] if len(p[2]) else p[1] for p in parts]
    codes = np.concatenate(codes) if len(codes) > 1 else codes[0]
    if len(parts) > 1:  # restore text order (stable: token order within a text kept)
        order = np.argsort(rows, kind="stable")
        rows, codes = rows[order], codes[order]
    return rows, codes.astype(np.int64, copy=False), allterms


def token_codes(texts, lang: str | None = None, *, stem: bool = True,
                stopwords: Iterable[str] | bool | None = None, workers: int = 1
                ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Tokens of many texts as integer arrays: ``(text, term)`` of every token and the terms.

    The tokens are those of :func:`tokenize_many` (same rules, same order), without a Python
    list per text: ``rows[i]`` is the position of token ``i``'s text, ``codes[i]`` its column
    in ``terms`` (sorted). Token lists (one per text) are used as they are.

    >>> rows, codes, terms = token_codes(["Drone batteries", None, "drone"])
    >>> rows.tolist(), terms[codes].tolist()
    ([0, 0, 2], ['drone', 'battery', 'drone'])
    """
    _check_lang(lang)
    if not isinstance(texts, (pa.Array, pa.ChunkedArray)):
        texts = _as_list(texts)
        if _is_tokens(texts):
            return _list_codes([list(t) if t is not None else [] for t in texts])
    return _token_codes(_as_arrow(texts), lang, _normalizer(stem, stopwords), workers)


def tokenize_many(texts, lang: str | None = None, *, stem: bool = True,
                  stopwords: Iterable[str] | bool | None = None, workers: int = 1) -> list[list[str]]:
    """Tokens of many texts (same rules and result as :func:`tokenize`), one list per text.

    Built for 100k+ texts: English texts are lower-cased, NFKC-normalised and split in Arrow
    (C++), and the word rules (stemming, stop words) run once per distinct word; Chinese texts
    are segmented once per distinct text (titles repeat across the publications of a family),
    optionally in ``workers`` processes. jieba is the slow part (about 170,000 Chinese characters
    text a second per process). :func:`token_codes` gives the tokens as integer arrays and
    :func:`document_term_matrix` counts them, without the Python lists.

    Parameters
    ----------
    texts : iterable of str/None, pandas Series or pyarrow array
    workers : int
        Processes for Chinese segmentation when there are more than 2,000 distinct Chinese
        texts (each process loads jieba's dictionary once, about a second).

    Returns
    -------
    list of list of str
    """
    _check_lang(lang)
    arr = _as_arrow(texts)
    nz = _normalizer(stem, stopwords)
    rows, codes, terms = _token_codes(arr, lang, nz, workers)
    vals = terms[codes].tolist() if len(codes) else []
    bounds = np.searchsorted(rows, np.arange(len(arr) + 1)).tolist()
    return [vals[bounds[i]:bounds[i + 1]] for i in range(len(arr))]


# --- document-term matrices -----------------------------------------------------------------
def _is_tokens(texts: list) -> bool:
    """True when the items are token lists rather than texts."""
    for t in texts:
        if t is None or isinstance(t, str):
            return False
        if isinstance(t, (list, tuple, np.ndarray)):
            return True
    return False


def _list_codes(token_lists: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(row, term id, sorted terms) of the tokens of token lists."""
    n = len(token_lists)
    lengths = np.fromiter((len(t) for t in token_lists), dtype=np.int64, count=n)
    flat = np.fromiter(itertools.chain.from_iterable(token_lists), dtype=object, count=int(lengths.sum()))
    codes, uniques = pd.factorize(flat, sort=True)
    return np.repeat(np.arange(n, dtype=np.int64), lengths), codes.astype(np.int64), np.asarray(uniques, dtype=object)


class Vocabulary:
    """Term vocabulary and document-term matrix builder (a small, dependency-free analogue of
    scikit-learn's ``CountVectorizer`` with the tokenisation of this module).

    Parameters
    ----------
    min_df : int or float
        Keep terms in at least this many documents (an int) or this share of them (a float
        in (0, 1]).
    max_df : int or float
        Keep terms in at most this many documents (an int) or this share (a float).
    max_terms : int, optional
        Keep the terms in most documents (ties: alphabetical) after the df filters.
    lang, stem, stopwords
        As in :func:`tokenize`.
    workers : int
        As in :func:`tokenize_many`.

    Attributes (after :meth:`fit`)
    ----------
    terms_ : numpy.ndarray of str
        Column labels, sorted (so results never depend on input order).
    df_ : numpy.ndarray of int
        Documents containing each term.
    n_documents_ : int

    Examples
    --------
    >>> v = Vocabulary()
    >>> m = v.fit_transform(["Drone battery", "Drone batteries and chargers"])
    >>> v.terms_.tolist(), m.toarray().tolist()
    (['battery', 'charger', 'drone'], [[1, 0, 1], [1, 1, 1]])
    """

    def __init__(self, *, min_df: int | float = 1, max_df: int | float = 1.0, max_terms: int | None = None,
                 lang: str | None = None, stem: bool = True, stopwords: Iterable[str] | bool | None = None,
                 workers: int = 1):
        _check_lang(lang)
        self.min_df, self.max_df, self.max_terms = min_df, max_df, max_terms
        self.lang, self.stem, self.stopwords, self.workers = lang, stem, stopwords, workers
        self.terms_: np.ndarray | None = None
        self.df_: np.ndarray | None = None
        self.n_documents_: int | None = None
        self._index: pd.Index | None = None

    # -- helpers
    def _matrix(self, texts, index: pd.Index | None = None) -> tuple[sp.csr_matrix, np.ndarray]:
        """Counts over ``index`` (or over all terms found, sorted) of texts or token lists."""
        if not isinstance(texts, (pa.Array, pa.ChunkedArray)):
            texts = _as_list(texts)
        rows, codes, terms = token_codes(texts, self.lang, stem=self.stem, stopwords=self.stopwords,
                                         workers=self.workers)
        if index is not None:
            col = index.get_indexer(terms)[codes] if len(codes) else np.zeros(0, np.int64)
            ok = col >= 0
            rows, codes, terms = rows[ok], col[ok], np.asarray(index, dtype=object)
        m = sp.coo_matrix((np.ones(len(codes), dtype=np.int32), (rows, codes)),
                          shape=(len(texts), len(terms))).tocsr()
        m.sum_duplicates()
        m.sort_indices()
        return m, terms

    @staticmethod
    def _limit(value, n: int, name: str) -> float:
        if isinstance(value, float):
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} as a float must be in [0, 1], not {value}")
            return value * n
        if value < 0:
            raise ValueError(f"{name} must be >= 0")
        return float(value)

    # -- API
    def fit_transform(self, texts, binary: bool = False) -> sp.csr_matrix:
        """Learn the vocabulary and return the documents x terms count matrix (int32).

        ``texts`` are strings (tokenised here) or token lists (used as they are).
        """
        m, terms = self._matrix(texts)
        n = m.shape[0]
        df = np.bincount(m.indices, minlength=m.shape[1])
        lo = self._limit(self.min_df, n, "min_df")
        hi = self._limit(self.max_df, n, "max_df")
        keep = (df >= lo) & (df <= hi)
        if self.max_terms is not None and keep.sum() > self.max_terms:
            cand = np.flatnonzero(keep)
            order = np.lexsort((cand, -df[cand]))  # df desc, then term (columns are sorted)
            keep = np.zeros_like(keep)
            keep[np.sort(cand[order[: self.max_terms]])] = True
        cols = np.flatnonzero(keep)
        if len(cols) < m.shape[1]:
            m = m[:, cols].tocsr()
        self.terms_ = terms[cols]
        self.df_ = df[cols]
        self.n_documents_ = n
        self._index = pd.Index(self.terms_)
        if binary:
            m.data[:] = 1
        return m

    def fit(self, texts) -> "Vocabulary":
        self.fit_transform(texts)
        return self

    def transform(self, texts, binary: bool = False) -> sp.csr_matrix:
        """Count matrix of new texts over the fitted terms (unknown terms ignored)."""
        if self._index is None:
            raise RuntimeError("Vocabulary is not fitted; call fit() or fit_transform() first")
        m, _ = self._matrix(texts, self._index)
        if binary:
            m.data[:] = 1
        return m

    def __len__(self) -> int:
        return 0 if self.terms_ is None else len(self.terms_)

    def __contains__(self, term) -> bool:
        return self._index is not None and term in self._index

    def index(self, term: str) -> int:
        """Column of a term (KeyError when absent)."""
        if self._index is None:
            raise RuntimeError("Vocabulary is not fitted")
        return int(self._index.get_loc(term))


def document_term_matrix(texts, *, min_df: int | float = 1, max_df: int | float = 1.0,
                         max_terms: int | None = None, binary: bool = False, lang: str | None = None,
                         stem: bool = True, stopwords: Iterable[str] | bool | None = None, workers: int = 1
                         ) -> tuple[sp.csr_matrix, np.ndarray]:
    """Documents x terms counts (``scipy.sparse.csr_matrix``, int32) and the sorted terms.

    Shorthand for ``Vocabulary(...).fit_transform(texts)``; see :class:`Vocabulary`. ``texts``
    are strings (tokenised with the rules of :func:`tokenize`, vectorised) or token lists.

    >>> m, terms = document_term_matrix(["UAV camera gimbal", "Camera gimbals", "一种无人机云台"])
    >>> terms.tolist()
    ['camera', 'gimbal', 'uav', '云台', '无人机']
    >>> m.toarray().tolist()
    [[1, 1, 1, 0, 0], [1, 1, 0, 0, 0], [0, 0, 0, 1, 1]]
    """
    v = Vocabulary(min_df=min_df, max_df=max_df, max_terms=max_terms, lang=lang, stem=stem, stopwords=stopwords,
                   workers=workers)
    m = v.fit_transform(texts, binary=binary)
    return m, v.terms_


def tfidf(counts: sp.spmatrix, *, smooth: bool = True, sublinear: bool = False, norm: str | None = "l2",
          df: np.ndarray | None = None, n_documents: int | None = None) -> sp.csr_matrix:
    """TF-IDF weights of a documents x terms count matrix.

    ``w = tf * idf`` with ``idf = ln((1 + n) / (1 + df)) + 1`` (``smooth=True``) or
    ``ln(n / df) + 1``, ``tf`` the count or ``1 + ln(count)`` (``sublinear``), rows then
    scaled to unit ``l2`` (or ``l1``) norm. These are scikit-learn's ``TfidfTransformer``
    conventions. ``df``/``n_documents`` default to those of ``counts`` (pass the fitted ones
    to weight new documents consistently).
    """
    m = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    n = m.shape[0] if n_documents is None else n_documents
    if df is None:
        df = np.bincount(m.indices, minlength=m.shape[1])
    df = np.asarray(df, dtype=np.float64)
    with np.errstate(divide="ignore"):
        idf = np.log((1.0 + n) / (1.0 + df)) + 1.0 if smooth else np.log(n / np.maximum(df, 1.0)) + 1.0
    if sublinear:
        m.data = 1.0 + np.log(m.data)
    m.data *= idf[m.indices]
    if norm is not None:
        if norm == "l2":
            s = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        elif norm == "l1":
            s = np.asarray(abs(m).sum(axis=1)).ravel()
        else:
            raise ValueError(f"norm must be 'l2', 'l1' or None, not {norm!r}")
        s[s == 0] = 1.0
        m = sp.csr_matrix(sp.diags(1.0 / s) @ m)
    return m


#: Classes x terms cells up to which :func:`class_term_counts` adds integer counts into a dense
#: array (32 MiB of float64) instead of a sparse product.
_DENSE_CLASS_CELLS = 1 << 22


def class_term_counts(counts: sp.spmatrix, labels: np.ndarray, n_classes: int | None = None) -> sp.csr_matrix:
    """Classes x terms counts: the document rows of ``counts`` summed per class (float64).

    Documents with a negative label (unassigned) are left out. Integer counts over at most
    :data:`_DENSE_CLASS_CELLS` cells are added by ``bincount`` on ``class * terms + term``
    (no float copy of ``counts``, no sparse product; the same values: sums of integers),
    others by the product ``P @ counts`` with the classes x documents indicator ``P``.
    """
    labels = np.asarray(labels, dtype=np.int64)
    counts = sp.csr_matrix(counts)
    if labels.shape[0] != counts.shape[0]:
        raise ValueError("labels must have one entry per row of counts")
    k = int(labels.max()) + 1 if n_classes is None else n_classes
    k = max(k, 0)
    n_terms = counts.shape[1]
    integer = np.issubdtype(counts.dtype, np.integer) or counts.dtype == bool
    if integer and k * n_terms <= _DENSE_CLASS_CELLS and labels.max(initial=-1) < k:
        return _dense_class_sums(counts, labels, k)
    ok = np.flatnonzero(labels >= 0)
    P = sp.csr_matrix((np.ones(len(ok)), (labels[ok], ok)), shape=(k, counts.shape[0]))
    return sp.csr_matrix(P @ counts)


def _dense_class_sums(counts: sp.csr_matrix, labels: np.ndarray, k: int) -> sp.csr_matrix:
    """``P @ counts`` of :func:`class_term_counts` through a dense k x terms ``bincount``."""
    n_terms = counts.shape[1]
    row_class = np.repeat(labels, np.diff(counts.indptr))
    keep = row_class >= 0
    key = row_class[keep] * n_terms + counts.indices[keep]
    dense = np.bincount(key, weights=counts.data[keep], minlength=k * n_terms).astype(np.float64, copy=False)
    return sp.csr_matrix(dense.reshape(k, n_terms))


def class_tfidf(class_counts: sp.spmatrix, *, normalize: bool = True) -> sp.csr_matrix:
    """Class-based TF-IDF (c-TF-IDF) of a classes x terms count matrix.

    Grootendorst, M. (2022), *BERTopic: Neural topic modeling with a class-based TF-IDF
    procedure*, arXiv:2203.05794, eq. (1)::

        W[t, c] = tf[t, c] * log(1 + A / f[t])

    with ``tf[t, c]`` the frequency of term ``t`` in class ``c`` (L1-normalised per class when
    ``normalize=True``, as in the paper's ``||tf||`` and BERTopic's ``ClassTfidfTransformer``),
    ``f[t]`` the frequency of ``t`` over all classes and ``A`` the average number of words per
    class (total count / number of classes; BERTopic truncates ``A`` to an integer, here it is
    exact). Terms absent from every class get weight 0.

    >>> w = class_tfidf(sp.csr_matrix([[2, 2, 0], [0, 2, 4]]), normalize=False)
    >>> np.round(w.toarray(), 4).tolist()   # A = 5; f = [2, 4, 4]
    [[2.5055, 1.6219, 0.0], [0.0, 1.6219, 3.2437]]
    """
    X = sp.csr_matrix(class_counts, dtype=np.float64, copy=True)
    k = X.shape[0]
    if k == 0:
        return X
    f = np.asarray(X.sum(axis=0)).ravel()
    A = X.sum() / k
    with np.errstate(divide="ignore", invalid="ignore"):
        idf = np.where(f > 0, np.log1p(A / np.where(f > 0, f, 1.0)), 0.0)
    if normalize:
        s = np.asarray(X.sum(axis=1)).ravel()
        s[s == 0] = 1.0
        X = sp.csr_matrix(sp.diags(1.0 / s) @ X)
    X.data *= idf[X.indices]
    X.eliminate_zeros()
    return X
