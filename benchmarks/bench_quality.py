"""Filing quality (``patentnav quality`` and the report's quality section) on synthetic corpora
with claims text.

The corpus is ``synthetic_corpus(n, claims=True)`` (``benchmarks/synthetic.py``): the
landscape benchmark's corpus plus real USPTO claims bootstrapped per patent (about 15.5
claims and 5 kB of claims text a patent, as in the 199 real grants), one agent a patent
(Zipf) and family jurisdictions. For every size, in a fresh subprocess (so that the peak
resident set size is that size's alone), the steps are:

* ``generate``                 - the corpus (not part of the analysis);
* ``quality_indicators``       - the landscape's OECD indicators with their citation graph:
  the baseline of the same run, so that the figures below can be read as ratios;
* ``claim_indicators``         - :func:`patentnav.claim_indicators` (segmentation, dependency,
  lengths);
* ``document_quality``         - every document's indicators and cohort-relative values
  (includes ``quality_table``, so its own citation graph and claim indicators again,
  maintenance via ``status.patent_status``, high-value criteria);
* ``profiles by applicant``, ``by agent``, ``by region`` - :func:`quality_profiles` on that
  document table (harmonisation, regions, aggregation, shrinkage);
* ``quality section (US)``     - the landscape report's section builder.

Each step: wall and CPU seconds, RSS before, peak RSS (as ``bench_landscape.py``).

Usage::

    python benchmarks/bench_quality.py                          # 100k patents
    flock /tmp/patentnav-heavy.lock python benchmarks/bench_quality.py --sizes 100000,1000000 --json q.json
"""

from __future__ import annotations

import argparse
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from bench_landscape import child_json, drive, parse_sizes, peak_mib, rss_mib, steps_lines, step  # noqa: E402


def run_size(n: int, seed: int) -> dict:
    from synthetic import _claim_pool, _sample, synthetic_corpus

    import patentnav
    from patentnav.landscape.citations import citation_graph
    from patentnav.landscape.indicators import quality_indicators
    from patentnav.quality import document_quality, quality_profiles
    from patentnav.report.quality_section import build_quality_section

    _sample(), _claim_pool()  # reading the bundled samples (once per process) is not part of generation
    rows: list = []
    print(f"\n[{n:,} patents with claims]  rss after imports {rss_mib():.0f} MiB", flush=True)
    c = step(rows, "generate", lambda: synthetic_corpus(n, seed=seed, claims=True),
             lambda c: f"{repr(c)}; claims text {c.table['claims'].nbytes / 2**20:,.0f} MiB")
    step(rows, "quality_indicators (baseline)", lambda: quality_indicators(c, graph=citation_graph(c)),
         lambda q: f"{q.shape[1]} columns")
    step(rows, "claim_indicators", lambda: patentnav.claim_indicators(c),
         lambda ci: f"independent {ci['independent_claims'].mean():.2f}, first claim {ci['first_claim_words'].mean():.0f} "
                    f"words, {int((ci['claims_parsed'] != ci['total_claims']).sum()):,} mismatches")
    d = step(rows, "document_quality", lambda: document_quality(c), lambda d: f"{d.shape[1]} columns")
    for by in ("applicant", "agent", "region"):
        step(rows, f"profiles by {by}", lambda: quality_profiles(c, by=by, docs=d),
             lambda p: f"{len(p.table):,} groups, {int(p.table['ranked'].sum()):,} ranked")
    h = c.harmonize_applicants()
    step(rows, "quality section (US)", lambda: build_quality_section(h, "US", lang="zh"),
         lambda s: f"{len(s['tables'])} tables, {len(s['paragraphs'])} paragraphs")
    base = rows[1]["wall_s"]
    analysis = sum(r["wall_s"] for r in rows[2:4])
    print(f"  claim_indicators + document_quality: {analysis:.1f} s wall = {analysis / base:.1f}x the quality_indicators "
          f"baseline of the same run; peak RSS {peak_mib():.0f} MiB", flush=True)
    return {"n": n, "steps": rows, "ratio_to_baseline": analysis / base, "peak_rss_mib": peak_mib()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", nargs="*", default=["100000"])
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json")
    ap.add_argument("--_child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args._child:
        n, out = int(args._child[0]), args._child[1]
        with open(out, "w") as fh:
            json.dump(run_size(n, args.seed), fh, default=str)
        return 0

    def child(n: int):
        return child_json(lambda out: [sys.executable, os.path.abspath(__file__), "--_child", str(n), out, "--seed", str(args.seed)])

    def render(results: list) -> str:
        lines = steps_lines(results)
        lines.append("")
        lines += [f"{r['n']:,}: claim_indicators + document_quality = {r['ratio_to_baseline']:.1f}x quality_indicators"
                  for r in results]
        return "\n".join(lines)

    return drive(parse_sizes(args.sizes), child, render, f"seed {args.seed}", args.json)


if __name__ == "__main__":
    sys.exit(main())
