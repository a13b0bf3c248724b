"""``patentnav portfolio`` end to end on synthetic corpora of 10k-1M patents.

The corpus comes from ``benchmarks/synthetic.py`` (bootstrapped real rows of the drone
sample; Zipf applicants; a citation network with in-corpus citations, so the prospects come
from citing firms, radicalness and originality/generality are defined; no legal events, so
no survival model; no family jurisdictions, so no market coverage). Two portfolios per size:

* ``holder``: the largest applicant (Zipf rank 1, about 8% of the documents), with the
  regional part (pools, bring-in, free to use) for region ``AU``;
* ``region``: every applicant of region ``AU`` (the synthetic corpus has no addresses or
  priority countries, so a document's region is its jurisdiction: about 4% of the documents).

For every size, in a fresh subprocess (peak RSS is that size's alone): ``generate``, then
``portfolio(...)`` split at its progress steps (``select``, ``status``, ``indicators``, ``fees``,
``prospects``, ``region``, ``survival``, ``decisions``), ``build_portfolio_report`` and
``write_outputs`` (html, md, json, csv). Wall clock, CPU, RSS as in ``bench_landscape``.

Usage::

    python benchmarks/bench_portfolio.py                        # 10k and 100k
    flock /tmp/patentnav-heavy.lock python benchmarks/bench_portfolio.py --sizes 1000000 --json r.json
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

FORMATS = ["html", "md", "json", "csv"]
REGION = "AU"
AS_OF = "2024-06-30"


def _run_portfolio(rows: list, label: str, c, **kw):
    from patentnav.portfolio import portfolio

    marks: list[tuple] = []
    inner: list = []

    def close(now) -> None:
        prev, t_prev, c_prev, r_prev = marks[-1]
        _row(inner, f"{label}:{prev}", now[0] - t_prev, now[1] - c_prev, r_prev)

    def progress(name: str) -> None:
        now = (time.perf_counter(), time.process_time(), rss_mib())
        if marks:
            close(now)
        marks.append((name, *now))

    def run():
        r = portfolio(c, as_of=AS_OF, progress=progress, **kw)
        close((time.perf_counter(), time.process_time(), rss_mib()))
        return r

    res = step(inner, label, run, lambda r: f"{len(r.rights):,} rights; decisions "
               + ", ".join(f"{k} {v:,}" for k, v in r.rights["decision"].value_counts().items())
               + f"; {len(r.pools)} pools, {len(r.bring_in)} bring-in, {len(r.free_to_use)} free; prospects "
               + r.params["prospect_basis"])
    rows += inner[-1:] + inner[:-1]
    return res


def run_size(n: int, seed: int, keep: str | None) -> dict:
    from synthetic import _sample, synthetic_corpus

    import pyarrow.compute as pc

    from patentnav.report.outputs import write_outputs
    from patentnav.report.portfolio_model import build_portfolio_report

    _sample()
    rows: list = []
    print(f"\n[{n:,} patents, as of {AS_OF}, region {REGION}]  rss after imports {rss_mib():.0f} MiB", flush=True)
    c = step(rows, "generate", lambda: synthetic_corpus(n, seed=seed), lambda c: repr(c))
    top = pc.value_counts(pc.list_flatten(c["applicants"])).to_pylist()
    holder = max(top, key=lambda d: (d["counts"], d["values"]))["values"]
    res = _run_portfolio(rows, "holder", c, holders=holder, region=REGION)
    report = step(rows, "build_portfolio_report", lambda: build_portfolio_report(res, lang="zh"),
                  lambda r: f"{sum(len(s['tables']) for s in r['sections'])} tables, "
                            f"{sum(len(s['charts']) for s in r['sections'])} charts")
    out = keep or tempfile.mkdtemp(prefix="bench-portfolio-")
    try:
        step(rows, "write_outputs", lambda: write_outputs(report, out, FORMATS, stem="portfolio"),
             lambda w: f"{_mb(_size(out))} in all")
    finally:
        if not keep:
            shutil.rmtree(out, ignore_errors=True)
    del res, report
    _run_portfolio(rows, "region", c, region=REGION)
    total = sum(r["wall_s"] for r in rows if r["step"] in ("holder", "build_portfolio_report", "write_outputs"))
    print(f"  holder portfolio + report + outputs {total:.1f} s wall; peak RSS {peak_mib():.0f} MiB", flush=True)
    return {"n": n, "holder": holder, "steps": rows, "total_wall_s": total, "peak_rss_mib": peak_mib()}


def _child(n: int, args) -> dict | None:
    def cmd_for(out: str) -> list[str]:
        cmd = [sys.executable, os.path.abspath(__file__), "--_child", str(n), out, "--seed", str(args.seed)]
        if args.keep:
            cmd += ["--keep", os.path.join(args.keep, str(n))]
        return cmd

    return child_json(cmd_for)


def table(results: list) -> str:
    lines = steps_lines(results)
    lines.append("| **holder portfolio + report + outputs** | " + " | ".join(
        f"**{r['total_wall_s']:.1f}** | **{r['peak_rss_mib']:,.0f}**" for r in results) + " |")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="*", default=["10000", "100000"], help="sizes, comma- or space-separated")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--keep", help="write the outputs under KEEP/<n>/ and keep them")
    ap.add_argument("--json")
    ap.add_argument("--_child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._child:
        n, out = int(args._child[0]), args._child[1]
        res = run_size(n, args.seed, args.keep)
        with open(out, "w") as fh:
            json.dump(res, fh, default=str)
        return 0
    return drive(parse_sizes(args.sizes), lambda n: _child(n, args), table, f"as of {AS_OF}, region {REGION}", args.json)


if __name__ == "__main__":
    sys.exit(main())
