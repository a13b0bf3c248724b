"""Claim-based indicators per document: how many independent claims, how long the first
and the shortest independent claim, how many claims, how many dependent claims per
independent one.

A longer first claim carries more limitations and so protects less: the number of words of
the first (or shortest) independent claim is the claim-based measure of patent scope, and
the number of independent claims measures how many distinct inventions a patent protects
(Marco, Sarnoff & deGrazia 2019; Kuhn & Thompson 2019). Definitions, with the segmentation
and dependency rules, are in ``docs/methods.md`` (section 13).

Everything runs in Arrow kernels (RE2 regular expressions over whole string columns) and
numpy over the claims of many documents at once; no Python code runs per document or per
claim. Documents are processed in chunks so that memory stays bounded for a million
documents with their claims text.

References
----------
Marco, A. C., Sarnoff, J. D. & deGrazia, C. A. W. (2019). Patent claims and patent scope.
*Research Policy* 48(9), 103790. doi:10.1016/j.respol.2019.04.014.

Kuhn, J. M. & Thompson, N. C. (2019). How to measure and draw causal inferences with patent
scope. *International Journal of the Economics of Business* 26(1), 5-38.
doi:10.1080/13571516.2018.1553284.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "CLAIM_INDICATORS",
    "COLUMN_DOCS",
    "REFERENCE_PATTERN",
    "split_claims",
    "refers_to_claim",
    "count_words",
    "count_han",
    "claim_indicators",
]

#: The indicator columns of :func:`claim_indicators` (all null where they cannot be known).
CLAIM_INDICATORS = ("total_claims", "independent_claims", "dependent_claims", "dependent_ratio",
                    "first_claim_words", "shortest_independent_claim_words")

COLUMN_DOCS: dict[str, str] = {
    "claims_coverage": "What the claims text holds: all, independent (the independent claims only) or first (主权项).",
    "claim_length_unit": "Unit of the claim lengths: word (whitespace-separated tokens with a letter or digit) or han "
                         "(Han characters, for claims written in Chinese).",
    "claims_parsed": "Claims found in the claims text.",
    "total_claims": "Number of claims: claims_count as the source gives it, else the claims found when the text "
                    "holds all claims.",
    "independent_claims": "Claims that refer to no other claim (markup or text).",
    "dependent_claims": "Claims that refer to another claim.",
    "dependent_ratio": "Dependent claims per independent claim.",
    "first_claim_words": "Length of claim 1 (words, or Han characters for Chinese claims); longer = narrower.",
    "shortest_independent_claim_words": "Length of the shortest independent claim, in the same unit.",
}

# A claim starts with its number and a full stop or 、 after the start of the text or a
# boundary (line break, space, 。 ; : after NFKC); "claim 1." and "1.5 mm" also match and are
# sorted out by the numbering rule.
_START = (r"(^|[\n\r\t \x{3000}\x{3002};:])[ \t\x{3000}]*([0-9]{1,3})[ \t\x{3000}]*[.\x{3001}]")
_MARK, _SEP = "\x1f", "\x1e"  # sentinels: start of a numbered piece, end of its number
_NUMBER = r"^(?P<n>[0-9]{1,3})\x1e"
_LINE_NUMBER = r"^(?P<n>[0-9]{1,3})\. "  # a stored claim line: "N. text"
_GLUED = r"^[0-9]{1,3}\x1e [^ \t\n\r\x{3000}]"  # "1.A" or "1.5": no space after the full stop
_DECIMAL = r"^[0-9]{1,3}\x1e [0-9]"  # "1.5": a decimal number, never a claim start
_FIRST_NUMBER = r"^[ \t\n\r\x{3000}]*[0-9]{1,3}[ \t\x{3000}]*[.\x{3001}][ \t\x{3000}]*"

#: Text that makes a claim dependent: a reference to another claim (case-insensitive).
REFERENCE_PATTERN = (
    r"(?i)"
    r"\bclaims?[ \t]*(?:no\.?[ \t]*)?[0-9]"  # claim 3, claims 1 to 3, claim no. 2, claim1
    r"|\b(?:preceding|previous|foregoing|above|prior|aforementioned|aforesaid)[ \t]+claims?\b"  # any preceding claim
    r"|\banspr(?:uch|uchs|üche|üchen)[ \t]*[0-9]"  # nach Anspruch 1
    r"|\brevendications?[ \t]*[0-9]"  # selon la revendication 1
    r"|权利要求[ \t]*[0-9]"  # 根据权利要求1所述, 如权利要求1-3任一项
    r"|(?:前述|上述|以上|前面)[^。；;]{0,8}权利要求"  # 如前述任一项权利要求
    r"|請求項[ \t]*[0-9]|청구항[ \t]*[0-9]"
)
# a piece that ends with the word before a claim number split off by the segmentation
_ENDS_WITH_CLAIM = r"(?i)(?:\bclaims?|权利要求|請求項|청구항|\banspr(?:uch|uchs|üche|üchen)|\brevendications?)[ \t\x{3000}]*$"

_CHUNK = 20_000  # documents at a time: about 110 MB of claims text, 1 GB of working memory
_EMPTY = pa.schema([("doc", pa.int64()), ("number", pa.int32()), ("words", pa.int64()), ("han", pa.int64()), ("refers", pa.bool_())])
_MAX_NUMBER = 1000


def _bytes(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes of a string array (a view, no copy) and each string's (start, end)
    offsets into them, as int64 (null strings are empty)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    large = pa.types.is_large_string(texts.type)
    if not (large or pa.types.is_string(texts.type)):
        texts = texts.cast(pa.string())
    bufs = texts.buffers()
    n = len(texts)
    width = 8 if large else 4
    offsets = np.frombuffer(bufs[1], dtype=np.int64 if large else np.int32, count=n + 1, offset=texts.offset * width).astype(np.int64) \
        if bufs[1] is not None else np.zeros(n + 1, np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None and len(bufs[2]) else np.zeros(0, np.uint8)
    data = data[offsets[0]: offsets[-1]]
    return data, offsets - offsets[0]


def _per_segment(positions: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """How many of the sorted byte ``positions`` fall in each segment ``[offsets[i], offsets[i+1])``."""
    return np.searchsorted(positions, offsets[1:]) - np.searchsorted(positions, offsets[:-1])


def _han_positions(b: np.ndarray, at: np.ndarray | None = None) -> np.ndarray:
    """Positions where a Han character's UTF-8 sequence starts (CJK unified ideographs
    U+3400-4DBF, U+4E00-9FFF, compatibility U+F900-FAFF, the extensions U+20000-3134F);
    ``at``: only these candidate positions are tested (default: every non-ASCII byte)."""
    m = len(b)
    if at is None:
        at = np.flatnonzero(b >= 0xE0)  # lead bytes of 3- and 4-byte sequences
    x = b[at]
    three = at[((x & 0xF0) == 0xE0) & (at < m - 2)]
    four = at[((x & 0xF8) == 0xF0) & (at < m - 3)]
    out = []
    if len(three):
        cp = ((b[three].astype(np.int32) & 0x0F) << 12) | ((b[three + 1].astype(np.int32) & 0x3F) << 6) | (b[three + 2] & 0x3F)
        out.append(three[((cp >= 0x3400) & (cp <= 0x4DBF)) | ((cp >= 0x4E00) & (cp <= 0x9FFF)) | ((cp >= 0xF900) & (cp <= 0xFAFF))])
    if len(four):
        cp = (((b[four].astype(np.int32) & 0x07) << 18) | ((b[four + 1].astype(np.int32) & 0x3F) << 12)
              | ((b[four + 2].astype(np.int32) & 0x3F) << 6) | (b[four + 3] & 0x3F))
        out.append(four[(cp >= 0x20000) & (cp <= 0x3134F)])
    return np.sort(np.concatenate(out)) if out else np.zeros(0, np.int64)


def _alnum(x: np.ndarray) -> np.ndarray:
    low = x | 0x20
    return ((x >= 48) & (x <= 57)) | ((low >= 97) & (low <= 122))


@functools.lru_cache(maxsize=1)
def _alnum_code_points() -> np.ndarray:
    """``str.isalnum`` of every Unicode code point (Unicode categories L and N), built once."""
    return np.fromiter((chr(i).isalnum() if not 0xD800 <= i <= 0xDFFF else False for i in range(0x110000)),
                       dtype=bool, count=0x110000)


def _code_points(b: np.ndarray, at: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(code point, byte length) of the UTF-8 sequences starting at ``at`` (non-ASCII lead
    bytes); a stray continuation byte or a truncated sequence reads as one byte, U+FFFD."""
    m = len(b)
    x = b[at].astype(np.int64)
    n = np.where(x >= 0xF0, 4, np.where(x >= 0xE0, 3, np.where(x >= 0xC0, 2, 1)))
    n = np.where(at + n <= m, n, 1)
    cp = np.full(len(at), 0xFFFD, dtype=np.int64)
    for k, mask in ((2, 0x1F), (3, 0x0F), (4, 0x07)):
        sel = n == k
        if sel.any():
            a = at[sel]
            v = b[a].astype(np.int64) & mask
            for j in range(1, k):
                v = (v << 6) | (b[a + j].astype(np.int64) & 0x3F)
            cp[sel] = v
    return np.clip(cp, 0, 0x10FFFF), n


