"""Leiden (graspologic-native, via ``patentnav.landscape.clusters.leiden``) against networkx's
Louvain (``networkx.community.louvain_communities``) on the same co-classification graphs.

Usage (from the repository root, development environment)::

    python benchmarks/bench_clusters.py                       # drones + synthetic 10k, 100k, 1M documents
    python benchmarks/bench_clusters.py --sizes 10000 100000  # fewer sizes
    python benchmarks/bench_clusters.py --weight count        # raw co-occurrence counts as weights
    python benchmarks/bench_clusters.py --json results.json

**Graphs.** The code x code co-classification graph ``X'X`` (off the diagonal) of a
documents x main-group incidence ``X``, weighted by association strength (the default of
``technology_fields``; ``--weight count`` for counts), built with
``patentnav.landscape.cooccurrence.cooccurrence`` exactly as ``technology_fields`` does, for:

* the bundled drone sample (9,071 documents, IPC main groups);
* synthetic incidences of 10k, 100k and 1M documents over 7,000 main-group codes with a
  planted field structure: 70 fields of Zipf-distributed sizes; every document has a
  primary field (Zipf), 1 + Poisson(2.2) distinct codes, each drawn from its primary field
  with probability 0.75 and from a random field otherwise; codes within a field are
  Zipf-popular. Fixed seed, so the graphs are the same at every run.

**Method.** Both algorithms get the same symmetric weighted graph and maximise modularity at
resolution 1. Times are wall-clock, best of ``--repeat`` runs (default 3; 1 for Louvain on
graphs over 500k edges), for the algorithm only: building the networkx ``Graph`` that Louvain
needs is timed separately (``nx build``); Leiden reads the scipy CSR matrix directly.
Modularity of both partitions is computed by the same function
(``patentnav.landscape.clusters.modularity``, the standard weighted formula). Seeds: 42.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import sys
import time

import numpy as np
import scipy.sparse as sp


def machine() -> dict:
    cpu = platform.processor() or ""
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    import networkx

    from importlib.metadata import version

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "python": platform.python_version(),
        "graspologic-native": version("graspologic-native"),
        "networkx": networkx.__version__,
        "load_avg_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
    }


def synthetic_incidence(n_docs: int, n_codes: int = 7000, n_fields: int = 70, seed: int = 0) -> sp.csr_matrix:
    """Documents x codes binary incidence with a planted field structure (see module doc)."""
    rng = np.random.default_rng(seed)
    # field sizes (codes) ~ Zipf, summing to n_codes
    w = 1.0 / np.arange(1, n_fields + 1) ** 0.8
    sizes = np.maximum(5, np.round(w / w.sum() * n_codes)).astype(int)
    sizes[0] += n_codes - sizes.sum()
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    # document primary field ~ Zipf
    pf = w / w.sum()
    prim = rng.choice(n_fields, size=n_docs, p=pf)
    k = 1 + rng.poisson(2.2, size=n_docs)
    rows = np.repeat(np.arange(n_docs), k)
    m = len(rows)
    fld = np.where(rng.random(m) < 0.75, np.repeat(prim, k), rng.integers(0, n_fields, size=m))
    # code within field: Zipf-like popularity via a power of a uniform
    u = rng.random(m) ** 2.5
    cols = starts[fld] + np.minimum((u * sizes[fld]).astype(int), sizes[fld] - 1)
    X = sp.csr_matrix((np.ones(m, dtype=np.int8), (rows, cols)), shape=(n_docs, n_codes))
    X.sum_duplicates()
    X.data[:] = 1
    return X


def code_graph(X: sp.csr_matrix, weight: str) -> sp.csr_matrix:
    from patentnav.landscape.clusters import _code_graph
    from patentnav.landscape.incidence import Incidence

    items = np.array([f"C{i:05d}" for i in range(X.shape[1])], dtype=object)
    inc = Incidence(X, items, np.arange(X.shape[0]).astype(str))
    A, _, _ = _code_graph(inc, weight, 1)
    return A


def drones_graph(weight: str) -> sp.csr_matrix:
    import patentnav
    from patentnav.landscape.clusters import _code_graph
    from patentnav.landscape.incidence import code_incidence

    inc = code_incidence(patentnav.datasets.drones(), "ipc", "main_group")
    A, _, _ = _code_graph(inc, weight, 1)
    return A


def best_of(fn, repeat: int):
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def run_one(name: str, A: sp.csr_matrix, repeat: int, louvain: bool) -> dict:
    import networkx as nx

    from patentnav.landscape.clusters import leiden, modularity

    n_edges = int(sp.triu(A, k=1).nnz)
    row = {"graph": name, "nodes": A.shape[0], "edges": n_edges}
    for it in (2, 4):
        t, (labels, q) = best_of(lambda: leiden(A, seed=42, iterations=it), repeat)
        row[f"leiden{it}_s"] = t
        row[f"leiden{it}_Q"] = q
        row[f"leiden{it}_k"] = int(labels.max()) + 1
    if louvain:
        t0 = time.perf_counter()
        up = sp.triu(A, k=1).tocoo()
        G = nx.Graph()
        G.add_nodes_from(range(A.shape[0]))
        G.add_weighted_edges_from(zip(up.row.tolist(), up.col.tolist(), up.data.tolist()))
        row["nx_build_s"] = time.perf_counter() - t0
        rep = 1 if n_edges > 500_000 else repeat
        t, comms = best_of(lambda: nx.community.louvain_communities(G, weight="weight", resolution=1, seed=42), rep)
        lab = np.empty(A.shape[0], dtype=np.int64)
        for i, c in enumerate(comms):
            lab[list(c)] = i
        row["louvain_s"] = t
        row["louvain_Q"] = modularity(A, lab)
        row["louvain_k"] = len(comms)
        row["speedup"] = row["louvain_s"] / row["leiden2_s"]
    return row


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--weight", choices=("association", "count"), default="association")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-louvain", action="store_true")
    ap.add_argument("--json")
    args = ap.parse_args(argv)

    info = machine()
    print("machine:", ", ".join(f"{k}={v}" for k, v in info.items()), flush=True)
    rows = []
    graphs = [("drones (9,071 docs)", lambda: drones_graph(args.weight))]
    graphs += [(f"synthetic {n:,} docs", (lambda n=n: code_graph(synthetic_incidence(n), args.weight)))
               for n in args.sizes]
    for name, make in graphs:
        t = time.perf_counter()
        A = make()
        build = time.perf_counter() - t
        row = run_one(name, A, args.repeat, not args.no_louvain)
        row["graph_build_s"] = build
        rows.append(row)
        print(json.dumps(row), flush=True)

    hdr = f"{'graph':24} {'nodes':>6} {'edges':>9} | {'Leiden s':>9} {'Q':>7} {'k':>4} | {'Leiden(4) s':>11} {'Q':>7} | {'Louvain s':>9} {'Q':>7} {'k':>4} | {'speed-up':>8}"
    print("\nweight:", args.weight)
    print(hdr)
    print("-" * len(hdr))
    for r in rows:
        lv = (f"{r['louvain_s']:9.3f} {r['louvain_Q']:7.4f} {r['louvain_k']:4d} | {r['speedup']:7.1f}x"
              if "louvain_s" in r else f"{'-':>9} {'-':>7} {'-':>4} | {'-':>8}")
        print(f"{r['graph']:24} {r['nodes']:6d} {r['edges']:9d} | {r['leiden2_s']:9.3f} {r['leiden2_Q']:7.4f} "
              f"{r['leiden2_k']:4d} | {r['leiden4_s']:11.3f} {r['leiden4_Q']:7.4f} | {lv}")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": info, "weight": args.weight, "rows": rows}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
