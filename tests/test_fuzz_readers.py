"""Fuzzing the readers: whatever the bytes, ``patentnav.read`` either raises ``IngestError``
or returns a corpus whose report accounts for every row, each issue naming file, line and
field.

Inputs: mutated rows of the bundled Lens sample (header + 50 rows), random bytes behind
the magic numbers the detectors look at (compressed, zip, XLSX, UTF-16 XML, Chinese
headers), and random JSON lines (legal events and empty keys included) for the canonical
reader. Hostile inputs with exact expectations (bombs, XLSX entities, zip damage, unclosed
quotes, encodings) are in test_hostile_inputs.py and test_limits.py.
"""

from __future__ import annotations

import bz2
import csv
import gzip
import io
import json
import lzma
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import patentnav
from patentnav import IngestError
from patentnav.model.schema import SCHEMA

N_ROWS = 50


def _load_sample() -> tuple[list[str], list[list[str]]]:
    text = gzip.decompress(patentnav.datasets.path("drones").read_bytes()).decode("utf-8")
    rows = list(csv.reader(io.StringIO(text, newline="")))
    return rows[0], rows[1:N_ROWS + 1]


HEADER, ROWS = _load_sample()
COL = {name: i for i, name in enumerate(HEADER)}


def _csv(rows: list[list[str]], delimiter: str = ",", header: list[str] | None = HEADER) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    if header is not None:
        w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def check_read(path: Path, fmt: str | None = None):
    """``read`` raises IngestError or returns a fully accounted corpus (None when it raised)."""
    try:
        c = patentnav.read(path, format=fmt)
    except IngestError as e:
        assert str(e)
        return None
    r = c.report
    assert r.rows_read == r.kept + r.merged + len(r.rejected)
    assert r.kept == len(c)
    for issue in r.rejected + r.warnings:
        assert issue.file, issue
        assert isinstance(issue.line, int) and issue.line >= 1, issue
        assert issue.field, issue
        assert issue.reason, issue
    if r.rejected or len(c):
        assert str(path) in {i.file for i in r.rejected} | set(c.table["source_file"].to_pylist())
    return c


def _read_bytes(data: bytes, suffix: str = ".csv", fmt: str | None = None):
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / f"input{suffix}"
        p.write_bytes(data)
        return check_read(p, fmt)


def _copy() -> list[list[str]]:
    return [list(r) for r in ROWS]


def _lines_of(data: bytes) -> list[int]:
    """Line on which each data record of a CSV starts (header on line 1)."""
    text = data.decode("utf-8")
    out = []
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    prev = reader.line_num
    for _ in reader:
        out.append(prev + 1)
        prev = reader.line_num
    return out


# --- named mutations, with exact expectations ----------------------------------------------


def test_unmodified_sample(tmp_path):
    p = tmp_path / "s.csv"
    p.write_bytes(_csv(ROWS))
    c = check_read(p)
    assert (c.report.rows_read, c.report.kept, c.report.merged, len(c.report.rejected)) == (N_ROWS, N_ROWS, 0, 0)
    assert c.table["source_row"].to_pylist() == list(range(2, N_ROWS + 2))


def test_deleted_field_rejects_that_row_with_its_line(tmp_path):
    rows = _copy()
    rows[0][COL["title"]] = "A title\nthat spans\nthree lines"  # later records start further down
    del rows[7][COL["kind"]]
    data = _csv(rows)
    p = tmp_path / "s.csv"
    p.write_bytes(data)
    c = check_read(p)
    assert len(c.report.rejected) == 1 and c.report.kept == N_ROWS - 1
    issue = c.report.rejected[0]
    assert issue.line == _lines_of(data)[7] == 11
    assert issue.field == "(record)" and issue.file == str(p)
    # kept rows carry their own starting lines
    assert c.table["source_row"].to_pylist()[:3] == [2, 5, 6]


def test_duplicated_row_is_merged(tmp_path):
    rows = _copy() + [list(ROWS[3])]
    p = tmp_path / "s.csv"
    p.write_bytes(_csv(rows))
    c = check_read(p)
    assert (c.report.rows_read, c.report.kept, c.report.merged) == (N_ROWS + 1, N_ROWS, 1)
    pub = patentnav.normalize_publication_number(ROWS[3][COL["publication_number"]])
    row = c.filter(publication_number=pub).table.to_pylist()[0]
    assert row["duplicate_sources"] == [f"{p}:{N_ROWS + 2}"]
    assert row["source_row"] == 5


