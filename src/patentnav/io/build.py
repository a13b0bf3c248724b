"""From a reader's raw columns to a canonical Arrow table, with every issue accounted for.

Readers only parse their container (CSV, TSV, XML, XLSX, JSON) and map source fields
to canonical names; everything that is the same across formats (publication numbers,
dates, lists, classification codes, document types, counts) happens here, vectorised,
once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import dedupe_pairs, first_or_null, regroup, with_values
from ..classify.ipc import normalize_ipc_array, normalize_ipc_lists
from ..i18n import Phrase
from ..model.pubnum import normalize_publication_numbers, split_publication_numbers
from ..model.schema import CLAIMS_COVERAGE, SCHEMA
from .report import IngestError, IngestReport, Issue
from .values import DEFAULT_DATE_FORMATS, as_string_array, document_types, parse_dates, parse_ints, split_lists

__all__ = ["RawBatch", "build_table"]

_SCALAR_TEXT = ("source_id", "application_number", "family_id", "title", "abstract", "claims", "legal_status", "ipc_main")
_PLAIN_LISTS = ("applicants", "applicant_countries", "applicant_addresses", "inventors", "agents", "cited_npl")
#: lists aligned position by position with another list: blanks are kept as nulls
_ALIGNED = {"applicant_countries", "applicant_addresses", "priority_countries", "priority_dates"}
_INT_COLS = ("claims_count", "forward_citations", "family_size", "extended_family_size")
_DATE_COLS = ("filing_date", "publication_date", "grant_date")


@dataclass
class RawBatch:
    """Raw columns of one file (or one chunk of a file), keyed by canonical field name.

    Attributes
    ----------
    source_format, source_file : str
    lines : sequence of int
        Line of each record in ``source_file`` (1-based).
    columns : mapping
        Canonical name -> array-like of raw values (str, or lists of str for list fields).
        ``publication_number`` is required. Extra keys: ``document_type_raw`` (the source's
        type text), ``publication_year`` (reference for two-digit years).
    field_names : mapping
        Canonical name -> the source's own field name, used in issue messages.
    list_sep : str or mapping
        Separator for list fields given as delimited strings (per field or one for all).
    date_formats : sequence of str
        Keys of :data:`patentnav.io.values.DATE_PATTERNS`, tried in order.
    rows_read : int
        Records found in this batch, including those in ``pre_rejected``.
    pre_rejected : list of Issue
        Records the reader could not parse at all (counted as rejected).
    pre_warnings : list of Issue
        Problems the reader already found in kept records (decoding fallbacks, ...).
    notes : list of Issue
        Information for the report that is no problem of the data (e.g. a column the reader
        does not use); listed with the warnings but never raised by ``strict=True``.
    """

    source_format: str
    source_file: str
    lines: Sequence[int]
    columns: Mapping[str, Any]
    field_names: Mapping[str, str] = field(default_factory=dict)
    list_sep: str | Mapping[str, str] | None = None
    date_formats: Sequence[str] = DEFAULT_DATE_FORMATS
    rows_read: int | None = None
    pre_rejected: list[Issue] = field(default_factory=list)
    pre_warnings: list[Issue] = field(default_factory=list)
    notes: list[Issue] = field(default_factory=list)


def _issues(batch: RawBatch, mask, fld: str, code: str, values=None, **args) -> list[Issue]:
    """One issue (reason ``issue.<code>`` with ``args``) per row where ``mask`` holds, with the row's value."""
    m = np.asarray(pc.fill_null(mask, False).to_numpy(zero_copy_only=False) if isinstance(mask, (pa.Array, pa.ChunkedArray)) else mask, dtype=bool)
    idx = np.nonzero(m)[0]
    if not len(idx):
        return []
    name = batch.field_names.get(fld, fld)
    vals = None
    if values is not None:
        vals = values.take(pa.array(idx)).to_pylist() if isinstance(values, pa.Array) else [values[i] for i in idx]
    lines = np.asarray(batch.lines)
    return [
        Issue.coded(batch.source_file, int(lines[i]), name, code, None if vals is None or vals[k] is None else str(vals[k]), **args)
        for k, i in enumerate(idx)
    ]


def _sep(batch: RawBatch, fld: str) -> str | None:
    if isinstance(batch.list_sep, Mapping):
        return batch.list_sep.get(fld)
    return batch.list_sep


