"""Benchmark of ``patentnav.landscape.cooccurrence`` (not part of the test suite).

Synthetic incidence: every document draws ``Poisson(3) + 1`` codes, with replacement, from
``n_codes`` codes of Zipf popularity (``p_k ~ 1 / k``, ``k = 1..n_codes``); repeats within a
document count once (binary incidence), so documents carry slightly fewer distinct codes
(reported). Two scenarios: ``subclass`` (650 codes, about the IPC subclasses) and
``main_group`` (7,000 codes).

Timed, as wall clock (``time.perf_counter``) and CPU time of the process
(``time.process_time``), each the minimum of ``--repeat`` runs after one warm-up (the naive
loop: no warm-up, one run at 1M documents). The minimum is the figure least disturbed by
other load on a shared machine; CPU time is reported because it is less sensitive to it.

* ``fast``        - ``cooccurrence(incidence)``: X'X, association strength, the result
  (sparse counts and strength matrices);
* ``fast+graph``  - ``fast`` plus :func:`to_networkx` (the same output as the naive way);
* ``naive``       - per document ``Counter.update(itertools.combinations(sorted(set(doc)), 2))``
  and an occurrence ``Counter``, then the association strength per pair in Python and an
  ``nx.Graph`` with ``count`` and ``strength`` edge attributes;
* ``incidence``   - :func:`patentnav.landscape.incidence.incidence` from an Arrow
  ``list<string>`` column, at the largest size (what ``cooccurrence(corpus)`` does first);
* ``scipy X'X``   - ``triu(X.T @ X, 1)`` with scipy's sparse product, for reference.

Speed-ups are at equal size and equal output (checked: same nodes, edges, counts and
strengths to 1e-9). Default sizes: naive and fast at 50k, 200k and 1M documents.

Usage::

    python benchmarks/bench_cooccurrence.py
    python benchmarks/bench_cooccurrence.py --sizes 50000 200000 --scenarios subclass
    python benchmarks/bench_cooccurrence.py --json results.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import os
import platform
import resource
import sys
import time
from collections import Counter

import networkx as nx
import numpy as np
import pyarrow as pa
import scipy
import scipy.sparse as sp

from patentnav.landscape.cooccurrence import cooccurrence, to_networkx
from patentnav.landscape.incidence import Incidence, incidence

SCENARIOS = {"subclass": 650, "main_group": 7000}


def synthetic(n_docs: int, n_codes: int, seed: int = 0) -> tuple[Incidence, pa.Array]:
    """(Incidence, the same data as an Arrow list<string> column)."""
    rng = np.random.default_rng(seed)
    k = rng.poisson(3, n_docs) + 1
    p = 1.0 / np.arange(1, n_codes + 1)
    p /= p.sum()
    cols = rng.choice(n_codes, size=int(k.sum()), p=p)
    rows = np.repeat(np.arange(n_docs), k)
    m = sp.csr_matrix((np.ones(len(cols), np.int8), (rows, cols)), shape=(n_docs, n_codes))
    m.sum_duplicates()
    m.data[:] = 1
    names = np.array([f"C{i:05d}" for i in range(n_codes)], dtype=object)
    inc = Incidence(m, names, np.arange(n_docs).astype(str).astype(object))
    offsets = np.concatenate([[0], np.cumsum(k)]).astype(np.int32)
    lists = pa.ListArray.from_arrays(pa.array(offsets), pa.array(names[cols].tolist(), pa.string()))
    return inc, lists


def as_lists(inc: Incidence) -> list[list[str]]:
    m = inc.matrix.tocsr()
    names = inc.items
    return [names[m.indices[m.indptr[i]:m.indptr[i + 1]]].tolist() for i in range(m.shape[0])]


def naive(docs: list[list[str]]) -> nx.Graph:
    occ, pairs = Counter(), Counter()
    for d in docs:
        items = sorted(set(d))
        occ.update(items)
        pairs.update(itertools.combinations(items, 2))
    s = Counter()
    for (a, b), c in pairs.items():
        s[a] += c
        s[b] += c
    total = sum(s.values())
    g = nx.Graph()
    for item, n in occ.items():
        g.add_node(item, occurrences=n)
    for (a, b), c in pairs.items():
        g.add_edge(a, b, count=c, strength=total * c / (s[a] * s[b]))
    return g


def timed(fn, repeat: int, warmup: bool = True) -> tuple[float, float, object]:
    """(min wall seconds, min CPU seconds, last result)."""
    out = fn() if warmup else None
    wall, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        wall.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return min(wall), min(cpu), out


def same(g: nx.Graph, h: nx.Graph) -> bool:
    if set(g.nodes) != set(h.nodes) or g.number_of_edges() != h.number_of_edges():
        return False
    for u, v, d in g.edges(data=True):
        e = h.edges[u, v]
        if e["count"] != d["count"] or abs(e["strength"] - d["strength"]) > 1e-9 * abs(d["strength"]):
            return False
    return True


def machine() -> dict:
    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "affinity": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None,
        "cpu": _cpu_model(),
        "platform": platform.platform(),
        "python": sys.version.split()[0],
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "networkx": nx.__version__,
        "pyarrow": pa.__version__,
    }


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[50_000, 200_000, 1_000_000],
                    help="documents; fast and naive both run at every size")
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS), choices=list(SCENARIOS))
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json")
    args = ap.parse_args(argv)

    info = machine()
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items()))
    results = []
    for name in args.scenarios:
        n_codes = SCENARIOS[name]
        print(f"\n[{name}: {n_codes:,} codes, Zipf popularity, Poisson(3)+1 draws per document]")
        print(f"{'documents':>10} {'codes/doc':>9} {'nodes':>6} {'edges':>10} | {'naive s':>8} | "
              f"{'fast s':>8} {'x wall':>6} {'x CPU':>6} | {'+graph s':>8} {'x wall':>6} | {'scipy XtX s':>11} | equal")
        for n_docs in sorted(set(args.sizes)):
            inc, lists = synthetic(n_docs, n_codes, seed=n_docs)
            rep = args.repeat if n_docs <= 200_000 else 1
            fw, fc, co = timed(lambda: cooccurrence(inc), args.repeat)
            X = inc.matrix.astype(np.int32)
            sw, sc, _ = timed(lambda: sp.triu(X.T.tocsr() @ X, k=1), rep)
            gw, gc, g_fast = timed(lambda: to_networkx(cooccurrence(inc)), rep)
            docs = as_lists(inc)
            nw, nc, g_naive = timed(lambda: naive(docs), rep, warmup=False)
            ok = same(g_naive, g_fast)
            del docs, g_naive, g_fast
            row = {
                "scenario": name, "codes": n_codes, "documents": n_docs,
                "distinct_codes_per_doc": round(inc.matrix.nnz / n_docs, 3),
                "nodes": co.n_nodes, "edges": co.n_edges,
                "naive_wall_s": nw, "naive_cpu_s": nc, "fast_wall_s": fw, "fast_cpu_s": fc,
                "fast_graph_wall_s": gw, "fast_graph_cpu_s": gc, "scipy_xtx_wall_s": sw, "scipy_xtx_cpu_s": sc,
                "speedup_wall": nw / fw, "speedup_cpu": nc / fc, "speedup_with_graph_wall": nw / gw,
                "outputs_equal": ok,
            }
            if n_docs == max(args.sizes):
                iw, ic, _ = timed(lambda: incidence(lists), 1)
                row.update({"incidence_wall_s": iw, "incidence_cpu_s": ic})
            results.append(row)
            print(f"{n_docs:>10,} {row['distinct_codes_per_doc']:>9} {co.n_nodes:>6,} {co.n_edges:>10,} | {nw:>8.3f} | "
                  f"{fw:>8.4f} {nw / fw:>6.0f} {nc / fc:>6.0f} | {gw:>8.3f} {nw / gw:>6.1f} | {sw:>11.3f} | {ok}")
            del inc, lists, co, X
        last = results[-1]
        print(f"  incidence() from Arrow lists at {last['documents']:,} documents: {last['incidence_wall_s']:.3f} s wall")

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS {peak:,.0f} MiB")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": info, "peak_rss_mib": peak, "results": results}, fh, indent=2)
    return 0 if all(r["outputs_equal"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
