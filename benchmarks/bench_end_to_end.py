"""End to end, as a user runs it: ``patentnav landscape`` against the I/O floor of its file.

Issue 16's targets, each a ratio measured in the same run (absolute seconds drift with load):

* **landscape / scan floor.** ``patentnav landscape FILE --region US`` (all four formats,
  memory engine; the process's wall time, interpreter start and imports included) on a
  synthetic Parquet corpus (``synthetic.py``), against the *scan floor* of the same file:
  pyarrow reading every column of it (43; 18 hold data, the rest are null or empty lists, so
  this covers the columns the landscape reads) and a trivial aggregate over each (sum of
  list lengths, of string lengths, min/max of numbers and dates), timed inside its process
  (the strict ratio; the process-to-process ratio is reported too). Target <= 15x at 1M
  (aim 5x).
* **peak memory / Arrow table.** The landscape process's peak RSS (``wait4`` rusage, the
  interpreter and its imports included) against ``Table.nbytes`` of the file read whole.
  Target <= 2.5x.
* **start-up.** ``patentnav --help`` against ``python -c "import click, rich.console"``.
  Target <= 4x.
* **bundled sample.** ``patentnav landscape`` with no argument (the drone sample, region CN,
  all formats, PNG charts by kaleido), seconds, in a cache folder of its own: the first run
  reads the export and caches the ingested sample, the timed runs use the cache. Target
  <= 2.5 s on a quiet machine. Two figures put it in context: the same report without the
  Markdown (``--format html,json,csv``: no PNG export), and the *static-export floor*: a
  process that only starts kaleido's Chromium and draws the sample report's charts as PNG
  (from its ``report.json``), which no report with Markdown charts can beat on this machine.

Every measurement is a fresh subprocess, repeated ``--runs`` times (default 3), the runs of
a size interleaved (floor, landscape, floor, ...) so that load drifts hit both; the report
gives the median and the spread (min-max) of each and of each run's ratio. ``uptime`` is
recorded before and after.

    flock /tmp/patentnav-heavy.lock python benchmarks/bench_end_to_end.py                 # 100k and 1M
    python benchmarks/bench_end_to_end.py --sizes 100000 --runs 3 --json e2e.json
    python benchmarks/bench_end_to_end.py --workdir /tmp/e2e    # keep (and reuse) the Parquet files
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
BIN = os.path.dirname(sys.executable)

FLOOR = r"""
import sys, time
t0 = time.perf_counter()
import pyarrow.parquet as pq, pyarrow.compute as pc, pyarrow as pa
t = pq.read_table(sys.argv[1])
out = []
for name in t.column_names:
    c = t[name]
    if pa.types.is_list(c.type) or pa.types.is_large_list(c.type):
        out.append(pc.sum(pc.list_value_length(c)).as_py())
    elif pa.types.is_string(c.type) or pa.types.is_large_string(c.type):
        out.append(pc.sum(pc.binary_length(c)).as_py())
    else:
        out.append(pc.min_max(c).as_py())
print(time.perf_counter() - t0, t.nbytes, t.num_columns,
      sum(1 for n in t.column_names if t[n].null_count < len(t) and not
          ((pa.types.is_list(t[n].type)) and not pc.sum(pc.list_value_length(t[n])).as_py())))
"""


def timed(cmd: list[str], env=None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB of the child, stdout) of one subprocess."""
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    out, err = p.communicate()
    wall = time.perf_counter() - t0
    if p.returncode:
        raise RuntimeError(f"{cmd} failed ({p.returncode}): {err.decode()[-2000:]}")
    return wall, float("nan"), out.decode()


