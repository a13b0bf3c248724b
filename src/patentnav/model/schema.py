"""The canonical corpus schema: one Apache Arrow schema that every reader fills.

Every column is documented in ``docs/data-model.md``; the text there and the
``FIELD_DOCS`` mapping below are kept in step by a test.
"""

from __future__ import annotations

import weakref

import numpy as np
import pyarrow as pa

__all__ = [
    "SCHEMA",
    "FIELD_DOCS",
    "LIST_FIELDS",
    "DATE_FIELDS",
    "INT_FIELDS",
    "DOCUMENT_TYPES",
    "LEGAL_EVENT",
    "CLAIMS_COVERAGE",
    "empty_table",
    "empty_column",
    "is_empty_column",
]

LEGAL_EVENT = pa.struct(
    [
        pa.field("date", pa.date32()),
        pa.field("code", pa.string()),
        pa.field("description", pa.string()),
    ]
)

#: Controlled vocabulary of ``document_type``.
DOCUMENT_TYPES = (
    "granted_patent",  # an examined, granted patent (US B1/B2, EP B1, CN B ...)
    "application",  # a published application (A, A1, A2, WO A1 ...)
    "utility_model",  # CN U, DE U1, JP U ...
    "design",  # US S, CN S ...
    "plant_patent",  # US P2/P3
    "search_report",  # WO A3, EP A3 publications of a search report
    "amended",  # corrected / amended publications (B8, B9, C1 in AU ...)
    "limited_patent",  # AU innovation patents (A4/B4), limited patents
    "statutory_invention_registration",  # US H
    "other",
)

_F = pa.field
_S = pa.string()
_LS = pa.list_(pa.string())
_D = pa.date32()
_I = pa.int32()

#: (field, description) in schema order.
_COLUMNS: list[tuple[pa.Field, str]] = [
    (_F("publication_number", _S, nullable=False),
     "Normalised publication number `CC-NUMBER-KIND` (e.g. `US-9123456-B2`, `WO-2016123456-A1`); the de-duplication key."),
    (_F("jurisdiction", _S), "Two-letter publishing authority (ISO 3166 country or WO, EP, EA, AP, OA, GC)."),
    (_F("doc_number", _S), "The number part of the publication number, without country and kind."),
    (_F("kind", _S), "Kind code (A1, B2, U, S, ...); null where the source gives none."),
    (_F("document_type", _S), "One of " + ", ".join(DOCUMENT_TYPES) + "; derived from the source's type or the kind code."),
    (_F("source_id", _S), "The source's own record identifier (Lens ID, PatentsView patent_id, ...)."),
    (_F("application_number", _S), "Application number as given by the source (whitespace-trimmed)."),
    (_F("family_id", _S), "Family identifier where the source gives one (simple/DOCDB family)."),
    (_F("title", _S), "Title (original language as given)."),
    (_F("abstract", _S), "Abstract."),
    (_F("claims", _S), "Claims text: one claim per line (`N. text`) where the source separates claims, else as given; all claims, the independent ones or only the first/main claim (主权项), as `claims_coverage` says."),
    (_F("claims_count", _I), "Number of claims where the source gives it or the full claims are present."),
    (_F("claims_coverage", _S), "What `claims` holds: `all` (every claim), `independent` (the independent claims only) or `first` (the first/main claim, 主权项); null where `claims` is null."),
    (_F("dependent_claim_numbers", pa.list_(_I)), "Numbers of the claims that the source's markup marks as dependent (USPTO `<claim-ref>`, PatentsView `g_claims.dependent`); empty where the source has no such markup (dependency is then read from the claim text)."),
    (_F("applicants", _LS), "Applicants / assignees as given (raw names, source order)."),
    (_F("applicants_harmonized", _LS), "Harmonised applicant names, aligned with `applicants` (empty until `Corpus.harmonize_applicants()`; see docs/methods.md)."),
    (_F("applicant_countries", _LS), "Applicant country codes, aligned with `applicants` where the source aligns them."),
    (_F("applicant_addresses", _LS), "Applicant addresses as free text (e.g. `广东省深圳市南山区...`, `Shenzhen, CN`)."),
    (_F("inventors", _LS), "Inventors as given."),
    (_F("agents", _LS), "Representatives as given (patent attorneys, agents, agencies; 代理机构 then 代理人), source order."),
    (_F("ipc", _LS), "IPC codes, normalised to `H04W72/04` form, de-duplicated, source order."),
    (_F("ipc_main", _S), "Main (first-listed) IPC code, normalised."),
    (_F("cpc", _LS), "CPC codes, normalised like `ipc`."),
    (_F("priority_numbers", _LS), "Priority application numbers, `CC` + number (e.g. `US201562116216`)."),
    (_F("priority_countries", _LS), "Priority countries, aligned with `priority_numbers`."),
    (_F("priority_dates", pa.list_(_D)), "Priority dates, aligned with `priority_numbers` (null where unknown)."),
    (_F("earliest_priority_date", _D), "Earliest of `priority_dates`, else the filing date."),
    (_F("filing_date", _D), "Application filing date."),
    (_F("publication_date", _D), "Publication date of this document."),
    (_F("grant_date", _D), "Grant date (the publication date of a granted document, or as the source gives it)."),
    (_F("cited_publications", _LS), "Cited patent publications (backward citations), normalised like `publication_number` (kind dropped when unknown)."),
    (_F("cited_npl", _LS), "Cited non-patent literature (identifiers or text)."),
    (_F("forward_citations", _I), "Times cited by later patents, as counted by the source."),
    (_F("family_size", _I), "Simple family size as given by the source."),
    (_F("extended_family_size", _I), "Extended (INPADOC) family size as given by the source."),
    (_F("family_members", _LS), "Family member publication numbers, normalised (同族专利)."),
    (_F("family_jurisdictions", _LS), "Jurisdictions of the family members, distinct and sorted."),
    (_F("legal_status", _S), "Legal status as given (e.g. `ACTIVE`, `有权`, `失效`)."),
    (_F("legal_events", pa.list_(LEGAL_EVENT)), "Legal events (date, INPADOC-style code, description) where given."),
    (_F("source_format", _S), "Reader that produced the row (lens, patentsview, uspto_xml, google, cn_export, jsonl, parquet)."),
    (_F("source_file", _S), "File the row was read from."),
    (_F("source_row", pa.int64()), "1-based line (CSV/TSV/JSONL) or document ordinal (XML: line where the document starts) in `source_file`."),
    (_F("duplicate_sources", _LS), "`file:line` of every duplicate merged into this row (nothing is lost)."),
]

