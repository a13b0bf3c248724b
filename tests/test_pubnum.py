"""Publication-number normalisation: exact spellings and hypothesis properties."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from patentnav.model.pubnum import (
    normalize_publication_number,
    normalize_publication_numbers,
    split_publication_numbers,
)

CANONICAL = re.compile(r"^[A-Z]{2}-[A-Z]{0,2}[0-9]+(-[A-Z][0-9]?)?$")

EXACT = [
    # separators
    ("US 9,123,456 B2", "US-9123456-B2"),
    ("US9123456B2", "US-9123456-B2"),
    ("US-9123456-B2", "US-9123456-B2"),
    ("US 9.123.456 B2", "US-9123456-B2"),
    ("US 09123456 B2", "US-9123456-B2"),  # US grants lose leading zeros
    ("CN 114081026 A", "CN-114081026-A"),
    ("EP 1 000 000 A1", "EP-1000000-A1"),
    ("EP1000000", "EP-1000000"),
    # year/serial
    ("WO 2016/123456 A1", "WO-2016123456-A1"),
    ("WO2016123456A1", "WO-2016123456-A1"),
    ("WO 16/12345 A1", "WO-2016012345-A1"),  # two-digit year, serial padded to 6
    ("WO/2016/123456", "WO-2016123456"),
    ("US 2017/0358105 A1", "US-20170358105-A1"),
    ("US 2017/358105 A1", "US-20170358105-A1"),  # serial padded to 7
    ("US 20170358105 A1", "US-20170358105-A1"),
    ("AU 2016/219013 A1", "AU-2016219013-A1"),
    ("AU 2016219013 A1", "AU-2016219013-A1"),
    ("JP 2016-123456 A", "JP-2016123456-A"),
    ("JP 2016/012345 A", "JP-2016012345-A"),  # serial kept as written (no JP width)
    ("JP 2016-012345 A", "JP-2016012345-A"),
    ("DE 10 2016 123 456 A1", "DE-102016123456-A1"),
    # Korea: IP-right code 10/20 dropped as in DOCDB (KR20160012345A)
    ("KR 10-2016-0012345 A", "KR-20160012345-A"),
    ("KR1020160012345A", "KR-20160012345-A"),
    ("KR 20-2016-0001234 U", "KR-20160001234-U"),
    ("KR 10-1234567 B1", "KR-101234567-B1"),  # grants keep the 9-digit DOCDB number
    # letter prefixes
    ("USD789,123 S", "US-D789123-S"),
    ("US D789,123 S", "US-D789123-S"),
    ("US D0789123 S", "US-D789123-S"),
    ("US RE45,678 E", "US-RE45678-E"),
    ("US RE045678 E", "US-RE45678-E"),
    ("US PP12,345 P2", "US-PP12345-P2"),
    ("US H1234 H", "US-H1234-H"),
    ("JP H10-123456 A", "JP-H10123456-A"),
    ("TW I500000 B", "TW-I500000-B"),
    ("TW M500000 U", "TW-M500000-U"),
    ("BR PI0612345 A2", "BR-PI0612345-A2"),
    ("MX PA06012345 A", "MX-PA06012345-A"),
    # trailing publication date
    ("EP 2135119 B8 20161012", "EP-2135119-B8"),
    # case and width
    ("us9123456b2", "US-9123456-B2"),
    ("us 9,123,456 b2", "US-9123456-B2"),
    ("ＵＳ９１２３４５６Ｂ２", "US-9123456-B2"),
    ("ＷＯ２０１６／１２３４５６Ａ１", "WO-2016123456-A1"),
    ("  US 9123456 B2  ", "US-9123456-B2"),
    # canonical input is a fixed point
    ("US-20170358105-A1", "US-20170358105-A1"),
    ("US-D789123-S", "US-D789123-S"),
    # not publication numbers
    (None, None),
    ("", None),
    ("   ", None),
    ("garbage", None),
    ("12345", None),
    ("US", None),
    ("US B2", None),  # a kind code without a number
    ("EP A1", None),
    ("DE U1", None),
    ("US ZZ123 B2", None),  # not a DOCDB prefix
    ("U", None),
    ("US 9123456 B2 X", None),
    ("US 9123456 BB2", None),
    ("1US9123456", None),
]


@pytest.mark.parametrize("raw,expected", EXACT)
def test_exact_spellings(raw, expected):
    assert normalize_publication_number(raw) == expected


def test_vectorised_matches_table():
    raws = [r for r, _ in EXACT]
    assert normalize_publication_numbers(raws).to_pylist() == [e for _, e in EXACT]


def test_inputs_of_every_container():
    values = ["US 9,123,456 B2", None, "WO2016123456A1"]
    expected = ["US-9123456-B2", None, "WO-2016123456-A1"]
    assert normalize_publication_numbers(values).to_pylist() == expected
    assert normalize_publication_numbers(pa.array(values)).to_pylist() == expected
    chunked = pa.chunked_array([pa.array(values[:1]), pa.array(values[1:])])
    assert normalize_publication_numbers(chunked).to_pylist() == expected
    assert normalize_publication_numbers(pa.array(values).slice(1)).to_pylist() == expected[1:]
    assert normalize_publication_numbers([]).to_pylist() == []
    assert normalize_publication_numbers(pa.array([None, None], pa.string())).to_pylist() == [None, None]


def test_split_publication_numbers():
    arr = normalize_publication_numbers(["US 9,123,456 B2", "EP1000000", "US D789,123 S", None])
    parts = split_publication_numbers(arr)
    assert parts["jurisdiction"].to_pylist() == ["US", "EP", "US", None]
    assert parts["doc_number"].to_pylist() == ["9123456", "1000000", "D789123", None]
    assert parts["kind"].to_pylist() == ["B2", None, "S", None]


# --- hypothesis --------------------------------------------------------------------------

COUNTRIES = ["US", "EP", "WO", "CN", "JP", "KR", "DE", "GB", "FR", "AU", "CA", "IN", "RU", "TW", "BR", "ES"]
KINDS = st.one_of(
    st.none(),
    st.builds(lambda a, d: a + d, st.sampled_from("ABCEUSPYHTI"), st.sampled_from(["", "1", "2", "3", "4", "8", "9"])),
)
# up to 12 digits, no leading zero: never a KR right-code number (13 digits) and never
# changed by the US leading-zero rule
NUMBERS = st.integers(min_value=1, max_value=10**12 - 1).map(str)

FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})


def _grouped(number: str, sep: str) -> str:
    """``9123456`` -> ``9,123,456``."""
    head = len(number) % 3 or 3
    groups = [number[:head]] + [number[i:i + 3] for i in range(head, len(number), 3)]
    return sep.join(groups)


def _spellings(cc: str, number: str, kind: str | None) -> list[str]:
    k = kind or ""
    return [
        f"{cc} {number} {k}".strip(),
        f"{cc}{number}{k}",
        f"{cc}-{number}-{k}".rstrip("-"),
        f"{cc} {_grouped(number, ',')} {k}".strip(),
        f"{cc.lower()} {_grouped(number, ' ')} {k.lower()}".strip(),
        f"{cc}{number}{k}".translate(FULL_WIDTH),
    ]


@given(st.sampled_from(COUNTRIES), NUMBERS, KINDS)
def test_spellings_normalise_equal(cc, number, kind):
    expected = f"{cc}-{number}" + (f"-{kind}" if kind else "")
    got = normalize_publication_numbers(_spellings(cc, number, kind)).to_pylist()
    assert got == [expected] * len(got)


@given(
    st.sampled_from(["WO", "AU", "US"]),
    st.integers(min_value=1950, max_value=2049),
    st.integers(min_value=1, max_value=999_999),
    KINDS,
)
def test_year_serial_spellings(cc, year, serial, kind):
    width = {"WO": 6, "AU": 6, "US": 7}[cc]
    k = f" {kind}" if kind else ""
    expected = f"{cc}-{year}{serial:0{width}d}" + (f"-{kind}" if kind else "")
    spellings = [
        f"{cc} {year}/{serial}{k}",
        f"{cc} {year}/{serial:0{width}d}{k}",
        f"{cc}{year}{serial:0{width}d}{k.strip()}",
        f"{cc} {year % 100:02d}/{serial}{k}",  # two-digit year: >= 50 -> 19yy
        f"{cc}-{year}{serial:0{width}d}" + (f"-{kind}" if kind else ""),
    ]
    assert normalize_publication_numbers(spellings).to_pylist() == [expected] * len(spellings)


@given(st.sampled_from(["D", "RE", "PP", "H", "T"]), st.integers(min_value=1, max_value=999_999), KINDS)
def test_us_letter_prefixes(prefix, number, kind):
    k = f" {kind}" if kind else ""
    expected = f"US-{prefix}{number}" + (f"-{kind}" if kind else "")
    spellings = [f"US {prefix}{number}{k}", f"US{prefix}{number:08d}{k.strip()}", f"US {prefix} {_grouped(str(number), ',')}{k}"]
    assert normalize_publication_numbers(spellings).to_pylist() == [expected] * 3


PUBLIKE = st.text(alphabet="USEPWOCNKRJPDRHAB0123456789 ,./-:ＵＳ０１２abc\u3000\t", max_size=24)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), st.text(max_size=30), PUBLIKE), max_size=30))
def test_properties_on_arbitrary_text(values):
    """Never raises; canonical shape; idempotent; split agrees; scalar == vectorised."""
    out = normalize_publication_numbers(values).to_pylist()
    assert len(out) == len(values)
    for raw, norm in zip(values, out):
        if raw is None or not raw.strip():
            assert norm is None
        if norm is not None:
            assert CANONICAL.match(norm), (raw, norm)
    valid = [o for o in out if o is not None]
    assert normalize_publication_numbers(valid).to_pylist() == valid  # idempotence
    parts = split_publication_numbers(pa.array(out, pa.string()))
    for norm, j, d, k in zip(out, *(parts[x].to_pylist() for x in ("jurisdiction", "doc_number", "kind"))):
        if norm is None:
            assert (j, d, k) == (None, None, None)
        else:
            assert "-".join(p for p in (j, d, k) if p is not None) == norm
            assert len(j) == 2 and d and d[-1].isdigit()
    for raw, norm in zip(values[:5], out[:5]):
        assert normalize_publication_number(raw) == norm


@given(st.sampled_from(COUNTRIES), NUMBERS, KINDS)
def test_idempotent_on_generated(cc, number, kind):
    once = normalize_publication_number(f"{cc} {number} {kind or ''}")
    assert once is not None
    assert normalize_publication_number(once) == once
