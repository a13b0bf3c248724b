"""IPC/CPC symbols: spellings, hierarchy, truncation, WIPO 14-character form, vectorised paths."""

from __future__ import annotations

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patentnav.classify.ipc import (
    LEVELS,
    IpcCode,
    normalize_ipc,
    normalize_ipc_array,
    normalize_ipc_lists,
    parse_ipc,
    to_wipo14,
    truncate,
    truncate_array,
)

EXACT = [
    ("H04W 72/04", "H04W72/04"),
    ("H04W72/04", "H04W72/04"),
    ("H04W  072/04", "H04W72/04"),
    ("H04W-72/04", "H04W72/04"),
    ("H04W 72 / 04", "H04W72/04"),
    ("h04w72/04", "H04W72/04"),
    (" H04W72/04 ", "H04W72/04"),
    ("H04W0072040000", "H04W72/04"),
    ("H04W 72/04 (2009.01)", "H04W72/04"),
    ("H04W72/04(2009.01)", "H04W72/04"),
    ("H04W 72/04 20090101AFI20151208BHEP", "H04W72/04"),
    ("Y02E10/50", "Y02E10/50"),
    ("Y02E 10/50", "Y02E10/50"),
    ("B64C2201/123", "B64C2201/123"),
    ("B64C 2201/123", "B64C2201/123"),
    ("B64C2201123000", "B64C2201/123"),
    ("B64C39/024", "B64C39/024"),
    ("B64C0039024000", "B64C39/024"),
    ("H04W", "H04W"),
    ("h04w", "H04W"),
    ("H04W72", "H04W72/00"),
    ("H04W 72", "H04W72/00"),
    ("H04W0072000000", "H04W72/00"),
    ("H04W0072100000", "H04W72/10"),
    ("H04W72/4", "H04W72/04"),  # a subgroup written as an integer
    # subgroup digits are a decimal fraction: trailing zeros beyond two digits drop
    ("H04W72/040", "H04W72/04"),
    ("H04W72/0400", "H04W72/04"),
    ("H04W72/100", "H04W72/10"),
    ("B64C2201/1230", "B64C2201/123"),
    ("A01B1/00", "A01B1/00"),
    ("A01B1/000", "A01B1/00"),
    # full width (CNIPA exports)
    ("Ｈ０４Ｗ７２／０４", "H04W72/04"),
    ("Ｈ０４Ｗ\u3000７２／０４", "H04W72/04"),
    # invalid
    (None, None),
    ("", None),
    ("   ", None),
    ("I04W72/04", None),  # section I does not exist
    ("Z99Z1/00", None),
    ("104W72/04", None),
    ("H4W72/04", None),
    ("H04", None),
    ("H04W0/04", None),  # main group 0
    ("H04W 0/00", None),
    ("H04W0000000000", None),  # main group 0 in the 14-character form
    ("I04W0072040000", None),
    ("H04W12345/00", None),  # main groups have at most 4 digits
    ("H04W72/1234567", None),  # subgroups at most 6
    ("H04W72/", None),
    ("H04W72/04/05", None),
    ("H04W72/04A", None),
    ("H04W0072040000X", None),
    ("garbage", None),
]


@pytest.mark.parametrize("raw,expected", EXACT)
def test_exact(raw, expected):
    assert normalize_ipc(raw) == expected
    code = parse_ipc(raw)
    assert (None if code is None else str(code)) == expected


def test_vectorised_matches_table():
    raws = pa.array([r for r, _ in EXACT], pa.string())
    assert normalize_ipc_array(raws).to_pylist() == [e for _, e in EXACT]


def test_ipc_code_fields():
    c = parse_ipc("H04W 72/04 (2009.01)")
    assert c == IpcCode("H04W", 72, "04")
    assert (c.section, c.class_, c.subclass, c.main_group, c.subgroup) == ("H", "H04", "H04W", 72, "04")
    assert c.level == "subgroup" and not c.is_cpc_only
    assert parse_ipc("H04W72").level == "main_group"
    assert parse_ipc("H04W").level == "subclass"
    assert parse_ipc("Y02E10/50").is_cpc_only
    assert parse_ipc("B64C2201/123").is_cpc_only


HIERARCHY = [
    ("H04W72/04", {"section": "H", "class": "H04", "subclass": "H04W", "main_group": "H04W72/00", "subgroup": "H04W72/04"}),
    ("B64C2201/123", {"section": "B", "class": "B64", "subclass": "B64C", "main_group": "B64C2201/00", "subgroup": "B64C2201/123"}),
    ("H04W72/00", {"section": "H", "class": "H04", "subclass": "H04W", "main_group": "H04W72/00"}),
    ("H04W", {"section": "H", "class": "H04", "subclass": "H04W"}),
]


@pytest.mark.parametrize("code,levels", HIERARCHY)
def test_hierarchy_and_truncate(code, levels):
    assert parse_ipc(code).hierarchy() == levels
    for level in LEVELS:
        # a code truncated below its own level is itself
        expected = levels.get(level, code)
        assert truncate(code, level) == expected
        assert parse_ipc(code).truncate(level) == expected


