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

from .._arrow import regroup

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


def _short_words(keys: pa.Array) -> np.ndarray:
    """The words of one or two characters of each key, sorted and joined by spaces ("" when
    none), in Arrow: the short words sorted by (key, word), then joined key by key."""
    words = pc.split_pattern(keys, " ")
    flat = pc.list_flatten(words)
    short = pc.less_equal(pc.utf8_length(flat), 2)
    t = pa.table({"p": pc.list_parent_indices(words).filter(short), "c": flat.filter(short)})
    t = t.take(pc.sort_indices(t, sort_keys=[("p", "ascending"), ("c", "ascending")]))
    joined = pc.binary_join(regroup(t, len(keys)), " ")
    return np.asarray(joined.to_numpy(zero_copy_only=False), dtype=object)


def fuzzy_links(keys, threshold: float = DEFAULT_THRESHOLD, max_block: int = DEFAULT_MAX_BLOCK,
                workers: int = 1, max_edits: int = DEFAULT_MAX_EDITS) -> tuple[np.ndarray, np.ndarray]:
    """Pairs ``(i, j)``, ``i < j``, of key indices that link (rules in the module docstring)."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    karr = keys if isinstance(keys, pa.Array) else pa.array(list(keys), pa.string())
    klist = karr.to_pylist()
    digits = np.asarray(pc.replace_substring_regex(karr, r"[^0-9]", "").to_numpy(zero_copy_only=False), dtype=object)
    sig = _short_words(karr)
    digits = np.char.add(np.char.add(digits.astype(str), "|"), sig.astype(str)).astype(object)
    initials = np.asarray(pc.replace_substring_regex(karr, r"(\S)\S*\s*", r"\1").to_numpy(zero_copy_only=False), dtype=object)
    klen = np.asarray(pc.utf8_length(karr).to_numpy(zero_copy_only=False), dtype=np.int32)  # len() of each key
    kobj = np.asarray(klist, dtype=object)
    rows, cols = [], []
    pending = [(np.arange(len(klist)), 1)]
    while pending:
        idx, words = pending.pop()
        block = _block_keys(karr.take(pa.array(idx)), words)
        codes, uniques = pd.factorize(block)
        order = np.argsort(codes, kind="stable")
        bounds = np.r_[0, np.flatnonzero(np.diff(codes[order])) + 1, len(order)]
        sizes = np.diff(bounds)
        split = (sizes > max_block) & (words < 3)
        for b in np.flatnonzero(split):  # blocks too large: split by one more word
            pending.append((idx[order[bounds[b]:bounds[b + 1]]], words + 1))
        # the pairs of every other block of two keys or more, in block order (row-major in each block)
        small = np.flatnonzero((sizes > 1) & (sizes <= _SMALL_BLOCK) & ~split)
        large = np.flatnonzero((sizes > _SMALL_BLOCK) & ~split)
        parts = [_small_block_pairs(idx[order], bounds[small], sizes[small], small, kobj, klen, threshold, max_edits, workers)]
        for b in large:
            sub = idx[order[bounds[b]:bounds[b + 1]]]
            d = process.cdist(kobj[sub], kobj[sub], scorer=Indel.distance, score_cutoff=max_edits, dtype=np.int32,
                              workers=workers)
            a, c = np.nonzero(np.triu(_linked(d, klen[sub][:, None], klen[sub][None, :], threshold, max_edits), 1))
            parts.append((sub[a], sub[c], np.full(len(a), b)))
        a = np.concatenate([p[0] for p in parts])
        c = np.concatenate([p[1] for p in parts])
        rank = np.argsort(np.concatenate([p[2] for p in parts]), kind="stable")  # block order
        a, c = a[rank], c[rank]
        if len(a):
            same = (digits[a] == digits[c]) & (initials[a] == initials[c])
            rows.append(a[same])
            cols.append(c[same])
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


#: Blocks of at most this many keys are compared pair by pair, all such blocks in one
#: ``rapidfuzz.process.cpdist`` call; larger ones with a ``cdist`` matrix each.
_SMALL_BLOCK = 64
#: Pairs compared per ``cpdist`` call (bounds memory).
_PAIR_CHUNK = 1 << 20


def _linked(d: np.ndarray, len_a: np.ndarray, len_b: np.ndarray, threshold: float, max_edits: int) -> np.ndarray:
    """Indel distance within ``max_edits`` and ratio = 100 * (1 - d / (len_a + len_b)) >= threshold."""
    return (d <= max_edits) & (100.0 * d <= (100.0 - threshold) * (len_a + len_b))


def _small_block_pairs(keys: np.ndarray, starts: np.ndarray, sizes: np.ndarray, blocks: np.ndarray, kobj: np.ndarray,
                       klen: np.ndarray, threshold: float, max_edits: int, workers: int):
    """Linked pairs ``(a, b, block)`` of small blocks (``keys[start:start + size]``), every
    pair ``i < j`` of each block in block order, row-major; distances by ``cpdist``."""
    from rapidfuzz import process
    from rapidfuzz.distance import Indel

    pa_, pb_, blk = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
    for m in np.unique(sizes):
        sel = np.flatnonzero(sizes == m)
        i, j = np.triu_indices(int(m), 1)
        pa_.append((starts[sel][:, None] + i[None, :]).ravel())
        pb_.append((starts[sel][:, None] + j[None, :]).ravel())
        blk.append(np.repeat(sel, len(i)))
    order = np.argsort(np.concatenate(blk), kind="stable")
    a, b = keys[np.concatenate(pa_)[order]], keys[np.concatenate(pb_)[order]]
    blk = blocks[np.concatenate(blk)[order]]
    keep = np.zeros(len(a), dtype=bool)
    for s in range(0, len(a), _PAIR_CHUNK):
        ca, cb = a[s:s + _PAIR_CHUNK], b[s:s + _PAIR_CHUNK]
        d = process.cpdist(kobj[ca], kobj[cb], scorer=Indel.distance, score_cutoff=max_edits, dtype=np.int32,
                           workers=workers)
        keep[s:s + len(ca)] = _linked(d, klen[ca], klen[cb], threshold, max_edits)
    return a[keep], b[keep], blk[keep]


def components(n: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Connected-component label (0..k-1) of each of ``n`` items linked by (rows, cols)."""
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    g = coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))
    _, labels = connected_components(g, directed=False)
    return labels.astype(np.int64)
