"""Hostile and broken inputs (issue 13): each ends in a clear error or an accounted corpus,
nothing lost. XLSX entity bombs and XXE (item 1), unclosed quotes (2), mixed encodings (6),
zip damage, UTF-16 XML with entities, truncated sheets (11), messages and duplicate
conflicts (13); with property tests over XLSX bodies, zip damage and USPTO XML content."""

from __future__ import annotations

import time
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import patentnav
from hostile import (BILLION_LAUGHS, XXE, cn_rows, lens_csv, sample_rows, uspto_doc, with_doctype, write, xlsx_bytes,
                     xlsx_part, xlsx_replace, xlsx_shared, zip_bad_crc, zip_bytes, zip_encrypted, zip_method)
from patentnav import IngestError
from test_fuzz_readers import check_read

HEADER, ROWS = sample_rows(50)
TITLE = HEADER.index("title")


# --- XLSX (items 1 and 11) -----------------------------------------------------------------------

def test_xlsx_with_shared_strings_is_read(tmp_path):
    c = check_read(write(tmp_path, "ok.xlsx", xlsx_shared(cn_rows(5))))
    assert len(c) == 5 and c.table["title"].to_pylist()[0] == "一种无人机0"


@pytest.mark.parametrize("part", ["sharedStrings", "sheet"])
def test_xlsx_entity_bomb_is_refused_at_once(tmp_path, part):
    if part == "sharedStrings":
        data = xlsx_shared(cn_rows(3), doctype=BILLION_LAUGHS, replace={"一种无人机0": "&e8;"})
    else:
        base = xlsx_bytes(cn_rows(3))
        sheet = xlsx_part(base, "xl/worksheets/sheet1.xml")
        data = xlsx_replace(base, "xl/worksheets/sheet1.xml", with_doctype(sheet, BILLION_LAUGHS, "&e8;"))
    p = write(tmp_path, "bomb.xlsx", data)
    assert p.stat().st_size < 10_000  # expands to 10^8 x 30 characters
    t = time.perf_counter()
    for fmt in (None, "cn_export"):  # detected by content, and named explicitly
        with pytest.raises(IngestError, match="declares entities") as e:
            patentnav.read(p, format=fmt)
        assert str(p) in str(e.value) and "\n" not in str(e.value)
    assert time.perf_counter() - t < 30  # generous: the point is no expansion at all


def test_xlsx_xxe_never_reads_the_file(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-VALUE")
    doctype = XXE.replace("file:///etc/passwd", secret.as_uri())
    p = write(tmp_path, "xxe.xlsx", xlsx_shared(cn_rows(3), doctype=doctype, replace={"一种无人机0": "&e;"}))
    with pytest.raises(IngestError, match="declares entities") as e:
        patentnav.read(p)
    assert "TOP-SECRET" not in str(e.value)


def test_truncated_sheet_names_the_sheet_and_row(tmp_path):
    base = xlsx_bytes(cn_rows(30))
    sheet = xlsx_part(base, "xl/worksheets/sheet1.xml")
    p = write(tmp_path, "t.xlsx", xlsx_replace(base, "xl/worksheets/sheet1.xml", sheet[: len(sheet) * 2 // 3]))
    with pytest.raises(IngestError, match=r"sheet 'Sheet' is damaged after row \d+"):
        patentnav.read(p)


def test_xlsx_cell_far_right_does_not_pad_every_row(tmp_path):
    rows = cn_rows(3)
    base = xlsx_bytes(rows)
    sheet = xlsx_part(base, "xl/worksheets/sheet1.xml")
    far = sheet.replace(b"</row>", b'<c r="XFD2" t="inlineStr"><is><t>x</t></is></c></row>', 2)
    c = check_read(write(tmp_path, "far.xlsx", xlsx_replace(base, "xl/worksheets/sheet1.xml", far)))
    assert len(c) == 3


_XML_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=40)
_SHEET_DAMAGE = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0, 1)),
    st.tuples(st.just("insert"), st.binary(min_size=1, max_size=30)),
    st.tuples(st.just("doctype"), st.sampled_from([BILLION_LAUGHS, XXE, "<!DOCTYPE x SYSTEM 'http://evil.example/x.dtd'>",
                                                   '<!DOCTYPE x [<!ELEMENT x ANY>]>'])),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.lists(st.tuples(_XML_TEXT, _XML_TEXT), min_size=1, max_size=5), st.sampled_from(["sheet", "sst"]), _SHEET_DAMAGE)
