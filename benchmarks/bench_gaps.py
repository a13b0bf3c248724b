"""Benchmark of ``patentnav.landscape.gaps``: what the legal status of every document costs.

Not part of the test suite. Since issue 12 the gap analysis splits each technology's
documents into live rights (acquisition and licensing targets) and ended ones (free to
use) with :func:`patentnav.status.patent_status`; this measures that step against
the rest of ``gaps`` in the same process, on the synthetic corpus of ``synthetic.py``
(real IPC co-classification, region US by publishing office, no legal events).

Timed per size, wall clock and CPU: ``patent_status`` of every document at the cut-off,
then ``gaps(corpus, "US", status=...)`` reusing it (everything else of the analysis).

Usage::

    python benchmarks/bench_gaps.py --sizes 100000,1000000 --json out.json

Run under ``flock /tmp/patentnav-heavy.lock`` on a shared machine (1M: about 3 GiB).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_landscape import machine, parse_sizes, step, write_results  # noqa: E402
from synthetic import synthetic_corpus  # noqa: E402


def run_size(n: int, seed: int = 0) -> dict:
    import pyarrow.compute as pc

    from patentnav.landscape.gaps import gaps
    from patentnav.status import patent_status

    rows: list = []
    print(f"n = {n:,}", flush=True)
    corpus = step(rows, "generate + harmonise", lambda: synthetic_corpus(n, seed=seed).harmonize_applicants())
    cut = pc.max(corpus.table["publication_date"]).as_py()
    status = step(rows, "patent_status (all documents)", lambda: patent_status(corpus, as_of=cut))
    step(rows, "gaps(status=...) (the rest)", lambda: gaps(corpus, "US", cutoff=cut, status=status),
         note=lambda g: f"{len(g.table):,} technologies, {int(g.table['live_documents'].sum()):,} live document-technology pairs")
    st, rest = rows[1]["cpu_s"], rows[2]["cpu_s"]
    return {"n": n, "steps": rows, "status_share_of_gaps_cpu": st / (st + rest)}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", nargs="+", default=["100000"], help="corpus sizes (comma- or space-separated)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None, help="write the results here")
    args = ap.parse_args(argv)
    results = {"machine": machine(), "sizes": [run_size(n, args.seed) for n in parse_sizes(args.sizes)]}
    for r in results["sizes"]:
        print(f"n = {r['n']:,}: legal status is {r['status_share_of_gaps_cpu']:.0%} of the CPU time of gaps()")
    write_results(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
