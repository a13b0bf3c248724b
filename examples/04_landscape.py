"""Industry navigation on the bundled drone sample: trends, co-classification, technology
fields, quality indicators (patentnav.landscape).

Run: python examples/04_landscape.py
"""

import pyarrow as pa

import patentnav
from patentnav import landscape as ls

corpus = patentnav.datasets.drones().harmonize_applicants()

# 1. Trends: priority years, the last 18 months flagged incomplete (publication lag)
counts = ls.annual_counts(corpus, by="priority")
print(counts.tail(6))
g = ls.growth(counts)
print(f"CAGR {g.start}-{g.end}: {g.cagr:.1%}")
fit = ls.fit_logistic(counts)
print("loglet:", f"K={fit.K:.0f}, midpoint {fit.tm:.1f}, stage {fit.stage}" if fit.ok else fit.message)

# 2. Co-classification graph (X'X of the documents x IPC subclasses matrix)
co = ls.cooccurrence(corpus, field="ipc", level="subclass", min_count=2)
print(co)
print(co.edges().sort_values("count", ascending=False).head(3).to_string(index=False))

# 3. Technology fields: seeded Leiden on the main-group co-classification graph
tf = ls.technology_fields(corpus, level="main_group", seed=42)
print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in tf.quality.items()})
print(tf.fields[["field", "size", "share", "growth", "codes", "terms"]].head(5).to_string(index=False))

# 4. Quality indicators: what this export allows, and what it does not
qi = ls.quality_indicators(corpus)
for name, note in qi.attrs["availability"].items():
    print(f"  {name}: {note}")

# 5. Main paths need citations inside the corpus: a tiny network to show the call
src, dst = [0, 1, 1, 2], [1, 2, 3, 3]
dag = ls.citation_dag(src, dst, labels=pa.array(["A", "B", "C", "D"]).to_numpy(zero_copy_only=False))
print(ls.main_path(dag, kind="global").render())
