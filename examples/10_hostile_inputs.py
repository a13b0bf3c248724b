"""Broken and hostile exports end in a clear error or an accounted corpus (docs/limits.md).

Builds, from the bundled Lens.org drone sample: an export with an unclosed quote, a
gzip bomb, a CNIPA-style CSV that mixes GB18030 and UTF-8 lines, and two exports that
disagree about one patent; then writes a report into a folder that holds a file of yours.

Run: python examples/10_hostile_inputs.py   (works in a temporary folder)
"""

import csv
import gzip
import io
import tempfile
from pathlib import Path

import patentnav
from patentnav.report.outputs import OutputError, write_outputs

work = Path(tempfile.mkdtemp())
text = gzip.decompress(patentnav.datasets.path("drones").read_bytes()).decode("utf-8")
rows = list(csv.reader(io.StringIO(text, newline="")))
header, body = rows[0], [list(r) for r in rows[1:301]]
TITLE = header.index("title")


def lens(rows, name):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows([header] + rows)
    (work / name).write_text(buf.getvalue(), encoding="utf-8")
    return work / name


# 1. An unclosed quote in row 2 no longer swallows the other 298 records
body[1][TITLE] = "Plain title without commas"
p = lens(body, "unclosed.csv")
p.write_text(p.read_text(encoding="utf-8").replace("Plain title without commas", '"Plain title without commas'), encoding="utf-8")
c = patentnav.read(p)
print(c.report)  # read 300 rows: kept 299, rejected 1
print("  ", c.report.rejected[0])

# 2. A gzip bomb (here 50 MB of newlines in 50 KB) stops at a limit, with how to raise it
bomb = work / "bomb.csv.gz"
bomb.write_bytes(gzip.compress(",".join(header).encode() + b"\n" * (50 << 20), 9))
try:
    patentnav.read(bomb)
except patentnav.LimitError as e:
    print(f"LimitError ({e.limit}): {str(e)[:150]}...")

# 3. A GB18030 export with a few UTF-8 lines: each line decoded in its own encoding, each reported
lines = ["公开（公告）号,标题,申请人,申请日"] + [f"CN10{i:07d}A,一种无人机{i},深圳市大疆创新科技有限公司,2019-01-02" for i in range(6)]
(work / "cnipa.csv").write_bytes(b"\n".join(ln.encode("utf-8" if i in (3, 5) else "gb18030") for i, ln in enumerate(lines)))
c = patentnav.read(work / "cnipa.csv")
print(c.table["title"].to_pylist())
print("  ", [str(w) for w in c.report.warnings if w.field == "(encoding)"])

# 4. Two exports that disagree about a patent's title: merged, and the disagreement reported
other = [list(body[5])]
other[0][TITLE] = "A different title for the same number"
c = patentnav.read(lens(body[:10], "a.csv"), lens(other, "b.csv"))
print(c.report)
print("  ", next(w for w in c.report.warnings if w.reason.startswith("duplicate of")))

# 5. Reports never overwrite your files: a folder with your own report.json stops the run
out = work / "report"
out.mkdir()
(out / "report.json").write_text("my notes")
model = {"meta": {"title": "demo", "lang": "en"}, "sections": []}
try:
    write_outputs(model, out, ["json"])
except OutputError as e:
    print("OutputError:", e)
(out / "report.json").unlink()
print(write_outputs(model, out, ["json"]), sorted(p.name for p in out.iterdir()))
