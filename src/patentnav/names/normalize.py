"""Deterministic applicant-name normalisation (Magerman, Van Looy & Song 2006), vectorised.

Steps, each an Arrow compute kernel over the whole array of distinct names:

1. Unicode NFKC (full-width to half-width: ``ＨＵＡＷＥＩ`` -> ``HUAWEI``), upper case,
   accents removed (NFKD, drop combining marks, NFC).
2. Punctuation: dots and apostrophes dropped (``G.m.b.H.`` -> ``GMBH``,
   ``MAJESTY'S`` -> ``MAJESTYS``); ``&`` and ``+`` -> ``AND``; every other non-letter,
   non-digit character -> space; spaces collapsed.
3. Leading ``THE`` removed.
4. Legal forms (:data:`~patentnav.names.legal_forms.LEGAL_FORMS`,
   :data:`~patentnav.names.legal_forms.CJK_LEGAL_FORMS`) removed repeatedly from the end;
   a last word of six or more letters that is a *misspelling* of a one-word legal form of
   six or more letters is removed too (``COPORATION``, ``COMPNAY``, ``KAISHI``), once,
   followed by another exact pass.
5. Common words standardised (:data:`~patentnav.names.legal_forms.WORD_STANDARDS`,
   ``TECHNOLOGIES`` -> ``TECH``); a word of seven or more letters that is a misspelling of
   a listed word of seven or more letters (``ELECTIC``, ``MACHINESS``, ``UNVERSITY``) is
   standardised too.

A *misspelling* of a listed word is within Indel distance 2 of it, starts with the same
letter and differs in length by at most one letter: a typing error changes a letter or
two inside a word. A word that adds two letters to a listed word is another word, often
a compound (``AGRESEARCH`` is not ``RESEARCH``: without the length and first-letter
conditions, ``AgResearch Ltd`` had the key ``RES``).

Branches (:func:`~patentnav.names.branches.split_branches`) get the key of their legal
entity followed by the branch (``中兴通讯股份有限公司南京分公司`` -> ``中兴通讯 南京分公司``); a
name ending in 分公司 that is not a recognised branch keeps 分公司 (it is no legal form).

Names that are empty, punctuation only or legal forms only keep the result of step 2
(``"Co., Ltd."`` -> ``"CO LTD"``), so they never collapse into one empty key; null and
blank names give null.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import map_distinct, with_values
from .legal_forms import CJK_LEGAL_FORMS, LEADING_WORDS, LEGAL_FORMS, WORD_STANDARDS

__all__ = ["normalize_names", "normalize_name", "clean_names", "MAX_NAME_LENGTH"]

#: Names are cut to this many characters before normalisation (longer strings are not names).
MAX_NAME_LENGTH = 300


def _alternation(words) -> str:
    # longest first, so that "CO LTD" wins over "CO"
    return "|".join(re.escape(w).replace("\\ ", " ") for w in sorted(set(words), key=lambda w: (-len(w), w)))


_LEGAL_RE = r"(?:\s+(?:" + _alternation(w for ws in LEGAL_FORMS.values() for w in ws) + r"))+$"
_CJK_LEGAL_RE = r"(?:" + _alternation(CJK_LEGAL_FORMS) + r")+$"
_LEADING_RE = r"^(?:" + _alternation(LEADING_WORDS) + r")\s+"


def clean_names(names) -> pa.Array:
    """Steps 1-2 only: Unicode, case, accents and punctuation (see module docstring)."""
    arr = names if isinstance(names, (pa.Array, pa.ChunkedArray)) else pa.array(list(names), pa.string(), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.string())
    s = pc.utf8_slice_codeunits(arr, 0, MAX_NAME_LENGTH)
    # a trailing acronym in brackets repeats the name: "International Business Machines (IBM)"
    s = pc.replace_substring_regex(s, r"\s*[(（]\s*[A-Za-z]{2,6}\s*[)）]\s*$", "")
    s = pc.utf8_normalize(s, "NFKC")
    s = pc.utf8_upper(s)
    s = pc.utf8_normalize(pc.replace_substring_regex(pc.utf8_normalize(s, "NFKD"), r"\p{Mn}+", ""), "NFC")
    s = pc.replace_substring_regex(s, r"[.'’`´]", "")
    s = pc.replace_substring_regex(s, r"\s*[&+＆]\s*", " AND ")
    s = pc.replace_substring_regex(s, r"[^\p{L}\p{N}]+", " ")
    s = pc.utf8_trim_whitespace(s)
    return pc.if_else(pc.equal(s, ""), pa.scalar(None, pa.string()), s)


def _strip_legal(s: pa.Array) -> pa.Array:
    # end-anchored legal forms; a leading space lets the pattern match a whole-name form
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(pc.binary_join_element_wise(" ", s, ""), _LEGAL_RE, ""))


_LONG_FORMS = sorted({w for ws in LEGAL_FORMS.values() for w in ws if " " not in w and len(w) >= 6})


def _strip_misspelt_legal(s: pa.Array) -> pa.Array:
    """Drop a misspelt one-word legal form at the end (the distinct last words only, all in
    one :func:`_misspellings` call)."""
    m = pc.extract_regex(s, r"^(?P<head>.+) (?P<last>[A-Z]{6,})$")
    forms = set(_LONG_FORMS)

    def misspelt(last: pa.Array) -> pa.Array:
        words = last.to_pylist()
        todo = [i for i, w in enumerate(words) if w not in forms]
        hit = np.zeros(len(words), dtype=bool)
        hit[todo] = [x is not None for x in _misspellings([words[i] for i in todo], _LONG_FORMS)]
        return pa.array(hit)

    flag = map_distinct(pc.struct_field(m, "last"), misspelt).fill_null(False)
    return pc.if_else(flag, pc.struct_field(m, "head"), s)


_STD_KEYS = sorted(w for w in WORD_STANDARDS if len(w) >= 7)


#: Words compared at once by :func:`_misspellings` (bounds its distance matrix).
_CHUNK = 65536


def _misspellings(words: list[str], listed: list[str]) -> list[str | None]:
    """The listed word that each (non-empty) word misspells, or None: Indel distance <= 2,
    same first letter, length within one (module docstring); of several, the first listed
    word at the smallest distance. The words of each first letter meet the listed words of
    that letter in one ``rapidfuzz.process.cdist`` call; the length condition is a mask."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    out: list[str | None] = [None] * len(words)
    by_initial: dict[str, list[int]] = {}
    groups = _by_initial(tuple(listed))
    for i, w in enumerate(words):
        if w[0] in groups:
            by_initial.setdefault(w[0], []).append(i)
    for initial, rows in by_initial.items():
        same = groups[initial]
        same_len = np.fromiter(map(len, same), dtype=np.int64, count=len(same))
        for start in range(0, len(rows), _CHUNK):
            part = rows[start:start + _CHUNK]
            texts = [words[i] for i in part]
            d = process.cdist(texts, same, scorer=Indel.distance, score_cutoff=2, dtype=np.int32)
            lens = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
            d[np.abs(lens[:, None] - same_len[None, :]) > 1] = 3
            best = np.argmin(d, axis=1)
            for k in np.flatnonzero(d[np.arange(len(part)), best] <= 2):
                out[part[k]] = same[best[k]]
    return out


