"""The landscape report (``patentnav landscape``) on synthetic corpora that look like real data.

The corpus comes from ``benchmarks/synthetic.py`` (bootstrapped real rows of the drone
sample, growing publication years, Zipf applicants, a time-ordered power-law citation
network; see its docstring). Its jurisdictions are those of the sample (US, WO, AU, EP), and
it has no applicant addresses, applicant countries or priority countries, so regions come
from the jurisdiction: the default region is ``US`` (``CN``, the CLI default, is absent and
would skip the regional parts of the report).

For every size (default 100k patents), in a fresh subprocess so that the peak resident set
size is that size's alone, the steps are:

* ``generate``                - ``synthetic_corpus(n)`` (not part of the report);
* ``build:<step>``            - ``build_landscape_report(corpus, region=...)``, split at the
  step names its ``progress`` callback reports (``scope``, ``regions``, ``trends``,
  ``fields``, ``key_patents``, ``main_path``, ``applicants``, ``positioning``, ``gaps``,
  ``talent``): each step runs from its callback to the next one;
* ``build_landscape_report``  - the whole call;
* ``write_json``, ``write_csv_tables``, ``write_html``;
* ``write_markdown``          - including the PNG export of every chart with kaleido; the
  time spent in ``markdown._export_png`` (kaleido) is measured by wrapping that function
  and shown in the note.

Each step: wall clock (``time.perf_counter``), CPU time of the process
(``time.process_time``, which does not include kaleido's Chromium subprocess), the resident
set size before the step (``/proc/self/statm``) and the peak resident set size of the
process after it (``resource.getrusage`` ``ru_maxrss``, a high-water mark since the process
started, interpreter and imports included). Each line is printed (flushed) as soon as the
step ends, so a run that is stopped still shows where the time went.

Usage::

    python benchmarks/bench_report.py                                   # 100k patents
    python benchmarks/bench_report.py --sizes 10000,100000,1000000
    python benchmarks/bench_report.py --sizes 10000 --region US --lang en --json results.json
    python benchmarks/bench_report.py --sizes 10000 --keep /tmp/report-bench   # keep the outputs
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from bench_landscape import child_json, drive, parse_sizes, peak_mib, rss_mib, steps_lines  # noqa: E402
from bench_landscape import mb as _mb, path_size as _size, record as _row, step  # noqa: E402


def run_size(n: int, seed: int, region: str, lang: str, keep: str | None) -> dict:
    from synthetic import _sample, synthetic_corpus

    import patentnav.report.markdown as md
    from patentnav.report import build_landscape_report, write_csv_tables, write_json
    from patentnav.report.html import write_html
    from patentnav.report.markdown import write_markdown

    _sample()  # reading the bundled sample (once per process) is not part of generation
    rows: list = []
    print(f"\n[{n:,} patents, region {region}, lang {lang}]  rss after imports {rss_mib():.0f} MiB", flush=True)
    c = step(rows, "generate", lambda: synthetic_corpus(n, seed=seed), lambda c: repr(c))

    # build_landscape_report, split at its progress callbacks
    marks: list[tuple[str, float, float, float]] = []
    build_rows: list = []

    def progress(name: str) -> None:
        now = (time.perf_counter(), time.process_time(), rss_mib())
        if marks:  # close the previous step
            prev, t_prev, c_prev, r_prev = marks[-1]
            _row(build_rows, f"build:{prev}", now[0] - t_prev, now[1] - c_prev, r_prev)
        marks.append((name, *now))

    report = step(build_rows, "build_landscape_report",
                  lambda: build_landscape_report(c, region=region, lang=lang, progress=progress),
                  lambda r: f"{r['meta']['counts']['documents']:,} documents, "
                            f"{sum(len(s['tables']) for s in r['sections'])} tables, "
                            f"{sum(len(s['charts']) for s in r['sections'])} charts")
    rows += build_rows[-1:] + build_rows[:-1]  # the total first, then its steps
    del c

    out = keep or tempfile.mkdtemp(prefix="bench-report-")
    os.makedirs(out, exist_ok=True)
    try:
        p = step(rows, "write_json", lambda: write_json(report, os.path.join(out, "report.json")),
                 lambda p: _mb(_size(str(p))))
        files = step(rows, "write_csv_tables", lambda: write_csv_tables(report, os.path.join(out, "tables")),
                     lambda fs: f"{len(fs)} files, {_mb(sum(_size(str(f)) for f in fs))}")
        step(rows, "write_html", lambda: write_html(report, os.path.join(out, "report.html")),
             lambda p: _mb(_size(str(p))))

        png = {"s": 0.0, "k": 0}
        real_export = md._export_png

        def timed_export(fig, path):
            t0 = time.perf_counter()
            try:
                return real_export(fig, path)
            finally:
                png["s"] += time.perf_counter() - t0
                png["k"] += 1

        md._export_png = timed_export
        try:
            step(rows, "write_markdown", lambda: write_markdown(report, os.path.join(out, "md")),
                 lambda p: (f"{_mb(_size(str(p)))} .md; {len(os.listdir(os.path.join(out, 'md', 'images')))} PNGs "
                            if os.path.isdir(os.path.join(out, "md", "images")) else f"{_mb(_size(str(p)))} .md; no PNGs ")
                 + f"(kaleido export {png['s']:.2f} s over {png['k']} charts)")
        finally:
            md._export_png = real_export
        del p, files
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)

    build = next(r["wall_s"] for r in rows if r["step"] == "build_landscape_report")
    writers = sum(r["wall_s"] for r in rows if r["step"].startswith("write_"))
    print(f"  report {build:.1f} s + writers {writers:.1f} s = {build + writers:.1f} s wall; "
          f"peak RSS {peak_mib():.0f} MiB", flush=True)
    return {"n": n, "region": region, "lang": lang, "steps": rows, "report_wall_s": build, "writers_wall_s": writers,
            "peak_rss_mib": peak_mib()}


def _child(n: int, args) -> dict | None:
    def cmd_for(out: str) -> list[str]:
        cmd = [sys.executable, os.path.abspath(__file__), "--_child", str(n), out, "--seed", str(args.seed),
               "--region", args.region, "--lang", args.lang]
        return cmd + (["--keep", os.path.join(args.keep, str(n))] if args.keep else [])

    return child_json(cmd_for)


def table(results: list) -> str:
    lines = steps_lines(results)
    lines.append("| **report + writers** | " + " | ".join(
        f"**{r['report_wall_s'] + r['writers_wall_s']:.1f}** | **{r['peak_rss_mib']:,.0f}**" for r in results) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="*", default=["100000"], help="sizes, comma- or space-separated")
    ap.add_argument("--region", default="US", help="region of the report (the synthetic data has US, AU)")
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", help="write the outputs under KEEP/<n>/ and keep them (default: a temporary folder)")
    ap.add_argument("--json")
    ap.add_argument("--_child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._child:
        n, out = int(args._child[0]), args._child[1]
        res = run_size(n, args.seed, args.region, args.lang, args.keep)
        with open(out, "w") as fh:
            json.dump(res, fh, default=str)
        return 0

    sizes = parse_sizes(args.sizes)
    import kaleido
    import plotly

    return drive(sizes, lambda n: _child(n, args), table, f"region {args.region}, lang {args.lang}", args.json,
                 plotly=plotly.__version__, kaleido=kaleido.__version__)


if __name__ == "__main__":
    sys.exit(main())
