"""``Corpus``: the canonical, columnar patent collection every analysis builds on."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any, Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..io.report import IngestReport
from .dedupe import conflicts, deduplicate, group_ids
from .schema import DATE_FIELDS, LIST_FIELDS, SCHEMA, empty_column, empty_table, is_empty_column

__all__ = ["Corpus", "harmonize_list", "canonical_lists"]

_YEAR_FIELDS = {
    "publication_year": "publication_date",
    "filing_year": "filing_date",
    "priority_year": "earliest_priority_date",
    "grant_year": "grant_date",
}


def _missing(v) -> bool:
    """None, NaN, NaT or pandas NA (scalars only)."""
    return v is None or (not isinstance(v, (list, tuple, np.ndarray, str)) and bool(pd.isna(v)))


def conform(table: pa.Table) -> pa.Table:
    """Cast a table to :data:`SCHEMA`: missing columns are added empty, extra ones refused.
    A missing column, and one that holds nothing (all null, or only empty lists), is made
    with :func:`~patentnav.model.schema.empty_column`: no memory of its own."""
    extra = [c for c in table.column_names if c not in SCHEMA.names]
    if extra:
        raise ValueError(f"columns not in the patentnav schema: {', '.join(extra)} (see docs/data-model.md)")
    n = table.num_rows
    arrays = []
    for f in SCHEMA:
        if f.name in table.column_names:
            a = table[f.name]
            if a.type != f.type:
                a = a.cast(f.type)
            if n and f.nullable and is_empty_column(a):  # all null (or empty lists): stored on shared zeros
                a = empty_column(f.type, n)
        elif not f.nullable:
            raise ValueError(f"required column {f.name!r} is missing")
        else:
            a = empty_column(f.type, n)
        arrays.append(a)
    out = pa.Table.from_arrays(arrays, schema=SCHEMA.set(0, SCHEMA.field(0).with_nullable(True)))
    if out["publication_number"].null_count:
        raise ValueError("publication_number must not be null")
    # list columns: nulls become empty lists, so that counting never meets a null
    cols = []
    for f in SCHEMA:
        c = out[f.name]
        if f.name in LIST_FIELDS and c.null_count:
            c = pc.fill_null(c, pa.scalar([], f.type))
        cols.append(c)
    return pa.Table.from_arrays(cols, schema=SCHEMA)


def canonical_lists(lists, mapping: pd.DataFrame) -> pa.ListArray:
    """A list<string> column of names with each name replaced by its canonical name in
    ``mapping`` (``raw`` -> ``canonical``, as ``NameHarmonizer.mapping_``; a name the mapping
    does not know is kept); a name repeated in a row after that is kept once
    (:func:`patentnav.names.harmonize.canonical_name_lists`)."""
    from ..names.harmonize import canonical_name_lists

    return canonical_name_lists(lists, mapping)


def harmonize_list(lists, aliases=None, **options) -> tuple[pa.ListArray, pd.DataFrame]:
    """A list<string> column of names with each name replaced by its group's canonical name.

    Names are grouped by :class:`patentnav.names.NameHarmonizer` (``aliases`` and
    ``options`` are passed to it; no family evidence: for applicants use
    :meth:`Corpus.harmonize_applicants`); a name repeated in a row after harmonisation is
    kept once. Returns the harmonised lists and the raw -> canonical mapping (``mapping_``).
    Used for representatives (``agents``).
    """
    from ..names import NameHarmonizer

    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    m = NameHarmonizer(aliases=aliases, **options).fit(pc.list_flatten(lists)).mapping_
    return canonical_lists(lists, m), m


class Corpus:
    """A patent corpus backed by an Apache Arrow table with the schema in
    ``docs/data-model.md`` (:data:`patentnav.model.schema.SCHEMA`).

    Parameters
    ----------
    table : pyarrow.Table
        Columns of the canonical schema (missing ones are added empty).
    report : IngestReport, optional
        How the rows were read (kept, merged, rejected). Carried through filters.

    Examples
    --------
    >>> import patentnav
    >>> c = patentnav.datasets.drones()
    >>> len(c), len(c.filter(jurisdiction="US"))
    (9071, 6073)
    """

    def __init__(self, table: pa.Table | None = None, report: IngestReport | None = None):
        self._table = conform(table if table is not None else empty_table())
        self.report = report

    # --- construction --------------------------------------------------------------
    @classmethod
    def read(cls, *paths: str | os.PathLike, format: str | None = None, strict: bool = False,
             progress: Callable[[str], Any] | None = None, limits=None) -> "Corpus":
        """Read one or more exports (format auto-detected per file) and de-duplicate.

        See :func:`patentnav.io.read` (``limits``: :class:`patentnav.Limits`).
        """
        from ..io import read

        return read(*paths, format=format, strict=strict, progress=progress, limits=limits)

    @classmethod
    def from_pandas(cls, df: pd.DataFrame, report: IngestReport | None = None) -> "Corpus":
        """From a data frame with canonical column names (as made by :meth:`to_pandas`)."""
        arrays, fields = [], []
        for c in df.columns:
            if c not in SCHEMA.names:
                continue
            f = SCHEMA.field(c)
            values = df[c].tolist()
            if c in LIST_FIELDS:
                values = [list(v) if isinstance(v, (list, tuple, np.ndarray)) else [] for v in values]
            elif c in DATE_FIELDS:
                values = [None if _missing(v) else pd.Timestamp(v).date() for v in values]
            else:
                values = [None if _missing(v) else v for v in values]
            arrays.append(pa.array(values, type=f.type))
            fields.append(f.with_nullable(True))
        table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
        return cls(table, report)

    @classmethod
    def from_parquet(cls, path: str | os.PathLike) -> "Corpus":
        """Read a corpus written by :meth:`to_parquet` (within the limits: see
        :func:`patentnav.io.canonical.read_parquet`)."""
        from ..io.canonical import read_parquet

        table, report = read_parquet(path)
        return cls(table)

    @classmethod
    def open(cls, path: str | os.PathLike):
        """Open a partitioned Parquet corpus (``patentnav ingest ... -o corpus/``) without
        loading it: a :class:`patentnav.engine.Dataset` that engines aggregate in place and
        that :meth:`~patentnav.engine.Dataset.scope` streams into an in-memory corpus."""
        from ..engine.dataset import Dataset

        return Dataset(path)

    @classmethod
    def concat(cls, corpora: Iterable["Corpus"], deduplicate: bool = True) -> "Corpus":
        """Concatenate corpora; by default merge rows sharing a publication number."""
        corpora = list(corpora)
        table = pa.concat_tables([c.table for c in corpora]) if corpora else empty_table()
        reports = [c.report for c in corpora if c.report is not None]
        report = None
        if reports:
            report = IngestReport()
            for r in reports:
                report = report + r
        out = cls(table, report)
        return out.deduplicate() if deduplicate else out

    def __add__(self, other: "Corpus") -> "Corpus":
        return Corpus.concat([self, other])

    # --- views -----------------------------------------------------------------------
    @property
    def table(self) -> pa.Table:
        """The underlying Arrow table (canonical schema)."""
        return self._table

    @property
    def columns(self) -> list[str]:
        return self._table.column_names

    def __len__(self) -> int:
        return self._table.num_rows

    def __getitem__(self, column: str) -> pa.ChunkedArray:
        return self._table[column]

    def __iter__(self):
        raise TypeError("iterate over corpus.table.to_pylist() or corpus.to_pandas().itertuples(); a Corpus is columnar")

    def __repr__(self) -> str:
        if not len(self):
            return "Corpus(0 documents)"
        j = pc.value_counts(self._table["jurisdiction"]).to_pylist()
        j = sorted(j, key=lambda d: -d["counts"])[:5]
        js = ", ".join(f"{d['values']} {d['counts']:,}" for d in j)
        years = pc.year(self._table["publication_date"])
        lo, hi = pc.min(years).as_py(), pc.max(years).as_py()
        return f"Corpus({len(self):,} documents; {js}; published {lo}-{hi})"

    def to_arrow(self) -> pa.Table:
        return self._table

    def to_pandas(self) -> pd.DataFrame:
        """A pandas data frame (list columns as Python lists, dates as ``datetime.date``)."""
        df = self._table.to_pandas(types_mapper=None, date_as_object=True)
        for c in LIST_FIELDS:
            df[c] = [list(v) if v is not None else [] for v in df[c]]
        return df

    def to_parquet(self, path: str | os.PathLike, **kwargs) -> None:
        """Write the corpus as Parquet (zstd-compressed by default)."""
        kwargs.setdefault("compression", "zstd")
        pq.write_table(self._table, path, **kwargs)

    def head(self, n: int = 5) -> pd.DataFrame:
        return Corpus(self._table.slice(0, n)).to_pandas()

    # --- operations ---------------------------------------------------------------------
    def deduplicate(self) -> "Corpus":
        """Merge rows with the same publication number (see :mod:`patentnav.model.dedupe`).

        The ingest report's ``kept`` and ``merged`` counts are updated; rows that disagree
        with the row they merge into (title, dates) are added to its warnings.
        """
        groups = group_ids(self._table["publication_number"])  # one hash pass for both
        clashes = conflicts(self._table, groups=groups) if self.report is not None else []
        table, merged = deduplicate(self._table, groups=groups)
        report = self.report
        if report is not None:
            report = IngestReport(
                rows_read=report.rows_read, kept=table.num_rows, merged=report.merged + merged,
                rejected=report.rejected, warnings=report.warnings + clashes, files=report.files, formats=report.formats,
                per_file=report.per_file,
            )
        return Corpus(table, report)

    def mask(self, **criteria) -> pa.Array:
        """Boolean mask of :meth:`filter` criteria (see there)."""
        t = self._table
        m = pa.array(np.ones(t.num_rows, dtype=bool))
        for key, value in criteria.items():
            if value is None:
                continue
            m = pc.and_(m, self._criterion(key, value))
        return m

    def filter(self, mask: pa.Array | np.ndarray | Sequence[bool] | None = None, **criteria) -> "Corpus":
        """Rows matching every criterion.

        Parameters
        ----------
        mask : boolean array, optional
        **criteria
            ``column=value`` for any schema column: a scalar means equality (for list
            columns: contains), a list/set/tuple means "any of" (for a 2-tuple of dates
            or years on a date/year field: an inclusive range), a callable receives the
            column and returns a mask. Pseudo-columns: ``publication_year``,
            ``filing_year``, ``priority_year``, ``grant_year``. Classification:
            ``ipc="B64C39/02*"`` / ``cpc=...`` match code prefixes (``*`` optional);
            ``sei="1.5"`` keeps patents whose IPC codes fall in a strategic emerging
            industry field of the CNIPA 2021 concordance (a field ``1.5`` or an industry ``1``).

        Examples
        --------
        >>> c = patentnav.datasets.drones()
        >>> len(c.filter(document_type="granted_patent"))
        2125
        """
        m = self.mask(**criteria)
        if mask is not None:
            m = pc.and_(m, pa.array(np.asarray(mask, dtype=bool)) if not isinstance(mask, (pa.Array, pa.ChunkedArray)) else mask)
        return Corpus(self._table.filter(m), self.report)

    def _criterion(self, key: str, value) -> pa.Array:
        t = self._table
        if key == "sei":
            from ..classify.sei import sei_mask

            return sei_mask(t["ipc"], value)
        if key in ("ipc", "cpc") and (isinstance(value, str) or (isinstance(value, (list, tuple, set)) and all(isinstance(v, str) for v in value))):
            from ..classify.ipc import code_prefix_mask

            return code_prefix_mask(t[key], [value] if isinstance(value, str) else list(value))
        if callable(value):
            col = t[_YEAR_FIELDS[key]] if key in _YEAR_FIELDS else t[key]
            out = value(pc.year(col) if key in _YEAR_FIELDS else col)
            return pa.array(np.asarray(out, dtype=bool)) if not isinstance(out, (pa.Array, pa.ChunkedArray)) else out
        if key in _YEAR_FIELDS:
            col = pc.year(t[_YEAR_FIELDS[key]])
        elif key in t.column_names:
            col = t[key]
        else:
            raise KeyError(f"unknown filter {key!r}: use a column of docs/data-model.md, a *_year field, ipc, cpc or sei")
        typ = col.type
        if pa.types.is_list(typ):
            values = list(value) if isinstance(value, (list, tuple, set, frozenset)) else [value]
            flat = pc.list_flatten(col)
            parent = pc.list_parent_indices(col)
            hit = pc.is_in(flat, value_set=pa.array(values, typ.value_type))
            rows = np.unique(parent.filter(hit).to_numpy())
            out = np.zeros(t.num_rows, dtype=bool)
            out[rows] = True
            return pa.array(out)
        if isinstance(value, tuple) and len(value) == 2 and (pa.types.is_date(typ) or pa.types.is_integer(typ)):
            lo, hi = value
            conv = (lambda v: pa.scalar(v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v)), pa.date32())) if pa.types.is_date(typ) else (lambda v: v)
            m = pa.array(np.ones(t.num_rows, dtype=bool))
            if lo is not None:
                m = pc.and_(m, pc.greater_equal(col, conv(lo)))
            if hi is not None:
                m = pc.and_(m, pc.less_equal(col, conv(hi)))
            return pc.fill_null(m, False)
        if isinstance(value, (list, tuple, set, frozenset)):
            return pc.fill_null(pc.is_in(col, value_set=pa.array(list(value)).cast(typ)), False)
        return pc.fill_null(pc.equal(col, pa.scalar(value).cast(typ)), False)

    def harmonize_applicants(self, aliases=None, **options) -> "Corpus":
        """Add ``applicants_harmonized``: each raw applicant replaced by its group's canonical name.

        The raw ``applicants`` column is kept. The raw -> canonical mapping is on the
        returned corpus as ``.applicant_mapping`` (a data frame; ``mapping.to_csv`` for review,
        or :func:`patentnav.names.write_mapping_csv`, which neutralises formulas), every link
        with its reason and evidence as ``.applicant_links``. Patent families in the corpus
        (family ids, family members, shared priorities) are the evidence for cross-script
        and acronym links (:mod:`patentnav.names.families`).

        Parameters
        ----------
        aliases : path or list of (alias, canonical), optional
            User pairs that override (Chinese-English names, parent-subsidiary grouping).
        **options
            Passed to :class:`patentnav.names.NameHarmonizer` (``threshold``, ``max_edits``,
            ``fuzzy``, ``workers``, ``min_evidence``).

        Examples
        --------
        >>> h = patentnav.datasets.drones().harmonize_applicants()
        >>> h.applicant_mapping.columns.tolist()[:4]
        ['raw', 'count', 'key', 'is_individual']
        """
        from ..names import NameHarmonizer
        from ..names.families import applicant_positions

        apps = self._table["applicants"].combine_chunks()
        h = NameHarmonizer(aliases=aliases, **options).fit(pc.list_flatten(apps), positions=applicant_positions(self._table))
        m = h.mapping_
        harmonized = canonical_lists(apps, m)
        table = self._table.set_column(self._table.schema.get_field_index("applicants_harmonized"),
                                       SCHEMA.field("applicants_harmonized"), harmonized)
        out = Corpus(table, self.report)
        out.applicant_mapping = m
        out.applicant_links = h.links_
        return out

    def _release_columns(self, *names: str) -> None:
        """Empty the columns ``names`` in place (:func:`~patentnav.model.schema.empty_column`),
        to free their memory. Only for the owner of a corpus no one else reads, after the
        columns' last reader: the landscape report's own (harmonised) corpus
        (:data:`patentnav.report.context.RELEASE_AFTER`). Every other corpus never changes;
        what :mod:`patentnav.model.shared` kept from the columns stays as it was computed."""
        t, n = self._table, self._table.num_rows
        for name in names:
            i = t.schema.get_field_index(name)
            t = t.set_column(i, t.schema.field(i), empty_column(t.schema.field(i).type, n))
        self._table = t

    def select(self, columns: Sequence[str]) -> pa.Table:
        """Some columns as an Arrow table (for export; a Corpus always keeps every column)."""
        return self._table.select(list(columns))

    def summary(self, top: int = 10) -> dict:
        """Counts by jurisdiction, publication year, document type; top IPC subclasses and applicants."""
        from .summary import summarize

        return summarize(self, top=top)
