"""Benchmark applicant-name harmonisers on PatentsView's assignee disambiguation benchmarks.

Usage (in a separate environment; pv-evaluation is GPL-3 and benchmark-only)::

    python3 -m venv /tmp/venv-bench
    /tmp/venv-bench/bin/pip install -r benchmarks/requirements-bench.txt -e .
    /tmp/venv-bench/bin/python benchmarks/bench_names.py                  # all benchmarks
    /tmp/venv-bench/bin/python benchmarks/bench_names.py --check-baseline # assert published baseline
    /tmp/venv-bench/bin/python benchmarks/bench_names.py --er-evaluation  # cross-check the metrics

A harmoniser is any function ``harmonise(raw_names: list[str]) -> labels`` returning one
hashable cluster label per input name (same length, same order, no missing labels). Mentions
with equal labels are predicted to be the same applicant. Two are run:

* ``exact-raw-string`` -- the baseline: one cluster per exact raw organisation string;
* ``patentnav.names`` -- ``patentnav.names.harmonize_names`` once it exists (skipped, with a
  message, until then). To try another function, add it to ``harmonisers()``.

Metrics (patentnav.names.metrics): pairwise P/R/F1 and B-cubed P/R/F1 averaged over reference
clusters, as in PatentsView's er-evaluation. Published baseline on air-umass
(shared/reference/README.md): pairwise P 1.0, R 0.8794, F1 0.9358; B-cubed recall 0.7035.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))  # names_benchmark_data, when imported

from names_benchmark_data import (  # noqa: E402
    BenchmarkDataMissing,
    assignee_benchmark_names,
    load_assignee_benchmark,
)

from patentnav.names.metrics import metrics_table  # noqa: E402

Harmoniser = Callable[[list[str]], Sequence]

#: published exact-raw-string baseline on air-umass (rounded to 4 decimals)
PUBLISHED_BASELINE = {
    "air-umass": {
        "pairwise_precision": 1.0,
        "pairwise_recall": 0.8794,
        "pairwise_f1": 0.9358,
        "bcubed_recall": 0.7035,
    }
}

METRIC_KEYS = [
    "pairwise_precision",
    "pairwise_recall",
    "pairwise_f1",
    "bcubed_precision",
    "bcubed_recall",
    "bcubed_f1",
]


def exact_raw_string(raw_names: list[str]) -> np.ndarray:
    """Baseline: mentions are the same applicant iff their raw names are identical strings."""
    codes, _ = pd.factorize(np.asarray(raw_names, dtype=object))
    return codes


def harmonisers() -> dict[str, Harmoniser]:
    """The harmonisers to benchmark, by display name."""
    found: dict[str, Harmoniser] = {"exact-raw-string": exact_raw_string}
    try:
        from patentnav.names import harmonize_names
    except ImportError as exc:
        print(
            f"note: patentnav.names.harmonize_names is not available ({exc}); "
            "running the exact-raw-string baseline only.",
            file=sys.stderr,
        )
    else:
        found["patentnav.names"] = harmonize_names
    return found


def _as_labels(labels: Sequence, n: int, who: str) -> Sequence:
    if isinstance(labels, pd.DataFrame):
        raise TypeError(f"{who} returned a DataFrame; a harmoniser must return one label per name")
    if len(labels) != n:
        raise ValueError(f"{who} returned {len(labels)} labels for {n} names")
    return labels


def run_one(df: pd.DataFrame, name: str, harmonise: Harmoniser, er_evaluation: bool = False) -> dict:
    raw_names = df["raw_name"].tolist()
    t0 = time.perf_counter()
    labels = _as_labels(harmonise(raw_names), len(raw_names), name)
    t1 = time.perf_counter()
    scores = metrics_table(labels, df["entity"].to_numpy(dtype=object))
    t2 = time.perf_counter()
    row = {
        "benchmark": df.attrs.get("benchmark"),
        "harmoniser": name,
        "mentions": len(df),
        "entities": int(df["entity"].nunique()),
        "predicted_clusters": int(pd.Series(labels).nunique()),
        **scores,
        "harmonise_s": t1 - t0,
        "metrics_s": t2 - t1,
    }
    if er_evaluation:
        row.update(_er_evaluation_scores(df, labels))
    return row


def _er_evaluation_scores(df: pd.DataFrame, labels: Sequence) -> dict:
    """Same six numbers from PatentsView's er-evaluation (GPL-3; slow, tens of seconds)."""
    import er_evaluation as ee

    idx = pd.Index(df["mention_id"])
    pred = pd.Series(np.asarray(labels, dtype=object), index=idx)
    ref = pd.Series(df["entity"].to_numpy(dtype=object), index=idx)
    t0 = time.perf_counter()
    out = {
        "ee_pairwise_precision": ee.pairwise_precision(pred, ref),
        "ee_pairwise_recall": ee.pairwise_recall(pred, ref),
        "ee_pairwise_f1": ee.pairwise_f(pred, ref),
        "ee_bcubed_precision": ee.b_cubed_precision(pred, ref),
        "ee_bcubed_recall": ee.b_cubed_recall(pred, ref),
        "ee_bcubed_f1": ee.b_cubed_f(pred, ref),
    }
    out = {k: float(v) for k, v in out.items()}
    out["ee_metrics_s"] = time.perf_counter() - t0
    return out


