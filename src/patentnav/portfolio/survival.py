"""Maintenance survival: the probability that a right is kept to its full term, by cohort.

Kaplan-Meier product-limit estimator (Kaplan & Meier 1958, "Nonparametric estimation from
incomplete observations", JASA 53(282)): with ``d_i`` lapses at time ``t_i`` and ``n_i``
rights still at risk just before ``t_i``,

    S(t) = prod_{t_i <= t} (1 - d_i / n_i),   Var S(t) = S(t)^2 sum_{t_i <= t} d_i / (n_i (n_i - d_i))

(Greenwood 1926). Time is years from the filing date (the start of the term and of CNIPA's
maintenance years). The event is the lapse of a granted right (an INPADOC cessation event,
class ``H``, or a lapsed status with its date, from :func:`patentnav.status.patent_status`);
a right that expired at full term, is still in force, or was revoked, is censored at that date
(expiry, ``as_of``). P(kept to full term) = ``S(term)`` where ``term`` is the statutory term
of the cohort (20 years for patents); when no right of the cohort has been followed that
long, the estimate is not defined and ``S`` at the longest follow-up is given instead.

Only rights from source files that carry legal events enter (a file with no events at all
cannot show a lapse). Calibration: the rights are split by publication number (hash parity)
into a fit half and a test half; for horizons h, the cohort's curve fitted on the fit half
predicts the share of test rights still kept at h among those whose fate at h is known
(lapsed before h, or followed at least to h); the table reports predicted against observed
and the mean absolute difference.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import zlib

import numpy as np
import pandas as pd

__all__ = ["kaplan_meier", "SurvivalResult", "maintenance_survival", "CALIBRATION_HORIZONS"]

#: Years after filing at which calibration is checked (the US maintenance points fall near 4, 8, 12
#: years after grant).
CALIBRATION_HORIZONS = (4.0, 8.0, 12.0, 16.0)
#: Fewest rights for a cohort curve.
MIN_COHORT = 20


def kaplan_meier(durations, events) -> pd.DataFrame:
    """Kaplan-Meier estimate with Greenwood variance.

    Parameters
    ----------
    durations : array of float
        Follow-up time of each subject.
    events : array of bool
        True where the follow-up ended with the event, False where it was censored. At a
        tie the events come before the censorings (the usual convention).

    Returns
    -------
    pandas.DataFrame
        One row per distinct time with an event or a censoring: ``time``, ``at_risk``,
        ``events``, ``censored``, ``survival``, ``se`` (Greenwood).

    Examples
    --------
    Freireich et al. (1963) 6-MP arm, remission weeks (``+`` censored): 6 6 6 6+ 7 9+ 10 10+
    11+ 13 16 17+ 19+ 20+ 22 23 25+ 32+ 32+ 34+ 35+ gives S(6) = 0.857, S(7) = 0.807,
    S(10) = 0.753, S(13) = 0.690, S(16) = 0.627, S(22) = 0.538, S(23) = 0.448.
    """
    d = np.asarray(durations, dtype=float)
    e = np.asarray(events, dtype=bool)
    ok = np.isfinite(d)
    d, e = d[ok], e[ok]
    if len(d) == 0:
        return pd.DataFrame(columns=["time", "at_risk", "events", "censored", "survival", "se"])
    times, inv = np.unique(d, return_inverse=True)
    ev = np.bincount(inv, weights=e.astype(float), minlength=len(times))
    cen = np.bincount(inv, weights=(~e).astype(float), minlength=len(times))
    total = ev + cen
    at_risk = len(d) - np.concatenate([[0.0], np.cumsum(total)[:-1]])
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.cumprod(1.0 - ev / at_risk)
        g = np.cumsum(np.where(at_risk > ev, ev / (at_risk * (at_risk - ev)), np.inf * (ev > 0)))
    with np.errstate(invalid="ignore"):
        se = np.where(s > 0, s * np.sqrt(g), np.nan)  # Greenwood is undefined once S = 0
    return pd.DataFrame({"time": times, "at_risk": at_risk.astype(np.int64), "events": ev.astype(np.int64),
                         "censored": cen.astype(np.int64), "survival": s, "se": se})


def _s_at(curve: pd.DataFrame, t: float) -> float:
    """S(t) of a step curve (1 before the first time)."""
    if curve.empty:
        return np.nan
    i = np.searchsorted(curve["time"].to_numpy(), t, side="right") - 1
    return 1.0 if i < 0 else float(curve["survival"].iloc[i])


@dataclass
class SurvivalResult:
    """Result of :func:`maintenance_survival`.

    ``cohorts``: one row per cohort (``office``, ``filing_year``), with ``rights``, ``lapses``,
    ``term_years``, ``max_follow_up``, ``p_full_term`` (null when not followed to term),
    ``s_at_max`` and ``note``; ``curves``: cohort -> Kaplan-Meier table; ``calibration``:
    horizon rows (``horizon``, ``rights``, ``predicted``, ``observed``, ``difference``);
    ``available``: whether the corpus has lapse data at all; ``reason``: ``fitted``,
    ``no_events`` (no legal events) or ``no_lapses`` (events but no lapse); ``note``.
    """

    cohorts: pd.DataFrame
    curves: dict = field(default_factory=dict)
    calibration: pd.DataFrame = field(default_factory=pd.DataFrame)
    available: bool = False
    note: str = ""
    params: dict = field(default_factory=dict)
    reason: str = "fitted"

    @property
    def mean_abs_error(self) -> float | None:
        c = self.calibration
        if c.empty:
            return None
        return float(np.average(np.abs(c["difference"]), weights=c["rights"]))


def _observations(corpus, status: pd.DataFrame, asof: pd.Timestamp) -> pd.DataFrame:
    from ..status import _ts

    t = corpus.table
    import pyarrow.compute as pc

    has_ev = pc.list_value_length(t["legal_events"].combine_chunks()).fill_null(0).to_numpy(zero_copy_only=False) > 0
    sf = t["source_file"].to_pandas().fillna("")
    file_has = pd.Series(has_ev).groupby(sf.to_numpy()).transform("max").to_numpy(dtype=bool)
    filing = _ts(t["filing_date"])
    granted = status["document_type"].isin(["granted_patent", "utility_model", "design", "plant_patent"]).to_numpy()
    st = status["status"].to_numpy()
    expiry = pd.to_datetime(status["expiry_date"])
    ended = pd.to_datetime(status["assumed_date"])
    lapsed = (st == "lapsed") & ended.notna().to_numpy()
    end = np.where(lapsed, ended.to_numpy(), np.where(st == "expired", expiry.to_numpy(), np.datetime64(asof.date())))
    keep = file_has & granted & filing.notna().to_numpy() & np.isin(st, ["in_force", "lapsed", "expired"])
    years = (pd.to_datetime(end) - filing).dt.days.to_numpy() / 365.25
    term = (expiry - filing).dt.days.to_numpy() / 365.25
    pubs = status["publication_number"].astype(str).to_numpy()
    half = np.fromiter((zlib.crc32(p.encode()) & 1 for p in pubs), dtype=np.int8, count=len(pubs))
    df = pd.DataFrame({"office": status["jurisdiction"].to_numpy(), "filing_year": filing.dt.year.to_numpy(),
                       "duration": years, "event": lapsed, "term": np.round(term), "half": half})
    return df[keep & np.isfinite(years)]


def maintenance_survival(corpus, status: pd.DataFrame, as_of=None, rows=None,
                         horizons=CALIBRATION_HORIZONS, min_cohort: int = MIN_COHORT) -> SurvivalResult:
    """Kaplan-Meier maintenance curves by cohort (office x filing year) and their calibration.

    ``rows`` restricts the *report* to the cohorts of those documents (a holder's); the
    curves are fitted on every right of the corpus in those cohorts.
    """
    from ..status import _as_of

    asof = _as_of(as_of)
    obs = _observations(corpus, status, asof)
    if rows is not None:
        mine = status.iloc[np.asarray(rows, dtype=np.int64)]
        wanted = set(zip(mine["jurisdiction"], pd.to_datetime(corpus.table["filing_date"].to_pandas()).dt.year
                         .to_numpy()[np.asarray(rows, dtype=np.int64)]))
    else:
        wanted = None
    if obs.empty or not obs["event"].any():
        why = ("no legal events in this corpus: lapses cannot be observed, so no maintenance-survival model is fitted"
               if obs.empty else "legal events are present but no granted right lapsed: the survival model would be "
               "flat at 1 and is not reported")
        return SurvivalResult(pd.DataFrame(), {}, pd.DataFrame(), False, why, {"as_of": str(asof.date())},
                              "no_events" if obs.empty else "no_lapses")
    rows_out, curves, cal = [], {}, []
    for (office, year), g in obs.groupby(["office", "filing_year"], sort=True):
        if wanted is not None and (office, year) not in wanted:
            continue
        if len(g) < min_cohort:
            continue
        curve = kaplan_meier(g["duration"], g["event"])
        term = float(g["term"].mode().iloc[0])
        max_fu = float(g["duration"].max())
        p_full = _s_at(curve, term - 1e-9) if max_fu >= term - 1e-9 else np.nan
        rows_out.append({"office": office, "filing_year": int(year), "rights": len(g), "lapses": int(g["event"].sum()),
                         "term_years": term, "max_follow_up": round(max_fu, 2), "p_full_term": p_full,
                         "s_at_max": _s_at(curve, max_fu),
                         "note": "" if np.isfinite(p_full) else "not yet followed to full term"})
        curves[(office, int(year))] = curve
        fit, test = g[g["half"] == 0], g[g["half"] == 1]
        if len(fit) < min_cohort // 2 or test.empty:
            continue
        fc = kaplan_meier(fit["duration"], fit["event"])
        for h in horizons:
            known = test[(test["event"] & (test["duration"] < h)) | (test["duration"] >= h)]
            if known.empty or fc.empty or fit["duration"].max() < h:
                continue
            cal.append({"office": office, "filing_year": int(year), "horizon": h, "rights": len(known),
                        "predicted": _s_at(fc, h), "observed": float((known["duration"] >= h).mean())})
    cohorts = pd.DataFrame(rows_out)
    calib = pd.DataFrame(cal)
    if not calib.empty:
        calib = (calib.assign(wp=calib["predicted"] * calib["rights"], wo=calib["observed"] * calib["rights"])
                 .groupby("horizon", as_index=False)[["rights", "wp", "wo"]].sum())
        calib["predicted"] = calib["wp"] / calib["rights"]
        calib["observed"] = calib["wo"] / calib["rights"]
        calib["difference"] = calib["predicted"] - calib["observed"]
        calib = calib[["horizon", "rights", "predicted", "observed", "difference"]]
    note = (f"Kaplan-Meier over {len(obs):,} granted rights from files with legal events "
            f"({int(obs['event'].sum()):,} lapses); cohorts with fewer than {min_cohort} rights are not shown")
    return SurvivalResult(cohorts, curves, calib, True, note, {"as_of": str(asof.date()), "min_cohort": min_cohort,
                          "rights": len(obs), "lapses": int(obs["event"].sum())})
