"""Publication-number normalisation, vectorised with Arrow compute (RE2).

Canonical form: ``CC-NUMBER-KIND`` (``US-9123456-B2``) or ``CC-NUMBER`` when no kind
is known. ``NUMBER`` follows EPO DOCDB conventions for the spellings people export:

* separators (space, comma, dot, hyphen) are removed: ``US 9,123,456 B2`` -> ``US-9123456-B2``;
* ``YYYY/serial`` numbers concatenate year and serial, the serial padded to six digits
  for WO and AU and seven for US pre-grant publications (``WO 2016/123456 A1`` ->
  ``WO-2016123456-A1``, ``US 2017/0358105 A1`` -> ``US-20170358105-A1``); two-digit
  years are expanded (>= 50 -> 19yy, else 20yy);
* US grant numbers lose leading zeros; the DOCDB letter prefixes are kept (US ``D``,
  ``RE``, ``PP``, ``H``, ``T``, ``X``, ``AI``, ``RX``; JP era letters ``S``/``H``; TW ``I``,
  ``M``, ``D``; BR ``PI``/``MU``; MX ``PA``): ``US D789,123 S`` -> ``US-D789123-S``; any
  other letters before the number make the value unparseable (``US B2`` is a kind code
  without a number, not a publication);
* Korean ``10-2016-0012345`` (IP-right code, year, serial) becomes the DOCDB
  ``20160012345``; other year/serial numbers keep their serial as written.

Reference: EPO, *DOCDB data: publication and application number formats*; WIPO ST.6
(publication numbers) and ST.16 (kind codes).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["normalize_publication_numbers", "normalize_publication_number", "split_publication_numbers"]

_PATTERN = (
    r"^(?P<cc>[A-Z]{2})[\s\-/.:]*(?P<pre>RE|PP|AI|RX|PI|PA|MU|[DHTXSIM]|)[\s\-.]*"
    r"(?P<num>[0-9](?:[0-9\s,./\-]*[0-9])?)[\s\-.]*(?P<kind>[A-Z][0-9]?)?(?:\s+[0-9]{8})?$"
)
_YEAR_SERIAL = r"^(?P<year>[0-9]{2}|[0-9]{4})\s*/\s*(?P<serial>[0-9]+)$"
_SERIAL_WIDTH = {"WO": 6, "AU": 6, "US": 7}
# KR "10-2016-0012345" / "1020160012345": IP-right code 10 (patent) or 20 (utility model),
# year, 7-digit serial; DOCDB drops the right code (KR20160012345A)
_KR_RIGHT_CODE = r"^(?:10|20)((?:19|20)[0-9]{9})$"


def _col(struct: pa.Array, name: str) -> pa.Array:
    return pc.struct_field(struct, name)


def normalize_publication_numbers(values: pa.Array | list) -> pa.Array:
    """Normalise an array of publication numbers; unparseable entries become null.

    Parameters
    ----------
    values : pyarrow string array or list of str
        Publication numbers in any common spelling.

    Returns
    -------
    pyarrow.StringArray
        Canonical ``CC-NUMBER[-KIND]`` strings, null where the input is null, empty or
        not a publication number.

    Examples
    --------
    >>> normalize_publication_numbers(["US 9,123,456 B2", "WO2016123456A1"]).to_pylist()
    ['US-9123456-B2', 'WO-2016123456-A1']
    """
    arr = pa.array(values, type=pa.string()) if not isinstance(values, (pa.Array, pa.ChunkedArray)) else values
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    arr = arr.cast(pa.string())
    if len(arr) == 0:
        return pa.array([], pa.string())
    s = pc.utf8_upper(pc.utf8_trim_whitespace(pc.utf8_normalize(arr, "NFKC")))
    m = pc.extract_regex(s, _PATTERN)
    cc = _col(m, "cc")
    pre = _col(m, "pre")
    num = _col(m, "num")
    kind = _col(m, "kind")

    ys = pc.extract_regex(num, _YEAR_SERIAL)
    year = _col(ys, "year")
    serial = _col(ys, "serial")
    has_ys = pc.is_valid(ys)
    # expand two-digit years
    y2 = pc.equal(pc.utf8_length(year), 2)
    year_num = pc.cast(pc.if_else(has_ys, year, "0"), pa.int32())
    year4 = pc.if_else(
        y2,
        pc.cast(pc.add(year_num, pc.if_else(pc.greater_equal(year_num, 50), 1900, 2000)), pa.string()),
        year,
    )
    width = np.zeros(len(s), dtype=np.int64)
    cc_np = np.asarray(cc.fill_null("").to_numpy(zero_copy_only=False), dtype=object)
    for code, w in _SERIAL_WIDTH.items():
        width[cc_np == code] = w
    serial_stripped = pc.replace_substring_regex(serial, r"^0+([0-9])", r"\1")
    padded = serial  # countries without a known width keep the serial as written
    for w in sorted(set(_SERIAL_WIDTH.values())):
        padded = pc.if_else(pa.array(width == w), pc.utf8_lpad(serial_stripped, w, "0"), padded)
    ys_number = pc.binary_join_element_wise(year4, padded, "")

    digits = pc.replace_substring_regex(num, r"[^0-9]", "")
    number = pc.if_else(has_ys, ys_number, digits)
    is_kr = pc.equal(cc, "KR")
    number = pc.if_else(is_kr, pc.replace_substring_regex(number, _KR_RIGHT_CODE, r"\1"), number)
    # US grants (not 11-digit pre-grant publications) carry no leading zeros
    us_grant = pc.and_(pc.equal(cc, "US"), pc.not_equal(pc.utf8_length(number), 11))
    number = pc.if_else(us_grant, pc.replace_substring_regex(number, r"^0+([0-9])", r"\1"), number)
    number = pc.binary_join_element_wise(pre, number, "")

    head = pc.binary_join_element_wise(cc, number, "-")
    with_kind = pc.binary_join_element_wise(head, kind, "-")
    out = pc.if_else(pc.and_(pc.is_valid(kind), pc.not_equal(kind, "")), with_kind, head)
    return pc.if_else(pc.is_valid(m), out, pa.scalar(None, pa.string()))


def normalize_publication_number(value: str | None) -> str | None:
    """Normalise one publication number (see :func:`normalize_publication_numbers`).

    >>> normalize_publication_number("EP 1 000 000 A1")
    'EP-1000000-A1'
    """
    return normalize_publication_numbers(pa.array([value], pa.string()))[0].as_py()


def _third_or_null(parts: pa.Array) -> pa.Array:
    has3 = pc.greater(pc.list_value_length(parts), 2)
    padded = pc.if_else(has3, parts, pa.scalar(["", "", ""], pa.list_(pa.string())))
    return pc.if_else(has3, pc.list_element(padded, 2), pa.scalar(None, pa.string()))


def split_publication_numbers(normalised: pa.Array) -> dict[str, pa.Array]:
    """Split canonical numbers into ``jurisdiction``, ``doc_number`` and ``kind`` arrays."""
    parts = pc.split_pattern(normalised, "-")
    return {
        "jurisdiction": pc.list_element(parts, 0),
        "doc_number": pc.list_element(parts, 1),
        "kind": _third_or_null(parts),
    }