def test_garbage_values_are_warnings_on_the_right_lines(tmp_path):
    rows = _copy()
    rows[0][COL["publication_date"]] = "32/13/2016"
    rows[1][COL["application_date"]] = "30/02/16"
    rows[2][COL["ipcr_classifications"]] = "ZZZ;;B64C39/024;;B64C0/00"
    rows[3][COL["cited_count"]] = "-5"
    rows[4][COL["extended_family_size"]] = "12,34"
    rows[5][COL["publication_date"]] = "0000-01-01"
    rows[6][COL["publication_number"]] = "garbage"
    rows[7][COL["publication_number"]] = ""
    p = tmp_path / "s.csv"
    p.write_bytes(_csv(rows))
    c = check_read(p)
    r = c.report
    assert r.kept == N_ROWS - 2
    assert [(i.line, i.field) for i in r.rejected] == [(8, "publication_number"), (9, "publication_number")]
    got = {(i.line, i.field, i.value) for i in r.warnings}
    assert {(2, "publication_date", "32/13/2016"), (3, "application_date", "30/02/16"),
            (4, "ipcr_classifications", "ZZZ"), (4, "ipcr_classifications", "B64C0/00"),
            (5, "cited_count", "-5"), (6, "extended_family_size", "12,34"),
            (7, "publication_date", "0000-01-01")} <= got
    assert c.table["ipc"].to_pylist()[2] == ["B64C39/024"]


def test_truncated_mid_row(tmp_path):
    data = _csv(ROWS)
    cut = data.rfind(b"\n", 0, len(data) // 2) + 40  # 40 bytes into a record
    p = tmp_path / "s.csv"
    p.write_bytes(data[:cut])
    c = check_read(p)
    assert c.report.rows_read <= N_ROWS
    assert len(c.report.rejected) == 1 and c.report.rejected[0].field == "(record)"


@pytest.mark.parametrize("name,data", [
    ("empty", b""),
    ("blank lines", b"\n\n  \n"),
    ("nul bytes only", b"\x00" * 64),
    ("random", bytes(range(256)) * 4),
])
def test_unreadable_inputs_raise_ingest_error(tmp_path, name, data):
    p = tmp_path / "s.csv"
    p.write_bytes(data)
    with pytest.raises(IngestError):
        patentnav.read(p)


def test_header_only(tmp_path):
    for data in (_csv([]), _csv([]).rstrip(b"\n"), _csv([]) + b"\n\n"):
        p = tmp_path / "s.csv"
        p.write_bytes(data)
        c = check_read(p)
        assert len(c) == 0 and c.report.rows_read == 0


@pytest.mark.parametrize("transform", [
    pytest.param(lambda d: b"\xef\xbb\xbf" + d, id="bom"),
    pytest.param(lambda d: d.replace(b"\n", b"\r\n"), id="crlf"),
    pytest.param(lambda d: d.replace(b"\n", b"\r"), id="cr"),
    pytest.param(gzip.compress, id="gzip"),
    pytest.param(bz2.compress, id="bz2"),
    pytest.param(lzma.compress, id="xz"),
])
def test_container_variants_read_fully(tmp_path, transform):
    p = tmp_path / "s.csv"
    p.write_bytes(transform(_csv(ROWS)))
    c = check_read(p)
    assert c.report.kept == N_ROWS and not c.report.rejected


def test_nul_and_invalid_utf8_inside_rows(tmp_path):
    data = _csv(ROWS)
    second = data.index(b"\n") + 1
    third = data.index(b"\n", second) + 1
    bad = data[:third + 30] + b"\x00" + data[third + 30:]
    k = bad.index(b"\n", third) + 50
    bad = bad[:k] + b"\xff\xfe\xc3" + bad[k:]
    p = tmp_path / "s.csv"
    p.write_bytes(bad)
    c = check_read(p)
    assert c.report.rows_read == N_ROWS
    assert [w.line for w in c.report.warnings if w.field == "(encoding)"] == [4]


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_other_delimiters_never_crash(tmp_path, delimiter):
    p = tmp_path / "s.csv"
    p.write_bytes(_csv(ROWS, delimiter))
    check_read(p)


def test_bad_gzip_raises_ingest_error(tmp_path):
    p = tmp_path / "s.csv.gz"
    p.write_bytes(gzip.compress(_csv(ROWS))[:300])
    with pytest.raises(IngestError):
        patentnav.read(p)
    with pytest.raises(IngestError):
        patentnav.read(p, format="lens")


# --- hypothesis: random mutations of the real rows -------------------------------------------

GARBAGE = st.one_of(
    st.sampled_from(["", " ", "x", "99/99/99", "00/00/00", "31/02/16", "2016-02-30", "0000-01-01", "-1",
                     "1e9", "99999999999", "12,34", ";;", ";;;;", "ZZZ", "B64C0/00", "H04W 72/04 (2009.01)",
                     "Ｈ０４Ｗ７２／０４", "ＵＳ９１２３４５６Ｂ２", "US", "US B2", "WO 16/1 A1", "\x00", "\ufeff",
                     '"', '""', "\n", "\r", "\r\n", ",", "\u2028", "NaN", "null", "𝟘"]),
    st.text(max_size=12),
)

OPS = st.one_of(
    st.tuples(st.just("delete_field"), st.integers(0, N_ROWS - 1), st.integers(0, len(HEADER) - 1)),
    st.tuples(st.just("extra_field"), st.integers(0, N_ROWS - 1), GARBAGE),
    st.tuples(st.just("duplicate_row"), st.integers(0, N_ROWS - 1), st.integers(0, N_ROWS - 1)),
    st.tuples(st.just("set_value"), st.integers(0, N_ROWS - 1), st.tuples(st.integers(0, len(HEADER) - 1), GARBAGE)),
    st.tuples(st.just("set_list"), st.integers(0, N_ROWS - 1),
              st.tuples(st.sampled_from([COL["ipcr_classifications"], COL["cpc_classifications"], COL["priority_numbers"],
                                         COL["applicants"], COL["publication_number"]]),
                        st.lists(GARBAGE, max_size=4))),
    st.tuples(st.just("delete_row"), st.integers(0, N_ROWS - 1), st.none()),
)


@st.composite
def mutated_files(draw) -> bytes:
    rows = _copy()[: draw(st.integers(0, N_ROWS))]
    for op, i, arg in draw(st.lists(OPS, max_size=12)):
        if not rows:
            break
        i %= len(rows)
        if op == "delete_field" and rows[i]:
            del rows[i][arg % len(rows[i])]
        elif op == "extra_field":
            rows[i].append(arg)
        elif op == "duplicate_row":
            rows.insert(arg % (len(rows) + 1), list(rows[i]))
        elif op == "set_value" and arg[0] < len(rows[i]):
            rows[i][arg[0]] = arg[1]
        elif op == "set_list" and arg[0] < len(rows[i]):
            rows[i][arg[0]] = ";;".join(arg[1])
        elif op == "delete_row":
            del rows[i]
    data = _csv(rows, delimiter=draw(st.sampled_from([",", ",", ",", ";", "\t"])))
    byte_op = draw(st.sampled_from(["none", "none", "truncate", "insert", "nul", "encode"]))
    if byte_op == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif byte_op == "insert":
        k = draw(st.integers(0, len(data)))
        data = data[:k] + draw(st.binary(min_size=1, max_size=8)) + data[k:]
    elif byte_op == "nul":
        k = draw(st.integers(0, len(data)))
        data = data[:k] + b"\x00" + data[k:]
    elif byte_op == "encode":
        data = draw(st.sampled_from([gzip.compress, lambda d: b"\xef\xbb\xbf" + d, lambda d: d.replace(b"\n", b"\r\n")]))(data)
    return data


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated_files())
def test_mutated_lens_rows(data):
    _read_bytes(data)
    _read_bytes(data, fmt="lens")


