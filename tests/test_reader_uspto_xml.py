"""USPTO grant full-text XML reader, on the 10 real weekly files in tests/data/uspto-grant-xml."""

from __future__ import annotations

import datetime as dt
import gzip
import re
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import patentnav
from patentnav.io import IngestError, detect_format
from patentnav.io.uspto_xml import _ipc_fixed, read_uspto_xml, split_documents

DATA = Path(__file__).parent / "data" / "uspto-grant-xml"

#: <us-patent-grant> documents per file (counted by eye with grep -c '<us-patent-grant'),
#: and the <sequence-cwu> sequence listings interleaved with them (skipped, not counted)
GRANTS = {
    "ipg050104.small.xml": 25,
    "ipg060103.small.xml": 25,
    "ipg070102.small.xml": 25,
    "ipg080101.small.xml": 25,
    "ipg090106.small.xml": 25,
    "ipg100105.small.xml": 25,
    "ipg110104.small.xml": 25,
    "ipg120103.small.xml": 25,
    "ipg120327.196.xml": 196,
    "ipg130416.small.xml": 25,
}
SEQUENCE_LISTINGS = {"ipg060103.small.xml": 2, "ipg070102.small.xml": 1, "ipg130416.small.xml": 2}


_ELAPSED: dict[str, float] = {}


@pytest.fixture(scope="module")
def real():
    """Every real file read once: name -> (table, report); the time taken is kept."""
    t0 = time.perf_counter()
    out = {name: read_uspto_xml(DATA / name) for name in GRANTS}
    _ELAPSED["all"] = time.perf_counter() - t0
    return out


def _row(table: pa.Table, pub: str) -> dict:
    t = table.filter(pc.equal(table["publication_number"], pub))
    assert t.num_rows == 1, pub
    return t.to_pylist()[0]


def _docs(name: str) -> tuple[bytes, list[tuple[int, int, int]]]:
    data = (DATA / name).read_bytes()
    return data, split_documents(data)


# --- counts and accounting --------------------------------------------------------------

def test_files_present():
    assert sorted(p.name for p in DATA.glob("ipg*.xml")) == sorted(GRANTS)


@pytest.mark.parametrize("name", sorted(GRANTS))
def test_document_counts_per_file(real, name):
    table, report = real[name]
    assert report.rows_read == GRANTS[name]
    assert table.num_rows == GRANTS[name]
    assert report.kept == GRANTS[name]
    assert report.rejected == []
    report.check()
    # every <?xml declaration is a document: grants plus sequence listings
    _, docs = _docs(name)
    assert len(docs) == GRANTS[name] + SEQUENCE_LISTINGS.get(name, 0)


def test_total_and_document_types(real):
    t = pa.concat_tables(t for t, _ in real.values())
    assert t.num_rows == 421
    assert sum(r.rows_read for _, r in real.values()) == 421
    assert len(pc.unique(t["publication_number"])) == 421
    kinds = dict(zip(*[c.to_pylist() for c in pc.value_counts(t["kind"]).flatten()]))
    assert kinds == {"B1": 30, "B2": 169, "S1": 220, "H1": 1, "P2": 1}
    types = dict(zip(*[c.to_pylist() for c in pc.value_counts(t["document_type"]).flatten()]))
    assert types == {"granted_patent": 199, "design": 220, "statutory_invention_registration": 1, "plant_patent": 1}
    # a statutory invention registration is published, not granted; every other document is granted
    assert t["grant_date"].null_count == 1
    assert _row(t, "US-H2140-H1")["grant_date"] is None
    assert _row(t, "US-PP18398-P2")["grant_date"] == dt.date(2008, 1, 1)
    assert set(t["source_format"].to_pylist()) == {"uspto_xml"}
    # no CPC in these 2005-2013 files (classifications-cpc arrives with DTD v4.4)
    assert pc.sum(pc.list_value_length(t["cpc"])).as_py() == 0
    # design patents carry Locarno, not IPC; all the others have IPC
    no_ipc = pc.equal(pc.list_value_length(t["ipc"]), 0)
    assert pc.all(pc.equal(t.filter(no_ipc)["kind"], "S1")).as_py()
    assert t.filter(no_ipc).num_rows == 220
    # 9170 <patcit> with a doc-number in the files (grep -c '<patcit'): each is kept or reported
    n_warned = sum(len(r.warnings) for _, r in real.values())
    assert pc.sum(pc.list_value_length(t["cited_publications"])).as_py() + n_warned == 9170
    assert pc.sum(pc.list_value_length(t["cited_npl"])).as_py() == 1225


