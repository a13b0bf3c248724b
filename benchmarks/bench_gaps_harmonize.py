"""Benchmark of ``gaps(harmonize=True)``: what harmonising a never-harmonised corpus adds.

Not part of the test suite. ``patentnav.landscape.gaps`` counts holders and firms by
harmonised names; given a corpus whose names were never harmonised it runs
:meth:`Corpus.harmonize_applicants` first (``names.ensure_harmonized``). This measures, in one
process, on the bundled sample (real names) and on the synthetic corpora of ``synthetic.py``
(names drawn from the sample's applicants):

1. ``gaps(raw, harmonize=False)`` - the analysis on the names as written (the baseline);
2. ``gaps(raw)`` - the default: harmonise, then the same analysis;
3. ``gaps(harmonised)`` - a corpus harmonised already: no second harmonisation.

Usage::

    python benchmarks/bench_gaps_harmonize.py --sizes sample,100000 --json out.json

Run under ``flock /tmp/patentnav-heavy.lock`` on a shared machine.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_landscape import machine, step, write_results  # noqa: E402


def run(label: str, corpus, region: str) -> dict:
    import pyarrow.compute as pc

    from patentnav.landscape.gaps import gaps
    from patentnav.status import patent_status

    rows: list = []
    print(f"{label}: {len(corpus):,} documents", flush=True)
    cut = pc.max(corpus.table["publication_date"]).as_py()
    status = patent_status(corpus, as_of=cut)  # shared by the three runs: the status is not what is measured
    step(rows, "gaps(raw, harmonize=False)", lambda: gaps(corpus, region, cutoff=cut, status=status, harmonize=False))
    g = step(rows, "gaps(raw) (harmonises first)", lambda: gaps(corpus, region, cutoff=cut, status=status))
    h = step(rows, "harmonize_applicants alone", lambda: corpus.harmonize_applicants())
    step(rows, "gaps(harmonised)", lambda: gaps(h, region, cutoff=cut, status=status))
    base, default = rows[0]["wall_s"], rows[1]["wall_s"]
    return {"corpus": label, "n": len(corpus), "steps": rows, "names": g.params["names"],
            "default_over_raw": default / base if base else None}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="sample,100000", help="comma-separated: 'sample' (bundled) and/or corpus sizes")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default=None, help="write the results here")
    args = ap.parse_args(argv)
    import patentnav
    from synthetic import synthetic_corpus

    results = {"machine": machine(), "runs": []}
    for size in args.sizes.split(","):
        if size.strip() == "sample":
            results["runs"].append(run("bundled sample", patentnav.datasets.drones(), "CN"))
        else:
            n = int(size.replace("_", ""))
            results["runs"].append(run(f"synthetic {n:,}", synthetic_corpus(n, seed=args.seed), "US"))
    print("\n".join(f"{r['corpus']}: default gaps() = {r['default_over_raw']:.2f} x the raw-names run (wall)"
                    for r in results["runs"]))  # each step was printed as it ran
    write_results(results, args.json)
    return 0


if __name__ == "__main__":
    sys.exit(main())