MAGIC = st.sampled_from([b"", b"PAR1", b"\x1f\x8b", b"BZh", b"\xfd7zXZ\x00", b"{", b'{"publication_number": ',
                         b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"lens_id,publication_number\n",
                         b"lens_id,publication_number,publication_date,publication_year\n",
                         # the other registered readers' detectors
                         b"PK\x03\x04", b'<?xml version="1.0"?>\n<us-patent-grant ', b"search URL:,x\n",
                         b"id,title,result link,representative figure link\n",
                         b"patent_id\tpatent_date\tpatent_type\n",
                         "公开（公告）号,申请人,申请日\n".encode("utf-8"),
                         "公开（公告）号,申请人,申请日\n".encode("gb18030"),
                         # UTF-16 XML with and without BOM, an encrypted Office file (OLE), a deep JSON line
                         '<?xml version="1.0" encoding="UTF-16"?><us-patent-grant>'.encode("utf-16"),
                         '<?xml version="1.0"?><us-patent-grant>'.encode("utf-16-le"),
                         b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b'{"publication_number": "US 1 B2", "cpc": ' + b"[" * 200])


@settings(max_examples=80, deadline=None)
@given(MAGIC, st.one_of(st.binary(max_size=400), st.text(alphabet='abUS0123456789,;\t\n\r"{}[]: /-', max_size=300).map(str.encode)))
def test_random_bytes(magic, body):
    _read_bytes(magic + body)


# --- hypothesis: canonical JSON lines --------------------------------------------------------

JSON_SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**20), 10**20), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=10),
    st.sampled_from(["US 9123456 B2", "WO 2016/123456 A1", "2016-02-01", "20160201", "01/02/16", "H04W72/04",
                     "B64C0/00", "a;;b", "", "\x00"]),
)
JSON_VALUES = st.recursive(JSON_SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(min_size=1, max_size=5), inner, max_size=3), max_leaves=6)
KEYS = st.sampled_from(list(SCHEMA.names) + ["unknown_field", ""])
RECORD = st.dictionaries(KEYS, JSON_VALUES, max_size=6).map(lambda d: {"publication_number": "US 9123456 B2", **d})
LINE = st.one_of(RECORD.map(json.dumps), RECORD.map(json.dumps), JSON_VALUES.map(json.dumps), st.text(max_size=20),
                 st.just(""))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, max_size=6))
