"""Main path analysis on a synthetic citation DAG (target: SPC + SPLC + SPNP in < 30 s for
1M nodes and 10M arcs on 2 cores).

The network: nodes 0..n-1 in publication order; each arc joins a citing node ``j`` (uniform
over 1..n-1) to a cited node ``i < j`` drawn with probability proportional to a Pareto
"fitness" of ``i`` (heavy-tailed, so in-degrees follow a power law), half of the arcs among all
older nodes and half among the ``window`` most recent ones (citations favour recent work,
which makes the network deep). Arcs go from older to newer nodes, so the graph is acyclic
(``--back-arcs 0.0001`` reverses a share of them to make cycles); repeated draws give a few
duplicate arcs, which ``citation_dag`` collapses and counts. The counts overflow float64 on
this network (about e^2497 source-to-sink paths), so the weights are computed with
``normalize=True`` (log space) after the raw attempt stops at the first overflowing level.

    python benchmarks/bench_mainpath.py                   # 1M nodes, 10M arcs
    python benchmarks/bench_mainpath.py --nodes 100000 --arcs 1000000
    python benchmarks/bench_mainpath.py --back-arcs 0.0001     # with cycles to break
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import resource
import time

import numpy as np


def synthetic_dag(n: int, m: int, alpha: float = 1.6, window: int = 2000, seed: int = 0):
    rng = np.random.default_rng(seed)
    fitness = rng.pareto(alpha, n) + 1.0
    cum = np.concatenate([[0.0], np.cumsum(fitness)])  # cum[j] = total fitness of nodes < j
    dst = rng.integers(1, n, m)
    lo = np.where(rng.random(m) < 0.5, 0, np.maximum(dst - window, 0))
    u = cum[lo] + rng.random(m) * (cum[dst] - cum[lo])
    src = np.searchsorted(cum, u, side="right") - 1
    src = np.clip(src, lo, dst - 1)
    return src.astype(np.int64), dst.astype(np.int64)


def timed(label, fn, results):
    """Run fn, print wall-clock and CPU time (CPU time is less sensitive to other load)."""
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        return fn()
    finally:
        results[label] = time.perf_counter() - t0
        results[label + " (cpu)"] = time.process_time() - c0
        print(f"  {label:<40} {results[label]:7.2f} s wall {results[label + ' (cpu)']:7.2f} s cpu", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--nodes", type=int, default=1_000_000)
    ap.add_argument("--arcs", type=int, default=10_000_000)
    ap.add_argument("--k", type=int, default=10, help="key routes")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--back-arcs", type=float, default=0.0,
                    help="share of arcs reversed (newer -> older), to exercise cycle breaking")
    args = ap.parse_args()

    from patentnav.landscape import mainpath as mp

    print(f"date {dt.datetime.now().isoformat(timespec='seconds')}, nproc {os.cpu_count()}, "
          f"{platform.machine()} {platform.processor() or ''}, Python {platform.python_version()}, "
          f"numpy {np.__version__}, load average {os.getloadavg()[0]:.2f}")
    r: dict[str, float] = {}
    src, dst = timed("generate", lambda: synthetic_dag(args.nodes, args.arcs, seed=args.seed), r)
    if args.back_arcs > 0:
        flip = np.random.default_rng(args.seed + 1).random(src.size) < args.back_arcs
        src, dst = np.where(flip, dst, src), np.where(flip, src, dst)
        print(f"  reversed {int(flip.sum()):,} arcs (data errors making cycles)")
    indeg = np.bincount(src, minlength=args.nodes)
    print(f"  nodes {args.nodes:,}, arcs {src.size:,}; in-degree max {indeg.max():,}, "
          f"top 1% of nodes hold {np.sort(indeg)[::-1][: args.nodes // 100].sum() / src.size:.0%} of citations")

    dag = timed("citation_dag (dedupe, cycles, levels)", lambda: mp.citation_dag(src, dst, args.nodes), r)
    print(f"  {dag.summary()}")
    t0 = time.perf_counter()
    timed("sort arcs for the sweeps (once per DAG)", lambda: (dag._sweep("forward"), dag._sweep("backward")), r)
    normalize = False
    try:
        w = timed("arc_weights SPC+SPLC+SPNP (raw counts)", lambda: mp.arc_weights(dag), r)
    except OverflowError as e:
        print(f"    OverflowError: {e}")
        normalize = True
        w = timed("arc_weights SPC+SPLC+SPNP normalize=True", lambda: mp.arc_weights(dag, normalize=True), r)
    print(f"  normalized {normalize}; totals {w.attrs.get('total_paths') or w.attrs.get('log_total_paths')}"
          f" ({'natural logs' if 'log_total_paths' in w.attrs else 'counts'}); max SPC {w['spc'].max():.4g}")
    timed("arc_weights again (sweeps cached)", lambda: mp.arc_weights(dag, normalize=normalize), r)
    dag._cache[("weights", normalize)] = w
    for kind in ("global", "local-forward", "local-backward", "key-route", "key-route-global"):
        p = timed(f"main path {kind}", lambda: mp.main_path(dag, kind, "spc", k=args.k), r)
        print(f"    {len(p.nodes)} nodes, {len(p.arcs)} arcs" +
              (f", path weight {p.path_weight:.4g}" if kind == "global" else ""))
    weights = sum(v for k, v in r.items() if k.startswith(("sort arcs", "arc_weights SPC")) and "(cpu)" not in k)
    weights_cpu = sum(v for k, v in r.items() if k.startswith(("sort arcs", "arc_weights SPC")) and "(cpu)" in k)
    print(f"  weights from a built DAG (sorts + failed raw attempt + sweeps): {weights:.2f} s wall, "
          f"{weights_cpu:.2f} s cpu (target < 30 s)")
    print(f"  end-to-end after generation {time.perf_counter() - t0 + r['citation_dag (dedupe, cycles, levels)']:.2f} s wall")
    print(f"  peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
