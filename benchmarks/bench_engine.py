"""Landscape aggregations out of core (DuckDB via SQLFrame) and in memory, on synthetic
partitioned Parquet corpora (benchmarks/synthetic.py ``write_synthetic_dataset``).

Two modes, each size in its own process:

``--kernels N``  builds (or reuses) an N-document Parquet corpus and runs every kernel of
                 :mod:`patentnav.engine.kernels` on DuckDB with ``--memory-limit`` and
                 ``--threads``: wall and CPU seconds, peak RSS, and the peak size of DuckDB's
                 spill folder per kernel. Large results (arcs, per-document forward
                 citations) are written to Parquet, as a user would.
``--compare N``  the same corpus aggregated by the in-memory code (the whole corpus loaded)
                 and by DuckDB (in place), side by side, results checked equal.

Run heavy sizes under the shared lock, late, e.g.::

    flock /tmp/patentnav-heavy.lock python benchmarks/bench_engine.py --kernels 20000000 \
        --path /work/tmp/corpus20m --memory-limit 6GB --threads 2 --json bench_engine_20m.json
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_landscape import machine, path_size, peak_mib, rss_mib  # noqa: E402


class Watch:
    """Samples the process RSS and the size of a folder (DuckDB's spill) while a step runs."""

    def __init__(self, folder: str | None, every: float = 0.25):
        self.folder, self.every = folder, every
        self.max_rss = self.max_spill = 0.0
        self._stop = threading.Event()

    def __enter__(self):
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.sample()
            self._stop.wait(self.every)

    def sample(self):
        self.max_rss = max(self.max_rss, rss_mib())
        if self.folder and os.path.isdir(self.folder):
            try:
                self.max_spill = max(self.max_spill, path_size(self.folder) / 2**20)
            except OSError:  # a spill file vanished while walking
                pass

    def __exit__(self, *exc):
        self._stop.set()
        self._t.join()
        self.sample()


def timed(rows: list, label: str, fn, spill: str | None = None, note=None):
    t0, c0 = time.perf_counter(), time.process_time()
    with Watch(spill) as w:
        out = fn()
    row = {"step": label, "wall_s": time.perf_counter() - t0, "cpu_s": time.process_time() - c0,
           "max_rss_mib": w.max_rss, "peak_rss_mib": peak_mib(), "spill_mib": w.max_spill}
    if note is not None:
        row["note"] = note(out)
    rows.append(row)
    print(f"  {label:<34} {row['wall_s']:8.1f} s wall {row['cpu_s']:8.1f} s cpu  rss max {w.max_rss:7.0f} MiB  "
          f"spill max {w.max_spill:7.0f} MiB" + (f"  {row['note']}" if "note" in row else ""), flush=True)
    return out


def build(n: int, path: str, seed: int, chunk: int) -> dict:
    from synthetic import write_synthetic_dataset

    rows: list = []
    if os.path.exists(os.path.join(path, "_patentnav.json")):
        print(f"  reusing {path}")
    else:
        timed(rows, "write_synthetic_dataset", lambda: write_synthetic_dataset(n, path, seed=seed, chunk=chunk,
                                                                               overwrite=True))
    return {"steps": rows, "bytes": path_size(path)}


def run_kernels(path: str, memory_limit: str, threads: int) -> dict:
    """Every kernel on DuckDB over the Parquet corpus at ``path``."""
    from patentnav.engine import Engine
    from patentnav.engine import kernels as K

    spill = tempfile.mkdtemp(prefix="pn-spill-", dir=os.environ.get("PATENTNAV_SPILL"))
    out = tempfile.mkdtemp(prefix="pn-out-", dir=os.environ.get("PATENTNAV_SPILL"))
    eng = Engine("duckdb", memory_limit=memory_limit, threads=threads, temp_directory=spill,
                 max_spill=os.environ.get("PATENTNAV_MAX_SPILL", "30GB"))  # never fill a shared disk
    api, F = eng.api, eng.api.F
    docs = eng.frame(path)
    agg = eng.aggregates(path)
    rows: list = []
    try:
        timed(rows, "documents (count)", lambda: docs.count(), spill, note=lambda n: f"{n:,} documents")
        for level in ("subclass", "main_group"):
            inc = agg.incidence_frame("ipc", level)
            timed(rows, f"incidence {level} (count)", lambda: inc.count(), spill, note=lambda n: f"{n:,} rows")
            timed(rows, f"co-classification pairs {level}", lambda: agg.code_counts("ipc", level), spill,
                  note=lambda r: f"{len(r[0]):,} codes, {len(r[2]):,} pairs")
        assign = agg.assignment_frame("country")
        inc = agg.incidence_frame("ipc", "subclass")
        timed(rows, "region x subclass (fractional)", lambda: K.region_technology(api, assign, inc).toArrow(), spill,
              note=lambda t: f"{t.num_rows:,} (region, code, k) cells")
        timed(rows, "annual counts (documents)", lambda: agg.annual_counts("priority"), spill,
              note=lambda df: f"{len(df)} years")
        timed(rows, "annual counts (families)", lambda: agg.annual_counts("priority", "families"), spill)
        timed(rows, "applicants per year (life cycle)", lambda: agg.life_cycle(applicants="applicants"), spill)
        timed(rows, "top applicants by year", lambda: agg.top_applicants_by_year(10, applicants="applicants"), spill)
        arcs, per_doc, _ = agg.citation_frames()
        arcs_path = os.path.join(out, "arcs")
        timed(rows, "citation arcs (write Parquet)", lambda: arcs.write.parquet(arcs_path), spill)
        timed(rows, "citation counts per document (write)", lambda: per_doc.write.parquet(os.path.join(out, "per_doc")),
              spill)
        arcs_df = api.read_parquet(arcs_path)
        timed(rows, "arcs (count)", lambda: arcs_df.count(), spill, note=lambda n: f"{n:,} arcs")
        fw = K.forward_window(api, arcs_df, docs, years=5)
        timed(rows, "5-year forward citations (write)", lambda: fw.write.parquet(os.path.join(out, "forward")), spill)
    finally:
        shutil.rmtree(spill, ignore_errors=True)
        shutil.rmtree(out, ignore_errors=True)
    return {"steps": rows}


def run_compare(path: str, memory_limit: str, threads: int, engine: str) -> dict:
    """The aggregations of the report by ``engine`` (memory: the whole corpus loaded first)."""
    import numpy as np

    from patentnav import landscape as ls
    from patentnav.engine import Dataset, Engine

    rows: list = []
    spill = tempfile.mkdtemp(prefix="pn-spill-", dir=os.environ.get("PATENTNAV_SPILL"))
    if engine == "memory":
        corpus = timed(rows, "load the corpus", lambda: Dataset(path).to_corpus())
        agg = Engine("memory").aggregates(corpus)
    else:
        agg = Engine(engine, memory_limit=memory_limit, threads=threads, temp_directory=spill).aggregates(path)
    res = {}
    try:
        for level in ("subclass", "main_group"):
            co = timed(rows, f"co-classification {level}", lambda: agg.cooccurrence("ipc", level), spill)
            res[f"co_{level}"] = (co.items.tolist(), co.counts)
        res["annual"] = timed(rows, "annual counts", lambda: agg.annual_counts("priority"), spill)
        res["top"] = timed(rows, "top applicants by year", lambda: agg.top_applicants_by_year(10), spill)
        g = timed(rows, "citation graph", lambda: agg.citation_graph(), spill, note=lambda g: f"{len(g.src):,} arcs")
        res["arcs"] = set(zip(g.nodes[g.src].tolist(), g.nodes[g.dst].tolist())) if len(g.src) < 20_000_000 else None
        a = timed(rows, "applicant regions (country)", lambda: agg.assign_regions("country"), spill)
        X = timed(rows, "region x subclass", lambda: agg.region_technology(a), spill)
        res["rt"] = X
    finally:
        shutil.rmtree(spill, ignore_errors=True)
    digest = {"co_subclass_pairs": int(res["co_subclass"][1].nnz), "co_main_group_pairs": int(res["co_main_group"][1].nnz),
              "annual_total": int(res["annual"]["count"].sum()), "arcs": len(res["arcs"]) if res["arcs"] else None,
              "rt_sum": float(np.asarray(res["rt"][0]).sum())}
    import hashlib
    import pickle

    digest["hash"] = hashlib.sha256(pickle.dumps((res["co_subclass"][0], res["co_subclass"][1].data.tolist(),
                                                  res["annual"]["count"].tolist(), sorted(res["arcs"] or [])[:100000]))
                                    ).hexdigest()
    return {"steps": rows, "digest": digest}


def _child(args, mode: str, extra: list[str]) -> dict | None:
    import subprocess

    fd, out = tempfile.mkstemp(suffix=".json")
    os.close(fd)
    cmd = [sys.executable, __file__, "--_child", mode, out, "--path", args.path, "--memory-limit", args.memory_limit,
           "--threads", str(args.threads), "--seed", str(args.seed), "--chunk", str(args.chunk), *extra]
    r = subprocess.run(cmd)
    try:
        if r.returncode != 0:
            return None
        with open(out) as fh:
            return json.load(fh)
    finally:
        os.unlink(out)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--kernels", type=int, default=0, help="documents of the kernel run (0: none)")
    ap.add_argument("--compare", type=int, default=0, help="documents of the memory vs DuckDB run (0: none)")
    ap.add_argument("--path", default=None, help="where the corpus is written (default: a temp folder, removed after)")
    ap.add_argument("--keep", action="store_true", help="keep the corpus folder")
    ap.add_argument("--memory-limit", default="6GB")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--chunk", type=int, default=1_000_000)
    ap.add_argument("--json")
    ap.add_argument("--_child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--_n", type=int, default=0, help=argparse.SUPPRESS)
    ap.add_argument("--_engine", default="duckdb", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._child:
        mode, out = args._child
        if mode == "build":
            res = build(args._n, args.path, args.seed, args.chunk)
        elif mode == "kernels":
            res = run_kernels(args.path, args.memory_limit, args.threads)
        else:
            res = run_compare(args.path, args.memory_limit, args.threads, args._engine)
        res["peak_rss_mib"] = peak_mib()
        with open(out, "w") as fh:
            json.dump(res, fh, default=str)
        return 0

    info = machine()
    from importlib.metadata import version

    info.update(duckdb=version("duckdb"), sqlframe=version("sqlframe"))
    print("machine:", ", ".join(f"{k} {v}" for k, v in info.items() if k != "free_g"), flush=True)
    results: dict = {"machine": info, "settings": {"memory_limit": args.memory_limit, "threads": args.threads}}
    for mode, n in (("kernels", args.kernels), ("compare", args.compare)):
        if not n:
            continue
        own = args.path is None
        if own:
            args.path = tempfile.mkdtemp(prefix=f"pn-corpus-{n}-", dir=os.environ.get("PATENTNAV_SPILL"))
            os.rmdir(args.path)
        print(f"\n{mode} at {n:,} documents ({args.path})", flush=True)
        r = {"n": n, "build": _child(args, "build", ["--_n", str(n)])}
        if mode == "kernels":
            r["duckdb"] = _child(args, "kernels", [])
        else:
            r["memory"] = _child(args, "compare", ["--_engine", "memory"])
            r["duckdb"] = _child(args, "compare", ["--_engine", "duckdb"])
            same = r["memory"] and r["duckdb"] and r["memory"]["digest"] == r["duckdb"]["digest"]
            print(f"  results equal: {same}", flush=True)
            r["equal"] = bool(same)
        results[mode] = r
        if own and not args.keep:
            shutil.rmtree(args.path, ignore_errors=True)
            args.path = None
    info["load_avg_1min_end"] = os.getloadavg()[0]
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(results, fh, indent=1, default=str)
    return 0


if __name__ == "__main__":
    sys.exit(main())
