"""Lens.org CSV exports: the classic format (``publication_number``, ``;;`` lists,
dd/mm/yy dates, as in the bundled drone sample) and the current export headers
(``Lens ID``, ``Publication Number`` / ``Display Key``, ``Cited by Patent Count``,
ISO dates).

Reference: The Lens, *Patent export fields* (lens.org user guide); Oldham, P. (2018)
*drones* dataset (classic export).
"""

from __future__ import annotations

import os
import re

import pyarrow as pa
import pyarrow.compute as pc

from ..i18n import Phrase
from .build import RawBatch, build_table
from .report import IngestError, IngestReport
from .source import DelimitedRows, read_delimited

__all__ = ["read_lens", "looks_like_lens", "LENS_FIELDS"]

#: normalised header -> canonical field
LENS_FIELDS = {
    "publication_number": "publication_number",
    "display_key": "publication_number",
    "lens_id": "source_id",
    "kind": "kind",
    "jurisdiction": "jurisdiction_raw",
    "publication_date": "publication_date",
    "publication_year": "publication_year",
    "application_number": "application_number",
    "application_date": "filing_date",
    "priority_numbers": "priority_raw",
    "earliest_priority_date": "earliest_priority_raw",
    "title": "title",
    "abstract": "abstract",
    "claims": "claims",
    "applicants": "applicants",
    "owners": "owners",
    "inventors": "inventors",
    "type": "document_type_raw",
    "document_type": "document_type_raw",
    "cited_count": "forward_citations",
    "cited_by_patent_count": "forward_citations",
    "simple_family_size": "family_size",
    "extended_family_size": "extended_family_size",
    "simple_family_members": "family_members",
    "simple_family_member_jurisdictions": "family_jurisdictions",
    "cpc_classifications": "cpc",
    "ipcr_classifications": "ipc",
    "npl_citation_ids": "cited_npl",
    "npl_citations": "cited_npl",
    "cited_patents": "cited_publications",
    "legal_status": "legal_status",
}


