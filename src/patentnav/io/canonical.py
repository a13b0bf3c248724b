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

from ..model.schema import DATE_FIELDS, LIST_FIELDS, SCHEMA
from .build import RawBatch, build_table
from .registry import register
from .report import IngestError, IngestReport, Issue
from .source import decode_text, read_bytes

__all__ = ["read_jsonl", "read_parquet", "write_jsonl"]

_PASS_THROUGH = {"legal_events"}


def read_jsonl(path: str | os.PathLike, *, strict: bool = False) -> tuple[pa.Table, IngestReport]:
    """Read canonical JSON lines (one patent per line)."""
    file = str(path)
    text = decode_text(read_bytes(path), file)
    records, lines, bad = [], [], []
    known = set(SCHEMA.names)
    for i, line in enumerate(text.text.splitlines(), start=1):
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
            bad.append(Issue(file, i, unknown[0], f"unknown field(s) {', '.join(unknown)} (see docs/data-model.md)"))
            continue
        records.append(obj)
        lines.append(i)
    if strict and bad:
        raise IngestError(bad[0], "Fix the line, or read without strict=True")
    cols: dict = {}
    for name in SCHEMA.names:
        if name in ("source_format", "source_file", "source_row", "duplicate_sources", "jurisdiction", "doc_number", "document_type", "earliest_priority_date"):
            continue
        if any(name in r for r in records):
            vals = [r.get(name) for r in records]
            if name in LIST_FIELDS and name not in _PASS_THROUGH:
                vals = [[None if x is None else str(x) for x in v] if isinstance(v, list) else ([] if v is None else [str(v)]) for v in vals]
            elif name == "legal_events":
                vals = [[{**e, "date": None if e.get("date") is None else str(e["date"])} for e in (v or [])] for v in vals]
            elif name not in DATE_FIELDS:
                vals = [None if v is None else str(v) for v in vals]
            cols[name] = vals
    if "document_type" in SCHEMA.names and any("document_type" in r for r in records):
        cols["document_type_raw"] = [r.get("document_type") for r in records]
    if "legal_events" in cols:
        import datetime as dt

        cols["legal_events"] = [[{**e, "date": dt.date.fromisoformat(e["date"]) if e.get("date") else None} for e in v] for v in cols["legal_events"]]
    cols.setdefault("publication_number", [None] * len(records))
    batch = RawBatch("jsonl", file, lines, cols, list_sep=None, date_formats=("iso", "compact"),
                     rows_read=len(records) + len(bad), pre_rejected=bad)
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