def test_xlsx_bodies(tmp_path_factory, cells, part, damage):
    """Any cell text, any damage to the sheet or shared-strings XML: an accounted corpus or
    an IngestError, never a traceback."""
    rows = [[f"CN10{i:07d}A", a, b, "2019-01-02", "2020-03-04", "B64C39/02"] for i, (a, b) in enumerate(cells)]
    data = xlsx_shared(rows)
    name = "xl/worksheets/sheet1.xml" if part == "sheet" else "xl/sharedStrings.xml"
    body = xlsx_part(data, name)
    kind, arg = damage
    if kind == "truncate":
        body = body[: int(len(body) * arg)]
    elif kind == "insert":
        k = len(body) // 2
        body = body[:k] + arg + body[k:]
    else:
        body = with_doctype(body, arg)
    d = tmp_path_factory.mktemp("xlsx")
    check_read(write(d, "w.xlsx", xlsx_replace(data, name, body)))
    check_read(write(d, "w2.xlsx", xlsx_replace(data, name, body)), "cn_export")


# --- zip damage (item 11) and the two-member message (item 13) --------------------------------

@pytest.fixture(scope="module")
def lens_zip():
    return zip_bytes({"lens.csv": lens_csv(ROWS[:10], HEADER)})


@pytest.mark.parametrize("damage, message", [
    (zip_encrypted, "is encrypted"),
    (zip_method, "Deflate64 compression method"),
    (zip_bad_crc, "damaged"),
])
def test_zip_damage_is_a_clear_error(tmp_path, lens_zip, damage, message):
    p = write(tmp_path, "lens.zip", damage(lens_zip))
    for fmt in (None, "lens"):
        with pytest.raises(IngestError, match=message) as e:
            patentnav.read(p, format=fmt)
        assert str(p) in str(e.value)


def test_zip_damage_in_patentsview_and_xlsx(tmp_path):
    tsv = b"patent_id\tpatent_type\tpatent_date\tpatent_title\n1\tutility\t2015-01-01\tX\n"
    p = write(tmp_path, "g_patent.tsv.zip", zip_encrypted(zip_bytes({"g_patent.tsv": tsv})))
    with pytest.raises(IngestError, match="is encrypted"):
        patentnav.read(p, format="patentsview")
    p = write(tmp_path, "w.xlsx", zip_method(xlsx_shared(cn_rows(2))))
    with pytest.raises(IngestError, match="compression method"):
        patentnav.read(p, format="cn_export")


def test_zip_with_two_members_says_which_without_download_again(tmp_path):
    p = write(tmp_path, "two.zip", zip_bytes({"a.csv": b"x", "b.csv": b"y"}))
    with pytest.raises(IngestError) as e:
        patentnav.read(p)
    msg = str(e.value)
    assert "2 files (a.csv, b.csv)" in msg and "Unzip it and name" in msg
    assert "again" not in msg and "damaged" not in msg


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_zip_damage_anywhere(tmp_path_factory, data):
    """Flipped, cut or patched bytes anywhere in a zipped export: accounted or IngestError."""
    raw = bytearray(zip_bytes({"lens.csv": lens_csv(ROWS[:5], HEADER)}))
    op = data.draw(st.sampled_from(["flip", "cut", "flags", "method"]))
    if op == "flip":
        for _ in range(data.draw(st.integers(1, 4))):
            k = data.draw(st.integers(0, len(raw) - 1))
            raw[k] ^= data.draw(st.integers(1, 255))
    elif op == "cut":
        raw = raw[: data.draw(st.integers(4, len(raw)))]
    elif op == "flags":
        raw = bytearray(zip_encrypted(bytes(raw)))
    else:
        raw = bytearray(zip_method(bytes(raw), data.draw(st.sampled_from([1, 6, 9, 12, 14, 93, 95, 98, 99]))))
    d = tmp_path_factory.mktemp("zip")
    check_read(write(d, "z.zip", bytes(raw)))
    check_read(write(d, "z2.zip", bytes(raw)), "lens")


# --- USPTO XML (item 11) -----------------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_xml_declaring_entities_is_rejected(tmp_path, encoding):
    bomb = '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    text = uspto_doc("09000001") + uspto_doc("09000002", "&b;", extra_dtd=bomb)
    text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    p = write(tmp_path, "ipg.xml", text.encode(encoding))
    for fmt in (None, "uspto_xml"):
        c = check_read(p, fmt)
        assert c.table["publication_number"].to_pylist() == ["US-9000001-B2"]
        assert "entities" in c.report.rejected[0].reason and c.report.rejected[0].line == 4


def test_xml_in_an_encoding_that_hides_markup_is_rejected(tmp_path):
    doc = uspto_doc("09000003").replace('encoding="UTF-8"', 'encoding="cp500"')
    p = write(tmp_path, "ipg.xml", uspto_doc("09000001") + doc)
    c = check_read(p, "uspto_xml")
    assert len(c) == 1 and "encoding 'cp500'" in c.report.rejected[0].reason


