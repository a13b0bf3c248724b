"""IPC and CPC symbols: parsing every common spelling, validation, hierarchy, truncation.

Canonical form is the compact one used by Lens, the CNIPA concordance and most exports:
``H04W72/04`` (subclass, main group without leading zeros, ``/``, subgroup of at least
two digits). Accepted spellings:

* ``H04W 72/04``, ``H04W72/04``, ``H04W  072/04``, ``H04W-72/04``
* the 14-character WIPO/DOCDB form ``H04W0072040000`` (4-digit main group, 6-digit subgroup)
* a version or an IPC8 indicator after the symbol: ``H04W 72/04 (2009.01)``,
  ``H04W 72/04 20090101AFI20151208BHEP``
* CPC additions: section ``Y`` (``Y02E10/50``) and 2000-series indexing groups
  (``B64C2201/123``)
* a subclass alone (``H04W``) and a main group written without subgroup (``H04W72``,
  read as ``H04W72/00``)
* full-width characters (``Ｈ０４Ｗ７２／０４``, NFKC-normalised)

Subgroup digits are a decimal fraction (as the 6-digit field of the 14-character form
shows): trailing zeros beyond the second digit are dropped, so ``H04W72/040`` and
``H04W0072040000`` are both ``H04W72/04``. Main group 0 does not exist and is rejected.

The hierarchy follows the IPC Guide (WIPO, 2024), paragraphs 11-27: section (1 letter),
class (section + 2 digits), subclass (class + 1 letter), main group (``/00``), subgroup.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Literal

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import map_distinct, map_unique, regroup

__all__ = [
    "IpcCode",
    "parse_ipc",
    "normalize_ipc",
    "normalize_ipc_array",
    "normalize_ipc_lists",
    "truncate",
    "truncate_array",
    "LEVELS",
    "to_wipo14",
]

Level = Literal["section", "class", "subclass", "main_group", "subgroup"]
LEVELS: tuple[str, ...] = ("section", "class", "subclass", "main_group", "subgroup")

_SECTIONS = "ABCDEFGHY"
#: The canonical form: subclass, then optionally a main group without leading zeros, ``/`` and
#: a subgroup of two digits or more without trailing zeros beyond the second (``str(IpcCode)``).
_CANONICAL_PATTERN = r"([A-HY][0-9]{2}[A-Z])(?:([1-9][0-9]{0,3})/([0-9]{2}|[0-9]{2,5}[1-9]))?"
_CANONICAL = re.compile(_CANONICAL_PATTERN)  # use with fullmatch
_WIPO14 = re.compile(r"^([A-HY][0-9]{2}[A-Z])([0-9]{4})([0-9]{6})$")
_SYMBOL = re.compile(
    r"^([A-HY])\s*([0-9]{2})\s*([A-Z])"  # subclass
    r"(?:[\s\-]*0*([0-9]{1,4})(?:\s*/\s*([0-9]{1,6}))?)?"  # main group / subgroup
    r"(?:\s*\(\s*[0-9]{4}[.\-][0-9]{2}\s*\)|\s+[0-9]{8}\S*|\s*[0-9]{8}[A-Z]{3}\S*)?\s*$"
)


@dataclass(frozen=True, slots=True)
class IpcCode:
    """A parsed IPC/CPC symbol.

    Attributes
    ----------
    subclass : str
        Four characters, e.g. ``"H04W"``.
    main_group : int or None
        Main group number (``72``), None for a subclass-only symbol.
    subgroup : str or None
        Subgroup digits as written after ``/`` (``"04"``, ``"123"``), ``"00"`` for a
        main group, None for a subclass-only symbol.
    """

    subclass: str
    main_group: int | None = None
    subgroup: str | None = None

    @property
    def section(self) -> str:
        return self.subclass[0]

    @property
    def class_(self) -> str:
        return self.subclass[:3]

    @property
    def level(self) -> str:
        if self.main_group is None:
            return "subclass"
        return "main_group" if self.subgroup == "00" else "subgroup"

    @property
    def is_cpc_only(self) -> bool:
        """Section Y, or a CPC 2000-series indexing group (main group >= 2000)."""
        return self.section == "Y" or (self.main_group is not None and self.main_group >= 2000)

    def __str__(self) -> str:
        if self.main_group is None:
            return self.subclass
        return f"{self.subclass}{self.main_group}/{self.subgroup}"

    def truncate(self, level: str) -> str:
        """The symbol of this code's ancestor at ``level`` (see :data:`LEVELS`)."""
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
        if level == "section":
            return self.section
        if level == "class":
            return self.class_
        if level == "subclass" or self.main_group is None:
            return self.subclass
        if level == "main_group":
            return f"{self.subclass}{self.main_group}/00"
        return str(self)

    def hierarchy(self) -> dict[str, str]:
        """Every level from section down to this code's own."""
        out = {"section": self.section, "class": self.class_, "subclass": self.subclass}
        if self.main_group is not None:
            out["main_group"] = self.truncate("main_group")
            if self.subgroup != "00":
                out["subgroup"] = str(self)
        return out


