"""The region around a portfolio: who would license it, which local patents could pool to
cover a gap, and which patents a region should bring in (引进急需专利) or may use freely.

All three build on :func:`patentnav.landscape.gaps.gaps` (technologies the region lacks:
categories ``fill_now`` and ``long_term``, RCA < 1 and a growing or stable field) and on the
legal status of :func:`patentnav.status.patent_status`; sparse products over
documents x technologies x holders, Python loops over technologies only.

* **Licensee prospects** of a right: the other firms whose documents cite it (in-corpus
  citations), with their region; where the corpus has no citations, the other firms most
  active in its IPC subclass over the last five filing years, labelled as such.
* **Pools** (专利池): a gap technology in which at least two local holders have live rights;
  the pool is their rights together.
* **Bring in**: live granted rights in the region's gap technologies held by no local
  applicant, scored ``feasibility x value_index`` (fit: the percentile of the region's
  relatedness density to the technology, from the gap analysis; value: the cohort value
  index), with the holder, holder type, years left and likely terms; pending applications
  are left out (not yet rights). **Free to use**: rights in those technologies that ended
  (expired or lapsed) - the knowledge may be practised, subject to family members that may
  still be in force elsewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import scipy.sparse as sp

__all__ = ["GAP_CATEGORIES", "likely_terms", "licensee_prospects", "pool_candidates", "bring_in"]

#: Gap categories that ask for rights from elsewhere (declining fields do not).
GAP_CATEGORIES = ("fill_now", "long_term")
#: Technologies taken from the gap table, in its order.
TOP_GAPS = 15
#: Bring-in candidates per technology.
PER_GAP = 5
_TERMS = {"university": "licence_tto", "research_institute": "licence_tto", "individual": "purchase_or_licence",
          "likely_npe": "licence_assertion", "firm": "licence_or_cross"}


def likely_terms(holder_type: str, years_left: float, pledged: bool) -> str:
    """A code for the deal a holder of this type usually offers (docs/portfolio.md)."""
    if pledged:
        return "pledged"
    if years_left is not None and np.isfinite(years_left) and years_left < 3:
        return "short_term"
    return _TERMS.get(holder_type, "licence_or_cross")


def _top_per_row(m: sp.csr_matrix, k: int) -> list[list[tuple[int, float]]]:
    m = sp.csr_matrix(m)
    out = []
    for i in range(m.shape[0]):  # portfolio documents (a holder's), not the corpus
        lo, hi = m.indptr[i], m.indptr[i + 1]
        cols, vals = m.indices[lo:hi], m.data[lo:hi]
        order = np.lexsort((cols, -vals))[:k]
        out.append([(int(cols[j]), float(vals[j])) for j in order])
    return out


def _firm_regions(assignment: pd.DataFrame) -> pd.Series:
    """Main region of each applicant name (most documents; ties by region key)."""
    ok = assignment["applicant"].notna().to_numpy()
    a = pd.DataFrame({"applicant": assignment["applicant"].to_numpy()[ok],
                      "region": assignment["region"].astype(str).to_numpy()[ok]})
    g = a.groupby(["applicant", "region"]).size().reset_index(name="n")
    g = g.sort_values(["applicant", "n", "region"], ascending=[True, False, True], kind="mergesort")
    return g.drop_duplicates("applicant").set_index("applicant")["region"]


def licensee_prospects(corpus, rows: np.ndarray, own_cols: np.ndarray, holders, graph, alive: np.ndarray,
                       assignment: pd.DataFrame, top: int = 5) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Per portfolio right, the firms likely to license it; and the prospects aggregated.

    Returns ``(per_right, firms, basis)``: ``per_right`` indexed like ``rows`` with
    ``citing_firms`` (distinct other firms citing) and ``prospects`` (names); ``firms``: one
    row per prospect (``firm``, ``region``, ``rights`` of the portfolio it relates to,
    ``documents``); ``basis`` is ``citations`` or ``field_activity``.
    """
    H = sp.csr_matrix(holders.matrix, dtype=np.float64)
    keep = np.ones(H.shape[1], dtype=bool)
    keep[own_cols] = False
    Hx = H @ sp.diags(keep.astype(np.float64))
    rows = np.asarray(rows, dtype=np.int64)
    if graph.has_citation_data:
        A = sp.csr_matrix(graph.matrix, dtype=np.float64)[rows]  # portfolio rights x citing documents
        M = (A @ Hx).tocsr()
        basis = "citations"
    else:
        from ..landscape.incidence import code_incidence

        X = sp.csr_matrix(code_incidence(corpus, "ipc", "subclass").matrix, dtype=np.float64)
        year = pc.year(corpus["filing_date"]).to_numpy(zero_copy_only=False).astype(float)
        recent = np.nan_to_num(year, nan=-1) >= np.nanmax(year) - 4 if np.isfinite(year).any() else np.zeros(len(year), bool)
        w = (recent & alive).astype(np.float64)
        first = X[rows]  # subclasses of the right; field activity = other firms' recent live documents there
        field_firm = (X.T @ sp.diags(w) @ Hx).tocsr()  # subclass x firm
        M = (first @ field_firm).tocsr()
        basis = "field_activity"
    M.eliminate_zeros()
    names = np.asarray(holders.items, dtype=object)
    M = _organisations_only(M, names)
    top_firms = _top_per_row(M, top)
    citing = np.asarray((M > 0).sum(axis=1)).ravel() if basis == "citations" else np.zeros(len(rows))
    per = pd.DataFrame({"citing_firms": citing.astype(np.int64),
                        "prospects": ["; ".join(str(names[c]) for c, _ in tf) for tf in top_firms]}, index=rows)
    regions = _firm_regions(assignment)
    agg = pd.DataFrame({"firm": np.concatenate([[names[c] for c, _ in tf] for tf in top_firms] + [np.zeros(0)]),
                        "weight": np.concatenate([[v for _, v in tf] for tf in top_firms] + [np.zeros(0)])})
    if agg.empty:
        return per, pd.DataFrame(columns=["firm", "region", "rights", "documents"]), basis
    firms = agg.groupby("firm").agg(rights=("weight", "size"), documents=("weight", "sum")).reset_index()
    firms["region"] = firms["firm"].map(regions).fillna("UNKNOWN")
    firms = firms.sort_values(["rights", "documents", "firm"], ascending=[False, False, True], kind="mergesort")
    return per, firms[["firm", "region", "rights", "documents"]].reset_index(drop=True), basis


