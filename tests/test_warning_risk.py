"""Unit tests of patentnav.warning.risk: score formula, holder factor, grades, actions.

Every expected value below is computed by hand from

    risk = 100 * relevance * in_force * (0.5 + 0.3 * strength + 0.2 * holder)

with in_force = status factor x route factor (in force 1, pending 0.6, unknown 0.5,
expired/lapsed/withdrawn 0; route own/family 1, EP validation 0.8, open PCT window 0.7)
and holder = 1.0 NPE, 0.8 firm, 0.6 individual, 0.5 university / research institute.
"""

import numpy as np
import pandas as pd
import pytest

from patentnav.warning.risk import (
    ACTIONS,
    EXPIRY_HORIZON_YEARS,
    GRADE_THRESHOLDS,
    HOLDER_FACTOR,
    LITIGIOUS_HOLDER,
    ROUTE_FACTOR,
    STATUS_FACTOR,
    WEAK_STRENGTH,
    grade_of,
    risk_scores,
    suggest_actions,
)


def _frame(rows):
    return pd.DataFrame(rows)


# --- constants as documented ------------------------------------------------------------------
def test_documented_constants():
    assert STATUS_FACTOR == {"in_force": 1.0, "pending": 0.6, "unknown": 0.5, "expired": 0.0, "lapsed": 0.0,
                             "withdrawn_or_refused": 0.0}
    assert ROUTE_FACTOR == {"own": 1.0, "family": 1.0, "ep_validation": 0.8, "pct_window": 0.7}
    assert HOLDER_FACTOR == {"likely_npe": 1.0, "firm": 0.8, "individual": 0.6, "university": 0.5,
                             "research_institute": 0.5}
    assert LITIGIOUS_HOLDER == 0.9
    assert GRADE_THRESHOLDS == {"high": 50.0, "medium": 25.0}
    assert WEAK_STRENGTH == 0.3 and EXPIRY_HORIZON_YEARS == 2.0
    assert ACTIONS == ("monitor_prosecution", "wait_for_expiry", "license", "challenge", "design_around", "review",
                       "monitor")


# --- the formula, row by row -------------------------------------------------------------------
ROWS = [
    # relevance, status, route, strength, holder_type -> in_force, holder, modifier, risk, grade
    # granted, own office, firm: 100 * 0.8 * 1 * (0.5 + 0.15 + 0.16) = 64.8
    (0.8, "in_force", "own", 0.5, "firm", 1.0, 0.8, 0.81, 64.8, "high"),
    # pending, individual: 100 * 0.5 * 0.6 * (0.5 + 0.06 + 0.12) = 20.4; if granted 34.0 (medium): watch
    (0.5, "pending", "own", 0.2, "individual", 0.6, 0.6, 0.68, 20.4, "watch"),
    # pending through an open PCT window, NPE: 100 * 0.9 * (0.6 * 0.7) * (0.5 + 0.3 + 0.2) = 37.8
    (0.9, "pending", "pct_window", 1.0, "likely_npe", 0.42, 1.0, 1.0, 37.8, "medium"),
    # expired: gated to 0 however relevant and strong
    (1.0, "expired", "own", 1.0, "likely_npe", 0.0, 1.0, 1.0, 0.0, "low"),
    (1.0, "lapsed", "family", 1.0, "firm", 0.0, 0.8, 0.96, 0.0, "low"),
    (1.0, "withdrawn_or_refused", "own", 0.5, "firm", 0.0, 0.8, 0.81, 0.0, "low"),
    # unknown status, family route, university: 100 * 0.4 * 0.5 * (0.5 + 0 + 0.1) = 12.0
    (0.4, "unknown", "family", 0.0, "university", 0.5, 0.5, 0.6, 12.0, "low"),
    # in force via EP validation, research institute: 100 * 0.7 * 0.8 * (0.5 + 0.09 + 0.1) = 38.64 -> 38.6
    (0.7, "in_force", "ep_validation", 0.3, "research_institute", 0.8, 0.5, 0.69, 38.6, "medium"),
    # an unrecognised status counts as unknown (0.5): 100 * 0.6 * 0.5 * (0.5 + 0.12 + 0.16) = 23.4
    (0.6, "something else", "own", 0.4, "firm", 0.5, 0.8, 0.78, 23.4, "low"),
    # all at maximum: 100 * 1 * 1 * 1 = 100
    (1.0, "in_force", "family", 1.0, "likely_npe", 1.0, 1.0, 1.0, 100.0, "high"),
]


