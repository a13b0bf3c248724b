"""The PatentsView bulk-table reader on hand-made tables in the real g_ layout
(tests/data/patentsview/README.md lists what each file holds on purpose)."""

import bz2
import csv
import datetime as dt
import gzip
import shutil
import zipfile

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import patentnav
from patentnav.io import IngestError, detect_format
from patentnav.io.patentsview import find_tables, read_patentsview

from conftest import DATA

PV = DATA / "patentsview"
TABLES = sorted(p.name for p in PV.glob("g_*.tsv"))


@pytest.fixture(scope="module")
def pv():
    table, report = read_patentsview(PV)
    rows = {r["source_id"]: r for r in table.to_pylist()}
    return table, report, rows


def _copy(tmp_path, name="pv"):
    d = tmp_path / name
    shutil.copytree(PV, d)
    (d / "README.md").unlink()
    return d


def _rows(path, **kw):
    table, report = read_patentsview(path, **kw)
    return [{k: v for k, v in r.items() if k != "source_file"} for r in table.to_pylist()], report


def _read_tsv(path):
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.reader(f, delimiter="\t"))


def _write_tsv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter="\t", quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)


# --- the join, value by value ------------------------------------------------------------

def test_utility_patent_joined_from_every_table(pv):
    r = pv[2]["10000000"]
    assert r["publication_number"] == "US-10000000-B2"
    assert (r["jurisdiction"], r["doc_number"], r["kind"], r["document_type"]) == ("US", "10000000", "B2", "granted_patent")
    assert r["title"] == "Coherent LADAR using intra-pixel quadrature detection"
    assert r["abstract"].startswith("A frequency modulated (coherent) laser")
    assert "circuit.\nEach pixel" in r["abstract"]  # the embedded newline survives
    assert r["publication_date"] == r["grant_date"] == dt.date(2018, 6, 19)
    assert r["application_number"] == "15/226452"
    assert r["filing_date"] == r["earliest_priority_date"] == dt.date(2015, 3, 10)
    assert r["claims_count"] == 20
    assert r["cpc"] == ["G01S17/89", "G01S7/4817", "G01S17/32"]  # by cpc_sequence, not file order
    assert r["ipc"] == ["G01S17/89", "G01S7/481"] and r["ipc_main"] == "G01S17/89"
    assert r["applicants"] == ["Raytheon Company"]
    assert r["applicant_countries"] == ["US"]
    assert r["applicant_addresses"] == ["Waltham, MA, US"]
    assert r["inventors"] == ["Joseph Marron"]
    assert r["cited_publications"] == []
    # cited by 10000001, 10500000, 10500001, 11000000; not by the orphan row of 10999999
    assert r["forward_citations"] == 4
    assert r["legal_status"] is None
    assert (r["source_format"], r["source_row"]) == ("patentsview", 2)
    assert r["source_file"] == str(PV / "g_patent.tsv")


def test_citations_in_sequence_order_with_kinds(pv):
    r = pv[2]["10500000"]
    assert r["cited_publications"] == ["US-10000000-B2", "US-9999999-B2", "US-4000000-A", "US-D800000-S1", "US-5123456-A"]
    assert r["forward_citations"] == 1  # by 11000000
    assert pv[2]["4000000"]["forward_citations"] == 2
    assert pv[2]["11000000"]["cited_publications"] == ["US-10500000-B2", "US-10000000-B2", "US-RE49000-E"]
    assert pv[2]["11000000"]["forward_citations"] == 0


def test_design_reissue_plant_and_old_patents(pv):
    d = pv[2]["D800000"]
    assert (d["publication_number"], d["document_type"], d["kind"]) == ("US-D800000-S1", "design", "S1")
    assert d["grant_date"] == dt.date(2017, 10, 24)  # designs are granted too
    assert d["abstract"] is None and d["forward_citations"] == 1
    assert d["applicants"] == ["Fitbit, Inc."] and d["applicant_addresses"] == ["San Jose, CA, US"]
    re_ = pv[2]["RE49000"]
    assert (re_["publication_number"], re_["document_type"]) == ("US-RE49000-E", "granted_patent")
    assert re_["priority_numbers"] == ["KR1020150012345"] and re_["priority_countries"] == ["KR"]
    assert re_["priority_dates"] == [dt.date(2015, 1, 26)] and re_["earliest_priority_date"] == dt.date(2015, 1, 26)
    pp = pv[2]["PP30000"]
    assert (pp["publication_number"], pp["document_type"]) == ("US-PP30000-P3", "plant_patent")
    old = pv[2]["4000000"]
    assert (old["publication_number"], old["document_type"], old["filing_date"]) == ("US-4000000-A", "granted_patent", dt.date(1974, 7, 17))


