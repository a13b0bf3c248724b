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
cols = ["technology", "category", "rca", "density", "world_documents", "world_growth", "holders", "closest_local_firms"]
print(g.table[cols].head(8).to_string(index=False))
print(g.formulas["gap_score"])

# A named list of firms as the region
firms = gaps(corpus, "FIRMS", firms=["SZ DJI TECHNOLOGY CO LTD"])
print(firms.table.loc[firms.table.category == "strength", ["technology", "rca", "region_documents"]].head(5).to_string(index=False))
