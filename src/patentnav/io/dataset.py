"""Writing a corpus as a partitioned Parquet dataset, file by file, without one in-memory table.

Layout (Hive partitioning, read in place by DuckDB, Spark and pyarrow)::

    corpus/
      authority=US/year=2015/part-00000-0.parquet
      authority=CN/year=unknown/part-00003-0.parquet
      _patentnav.json          the ingest report (rows read, kept, merged, rejected, per file)

``authority`` is the document's ``jurisdiction`` and ``year`` its publication year
(``unknown`` when missing); both are partition keys only: every file keeps all the
canonical columns (``docs/data-model.md``), so a reader that ignores the partitioning loses
nothing.

:func:`ingest_dataset` reads the inputs one at a time (each reader keeps its own row
accounting), spreads each file's rows over hash buckets of the publication number in a
staging folder, then merges duplicates bucket by bucket (:func:`patentnav.model.dedupe.deduplicate`:
all rows sharing a publication number meet in one bucket) and writes the partitions.
Memory is bounded by the largest input file (as its reader needs it) and by
``rows_per_part`` rows in the merge step. The report satisfies ``rows_read = kept + merged
+ rejected`` exactly as :func:`patentnav.io.read` does.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as pads
import pyarrow.parquet as pq

from ..i18n import Phrase
from .report import IngestError, IngestReport

__all__ = ["DatasetWriter", "ingest_dataset", "REPORT_FILE", "PARTITIONING"]

REPORT_FILE = "_patentnav.json"
#: Partition keys (Hive style folder names).
PARTITIONING = ("authority", "year")
_UNKNOWN = "unknown"


def _partition_columns(table: pa.Table) -> pa.Table:
    jur = pc.fill_null(pc.cast(table["jurisdiction"], pa.string()), _UNKNOWN)
    jur = pc.if_else(pc.equal(jur, ""), _UNKNOWN, jur)
    year = pc.fill_null(pc.cast(pc.year(table["publication_date"]), pa.string()), _UNKNOWN)
    return table.append_column("authority", jur).append_column("year", year)


class DatasetWriter:
    """Appends canonical tables to a partitioned Parquet corpus (see the module docstring).

    Parameters
    ----------
    path : folder
        Created if missing; must be empty (or hold only a previous corpus with
        ``overwrite=True``).
    overwrite : bool
        Replace an existing corpus in ``path``.
    """

    def __init__(self, path: str | os.PathLike, overwrite: bool = False):
        self.path = Path(path)
        if self.check(self.path, overwrite):
            shutil.rmtree(self.path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.parts = 0
        self.rows = 0

    @staticmethod
    def check(path: Path, overwrite: bool) -> bool:
        """Whether ``path`` holds a previous corpus to replace; raises when it holds anything
        else, or a corpus without ``overwrite`` (nothing is removed here)."""
        if not (path.exists() and any(path.iterdir())):
            return False
        if not overwrite:
            raise IngestError.localized("err.output_not_empty", Phrase("hint.output_overwrite"), path=str(path))
        if not (path / REPORT_FILE).exists() and not any(path.glob("authority=*")):
            raise IngestError.localized("err.output_not_corpus", Phrase("hint.output_new"), path=str(path))
        return True

    def write(self, table: pa.Table) -> None:
        """Append the rows of a canonical table (one file per partition it touches)."""
        from ..model.corpus import conform

        if table.num_rows == 0:
            return
        table = _partition_columns(conform(table)).combine_chunks()  # one row group per file, not one per chunk
        pads.write_dataset(
            table, self.path, format="parquet", partitioning=list(PARTITIONING), partitioning_flavor="hive",
            basename_template=f"part-{self.parts:05d}-{{i}}.parquet", existing_data_behavior="overwrite_or_ignore",
            use_threads=False, max_rows_per_group=128 * 1024,
        )
        self.parts += 1
        self.rows += table.num_rows

    def close(self, report: IngestReport | None = None) -> None:
        """Write ``_patentnav.json`` (the ingest report's counts, or just the row count)."""
        meta: dict[str, Any] = {"format": "patentnav-corpus", "version": 1, "partitioning": list(PARTITIONING),
                                "documents": self.rows}
        if report is not None:
            meta["report"] = report.summary()
        (self.path / REPORT_FILE).write_text(json.dumps(meta, ensure_ascii=False, indent=1, default=str), encoding="utf-8")


def bucket_of(numbers: pa.Array, buckets: int) -> np.ndarray:
    """A stable bucket (0 .. buckets-1) per string: a position-weighted byte sum, mixed by a
    Fibonacci multiplier; vectorised over the Arrow buffers (no Python per value)."""
    arr = numbers.combine_chunks() if isinstance(numbers, pa.ChunkedArray) else numbers
    arr = pc.cast(arr, pa.large_string())
    n = len(arr)
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    offs = np.frombuffer(arr.buffers()[1], dtype=np.int64)[arr.offset:arr.offset + n + 1]
    data = np.frombuffer(arr.buffers()[2], dtype=np.uint8) if arr.buffers()[2] is not None else np.zeros(0, np.uint8)
    lens = np.diff(offs)
    b = data[offs[0]:offs[-1]].astype(np.uint64)
    pos = (np.arange(len(b), dtype=np.int64) - np.repeat(offs[:-1] - offs[0], lens)).astype(np.uint64)
    w = b * ((pos * np.uint64(2654435761) + np.uint64(97)) & np.uint64(0xFFFFFFFF))
    starts = offs[:-1] - offs[0]
    h = np.zeros(n, dtype=np.uint64)
    nz = lens > 0
    if nz.any():
        h[nz] = np.add.reduceat(w, starts[nz]) if len(w) else 0
    h = (h + lens.astype(np.uint64)) * np.uint64(11400714819323198485)
    return ((h >> np.uint64(33)) % np.uint64(buckets)).astype(np.int64)


def ingest_dataset(paths, output: str | os.PathLike, *, format: str | None = None, strict: bool = False,
                   progress: Callable[[str], Any] | None = None, buckets: int = 64, rows_per_part: int = 1_000_000,
                   overwrite: bool = False, temp_dir: str | os.PathLike | None = None) -> IngestReport:
    """Read exports into a partitioned Parquet corpus at ``output`` (see the module docstring).

    Parameters are those of :func:`patentnav.io.read`, plus ``buckets`` (staging buckets of
    the publication number) and ``rows_per_part`` (rows merged and written at once: the
    memory bound of the second step). Returns the :class:`IngestReport` (also written to
    ``output/_patentnav.json``); ``kept`` is the number of documents in the corpus. A previous
    corpus at ``output`` (``overwrite=True``) is replaced only after every input has been read;
    when no row is kept nothing is written and ``output`` is left as it was.
    """
    from . import _ensure_readers, _expand_folders, read_file
    from ..model.corpus import conform
    from ..model.dedupe import deduplicate

    _ensure_readers()
    if not paths:
        raise IngestError.localized("err.no_input")
    DatasetWriter.check(Path(output), overwrite)  # refused before any work; replaced only once the inputs are read
    report = IngestReport()
    stage = Path(tempfile.mkdtemp(prefix="patentnav-stage-", dir=temp_dir))
    try:
        sizes = np.zeros(buckets, dtype=np.int64)
        for k, p in enumerate(_expand_folders(paths, format)):
            if progress is not None:
                progress(str(p))
            table, r = read_file(p, format, strict)
            report = report + r
            table = conform(table)
            b = bucket_of(table["publication_number"], buckets)
            order = np.argsort(b, kind="stable")  # rows keep their input order within a bucket
            counts = np.bincount(b, minlength=buckets)
            start = 0
            for j in np.flatnonzero(counts):
                part = table.take(pa.array(order[start:start + counts[j]]))
                start += counts[j]
                d = stage / f"{j:05d}"
                d.mkdir(exist_ok=True)
                pq.write_table(part, d / f"{k:06d}.parquet")
                sizes[j] += part.num_rows
            del table
        if not sizes.sum():  # nothing to write (header-only exports, every row rejected): output left as it was
            report.check()
            return report
        writer = DatasetWriter(output, overwrite=overwrite)  # every input read: the previous corpus goes now
        merged = 0
        group: list[int] = []
        for j in range(buckets):
            if sizes[j]:
                group.append(j)
            if group and (j == buckets - 1 or sizes[group].sum() + sizes[min(j + 1, buckets - 1)] > rows_per_part):
                merged += _merge_buckets(stage, group, writer, deduplicate)
                group = []
        report = IngestReport(rows_read=report.rows_read, kept=writer.rows, merged=report.merged + merged,
                              rejected=report.rejected, warnings=report.warnings, files=report.files,
                              formats=report.formats, per_file=report.per_file)
        report.check()
        writer.close(report)
        return report
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _merge_buckets(stage: Path, group: list[int], writer: DatasetWriter, deduplicate) -> int:
    """Read a group of staged buckets (in input order), merge duplicates, write partitions."""
    tables = [pq.read_table(f) for j in group for f in sorted((stage / f"{j:05d}").glob("*.parquet"))]
    table = pa.concat_tables(tables)
    del tables
    table, merged = deduplicate(table)
    writer.write(table)
    return merged