def _organisations_only(M: sp.csr_matrix, names: np.ndarray) -> sp.csr_matrix:
    """Drop the columns of individuals (inventor-applicants are not licensees one can approach
    as firms), typed once per distinct name by :func:`patentnav.warning.holders.holder_types`."""
    from ..warning.holders import holder_types

    cols = np.unique(M.indices)
    if not len(cols):
        return M
    types = holder_types([str(x) for x in names[cols]])["holder_type"].to_numpy()
    drop = cols[types == "individual"]
    keep = np.ones(M.shape[1], dtype=np.float64)
    keep[drop] = 0.0
    out = (M @ sp.diags(keep)).tocsr()
    out.eliminate_zeros()
    return out


def _gap_table(gap) -> pd.DataFrame:
    g = gap.table
    g = g[g["category"].isin(GAP_CATEGORIES)].head(TOP_GAPS).copy()
    return g


def pool_candidates(corpus, gap, local: np.ndarray, alive: np.ndarray, holders, portfolio_rows: np.ndarray,
                    min_holders: int = 2) -> tuple[pd.DataFrame, pd.Series]:
    """Gap technologies where at least ``min_holders`` local holders have live rights.

    Returns ``(pools, membership)``: ``pools`` one row per technology (``technology``,
    ``title``, ``category``, ``gap_score``, ``holders`` (count), ``rights``, ``holder_names``);
    ``membership``: for each portfolio row in a pool, the pool's technology.
    """
    from ..landscape.incidence import code_incidence

    g = _gap_table(gap)
    inc = code_incidence(corpus, "ipc", gap.params.get("level", "subclass"))
    items = pd.Index(inc.items.astype(str))
    cols = items.get_indexer(g["technology"].to_numpy())
    ok = cols >= 0
    g, cols = g[ok], cols[ok]
    X = sp.csr_matrix(inc.matrix, dtype=np.float64)[:, cols]  # documents x gap technologies
    w = (local & alive).astype(np.float64)
    H = sp.csr_matrix(holders.matrix, dtype=np.float64)
    TH = (X.T @ sp.diags(w) @ H).tocsr()  # technology x holder: local live rights
    n_holders = np.asarray((TH > 0).sum(axis=1)).ravel()
    rights = np.asarray(X.T @ w).ravel()
    names = np.asarray(holders.items, dtype=object)
    top = _top_per_row(TH, 6)
    pools = pd.DataFrame({"technology": g["technology"].to_numpy(), "title": g.get("title", pd.Series([""] * len(g))).to_numpy(),
                          "category": g["category"].to_numpy(), "gap_score": g["gap_score"].to_numpy(),
                          "holders": n_holders.astype(np.int64), "rights": rights.astype(np.int64),
                          "holder_names": ["; ".join(str(names[c]) for c, _ in t) for t in top]})
    pools = pools[pools["holders"] >= min_holders].reset_index(drop=True)
    member = pd.Series(dtype=object)
    if len(pools):
        sel = pd.Index(g["technology"].to_numpy()).get_indexer(pools["technology"].to_numpy())
        P = X[np.asarray(portfolio_rows, dtype=np.int64)][:, sel].tocsr()
        first = np.asarray(P.argmax(axis=1)).ravel()
        has = np.asarray(P.sum(axis=1)).ravel() > 0
        member = pd.Series(pools["technology"].to_numpy()[first], index=np.asarray(portfolio_rows))[has]
        member = member[alive[member.index.to_numpy()]]
    return pools, member


