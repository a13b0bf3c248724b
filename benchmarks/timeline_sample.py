"""Timeline of one ``patentnav landscape`` run: when the command is reached, when each chart's
PNG is drawn by kaleido (start, seconds), when the main thread first asks for a PNG (the
report is built and written except the images) and when the last PNG is done.

    python benchmarks/timeline_sample.py landscape --out /tmp/report     # the bundled sample
    python benchmarks/timeline_sample.py landscape corpus.parquet --out /tmp/report

Prints one line of seconds from the start of the process to stderr. It wraps private
functions of ``patentnav.report.markdown`` (a measuring tool, not an API).
"""

import sys
import time

T0 = time.perf_counter()

from patentnav.report import markdown as md  # noqa: E402

marks: dict = {}
_run, _get, _png = md.PngExport._run, md.PngExport.get, md._png


def _timed_run(self):
    _run(self)
    marks.setdefault("last_png_done", time.perf_counter() - T0)


def _timed_get(self, chart):
    marks.setdefault("main_asks_png", time.perf_counter() - T0)
    return _get(self, chart)


def _timed_png(fig):
    t = time.perf_counter()
    out = _png(fig)
    marks.setdefault("pngs_start_s", []).append((round(t - T0, 2), round(time.perf_counter() - t, 2)))
    return out


md.PngExport._run, md.PngExport.get, md._png = _timed_run, _timed_get, _timed_png

from patentnav.cli.main import main  # noqa: E402

marks["command_reached"] = time.perf_counter() - T0
try:
    main(sys.argv[1:], standalone_mode=False)
finally:
    marks["end"] = time.perf_counter() - T0
    print({k: round(v, 2) if isinstance(v, float) else v for k, v in marks.items()}, file=sys.stderr)