def parse_ipc(text: str | None) -> IpcCode | None:
    """Parse one IPC/CPC symbol in any common spelling; None when it is not one.

    >>> str(parse_ipc("H04W 72/04 (2009.01)"))
    'H04W72/04'
    >>> str(parse_ipc("H04W0072040000"))
    'H04W72/04'
    """
    if text is None:
        return None
    m = _CANONICAL.fullmatch(text)
    if m:  # already canonical: what the general path below returns, without normalising
        sub, grp, sg = m.groups()
        return IpcCode(sub) if grp is None else IpcCode(sub, int(grp), sg)
    s = unicodedata.normalize("NFKC", text).strip().upper()
    if not s:
        return None
    m = _WIPO14.match(s)
    if m:
        sub, grp, sg = m.groups()
        if sub[0] not in _SECTIONS or int(grp) == 0:
            return None
        return IpcCode(sub, int(grp), _subgroup(sg))
    m = _SYMBOL.match(s)
    if not m:
        return None
    sec, cls, letter, grp, sg = m.groups()
    sub = f"{sec}{cls}{letter}"
    if grp is None:
        return IpcCode(sub)
    g = int(grp)
    if g == 0:
        return None
    if sg is None:
        return IpcCode(sub, g, "00")
    return IpcCode(sub, g, _subgroup(sg.zfill(2)))


def _subgroup(digits: str) -> str:
    """Subgroup digits without trailing zeros beyond the second (``040000`` -> ``04``)."""
    return digits[:2] + digits[2:].rstrip("0")


def normalize_ipc(text: str | None) -> str | None:
    """Canonical spelling of one symbol, or None when it does not parse."""
    code = parse_ipc(text)
    return None if code is None else str(code)


def to_wipo14(code: str | IpcCode) -> str:
    """The 14-character WIPO form (``H04W0072040000``) of a main group or subgroup."""
    c = parse_ipc(code) if isinstance(code, str) else code
    if c is None or c.main_group is None:
        raise ValueError(f"{code!r} is not an IPC main group or subgroup")
    return f"{c.subclass}{c.main_group:04d}{c.subgroup.ljust(6, '0')}"


_CANONICAL_RE2 = f"^{_CANONICAL_PATTERN}$"  # the same pattern for Arrow's RE2 kernels


def normalize_ipc_array(arr: pa.Array) -> pa.Array:
    """Vectorised :func:`normalize_ipc` over a string array (nulls where invalid).

    Codes already in canonical form pass through an RE2 match; only the distinct
    non-canonical spellings go through the Python parser.
    """
    arr = arr.cast(pa.string())
    canonical = pc.match_substring_regex(arr, _CANONICAL_RE2).fill_null(False)
    if pc.all(canonical).as_py() is not False:
        return arr
    other = pc.if_else(canonical, pa.scalar(None, pa.string()), arr)
    return pc.if_else(canonical, arr, map_unique(other, normalize_ipc))


