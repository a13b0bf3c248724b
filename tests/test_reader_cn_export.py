"""Chinese-header exports (CNIPA, incoPat, PatSnap-style): CSV in three encodings and XLSX."""

from __future__ import annotations

import datetime as dt
import gzip
import zipfile
from pathlib import Path

import pytest

from patentnav.io import IngestError, detect_format, read
from patentnav.io.cn_export import _field_of, _sniff, looks_like_cn_export, normalize_header, read_cn_export
from patentnav.io.registry import read_head

DATA = Path(__file__).parent / "data" / "cn-export"
CNIPA = DATA / "cnipa_utf8.csv"
INCOPAT = DATA / "incopat_gb18030.csv"
BOM = DATA / "export_utf8_bom.csv"
MIXED = DATA / "mixed_encoding.csv"
XLSX = DATA / "patsnap.xlsx"

DJI = "深圳市大疆创新科技有限公司"
DJI_ADDR = "广东省深圳市南山区高新区南区粤兴一道9号香港科大深圳产学研大楼6楼"
D = dt.date


def rows_by_pub(table):
    return {r["publication_number"]: r for r in table.to_pylist()}


def issues(lst):
    return [(i.line, i.field, i.reason, i.value) for i in lst]


def sniff(path: Path) -> bool:
    head, text = read_head(path)
    return _sniff(path, head, text)


# --- header normalisation -------------------------------------------------------------


@pytest.mark.parametrize(
    "header, field",
    [
        ("公开（公告）号", "pub:general"),
        ("公开(公告)号", "pub:general"),
        (" 公开 ( 公告 ) 号 ", "pub:general"),
        ("公开公告号*", "pub:general"),
        ("Publication Number", "pub:general"),
        ("授权公告号", "pub:grant"),
        ("申请公布号", "pub:app_pub"),
        ("授权公告日", "date:grant"),
        ("申请（专利权）人", "applicants"),
        ("申请人(专利权人)", "applicants"),
        ("申请人*", "applicants"),
        ("被引证次数（次）", "forward_citations"),
        ("权利要求数量(项)", "claims_count"),
        ("标题（中文）", "title"),
        ("ＩＰＣ分类号", "ipc"),
        ("IPC主分类号", "ipc_main"),
        ("CPC", "cpc"),
        ("法律状态/事件", "legal_status"),
        ("简单同族个数", "family_size"),
        ("国省代码", "country_codes"),
        ("标题(英文)", None),  # a bracketed language is not a unit
        ("代理机构", "agency"),
        ("代理人", "agent_persons"),
        ("主权项", "claims:first"),
        ("权利要求", "claims:all"),
        ("序号", None),
    ],
)
def test_header_synonyms(header, field):
    assert _field_of(header) == field


def test_normalize_header_and_detection_headers():
    assert normalize_header("\ufeff公开（公告）号 ") == "公开(公告)号"
    assert normalize_header("【标】当前申请（专利权）人") == "[标]当前申请(专利权)人"
    assert looks_like_cn_export(["序号", "公开号", "标题"])
    assert not looks_like_cn_export(["Lens ID", "Publication Number", "Title"])  # English alone: not ours


# --- CNIPA-style UTF-8 CSV ------------------------------------------------------------


def test_cnipa_csv_values():
    table, report = read_cn_export(CNIPA)
    assert report.rows_read == 9 and report.kept == 7
    assert table["source_row"].to_pylist() == [2, 3, 5, 6, 7, 8, 10]  # the record on line 3 spans two lines
    assert set(table["source_format"].to_pylist()) == {"cn_export"}
    r = rows_by_pub(table)
    a = r["CN-112810000-A"]
    assert a["application_number"] == "202110123456.7"
    assert a["filing_date"] == D(2021, 1, 28) and a["publication_date"] == D(2021, 5, 18)
    assert a["grant_date"] is None and a["document_type"] == "application"
    assert a["title"] == "一种无人机的避障方法及无人机"
    assert a["applicants"] == [DJI]
    assert a["applicant_addresses"] == [DJI_ADDR]
    assert a["inventors"] == ["张伟", "李娜", "王强"]
    assert a["ipc"] == ["G05D1/10", "B64C39/02"] and a["ipc_main"] == "G05D1/10"
    assert a["abstract"].startswith("本发明公开了一种无人机的避障方法")

    b = r["CN-111650000-A"]  # "CN 111650000 A" in the file; co-applicants
    assert b["applicants"] == ["华为技术有限公司", DJI]
    assert b["applicant_addresses"] == ["广东省深圳市龙岗区坂田华为总部办公楼", DJI_ADDR]
    assert b["priority_numbers"] == ["CN2019105678903"]
    assert b["priority_countries"] == ["CN"]
    assert b["priority_dates"] == [D(2019, 6, 26)]
    assert b["earliest_priority_date"] == D(2019, 6, 26)
    assert b["abstract"].endswith("\n所述广播消息包括第一无人机的位置信息和航向信息。")

    c = r["CN-105700000-B"]  # 2016年2月1日 / 2018年6月19日
    assert c["filing_date"] == D(2016, 2, 1) and c["publication_date"] == D(2018, 6, 19)
    assert c["document_type"] == "granted_patent" and c["grant_date"] == D(2018, 6, 19)

    assert r["CN-113900000-A"]["publication_date"] is None  # 2021.13.45
    assert r["CN-213500000-U"]["ipc"] == ["B64C1/30"] and r["CN-213500000-U"]["document_type"] == "utility_model"
    assert r["CN-307100000-S"]["document_type"] == "design"


