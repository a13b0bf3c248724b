"""Decisions on each right of a portfolio, with their reasons (signals, not a price).

Pure functions over the portfolio frame (one row per right, the columns of
:func:`patentnav.portfolio.analysis.portfolio`). Rules, first that applies, for rights alive on
``as_of`` (in force or pending); thresholds are the constants below (docs/portfolio.md):

0. ``keep``: the right reads on one of the holder's own products (``own_fit >= OWN_FIT_USED``);
1. ``license_or_sell``: others build on it - forward citations in the top quarter of its
   cohort (``forward_citations_pct >= INTEREST_PCT``) and, where the data have the citing
   documents, at least ``INTEREST_FIRMS`` other firm among the citers - and it does not
   read on the holder's products (or that was not checked); *sell* is suggested when the
   holder's products were checked and it reads on none of them, *license* otherwise;
2. ``pool``: it lies in a technology where several local holders together cover a regional
   gap (:func:`patentnav.portfolio.regional.pool_candidates`);
3. ``abandon``: low value (``value_index < LOW_VALUE``, the bottom quarter of its cohort), no
   transaction, not cited by other firms, not reading on the holder's products (or not
   checked: said in the reason), and fees due in the window: the money saved is those fees;
4. ``keep``: the rest.

Rights that ended get ``ended``; a status the data cannot tell gets ``review``.
Pledge readiness (知识产权质押融资) is a separate flag: granted and in force, at least
``PLEDGE_MIN_YEARS`` left, no active pledge, no invalidation or pending challenge, and a sole
owner (co-owners must consent: Art. 14 of the CN Patent Law, joint rights; the
"clear ownership" a bank asks for).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["DECISIONS", "decide", "pledge_readiness", "OWN_FIT_USED", "OWN_FIT_UNUSED", "INTEREST_FIRMS", "INTEREST_PCT",
           "LOW_VALUE",
           "PLEDGE_MIN_YEARS"]

DECISIONS = ("keep", "license_or_sell", "pool", "abandon", "ended", "review")
#: Relevance to an own product from which the holder is taken to use the right.
OWN_FIT_USED = 0.3
#: Relevance below which the right is taken not to read on the holder's products.
OWN_FIT_UNUSED = 0.1
#: Other firms that must be among the citers (when the data have the citing documents).
INTEREST_FIRMS = 1
#: Cohort percentile of forward citations from which others' interest is assumed.
INTEREST_PCT = 0.75
#: Value index below which a right is low value (bottom quarter of its cohort).
LOW_VALUE = 0.25
#: Years of term a right should have left to secure a loan (a 1-3 year loan plus margin).
PLEDGE_MIN_YEARS = 5.0

_ALIVE = ("in_force", "pending")
_ENDED = ("expired", "lapsed", "withdrawn_or_refused")


def _num(df: pd.DataFrame, col: str, default=np.nan) -> np.ndarray:
    if col not in df.columns:
        return np.full(len(df), default, dtype=float)
    return pd.to_numeric(df[col], errors="coerce").to_numpy(dtype=float)


def decide(frame: pd.DataFrame, citations_known: bool = False) -> pd.DataFrame:
    """``decision``, ``decision_detail`` (``license``/``sell`` for rule 1) and ``reasons``
    (a list of reason codes with values, rendered by the report) for every row.

    Expected columns (missing ones count as unknown): ``status``, ``value_index``,
    ``forward_citations_pct``, ``citing_firms``, ``own_fit``, ``transactions``, ``fees_next``,
    ``fees_currency``, ``in_pool``, ``pool_technology``. ``citations_known``: the data have
    the citing documents (``citing_firms`` is then a count, not unknown).
    """
    n = len(frame)
    st = frame["status"].to_numpy()
    value = _num(frame, "value_index")
    fpct = _num(frame, "forward_citations_pct")
    citing = np.nan_to_num(_num(frame, "citing_firms", 0.0))
    own = _num(frame, "own_fit")
    own_known = np.isfinite(own)
    trans = np.nan_to_num(_num(frame, "transactions", 0.0))
    fees = np.nan_to_num(_num(frame, "fees_next", 0.0))
    in_pool = frame["in_pool"].fillna(False).to_numpy(dtype=bool) if "in_pool" in frame else np.zeros(n, bool)

    alive = np.isin(st, _ALIVE)
    used = own_known & (own >= OWN_FIT_USED)
    unused = ~own_known | (own < OWN_FIT_UNUSED)
    interest = (np.nan_to_num(fpct) >= INTEREST_PCT) & ((citing >= INTEREST_FIRMS) | (not citations_known))
    low = np.isfinite(value) & (value < LOW_VALUE)
    r_keep_own = alive & used
    r_license = alive & interest & unused
    r_pool = alive & in_pool
    r_abandon = alive & low & (trans == 0) & (citing == 0) & unused & (fees > 0)
    decision = np.select([np.isin(st, _ENDED), ~alive, r_keep_own, r_license, r_pool, r_abandon],
                         ["ended", "review", "keep", "license_or_sell", "pool", "abandon"], "keep").astype(object)
    detail = np.where(decision == "license_or_sell", np.where(own_known & unused, "sell", "license"), "")
    cols = [c for c in ("status", "ended_date", "value_index", "own_fit", "citing_firms", "prospects",
                        "forward_citations_pct", "pool_technology", "pool_holders", "pool_located", "pool_region",
                        "fees_next", "fees_currency",
                        "fee_years", "years_left") if c in frame.columns]
    records = frame[cols].to_dict("records")  # plain dicts: a portfolio's rows, not the corpus
    reasons = [_reasons(r, d, k) for r, d, k in zip(records, decision, own_known)]
    return pd.DataFrame({"decision": decision, "decision_detail": detail, "reasons": reasons}, index=frame.index)


def _reasons(row: dict, decision: str, own_known: bool) -> list[tuple[str, dict]]:
    """Reason codes with their values (rendered in the report's language)."""
    out: list[tuple[str, dict]] = []

    def g(key, default=None):
        v = row.get(key, default)
        return default if v is None or (isinstance(v, float) and np.isnan(v) and default is not None) else v

    if decision == "ended":
        return [("ended", {"status": g("status"), "date": g("ended_date") or "—"})]
    if decision == "review":
        return [("status_unknown", {})]
    if np.isfinite(float(g("value_index", np.nan))):
        out.append(("value", {"pct": g("value_index")}))
    if own_known:
        out.append(("own_fit", {"fit": g("own_fit")}))
    else:
        out.append(("own_not_checked", {}))
    if decision == "license_or_sell":
        out.append(("cited_often", {"pct": g("forward_citations_pct")}))
        if (g("citing_firms") or 0) >= INTEREST_FIRMS:
            out.append(("cited_by", {"n": int(g("citing_firms")), "firms": g("prospects") or ""}))
    if decision == "pool":
        holders, located = int(g("pool_holders") or 0), int(g("pool_located") or 0)
        if located >= holders:
            out.append(("pool", {"technology": g("pool_technology") or "", "holders": holders}))
        else:  # some holders are placed in the region by their first filing only: not called local
            out.append(("pool_first_filed", {"technology": g("pool_technology") or "", "holders": holders,
                                             "located": located, "region": g("pool_region") or ""}))
    if decision == "abandon":
        out.append(("no_transactions", {}))
        out.append(("saves", {"amount": g("fees_next"), "currency": g("fees_currency") or "", "years": g("fee_years")}))
    if decision == "keep" and (g("years_left") or 0) > 0:
        out.append(("term_left", {"years": g("years_left")}))
    if decision == "keep" and np.isfinite(float(g("value_index", np.nan))) and g("value_index") < LOW_VALUE:
        out.append(("no_fees_due" if not (g("fees_next") or 0) > 0 else "low_value_kept", {}))
    return out


def pledge_readiness(frame: pd.DataFrame, min_years: float = PLEDGE_MIN_YEARS) -> pd.DataFrame:
    """``pledge_ready`` (bool) and ``pledge_blockers`` (list of codes) for every row."""
    st = frame["status"].to_numpy()
    granted = frame["document_type"].isin(["granted_patent", "utility_model", "design", "plant_patent"]).to_numpy()
    years = _num(frame, "years_left")
    checks = {
        "not_granted": ~(granted & (st == "in_force")),
        "short_term": ~(np.nan_to_num(years) >= min_years),
        "pledged": frame.get("active_pledge", pd.Series(False, index=frame.index)).fillna(False).to_numpy(dtype=bool),
        "challenged": (np.nan_to_num(_num(frame, "invalidations", 0)) + np.nan_to_num(_num(frame, "challenges", 0))) > 0,
        "co_owned": np.nan_to_num(_num(frame, "co_owners", 0)) > 0,
    }
    names = list(checks)
    mat = np.column_stack([checks[k] for k in names]) if len(frame) else np.zeros((0, len(names)), bool)
    blockers = [[names[j] for j in np.flatnonzero(r)] for r in mat]
    return pd.DataFrame({"pledge_ready": ~mat.any(axis=1) if len(frame) else np.zeros(0, bool),
                         "pledge_blockers": blockers}, index=frame.index)
