"""Raw value parsing: dates (incl. two-digit years), integers, list splitting, document types."""

from __future__ import annotations

import datetime as dt

import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patentnav.io.values import (
    DATE_PATTERNS,
    as_string_array,
    document_types,
    parse_dates,
    parse_ints,
    split_lists,
)

D = dt.date


def _dates(values, formats, ref=None):
    d, inv = parse_dates(values, formats, ref)
    assert d.type == pa.date32() and inv.type == pa.bool_()
    return d.to_pylist(), inv.to_pylist()


@pytest.mark.parametrize(
    "fmt,raw,expected",
    [
        ("iso", "2016-02-01", D(2016, 2, 1)),
        ("iso", "2016.2.1", D(2016, 2, 1)),
        ("iso", "2016/02/01", D(2016, 2, 1)),
        ("iso", "2016-02-01 12:30:00", D(2016, 2, 1)),
        ("iso", "2016-02-01T00:00:00Z", D(2016, 2, 1)),
        ("iso", " 2016-02-01 ", D(2016, 2, 1)),
        ("iso", "２０１６－０２－０１", D(2016, 2, 1)),  # full width
        ("compact", "20160201", D(2016, 2, 1)),
        ("cn", "2016年2月1日", D(2016, 2, 1)),
        ("cn", "2016 年 02 月 01 日", D(2016, 2, 1)),
        ("cn", "2016年2月1", D(2016, 2, 1)),
        ("dmy", "01/02/2016", D(2016, 2, 1)),
        ("dmy", "1.2.2016", D(2016, 2, 1)),
        ("dmy", "1-2-2016", D(2016, 2, 1)),
        ("mdy", "02/01/2016", D(2016, 2, 1)),
        ("mdy", "2/1/2016", D(2016, 2, 1)),
        ("iso", "2016-02-29", D(2016, 2, 29)),
        ("iso", "2000-02-29", D(2000, 2, 29)),
        ("iso", "9999-12-31", D(9999, 12, 31)),
    ],
)
def test_each_pattern(fmt, raw, expected):
    assert _dates([raw], (fmt,)) == ([expected], [False])
    # also found when the pattern is not first in the list
    others = tuple(f for f in DATE_PATTERNS if f not in (fmt, "dmy", "mdy")) + (fmt,)
    assert _dates([raw], others) == ([expected], [False])


@pytest.mark.parametrize(
    "raw,fmt",
    [
        ("2016-02-30", "iso"),
        ("2015-02-29", "iso"),
        ("1900-02-29", "iso"),
        ("2016-13-01", "iso"),
        ("2016-00-10", "iso"),
        ("2016-04-31", "iso"),
        ("0000-01-01", "iso"),  # no year 0
        ("20161301", "compact"),
        ("31/04/2016", "dmy"),
        ("29/02/15", "dmy"),
        ("13/13/2016", "mdy"),
        ("2016年2月30日", "cn"),
        ("garbage", "iso"),
        ("01/02/16", "iso"),  # a pattern not asked for
        ("2016-02", "iso"),
    ],
)
def test_invalid_dates_are_null_and_flagged(raw, fmt):
    assert _dates([raw], (fmt,)) == ([None], [True])


def test_blanks_are_null_not_invalid():
    assert _dates(["", "  ", None, "\t"], ("iso", "dmy")) == ([None] * 4, [False] * 4)


def test_two_digit_years_follow_reference_year():
    raw = ["01/02/16", "1/2/48", "01/02/17", "01/02/18", "31/12/99", "01/02/00"]
    got, inv = _dates(raw, ("dmy",), [2017] * 6)
    assert got == [D(2016, 2, 1), D(1948, 2, 1), D(2017, 2, 1), D(1918, 2, 1), D(1999, 12, 31), D(2000, 2, 1)]
    assert inv == [False] * 6
    # per-row reference years, with a null falling back to the current year
    got, _ = _dates(["01/02/16", "01/02/16", "01/02/16"], ("dmy",), [2020, 2010, None])
    assert got == [D(2016, 2, 1), D(1916, 2, 1), D(2016, 2, 1)]
    # no reference: not later than this year
    this = dt.date.today().year
    got, _ = _dates([f"01/01/{(this + 1) % 100:02d}", f"01/01/{this % 100:02d}"], ("dmy",))
    assert got == [D(this + 1 - 100, 1, 1), D(this, 1, 1)]
    # month first
    assert _dates(["02/01/16"], ("mdy",), [2017])[0] == [D(2016, 2, 1)]


def test_first_matching_pattern_wins():
    assert _dates(["01/02/2016"], ("dmy", "mdy"))[0] == [D(2016, 2, 1)]
    assert _dates(["01/02/2016"], ("mdy", "dmy"))[0] == [D(2016, 1, 2)]