def test_cnipa_csv_report():
    _, report = read_cn_export(CNIPA)
    f = str(CNIPA)
    assert all(i.file == f for i in report.rejected + report.warnings)
    assert issues(report.rejected) == [
        (9, "公开（公告）号", "missing publication number", None),
        (11, "(record)", "expected 13 fields as in the header, found 6",
         "202120987654.3,2021-04-27,CN215000000U,2021-12-07,一种无人机喷洒装置,B64D1/18"),
    ]
    assert issues(report.warnings) == [
        (6, "公开（公告）日", "not a date; dropped", "2021.13.45"),
        (7, "IPC分类号", "not an IPC code; dropped", "ABC12/34"),
    ]


def test_cnipa_read_merges_duplicate_row():
    corpus = read(CNIPA)
    rep = corpus.report
    assert (rep.rows_read, rep.kept, rep.merged, rep.n_rejected) == (9, 6, 1, 2)
    rep.check()
    assert rep.formats == ["cn_export"]
    row = rows_by_pub(corpus.table)["CN-112810000-A"]
    assert row["duplicate_sources"] == [f"{CNIPA}:8"]


def test_strict_raises_on_first_issue_in_line_order():
    with pytest.raises(IngestError) as e:
        read_cn_export(CNIPA, strict=True)
    assert e.value.issue.line == 6 and e.value.issue.field == "公开（公告）日"
    assert "cnipa_utf8.csv, line 6" in str(e.value)
    with pytest.raises(IngestError) as e:
        read(XLSX, strict=True)
    assert (e.value.issue.line, e.value.issue.field) == (6, "公开(公告)日")


# --- incoPat-style GB18030, tab-separated ----------------------------------------------


def test_incopat_gb18030_tsv():
    raw = INCOPAT.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert not raw.startswith(b"\xef\xbb\xbf")
    table, report = read_cn_export(INCOPAT, strict=True)  # header notes do not trip strict mode
    assert (report.rows_read, report.kept, report.n_rejected) == (5, 5, 0)
    assert issues(report.warnings) == [
        (1, "标题(英文)", "column not used", None),
        (1, "国省代码", "4 value(s) are not two-letter country codes (e.g. province codes such as 44); not used as applicant_countries", None),
    ]
    r = rows_by_pub(table)
    a = r["CN-114081026-A"]
    assert a["title"] == "一种无人机巡检路径规划方法"
    assert a["filing_date"] == D(2021, 11, 8) and a["publication_date"] == D(2022, 2, 22)  # 20211108
    assert a["ipc_main"] == "G05D1/10" and a["ipc"] == ["G05D1/10", "G06Q50/06", "B64C39/02"]
    assert a["document_type"] == "application"
    assert a["legal_status"] == "审中; 实质审查"  # 当前权利状态; 法律状态
    assert a["forward_citations"] == 3 and a["family_size"] == 3 and a["claims_count"] == 10
    assert a["family_members"] == ["CN-114081026-A", "WO-2023078123-A1", "US-2024012345-A1"]
    assert a["family_jurisdictions"] == ["CN", "US", "WO"]
    assert a["cited_publications"] == ["CN-110000000-A", "US-9123456-B2", "CN-112810000-A"]  # "US 9,123,456 B2"
    assert a["priority_numbers"] == ["CN2021113123456"] and a["priority_dates"] == [D(2021, 11, 8)]
    assert a["applicant_countries"] == []  # 44 is Guangdong, not a country

    b = r["CN-109000000-B"]  # full-width semicolons, 2018/07/09, comma-separated IPC
    assert b["applicants"] == [DJI, "深圳市大疆百旺科技有限公司"]
    assert b["inventors"] == ["王强", "李娜"]
    assert b["filing_date"] == D(2018, 7, 9)
    assert b["ipc"] == ["B60L53/80", "B64D27/24"]
    assert b["document_type"] == "granted_patent" and b["grant_date"] == D(2021, 3, 16)
    assert b["legal_status"] == "有权; 授权"

    c = r["CN-115000000-A"]  # "|" separated names, an English name, a US applicant
    assert c["applicants"] == ["Autel Robotics USA LLC", "深圳市道通智能航空技术股份有限公司"]
    assert c["applicant_addresses"][0] == "Bothell, WA 98011, US"
    assert c["inventors"] == ["Zhang Wei", "陈刚"]
    assert c["applicant_countries"] == ["US"]
    assert c["priority_numbers"] == ["US63123456"] and c["priority_dates"] == [D(2021, 3, 1)]

    d = r["CN-216000000-U"]
    assert d["document_type"] == "utility_model" and d["forward_citations"] is None
    assert d["legal_status"] == "失效; 未缴年费专利权终止"
    assert r["CN-306000000-S"]["document_type"] == "design"
    assert r["CN-306000000-S"]["title"] == "无人机（M300）"


