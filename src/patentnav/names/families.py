"""Evidence from patent families: the same applicant written in two ways.

Members of one patent family (the same invention filed at several offices) are filed by
the same applicant. When a family has a member whose applicant is written in Chinese and
a member whose applicant is written in Latin script, at the same position of applicant
lists of equal length, the two spellings name one firm once: 深圳市大疆创新科技有限公司 on
CN-112810000-A and ``SZ DJI TECHNOLOGY CO LTD`` on its US counterpart. The same holds for
an acronym and its expansion (:mod:`patentnav.names.acronyms`).

**Families** (:func:`family_labels`) are the connected components of documents linked by
any of: the same ``family_id``; one listing the other in ``family_members`` (numbers
compared without kind code); one claiming the other's application as priority, or both
claiming the same priority (``application_number`` / ``priority_numbers``, compared as
country code + digits; a CNIPA check digit is dropped: ``202110123456.7`` =
``CN202110123456``). This is close to the INPADOC extended family, built from what the
corpus itself shows.

**Evidence** (:func:`position_pairs`) counts, for each pair of names at the same position
in two members of a family, the number of distinct families where that happens. Positions
count organisations only (:func:`firm_positions`): the inventors a WO publication lists as
applicants do not shift the firm's position. A
learned link needs at least ``min_evidence`` families (default 2) and, for cross-script
pairs, that each side is the other's most frequent cross-script partner (no ties): a
family where the offices list co-applicants in different orders gives a wrong pair once,
not the best pair many times. Romanisation is never used: 大疆 and ``DAJIANG`` are not
compared as strings at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

__all__ = ["family_labels", "applicant_positions", "firm_positions", "position_pairs", "mutual_best", "application_keys", "script_of"]


def application_keys(numbers, jurisdiction=None) -> pa.Array:
    """Application or priority numbers as ``CC`` + digits (null where none).

    >>> application_keys(["202110123456.7", "CN2019105678903", "PCT/CN2014/083315", "CN201910567890"],
    ...                  ["CN", None, None, None]).to_pylist()
    ['CN202110123456', 'CN201910567890', 'CN2014083315', 'CN201910567890']
    """
    arr = numbers if isinstance(numbers, pa.Array) else pa.array(list(numbers), pa.string())
    s = pc.replace_substring_regex(pc.utf8_upper(pc.utf8_normalize(arr.cast(pa.string()), "NFKC")), r"[^A-Z0-9]", "")
    s = pc.if_else(pc.starts_with(s, "PCT"), pc.utf8_slice_codeunits(s, 3), s)  # a leading PCT dropped
    if jurisdiction is not None:
        jur = jurisdiction if isinstance(jurisdiction, pa.Array) else pa.array(list(jurisdiction), pa.string())
        bare = pc.match_substring_regex(s, r"^[0-9]").fill_null(False)
        s = pc.if_else(pc.and_(bare, pc.is_valid(jur)), pc.binary_join_element_wise(jur, s, ""), s)
    # CNIPA numbers carry a check digit after 12 (since 2003) or 8 digits: dropped (a match, then a slice)
    for digits in (12, 8):
        check = pc.match_substring_regex(s, r"^CN[0-9]{%d}[0-9X]$" % digits)
        s = pc.if_else(check, pc.utf8_slice_codeunits(s, 0, 2 + digits), s)
    ok = pc.match_substring_regex(s, r"^[A-Z]{2}[0-9]{4,}").fill_null(False)
    return pc.if_else(ok, s, pa.scalar(None, pa.string()))


def _kindless(pubs: pa.Array) -> pa.Array:
    return pc.replace_substring_regex(pubs, r"^([A-Z]{2}-[^-]+)-.*$", r"\1")


def _numbers_only(t: pa.Table) -> bool:
    """True when no column but the publication number can link two documents (no family id,
    application number, family member or priority number in the table)."""
    for c in ("family_id", "application_number"):
        if c in t.column_names and t[c].null_count < t.num_rows:
            return False
    for c in ("family_members", "priority_numbers"):
        if c in t.column_names and len(pc.list_flatten(t[c])):
            return False
    return True


def family_labels(table) -> np.ndarray:
    """Family label (0..k-1) of each document (rules in the module docstring)."""
    t = table.table if hasattr(table, "table") else table
    n = t.num_rows
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    docs, tokens = [], []

    def add(doc_idx, values, prefix):
        v = pa.array(values, pa.string()) if not isinstance(values, (pa.Array, pa.ChunkedArray)) else values
        if isinstance(v, pa.ChunkedArray):
            v = v.combine_chunks()
        ok = np.asarray(pc.is_valid(v).to_numpy(zero_copy_only=False), dtype=bool)
        docs.append(np.asarray(doc_idx)[ok])
        # prefix + value in Arrow (trailing NULs dropped, as NumPy's fixed-width strings did)
        v = pc.utf8_rtrim(v.filter(pa.array(ok)).cast(pa.string()), characters="\x00")
        tokens.append(pc.binary_join_element_wise(pa.scalar(prefix), v, ""))

    col = lambda c: t[c].combine_chunks()  # noqa: E731
    if _numbers_only(t):  # families then are the documents of one number without kind code
        pubs = col("publication_number")
        if pubs.null_count == 0:
            key = pc.utf8_rtrim(_kindless(pubs).cast(pa.string()), characters="\x00")  # as add() does
            return pc.dictionary_encode(key).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    idx = np.arange(n)
    if "family_id" in t.column_names:
        add(idx, col("family_id"), "F:")
    pubs = col("publication_number")
    add(idx, _kindless(pubs), "P:")
    jur = col("jurisdiction") if "jurisdiction" in t.column_names else pa.nulls(n, pa.string())
    if "application_number" in t.column_names:
        add(idx, application_keys(col("application_number"), jur), "A:")
    for c, prefix in (("family_members", "P:"), ("priority_numbers", "A:")):
        if c not in t.column_names:
            continue
        lists = col(c)
        parent = np.asarray(pc.list_parent_indices(lists).to_numpy(), dtype=np.int64)
        flat = pc.list_flatten(lists)
        values = _kindless(flat) if c == "family_members" else application_keys(flat)
        add(parent, values, prefix)
    d = np.concatenate(docs)
    tok = pa.concat_arrays(tokens) if tokens else pa.array([], pa.string())
    # equal tokens, equal codes (the codes only name graph nodes: labels follow the documents)
    codes = pc.dictionary_encode(tok).indices.to_numpy(zero_copy_only=False).astype(np.int64)
    m = codes.max() + 1 if len(codes) else 0
    g = coo_matrix((np.ones(len(d), dtype=np.int8), (d, n + codes)), shape=(n + m, n + m))
    _, labels = connected_components(g, directed=False)
    fam = labels[:n]
    present = np.zeros(int(fam.max()) + 1, dtype=bool)
    present[fam] = True
    return (np.cumsum(present) - 1)[fam].astype(np.int64)  # np.unique's inverse: labels ranked, without a sort


def script_of(names) -> np.ndarray:
    """``"cjk"`` for names with Han, kana or hangul characters, else ``"latin"``."""
    arr = names if isinstance(names, pa.Array) else pa.array(list(names), pa.string())
    cjk = np.asarray(pc.match_substring_regex(arr, r"[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]")
                     .fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
    return np.where(cjk, "cjk", "latin").astype(object)


def applicant_positions(table, families: np.ndarray | None = None) -> pd.DataFrame:
    """One row per applicant of a document in a family of two or more documents:
    ``family, doc, publication_number, position, n_applicants, raw``."""
    t = table.table if hasattr(table, "table") else table
    fam = family_labels(t) if families is None else np.asarray(families)
    apps = t["applicants"].combine_chunks()
    parent = np.asarray(pc.list_parent_indices(apps).to_numpy(), dtype=np.int64)
    lens = np.asarray(pc.list_value_length(apps).fill_null(0).to_numpy(zero_copy_only=False), dtype=np.int64)
    starts = np.repeat(np.cumsum(lens) - lens, lens)
    flat = pc.list_flatten(apps).cast(pa.string())
    size = np.bincount(fam, minlength=int(fam.max()) + 1 if len(fam) else 0)
    # the applicants kept (named, of a family of two documents or more), selected before the frame is made
    named = np.asarray(pc.is_valid(flat).to_numpy(zero_copy_only=False), dtype=bool)
    keep = np.flatnonzero(named & (size[fam[parent]] > 1)) if len(parent) else np.zeros(0, np.int64)
    position = (np.arange(len(parent)) - starts)[keep]
    if len(parent):  # strings handed to pandas as Arrow-backed strings (no Python object per value)
        pubs = t["publication_number"].combine_chunks().cast(pa.string()).take(pa.array(parent[keep])).to_pandas()
        raw = flat.take(pa.array(keep)).to_pandas()
    else:
        pubs, raw = np.zeros(0, dtype=object), np.zeros(0, dtype=object)
    parent = parent[keep]
    return pd.DataFrame({
        "family": fam[parent] if len(parent) else np.zeros(0, np.int64),
        "doc": parent,
        "publication_number": pubs,
        "position": position,
        "n_applicants": lens[parent] if len(parent) else np.zeros(0, np.int64),
        "raw": raw,
    })


def firm_positions(positions: pd.DataFrame, firms) -> pd.DataFrame:
    """Positions counted among the organisations only: persons listed as applicants (the
    inventors a WO publication names as applicants for the US) do not shift them.

    ``firms``: the organisations' raw names (a set, or an array or index of them)."""
    names = firms if isinstance(firms, (pa.Array, pd.Index, pd.Series, np.ndarray)) else list(firms)
    firm = pc.is_in(pa.array(positions["raw"], pa.string(), from_pandas=True),
                    value_set=pa.array(names, pa.string(), from_pandas=True)).fill_null(False)  # Series.isin, in Arrow
    p = positions[np.asarray(firm.to_numpy(zero_copy_only=False), dtype=bool)]
    if not len(p):
        return p
    p = p.sort_values(["doc", "position"], kind="mergesort")
    return p.assign(position=p.groupby("doc").cumcount().to_numpy(),
                    n_applicants=p.groupby("doc")["raw"].transform("size").to_numpy())


