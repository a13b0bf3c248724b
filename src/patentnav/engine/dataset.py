"""A corpus on disk: a partitioned Parquet dataset (``patentnav ingest ... -o corpus/``).

:class:`Dataset` reads it lazily: engines (:class:`patentnav.engine.Engine`) aggregate it in
place; :meth:`Dataset.scope` streams it batch by batch through
:func:`patentnav.landscape.scope.scope` and keeps only the documents in scope; and
:meth:`Dataset.to_corpus` loads it whole (only when it fits in memory).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator, Sequence

import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["Dataset", "is_dataset"]


def is_dataset(path: str | os.PathLike) -> bool:
    """Whether ``path`` is a folder holding a Parquet corpus (a ``_patentnav.json`` or
    ``authority=`` partitions)."""
    from ..io.dataset import REPORT_FILE

    p = Path(path)
    return p.is_dir() and ((p / REPORT_FILE).exists() or any(p.glob("authority=*")))


class Dataset:
    """A partitioned Parquet corpus (see :mod:`patentnav.io.dataset` for the layout).

    Examples
    --------
    >>> ds = patentnav.Corpus.open("corpus/")                      # doctest: +SKIP
    >>> len(ds), ds.report                                        # doctest: +SKIP
    >>> drones = ds.scope(ipc="B64")   # an in-memory Corpus of the documents in scope  # doctest: +SKIP
    >>> agg = patentnav.Engine("duckdb").aggregates(ds)          # doctest: +SKIP
    """

    def __init__(self, path: str | os.PathLike):
        import pyarrow.dataset as pads  # here, not at the top: a report in memory never opens a dataset

        from ..io.dataset import REPORT_FILE
        from ..io.report import IngestError

        self.path = Path(path)
        if not is_dataset(self.path):
            raise IngestError(f"{self.path}: not a patentnav Parquet corpus (no {REPORT_FILE}, no authority= folders)",
                              "Make one with: patentnav ingest FILES... -o FOLDER/")
        meta_file = self.path / REPORT_FILE
        self.meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
        self._ds = pads.dataset(str(self.path), format="parquet", partitioning="hive",
                                exclude_invalid_files=False, ignore_prefixes=[".", "_"])

    def __repr__(self) -> str:
        return f"Dataset({str(self.path)!r}: {len(self):,} documents)"

    def __len__(self) -> int:
        return int(self._ds.count_rows())

    @property
    def report(self):
        """The ingest report's counts (an :class:`~patentnav.io.report.IngestReport` without the
        issue details, which ``patentnav ingest --issues`` writes), or None."""
        from ..io.report import IngestReport

        s = self.meta.get("report")
        if not s:
            return None
        return IngestReport(rows_read=s["rows_read"], kept=s["kept"], merged=s["merged_duplicates"],
                            files=list(s.get("files", [])), formats=list(s.get("formats", [])),
                            per_file=list(s.get("per_file", [])))

    def _columns(self, columns: Sequence[str] | None) -> list[str]:
        from ..model.schema import SCHEMA

        have = set(self._ds.schema.names)
        return [c for c in (columns or SCHEMA.names) if c in SCHEMA.names and c in have]

    def batches(self, columns: Sequence[str] | None = None, batch_size: int = 200_000) -> Iterator[pa.Table]:
        """The documents as Arrow tables of about ``batch_size`` rows (canonical columns; small
        files and row groups are gathered, so that per-batch work is not per-file work)."""
        pending, rows = [], 0
        for b in self._ds.to_batches(columns=self._columns(columns), batch_size=batch_size):
            if b.num_rows:
                pending.append(b)
                rows += b.num_rows
            if rows >= batch_size:
                yield pa.Table.from_batches(pending)
                pending, rows = [], 0
        if pending:
            yield pa.Table.from_batches(pending)

    def to_corpus(self, columns: Sequence[str] | None = None):
        """The whole corpus in memory, sorted by publication number (only when it fits)."""
        from ..model.corpus import Corpus

        table = self._ds.to_table(columns=self._columns(columns))
        return Corpus(_sorted(table), self.report)

    def scope(self, industry: str | None = None, ipc=None, cpc=None, query: str | None = None,
              fields=("title", "abstract", "claims"), batch_size: int = 200_000):
        """The documents in scope as an in-memory :class:`~patentnav.Corpus` (sorted by
        publication number), made by streaming the dataset through
        :func:`patentnav.landscape.scope.scope` (a row-wise filter, so batch by batch gives
        the same rows); ``.scope`` records the criteria and the documents each kept."""
        from ..landscape.scope import scope as scope_of
        from ..model.corpus import Corpus

        kept, steps, n = [], None, 0
        for t in self.batches(batch_size=batch_size):
            s = scope_of(Corpus(t), industry=industry, ipc=ipc, cpc=cpc, query=query, fields=fields)
            n += t.num_rows
            kept.append(s.table)
            crit = s.scope["criteria"]
            if steps is None:
                steps = [dict(c) for c in crit]
            else:
                for a, c in zip(steps, crit):
                    a["documents"] += c["documents"]
        table = pa.concat_tables(kept) if kept else None
        out = Corpus(_sorted(table) if table is not None else None, self.report)
        out.scope = {"criteria": steps or [], "documents": len(out), "of": n}
        return out


def _sorted(table: pa.Table) -> pa.Table:
    return table.take(pc.sort_indices(table, [("publication_number", "ascending")]))