# --- UTF-8 with BOM, title line above the header --------------------------------------


def test_utf8_bom_with_title_line():
    assert BOM.read_bytes().startswith(b"\xef\xbb\xbf")
    table, report = read_cn_export(BOM)
    assert table["source_row"].to_pylist() == [4, 5, 6]  # title on 1, blank 2, header 3
    assert issues(report.warnings) == [
        (3, "序号", "column not used", None),
        (6, "权利要求数量", "not a whole number; dropped", "十"),
    ]
    r = rows_by_pub(table)
    a = r["CN-105700000-B"]
    # names keep their commas: only ; ；| and newlines separate names and addresses
    assert a["applicants"] == ["SZ DJI Technology Co., Ltd.", DJI]
    assert a["applicant_addresses"] == ["Shenzhen, Guangdong, CN", DJI_ADDR]
    assert a["ipc"] == ["B64C25/32", "B64C25/10"] and a["cpc"] == ["B64C25/32", "B64U10/13"]
    assert a["claims"].startswith("1. 一种无人机的起落架")
    assert (a["claims_count"], a["forward_citations"], a["family_size"], a["extended_family_size"]) == (10, 25, 4, 7)
    # "发明" does not say application or grant: the kind code decides
    assert a["document_type"] == "granted_patent"
    assert r["CN-111650000-A"]["document_type"] == "application"
    assert r["CN-111650000-A"]["forward_citations"] == 1024
    assert r["CN-111650000-A"]["applicants"] == ["华为技术有限公司", DJI]
    assert r["CN-212000000-U"]["claims_count"] is None


# --- mixed encodings ------------------------------------------------------------------


def test_mixed_encoding_is_read_with_a_warning():
    table, report = read_cn_export(MIXED)
    assert issues(report.warnings) == [(3, "(encoding)", "line is GB18030 in a UTF-8 file; decoded as GB18030", None)]
    r = rows_by_pub(table)
    assert r["CN-113900000-A"]["applicants"] == ["深圳市道通智能航空技术股份有限公司"]
    assert r["CN-113900000-A"]["title"] == "一种基于视觉的无人机精准降落方法"
    assert r["CN-112810000-A"]["applicants"] == [DJI]
    read(MIXED, strict=True)  # an encoding warning is not a bad value


# --- PatSnap-style XLSX ---------------------------------------------------------------


