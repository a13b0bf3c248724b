"""Filing quality (专利质量): claim-based indicators of real USPTO grants, the patent agents
behind them, and applicants of a region ranked by quality rather than count (see
docs/methods.md, section 13).

Run: python examples/12_filing_quality.py
"""

from pathlib import Path

import patentnav
from patentnav.quality import quality_profiles

# 1. Claims of real grants: a week-sample of USPTO grant XML (10 files, 421 grants)
xml = Path(__file__).resolve().parents[1] / "tests" / "data" / "uspto-grant-xml"
grants = patentnav.read(xml)
ci = patentnav.claim_indicators(grants)
print(ci.loc[ci["publication_number"] == "US-6838526-B1",
             ["publication_number", "independent_claims", "first_claim_words", "dependent_ratio"]].to_string(index=False))
# claim 4 of US 6,838,526 refers to "any one of claims 1 and 2 to 3" in its text only: dependent
print("design patents: no claim indicators, not 0:", int(ci["first_claim_words"].isna().sum()), "null")

# 2. Patent agents: who drafts broad (short) or narrow (long) first claims, relative to the
#    world's grants of the same year and field, shrunk towards the other agents (95% interval)
agents = quality_profiles(grants, by="agent", min_docs=5, rank_by="first_claim_words")
print(f"{len(agents.table)} agents on {agents.documents} documents; not available here: {agents.unavailable}")
cols = ["rank", "group", "documents", "first_claim_words_est", "first_claim_words_lo", "first_claim_words_hi"]
print(agents.ranked[cols].head(5).to_string(index=False))

# 3. Applicants of a region against the world (bundled Lens sample: no claims text)
drones = patentnav.datasets.drones()
cn = quality_profiles(drones, by="applicant", region="CN")
print(f"CN applicants: {len(cn.table)} ({int(cn.table['ranked'].sum())} ranked, >= 5 documents); "
      f"differences beyond chance: {cn.distinguishes}")
for c in cn.unavailable:
    print("  not available:", cn.availability[c])
print(cn.table[["rank", "group", "documents", "quality_index_est", "quality_index_lo", "quality_index_hi"]].head(8)
      .to_string(index=False))
