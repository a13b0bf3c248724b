"""Helpers the landscape report's regional sections share (positioning:
:mod:`~patentnav.report.positioning`; development paths: :mod:`~patentnav.report.paths`;
filing quality and the scope section use the evidence texts).

Each table and sentence of those sections states the evidence it rests on (GB/T 39551 asks
for findings a planner can act on; ``docs/report.md``, "Honest conclusions"):

* a region's documents are counted by where :func:`patentnav.geo.assign_regions` placed
  their applicants, and every regional table says by what evidence
  (:func:`patentnav.geo.applicant_evidence`); an applicant placed only by its first filing
  is "first filed in CN", never a local leader;
* acquisition and licensing targets are rights alive at the cut-off, with their remaining
  term; ended rights are a separate finding, free to use
  (:func:`patentnav.landscape.gaps.document_rights`);
* gap categories follow their definitions, and when none qualifies the text says so;
* every warning the analytics raise (a disconnected region-technology network) reaches
  the text and the table notes.

The sections are plain dicts in the report contract (``patentnav.report.parts``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .labels import L
from .parts import _pct, plain_number

__all__ = ["long_values", "value_prefix_rows", "inventor_rows", "evidence_label", "region_evidence", "region_evidence_text",
           "located_share", "evidence_shares_text", "JOIN"]

#: Separator of items in running text, per language.
JOIN = {"zh": "；", "en": "; "}


# ------------------------------------------------------------------ shared helpers

def long_values(corpus, column: str, name: str, rows=None) -> pd.DataFrame:
    """(row, value) pairs of a list column (values stripped, blanks and duplicates dropped).

    In Arrow: whitespace trimmed (``utf8_trim_whitespace``, what pandas' ``str.strip``
    does on Arrow strings), pairs de-duplicated keeping the first (:func:`_first_pairs`, on
    integer codes), the values handed to pandas as Arrow-backed strings (no Python string
    per value).

    ``rows`` (ascending row numbers): only the pairs of those rows, as the full table
    filtered to them (same order), without making the full table.
    """
    if column not in corpus.table.column_names:
        return pd.DataFrame({"row": np.zeros(0, np.int64), name: np.zeros(0, object)})
    lists = corpus.table[column].combine_chunks()
    row_of = None
    if rows is not None:
        row_of = np.asarray(rows, dtype=np.int64)
        lists = lists.take(pa.array(row_of))
    flat = pc.list_flatten(lists).cast(pa.string())
    if len(flat) == flat.null_count:  # nothing to trim: the frame pandas makes of no strings
        lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
        values = pd.Series(flat.to_numpy(zero_copy_only=False), dtype=object).astype(str).str.strip()
        at = np.repeat(np.arange(len(lengths)), lengths)
        out = pd.DataFrame({"row": at if row_of is None else row_of[at], name: values.to_numpy()})
        return out[(out[name] != "") & (out[name] != "None")].drop_duplicates().reset_index(drop=True)
    vals = pc.utf8_trim_whitespace(flat)
    keep = pc.fill_null(pc.and_(pc.not_equal(vals, ""), pc.not_equal(vals, "None")), True)
    parent = pc.list_parent_indices(lists).filter(keep).to_numpy().astype(np.int64)
    vals = vals.filter(keep)
    first = _first_pairs(parent, vals)
    at = parent[first]
    return pd.DataFrame({"row": at if row_of is None else row_of[at], name: vals.filter(pa.array(first)).to_pandas()})


def _first_pairs(parent: np.ndarray, values: pa.Array) -> np.ndarray:
    """Mask of the first occurrence of each (``parent``, value) pair, a null value being one
    value (what :func:`patentnav._arrow.dedupe_pairs` keeps, in the same order): the values
    as dictionary codes, the pairs as one int64 key; a stable sort of the keys puts each
    key's first occurrence first (fast here: the parents ascend, so the keys come nearly
    sorted)."""
    if not len(values):
        return np.zeros(0, dtype=bool)
    enc = pc.dictionary_encode(values, null_encoding="encode")
    code = np.asarray(enc.indices.to_numpy(zero_copy_only=False), dtype=np.int64)
    key = parent * np.int64(len(enc.dictionary)) + code
    order = np.argsort(key, kind="stable")
    ordered = key[order]
    first = np.zeros(len(key), dtype=bool)
    first[order[np.r_[True, ordered[1:] != ordered[:-1]]]] = True
    return first


def value_prefix_rows(corpus, column: str, width: int):
    """A function ``prefix -> rows``: the rows whose list column ``column`` holds a value
    (stripped, not blank) starting with ``prefix`` of ``width`` characters (an IPC subclass:
    ``width=4``), as the rows of :func:`long_values` whose value cut to ``width`` is the
    prefix, without making the long table (ascending, each row once).

    The values are dictionary-encoded once; trimming and cutting run on the distinct values,
    and a prefix is matched on the codes."""
    lists = corpus.table[column].combine_chunks()
    enc = pc.dictionary_encode(pc.list_flatten(lists).cast(pa.string()))
    vals = pc.utf8_trim_whitespace(enc.dictionary)
    keep = pc.fill_null(pc.and_(pc.not_equal(vals, ""), pc.not_equal(vals, "None")), False)
    keep = np.append(np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool), False)  # code -1 (null): never
    cut = pc.utf8_slice_codeunits(vals, 0, width)
    code = np.asarray(enc.indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)
    parent = pc.list_parent_indices(lists).to_numpy().astype(np.int64)

    def rows(prefix) -> np.ndarray:
        hit = np.append(np.asarray(pc.fill_null(pc.equal(cut, str(prefix)), False).to_numpy(zero_copy_only=False),
                                   dtype=bool), False) & keep
        return np.unique(parent[hit[code]])

    return rows


def inventor_rows(rows, inv_long: pd.DataFrame, app_long: pd.DataFrame, limit: int) -> list[list]:
    """[inventor, patents, top two applicants] for the documents ``rows``, by patents desc then name.

    ``inv_long`` and ``app_long`` are :func:`long_values` tables (``row``, ``inventor`` /
    ``applicant``; each pair once). An inventor's patents are the documents of ``rows``
    naming them; their applicants are ranked by the documents they share with the inventor
    (then by name), the first two joined by "; ". Null names are left out. On integer codes
    (:func:`pandas.factorize`, counts by ``bincount``, one sort per ranking), as the group-by
    and merge it replaces (tested against it)."""
    inv_row = inv_long["row"].to_numpy(dtype=np.int64)
    inv_name = inv_long["inventor"]
    mask = np.isin(inv_row, np.asarray(rows, dtype=np.int64))
    if not mask.any() or limit <= 0:
        return []
    if not mask.all():  # (a table of the documents' own inventors, the positioning section's, is kept whole)
        sel = np.flatnonzero(mask)
        inv_row, inv_name = inv_row[sel], inv_name.take(sel)
    del mask
    code, names = pd.factorize(inv_name)  # -1: a null name
    k = np.bincount(code[code >= 0], minlength=len(names))
    top = _ranked(k, names)[:limit]
    if not len(top):
        return []
    place = np.full(len(names) + 1, -1, dtype=np.int64)  # an inventor's place in the top list (last: null)
    place[top] = np.arange(len(top))
    t_place = place[code]
    del code
    t_row, t_place = inv_row[t_place >= 0], t_place[t_place >= 0]
    apps = _top_applicants(t_row, t_place, app_long, len(top))
    return [[name, int(n), apps[j]] for j, (name, n) in enumerate(zip(names.take(top).tolist(), k[top].tolist()))]


def _ranked(counts: np.ndarray, names) -> np.ndarray:
    """Positions of ``counts`` (and ``names``, distinct) by count descending, then name."""
    return np.lexsort((_name_rank(names), -counts))


def _name_rank(names) -> np.ndarray:
    """Place of each of the distinct ``names`` (NumPy or pandas array) in their sorted order."""
    rank = np.empty(len(names), dtype=np.int64)
    rank[np.asarray(names.argsort())] = np.arange(len(names))
    return rank


def _top_applicants(t_row: np.ndarray, t_place: np.ndarray, app_long: pd.DataFrame, n_top: int) -> list[str]:
    """Per top inventor (``t_place``: its place, ``t_row``: one of its documents), its two
    applicants with the most shared documents (ties: name) joined by "; " ("" for none)."""
    app_row = app_long["row"].to_numpy(dtype=np.int64)
    sel = np.flatnonzero(np.isin(app_row, t_row))
    code, names = pd.factorize(app_long["applicant"].take(sel))
    a_row = app_row[sel][code >= 0]
    code = code[code >= 0]
    if not len(code):
        return [""] * n_top
    order = np.argsort(a_row, kind="stable")  # the applicants of a row together
    a_row, code = a_row[order], code[order]
    lo, hi = np.searchsorted(a_row, t_row, side="left"), np.searchsorted(a_row, t_row, side="right")
    n_app = hi - lo
    who = np.repeat(t_place, n_app)  # inventor x applicant of every shared document
    at = np.repeat(lo - np.cumsum(n_app) + n_app, n_app) + np.arange(int(n_app.sum()))
    key, n = np.unique(who * np.int64(len(names)) + code[at], return_counts=True)
    who, app = key // len(names), key % len(names)
    order = np.lexsort((_name_rank(names)[app], -n, who))
    who, app = who[order], app[order]
    keep = np.arange(len(who)) - np.searchsorted(who, who, side="left") < 2  # the first two of each inventor
    parts: list[list[str]] = [[] for _ in range(n_top)]
    for j, name in zip(who[keep].tolist(), names.take(app[keep]).tolist()):
        parts[j].append(name)
    return ["; ".join(p) for p in parts]


def evidence_label(source: str, region: str, lang: str) -> str:
    """How an applicant was placed in ``region``, in words ("first filed in CN" for a priority)."""
    return L(f"loc.{source}", lang, region=region)


def region_evidence(assign: pd.DataFrame, region: str) -> pd.Series:
    """Fractional documents of ``region`` by source of evidence (largest first, zeros dropped).

    Summed per source code (:func:`patentnav.geo.source_summary`'s codes), in row order, then
    named and ordered as a group-by of the sources' text."""
    from ..geo import _source_codes

    codes, names = _source_codes(assign["source_of_evidence"])
    mask = (assign["region"].astype(str) == str(region)).to_numpy(dtype=bool) & (codes >= 0)
    w = assign["weight"][mask].groupby(codes[mask], sort=False).sum()
    w.index = pd.Index(names[w.index.to_numpy()], name="source_of_evidence")
    w = w.sort_index()
    return w[w > 0].sort_values(ascending=False, kind="mergesort")


def region_evidence_text(assign: pd.DataFrame, region: str, lang: str) -> str:
    """"first filed in CN 106 (of 107); address 0.5" style summary (whole counts without decimals)."""
    ev = region_evidence(assign, region)
    total = float(ev.sum())
    parts = [f"{evidence_label(src, region, lang)} {plain_number(w)}" for src, w in ev.items()]
    return L("pos.evidence_of", lang, region=region, parts=JOIN[lang].join(parts) or L("r.none", lang), total=plain_number(total))


def located_share(assign: pd.DataFrame, region: str) -> float:
    """Share of the region's documents placed there by location evidence (address, country, firm list)."""
    from ..geo import LOCATION_SOURCES

    ev = region_evidence(assign, region)
    return float(ev[ev.index.isin(LOCATION_SOURCES)].sum() / ev.sum()) if ev.sum() > 0 else 0.0


def evidence_shares_text(assign: pd.DataFrame, lang: str, summary: pd.DataFrame | None = None) -> str:
    """"address 2.5%; first filed 96.1%" style shares of all documents by source of evidence."""
    from ..geo import source_summary

    ev = source_summary(assign) if summary is None else summary  # (the context's, made once)
    return JOIN[lang].join(f"{L('ev.' + str(i), lang)} {_pct(r['share'])}" for i, r in ev.iterrows() if r["patents"] > 0)