def test_patsnap_xlsx():
    table, report = read_cn_export(XLSX)
    # sheet 1 (检索条件) has no header; sheet 2: title row 1, blank row 2, header row 3,
    # a blank row 9 inside the list (not counted)
    assert report.rows_read == 7 and report.kept == 6
    assert table["source_row"].to_pylist() == [4, 5, 6, 7, 8, 11]
    assert issues(report.rejected) == [(10, "公开(公告)号", "missing publication number", None)]
    assert issues(report.warnings) == [
        (3, "序号", "column not used", None),
        (3, "[标]当前申请(专利权)人", "column not used", None),
        (6, "公开(公告)日", "not a date; dropped", "2022-02-30"),
        (7, "IPC分类号", "not an IPC code; dropped", "ABC12/34"),
    ]
    r = rows_by_pub(table)
    a = r["CN-112810000-A"]
    assert a["application_number"] == "CN202110123456.7"
    assert a["filing_date"] == D(2021, 1, 28) and a["publication_date"] == D(2021, 5, 18)  # date cells
    assert a["cpc"] == ["G05D1/106"] and a["forward_citations"] == 5 and a["extended_family_size"] == 6
    assert a["family_members"] == ["CN-112810000-A", "WO-2022160000-A1"]
    assert a["legal_status"] == "审中"
    b = r["CN-109000000-B"]
    assert b["grant_date"] == D(2021, 3, 16) and b["forward_citations"] == 12  # 12.0 in the cell
    assert b["applicants"] == [DJI, "深圳市大疆百旺科技有限公司"]
    assert b["cpc"] == ["B60L53/80", "Y02T10/70"]
    c = r["CN-115000000-A"]  # "CN 115000000 A", 2022年3月1日
    assert c["filing_date"] == D(2022, 3, 1) and c["publication_date"] == D(2022, 6, 3)
    assert r["CN-213500000-U"]["ipc"] == ["B64C1/30"]

    corpus = read(XLSX)
    assert (corpus.report.kept, corpus.report.merged, corpus.report.n_rejected) == (5, 1, 1)
    corpus.report.check()


def test_xlsx_sheet_argument():
    t, _ = read_cn_export(XLSX, sheet="专利列表")
    assert t.num_rows == 6
    t, _ = read_cn_export(XLSX, sheet=1)
    assert t.num_rows == 6
    with pytest.raises(IngestError, match="no publication-number column"):
        read_cn_export(XLSX, sheet="检索条件")
    with pytest.raises(IngestError, match="no sheet 'x'"):
        read_cn_export(XLSX, sheet="x")


def _shared_strings_xlsx(path: Path, rows: list[list[str]]) -> None:
    """A minimal workbook as Excel writes it (shared strings), without openpyxl."""
    strings: list[str] = []
    sheet_rows = []
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row):
            if v == "":
                continue
            if v not in strings:
                strings.append(v)
            cells.append(f'<c r="{chr(65 + c)}{r}" t="s"><v>{strings.index(v)}</v></c>')
        sheet_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
    rel = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
    files = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook {ns} {rel}><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
            "</Relationships>"
        ),
        # a stale <dimension> as some exporters write it: must not truncate the read
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0" encoding="UTF-8"?><worksheet {ns}><dimension ref="A1"/><sheetData>{"".join(sheet_rows)}</sheetData></worksheet>',
        "xl/sharedStrings.xml": f'<?xml version="1.0" encoding="UTF-8"?><sst {ns} count="{len(strings)}" uniqueCount="{len(strings)}">'
        + "".join(f"<si><t>{s}</t></si>" for s in strings) + "</sst>",
    }
    with zipfile.ZipFile(path, "w") as z:
        for name, text in files.items():
            z.writestr(name, text)


def test_xlsx_with_shared_strings_and_stale_dimension(tmp_path):
    p = tmp_path / "export.bin"  # detection is by content, not by name
    _shared_strings_xlsx(p, [
        ["专利检索结果"],
        ["公开（公告）号", "申请人", "申请日", "专利类型"],
        ["CN114081026A", "华为技术有限公司;" + DJI, "2021.11.08", "发明申请"],
        ["CN109000000B", DJI, "20180709", "发明授权"],
    ])
    assert sniff(p) and detect_format(p) == "cn_export"
    t, rep = read_cn_export(p)
    assert t["source_row"].to_pylist() == [3, 4]
    assert t["applicants"].to_pylist() == [["华为技术有限公司", DJI], [DJI]]
    assert t["filing_date"].to_pylist() == [D(2021, 11, 8), D(2018, 7, 9)]
    assert t["document_type"].to_pylist() == ["application", "granted_patent"]
    assert rep.warnings == []


def test_xlsx_without_chinese_header_is_not_claimed(tmp_path):
    p = tmp_path / "other.xlsx"
    _shared_strings_xlsx(p, [["Publication Number", "Title"], ["US9123456B2", "Drone"]])
    assert not sniff(p)
    z = tmp_path / "plain.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("a.txt", "Publication Number,Title\nUS9123456B2,Drone\n")
    assert not sniff(z)


def test_zipped_csv_export_is_read(tmp_path):
    # a single-file zip is opened transparently (as exports are often mailed zipped)
    z = tmp_path / "export.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.writestr("export.csv", "公开（公告）号,标题\nCN114081026A,一种无人机\n")
    assert sniff(z) and detect_format(z) == "cn_export"
    t, rep = read_cn_export(z)
    assert t["publication_number"].to_pylist() == ["CN-114081026-A"] and rep.kept == 1