def _list_issues(batch: RawBatch, bad_lists: pa.Array, fld: str, code: str, **args) -> list[Issue]:
    """One issue (reason ``issue.<code>`` with ``args``) per invalid item in a list column."""
    if pc.sum(pc.list_value_length(bad_lists)).as_py() in (None, 0):
        return []
    parent = pc.list_parent_indices(bad_lists).to_numpy()
    vals = pc.list_flatten(bad_lists).to_pylist()
    lines = np.asarray(batch.lines)
    name = batch.field_names.get(fld, fld)
    return [Issue.coded(batch.source_file, int(lines[p]), name, code, v, **args) for p, v in zip(parent, vals)]


def _normalise_pub_lists(lists: pa.Array) -> tuple[pa.Array, pa.Array]:
    """Normalise list<string> of publication numbers; returns (good lists, bad lists)."""
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists)
    norm = normalize_publication_numbers(flat)
    ok = pc.is_valid(norm)
    good = regroup(pa.table({"p": parent, "c": norm}).filter(ok), len(lists))
    bad = regroup(pa.table({"p": parent, "c": flat}).filter(pc.invert(ok)), len(lists))
    return good, bad


def _date_lists(lists: pa.Array, formats, ref) -> tuple[pa.Array, pa.Array]:
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists)
    ref_flat = None if ref is None else pc.take(ref, parent)
    dates, invalid = parse_dates(flat, formats, ref_flat)
    offsets = lists.offsets
    out = pa.ListArray.from_arrays(offsets, dates)
    bad = regroup(pa.table({"p": parent, "c": flat}).filter(invalid), len(lists))
    return out, bad


def _list_min(lists: pa.Array, n: int) -> pa.Array:
    """Smallest non-null value of each list (null for empty lists)."""
    t = pa.table({"p": pc.list_parent_indices(lists), "d": pc.list_flatten(lists)})
    mins = t.group_by("p", use_threads=False).aggregate([("d", "min")])
    idx = np.full(n, -1, dtype=np.int64)
    idx[mins["p"].to_numpy()] = np.arange(mins.num_rows)
    has = idx >= 0
    taken = mins["d_min"].combine_chunks().take(pa.array(np.where(has, idx, 0))) if mins.num_rows else pa.nulls(n, lists.type.value_type)
    return pc.if_else(pa.array(has), taken, pa.scalar(None, lists.type.value_type))


def _claims_markup(batch: RawBatch, out: dict) -> list[Issue]:
    """``claims_coverage`` (validated; ``all`` where claims text is given without it) and
    ``dependent_claim_numbers`` (claim numbers as int32); issues for values that are neither."""
    cols, issues = batch.columns, []
    if "claims" in out:
        has = pc.is_valid(out["claims"])
        if "claims_coverage" in cols:
            raw = pc.utf8_lower(pc.utf8_trim_whitespace(as_string_array(cols["claims_coverage"])))
            ok = pc.is_in(raw, value_set=pa.array(CLAIMS_COVERAGE))
            bad = pc.and_(pc.and_(pc.is_valid(raw), pc.not_equal(raw, "")), pc.invert(ok)).fill_null(False)
            issues += _issues(batch, bad, "claims_coverage", "claims_coverage", raw, choices=", ".join(CLAIMS_COVERAGE))
            given = pc.if_else(ok, raw, pa.scalar("all"))
        else:
            given = pa.array(["all"] * len(has), pa.string()) if len(has) else pa.array([], pa.string())
        out["claims_coverage"] = pc.if_else(has, given, pa.scalar(None, pa.string()))
    if "dependent_claim_numbers" in cols:
        lists = split_lists(cols["dependent_claim_numbers"], _sep(batch, "dependent_claim_numbers"))
        flat = pc.list_flatten(lists)
        ok = pc.match_substring_regex(flat, r"^[0-9]{1,6}$").fill_null(False)
        num = pc.cast(pc.if_else(ok, flat, "0"), pa.int32())
        parent = pc.list_parent_indices(lists)
        out["dependent_claim_numbers"] = regroup(pa.table({"p": parent, "c": num}).filter(ok), len(lists), pa.int32())
        issues += _list_issues(batch, regroup(pa.table({"p": parent, "c": flat}).filter(pc.invert(ok)), len(lists)),
                               "dependent_claim_numbers", "not_claim_number")
    return issues


