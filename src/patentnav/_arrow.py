"""Small Arrow helpers shared across layers: rebuilding list columns, mapping distinct values."""

from __future__ import annotations

from typing import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["regroup", "dedupe_pairs", "map_unique", "map_distinct", "first_or_null", "with_values", "join_text"]


def regroup(tbl: pa.Table, n: int, value_type: pa.DataType = pa.string()) -> pa.ListArray:
    """Rebuild a list array of length ``n`` from a table of (``p`` parent index, ``c`` value).

    Rows keep their relative order within each parent (stable sort).
    """
    if tbl.num_rows:
        tbl = tbl.take(pc.sort_indices(tbl, sort_keys=[("p", "ascending")]))
        parents = np.asarray(tbl["p"].to_numpy(), dtype=np.int64)
        values = tbl["c"].combine_chunks().cast(value_type)
    else:
        parents = np.zeros(0, dtype=np.int64)
        values = pa.array([], value_type)
    counts = np.bincount(parents, minlength=n) if n else np.zeros(0, dtype=np.int64)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def dedupe_pairs(tbl: pa.Table) -> pa.Table:
    """Drop repeated (``p``, ``c``) pairs, keeping the first occurrence and the order."""
    if tbl.num_rows == 0:
        return tbl.select(["p", "c"])
    t = tbl.select(["p", "c"]).append_column("i", pa.array(np.arange(tbl.num_rows, dtype=np.int64)))
    first = t.group_by(["p", "c"], use_threads=False).aggregate([("i", "min")])
    first = first.take(pc.sort_indices(first, sort_keys=[("i_min", "ascending")]))
    return pa.table({"p": first["p"], "c": first["c"]})


def map_unique(arr: pa.Array, fn: Callable, out_type: pa.DataType = pa.string()) -> pa.Array:
    """Apply a scalar function to the distinct values of ``arr`` only, then broadcast.

    Python work is proportional to the number of distinct values (tens of thousands of
    classification codes), not to the number of rows.
    """
    return map_distinct(arr, lambda values: pa.array([fn(v) for v in values.to_pylist()], out_type))


def map_distinct(arr: pa.Array, fn: Callable[[pa.Array], pa.Array]) -> pa.Array:
    """Apply an array function to the distinct non-null values of ``arr`` only (one
    ``dictionary_encode``), then broadcast back with ``take``; nulls stay null.

    ``fn`` gets the distinct values as an array and returns an array of the same length.
    """
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    enc = pc.dictionary_encode(arr)
    return fn(enc.dictionary).take(enc.indices)


def first_or_null(lists: pa.Array) -> pa.Array:
    """First element of each list, null for empty or null lists."""
    nonempty = pc.greater(pc.list_value_length(lists), 0).fill_null(False)
    dummy = pa.scalar([None], lists.type)
    return pc.list_element(pc.if_else(nonempty, lists, dummy), 0)


def with_values(lists: pa.Array, values: pa.Array) -> pa.ListArray:
    """A list array with the shape of ``lists`` and new flat ``values`` (as from ``list_flatten``)."""
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    lists = pc.fill_null(lists, pa.scalar([], lists.type))
    offsets = np.asarray(lists.offsets.to_numpy(), dtype=np.int64)
    offsets = (offsets - offsets[0]).astype(np.int32)
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def join_text(parts, sep: str, *, trim: bool = False) -> pa.Array:
    """Element-wise join of the non-null, non-empty ``parts`` with ``sep``; null where every
    part is null or empty. All arrays keep their length and order.

    This is what ``binary_join_element_wise(..., null_handling="skip")`` should do, but
    pyarrow (up to 26 at least) drops from its output the rows where every input is null,
    which shifts every later row (a document without title, abstract or claims then takes
    the next document's text). ``trim=True`` strips whitespace from each part first.

    >>> join_text([pa.array(["a", None, None]), pa.array(["b", None, "c"])], " ").to_pylist()
    ['a b', None, 'c']
    """
    acc = None
    for q in parts:
        if isinstance(q, pa.ChunkedArray):
            q = q.combine_chunks()
        if trim:
            q = pc.utf8_trim_whitespace(q)
        empty = pc.equal(q, "")
        if pc.any(empty).as_py():  # else no copy of the texts
            q = pc.if_else(empty, pa.scalar(None, q.type), q)
        if acc is None:
            acc = q
            continue
        if q.type != acc.type:
            q = q.cast(acc.type)
        both = pc.binary_join_element_wise(acc, q, pa.scalar(sep, acc.type))
        acc = pc.coalesce(both, acc, q)
    if acc is None:
        raise ValueError("join_text needs at least one array")
    return acc