def format_row(row: dict) -> str:
    s = (
        f"{row['benchmark']:<12} {row['harmoniser']:<17} {row['mentions']:>8,} {row['entities']:>6,} "
        f"{row['predicted_clusters']:>7,}  "
        + " ".join(f"{row[k]:.4f}" for k in METRIC_KEYS)
        + f"  {row['harmonise_s']:8.3f} {row['metrics_s']:7.3f}"
    )
    if "ee_metrics_s" in row:
        diff = max(abs(row[k] - row["ee_" + k]) for k in METRIC_KEYS)
        s += f"   er-evaluation max |diff| {diff:.1e} ({row['ee_metrics_s']:.1f}s)"
    return s


HEADER = (
    f"{'benchmark':<12} {'harmoniser':<17} {'mentions':>8} {'ents':>6} {'pred':>7}  "
    "pw_P   pw_R   pw_F1  b3_P   b3_R   b3_F1  harmonise_s metrics_s"
)


def check_baseline(rows: list[dict], tol: float = 5e-5) -> list[str]:
    problems = []
    for row in rows:
        expected = PUBLISHED_BASELINE.get(row["benchmark"])
        if row["harmoniser"] != "exact-raw-string" or not expected:
            continue
        for k, v in expected.items():
            if abs(row[k] - v) > tol:
                problems.append(f"{row['benchmark']} {k}: got {row[k]:.6f}, published {v}")
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--benchmark", nargs="+", choices=assignee_benchmark_names(), default=assignee_benchmark_names())
    ap.add_argument("--check-baseline", action="store_true", help="fail unless the published air-umass baseline is reproduced")
    ap.add_argument("--er-evaluation", action="store_true", help="also compute the metrics with er-evaluation (slow)")
    ap.add_argument("--json", type=Path, help="write all results to this JSON file")
    args = ap.parse_args(argv)

    hs = harmonisers()
    rows = []
    print(HEADER)
    for bench in args.benchmark:
        t0 = time.perf_counter()
        try:
            df = load_assignee_benchmark(bench)
        except BenchmarkDataMissing as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2
        load_s = time.perf_counter() - t0
        for name, fn in hs.items():
            row = run_one(df, name, fn, er_evaluation=args.er_evaluation)
            row["load_s"] = load_s
            row["source"] = df.attrs.get("source")
            rows.append(row)
            print(format_row(row), flush=True)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    if args.check_baseline:
        problems = check_baseline(rows)
        if problems:
            print("baseline NOT reproduced:\n  " + "\n  ".join(problems), file=sys.stderr)
            return 1
        print("published air-umass baseline reproduced (to 4 decimals)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
