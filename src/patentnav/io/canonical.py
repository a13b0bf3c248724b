"""Canonical JSON lines and Parquet: patentnav's own interchange formats.

JSON lines: one object per line with the column names of ``docs/data-model.md``; dates
as ``YYYY-MM-DD`` strings, lists as JSON arrays. Parquet: as written by
:meth:`patentnav.Corpus.to_parquet`. Unknown keys are rejected, never ignored.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..model.schema import LIST_FIELDS, SCHEMA
from .build import RawBatch, build_table
from .registry import register
from .report import IngestError, IngestReport, Issue
from ..i18n import Phrase
from ..limits import LimitError, get_limits, limit_issue
from .source import read_text

__all__ = ["read_jsonl", "read_parquet", "write_jsonl"]

def _legal_events(value, file: str, line: int) -> tuple[list | None, Issue | None]:
    """Validate one row's legal events: a list of objects with date (ISO), code, description."""
    import datetime as dt

    if value is None:
        return [], None
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        return None, Issue.coded(file, line, "legal_events", "events_not_list", str(value)[:80])
    out = []
    for e in value:
        unknown = set(e) - {"date", "code", "description"}
        date = e.get("date")
        try:
            date = None if date is None else dt.date.fromisoformat(str(date))
        except ValueError:
            return None, Issue.coded(file, line, "legal_events", "event_date", str(value)[:80], date=repr(date))
        if unknown:
            return None, Issue.coded(file, line, "legal_events", "event_keys", keys=", ".join(sorted(unknown)))
        out.append({"date": date,
                    "code": None if e.get("code") is None else str(e["code"]),
                    "description": None if e.get("description") is None else str(e["description"])})
    return out, None


def json_depth(obj) -> int:
    """Deepest nesting of lists/dicts in a parsed JSON value (iterative: no recursion limit).

    >>> json_depth({"a": [1, [2]]}), json_depth(3)
    (3, 0)
    """
    deepest, stack = 0, [(obj, 1)]
    while stack:
        v, d = stack.pop()
        if isinstance(v, dict):
            v = v.values()
        elif not isinstance(v, list):
            continue
        deepest = max(deepest, d)
        stack.extend((x, d + 1) for x in v if isinstance(x, (list, dict)))
    return deepest


def _json_lines(text: str):
    """``(line number, line)`` split at ``\\n`` only (U+2028 and friends may sit inside strings)."""
    pos, n, i = 0, len(text), 0
    find = text.find
    while pos < n:
        j = find("\n", pos)
        end = n if j < 0 else j
        i += 1
        yield i, text[pos:end].rstrip("\r")
        pos = end + 1


def read_jsonl(path: str | os.PathLike, *, strict: bool = False) -> tuple[pa.Table, IngestReport]:
    """Read canonical JSON lines (one patent per line; lines end with ``\\n``).

    A line longer than ``record_bytes`` or nested deeper than ``nesting`` is rejected (the
    other lines are read); more than ``rows`` lines end in a LimitError (docs/limits.md).
    """
    file = str(path)
    text = read_text(path)
    lim = get_limits()
    records, lines, warnings = [], [], []
    bad = list(text.rejected)
    known = set(SCHEMA.names)
    derived = {"source_format", "source_file", "source_row", "duplicate_sources", "jurisdiction", "doc_number", "earliest_priority_date"}
    from . import progress

    n_lines = text.text.count("\n") + 1
    for i, line in _json_lines(text.text):
        if i % progress.EVERY == 0:  # the reader's position, for a progress bar
            progress.report(min(i / n_lines, 1.0), len(records) + len(bad))
        if not line.strip():
            continue
        if len(records) + len(bad) >= lim.rows:
            raise LimitError(file, "rows", Phrase("what.limit.json_lines", n=lim.rows))
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            bad.append(Issue.coded(file, i, "(record)", "invalid_json", line[:120], detail=e.msg, column=e.colno))
            continue
        except RecursionError:  # the C decoder stops at Python's recursion limit (~1,000 levels)
            bad.append(limit_issue(file, i, "(record)", "nesting", Phrase("what.limit.json_parser_depth")))
            continue
        if line.count("[") + line.count("{") > lim.nesting and json_depth(obj) > lim.nesting:
            bad.append(limit_issue(file, i, "(record)", "nesting", Phrase("what.limit.json_depth", n=json_depth(obj))))
            continue
        if not isinstance(obj, dict):
            bad.append(Issue.coded(file, i, "(record)", "json_not_object", line[:120]))
            continue
        unknown = sorted(set(obj) - known)
        if unknown:
            name = unknown[0] or '""'
            bad.append(Issue.coded(file, i, name, "unknown_fields", fields=", ".join(repr(u) for u in unknown)))
            continue
        if "legal_events" in obj:
            events, issue = _legal_events(obj["legal_events"], file, i)
            obj["legal_events"] = events or []
            if issue is not None:
                warnings.append(issue)
        records.append(obj)
        lines.append(i)
    bad.sort(key=lambda x: x.line)
    cols: dict = {}
    for name in SCHEMA.names:
        if name in derived or not any(name in r for r in records):
            continue
        vals = [r.get(name) for r in records]
        if name == "legal_events":
            pass
        elif name in LIST_FIELDS:
            vals = [[None if x is None else str(x) for x in v] if isinstance(v, list) else ([] if v is None else [str(v)]) for v in vals]
        elif name == "document_type":
            name = "document_type_raw"
        if name not in LIST_FIELDS:
            vals = [None if v is None else (v if isinstance(v, str) else json.dumps(v) if isinstance(v, (dict, list)) else str(v)) for v in vals]
        cols[name] = vals
    cols.setdefault("publication_number", [None] * len(records))
    batch = RawBatch("jsonl", file, lines, cols, list_sep=None, date_formats=("iso", "compact"),
                     rows_read=len(records) + len(bad), pre_rejected=bad, pre_warnings=warnings)
    return build_table(batch, strict=strict)