def _nonword_tokens(b: np.ndarray, starts: np.ndarray, space: np.ndarray, text_start: np.ndarray) -> np.ndarray:
    """The token starts (sorted) of tokens without a letter or digit; a token ends at
    whitespace (``space``) or where the next text starts (``text_start``).

    A token whose first byte is an ASCII letter or digit is a word. The others are followed
    character by character, all at once over a shrinking set: a letter or digit (ASCII, or a
    non-ASCII character of Unicode category L or N) makes a word; whitespace or the end of
    the text ends a token without one. No Python code runs per token.
    """
    m = len(b)
    pending = starts[~_alnum(b[starts])]
    cur = pending.copy()
    nonword = []
    while len(pending):
        ended = cur >= m
        inside = np.flatnonzero(~ended)
        c = cur[inside]
        ended[inside] = space[c] | (text_start[c] & (c != pending[inside]))
        nonword.append(pending[ended])
        pending, cur = pending[~ended], cur[~ended]
        x = b[cur]
        step = np.ones(len(cur), dtype=np.int64)
        word = _alnum(x)
        high = np.flatnonzero(x >= 0x80)
        if len(high):
            cp, n = _code_points(b, cur[high])
            word[high] = _alnum_code_points()[cp]
            step[high] = n
        pending, cur = pending[~word], (cur + step)[~word]
    return np.sort(np.concatenate(nonword)) if nonword else np.zeros(0, np.int64)