def build_table(batch: RawBatch, *, strict: bool = False) -> tuple[pa.Table, IngestReport]:
    """Normalise a raw batch into a canonical table (schema :data:`~patentnav.model.schema.SCHEMA`).

    Rows without a valid publication number are rejected; malformed optional values
    (dates, codes, counts, cited numbers) are dropped from their row and reported as
    warnings. With ``strict=True`` the first issue (in line order) raises
    :class:`~patentnav.io.report.IngestError`.

    The returned report has ``rows_read``, ``rejected`` and ``warnings`` filled and
    ``kept`` = rows in the table; de-duplication happens later, across files.
    """
    cols = batch.columns
    n = len(batch.lines)
    rejected: list[Issue] = list(batch.pre_rejected)
    warnings: list[Issue] = list(batch.pre_warnings)

    raw_pub = as_string_array(cols["publication_number"])
    pub = normalize_publication_numbers(raw_pub)
    parts = split_publication_numbers(pub)
    kind = parts["kind"]
    if "kind" in cols:  # a separate kind column completes numbers given without kind
        kcol = pc.utf8_upper(pc.utf8_trim_whitespace(as_string_array(cols["kind"])))
        kcol = pc.if_else(pc.equal(kcol, ""), pa.scalar(None, pa.string()), kcol)
        kcol = pc.if_else(pc.match_substring_regex(kcol, r"^[A-Z][0-9]?$"), kcol, pa.scalar(None, pa.string()))
        add = pc.and_(pc.is_null(kind), pc.is_valid(kcol)).fill_null(False)
        pub = pc.if_else(add, pc.binary_join_element_wise(pub, kcol, "-"), pub)
        kind = pc.coalesce(kind, kcol)

    blank = pc.or_(pc.is_null(raw_pub), pc.equal(pc.utf8_trim_whitespace(raw_pub), "")).fill_null(True)
    bad_pub = pc.and_(pc.invert(blank), pc.is_null(pub))
    rejected += _issues(batch, blank, "publication_number", "missing_pub")
    rejected += _issues(batch, bad_pub, "publication_number", "not_pub", raw_pub)
    keep = pc.is_valid(pub)

    out: dict[str, pa.Array] = {}
    out["publication_number"] = pub
    out["jurisdiction"] = parts["jurisdiction"]
    out["doc_number"] = parts["doc_number"]
    out["kind"] = kind

    ref_year = None
    if "publication_year" in cols:
        ref_year, _ = parse_ints(cols["publication_year"])

    for c in _SCALAR_TEXT:
        if c in cols:
            a = as_string_array(cols[c])
            a = pc.utf8_trim_whitespace(a)
            out[c] = pc.if_else(pc.equal(a, ""), pa.scalar(None, pa.string()), a)
    if "ipc_main" in out:
        raw_main = out["ipc_main"]
        norm_main = normalize_ipc_array(raw_main)
        warnings += _issues(batch, pc.and_(pc.is_valid(raw_main), pc.is_null(norm_main)), "ipc_main", "not_code_dropped", raw_main, scheme="IPC")
        out["ipc_main"] = norm_main

    for c in _PLAIN_LISTS:
        if c in cols:
            out[c] = split_lists(cols[c], _sep(batch, c), keep_blanks=c in _ALIGNED)
    warnings += _claims_markup(batch, out)

    for c in ("ipc", "cpc"):
        if c in cols:
            good, bad = normalize_ipc_lists(split_lists(cols[c], _sep(batch, c)))
            out[c] = good
            warnings += _list_issues(batch, bad, c, "not_code_dropped", scheme=c.upper())
    if "ipc" in out:
        first_ipc = first_or_null(out["ipc"])
        out["ipc_main"] = pc.coalesce(out["ipc_main"], first_ipc) if "ipc_main" in out else first_ipc

    for c in ("cited_publications", "family_members"):
        if c in cols:
            good, bad = _normalise_pub_lists(split_lists(cols[c], _sep(batch, c)))
            out[c] = good
            warnings += _list_issues(batch, bad, c, "not_pub_dropped")
    if "family_jurisdictions" in cols:
        fj = split_lists(cols["family_jurisdictions"], _sep(batch, "family_jurisdictions"))
    elif "family_members" in out:
        fj = with_values(out["family_members"], pc.utf8_slice_codeunits(pc.list_flatten(out["family_members"]), 0, 2))
    else:
        fj = None
    if fj is not None:
        t = pa.table({"p": pc.list_parent_indices(fj), "c": pc.utf8_upper(pc.list_flatten(fj))})
        t = dedupe_pairs(t)
        t = t.take(pc.sort_indices(t, sort_keys=[("p", "ascending"), ("c", "ascending")]))
        out["family_jurisdictions"] = regroup(t, n)

    # priorities
    if "priority_numbers" in cols:
        pn = split_lists(cols["priority_numbers"], _sep(batch, "priority_numbers"))
        flat = pc.replace_substring_regex(pc.utf8_upper(pc.list_flatten(pn)), r"[\s\-/,.]", "")
        out["priority_numbers"] = with_values(pn, flat)
        if "priority_countries" in cols:
            out["priority_countries"] = split_lists(cols["priority_countries"], _sep(batch, "priority_countries"), keep_blanks=True)
        else:
            out["priority_countries"] = with_values(pn, pc.utf8_slice_codeunits(flat, 0, 2))
    if "priority_dates" in cols:
        pd_lists = split_lists(cols["priority_dates"], _sep(batch, "priority_dates"), keep_blanks=True)
        dates, bad = _date_lists(pd_lists, batch.date_formats, ref_year)
        out["priority_dates"] = dates
        warnings += _list_issues(batch, bad, "priority_dates", "not_date_dropped")

    for c in _DATE_COLS:
        if c in cols:
            d, invalid = parse_dates(cols[c], batch.date_formats, ref_year)
            out[c] = d
            warnings += _issues(batch, invalid, c, "not_date_dropped", as_string_array(cols[c]))
    filing = out.get("filing_date", pa.nulls(n, pa.date32()))
    if "priority_dates" in out:
        out["earliest_priority_date"] = pc.coalesce(_list_min(out["priority_dates"], n), filing)
    else:
        out["earliest_priority_date"] = filing

    for c in _INT_COLS:
        if c in cols:
            v, invalid = parse_ints(cols[c])
            out[c] = v
            warnings += _issues(batch, invalid, c, "not_int_dropped", as_string_array(cols[c]) if not isinstance(cols[c], pa.Array) or pa.types.is_string(cols[c].type) else None)
    out["document_type"] = document_types(cols.get("document_type_raw"), out["jurisdiction"], out["kind"])
    if "publication_date" in out:  # a granted document's publication is its grant
        granted = pc.equal(out["document_type"], "granted_patent").fill_null(False)
        implied = pc.if_else(granted, out["publication_date"], pa.scalar(None, pa.date32()))
        out["grant_date"] = pc.coalesce(out["grant_date"], implied) if "grant_date" in out else implied

    if "legal_events" in cols:
        out["legal_events"] = pa.array(cols["legal_events"], type=SCHEMA.field("legal_events").type)

    out["source_format"] = pa.array([batch.source_format] * n, pa.string()) if n else pa.array([], pa.string())
    out["source_file"] = pa.array([batch.source_file] * n, pa.string()) if n else pa.array([], pa.string())
    out["source_row"] = pa.array(np.asarray(batch.lines, dtype=np.int64))

    arrays = []
    for f in SCHEMA:
        a = out.get(f.name)
        if a is None:
            if pa.types.is_list(f.type):
                a = pa.array([[]] * n, f.type) if n else pa.array([], f.type)
            else:
                a = pa.nulls(n, f.type)
        elif not isinstance(a, (pa.Array, pa.ChunkedArray)):
            a = pa.array(a, f.type)
        arrays.append(a.cast(f.type) if a.type != f.type else a)
    table = pa.Table.from_arrays(arrays, schema=SCHEMA.set(0, SCHEMA.field(0).with_nullable(True)))
    table = table.filter(keep)
    table = table.cast(SCHEMA)

    if strict and (rejected or warnings):
        first = min(rejected + warnings, key=lambda i: i.line)
        raise IngestError(first, Phrase("hint.strict_value"))

    rows_read = batch.rows_read if batch.rows_read is not None else n + len(batch.pre_rejected)
    report = IngestReport(
        rows_read=rows_read,
        kept=table.num_rows,
        rejected=sorted(rejected, key=lambda i: i.line),
        warnings=sorted(warnings + list(batch.notes), key=lambda i: i.line),
        files=[batch.source_file],
        formats=[batch.source_format],
    )
    return table, report
