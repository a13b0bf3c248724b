"""The Lens.org reader on the real bundled export, with exact expected counts."""

import datetime as dt
import gzip

import pyarrow.compute as pc
import pytest

import patentnav
from patentnav.io import detect_format
from patentnav.io.lens import read_lens


def test_counts_match_the_published_sample(drones):
    assert len(drones) == 9071
    rep = drones.report
    assert (rep.rows_read, rep.kept, rep.merged, rep.n_rejected) == (9071, 9071, 0, 0)
    assert rep.rows_read == rep.kept + rep.merged + rep.n_rejected
    assert len(drones.filter(jurisdiction="US")) == 6073
    assert len(drones.filter(jurisdiction="WO")) == 2503
    assert len(drones.filter(jurisdiction="AU")) == 328
    assert len(drones.filter(jurisdiction="EP")) == 167
    assert len(drones.filter(document_type="granted_patent")) == 2125


def test_years_span_1948_to_2017(drones):
    years = pc.year(drones["publication_date"])
    assert pc.min(years).as_py() == 1948 and pc.max(years).as_py() == 2017
    assert drones["publication_date"].null_count == 0


def test_first_record_field_by_field(drones):
    row = drones.filter(publication_number="AU-2016219013-A1").table.to_pylist()[0]
    assert row["source_id"] == "056-511-251-084-461"
    assert row["title"] == "Monitoring Ground-engaging Products For Earth Working Equipment"
    assert row["applicants"] == ["ESCO CORP"]
    assert row["inventors"][:2] == ["CARPENTER CHRISTOPHER M", "ZUENDEL KARSTEN D"]
    assert row["publication_date"] == dt.date(2017, 10, 5)
    assert row["filing_date"] == dt.date(2016, 2, 12)
    assert row["priority_numbers"][0] == "US201562116216"
    assert row["earliest_priority_date"] == dt.date(2015, 2, 13)
    assert row["ipc"] == ["E02F3/00", "E02F9/26", "G08B23/00"]
    assert row["cpc"][:3] == ["E02F9/26", "B64C39/024", "B64C2201/123"]
    assert row["family_size"] == 30 and row["forward_citations"] == 0
    assert row["document_type"] == "application" and row["grant_date"] is None
    assert row["source_row"] == 2


def test_granted_us_patent_has_grant_date(drones):
    row = drones.filter(publication_number="US-6500613-B1").table.to_pylist()[0]
    assert row["document_type"] == "granted_patent"
    # the export writes 31/12/03 with publication_year 2002 (late-December quirk): the year column wins
    assert row["publication_date"] == dt.date(2002, 12, 31) == row["grant_date"]


def test_late_december_quirk_is_reported_not_hidden(drones):
    w = [i for i in drones.report.warnings if i.field == "publication_date"]
    assert len(w) == 46
    assert w[0].line == 252 and w[0].value == "30/12/16"


def test_corrected_publication_number_with_date_suffix(drones):
    # 'EP 2135119 B8 20161012' in the export
    assert len(drones.filter(publication_number="EP-2135119-B8")) == 1


def test_detection_is_by_content(tmp_path, drones):
    p = tmp_path / "whatever.txt"
    p.write_bytes(gzip.decompress(patentnav.datasets.path("drones").read_bytes()))
    assert detect_format(p) == "lens"


def test_current_lens_headers(tmp_path):
    p = tmp_path / "lens-current.csv"
    p.write_text(
        "#,Jurisdiction,Kind,Display Key,Lens ID,Publication Date,Publication Year,Application Number,"
        "Application Date,Priority Numbers,Earliest Priority Date,Title,Abstract,Applicants,Inventors,Owners,URL,"
        "Document Type,Has Full Text,Cites Patent Count,Cited by Patent Count,Simple Family Size,"
        "Extended Family Size,Sequence Count,CPC Classifications,IPCR Classifications,US Classifications,"
        "NPL Citation Count,NPL Resolved Citation Count,NPL Resolved Lens ID(s),NPL Resolved External ID(s),NPL Citations\n"
        '1,CN,A,CN 106184786 A,010-528-215-906-727,2016-12-07,2016,CN 201610585474 A,2016-07-22,'
        'CN 201610585474 A 20160722,2016-07-22,一种无人机,"An unmanned aerial vehicle, with a gimbal",'
        "SZ DJI TECHNOLOGY CO LTD;;DJI OSMO,WANG TAO,,https://lens.org/010-528-215-906-727,Patent Application,"
        "true,3,12,4,9,0,B64C39/024;;B64C2201/127,B64C39/02;;G03B15/00,,0,0,,,\n",
        encoding="utf-8",
    )
    table, rep = read_lens(p)
    row = table.to_pylist()[0]
    assert row["publication_number"] == "CN-106184786-A"
    assert row["publication_date"] == dt.date(2016, 12, 7)
    assert row["abstract"] == "An unmanned aerial vehicle, with a gimbal"
    assert row["applicants"] == ["SZ DJI TECHNOLOGY CO LTD", "DJI OSMO"]
    assert row["forward_citations"] == 12 and row["family_size"] == 4 and row["extended_family_size"] == 9
    assert row["ipc"] == ["B64C39/02", "G03B15/00"]
    assert rep.rows_read == 1 and rep.kept == 1


def test_bad_rows_are_rejected_with_line_and_field(tmp_path):
    src = gzip.decompress(patentnav.datasets.path("drones").read_bytes()).decode("utf-8").splitlines()
    lines = src[:6]
    lines[2] = lines[2].replace("AU 2015/388807 A1", "not a number", 1)  # line 3
    lines[4] = lines[4] + ",extra"  # line 5: wrong field count
    lines[5] = lines[5].replace("02/03/17", "31/02/17", 1) if "02/03/17" in lines[5] else lines[5]
    p = tmp_path / "bad.csv"
    p.write_text("\n".join(lines) + "\n", encoding="utf-8")
    c = patentnav.read(p)
    rep = c.report
    assert rep.rows_read == 5
    assert rep.rows_read == rep.kept + rep.merged + rep.n_rejected
    by_line = {i.line: i for i in rep.rejected}
    assert by_line[3].field == "publication_number" and by_line[3].value == "not a number"
    assert by_line[5].field == "(record)" and "expected 24 fields" in by_line[5].reason
    with pytest.raises(patentnav.IngestError, match="line 3"):
        patentnav.read(p, strict=True)


def test_duplicates_are_merged_and_counted(tmp_path):
    src = gzip.decompress(patentnav.datasets.path("drones").read_bytes()).decode("utf-8").splitlines()
    p = tmp_path / "dup.csv"
    p.write_text("\n".join(src[:4] + [src[2]]) + "\n", encoding="utf-8")
    c = patentnav.read(p)
    assert (c.report.rows_read, c.report.kept, c.report.merged) == (4, 3, 1)
    row = c.filter(publication_number="AU-2015388807-A1").table.to_pylist()[0]
    assert row["duplicate_sources"] == [f"{p}:5"]