def test_assignees_individuals_and_missing(pv):
    rows = pv[2]
    assert rows["10000001"]["applicants"] == ["Alpha Molding Inc.", "Nissei Plastic Industrial Co., Ltd."]  # by sequence
    assert rows["10000001"]["applicant_countries"] == ["US", "JP"]
    assert rows["10000001"]["applicant_addresses"] == ["San Jose, CA, US", "Tokyo, JP"]
    assert rows["10000001"]["inventors"] == ["Hiroshi Sato", "Kazuki Tanaka"]
    assert rows["10000003"]["applicants"] == ["Jane Doe"]  # an individual assignee
    assert rows["10000004"]["applicants"] == ["Robert Bosch GmbH", "Hans Müller"]
    assert rows["10000004"]["applicant_addresses"] == ["Munich, DE", "Munich, DE"]
    for pid in ("10000002", "D800001", "10500002", "11000002", "4000000"):
        assert rows[pid]["applicants"] == [] and rows[pid]["applicant_countries"] == []
    # location_id not in the location table: the name is kept, no country or address
    assert rows["9999999"]["applicants"] == ["Sealtech Inc."] and rows["9999999"]["applicant_addresses"] == [None]  # aligned with applicants: no location known


def test_foreign_priorities_in_sequence_order(pv):
    r = pv[2]["10000004"]
    assert r["priority_numbers"] == ["DE1020162050021", "DE1020162170015"]
    assert r["priority_countries"] == ["DE", "DE"]
    assert r["priority_dates"] == [dt.date(2016, 3, 24), dt.date(2016, 9, 7)]
    assert r["earliest_priority_date"] == dt.date(2016, 3, 24)
    assert pv[2]["10000001"]["priority_numbers"] == ["JP2014250012"]


def test_withdrawn_patent_kept_with_status(pv):
    r = pv[2]["10000005"]
    assert r["legal_status"] == "withdrawn"
    assert sum(1 for x in pv[2].values() if x["legal_status"] == "withdrawn") == 1


def test_quoted_title(pv):
    assert pv[2]["10500002"]["title"] == 'Display of "smart" notifications'


# --- accounting, lines, issues ----------------------------------------------------------

def test_every_row_accounted_for(pv):
    table, rep, _ = pv
    assert (rep.rows_read, rep.kept, rep.merged, rep.n_rejected) == (20, 19, 0, 1)
    assert rep.rows_read == rep.kept + rep.merged + rep.n_rejected
    assert table.num_rows == 19
    assert rep.files[0] == str(PV / "g_patent.tsv") and len(rep.files) == 12 and set(rep.formats) == {"patentsview"}


def test_line_numbers_count_newlines_inside_quoted_fields(pv):
    lines = {pid: r["source_row"] for pid, r in pv[2].items()}
    assert lines["10000000"] == 2  # spans lines 2-3
    assert lines["10000001"] == 4
    assert lines["10500000"] == 15  # after the rejected record at line 14
    assert lines["11000000"] == 18  # spans 18-21 (three CRLF inside the abstract)
    assert lines["11000001"] == 22
    assert lines["4000000"] == 25  # last line of the file
    assert len((PV / "g_patent.tsv").read_bytes().splitlines()) == 25


def test_rejected_and_warned_rows_name_file_line_field(pv):
    rep = pv[1]
    (rej,) = rep.rejected
    assert (rej.file, rej.line, rej.field, rej.reason) == (str(PV / "g_patent.tsv"), 14, "patent_id", "missing publication number")
    bad_date = [w for w in rep.warnings if w.field == "patent_date"]
    assert len(bad_date) == 1  # once, although the date feeds publication and grant date
    assert (bad_date[0].line, bad_date[0].value) == (9, "2018-06-31")
    assert pv[2]["10000006"]["publication_date"] is None and pv[2]["10000006"]["title"] == "Apparatus for drying grain"


def test_orphan_child_rows_summarised_in_one_warning(pv):
    rep = pv[1]
    orphan = [w for w in rep.warnings if w.file.endswith("g_us_patent_citation.tsv")]
    assert len(orphan) == 1
    w = orphan[0]
    assert (w.line, w.field, w.value) == (11, "patent_id", "10999999")
    assert w.reason.startswith("1 orphan row(s): patent_id not in g_patent, not joined")
    assert len(rep.warnings) == 2  # the bad date and the orphan summary