#: the <patcit> values of these files that are no publication number as written
ODD_CITATIONS = {
    "WO PCT/US01/13682", "WO PCT/US01/30137",  # PCT application numbers
    "WO DM/074011", "WO DM/074012", "WO DM/074015", "WO DM/074016", "WO DM/074017",  # Hague designs
    "DE G8513103.2",  # a German utility-model application
    "JP EP1223083", "SE SU 518345 A",  # country and number disagree
    "WO W02004/067391 A2", "WO W02006/019324 A1",  # "W0" typed for "WO"
    "JP P2001-118988 A", "JP P2001-168205 A", "JP P2002-76111 A",  # Japanese "P" notation
}


def test_warnings_are_unreadable_citations_only(real):
    warnings = [w for _, r in real.values() for w in r.warnings]
    assert {w.field for w in warnings} == {"us-patent-grant/us-bibliographic-data-grant/references-cited/citation/patcit"}
    values = {w.value for w in warnings}
    assert values <= ODD_CITATIONS
    assert {"WO PCT/US01/13682", "WO PCT/US01/30137", "WO DM/074011"} <= values
    w = [w for w in real["ipg110104.small.xml"][1].warnings if w.value == "WO PCT/US01/13682"][0]
    assert w.line == 14865  # the <?xml line of the citing document, US 7,863,250 B2
    # the country repeated inside doc-number ("WO" + "WO/96/41640") is understood
    cited = pc.list_flatten(real["ipg060103.small.xml"][0]["cited_publications"]).to_pylist()
    assert "WO-1996041640" in cited
    # a kind written before the number (JP "A 2002-147320") is moved behind it
    cited = pc.list_flatten(real["ipg090106.small.xml"][0]["cited_publications"]).to_pylist()
    assert "JP-2002147320-A" in cited


def test_speed(real):
    assert _ELAPSED["all"] < 10  # 10 files, 19 MB, 421 grants: about 1.3-2 s


# --- three real patents, field by field ---------------------------------------------------

def test_2005_v40_utility_old_ipc(real):
    """US 6,838,526 B1: DTD v4.0, classification-ipc (IPC 7), references-cited, two assignees."""
    table, _ = real["ipg050104.small.xml"]
    r = _row(table, "US-6838526-B1")
    assert r["source_row"] == 9125
    assert r["source_id"] == "US06838526-20050104.XML"
    assert r["document_type"] == "granted_patent"
    assert r["title"] == "Modified conjugated diene polymer and method of producing the same and rubber composition"
    assert r["application_number"] == "US09709563"
    assert r["filing_date"] == dt.date(2000, 11, 13)
    assert r["publication_date"] == r["grant_date"] == dt.date(2005, 1, 4)
    assert r["applicants"] == ["JSR Corporation", "Bridgestone Corporation"]
    assert r["applicant_countries"] == ["JP", "JP"]
    assert r["applicant_addresses"] == ["Tokyo, JP", "Tokyo, JP"]
    assert r["inventors"] == ["Sone, Takuo", "Tanaka, Ryouji", "Tani, Kouichirou", "Hattori, Iwakazu",
                              "Akema, Hiroshi", "Nakayama, Atsushi"]
    assert r["ipc"] == ["C08F8/34"]  # <main-classification>C08F  834</main-classification>
    assert r["ipc_main"] == "C08F8/34"
    assert r["cpc"] == []
    assert r["priority_numbers"] == ["JP11322368", "JP2000217032"]
    assert r["priority_countries"] == ["JP", "JP"]
    assert r["priority_dates"] == [dt.date(1999, 11, 12), dt.date(2000, 7, 18)]
    assert r["earliest_priority_date"] == dt.date(1999, 11, 12)
    assert r["claims_count"] == 4
    assert r["claims"].startswith("1. A terminal-modified conjugated diene polymer obtained by modifying")
    assert [ln.split(".")[0] for ln in r["claims"].split("\n")] == ["1", "2", "3", "4"]
    assert r["abstract"].startswith("A novel modified conjugated diene polymer is obtained by polymerizing")
    assert len(r["cited_publications"]) == 17
    assert r["cited_publications"][:6] == ["US-4446281-A", "US-4513110-A", "US-4983685-A", "US-5292791-A",
                                           "US-5844050-A", "GB-964185"]
    assert len(r["cited_npl"]) == 4
    assert r["cited_npl"][3] == "XP000461268 \u201cFunctionalization of Elastomers By Reactive Mixing\u201d, No. 362, Jun. 1, 1994, pp. 308-312."


