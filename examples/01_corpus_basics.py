"""Read the bundled Lens.org drone export, check the ingest report, filter, save.

Run: python examples/01_corpus_basics.py
"""

import tempfile
from pathlib import Path

import patentnav

corpus = patentnav.datasets.drones()
print(corpus)
print(corpus.report)  # every row accounted for: read = kept + merged + rejected

# What was dropped or corrected, with file, line and field
for issue in corpus.report.warnings[:3]:
    print("  ", issue)

# Filters: equality, lists of values, ranges of years, classification prefixes
us_grants = corpus.filter(jurisdiction="US", document_type="granted_patent")
recent_uav = corpus.filter(cpc="B64C39/024", publication_year=(2015, 2017))
print(f"US granted patents: {len(us_grants):,}")
print(f"B64C39/024 (UAV) documents published 2015-2017: {len(recent_uav):,}")

# Counts for a quick look
summary = corpus.summary(top=5)
print("Top IPC subclasses:", summary["top_ipc_subclasses"])

# To pandas and Parquet, and back
df = recent_uav.to_pandas()
print(df[["publication_number", "title", "publication_date"]].head(3).to_string(index=False))
with tempfile.TemporaryDirectory() as tmp:
    path = Path(tmp) / "uav.parquet"
    recent_uav.to_parquet(path)
    again = patentnav.read(path)
    assert len(again) == len(recent_uav)
    print(f"Parquet round trip: {len(again):,} documents")