_TITLE_TEXT = st.lists(st.sampled_from(list("abc <>&;'\"=/![]-?#xX0123456789") + ["&amp;", "&#x41;", "&e;", "<!ENTITY",
                                                                                   "<![CDATA[", "]]>", "\u202e", "\x00", "无人机"]),
                       max_size=20).map("".join)


@settings(max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(_TITLE_TEXT, st.sampled_from(["", '<!ENTITY e "x">', '<!ENTITY e SYSTEM "file:///etc/passwd">', "<!ELEMENT a ANY>"]),
       st.sampled_from(["utf-8", "utf-16", "utf-16-le"]), st.integers(0, 3))
def test_uspto_xml_content(tmp_path_factory, title, dtd, encoding, depth):
    """Any title text and DTD subset, in UTF-8 or UTF-16, nested elements: the grant is read
    or rejected with its line; the other document is always read."""
    nested = "<b>" * depth + title + "</b>" * depth
    text = uspto_doc("09000001") + uspto_doc("09000002", nested, extra_dtd=dtd)
    if encoding != "utf-8":
        text = text.replace('encoding="UTF-8"', 'encoding="UTF-16"')
    d = tmp_path_factory.mktemp("xml")
    c = check_read(write(d, "ipg.xml", text.encode(encoding)), "uspto_xml")
    assert c is not None and "US-9000001-B2" in c.table["publication_number"].to_pylist()
    if "ENTITY" in dtd:
        assert "US-9000002-B2" not in c.table["publication_number"].to_pylist()


def test_deeply_nested_xml_title(tmp_path):
    text = uspto_doc("09000001", "<b>" * 50_000 + "deep" + "</b>" * 50_000)
    c = check_read(write(tmp_path, "ipg.xml", text), "uspto_xml")
    assert c.report.rows_read == 1


# --- unclosed quotes (item 2) ------------------------------------------------------------------

def _open_quote(rows, row: int, col: int, text: str = "Plain text without commas") -> str:
    """CSV text of ``rows`` where ``rows[row][col]`` opens a quote that is never closed."""
    rows = [list(r) for r in rows]
    rows[row][col] = text
    lines = lens_csv(rows, HEADER).decode("utf-8").split("\n")
    assert lines[row + 1].count(text) == 1
    lines[row + 1] = lines[row + 1].replace(text, '"' + text)
    return "\n".join(lines)


def test_unclosed_quote_swallows_nothing(tmp_path):
    _, rows = sample_rows(1000)
    p = write(tmp_path, "l.csv", _open_quote(rows, 1, TITLE))
    c = check_read(p)
    r = c.report
    assert r.rows_read == 1000 and r.kept == 999 and len(r.rejected) == 1
    issue = r.rejected[0]
    assert issue.line == 3 and "unclosed quote" in issue.reason and "resumes at line 4" in issue.reason


def test_unclosed_quote_in_the_last_field_to_the_end_of_the_file(tmp_path):
    rows = [[c.replace('"', "") for c in r] for r in ROWS[:30]]  # no quote anywhere closes it
    c = check_read(write(tmp_path, "l.csv", _open_quote(rows, 5, len(HEADER) - 1)))
    assert c.report.rows_read == 30 and c.report.kept == 29
    assert c.report.rejected[0].line == 7 and "unclosed quote" in c.report.rejected[0].reason


def test_multiline_fields_are_not_swallows(tmp_path):
    rows = [list(r) for r in ROWS[:5]]
    rows[1][TITLE] = "A title\nover\nthree lines, with, commas"
    c = check_read(write(tmp_path, "l.csv", lens_csv(rows, HEADER)))
    assert (c.report.kept, len(c.report.rejected)) == (5, 0)
    assert c.table["source_row"].to_pylist() == [2, 3, 6, 7, 8]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, 29), st.integers(0, 30)), min_size=1, max_size=4))
def test_stray_quotes_anywhere_every_row_accounted(tmp_path_factory, spots):
    """Quotes inserted at random places: every physical record is read, kept or rejected;
    at most the rows with a stray quote (and one more each) are lost."""
    lines = lens_csv([list(r) for r in ROWS[:30]], HEADER).decode("utf-8").rstrip("\n").split("\n")
    for row, col in spots:
        ln = lines[row + 1]
        k = [i for i, ch in enumerate(ln) if ch == ","]
        pos = k[col % len(k)] + 1
        lines[row + 1] = ln[:pos] + '"' + ln[pos:]
    d = tmp_path_factory.mktemp("q")
    c = check_read(write(d, "l.csv", "\n".join(lines) + "\n"))
    assert c.report.kept >= 30 - 2 * len(spots)