@pytest.fixture(scope="module")
def scored():
    f = _frame([dict(relevance=r[0], status=r[1], route=r[2], strength=r[3], holder_type=r[4]) for r in ROWS])
    return risk_scores(f)


@pytest.mark.parametrize("i", range(len(ROWS)))
def test_risk_formula_by_hand(scored, i):
    rel, status, route, strength, htype, in_force, holder, modifier, risk, grade = ROWS[i]
    row = scored.iloc[i]
    assert row["in_force"] == pytest.approx(in_force)
    assert row["holder"] == pytest.approx(holder)
    assert row["modifier"] == pytest.approx(modifier)
    assert row["risk"] == pytest.approx(risk, abs=1e-9)
    assert row["grade"] == grade


def test_risk_scores_adds_columns_and_keeps_input(scored):
    f = _frame([dict(relevance=0.8, status="in_force", route="own", strength=0.5, holder_type="firm", extra="x")])
    out = risk_scores(f)
    for c in ("status_factor", "route_factor", "in_force", "holder", "modifier", "risk", "grade"):
        assert c in out.columns
    assert out["extra"].tolist() == ["x"]
    assert "risk" not in f.columns  # a new frame; the input is not modified
    assert scored["status_factor"].tolist() == [1.0, 0.6, 0.6, 0.0, 0.0, 0.0, 0.5, 1.0, 0.5, 1.0]
    assert scored["route_factor"].tolist() == [1.0, 1.0, 0.7, 1.0, 1.0, 1.0, 1.0, 0.8, 1.0, 1.0]


def test_risk_is_rounded_to_one_decimal():
    # 100 * 0.333 * 1 * (0.5 + 0.3 * 0.123 + 0.16) = 23.20671 -> 23.2
    f = _frame([dict(relevance=0.333, status="in_force", route="own", strength=0.123, holder_type="firm")])
    assert risk_scores(f)["risk"].iloc[0] == 23.2


def test_missing_and_out_of_range_inputs():
    f = _frame([
        # strength NaN -> 0, unknown holder type -> firm (0.8), route None -> 1:
        # 100 * 0.5 * 1 * (0.5 + 0 + 0.16) = 33.0
        dict(relevance=0.5, status="in_force", route=None, strength=np.nan, holder_type=None),
        # relevance above 1 and strength above 1 are clipped: 100 * 1 * 1 * (0.5 + 0.3 + 0.16) = 96.0
        dict(relevance=1.7, status="in_force", route="own", strength=3.0, holder_type="firm"),
        # negative relevance is clipped to 0
        dict(relevance=-0.4, status="in_force", route="own", strength=0.5, holder_type="firm"),
        # relevance missing -> 0
        dict(relevance=None, status="in_force", route="own", strength=0.5, holder_type="firm"),
    ])
    out = risk_scores(f)
    assert out["risk"].tolist() == [33.0, 96.0, 0.0, 0.0]
    assert out["holder"].tolist() == [0.8, 0.8, 0.8, 0.8]
    assert out["grade"].tolist() == ["medium", "high", "low", "low"]


# --- holder factor ---------------------------------------------------------------------------
@pytest.mark.parametrize("htype,factor", [("likely_npe", 1.0), ("firm", 0.8), ("individual", 0.6),
                                          ("university", 0.5), ("research_institute", 0.5)])
def test_holder_factor_by_type(htype, factor):
    # 100 * 1.0 * 1 * (0.5 + 0 + 0.2 * factor)
    f = _frame([dict(relevance=1.0, status="in_force", route="own", strength=0.0, holder_type=htype)])
    out = risk_scores(f)
    assert out["holder"].iloc[0] == factor
    assert out["risk"].iloc[0] == pytest.approx(round(100 * (0.5 + 0.2 * factor), 1))


