"""Writing a corpus for spreadsheets (CSV, XLSX) and choosing a writer by file suffix.

Spreadsheet copies are for people to read: list values are joined with ``"; "``, dates are
ISO text, missing values are empty cells, and every text cell a spreadsheet would read as a
formula is neutralised (:func:`patentnav.safety.neutralize_csv_cell`). Read a corpus back
from ``.parquet`` or ``.jsonl``: the spreadsheets are not a patentnav input format.
"""

from __future__ import annotations

import csv
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from ..i18n import LocalizedError
from ..safety import neutralize_csv_cell

__all__ = ["OUTPUT_SUFFIXES", "XLSX_MAX_ROWS", "check_output", "write_corpus", "write_spreadsheet"]

#: Suffixes ``patentnav ingest -o`` writes.
OUTPUT_SUFFIXES = (".parquet", ".jsonl", ".csv", ".xlsx")
#: Rows of one Excel worksheet, the header included (Excel's limit).
XLSX_MAX_ROWS = 1_048_576


def check_output(path: str | os.PathLike) -> str:
    """The suffix of an output file name, or a :class:`~patentnav.i18n.LocalizedError`
    naming the supported suffixes (checked before any work is done)."""
    suffix = Path(path).suffix.lower()
    if suffix not in OUTPUT_SUFFIXES:
        raise LocalizedError("err.output_suffix", path=str(path), suffix=suffix or "(none)",
                             suffixes=", ".join(OUTPUT_SUFFIXES))
    return suffix


def write_corpus(corpus, path: str | os.PathLike) -> Path:
    """Write ``corpus`` in the format its file suffix names (:data:`OUTPUT_SUFFIXES`)."""
    path = Path(path)
    suffix = check_output(path)
    if suffix == ".parquet":
        corpus.to_parquet(path)
    elif suffix == ".jsonl":
        from .canonical import write_jsonl

        write_jsonl(corpus, path)
    else:
        write_spreadsheet(corpus.table, path)
    return path


def _text_columns(table: pa.Table) -> list[tuple[str, list]]:
    """Every column as a Python list of cell values (lists joined, structs as text)."""
    out = []
    for name in table.column_names:
        col = table[name].combine_chunks()
        if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
            if pa.types.is_struct(col.type.value_type):
                vals = [None if v is None else "; ".join(str({k: x for k, x in e.items() if x is not None}) for e in v)
                        for v in col.to_pylist()]
            else:
                joined = pc.binary_join(pc.cast(col, pa.list_(pa.string())), "; ")
                vals = joined.to_pylist()
        elif pa.types.is_date(col.type) or pa.types.is_timestamp(col.type):
            vals = pc.cast(col, pa.string()).to_pylist() if pa.types.is_date(col.type) else \
                pc.strftime(col, format="%Y-%m-%d").to_pylist()
        else:
            vals = col.to_pylist()
        out.append((name, vals))
    return out


def write_spreadsheet(table: pa.Table, path: str | os.PathLike) -> Path:
    """Write an Arrow table as CSV (UTF-8 with BOM) or XLSX, by the file's suffix."""
    path = Path(path)
    cols = _text_columns(table)
    names = [n for n, _ in cols]
    rows = zip(*(v for _, v in cols)) if cols else iter(())
    if path.suffix.lower() == ".xlsx":
        if table.num_rows + 1 > XLSX_MAX_ROWS:
            raise LocalizedError("err.xlsx_rows", path=str(path), n=f"{table.num_rows:,}", limit=XLSX_MAX_ROWS - 1)
        from openpyxl import Workbook
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        def cell(v):  # control characters cannot be stored in XLSX: they are dropped
            return ILLEGAL_CHARACTERS_RE.sub("", neutralize_csv_cell(v)) if isinstance(v, str) else v

        wb = Workbook(write_only=True)
        ws = wb.create_sheet("patents")
        ws.append(names)
        for row in rows:
            ws.append([cell(v) for v in row])
        wb.save(path)
        return path
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(names)
        for row in rows:
            w.writerow(["" if v is None else neutralize_csv_cell(v) for v in row])
    return path