# --- encodings (item 6) ------------------------------------------------------------------------

def _cn_csv_lines():
    header = "公开（公告）号,标题,申请人,申请日"
    rows = [f"CN10{i:07d}A,一种无人机的控制方法{i},深圳市大疆创新科技有限公司,2019-01-02" for i in range(12)]
    return header, rows


def test_gb18030_file_with_utf8_lines(tmp_path):
    header, rows = _cn_csv_lines()
    utf8_at = {3, 7, 10}  # data rows written in UTF-8, the rest in GB18030
    data = header.encode("gb18030") + b"\n" + b"\n".join(r.encode("utf-8" if i in utf8_at else "gb18030")
                                                          for i, r in enumerate(rows)) + b"\n"
    c = check_read(write(tmp_path, "cn.csv", data))
    assert c.table["title"].to_pylist() == [f"一种无人机的控制方法{i}" for i in range(12)]
    enc = [w for w in c.report.warnings if w.field == "(encoding)"]
    assert [w.line for w in enc] == [i + 2 for i in sorted(utf8_at)]
    assert all("UTF-8 in a GB18030 file" in w.reason for w in enc)


def test_gb18030_that_is_also_valid_utf8(tmp_path):
    header, rows = _cn_csv_lines()
    rows[4] = "CN100000004A,隆垄拢,SZ DJI TECHNOLOGY CO LTD,2019-01-02"
    line = rows[4].encode("gb18030")
    line.decode("utf-8")  # the trap: these GB18030 bytes are valid UTF-8 (¡¢£)
    data = (header + "\n").encode("utf-8") + b"\n".join(r.encode("utf-8") if i != 4 else line for i, r in enumerate(rows))
    c = check_read(write(tmp_path, "cn.csv", data))
    assert c.table["title"].to_pylist()[4] == "隆垄拢"
    w = [w for w in c.report.warnings if w.field == "(encoding)"]
    assert [x.line for x in w] == [6] and "¡¢£" in w[0].value


def test_latin1_symbols_in_utf8_stay_utf8(tmp_path):
    rows = [list(r) for r in ROWS[:3]]
    rows[0][TITLE] = "Heater for 35 °C ± 2 °C, 5 µm, § 154, Société Générale, Ærø, £100, ¡Hola!"
    c = check_read(write(tmp_path, "l.csv", lens_csv(rows, HEADER)))
    assert c.table["title"].to_pylist()[0] == rows[0][TITLE]
    assert not [w for w in c.report.warnings if w.field == "(encoding)"]


# --- duplicates (item 13) ------------------------------------------------------------------------

def test_conflicting_duplicates_are_merged_with_a_warning(tmp_path):
    rows = [list(r) for r in ROWS[:5]]
    other = list(rows[1])
    other[TITLE] = "A completely different title"
    same = list(rows[2])
    same[TITLE] = "  " + same[TITLE].upper() + " "  # same title up to case and spaces: no warning
    p = write(tmp_path, "l.csv", lens_csv(rows + [other, same], HEADER))
    c = check_read(p)
    assert (c.report.kept, c.report.merged) == (5, 2)
    w = [i for i in c.report.warnings if i.reason.startswith("duplicate of")]
    assert len(w) == 1 and w[0].line == 7 and w[0].field == "title" and w[0].value == "A completely different title"
    assert "first read at" in w[0].reason and f"{p}:3" in w[0].reason
    assert c.table["title"].to_pylist()[1] == rows[1][TITLE]  # the first value is kept


# --- Rich markup in data (item 5, reading side) ------------------------------------------------

def test_markup_in_values_is_data(tmp_path):
    rows = [list(r) for r in ROWS[:3]]
    rows[0][HEADER.index("publication_date")] = "[/]"
    rows[1][HEADER.index("applicants")] = "[/] [bold]ACME[/bold]"
    c = check_read(write(tmp_path, "l.csv", lens_csv(rows, HEADER)))
    assert any(w.value == "[/]" for w in c.report.warnings)
    assert "[/] [bold]ACME[/bold]" in c.table["applicants"].to_pylist()[1]


def test_zipfile_module_limits_members_to_declared_size():
    """The byte check of check_member relies on zipfile never inflating past a member's
    declared size (ZipExtFile._left); pinned here so an upgrade that changes it is noticed."""
    import io

    data = bytearray(zip_bytes({"a.csv": b"a" * 10_000}, zipfile.ZIP_DEFLATED))
    k = data.find(b"PK\x01\x02")
    data[k + 24:k + 28] = (100).to_bytes(4, "little")  # central directory: file size 100
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as z, pytest.raises(zipfile.BadZipFile):
        with z.open("a.csv") as f:
            assert len(f.read()) <= 100