def test_many_orphans_give_one_issue_with_count_and_first_line(tmp_path):
    d = _copy(tmp_path)
    rows = _read_tsv(d / "g_cpc_current.tsv")
    rows += [[f"88{i:06d}", "0", "H", "H04", "H04W", "H04W4/80", "inventional"] for i in range(500)]
    _write_tsv(d / "g_cpc_current.tsv", rows)
    _, rep = read_patentsview(d)
    (w,) = [w for w in rep.warnings if w.file.endswith("g_cpc_current.tsv")]
    assert w.reason.startswith("500 orphan row(s)") and w.line == 22 and w.value == "88000000"


# --- containers and detection ---------------------------------------------------------------

def test_zip_gz_bz2_tables_read_like_plain_tsv(tmp_path, pv):
    d = _copy(tmp_path)
    with zipfile.ZipFile(d / "g_patent.tsv.zip", "w", zipfile.ZIP_DEFLATED) as z:
        z.write(d / "g_patent.tsv", "g_patent.tsv")
    (d / "g_patent.tsv").unlink()
    for name in ("g_us_patent_citation", "g_cpc_current"):
        (d / f"{name}.tsv.gz").write_bytes(gzip.compress((d / f"{name}.tsv").read_bytes()))
        (d / f"{name}.tsv").unlink()
    (d / "g_assignee_disambiguated.tsv.bz2").write_bytes(bz2.compress((d / "g_assignee_disambiguated.tsv").read_bytes()))
    (d / "g_assignee_disambiguated.tsv").unlink()
    assert find_tables(d)["patent"].name == "g_patent.tsv.zip"
    got, rep = _rows(d)
    want, _ = _rows(PV)
    assert got == want
    assert rep.rejected[0].file.endswith("g_patent.tsv.zip") and rep.rejected[0].line == 14
    assert detect_format(d) == "patentsview"
    assert detect_format(d / "g_patent.tsv.zip") == "patentsview"
    c = patentnav.read(d / "g_patent.tsv.zip")
    assert len(c) == 19


def test_extracted_folder_layout(tmp_path):
    """Some unzip tools extract g_patent.tsv.zip into a folder g_patent.tsv/g_patent.tsv."""
    d = _copy(tmp_path)
    for name in ("g_patent", "g_cpc_current"):
        (d / f"{name}.tmp").mkdir()
        (d / f"{name}.tsv").rename(d / f"{name}.tmp" / f"{name}.tsv")
        (d / f"{name}.tmp").rename(d / f"{name}.tsv")
    t, rep = read_patentsview(d)
    assert t.num_rows == 19 and rep.files[0].endswith("g_patent.tsv/g_patent.tsv")
    assert any(f.endswith("g_cpc_current.tsv/g_cpc_current.tsv") for f in rep.files)


def test_detects_directory_and_g_patent_file_only():
    assert detect_format(PV) == "patentsview"
    assert detect_format(PV / "g_patent.tsv") == "patentsview"
    with pytest.raises(IngestError, match="not a recognised patent export"):
        detect_format(PV / "g_cpc_current.tsv")


def test_directory_without_g_patent_is_not_patentsview(tmp_path):
    d = _copy(tmp_path)
    (d / "g_patent.tsv").unlink()
    with pytest.raises(IngestError):
        detect_format(d)
    with pytest.raises(IngestError, match="no g_patent table"):
        read_patentsview(d)


def test_g_patent_file_path_reads_sibling_tables(pv):
    got, rep = _rows(PV / "g_patent.tsv")
    want, _ = _rows(PV)
    assert got == want and len(rep.files) == 12


def test_patentnav_read_directory():
    c = patentnav.read(PV)
    assert len(c) == 19
    rep = c.report
    assert (rep.rows_read, rep.kept, rep.merged, rep.n_rejected) == (20, 19, 0, 1)
    rep.check()
    assert c.filter(publication_number="US-RE49000-E").table["applicants"].to_pylist() == [["Samsung Electronics Co., Ltd."]]
    assert c.report.per_file[0]["format"] == "patentsview"


# --- strict mode ------------------------------------------------------------------------------

def test_strict_raises_on_first_bad_row_in_line_order():
    with pytest.raises(IngestError) as e:
        read_patentsview(PV, strict=True)
    assert e.value.issue.line == 9 and e.value.issue.field == "patent_date"
    with pytest.raises(IngestError):
        patentnav.read(PV, strict=True)