def test_litigious_holder_and_litigated_patent():
    base = dict(relevance=1.0, status="in_force", route="own", strength=0.0)
    f = _frame([
        dict(base, holder_type="firm", holder_cases=1, patent_cases=0),        # firm sued once -> 0.9
        dict(base, holder_type="individual", holder_cases=3, patent_cases=0),  # 0.6 -> 0.9
        dict(base, holder_type="university", holder_cases=0, patent_cases=0),  # no litigation: stays 0.5
        dict(base, holder_type="likely_npe", holder_cases=2, patent_cases=0),  # already 1.0: not lowered to 0.9
        dict(base, holder_type="firm", holder_cases=0, patent_cases=1),        # this patent litigated -> 1.0
        dict(base, holder_type="university", holder_cases=5, patent_cases=2),  # both: 1.0
        dict(base, holder_type="firm", holder_cases=np.nan, patent_cases=None),  # missing counts = 0
    ])
    out = risk_scores(f)
    assert out["holder"].tolist() == [0.9, 0.9, 0.5, 1.0, 1.0, 1.0, 0.8]
    # risk = 100 * (0.5 + 0.2 * holder)
    assert out["risk"].tolist() == [68.0, 68.0, 60.0, 70.0, 70.0, 70.0, 66.0]


def test_litigation_columns_are_optional():
    f = _frame([dict(relevance=1.0, status="in_force", route="own", strength=0.0, holder_type="firm")])
    assert risk_scores(f)["holder"].iloc[0] == 0.8


# --- grades ----------------------------------------------------------------------------------
def test_grade_thresholds_exact():
    got = grade_of([50, 49.99, 25, 24.9, 24.99, 0, 100, 50.01, 25.0001]).tolist()
    assert got == ["high", "medium", "medium", "low", "low", "low", "high", "high", "medium"]


def test_grades_through_risk_scores_at_the_boundaries():
    # relevance 0.5 with modifier 1 -> risk exactly 50.0 (high); 0.25 -> 25.0 (medium); 0.249 -> 24.9 (low)
    rows = [dict(relevance=r, status="in_force", route="own", strength=1.0, holder_type="likely_npe")
            for r in (0.5, 0.4999, 0.25, 0.249)]
    out = risk_scores(_frame(rows))
    assert out["risk"].tolist() == [50.0, 50.0, 25.0, 24.9]
    # the grade is that of the shown (rounded) risk: 49.99 shows as 50.0 and is high
    assert out["grade"].tolist() == ["high", "high", "medium", "low"]


def test_grade_of_returns_object_array():
    g = grade_of(np.array([10.0]))
    assert g.dtype == object and g.tolist() == ["low"]


# --- suggested actions -----------------------------------------------------------------------
HORIZON = "2029-03-01"  # launch 2027-03-01 + 2 years


def _act(**kw):
    row = dict(status="in_force", route="own", grade="high", strength=0.8, holder_type="firm",
               expiry_date="2040-01-01", holder_cases=0, patent_cases=0)
    row.update(kw)
    return row


ACTION_CASES = [
    # (row, expected action, why)
    (_act(status="pending"), "monitor_prosecution", "pending high risk: claims may still change"),
    (_act(status="pending", grade="low"), "monitor_prosecution", "pending, any grade"),
    (_act(status="pending", holder_type="likely_npe", strength=0.1, expiry_date="2028-01-01"), "monitor_prosecution",
     "pending wins over every later rule"),
    (_act(route="pct_window", status="in_force"), "monitor_prosecution", "open PCT route"),
    (_act(expiry_date="2028-06-30"), "wait_for_expiry", "in force, expires before the horizon"),
    (_act(expiry_date=HORIZON), "wait_for_expiry", "expiring exactly on the horizon"),
    (_act(expiry_date="2028-06-30", holder_type="likely_npe", strength=0.1), "wait_for_expiry",
     "expiry wins over license and challenge"),
    (_act(expiry_date="2029-03-02"), "design_around", "one day after the horizon: not expiring"),
    (_act(status="expired", grade="low", expiry_date="2020-01-01"), "monitor", "expired is not 'wait'"),
    (_act(holder_type="likely_npe"), "license", "NPE high"),
    (_act(holder_cases=1), "license", "litigious holder, high"),
    (_act(patent_cases=1, strength=0.1), "license", "litigated patent wins over challenge"),
    (_act(strength=0.29), "challenge", "weak high"),
    (_act(strength=np.nan), "challenge", "unknown strength counts as weak"),
    (_act(strength=0.3), "design_around", "strength exactly 0.3 is not weak"),
    (_act(strength=0.9), "design_around", "strong high"),
    (_act(expiry_date=None), "design_around", "no expiry date known"),
    (_act(grade="medium", holder_type="likely_npe", strength=0.1), "review", "medium, whatever the holder"),
    (_act(grade="low", holder_type="likely_npe", strength=0.1), "monitor", "low"),
]