def position_pairs(positions: pd.DataFrame, label_of_raw, cross_script: bool = False) -> pd.DataFrame:
    """Pairs of labels at the same position of two members of a family: ``a, b`` (``a < b``),
    ``families`` (distinct families where that happens) and ``example`` (the publication
    numbers of one such pair of members, for review).

    ``label_of_raw`` maps a raw name to its label (a key or group id); names without a
    label are ignored. With ``cross_script`` only pairs of a Chinese-script and a
    Latin-script name count.
    """
    cols = ["a", "b", "families", "example"]
    if not len(positions):
        return pd.DataFrame(columns=cols)
    p = positions.assign(label=positions["raw"].map(label_of_raw))
    p = p[p["label"].notna()]
    p = p.assign(script=script_of(pa.array(p["raw"].tolist(), pa.string())))
    p = p.drop_duplicates(["family", "position", "n_applicants", "label", "script"])
    p = p[["family", "position", "n_applicants", "publication_number", "label", "script"]]  # the columns used below
    both = p.merge(p, on=["family", "position", "n_applicants"], suffixes=("_a", "_b"))
    keep = both["label_a"] < both["label_b"]
    if cross_script:
        keep &= both["script_a"] != both["script_b"]
    both = both[keep]
    both = both.iloc[_stable_order(both, ["family", "publication_number_a", "publication_number_b"])]
    both = both.drop_duplicates(["family", "label_a", "label_b"])
    if not len(both):
        return pd.DataFrame(columns=cols)
    g = both.groupby(["label_a", "label_b"], sort=True)
    out = pd.DataFrame({"families": g["family"].nunique(),
                        "example": g["publication_number_a"].first() + " / " + g["publication_number_b"].first()}).reset_index()
    return out.rename(columns={"label_a": "a", "label_b": "b"})[cols]