def run_rss(cmd: list[str], env=None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, stdout) of one subprocess, RSS from ``wait4``."""
    with tempfile.TemporaryFile() as so, tempfile.TemporaryFile() as se:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=so, stderr=se, env=env)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        so.seek(0), se.seek(0)
        if p.returncode:
            raise RuntimeError(f"{cmd} failed ({p.returncode}): {se.read().decode()[-2000:]}")
        return wall, ru.ru_maxrss / 1024, so.read().decode()


def stats(xs: list[float]) -> dict:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "runs": xs}


def fmt(s: dict, unit: str = "", digits: int = 2) -> str:
    return f"{s['median']:.{digits}f}{unit} ({s['min']:.{digits}f}-{s['max']:.{digits}f})"


def uptime() -> str:
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def ensure_file(n: int, workdir: str) -> str:
    path = os.path.join(workdir, f"synthetic-{n}.parquet")
    if not os.path.exists(path):
        code = (f"import sys; sys.path.insert(0, {HERE!r})\nfrom synthetic import synthetic_corpus\n"
                f"synthetic_corpus({n}, seed=0).to_parquet({path!r})")
        subprocess.run([sys.executable, "-c", code], check=True)
    return path


def bench_size(n: int, workdir: str, runs: int) -> dict:
    path = ensure_file(n, workdir)
    floor, floor_proc, land, rss, ratio, ratio_proc, nbytes, cols = [], [], [], [], [], [], None, None
    for i in range(runs):
        w, _, out = run_rss([sys.executable, "-c", FLOOR, path])
        f = float(out.split()[0])  # in-process: read + aggregate, without interpreter start
        nbytes, cols = int(out.split()[1]), (int(out.split()[2]), int(out.split()[3]))
        out_dir = os.path.join(workdir, f"report-{n}")
        shutil.rmtree(out_dir, ignore_errors=True)
        lw, lr, _ = run_rss([os.path.join(BIN, "patentnav"), "landscape", path, "--region", "US", "--lang", "en",
                             "--out", out_dir])
        floor.append(f), floor_proc.append(w), land.append(lw), rss.append(lr)
        ratio.append(lw / f), ratio_proc.append(lw / w)
        print(f"  {n:>9,} run {i + 1}: floor {f:.2f} s (process {w:.2f} s), landscape {lw:.2f} s, "
              f"ratio {lw / f:.1f}x ({lw / w:.1f}x process to process), peak {lr:,.0f} MiB", flush=True)
    mib = nbytes / 2 ** 20
    return {"n": n, "file_mb": os.path.getsize(path) / 1e6, "arrow_mib": mib, "columns": cols[0], "columns_with_data": cols[1],
            "floor_s": stats(floor), "floor_process_s": stats(floor_proc), "landscape_s": stats(land),
            "ratio": stats(ratio), "ratio_process": stats(ratio_proc),
            "peak_mib": stats(rss), "peak_over_arrow": stats([r / mib for r in rss])}


EXPORT_FLOOR = r"""
import json, sys, time
t0 = time.perf_counter()
from patentnav.report.charts import Figures, report_charts
from patentnav.report.markdown import _png
report = json.load(open(sys.argv[1], encoding="utf-8"))
figures = Figures((report.get("meta") or {}).get("lang") or "en")
charts = [figures(c) for c in report_charts(report)]
t1 = time.perf_counter()
_png({"data": [], "layout": {"width": 16, "height": 16}})  # kaleido's Chromium starts
t2 = time.perf_counter()
for fig in charts:
    _png(fig)
