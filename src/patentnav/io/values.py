"""Vectorised parsing of raw export values: dates, integers, lists, document types.

All functions take and return Arrow arrays and run in Arrow compute kernels (RE2
regular expressions, C++ casts); none loops over rows in Python.
"""

from __future__ import annotations

import datetime as _dt
from typing import Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import regroup
from ..model.schema import DOCUMENT_TYPES

__all__ = [
    "DATE_PATTERNS",
    "parse_dates",
    "parse_ints",
    "split_lists",
    "as_string_array",
    "document_types",
]

#: Named date spellings; readers choose an ordered subset.
DATE_PATTERNS: dict[str, str] = {
    # 2016-02-01, 2016.02.01, 2016/2/1, optionally followed by a time
    "iso": r"^(?P<y>[0-9]{4})[\-./](?P<m>[0-9]{1,2})[\-./](?P<d>[0-9]{1,2})(?:[T\s].*)?$",
    # 20160201
    "compact": r"^(?P<y>[0-9]{4})(?P<m>[0-9]{2})(?P<d>[0-9]{2})$",
    # 2016年2月1日
    "cn": r"^(?P<y>[0-9]{4})\s*年\s*(?P<m>[0-9]{1,2})\s*月\s*(?P<d>[0-9]{1,2})\s*日?$",
    # 01/02/16 or 01.02.2016 (day first, Lens.org classic exports)
    "dmy": r"^(?P<d>[0-9]{1,2})[\-./](?P<m>[0-9]{1,2})[\-./](?P<y>[0-9]{2}|[0-9]{4})$",
    # 02/01/2016 (month first)
    "mdy": r"^(?P<m>[0-9]{1,2})[\-./](?P<d>[0-9]{1,2})[\-./](?P<y>[0-9]{2}|[0-9]{4})$",
}
DEFAULT_DATE_FORMATS = ("iso", "compact", "cn")


