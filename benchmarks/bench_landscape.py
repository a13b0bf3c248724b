"""End-to-end landscape analyses on synthetic corpora that look like real data.

The corpus comes from ``benchmarks/synthetic.py`` (bootstrapped real IPC code sets of the
drone sample, growing publication years, Zipf applicants, a time-ordered power-law citation
network; see its docstring). For every size (default 100k and 1M patents), in a fresh
subprocess so that the peak resident set size is that size's alone, the steps are:

* ``generate``            - ``synthetic_corpus(n)``;
* ``cooccurrence subclass`` / ``cooccurrence main_group`` - ``cooccurrence(corpus, "ipc", level)``;
* ``technology_fields``   - ``technology_fields(corpus, level="main_group", stability=0)``;
* ``citation_graph``      - in-corpus citation arcs;
* ``quality_indicators``  - with the graph above (``graph=``);
* ``citation_dag``        - ``citation_dag(src, dst, n, dates=publication dates)``;
* ``arc_weights``         - SPC/SPLC/SPNP; raw counts, or ``normalize=True`` (log space)
  when the raw counts overflow float64 (the failed raw attempt is timed separately).

Each step: wall clock (``time.perf_counter``), CPU time of the process
(``time.process_time``), the resident set size before the step (``/proc/self/statm``) and
the peak resident set size of the process after it (``resource.getrusage`` ``ru_maxrss``, a
high-water mark since the process started, interpreter and imports included).

Naive comparisons (``--naive-size``, default 50k documents, also in a subprocess), reusing
the helpers of ``bench_cooccurrence.py`` and ``bench_clusters.py``: the co-classification
network at main-group level as a Python pair loop into a networkx ``Graph``
(``bench_cooccurrence.naive``, checked equal to ``to_networkx(cooccurrence(...))``), and
networkx Louvain against patentnav's Leiden on the code graph of ``technology_fields``
(association strength, codes on >= 3 patents; ``bench_clusters.run_one``).

Usage::

    python benchmarks/bench_landscape.py                       # 100k and 1M, naive at 50k
    python benchmarks/bench_landscape.py --sizes 100000 --naive-size 0
    python benchmarks/bench_landscape.py --json results.json
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mib() -> float:
    try:
        with open("/proc/self/statm") as fh:
            return int(fh.read().split()[1]) * _PAGE / 2**20
    except OSError:
        return float("nan")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def write_results(results: dict, path) -> None:
    """Record the load after the run next to the machine (timings under load say so) and, when
    ``path`` is given, write the results there as JSON."""
    results.setdefault("machine", {})["load_avg_1min_after"] = os.getloadavg()[0]
    if path:
        import json
        from pathlib import Path

        Path(path).write_text(json.dumps(results, indent=2))


def machine() -> dict:
    from bench_cooccurrence import _cpu_model

    try:
        free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    except OSError:
        free = ""
    import networkx
    import pyarrow
    import scipy

    return {
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "memory": free.splitlines()[1].split()[1] + " GiB" if free else None,
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "pyarrow": pyarrow.__version__,
        "networkx": networkx.__version__,
        "load_avg_1min": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "free_g": free,
    }


def record(rows: list, label: str, wall: float, cpu: float, rss0: float, note: str | None = None) -> dict:
    """Append one timing row (wall and CPU seconds, RSS before, peak RSS) and print it at once."""
    row = {"step": label, "wall_s": wall, "cpu_s": cpu, "rss_before_mib": rss0, "peak_rss_mib": peak_mib()}
    if note is not None:
        row["note"] = note
    rows.append(row)
    print(f"  {label:<28} {wall:8.2f} s wall {cpu:8.2f} s cpu   rss before {rss0:7.0f} MiB"
          f"  peak {row['peak_rss_mib']:7.0f} MiB" + (f"   {note}" if note is not None else ""), flush=True)
    return row


def step(rows: list, label: str, fn, note=None):
    """Run ``fn()``, record its timing under ``label`` (``note(result)`` as a remark), return the result."""
    rss0 = rss_mib()
    t0, c0 = time.perf_counter(), time.process_time()
    out = fn()
    record(rows, label, time.perf_counter() - t0, time.process_time() - c0, rss0, note(out) if note else None)
    return out


def path_size(path: str) -> int:
    """Bytes of a file, or of every file under a directory."""
    if os.path.isfile(path):
        return os.path.getsize(path)
    return sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(path) for f in fs)


def mb(b: int) -> str:
    return f"{b / 1e6:.2f} MB" if b >= 1e5 else f"{b / 1e3:.1f} kB"


def run_size(n: int, seed: int) -> dict:
    from synthetic import _sample, synthetic_corpus

    from patentnav.landscape import mainpath as mp
    from patentnav.landscape.citations import citation_graph
    from patentnav.landscape.clusters import technology_fields
    from patentnav.landscape.cooccurrence import cooccurrence
    from patentnav.landscape.indicators import quality_indicators

    _sample()  # reading the bundled sample (once per process) is not part of generation
    rows: list = []
    print(f"\n[{n:,} patents]  rss after imports {rss_mib():.0f} MiB", flush=True)
    c = step(rows, "generate", lambda: synthetic_corpus(n, seed=seed), lambda c: repr(c))
    for level in ("subclass", "main_group"):
        step(rows, f"cooccurrence {level}", lambda: cooccurrence(c, "ipc", level),
             lambda co: f"{co.n_nodes:,} nodes, {co.n_edges:,} edges")
    step(rows, "technology_fields", lambda: technology_fields(c, level="main_group", stability=0),
         lambda tf: f"{tf.quality['n_fields']} fields, coverage {tf.quality['coverage']:.3f}")
    g = step(rows, "citation_graph", lambda: citation_graph(c),
             lambda g: f"{len(g.src):,} arcs, {int(g.n_external.sum()):,} external refs")
    step(rows, "quality_indicators", lambda: quality_indicators(c, graph=g), lambda q: f"{q.shape[1]} columns")
    dates = c["publication_date"].to_numpy()
    dag = step(rows, "citation_dag", lambda: mp.citation_dag(g.src, g.dst, n, dates=dates), lambda d: d.summary())
    del g
    try:
        step(rows, "arc_weights", lambda: mp.arc_weights(dag),
             lambda w: f"raw counts, max SPC {w['spc'].max():.4g}")
    except OverflowError as e:
        rows.append({"step": "arc_weights (raw, overflow)", "note": str(e)[:120], "wall_s": float("nan")})
        print(f"    raw counts overflow float64 ({str(e)[:80]}); log space:", flush=True)
        step(rows, "arc_weights normalize=True", lambda: mp.arc_weights(dag, normalize=True),
             lambda w: f"log space, max SPC {w['spc'].max():.4g}")
    analyses = sum(r["wall_s"] for r in rows[1:] if r["wall_s"] == r["wall_s"])
    print(f"  analyses after generation: {analyses:.1f} s wall; peak RSS {peak_mib():.0f} MiB", flush=True)
    return {"n": n, "steps": rows, "analyses_wall_s": analyses, "peak_rss_mib": peak_mib()}


def run_naive(n: int, seed: int, repeat: int) -> dict:
    import bench_clusters
    import bench_cooccurrence as bc
    from synthetic import synthetic_corpus

    from patentnav.landscape.clusters import _code_graph
    from patentnav.landscape.cooccurrence import cooccurrence, to_networkx
    from patentnav.landscape.incidence import code_incidence

    print(f"\n[naive comparisons, {n:,} patents]", flush=True)
    c = synthetic_corpus(n, seed=seed)
    inc = code_incidence(c, "ipc", "main_group")
    docs = bc.as_lists(inc)
    fw, fc, _ = bc.timed(lambda: cooccurrence(inc), repeat)
    gw, gc, g_fast = bc.timed(lambda: to_networkx(cooccurrence(inc)), repeat)
    nw, nc, g_naive = bc.timed(lambda: bc.naive(docs), 1, warmup=False)
    ok = bc.same(g_naive, g_fast)
    co = {"documents": n, "level": "main_group", "nodes": g_fast.number_of_nodes(), "edges": g_fast.number_of_edges(),
          "naive_wall_s": nw, "naive_cpu_s": nc, "fast_wall_s": fw, "fast_cpu_s": fc,
          "fast_graph_wall_s": gw, "speedup_wall": nw / fw, "speedup_with_graph_wall": nw / gw, "outputs_equal": ok}
    print(f"  co-classification: naive pair loop + nx {nw:.2f} s, cooccurrence {fw:.4f} s ({nw / fw:.0f}x), "
          f"with to_networkx {gw:.3f} s ({nw / gw:.1f}x); {co['nodes']:,} nodes, {co['edges']:,} edges; equal {ok}",
          flush=True)
    A, _, _ = _code_graph(inc, "association", 3)
    cl = bench_clusters.run_one(f"synthetic {n:,} main groups", A, repeat, True)
    print(f"  clustering: Leiden {cl['leiden2_s']:.3f} s Q {cl['leiden2_Q']:.4f} k {cl['leiden2_k']} | "
          f"nx Louvain {cl['louvain_s']:.3f} s Q {cl['louvain_Q']:.4f} k {cl['louvain_k']} (+ nx build "
          f"{cl['nx_build_s']:.3f} s) | {cl['speedup']:.1f}x; graph {cl['nodes']:,} nodes, {cl['edges']:,} edges",
          flush=True)
    return {"cooccurrence": co, "clusters": cl, "peak_rss_mib": peak_mib()}


def child_json(cmd_for) -> dict | None:
    """Run ``cmd_for(out_path)`` in a fresh process and return the JSON it wrote (None on failure)."""
    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        out = fh.name
    rc = subprocess.run(cmd_for(out)).returncode
    try:
        with open(out) as fh:
            return json.load(fh) if rc == 0 else None
    except (OSError, ValueError):
        return None
    finally:
        os.unlink(out)


def _child(kind: str, n: int, args) -> dict | None:
    return child_json(lambda out: [sys.executable, os.path.abspath(__file__), "--_child", kind, str(n), out,
                                   "--seed", str(args.seed), "--repeat", str(args.repeat)])


def steps_lines(results: list) -> list[str]:
    """Markdown table lines: one row per step, wall seconds and peak RSS per result."""
    steps = []
    for r in results:
        for s in r["steps"]:
            if s["step"] not in steps:
                steps.append(s["step"])
    head = "| step | " + " | ".join(f"{r['n']:,}: wall s | peak RSS MiB" for r in results) + " |"
    lines = [head, "|---|" + "---:|---:|" * len(results)]
    for name in steps:
        cells = []
        for r in results:
            s = next((x for x in r["steps"] if x["step"] == name), None)
            if s is None or s["wall_s"] != s["wall_s"]:
                cells += ["overflow" if s else "-", ""]
            else:
                cells += [f"{s['wall_s']:.2f}", f"{s['peak_rss_mib']:,.0f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def parse_sizes(values: list[str]) -> list[int]:
    """``["10000,100000", "1_000_000"]`` -> ``[10000, 100000, 1000000]``."""
    return [int(v.replace("_", "")) for item in values for v in item.split(",") if v.strip()]


def drive(sizes: list[int], child, render, settings: str, json_path: str | None, **versions) -> int:
    """Run ``child(n)`` (one process per size), print the machine, ``settings`` and
    ``render(results)``, write JSON; exit code 1 when a size failed."""
    import pandas

    info = machine()
    info.update(pandas=pandas.__version__, **versions)
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items() if k != "free_g"))
    print(info["free_g"], flush=True)
    t0 = time.perf_counter()
    results = [r for r in (child(n) for n in sizes) if r is not None]
    print(f"\ntotal {time.perf_counter() - t0:.0f} s\n")
    extra = "".join(f", {k} {v}" for k, v in versions.items())
    print(f"{info['date']}; {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; Python {info['python']}, "
          f"numpy {info['numpy']}, pandas {info['pandas']}, pyarrow {info['pyarrow']}{extra}; {settings}\n")
    if results:
        print(render(results))
    if json_path:
        with open(json_path, "w") as fh:
            json.dump({"machine": info, "sizes": results}, fh, indent=1, default=str)
    return 0 if len(results) == len(sizes) else 1


def table(results: list) -> str:
    return "\n".join(steps_lines(results))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=[100_000, 1_000_000])
    ap.add_argument("--naive-size", type=int, default=50_000, help="0 skips the naive comparisons")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--repeat", type=int, default=3, help="runs of the fast side of the naive comparisons (best)")
    ap.add_argument("--json")
    ap.add_argument("--_child", nargs=3, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._child:
        kind, n, out = args._child[0], int(args._child[1]), args._child[2]
        res = run_size(n, args.seed) if kind == "size" else run_naive(n, args.seed, args.repeat)
        with open(out, "w") as fh:
            json.dump(res, fh, default=str)
        return 0

    info = machine()
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items() if k != "free_g"))
    print(info["free_g"], flush=True)
    t0 = time.perf_counter()
    results = [r for r in (_child("size", n, args) for n in args.sizes) if r is not None]
    naive = _child("naive", args.naive_size, args) if args.naive_size else None
    print(f"\ntotal {time.perf_counter() - t0:.0f} s\n")
    print(f"{info['date']}; {info['nproc']} CPUs ({info['cpu']}), {info['memory']} RAM; Python {info['python']}, "
          f"numpy {info['numpy']}, pyarrow {info['pyarrow']}\n")
    if results:
        print(table(results))
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"machine": info, "sizes": results, "naive": naive}, fh, indent=1, default=str)
    return 0 if len(results) == len(args.sizes) else 1


if __name__ == "__main__":
    sys.exit(main())