# --- detection, layouts, errors -------------------------------------------------------


@pytest.mark.parametrize("path", [CNIPA, INCOPAT, BOM, MIXED, XLSX])
def test_detected_by_content(path):
    assert detect_format(path) == "cn_export"


def test_not_claimed_for_other_exports(tmp_path):
    lens = tmp_path / "lens.csv"
    lens.write_text("Lens ID,Publication Number,Title\n001-002-003-004-005,US 9123456 B2,Drone\n", encoding="utf-8")
    google = tmp_path / "g.csv"
    google.write_text("search URL:,https://patents.google.com/?q=drone\nid,title\n", encoding="utf-8")
    for p in (lens, google):
        assert not sniff(p)
    # a Chinese word inside a title line is not a header cell
    t = tmp_path / "t.csv"
    t.write_text("按公开号排序的检索结果\n序号,标题\n1,无人机\n", encoding="utf-8")
    assert not sniff(t)


def test_header_must_be_within_first_ten_lines(tmp_path):
    p = tmp_path / "late.csv"
    p.write_text("检索结果\n" * 10 + "公开号,标题\nCN114081026A,无人机\n", encoding="utf-8")
    assert not sniff(p)
    with pytest.raises(IngestError, match="no publication-number column"):
        read_cn_export(p)
    q = tmp_path / "ok.csv"
    q.write_text("检索结果\n" * 9 + "公开号,标题\nCN114081026A,无人机\n", encoding="utf-8")
    t, _ = read_cn_export(q)
    assert t["source_row"].to_pylist() == [11]


def test_grant_and_application_publication_columns(tmp_path):
    """Both 申请公布号/日 and 授权公告号/日: each row takes the grant when there is one,
    with the date from the same pair."""
    p = tmp_path / "cnipa_two_numbers.csv"
    p.write_text(
        "申请号,申请公布号,申请公布日,授权公告号,授权公告日,名称\n"
        "202110123456.7,CN112810000A,2021-05-18,CN112810000B,2023-01-10,一种无人机的避障方法\n"
        "202111234567.0,CN113900000A,2021-12-28,,,一种无人机精准降落方法\n",
        encoding="utf-8",
    )
    t, rep = read_cn_export(p)
    assert t["publication_number"].to_pylist() == ["CN-112810000-B", "CN-113900000-A"]
    assert t["publication_date"].to_pylist() == [D(2023, 1, 10), D(2021, 12, 28)]
    assert t["grant_date"].to_pylist() == [D(2023, 1, 10), None]
    assert t["document_type"].to_pylist() == ["granted_patent", "application"]
    assert rep.warnings == [] and rep.rejected == []


def test_combined_priority_country_codes_and_gzip(tmp_path):
    text = (
        "公开号\t申请人\t申请人国家\t优先权\t当前法律状态\t法律状态\n"
        "CN115000000A\tAutel Robotics USA LLC；华为技术有限公司\tUS；CN\t2021.03.01 US 63/123,456; CN202110000001.2\t有效\t有效\n"
    )
    p = tmp_path / "x.tsv.gz"
    p.write_bytes(gzip.compress(text.encode("gb18030")))
    assert detect_format(p) == "cn_export"
    t, rep = read_cn_export(p)
    row = t.to_pylist()[0]
    assert row["applicant_countries"] == ["US", "CN"]
    assert row["priority_numbers"] == ["US63123456", "CN2021100000012"]
    assert row["priority_countries"] == ["US", "CN"]
    assert D(2021, 3, 1) in row["priority_dates"]
    assert row["earliest_priority_date"] == D(2021, 3, 1)
    assert row["legal_status"] == "有效"  # same text twice is not repeated
    assert rep.warnings == []


def test_priority_dates_stay_aligned_with_numbers(tmp_path):
    p = tmp_path / "p.csv"
    p.write_text("公开号,优先权\nCN115000000A,2021.03.01 US 63/123456; CN202110000001.2\n", encoding="utf-8")
    row = read_cn_export(p)[0].to_pylist()[0]
    assert row["priority_numbers"] == ["US63123456", "CN2021100000012"]
    assert row["priority_dates"] == [D(2021, 3, 1), None]


def test_empty_and_unreadable_files(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_bytes(b"")
    with pytest.raises(IngestError):
        read_cn_export(p)
    bad = tmp_path / "bad.xlsx"
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("xl/workbook.xml", "<not a workbook")
    with pytest.raises(IngestError, match="not a readable XLSX workbook"):
        read_cn_export(bad)
