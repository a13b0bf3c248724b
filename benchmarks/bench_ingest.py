"""Benchmark of ``patentnav.read`` on Lens.org CSV exports (not part of the test suite).

Times the bundled 9,071-row drone sample (median of warm runs) and synthetic Lens-format
files made by replicating the real rows with perturbations (unique publication numbers
and Lens IDs, other dates, shuffled list order) at 10k, 100k, 300k and 1M rows. Every
measurement runs in a fresh subprocess, so that the peak resident memory
(``ru_maxrss``) belongs to that read alone. One extra, instrumented run per file breaks
the time down by stage:

* ``detect``   - format detection (``registry.detect_format``: head bytes, sniffers)
* ``decode``   - reading, decompressing and decoding the bytes (``source.read_bytes``/``decode_text``)
* ``csv``      - the ``csv`` module turning text into row lists (``source.read_delimited`` minus decode)
* ``lens``     - Lens-specific column work (``lens._priorities``, ``_reconcile_publication_year``, column lists)
* ``build:*``  - ``build.build_table``, split into its vectorised steps (pubnum, dates, lists, IPC/CPC, ints,
  doc types, issue lists) and ``build:other`` (table assembly, casts, the rest)
* ``corpus``   - ``Corpus`` construction/concat (``conform``)
* ``dedupe``   - ``model.dedupe.deduplicate``

Usage::

    python benchmarks/bench_ingest.py                       # sample + 10k 100k 300k 1M
    python benchmarks/bench_ingest.py --sizes 10000 100000  # fewer sizes
    python benchmarks/bench_ingest.py --dup-rate 0.05       # 5 % duplicated rows (exercise dedupe)
    python benchmarks/bench_ingest.py --json results.json   # also write the figures as JSON
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import io
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_SIZES = (10_000, 100_000, 300_000, 1_000_000)


# --- synthetic data ------------------------------------------------------------------------------


def _sample_rows() -> tuple[list[str], list[list[str]]]:
    import patentnav

    text = gzip.decompress(patentnav.datasets.path("drones").read_bytes()).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def generate(path: Path, n_rows: int, *, dup_rate: float = 0.0, seed: int = 0) -> Path:
    """Write a Lens classic-format CSV of ``n_rows`` rows derived from the real sample.

    Copy 0 is the real sample as exported; later copies get a new publication number
    (``CC NUMBER KIND``, unique over the file), a new Lens ID, a publication date in their
    publication year, a filing date 1-4 years earlier, and the order of their applicants
    and CPC codes rotated, so that the distinct values grow with the file as in a real
    export while the vocabularies (IPC codes, applicants) stay realistic. With
    ``dup_rate`` > 0 that fraction of rows repeats an earlier row's publication number.
    """
    header, rows = _sample_rows()
    col = {h: i for i, h in enumerate(header)}
    rnd = random.Random(seed)
    n_dup = int(n_rows * dup_rate)
    n_unique = n_rows - n_dup
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        for k in range(n_unique):
            copy, i = divmod(k, len(rows))
            r = list(rows[i])
            if copy:
                cc, kind = r[col["jurisdiction"]], r[col["kind"]]
                r[col["publication_number"]] = f"{cc} {20_000_000 + k} {kind}"
                r[col["lens_id"]] = f"{k // 10**9:03d}-{k // 10**6 % 1000:03d}-{k // 1000 % 1000:03d}-{k % 1000:03d}-{copy % 1000:03d}"
                year = int(r[col["publication_year"]] or 2015)
                pub = dt.date(year, 1, 1) + dt.timedelta(days=rnd.randrange(365))
                filed = pub - dt.timedelta(days=rnd.randrange(365, 4 * 365))
                r[col["publication_date"]] = pub.strftime("%d/%m/%y")
                r[col["application_date"]] = filed.strftime("%d/%m/%y")
                for name in ("applicants", "cpc_classifications"):
                    items = r[col[name]].split(";;")
                    s = copy % len(items)
                    r[col[name]] = ";;".join(items[s:] + items[:s])
            w.writerow(r)
        # duplicates of random earlier rows, appended at the end (other dates, applicants reversed)
        for _ in range(n_dup):
            k = rnd.randrange(n_unique)
            copy, i = divmod(k, len(rows))
            r = list(rows[i])
            if copy:
                r[col["publication_number"]] = f"{r[col['jurisdiction']]} {20_000_000 + k} {r[col['kind']]}"
            r[col["applicants"]] = ";;".join(reversed(r[col["applicants"]].split(";;")))
            w.writerow(r)
    return path


# --- one measurement (in a subprocess) -------------------------------------------------------------


class _Stages:
    """Accumulates wall time of wrapped functions; exclusive as long as wrapped functions do not nest."""

    def __init__(self):
        self.t: dict[str, float] = {}
        self._undo: list = []

    def wrap(self, module, name: str, label: str) -> None:
        fn = getattr(module, name)
        stages = self

        def timed(*a, **k):
            t0 = time.perf_counter()
            try:
                return fn(*a, **k)
            finally:
                stages.t[label] = stages.t.get(label, 0.0) + time.perf_counter() - t0

        setattr(module, name, timed)
        self._undo.append((module, name, fn))

    def undo(self) -> None:
        for module, name, fn in reversed(self._undo):
            setattr(module, name, fn)
        self._undo.clear()


def _instrumented_read(path: str) -> tuple[float, dict[str, float], int]:
    import patentnav
    from patentnav.io import build, lens, registry, source
    from patentnav.model import corpus

    st = _Stages()
    # only functions build_table calls directly and that do not call each other through
    # build's namespace (so the timers never nest)
    for name, label in (("normalize_publication_numbers", "build:pubnum"), ("split_publication_numbers", "build:pubnum"),
                        ("parse_dates", "build:dates"), ("split_lists", "build:split_lists"),
                        ("normalize_ipc_lists", "build:ipc_cpc"), ("normalize_ipc_array", "build:ipc_cpc"),
                        ("parse_ints", "build:ints"), ("document_types", "build:doc_types"),
                        ("_issues", "build:issue_lists"), ("_list_issues", "build:issue_lists")):
        if hasattr(build, name):
            st.wrap(build, name, label)
    st.wrap(source, "read_bytes", "decode")
    st.wrap(source, "decode_text", "decode")
    # wrapped after read_bytes/decode_text, so "csv" includes them; subtracted below
    st.wrap(lens, "read_delimited", "csv+decode")
    for name in ("_priorities", "_reconcile_publication_year"):
        if hasattr(lens, name):
            st.wrap(lens, name, "lens")
    st.wrap(lens, "build_table", "build")
    st.wrap(corpus, "deduplicate", "dedupe")
    st.wrap(corpus, "conform", "corpus")
    st.wrap(registry, "read_head", "detect")
    t0 = time.perf_counter()
    c = patentnav.read(path)
    total = time.perf_counter() - t0
    st.undo()
    t = dict(st.t)
    t["csv"] = t.pop("csv+decode", 0.0) - t.get("decode", 0.0)
    build_total = t.pop("build", 0.0)
    t["build:other"] = build_total - sum(v for k, v in t.items() if k.startswith("build:"))
    t["lens"] = t.get("lens", 0.0)
    # what read_lens does between its calls (column lists, dict work) and read()'s own glue
    t["other"] = total - sum(t.values())
    return total, t, len(c)


def _child(path: str, repeats: int, warmup: int, stages: bool) -> dict:
    import patentnav

    rss_import = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    times, n, report = [], 0, None
    for i in range(warmup + repeats):
        t0 = time.perf_counter()
        c = patentnav.read(path)
        el = time.perf_counter() - t0
        if i >= warmup:
            times.append(el)
        n, report = len(c), c.report.summary()
        del c
    out = {"times": times, "rows": n, "report": report,
           "rss_import_kb": rss_import, "rss_peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}
    if stages:
        total, t, _ = _instrumented_read(path)
        out["stages"] = t
        out["stages_total"] = total
    return out


def measure(path: Path, repeats: int, warmup: int, stages: bool = True) -> dict:
    cmd = [sys.executable, __file__, "_child", str(path), "--repeats", str(repeats), "--warmup", str(warmup)]
    if not stages:
        cmd.append("--no-stages")
    res = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if res.returncode:
        raise RuntimeError(f"benchmark child failed on {path}:\n{res.stderr[-3000:]}")
    return json.loads(res.stdout.strip().splitlines()[-1])


# --- report -----------------------------------------------------------------------------------------


def machine() -> dict:
    mem = ""
    try:
        mem = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    import numpy
    import pyarrow

    import patentnav

    return {
        "date": dt.datetime.now().isoformat(timespec="seconds"),
        "nproc": os.cpu_count(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "free_g": mem,
        "loadavg_before": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "pyarrow": pyarrow.__version__,
        "numpy": numpy.__version__,
        "patentnav": patentnav.__version__,
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor()


STAGE_ORDER = ["detect", "decode", "csv", "lens", "build:pubnum", "build:dates", "build:split_lists", "build:ipc_cpc",
               "build:ints", "build:doc_types", "build:issue_lists", "build:other", "corpus",
               "dedupe", "other"]


def print_report(info: dict, results: list[dict]) -> None:
    print(f"# patentnav.read benchmark, {info['date']}")
    print(f"# {info['cpu']}, nproc={info['nproc']}, Python {info['python']}, pyarrow {info['pyarrow']}, "
          f"numpy {info['numpy']}, {info['platform']}")
    if info.get("loadavg_before"):
        print("# load average before the run (other processes on the machine): " + ", ".join(f"{x:.2f}" for x in info["loadavg_before"]))
    if info["free_g"]:
        print("# free -g:\n#   " + info["free_g"].replace("\n", "\n#   "))
    print()
    print(f"{'input':<22} {'rows':>9} {'MB':>7} {'runs':>4} {'median s':>9} {'min s':>7} {'rows/s':>10} {'peak RSS MB':>11} {'kept':>9}")
    for r in results:
        m = r["measure"]
        med = statistics.median(m["times"])
        print(f"{r['name']:<22} {r['rows']:>9,} {r['mb']:>7.1f} {len(m['times']):>4} {med:>9.3f} {min(m['times']):>7.3f} "
              f"{r['rows'] / med:>10,.0f} {m['rss_peak_kb'] / 1024:>11,.0f} {m['report']['kept']:>9,}")
    print()
    print("Stage breakdown of one instrumented run (seconds, % of that run):")
    names = [r["name"] for r in results if "stages" in r["measure"]]
    print(f"{'stage':<20}" + "".join(f"{n:>20}" for n in names))
    for s in STAGE_ORDER:
        cells = []
        for r in results:
            m = r["measure"]
            if "stages" not in m:
                continue
            v = m["stages"].get(s, 0.0)
            cells.append(f"{v:>11.3f} ({100 * v / m['stages_total']:>4.1f}%)")
        print(f"{s:<20}" + "".join(f"{c:>20}" for c in cells))
    print(f"{'total':<20}" + "".join(f"{r['measure']['stages_total']:>11.3f}{'':9}" for r in results if "stages" in r["measure"]))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sizes", type=int, nargs="*", default=list(DEFAULT_SIZES))
    ap.add_argument("--sample-repeats", type=int, default=5)
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per synthetic file up to 100k rows")
    ap.add_argument("--large-repeats", type=int, default=1, help="timed runs per synthetic file above 100k rows")
    ap.add_argument("--dup-rate", type=float, default=0.0)
    ap.add_argument("--workdir", type=Path, default=None, help="where to write synthetic files (default: a temp dir)")
    ap.add_argument("--keep", action="store_true", help="keep the synthetic files")
    ap.add_argument("--json", type=Path, default=None, help="also write the results here")
    args = ap.parse_args(argv)

    import patentnav

    info = machine()
    results = []
    sample = patentnav.datasets.path("drones")
    print(f"measuring the bundled sample ({args.sample_repeats} warm runs) ...", file=sys.stderr)
    m = measure(sample, args.sample_repeats, warmup=1)
    results.append({"name": "drones sample (gz)", "rows": m["rows"], "mb": sample.stat().st_size / 1e6, "measure": m})

    if args.workdir:
        args.workdir.mkdir(parents=True, exist_ok=True)
    tmp = tempfile.TemporaryDirectory(dir=args.workdir) if not args.keep else None
    workdir = Path(tmp.name) if tmp else (args.workdir or Path(tempfile.mkdtemp()))
    try:
        for n in args.sizes:
            p = workdir / f"lens_synthetic_{n}.csv"
            if not p.exists():
                t0 = time.perf_counter()
                generate(p, n, dup_rate=args.dup_rate)
                print(f"generated {p.name} ({p.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
            reps = args.repeats if n <= 100_000 else args.large_repeats
            warm = 1 if n <= 100_000 else 0
            print(f"measuring {n:,} rows ({reps} runs) ...", file=sys.stderr)
            m = measure(p, reps, warmup=warm)
            results.append({"name": f"synthetic {n:,}", "rows": n, "mb": p.stat().st_size / 1e6, "measure": m})
    finally:
        if tmp:
            tmp.cleanup()
        elif args.keep:
            print(f"synthetic files kept in {workdir}", file=sys.stderr)

    print_report(info, results)
    if args.json:
        args.json.write_text(json.dumps({"machine": info, "results": results}, indent=2))
    return 0


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_child":
        cp = argparse.ArgumentParser()
        cp.add_argument("cmd")
        cp.add_argument("path")
        cp.add_argument("--repeats", type=int, default=1)
        cp.add_argument("--warmup", type=int, default=0)
        cp.add_argument("--no-stages", action="store_true")
        a = cp.parse_args()
        print(json.dumps(_child(a.path, a.repeats, a.warmup, not a.no_stages)))
        sys.exit(0)
    sys.exit(main())
