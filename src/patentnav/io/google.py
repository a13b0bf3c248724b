"""Google Patents search-result CSV ("Download (CSV)" on patents.google.com).

The first line holds the search URL, the second the header::

    search URL:,https://patents.google.com/?q=(drone)&country=CN
    id,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,result link,representative figure link

``id`` is the publication number (``US-9123456-B2``, ``CN-114081026-A``); assignees and
inventors are one cell each, names separated by ``", "``; dates are ISO; ``grant date``
is empty for applications. The export has no abstracts, classifications or citations.
Column mapping and the name-splitting rule: ``docs/formats/google-patents.md``.
"""

from __future__ import annotations

import csv
import os

import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import with_values
from ..i18n import Phrase
from .build import RawBatch, build_table
from .report import IngestError, IngestReport, Issue
from .delimited import LineCursor, iter_lines
from .source import read_delimited, read_text
from .values import split_lists

__all__ = ["read_google", "looks_like_google", "GOOGLE_FIELDS", "split_names"]

#: lower-cased header -> canonical field (None: known column, not used)
GOOGLE_FIELDS: dict[str, str | None] = {
    "id": "publication_number",
    "title": "title",
    "assignee": "applicants",
    "inventor/author": "inventors",
    "priority date": "priority_dates",
    "filing/creation date": "filing_date",
    "publication date": "publication_date",
    "grant date": "grant_date",
    "result link": None,
    "representative figure link": None,
}

# Legal forms and name suffixes that follow a comma inside one name ("Apple, Inc.",
# "SZ DJI Technology Co., Ltd.", "John Smith, Jr."): such a comma does not separate names.
_FORM = (
    r"(?:inc|incorporated|ltd|limited|llc|l\.l\.c|llp|l\.l\.p|lp|l\.p|plc|co|corp|corporation|company"
    r"|gmbh|ag|kg|kgaa|sa|s\.a|sas|s\.a\.s|sarl|srl|s\.r\.l|spa|s\.p\.a|nv|n\.v|bv|b\.v|se|ab|oy|oyj|asa|a/s"
    r"|kk|k\.k|pty|pte|bhd|jr|sr|ii|iii|iv)\.?"
)
_JOIN = rf"(?i),\s*({_FORM})\s*(,|$)"
_SENTINEL = "\x1f"


def split_names(values) -> pa.Array:
    """Split ``"A, B, C"`` name cells into lists, keeping legal forms with their name.

    ``"SZ DJI Technology Co., Ltd., Apple, Inc."`` -> ``["SZ DJI Technology Co., Ltd.",
    "Apple, Inc."]``. Vectorised (RE2): commas before a legal form are protected, the
    rest split.
    """
    a = pa.array(values, pa.string()) if not isinstance(values, pa.Array) else values
    a = pc.replace_substring(a, _SENTINEL, " ")
    for _ in range(2):  # a match consumes the following comma: "Co., Ltd." needs a second pass
        a = pc.replace_substring_regex(a, _JOIN, _SENTINEL + r"\1\2")
    lists = split_lists(a, r"re:\s*,\s*")
    flat = pc.replace_substring(pc.list_flatten(lists), _SENTINEL, ", ")
    return with_values(lists, flat)


def _norm(h: str) -> str:
    return " ".join(h.strip().lstrip("\ufeff").lower().split())


def looks_like_google(header: list[str]) -> bool:
    """A Google Patents export header has ``id``, ``result link`` and ``representative figure link``."""
    names = {_norm(h) for h in header}
    return {"id", "result link", "representative figure link"} <= names


def _is_url_line(line: str) -> bool:
    return line.lstrip('"').lower().startswith("search url:")


def _first_lines(text: str, n: int = 2) -> list[str]:
    lines = iter_lines(text, LineCursor(1 if text.startswith("\ufeff") else 0, 0))
    return [next(lines, "").rstrip("\r\n") for _ in range(n)]


def read_google(path: str | os.PathLike, *, strict: bool = False) -> tuple[pa.Table, IngestReport]:
    """Read a Google Patents search-result CSV.

    Parameters
    ----------
    path : path-like
        The CSV as downloaded (optionally gzip/bz2/xz-compressed); the ``search URL:``
        line may be present or not.
    strict : bool
        Raise :class:`~patentnav.io.report.IngestError` on the first bad row or value.

    Returns
    -------
    (pyarrow.Table, IngestReport)
        Canonical table (not yet de-duplicated) and the accounting of every row.
    """
    file = str(path)
    text = read_text(path)
    first = _first_lines(text.text, 1)[0]
    skip = 1 if _is_url_line(first) else 0
    rows = read_delimited(path, delimiter=",", skip_lines=skip, text=text)
    header = [h.lstrip("\ufeff") for h in rows.header]
    if "id" not in {_norm(h) for h in header}:
        raise IngestError.localized("err.google_not_export", Phrase("hint.google_export"), path=file, columns=", ".join(header[:8]))
    cols: dict = {}
    names: dict = {}
    notes: list[Issue] = []
    for i, h in enumerate(header):
        key = _norm(h)
        if key not in GOOGLE_FIELDS:
            if h.strip() or any(r[i].strip() for r in rows.rows):
                notes.append(Issue.coded(file, rows.header_line, h or f"(column {i + 1})", "column_unused"))
            continue
        canon = GOOGLE_FIELDS[key]
        if canon is None:
            continue
        if canon in cols:
            notes.append(Issue.coded(file, rows.header_line, h, "column_unused_same", other=names[canon]))
            continue
        vals = rows.column(i)
        if canon in ("applicants", "inventors"):
            vals = split_names(vals)
        cols[canon] = vals
        names[canon] = h
    cols["source_id"] = cols["publication_number"]
    names["source_id"] = names["publication_number"]
    batch = RawBatch(
        source_format="google",
        source_file=file,
        lines=rows.lines,
        columns=cols,
        field_names=names,
        list_sep=None,  # names come split; "priority date" is one date per cell
        date_formats=("iso", "compact"),
        rows_read=rows.n_records,
        pre_rejected=list(rows.bad),
        notes=list(rows.warnings) + list(notes),  # decoding fallbacks: the text was read, not a bad value
    )
    return build_table(batch, strict=strict)


def _sniff(path, head: bytes, text: str) -> bool:
    if not text:
        return False
    lines = _first_lines(text, 2)
    if _is_url_line(lines[0]):
        return True
    for line in lines:
        header = next(csv.reader([line]), [])
        if looks_like_google(header):
            return True
    return False


def _read(path, *, strict: bool = False):
    return read_google(path, strict=strict)


from .registry import register  # noqa: E402

register("google", _read, _sniff, "Google Patents search-result CSV (search URL line, id, assignee, inventor/author ...)")
