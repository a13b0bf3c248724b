"""Fuzzy grouping of normalised names: blocking, rapidfuzz similarity, connected components.

Given distinct normalised keys, two keys are linked when

* they fall in the same block: the same first word (Latin script) or the same first two
  characters (CJK); blocks larger than ``max_block`` are split by their first two, then
  three words (CJK: three, then four characters, since Chinese names share their division
  prefix: tens of thousands of names begin with 深圳市), so the comparison is never
  all-pairs over the corpus;
* their ``rapidfuzz.fuzz.ratio`` (normalised Indel similarity, 0-100) is at least
  ``threshold``, and their Indel distance (insertions + deletions; a substitution counts
  2) is at most ``max_edits``: long names differing in one decisive word ("... Secretary of
  the Navy" / "... of the Army") have a high ratio but many edits, typos have few; and
* they contain the same digits (``3M`` and ``3D`` never link), the same words of one or
  two characters (codes and numerals: ``AT&T IP I`` and ``AT&T IP II`` never link), and
  their words have the same initials (typos rarely hit a word's first letter; ``UNIV OF KANSAS`` and
  ``UNIV OF ARKANSAS`` never link); and
* they do not name different places (:func:`patentnav.names.divisions.places_conflict`):
  ``UNIV XIAN TECH`` and ``UNIV XIAMEN TECH`` differ by two letters but name Xi'an and
  Xiamen, two universities.

Acronyms are linked only on evidence (:mod:`patentnav.names.acronyms`), never by this module.

Groups are the connected components of the links (``scipy.sparse.csgraph``). The
similarity matrix of each block is computed in C++ by ``rapidfuzz.process.cdist``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["fuzzy_links", "components", "DEFAULT_THRESHOLD", "DEFAULT_MAX_EDITS", "DEFAULT_MAX_BLOCK"]

#: Default minimum ``fuzz.ratio`` (0-100) for two normalised names to be linked.
DEFAULT_THRESHOLD = 92.0
#: Default maximum Indel distance between linked names (3: a transposition or two typos).
DEFAULT_MAX_EDITS = 3
#: Blocks above this size are split further (bounds memory at max_block**2 bytes).
DEFAULT_MAX_BLOCK = 4000


def _block_keys(keys: pa.Array, words: int) -> np.ndarray:
    first = pc.list_slice(pc.split_pattern(keys, " "), 0, words)
    latin = pc.binary_join(first, " ")
    cjk = pc.utf8_slice_codeunits(keys, 0, 1 + words)  # CJK has no spaces: one more character per level
    is_cjk = pc.match_substring_regex(keys, r"^[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]").fill_null(False)
    return np.asarray(pc.if_else(is_cjk, cjk, latin).to_numpy(zero_copy_only=False), dtype=object)


def fuzzy_links(keys, threshold: float = DEFAULT_THRESHOLD, max_block: int = DEFAULT_MAX_BLOCK,
                workers: int = 1, max_edits: int = DEFAULT_MAX_EDITS) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, ``i < j``, of key indices that link (rules in the module docstring)."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    karr = keys if isinstance(keys, pa.Array) else pa.array(list(keys), pa.string())
    klist = karr.to_pylist()
    digits = np.asarray(pc.replace_substring_regex(karr, r"[^0-9]", "").to_numpy(zero_copy_only=False), dtype=object)
    words = pc.split_pattern(karr, " ")
    flat = pc.list_flatten(words)
    is_short = pc.less_equal(pc.utf8_length(flat), 2)
    short_tbl = pd.DataFrame({"p": pc.list_parent_indices(words).to_numpy(), "w": flat.to_numpy(zero_copy_only=False)})[np.asarray(is_short)]
    short_sig = short_tbl.sort_values(["p", "w"]).groupby("p")["w"].agg(" ".join)
    sig = np.full(len(klist), "", dtype=object)
    sig[short_sig.index.values] = short_sig.values
    digits = np.char.add(np.char.add(digits.astype(str), "|"), sig.astype(str)).astype(object)
    initials = np.asarray(pc.replace_substring_regex(karr, r"(\S)\S*\s*", r"\1").to_numpy(zero_copy_only=False), dtype=object)
    rows, cols = [], []
    pending = [(np.arange(len(klist)), 1)]
    while pending:
        idx, words = pending.pop()
        block = _block_keys(karr.take(pa.array(idx)), words)
        codes, uniques = pd.factorize(block)
        order = np.argsort(codes, kind="stable")
        bounds = np.r_[0, np.flatnonzero(np.diff(codes[order])) + 1, len(order)]
        big = np.flatnonzero(np.diff(bounds) > 1)  # blocks of two keys or more
        for start, end in zip(bounds[big], bounds[big + 1]):
            sub = idx[order[start:end]]
            if len(sub) > max_block and words < 3:
                pending.append((sub, words + 1))
                continue
            names = [klist[i] for i in sub]
            d = process.cdist(names, names, scorer=Indel.distance, score_cutoff=max_edits, dtype=np.int32, workers=workers)
            lens = np.fromiter((len(x) for x in names), dtype=np.int32, count=len(names))
            # ratio = 100 * (1 - d / (len_a + len_b)) >= threshold
            ok = (d <= max_edits) & (100.0 * d <= (100.0 - threshold) * (lens[:, None] + lens[None, :]))
            a, b = np.nonzero(np.triu(ok, 1))
            if len(a):
                same = (digits[sub[a]] == digits[sub[b]]) & (initials[sub[a]] == initials[sub[b]])
                rows.append(sub[a][same])
                cols.append(sub[b][same])
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    r, c = np.concatenate(rows).astype(np.int64), np.concatenate(cols).astype(np.int64)
    if len(r):
        from .divisions import place_signatures, places_conflict

        involved = np.unique(np.concatenate([r, c]))
        sig = np.full(len(klist), "", dtype=object)
        sig[involved] = place_signatures(karr.take(pa.array(involved)))
        keep = ~places_conflict(sig[r], sig[c])
        r, c = r[keep], c[keep]
    return r, c


def components(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Connected-component label (0..k-1) of each of ``n`` items linked by (rows, cols)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    g = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    return labels.astype(np.int64)