def as_string_array(values) -> pa.Array:
    """Any list / array / chunked array of scalars as one string array.

    Python values that are not strings (numbers and booleans from JSON, or a stray list
    or object where a scalar was expected) become their ``str()`` text, so that the
    parser reports them as invalid values instead of failing on their type.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        try:
            values = pa.array(values, type=pa.string(), from_pandas=True)
        except (pa.ArrowTypeError, pa.ArrowInvalid):
            values = pa.array([_text_or_none(v) for v in values], type=pa.string())
    if not pa.types.is_string(values.type):
        try:
            values = values.cast(pa.string())
        except (pa.ArrowNotImplementedError, pa.ArrowInvalid):
            values = pa.array([_text_or_none(v) for v in values.to_pylist()], type=pa.string())
    return values


def _text_or_none(v) -> str | None:
    if v is None or (isinstance(v, float) and v != v):
        return None
    if isinstance(v, float) and v.is_integer() and abs(v) < 1e15:
        return str(int(v))  # 20160201.0 from a float column is 20160201
    return v if isinstance(v, str) else str(v)


def _blank_to_null(arr: pa.Array) -> pa.Array:
    # NFKC: full-width digits and separators (２０１６－０２－０１) as ASCII
    t = pc.utf8_trim_whitespace(pc.utf8_normalize(arr, "NFKC"))
    return pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)


_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _int_or_zero(digits: pa.Array) -> np.ndarray:
    """Digit strings (as matched by a pattern) as int64, 0 where null."""
    return pc.cast(digits, pa.int64()).fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)


def parse_dates(
    values,
    formats: Sequence[str] = DEFAULT_DATE_FORMATS,
    reference_years=None,
) -> tuple[pa.Array, pa.Array]:
    """Parse date strings to ``date32``.

    Parameters
    ----------
    values : array-like of str
    formats : sequence of keys of :data:`DATE_PATTERNS`, tried in order.
    reference_years : array-like of int, optional
        For two-digit years: the century is chosen so that the date is not later than
        this year (a row's publication year, or the current year when None).
        ``16`` with reference 2017 -> 2016; ``48`` with reference 2017 -> 1948.

    Returns
    -------
    dates : pyarrow.Date32Array
        Null where the input is null/blank or not a valid calendar date.
    invalid : pyarrow.BooleanArray
        True where a non-blank input could not be parsed (to be reported).
    """
    arr = _blank_to_null(as_string_array(values))
    n = len(arr)
    ys, ms, ds = [], [], []
    for name in formats:
        m = pc.extract_regex(arr, DATE_PATTERNS[name])
        ys.append(pc.struct_field(m, "y"))
        ms.append(pc.struct_field(m, "m"))
        ds.append(pc.struct_field(m, "d"))
    y = pc.coalesce(*ys) if ys else pa.nulls(n, pa.string())
    mo = pc.coalesce(*ms) if ms else pa.nulls(n, pa.string())
    d = pc.coalesce(*ds) if ds else pa.nulls(n, pa.string())

    yi = _int_or_zero(y)
    two = pc.equal(pc.utf8_length(y), 2).fill_null(False).to_numpy(zero_copy_only=False)
    if two.any():
        if reference_years is None:
            ref = np.full(n, _dt.date.today().year, dtype=np.int64)
        else:
            r = pa.array(reference_years, pa.int64(), from_pandas=True) if not isinstance(reference_years, (pa.Array, pa.ChunkedArray)) else reference_years
            r = pc.cast(r, pa.int64()).fill_null(_dt.date.today().year)
            ref = r.to_numpy(zero_copy_only=False).astype(np.int64)
        cand = 2000 + yi
        yi = np.where(two, np.where(cand <= ref, cand, 1900 + yi), yi)
    # calendar check in numpy (strptime would roll 2016-02-30 over to 2016-03-01, and a
    # strftime round trip costs more than all the rest); year 0 is no calendar year
    mi = _int_or_zero(mo)
    di = _int_or_zero(d)
    leap = (yi % 4 == 0) & ((yi % 100 != 0) | (yi % 400 == 0))
    dim = _DAYS_IN_MONTH[np.clip(mi, 0, 12)] + (leap & (mi == 2))
    ok_np = pc.is_valid(y).to_numpy(zero_copy_only=False) & (yi >= 1) & (mi >= 1) & (mi <= 12) & (di >= 1) & (di <= dim)
    ok = pa.array(ok_np, pa.bool_())
    year_s = pc.utf8_lpad(pc.cast(pa.array(yi), pa.string()), 4, "0")
    iso = pc.binary_join_element_wise(year_s, pc.utf8_lpad(mo, 2, "0"), pc.utf8_lpad(d, 2, "0"), "-")
    iso = pc.if_else(ok, iso, pa.scalar(None, pa.string()))
    dates = pc.cast(iso, pa.date32())
    invalid = pc.and_(pc.is_valid(arr), pc.invert(ok))
    return dates, invalid


def parse_ints(values) -> tuple[pa.Array, pa.Array]:
    """Parse non-negative integers (``"12"``, ``"1,234"``, ``" 7 "``) to int32.

    Returns ``(ints, invalid)`` like :func:`parse_dates`. Commas are accepted only as
    thousands separators (``"12,34"`` is invalid); negative numbers and numbers beyond
    int32 are invalid, also when given as an integer array.
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if isinstance(values, pa.Array) and pa.types.is_integer(values.type):
        inrange = pc.and_(pc.greater_equal(values, 0), pc.less_equal(values, np.iinfo(np.int32).max)).fill_null(False)
        safe = pc.if_else(inrange, values, pa.scalar(0, values.type))
        arr = pc.if_else(inrange, pc.cast(safe, pa.int32()), pa.scalar(None, pa.int32()))
        return arr, pc.and_(pc.is_valid(values), pc.invert(inrange))
    arr = _blank_to_null(as_string_array(values))
    number = r"^([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.0+)?$"
    clean = pc.replace_substring_regex(arr, number, r"\1")
    clean = pc.if_else(pc.match_substring_regex(arr, number), pc.replace_substring(clean, ",", ""), clean)
    okpat = pc.match_substring_regex(clean, r"^[0-9]{1,9}$")
    ok = okpat.fill_null(False)
    ints = pc.if_else(ok, pc.cast(pc.if_else(ok, clean, "0"), pa.int32()), pa.scalar(None, pa.int32()))
    invalid = pc.and_(pc.is_valid(arr), pc.invert(ok))
    return ints, invalid


def split_lists(values, sep: str | None, keep_blanks: bool = False) -> pa.Array:
    """Split delimited strings into list<string>, trimming items and dropping blanks.

    ``values`` may already be a list array (or Python lists), in which case items are
    only trimmed and blanks dropped. ``sep`` is a literal separator (``";;"``, ``"; "``,
    ``"|"``) or a regular expression when it starts with ``re:``.

    ``keep_blanks=True`` is for lists aligned with another list (countries with
    applicants, dates with priority numbers): a blank item becomes null instead of being
    dropped, so positions stay aligned; a blank delimited cell still gives [] (list input
    keeps every position).
    """
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    from_strings = False
    if isinstance(values, pa.Array) and (pa.types.is_list(values.type) or pa.types.is_large_list(values.type)):
        lists = values.cast(pa.list_(pa.string()))
    elif not isinstance(values, pa.Array) and isinstance(next((v for v in values if v is not None), None), (list, tuple)):
        lists = pa.array([list(v) if isinstance(v, (list, tuple)) else ([] if v is None else [v]) for v in values], pa.list_(pa.string()))
    else:
        from_strings = True
        arr = as_string_array(values)
        if sep is None:
            lists = pc.split_pattern(arr, "\x00")
        elif sep.startswith("re:"):
            lists = pc.split_pattern_regex(arr, sep[3:])
        else:
            lists = pc.split_pattern(arr, sep)
    lists = pc.fill_null(lists, pa.scalar([], pa.list_(pa.string())))
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    parent = pc.list_parent_indices(lists)
    keep = pc.and_(pc.is_valid(flat), pc.not_equal(flat, "")).fill_null(False)
    if keep_blanks:
        # positions are kept; only a row whose whole cell is blank ("" or a single blank item) gives []
        parents = np.asarray(parent.to_numpy())
        lengths = np.asarray(pc.list_value_length(lists).to_numpy(zero_copy_only=False))
        blank_cell = (lengths[parents] == 1) & ~np.asarray(keep) & from_strings
        flat = pc.if_else(keep, flat, pa.scalar(None, pa.string()))
        keep = pa.array(~blank_cell) if len(parents) else keep
    return regroup(pa.table({"p": parent, "c": flat}).filter(keep), len(lists))


# --- document types -------------------------------------------------------------

_TYPE_WORDS = {
    "granted patent": "granted_patent",
    "patent application": "application",
    "limited patent": "limited_patent",
    "search report": "search_report",
    "amended patent": "amended",
    "amended application": "amended",
    "statutory invention registration": "statutory_invention_registration",
    "design right": "design",
    "design": "design",
    "utility model": "utility_model",
    "plant patent": "plant_patent",
    "发明申请": "application",
    "发明公开": "application",
    "发明": "application",
    "发明授权": "granted_patent",
    "授权发明": "granted_patent",
    "实用新型": "utility_model",
    "外观设计": "design",
}
_TYPE_WORDS.update({t: t for t in DOCUMENT_TYPES})


def document_types(raw_types, jurisdictions, kinds) -> pa.Array:
    """Controlled ``document_type`` from a source's type text, else from the kind code.

    Kind-code rules (WIPO ST.16 and national practice): US ``A`` (before 2001), ``B1``,
    ``B2``, ``E`` (reissue) -> granted; US ``S`` design; US ``P2``/``P3`` plant; US ``H``
    statutory invention registration; ``A3`` of WO/EP -> search report; ``B8``, ``B9``,
    ``A8``, ``A9`` corrections -> amended; CN/JP/KR/DE ``U``, ``Y`` -> utility model;
    CN ``S`` design; any other ``A*`` -> application, ``B*``/``C*`` -> granted.
    """
    n = len(kinds)
    rt = pc.utf8_lower(pc.utf8_trim_whitespace(as_string_array(raw_types) if raw_types is not None else pa.nulls(n, pa.string())))
    keys = pa.array(list(_TYPE_WORDS))
    vals = pa.array(list(_TYPE_WORDS.values()))
    idx = pc.index_in(rt, value_set=keys)
    from_type = pc.take(vals, idx)

    j = as_string_array(jurisdictions)
    k = pc.utf8_upper(as_string_array(kinds))
    first = pc.utf8_slice_codeunits(k, 0, 1)

    def is_(col, *options):
        return pc.is_in(col, value_set=pa.array(list(options)))

    conds: list[tuple[pa.Array, str]] = [
        (pc.and_(pc.equal(j, "US"), is_(k, "A", "B1", "B2", "B3", "E")), "granted_patent"),
        (pc.and_(pc.equal(j, "US"), is_(k, "S", "S1")), "design"),
        (pc.and_(pc.equal(j, "US"), is_(k, "P2", "P3")), "plant_patent"),
        (pc.and_(pc.equal(j, "US"), is_(k, "H", "H1")), "statutory_invention_registration"),
        (pc.and_(is_(j, "WO", "EP"), is_(k, "A3")), "search_report"),
        (is_(k, "B8", "B9", "A8", "A9", "C8", "C9"), "amended"),
        (pc.and_(pc.equal(j, "AU"), is_(k, "A4", "B4")), "limited_patent"),
        (is_(first, "U", "Y"), "utility_model"),
        (pc.and_(is_(j, "CN", "JP", "KR"), is_(first, "S")), "design"),
        (is_(first, "A"), "application"),
        (is_(first, "B", "C"), "granted_patent"),
    ]
    from_kind = pa.nulls(n, pa.string())
    for cond, value in reversed(conds):
        from_kind = pc.if_else(cond.fill_null(False), value, from_kind)
    from_kind = pc.if_else(pc.and_(pc.is_null(from_kind), pc.is_valid(k)), "other", from_kind)
    return pc.coalesce(from_type, from_kind)
