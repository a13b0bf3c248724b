"""The industry navigation report (产业规划类专利导航报告) as data and as files: build the
report model for China's drone industry in the bundled sample, read numbers from it, and
write it as JSON, CSV, HTML and Markdown (see docs/report.md).

Run: python examples/06_landscape_report.py   (writes ./drone-report/)
"""

from pathlib import Path

import patentnav
from patentnav.report import build_landscape_report, write_csv_tables, write_json
from patentnav.report.html import write_html
from patentnav.report.markdown import write_markdown

corpus = patentnav.datasets.drones()
report = build_landscape_report(corpus, region="CN", lang="en",
                                progress=lambda step: print(f"  step: {step}"))

# The model is plain data: meta + sections of paragraphs, tables and charts
print(report["meta"]["title"], "| cut-off", report["meta"]["cutoff"])
for section in report["sections"]:
    print(f"{section['title']}: {len(section['tables'])} tables, {len(section['charts'])} charts")
    print("   ", section["paragraphs"][1] if len(section["paragraphs"]) > 1 else section["paragraphs"][0])

# Any table is rows + columns: the three top-ranked gaps and who holds them
paths = next(s for s in report["sections"] if s["id"] == "paths")
acquisition = next(t for t in paths["tables"] if t["id"] == "acquisition")
keys = [c["key"] for c in acquisition["columns"]]
for row in acquisition["rows"][:3]:
    print(dict(zip(keys, row))["reason"])

# The same model rendered four ways
out = Path("drone-report")
write_json(report, out / "report.json")
write_csv_tables(report, out / "tables")
write_html(report, out / "report.html")
write_markdown(report, out)  # report.md + images/*.png
print(sorted(p.name for p in out.iterdir()))
