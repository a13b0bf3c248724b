"""The portfolio pipeline: inventory, value indicators, fees, decisions, region (``portfolio``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import pandas as pd
import pyarrow.compute as pc

__all__ = ["PortfolioResult", "portfolio"]


@dataclass
class PortfolioResult:
    """Result of :func:`portfolio`.

    Attributes
    ----------
    rights : pandas.DataFrame
        One row per document of the portfolio: inventory (status, expiry, years left, family,
        markets, WIPO and SEI fields, fees due), the legal / technical / economic indicators,
        CNIPA high-value criteria, licensee prospects, decision with reasons, pledge readiness.
    cohort : pandas.DataFrame
        ``value_index`` of every document of the corpus that shares a cohort with the
        portfolio (for the value-distribution chart).
    fees : FeeProjection
    survival : SurvivalResult
    prospects : pandas.DataFrame
        Licensee prospects aggregated over the portfolio (``firm``, ``region``, ``rights``).
    pools, bring_in, free_to_use : pandas.DataFrame
        Region results (empty with a note in ``params["region_note"]`` when the gap analysis
        cannot run).
    selection : HolderSelection
    params : dict
        Inputs, counts and the availability note of every indicator.
    """

    rights: pd.DataFrame
    cohort: pd.DataFrame
    fees: object
    survival: object
    prospects: pd.DataFrame
    pools: pd.DataFrame
    bring_in: pd.DataFrame
    free_to_use: pd.DataFrame
    selection: object
    params: dict = field(default_factory=dict)


def _own_fit(corpus, rows: np.ndarray, product) -> np.ndarray:
    """Absolute relevance of each right to the holder's product (``patentnav warn``'s measure)."""
    from ..warning.relevance import RelevanceIndex

    idx = RelevanceIndex.build(corpus)
    features = list(product.features) or [product.description or product.name]
    _, _, rel = idx.relevance_of(rows, features, list(product.keywords), list(product.codes))
    return rel


def _gap_analysis(corpus, region, status, asof):
    """The region's gap analysis, with the portfolio's statuses (one cut-off for both reports),
    or a note why there is none. World growth is measured up to the data's cut-off (or the
    status date, when earlier)."""
    from ..landscape.gaps import gaps

    if not region:
        return None, "no region: the holder has no priority country"
    last = pc.max(corpus.table["publication_date"]).as_py()
    growth_cut = asof.date() if last is None or asof.date() < last else last
    try:
        return gaps(corpus, region=region, cutoff=growth_cut, status=status), ""
    except ValueError as e:
        return None, str(e)


def portfolio(corpus, holders=None, region: str | None = None, as_of=None, years: int = 5, us_entity: str = "large",
              cn_reduction: str | None = None, product=None, progress: Callable[[str], None] | None = None,
              harmonize: bool = True) -> PortfolioResult:
    """Inventory, value signals and decisions for a holder's (or a region's) rights.

    Parameters
    ----------
    corpus : Corpus
    holders : str or list of str, optional
        Holder names (any spelling the names module normalises alike). Give this or ``region``.
    region : str, optional
        A region key (``CN``, ``CN-GD``): without ``holders``, the portfolio of all its
        applicants; in both cases the region of the pools and bring-in lists (default for a
        holder: its main priority country).
    as_of : date-like, optional
        Status date (default: today).
    years : int, default 5
        Fee window in years.
    us_entity, cn_reduction : see :func:`patentnav.portfolio.fees.renewal_fees`.
    product : ProductProfile, optional
        The holder's product: each right's relevance to it (``own_fit``) enters the decisions.
    progress : callable, optional
        Called with a step name as the work advances.
    harmonize : bool, default True
        Count holders by harmonised names: a corpus never harmonised is harmonised first
        (:func:`patentnav.names.ensure_harmonized`), as :func:`patentnav.landscape.gaps.gaps`
        does, so that the portfolio's pools, bring-in lists and prospects name the same firms
        as the landscape report. ``False``: the names as they are.

    Returns
    -------
    PortfolioResult

    Examples
    --------
    >>> import patentnav
    >>> from patentnav.portfolio import portfolio
    >>> r = portfolio(patentnav.datasets.drones(), holders="SZ DJI TECHNOLOGY CO LTD", as_of="2018-01-01")
    >>> len(r.rights)
    36
    """
    from ..geo import assign_regions
    from ..landscape.citations import citation_graph
    from ..landscape.high_value import high_value_inventions
    from ..names import ensure_harmonized, is_harmonized
    from ..status import _as_of, patent_status
    from .decisions import decide, pledge_readiness
    from .fees import renewal_fees
    from .holders import holder_matrix, select_portfolio
    from .indicators import value_indicators
    from .legal import legal_profile
    from .regional import bring_in, licensee_prospects, pool_candidates
    from .survival import maintenance_survival

    step = progress or (lambda s: None)
    asof = _as_of(as_of)
    step("select")
    if harmonize:
        corpus = ensure_harmonized(corpus)
    sel = select_portfolio(corpus, holders=holders, region=None if holders is not None else region)
    rows = sel.rows
    step("status")
    status = patent_status(corpus, as_of=asof)
    step("indicators")
    legal = legal_profile(corpus, as_of=asof)
    graph = citation_graph(corpus)
    values = value_indicators(corpus, status, legal, as_of=asof, graph=graph)
    hv = high_value_inventions(corpus, status=status, as_of=asof, scope=None)  # any office, as the quality profiles
    step("fees")
    fees = renewal_fees(corpus, status, rows=rows, as_of=asof, years=years, us_entity=us_entity, cn_reduction=cn_reduction)
    alive = np.isin(status["status"].to_numpy(), ["in_force", "pending"])
    step("region")
    gap, region_note = _gap_analysis(corpus, region or sel.region, status, asof)
    empty = pd.DataFrame()
    pools, member, targets, free = empty, pd.Series(dtype=object), empty, empty
    if gap is not None:
        pools, member = pool_candidates(gap, rows, alive)
        targets, free = bring_in(corpus, gap, values)
    step("prospects")
    H, _ = holder_matrix(corpus)
    own_cols = pd.Index(np.asarray(H.items, dtype=object)).get_indexer(sel.names)
    own_cols = own_cols[own_cols >= 0]
    by_country = gap is not None and gap.params.get("region_level") == "country" and not gap.params.get("firms")
    assignment = gap.assignment if by_country else assign_regions(corpus, level="country")
    per, firms, basis = licensee_prospects(corpus, rows, own_cols, H, graph, alive, assignment)
    step("survival")
    surv = maintenance_survival(corpus, status, as_of=asof, rows=rows)

    step("decisions")
    t = corpus.table
    frame = values.iloc[rows].reset_index(drop=True)
    frame.insert(1, "title", t["title"].to_pandas().to_numpy()[rows])
    frame.insert(2, "jurisdiction", status["jurisdiction"].to_numpy()[rows])
    frame.insert(3, "document_type", status["document_type"].to_numpy()[rows])
    frame["applicants"] = pd.Series(t["applicants"].to_pylist(), dtype=object).to_numpy()[rows]
    frame["filing_date"] = t["filing_date"].to_pandas().to_numpy()[rows]
    frame["grant_date"] = t["grant_date"].to_pandas().to_numpy()[rows]
    frame["status_reason"] = status["reason"].to_numpy()[rows]
    frame["ended_date"] = np.where(np.isin(frame["status"], ["expired", "lapsed", "withdrawn_or_refused"]),
                                   status["assumed_date"].to_numpy()[rows], None)
    frame["years_left"] = np.where(np.isin(frame["status"], ["in_force", "pending"]), frame["years_left"], 0.0)
    frame["co_owners"] = sel.co_owners
    fpd = fees.per_document.reindex(rows)
    for c in ("fees_next", "fees_currency", "fees_unknown", "fees_status"):
        frame[c] = fpd[c].to_numpy()
    frame["fee_years"] = years
    for c in ("high_value", "hv_criteria", "hv_in_scope", "hv_sei", "hv_overseas_family", "hv_maintained_10y"):
        frame[c] = hv[c].iloc[rows].reset_index(drop=True)
    frame["hv_cnipa_statistic"] = frame["hv_in_scope"].to_numpy(dtype=bool) & (frame["jurisdiction"] == "CN").to_numpy()
    frame["own_fit"] = _own_fit(corpus, rows, product) if product is not None else np.nan
    frame["citing_firms"] = per["citing_firms"].to_numpy()
    frame["prospects"] = per["prospects"].to_numpy()
    frame["in_pool"] = pd.Series(rows).isin(member.index).to_numpy()
    frame["pool_technology"] = pd.Series(rows).map(member).to_numpy()
    if len(pools):
        frame["pool_holders"] = frame["pool_technology"].map(dict(zip(pools["technology"], pools["holders"])))
        frame["pool_located"] = frame["pool_technology"].map(dict(zip(pools["technology"], pools["located_holders"])))
        frame["pool_region"] = np.where(frame["in_pool"], gap.region, None)
    frame = pd.concat([frame, decide(frame, citations_known=basis == "citations"), pledge_readiness(frame)], axis=1)

    keys = set(zip(frame["cohort_year"], frame["cohort_field"]))
    in_cohort = pd.Series(list(zip(values["cohort_year"], values["cohort_field"]))).isin(keys).to_numpy()
    cohort = values.loc[in_cohort, ["publication_number", "cohort_year", "cohort_field", "value_index"]]

    params = {
        "as_of": str(asof.date()), "documents": len(corpus), "kind": sel.kind, "label": sel.label, "names": sel.names,
        "unmatched": sel.unmatched, "region": region or sel.region, "region_evidence": sel.evidence,
        "holders_located": sel.located, "first_filed_left_out": targets.attrs.get("first_filed_left_out", 0),
        "names_harmonized": is_harmonized(corpus),
        "region_note": region_note, "years": years, "us_entity": us_entity, "cn_reduction": cn_reduction,
        "prospect_basis": basis, "availability": values.attrs.get("availability", {}),
        "available": values.attrs.get("available", {}), "value_components": values.attrs.get("value_components", []),
        "forward_source": values.attrs.get("forward_source"), "high_value_note": hv.attrs.get("note"),
        "legal_events_documents": legal.attrs.get("with_events", 0), "product": None if product is None else product.name,
        "data_cutoff": str(pd.Timestamp(t["publication_date"].to_pandas().max()).date())
        if t.num_rows and t["publication_date"].null_count < t.num_rows else None,
        "claims_source": "claims_count", "gap_formulas": getattr(gap, "formulas", {}),
        "fee_params": fees.params,
    }
    return PortfolioResult(frame, cohort.reset_index(drop=True), fees, surv, firms, pools, targets, free, sel, params)
