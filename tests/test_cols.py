"""Columns the landscape does not read, and columns let go after their last reader (lane ``cols``).

- :func:`patentnav.model.schema.empty_column` against the former fill (``pa.array([[]] * n)``,
  ``pa.nulls``); :func:`~patentnav.model.corpus.conform` against its former definition;
- ``read(..., columns=)`` reads every row, keeps the named columns as read whole, leaves the
  others empty;
- the landscape report lets ``cited_publications`` (after key_patents) and ``title`` (after main_path) of its own corpus go, never
  the caller's corpus, and a report built from a corpus read with :func:`landscape_columns`
  equals the one built from the corpus read whole.
"""

from __future__ import annotations

import json
import pathlib
import sys

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import patentnav
from patentnav.model.corpus import Corpus, conform
from patentnav.model.schema import LIST_FIELDS, SCHEMA, empty_column, is_empty_column

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))  # synthetic.py


def _conform_before(table: pa.Table) -> pa.Table:
    """Oracle: conform as it was before empty columns shared zero bytes."""
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
        elif pa.types.is_list(f.type):
            a = pa.array([[]] * n, f.type)
        else:
            if not f.nullable:
                raise ValueError(f"required column {f.name!r} is missing")
            a = pa.nulls(n, f.type)
        arrays.append(a)
    out = pa.Table.from_arrays(arrays, schema=SCHEMA.set(0, SCHEMA.field(0).with_nullable(True)))
    if out["publication_number"].null_count:
        raise ValueError("publication_number must not be null")
    cols = []
    for f in SCHEMA:
        c = out[f.name]
        if f.name in LIST_FIELDS and c.null_count:
            c = pc.fill_null(c, pa.scalar([], f.type))
        cols.append(c)
    return pa.Table.from_arrays(cols, schema=SCHEMA)


@pytest.mark.parametrize("n", [0, 1, 7, 1000])
def test_empty_column_equals_former_fill(n):
    for f in SCHEMA:
        a = empty_column(f.type, n)
        a.validate(full=True)
        b = pa.array([[]] * n, f.type) if pa.types.is_list(f.type) else pa.nulls(n, f.type)
        assert a.type == f.type and a.equals(b) and a.null_count == b.null_count, f.name
        assert is_empty_column(a) and a.to_pylist() == b.to_pylist()


def test_is_empty_column():
    ls = pa.list_(pa.string())
    assert is_empty_column(pa.chunked_array([pa.array([None, []], ls), pa.array([[]], ls)]))
    assert not is_empty_column(pa.chunked_array([pa.array([[]], ls), pa.array([["x"]], ls)]))
    assert is_empty_column(pa.array([["x"], [], []], ls).slice(1))  # a slice past the values
    assert not is_empty_column(pa.array([None, "a"]))
    assert is_empty_column(pa.array([None, None], pa.string()))
    assert is_empty_column(pa.chunked_array([], pa.string()))


