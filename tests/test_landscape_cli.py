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