def test_non_string_inputs():
    # JSON numbers and stray objects are text to be parsed or reported, never a crash
    got, inv = _dates([20160201, None, [1], {"a": 1}, True], ("iso", "compact"))
    assert got == [D(2016, 2, 1), None, None, None, None]
    assert inv == [False, False, True, True, True]
    d, inv = parse_dates(pa.chunked_array([["2016-02-01"], [None]]), ("iso",))
    assert d.to_pylist() == [D(2016, 2, 1), None]
    assert _dates([], ("iso",)) == ([], [])


# --- hypothesis: agreement with datetime -----------------------------------------------

_RENDER = {
    "iso": lambda d: [d.isoformat(), f"{d.year:04d}.{d.month}.{d.day}", f"{d.year:04d}/{d.month:02d}/{d.day:02d} 10:00"],
    "compact": lambda d: [f"{d.year:04d}{d.month:02d}{d.day:02d}"],
    "cn": lambda d: [f"{d.year:04d}年{d.month}月{d.day}日"],
    "dmy": lambda d: [f"{d.day:02d}/{d.month:02d}/{d.year:04d}", f"{d.day}.{d.month}.{d.year:04d}"],
    "mdy": lambda d: [f"{d.month:02d}/{d.day:02d}/{d.year:04d}", f"{d.month}-{d.day}-{d.year:04d}"],
}


@settings(max_examples=150, deadline=None)
@given(st.dates(min_value=D(1000, 1, 1), max_value=D(9999, 12, 31)), st.sampled_from(list(_RENDER)))
def test_parse_dates_agrees_with_datetime(date, fmt):
    texts = _RENDER[fmt](date)
    got, inv = _dates(texts, (fmt,))
    assert got == [dt.date.fromisoformat(date.isoformat())] * len(texts)
    assert inv == [False] * len(texts)


@settings(max_examples=150, deadline=None)
@given(st.integers(1000, 9999), st.integers(1, 12), st.integers(1, 31))
def test_iso_validity_agrees_with_datetime(y, m, d):
    text = f"{y:04d}-{m:02d}-{d:02d}"
    try:
        expected = dt.date.fromisoformat(text)
    except ValueError:
        expected = None
    assert _dates([text], ("iso",)) == ([expected], [expected is None])


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=D(1950, 1, 1), max_value=D(2049, 12, 31)))
def test_two_digit_year_reference(date):
    text = f"{date.day:02d}/{date.month:02d}/{date.year % 100:02d}"
    got, _ = _dates([text], ("dmy",), [date.year])
    assert got == [date]
    got, _ = _dates([text], ("dmy",), [date.year + 99])
    assert got == [date]


# --- integers -----------------------------------------------------------------------------


def test_parse_ints():
    raw = ["12", "1,234", " 7 ", "", "  ", None, "abc", "-3", "1.0", "1,234.00", "1.5", "12,34", "1,2345",
           "999999999", "1234567890", "0", "007", "１２", "+5", "1e3"]
    ints, inv = parse_ints(raw)
    assert ints.type == pa.int32()
    assert ints.to_pylist() == [12, 1234, 7, None, None, None, None, None, 1, 1234, None, None, None,
                                999999999, None, 0, 7, 12, None, None]
    assert inv.to_pylist() == [False, False, False, False, False, False, True, True, False, False, True, True, True,
                               False, True, False, False, False, True, True]


def test_parse_ints_integer_arrays():
    ints, inv = parse_ints(pa.array([1, None, -3, 2**40, 2**31 - 1], pa.int64()))
    assert ints.to_pylist() == [1, None, None, None, 2**31 - 1]
    assert inv.to_pylist() == [False, False, True, True, False]
    ints, inv = parse_ints(pa.chunked_array([pa.array([5], pa.int8())]))
    assert ints.to_pylist() == [5] and inv.to_pylist() == [False]
    ints, inv = parse_ints([1, "2", None, 3.0, 1.5])  # JSON numbers
    assert ints.to_pylist() == [1, 2, None, 3, None]
    assert inv.to_pylist() == [False, False, False, False, True]


@given(st.integers(0, 2**31 - 1))
def test_parse_ints_round_trip(n):
    ints, inv = parse_ints([str(n), f"{n:,}", f" {n} ", f"{n}.00"])
    if n <= 999_999_999:
        assert ints.to_pylist() == [n] * 4 and not any(inv.to_pylist())
    else:  # more than nine digits is not a count in an export
        assert ints.to_pylist()[0] is None and inv.to_pylist()[0]


# --- lists ----------------------------------------------------------------------------------


def test_split_lists_literal():
    assert split_lists(["a;;b;; c ;;", None, "", ";;", "x", "a;b"], ";;").to_pylist() == [
        ["a", "b", "c"], [], [], [], ["x"], ["a;b"]]
    assert split_lists(["a | b|c"], "|").to_pylist() == [["a", "b", "c"]]


