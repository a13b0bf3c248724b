"""De-duplication by publication number, merging instead of dropping.

Rule: rows that share a ``publication_number`` become one row, at the position of the
first. Scalar fields take the first non-null value in input order; list fields take the
ordered union of all values; ``duplicate_sources`` lists ``file:line`` of every merged
row, so nothing is lost. Vectorised: one Arrow hash aggregation plus list rebuilds.

Conflicts: where merged rows disagree on a title (compared case- and space-insensitively)
or a date, the first value is kept and every row that said otherwise is reported as a
warning with its file and line (:func:`conflicts`), so a merge never hides two different
documents filed under one number, or a data error in one export.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import dedupe_pairs, regroup

__all__ = ["deduplicate", "conflicts", "group_ids", "CONFLICT_FIELDS"]

#: Scalar fields whose disagreement between merged rows is reported.
CONFLICT_FIELDS = ("title", "publication_date", "filing_date", "grant_date")


def group_ids(keys) -> tuple[np.ndarray, int]:
    """Group of every row by its key (int64, numbered in order of first appearance, as Arrow's
    dictionary encoding does) and the number of groups: one hash pass over the publication
    numbers, shared by :func:`deduplicate` and :func:`conflicts`."""
    if isinstance(keys, pa.ChunkedArray):
        keys = keys.combine_chunks()
    enc = pc.dictionary_encode(keys)
    return np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64), len(enc.dictionary)


def deduplicate(table: pa.Table, groups: tuple[np.ndarray, int] | None = None) -> tuple[pa.Table, int]:
    """Merge rows with the same publication number; returns (table, number merged away).

    ``groups``: :func:`group_ids` of the table's publication numbers, when already made."""
    n = table.num_rows
    if n == 0:
        return table, 0
    gid, n_groups = groups if groups is not None else group_ids(table["publication_number"])
    if n_groups == n:
        return table, 0
    counts = np.bincount(gid, minlength=n_groups)
    # first position of each group, in input order
    first_pos = np.full(n_groups, n, dtype=np.int64)
    np.minimum.at(first_pos, gid, np.arange(n, dtype=np.int64))
    order = np.argsort(first_pos, kind="stable")  # groups in order of first appearance
    rank = np.empty(n_groups, dtype=np.int64)
    rank[order] = np.arange(n_groups)
    g = rank[gid]  # output row of each input row

    is_dup_row = counts[gid] > 1
    first_rows = first_pos[order]
    out = table.take(pa.array(first_rows))
    if not is_dup_row.any():
        return out, 0

    sub = table.filter(pa.array(is_dup_row))
    sub_g = g[is_dup_row]
    cols = {}
    for f in table.schema:
        col = out[f.name].combine_chunks()
        if f.name == "duplicate_sources":
            continue
        if pa.types.is_list(f.type):
            lists = sub[f.name].combine_chunks()
            parent = pc.list_parent_indices(lists).to_numpy()
            t = pa.table({"p": pa.array(sub_g[parent]), "c": pc.list_flatten(lists)})
            if pa.types.is_struct(f.type.value_type):
                merged_vals = _regroup_struct(t, n_groups, f.type.value_type)
            else:
                merged_vals = regroup(dedupe_pairs(t), n_groups, f.type.value_type)
            grp_rows = np.unique(sub_g)
            mask = np.zeros(n_groups, dtype=bool)
            mask[grp_rows] = True
            col = pc.if_else(pa.array(mask), merged_vals, col)
        else:
            t = pa.table({"p": pa.array(sub_g), "v": sub[f.name].combine_chunks()})
            agg = t.group_by("p", use_threads=False).aggregate([("v", "first")])
            pos = agg["p"].to_numpy()
            vals = agg["v_first"]
            full = pa.nulls(n_groups, f.type)
            idx = np.full(n_groups, -1, dtype=np.int64)
            idx[pos] = np.arange(len(pos))
            taken = vals.take(pa.array(np.where(idx >= 0, idx, 0))) if len(pos) else full
            col = pc.if_else(pa.array(idx >= 0), taken, col)
        cols[f.name] = col

    # duplicate_sources: every non-first row's file:line, plus what it already carried
    src = pc.binary_join_element_wise(table["source_file"].combine_chunks().fill_null("(in memory)"),
                                      pc.cast(table["source_row"], pa.string()).fill_null(""), ":")
    later = np.ones(n, dtype=bool)
    later[first_pos] = False
    t1 = pa.table({"p": pa.array(g[later]), "c": src.filter(pa.array(later))})
    prev = table["duplicate_sources"].combine_chunks()
    parent = pc.list_parent_indices(prev).to_numpy()
    t0 = pa.table({"p": pa.array(g[parent]), "c": pc.list_flatten(prev)})
    cols["duplicate_sources"] = regroup(dedupe_pairs(pa.concat_tables([t0, t1])), n_groups)
    merged = pa.table([cols[f.name] for f in table.schema], schema=table.schema)
    return merged, int(n - n_groups)


