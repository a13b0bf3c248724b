"""Beyond memory: a partitioned Parquet corpus, aggregated in place by DuckDB (or Spark).

Writes the bundled sample as a corpus folder (what `patentnav ingest exports/ -o corpus/`
does for a national corpus, file by file), opens it without loading it, lets DuckDB count
its co-classification pairs, years and citations out of core, streams one industry's
documents into memory, and builds the navigation report with the engine's aggregates.
The same code runs on Apache Spark: Engine("spark", master="local[2]") or a cluster
(`pip install "patentnav[spark]"`, Java 17+). See docs/architecture.md ("Engines").

Run: python examples/11_out_of_core.py   (writes ./drone-corpus/ and ./drone-report-duckdb/)
"""

from pathlib import Path

import patentnav
from patentnav.engine import Engine
from patentnav.io.dataset import ingest_dataset
from patentnav.report import build_landscape_report, write_json

# 1. exports -> a partitioned Parquet corpus (authority=US/year=2017/...), every row accounted for
folder = Path("drone-corpus")
report = ingest_dataset([patentnav.datasets.path("drones")], folder, overwrite=True)
print(report)                                      # read 9071 rows ...: kept 9071, merged 0, rejected 0
corpus = patentnav.Corpus.open(folder)             # a Dataset: nothing loaded yet
print(corpus)

# 2. the aggregations, out of core, on the whole corpus
engine = Engine("duckdb", memory_limit="2GB")      # beyond 2 GB DuckDB spills to disk
agg = engine.aggregates(corpus)
co = agg.cooccurrence("ipc", "subclass")           # the same CoOccurrence as landscape.cooccurrence
print(co)
print(co.edges().sort_values("count", ascending=False).head(3).to_string(index=False))
print(agg.annual_counts(by="priority").tail(4))    # with the publication-lag flags

# 3. one industry in memory (streamed through the scope), the report from the engine's aggregates
drones = corpus.scope(ipc=["B64C39", "B64U"])      # only the documents in scope are loaded
print(f"{len(drones):,} of {len(corpus):,} documents in scope")
rep = build_landscape_report(drones, region="CN", lang="en", engine=engine)
write_json(rep, Path("drone-report-duckdb") / "report.json")
print(rep["sections"][3]["paragraphs"][1])

# the same aggregates in memory, for comparison: equal, bit for bit
mem = patentnav.landscape.cooccurrence(corpus.to_corpus(), "ipc", "subclass")
print("equal to the in-memory result:", (mem.counts != co.counts).nnz == 0)