def test_split_lists_regex():
    assert split_lists(["a; b|c", None, "a;;b"], "re:[;|]+").to_pylist() == [["a", "b", "c"], [], ["a", "b"]]


def test_split_lists_none_separator_keeps_whole_value():
    assert split_lists(["a;;b", " x ", None], None).to_pylist() == [["a;;b"], ["x"], []]


def test_split_lists_already_lists():
    assert split_lists([["a", " b ", ""], None, []], ";;").to_pylist() == [["a", "b"], [], []]
    assert split_lists([None, ["a"], "x"], None).to_pylist() == [[], ["a"], ["x"]]
    arr = pa.array([["a", None, " "], None, ["c;;d"]], pa.list_(pa.string()))
    assert split_lists(arr, ";;").to_pylist() == [["a"], [], ["c;;d"]]
    assert split_lists(pa.chunked_array([arr]), ";;").to_pylist() == [["a"], [], ["c;;d"]]
    assert split_lists(arr.slice(1), ";;").to_pylist() == [[], ["c;;d"]]


def test_split_lists_empty_and_all_null():
    assert split_lists([], ";").to_pylist() == []
    assert split_lists([None, None], ";").to_pylist() == [[], []]
    assert split_lists(pa.array([None], pa.string()), ";").to_pylist() == [[]]


@given(st.lists(st.one_of(st.none(), st.lists(st.text(alphabet="ab ;|", max_size=5), max_size=4)), max_size=10))
def test_split_lists_matches_python(rows):
    texts = [None if r is None else ";;".join(r) for r in rows]
    got = split_lists(texts, ";;").to_pylist()
    expected = [[] if t is None else [p.strip() for p in t.split(";;") if p.strip()] for t in texts]
    assert got == expected


# --- document types ---------------------------------------------------------------------------

KIND_RULES = [
    ("US", "A", "granted_patent"),  # before 2001
    ("US", "B1", "granted_patent"),
    ("US", "B2", "granted_patent"),
    ("US", "E", "granted_patent"),  # reissue
    ("US", "A1", "application"),
    ("US", "S", "design"),
    ("US", "s", "design"),
    ("US", "P2", "plant_patent"),
    ("US", "P3", "plant_patent"),
    ("US", "H", "statutory_invention_registration"),
    ("WO", "A1", "application"),
    ("WO", "A2", "application"),
    ("WO", "A3", "search_report"),
    ("EP", "A3", "search_report"),
    ("EP", "A1", "application"),
    ("EP", "B1", "granted_patent"),
    ("EP", "B8", "amended"),
    ("EP", "B9", "amended"),
    ("EP", "A9", "amended"),
    ("AU", "A1", "application"),
    ("AU", "A4", "limited_patent"),
    ("AU", "B4", "limited_patent"),
    ("CN", "A", "application"),
    ("CN", "B", "granted_patent"),
    ("CN", "C", "granted_patent"),
    ("CN", "U", "utility_model"),
    ("CN", "Y", "utility_model"),
    ("CN", "S", "design"),
    ("JP", "U", "utility_model"),
    ("DE", "U1", "utility_model"),
    ("KR", "Y1", "utility_model"),
    ("US", "I4", "other"),
    ("US", None, None),
    (None, None, None),
]


def test_document_types_from_kind():
    j = [r[0] for r in KIND_RULES]
    k = [r[1] for r in KIND_RULES]
    assert document_types(None, j, k).to_pylist() == [r[2] for r in KIND_RULES]


def test_document_types_from_type_text_win_over_kind():
    texts = ["Granted Patent", "Patent Application", " design right ", "Design", "Utility Model", "Plant Patent",
             "Search Report", "Amended Patent", "Limited Patent", "Statutory Invention Registration",
             "实用新型", "发明授权", "发明公开", "外观设计", "granted_patent", "nonsense", None, ""]
    expected = ["granted_patent", "application", "design", "design", "utility_model", "plant_patent",
                "search_report", "amended", "limited_patent", "statutory_invention_registration",
                "utility_model", "granted_patent", "application", "design", "granted_patent",
                "application", "application", "application"]  # unknown text: the kind decides (A1)
    assert document_types(texts, ["US"] * len(texts), ["A1"] * len(texts)).to_pylist() == expected


def test_as_string_array():
    assert as_string_array(["a", None]).to_pylist() == ["a", None]
    assert as_string_array(pa.array([1, None])).to_pylist() == ["1", None]
    assert as_string_array([1, 2.0, 2.5, True, None, float("nan")]).to_pylist() == ["1", "2", "2.5", "True", None, None]
    assert as_string_array(pa.chunked_array([["x"], ["y"]])).to_pylist() == ["x", "y"]
