"""Relevance index (``patentnav.warning.relevance``) at scale: build time and query time.

Corpus: ``synthetic.synthetic_corpus(n)`` (bootstrapped real rows of the drone sample, so
real IPC/CPC code sets and real titles). Its titles are exact copies of the sample's
8,505 distinct titles, so each title is perturbed here: 1-3 words drawn uniformly from the
sample titles' words are appended (vectorised with Arrow), which makes documents distinct
and the vocabulary realistic in its long tail. Only titles are indexed (the synthetic corpus
has no abstracts or claims).

Queries (``--queries``, default 100): each has 3 features (titles of random sample rows, one
of them perturbed with 2 extra words), 4 bilingual keywords and the 2 first IPC codes of a
random document; ``top=50``. Wall clock per query (``time.perf_counter``) after the build;
reported: build seconds, mean / median / p95 / max query seconds, peak RSS.

Usage::

    python benchmarks/bench_relevance.py                 # 1,000,000 documents
    python benchmarks/bench_relevance.py --size 200000
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, os.path.dirname(__file__))
from synthetic import synthetic_corpus  # noqa: E402

import patentnav  # noqa: E402
from patentnav.warning.relevance import RelevanceIndex  # noqa: E402


def perturbed(corpus, seed: int = 1) -> patentnav.Corpus:
    """The corpus with 1-3 random sample words appended to every title."""
    t = corpus.table
    n = t.num_rows
    rng = np.random.default_rng(seed)
    words = pc.unique(pc.list_flatten(pc.utf8_split_whitespace(patentnav.datasets.drones()["title"].combine_chunks())))
    words = words.filter(pc.greater(pc.utf8_length(words), 3))
    title = t["title"].combine_chunks().cast(pa.string())
    extra = [pc.take(words, pa.array(rng.integers(0, len(words), n))) for _ in range(3)]
    k = rng.integers(1, 4, n)
    parts = [title] + [pc.if_else(pa.array(k > j), extra[j], pa.scalar("", pa.string())) for j in range(3)]
    new = pc.binary_join_element_wise(*parts, " ")
    return patentnav.Corpus(t.set_column(t.schema.get_field_index("title"), "title", new))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=1_000_000)
    ap.add_argument("--queries", type=int, default=100)
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    corpus = perturbed(synthetic_corpus(args.size))
    print(f"generate {args.size:,} documents: {time.perf_counter() - t0:.1f} s", flush=True)

    idx = RelevanceIndex.build(corpus, fields=("title",))
    W = idx.weights
    print(f"build: {idx.build_seconds:.1f} s; {W.shape[0]:,} documents x {W.shape[1]:,} terms, "
          f"{W.nnz:,} weights; code items " +
          ", ".join(f"{lv} {m.shape[1]:,}" for lv, (m, _) in idx.codes.items()), flush=True)

    sample = patentnav.datasets.drones().to_pandas()
    titles = sample.title.dropna().tolist()
    rng = np.random.default_rng(2)
    ipc = corpus.table["ipc"].to_pylist()
    kw = ["无人机", "drone", "unmanned", "aerial"]
    idx.query(["warm up jieba 无人机"])  # first Chinese query loads jieba's dictionary
    times = []
    for q in range(args.queries):
        feats = [titles[i] for i in rng.integers(0, len(titles), 3)]
        feats[0] += " battery camera"
        codes = ipc[int(rng.integers(0, args.size))][:2]
        t = time.perf_counter()
        r = idx.query(feats, keywords=kw, codes=codes, top=50)
        times.append(time.perf_counter() - t)
        assert len(r) <= 50
    times = np.array(times)
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"queries: {len(times)}; mean {times.mean():.3f} s, median {np.median(times):.3f} s, "
          f"p95 {np.percentile(times, 95):.3f} s, max {times.max():.3f} s; peak RSS {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