def normalize_ipc_lists(lists: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Normalise a list<string> array of codes.

    Returns the normalised lists (invalid codes removed, duplicates within a row
    removed, first-seen order kept) and, for reporting, a list array of the raw codes
    that did not parse (empty lists where all parsed).
    """
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists)
    trimmed = pc.utf8_trim_whitespace(flat)
    nonempty = pc.and_(pc.is_valid(trimmed), pc.not_equal(trimmed, ""))
    norm = normalize_ipc_array(trimmed)
    ok = pc.is_valid(norm)
    bad = pc.and_(nonempty, pc.invert(ok))
    good_tbl = pa.table({"p": parent, "c": norm}).filter(ok)
    # remove duplicates within a row, keeping order
    good_tbl = _first_per_row(good_tbl)
    bad_tbl = pa.table({"p": parent, "c": flat}).filter(bad)
    n = len(lists)
    return regroup(good_tbl, n), regroup(bad_tbl, n)


def _first_per_row(tbl: pa.Table) -> pa.Table:
    """Rows of a (``p`` parent, ``c`` code) table without repeated pairs, first kept, order kept.

    One integer key per pair (parent x distinct code) and ``np.unique``: several times
    faster than a hash group-by on (int, string) pairs.
    """
    if tbl.num_rows < 2:
        return tbl
    enc = pc.dictionary_encode(tbl["c"].combine_chunks())
    key = tbl["p"].to_numpy().astype(np.int64) * max(len(enc.dictionary), 1) + enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    _, first = np.unique(key, return_index=True)
    if len(first) == tbl.num_rows:
        return tbl
    first.sort()
    return tbl.take(pa.array(first))


def truncate(code: str, level: str) -> str | None:
    """Truncate a symbol to ``level`` (section, class, subclass, main_group, subgroup)."""
    parsed = parse_ipc(code)
    return None if parsed is None else parsed.truncate(level)


def truncate_array(arr: pa.Array, level: str) -> pa.Array:
    """Vectorised :func:`truncate` over an array of codes (null for null, empty or invalid).

    Each distinct value is truncated once (:func:`~patentnav._arrow.map_distinct`); canonical
    codes with string kernels (:func:`_truncate_canonical`), any other spelling with
    :func:`truncate`.
    """
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    return map_distinct(arr.cast(pa.string()), lambda values: _truncate_distinct(values, level))


def _truncate_distinct(values: pa.Array, level: str) -> pa.Array:
    """:func:`truncate` of each of ``values``: string kernels where the value is canonical (RE2
    match, as in :func:`normalize_ipc_array`), the Python parser for the rest."""
    canonical = pc.match_substring_regex(values, _CANONICAL_RE2).fill_null(False)
    cut = _truncate_canonical(values, level)
    if pc.all(canonical).as_py() is not False:
        return cut
    other = pc.if_else(canonical, pa.scalar(None, pa.string()), values)
    return pc.if_else(canonical, cut, map_unique(other, lambda c: truncate(c, level) if c else None))


def _truncate_canonical(codes: pa.Array, level: str) -> pa.Array:
    """:meth:`IpcCode.truncate` of canonical codes (``H04W``, ``H04W72/00``, ``H04W72/04``) as
    string kernels: the first 1, 3 or 4 characters for a section, class or subclass; for a
    main group the part before ``/`` with ``/00`` (a subclass stays itself); the code itself
    for a subgroup."""
    if level == "subgroup":
        return codes
    if level == "main_group":
        return pc.replace_substring_regex(codes, "/.*", "/00")
    return pc.utf8_slice_codeunits(codes, 0, {"section": 1, "class": 3, "subclass": 4}[level])


def iter_hierarchy(codes: Iterable[str]) -> dict[str, dict[str, str]]:
    """Hierarchy of several codes at once, keyed by canonical code."""
    out = {}
    for c in codes:
        p = parse_ipc(c)
        if p is not None:
            out[str(p)] = p.hierarchy()
    return out


def code_prefix_mask(lists, patterns: list[str]) -> pa.Array:
    """Rows whose code list has a code starting with any pattern.

    Patterns are prefixes, optionally ending in ``*``: a section, class or subclass
    (``B``, ``B64``, ``B64C``), a main group (``B64C39`` matches ``B64C39/...`` only),
    or a group (``B64C39/02`` also matches ``B64C39/024``; any spelling, e.g.
    ``H04W 72/04``, is normalised first).
    """
    import numpy as np

    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    prefixes = []
    for p in patterns:
        p = p.strip().rstrip("*").strip().upper()
        if "/" in p:
            prefixes.append(normalize_ipc(p) or p.replace(" ", ""))
        elif len(p.replace(" ", "")) > 4:
            code = parse_ipc(p)
            prefixes.append(f"{code.subclass}{code.main_group}/" if code and code.main_group else p.replace(" ", ""))
        else:
            prefixes.append(p.replace(" ", ""))
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists)
    hit = pa.array(np.zeros(len(flat), dtype=bool))
    for p in prefixes:
        hit = pc.or_(hit, pc.starts_with(flat, p))
    rows = np.unique(parent.filter(hit).to_numpy())
    out = np.zeros(len(lists), dtype=bool)
    out[rows] = True
    return pa.array(out)
