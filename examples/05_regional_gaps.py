"""Regional positioning and gaps (区域产业定位与短板): what China's drone industry lacks in
the bundled sample, and who holds the patents that would fill the gaps.

Run: python examples/05_regional_gaps.py
"""

import patentnav
from patentnav.geo import assign_regions, source_summary
from patentnav.landscape import gaps, scope

corpus = patentnav.datasets.drones().harmonize_applicants()

# Regions: this export has no addresses, so regions come from priority countries (a proxy)
regions = assign_regions(corpus, level="country")
print(source_summary(regions))

# Scope to aviation (SEI 2.2 航空装备产业) or to a query, then rank the gaps of region CN
aviation = scope(corpus, industry="2.2")
print(f"SEI 2.2 scope: {len(aviation):,} of {len(corpus):,} documents")
g = gaps(corpus, "CN", technology="ipc", level="subclass")
cols = ["technology", "category", "rca", "density", "world_documents", "world_growth", "live_holders"]
print(g.table[cols].head(8).to_string(index=False))
print(g.formulas["gap_score"])
for w in g.params["warnings"]:  # e.g. complexity computed on the largest connected component only
    print("warning:", w)

# Targets to acquire or license are rights alive at the cut-off (with years left); ended
# rights are free to use (盘活). H04R: Bose's 1983 loudspeaker patent expired in 2003.
h04r = g.table.set_index("technology").loc["H04R"]
print("live:", list(zip(h04r.key_patents, h04r.key_patents_status, h04r.key_patents_years_left)))
print("free to use:", list(zip(h04r.free_to_use, h04r.free_to_use_since)))

# Local firms need location evidence; here every CN applicant is only "first filed in CN"
print("closest local firms:", h04r.closest_local_firms, "| first filed in CN:", h04r.closest_first_filed_firms)

# A named list of firms as the region
firms = gaps(corpus, "FIRMS", firms=["SZ DJI TECHNOLOGY CO LTD"])
print(firms.table.loc[firms.table.category == "strength", ["technology", "rca", "region_documents"]].head(5).to_string(index=False))
