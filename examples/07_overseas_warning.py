"""Overseas patent-risk warning (海外专利预警): a Shenzhen consumer-drone maker plans to sell
a foldable camera drone in the US (and Germany) and screens the bundled drone patents for
infringement risk before launch. See docs/warning-risk.md.

Run: python examples/07_overseas_warning.py   (writes ./drone-warning/)
"""

from pathlib import Path

import patentnav
from patentnav.report import write_json
from patentnav.report.html import write_html
from patentnav.report.warn_model import build_warning_report
from patentnav.warning import ProductProfile, RelevanceIndex, screen

here = Path(__file__).resolve().parent
profile = ProductProfile.from_file(here / "drone_product.toml")
print(profile.name, "->", ", ".join(profile.markets), "| launch", profile.launch_date)

corpus = patentnav.datasets.drones().harmonize_applicants()
index = RelevanceIndex.build(corpus)  # build once, screen many products or markets
result = screen(corpus, profile, markets=["US", "DE"], as_of="2026-11-27", since="2017-06-01", index=index)

# Per market: how many patent families threaten the product, by grade
print(result.markets.to_string(index=False))

# The top risks with every part of the score: risk = 100 x relevance x in_force x (0.5 + 0.3 strength + 0.2 holder)
cols = ["market", "rank", "publication_number", "holder", "status", "expiry_date", "relevance", "in_force",
        "strength", "holder_factor", "risk", "grade", "action"]
print(result.risks[cols].head(8).to_string(index=False))

# Why the first one is there: matched features and codes, and older prior art in its main group
top = result.risks.iloc[0]
print(top["publication_number"], top["title"])
print("  matched features:", top["matched_features"], "| shared codes:", top["matched_codes"])
print("  prior-art hints:", top["prior_art"])

# Expired or lapsed relevant patents: technology free to use; and new publications to watch
print(result.freedom[["publication_number", "title", "status", "ended"]].head(5).to_string(index=False))
print(f"{len(result.monitoring)} new publications since 2017-06-01 in the product's codes or by competitors")

# The same report as the CLI writes (HTML, JSON; Markdown and CSV too)
report = build_warning_report(result, lang="en")
out = Path("drone-warning")
write_json(report, out / "warning.json")
write_html(report, out / "warning.html")
print(sorted(p.name for p in out.iterdir()))