def write_jsonl(corpus, path: str | os.PathLike) -> None:
    """Write a corpus as canonical JSON lines (UTF-8, ISO dates, one object per line)."""
    with open(path, "w", encoding="utf-8") as f:
        for row in corpus.table.to_pylist():
            f.write(json.dumps(row, ensure_ascii=False, default=str, sort_keys=False) + "\n")


def read_parquet(path: str | os.PathLike, *, strict: bool = False, columns=None) -> tuple[pa.Table, IngestReport]:
    """Read a Parquet file written by :meth:`patentnav.Corpus.to_parquet`.

    ``columns``: read only these canonical columns (``publication_number`` always, the de-
    duplication key); the others are left empty (:func:`~patentnav.model.schema.empty_column`),
    as if the file did not have them. Every row is read and accounted for either way. For a
    caller that knows which columns it reads (the CLI's ``landscape``): less time and memory."""
    from ..model.corpus import conform

    file = str(path)
    meta = _check_parquet_size(path, file)
    try:
        table = pq.read_table(path, columns=_file_columns(meta, columns))
    except (pa.ArrowInvalid, OSError) as e:
        raise IngestError.localized("err.parquet_unreadable", Phrase("hint.parquet_rewrite"), path=file, detail=str(e)) from e
    try:
        table = conform(table)
    except (ValueError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise IngestError.localized("err.parquet_schema", Phrase("hint.data_model"), path=file, detail=str(e)) from e
    n = table.num_rows
    return table, IngestReport(rows_read=n, kept=n, files=[file], formats=["parquet"])


def _check_parquet_size(path, file: str):
    """Refuse a Parquet file whose metadata declare more rows or uncompressed bytes than the
    limits allow, before any page is read (a 1 MB file can declare 300 million rows).
    Returns the file's metadata."""
    lim = get_limits()
    try:
        meta = pq.ParquetFile(path).metadata
    except (pa.ArrowInvalid, OSError) as e:
        raise IngestError.localized("err.parquet_unreadable", Phrase("hint.parquet_rewrite"), path=file, detail=str(e)) from e
    if meta.num_rows > lim.rows:
        raise LimitError(file, "rows", Phrase("what.limit.parquet_rows", n=meta.num_rows), needed=meta.num_rows)
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if size > lim.input_bytes:
        raise LimitError(file, "input_bytes", Phrase("what.limit.parquet_bytes", n=size), needed=size)
    return meta


def _file_columns(meta, columns) -> list[str] | None:
    """The file's columns to read for ``columns`` (None: all). A column the file has that is
    not in the schema is read all the same, so that :func:`conform` refuses the file as it
    would when read whole."""
    if columns is None:
        return None
    want = set(columns) | {"publication_number"}
    names = meta.schema.to_arrow_schema().names
    return [c for c in names if c in want or c not in SCHEMA.names]


def _sniff_jsonl(path: Path, head: bytes, text: str) -> bool:
    first = text.lstrip("\ufeff").lstrip()
    if not first.startswith("{"):
        return False
    try:
        obj = json.loads(first.splitlines()[0])
    except (json.JSONDecodeError, IndexError):
        return '"publication_number"' in first[:2000]
    return isinstance(obj, dict) and "publication_number" in obj


register("parquet", read_parquet, lambda p, head, text: head[:4] == b"PAR1", "Parquet written by patentnav (Corpus.to_parquet)")
register("jsonl", read_jsonl, _sniff_jsonl, "canonical JSON lines, one patent per line")
