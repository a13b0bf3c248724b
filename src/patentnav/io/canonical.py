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
from .source import decode_text, read_bytes

__all__ = ["read_jsonl", "read_parquet", "write_jsonl"]

def _legal_events(value, file: str, line: int) -> tuple[list | None, Issue | None]:
    """Validate one row's legal events: a list of objects with date (ISO), code, description."""
    import datetime as dt

    if value is None:
        return [], None
    if not isinstance(value, list) or not all(isinstance(e, dict) for e in value):
        return None, Issue(file, line, "legal_events", "expected a list of objects {date, code, description}; dropped", str(value)[:80])
    out = []
    for e in value:
        unknown = set(e) - {"date", "code", "description"}
        date = e.get("date")
        try:
            date = None if date is None else dt.date.fromisoformat(str(date))
        except ValueError:
            return None, Issue(file, line, "legal_events", f"event date {date!r} is not YYYY-MM-DD; events dropped", str(value)[:80])
        if unknown:
            return None, Issue(file, line, "legal_events", f"unknown event key(s) {', '.join(sorted(unknown))}; events dropped")
        out.append({"date": date,
                    "code": None if e.get("code") is None else str(e["code"]),
                    "description": None if e.get("description") is None else str(e["description"])})
    return out, None


def read_jsonl(path: str | os.PathLike, *, strict: bool = False) -> tuple[pa.Table, IngestReport]:
    """Read canonical JSON lines (one patent per line; lines end with ``\\n``)."""
    file = str(path)
    text = decode_text(read_bytes(path), file)
    records, lines, bad, warnings = [], [], [], []
    known = set(SCHEMA.names)
    derived = {"source_format", "source_file", "source_row", "duplicate_sources", "jurisdiction", "doc_number", "earliest_priority_date"}
    # JSON lines are separated by "\n" only: str.splitlines() would also split at U+2028 etc. inside strings
    for i, line in enumerate(text.text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            bad.append(Issue(file, i, "(record)", f"invalid JSON: {e.msg} at column {e.colno}", line[:120]))
            continue
        if not isinstance(obj, dict):
            bad.append(Issue(file, i, "(record)", "a line must hold one JSON object", line[:120]))
            continue
        unknown = sorted(set(obj) - known)
        if unknown:
            name = unknown[0] or '""'
            bad.append(Issue(file, i, name, f"unknown field(s) {', '.join(repr(u) for u in unknown)} (see docs/data-model.md)"))
            continue
        if "legal_events" in obj:
            events, issue = _legal_events(obj["legal_events"], file, i)
            obj["legal_events"] = events or []
            if issue is not None:
                warnings.append(issue)
        records.append(obj)
        lines.append(i)
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


def read_parquet(path: str | os.PathLike, *, strict: bool = False) -> tuple[pa.Table, IngestReport]:
    """Read a Parquet file written by :meth:`patentnav.Corpus.to_parquet`."""
    from ..model.corpus import conform

    file = str(path)
    try:
        table = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as e:
        raise IngestError(f"{file}: not a readable Parquet file ({e})", "Write it again with Corpus.to_parquet") from e
    try:
        table = conform(table)
    except (ValueError, pa.ArrowInvalid, pa.ArrowNotImplementedError) as e:
        raise IngestError(f"{file}: Parquet columns do not match the patentnav schema: {e}", "See docs/data-model.md") from e
    n = table.num_rows
    return table, IngestReport(rows_read=n, kept=n, files=[file], formats=["parquet"])


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