def test_random_json_lines(lines):
    data = (json.dumps({"publication_number": "US 1234567 B2"}) + "\n" + "\n".join(lines)).encode("utf-8")
    c = _read_bytes(data, ".jsonl")
    assert c is not None  # a file whose first line is a record is always read
    _read_bytes(data, ".jsonl", fmt="jsonl")


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=300))
def test_jsonl_reader_on_random_bytes(body):
    _read_bytes(b'{"publication_number": "US 1 B2"}\n' + body, ".jsonl", fmt="jsonl")
    _read_bytes(body, ".jsonl", fmt="jsonl")


def test_jsonl_line_numbers(tmp_path):
    lines = ['{"publication_number": "US 1 B2"}', "", "not json", '{"publication_number": "x"}',
             '{"publication_number": "US 2 B2", "bogus": 1}', '[1, 2]', '{"publication_number": "US 3 B2", "filing_date": 20160230}']
    p = tmp_path / "c.jsonl"
    p.write_text("\n".join(lines) + "\n")
    c = check_read(p)
    assert c.table["publication_number"].to_pylist() == ["US-1-B2", "US-3-B2"]
    assert [(i.line, i.field) for i in c.report.rejected] == [(3, "(record)"), (4, "publication_number"), (5, "bogus"), (6, "(record)")]
    assert [(i.line, i.field) for i in c.report.warnings] == [(7, "filing_date")]


@pytest.mark.parametrize("body", [b"\x00", b"abc\n", b"1\t2\n3\n"])
def test_patentsview_only_malformed_records(tmp_path, body):
    # found by test_random_bytes: every record malformed used to be counted as rejected twice
    p = tmp_path / "g_patent.tsv"
    p.write_bytes(b"patent_id\tpatent_date\tpatent_type\n" + body)
    c = check_read(p)
    assert c is not None and len(c) == 0 and c.report.rows_read == len(c.report.rejected)


# --- cases found by the fuzzers (fixed; kept as regression tests) ---------------------------------


@pytest.mark.parametrize("value", ["abc", 5, [1], [None], [[1]]])
def test_jsonl_legal_events_not_objects(tmp_path, value):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"publication_number": "US 1 B2", "legal_events": value}) + "\n")
    check_read(p)


def test_jsonl_legal_event_bad_date(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"publication_number": "US 1 B2", "legal_events": [{"date": "31/12/2016", "code": "A"}]}) + "\n")
    check_read(p)


@pytest.mark.parametrize("event", [{"date": "2016-01-01", "code": 1}, {"code": True}, {"description": ["x"]}])
def test_jsonl_legal_event_non_string_fields(tmp_path, event):
    p = tmp_path / "c.jsonl"
    p.write_text(json.dumps({"publication_number": "US 1 B2", "legal_events": [event]}) + "\n")
    check_read(p)


def test_jsonl_round_trip_with_unicode_line_separators(tmp_path):
    import pyarrow as pa

    from patentnav.io.canonical import write_jsonl

    c = patentnav.Corpus(pa.table({"publication_number": ["US-1-B2", "US-2-B2"], "title": ["a\u2028b", "c\x85d"]}))
    p = tmp_path / "c.jsonl"
    write_jsonl(c, p)
    back = check_read(p)
    assert back.table["title"].to_pylist() == ["a\u2028b", "c\x85d"]


def test_jsonl_empty_key_issue_has_field(tmp_path):
    p = tmp_path / "c.jsonl"
    p.write_text('{"publication_number": "US 1 B2"}\n{"publication_number": "US 2 B2", "": 1}\n')
    c = check_read(p)
    assert len(c.report.rejected) == 1


def test_semicolon_lens_export_is_read(tmp_path):
    p = tmp_path / "s.csv"
    p.write_bytes(_csv(ROWS, ";"))
    c = check_read(p)
    assert c is not None and c.report.kept == N_ROWS


def test_utf16_lens_export_is_read(tmp_path):
    p = tmp_path / "s.csv"
    p.write_bytes(_csv(ROWS).decode("utf-8").encode("utf-16"))
    c = check_read(p)
    assert c is not None and c.report.kept == N_ROWS


def test_truncated_gzip_message(tmp_path):
    p = tmp_path / "s.csv.gz"
    p.write_bytes(gzip.compress(_csv(ROWS))[:300])
    with pytest.raises(IngestError, match="damaged"):
        patentnav.read(p)