def test_2013_v43_utility_us_parties(real):
    """US 8,421,615 B2: DTD v4.3, classifications-ipcr, us-parties, us-references-cited."""
    table, _ = real["ipg130416.small.xml"]
    r = _row(table, "US-8421615-B2")
    assert r["source_row"] == 30195
    assert r["title"] == "Method and system for locating sensor node in sensor network using transmit power control"
    assert r["application_number"] == "US12270898"
    assert r["filing_date"] == dt.date(2008, 11, 14)
    assert r["publication_date"] == r["grant_date"] == dt.date(2013, 4, 16)
    assert r["applicants"] == ["Samsung Electronics Co., Ltd.", "Research and Business Foundation, Korea University"]
    assert r["applicant_countries"] == ["KR", "KR"]
    assert r["applicant_addresses"] == ["Samsung-ro, Yeongtong-gu, Suwon-si, Gyeonggi-do, KR",
                                        "Anam-Dong, Seongbuk-Gu, Seoul, KR"]
    assert r["inventors"] == ["Ryu, Jehyok", "Kim, Sun Gi", "Choi, Hyo Hyun", "An, Sun Shin", "Ahn, Sae Young", "Kim, Bum Jin"]
    assert r["ipc"] == ["G08B1/08"]
    assert r["cpc"] == []
    assert r["priority_numbers"] == ["KR1020070116815"]
    assert r["priority_dates"] == [dt.date(2007, 11, 15)]
    assert r["earliest_priority_date"] == dt.date(2007, 11, 15)
    assert r["claims_count"] == 22
    assert len(r["claims"].split("\n")) == 22
    assert r["claims"].split("\n")[21].startswith("22. ")
    assert len(r["cited_publications"]) == 10
    assert r["cited_publications"][1:3] == ["US-6894645-B1", "US-20030050077-A1"]
    assert r["cited_npl"] == []
    assert r["abstract"].startswith("A method and apparatus for a sensor network having a plurality of reference nodes")


def test_2012_design_patent(real):
    """US D656,301 S1: design patent (Locarno only, no abstract), assignee without address."""
    table, _ = real["ipg120327.196.xml"]
    r = _row(table, "US-D656301-S1")
    assert r["source_row"] == 4837
    assert (r["jurisdiction"], r["doc_number"], r["kind"]) == ("US", "D656301", "S1")
    assert r["document_type"] == "design"
    assert r["title"] == "Apparel sleeve ends"
    assert r["application_number"] == "US29371812"
    assert r["filing_date"] == r["earliest_priority_date"] == dt.date(2011, 10, 12)
    assert r["publication_date"] == r["grant_date"] == dt.date(2012, 3, 27)
    assert r["applicants"] == ["The Vermont Teddy Bear Company, Inc."]
    assert r["inventors"] == ["Randall, Michael Scott"]
    assert r["ipc"] == [] and r["ipc_main"] is None and r["cpc"] == []
    assert r["abstract"] is None
    assert r["claims"] == "1. The ornamental design for apparel sleeve ends, as shown and described."
    assert r["claims_count"] == 1
    assert r["cited_publications"] == ["US-D80258-S", "US-D80885-S", "US-D149395-S", "US-D150046-S", "US-D162553-S",
                                       "US-5308275-A", "US-D402441-S", "US-D588340-S", "US-D642769-S", "US-D642770-S"]


def test_countries_stay_aligned_with_applicants(real):
    t = pa.concat_tables(t for t, _ in real.values())
    n = pc.list_value_length(t["applicants"])
    assert pc.all(pc.equal(n, pc.list_value_length(t["applicant_countries"]))).as_py()
    assert pc.all(pc.equal(n, pc.list_value_length(t["applicant_addresses"]))).as_py()


def test_applicant_fallback_without_assignee(real):
    # v4.0: parties/applicants/applicant (applicant-inventor)
    r = _row(real["ipg050104.small.xml"][0], "US-6836899-B1")
    assert r["applicants"] == ["Glasmire, Samuel G."] == r["inventors"]
    assert r["applicant_countries"] == ["US"]
    assert r["applicant_addresses"] == ["Bath, PA, US"]
    assert r["ipc"] == ["A45F5/04"]  # "A45F  504"
    # v4.3: us-parties/us-applicants/us-applicant
    r = _row(real["ipg130416.small.xml"][0], "US-8419845-B2")
    assert r["applicants"] == ["Lin, Tony"] == r["inventors"]
    assert r["applicant_countries"] == ["TW"]
    assert r["applicant_addresses"] == ["Taichung, TW"]