def test_truncate_array_and_errors():
    arr = pa.array(["H04W72/04", None, "B64C39/024", "", "bad", "H04W72/04"])
    assert truncate_array(arr, "subclass").to_pylist() == ["H04W", None, "B64C", None, None, "H04W"]
    assert truncate_array(arr, "main_group").to_pylist() == ["H04W72/00", None, "B64C39/00", None, None, "H04W72/00"]
    assert truncate_array(arr, "section").to_pylist() == ["H", None, "B", None, None, "H"]
    assert truncate("bad", "class") is None
    with pytest.raises(ValueError):
        truncate_array(arr, "group")
    with pytest.raises(ValueError):
        truncate("H04W72/04", "group")
    with pytest.raises(ValueError):
        parse_ipc("H04W").truncate("group")


def test_to_wipo14():
    assert to_wipo14("H04W 72/04") == "H04W0072040000"
    assert to_wipo14("B64C2201/123") == "B64C2201123000"
    assert to_wipo14("H04W72") == "H04W0072000000"
    assert to_wipo14(IpcCode("H04W", 72, "04")) == "H04W0072040000"
    for bad in ("H04W", "garbage", ""):
        with pytest.raises(ValueError):
            to_wipo14(bad)


# --- hypothesis --------------------------------------------------------------------------

SECTIONS = st.sampled_from("ABCDEFGHY")
LETTERS = st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZ")


@st.composite
def codes(draw):
    """(section, class, letter, group, subgroup digits) of a valid symbol."""
    sec = draw(SECTIONS)
    cls = draw(st.integers(0, 99))
    letter = draw(LETTERS)
    group = draw(st.integers(1, 9999))
    n = draw(st.integers(2, 6))
    digits = draw(st.text(alphabet="0123456789", min_size=n, max_size=n))
    return f"{sec}{cls:02d}{letter}", group, digits


def _canonical(sub: str, group: int, digits: str) -> str:
    return f"{sub}{group}/{digits[:2] + digits[2:].rstrip('0')}"


def _spell(sub: str, group: int, digits: str) -> list[str]:
    return [
        f"{sub}{group}/{digits}",
        f"{sub} {group}/{digits}",
        f"{sub}  {group:04d}/{digits}",
        f"{sub}-{group}/{digits}",
        f"{sub.lower()} {group} / {digits}",
        f"{sub}{group:04d}{digits.ljust(6, '0')}",  # WIPO 14
        f"{sub} {group}/{digits} (2006.01)",
        f"{sub} {group}/{digits} 20060101AFI20151208BHEP",
    ]


@given(codes())
def test_spellings_normalise_equal(code):
    sub, group, digits = code
    expected = _canonical(sub, group, digits)
    got = [normalize_ipc(s) for s in _spell(sub, group, digits)]
    assert got == [expected] * len(got)
    assert normalize_ipc_array(pa.array(_spell(sub, group, digits))).to_pylist() == got
    # round trips
    assert normalize_ipc(expected) == expected
    assert normalize_ipc(to_wipo14(expected)) == expected
    assert to_wipo14(expected) == f"{sub}{group:04d}{digits.ljust(6, '0')}"
    h = parse_ipc(expected).hierarchy()
    assert h["subclass"] == sub and h["main_group"] == f"{sub}{group}/00"


IPC_LIKE = st.text(alphabet="ABHYZh0123456789/ ()-.Ｈ０４／\t", max_size=20)
ANY_TEXT = st.one_of(st.none(), st.text(max_size=25), IPC_LIKE)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ANY_TEXT, max_size=20))
def test_scalar_properties_on_arbitrary_text(values):
    """Never raises; idempotent; vectorised == scalar element-wise."""
    scalar = [normalize_ipc(v) for v in values]
    for v in scalar:
        if v is not None:
            assert normalize_ipc(v) == v
            assert normalize_ipc(to_wipo14(v)) == v if parse_ipc(v).main_group is not None else True
    assert normalize_ipc_array(pa.array(values, pa.string())).to_pylist() == scalar


VALID = codes().map(lambda c: _spell(*c)[0])
ITEM = st.one_of(st.none(), st.just(""), st.just("  "), VALID, IPC_LIKE, st.sampled_from(["H04W72/04", "h04w 72/04", "bad"]))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.none(), st.lists(ITEM, max_size=6)), max_size=12))
def test_normalize_ipc_lists_matches_scalar(lists):
    good, bad = normalize_ipc_lists(pa.array(lists, pa.list_(pa.string())))
    assert len(good) == len(bad) == len(lists)
    for row, g, b in zip(lists, good.to_pylist(), bad.to_pylist()):
        expected, seen, expected_bad = [], set(), []
        for item in row or []:
            norm = normalize_ipc(item.strip()) if item is not None else None
            if norm is not None:
                if norm not in seen:
                    seen.add(norm)
                    expected.append(norm)
            elif item is not None and item.strip():
                expected_bad.append(item)
        assert g == expected
        assert b == expected_bad
