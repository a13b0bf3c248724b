"""JSON and CSV output of the report model."""

from __future__ import annotations

import csv
import json
import math
import re
from pathlib import Path

from ..safety import neutralize_csv_cell

__all__ = ["to_json", "write_json", "write_csv_tables", "csv_name"]


def _stable(obj):
    """Floats re-rounded to 6 significant digits (NaN/inf -> None) so formatting is stable."""
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, float):
        return None if not math.isfinite(obj) else (0.0 if obj == 0 else float(f"{obj:.6g}"))
    if isinstance(obj, dict):
        return {str(k): _stable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_stable(v) for v in obj]
    return str(obj)


def to_json(report: dict) -> str:
    """The report as JSON text: builder key order kept, UTF-8 characters as-is, indent 1."""
    return json.dumps(_stable(report), ensure_ascii=False, sort_keys=False, indent=1, allow_nan=False) + "\n"


def write_json(report: dict, path) -> Path:
    p = Path(path)
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(to_json(report), encoding="utf-8")
    return p


def _safe_name(s: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", s).strip("_") or "table"


def csv_name(section_id: str, table_id: str) -> str:
    """File name of a table's CSV: ``<section>_<table>.csv``, or ``<table>.csv`` when the
    table's id already starts with the section's (``details``, ``risks_US``: never
    ``details_details.csv``)."""
    sec, tab = _safe_name(section_id), _safe_name(table_id)
    return f"{tab}.csv" if tab == sec or tab.startswith(sec + "_") else f"{sec}_{tab}.csv"


def write_csv_tables(report: dict, out_dir) -> list[Path]:
    """One CSV per table (:func:`csv_name`): UTF-8 with BOM, formula cells neutralised."""
    d = Path(out_dir)
    d.mkdir(parents=True, exist_ok=True)
    written = []
    for sec in report.get("sections", []):
        for tab in sec.get("tables", []):
            p = d / csv_name(sec["id"], tab["id"])
            with open(p, "w", newline="", encoding="utf-8-sig") as f:
                w = csv.writer(f)
                w.writerow([neutralize_csv_cell(c["label"]) for c in tab["columns"]])
                for row in tab["rows"]:
                    w.writerow([neutralize_csv_cell("" if v is None else v) for v in row])
            written.append(p)
    return written