def bring_in(corpus, gap, local: np.ndarray, status: pd.DataFrame, values: pd.DataFrame, holders,
             per_gap: int = PER_GAP) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Live rights to bring in and ended rights free to use, in the region's gap technologies.

    Returns ``(targets, free)``. ``targets``: ``technology``, ``category``, ``feasibility``,
    ``publication_number``, ``title``, ``holder``, ``holder_type``, ``status``, ``years_left``,
    ``expiry_date``, ``value_index``, ``score`` (feasibility x value index), ``terms``;
    ``free``: ``technology``, ``publication_number``, ``title``, ``holder``, ``status``,
    ``ended`` (date), ``value_index``.
    """
    from ..landscape.incidence import code_incidence
    from ..warning.holders import holder_types

    g = _gap_table(gap)
    inc = code_incidence(corpus, "ipc", gap.params.get("level", "subclass"))
    items = pd.Index(inc.items.astype(str))
    cols = items.get_indexer(g["technology"].to_numpy())
    g, cols = g[cols >= 0], cols[cols >= 0]
    X = sp.csc_matrix(inc.matrix, dtype=np.float64)[:, cols]
    st = status["status"].to_numpy()
    granted = status["document_type"].isin(["granted_patent", "utility_model", "design", "plant_patent"]).to_numpy()
    live = (st == "in_force") & granted & ~local
    ended = np.isin(st, ["expired", "lapsed"]) & granted
    value = values["value_index"].to_numpy(dtype=float)
    titles = corpus["title"].to_pandas().to_numpy()
    pubs = status["publication_number"].to_numpy()
    first_holder = _first_names(corpus)
    T, F = [], []
    for j, tech in enumerate(g.itertuples()):  # gap technologies (at most TOP_GAPS)
        docs = X[:, j].indices
        for mask, out, k in ((live, T, per_gap), (ended, F, per_gap)):
            d = docs[mask[docs]]
            if not len(d):
                continue
            order = np.lexsort((pubs[d].astype(str), -np.nan_to_num(value[d], nan=-1)))[:k]
            for i in d[order]:
                out.append({"technology": tech.technology, "category": tech.category,
                            "feasibility": float(tech.feasibility) if np.isfinite(tech.feasibility) else np.nan, "row": int(i),
                            "publication_number": pubs[i], "title": titles[i], "holder": first_holder[i],
                            "status": st[i], "value_index": value[i]})
    targets = pd.DataFrame(T, columns=["technology", "category", "feasibility", "row", "publication_number", "title",
                                       "holder", "status", "value_index"])
    free = pd.DataFrame(F, columns=["technology", "category", "feasibility", "row", "publication_number", "title",
                                    "holder", "status", "value_index"])
    if len(targets):
        r = targets["row"].to_numpy()
        types = holder_types(targets["holder"].fillna("").tolist())
        targets["holder_type"] = types["holder_type"].to_numpy()
        targets["years_left"] = pd.to_numeric(status["years_left"], errors="coerce").to_numpy()[r]
        targets["expiry_date"] = status["expiry_date"].to_numpy()[r]
        pledged = values["active_pledge"].to_numpy(dtype=bool)[r]
        targets["score"] = targets["feasibility"].fillna(0.0) * targets["value_index"].fillna(0.0)
        targets["terms"] = [likely_terms(h, y, p) for h, y, p in zip(targets["holder_type"], targets["years_left"], pledged)]
        targets = targets.sort_values(["score", "publication_number"], ascending=[False, True], kind="mergesort")
        targets = targets.drop_duplicates("publication_number").reset_index(drop=True)
    if len(free):
        free["ended"] = status["assumed_date"].to_numpy()[free["row"].to_numpy()]
        free = free.drop_duplicates("publication_number").reset_index(drop=True)
    return targets, free


def _first_names(corpus) -> np.ndarray:
    """The first applicant of each document (harmonised where present), None where none."""
    t = corpus.table
    h = t["applicants_harmonized"].combine_chunks()
    use = (pc.sum(pc.list_value_length(h)).as_py() or 0) > 0
    col = h if use else t["applicants"].combine_chunks()
    sl = pc.list_slice(col, 0, 1)
    out = np.full(len(col), None, dtype=object)
    out[pc.list_parent_indices(sl).to_numpy()] = np.asarray(pc.list_flatten(sl).to_pylist(), dtype=object)
    return out