def test_strict_raises_on_orphans_when_g_patent_is_clean(tmp_path):
    d = _copy(tmp_path)
    rows = _read_tsv(d / "g_patent.tsv")
    rows = [r[:2] + ["2018-06-19"] + r[3:] if r[2] == "2018-06-31" else r for r in rows if r[0] != ""]
    _write_tsv(d / "g_patent.tsv", rows)
    with pytest.raises(IngestError) as e:
        read_patentsview(d, strict=True)
    assert e.value.issue.file.endswith("g_us_patent_citation.tsv") and e.value.issue.line == 11
    rows_cit = [r for r in _read_tsv(d / "g_us_patent_citation.tsv") if r[0] != "10999999"]
    _write_tsv(d / "g_us_patent_citation.tsv", rows_cit)
    t, rep = read_patentsview(d, strict=True)
    assert t.num_rows == 19 and not rep.warnings and not rep.rejected


# --- options ----------------------------------------------------------------------------------

def test_limit_reads_first_patents_only():
    t, rep = read_patentsview(PV, limit=3)
    assert t["source_id"].to_pylist() == ["10000000", "10000001", "10000002"]
    assert (rep.rows_read, rep.kept) == (3, 3)
    assert not rep.warnings  # rows of patents beyond the limit are not orphans
    # forward citations are counted within the loaded data
    assert t["forward_citations"].to_pylist() == [1, 0, 0]
    t, rep = read_patentsview(PV, limit=12)
    assert (rep.rows_read, rep.kept, rep.n_rejected) == (12, 11, 1)
    t, rep = read_patentsview(PV, limit=0)
    assert t.num_rows == 0 and rep.rows_read == 0


def test_skip_citations_and_choose_tables(pv):
    t, rep = read_patentsview(PV, include_citations=False)
    assert not any(f.endswith("g_us_patent_citation.tsv") for f in rep.files)
    assert t["forward_citations"].null_count == t.num_rows  # unknown, not zero
    assert all(x == [] for x in t["cited_publications"].to_pylist())
    assert t["cpc"].to_pylist() == pv[0]["cpc"].to_pylist()
    t, rep = read_patentsview(PV, tables=["g_cpc_current", "application"])
    assert len(rep.files) == 3
    r = {x["source_id"]: x for x in t.to_pylist()}["10000000"]
    assert r["cpc"][0] == "G01S17/89" and r["filing_date"] == dt.date(2015, 3, 10)
    assert r["applicants"] == [] and r["ipc"] == []
    with pytest.raises(IngestError, match="unknown PatentsView table"):
        read_patentsview(PV, tables=["g_examiner_not_disambiguated"])
    t, rep = read_patentsview(PV, tables=["g_claims"])  # every yearly g_claims_YYYY table
    assert len(rep.files) == 3 and t.filter(pc.is_valid(t["claims"])).num_rows == 2


def test_chunking_does_not_change_the_result():
    a, _ = _rows(PV)
    for cs in (1, 3, 7):
        b, rep = _rows(PV, chunk_size=cs, block_size=256)
        assert b == a, cs
        assert rep.rows_read == 20 and len(rep.warnings) == 2


# --- layouts and malformed input -------------------------------------------------------------

def test_current_layout_with_g_patent_abstract_table(tmp_path, pv):
    d = _copy(tmp_path)
    rows = _read_tsv(d / "g_patent.tsv")
    i = rows[0].index("patent_abstract")
    _write_tsv(d / "g_patent.tsv", [r[:i] + r[i + 1:] for r in rows])
    _write_tsv(d / "g_patent_abstract.tsv", [["patent_id", "patent_abstract"]] + [[r[0], r[i]] for r in rows[1:] if r[0] and r[i]])
    got, rep = _rows(d)
    want, _ = _rows(PV)
    assert got[0]["abstract"] == want[0]["abstract"]
    assert [r["abstract"] for r in got] == [r["abstract"] for r in want]
    assert [r["source_row"] for r in got] == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 16, 17, 18, 19, 20, 21]


def test_malformed_record_rejected_with_its_line_and_later_lines_stay_right(tmp_path):
    d = _copy(tmp_path)
    text = (d / "g_patent.tsv").read_text(encoding="utf-8")
    lines = text.split("\n")
    # after the two-line record of 10000000 (lines 2-3): a record with too few fields, spanning two lines
    lines.insert(3, '"10000099"\t"utility"\t"2018-06-19"\t"Broken\nrecord"')
    # and a blank line before 10500000
    (d / "g_patent.tsv").write_text("\n".join(lines[:15] + [""] + lines[15:]), encoding="utf-8")
    t, rep = read_patentsview(d)
    bad = [i for i in rep.rejected if i.field == "(record)"]
    assert len(bad) == 1 and bad[0].line == 4 and "found 4" in bad[0].reason and bad[0].value.startswith('"10000099"')
    rows = {r["source_id"]: r["source_row"] for r in t.to_pylist()}
    assert rows["10000001"] == 6 and rows["10500000"] == 18 and rows["4000000"] == 28
    assert rep.rows_read == 21 and rep.kept == 19 and rep.n_rejected == 2  # blank line not counted
    with pytest.raises(IngestError) as e:
        read_patentsview(d, strict=True)
    assert e.value.issue.line == 4


