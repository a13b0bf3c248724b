"""Corpus: de-duplication, pandas and Parquet round trips, filters, concatenation."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import patentnav
from patentnav import Corpus
from patentnav.model.schema import SCHEMA

LENS_HEADER = "lens_id,publication_number,title,applicants,ipcr_classifications,publication_date,publication_year,cited_count\n"


@pytest.fixture(scope="module")
def drones() -> Corpus:
    return patentnav.read(patentnav.datasets.path("drones"))


def _write(tmp_path, name, text):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


# --- de-duplication ------------------------------------------------------------------------


def test_dedupe_merges_rows_of_one_file(tmp_path):
    p = _write(tmp_path, "dup.csv", LENS_HEADER
               + '1,US 9123456 B2,,"ACME;;BETA","B64C39/02;;H04W72/04",01/02/16,2016,\n'
               + '2,US9123456B2,Drone,"BETA;;GAMMA","G05D1/00;;B64C39/02",,2016,5\n'
               + '3,EP 1000000 A1,Other,ACME,,03/04/16,2016,\n'
               + '4,"US 9,123,456 B2",Late title,DELTA,,05/06/16,2016,7\n')
    c = patentnav.read(p)
    r = c.report
    assert (r.rows_read, r.kept, r.merged, len(r.rejected)) == (4, 2, 2, 0)
    rows = {row["publication_number"]: row for row in c.table.to_pylist()}
    assert list(rows) == ["US-9123456-B2", "EP-1000000-A1"]  # position of the first occurrence
    us = rows["US-9123456-B2"]
    assert us["applicants"] == ["ACME", "BETA", "GAMMA", "DELTA"]  # ordered union
    assert us["ipc"] == ["B64C39/02", "H04W72/04", "G05D1/00"]
    assert us["title"] == "Drone"  # first non-null
    assert us["publication_date"] == dt.date(2016, 2, 1)  # first row's, not the later ones
    assert us["forward_citations"] == 5
    assert us["source_row"] == 2
    assert us["duplicate_sources"] == [f"{p}:3", f"{p}:5"]
    assert rows["EP-1000000-A1"]["duplicate_sources"] == []


def test_dedupe_across_files(tmp_path):
    a = _write(tmp_path, "a.csv", LENS_HEADER + "1,US 9123456 B2,T,ACME,,01/02/16,2016,\n")
    b = _write(tmp_path, "b.csv", LENS_HEADER + "9,US 2017/0358105 A1,U,X,,,2017,\n2,US 9123456 B2,,OTHER,,,2016,3\n")
    c = patentnav.read(a, b)
    assert (c.report.rows_read, c.report.kept, c.report.merged) == (3, 2, 1)
    row = c.filter(publication_number="US-9123456-B2").table.to_pylist()[0]
    assert row["applicants"] == ["ACME", "OTHER"]
    assert row["forward_citations"] == 3
    assert row["duplicate_sources"] == [f"{b}:3"]
    assert [(f["kept"], f["merged"]) for f in c.report.per_file] == [(1, 0), (1, 1)]
    c.report.check()
    # nothing merged: every file keeps its rows (no hash pass for the per-file counts)
    d = patentnav.read(b, _write(tmp_path, "d.csv", LENS_HEADER + "5,EP 1000000 A1,V,Y,,,2016,\n"))
    assert [(f["kept"], f["merged"]) for f in d.report.per_file] == [(2, 0), (1, 0)]
    d.report.check()


def test_corpus_concat_deduplicates():
    t = Corpus(pa.table({"publication_number": ["US-1-B2", "US-2-B2"], "applicants": [["A"], ["B"]],
                         "source_file": ["x", "x"], "source_row": pa.array([2, 3], pa.int64())}))
    u = Corpus(pa.table({"publication_number": ["US-2-B2", "US-3-B2"], "applicants": [["C", "B"], ["D"]],
                         "title": ["t2", "t3"], "source_file": ["y", "y"], "source_row": pa.array([2, 3], pa.int64())}))
    v = Corpus.concat([t, u])
    assert v.table.column("publication_number").to_pylist() == ["US-1-B2", "US-2-B2", "US-3-B2"]
    assert v.table.column("applicants").to_pylist() == [["A"], ["B", "C"], ["D"]]
    assert v.table.column("title").to_pylist() == [None, "t2", "t3"]
    assert v.table.column("duplicate_sources").to_pylist() == [[], ["y:2"], []]
    assert len(t + u) == 3
    assert len(Corpus.concat([t, u], deduplicate=False)) == 4
    assert len(Corpus.concat([])) == 0


def test_duplicate_sources_never_null_for_in_memory_rows():
    t = Corpus(pa.table({"publication_number": ["US-1-B2"]}))
    merged = Corpus.concat([t, t])
    assert None not in merged.table.column("duplicate_sources").to_pylist()[0]


def test_drones_has_no_duplicates(drones):
    assert drones.report.rows_read == len(drones) == 9071
    assert drones.report.merged == 0
    assert pc.count_distinct(drones.table["publication_number"]).as_py() == 9071
    doubled = Corpus.concat([drones, drones])
    assert len(doubled) == 9071
    assert all(len(s) == 1 for s in doubled.table.column("duplicate_sources").to_pylist())


# --- round trips ---------------------------------------------------------------------------


def _rich_corpus() -> Corpus:
    names = ["publication_number", "legal_events", "priority_dates", "filing_date", "claims_count", "applicants", "title"]
    t = pa.table({
        "publication_number": ["US-1-B2", "EP-2-A1", "WO-2016123456-A1"],
        "legal_events": [[{"date": dt.date(2016, 1, 1), "code": "A", "description": "x"},
                          {"date": None, "code": None, "description": None}], [], []],
        "priority_dates": [[dt.date(2015, 1, 1), None], [], [dt.date(2014, 5, 6)]],
        "filing_date": [dt.date(2015, 1, 1), None, dt.date(2015, 5, 6)],
        "claims_count": [3, None, 20],
        "applicants": [["a", "b"], [], ["深圳市大疆创新科技有限公司"]],
        "title": ["x", None, "无人机"],
    }, schema=pa.schema([SCHEMA.field(n) for n in names]))
    return Corpus(t)


@pytest.mark.parametrize("make", ["rich", "drones"])
def test_pandas_round_trip(make, drones):
    c = _rich_corpus() if make == "rich" else drones
    df = c.to_pandas()
    assert isinstance(df, pd.DataFrame) and list(df.columns) == SCHEMA.names
    assert isinstance(df["applicants"].iloc[0], list)
    back = Corpus.from_pandas(df)
    assert back.table.equals(c.table)


@pytest.mark.parametrize("make", ["rich", "drones"])
def test_parquet_round_trip(make, drones, tmp_path):
    c = _rich_corpus() if make == "rich" else drones
    p = tmp_path / "c.parquet"
    c.to_parquet(p)
    assert Corpus.from_parquet(p).table.equals(c.table)
    via_read = patentnav.read(p)
    assert via_read.table.equals(c.table)
    assert via_read.report.rows_read == via_read.report.kept == len(c)


def test_empty_corpus():
    e = Corpus()
    assert len(e) == 0 and e.columns == SCHEMA.names
    assert len(e.to_pandas()) == 0
    assert len(e.filter(jurisdiction="US")) == 0


def test_empty_corpus_pandas_round_trip():
    e = Corpus()
    assert Corpus.from_pandas(e.to_pandas()).table.equals(e.table)


# --- filters ---------------------------------------------------------------------------------


_ROWS: dict[int, list[dict]] = {}


def _expected(c: Corpus, pred) -> int:
    """Rows matching a plain-Python predicate (the reference the filters are checked against)."""
    if id(c) not in _ROWS:
        _ROWS[id(c)] = c.table.select(["publication_date", "jurisdiction", "document_type", "applicants", "ipc", "cpc"]).to_pylist()
    return sum(1 for row in _ROWS[id(c)] if pred(row))


def test_filter_scalar_list_and_ranges(drones):
    c = drones
    assert len(c.filter(jurisdiction="US")) == 6073
    assert len(c.filter(jurisdiction=["US", "EP"])) == 6073 + 167
    assert len(c.filter(jurisdiction={"AU"})) == 328
    year = lambda r: r["publication_date"].year if r["publication_date"] else None  # noqa: E731
    assert len(c.filter(publication_year=2016)) == _expected(c, lambda r: year(r) == 2016)
    assert len(c.filter(publication_year=(2015, 2016))) == _expected(c, lambda r: year(r) in (2015, 2016))
    assert len(c.filter(publication_year=(None, 1999))) == _expected(c, lambda r: year(r) is not None and year(r) <= 1999)
    assert len(c.filter(publication_date=("2016-01-01", "2016-12-31"))) == len(c.filter(publication_year=2016))
    assert len(c.filter(publication_date=(dt.date(2016, 1, 1), None))) == _expected(c, lambda r: year(r) is not None and year(r) >= 2016)
    assert len(c.filter(document_type="granted_patent")) == 2125
    assert len(c.filter(jurisdiction="US", document_type="granted_patent")) == _expected(
        c, lambda r: r["jurisdiction"] == "US" and r["document_type"] == "granted_patent")
    assert len(c.filter(jurisdiction=lambda col: pc.equal(col, "EP"))) == 167
    assert len(c.filter(publication_year=lambda y: pc.greater(y, 2015).fill_null(False))) == _expected(
        c, lambda r: year(r) is not None and year(r) > 2015)


def test_filter_list_contains_and_ipc_prefix(drones):
    c = drones
    name = c.table["applicants"][0].as_py()[0]
    assert len(c.filter(applicants=name)) == _expected(c, lambda r: name in r["applicants"])
    assert len(c.filter(ipc="B64C")) == _expected(c, lambda r: any(x.startswith("B64C") for x in r["ipc"]))
    assert len(c.filter(ipc="B64C*")) == len(c.filter(ipc="B64C"))
    assert len(c.filter(ipc="B64")) == _expected(c, lambda r: any(x.startswith("B64") for x in r["ipc"]))
    assert len(c.filter(ipc="B64C39/02")) == _expected(c, lambda r: any(x.startswith("B64C39/02") for x in r["ipc"]))
    assert len(c.filter(ipc="B64C 39/02")) == len(c.filter(ipc="B64C39/02"))
    assert len(c.filter(ipc="B64C39")) == _expected(c, lambda r: any(x.startswith("B64C39/") for x in r["ipc"]))
    assert len(c.filter(ipc=["B64C", "G05D"])) == _expected(
        c, lambda r: any(x.startswith(("B64C", "G05D")) for x in r["ipc"]))
    assert len(c.filter(cpc="B64C2201")) == _expected(c, lambda r: any(x.startswith("B64C2201/") for x in r["cpc"]))
    both = c.filter(ipc="B64C", jurisdiction="US")
    assert len(both) == _expected(c, lambda r: r["jurisdiction"] == "US" and any(x.startswith("B64C") for x in r["ipc"]))


def test_filter_mask_and_errors(drones):
    c = drones
    mask = pc.equal(c.table["jurisdiction"], "WO")
    assert len(c.filter(mask)) == 2503
    assert len(c.filter(mask.to_numpy(zero_copy_only=False))) == 2503
    assert c.filter(jurisdiction="US").report is c.report
    with pytest.raises(KeyError):
        c.filter(no_such_column=1)