def test_each_action_rule():
    frame = _frame([c[0] for c in ACTION_CASES])
    got = suggest_actions(frame, HORIZON)
    for (row, want, why), g in zip(ACTION_CASES, got.tolist()):
        assert g == want, f"{why}: {row} -> {g}"
    assert set(got) == set(ACTIONS)  # all seven actions reached
    assert got.name == "action" and got.index.equals(frame.index)


def test_actions_without_litigation_columns():
    rows = [dict(status="in_force", route="own", grade="high", strength=0.8, holder_type="firm", expiry_date="2040-01-01"),
            dict(status="in_force", route="own", grade="high", strength=0.8, holder_type="likely_npe",
                 expiry_date="2040-01-01")]
    assert suggest_actions(_frame(rows), HORIZON).tolist() == ["design_around", "license"]


def test_actions_keep_frame_index():
    f = _frame([_act(), _act(grade="low")])
    f.index = [10, 3]
    got = suggest_actions(f, HORIZON)
    assert got.to_dict() == {10: "design_around", 3: "monitor"}


def test_scores_then_actions_pipeline():
    f = _frame([
        # 100 * 0.9 * 1 * (0.5 + 0.3 * 0.9 + 0.16) = 83.7 -> high, strong firm -> design around
        dict(relevance=0.9, status="in_force", route="own", strength=0.9, holder_type="firm", expiry_date="2035-01-01"),
        # 100 * 0.9 * 1 * (0.5 + 0.3 * 0.1 + 0.16) = 62.1 -> high, weak -> challenge
        dict(relevance=0.9, status="in_force", route="own", strength=0.1, holder_type="firm", expiry_date="2035-01-01"),
        # 100 * 0.5 * 0.8 * (0.5 + 0.15 + 0.2) = 34.0 -> medium -> review
        dict(relevance=0.5, status="in_force", route="ep_validation", strength=0.5, holder_type="likely_npe",
             expiry_date="2035-01-01"),
        # 100 * 0.9 * 0.6 * (0.5 + 0.15 + 0.16) = 43.74 -> 43.7 medium, but pending -> monitor prosecution
        dict(relevance=0.9, status="pending", route="own", strength=0.5, holder_type="firm", expiry_date="2035-01-01"),
    ])
    out = risk_scores(f)
    assert out["risk"].tolist() == [83.7, 62.1, 34.0, 43.7]
    assert suggest_actions(out, HORIZON).tolist() == ["design_around", "challenge", "review", "monitor_prosecution"]


def test_watch_pending_applications_that_would_be_medium_if_granted():
    from patentnav.warning.risk import GRANT_PROBABILITY

    f = _frame([dict(relevance=0.5, status="pending", route="own", strength=0.2, holder_type="individual", market="US"),
                dict(relevance=0.2, status="pending", route="own", strength=0.2, holder_type="individual", market="US"),
                dict(relevance=0.5, status="in_force", route="own", strength=0.2, holder_type="individual", market="DE")])
    out = risk_scores(f)
    assert out["if_granted_risk"].tolist() == [34.0, 13.6, 34.0]  # 100 * rel * 1 * 0.68
    assert out["grade"].tolist() == ["watch", "low", "medium"]  # 13.6 would stay low: no watch
    assert out["grant_probability"].iloc[0] == GRANT_PROBABILITY["US"] == 0.56
    assert np.isnan(out["grant_probability"].iloc[2])  # granted: no probability
    assert suggest_actions(out.assign(expiry_date=None), "2030-01-01").iloc[0] == "monitor_prosecution"


def test_no_grade_above_low_without_text_evidence():
    """The evidence rule: a high risk on codes alone (reads_on 0) is graded low."""
    f = _frame([dict(relevance=0.9, status="in_force", route="own", strength=1.0, holder_type="likely_npe",
                     reads_on=0.0, evidence="codes_only"),
                dict(relevance=0.9, status="in_force", route="own", strength=1.0, holder_type="likely_npe",
                     reads_on=0.9, evidence="text"),
                dict(relevance=0.9, status="pending", route="own", strength=1.0, holder_type="likely_npe",
                     reads_on=0.0, evidence="meaning_only")])
    out = risk_scores(f)
    assert out["grade"].tolist() == ["low", "high", "low"]
