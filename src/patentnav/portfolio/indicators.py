"""Value indicators of every document, grouped as GB/T 42748-2023 (专利评估指引) groups them:
legal (法律), technical (技术) and economic (经济). Formulas and sources: docs/portfolio.md.

Computed for the whole corpus, because every technical indicator is relative to the
document's cohort (filing year x WIPO field, :func:`patentnav.landscape.indicators.cohorts`).
Reused, not re-derived: legal status and remaining term (:func:`patentnav.status.patent_status`),
the OECD indicators and cohorts (:mod:`patentnav.landscape.indicators`), the SEI concordance
(:mod:`patentnav.classify.sei`), legal-event transactions (:mod:`.legal`). New here:

* ``radicalness`` (Shane 2001; Squicciarini, Dernis & Criscuolo 2013): the share of the IPC
  subclasses of the cited documents that the citing document does not carry,
  ``sum_j CT_j / n_p``, over the in-corpus cited documents;
* ``breakthrough``: fewer than 1% of the cohort have more forward citations, and it has
  some (top 1% of the cohort; Ahuja & Lampert 2001;
  Squicciarini et al. 2013), defined for cohorts of at least 100 documents;
* ``npl_share``: non-patent references / all references (science linkage, Narin, Hamilton &
  Olivastro 1997; Callaert et al. 2006);
* ``tech_relevance``: forward citations / the cohort's mean (the Patent Asset Index's
  technology relevance, Ernst & Omland 2011: 1 = the cohort's average);
* ``market_coverage``: the GNI of the offices where the family has a member, / the GNI of
  the United States (Ernst & Omland 2011; World Bank GNI 2018, Atlas method); an EP member
  counts as DE + FR + GB, the three states where European patents are most often validated
  (Harhoff, Hoisl, Reichl & van Pottelsberghe 2009); WO counts nothing;
* ``competitive_impact`` = ``tech_relevance x market_coverage`` (Ernst & Omland 2011);
* ``maintenance_ratio``: the share of its statutory term a right was kept: from filing to
  ``as_of`` (alive), to the lapse (lapsed) or 1 (expired at full term);
* ``value_index``: the mean of the cohort percentiles (mid-rank, ``(rank - 1/2) / n``) of
  forward citations, family size, market coverage and claims, those the corpus has.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

__all__ = ["VALUE_COMPONENTS", "EP_MARKETS", "BREAKTHROUGH_MIN_COHORT", "gni_weights", "market_coverage_index",
           "radicalness", "cohort_percentile", "value_indicators", "INDICATOR_GROUPS"]

#: Components of the value index, in the order reported.
VALUE_COMPONENTS = ("forward_citations", "family_size", "market_coverage", "claims")
#: Markets an EP family member stands for (the three most frequent validation states).
EP_MARKETS = ("DE", "FR", "GB")
#: Smallest cohort in which "top 1%" is defined.
BREAKTHROUGH_MIN_COHORT = 100
#: Indicator columns by GB/T 42748-2023 group.
INDICATOR_GROUPS = {
    "legal": ("status", "years_left", "claims", "family_size", "co_owners", "active_pledge", "licences", "transfers",
              "invalidations", "challenges"),
    "technical": ("forward_citations", "forward_citations_norm", "tech_relevance", "breakthrough", "patent_scope",
                  "radicalness", "originality", "generality", "npl_share", "sei"),
    "economic": ("family_size", "markets", "market_coverage", "competitive_impact", "maintenance_ratio",
                 "transactions"),
}


@lru_cache(maxsize=1)
def _gni() -> dict[str, float]:
    f = resources.files("patentnav.data").joinpath("portfolio/gni_atlas_2018.csv")
    with f.open("r", encoding="utf-8") as fh:
        df = pd.read_csv(fh, dtype={"iso2": str}, keep_default_na=False)
    return dict(zip(df["iso2"], df["gni_musd"].astype(float)))


def gni_weights() -> pd.Series:
    """Market weight of each office: GNI 2018 (Atlas method) / GNI of the United States."""
    g = pd.Series(_gni())
    return (g / g["US"]).rename("weight")


def _office_pairs(corpus) -> pd.DataFrame:
    """Distinct (row, office) pairs: the document's own office and its family's (EP expanded, WO dropped)."""
    t = corpus.table
    n = t.num_rows
    frames = [pd.DataFrame({"row": np.arange(n), "office": t["jurisdiction"].to_pandas().str.upper().to_numpy()})]
    for col, prefix in (("family_jurisdictions", False), ("family_members", True)):
        arr = t[col].combine_chunks()
        if pc.sum(pc.list_value_length(arr)).as_py():
            flat = pc.utf8_upper(pc.utf8_trim_whitespace(pc.list_flatten(arr)))
            if prefix:
                flat = pc.utf8_slice_codeunits(flat, 0, 2)
            frames.append(pd.DataFrame({"row": pc.list_parent_indices(arr).to_numpy(),
                                        "office": flat.to_pandas().to_numpy()}))
    pairs = pd.concat(frames, ignore_index=True).dropna()
    ep = pairs[pairs["office"] == "EP"]
    if len(ep):
        pairs = pd.concat([pairs] + [ep.assign(office=m) for m in EP_MARKETS], ignore_index=True)
    pairs = pairs[~pairs["office"].isin(["WO", "EP", ""])]
    return pairs.drop_duplicates().reset_index(drop=True)


def market_coverage_index(corpus) -> tuple[np.ndarray, np.ndarray, dict]:
    """``market_coverage`` and ``markets`` (distinct national markets) per document, and the
    offices that have no GNI weight (with their document counts)."""
    n = len(corpus)
    pairs = _office_pairs(corpus)
    w = gni_weights()
    pairs["w"] = pairs["office"].map(w)
    missing = pairs.loc[pairs["w"].isna(), "office"].value_counts().to_dict()
    mc = np.bincount(pairs["row"], weights=pairs["w"].fillna(0.0).to_numpy(), minlength=n)
    offices = np.bincount(pairs["row"], minlength=n)
    return mc, offices, {str(k): int(v) for k, v in missing.items()}


def radicalness(graph, classes: sp.spmatrix) -> np.ndarray:
    """``(n_p - same_p) / n_p`` per citing document: ``n_p`` the (cited document, subclass)
    pairs over its in-corpus cited documents, ``same_p`` those whose subclass the citing
    document carries too; NaN where ``n_p = 0``.

    Parameters
    ----------
    graph : CitationGraph
        Document-level citation graph (``matrix[cited, citing] = 1``).
    classes : sparse (documents x subclasses), binary
    """
    x = sp.csr_matrix(classes, dtype=np.float64)
    x.data[:] = 1.0
    m = sp.csr_matrix(graph.matrix, dtype=np.float64).T.tocsr() @ x  # citing x subclass: cited docs per class
    n_p = np.asarray(m.sum(axis=1)).ravel()
    same = np.asarray(m.multiply(x).sum(axis=1)).ravel()
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(n_p > 0, (n_p - same) / n_p, np.nan)


def cohort_percentile(values: pd.Series, keys: list[np.ndarray]) -> np.ndarray:
    """Mid-rank percentile ``(rank - 1/2) / n`` of each value within its cohort (ties share
    their average rank; nulls stay NaN and do not count in ``n``). A lone document gets 0.5."""
    v = pd.to_numeric(values, errors="coerce").astype(float)
    g = v.groupby(keys)
    rank = g.rank(method="average")
    n = g.transform("count")
    return ((rank - 0.5) / n).to_numpy()


def _keys(frame: pd.DataFrame) -> list[np.ndarray]:
    return [frame[c].astype(object).where(frame[c].notna(), "\0null").to_numpy() for c in ("cohort_year", "cohort_field")]


def _npl_share(t: pa.Table) -> np.ndarray:
    npl = pc.list_value_length(t["cited_npl"].combine_chunks()).fill_null(0).to_numpy(zero_copy_only=False)
    pat = pc.list_value_length(t["cited_publications"].combine_chunks()).fill_null(0).to_numpy(zero_copy_only=False)
    total = (npl + pat).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total > 0, npl / total, np.nan)


def _maintenance_ratio(corpus, status: pd.DataFrame, asof: pd.Timestamp) -> np.ndarray:
    from ..status import _ts

    filing = _ts(corpus.table["filing_date"]).to_numpy()
    expiry = pd.to_datetime(status["expiry_date"]).to_numpy()
    ended = pd.to_datetime(status["assumed_date"]).to_numpy()
    st = status["status"].to_numpy()
    end = np.where(st == "expired", expiry, np.where(st == "lapsed", ended, np.datetime64(asof.date())))
    granted = status["document_type"].isin(["granted_patent", "utility_model", "design", "plant_patent"]).to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (end - filing).astype("timedelta64[D]").astype(float) / (expiry - filing).astype("timedelta64[D]").astype(float)
    ok = granted & np.isin(st, ["in_force", "lapsed", "expired"])
    return np.where(ok, np.clip(r, 0.0, 1.0), np.nan)


def value_indicators(corpus, status: pd.DataFrame, legal: pd.DataFrame | None = None, as_of=None, graph=None) -> pd.DataFrame:
    """Legal, technical and economic indicators of every document (corpus order).

    Parameters
    ----------
    corpus : Corpus
    status : pandas.DataFrame
        :func:`patentnav.status.patent_status` on ``as_of``.
    legal : pandas.DataFrame, optional
        :func:`patentnav.portfolio.legal.legal_profile` (computed when not given).
    as_of : date-like
    graph : CitationGraph, optional

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`INDICATOR_GROUPS` (``co_owners`` excepted: it depends on the
        holder), the cohort, the raw inputs, ``value_index`` and ``value_index_n``;
        ``attrs["availability"]`` (indicator -> note) and ``attrs["available"]``.
    """
    from ..classify.sei import sei_fields_array
    from ..landscape.citations import citation_graph
    from ..landscape.incidence import code_incidence
    from ..landscape.indicators import normalise_by_cohort, quality_indicators
    from ..status import _as_of
    from .legal import legal_profile

    asof = _as_of(as_of)
    t = corpus.table
    n = t.num_rows
    graph = graph if graph is not None else citation_graph(corpus)
    q = quality_indicators(corpus, graph=graph)
    notes = dict(q.attrs.get("availability", {}))
    src = q["forward_citations_source"]
    use_source = bool(src.notna().any())
    fwd = (src if use_source else q["forward_citations_5y"]).astype("Float64")
    legal = legal if legal is not None else legal_profile(corpus, as_of=asof)

    out = pd.DataFrame({
        "publication_number": q.index.to_numpy(),
        "status": status["status"].to_numpy(),
        "years_left": pd.to_numeric(status["years_left"], errors="coerce").to_numpy(dtype=float),
        "expiry_date": status["expiry_date"].to_numpy(),
        "claims": q["claims"].to_numpy(dtype=float, na_value=np.nan),
        "family_size": q["family_size"].to_numpy(dtype=float, na_value=np.nan),
        "cohort_year": q["cohort_year"].to_numpy(), "cohort_field": q["cohort_field"].to_numpy(),
        "cohort_size": q["cohort_size"].to_numpy(),
        "forward_citations": fwd.to_numpy(dtype=float, na_value=np.nan),
        "patent_scope": q["patent_scope"].to_numpy(dtype=float, na_value=np.nan),
        "originality": q["originality"].to_numpy(dtype=float), "generality": q["generality"].to_numpy(dtype=float),
    })
    for c in ("active_pledge", "licences", "transfers", "invalidations", "challenges", "transactions", "pledges",
              "active_licence", "licence_offer", "events"):
        out[c] = legal[c].to_numpy()
    keys = _keys(out)
    mx = normalise_by_cohort(out[["forward_citations", "cohort_year", "cohort_field"]], columns=["forward_citations"])
    mean = normalise_by_cohort(out[["forward_citations", "cohort_year", "cohort_field"]], columns=["forward_citations"],
                               method="mean")
    out["forward_citations_norm"] = mx["forward_citations_norm"].to_numpy()
    out["tech_relevance"] = mean["forward_citations_norm"].to_numpy()
    f = pd.Series(out["forward_citations"])
    greater = f.groupby(keys).rank(method="min", ascending=False).to_numpy() - 1
    cn = f.groupby(keys).transform("count").to_numpy()
    brk = pd.array((f.to_numpy() > 0) & (greater < 0.01 * cn), dtype="boolean")
    brk[(cn < BREAKTHROUGH_MIN_COHORT) | f.isna().to_numpy()] = pd.NA
    out["breakthrough"] = brk

    inc = code_incidence(corpus, "ipc", "subclass")
    out["radicalness"] = radicalness(graph, inc.matrix) if graph.has_citation_data else np.nan
    out["npl_share"] = _npl_share(t)
    sei = sei_fields_array(t["ipc"])
    out["sei"] = pc.list_value_length(sei).to_numpy(zero_copy_only=False) > 0
    out["sei_fields"] = pd.Series(sei.to_pylist(), dtype=object).to_numpy()
    from ..classify.wipo import wipo_fields_array

    wipo = wipo_fields_array(t["ipc"]).to_pylist()
    out["wipo_fields"] = pd.Series(wipo, dtype=object).to_numpy()

    mc, offices, no_weight = market_coverage_index(corpus)
    fam_data = bool(pc.sum(pc.list_value_length(t["family_jurisdictions"].combine_chunks())).as_py() or
                    pc.sum(pc.list_value_length(t["family_members"].combine_chunks())).as_py())
    out["markets"] = offices
    out["market_coverage"] = mc if fam_data else np.nan
    out["competitive_impact"] = out["tech_relevance"] * out["market_coverage"]
    out["maintenance_ratio"] = _maintenance_ratio(corpus, status, asof)

    available = {
        "forward_citations": bool(f.notna().any()),
        "family_size": bool(out["family_size"].notna().any()),
        "market_coverage": fam_data,
        "claims": bool(out["claims"].notna().any()),
    }
    used = [c for c in VALUE_COMPONENTS if available[c]]
    pct = np.column_stack([cohort_percentile(out[c], keys) for c in used]) if used else np.zeros((n, 0))
    for c, col in zip(used, pct.T):
        out[f"{c}_pct"] = col
    cnt = np.isfinite(pct).sum(axis=1)
    with np.errstate(invalid="ignore"):
        out["value_index"] = np.where(cnt > 0, np.nansum(pct, axis=1) / np.maximum(cnt, 1), np.nan)
    out["value_index_n"] = cnt

    notes.update({
        "forward_citations": ("forward citations as counted by the source (all years, worldwide)" if use_source else
                              notes.get("forward_citations_5y", "in-corpus forward citations, 5-year window")),
        "market_coverage": (f"family offices of {int((offices > 1).sum()):,} documents; no GNI weight for "
                            + (", ".join(f"{k} ({v:,})" for k, v in sorted(no_weight.items())) or "none")
                            if fam_data else "no family jurisdictions or members in this corpus: market coverage "
                            "cannot be computed (only the document's own office is known)"),
        "radicalness": ("in-corpus cited documents only" if graph.has_citation_data else
                        "no citation data in this corpus: radicalness cannot be computed"),
        "npl_share": (f"references for {int(np.isfinite(out['npl_share']).sum()):,} documents"
                      if np.isfinite(out["npl_share"]).any() else "no references (patent or non-patent) in this corpus"),
        "breakthrough": f"top 1% of forward citations in cohorts of at least {BREAKTHROUGH_MIN_COHORT} documents",
        "legal_events": legal.attrs.get("note", ""),
        "value_index": "mean cohort percentile of " + (", ".join(used) or "no component"),
    })
    out.attrs["availability"] = notes
    out.attrs["available"] = {**available, "legal_events": legal.attrs.get("with_events", 0) > 0,
                              "radicalness": graph.has_citation_data, "npl_share": bool(np.isfinite(out["npl_share"]).any())}
    out.attrs["value_components"] = used
    out.attrs["forward_source"] = "source" if use_source else "in_corpus_5y"
    out.attrs["no_gni_weight"] = no_weight
    return out
