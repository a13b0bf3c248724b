"""The synthetic corpus generator of the benchmarks (benchmarks/synthetic.py)."""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pyarrow.compute as pc
import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import FIRST_NUMBER, synthetic_corpus  # noqa: E402

import patentnav  # noqa: E402
from patentnav.landscape.citations import citation_graph  # noqa: E402
from patentnav.model.schema import SCHEMA  # noqa: E402

N = 2000


@pytest.fixture(scope="module")
def corpus():
    return synthetic_corpus(N, seed=7)


def test_shape_and_schema(corpus):
    assert len(corpus) == N
    assert corpus.table.schema.equals(SCHEMA)
    for col in ("publication_number", "jurisdiction", "kind", "publication_date", "filing_date",
                "earliest_priority_date", "family_size"):
        assert corpus[col].null_count == 0, col
    assert pc.all(pc.greater(pc.list_value_length(corpus["applicants"]), 0)).as_py()


def test_unique_numbers(corpus):
    pub = corpus["publication_number"].to_numpy(zero_copy_only=False)
    assert len(set(pub)) == N
    doc = corpus["doc_number"].to_numpy(zero_copy_only=False).astype(np.int64)
    assert (doc == FIRST_NUMBER + np.arange(N)).all()
    jur = corpus["jurisdiction"].to_numpy(zero_copy_only=False)
    kind = corpus["kind"].to_numpy(zero_copy_only=False)
    assert all(p == f"{j}-{d}-{k}" for p, j, d, k in zip(pub, jur, doc, kind))


def test_dates(corpus):
    t = corpus.table
    pub = t["publication_date"].to_numpy().astype("datetime64[D]")
    fil = t["filing_date"].to_numpy().astype("datetime64[D]")
    pri = t["earliest_priority_date"].to_numpy().astype("datetime64[D]")
    assert (np.diff(pub.astype(np.int64)) >= 0).all()  # rows in publication order
    assert pub.min() >= np.datetime64("2000-01-01") and pub.max() <= np.datetime64("2023-12-31")
    lag = (pub - fil).astype(int)
    assert lag.min() >= 365 and lag.max() <= 3 * 365
    assert (pri <= fil).all()
    years = pub.astype("datetime64[Y]").astype(int) + 1970
    counts = np.bincount(years - 2000, minlength=24)
    assert counts[-4:].sum() > 3 * counts[:4].sum()  # growth


def test_citations_in_corpus_and_earlier(corpus):
    g = citation_graph(corpus)
    assert len(g.src) > 5 * N  # ~ Poisson(8) in-corpus references per patent
    pub = corpus["publication_date"].to_numpy().astype("datetime64[D]")
    assert (g.src < g.dst).all()  # cited row before citing row: acyclic
    assert (pub[g.src] < pub[g.dst]).all()  # and published strictly earlier
    # every in-corpus-looking reference resolved; external ones are US-<1M..3M>-A
    flat = pc.list_flatten(corpus["cited_publications"]).to_numpy(zero_copy_only=False)
    external = np.array([int(x.split("-")[1]) < FIRST_NUMBER for x in flat])
    assert external.sum() == g.n_external.sum() > 0
    assert len(g.src) == (~external).sum()
    fwd = corpus["forward_citations"].to_numpy()
    assert (fwd == np.bincount(g.src, minlength=N)).all()
    assert fwd.max() > 10 * fwd.mean()  # heavy-tailed in-degrees


def test_codes_valid(corpus):
    real = set(pc.list_flatten(patentnav.datasets.drones()["ipc"]).to_pylist())
    ipc = corpus["ipc"].to_pylist()
    assert all(set(codes) <= real for codes in ipc)
    assert all(len(set(codes)) == len(codes) for codes in ipc)
    main = corpus["ipc_main"].to_pylist()
    assert all(m == (codes[0] if codes else None) for m, codes in zip(main, ipc))
    n_codes = np.array([len(c) for c in ipc])
    assert 2 < n_codes.mean() < 4


def test_deterministic():
    a, b = synthetic_corpus(500, seed=3), synthetic_corpus(500, seed=3)
    assert a.table.equals(b.table)
    assert not a.table.equals(synthetic_corpus(500, seed=4).table)