@functools.lru_cache(maxsize=4)
def _by_initial(listed: tuple[str, ...]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for w in listed:
        out.setdefault(w[0], []).append(w)
    return out


_STD_VALUES = set(WORD_STANDARDS.values())


def _standard_words(words: list) -> list:
    """Each word standardised (step 5): its :data:`WORD_STANDARDS` spelling; else, for a
    word of seven or more letters that is no standard spelling, the standard of the listed
    word of seven or more letters it misspells; else the word itself (None stays None)."""
    out = [w if w is None else WORD_STANDARDS.get(w, w) for w in words]
    todo = [i for i, w in enumerate(words)
            if w is not None and w not in WORD_STANDARDS and len(w) >= 7 and w.isalpha() and w not in _STD_VALUES]
    for i, hit in zip(todo, _misspellings([words[i] for i in todo], _STD_KEYS)):
        if hit is not None:
            out[i] = WORD_STANDARDS[hit]
    return out


def _standardise_words(s: pa.Array) -> pa.Array:
    """Word-by-word standardisation over the distinct words only."""
    words = pc.split_pattern(s, " ")
    flat = map_distinct(pc.list_flatten(words), lambda w: pa.array(_standard_words(w.to_pylist()), pa.string()))
    joined = pc.binary_join(with_values(words, flat), " ")
    return pc.if_else(pc.is_null(s), pa.scalar(None, pa.string()), joined)


def normalize_names(names) -> pa.Array:
    """Normalised matching keys for an array of raw names (null for null/blank input).

    Examples
    --------
    >>> normalize_names(["Huawei Technologies Co., Ltd.", "HUAWEI TECH CO LTD", "华为技术有限公司"]).to_pylist()
    ['HUAWEI TECH', 'HUAWEI TECH', '华为技术']
    """
    from .branches import split_branches

    cleaned = clean_names(names)
    return keys_of_cleaned(cleaned, *split_branches(cleaned))


def keys_of_cleaned(cleaned: pa.Array, entity: pa.Array, branch: pa.Array) -> pa.Array:
    """:func:`normalize_names` from the names already cleaned (:func:`clean_names`) and split
    (:func:`~patentnav.names.branches.split_branches`), for a caller that has both."""
    is_branch = pc.is_valid(branch)
    keys = _keys(pc.if_else(is_branch, entity, cleaned))
    return pc.if_else(is_branch, pc.binary_join_element_wise(keys, branch, " "), keys)


def _keys(cleaned: pa.Array) -> pa.Array:
    """Steps 3-5 on cleaned names."""
    s = pc.replace_substring_regex(cleaned, _LEADING_RE, "")
    s = _strip_legal(s)
    s = _strip_legal(_strip_misspelt_legal(s))
    office = pc.ends_with(s, "分公司").fill_null(False)  # a branch, not a legal form: keep it
    s = pc.if_else(office, s, pc.utf8_trim_whitespace(pc.replace_substring_regex(s, _CJK_LEGAL_RE, "")))
    s = _standardise_words(s)
    empty = pc.or_(pc.is_null(s), pc.equal(s, "")).fill_null(True)
    return pc.if_else(empty, cleaned, s)


def normalize_name(name: str | None) -> str | None:
    """Normalised key of one name (see :func:`normalize_names`).

    >>> normalize_name("The Xerox Corporation")
    'XEROX'
    """
    return normalize_names(pa.array([name], pa.string()))[0].as_py()
