"""The region around a portfolio: who would license it, which holders of the region could pool
rights to cover a gap, and which patents a region should bring in (引进急需专利) or may use freely.

All three read :func:`patentnav.landscape.gaps.gaps`: the technologies the region lacks
(categories ``fill_now`` and ``long_term``), and, through
:meth:`~patentnav.landscape.gaps.GapAnalysis.technology_rights`, which documents of each gap
technology are live rights and which have ended at the cut-off (status from
:mod:`patentnav.status`) and whether an applicant of the document is placed in the region, with
the evidence (:func:`patentnav.geo.document_evidence`). Nothing here re-derives a status or a
location: the portfolio adds its value ranking and likely terms on top. Sparse products over
documents x holders and group-bys; Python loops over technologies or prospects only.

* **Licensee prospects** of a right: the other firms whose documents cite it (in-corpus
  citations), with their main region and the evidence it rests on (:func:`holder_regions`);
  where the corpus has no citations, the other firms most active in its IPC subclass over the
  last five filing years, labelled as such.
* **Pools** (专利池): a gap technology in which at least two holders placed in the region have
  live rights; the pool says whether its holders are *located* there (firm list, address,
  applicant country) or only *first filed* there (priority country: never called local).
* **Bring in**: the live rights of the gap technologies (in force first, then pending
  applications) that no applicant placed in the region holds, scored ``feasibility x
  value_index`` (fit: the gap's density percentile; value: the cohort value index), with the
  holder, its region and evidence, holder type, years left and likely terms. Rights first filed
  in the region by their holders are left out and counted (their holders may be local).
  **Free to use**: the ended rights of the same technologies, ranked by value index - the
  knowledge may be practised, subject to family members that may still be in force elsewhere.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc
import scipy.sparse as sp

__all__ = ["GAP_CATEGORIES", "likely_terms", "holder_regions", "licensee_prospects", "pool_candidates", "bring_in"]

#: Gap categories that ask for rights from elsewhere (declining fields do not).
GAP_CATEGORIES = ("fill_now", "long_term")
#: Technologies taken from the gap table, in its order.
TOP_GAPS = 15
#: Bring-in candidates per technology.
PER_GAP = 5
_TERMS = {"university": "licence_tto", "research_institute": "licence_tto", "individual": "purchase_or_licence",
          "likely_npe": "licence_assertion", "firm": "licence_or_cross"}


def likely_terms(holder_type: str, years_left: float, pledged: bool, pending: bool = False) -> str:
    """A code for the deal a holder of this type usually offers (docs/portfolio.md)."""
    if pledged:
        return "pledged"
    if pending:
        return "application"
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


def holder_regions(assignment: pd.DataFrame) -> pd.DataFrame:
    """Main region of each applicant and the evidence it rests on.

    The main region is the one with most of the applicant's documents (ties: the stronger
    evidence, then the region key); its evidence is the strongest source among the
    applicant's rows there (:data:`patentnav.geo.SOURCES` order, as
    :func:`patentnav.geo.applicant_evidence` ranks it). ``located``: the evidence is a firm
    list, an address or an applicant country code; a region from the priority country says
    where the invention was first filed, not where the holder is.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``applicant``: ``region``, ``evidence``, ``located``, ``documents`` (in
        that region).
    """
    from ..geo import LOCATION_SOURCES, SOURCES

    ok = assignment["applicant"].notna().to_numpy()
    rank = {src: i for i, src in enumerate(SOURCES)}
    a = pd.DataFrame({"applicant": assignment["applicant"].to_numpy()[ok],
                      "region": assignment["region"].astype(str).to_numpy()[ok],
                      "rank": assignment["source_of_evidence"].astype(str).map(rank).to_numpy()[ok],
                      "doc": assignment["publication_number"].to_numpy()[ok]})
    g = a.groupby(["applicant", "region"]).agg(documents=("doc", "nunique"), rank=("rank", "min")).reset_index()
    g = g.sort_values(["applicant", "documents", "rank", "region"], ascending=[True, False, True, True], kind="mergesort")
    g = g.drop_duplicates("applicant").set_index("applicant")
    g["evidence"] = np.asarray(SOURCES, dtype=object)[g.pop("rank").to_numpy(dtype=np.int64)]
    g["located"] = g["evidence"].isin(LOCATION_SOURCES)
    return g[["region", "evidence", "located", "documents"]]


def licensee_prospects(corpus, rows: np.ndarray, own_cols: np.ndarray, holders, graph, alive: np.ndarray,
                       assignment: pd.DataFrame, top: int = 5) -> tuple[pd.DataFrame, pd.DataFrame, str]:
    """Per portfolio right, the firms likely to license it; and the prospects aggregated.

    Returns ``(per_right, firms, basis)``: ``per_right`` indexed like ``rows`` with
    ``citing_firms`` (distinct other firms citing) and ``prospects`` (names); ``firms``: one
    row per prospect (``firm``, ``region``, ``evidence`` (what places the firm in that region,
    :func:`holder_regions`), ``located``, ``rights`` of the portfolio it relates to,
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
    cols = ["firm", "region", "evidence", "located", "rights", "documents"]
    agg = pd.DataFrame({"firm": np.concatenate([[names[c] for c, _ in tf] for tf in top_firms] + [np.zeros(0)]),
                        "weight": np.concatenate([[v for _, v in tf] for tf in top_firms] + [np.zeros(0)])})
    if agg.empty:
        return per, pd.DataFrame(columns=cols), basis
    firms = agg.groupby("firm").agg(rights=("weight", "size"), documents=("weight", "sum")).reset_index()
    where = holder_regions(assignment).reindex(firms["firm"].to_numpy())
    firms["region"] = where["region"].fillna("UNKNOWN").to_numpy()
    firms["evidence"] = where["evidence"].fillna("none").to_numpy()
    firms["located"] = where["located"].fillna(False).to_numpy(dtype=bool)
    firms = firms.sort_values(["rights", "documents", "firm"], ascending=[False, False, True], kind="mergesort")
    return per, firms[cols].reset_index(drop=True), basis


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
    return g[g["category"].isin(GAP_CATEGORIES)].head(TOP_GAPS).copy()


def pool_candidates(gap, portfolio_rows: np.ndarray, alive: np.ndarray, min_holders: int = 2
                    ) -> tuple[pd.DataFrame, pd.Series]:
    """Gap technologies where at least ``min_holders`` holders placed in the region have live rights.

    The live rights come from the gap analysis (:meth:`GapAnalysis.technology_rights`), the
    holders and their evidence from its region assignment (:func:`patentnav.geo.applicant_evidence`:
    a holder is *located* with a firm list, address or applicant country; placed by the
    priority country only, it is *first filed* in the region, not local).

    Returns ``(pools, membership)``: ``pools`` one row per technology (``technology``,
    ``title``, ``category``, ``gap_score``, ``holders`` (count), ``located_holders`` (count),
    ``basis`` (``located``: every holder located; ``first_filed``: none; ``mixed``), ``rights``,
    ``holder_names`` and ``holder_evidence`` (aligned lists, most rights first));
    ``membership``: for each live portfolio row in a pool, the pool's technology.
    """
    from ..geo import applicant_evidence

    g = _gap_table(gap)
    tr = gap.technology_rights(g["technology"].to_numpy())
    tr = tr[(tr["right"] == "live") & tr["region_evidence"].notna()]
    a = gap.assignment
    a = a[(a["region"].astype(str) == gap.region) & a["applicant"].notna() & (a["applicant_index"] >= 0)]
    pairs = tr[["technology", "row", "publication_number"]].merge(
        pd.DataFrame({"publication_number": a["publication_number"].to_numpy(), "holder": a["applicant"].astype(str).to_numpy()}),
        on="publication_number").drop_duplicates(["technology", "row", "holder"])
    ev = applicant_evidence(gap.assignment, gap.region).set_index("applicant")
    pairs["evidence"] = ev["evidence"].reindex(pairs["holder"].to_numpy()).to_numpy()
    pairs["located"] = ev["located"].reindex(pairs["holder"].to_numpy()).fillna(False).to_numpy(dtype=bool)
    per = pairs.groupby(["technology", "holder"], sort=False).agg(
        rights=("row", "size"), evidence=("evidence", "first"), located=("located", "first")).reset_index()
    per = per.sort_values(["technology", "rights", "holder"], ascending=[True, False, True], kind="mergesort")
    out = []
    for tech in g.itertuples():  # gap technologies (at most TOP_GAPS)
        h = per[per["technology"] == tech.technology]
        if len(h) < min_holders:
            continue
        n_loc = int(h["located"].sum())
        out.append({"technology": tech.technology, "title": getattr(tech, "title", "") or "", "category": tech.category,
                    "gap_score": tech.gap_score, "holders": len(h), "located_holders": n_loc,
                    "basis": "located" if n_loc == len(h) else ("first_filed" if n_loc == 0 else "mixed"),
                    "rights": int(pairs.loc[pairs["technology"] == tech.technology, "row"].nunique()),
                    "holder_names": h["holder"].head(6).tolist(), "holder_evidence": h["evidence"].head(6).tolist()})
    pools = pd.DataFrame(out, columns=["technology", "title", "category", "gap_score", "holders", "located_holders", "basis",
                                       "rights", "holder_names", "holder_evidence"])
    member = pd.Series(dtype=object)
    if len(pools):
        mine = pairs[pairs["technology"].isin(pools["technology"]) & pairs["row"].isin(np.asarray(portfolio_rows))]
        order = pd.Index(pools["technology"]).get_indexer(mine["technology"])
        first = mine.assign(_o=order).sort_values(["row", "_o"], kind="mergesort").drop_duplicates("row")
        member = pd.Series(first["technology"].to_numpy(), index=first["row"].to_numpy(dtype=np.int64))
        member = member[alive[member.index.to_numpy()]]
    return pools, member


def bring_in(corpus, gap, values: pd.DataFrame, per_gap: int = PER_GAP) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Live rights to bring in and ended rights free to use, in the region's gap technologies.

    Which rights are live and which ended, and which are held in the region, is the gap
    analysis's (:meth:`GapAnalysis.technology_rights`); this ranks them by value and adds
    the deal. Per technology, the live rights no applicant placed in the region holds, in
    force first, then pending, each by value index; the ended rights by value index.

    Returns ``(targets, free)``. ``targets``: ``technology``, ``category``, ``feasibility``,
    ``publication_number``, ``title``, ``holder``, ``holder_region``, ``holder_evidence``,
    ``holder_type``, ``status``, ``years_left``, ``expiry_date``, ``value_index``, ``score``
    (feasibility x value index), ``terms``; ``attrs["first_filed_left_out"]``: live rights of
    those technologies held only by applicants first filed in the region (left out);
    ``free``: ``technology``, ``category``, ``publication_number``, ``title``, ``holder``,
    ``status``, ``ended`` (date), ``value_index``.
    """
    from ..warning.holders import holder_types

    g = _gap_table(gap)
    tr = gap.technology_rights(g["technology"].to_numpy())
    info = g.set_index("technology")
    tr["category"] = info["category"].reindex(tr["technology"]).to_numpy()
    tr["feasibility"] = info["feasibility"].reindex(tr["technology"]).to_numpy(dtype=float)
    tr["value_index"] = values["value_index"].to_numpy(dtype=float)[tr["row"].to_numpy()]
    live = tr[tr["right"] == "live"]
    proxy = live["region_evidence"].notna() & ~live["located"]
    first_filed = int(live.loc[proxy, "publication_number"].nunique())
    tr["_pending"] = (tr["status"] == "pending").astype(int)
    tr["_v"] = -tr["value_index"].fillna(-1.0)
    targets = _top(tr[(tr["right"] == "live") & tr["region_evidence"].isna()], ["technology", "_pending", "_v"], per_gap)
    free = _top(tr[tr["right"] == "ended"], ["technology", "_v"], per_gap)
    titles = corpus["title"].to_pandas().to_numpy()
    first_holder = _first_names(corpus)
    for df in (targets, free):
        r = df["row"].to_numpy()
        df["title"] = titles[r]
        df["holder"] = first_holder[r]
    if len(targets):
        r = targets["row"].to_numpy()
        where = holder_regions(gap.assignment).reindex(targets["holder"].to_numpy())
        targets["holder_region"] = where["region"].to_numpy()
        targets["holder_evidence"] = where["evidence"].to_numpy()
        targets["holder_type"] = holder_types(targets["holder"].fillna("").tolist())["holder_type"].to_numpy()
        pledged = values["active_pledge"].to_numpy(dtype=bool)[r]
        targets["score"] = targets["feasibility"].fillna(0.0) * targets["value_index"].fillna(0.0)
        targets["terms"] = [likely_terms(h, y, p, s == "pending") for h, y, p, s in
                            zip(targets["holder_type"], targets["years_left"], pledged, targets["status"])]
        targets = targets.sort_values(["_pending", "score", "publication_number"], ascending=[True, False, True], kind="mergesort")
    else:
        for c in ("holder_region", "holder_evidence", "holder_type", "score", "terms"):
            targets[c] = pd.Series(dtype=object)
    targets = targets.drop_duplicates("publication_number").reset_index(drop=True)[
        ["technology", "category", "feasibility", "row", "publication_number", "title", "holder", "holder_region",
         "holder_evidence", "holder_type", "status", "years_left", "expiry_date", "value_index", "score", "terms"]]
    targets.attrs["first_filed_left_out"] = first_filed
    free = free.rename(columns={"ended_on": "ended"}).drop_duplicates("publication_number").reset_index(drop=True)[
        ["technology", "category", "feasibility", "row", "publication_number", "title", "holder", "status", "ended",
         "value_index"]]
    return targets, free


def _top(df: pd.DataFrame, by: list[str], k: int) -> pd.DataFrame:
    """The first ``k`` rows of each technology after sorting by ``by`` (then publication number);
    technologies keep the gap table's order."""
    order = pd.Index(pd.unique(df["technology"])).get_indexer(df["technology"])
    df = df.assign(_t=order).sort_values(["_t"] + by[1:] + ["publication_number"], kind="mergesort")
    return df.groupby("_t", sort=False).head(k).drop(columns="_t").copy()


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