def _random_table(rng, n: int) -> pa.Table:
    """Some columns, each all null, partly null, or filled; list columns with null lists."""
    cols = {"publication_number": pa.array([f"US-{i}-A" for i in range(n)])}
    for name in ("title", "abstract", "legal_status"):
        kind = rng.integers(3)
        cols[name] = pa.array([None if kind == 0 or (kind == 1 and rng.random() < .5) else f"t{i}" for i in range(n)],
                              pa.string())
    for name in ("ipc", "cpc", "cited_publications", "inventors"):
        kind = rng.integers(3)
        cols[name] = pa.array([None if rng.random() < .3 else ([] if kind == 0 else [f"c{i % 3}"] * int(rng.integers(2)))
                               for i in range(n)], pa.list_(pa.string()))
    cols["forward_citations"] = pa.array([None if rng.random() < .5 else int(i) for i in range(n)], pa.int32())
    t = pa.table(cols)
    return pa.concat_tables([t.slice(0, n // 2), t.slice(n // 2)]) if n > 1 else t


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("n", [1, 2, 50])
def test_conform_equals_former_definition(seed, n):
    t = _random_table(np.random.default_rng(seed), n)
    new, old = conform(t), _conform_before(t)
    assert new.schema == old.schema and new.equals(old)
    for name in new.column_names:  # each column also equal value by value, nulls included
        assert new[name].to_pylist() == old[name].to_pylist(), name


def test_conform_empty_table_and_errors():
    t = pa.table({"publication_number": pa.array([], pa.string())})
    assert conform(t).equals(_conform_before(t))
    with pytest.raises(ValueError):
        conform(pa.table({"title": ["x"]}))
    with pytest.raises(ValueError):
        conform(pa.table({"publication_number": ["x"], "nope": [1]}))


# ------------------------------------------------------------------ reading some columns
@pytest.fixture(scope="module")
def synthetic_parquet(tmp_path_factory):
    """A small synthetic corpus (benchmarks/synthetic.py: citations, CPC) as Parquet."""
    from synthetic import synthetic_corpus

    path = tmp_path_factory.mktemp("cols") / "synthetic.parquet"
    synthetic_corpus(3000, seed=1).to_parquet(path)
    return path


@pytest.fixture(scope="module")
def sample_parquet(tmp_path_factory):
    """The bundled sample as Parquet, with a duplicate row (so that de-duplication merges)."""
    c = patentnav.datasets.drones()
    t = pa.concat_tables([c.table, c.table.slice(3, 2)])
    path = tmp_path_factory.mktemp("cols") / "sample.parquet"
    Corpus(t).to_parquet(path)
    return path


def test_read_columns_parquet(sample_parquet):
    from patentnav.io import read

    whole = read(sample_parquet)
    some = read(sample_parquet, columns=["title", "ipc"])
    assert len(some) == len(whole) and some.report.rows_read == whole.report.rows_read
    assert some.report.merged == whole.report.merged == 2 and some.report.per_file == whole.report.per_file
    for name in SCHEMA.names:
        if name in ("publication_number", "title", "ipc"):
            assert some.table[name].equals(whole.table[name]), name
        elif name != "duplicate_sources":  # made by de-duplication (from source_file, source_row)
            assert is_empty_column(some.table[name]), name


def test_read_columns_other_reader(tmp_path):
    """A reader without ``columns=`` (JSON lines): the columns are dropped after reading."""
    from patentnav.io import read
    from patentnav.io.canonical import write_jsonl

    c = Corpus(patentnav.datasets.drones().table.slice(0, 40))
    write_jsonl(c, tmp_path / "c.jsonl")
    whole = read(tmp_path / "c.jsonl")
    some = read(tmp_path / "c.jsonl", columns=["applicants"])
    assert some.table["applicants"].equals(whole.table["applicants"])
    assert some.table["publication_number"].equals(whole.table["publication_number"])
    assert is_empty_column(some.table["title"]) and not is_empty_column(whole.table["title"])


def test_read_columns_refuses_foreign_column(tmp_path):
    """A file with a column outside the schema is refused with ``columns=`` as without."""
    import pyarrow.parquet as pq

    from patentnav.io import IngestError, read

    pq.write_table(pa.table({"publication_number": ["US-1-A"], "nope": [1]}), tmp_path / "x.parquet")
    for cols in (None, ["title"]):
        with pytest.raises(IngestError):
            read(tmp_path / "x.parquet", columns=cols)


# ------------------------------------------------------------------ the landscape report
def _report(corpus, **kw):
    from patentnav.report import build_landscape_report

    return json.dumps(build_landscape_report(corpus, region="US", lang="en", **kw), sort_keys=True, default=str)


def test_landscape_columns_and_release(synthetic_parquet):
    """A report of the corpus read with landscape_columns() equals the report of the corpus
    read whole; the caller's corpus keeps its columns; the report's own corpus lets
    cited_publications go after key_patents, title after main_path."""
    from patentnav.io import read
    from patentnav.report import context
    from patentnav.report.context import landscape_columns

    whole = read(synthetic_parquet)
    before = whole.table["cited_publications"]
    seen = {}
    real = context.LandscapeContext.release

    def release(self, step):
        real(self, step)
        seen[step] = [is_empty_column(self.corpus.table[c]) for c in ("cited_publications", "title")]

    context.LandscapeContext.release = release
    try:
        a = _report(whole)
    finally:
        context.LandscapeContext.release = real
    assert seen["fields"] == [False, False]
    assert seen["key_patents"] == [True, False] and seen["main_path"] == [True, True]  # after their last readers
    assert whole.table["cited_publications"].equals(before) and not is_empty_column(before)
    assert _report(whole) == a  # the caller's corpus again: the same report
    some = read(synthetic_parquet, columns=landscape_columns())
    assert is_empty_column(some.table["cpc"]) and not is_empty_column(whole.table["cpc"])
    assert _report(some) == a


def test_context_without_own_corpus_keeps_columns(synthetic_parquet):
    """A context whose corpus is the caller's (harmonize_applicants returning it) empties nothing."""
    from patentnav.io import read
    from patentnav.report.context import LandscapeContext

    c = read(synthetic_parquet)
    ctx = LandscapeContext(corpus=c, region="US", release_memory=True)
    ctx.release("key_patents")
    ctx.release("main_path")
    assert not is_empty_column(c.table["cited_publications"])


def test_columns_kept_outside_the_section_loop(synthetic_parquet):
    """Without release_memory (a context used step by step, out of the report's order) the
    context's own corpus keeps its columns: a released value is made again identically."""
    from patentnav.io import read
    from patentnav.report.context import landscape_context

    ctx = landscape_context(read(synthetic_parquet), region="US", lang="en")
    docs = ctx.documents
    ctx.release("key_patents")
    ctx.release("main_path")
    assert not is_empty_column(ctx.corpus.table["cited_publications"])
    assert ctx.documents is not docs and ctx.documents.equals(docs)
    ctx.release_memory = True
    ctx.release("key_patents")
    ctx.release("main_path")
    assert is_empty_column(ctx.corpus.table["cited_publications"]) and is_empty_column(ctx.corpus.table["title"])


def test_release_columns():
    c = Corpus(patentnav.datasets.drones().table.slice(0, 30))
    other = c.table
    c._release_columns("cited_publications", "title")
    assert is_empty_column(c.table["cited_publications"]) and is_empty_column(c.table["title"])
    assert c.table.schema == SCHEMA and len(c) == 30
    assert not is_empty_column(other["title"])  # the former table is untouched