def _stable_order(df: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Positions of ``df`` sorted by ``columns`` (ascending, stable, nulls last), as
    ``sort_values(columns, kind="mergesort")``; sorted by Arrow (``pc.sort_indices``)
    rather than by pandas' categorical codes of string columns."""
    t = pa.table({c: pa.array(df[c], from_pandas=True) for c in columns})
    return np.asarray(pc.sort_indices(t, sort_keys=[(c, "ascending") for c in columns]).to_numpy(), dtype=np.int64)


def mutual_best(pairs: pd.DataFrame, min_evidence: int) -> pd.DataFrame:
    """Pairs with at least ``min_evidence`` families where each side is the other's unique
    most frequent partner (the cross-script rule of the module docstring)."""
    if not len(pairs):
        return pairs
    long = pd.concat([pairs[["a", "b", "families"]].rename(columns={"a": "x", "b": "y"}),
                      pairs[["b", "a", "families"]].rename(columns={"b": "x", "a": "y"})])
    top = long.groupby("x")["families"].transform("max")
    n_top = long.assign(is_top=long["families"] == top).groupby("x")["is_top"].transform("sum")
    best = long[(long["families"] == top) & (n_top == 1)]
    best_of = dict(zip(best["x"], best["y"]))
    keep = (pairs["families"] >= min_evidence) & (pairs["a"].map(best_of) == pairs["b"]) & (pairs["b"].map(best_of) == pairs["a"])
    return pairs[keep.to_numpy()]