def test_individual_assignee_and_reversed_roles(real):
    r = _row(real["ipg110104.small.xml"][0], "US-7863443-B2")
    assert r["applicants"] == ["Sumitomo Chemical Company, Limited", "Carreira, Erick M."]
    assert r["applicant_countries"] == ["JP", "CH"]
    assert r["applicant_addresses"] == ["Tokyo, JP", "Zurich, CH"]


def test_ipc_fixed_width_spelling():
    assert _ipc_fixed("A45F  504") == "A45F5/04"
    assert _ipc_fixed("H01L 21302") == "H01L21/302"
    assert _ipc_fixed("G06F 1300") == "G06F13/00"
    assert _ipc_fixed("H04L 29/06") == "H04L 29/06"  # already slashed: left to build_table


# --- hand-made variants of real documents ----------------------------------------------------

def _write(tmp_path, name, parts: list[bytes]) -> Path:
    p = tmp_path / name
    p.write_bytes(b"".join(parts))
    return p


def _real_docs(name="ipg050104.small.xml", n=3) -> list[bytes]:
    data, docs = _docs(name)
    return [data[s:e] for s, e, _ in docs[:n]]


def test_truncated_document_in_the_middle(tmp_path):
    d1, d2, d3 = _real_docs()
    cut = d2[: len(d2) // 2]
    p = _write(tmp_path, "cut.xml", [d1, cut, d3])
    line2 = d1.count(b"\n") + 1
    table, report = read_uspto_xml(p)
    report.check()
    assert (report.rows_read, report.kept, len(report.rejected)) == (3, 2, 1)
    assert table["publication_number"].to_pylist() == ["US-6836899-B1", "US-6837063-B1"]
    issue = report.rejected[0]
    assert (issue.file, issue.line, issue.field) == (str(p), line2, "(document)")
    assert issue.reason.startswith("malformed XML document: ")
    # the parser's position (the next <?xml, where the cut document stops) as a file line
    line3 = line2 + cut.count(b"\n")
    assert f"at line {line3}, column" in issue.reason
    assert table["source_row"].to_pylist() == [1, line3]


def test_file_cut_at_the_end(tmp_path):
    d1, d2 = _real_docs(n=2)
    p = _write(tmp_path, "end.xml", [d1, d2[: len(d2) // 3]])
    table, report = read_uspto_xml(p)
    report.check()
    assert (report.rows_read, report.kept) == (2, 1)
    assert report.rejected[0].line == d1.count(b"\n") + 1
    assert "no element found" in report.rejected[0].reason


def test_invalid_xml_in_one_document(tmp_path):
    d1, d2, d3 = _real_docs()
    bad = d2.replace(b"</invention-title>", b"</invention-titel>", 1)
    p = _write(tmp_path, "bad.xml", [d1, bad, d3])
    line2 = d1.count(b"\n") + 1
    title_line = line2 + bad[: bad.index(b"</invention-titel>")].count(b"\n")
    table, report = read_uspto_xml(p)
    assert table.num_rows == 2 and report.rows_read == 3
    r = report.rejected[0]
    assert r.line == line2
    assert "mismatched tag" in r.reason and f"at line {title_line}," in r.reason


def test_strict_raises_on_first_bad_document(tmp_path):
    d1, d2, d3 = _real_docs()
    p = _write(tmp_path, "cut.xml", [d1, d2[: len(d2) // 2], d3])
    with pytest.raises(IngestError) as e:
        read_uspto_xml(p, strict=True)
    assert e.value.issue.line == d1.count(b"\n") + 1
    assert e.value.issue.field == "(document)"
    # a clean file reads in strict mode; a dropped citation value raises
    t, _ = read_uspto_xml(DATA / "ipg080101.small.xml", strict=True)
    assert t.num_rows == 25
    with pytest.raises(IngestError, match="WO PCT/US01/13682"):
        read_uspto_xml(DATA / "ipg110104.small.xml", strict=True)


BOMB = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE us-patent-grant [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
]>
<us-patent-grant><us-bibliographic-data-grant><publication-reference><document-id>
<country>US</country><doc-number>09999999</doc-number><kind>B2</kind><date>20130416</date>
</document-id></publication-reference><invention-title>&lol3;</invention-title>
</us-bibliographic-data-grant></us-patent-grant>
"""

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE us-patent-grant SYSTEM "http://example.invalid/us-patent-grant.dtd" [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<us-patent-grant><us-bibliographic-data-grant><invention-title>&x;</invention-title></us-bibliographic-data-grant></us-patent-grant>
"""


def test_entity_declarations_refused(tmp_path):
    d1, d2 = _real_docs(n=2)
    p = _write(tmp_path, "bomb.xml", [d1, BOMB, XXE, d2])
    table, report = read_uspto_xml(p)
    report.check()
    assert (report.rows_read, report.kept, len(report.rejected)) == (4, 2, 2)
    l2 = d1.count(b"\n") + 1
    assert [i.line for i in report.rejected] == [l2, l2 + BOMB.count(b"\n")]
    assert all("<!ENTITY>" in i.reason and i.field == "(document)" for i in report.rejected)
    assert "US-9999999-B2" not in table["publication_number"].to_pylist()


def test_undefined_entity_and_external_dtd_never_fetched(tmp_path):
    """The DOCTYPE (SYSTEM id pointing anywhere) is dropped unread; undefined entities are errors."""
    doc = (b'<?xml version="1.0"?>\n<!DOCTYPE us-patent-grant SYSTEM "http://example.invalid/x.dtd" [ ]>\n'
           b"<us-patent-grant><us-bibliographic-data-grant><publication-reference><document-id><country>US</country>"
           b"<doc-number>07000000</doc-number><kind>B1</kind><date>20060214</date></document-id></publication-reference>"
           b"<invention-title>%s</invention-title></us-bibliographic-data-grant></us-patent-grant>\n")
    p = _write(tmp_path, "dtd.xml", [doc % b"Fine &#x201c;title&#x201d;", doc % b"A &nbsp; title"])
    table, report = read_uspto_xml(p)
    assert table["title"].to_pylist() == ["Fine \u201ctitle\u201d"]
    assert table["publication_number"].to_pylist() == ["US-7000000-B1"]
    assert report.rejected[0].line == 4 and "undefined entity" in report.rejected[0].reason


def test_cpc_of_dtd_v44_and_later(tmp_path):
    """classifications-cpc (main-cpc then further-cpc, combination sets included) from DTD v4.4 on."""
    data, docs = _docs("ipg130416.small.xml")
    s, e, _ = docs[-1]
    doc = data[s:e]
    cpc = b"".join(
        b"<classification-cpc><cpc-version-indicator><date>20130101</date></cpc-version-indicator>"
        b"<section>%s</section><class>%s</class><subclass>%s</subclass><main-group>%s</main-group>"
        b"<subgroup>%s</subgroup><symbol-position>F</symbol-position><classification-value>I</classification-value>"
        b"</classification-cpc>" % c for c in [(b"G", b"01", b"S", b"5", b"0289")])
    further = b"".join(
        b"<classification-cpc><section>%s</section><class>%s</class><subclass>%s</subclass>"
        b"<main-group>%s</main-group><subgroup>%s</subgroup></classification-cpc>" % c
        for c in [(b"H", b"04", b"W", b"64", b"00"), (b"Y", b"02", b"D", b"30", b"70")])
    block = (b"<classifications-cpc><main-cpc>" + cpc + b"</main-cpc><further-cpc>" + further
             + b"<combination-set><group-number>1</group-number><combination-rank><rank-number>1</rank-number>"
             + b"<classification-cpc><section>H</section><class>04</class><subclass>W</subclass>"
             + b"<main-group>84</main-group><subgroup>18</subgroup></classification-cpc></combination-rank>"
             + b"</combination-set></further-cpc></classifications-cpc>\n")
    doc = doc.replace(b"</classifications-ipcr>\n", b"</classifications-ipcr>\n" + block, 1)
    doc = doc.replace(b"us-patent-grant-v43-2012-12-04.dtd", b"us-patent-grant-v44-2013-05-16.dtd")
    table, report = read_uspto_xml(_write(tmp_path, "cpc.xml", [doc]))
    r = table.to_pylist()[0]
    assert r["publication_number"] == "US-8421615-B2"
    assert r["cpc"] == ["G01S5/0289", "H04W64/00", "Y02D30/70", "H04W84/18"]
    assert r["ipc"] == ["G08B1/08"]


def test_assignee_with_state_only_is_us(tmp_path):
    d1 = _real_docs(n=1)[0]
    data, docs = _docs("ipg130416.small.xml")
    s, e, _ = docs[1]  # US D680,199 S1, Masco Corporation of Indiana, Indianapolis, IN, US
    doc = data[s:e]
    assert b"<city>Indianapolis</city>\n<state>IN</state>\n<country>US</country>" in doc
    doc = doc.replace(b"<city>Indianapolis</city>\n<state>IN</state>\n<country>US</country>",
                      b"<city>Indianapolis</city>\n<state>IN</state>", 1)
    table, _ = read_uspto_xml(_write(tmp_path, "state.xml", [d1, doc]))
    r = table.to_pylist()[1]
    assert r["applicants"] == ["Masco Corporation of Indiana"]
    assert r["applicant_countries"] == ["US"]
    assert r["applicant_addresses"] == ["Indianapolis, IN, US"]


def test_not_a_grant_file(tmp_path):
    p = tmp_path / "app.xml"
    p.write_bytes(b'<?xml version="1.0"?>\n<us-patent-application><us-bibliographic-data-application/></us-patent-application>\n')
    with pytest.raises(IngestError, match="pre-grant publication"):
        read_uspto_xml(p)
    p = tmp_path / "empty.xml"
    p.write_bytes(b'<?xml version="1.0"?>\n<root/>\n')
    with pytest.raises(IngestError, match="no <us-patent-grant> element found"):
        read_uspto_xml(p)


def test_other_root_in_a_grant_file_is_rejected_and_counted(tmp_path):
    d1 = _real_docs(n=1)[0]
    other = b'<?xml version="1.0"?>\n<us-patent-application><x/></us-patent-application>\n'
    table, report = read_uspto_xml(_write(tmp_path, "mix.xml", [d1, other]))
    report.check()
    assert (report.rows_read, report.kept) == (2, 1)
    assert "root element <us-patent-application>" in report.rejected[0].reason


def test_all_documents_bad(tmp_path):
    d1 = _real_docs(n=1)[0]
    table, report = read_uspto_xml(_write(tmp_path, "bad.xml", [d1[:500]]))
    report.check()
    assert table.num_rows == 0 and report.rows_read == 1 and table.schema == patentnav.SCHEMA


# --- detection and the public read() ----------------------------------------------------------

def test_detect_format_by_content(tmp_path):
    assert detect_format(DATA / "ipg120327.196.xml") == "uspto_xml"
    # content, not name: a renamed and gzip-compressed copy
    p = tmp_path / "weekly.dat"
    p.write_bytes(gzip.compress((DATA / "ipg080101.small.xml").read_bytes()))
    assert detect_format(p) == "uspto_xml"
    table, report = read_uspto_xml(p)
    assert report.rows_read == 25 and table.num_rows == 25
    assert "uspto_xml" in patentnav.io.formats()


def test_public_read_detects_and_accounts():
    names = ["ipg050104.small.xml", "ipg120327.196.xml", "ipg130416.small.xml"]
    corpus = patentnav.read(*(DATA / n for n in names))
    rep = corpus.report
    rep.check()
    assert (rep.rows_read, rep.kept, rep.merged, rep.n_rejected) == (246, 246, 0, 0)
    assert len(corpus) == 246
    assert rep.formats == ["uspto_xml"] * 3
    assert corpus.table["source_row"].to_pylist()[:3] == [1, 917, 1509]


def test_public_read_counts_duplicates(tmp_path):
    """The same file twice: every row of the second copy is merged, nothing lost."""
    p = tmp_path / "copy.xml"
    p.write_bytes((DATA / "ipg080101.small.xml").read_bytes())
    corpus = patentnav.read(DATA / "ipg080101.small.xml", p)
    assert (corpus.report.rows_read, corpus.report.kept, corpus.report.merged) == (50, 25, 25)
    corpus.report.check()


def test_split_documents_lines():
    data, docs = _docs("ipg060103.small.xml")
    assert len(docs) == 27
    assert docs[0][2] == 1
    for s, _, line in docs:
        assert data[s:].startswith(b"<?xml")
        assert data[:s].count(b"\n") + 1 == line
    assert re.match(rb"<\?xml[^>]*>\s*<!DOCTYPE sequence-cwu", data[docs[12][0]:]) is not None
