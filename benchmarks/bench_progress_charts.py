"""Cost of the reading-progress hooks and of the chart label placement (issue 14).

* progress: ``patentnav.read`` of the bundled sample (or ``--file``) with and without a
  watcher (:func:`patentnav.io.progress.watching`), medians of ``--repeat`` runs in one
  process, and the ratio;
* charts: time to build each chart figure of the bundled sample's landscape (zh) and
  warning (en) reports, label placement included (``report.placement``).

Usage::

    python benchmarks/bench_progress_charts.py
    python benchmarks/bench_progress_charts.py --file lens_100k.csv --repeat 3
"""

from __future__ import annotations

import argparse
import statistics
import time


def progress_cost(path, repeat: int) -> dict:
    from patentnav.io import read
    from patentnav.io.progress import watching

    events = []
    read(path)
    plain, watched = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        read(path)
        plain.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with watching(lambda kind, *a: events.append(kind)):
            read(path)
        watched.append(time.perf_counter() - t0)
    p, w = statistics.median(plain), statistics.median(watched)
    return {"plain_s": round(p, 3), "watched_s": round(w, 3), "ratio": round(w / p, 3), "events_per_read": len(events) // repeat}


def chart_times() -> list[tuple[str, float, int]]:
    import patentnav
    from patentnav.report import build_landscape_report
    from patentnav.report.charts import make_figure
    from patentnav.report.warn_model import build_warning_report
    from patentnav.warning import ProductProfile, screen

    c = patentnav.datasets.drones()
    charts = [(ch, "zh") for s in build_landscape_report(c, lang="zh")["sections"] for ch in s["charts"]]
    prof = ProductProfile.from_file("examples/drone_product.toml")
    warn = build_warning_report(screen(c, prof, as_of="2026-12-07"), lang="en")
    charts += [(ch, "en") for s in warn["sections"] for ch in s["charts"]]
    out = []
    for ch, lang in charts:
        make_figure(ch, lang)
        t0 = time.perf_counter()
        for _ in range(3):
            fig = make_figure(ch, lang)
        meta = fig.layout.meta or {}
        out.append((ch["kind"], (time.perf_counter() - t0) / 3, len(meta.get("label_boxes", []))))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--file", default=None, help="export to read (default: the bundled sample)")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    from patentnav.datasets import path

    print("progress:", progress_cost(args.file or path("drones"), args.repeat))
    for kind, sec, labels in chart_times():
        print(f"{kind:22s} {1000 * sec:7.1f} ms  {labels} placed labels")


if __name__ == "__main__":
    main()
