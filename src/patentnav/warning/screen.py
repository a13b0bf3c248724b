"""Overseas infringement-risk screening of one product (专利预警): the whole pipeline.

:func:`screen` runs, on one corpus and one :class:`~patentnav.warning.profile.ProductProfile`:

1. the firm's own patents are set aside (any applicant matching ``own_names`` after name
   normalisation): they are never threats;
2. relevance retrieval of the ``candidates`` best documents (BM25 + codes), with the
   absolute relevance of each (:mod:`patentnav.warning.relevance`);
3. legal status on ``as_of`` and coverage of each target market (:mod:`.status`);
4. strength (:mod:`.strength`) and holder type and litigation (:mod:`.holders`);
5. risk score, grade and suggested action per patent and market (:mod:`.risk`), one row per
   patent family and market (the family member with the highest risk speaks for it);
6. prior-art hints for high and medium risks: older documents in the same IPC main group
   that read on the product;
7. freedom by expiry: relevant patents that are expired or lapsed (free to use);
8. monitoring (``since``): new publications in the product's main groups or by watched
   competitors.

Each step is one function below (:func:`_candidates`, :func:`_candidate_rows`,
:func:`_scored_pairs`, :func:`_one_per_family`, :func:`_ranked_risks`,
:func:`_market_summary`, :func:`_freedom`); :func:`screen` runs them in order. The result is
data (:class:`WarningResult`); ``patentnav warn`` renders it. It is a first screen for
people, not a legal opinion: every row says why it is there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .relevance import CHANNELS, DENSE_MATCH
from .risk import EXPIRY_HORIZON_YEARS, GRADE_ORDER, risk_scores, suggest_actions

__all__ = ["screen", "WarningResult", "own_patent_mask", "monitor", "DEFAULT_CANDIDATES", "FREEDOM_MIN_RELEVANCE",
           "THREAT_MIN_RELEVANCE"]

#: Documents retrieved for scoring (the rest of the corpus is less relevant than all of them).
DEFAULT_CANDIDATES = 300
#: Minimum relevance for an expired or lapsed patent to be listed under freedom by expiry.
FREEDOM_MIN_RELEVANCE = 0.3
#: Prior-art hints per flagged patent.
PRIOR_ART_HINTS = 3
#: Minimum relevance for a patent to count as threatening a market (below it a single
#: shared generic word is all there is).
THREAT_MIN_RELEVANCE = 0.1
_GRANTED = ("granted_patent", "utility_model", "design", "plant_patent", "limited_patent")


@dataclass
class WarningResult:
    """What :func:`screen` found.

    Attributes
    ----------
    risks : pandas.DataFrame
        One row per (patent family, market) that threatens the market, ranked by risk:
        market, publication_number, title, holder, holder_type, holder_reason (English),
        holder_rule, holder_match, holder_match_other (the reason as a code with the words
        it quotes), status, status_reason (English), status_code, status_detail,
        assumed_date (the reason as a code with its data, see
        :func:`~patentnav.status.patent_status`), expiry_date, years_left, route,
        route_reason, relevance, reads_on,
        code_score, strength (+ components), in_force, holder (factor), modifier, risk,
        grade, action, matched_features, matched_terms, matched_codes, prior_art,
        family_members, holder_cases, patent_cases.
    markets : pandas.DataFrame
        Per market: patents screened, threatening, high / medium / low, highest risk,
        documents of the market's office in the data (EP counted for EPC states), whether the
        data have family links, and ``assessable`` (False: the data cannot show any right in
        that market, so "no threat" means "not known").
    freedom : pandas.DataFrame
        Relevant granted patents that have expired or lapsed (``ended``: the date), in
        families with no live risk, by relevance.
    monitoring : pandas.DataFrame or None
        New publications since ``since`` (None when not asked).
    params : dict
        Everything needed to reproduce the screen (profile, markets, as-of, counts, notes).
    unassessed : pandas.DataFrame
        Patents alive in a target market that share the product's codes (or are close in
        meaning by the dense channel) but share no term with the product's text, in either
        language: "codes only, not assessed by text" (``evidence`` ``codes_only`` or
        ``meaning_only``), never graded. One row per family and market: market,
        publication_number, title, holder, status, expiry_date, evidence, channels,
        code_agreement, matched_codes, dense_score.
    """

    risks: pd.DataFrame
    markets: pd.DataFrame
    freedom: pd.DataFrame
    monitoring: pd.DataFrame | None
    params: dict = field(default_factory=dict)
    unassessed: pd.DataFrame = field(default_factory=pd.DataFrame)

    def unassessed_count(self) -> int:
        """Patent families (per market) listed as not assessed by text."""
        return 0 if self.unassessed is None else int(len(self.unassessed))


def own_patent_mask(corpus, own_names: Sequence[str]) -> np.ndarray:
    """True for documents with any applicant (raw or harmonised) matching ``own_names``
    after :func:`patentnav.names.normalize.normalize_names`."""
    from ..names.normalize import normalize_names

    n = len(corpus)
    if not own_names:
        return np.zeros(n, dtype=bool)
    own = {k for k in normalize_names(pa.array(list(own_names), pa.string())).to_pylist() if k}
    mask = np.zeros(n, dtype=bool)
    for col in ("applicants", "applicants_harmonized"):
        if col not in corpus.table.column_names:
            continue
        lists = corpus.table[col].combine_chunks()
        lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
        if lengths.sum() == 0:
            continue
        rows = np.repeat(np.arange(n), lengths)
        flat = pc.list_flatten(lists)
        distinct = pc.unique(flat)  # normalise each distinct name once
        hit_d = pc.is_in(normalize_names(distinct), value_set=pa.array(sorted(own), pa.string())).fill_null(False)
        hit = pc.take(hit_d, pc.index_in(flat, value_set=distinct)).fill_null(False).to_numpy(zero_copy_only=False)
        mask[np.unique(rows[hit])] = True
    return mask


def _first_names(corpus, column: str) -> np.ndarray:
    lists = corpus.table[column].combine_chunks()
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(lists).to_numpy(zero_copy_only=False).astype(object)
    offsets = np.concatenate([[0], np.cumsum(lengths)])[:-1]
    out = np.full(len(lengths), None, dtype=object)
    has = lengths > 0
    out[has] = flat[offsets[has]]
    return out


def _main_groups(corpus, rows: np.ndarray) -> pd.DataFrame:
    """(row, main group) pairs of the IPC codes of ``rows``."""
    from ..classify.ipc import truncate_array

    sub = corpus.table.take(pa.array(rows))["ipc"].combine_chunks()
    lengths = pc.list_value_length(sub).fill_null(0).to_numpy(zero_copy_only=False)
    flat = pc.list_flatten(sub)
    mg = truncate_array(flat, "main_group").to_numpy(zero_copy_only=False).astype(object)
    return pd.DataFrame({"row": np.repeat(rows, lengths), "main_group": mg}).dropna().drop_duplicates()


def _prior_art(corpus, flagged: pd.DataFrame, cand: pd.DataFrame, prio: np.ndarray, title: np.ndarray,
               published: np.ndarray) -> dict:
    """For each flagged row (corpus position), up to PRIOR_ART_HINTS candidates that share an
    IPC main group and were *published* before the flagged patent's earliest priority date
    (so they are prior art to it), by relevance to the product."""
    if flagged.empty:
        return {}
    fl = _main_groups(corpus, np.unique(flagged["row"].to_numpy()))
    cd = _main_groups(corpus, cand["row"].to_numpy())
    m = fl.merge(cd, on="main_group", suffixes=("", "_old"))
    m = m[m["row"] != m["row_old"]]
    p_new, p_old = prio[m["row"].to_numpy()], published[m["row_old"].to_numpy()]
    m = m[(~pd.isna(p_new)) & (~pd.isna(p_old)) & (p_old < p_new)]
    if m.empty:
        return {}
    rel = cand.set_index("row")["relevance"]
    m = m.assign(rel=rel.reindex(m["row_old"]).to_numpy()).drop_duplicates(["row", "row_old"])
    m = m.sort_values(["row", "rel", "row_old"], ascending=[True, False, True], kind="mergesort")
    m = m.groupby("row", sort=False).head(PRIOR_ART_HINTS)
    pubs = corpus.table["publication_number"].to_numpy()
    hints: dict[int, list] = {}
    for r, o in zip(m["row"].to_numpy(), m["row_old"].to_numpy()):  # at most 3 per flagged patent
        hints.setdefault(int(r), []).append(f"{pubs[o]} ({str(published[o])[:10]}) {title[o] or ''}".strip())
    return hints


def monitor(corpus, since, codes: Sequence[str] = (), competitors: Sequence[str] = (),
            index=None, features: Sequence[str] = (), keywords: Sequence[str] = ()) -> pd.DataFrame:
    """New publications (``publication_date >= since``) in the main groups of ``codes`` or
    with an applicant matching ``competitors`` (after name normalisation).

    Returns publication_number, publication_date, title, applicants, why (``codes`` and/or
    ``competitor``), matched_codes, relevance (when ``index`` is given); most relevant first,
    then newest.
    """
    from ..classify.ipc import parse_ipc, truncate_array

    since = pd.Timestamp(since)
    pub = corpus.table["publication_date"].to_pandas()
    new = (pd.to_datetime(pub, errors="coerce") >= since).to_numpy()
    rows = np.flatnonzero(new)
    groups = sorted({h.get("main_group") for h in (p.hierarchy() for p in (parse_ipc(c) for c in codes) if p) if h.get("main_group")})
    by_code = pd.DataFrame(columns=["row", "main_group"])
    if len(rows) and groups:
        mg = []
        for col in ("ipc", "cpc"):
            sub = corpus.table.take(pa.array(rows))[col].combine_chunks()
            lengths = pc.list_value_length(sub).fill_null(0).to_numpy(zero_copy_only=False)
            t = truncate_array(pc.list_flatten(sub), "main_group").to_numpy(zero_copy_only=False).astype(object)
            mg.append(pd.DataFrame({"row": np.repeat(rows, lengths), "main_group": t}))
        by_code = pd.concat(mg).dropna()
        by_code = by_code[by_code["main_group"].isin(groups)].drop_duplicates()
    comp_rows = np.flatnonzero(own_patent_mask(corpus, competitors) & new) if competitors else np.zeros(0, np.int64)
    hit = np.union1d(by_code["row"].to_numpy(dtype=np.int64), comp_rows)
    cols = ["publication_number", "publication_date", "title", "applicants", "why", "matched_codes", "relevance"]
    if len(hit) == 0:
        return pd.DataFrame(columns=cols)
    t = corpus.table.take(pa.array(hit))
    bc = by_code.sort_values(["row", "main_group"], kind="mergesort")
    rows_bc, first = np.unique(bc["row"].to_numpy(dtype=np.int64), return_index=True)
    groups = np.split(bc["main_group"].to_numpy(dtype=object), first[1:]) if len(first) else []
    codes_of = pd.Series([g.tolist() for g in groups], index=rows_bc, dtype=object).reindex(hit)
    why = np.where(np.isin(hit, by_code["row"].to_numpy()), "codes", "")
    why = np.where(np.isin(hit, comp_rows), np.where(why == "codes", "codes+competitor", "competitor"), why)
    out = pd.DataFrame({
        "publication_number": t["publication_number"].to_numpy(zero_copy_only=False),
        "publication_date": t["publication_date"].to_pandas().to_numpy(),
        "title": t["title"].to_pandas().to_numpy(),
        "applicants": [list(a or []) for a in t["applicants_harmonized" if "applicants_harmonized" in t.column_names else "applicants"].to_pylist()],
        "why": why,
        "matched_codes": [c if isinstance(c, list) else [] for c in codes_of.to_numpy()],
        "relevance": np.nan,
    })
    if index is not None and (features or keywords or codes):
        out["relevance"] = index.relevance_of(hit, features, keywords, codes)[2]
    return out.sort_values(["relevance", "publication_date", "publication_number"], ascending=[False, False, True],
                           kind="mergesort", na_position="last").reset_index(drop=True)


def screen(corpus, profile, markets: Sequence[str] | None = None, as_of=None, *, litigation=None,
           npe_names: Sequence[str] = (), firm_names: Sequence[str] = (), since=None,
           candidates: int = DEFAULT_CANDIDATES, index=None,
           progress: Callable[[str], None] | None = None) -> WarningResult:
    """Screen ``corpus`` for patents that threaten ``profile``'s product in ``markets``.

    Parameters
    ----------
    corpus : Corpus
    profile : ProductProfile
    markets : list of str, optional
        Target markets (default: ``profile.markets``).
    as_of : date-like, optional
        Date of the legal status (default: today).
    litigation : LitigationData, optional
        From :func:`patentnav.warning.holders.read_litigation`.
    npe_names, firm_names : list of str
        Holders the user knows to be non-practising entities / operating firms (the user's
        lists win over the holder-type rules).
    since : date-like, optional
        Also list new publications since this date (monitoring).
    candidates : int
        Documents retrieved by relevance and scored.
    index : RelevanceIndex, optional
        A prebuilt index of ``corpus`` (built when not given).
    progress : callable, optional
        Called with a step name before each step.

    Returns
    -------
    WarningResult

    Examples
    --------
    >>> import patentnav
    >>> from patentnav.warning import ProductProfile, screen
    >>> p = ProductProfile(name="drone", features=("foldable arms",), codes=("B64C 39/024",), markets=("US",))
    >>> r = screen(patentnav.datasets.drones(), p, as_of="2018-01-01")
    >>> list(r.risks.columns[:3])
    ['market', 'rank', 'publication_number']
    """
    from .relevance import RelevanceIndex
    from ..status import patent_status
    from .strength import patent_strength

    def step(name: str) -> None:
        if progress is not None:
            progress(name)

    markets = _target_markets(markets, profile)
    asof = _status_date(as_of)
    query = _Query.of(profile)
    step("names")
    corpus = _with_harmonized_names(corpus)
    own = own_patent_mask(corpus, profile.own_names)
    step("relevance")
    if index is None:
        index = RelevanceIndex.build(corpus)
    found = _candidates(corpus, index, query, own, candidates)
    step("status")
    status = patent_status(corpus, as_of=asof)
    strength = patent_strength(corpus, status=status)
    step("holders")
    base = _candidate_rows(corpus, found.frame, status, strength,
                           _holder_facts(corpus, found.frame, litigation, npe_names, firm_names))
    step("risk")
    scored = _scored_pairs(corpus, base, status, markets, asof, profile.launch_date)
    alive = scored["in_force"] > 0
    unassessed = _unassessed(scored[alive & (scored["evidence"] != "text")], markets)
    threat = _one_per_family(scored[alive & (scored["evidence"] == "text") & (scored["relevance"] >= THREAT_MIN_RELEVANCE)])
    step("prior_art")
    risks = _ranked_risks(corpus, threat, found.frame, markets)
    step("summary")
    summary = _market_summary(corpus, risks, unassessed, markets, found.n_text)
    freedom = _freedom(base, threat)
    mon = None
    if since is not None:
        step("monitoring")
        mon = monitor(corpus, since, codes=query.codes, competitors=profile.competitors, index=index,
                      features=query.features, keywords=query.keywords)
    params = _params(corpus, profile, markets, asof, since, own, found, strength, index, query, litigation, risks)
    return WarningResult(risks, summary, freedom, mon, params, unassessed)


@dataclass(frozen=True)
class _Query:
    """What the product is searched by: feature texts (or the description's sentences), keywords, codes."""

    features: list
    keywords: list
    codes: list

    @classmethod
    def of(cls, profile) -> "_Query":
        from ..i18n import LocalizedError

        q = cls(profile.query_texts(), list(profile.keywords), list(profile.codes))
        if not (any(f.strip() for f in q.features) or q.keywords or q.codes):
            raise LocalizedError("err.nothing_to_screen")
        return q


@dataclass
class _Found:
    """The documents retrieved for scoring: ``frame`` (relevance columns and corpus ``row``;
    the text-relevant ones first, then those found by codes or meaning only), the count of
    text-relevant ones (``n_text``), own documents among the hits, the query plan."""

    frame: pd.DataFrame
    n_text: int
    own_hits: int
    plan: object


def _target_markets(markets, profile) -> list[str]:
    """Markets in upper case (the profile's when none are given); at least one."""
    from ..i18n import LocalizedError

    out = [m.upper() for m in (markets or profile.markets)]
    if not out:
        raise LocalizedError("err.no_market")
    return out


def _with_harmonized_names(corpus):
    """``corpus`` with ``applicants_harmonized`` filled (harmonised here when the column is empty)."""
    harmonized = corpus.table["applicants_harmonized"] if "applicants_harmonized" in corpus.table.column_names else None
    if harmonized is None or not (pc.sum(pc.list_value_length(harmonized)).as_py() or 0):
        corpus = corpus.harmonize_applicants()
    return corpus


def _candidates(corpus, index, query: _Query, own: np.ndarray, candidates: int) -> _Found:
    """The ``candidates`` documents most relevant to the product (own documents left out), then
    the documents found by codes or meaning only (no shared term): listed, never graded."""
    pubs = corpus.table["publication_number"].to_numpy(zero_copy_only=False).astype(object)
    row_of = pd.Series(np.arange(len(pubs)), index=pubs)
    top = candidates + int(own.sum())
    plan = index.plan(query.features, query.keywords)
    cand = index.query(query.features, keywords=query.keywords, codes=query.codes, top=top, rank_by="relevance")
    cand["row"] = row_of.reindex(cand["publication_number"]).to_numpy()
    own_hits = int(own[cand["row"].to_numpy()].sum()) if len(cand) else 0
    cand = cand[~own[cand["row"].to_numpy()]].head(candidates).reset_index(drop=True) if len(cand) else cand
    n_text = int(len(cand))
    pool = index.query(query.features, keywords=query.keywords, codes=query.codes, top=top, rank_by="score")
    if len(pool):
        pool["row"] = row_of.reindex(pool["publication_number"]).to_numpy()
        weak = (pool["relevance"] <= 0) & ((pool["code_agreement"] > 0) | (pool["dense_score"] >= DENSE_MATCH)) \
            & ~own[pool["row"].to_numpy()] & ~pool["publication_number"].isin(cand["publication_number"])
        cand = pd.concat([cand, pool[weak]], ignore_index=True) if weak.any() else cand
    return _Found(cand, n_text, own_hits, plan)


def _holder_facts(corpus, cand: pd.DataFrame, litigation, npe_names, firm_names) -> dict:
    """Per candidate: the holder (first harmonised applicant, else the first applicant as
    written), its type with the rule and words behind it, and litigation counts by holder and
    by patent."""
    from .holders import holder_types, litigation_by_holder, litigation_by_patent

    rows = cand["row"].to_numpy(dtype=np.int64)
    holder = _first_names(corpus, "applicants_harmonized")
    holder = np.where(pd.isna(holder), _first_names(corpus, "applicants"), holder)
    names = sorted({str(h) for h in holder[rows] if h is not None})
    ht = holder_types(names, npe_names=npe_names, firm_names=firm_names, litigation=litigation) \
        .drop_duplicates("name").set_index("name") \
        if names else pd.DataFrame(columns=["holder_type", "reason", "rule", "match", "match_other"])
    hl = litigation_by_holder(litigation, names).set_index("name") if (litigation is not None and names) else None
    pl = litigation_by_patent(litigation, cand["publication_number"].tolist()).set_index("publication_number") \
        if litigation is not None and len(cand) else None
    return {"holder": holder[rows], "types": ht, "by_holder": hl, "by_patent": pl}


def _candidate_rows(corpus, cand: pd.DataFrame, status: pd.DataFrame, strength: pd.DataFrame, holders: dict) -> pd.DataFrame:
    """One row per candidate: relevance, title, status (with its reason as a code and data),
    strength and its components, family, holder type and litigation counts."""
    rows = cand["row"].to_numpy(dtype=np.int64)
    base = cand.assign(
        title=corpus.table["title"].to_pandas().to_numpy()[rows], holder_name=holders["holder"],
        status=status["status"].to_numpy()[rows], status_reason=status["reason"].to_numpy()[rows],
        status_code=status["reason_code"].to_numpy()[rows], status_detail=status["reason_detail"].to_numpy()[rows],
        expiry_date=status["expiry_date"].to_numpy()[rows], years_left=status["years_left"].to_numpy()[rows],
        assumed_date=status["assumed_date"].to_numpy()[rows], document_type=status["document_type"].to_numpy()[rows],
        strength=strength["strength"].to_numpy()[rows],
        family=_family(corpus)[rows],
    )
    for c in ("forward_citations", "family_size", "market_breadth", "claims", "remaining_term"):
        base[f"s_{c}"] = strength[c].to_numpy()[rows]
    ht, hl, pl = holders["types"], holders["by_holder"], holders["by_patent"]
    hn = base["holder_name"].astype(object)
    base["holder_type"] = hn.map(ht["holder_type"]).fillna("firm") if len(ht) else "firm"
    base["holder_reason"] = hn.map(ht["reason"]).fillna("") if len(ht) else ""
    for col in ("rule", "match", "match_other"):  # the reason as a code and its words, for reports in any language
        base[f"holder_{col}"] = hn.map(ht[col]).fillna("") if len(ht) and col in ht else ""
    base["holder_cases"] = hn.map(hl["cases"]).fillna(0).astype(int) if hl is not None and len(hl) else 0
    base["patent_cases"] = base["publication_number"].map(pl["cases"]).fillna(0).astype(int) if pl is not None and len(pl) else 0
    return base


def _scored_pairs(corpus, base: pd.DataFrame, status: pd.DataFrame, markets: list[str], asof: pd.Timestamp,
                  launch_date) -> pd.DataFrame:
    """(candidate, market) pairs where the right reaches the market and can be enforced
    there, with their evidence, risk, grade and suggested action."""
    from ..status import market_coverage

    rows = base["row"].to_numpy(dtype=np.int64)
    cov = market_coverage(corpus.filter(np.isin(np.arange(len(corpus)), rows)), markets, as_of=asof) \
        if len(rows) else pd.DataFrame()
    if len(cov):
        cov = cov.assign(publication_number=cov["publication_number"].astype(object))
        pairs = base.merge(cov[["publication_number", "market", "covered", "route", "deadline", "reason"]]
                           .rename(columns={"reason": "route_reason"}), on="publication_number")
    else:
        pairs = base.assign(market=pd.Series(dtype=object), covered=False, route=None, deadline=None, route_reason="")
    void = pd.Series(_not_filed_by(corpus, asof)[pairs["row"].to_numpy(dtype=np.int64)], index=pairs.index) | \
        (pairs["document_type"] == "statutory_invention_registration")  # a US SIR cannot be enforced
    live = pairs[pairs["covered"] & ~void].copy()
    live = live[~_dead_in_market(live, corpus, status)]
    live["evidence"] = _evidence(live)
    scored = risk_scores(live)
    horizon = (pd.Timestamp(launch_date) if launch_date else asof) + pd.DateOffset(years=int(EXPIRY_HORIZON_YEARS))
    scored["action"] = suggest_actions(scored, horizon) if len(scored) else pd.Series(dtype=object)
    return scored


def _not_filed_by(corpus, asof: pd.Timestamp) -> np.ndarray:
    """True for documents not filed by the status date (no filing date: not published by it),
    as rule 0 of :func:`patentnav.status.patent_status`: they threaten nothing yet."""
    filing = pd.to_datetime(corpus.table["filing_date"].to_pandas(), errors="coerce")
    published = pd.to_datetime(corpus.table["publication_date"].to_pandas(), errors="coerce")
    return ((filing > asof) | (filing.isna() & (published > asof))).to_numpy()


def _one_per_family(threat: pd.DataFrame) -> pd.DataFrame:
    """One row per family and market: the member with the highest risk, grades in order high,
    medium, watch (pending applications that would be medium or high if granted), low; the
    family's members in the market listed."""
    threat = threat.copy()
    threat["_g"] = threat["grade"].map({g: i for i, g in enumerate(GRADE_ORDER)})
    threat = threat.sort_values(["market", "_g", "risk", "score", "publication_number"], ascending=[True, True, False, False, True],
                                kind="mergesort")
    members = threat.groupby(["market", "family"])["publication_number"].agg(lambda s: sorted(s))
    threat = threat.drop_duplicates(["market", "family"]).copy()
    threat["family_members"] = [members.get((m, f), []) for m, f in zip(threat["market"], threat["family"])]
    return threat


#: Columns of :attr:`WarningResult.risks`, in order.
RISK_COLUMNS = ["market", "rank", "publication_number", "title", "holder", "holder_type", "holder_reason", "holder_rule",
                "holder_match", "holder_match_other", "status", "status_reason", "status_code", "status_detail", "assumed_date",
                "expiry_date", "years_left", "route", "route_reason", "deadline", "relevance", "reads_on", "code_agreement",
                "code_score", "dense_score", "strength", "s_forward_citations", "s_family_size", "s_market_breadth", "s_claims",
                "s_remaining_term", "in_force", "status_factor", "route_factor", "holder_factor", "modifier", "risk",
                "if_granted_risk", "grant_probability", "grade", "action", "evidence", "channels", "matched_features",
                "matched_terms", "matched_glosses", "matched_codes", "prior_art", "family_members", "holder_cases",
                "patent_cases", "row"]


def _ranked_risks(corpus, threat: pd.DataFrame, cand: pd.DataFrame, markets: list[str]) -> pd.DataFrame:
    """The risk table: prior-art hints for high and medium risks, ranks per market, markets
    in the order asked, :data:`RISK_COLUMNS`."""
    title = corpus.table["title"].to_pandas().to_numpy()
    prio = pd.to_datetime(corpus.table["earliest_priority_date"].to_pandas(), errors="coerce").to_numpy()
    published = pd.to_datetime(corpus.table["publication_date"].to_pandas(), errors="coerce").to_numpy()
    flagged = threat[threat["grade"].isin(["high", "medium"])]
    hints = _prior_art(corpus, flagged, cand, prio, title, published)
    threat = threat.copy()
    threat["prior_art"] = [hints.get(int(r), []) if g in ("high", "medium") else [] for r, g in zip(threat["row"], threat["grade"])]
    threat["rank"] = threat.groupby("market").cumcount() + 1
    threat = threat.rename(columns={"holder_name": "holder", "holder": "holder_factor"})
    threat["_m"] = threat["market"].map({m: i for i, m in enumerate(markets)})
    threat = threat.sort_values(["_m", "rank"], kind="mergesort")  # markets in the order asked
    return threat.reindex(columns=RISK_COLUMNS).reset_index(drop=True)


def _market_summary(corpus, risks: pd.DataFrame, unassessed: pd.DataFrame, markets: list[str], screened: int) -> pd.DataFrame:
    """Per market: counts by grade, the highest risk, documents of the market's office in the
    data, and whether the data can show any right there (``assessable``)."""
    from ..status import EPC_STATES

    office = corpus.table["jurisdiction"].to_pandas()
    has_family_data = bool((pc.sum(pc.list_value_length(corpus.table["family_jurisdictions"])).as_py() or 0)
                           + (pc.sum(pc.list_value_length(corpus.table["family_members"])).as_py() or 0))
    summary = []
    for m in markets:
        r = risks[risks["market"] == m]
        n_office = int((office == m).sum()) + (int((office == "EP").sum()) if m in EPC_STATES else 0)
        u = unassessed[unassessed["market"] == m] if len(unassessed) else unassessed
        summary.append({"market": m, "screened": screened, "threatening": int(len(r)),
                        "high": int((r["grade"] == "high").sum()), "medium": int((r["grade"] == "medium").sum()),
                        "watch": int((r["grade"] == "watch").sum()),
                        "low": int((r["grade"] == "low").sum()), "max_risk": float(r["risk"].max()) if len(r) else 0.0,
                        "grade": _market_grade(r),
                        "unassessed": int(len(u)),
                        "office_documents": n_office, "family_data": has_family_data,
                        "assessable": bool(n_office > 0 or has_family_data or len(r) > 0)})
    return pd.DataFrame(summary)


def _freedom(base: pd.DataFrame, threat: pd.DataFrame) -> pd.DataFrame:
    """Granted rights that have ended, relevant to the product, in families with no live risk
    (a lapsed application or a WO after its international phase says nothing about national
    rights), most relevant first, one per family."""
    dead = base[base["status"].isin(["expired", "lapsed"]) & base["document_type"].isin(_GRANTED) & (base["reads_on"] > 0)
                & (base["relevance"] >= FREEDOM_MIN_RELEVANCE) & ~base["family"].isin(threat["family"])]
    return dead.sort_values(["relevance", "publication_number"], ascending=[False, True], kind="mergesort") \
        .drop_duplicates("family")[["publication_number", "title", "holder_name", "status", "status_reason", "assumed_date",
                                    "relevance", "matched_features"]] \
        .rename(columns={"holder_name": "holder", "assumed_date": "ended"}).reset_index(drop=True)


def _params(corpus, profile, markets, asof, since, own, found: _Found, strength, index, query: _Query, litigation,
            risks) -> dict:
    """Everything needed to reproduce the screen and to say what it rests on."""
    cand = found.frame
    cutoff = pd.to_datetime(corpus.table["publication_date"].to_pandas(), errors="coerce").max()
    return {
        "profile": profile.to_dict(), "markets": markets, "as_of": asof.date().isoformat(),
        "data_cutoff": None if pd.isna(cutoff) else cutoff.date().isoformat(),
        "documents": len(corpus), "own_documents": int(own.sum()), "own_in_candidates": found.own_hits,
        "candidates": found.n_text, "strength_note": strength.attrs.get("note", ""),
        "strength_components": list(strength.attrs.get("components_used", [])),
        "fields_indexed": list(index.fields), "text_available": _text_availability(corpus),
        "litigation_cases": int(len(litigation.cases)) if litigation is not None else None,
        "since": None if since is None else pd.Timestamp(since).date().isoformat(),
        "codes_unmatched": _unmatched_codes(index, query.codes),
        "corpus_language": index.language, "text_given": bool(found.plan.has_text),
        "text_terms_in_corpus": found.plan.terms_in_vocabulary(),
        "text_evidence": int((cand["relevance"] > 0).sum()) if len(cand) else 0,
        "channels": sorted({c for ch in risks["channels"] for c in (ch or [])}, key=list(CHANNELS).index) if len(risks) else [],
    }


_ALIVE = ("in_force", "pending", "unknown")


def _status_date(as_of) -> pd.Timestamp:
    """``as_of`` as a Timestamp (today when None), within :data:`~.profile.DATE_RANGE`."""
    from .profile import DATE_RANGE

    if as_of is None:
        return pd.Timestamp.today().normalize()
    try:
        ts = pd.Timestamp(as_of)
    except (ValueError, OverflowError, pd.errors.OutOfBoundsDatetime):
        ts = None
    if ts is None or pd.isna(ts) or not DATE_RANGE[0] <= ts.date() <= DATE_RANGE[1]:
        from ..i18n import LocalizedError

        raise LocalizedError("err.status_date", value=str(as_of), first=str(DATE_RANGE[0]), last=str(DATE_RANGE[1]))
    return ts


_UNASSESSED_COLUMNS = ["market", "publication_number", "title", "holder", "status", "expiry_date", "evidence", "channels",
                       "code_agreement", "matched_codes", "dense_score", "family", "row"]


def _evidence(frame: pd.DataFrame) -> pd.Series:
    """``text`` when the patent shares terms with the product text (own words or glosses:
    ``reads_on > 0``), else ``codes_only`` (shared codes) or ``meaning_only`` (dense channel)."""
    ro = pd.to_numeric(frame.get("reads_on", pd.Series(0.0, index=frame.index)), errors="coerce").fillna(0.0)
    codes = pd.to_numeric(frame.get("code_agreement", pd.Series(0.0, index=frame.index)), errors="coerce").fillna(0.0)
    return pd.Series(np.where(ro > 0, "text", np.where(codes > 0, "codes_only", "meaning_only")), index=frame.index,
                     dtype=object)


def _unassessed(frame: pd.DataFrame, markets: Sequence[str]) -> pd.DataFrame:
    """One row per family and market of the patents without text evidence, by code agreement
    then dense similarity."""
    if frame.empty:
        return pd.DataFrame(columns=_UNASSESSED_COLUMNS)
    f = frame.rename(columns={"holder_name": "holder", "holder": "holder_factor"}).sort_values(
        ["market", "code_agreement", "dense_score", "publication_number"], ascending=[True, False, False, True], kind="mergesort")
    f = f.drop_duplicates(["market", "family"])
    f["_m"] = f["market"].map({m: i for i, m in enumerate(markets)})
    return f.sort_values(["_m"], kind="mergesort").reindex(columns=_UNASSESSED_COLUMNS).reset_index(drop=True)


def _market_grade(r: pd.DataFrame) -> str:
    """The market's grade: its worst risk row (high, medium, watch, low) or ``none``."""
    for g in GRADE_ORDER:
        if (r["grade"] == g).any():
            return g
    return "none"


def _dead_in_market(live: pd.DataFrame, corpus, status: pd.DataFrame) -> np.ndarray:
    """True for (document, market) rows that reach the market through a family member or an
    EP validation although the data hold that family's members in the market's office (or
    at the EPO) and none of them is alive: the family's right there has lapsed or expired."""
    if live.empty:
        return np.zeros(0, dtype=bool)
    fam = _family(corpus)
    office = corpus.table["jurisdiction"].to_pandas().to_numpy()
    alive = status["status"].isin(_ALIVE).to_numpy()
    members = pd.DataFrame({"family": fam, "office": office, "alive": alive})
    state = members.groupby(["family", "office"])["alive"].any()  # True: some member alive there
    fam_m = pd.MultiIndex.from_arrays([live["family"].to_numpy(), live["market"].to_numpy()])
    fam_ep = pd.MultiIndex.from_arrays([live["family"].to_numpy(), np.full(len(live), "EP", dtype=object)])
    in_market = state.reindex(fam_m).to_numpy()  # NaN: no member of that office in the data
    at_epo = state.reindex(fam_ep).to_numpy()
    route = live["route"].to_numpy()
    dead_family = (route == "family") & (in_market == False)  # noqa: E712 (NaN is "unknown", kept)
    dead_ep = (route == "ep_validation") & (at_epo == False) & (in_market != True)  # noqa: E712
    return dead_family | dead_ep


def _unmatched_codes(index, codes: Sequence[str]) -> list[str]:
    """Product codes whose main group no document of the index carries."""
    from ..classify.ipc import parse_ipc

    _, mg_index = index.codes["main_group"]
    out = []
    for c in codes:
        p = parse_ipc(c)
        mg = p.hierarchy().get("main_group") if p is not None else None
        if mg is None or mg not in mg_index:
            out.append(str(c))
    return out


def _family(corpus) -> np.ndarray:
    from ..landscape.citations import family_keys

    return family_keys(corpus.table)


def _text_availability(corpus) -> dict:
    """Share of documents with each text field (relevance is only as good as the text)."""
    out = {}
    for c in ("title", "abstract", "claims"):
        col = corpus.table[c]
        filled = pc.sum(pc.greater(pc.utf8_length(pc.fill_null(col, "")), 0)).as_py() or 0
        out[c] = round(filled / max(len(corpus), 1), 4)
    return out