def _words_and_han(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(words, Han characters) per text, counted over the UTF-8 bytes with numpy.

    A word is a token between ASCII whitespace or control characters that holds a letter or
    a digit (Unicode categories L and N; see :func:`_nonword_tokens`).
    """
    b, off = _bytes(texts)
    n = len(off) - 1
    if not len(b):
        return np.zeros(n, np.int64), np.zeros(n, np.int64)
    space = b <= 32
    prev = np.empty_like(space)
    prev[0] = True
    prev[1:] = space[:-1]
    prev[off[:-1][off[:-1] < len(b)]] = True  # each text starts a token
    starts = np.flatnonzero(~space & prev)
    text_start = np.zeros(len(b), dtype=bool)  # a token also ends where the next text starts
    text_start[off[:-1][off[:-1] < len(b)]] = True
    words = _per_segment(starts, off) - _per_segment(_nonword_tokens(b, starts, space, text_start), off)
    return words, _per_segment(_han_positions(b), off)


def count_words(texts: pa.Array) -> np.ndarray:
    """Words per text: whitespace-separated tokens that hold at least one letter or digit
    (``"(a)"``, ``"10%"``, ``"anti-lock"`` are one word each; ``";"`` and ``"—"`` are none)."""
    return _words_and_han(texts)[0]


def count_han(texts: pa.Array) -> np.ndarray:
    """Han characters per text (Unicode script Han: CJK unified ideographs and extensions)."""
    return _words_and_han(texts)[1]


def refers_to_claim(texts: pa.Array) -> np.ndarray:
    """Whether each text refers to another claim (:data:`REFERENCE_PATTERN`)."""
    return pc.match_substring_regex(texts, REFERENCE_PATTERN).fill_null(False).to_numpy(zero_copy_only=False).astype(bool)


def _clean(texts: pa.Array) -> pa.Array:
    """Sentinel control characters (U+001C-001F) to spaces, and NFKC for the texts with the
    full-width forms the segmentation reads (digits U+FF10-FF19, ．U+FF0E, ：U+FF1A, ；U+FF1B,
    ideographic space U+3000), each only for the texts that hold them (found in the bytes)."""
    b, off = _bytes(texts)
    if not len(b):
        return texts
    ctrl = _per_segment(np.flatnonzero((b >= 0x1C) & (b <= 0x1F)), off) > 0
    if ctrl.any():
        m = pa.array(ctrl)
        texts = pc.replace_with_mask(texts, m, pc.replace_substring_regex(texts.filter(m), r"[\x1c-\x1f]", " "))
        b, off = _bytes(texts)
    lead = np.flatnonzero(b >= 0xE3)
    lead = lead[lead < len(b) - 2]
    x, b1, b2 = b[lead], b[lead + 1], b[lead + 2]
    hit = lead[((x == 0xEF) & (b1 == 0xBC) & (((b2 >= 0x90) & (b2 <= 0x9B)) | (b2 == 0x8E)))
               | ((x == 0xE3) & (b1 == 0x80) & (b2 == 0x80))]
    wide = _per_segment(hit, off) > 0
    if wide.any():
        m = pa.array(wide)
        texts = pc.replace_with_mask(texts, m, pc.utf8_normalize(texts.filter(m), "NFKC"))
    return texts


def _grouped_first(keys: np.ndarray, n_groups: int) -> np.ndarray:
    """Index of the first element of each group (sorted ``keys``), -1 for empty groups."""
    out = np.full(n_groups, -1, dtype=np.int64)
    first = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]]) if len(keys) else np.zeros(0, np.int64)
    out[keys[first]] = first
    return out


def _accept_sequential(doc: np.ndarray, num: np.ndarray, n_docs: int) -> np.ndarray:
    """Greedy claim numbering: in each document, claim 1 is the first candidate numbered 1,
    claim k the first candidate numbered k after claim k-1.

    ``doc`` and ``num`` describe the candidates in text order (``doc`` non-decreasing). One
    vectorised step per claim number, over the candidates with that number only.
    """
    m = len(num)
    accepted = np.zeros(m, dtype=bool)
    if not m:
        return accepted
    g = np.arange(m, dtype=np.int64)
    order = np.lexsort((g, num))
    n_s, d_s, g_s = num[order], doc[order], g[order]
    top = int(n_s[-1])
    bounds = np.searchsorted(n_s, np.arange(1, top + 2))
    # k = 1: the first candidate numbered 1 of each document
    lo, hi = bounds[0], bounds[1]
    d1, g1 = d_s[lo:hi], g_s[lo:hi]
    first = np.flatnonzero(np.r_[True, d1[1:] != d1[:-1]]) if len(d1) else np.zeros(0, np.int64)
    act_doc, act_g = d1[first], g1[first]
    accepted[act_g] = True
    for k in range(2, top + 1):
        if not len(act_doc):
            break
        lo, hi = bounds[k - 1], bounds[k]
        if lo == hi:
            break
        dk, gk = d_s[lo:hi], g_s[lo:hi]  # text order, so also document order
        i = np.searchsorted(gk, act_g, side="right")
        ok = i < len(gk)
        ok[ok] = dk[i[ok]] == act_doc[ok]
        act_doc, act_g = act_doc[ok], gk[i[ok]]
        accepted[act_g] = True
    return accepted


def _accept_increasing(doc: np.ndarray, num: np.ndarray) -> np.ndarray:
    """Claim numbering of a text holding only some claims (the independent ones): a candidate
    starts a claim when its number exceeds every number before it in the document."""
    if not len(num):
        return np.zeros(0, dtype=bool)
    key = doc.astype(np.int64) * (_MAX_NUMBER + 1) + num
    run = np.maximum.accumulate(key)
    prev = np.r_[-1, run[:-1]]
    return key > prev


def split_claims(claims, coverage=None) -> pa.Table:
    """The claims of each text: one row per claim, in order.

    Parameters
    ----------
    claims : array-like of str
        Claims texts (null: no claims). ``N. text`` lines as the readers store them, or free
        text with numbered claims (``1.一种…2.根据权利要求1所述…``).
    coverage : array-like of str, optional
        ``claims_coverage`` per text: ``all`` (claims numbered 1, 2, 3, ...: claim k is the
        first ``k.`` after claim k-1, so that ``claim 1.`` inside a claim is not a claim),
        ``independent`` (a subset: numbers increase), ``first`` (the text is claim 1; not
        split). Default ``all``.

    Returns
    -------
    pyarrow.Table
        ``doc`` (row of the text), ``number`` (claim number), ``words``, ``han`` (length of
        the claim text without its number, see :func:`count_words`, :func:`count_han`),
        ``refers`` (the text refers to another claim, :data:`REFERENCE_PATTERN`). A text
        without a claim numbered 1 (nor any accepted number) is one claim numbered 1.

    Examples
    --------
    >>> t = split_claims(["1. A drone comprising four arms.\\n2. The drone of claim 1, wherein the arms fold."])
    >>> t.select(["number", "words", "refers"]).to_pylist()
    [{'number': 1, 'words': 5, 'refers': False}, {'number': 2, 'words': 9, 'refers': True}]
    """
    texts = claims if isinstance(claims, (pa.Array, pa.ChunkedArray)) else pa.array(list(claims), pa.string())
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks()
    texts = texts.cast(pa.string())
    n = len(texts)
    if coverage is None:
        cov = np.full(n, "all", dtype=object)
    else:
        cov_a = coverage if isinstance(coverage, (pa.Array, pa.ChunkedArray)) else pa.array(list(coverage), pa.string())
        cov_a = cov_a.combine_chunks() if isinstance(cov_a, pa.ChunkedArray) else cov_a
        cov = np.asarray(cov_a.fill_null("all").to_numpy(zero_copy_only=False), dtype=object)
    texts = _clean(texts)
    first_only = cov == "first"
    split_rows = np.flatnonzero(~first_only & pc.is_valid(texts).to_numpy(zero_copy_only=False))
    sub = texts if len(split_rows) == n else texts.take(pa.array(split_rows))
    parts = [_split(sub, split_rows, cov[split_rows] == "independent")]
    one = np.flatnonzero(first_only & pc.is_valid(texts).to_numpy(zero_copy_only=False))
    if len(one):
        t1 = pc.replace_substring_regex(texts.take(pa.array(one)), _FIRST_NUMBER, "", max_replacements=1)
        words, han = _words_and_han(t1)
        parts.append(pa.table({"doc": pa.array(one, pa.int64()), "number": pa.array(np.ones(len(one), np.int32)),
                               "words": pa.array(words), "han": pa.array(han), "refers": pa.array(refers_to_claim(t1))}))
    out = pa.concat_tables(parts)
    return out.take(pc.sort_indices(out, sort_keys=[("doc", "ascending"), ("number", "ascending")]))


def _split(texts: pa.Array, rows: np.ndarray, increasing: np.ndarray) -> pa.Table:
    """:func:`split_claims` for texts that may hold several claims (``rows``: their rows).

    Texts of several lines that all start with ``N. `` (as the readers store claims) are
    split at the line breaks; the others (free text: ``1.一种…2.根据…``) at every candidate
    claim start found by :data:`_START`. Either way the numbering rule then decides.
    """
    lines = pc.split_pattern(texts, "\n")
    parent = pc.list_parent_indices(lines).to_numpy().astype(np.int64)
    flat = pc.list_flatten(lines)
    numtxt = pc.struct_field(pc.extract_regex(flat, _LINE_NUMBER), "n")
    n_lines = np.bincount(parent, minlength=len(texts))
    n_numbered = np.bincount(parent[pc.is_valid(numtxt).to_numpy(zero_copy_only=False)], minlength=len(texts))
    canon = (n_lines > 1) & (n_numbered == n_lines)
    parts = []
    if canon.any():
        keep = canon[parent]
        sub = lines.filter(pa.array(canon))
        num = pc.cast(numtxt.filter(pa.array(keep)), pa.int64()).to_numpy(zero_copy_only=False).astype(np.int64)
        p = pc.list_parent_indices(sub).to_numpy().astype(np.int64)
        offs = np.asarray(sub.offsets.to_numpy(), dtype=np.int64)
        pos = np.arange(len(p), dtype=np.int64) - (offs[p] - offs[0])
        zeros = np.zeros(len(p), dtype=bool)
        parts.append(_claims_of_pieces(pc.list_flatten(sub), p, pos, num, zeros, zeros, offs, rows[canon], increasing[canon],
                                       preamble=False))
    if (~canon).any():
        free = pa.array(~canon)
        marked = pc.replace_substring_regex(texts.filter(free), _START, "\\1" + _MARK + "\\2" + _SEP + " ")
        sub = pc.split_pattern(marked, _MARK)
        pieces = pc.list_flatten(sub)
        p = pc.list_parent_indices(sub).to_numpy().astype(np.int64)
        offs = np.asarray(sub.offsets.to_numpy(), dtype=np.int64)
        pos = np.arange(len(p), dtype=np.int64) - (offs[p] - offs[0])
        num = pc.cast(pc.struct_field(pc.extract_regex(pieces, _NUMBER), "n"), pa.int64()).fill_null(0) \
            .to_numpy(zero_copy_only=False).astype(np.int64)
        decimal = pc.match_substring_regex(pieces, _DECIMAL).fill_null(False).to_numpy(zero_copy_only=False)
        glued = pc.match_substring_regex(pieces, _GLUED).fill_null(False).to_numpy(zero_copy_only=False)
        parts.append(_claims_of_pieces(pieces, p, pos, num, decimal, glued, offs, rows[~canon], increasing[~canon],
                                       preamble=True))
    return pa.concat_tables(parts) if parts else _EMPTY.empty_table()


def _claims_of_pieces(pieces: pa.Array, parent: np.ndarray, pos: np.ndarray, num: np.ndarray, decimal: np.ndarray,
                      glued: np.ndarray, offsets: np.ndarray, rows: np.ndarray, increasing: np.ndarray,
                      preamble: bool) -> pa.Table:
    """Claims from numbered pieces of text: which pieces start a claim (the numbering rule),
    and each claim's length and references. ``num`` is a piece's leading number (0: none),
    ``decimal`` marks "1.5"-like starts, ``glued`` starts with no space after the full stop;
    with ``preamble`` the first piece of each text comes before any number."""
    n = len(rows)
    num = num.copy()
    if preamble:
        num[pos == 0] = 0  # the text before the first number (a preamble) is no candidate
    num[decimal] = 0
    cand = np.flatnonzero(num > 0)
    accepted = np.zeros(len(num), dtype=bool)
    inc = increasing[parent[cand]]
    if (~inc).any():
        c = cand[~inc]
        accepted[c[_accept_sequential(parent[c], num[c], n)]] = True
    if inc.any():
        c = cand[inc]
        accepted[c[_accept_increasing(parent[c], num[c])]] = True
    # a text without an accepted claim is one claim numbered 1, starting at its first piece
    has = np.bincount(parent[accepted], minlength=n) > 0
    lone = ~has[parent] & (pos == 0)
    accepted |= lone
    num = np.where(lone, 1, num)
    # claim of each piece; pieces before a document's first claim (a preamble) are dropped
    csum = np.cumsum(accepted)
    starts = offsets[:-1] - offsets[0]
    before = np.r_[0, csum][starts]  # claims accepted before each document
    keep = (csum - before[parent]) > 0
    cid = csum - 1
    words, han = _words_and_han(pieces)
    # the number token of a piece: a claim's own number is no word (unless the text has
    # none); a rejected "1." glued to the next characters ("1.5") was one word before the split
    has_number = num > 0
    words = words - ((accepted & has_number & ~lone) | (~accepted & has_number & glued)).astype(np.int64)
    words = words - (~accepted & decimal).astype(np.int64)
    refers = refers_to_claim(pieces)
    # "... of claim" + "1. ..." split apart by a rejected candidate: still a reference
    nxt = np.r_[(num[1:] > 0) | decimal[1:], False] & np.r_[parent[1:] == parent[:-1], False] & ~np.r_[accepted[1:], False]
    if nxt.any():
        idx = np.flatnonzero(nxt)
        ends = pc.match_substring_regex(pieces.take(pa.array(idx)), _ENDS_WITH_CLAIM).fill_null(False)
        refers[idx] |= ends.to_numpy(zero_copy_only=False)
    k = int(csum[-1]) if len(csum) else 0
    cid_k = cid[keep]
    c_words = np.bincount(cid_k, weights=words[keep], minlength=k).astype(np.int64)
    c_han = np.bincount(cid_k, weights=han[keep], minlength=k).astype(np.int64)
    c_ref = np.bincount(cid_k, weights=refers[keep].astype(np.int64), minlength=k) > 0
    return pa.table({"doc": pa.array(rows[parent[accepted]], pa.int64()), "number": pa.array(num[accepted].astype(np.int32)),
                     "words": pa.array(c_words), "han": pa.array(c_han), "refers": pa.array(c_ref)})


def _markup_keys(lists: pa.Array, rows_offset: int = 0) -> np.ndarray:
    """``doc * (_MAX_NUMBER + 1) + number`` of the claims marked dependent by the source."""
    flat = pc.list_flatten(lists).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    parent = pc.list_parent_indices(lists).to_numpy().astype(np.int64) + rows_offset
    return parent * (_MAX_NUMBER + 1) + np.clip(flat, 0, _MAX_NUMBER)


def _chunk_indicators(t: pa.Table) -> dict[str, np.ndarray]:
    n = t.num_rows
    claims = t["claims"].combine_chunks()
    cov = t["claims_coverage"].combine_chunks()
    cov_np = np.asarray(cov.fill_null("all").to_numpy(zero_copy_only=False), dtype=object)
    design = pc.equal(t["document_type"].combine_chunks(), "design").fill_null(False).to_numpy(zero_copy_only=False)
    has_text = pc.is_valid(claims).to_numpy(zero_copy_only=False) & ~design
    cl = split_claims(pc.if_else(pa.array(has_text), claims, pa.scalar(None, pa.string())), cov)
    doc = cl["doc"].to_numpy()
    number = cl["number"].to_numpy().astype(np.int64)
    words, han = cl["words"].to_numpy(), cl["han"].to_numpy()
    marked = np.isin(doc * (_MAX_NUMBER + 1) + number, _markup_keys(t["dependent_claim_numbers"].combine_chunks()))
    dep = cl["refers"].to_numpy(zero_copy_only=False) | marked
    # texts of the independent claims only: every claim in them is independent
    dep &= cov_np[doc] != "independent"

    parsed = np.bincount(doc, minlength=n)
    first = _grouped_first(doc, n)
    unit_han = np.zeros(n, dtype=bool)
    ok = first >= 0
    unit_han[ok] = han[first[ok]] > words[first[ok]]
    length = np.where(unit_han[doc], han, words).astype(np.float64)
    first_len = np.full(n, np.nan)
    first_is_1 = ok.copy()
    first_is_1[ok] = number[first[ok]] == 1
    first_len[first_is_1] = length[first[first_is_1]]

    indep = np.bincount(doc, weights=(~dep).astype(np.int64), minlength=n)
    depn = np.bincount(doc, weights=dep.astype(np.int64), minlength=n)
    short = np.full(n, np.inf)
    np.minimum.at(short, doc[~dep], length[~dep])
    short[~np.isfinite(short)] = np.nan

    cc = t["claims_count"].combine_chunks().to_numpy(zero_copy_only=False)
    cc = pd.array(cc, dtype="Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    is_all, is_ind, is_first = (cov_np == "all") & has_text, (cov_np == "independent") & has_text, (cov_np == "first") & has_text
    total = np.where(design, np.nan, cc)
    total = np.where(np.isnan(total) & is_all & (parsed > 0), parsed, total)
    # all claims were given, but fewer or more were found than the source counts: the
    # segmentation is in doubt, so counts that need every claim are not given
    mismatch = is_all & ~np.isnan(cc) & (parsed != cc)
    known_split = (is_all & ~mismatch) | is_ind
    independent = np.where(known_split, indep, np.nan)
    dependent = np.where(is_all & ~mismatch, depn, np.where(is_ind & ~np.isnan(total), total - indep, np.nan))
    dependent = np.where(dependent < 0, np.nan, dependent)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(independent > 0, dependent / independent, np.nan)
    shortest = np.where(known_split, short, np.nan)
    first_len = np.where(has_text, first_len, np.nan)
    cov_out = np.where(has_text, cov_np, None)
    unit = np.where(has_text, np.where(unit_han, "han", "word"), None)
    return {"claims_coverage": cov_out, "claim_length_unit": unit,
            "claims_parsed": np.where(has_text, parsed, np.nan), "total_claims": total,
            "independent_claims": independent, "dependent_claims": dependent, "dependent_ratio": ratio,
            "first_claim_words": first_len, "shortest_independent_claim_words": shortest,
            "_mismatch": mismatch, "_design": design & pc.is_valid(claims).to_numpy(zero_copy_only=False),
            "_first": is_first}


def claim_indicators(corpus, chunk_size: int = _CHUNK) -> pd.DataFrame:
    """Claim-based indicators of every document (corpus order).

    Parameters
    ----------
    corpus : Corpus
        Uses ``claims``, ``claims_coverage``, ``dependent_claim_numbers``, ``claims_count``
        and ``document_type``.
    chunk_size : int
        Documents processed at a time (bounds the memory used for their claims text).

    Returns
    -------
    pandas.DataFrame
        ``publication_number`` and the columns of :data:`COLUMN_DOCS`: ``claims_coverage``,
        ``claim_length_unit``, ``claims_parsed``, ``total_claims``, ``independent_claims``,
        ``dependent_claims``, ``dependent_ratio``, ``first_claim_words``,
        ``shortest_independent_claim_words``. A claim is dependent when the source's markup
        says so (``dependent_claim_numbers``) or its text refers to another claim
        (:data:`REFERENCE_PATTERN`). Null, never 0, where the indicator cannot be known:
        design patents; documents without claims text (``total_claims`` then comes from
        ``claims_count`` alone); counts that need every claim when the text holds only the
        first claim, or when the claims found disagree with ``claims_count``.
        ``attrs["availability"]`` says, per indicator, for how many documents it is given
        and why not for the others.

    References
    ----------
    Marco, Sarnoff & deGrazia (2019), *Research Policy* 48(9); Kuhn & Thompson (2019),
    *Int. J. of the Economics of Business* 26(1). See ``docs/methods.md``, section 13.

    Examples
    --------
    >>> ci = patentnav.claim_indicators(patentnav.read("ipg050104.small.xml"))  # doctest: +SKIP
    >>> ci[["publication_number", "independent_claims", "first_claim_words"]].head(2)  # doctest: +SKIP
    """
    return _claim_indicators(corpus, chunk_size)


def _claim_indicators(corpus, chunk_size: int = _CHUNK, numbers: bool = True) -> pd.DataFrame:
    """:func:`claim_indicators`; without ``numbers`` the frame has no ``publication_number``
    column (a caller that joins by corpus order does not need a million Python strings)."""
    t = corpus.table if hasattr(corpus, "table") else corpus
    n = t.num_rows
    cols = ["claims", "claims_coverage", "dependent_claim_numbers", "claims_count", "document_type"]
    parts = [_chunk_indicators(t.select(cols).slice(a, chunk_size)) for a in range(0, n, chunk_size)] or \
        [_chunk_indicators(t.select(cols).slice(0, 0))]
    cat = {k: np.concatenate([p.pop(k) for p in parts]) for k in list(parts[0])}  # each key's chunks go once joined
    del parts
    out = pd.DataFrame({"publication_number": t["publication_number"].to_numpy()} if numbers else {},
                       index=None if numbers else pd.RangeIndex(n))
    for c in ("claims_coverage", "claim_length_unit"):
        out[c] = pd.array(cat.pop(c), dtype=object)
    for c in ("claims_parsed",) + CLAIM_INDICATORS:
        v = pd.array(cat.pop(c), dtype="Float64")
        out[c] = v if c == "dependent_ratio" else v.round().astype("Int64")
        del v
    out["dependent_ratio"] = out["dependent_ratio"].astype("float64")
    out.attrs["availability"] = _availability(out, cat, n)
    out.attrs["available"] = {c: bool(out[c].notna().any()) for c in CLAIM_INDICATORS}
    return out


def _availability(out: pd.DataFrame, cat: dict, n: int) -> dict[str, str]:
    text = int(out["claims_coverage"].notna().sum())
    design = int(cat["_design"].sum())
    mismatch = int(cat["_mismatch"].sum())
    first = int(cat["_first"].sum())
    han = int((out["claim_length_unit"] == "han").sum())
    if text == 0:
        base = (f"no claims text in this corpus (0 of {n:,} documents)" if not design else
                f"no claims text except {design:,} design patents, which have no claim-based indicators")
        notes = {c: f"{c}: {base}" for c in CLAIM_INDICATORS}
        k = int(out["total_claims"].notna().sum())
        notes["total_claims"] = (f"total_claims: claims_count given for {k:,} of {n:,} documents; {base}" if k else
                                 f"total_claims: {base}, and no claims_count")
        return notes
    extra = []
    if first:
        extra.append(f"{first:,} hold only the first claim (主权项): no independent or dependent counts")
    if mismatch:
        extra.append(f"{mismatch:,} where the claims found differ from claims_count: counts not given")
    if design:
        extra.append(f"{design:,} design patents excluded")
    if han:
        extra.append(f"{han:,} measured in Han characters")
    tail = ("; " + "; ".join(extra)) if extra else ""
    return {c: f"{c}: given for {int(out[c].notna().sum()):,} of {n:,} documents "
               f"({text:,} with claims text){tail}" for c in CLAIM_INDICATORS}