def _regroup_struct(t: pa.Table, n: int, value_type: pa.DataType) -> pa.Array:
    """Ordered union for list<struct> (legal events): dedupe on the struct's text form."""
    if t.num_rows == 0:
        return regroup(t, n, value_type)
    keys = pc.binary_join_element_wise(
        pc.cast(pc.struct_field(t["c"], [0]), pa.string()).fill_null(""),
        pc.struct_field(t["c"], [1]).fill_null(""),
        pc.struct_field(t["c"], [2]).fill_null(""),
        "\x1f",
    )
    k = pa.table({"p": t["p"], "c": keys, "i": pa.array(np.arange(t.num_rows))})
    first = k.group_by(["p", "c"], use_threads=False).aggregate([("i", "min")])
    keep = np.sort(first["i_min"].to_numpy())
    return regroup(t.take(pa.array(keep)), n, value_type)


def conflicts(table: pa.Table, fields=CONFLICT_FIELDS, groups: tuple[np.ndarray, int] | None = None) -> list:
    """Warnings for rows that share a publication number but disagree on ``fields``.

    For each field, the first non-null value of a group (in input order) is the one the
    merge keeps; each later row with a different non-null value gives one
    :class:`~patentnav.io.report.Issue` (its file and line, the field, the kept value's
    source, its own value). ``groups``: :func:`group_ids` of the publication numbers, when made.
    """
    from functools import partial

    from ..i18n import Phrase, column_words
    from ..io.report import Issue

    n = table.num_rows
    if n == 0:
        return []
    gid, n_groups = groups if groups is not None else group_ids(table["publication_number"])
    if n_groups == n:
        return []
    counts = np.bincount(gid, minlength=n_groups)
    dup = counts[gid] > 1
    if not dup.any():
        return []
    rows = np.flatnonzero(dup)
    sub = table.take(pa.array(rows))
    g = gid[rows]
    files = sub["source_file"].combine_chunks().fill_null("(in memory)")
    lines = sub["source_row"].combine_chunks()
    pubs = sub["publication_number"].combine_chunks()
    out = []
    for f in fields:
        if f not in table.column_names:
            continue
        v = sub[f].combine_chunks()
        if pa.types.is_string(v.type) or pa.types.is_large_string(v.type):
            key = pc.utf8_lower(pc.utf8_trim_whitespace(pc.replace_substring_regex(v, r"\s+", " ")))
        else:
            key = pc.cast(v, pa.string())
        valid = np.flatnonzero(np.asarray(pc.is_valid(key).to_numpy(zero_copy_only=False), dtype=bool))
        if len(valid) < 2:
            continue
        # first valid row of each group, then every valid row that differs from it
        first_of = np.full(int(g.max()) + 1, len(g), dtype=np.int64)
        np.minimum.at(first_of, g[valid], valid)
        j = first_of[g[valid]]
        differ = np.asarray(pc.not_equal(key.take(pa.array(valid)), key.take(pa.array(j))).to_numpy(zero_copy_only=False), dtype=bool)
        for i, jj in zip(valid[differ].tolist(), j[differ].tolist()):  # only the rows reported
            fi, li, fj, lj = files[i].as_py(), lines[i].as_py(), files[jj].as_py(), lines[jj].as_py()
            out.append(Issue.coded(fi, int(li or 0) or 1, f, "duplicate_conflict", str(v[i].as_py()), pub=pubs[i].as_py(),
                                   first=f"{fj}:{lj}", what=Phrase(render=partial(column_words, f)), kept=v[jj].as_py()))
    return sorted(out, key=lambda i: (i.file, i.line))
