"""Renewal fees due in the coming years, by office (年费 / maintenance fees / renewal fees).

The schedules ship as data (``patentnav/data/portfolio/renewal_fees.csv``, sources and
check dates in ``fee_sources.csv``; docs/portfolio.md). How each office counts its years:

* ``filing_year`` (CN annual fees, DE Jahresgebühren): the fee of patent year ``k`` (years
  counted from the filing date) is due before year ``k`` starts, on the ``(k-1)``-th filing
  anniversary; CN charges no fee for years before the grant;
* ``grant_months`` (US maintenance fees, 35 U.S.C. 41(b)): due 42, 90 and 138 months (3.5,
  7.5, 11.5 years) after grant, utility patents only; designs and plants pay none;
* ``filing_year_pending`` (EPO renewal fees, Art. 86 and Rule 51 EPC): years 3 onwards
  counted from the filing date, due on the last day of the month of the filing
  anniversary, while the application is pending; after grant the national offices of the
  validation states charge them, which the data do not show;
* ``grant_year`` (JP 特許料): years counted from registration; years 1-3 are paid at
  registration; the amount is a base plus an amount per claim.

Only rights alive on ``as_of`` are projected (in force; EP also pending), and only fees
due on or after ``as_of``, before ``as_of + years`` and before the statutory expiry.
An office without a schedule, or a fee without an amount (DE years 7-20, JP without a claim
count), is reported as unknown: ``amount`` null, never 0.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import pandas as pd

__all__ = ["fee_schedule", "fee_sources", "renewal_fees", "FeeProjection", "US_ENTITIES", "CN_REDUCTIONS",
           "RIGHT_OF_TYPE"]

#: US entity sizes (37 CFR 1.27, 1.29).
US_ENTITIES = ("large", "small", "micro")
#: CN fee reductions (费减): the share of the fee still paid, for the first 10 years from grant.
CN_REDUCTIONS = {"85": 0.15, "70": 0.30}
#: Years from the year of grant during which a CN reduction applies.
CN_REDUCTION_YEARS = 10
#: Right of each document type.
RIGHT_OF_TYPE = {"granted_patent": "invention", "application": "invention", "utility_model": "utility_model",
                 "design": "design", "plant_patent": "plant"}
#: US maintenance fees apply to patents from applications filed on or after this date.
US_MAINTENANCE_FROM = pd.Timestamp("1980-12-12")


def _read(name: str) -> pd.DataFrame:
    f = resources.files("patentnav.data").joinpath(f"portfolio/{name}")
    with f.open("r", encoding="utf-8") as fh:
        return pd.read_csv(fh, dtype={"iso2": str, "year_from": "Int64", "year_to": "Int64", "due_months": "Int64"},
                           keep_default_na=False, na_values=[""])


@lru_cache(maxsize=1)
def _schedule() -> pd.DataFrame:
    return _read("renewal_fees.csv")


def fee_schedule() -> pd.DataFrame:
    """The shipped fee schedules (one row per office, right, fee-year range, entity), a copy."""
    return _schedule().copy()


def fee_sources() -> pd.DataFrame:
    """Source, check date and year-counting note of each schedule (``source_id`` keyed)."""
    return _read("fee_sources.csv")


@dataclass
class FeeProjection:
    """Result of :func:`renewal_fees`.

    Attributes
    ----------
    events : pandas.DataFrame
        One row per fee due: ``row`` (position in the corpus), ``publication_number``,
        ``office``, ``right``, ``fee_year`` (the office's year index), ``due_date``,
        ``amount`` (null when unknown), ``currency``, ``valid_from``, ``source_id``.
    per_document : pandas.DataFrame
        Indexed by ``row``: ``fees_next`` (known amounts summed), ``fees_currency``,
        ``fees_unknown`` (fees due whose amount is unknown), ``fees_status`` (``projected``,
        ``no_fees`` (none due in the window), ``not_alive``, ``no_schedule``,
        ``ep_national`` (granted EP: national renewals), ``no_dates``).
    params : dict
    """

    events: pd.DataFrame
    per_document: pd.DataFrame
    params: dict = field(default_factory=dict)

    def totals(self) -> pd.DataFrame:
        """Known fees per calendar year of the due date, office and currency."""
        e = self.events[self.events["amount"].notna()]
        if e.empty:
            return pd.DataFrame(columns=["year", "office", "currency", "amount", "fees"])
        g = e.assign(year=pd.to_datetime(e["due_date"]).dt.year).groupby(["year", "office", "currency"], sort=True)
        return g["amount"].agg(amount="sum", fees="size").reset_index()


def _years_between(a: pd.Series, b: pd.Timestamp) -> np.ndarray:
    """Whole years from ``a`` to ``b`` (anniversaries passed), vectorised."""
    ya, ma, da = a.dt.year.to_numpy(), a.dt.month.to_numpy(), a.dt.day.to_numpy()
    passed = (b.month > ma) | ((b.month == ma) & (b.day >= da))
    return (b.year - ya - 1 + passed).astype(float)


def _month_end(d: pd.Series) -> pd.Series:
    return d + pd.offsets.MonthEnd(0)


def _expand(docs: pd.DataFrame, start: np.ndarray, count: int) -> pd.DataFrame:
    """Each doc repeated ``count`` times with candidate fee years ``start .. start+count-1``."""
    rep = docs.loc[docs.index.repeat(count)].copy()
    rep["fee_year"] = (np.repeat(start, count) + np.tile(np.arange(count), len(docs))).astype(int)
    return rep


def _schedule_for(office: str, right: str, us_entity: str) -> pd.DataFrame:
    s = _schedule()
    s = s[(s["office"] == office) & (s["right"] == right)]
    if office == "US":
        s = s[s["entity"].isin([us_entity, "full"])]
    return s


def _amounts(cand: pd.DataFrame, sched: pd.DataFrame, claims: pd.Series) -> pd.DataFrame:
    """Join the fee-year candidates to the schedule's year ranges; amount = base + per_claim x claims."""
    lo = sched["year_from"].to_numpy(dtype=float)
    hi = sched["year_to"].to_numpy(dtype=float)
    k = cand["fee_year"].to_numpy()[:, None]
    hit = (k >= lo[None, :]) & (k <= hi[None, :])
    has = hit.any(axis=1)
    which = hit.argmax(axis=1)
    cand = cand[has].copy()
    pick = sched.iloc[which[has]]
    base = pick["base"].to_numpy(dtype=float)
    per = pick["per_claim"].to_numpy(dtype=float)
    nclaims = claims.reindex(cand["row"]).to_numpy(dtype=float)
    extra = np.where(per > 0, per * nclaims, 0.0)
    cand["amount"] = base + extra
    cand["currency"] = pick["currency"].to_numpy()
    cand["valid_from"] = pick["valid_from"].to_numpy()
    cand["source_id"] = pick["source_id"].to_numpy()
    return cand


def _due(cand: pd.DataFrame, basis: str, sched: pd.DataFrame) -> pd.Series:
    """Due date of each candidate fee (vectorised date arithmetic of patentnav.status)."""
    from ..status import _add_months, _add_years

    k = cand["fee_year"].to_numpy()
    if basis in ("filing_year", "filing_year_pending"):
        d = _add_years(cand["filing"], k - 1)
        return _month_end(d) if basis == "filing_year_pending" else d
    if basis == "grant_year":
        return _add_years(cand["grant"], k - 1)
    months = dict(zip(sched["year_from"].astype(int), sched["due_months"].astype(int)))  # grant_months
    return _add_months(cand["grant"], np.array([months.get(int(x), np.nan) for x in range(1, 4)])[k - 1])


def _whole_years(a: pd.Series, b: pd.Series) -> np.ndarray:
    """Whole years from ``a`` to ``b`` (anniversaries passed), vectorised over two series."""
    passed = (b.dt.month > a.dt.month) | ((b.dt.month == a.dt.month) & (b.dt.day >= a.dt.day))
    return (b.dt.year - a.dt.year - 1 + passed.astype(int)).to_numpy(dtype=float)


def renewal_fees(corpus, status: pd.DataFrame, rows=None, as_of=None, years: int = 5, us_entity: str = "large",
                 cn_reduction: str | None = None) -> FeeProjection:
    """Renewal fees due in the next ``years`` years for the documents ``rows`` of ``corpus``.

    Parameters
    ----------
    corpus : Corpus
    status : pandas.DataFrame
        :func:`patentnav.status.patent_status` of ``corpus`` on ``as_of``.
    rows : array of int, optional
        Corpus positions to project (default: all).
    as_of : date-like
        Start of the window (default: today).
    years : int, default 5
        Length of the window in years (fees due in ``[as_of, as_of + years)``).
    us_entity : {"large", "small", "micro"}
    cn_reduction : {None, "85", "70"}
        CN fee reduction (费减) of the holder: 85% (a single qualifying applicant) or 70%.

    Returns
    -------
    FeeProjection

    Examples
    --------
    A CN invention filed 2015-03-01, granted 2018-05-01: on 2024-01-01 the next five
    years' fees are those of patent years 10-14 (due 2024-03-01 ... 2028-03-01):
    3 x 4,000 + 2 x 6,000 = 24,000 CNY.
    """
    from ..status import _as_of, _ts

    if us_entity not in US_ENTITIES:
        raise ValueError(f"us_entity must be one of {', '.join(US_ENTITIES)}, not {us_entity!r}")
    if cn_reduction not in (None, *CN_REDUCTIONS):
        raise ValueError(f"cn_reduction must be None, '85' or '70', not {cn_reduction!r}")
    asof = _as_of(as_of)
    end = asof + pd.DateOffset(years=years)
    t = corpus.table
    rows = np.arange(t.num_rows) if rows is None else np.asarray(rows, dtype=np.int64)
    st = status.iloc[rows]
    docs = pd.DataFrame({
        "row": rows,
        "publication_number": st["publication_number"].to_numpy(),
        "office": st["jurisdiction"].fillna("").to_numpy(),
        "right": st["document_type"].map(RIGHT_OF_TYPE).to_numpy(),
        "status": st["status"].to_numpy(),
        "filing": _ts(t["filing_date"]).iloc[rows].to_numpy(),
        "grant": _ts(t["grant_date"]).iloc[rows].to_numpy(),
        "expiry": pd.to_datetime(st["expiry_date"]).to_numpy(),
    })
    pub = _ts(t["publication_date"]).iloc[rows].to_numpy()
    granted_type = docs["right"].notna() & (st["document_type"].to_numpy() != "application")
    docs["grant"] = np.where(docs["grant"].isna() & granted_type, pub, docs["grant"])
    docs["grant"] = pd.to_datetime(docs["grant"])
    claims = pd.Series(pd.array(t["claims_count"].to_pandas(), dtype="Float64").to_numpy(dtype=float, na_value=np.nan))
    per = pd.DataFrame({"row": rows, "fees_next": 0.0, "fees_currency": None, "fees_unknown": 0,
                        "fees_status": "no_fees"}).set_index("row")

    alive = docs["status"] == "in_force"
    ep_pending = (docs["office"] == "EP") & (docs["status"] == "pending") & (docs["right"] == "invention")
    per.loc[docs.loc[~alive & ~ep_pending, "row"], "fees_status"] = "not_alive"
    live = docs[alive | ep_pending]
    ep_granted = live[(live["office"] == "EP") & (live["status"] == "in_force")]
    per.loc[ep_granted["row"], "fees_status"] = "ep_national"
    live = live.drop(ep_granted.index)
    no_dates = live["filing"].isna()
    per.loc[live.loc[no_dates, "row"], "fees_status"] = "no_dates"
    live = live[~no_dates]

    parts = []
    no_schedule: dict[str, int] = {}
    for (office, right), grp in live.groupby(["office", "right"], sort=True):
        sched = _schedule_for(office, right, us_entity)
        if sched.empty:
            no_schedule[f"{office} {right}"] = len(grp)
            per.loc[grp["row"], "fees_status"] = "no_schedule"
            continue
        basis = sched["basis"].iloc[0]
        if basis == "none":
            continue  # e.g. US designs: no renewal fees, status stays "no_fees"
        if basis == "grant_months":
            grp = grp[grp["grant"].notna() & (grp["filing"] >= US_MAINTENANCE_FROM)]
            cand = _expand(grp, np.ones(len(grp), dtype=int), 3)
        elif basis == "grant_year":
            grp = grp[grp["grant"].notna()]
            start = np.maximum(4, _years_between(grp["grant"], asof) + 1).astype(int)
            cand = _expand(grp, start, years + 2)
        else:
            start = np.maximum(1, _years_between(grp["filing"], asof) + 1).astype(int)
            cand = _expand(grp, start, years + 2)
        if cand.empty:
            continue
        cand["due_date"] = _due(cand, basis, sched)
        ok = (cand["due_date"] >= asof) & (cand["due_date"] < end) & (cand["expiry"].isna() | (cand["due_date"] < cand["expiry"]))
        if office == "CN":  # no fee for patent years before the year of grant
            k_grant = _whole_years(cand["filing"], cand["grant"]) + 1
            ok &= ~(cand["fee_year"].to_numpy() < np.nan_to_num(k_grant, nan=1))
        cand = _amounts(cand[ok], sched, claims)
        if office == "CN" and cn_reduction and len(cand):
            kg = _whole_years(cand["filing"], cand["grant"]) + 1
            within = cand["fee_year"].to_numpy() < kg + CN_REDUCTION_YEARS
            cand["amount"] = np.where(within, cand["amount"] * CN_REDUCTIONS[cn_reduction], cand["amount"])
        parts.append(cand)

    cols = ["row", "publication_number", "office", "right", "fee_year", "due_date", "amount", "currency", "valid_from",
            "source_id"]
    events = (pd.concat(parts, ignore_index=True)[cols] if parts else pd.DataFrame(columns=cols))
    events = events.sort_values(["due_date", "publication_number", "fee_year"], kind="mergesort").reset_index(drop=True)
    if len(events):
        events["due_date"] = pd.to_datetime(events["due_date"]).dt.date
        g = events.groupby("row")
        per.loc[g.size().index, "fees_status"] = "projected"
        per.loc[g.size().index, "fees_next"] = g["amount"].sum(min_count=0).to_numpy()
        per.loc[g.size().index, "fees_currency"] = g["currency"].first().to_numpy()
        per.loc[g.size().index, "fees_unknown"] = events["amount"].isna().groupby(events["row"]).sum().to_numpy()
    per["fees_next"] = per["fees_next"].astype(float)
    params = {"as_of": str(asof.date()), "years": years, "window_end": str((end - pd.Timedelta(days=1)).date()),
              "us_entity": us_entity, "cn_reduction": cn_reduction, "no_schedule": no_schedule,
              "schedules": sorted({(r.office, r.valid_from, r.source_id) for r in _schedule().itertuples()}),
              "checked": "2026-12-07"}
    return FeeProjection(events, per, params)
