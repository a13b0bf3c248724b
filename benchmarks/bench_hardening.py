"""What the input guards of issue 13 cost, and what they save, measured as ratios in one process.

* ``csv``: ``io.delimited.read_delimited`` (line iterator, quote recovery, limits) against the
  earlier way (``csv.reader`` over ``io.StringIO`` of the whole text, rows and lines kept),
  both from the file, on a Lens file made of the bundled sample's rows (``--rows``, default
  100k), best of ``--repeats``;
* ``long line``: peak traced memory (``tracemalloc``) reading a CSV with one long title
  (``--line-mb``, default 80 MB), as a multiple of the file size: the earlier way, the new
  reader with ``record_bytes`` raised, and with the default limit (the line is cut out);
* ``decode``: ``io.encoding.decode_text`` against ``bytes.decode`` on the same UTF-8 text;
* ``xml``: defusedxml against ``xml.etree.ElementTree.fromstring`` on the documents of the
  shared USPTO grant files (``--xml-dir``), DOCTYPEs removed as the reader does;
* ``conflicts``: ``model.dedupe.conflicts`` on the sample concatenated with a copy whose
  every 7th title differs, against ``deduplicate`` itself;
* ``bomb``: seconds and peak RSS until a gzip of 10 GiB of newlines (10 MB file) is
  stopped with the default limits.

Usage::

    python benchmarks/bench_hardening.py
    python benchmarks/bench_hardening.py --rows 300000 --json hardening.json
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import os
import sys
import tempfile
import time
import tracemalloc
import zlib
from pathlib import Path

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from bench_landscape import machine, peak_mib  # noqa: E402


def best(fn, repeats: int) -> float:
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return min(out)


def peak(fn) -> int:
    tracemalloc.start()
    try:
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def sample() -> tuple[list[str], list[list[str]]]:
    import patentnav

    text = gzip.decompress(patentnav.datasets.path("drones").read_bytes()).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:]


def write_csv(path: Path, header, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)
    return path


def old_way(path: Path) -> int:
    """The reader before issue 13: the whole text in an io.StringIO, csv.reader over it, rows
    of the right width kept with the line they start on (as io.source.read_delimited did)."""
    text = Path(path).read_bytes().decode("utf-8")
    reader = csv.reader(io.StringIO(text, newline=""), strict=False)
    ncol = len(next(reader))
    rows, lines, bad = [], [], []
    prev = reader.line_num
    for row in reader:
        start = prev + 1
        prev = reader.line_num
        if not row:
            continue
        if len(row) != ncol:
            bad.append(start)
            continue
        rows.append(row)
        lines.append(start)
    return len(rows)


def bench_csv(work: Path, n_rows: int, repeats: int) -> dict:
    from patentnav.io.delimited import read_delimited

    header, rows = sample()
    big = [rows[i % len(rows)] for i in range(n_rows)]
    p = write_csv(work / "rows.csv", header, big)
    csv.field_size_limit(1 << 30)
    t_old = best(lambda: old_way(p), repeats)
    t_new = best(lambda: read_delimited(p), repeats)
    return {"rows": n_rows, "mb": p.stat().st_size / 1e6, "old_s": t_old, "new_s": t_new, "ratio": t_new / t_old}


def bench_long_line(work: Path, line_mb: int) -> dict:
    import patentnav
    from patentnav import Limits

    header, rows = sample()
    r = list(rows[1])
    r[header.index("title")] = "t" * (line_mb << 20)
    p = write_csv(work / "long.csv", header, [rows[0], r])
    size = p.stat().st_size
    csv.field_size_limit(1 << 30)
    return {"mb": size / 1e6,
            "old_x": peak(lambda: old_way(p)) / size,
            "raised_x": peak(lambda: patentnav.read(p, limits=Limits(record_bytes=(line_mb + 8) << 20))) / size,
            "default_x": peak(lambda: patentnav.read(p)) / size}


def bench_decode(work: Path, repeats: int) -> dict:
    from patentnav.io.encoding import decode_text

    data = (work / "rows.csv").read_bytes()
    t0 = best(lambda: data.decode("utf-8"), repeats)
    t1 = best(lambda: decode_text(data, "x"), repeats)
    return {"mb": len(data) / 1e6, "bytes_decode_s": t0, "decode_text_s": t1, "ratio": t1 / t0}


def bench_xml(xml_dir: Path, repeats: int) -> dict | None:
    import xml.etree.ElementTree as ET

    from defusedxml.ElementTree import fromstring as safe

    from patentnav.io.uspto_xml import _prolog, split_documents

    files = sorted(xml_dir.glob("*.xml"))
    if not files:
        return None
    docs = []
    for f in files:
        data = f.read_bytes()
        for s, e, _ in split_documents(data):
            d = data[s:e]
            spans, root = _prolog(d)
            if root != b"us-patent-grant":
                continue
            for a, b in reversed(spans):
                d = d[:a] + b"\n" * d.count(b"\n", a, b) + d[b:]
            docs.append(d)
    t0 = best(lambda: [ET.fromstring(d) for d in docs], repeats)
    t1 = best(lambda: [safe(d) for d in docs], repeats)
    return {"documents": len(docs), "mb": sum(map(len, docs)) / 1e6, "etree_s": t0, "defusedxml_s": t1, "ratio": t1 / t0}


def bench_conflicts(repeats: int) -> dict:
    import pyarrow as pa

    import patentnav
    from patentnav.model.dedupe import conflicts, deduplicate

    t = patentnav.datasets.drones().table
    titles = t["title"].to_pylist()
    other = t.set_column(t.schema.get_field_index("title"), "title",
                         pa.array([x + " (other)" if (x and i % 7 == 0) else x for i, x in enumerate(titles)], pa.string()))
    both = pa.concat_tables([t, other])
    t_dedupe = best(lambda: deduplicate(both), repeats)
    t_conf = best(lambda: conflicts(both), repeats)
    return {"rows": both.num_rows, "warnings": len(conflicts(both)), "dedupe_s": t_dedupe, "conflicts_s": t_conf,
            "ratio": t_conf / t_dedupe}


def bench_bomb(work: Path) -> dict:
    import patentnav

    header, _ = sample()
    p = work / "bomb.csv.gz"
    comp = zlib.compressobj(9, zlib.DEFLATED, 31)
    with open(p, "wb") as f:
        f.write(comp.compress((",".join(header) + "\n").encode()))
        chunk = b"\n" * (64 << 20)
        for _ in range(160):  # 10 GiB
            f.write(comp.compress(chunk))
        f.write(comp.flush())
    t = time.perf_counter()
    try:
        patentnav.read(p)
        err = None
    except patentnav.LimitError as e:
        err = e.limit
    return {"file_mb": p.stat().st_size / 1e6, "seconds": time.perf_counter() - t, "limit": err, "peak_rss_mib": peak_mib()}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--line-mb", type=int, default=80)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--xml-dir", type=Path, default=Path("/work/shared/data/uspto-grant-xml"))
    ap.add_argument("--json", type=Path, default=None)
    a = ap.parse_args(argv)
    out = {"machine": machine()}
    with tempfile.TemporaryDirectory() as d:
        work = Path(d)
        out["bomb"] = bench_bomb(work)  # first: the peak RSS is the bomb's alone
        print("bomb", out["bomb"], flush=True)
        out["csv"] = bench_csv(work, a.rows, a.repeats)
        print("csv", out["csv"], flush=True)
        out["decode"] = bench_decode(work, a.repeats)
        print("decode", out["decode"], flush=True)
        out["long_line"] = bench_long_line(work, a.line_mb)
        print("long line", out["long_line"], flush=True)
    out["xml"] = bench_xml(a.xml_dir, a.repeats)
    print("xml", out["xml"], flush=True)
    out["conflicts"] = bench_conflicts(a.repeats)
    print("conflicts", out["conflicts"], flush=True)
    out["machine"]["load_avg_1min_after"] = os.getloadavg()[0]
    if a.json:
        a.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
