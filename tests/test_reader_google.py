"""Google Patents search-result CSV ("Download (CSV)")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from patentnav.io import IngestError, detect_format, read
from patentnav.io.google import _sniff, looks_like_google, read_google, split_names
from patentnav.io.registry import read_head

GP = Path(__file__).parent / "data" / "google" / "gp-search-uav.csv"
HEADER = "id,title,assignee,inventor/author,priority date,filing/creation date,publication date,grant date,result link,representative figure link"
D = dt.date


def sniff(path: Path) -> bool:
    head, text = read_head(path)
    return _sniff(path, head, text)


def by_pub(table):
    return {r["publication_number"]: r for r in table.to_pylist()}


@pytest.mark.parametrize(
    "cell, names",
    [
        ("Wei Zhang, Na Li, Qiang Wang", ["Wei Zhang", "Na Li", "Qiang Wang"]),
        ("SZ DJI Technology Co., Ltd.", ["SZ DJI Technology Co., Ltd."]),
        ("Apple, Inc.", ["Apple, Inc."]),
        ("Apple, Inc., Alphabet Inc.", ["Apple, Inc.", "Alphabet Inc."]),
        ("Huawei Technologies Co., Ltd., SZ DJI Technology Co., Ltd.", ["Huawei Technologies Co., Ltd.", "SZ DJI Technology Co., Ltd."]),
        ("Foo, Co., Ltd., Bar GmbH", ["Foo, Co., Ltd.", "Bar GmbH"]),
        ("SAMSUNG ELECTRONICS CO., LTD.", ["SAMSUNG ELECTRONICS CO., LTD."]),
        ("Gang Chen, Jr., Tao Zhou", ["Gang Chen, Jr.", "Tao Zhou"]),
        ("Autel Robotics USA LLC, Wing Aviation, LLC", ["Autel Robotics USA LLC", "Wing Aviation, LLC"]),
        ("Coherent Inc, Corning Incorporated", ["Coherent Inc", "Corning Incorporated"]),  # "Co..." words are not "Co."
        ("张伟, 刘芳", ["张伟", "刘芳"]),
        ("", []),
        (None, []),
    ],
)
def test_split_names(cell, names):
    assert split_names([cell]).to_pylist() == [names]


def test_fixture_values():
    table, report = read_google(GP)
    assert (report.rows_read, report.kept, report.n_rejected) == (15, 15, 0)
    assert table["source_row"].to_pylist() == list(range(3, 18))  # search URL line 1, header line 2
    assert set(table["source_format"].to_pylist()) == {"google"}
    r = by_pub(table)

    cn = r["CN-114081026-A"]
    assert cn["title"] == "一种无人机巡检路径规划方法"
    assert cn["applicants"] == ["深圳市大疆创新科技有限公司"] and cn["inventors"] == ["张伟", "刘芳"]
    assert cn["priority_dates"] == [D(2021, 11, 8)] and cn["earliest_priority_date"] == D(2021, 11, 8)
    assert cn["filing_date"] == D(2021, 11, 8) and cn["publication_date"] == D(2022, 2, 22)
    assert cn["grant_date"] is None and cn["document_type"] == "application"
    assert cn["source_id"] == "CN-114081026-A" and cn["jurisdiction"] == "CN" and cn["kind"] == "A"

    us = r["US-9123456-B2"]
    assert us["title"] == "Systems and methods for UAV obstacle avoidance, including depth sensing"
    assert us["applicants"] == ["SZ DJI Technology Co., Ltd."]
    assert us["inventors"] == ["Wei Zhang", "Na Li", "Qiang Wang"]
    assert us["earliest_priority_date"] == D(2014, 12, 31) and us["filing_date"] == D(2015, 6, 30)
    assert us["grant_date"] == D(2015, 9, 1) and us["document_type"] == "granted_patent"

    pub = r["US-20170358105-A1"]
    assert pub["applicants"] == ["Autel Robotics USA LLC", "Shenzhen Autel Intelligent Aviation Technology Co., Ltd."]
    assert pub["inventors"] == ["Gang Chen, Jr.", "Tao Zhou"]
    assert pub["grant_date"] is None and pub["document_type"] == "application"

    assert r["EP-3123456-A1"]["document_type"] == "application" and r["EP-3123456-A1"]["grant_date"] is None
    assert r["EP-3123456-B1"]["grant_date"] == D(2019, 5, 8) and r["EP-3123456-B1"]["document_type"] == "granted_patent"
    wo = r["WO-2016123456-A1"]
    assert wo["title"] == "Method, device and system for communication in a UAV swarm"
    assert wo["applicants"] == ["Huawei Technologies Co., Ltd.", "SZ DJI Technology Co., Ltd."]
    assert wo["jurisdiction"] == "WO" and wo["document_type"] == "application"

    assert r["CN-212000000-U"]["document_type"] == "utility_model"
    assert r["US-D789123-S"]["document_type"] == "design" and r["US-D789123-S"]["applicants"] == ["Skydio, Inc."]
    assert r["US-10000000-B1"]["applicants"] == []  # empty assignee
    assert r["US-10000000-B1"]["inventors"] == ["John A. Smith"]
    assert r["US-11000000-B2"]["title"] == 'Drone "last-mile" delivery apparatus, system and method'
    assert r["US-11000000-B2"]["inventors"] == ["Maria Garcia", "Peter Müller"]
    assert r["JP-2019001234-A"]["inventors"] == ["河野 雅一", "市原 和雄"]
    assert r["KR-102000000-B1"]["applicants"] == ["Samsung Electronics Co., Ltd."]
    assert r["DE-102016000001-A1"]["title"] == "Unbemanntes Luftfahrzeug mit Hinderniserkennung, Verfahren und System"
    last = r["US-20200001234-A1"]
    assert last["applicants"] == ["Apple, Inc.", "Alphabet Inc."]
    assert last["publication_date"] is None  # 2019-02-30


def test_fixture_report_and_strict():
    _, report = read_google(GP)
    assert [(i.line, i.field, i.reason, i.value) for i in report.warnings] == [
        (17, "publication date", "not a date; dropped", "2019-02-30"),
    ]
    with pytest.raises(IngestError) as e:
        read_google(GP, strict=True)
    assert e.value.issue.line == 17 and e.value.issue.field == "publication date"


def test_detect_and_read_through_registry():
    assert detect_format(GP) == "google"
    corpus = read(GP)
    corpus.report.check()
    assert corpus.report.formats == ["google"] and len(corpus) == 15


def test_without_search_url_line_with_bom_and_problems(tmp_path):
    p = tmp_path / "export.csv"
    p.write_bytes(
        b"\xef\xbb\xbf"
        + (
            HEADER + ",notes\n"
            "CN-105700000-B,Landing gear,\"SZ DJI Technology Co., Ltd.\",Ming Sun,2016-02-01,2016-02-01,2018-06-19,2018-06-19,https://patents.google.com/patent/CN105700000B/en,,x\n"
            ",Untitled,Someone,,,,,,,,\n"
            "US-9123456-B2,too few fields\n"
            "NOT A NUMBER,Thing,,,,,2020-01-01,,,,\n"
        ).encode("utf-8")
    )
    assert sniff(p) and detect_format(p) == "google"
    t, rep = read_google(p)
    assert t["publication_number"].to_pylist() == ["CN-105700000-B"]
    assert t["source_row"].to_pylist() == [2]
    assert [(i.line, i.field, i.reason) for i in rep.rejected] == [
        (3, "id", "missing publication number"),
        (4, "(record)", "expected 11 fields as in the header, found 2"),
        (5, "id", "not a publication number"),
    ]
    assert [(i.line, i.field, i.reason) for i in rep.warnings] == [(1, "notes", "column not used")]
    assert rep.rows_read == 4 and rep.kept == 1
    with pytest.raises(IngestError) as e:
        read_google(p, strict=True)
    assert e.value.issue.line == 3


def test_sniff(tmp_path):
    assert looks_like_google(HEADER.split(","))
    assert not looks_like_google(["id", "title", "assignee"])
    a = tmp_path / "a.csv"
    a.write_text('"search URL:","https://patents.google.com/?q=drone"\n' + HEADER + "\n", encoding="utf-8")
    assert sniff(a)
    lens = tmp_path / "lens.csv"
    lens.write_text("Lens ID,Publication Number,Title\n001-002,US 9123456 B2,Drone\n", encoding="utf-8")
    cn = tmp_path / "cn.csv"
    cn.write_text("公开号,标题\nCN114081026A,无人机\n", encoding="utf-8")
    assert not sniff(lens) and not sniff(cn)
    assert detect_format(cn) == "cn_export"


def test_not_a_google_export(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("search URL:,https://patents.google.com/?q=x\ntitle,assignee\nA,B\n", encoding="utf-8")
    with pytest.raises(IngestError, match="no 'id' column"):
        read_google(p)