SCHEMA: pa.Schema = pa.schema([f for f, _ in _COLUMNS])
FIELD_DOCS: dict[str, str] = {f.name: d for f, d in _COLUMNS}
LIST_FIELDS = tuple(f.name for f in SCHEMA if pa.types.is_list(f.type))
DATE_FIELDS = tuple(f.name for f in SCHEMA if pa.types.is_date(f.type))
INT_FIELDS = tuple(f.name for f in SCHEMA if pa.types.is_int32(f.type))
#: values of ``claims_coverage``
CLAIMS_COVERAGE = ("all", "independent", "first")


def empty_table() -> pa.Table:
    """A zero-row table with the canonical schema."""
    return SCHEMA.empty_table()


_ZEROS: "weakref.ref[np.ndarray] | None" = None  # the zero-filled memory the empty columns share


def _zeros(nbytes: int) -> pa.Buffer:
    """``nbytes`` zero bytes, a slice of one shared zero-filled block (``np.zeros``: calloc,
    so its pages take no memory until read, and read once for every column on it). The block
    lives while a column uses it (a weak reference), a larger one is made when needed."""
    global _ZEROS
    block = _ZEROS() if _ZEROS is not None else None
    if block is None or block.nbytes < nbytes:
        block = np.zeros(max(nbytes, 64), dtype=np.uint8)
        _ZEROS = weakref.ref(block)
    return pa.py_buffer(block).slice(0, nbytes)


def empty_column(type_: pa.DataType, n: int) -> pa.Array:
    """``n`` empty values of ``type_``: empty lists for a list type, else nulls (as
    :func:`patentnav.model.corpus.conform` fills a column a table lacks), built on shared zero
    bytes (:func:`_zeros`) instead of buffers of their own: a corpus's absent columns cost no
    memory. Equal to ``pa.array([[]] * n, type_)`` or ``pa.nulls(n, type_)``."""
    if pa.types.is_list(type_):  # offsets all 0, no validity bitmap: n empty lists
        return pa.Array.from_buffers(type_, n, [None, _zeros(4 * (n + 1))], null_count=0,
                                     children=[pa.array([], type_.value_type)])
    validity = _zeros((n + 7) // 8)
    if pa.types.is_string(type_):
        return pa.Array.from_buffers(type_, n, [validity, _zeros(4 * (n + 1)), _zeros(0)], null_count=n)
    if pa.types.is_integer(type_) or pa.types.is_date(type_):
        return pa.Array.from_buffers(type_, n, [validity, _zeros(n * type_.bit_width // 8)], null_count=n)
    return pa.nulls(n, type_)


def is_empty_column(col) -> bool:
    """Whether an (chunked) array holds nothing: all null, or, for a list type, only empty or
    null lists (no values). Reads lengths and null counts only."""
    chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
    if pa.types.is_list(col.type):  # no values between the first and the last offset
        return all(len(c) == 0 or c.offsets[len(c)].as_py() == c.offsets[0].as_py() for c in chunks)
    return col.null_count == len(col)