def _norm_header(h: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", h.strip().lower().lstrip("\ufeff")).strip("_")


def looks_like_lens(header: list[str]) -> bool:
    """A Lens export has a Lens ID and a publication number (or display key) column."""
    names = {_norm_header(h) for h in header}
    return "lens_id" in names and bool(names & {"publication_number", "display_key"})


# "US 201562116216 P 20150213": country, number, kind, date (classic and current)
_PRIORITY = r"^(?P<cc>[A-Z]{2})\s*(?P<num>.*?)\s+(?P<kind>[A-Z][0-9]?)\s+(?P<date>[0-9]{8})$"


def _priorities(values: list[str]) -> dict[str, pa.Array]:
    from .values import split_lists

    lists = split_lists(values, ";;")
    flat = pc.utf8_trim_whitespace(pc.list_flatten(lists))
    m = pc.extract_regex(flat, _PRIORITY)
    cc = pc.struct_field(m, "cc")
    num = pc.struct_field(m, "num")
    number = pc.coalesce(pc.binary_join_element_wise(cc, pc.replace_substring_regex(num, r"[\s/,.\-]", ""), ""), flat)
    country = pc.coalesce(cc, pc.utf8_slice_codeunits(flat, 0, 2))
    date = pc.struct_field(m, "date")
    offs = lists.offsets
    return {
        "priority_numbers": pa.ListArray.from_arrays(offs, number),
        "priority_countries": pa.ListArray.from_arrays(offs, country),
        "priority_dates": pa.ListArray.from_arrays(offs, pc.fill_null(date, "")),
    }


def _reconcile_publication_year(dates: list[str], years: list[str], rows: DelimitedRows, field: str):
    """Classic Lens exports write some late-December dates with the next year's two digits
    (``30/12/16`` for a 2015 publication whose ``publication_year`` is 2015). Where a
    ``dd/mm/yy`` date disagrees with the row's four-digit ``publication_year``, the year
    column wins and a warning names the row.
    """
    from .report import Issue

    d = pa.array(dates, pa.string())
    y = pa.array(years, pa.string())
    m = pc.extract_regex(d, r"^(?P<dm>[0-9]{1,2}/[0-9]{1,2})/(?P<yy>[0-9]{2})$")
    yy = pc.struct_field(m, "yy")
    ok_year = pc.match_substring_regex(y, r"^[0-9]{4}$").fill_null(False)
    clash = pc.and_(pc.and_(pc.is_valid(m), ok_year), pc.not_equal(yy, pc.utf8_slice_codeunits(y, 2, 4))).fill_null(False)
    fixed = pc.if_else(clash, pc.binary_join_element_wise(pc.struct_field(m, "dm"), y, "/"), d)
    idx = [i for i, c in enumerate(clash.to_pylist()) if c]
    warnings = [Issue.coded(rows.file, rows.lines[i], field, "two_digit_year", dates[i], year=years[i]) for i in idx]
    return fixed, warnings


def read_lens(path: str | os.PathLike, *, strict: bool = False, rows: DelimitedRows | None = None) -> tuple[pa.Table, IngestReport]:
    """Read a Lens.org patent CSV export (classic or current headers).

    Parameters
    ----------
    path : path-like
        The CSV (optionally gzip/bz2/xz-compressed).
    strict : bool
        Raise :class:`~patentnav.io.report.IngestError` on the first bad row or value.

    Returns
    -------
    (pyarrow.Table, IngestReport)
        Canonical table (not yet de-duplicated) and the accounting of every row.
    """
    file = str(path)
    rows = rows if rows is not None else read_delimited(path)
    if not looks_like_lens(rows.header):
        raise IngestError.localized("err.lens_not_export", Phrase("hint.lens_export"), path=file, columns=", ".join(rows.header[:8]))
    cols: dict = {}
    names: dict = {}
    for i, h in enumerate(rows.header):
        key = LENS_FIELDS.get(_norm_header(h))
        if key is None or key in cols:
            continue
        cols[key] = rows.column(i)
        names[key] = h
    if "applicants" not in cols and "owners" in cols:
        cols["applicants"] = cols.pop("owners")
        names["applicants"] = names["owners"]
    cols.pop("owners", None)
    if "priority_raw" in cols:
        cols.update(_priorities(cols.pop("priority_raw")))
        for k in ("priority_numbers", "priority_countries", "priority_dates"):
            names[k] = names["priority_raw"]
    pre_warnings = []
    if "publication_date" in cols and "publication_year" in cols:
        cols["publication_date"], pre_warnings = _reconcile_publication_year(
            cols["publication_date"], cols["publication_year"], rows, names.get("publication_date", "publication_date"))
    cols.pop("earliest_priority_raw", None)
    cols.pop("jurisdiction_raw", None)
    names.setdefault("publication_number", "publication_number")
    if "publication_number" not in cols:
        raise IngestError.localized("err.lens_no_pn", Phrase("hint.lens_pn"), path=file)
    batch = RawBatch(
        source_format="lens",
        source_file=file,
        lines=rows.lines,
        columns=cols,
        field_names=names,
        list_sep=";;",
        date_formats=("iso", "dmy", "compact"),
        rows_read=rows.n_records,
        pre_rejected=list(rows.bad),
        pre_warnings=pre_warnings,
        notes=list(rows.warnings),  # decoding fallbacks: the text was read, not a bad value
    )
    return build_table(batch, strict=strict)


def _sniff(path, head: bytes, text: str) -> bool:
    from .source import sniff_delimiter

    if not text:
        return False
    first = text.lstrip("\ufeff").splitlines()[0] if text.strip() else ""
    import csv as _csv

    header = next(_csv.reader([first], delimiter=sniff_delimiter(first)), [])
    return looks_like_lens(header)


def _read(path, *, strict: bool = False):
    return read_lens(path, strict=strict)


from .registry import register  # noqa: E402

register("lens", _read, _sniff, "Lens.org patent CSV export, classic or current headers")
