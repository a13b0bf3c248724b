"""Cross-lingual patent-risk warning (跨语言专利预警): a Shenzhen drone maker describes its
product in Chinese only (examples/drone_product_zh.toml) and screens the bundled English
US patents before export. Chinese words reach the English patents through a bilingual
dictionary (jieba + CC-CEDICT + a patent glossary: 云台 → gimbal), a multilingual sentence
encoder and the IPC/CPC codes; every risk row says which channels matched and which words,
in both languages. See docs/warning-relevance.md.

Run: python examples/08_chinese_profile_warning.py   (writes ./drone-warning-zh/)
"""

from pathlib import Path

import patentnav
from patentnav.report import write_json
from patentnav.report.html import write_html
from patentnav.report.warn_model import build_warning_report
from patentnav.warning import ProductProfile, RelevanceIndex, screen

here = Path(__file__).resolve().parent
profile = ProductProfile.from_file(here / "drone_product_zh.toml")
print(profile.name, "->", ", ".join(profile.markets))

corpus = patentnav.datasets.drones()
index = RelevanceIndex.build(corpus)

# Retrieval alone: one Chinese feature, the English patents it finds and why
hits = index.query(["三轴机械云台相机增稳"], top=5)
print(hits[["publication_number", "score", "channels", "matched_glosses"]].to_string(index=False))

# The whole screen: risks graded only on word evidence (in either language)
result = screen(corpus, profile, as_of="2026-11-27", index=index)
print(result.markets.to_string(index=False))
cols = ["rank", "publication_number", "title", "status", "risk", "if_granted_risk", "grade", "channels", "matched_glosses"]
print(result.risks[cols].head(10).to_string(index=False))

# Patents that share the product's codes but none of its words: listed, never graded
print(f"{len(result.unassessed)} patent families: codes only, not assessed by text")
print(result.unassessed[["publication_number", "title", "evidence", "matched_codes"]].head(5).to_string(index=False))

# The report (Chinese), as the CLI writes it
report = build_warning_report(result, lang="zh")
print(report["meta"]["caveats"][0])
out = Path("drone-warning-zh")
write_json(report, out / "warning.json")
write_html(report, out / "warning.html")
print(sorted(p.name for p in out.iterdir()))
