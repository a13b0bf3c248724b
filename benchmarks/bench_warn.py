"""The warning screen (``patentnav warn``) end to end on synthetic corpora of 10k-1M patents.

The corpus comes from ``benchmarks/synthetic.py`` (bootstrapped real rows of the drone
sample: titles, IPC/CPC codes, jurisdictions US, WO, AU, EP; Zipf applicants; a citation
network; see its docstring). It has titles only (no abstracts or claims), no family
identifiers or priority numbers (every document is its own family) and no harmonised
applicants, so :func:`patentnav.warning.screen` harmonises the applicants itself (step
``names``), as ``patentnav warn`` does on a raw export.

The product is ``examples/drone_product.toml`` (``ProductProfile.from_file``: 7 features,
10 bilingual keywords, 11 codes, 4 own names), screened for the markets US and DE on
``--as-of`` (default 2026-11-27) with monitoring since ``--since`` (default 2017-06-01)
and ``--candidates`` (default 300) documents retrieved.

For every size (default 10k, 100k), in a fresh subprocess so that the peak resident set size
is that size's alone, the steps are:

* ``generate``                - ``synthetic_corpus(n)`` (not part of the screen);
* ``index_build``             - ``RelevanceIndex.build(corpus)`` (default fields; only the
  titles exist), passed to ``screen`` with ``index=`` as ``warn`` would build it inside;
* ``screen:<step>``           - ``screen(...)`` split at the step names its ``progress``
  callback reports (``names``, ``relevance``, ``status``, ``holders``, ``risk``,
  ``prior_art``, ``summary``, ``monitoring``): each step runs from its callback to the next
  one, the last one to the return of ``screen``;
* ``screen``                  - the whole call;
* ``build_warning_report``    - ``patentnav.report.warn_model.build_warning_report(result)``;
* ``write_outputs``           - ``write_outputs(report, tmpdir, ["html", "md", "json", "csv"],
  stem="warning")``; the time of each writer (and of the kaleido PNG export inside the
  Markdown writer) is measured by wrapping those functions and shown in the note.

Each step: wall clock (``time.perf_counter``), CPU time of the process
(``time.process_time``), the resident set size before the step (``/proc/self/statm``) and
the peak resident set size of the process after it (``resource.getrusage`` ``ru_maxrss``,
a high-water mark since the process started, interpreter and imports included). Each line
is printed (flushed) as soon as the step ends, so a run that is stopped still shows where
the time went.

``--profile PATH`` runs ``screen`` (only) under cProfile in the child and dumps the stats to
``PATH.<n>`` (the step timings then include the profiler's overhead).

Usage::

    python benchmarks/bench_warn.py                                  # 10k and 100k
    python benchmarks/bench_warn.py --sizes 10000,100000,1000000 --json results.json
    python benchmarks/bench_warn.py --sizes 100000 --profile /tmp/warn.prof
    python benchmarks/bench_warn.py --sizes 10000 --keep /tmp/warn-bench   # keep the outputs
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
ROOT = os.path.dirname(HERE)
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from bench_landscape import child_json, drive, parse_sizes, peak_mib, rss_mib, steps_lines  # noqa: E402
from bench_landscape import mb as _mb, path_size as _size, record as _row, step  # noqa: E402

PROFILE = os.path.join(ROOT, "examples", "drone_product.toml")
MARKETS = ["US", "DE"]
FORMATS = ["html", "md", "json", "csv"]


def _screen_note(r) -> str:
    m = r.markets
    per = "; ".join(f"{x.market}: {x.threatening} threatening ({x.high} high, {x.medium} medium, {x.low} low)"
                    for x in m.itertuples())
    mon = 0 if r.monitoring is None else len(r.monitoring)
    return (f"{r.params['candidates']} candidates; {per}; {len(r.freedom)} freedom; {mon:,} monitoring rows; "
            f"own {r.params['own_documents']:,}")


def run_size(n: int, seed: int, as_of: str, since: str, candidates: int, lang: str, keep: str | None,
             profile_out: str | None) -> dict:
    from synthetic import _sample, synthetic_corpus

    import patentnav.report.html as html_mod
    import patentnav.report.json_csv as jc_mod
    import patentnav.report.markdown as md_mod
    from patentnav.report.outputs import write_outputs
    from patentnav.report.warn_model import build_warning_report
    from patentnav.warning import ProductProfile, screen
    from patentnav.warning.relevance import RelevanceIndex

    _sample()  # reading the bundled sample (once per process) is not part of generation
    product = ProductProfile.from_file(PROFILE)
    rows: list = []
    print(f"\n[{n:,} patents, markets {', '.join(MARKETS)}, as of {as_of}, since {since}, "
          f"{candidates} candidates]  rss after imports {rss_mib():.0f} MiB", flush=True)
    c = step(rows, "generate", lambda: synthetic_corpus(n, seed=seed), lambda c: repr(c))
    index = step(rows, "index_build", lambda: RelevanceIndex.build(c),
                 lambda ix: f"fields {list(ix.fields)}")

    # screen, split at its progress callbacks
    marks: list[tuple] = []
    screen_rows: list = []

    def close(now) -> None:
        prev, t_prev, c_prev, r_prev = marks[-1]
        _row(screen_rows, f"screen:{prev}", now[0] - t_prev, now[1] - c_prev, r_prev)

    def progress(name: str) -> None:
        now = (time.perf_counter(), time.process_time(), rss_mib())
        if marks:
            close(now)
        marks.append((name, *now))

    def run_screen():
        prof = None
        if profile_out:
            import cProfile

            prof = cProfile.Profile()
            prof.enable()
        try:
            r = screen(c, product, markets=MARKETS, as_of=as_of, since=since, candidates=candidates,
                       index=index, progress=progress)
        finally:
            if prof is not None:
                prof.disable()
                prof.dump_stats(f"{profile_out}.{n}")
        if marks:  # the last step ends when screen returns
            close((time.perf_counter(), time.process_time(), rss_mib()))
        return r

    result = step(screen_rows, "screen", run_screen, _screen_note)
    rows += screen_rows[-1:] + screen_rows[:-1]  # the total first, then its steps
    del c, index

    report = step(rows, "build_warning_report", lambda: build_warning_report(result, lang=lang),
                  lambda r: f"{len(r['sections'])} sections, "
                            f"{sum(len(s['tables']) for s in r['sections'])} tables, "
                            f"{sum(len(s['charts']) for s in r['sections'])} charts")

    # time each writer inside write_outputs (it imports them from their modules at call time)
    spent: dict[str, float] = {}

    def timed(mod, attr, key):
        real = getattr(mod, attr)

        def wrapper(*a, **k):
            t0 = time.perf_counter()
            try:
                return real(*a, **k)
            finally:
                spent[key] = spent.get(key, 0.0) + time.perf_counter() - t0
        setattr(mod, attr, wrapper)
        return mod, attr, real

    out = keep or tempfile.mkdtemp(prefix="bench-warn-")
    os.makedirs(out, exist_ok=True)
    patched = [timed(jc_mod, "write_json", "json"), timed(jc_mod, "write_csv_tables", "csv"),
               timed(html_mod, "write_html", "html"), timed(md_mod, "write_markdown", "md"),
               timed(md_mod, "_export_png", "kaleido")]
    try:
        step(rows, "write_outputs", lambda: write_outputs(report, out, FORMATS, stem="warning"),
             lambda w: f"{_mb(_size(out))} in all; " + ", ".join(f"{k} {v:.2f} s" for k, v in spent.items()))
    finally:
        for mod, attr, real in patched:
            setattr(mod, attr, real)
        if not keep:
            shutil.rmtree(out, ignore_errors=True)

    total = sum(r["wall_s"] for r in rows if r["step"] in ("index_build", "screen", "build_warning_report",
                                                            "write_outputs"))
    print(f"  index + screen + report + outputs {total:.1f} s wall; peak RSS {peak_mib():.0f} MiB", flush=True)
    return {"n": n, "markets": MARKETS, "as_of": as_of, "since": since, "candidates": candidates, "steps": rows,
            "total_wall_s": total, "peak_rss_mib": peak_mib()}


def _child(n: int, args) -> dict | None:
    def cmd_for(out: str) -> list[str]:
        cmd = [sys.executable, os.path.abspath(__file__), "--_child", str(n), out, "--seed", str(args.seed),
               "--as-of", args.as_of, "--since", args.since, "--candidates", str(args.candidates), "--lang", args.lang]
        if args.keep:
            cmd += ["--keep", os.path.join(args.keep, str(n))]
        if args.profile:
            cmd += ["--profile", args.profile]
        return cmd

    return child_json(cmd_for)


def table(results: list) -> str:
    lines = steps_lines(results)
    lines.append("| **index + screen + report + outputs** | " + " | ".join(
        f"**{r['total_wall_s']:.1f}** | **{r['peak_rss_mib']:,.0f}**" for r in results) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="*", default=["10000", "100000"], help="sizes, comma- or space-separated")
    ap.add_argument("--as-of", default="2026-11-27")
    ap.add_argument("--since", default="2017-06-01")
    ap.add_argument("--candidates", type=int, default=300)
    ap.add_argument("--lang", default="zh", choices=["zh", "en"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", help="write the outputs under KEEP/<n>/ and keep them (default: a temporary folder)")
    ap.add_argument("--profile", help="run screen under cProfile and dump the stats to PROFILE.<n>")
    ap.add_argument("--json")
    ap.add_argument("--_child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args._child:
        n, out = int(args._child[0]), args._child[1]
        res = run_size(n, args.seed, args.as_of, args.since, args.candidates, args.lang, args.keep, args.profile)
        with open(out, "w") as fh:
            json.dump(res, fh, default=str)
        return 0

    sizes = parse_sizes(args.sizes)
    settings = (f"markets {', '.join(MARKETS)}, as of {args.as_of}, since {args.since}, {args.candidates} candidates, "
                f"lang {args.lang}")
    return drive(sizes, lambda n: _child(n, args), table, settings, args.json)


if __name__ == "__main__":
    sys.exit(main())
