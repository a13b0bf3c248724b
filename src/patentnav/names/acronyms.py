"""Acronyms of applicant names, linked only on evidence that they stand for that name.

Initials alone are no evidence: on real name lists most one-word names whose letters are
the initials of another name are other firms (``NEC CORP`` / ``NEEDWOOD ENGINEERING
CONSULTING LTD``, ``MOOG INC`` / ``MÆRSK OLIE OG GAS AS``, ``HTC CORP`` / ``HEXAGON
TECHNOLOGY CT GMBH``). An acronym ``A`` (a one-word key) links to an expansion ``E`` (a
key of two or more words) only when

1. **initials in order**: ``A`` is exactly the first letters of ``E``'s words, skipping
   function words (:data:`~patentnav.names.legal_forms.ACRONYM_SKIP_WORDS`: OF, THE, AND,
   DE, LA, OG ...; French elisions ``d'``/``l'`` split off: ``Société Nationale d'Étude et
   de Construction de Moteurs d'Aviation`` = ``SNECMA``);
2. **not a short generic token** (:func:`is_generic_acronym`): three to eight letters, and
   not a legal form, a standardised common word, an organisation word or a country code
   (``INC``, ``TECH``, ``USA``, ``AND``);
3. **evidence**, at least ``min_evidence`` observations (default 2) of one of:

   * *stated*: a raw name states the pair, ``Expansion (ACR)``, ``ACR (Expansion)``,
     ``ACR Expansion`` or ``Expansion ACR`` (``IBM Corporation (International Business
     Machines Corporation)``); each mention of such a name counts once
     (:func:`stated_acronyms`). In the bracketed forms the acronym may stand for the last
     words only, as in Schwartz & Hearst's definition (``National Institute of Advanced
     Industrial Science and Technology (AIST)``);
   * *family*: ``A`` and ``E`` are the applicant at the same position of two members of one
     patent family; each family counts once (:mod:`patentnav.names.families`).

The stating name itself always joins its expansion (it carries both). Reference for the
initials rule: Schwartz, A. S. & Hearst, M. A. (2003), *A simple algorithm for identifying
abbreviation definitions in biomedical text*, Pacific Symposium on Biocomputing 8: 451-462
(short form in parentheses next to its long form, first letters matched in order); here
the stricter word-initial form is used, since firm names give no sentence context.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import map_distinct, regroup
from .legal_forms import ACRONYM_SKIP_WORDS, LEGAL_FORMS, ORG_WORDS, WORD_STANDARDS

__all__ = ["initials", "key_initials", "is_generic_acronym", "stated_acronyms", "acronym_candidates",
           "MIN_ACRONYM", "MAX_ACRONYM"]

#: Shortest and longest acronym considered (letters).
MIN_ACRONYM, MAX_ACRONYM = 3, 8

_LEGAL_WORDS = {w for ws in LEGAL_FORMS.values() for w in ws}


@functools.lru_cache(maxsize=1)
def _generic() -> frozenset:
    from ..geo import _BARE_CODES, _EN_COUNTRIES

    words = (set(WORD_STANDARDS) | set(WORD_STANDARDS.values()) | set(ORG_WORDS) | set(ACRONYM_SKIP_WORDS)
             | {w.replace(" ", "") for w in _LEGAL_WORDS} | {c for c in _BARE_CODES}
             | {k.upper() for k in _EN_COUNTRIES}
             | {"USA", "UK", "PRC", "ROC", "EU", "UAE", "USSR", "GROUP", "HOLDINGS", "NEW", "THE", "ONE"})
    return frozenset(words)


def is_generic_acronym(token: str | None) -> bool:
    """True when ``token`` cannot be taken for a firm's acronym (rule 2 of the module docstring).

    >>> [is_generic_acronym(t) for t in ("IBM", "INC", "USA", "AB", "SNECMA")]
    [False, True, True, True, False]
    """
    if not token or not token.isalpha() or not MIN_ACRONYM <= len(token) <= MAX_ACRONYM:
        return True
    return token in _generic()


def _content_words(words: list[str]) -> list[str]:
    words = [w for w in words if w]
    # legal forms at the end are not part of the name (INTERNATIONAL BUSINESS MACHINES CORPORATION)
    while len(words) > 1 and words[-1] in _LEGAL_WORDS:
        words = words[:-1]
    while len(words) > 2 and " ".join(words[-2:]) in _LEGAL_WORDS:
        words = words[:-2]
    return [w for w in words if w not in ACRONYM_SKIP_WORDS]


def initials(words: list[str]) -> str:
    """First letters of the content words (rule 1); "" for fewer than two content words.

    >>> initials("SOCIETE NATIONALE ETUDE ET DE CONSTRUCTION DE MOTEURS AVIATION".split())
    'SNECMA'
    """
    content = _content_words(words)
    return "".join(w[0] for w in content) if len(content) >= 2 else ""


def key_initials(keys) -> np.ndarray:
    """:func:`initials` of each normalised key (object array; "" for one-word keys, None for
    null keys), for all keys at once: their words in one flat Arrow array, the trailing
    legal forms of :func:`_content_words` dropped by moving each key's end, skip words
    masked, the first letters of two or more content words joined."""
    karr = keys if isinstance(keys, pa.Array) else pa.array(list(keys), pa.string())
    if isinstance(karr, pa.ChunkedArray):
        karr = karr.combine_chunks()
    n = len(karr)
    lists = pc.split_pattern(karr.cast(pa.string()), " ")
    flat = pc.list_flatten(lists)
    nonempty = pc.greater(pc.utf8_length(flat), 0)
    flat = flat.filter(nonempty)
    parent = np.asarray(pc.list_parent_indices(lists).filter(nonempty).to_numpy(), dtype=np.int64)
    legal = pa.array(sorted(_LEGAL_WORDS), pa.string())
    words_per_key = np.bincount(parent, minlength=n)
    end = np.cumsum(words_per_key)  # each key's words are flat[start:end]
    start = end - words_per_key
    is_legal = np.asarray(pc.is_in(flat, value_set=legal).to_numpy(zero_copy_only=False), dtype=bool)
    r = np.flatnonzero(end - start > 1)
    while len(r):  # a legal form as the last word, while another word is left
        r = r[is_legal[end[r] - 1]]
        end[r] -= 1
        r = r[end[r] - start[r] > 1]
    r = np.flatnonzero(end - start > 2)
    while len(r):  # then a two-word legal form, while two other words are left
        pair = pc.binary_join_element_wise(flat.take(pa.array(end[r] - 2)), flat.take(pa.array(end[r] - 1)), " ")
        r = r[np.asarray(pc.is_in(pair, value_set=legal).to_numpy(zero_copy_only=False), dtype=bool)]
        end[r] -= 2
        r = r[end[r] - start[r] > 2]
    skip = np.asarray(pc.is_in(flat, value_set=pa.array(sorted(ACRONYM_SKIP_WORDS), pa.string()))
                      .to_numpy(zero_copy_only=False), dtype=bool)
    content = (np.arange(len(parent)) < end[parent]) & ~skip
    counts = np.bincount(parent[content], minlength=n)
    firsts = pc.utf8_slice_codeunits(flat.filter(pa.array(content)), 0, 1)  # first character of each content word
    joined = pc.binary_join(regroup(pa.table({"p": parent[content], "c": firsts}), n), "")
    out = np.asarray(pc.if_else(pa.array(counts >= 2), joined, "").to_numpy(zero_copy_only=False), dtype=object)
    out[np.asarray(pc.is_null(karr).to_numpy(zero_copy_only=False), dtype=bool)] = None
    return out


def _prepare(raw: pa.Array) -> pa.Array:
    """Upper case, accents off, dots and elisions removed, brackets kept."""
    s = pc.utf8_upper(pc.utf8_normalize(raw, "NFKC"))
    s = pc.utf8_normalize(pc.replace_substring_regex(pc.utf8_normalize(s, "NFKD"), r"\p{Mn}+", ""), "NFC")
    s = pc.replace_substring_regex(s, r"\b[DL]['’`´]\s*", "")  # d'Etude -> Etude
    s = pc.replace_substring_regex(s, r"[.'’`´]", "")
    s = pc.replace_substring_regex(s, r"（", "(")
    s = pc.replace_substring_regex(s, r"）", ")")
    return pc.utf8_trim_whitespace(pc.replace_substring_regex(s, r"\s+", " "))


_LF = "|".join(re.escape(w) for w in sorted(_LEGAL_WORDS, key=lambda w: (-len(w), w)))
_STATED = [
    r"^(?P<exp>[^()]+?) ?\((?P<acr>[A-Z][A-Z& ]{1,14})\)$",  # Expansion (ACR)
    r"^(?P<acr>[A-Z]{2,8})(?: (?:" + _LF + r"))? ?\((?P<exp>[^()]+)\)$",  # ACR Corp (Expansion)
    r"^(?P<acr>[A-Z]{2,8}) (?P<exp>[A-Z][^()]+)$",  # ACR Expansion
    r"^(?P<exp>[A-Z][^()]+) (?P<acr>[A-Z]{2,8})$",  # Expansion ACR
]


def stated_acronyms(raw_names) -> pd.DataFrame:
    """Pairs stated inside raw names: ``index`` (position in ``raw_names``), ``acronym``,
    ``expansion`` (the expansion text as written, without the acronym). Rows come in the
    order of the shapes tried (``Acronym (Expansion)``, ``Expansion (Acronym)``, ...), then
    of ``index``.

    >>> stated_acronyms(["IBM Corporation (International Business Machines Corporation)",
    ...                  "Centre National de la Recherche Scientifique (C.N.R.S.)", "ONERA (OFF NAT AEROSPATIALE)"])
    ... # doctest: +NORMALIZE_WHITESPACE
       index acronym                                  expansion
    0      1    CNRS  CENTRE NATIONAL DE LA RECHERCHE SCIENTIFIQUE
    1      0     IBM  INTERNATIONAL BUSINESS MACHINES CORPORATION
    """
    arr = raw_names if isinstance(raw_names, pa.Array) else pa.array(list(raw_names), pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    s = _prepare(arr.cast(pa.string()))
    # a name with letters and at least two words (cheap filter before the four patterns)
    cand = np.flatnonzero(np.asarray(pc.match_substring_regex(s, r"^[A-Z(][^\p{Han}]* [^\p{Han}]*[A-Z)]$")
                                     .fill_null(False).to_numpy(zero_copy_only=False), dtype=bool))
    rows = []
    if len(cand):
        sub = s.take(pa.array(cand))
        done = np.zeros(len(cand), dtype=bool)
        for n_pattern, pattern in enumerate(_STATED):
            bracket = n_pattern < 2  # "(...)": the short form may cover the last words only
            shape = np.asarray(pc.match_substring_regex(sub, pattern).fill_null(False)
                               .to_numpy(zero_copy_only=False), dtype=bool) & ~done
            if not shape.any():
                continue
            at = np.flatnonzero(shape)  # names that have the shape only (a match is cheaper than a capture)
            m = pc.extract_regex(sub.take(pa.array(at)), pattern)
            letters = pc.replace_substring_regex(pc.struct_field(m, "acr"), r"[^A-Z]", "")
            specific = ~_generic_flags(letters)  # a generic token is no acronym
            at, letters, m = at[specific], letters.filter(pa.array(specific)), m.filter(pa.array(specific))
            exp_arr = pc.struct_field(m, "exp")
            # first character of each word: the initials (rule 1) are a subsequence of these
            firsts = pc.replace_substring_regex(exp_arr, r"([A-Z0-9])[A-Z0-9]*|[^A-Z0-9]+", r"\1")
            letters_l = letters.to_pylist()
            # initials that cannot equal or end with the acronym are skipped
            ok = subsequences(letters_l, firsts.to_pylist())
            exp = exp_arr.filter(pa.array(ok)).to_pylist()
            for j, e in zip(np.flatnonzero(ok), exp):
                a, e = letters_l[j], e.strip()
                ini = initials(re.split(r"[^A-Z0-9]+", e))
                if ini == a or (bracket and ini.endswith(a)):
                    rows.append((int(cand[at[j]]), a, e))
                    done[at[j]] = True
    return pd.DataFrame(rows, columns=["index", "acronym", "expansion"])


def _generic_flags(tokens: pa.Array) -> np.ndarray:
    """:func:`is_generic_acronym` of each token (non-null), over the distinct tokens only."""
    flags = map_distinct(tokens, lambda t: pa.array([is_generic_acronym(x) for x in t.to_pylist()], pa.bool_()))
    return np.asarray(flags.fill_null(True).to_numpy(zero_copy_only=False), dtype=bool)


#: Rows compared at once by :func:`subsequences`, and characters of ``b`` held at once (its
#: code-point matrix is rows x the longest string: rows are taken by length, so that one long
#: string does not widen thousands of short ones).
_CHUNK = 16384
_CELLS = 1 << 22


def subsequences(a: list[str], b: list[str]) -> np.ndarray:
    """Whether the characters of ``a[i]`` occur in ``b[i]`` in that order, for each ``i``
    (strings without NUL characters), vectorised: the strings as code-point matrices
    (NumPy ``U`` arrays), each character of ``a`` found greedily after the previous one.
    Rows go by length in chunks of at most :data:`_CELLS` characters (a single longer
    string alone)."""
    n = len(a)
    out = np.ones(n, dtype=bool)
    width = np.fromiter((max(len(x), len(y), 1) for x, y in zip(a, b)), dtype=np.int64, count=n)
    by_length = np.argsort(width, kind="stable")
    start = 0
    while start < n:
        end = min(n, start + _CHUNK)
        while end - start > 1 and (end - start) * int(width[by_length[end - 1]]) > _CELLS:
            end = start + max(1, _CELLS // int(width[by_length[end - 1]]))
        rows = by_length[start:end]
        out[rows] = _subsequences_chunk([a[i] for i in rows], [b[i] for i in rows])
        start = end
    return out


def _subsequences_chunk(a: list[str], b: list[str]) -> np.ndarray:
    """:func:`subsequences` of one chunk, as code-point matrices."""
    n = len(a)
    ca = np.array(a, dtype=str).view(np.uint32).reshape(n, -1)
    cb = np.array(b, dtype=str).view(np.uint32).reshape(n, -1)
    cols = np.arange(cb.shape[1])
    pos = np.full(n, -1, dtype=np.int64)  # where the previous character was found
    ok = np.ones(n, dtype=bool)
    for j in range(ca.shape[1]):
        r = np.flatnonzero(ok & (ca[:, j] != 0))
        if not len(r):
            break
        hit = (cb[r] == ca[r, j][:, None]) & (cols[None, :] > pos[r, None])
        found = hit.any(axis=1)
        pos[r[found]] = hit[found].argmax(axis=1)
        ok[r[~found]] = False
    return ok


def acronym_candidates(keys) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(acronym key, expansion key)`` by rules 1-2 (initials, not generic); the
    candidates that evidence (rule 3) must confirm."""
    karr = keys if isinstance(keys, pa.Array) else pa.array(list(keys), pa.string())
    klist = np.asarray(karr.to_pylist(), dtype=object)
    ini = key_initials(karr)
    single = np.asarray(pc.match_substring_regex(karr, r"^[A-Z]{%d,%d}$" % (MIN_ACRONYM, MAX_ACRONYM))
                        .fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    acr = pd.DataFrame({"a": np.flatnonzero(single), "acr": klist[single]})
    acr = acr[~np.fromiter((is_generic_acronym(a) for a in acr["acr"]), dtype=bool, count=len(acr))]
    multi = ini != ""
    exp = pd.DataFrame({"e": np.flatnonzero(multi), "acr": ini[multi]})
    pairs = acr.merge(exp, on="acr")
    return pairs["a"].to_numpy(np.int64), pairs["e"].to_numpy(np.int64)
