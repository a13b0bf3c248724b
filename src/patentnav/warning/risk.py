"""Risk score, grade and suggested action of each (patent, market) pair.

The score is a transparent product of four parts, each reported with the result::

    risk = 100 * relevance * in_force * (0.5 + 0.3 * strength + 0.2 * holder)

* ``relevance`` in [0, 1]: how closely the patent reads on the product
  (:meth:`patentnav.warning.relevance.RelevanceIndex.query`, column ``relevance``);
* ``in_force`` in [0, 1]: ``status factor x route factor`` (:data:`STATUS_FACTOR`,
  :data:`ROUTE_FACTOR`): a granted patent in force in the market counts fully, a pending
  application 0.6 (about 56% of US applications are eventually granted, Carley, Hegde &
  Marco 2015), a PCT application that can still enter the market 0.6 x 0.7, an expired
  or lapsed one 0;
* ``strength`` in [0, 1]: :func:`patentnav.warning.strength.patent_strength`;
* ``holder`` in [0, 1]: :data:`HOLDER_FACTOR` by holder type, raised to at least
  :data:`LITIGIOUS_HOLDER` when the holder has sued (litigation data supplied) and to 1 when
  this very patent has been litigated (litigated patents are the ones asserted again:
  Allison, Lemley, Moore & Trunkey 2004).

Relevance and in-force status gate the score (an irrelevant or dead patent is no risk
however strong); strength and holder scale it between half and full. Grades:
``high`` >= 50, ``medium`` >= 25, else ``low`` (:data:`GRADE_THRESHOLDS`): "high" needs
a patent in force that reads on the product with relevance of about 0.6 or more. The
thresholds are screening conventions, not probabilities; see docs/warning-risk.md.

Two rules on top of the thresholds:

* **evidence**: a grade above low needs text evidence (the patent shares terms with the
  product text, in either language: ``evidence == "text"``, ``reads_on > 0``); codes or
  meaning alone never make a high or medium risk;
* **watch**: a pending application (or an open PCT route) whose risk *if granted*
  (``if_granted_risk``: the status factor taken as 1) would be medium or high is graded
  ``watch`` ("may be granted"), listed above the lows, with the grant probability
  :data:`GRANT_PROBABILITY` for US applications.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "STATUS_FACTOR", "ROUTE_FACTOR", "HOLDER_FACTOR", "LITIGIOUS_HOLDER", "GRADE_THRESHOLDS",
    "STRENGTH_WEIGHT", "HOLDER_WEIGHT", "EXPIRY_HORIZON_YEARS", "WEAK_STRENGTH", "ACTIONS", "GRADE_ORDER",
    "GRANT_PROBABILITY",
    "risk_scores", "grade_of", "suggest_actions",
]

#: Factor by legal status (patentnav.status.STATUSES).
STATUS_FACTOR = {"in_force": 1.0, "pending": 0.6, "unknown": 0.5, "expired": 0.0, "lapsed": 0.0,
                 "withdrawn_or_refused": 0.0}
#: Factor by the route through which the patent reaches the market (market_coverage).
ROUTE_FACTOR = {"own": 1.0, "family": 1.0, "ep_validation": 0.8, "pct_window": 0.7}
#: Factor by holder type (patentnav.warning.holders.HOLDER_TYPES).
HOLDER_FACTOR = {"likely_npe": 1.0, "firm": 0.8, "individual": 0.6, "university": 0.5,
                 "research_institute": 0.5}
#: Holder factor at least this when the holder has been a plaintiff in the litigation data.
LITIGIOUS_HOLDER = 0.9
#: Weights of strength and holder inside the modifier 0.5 + w_s * strength + w_h * holder.
STRENGTH_WEIGHT = 0.3
HOLDER_WEIGHT = 0.2
#: Lower bounds of the grades (risk points).
GRADE_THRESHOLDS = {"high": 50.0, "medium": 25.0}
#: Grades from worst to mildest (the order of the risk lists).
GRADE_ORDER = ("high", "medium", "watch", "low")
#: Share of US patent applications eventually granted (progenitor allowance rate, applications
#: filed 1996-2005: Carley, Hegde & Marco 2015, "What is the probability of receiving a US
#: patent?", Yale J. Law & Technology 17: 203-223); the source of the pending status factor.
GRANT_PROBABILITY = {"US": 0.56}
#: A patent in force expiring within this many years of the launch (or of the as-of date)
#: is suggested as "freedom by expiry".
EXPIRY_HORIZON_YEARS = 2.0
#: Strength below this makes a high-risk patent a candidate for a validity challenge.
WEAK_STRENGTH = 0.3
#: Action codes, in order of precedence.
ACTIONS = ("monitor_prosecution", "wait_for_expiry", "license", "challenge", "design_around", "review", "monitor")


def grade_of(risk) -> np.ndarray:
    """``high`` / ``medium`` / ``low`` for risk points (array-like)."""
    r = np.asarray(risk, dtype=float)
    return np.select([r >= GRADE_THRESHOLDS["high"], r >= GRADE_THRESHOLDS["medium"]], ["high", "medium"], "low").astype(object)


def risk_scores(frame: pd.DataFrame) -> pd.DataFrame:
    """Add the risk decomposition to ``frame``.

    ``frame`` needs ``relevance``, ``status``, ``route``, ``strength``, ``holder_type`` and
    optionally ``holder_cases`` (cases as plaintiff) and ``patent_cases`` (cases on this
    patent). Adds ``status_factor``, ``route_factor``, ``in_force``, ``holder``,
    ``modifier``, ``risk`` (0-100, one decimal) and ``grade``; returns a new frame.

    Examples
    --------
    >>> f = pd.DataFrame({"relevance": [0.8], "status": ["in_force"], "route": ["own"],
    ...                   "strength": [0.5], "holder_type": ["firm"]})
    >>> float(risk_scores(f)["risk"].iloc[0])  # 100 * 0.8 * 1 * (0.5 + 0.15 + 0.16)
    64.8
    """
    out = frame.copy()
    out["status_factor"] = out["status"].map(STATUS_FACTOR).fillna(STATUS_FACTOR["unknown"]).astype(float)
    out["route_factor"] = out["route"].map(ROUTE_FACTOR).fillna(1.0).astype(float)
    out["in_force"] = out["status_factor"] * out["route_factor"]
    h = out["holder_type"].map(HOLDER_FACTOR).fillna(HOLDER_FACTOR["firm"]).astype(float).to_numpy()
    hc = pd.to_numeric(out.get("holder_cases", pd.Series(0, index=out.index)), errors="coerce").fillna(0).to_numpy()
    pcases = pd.to_numeric(out.get("patent_cases", pd.Series(0, index=out.index)), errors="coerce").fillna(0).to_numpy()
    h = np.where(hc > 0, np.maximum(h, LITIGIOUS_HOLDER), h)
    h = np.where(pcases > 0, 1.0, h)
    out["holder"] = h
    strength = pd.to_numeric(out["strength"], errors="coerce").fillna(0.0).clip(0, 1).to_numpy()
    out["modifier"] = 0.5 + STRENGTH_WEIGHT * strength + HOLDER_WEIGHT * h
    rel = pd.to_numeric(out["relevance"], errors="coerce").fillna(0.0).clip(0, 1).to_numpy()
    out["risk"] = np.round(100.0 * rel * out["in_force"].to_numpy() * out["modifier"].to_numpy(), 1)
    pending = (out["status"] == "pending").to_numpy() | (out["route"] == "pct_window").to_numpy()
    granted_factor = np.where(pending, out["route_factor"].to_numpy() * np.where(out["route"] == "pct_window", 1.0 / ROUTE_FACTOR["pct_window"], 1.0), 0.0)
    out["if_granted_risk"] = np.where(pending, np.round(100.0 * rel * granted_factor * out["modifier"].to_numpy(), 1), out["risk"])
    market = out["market"] if "market" in out else pd.Series("", index=out.index)
    out["grant_probability"] = np.where(pending, market.map(GRANT_PROBABILITY).astype(float).to_numpy(), np.nan)
    grade = grade_of(out["risk"])
    would = grade_of(out["if_granted_risk"])
    grade = np.where(pending & (grade == "low") & np.isin(would, ["high", "medium"]), "watch", grade).astype(object)
    text = np.ones(len(out), dtype=bool)
    if "evidence" in out:
        text &= (out["evidence"] == "text").to_numpy()
    if "reads_on" in out:
        text &= pd.to_numeric(out["reads_on"], errors="coerce").fillna(0.0).to_numpy() > 0
    out["grade"] = np.where(text, grade, "low").astype(object)  # the evidence rule
    return out


def suggest_actions(frame: pd.DataFrame, horizon_date) -> pd.Series:
    """Action code per row (first rule that applies; see :data:`ACTIONS`).

    1. ``monitor_prosecution``: a pending application or an open PCT route (claims may still
       change; file prior art with a third-party observation / pre-issuance submission);
    2. ``wait_for_expiry``: a high or medium risk in force but expiring before
       ``horizon_date`` (the launch date plus :data:`EXPIRY_HORIZON_YEARS`, or the as-of date
       plus that);
    3. ``license``: high risk and the holder likely an NPE, litigious, or the patent litigated;
    4. ``challenge``: high risk and strength below :data:`WEAK_STRENGTH` (prior-art hints);
    5. ``design_around``: other high risks (change the matched features);
    6. ``review``: medium risk (have the claims read against the matched features);
    7. ``monitor``: low risk.

    ``frame`` needs ``status``, ``route``, ``grade``, ``strength``, ``holder_type``,
    ``expiry_date`` and optionally ``holder_cases``, ``patent_cases``.
    """
    horizon = pd.Timestamp(horizon_date)
    expiry = pd.to_datetime(frame["expiry_date"], errors="coerce")
    pending = (frame["status"] == "pending") | (frame["route"] == "pct_window")
    expiring = (frame["status"] == "in_force") & expiry.notna() & (expiry <= horizon) & frame["grade"].isin(["high", "medium"])
    high = frame["grade"] == "high"
    hc = pd.to_numeric(frame.get("holder_cases", pd.Series(0, index=frame.index)), errors="coerce").fillna(0)
    pcases = pd.to_numeric(frame.get("patent_cases", pd.Series(0, index=frame.index)), errors="coerce").fillna(0)
    assertive = (frame["holder_type"] == "likely_npe") | (hc > 0) | (pcases > 0)
    weak = pd.to_numeric(frame["strength"], errors="coerce").fillna(0) < WEAK_STRENGTH
    conds = [pending, expiring, high & assertive, high & weak, high, frame["grade"] == "medium"]
    codes = np.select([c.to_numpy(dtype=bool) for c in conds], list(ACTIONS[:-1]), ACTIONS[-1])
    return pd.Series(codes.astype(object), index=frame.index, name="action")