def test_crlf_file_gives_the_same_lines(tmp_path):
    d = _copy(tmp_path)
    raw = (d / "g_patent.tsv").read_bytes()
    (d / "g_patent.tsv").write_bytes(raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"))
    got, _ = _rows(d)
    want, _ = _rows(PV)
    assert [r["source_row"] for r in got] == [r["source_row"] for r in want]


def test_malformed_and_undecodable_child_rows_are_reported_not_fatal(tmp_path):
    d = _copy(tmp_path)
    p = d / "g_inventor_disambiguated.tsv"
    data = p.read_bytes().split(b"\n")
    data.insert(3, b'"10000002"\t"1"\t"broken')  # unterminated field spanning to the next record start
    data.insert(2, b'"10000000"\t"1"\t"x"\t"Bad\xff"\t"Byte"\t"M"\t""')
    p.write_bytes(b"\n".join(data))
    t, rep = read_patentsview(d)
    assert t.num_rows == 19
    inv = {w.field: w for w in rep.warnings if w.file.endswith("g_inventor_disambiguated.tsv")}
    assert inv["(record)"].line == 5 and inv["(record)"].reason.startswith("1 malformed record(s)")
    assert inv["disambig_inventor_name_first"].line == 3 and "UTF-8" in inv["disambig_inventor_name_first"].reason
    rows = {x["source_id"]: x for x in t.to_pylist()}
    assert rows["10000000"]["inventors"] == ["Joseph Marron", "Bad\ufffd Byte"]
    # the unterminated quote swallowed the next record (Hiroshi Sato): reported, not guessed
    assert rows["10000001"]["inventors"] == ["Kazuki Tanaka"]


def test_not_a_g_patent_table(tmp_path):
    d = tmp_path / "x"
    d.mkdir()
    (d / "g_patent.tsv").write_text("a\tb\n1\t2\n", encoding="utf-8")
    with pytest.raises(IngestError, match="not a PatentsView g_patent table"):
        read_patentsview(d)
    (d / "g_patent.tsv").write_text("", encoding="utf-8")
    with pytest.raises(IngestError):
        read_patentsview(d)


def test_header_only_tables(tmp_path):
    d = tmp_path / "x"
    d.mkdir()
    for name in ("g_patent", "g_us_patent_citation", "g_cpc_current"):
        shutil.copy(PV / f"{name}.tsv", d / f"{name}.tsv")
        (d / f"{name}.tsv").write_text((PV / f"{name}.tsv").read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    t, rep = read_patentsview(d)
    assert t.num_rows == 0 and rep.rows_read == 0 and t.schema == patentnav.SCHEMA
    assert isinstance(t, pa.Table)


def test_malformed_non_utf8_record_falls_back_to_python_parser(tmp_path, pv):
    """pyarrow cannot hand a non-UTF-8 malformed record to its invalid-row handler and gives
    up; the table is then read again with the csv module, lines and counts unchanged."""
    d = _copy(tmp_path)
    p = d / "g_patent.tsv"
    lines = p.read_bytes().split(b"\n")
    lines.insert(3, b'"10000099"\t"bad\xff"')
    p.write_bytes(b"\n".join(lines))
    c = d / "g_us_patent_citation.tsv"
    lines = c.read_bytes().split(b"\n")
    lines.insert(2, b'"10000001"\t"\xff"')
    c.write_bytes(b"\n".join(lines))
    t, rep = read_patentsview(d)
    assert (rep.rows_read, rep.kept, rep.n_rejected) == (21, 19, 2)
    assert [(i.line, i.field) for i in rep.rejected] == [(4, "(record)"), (15, "patent_id")]
    fallback = [w for w in rep.warnings if w.field == "(file)"]
    assert len(fallback) == 2 and all("Python csv parser" in w.reason for w in fallback)
    rows = {x["source_id"]: x for x in t.to_pylist()}
    assert rows["10000000"]["forward_citations"] == 4  # citation counts not doubled by the second pass
    assert rows["4000000"]["source_row"] == 26
    assert rows["10000001"]["cited_publications"] == ["US-10000000-B2", "US-4000000-A"]
    want = {r["source_id"]: r for r in pv[0].to_pylist()}
    for pid, r in rows.items():
        assert r["cpc"] == want[pid]["cpc"] and r["applicants"] == want[pid]["applicants"]
