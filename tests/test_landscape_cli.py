"""The landscape commands run on the bundled sample and write what they promise."""

import datetime as d

import networkx as nx
import pandas as pd
import pyarrow as pa
from click.testing import CliRunner

import patentnav
from patentnav.cli.main import main


def run(*args):
    r = CliRunner().invoke(main, list(args))
    assert r.exit_code == 0, r.output
    return r.output


def test_trends_on_sample(tmp_path):
    out = run("trends", "--by", "publication", "-o", str(tmp_path / "t.csv"))
    assert "3,685" in out  # 2017 publications
    df = pd.read_csv(tmp_path / "t.csv", encoding="utf-8-sig")
    assert int(df.loc[df.year == 2016, "count"].item()) == 1599
    out = run("trends", "--lang", "zh")
    assert "复合增长率" in out


def test_graph_exports(tmp_path):
    out = run("graph", "--min-count", "2", "-o", str(tmp_path / "g.gexf"), "-o", str(tmp_path / "g.graphml"),
              "--vosviewer", str(tmp_path / "vos"))
    assert "425 codes" in out
    g = nx.read_gexf(tmp_path / "g.gexf")
    assert g.number_of_nodes() == 425
    assert nx.read_graphml(tmp_path / "g.graphml").number_of_edges() == g.number_of_edges()
    assert (tmp_path / "vos" / "map.txt").read_text(encoding="utf-8").startswith("id\t")


def test_clusters_table_and_assignments(tmp_path):
    out = run("clusters", "--top", "5", "-o", str(tmp_path / "f.csv"), "--assignments", str(tmp_path / "a.csv"))
    assert "modularity" in out
    fields = pd.read_csv(tmp_path / "f.csv", encoding="utf-8-sig")
    assign = pd.read_csv(tmp_path / "a.csv", encoding="utf-8-sig")
    assert len(assign) == 9071 and fields["size"].sum() == (assign.field >= 0).sum()


def test_mainpath_explains_missing_citations_and_runs_on_citations(tmp_path):
    r = CliRunner().invoke(main, ["mainpath"])
    assert r.exit_code == 0 and "No citations between documents" in r.output
    c = patentnav.Corpus(pa.table({
        "publication_number": ["US-1-B2", "US-2-B2", "US-3-B2", "US-4-B2"],
        "cited_publications": [[], ["US-1"], ["US-1-B2", "US-2-B2"], ["US-3-B2"]],
        "publication_date": [d.date(2000 + i, 1, 1) for i in range(4)],
    }))
    p = tmp_path / "c.parquet"
    c.to_parquet(p)
    out = run("mainpath", str(p), "-o", str(tmp_path / "mp.csv"))
    arcs = pd.read_csv(tmp_path / "mp.csv", encoding="utf-8-sig")
    assert list(zip(arcs.src_label, arcs.dst_label)) == [("US-1-B2", "US-2-B2"), ("US-2-B2", "US-3-B2"), ("US-3-B2", "US-4-B2")]


def _parallel_chain(tmp_path, k: int, width: int):
    """k stages of ``width`` parallel documents between hubs: width**k source-to-sink paths."""
    hub = lambda i: f"US-{(width + 1) * i + 1}-B2"  # noqa: E731
    mid = lambda i, j: f"US-{(width + 1) * i + 2 + j}-B2"  # noqa: E731
    pubs, cited = [hub(0)], [[]]
    for i in range(k):
        for j in range(width):
            pubs.append(mid(i, j))
            cited.append([hub(i)])
        pubs.append(hub(i + 1))
        cited.append([mid(i, j) for j in range(width)])
    c = patentnav.Corpus(pa.table({"publication_number": pubs, "cited_publications": cited,
                                   "publication_date": [d.date(1900, 1, 1) + d.timedelta(days=i) for i in range(len(pubs))]}))
    p = tmp_path / f"chain{k}x{width}.parquet"
    c.to_parquet(p)
    return p


def test_mainpath_prints_weights_exactly(tmp_path):
    """Counts below 2**53 print as integers; above, every digit is exact (no float rounding);
    past float64 the weights are shares and the header says so."""
    import csv

    out = run("mainpath", str(_parallel_chain(tmp_path, 3, 2)), "--kind", "global", "--lang", "en")
    assert " 4 " in out and "SPC" in out  # 2**3 paths, each arc on 2**2 of them
    # 3**40 paths: SPC of an arc 3**39 = 4,052,555,153,018,976,267 (float64 would print ...976,256)
    p = _parallel_chain(tmp_path, 40, 3)
    out = run("mainpath", str(p), "--lang", "en", "-o", str(tmp_path / "mp.csv"))
    assert f"{3 ** 39:,}" in out and f"{int(float(3 ** 39)):,}" not in out
    rows = list(csv.DictReader(open(tmp_path / "mp.csv", encoding="utf-8-sig")))
    assert {r["spc"] for r in rows} == {str(3 ** 39)} and rows[0]["spnp"].isdigit()
    # 2**1100 paths overflow float64: shares, said in the header and the CSV columns
    out = run("mainpath", str(_parallel_chain(tmp_path, 1100, 2)), "--lang", "en", "-o", str(tmp_path / "big.csv"))
    assert "SPC share of all paths" in out and "0.5" in out and "exceed float64" in out
    head = next(csv.reader(open(tmp_path / "big.csv", encoding="utf-8-sig")))
    assert "spc_share" in head and "weight_share" in head and "spc" not in head