t3 = time.perf_counter()
print(t3 - t0, t2 - t1, t3 - t2, len(charts))
"""


def bench_startup(runs: int) -> dict:
    pn = os.path.join(BIN, "patentnav")
    base, helps, ratio = [], [], []
    for _ in range(runs):
        b, _, _ = timed([sys.executable, "-c", "import click, rich.console"])
        h, _, _ = timed([pn, "--help"])
        base.append(b), helps.append(h), ratio.append(h / b)
    return {"bare_s": stats(base), "help_s": stats(helps), "ratio": stats(ratio)}


def bench_sample(workdir: str, runs: int) -> dict:
    """The sample report in a cache folder of its own: a first run that reads the export and
    caches the ingested sample (patentnav.datasets.cache), then ``runs`` runs that use it."""
    out = os.path.join(workdir, "report-sample")
    cache = os.path.join(workdir, "cache")
    shutil.rmtree(cache, ignore_errors=True)
    env = {**os.environ, "PATENTNAV_CACHE_DIR": cache}
    pn = os.path.join(BIN, "patentnav")
    walls, rss, first, no_md, export, start, draw, n_charts = [], [], None, [], [], [], [], 0
    for i in range(runs + 1):
        shutil.rmtree(out, ignore_errors=True)
        w, r, _ = run_rss([pn, "landscape", "--out", out], env=env)
        if i == 0:
            first = w
            continue
        walls.append(w), rss.append(r)
        _, _, o = run_rss([sys.executable, "-c", EXPORT_FLOOR, os.path.join(out, "report.json")], env=env)
        total, s, d, n_charts = o.split()
        export.append(float(s) + float(d)), start.append(float(s)), draw.append(float(d))
        shutil.rmtree(out + "-no-md", ignore_errors=True)
        no_md.append(run_rss([pn, "landscape", "--format", "html,json,csv", "--out", out + "-no-md"], env=env)[0])
    return {"wall_s": stats(walls), "peak_mib": stats(rss), "first_run_s": first,
            "without_markdown_s": stats(no_md), "export_floor_s": stats(export),
            "kaleido_start_s": stats(start), "kaleido_charts_s": stats(draw), "charts": int(n_charts)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="*", type=int, default=[100_000, 1_000_000])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--workdir", help="keep the Parquet files and reports here (default: a temporary folder)")
    ap.add_argument("--json", help="also write the figures as JSON")
    args = ap.parse_args(argv)
    workdir = args.workdir or tempfile.mkdtemp(prefix="patentnav-e2e-")
    os.makedirs(workdir, exist_ok=True)
    res = {"date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "machine": platform.platform(),
           "cpus": os.cpu_count(), "python": platform.python_version(), "uptime_before": uptime()}
    print(f"{res['date']}  {res['machine']}  {res['cpus']} CPUs\nuptime: {res['uptime_before']}", flush=True)
    res["startup"] = bench_startup(max(args.runs, 5))
    s = res["startup"]
    print(f"patentnav --help {fmt(s['help_s'], ' s')} vs import click, rich.console {fmt(s['bare_s'], ' s')}: "
          f"{fmt(s['ratio'], 'x', 1)}  (target <= 4x)", flush=True)
    res["sample"] = bench_sample(workdir, args.runs)
    print(f"bundled sample report {fmt(res['sample']['wall_s'], ' s')} (target <= 2.5 s), "
          f"peak {fmt(res['sample']['peak_mib'], ' MiB', 0)}; first run (sample read and cached) "
          f"{res['sample']['first_run_s']:.2f} s", flush=True)
    sm = res["sample"]
    print(f"  without Markdown (no PNG export) {fmt(sm['without_markdown_s'], ' s')}; static-export floor "
          f"{fmt(sm['export_floor_s'], ' s')} = kaleido start {fmt(sm['kaleido_start_s'], ' s')} + "
          f"{sm['charts']} charts {fmt(sm['kaleido_charts_s'], ' s')}", flush=True)
    res["sizes"] = []
    for n in args.sizes:
        r = bench_size(n, workdir, args.runs)
        res["sizes"].append(r)
        print(f"{n:>9,}: landscape {fmt(r['landscape_s'], ' s')} / floor {fmt(r['floor_s'], ' s')} = "
              f"{fmt(r['ratio'], 'x', 1)} (target <= 15x); peak {fmt(r['peak_mib'], ' MiB', 0)} = "
              f"{fmt(r['peak_over_arrow'], 'x')} the Arrow table ({r['arrow_mib']:,.0f} MiB; target <= 2.5x)", flush=True)
    res["uptime_after"] = uptime()
    print(f"uptime: {res['uptime_after']}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=1)
    if not args.workdir:
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
