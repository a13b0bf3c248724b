"""Trends and technology life cycle (patentnav.landscape.trends); methods in docs/methods.md."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import patentnav
from patentnav.landscape.trends import (
    STAGES,
    annual_counts,
    fit_logistic,
    fit_loglet,
    growth,
    life_cycle,
    logistic,
    stage_of,
    top_applicants_by_year,
)

D = dt.date


def corpus(**cols):
    n = len(next(iter(cols.values())))
    cols.setdefault("publication_number", [f"US-{i + 1}-A1" for i in range(n)])
    return patentnav.Corpus(pa.table(cols))


# --------------------------------------------------------------------------------------
# annual counts
# --------------------------------------------------------------------------------------
def test_priority_counts_exact_with_zero_filled_years():
    c = corpus(
        earliest_priority_date=[D(2010, 3, 1), D(2010, 7, 1), D(2012, 1, 5), None],
        publication_date=[D(2011, 9, 1), D(2012, 1, 1), D(2013, 7, 4), D(2013, 8, 1)],
    )
    df = annual_counts(c, by="priority")
    assert df.index.name == "year"
    assert df.index.tolist() == [2010, 2011, 2012]
    assert df["count"].tolist() == [2, 0, 1]
    assert df["count"].dtype == np.int64 and df["incomplete"].dtype == bool
    assert df.attrs["missing_date"] == 1  # the undated document is reported, not counted
    assert df.attrs["cutoff"] == D(2013, 8, 1)  # default: the latest publication date
    # 31 Dec 2011 + 18 months = 30 Jun 2013 <= 1 Aug 2013: complete; 2012 is not
    assert df["incomplete"].tolist() == [False, False, True]
    assert df.attrs["last_complete_year"] == 2011


def test_filing_and_publication_years():
    c = corpus(
        filing_date=[D(2001, 1, 1), D(2003, 12, 31), D(2003, 1, 1)],
        publication_date=[D(2002, 7, 1), D(2005, 6, 30), D(2004, 7, 1)],
    )
    f = annual_counts(c, by="filing")
    assert f["count"].to_dict() == {2001: 1, 2002: 0, 2003: 2}
    p = annual_counts(c, by="publication")
    assert p["count"].to_dict() == {2002: 1, 2003: 0, 2004: 1, 2005: 1}
    # a publication year is complete once it is over (lag 0): 2005 is not over at 30 Jun 2005
    assert p.attrs["lag_months"] == 0
    assert p["incomplete"].to_dict() == {2002: False, 2003: False, 2004: False, 2005: True}
    assert annual_counts(c, by="publication", lag_months=18)["incomplete"].to_dict() == {
        2002: False, 2003: False, 2004: True, 2005: True}


def test_incomplete_flag_at_the_18_month_boundary():
    c = corpus(earliest_priority_date=[D(2014, 5, 1), D(2015, 5, 1), D(2016, 5, 1)],
               publication_date=[D(2016, 1, 1)] * 3)
    # 31 Dec 2015 + 18 months = 30 Jun 2017
    on = annual_counts(c, by="priority", cutoff="2017-06-30")
    assert on["incomplete"].to_dict() == {2014: False, 2015: False, 2016: True}
    before = annual_counts(c, by="priority", cutoff=D(2017, 6, 29))
    assert before["incomplete"].to_dict() == {2014: False, 2015: True, 2016: True}
    assert before.attrs["last_complete_year"] == 2014
    # datetime / Timestamp cut-offs are accepted
    assert annual_counts(c, cutoff=pd.Timestamp("2017-06-30"))["incomplete"][2015] == np.False_
    # cut-off is not a filter: later years are still counted, flagged incomplete
    assert annual_counts(c, cutoff="2010-01-01")["count"].sum() == 3


def test_families_counted_once_at_earliest_year():
    c = corpus(
        family_id=["F1", "F1", "F1", None, None, "F2"],
        publication_date=[D(2016, 5, 1), D(2014, 2, 1), D(2017, 1, 1), D(2014, 3, 3), D(2015, 1, 1), D(2017, 2, 2)],
        earliest_priority_date=[D(2012, 1, 1)] * 3 + [D(2013, 1, 1), D(2013, 6, 1), None],
        jurisdiction=["US", "EP", "US", "US", "WO", "CN"],
    )
    docs = annual_counts(c, by="publication")
    assert docs["count"].to_dict() == {2014: 2, 2015: 1, 2016: 1, 2017: 2}
    fam = annual_counts(c, by="publication", unit="families")
    # F1 once, at 2014; the two rows without family_id each count; F2 at 2017
    assert fam["count"].to_dict() == {2014: 2, 2015: 1, 2016: 0, 2017: 1}
    assert "family_id" in fam.attrs["unit_rule"]
    pri = annual_counts(c, by="priority", unit="families")
    assert pri["count"].to_dict() == {2012: 1, 2013: 2}
    assert pri.attrs["missing_date"] == 1  # F2 has no priority date
    # grouped: a family counts once in each jurisdiction any member has, at the family's year
    g = annual_counts(c, by="publication", unit="families", group="jurisdiction")
    assert g.loc[(2014, "US"), "count"] == 2  # F1 (via its 2016/2017 US members) + the US singleton
    assert g.loc[(2014, "EP"), "count"] == 1
    assert g.loc[(2016, "US"), "count"] == 0
    assert g.loc[(2017, "CN"), "count"] == 1
    assert int(g["count"].sum()) == 5


def test_grouped_counts_by_column_list_and_labels():
    c = corpus(
        publication_date=[D(2010, 1, 1), D(2010, 5, 1), D(2012, 1, 1), D(2012, 2, 2), D(2012, 3, 3)],
        jurisdiction=["US", "EP", "US", None, "US"],
        applicant_countries=[["US", "US", "CN"], ["DE"], [], ["CN"], ["US"]],
    )
    g = annual_counts(c, by="publication", group="jurisdiction")
    assert g.index.names == ["year", "jurisdiction"]
    assert len(g) == 3 * 2  # every (year, value) combination, zeros filled
    assert g["count"].to_dict() == {(2010, "EP"): 1, (2010, "US"): 1, (2011, "EP"): 0, (2011, "US"): 0,
                                    (2012, "EP"): 0, (2012, "US"): 2}
    assert g.attrs["missing_group"] == 1
    wide = g["count"].unstack()
    assert wide.loc[2012].tolist() == [0, 2]
    # list column: a document counts once per distinct value
    lc = annual_counts(c, by="publication", group="applicant_countries")
    assert lc.loc[(2010, "US"), "count"] == 1 and lc.loc[(2010, "CN"), "count"] == 1
    assert lc.loc[(2012, "CN"), "count"] == 1 and lc.loc[(2012, "US"), "count"] == 1
    assert lc.attrs["missing_group"] == 1  # the document with no applicant country
    # a label array (e.g. cluster ids), named
    labels = np.array([0, 1, 1, 0, 2])
    cl = annual_counts(c, by="publication", group=labels, group_name="cluster")
    assert cl.index.names == ["year", "cluster"]
    assert cl["count"].unstack().loc[2012].tolist() == [1, 1, 1]
    assert cl["count"].unstack().loc[2010].tolist() == [1, 1, 0]
    # incomplete flag repeated per group
    assert cl.xs(2012, level="year")["incomplete"].all()
    with pytest.raises(ValueError):
        annual_counts(c, by="publication", group=np.arange(3))
    with pytest.raises(KeyError):
        annual_counts(c, group="no_such_column")


def test_bad_arguments_and_empty():
    c = corpus(publication_date=[D(2010, 1, 1)])
    with pytest.raises(ValueError):
        annual_counts(c, by="grant_year")
    with pytest.raises(ValueError):
        annual_counts(c, unit="patents")
    empty = annual_counts(c, by="priority")  # no priority dates at all
    assert len(empty) == 0 and empty.attrs["missing_date"] == 1
    assert len(annual_counts(patentnav.Corpus(), cutoff="2020-01-01")) == 0
    with pytest.raises(ValueError, match="cutoff"):
        annual_counts(corpus(filing_date=[D(2010, 1, 1)]), by="filing")  # no publication date, no cutoff


def test_vectorised_scale():
    # 100,000 documents in 20,000 families, counted without a Python loop over documents
    rng = np.random.default_rng(0)
    n = 100_000
    days = rng.integers(0, 365 * 20, n)
    dates = pa.array(np.datetime64("2000-01-01") + days.astype("timedelta64[D]")).cast(pa.date32())
    fam = pa.array([f"F{i}" for i in rng.integers(0, 20_000, n)])
    c = patentnav.Corpus(pa.table({"publication_number": pa.array([f"X-{i}" for i in range(n)]),
                                   "publication_date": dates, "family_id": fam,
                                   "jurisdiction": pa.array(rng.choice(["US", "EP", "CN"], n))}))
    f = annual_counts(c, by="publication", unit="families")
    assert f["count"].sum() == len(np.unique(fam.to_numpy(zero_copy_only=False)))
    g = annual_counts(c, by="publication", group="jurisdiction")
    assert g["count"].sum() == n


# --------------------------------------------------------------------------------------
# growth
# --------------------------------------------------------------------------------------
def test_growth_yoy_and_cagr_complete_years_only():
    dates = [D(2010, 6, 1)] * 10 + [D(2011, 6, 1)] * 20 + [D(2012, 6, 1)] * 15 + [D(2013, 6, 1)] * 40
    c = corpus(earliest_priority_date=dates, publication_date=[D(2013, 12, 31)] * len(dates))
    counts = annual_counts(c, by="priority", cutoff="2014-06-30")  # complete up to 2012
    assert counts["incomplete"].tolist() == [False, False, False, True]
    g = growth(counts)
    assert g.table["yoy"].iloc[0] != g.table["yoy"].iloc[0]  # NaN: no previous year
    assert g.table["yoy"].tolist()[1:3] == [1.0, -0.25]
    assert math.isnan(g.table["yoy"].iloc[3])  # 2013 incomplete: no growth reported
    assert (g.start, g.end) == (2010, 2012)  # window clipped to the series
    assert g.cagr == pytest.approx(1.5 ** 0.5 - 1, rel=1e-12)
    assert "complete years only" in g.note
    g2 = growth(counts, start=2011, end=2012)
    assert g2.cagr == pytest.approx(-0.25)
    with pytest.raises(ValueError):
        growth(counts, end=2013)
    one = growth(annual_counts(c, by="priority", cutoff="2012-06-30"))
    assert one.cagr is None and "fewer than two" in one.note


def test_growth_grouped():
    c = corpus(publication_date=[D(2010, 1, 1), D(2010, 1, 1), D(2011, 1, 1), D(2012, 1, 1), D(2012, 1, 1),
                                 D(2012, 2, 1), D(2011, 3, 3)],
               jurisdiction=["US", "EP", "US", "US", "US", "EP", "EP"])
    counts = annual_counts(c, by="publication", group="jurisdiction", cutoff="2013-01-01")
    g = growth(counts)
    assert g.cagr["US"] == pytest.approx(2 ** 0.5 - 1)
    assert g.cagr["EP"] == pytest.approx(0.0)
    assert g.table.loc[(2012, "US"), "yoy"] == pytest.approx(1.0)
    assert g.table.loc[(2011, "EP"), "yoy"] == pytest.approx(0.0)


# --------------------------------------------------------------------------------------
# loglet
# --------------------------------------------------------------------------------------
def test_logistic_reference_values():
    # /work/shared/reference/README.md: K=1000, tm=2015, dt=10 gives N(2010)=100, N(2020)=900
    assert logistic(2010, 1000, 2015, 10) == pytest.approx(100.0, rel=1e-12)
    assert logistic(2020, 1000, 2015, 10) == pytest.approx(900.0, rel=1e-12)
    assert logistic(2015, 1000, 2015, 10) == pytest.approx(500.0, rel=1e-12)


@pytest.mark.parametrize("K,tm,dt,years", [
    (1000.0, 2015.0, 10.0, np.arange(2000, 2031)),
    (1000.0, 2015.0, 10.0, np.arange(2000, 2016)),  # only up to the midpoint
    (2.5e5, 1998.3, 7.5, np.arange(1980, 2012)),
    (40.0, 2010.0, 3.0, np.arange(2004, 2013)),
])
def test_noiseless_fit_recovers_parameters(K, tm, dt, years):
    f = fit_loglet(years, logistic(years, K, tm, dt))
    assert f.ok, f.message
    assert f.K == pytest.approx(K, rel=1e-6)
    assert f.tm == pytest.approx(tm, rel=1e-6)
    assert f.dt == pytest.approx(dt, rel=1e-6)
    assert f.a == pytest.approx(math.log(81) / dt, rel=1e-6)
    assert f.r2 == pytest.approx(1.0, abs=1e-9)
    assert f.se_K < 1e-6 * K and f.se_tm < 1e-6 and f.se_dt < 1e-6


def test_fit_logistic_on_counts_excludes_incomplete_years():
    years = np.arange(2000, 2021)
    cum = logistic(years, 1000, 2012, 8)
    n = np.diff(np.r_[0.0, cum])
    inc = years >= 2019
    n_obs = n.copy()
    n_obs[inc] = n[inc] * 0.3  # the truncation the lag produces
    counts = pd.DataFrame({"count": n_obs, "incomplete": inc}, index=pd.Index(years, name="year"))
    f = fit_logistic(counts)
    assert f.ok and f.years == (2000, 2018) and f.n_years == 19
    assert f.K == pytest.approx(1000, rel=1e-6) and f.tm == pytest.approx(2012, rel=1e-6)
    assert f.dt == pytest.approx(8, rel=1e-6)
    share = cum[years == 2018][0] / 1000
    assert f.share == pytest.approx(share, rel=1e-9)
    assert (f.stage, f.stage_zh) == ("saturation", "衰退期")
    assert f.curve["used"].tolist() == (~inc).tolist()
    assert f.curve.loc[2010, "fitted_cumulative"] == pytest.approx(cum[10], rel=1e-6)
    assert f.curve.loc[2010, "fitted_count"] == pytest.approx(n[10], rel=1e-5)
    assert f.predict(2012) == pytest.approx(500, rel=1e-6)
    # fitting the truncated years too gives a different (wrong) curve
    assert fit_logistic(counts, include_incomplete=True).K != pytest.approx(1000, rel=1e-3)


def test_stage_thresholds():
    assert stage_of(0.0) == ("emerging", "萌芽期")
    assert stage_of(0.0999) == ("emerging", "萌芽期")
    assert stage_of(0.10) == ("growth", "成长期")
    assert stage_of(0.4999) == ("growth", "成长期")
    assert stage_of(0.50) == ("maturity", "成熟期")
    assert stage_of(0.8999) == ("maturity", "成熟期")
    assert stage_of(0.90) == ("saturation", "衰退期")
    assert stage_of(1.02) == ("saturation", "衰退期")
    assert [s[1] for s in STAGES] == ["emerging", "growth", "maturity", "saturation"]
    with pytest.raises(ValueError):
        stage_of(float("nan"))
    # one year past the midpoint of the fitted curve: share 0.61, maturity
    years = np.arange(2000, 2017)
    f = fit_loglet(years, logistic(years, 1000, 2015, 10))
    assert f.share == pytest.approx(1 / (1 + 81 ** -0.1), rel=1e-9)
    assert (f.stage, f.stage_zh) == ("maturity", "成熟期")


def test_fit_failure_paths_report_no_numbers():
    few = fit_loglet([2010, 2011, 2012], [1, 3, 7])
    assert not few.ok and "too few" in few.message and few.K is None and few.stage is None
    flat = fit_loglet(np.arange(2000, 2010), np.full(10, 5.0))
    assert not flat.ok and flat.K is None
    years = np.arange(2000, 2015)
    expo = fit_loglet(years, 10 * np.exp(0.4 * (years - 2000)))  # pure exponential: K unbounded
    assert not expo.ok and "bound" in expo.message
    assert expo.K is None and expo.tm is None and expo.dt is None and expo.r2 is None
    with pytest.raises(ValueError):
        expo.predict(2020)
    dec = fit_loglet(years, np.arange(15, 0, -1))
    assert not dec.ok and "decrease" in dec.message
    with pytest.raises(ValueError):
        fit_logistic(annual_counts(corpus(publication_date=[D(2010, 1, 1)], jurisdiction=["US"]),
                                   by="publication", group="jurisdiction"))


# --------------------------------------------------------------------------------------
# life cycle and top applicants
# --------------------------------------------------------------------------------------
def test_life_cycle_raw_and_harmonized():
    c = corpus(
        earliest_priority_date=[D(2010, 1, 1), D(2010, 2, 1), D(2011, 1, 1), D(2011, 2, 1), D(2011, 3, 1)],
        publication_date=[D(2013, 1, 1)] * 5,
        applicants=[["ACME INC", "Acme Inc."], ["Beta"], ["Beta"], [], ["Acme Inc."]],
        family_id=[None, None, "F", "F", None],
    )
    lc = life_cycle(c)
    assert lc.attrs["applicant_column"] == "applicants"
    assert lc.columns.tolist() == ["applications", "applicants", "incomplete"]
    assert lc["applications"].to_dict() == {2010: 2, 2011: 3}
    assert lc["applicants"].to_dict() == {2010: 3, 2011: 2}
    h = patentnav.Corpus(c.table.set_column(
        c.table.schema.get_field_index("applicants_harmonized"), "applicants_harmonized",
        pa.array([["ACME"], ["BETA"], ["BETA"], [], ["ACME"]], pa.list_(pa.string()))))
    lh = life_cycle(h)
    assert lh.attrs["applicant_column"] == "applicants_harmonized"
    assert lh["applicants"].to_dict() == {2010: 2, 2011: 2}
    assert life_cycle(h, applicants="applicants")["applicants"].to_dict() == {2010: 3, 2011: 2}
    fam = life_cycle(h, unit="families")
    assert fam["applications"].to_dict() == {2010: 2, 2011: 2}
    assert fam["applicants"].to_dict() == {2010: 2, 2011: 2}
    with pytest.raises(ValueError):
        life_cycle(c, applicants="inventors")


def test_top_applicants_by_year_exact_and_ties():
    c = corpus(
        publication_date=[D(2010, 1, 1), D(2011, 1, 1), D(2011, 5, 1), D(2012, 1, 1), D(2012, 1, 1), D(2012, 3, 1)],
        applicants=[["A", "B"], ["A", "A"], ["C"], ["B"], ["A"], ["D"]],
    )
    t = top_applicants_by_year(c, n=3, by="publication")
    assert t.index.tolist() == ["A", "B", "C"]  # A 3; B 2; C and D 1 each, tie broken by name
    assert t.columns.tolist() == [2010, 2011, 2012]
    assert t.loc["A"].tolist() == [1, 1, 1]  # the duplicated "A" on one document counts once
    assert t.loc["B"].tolist() == [1, 0, 1]
    assert t.loc["C"].tolist() == [0, 1, 0]
    assert t.attrs["total"] == {"A": 3, "B": 2, "C": 1}
    assert t.attrs["incomplete_years"] == [2012]
    assert top_applicants_by_year(c, n=10, by="publication").shape == (4, 3)


# --------------------------------------------------------------------------------------
# bundled Lens.org drone sample, cross-checked with independent pandas computations
# --------------------------------------------------------------------------------------
def _pandas_years(df, column):
    return pd.to_datetime(df[column]).dt.year


def test_drones_publication_and_priority_years(drones):
    pub = annual_counts(drones, by="publication")
    assert pub.loc[2017, "count"] == 3685
    assert pub.loc[2016, "count"] == 1599
    assert pub.loc[2015, "count"] == 775
    assert pub.loc[2014, "count"] == 453
    assert pub.index.min() == 1948 and pub.index.max() == 2017 and len(pub) == 70
    assert pub.loc[1950, "count"] == 0  # zero-filled gap
    assert pub["count"].sum() == 9071
    assert pub.attrs["cutoff"] == D(2017, 12, 28)
    assert pub["incomplete"][pub["incomplete"]].index.tolist() == [2017]

    pri = annual_counts(drones, by="priority")
    assert pri.loc[[2012, 2013, 2014, 2015, 2016, 2017], "count"].tolist() == [429, 667, 1281, 2302, 1584, 34]
    assert pri.index.min() == 1944 and pri["count"].sum() == 9071
    # cut-off 2017-12-28: 31 Dec 2015 + 18 months = 30 Jun 2017 <= cut-off, 2016 is not complete
    assert pri.attrs["last_complete_year"] == 2015
    assert pri["incomplete"][pri["incomplete"]].index.tolist() == [2016, 2017]

    df = drones.to_pandas()
    for counts, col in ((pub, "publication_date"), (pri, "earliest_priority_date")):
        ref = _pandas_years(df, col).value_counts()
        ref = ref.reindex(range(ref.index.min(), ref.index.max() + 1), fill_value=0).sort_index()
        assert counts["count"].tolist() == ref.tolist()
        assert counts.index.tolist() == ref.index.tolist()

    # no family_id in the Lens sample: families fall back to documents
    fam = annual_counts(drones, by="priority", unit="families")
    assert fam["count"].tolist() == pri["count"].tolist()

    # by jurisdiction, cross-checked with pd.crosstab
    g = annual_counts(drones, by="priority", group="jurisdiction")
    ref = pd.crosstab(_pandas_years(df, "earliest_priority_date"), df["jurisdiction"])
    ref = ref.reindex(range(1944, 2018), fill_value=0)
    assert (g["count"].unstack().to_numpy() == ref.to_numpy()).all()
    assert g.loc[(2015, "US"), "count"] == int(ref.loc[2015, "US"])


def test_drones_loglet_by_priority_is_not_identified(drones):
    pri = annual_counts(drones, by="priority")
    f = fit_logistic(pri)
    # the complete years (to 2015) still grow exponentially: no saturation level can be fitted
    assert not f.ok and f.K is None and f.stage is None
    assert f.years == (1944, 2015)
    assert f.curve["used"].sum() == 72
    gr = growth(pri)
    assert (gr.start, gr.end) == (2010, 2015)
    assert gr.cagr == pytest.approx((2302 / 263) ** (1 / 5) - 1, rel=1e-12)


def test_drones_life_cycle_and_top_applicants(drones):
    lc = life_cycle(drones, by="priority")
    assert lc.attrs["applicant_column"] == "applicants"
    df = drones.to_pandas()
    df["year"] = _pandas_years(df, "earliest_priority_date")
    ex = df[["year", "applicants"]].explode("applicants").dropna()
    ex = ex[ex["applicants"] != ""]
    ref = ex.groupby("year")["applicants"].nunique()
    assert lc["applicants"].reindex(ref.index).tolist() == ref.tolist()
    assert lc["applications"].sum() == 9071
    assert lc.loc[2015].tolist() == [2302, 1496, False]

    top = top_applicants_by_year(drones, n=5, by="priority")
    pairs = df.reset_index()[["index", "year", "applicants"]].explode("applicants").dropna().drop_duplicates()
    totals = pairs.groupby("applicants").size()
    totals = totals.sort_index().sort_values(ascending=False, kind="mergesort")
    assert top.index.tolist() == totals.index[:5].tolist()
    assert top.attrs["total"]["QUALCOMM INC"] == int(totals["QUALCOMM INC"]) == 292
    ref_q = pairs[pairs["applicants"] == "QUALCOMM INC"].groupby("year").size()
    assert top.loc["QUALCOMM INC", ref_q.index].tolist() == ref_q.tolist()
    assert top.loc["QUALCOMM INC"].sum() == 292

    h = life_cycle(drones.harmonize_applicants(), by="priority")
    assert h.attrs["applicant_column"] == "applicants_harmonized"
    assert (h["applicants"] <= lc["applicants"]).all()
    assert h["applications"].tolist() == lc["applications"].tolist()
