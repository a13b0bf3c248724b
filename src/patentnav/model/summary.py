"""Descriptive counts of a corpus (what ``patentnav info`` prints)."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import with_values
from ..classify.ipc import truncate_array

__all__ = ["summarize", "value_counts", "list_value_counts"]


def value_counts(arr, top: int | None = None, sort_by_value: bool = False) -> list[tuple]:
    """(value, count) pairs of a column, nulls counted under None; most frequent first."""
    vc = pc.value_counts(arr).to_pylist()
    pairs = [(d["values"], d["counts"]) for d in vc]
    if sort_by_value:
        pairs.sort(key=lambda p: (p[0] is None, p[0]))
    else:
        pairs.sort(key=lambda p: (-p[1], str(p[0])))
    return pairs[:top] if top else pairs


def list_value_counts(lists, top: int | None = None) -> list[tuple]:
    """Documents per value of a list column (a value counts once per document)."""
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    t = pa.table({"p": pc.list_parent_indices(lists), "c": pc.list_flatten(lists)})
    if t.num_rows == 0:
        return []
    t = t.group_by(["p", "c"], use_threads=False).aggregate([])
    return value_counts(t["c"], top)


def summarize(corpus, top: int = 10) -> dict:
    t = corpus.table
    ipc = t["ipc"].combine_chunks()
    sub = with_values(ipc, truncate_array(pc.list_flatten(ipc), "subclass"))
    return {
        "documents": t.num_rows,
        "by_jurisdiction": value_counts(t["jurisdiction"]),
        "by_document_type": value_counts(t["document_type"]),
        "by_publication_year": value_counts(pc.year(t["publication_date"]), sort_by_value=True),
        "top_ipc_subclasses": list_value_counts(sub, top),
        "top_applicants": list_value_counts(t["applicants"], top),
        "with_abstract": t.num_rows - t["abstract"].null_count,
        "with_claims": t.num_rows - t["claims"].null_count,
        "with_cited_publications": int(pc.sum(pc.greater(pc.list_value_length(t["cited_publications"]), 0)).as_py() or 0),
    }
