"""Kaplan-Meier maintenance survival (portfolio.survival): a published case, statsmodels as the
oracle, and a corpus with real INPADOC lapse events."""

import datetime as dt

import numpy as np
import pytest

from patentnav.portfolio.survival import kaplan_meier, maintenance_survival
from patentnav.status import patent_status
from portfolio_corpus import D, corpus, ev

# Freireich et al. (1963), 6-MP arm: weeks of remission, 0 = censored (Kleinbaum & Klein, Survival
# Analysis, ch. 2, the product-limit table)
WEEKS = [6, 6, 6, 6, 7, 9, 10, 10, 11, 13, 16, 17, 19, 20, 22, 23, 25, 32, 32, 34, 35]
EVENT = [1, 1, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0, 0]


def test_published_freireich_6mp():
    km = kaplan_meier(WEEKS, EVENT).set_index("time")
    published = {6: 0.857, 7: 0.807, 10: 0.753, 13: 0.690, 16: 0.627, 22: 0.538, 23: 0.448}
    for t, s in published.items():
        assert km.loc[t, "survival"] == pytest.approx(s, abs=5e-4)
    assert km.loc[6, "at_risk"] == 21 and km.loc[6, "events"] == 3 and km.loc[6, "censored"] == 1
    assert km.loc[6, "se"] == pytest.approx(0.0764, abs=1e-4)  # Greenwood


def test_matches_statsmodels_on_random_data():
    survfunc = pytest.importorskip("statsmodels.duration.survfunc")
    rng = np.random.default_rng(7)
    t = np.round(rng.exponential(8.0, 400), 1)
    e = rng.random(400) < 0.6
    km = kaplan_meier(t, e)
    ours = km[km["events"] > 0]  # statsmodels reports the event times only
    ref = survfunc.SurvfuncRight(t, e.astype(int))
    assert np.allclose(ours["time"], ref.surv_times)
    assert np.allclose(ours["survival"], ref.surv_prob)
    assert np.allclose(ours["se"], ref.surv_prob_se, equal_nan=True)  # Greenwood (undefined once S = 0)


def _lapse_corpus(n=200, seed=3):
    """US grants filed 2000, granted 2002; some lapse for non-payment (US 'FP', INPADOC class H)."""
    rng = np.random.default_rng(seed)
    lapse_year = rng.choice([0, 2006, 2010, 2014], size=n, p=[0.5, 0.2, 0.2, 0.1])
    events = [[ev(dt.date(int(y), 6, 1), "FP")] if y else [ev(D(2002, 1, 1), "FPAY")] for y in lapse_year]
    return corpus(publication_number=[f"US-{7000000 + i}-B2" for i in range(n)], jurisdiction=["US"] * n,
                  kind=["B2"] * n, document_type=["granted_patent"] * n, filing_date=[D(2000, 1, 1)] * n,
                  grant_date=[D(2002, 1, 1)] * n, legal_events=events, source_file=["inpadoc.jsonl"] * n), lapse_year


def test_full_term_probability_and_calibration():
    c, lapse_year = _lapse_corpus()
    st = patent_status(c, as_of=D(2024, 1, 1))
    s = maintenance_survival(c, st, as_of=D(2024, 1, 1))
    assert s.available and len(s.cohorts) == 1
    row = s.cohorts.iloc[0]
    assert row["rights"] == 200 and row["lapses"] == int((lapse_year > 0).sum())
    # every right is followed to full term (expired 2020): KM = the share never lapsed
    assert row["p_full_term"] == pytest.approx((lapse_year == 0).mean())
    assert not s.calibration.empty and s.mean_abs_error < 0.1
    assert set(s.calibration["horizon"]) <= {4.0, 8.0, 12.0, 16.0}


def test_no_events_is_said_not_fitted(drones):
    st = patent_status(drones, as_of="2018-01-01")
    s = maintenance_survival(drones, st, as_of="2018-01-01")
    assert not s.available and s.reason == "no_events" and s.cohorts.empty
