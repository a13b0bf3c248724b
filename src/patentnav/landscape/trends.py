"""Filing trends and the technology life cycle (专利申请趋势与技术生命周期).

Functions
---------
annual_counts
    Documents or families per year (priority, filing or publication year), optionally per
    group (jurisdiction, a list column such as ``applicant_countries``, or a label array such
    as cluster ids), with every year in range present and an ``incomplete`` flag.
growth
    Year-on-year growth and the compound annual growth rate (CAGR), over complete years only.
logistic, fit_loglet, fit_logistic
    The logistic ("loglet") model N(t) = K / (1 + exp(-a (t - tm))), a = ln(81) / dt, and its
    least-squares fit to cumulative counts, with standard errors, R^2 and a life-cycle stage.
life_cycle
    Applications and distinct applicants per year: the series of the patent technology
    life-cycle chart (专利技术生命周期图) of Chinese patent-navigation reports.
top_applicants_by_year
    Counts per (applicant, year) for the top N applicants overall.

Definitions, thresholds and sources: ``docs/methods.md``. Every count is
vectorised (Arrow ``list_flatten`` / ``list_parent_indices``, numpy ``bincount``, pandas
group-bys); nothing loops over documents in Python.
"""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..i18n import LocalizedError

__all__ = [
    "DATE_COLUMNS",
    "DEFAULT_LAG_MONTHS",
    "STAGES",
    "annual_counts",
    "counts_by_year",
    "growth",
    "Growth",
    "logistic",
    "fit_loglet",
    "fit_logistic",
    "LogisticFit",
    "stage_of",
    "life_cycle",
    "top_applicants_by_year",
]

#: ``by`` -> the date column it counts.
DATE_COLUMNS = {
    "priority": "earliest_priority_date",
    "filing": "filing_date",
    "publication": "publication_date",
}

#: Default publication lag (months) after which a year's counts are treated as complete.
#: Applications are published about 18 months after their (earliest) priority date (PCT
#: Art. 21(2)(a); EPC Art. 93(1); 35 U.S.C. 122(b); CN Patent Law Art. 34), so a priority or
#: filing year is not fully visible until 18 months after it ends. A publication year is
#: complete as soon as it is over.
DEFAULT_LAG_MONTHS = {"priority": 18, "filing": 18, "publication": 0}

#: Life-cycle stages: (upper bound of N(t_last)/K, English name, Chinese name). See
#: :func:`stage_of` and docs/methods.md.
STAGES = (
    (0.10, "emerging", "萌芽期"),
    (0.50, "growth", "成长期"),
    (0.90, "maturity", "成熟期"),
    (math.inf, "saturation", "衰退期"),
)

_LN81 = math.log(81.0)
_APPLICANT_COLUMNS = ("applicants", "applicants_harmonized")


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _as_date(value) -> _dt.date:
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, _dt.datetime):
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    return _dt.date.fromisoformat(str(value))


def _check_by_unit(by: str, unit: str) -> None:
    if by not in DATE_COLUMNS:
        raise LocalizedError("err.trends_by", choices=", ".join(DATE_COLUMNS), value=by)
    if unit not in ("documents", "families"):
        raise ValueError(f"unit must be 'documents' or 'families', not {unit!r}")


def _cutoff_of(corpus, cutoff) -> _dt.date:
    if cutoff is not None:
        return _as_date(cutoff)
    latest = pc.max(corpus.table["publication_date"]).as_py()
    if latest is None:
        raise ValueError("the corpus has no publication dates: pass cutoff= (the date the data were retrieved)")
    return latest


def _complete_mask(years: np.ndarray, cutoff: _dt.date, lag_months: int) -> np.ndarray:
    """Boolean array: year Y is complete when 31 Dec Y + ``lag_months`` months <= cutoff."""
    # 31 December plus m months is the last day of the month 12 + m months after January of
    # Y (month-end arithmetic, as pandas DateOffset does it: 31 Dec 2015 + 18 months = 30 Jun 2017):
    # the day before the first of the month after it, in NumPy months and days.
    years = np.asarray(years, dtype=np.int64)
    month = years * 12 + 11 + int(lag_months)  # of the end date, counted from January of year 0
    if not len(years) or int(years.min()) < 1 or not 1 <= int(month.min()) // 12 <= int(month.max()) // 12 <= 9999:
        return _complete_mask_by_year(years, cutoff, lag_months)  # outside pandas' calendar: its error as before
    end = (month + 1 - 1970 * 12).astype("datetime64[M]").astype("datetime64[D]") - np.timedelta64(1, "D")
    return end <= np.datetime64(pd.Timestamp(cutoff).normalize().date(), "D")


def _complete_mask_by_year(years: np.ndarray, cutoff: _dt.date, lag_months: int) -> np.ndarray:
    """:func:`_complete_mask` one year at a time with pandas dates (for years outside 1-9999)."""
    out = np.zeros(len(years), dtype=bool)
    cut = pd.Timestamp(cutoff)
    for i, y in enumerate(np.asarray(years, dtype=np.int64)):  # one per year, not per document
        end = pd.Timestamp(int(y), 12, 31) + pd.DateOffset(months=int(lag_months))
        out[i] = end <= cut
    return out


def _year_array(corpus, by: str) -> tuple[np.ndarray, np.ndarray]:
    """(year as int64 with -1 for null, valid mask) of the date column of ``by``."""
    col = corpus.table[DATE_COLUMNS[by]]
    years = pc.year(col)
    valid = np.asarray(pc.is_valid(years).to_numpy(zero_copy_only=False), dtype=bool)
    y = np.asarray(pc.fill_null(years, -1).to_numpy(), dtype=np.int64)
    return y, valid


def _unit_keys(corpus, unit: str) -> tuple[np.ndarray, int, str]:
    """Counting key per row: the row itself (documents) or its family (families).

    Families: rows sharing a non-null ``family_id`` share a key; a row without one is its own
    family (keyed by the row).
    """
    n = len(corpus)
    rows = np.arange(n, dtype=np.int64)
    if unit == "documents":
        return rows, n, "each document (publication) counts once"
    fam = corpus.table["family_id"].combine_chunks() if n else pa.array([], pa.string())
    enc = pc.dictionary_encode(fam)
    has = np.asarray(pc.is_valid(enc).to_numpy(zero_copy_only=False), dtype=bool)
    codes = np.asarray(pc.fill_null(enc.indices, -1).to_numpy(), dtype=np.int64) if n else rows
    nfam = len(enc.dictionary) if n else 0
    keys = np.where(has, codes, nfam + rows)
    with_id = int(has.sum())
    rule = (
        "each family counts once, at the earliest year of its members: rows sharing a family_id are one "
        f"family, a row without family_id is its own family ({with_id:,} of {n:,} rows carry a family_id)"
    )
    return keys, nfam + n, rule


def _key_years(keys: np.ndarray, nkeys: int, year: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Earliest valid year per key (-1 where none): the year a family (or document) counts in."""
    out = np.full(nkeys, np.iinfo(np.int64).max, dtype=np.int64)
    if valid.any():
        np.minimum.at(out, keys[valid], year[valid])
    out[out == np.iinfo(np.int64).max] = -1
    return out


def _group_pairs(corpus, group, group_name: str | None):
    """(row indices, value codes, sorted distinct values, name, kind) of a grouping column or
    label array; null, empty-string and NaN values are dropped."""
    n = len(corpus)
    if isinstance(group, str):
        if group not in corpus.table.column_names:
            raise KeyError(f"unknown column {group!r} (see docs/data-model.md)")
        col = corpus.table[group].combine_chunks() if n else pa.array([], corpus.table.schema.field(group).type)
        name = group_name or group
        kind = "column"
    else:
        if isinstance(group, (pa.Array, pa.ChunkedArray)):
            col = group.combine_chunks() if isinstance(group, pa.ChunkedArray) else group
        else:
            arr = np.asarray(group.to_numpy() if isinstance(group, pd.Series) else group)
            if arr.ndim != 1:
                raise ValueError("a label array must be one-dimensional")
            col = pa.array(arr, from_pandas=True)
        if len(col) != n:
            raise ValueError(f"label array has {len(col):,} values for {n:,} documents")
        name = group_name or "group"
        kind = "labels"
    if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
        col = pc.fill_null(col, pa.scalar([], col.type))
        rows = np.asarray(pc.list_parent_indices(col).to_numpy(), dtype=np.int64)
        vals = pc.list_flatten(col)
        kind += " (list: a document counts once per distinct value)"
    else:
        rows = np.arange(n, dtype=np.int64)
        vals = col
    ok = pc.is_valid(vals)
    if pa.types.is_string(vals.type) or pa.types.is_large_string(vals.type):
        ok = pc.and_(ok, pc.not_equal(pc.fill_null(vals, ""), ""))
    if pa.types.is_floating(vals.type):
        ok = pc.and_(ok, pc.invert(pc.is_nan(vals)))
    ok_np = np.asarray(ok.to_numpy(zero_copy_only=False), dtype=bool)
    codes, uniques = _factorize(vals.filter(ok))
    return rows[ok_np], codes, uniques, name, kind


def _factorize(values: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(codes into the sorted distinct values, sorted distinct values) via Arrow hashing."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    enc = pc.dictionary_encode(values)
    if isinstance(enc, pa.ChunkedArray):
        enc = enc.combine_chunks()
    dictionary = enc.dictionary
    order = np.asarray(pc.sort_indices(dictionary).to_numpy(), dtype=np.int64)
    rank = np.empty(len(dictionary), dtype=np.int64)
    rank[order] = np.arange(len(dictionary), dtype=np.int64)
    codes = rank[np.asarray(enc.indices.to_numpy(), dtype=np.int64)] if len(values) else np.zeros(0, np.int64)
    uniques = np.asarray(dictionary.take(pa.array(order)).to_numpy(zero_copy_only=False))
    if uniques.dtype.kind in "OUS":
        uniques = uniques.astype(object)
    return codes, uniques


def _distinct(x: np.ndarray) -> np.ndarray:
    """Sorted distinct values of an int64 array (sort-based; faster than hashing here)."""
    if not len(x):
        return x
    x = np.sort(x)
    return x[np.r_[True, x[1:] != x[:-1]]]


def _applicant_column(corpus, applicants: str) -> str:
    if applicants == "auto":
        h = corpus.table["applicants_harmonized"]
        filled = len(corpus) and int(pc.sum(pc.list_value_length(h)).as_py() or 0) > 0
        return "applicants_harmonized" if filled else "applicants"
    if applicants not in _APPLICANT_COLUMNS:
        raise ValueError(f"applicants must be 'auto', 'applicants' or 'applicants_harmonized', not {applicants!r}")
    return applicants


def _pair_counts(keys, kyear, rows, codes, nv, y0, ny):
    """Count distinct (key, value) pairs per (year, value) as a dense ny x nv matrix."""
    k = keys[rows]
    keep = kyear[k] >= 0
    k, codes = k[keep], codes[keep]
    if nv == 0:
        return np.zeros((ny, 0), dtype=np.int64), k
    pair = _distinct(k * nv + codes)
    pk, pv = pair // nv, pair % nv
    py = kyear[pk] - y0
    mat = np.bincount(py * nv + pv, minlength=ny * nv).reshape(ny, nv)
    return mat, pk


def _attrs(df: pd.DataFrame, **kw) -> pd.DataFrame:
    df.attrs.update(kw)
    return df


# --------------------------------------------------------------------------------------
# 1. annual counts
# --------------------------------------------------------------------------------------
def annual_counts(
    corpus,
    by: str = "priority",
    cutoff=None,
    unit: str = "documents",
    group=None,
    group_name: str | None = None,
    lag_months: int | None = None,
) -> pd.DataFrame:
    """Documents (or families) per year, every year between the first and last present.

    Parameters
    ----------
    corpus : Corpus
    by : {"priority", "filing", "publication"}
        Year of ``earliest_priority_date``, ``filing_date`` or ``publication_date``.
    cutoff : date-like, optional
        The date the data are complete to (retrieval date). Default: the latest
        ``publication_date`` in the corpus (nothing later can have been seen).
    unit : {"documents", "families"}
        ``families``: rows sharing a non-null ``family_id`` are one family, counted once at the
        earliest year of its members; a row without ``family_id`` is its own family.
    group : str or array-like, optional
        A corpus column (scalar, e.g. ``"jurisdiction"``, or list, e.g. ``"applicant_countries"``:
        a unit counts once per distinct value) or one label per document (e.g. cluster ids).
        A family counts once in every group any of its members belongs to.
    group_name : str, optional
        Name of the group index level (default: the column name, or ``"group"``).
    lag_months : int, optional
        Publication lag: year Y is complete when 31 Dec Y + ``lag_months`` months <= cutoff.
        Default :data:`DEFAULT_LAG_MONTHS` (18 for priority and filing years, 0 for publication years).

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (or ``(year, group_name)``, every combination present, zeros filled);
        columns ``count`` (int64) and ``incomplete`` (bool). ``df.attrs`` records ``by``,
        ``date_column``, ``unit``, ``unit_rule``, ``cutoff``, ``lag_months``,
        ``last_complete_year``, ``missing_date`` (units without a date, not counted) and,
        when grouped, ``missing_group`` (units with no group value, not counted).

    Examples
    --------
    >>> c = patentnav.datasets.drones()
    >>> int(annual_counts(c, by="publication").loc[2017, "count"])
    3685
    """
    _check_by_unit(by, unit)
    if isinstance(group, str) and group not in corpus.table.column_names:
        raise KeyError(f"unknown column {group!r} (see docs/data-model.md)")
    lag = DEFAULT_LAG_MONTHS[by] if lag_months is None else int(lag_months)
    cut = _cutoff_of(corpus, cutoff) if len(corpus) else (_as_date(cutoff) if cutoff is not None else None)
    year, valid = _year_array(corpus, by)
    keys, nkeys, rule = _unit_keys(corpus, unit)
    kyear = _key_years(keys, nkeys, year, valid)
    present = np.zeros(nkeys, dtype=bool)
    present[keys] = True
    dated = present & (kyear >= 0)
    missing_date = int(present.sum() - dated.sum())
    meta = dict(by=by, date_column=DATE_COLUMNS[by], unit=unit, unit_rule=rule, cutoff=cut, lag_months=lag,
                missing_date=missing_date)

    if not dated.any():
        idx = pd.Index([], dtype=np.int64, name="year")
        if group is not None:
            gname = group_name or (group if isinstance(group, str) else "group")
            idx = pd.MultiIndex.from_arrays([idx, pd.Index([], dtype=object)], names=["year", gname])
        df = pd.DataFrame({"count": pd.Series([], dtype=np.int64), "incomplete": pd.Series([], dtype=bool)})
        df.index = idx
        return _attrs(df, last_complete_year=None, **meta)

    y0, y1 = int(kyear[dated].min()), int(kyear[dated].max())
    if group is None:
        counts = np.bincount(kyear[dated] - y0, minlength=y1 - y0 + 1).astype(np.int64)
        return counts_by_year(np.arange(y0, y1 + 1), counts, **meta)
    years = np.arange(y0, y1 + 1, dtype=np.int64)
    ny = len(years)
    complete = _complete_mask(years, cut, lag)
    last_complete = int(years[complete].max()) if complete.any() else None
    meta["last_complete_year"] = last_complete

    rows, codes, uniques, name, kind = _group_pairs(corpus, group, group_name)
    mat, pk = _pair_counts(keys, kyear, rows, codes, len(uniques), y0, ny)
    grouped = np.zeros(nkeys, dtype=bool)
    grouped[pk] = True
    missing_group = int((dated & ~grouped).sum())
    nv = len(uniques)
    idx = pd.MultiIndex.from_product([pd.Index(years, name="year"), pd.Index(uniques, name=name)])
    df = pd.DataFrame({"count": mat.reshape(-1).astype(np.int64), "incomplete": np.repeat(~complete, nv)}, index=idx)
    return _attrs(df, group=name, group_kind=kind, missing_group=missing_group, **meta)


def counts_by_year(years, counts, *, by: str, unit: str, unit_rule: str, cutoff, lag_months: int,
                   missing_date: int = 0, date_column: str | None = None) -> pd.DataFrame:
    """The :func:`annual_counts` frame (ungrouped) from units counted per year elsewhere, e.g.
    by an out-of-core engine (:mod:`patentnav.engine`): every year from the first to the last
    present, zeros filled, ``incomplete`` flags and the same ``attrs``."""
    years = np.asarray(years, dtype=np.int64)
    counts = np.asarray(counts, dtype=np.int64)
    meta = dict(by=by, date_column=date_column or DATE_COLUMNS[by], unit=unit, unit_rule=unit_rule, cutoff=cutoff,
                lag_months=lag_months, missing_date=int(missing_date))
    if not len(years):
        df = pd.DataFrame({"count": pd.Series([], dtype=np.int64), "incomplete": pd.Series([], dtype=bool)})
        df.index = pd.Index([], dtype=np.int64, name="year")
        return _attrs(df, last_complete_year=None, **meta)
    y0, y1 = int(years.min()), int(years.max())
    full = np.arange(y0, y1 + 1, dtype=np.int64)
    out = np.zeros(len(full), dtype=np.int64)
    np.add.at(out, years - y0, counts)
    complete = _complete_mask(full, cutoff, lag_months)
    meta["last_complete_year"] = int(full[complete].max()) if complete.any() else None
    df = pd.DataFrame({"count": out, "incomplete": ~complete}, index=pd.Index(full, name="year"))
    return _attrs(df, **meta)


# --------------------------------------------------------------------------------------
# 2. growth
# --------------------------------------------------------------------------------------
@dataclass
class Growth:
    """Year-on-year growth and CAGR of an :func:`annual_counts` table (complete years only).

    Attributes
    ----------
    table : pandas.DataFrame
        The input ``count`` and ``incomplete`` columns plus ``yoy`` = n_t / n_{t-1} - 1, NaN
        unless both t and t-1 are complete and n_{t-1} > 0.
    cagr : float or pandas.Series or None
        (n_end / n_start) ** (1 / (end - start)) - 1 (a Series per group for grouped counts;
        NaN where n_start = 0); None when fewer than two complete years exist.
    start, end : int or None
        The CAGR window (complete years).
    note : str
        What was computed and over which years.
    """

    table: pd.DataFrame
    cagr: Any
    start: int | None
    end: int | None
    note: str

    def __repr__(self) -> str:
        c = self.cagr
        cs = f"{c:.4f}" if isinstance(c, float) else ("None" if c is None else f"<{len(c)} groups>")
        return f"Growth(cagr={cs}, start={self.start}, end={self.end}; {self.note})"


def growth(counts: pd.DataFrame, window: int = 5, start: int | None = None, end: int | None = None) -> Growth:
    """Year-on-year growth and compound annual growth rate over complete years.

    Parameters
    ----------
    counts : pandas.DataFrame
        From :func:`annual_counts` (grouped or not).
    window : int
        CAGR over ``window`` years ending at ``end`` (default 5), i.e. from ``end - window``;
        clipped to the first year of the series.
    start, end : int, optional
        Explicit window; default ``end`` is the last complete year. Both must be complete years.
    """
    if not {"count", "incomplete"} <= set(counts.columns):
        raise ValueError("counts must come from annual_counts (columns count, incomplete)")
    grouped = isinstance(counts.index, pd.MultiIndex)
    if grouped:
        wide = counts["count"].unstack(level=1)
        inc = counts["incomplete"].groupby(level=0).first()
        years = wide.index.to_numpy(dtype=np.int64)
        complete = ~inc.reindex(wide.index).to_numpy(dtype=bool)
        cur = wide.to_numpy(dtype=float)
    else:  # one series: NumPy columns, not frames (the report asks for one per region)
        wide = None
        years = counts.index.to_numpy(dtype=np.int64)
        complete = ~counts["incomplete"].to_numpy(dtype=bool)
        cur = counts["count"].to_numpy(dtype=float)[:, None]
    prev = np.full_like(cur, np.nan)
    prev[1:] = cur[:-1]
    both = complete.copy()
    both[1:] &= complete[:-1]
    if len(both):
        both[0] = False
    with np.errstate(divide="ignore", invalid="ignore"):
        yoy = np.where((prev > 0) & both[:, None], cur / prev - 1.0, np.nan)
    table = counts.copy()
    if grouped:
        mi = pd.MultiIndex.from_product([wide.index, wide.columns], names=counts.index.names)
        table["yoy"] = pd.Series(yoy.ravel(), index=mi).reindex(counts.index).to_numpy()
    else:
        table["yoy"] = yoy[:, 0]

    comp_years = years[complete]
    if end is None:
        end = int(comp_years.max()) if len(comp_years) else None
    if end is not None and (end not in years or not complete[np.searchsorted(years, end)]):
        raise ValueError(f"end={end} is not a complete year of the series (last complete: "
                         f"{int(comp_years.max()) if len(comp_years) else None})")
    if start is None and end is not None:
        start = max(end - int(window), int(years.min()))
    if start is not None and (start not in years or not complete[np.searchsorted(years, start)]):
        raise ValueError(f"start={start} is not a complete year of the series")
    if end is None or start is None or end <= start:
        note = "fewer than two complete years: no CAGR; yoy only between complete years"
        return Growth(table, None, None, None, note)
    if grouped:
        n0, n1 = wide.loc[start], wide.loc[end]
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = (n1.astype(float) / n0.astype(float)) ** (1.0 / (end - start)) - 1.0
        cagr = rate.where(n0 > 0)
    else:  # the same array arithmetic on the two one-element rows
        n0, n1 = cur[years == start, 0], cur[years == end, 0]
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = (n1 / n0) ** (1.0 / (end - start)) - 1.0
        cagr = float(np.where(n0 > 0, rate, np.nan)[0])
    note = (f"CAGR {start}-{end} ({end - start} years) and yoy over complete years only "
            f"(years up to {int(comp_years.max())}; later years are incomplete: cut-off "
            f"{counts.attrs.get('cutoff')}, lag {counts.attrs.get('lag_months')} months)")
    return Growth(table, cagr, start, end, note)


# --------------------------------------------------------------------------------------
# 3. logistic (loglet) fit
# --------------------------------------------------------------------------------------
def logistic(t, K: float, tm: float, dt: float):
    """The logistic (loglet) curve N(t) = K / (1 + exp(-ln(81) / dt * (t - tm))).

    ``K`` is the saturation level, ``tm`` the midpoint (N(tm) = K/2), ``dt`` the growth time
    from 10% to 90% of K (Meyer, Yung & Ausubel 1999).

    >>> logistic([2010, 2020], 1000, 2015, 10)
    array([100., 900.])
    """
    t = np.asarray(t, dtype=float)
    z = np.clip(-_LN81 / dt * (t - tm), -700.0, 700.0)
    return K / (1.0 + np.exp(z))


def stage_of(share: float) -> tuple[str, str]:
    """(English, Chinese) life-cycle stage of N(t_last) / K: < 0.10 emerging 萌芽期,
    [0.10, 0.50) growth 成长期, [0.50, 0.90) maturity 成熟期, >= 0.90 saturation 衰退期."""
    if share is None or not np.isfinite(share):
        raise ValueError("share must be a finite number")
    for hi, en, zh in STAGES:
        if share < hi:
            return en, zh
    return STAGES[-1][1], STAGES[-1][2]


@dataclass
class LogisticFit:
    """Result of a loglet fit. ``ok`` is False when no fit could honestly be reported; then
    every parameter is None and ``message`` says why.

    Attributes
    ----------
    ok : bool
    message : str
        Why the fit failed (or "converged ..."), in English.
    K, tm, dt : float or None
        Saturation level, midpoint year, growth time (10% -> 90% of K), years.
    se_K, se_tm, se_dt : float or None
        Standard errors: square roots of the diagonal of curve_fit's covariance (scaled by
        the residual variance).
    r2 : float or None
        1 - SS_res / SS_tot on the cumulative counts fitted.
    share : float or None
        Observed cumulative count at the last fitted year divided by K.
    stage, stage_zh : str or None
        From ``share`` (see :func:`stage_of`).
    years : tuple (first, last) of fitted years; n_years : number of points fitted.
    curve : pandas.DataFrame or None
        Per year of the input: ``count``, ``cumulative``, ``fitted_cumulative``,
        ``fitted_count`` (N(t) - N(t-1)), ``used`` (point was fitted), ``incomplete``.
    reason : str
        Machine-readable failure code ("" when ``ok``): ``too_few_points``, ``not_cumulative``,
        ``no_growth``, ``few_growth_periods``, ``no_convergence``, ``on_bound``,
        ``no_covariance``; renderers translate it (see ``fit.*`` in :mod:`patentnav.i18n`).
    """

    ok: bool
    message: str
    K: float | None = None
    tm: float | None = None
    dt: float | None = None
    se_K: float | None = None
    se_tm: float | None = None
    se_dt: float | None = None
    r2: float | None = None
    share: float | None = None
    stage: str | None = None
    stage_zh: str | None = None
    years: tuple | None = None
    n_years: int = 0
    curve: pd.DataFrame | None = field(default=None, repr=False)
    meta: dict = field(default_factory=dict, repr=False)
    reason: str = ""

    @property
    def a(self) -> float | None:
        """Growth rate a = ln(81) / dt."""
        return None if self.dt is None else _LN81 / self.dt

    def predict(self, t):
        """N(t) of the fitted curve."""
        if not self.ok:
            raise ValueError(f"no fitted curve: {self.message}")
        return logistic(t, self.K, self.tm, self.dt)

    def to_dict(self) -> dict:
        keys = ("ok", "message", "reason", "K", "tm", "dt", "se_K", "se_tm", "se_dt", "r2", "share", "stage", "stage_zh",
                "years", "n_years")
        return {k: getattr(self, k) for k in keys}


def _at_bound(x, lo, hi, rtol=1e-6) -> bool:
    span = hi - lo
    return (x - lo) <= rtol * span or (hi - x) <= rtol * span


def fit_loglet(t, cumulative, *, k_max_factor: float = 100.0, min_points: int = 5,
               tm_margin: float = 100.0, dt_bounds: tuple[float, float] = (0.5, 500.0)) -> LogisticFit:
    """Least-squares fit of :func:`logistic` to cumulative values ``cumulative`` at times ``t``.

    ``scipy.optimize.curve_fit`` (trust-region reflective, bounded) on a scaled problem
    (K in units of the largest observation, t centred), from several starts (K0 = 1.25, 2, 4
    and 10 times the largest observation, a and tm from the linearised logit
    ln(N / (K0 - N)) = a (t - tm)); the start with the smallest residual wins.

    Bounds: max(N) <= K <= ``k_max_factor`` * max(N); tm within ``tm_margin`` years of the data;
    ``dt_bounds`` for dt. A fit whose K, tm or dt ends on an upper/outer bound is reported as
    failed (the data do not determine it, typically a series still growing exponentially),
    as is one with too few points, no growth, no convergence or an infinite covariance.
    """
    t = np.asarray(t, dtype=float)
    y = np.asarray(cumulative, dtype=float)
    if t.shape != y.shape or t.ndim != 1:
        raise ValueError("t and cumulative must be one-dimensional and of equal length")
    keep = np.isfinite(t) & np.isfinite(y)
    t, y = t[keep], y[keep]
    n = len(t)
    if n < max(min_points, 4):
        return LogisticFit(False, reason="too_few_points", message=f"too few points to fit: {n} (need at least {max(min_points, 4)})", n_years=n)
    if np.any(np.diff(y) < 0):
        return LogisticFit(False, reason="not_cumulative", message="cumulative values decrease: not a cumulative series", n_years=n)
    ymax = float(y.max())
    if ymax <= 0 or np.ptp(y) <= 0:
        return LogisticFit(False, reason="no_growth", message="no growth in the series: nothing to fit", n_years=n)
    if np.count_nonzero(np.diff(y)) < 3:
        return LogisticFit(False, reason="few_growth_periods", message="fewer than three periods with growth: the S-curve is not identified", n_years=n)

    from scipy.optimize import curve_fit

    tref = float(t.mean())
    x = t - tref
    ys = y / ymax
    lo = np.array([1.0, float(x.min()) - tm_margin, dt_bounds[0]])
    hi = np.array([float(k_max_factor), float(x.max()) + tm_margin, dt_bounds[1]])

    def model(xx, k, m, d):
        z = np.clip(-_LN81 / d * (xx - m), -700.0, 700.0)
        return k / (1.0 + np.exp(z))

    best = None
    errors = []
    for k0 in (1.25, 2.0, 4.0, 10.0):
        k0 = min(max(k0, lo[0] * 1.0001), hi[0] * 0.999)
        pos = (ys > 0) & (ys < k0)
        if pos.sum() >= 2:
            z = np.log(ys[pos] / (k0 - ys[pos]))
            a0, b0 = np.polyfit(x[pos], z, 1)
            a0 = a0 if a0 > 0 else _LN81 / max(np.ptp(x), 1.0)
            m0 = -b0 / a0
            d0 = _LN81 / a0
        else:
            m0, d0 = float(x.max()), max(np.ptp(x), 1.0)
        p0 = np.clip([k0, m0, d0], lo + 1e-9 * (hi - lo), hi - 1e-9 * (hi - lo))
        try:
            popt, pcov = curve_fit(model, x, ys, p0=p0, bounds=(lo, hi), method="trf",
                                   ftol=1e-14, xtol=1e-14, gtol=1e-14, max_nfev=20000)
        except (RuntimeError, ValueError, np.linalg.LinAlgError) as e:  # no convergence
            errors.append(str(e))
            continue
        sse = float(np.sum((model(x, *popt) - ys) ** 2))
        if best is None or sse < best[0]:
            best = (sse, popt, pcov)
    if best is None:
        return LogisticFit(False, reason="no_convergence", message="curve_fit did not converge from any start: " + "; ".join(errors[:2]), n_years=n)
    sse, popt, pcov = best
    k, m, d = (float(v) for v in popt)
    names = ("K", "tm", "dt")
    for i, (v, l, h) in enumerate(zip(popt, lo, hi)):
        on_lower_k = i == 0 and (v - l) <= 1e-6 * (h - l)  # K = max observed: saturated, allowed
        if _at_bound(v, l, h) and not on_lower_k:
            return LogisticFit(False, reason="on_bound", message=f"{names[i]} ended on its bound ({'upper' if v > (l + h) / 2 else 'lower'}): "
                                      "the data do not determine the S-curve (e.g. still in exponential growth); "
                                      "no parameters reported", n_years=n, years=(int(t.min()), int(t.max())))
    if not np.all(np.isfinite(pcov)):
        return LogisticFit(False, reason="no_covariance", message="covariance could not be estimated (parameters not identified)", n_years=n,
                           years=(int(t.min()), int(t.max())))
    se = np.sqrt(np.clip(np.diag(pcov), 0.0, None))
    K, tm, dt = k * ymax, m + tref, d
    fitted = logistic(t, K, tm, dt)
    ss_tot = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - float(np.sum((y - fitted) ** 2)) / ss_tot if ss_tot > 0 else float("nan")
    share = float(y[np.argmax(t)] / K)
    stage, stage_zh = stage_of(share)
    msg = "converged"
    if k - lo[0] <= 1e-9:
        msg += "; K equals the largest observed cumulative count (lower bound): the series looks saturated"
    return LogisticFit(True, msg, K=K, tm=tm, dt=dt, se_K=float(se[0] * ymax), se_tm=float(se[1]), se_dt=float(se[2]),
                       r2=r2, share=share, stage=stage, stage_zh=stage_zh, years=(int(t.min()), int(t.max())),
                       n_years=n)


def fit_logistic(counts: pd.DataFrame, include_incomplete: bool = False, **options) -> LogisticFit:
    """Loglet fit of the cumulative counts of an :func:`annual_counts` table.

    The cumulative count at year t is the number of units counted in years <= t (from the
    first year of the series). Only complete years are fitted unless ``include_incomplete``;
    the stage uses the observed cumulative count at the last fitted year divided by K.

    Parameters
    ----------
    counts : pandas.DataFrame
        Ungrouped :func:`annual_counts` output (or any frame indexed by year with a ``count``
        column; a missing ``incomplete`` column means all years are complete).
    include_incomplete : bool
        Also fit the incomplete (recent) years.
    **options
        Passed to :func:`fit_loglet` (``k_max_factor``, ``min_points``, ``tm_margin``, ``dt_bounds``).
    """
    if isinstance(counts.index, pd.MultiIndex):
        raise ValueError("fit_logistic needs ungrouped counts; fit each group's counts separately")
    if "count" not in counts.columns:
        raise ValueError("counts must have a 'count' column (see annual_counts)")
    years = counts.index.to_numpy(dtype=float)
    n = counts["count"].to_numpy(dtype=float)
    inc = counts["incomplete"].to_numpy(dtype=bool) if "incomplete" in counts.columns else np.zeros(len(n), bool)
    cum = np.cumsum(n)
    used = np.ones(len(n), dtype=bool) if include_incomplete else ~inc
    res = fit_loglet(years[used], cum[used], **options)
    res.meta = {k: counts.attrs.get(k) for k in ("by", "unit", "cutoff", "lag_months", "last_complete_year")}
    res.meta["include_incomplete"] = include_incomplete
    curve = pd.DataFrame({"count": counts["count"].to_numpy(), "cumulative": cum, "used": used, "incomplete": inc},
                         index=counts.index.copy())
    if res.ok:
        fc = logistic(years, res.K, res.tm, res.dt)
        curve["fitted_cumulative"] = fc
        curve["fitted_count"] = fc - logistic(years - 1.0, res.K, res.tm, res.dt)
    res.curve = curve
    return res


# --------------------------------------------------------------------------------------
# 4. life-cycle series (专利技术生命周期图)
# --------------------------------------------------------------------------------------
def life_cycle(
    corpus,
    by: str = "priority",
    unit: str = "documents",
    cutoff=None,
    lag_months: int | None = None,
    applicants: str = "auto",
) -> pd.DataFrame:
    """Applications and distinct applicants per year (专利技术生命周期图 series).

    Parameters
    ----------
    corpus : Corpus
    by, unit, cutoff, lag_months
        As in :func:`annual_counts`. With ``unit="families"`` a family's applicants are the
        union of its members' applicants, counted at the family's (earliest) year.
    applicants : {"auto", "applicants", "applicants_harmonized"}
        ``auto``: ``applicants_harmonized`` when that column is filled (any non-empty list,
        i.e. after :meth:`Corpus.harmonize_applicants`), else raw ``applicants``.

    Returns
    -------
    pandas.DataFrame
        Index ``year`` (every year in range), columns ``applications``, ``applicants``
        (distinct names among that year's units), ``incomplete``. Plot as a path: x =
        applicants, y = applications, each point labelled by its year.
        ``df.attrs["applicant_column"]`` says which column was used.
    """
    col = _applicant_column(corpus, applicants)
    counts = annual_counts(corpus, by=by, cutoff=cutoff, unit=unit, lag_months=lag_months)
    attrs = dict(counts.attrs)
    df = counts.rename(columns={"count": "applications"})
    if not len(df):
        df["applicants"] = pd.Series([], dtype=np.int64)
        return _attrs(df[["applications", "applicants", "incomplete"]], applicant_column=col, **attrs)
    year, valid = _year_array(corpus, by)
    keys, nkeys, _ = _unit_keys(corpus, unit)
    kyear = _key_years(keys, nkeys, year, valid)
    rows, codes, uniques, _, _ = _group_pairs(corpus, col, None)
    y0 = int(df.index.min())
    ny = len(df)
    yrs = kyear[keys[rows]]
    keep = yrs >= 0
    nv = max(len(uniques), 1)
    pair = _distinct((yrs[keep] - y0) * nv + codes[keep])  # distinct (year, applicant)
    df["applicants"] = np.bincount(pair // nv, minlength=ny).astype(np.int64)
    df = df[["applications", "applicants", "incomplete"]]
    return _attrs(df, applicant_column=col, **attrs)


# --------------------------------------------------------------------------------------
# 5. top applicants over time
# --------------------------------------------------------------------------------------
def top_applicants_by_year(
    corpus,
    n: int = 10,
    by: str = "priority",
    unit: str = "documents",
    cutoff=None,
    lag_months: int | None = None,
    applicants: str = "auto",
) -> pd.DataFrame:
    """Counts per (applicant, year) for the ``n`` applicants with most units overall.

    A unit (document or family) counts once per distinct applicant. Ranking: total count
    descending, then name ascending (ties at rank ``n`` are broken by name).

    Returns
    -------
    pandas.DataFrame
        Index ``applicant`` (rank order), one column per year (every year in range of the
        whole corpus), int64 counts. ``df.attrs``: ``total`` (dict applicant -> total),
        ``incomplete_years``, ``applicant_column`` and the :func:`annual_counts` settings.
    """
    col = _applicant_column(corpus, applicants)
    counts = annual_counts(corpus, by=by, cutoff=cutoff, unit=unit, lag_months=lag_months)
    attrs = dict(counts.attrs)
    years = counts.index.to_numpy(dtype=np.int64)
    empty = pd.DataFrame(index=pd.Index([], name="applicant", dtype=object),
                         columns=pd.Index(years, name="year"), dtype=np.int64)
    incomplete_years = [int(y) for y in years[counts["incomplete"].to_numpy(dtype=bool)]]
    meta = dict(incomplete_years=incomplete_years, applicant_column=col, **attrs)
    if not len(counts):
        return _attrs(empty, total={}, **meta)
    year, valid = _year_array(corpus, by)
    keys, nkeys, _ = _unit_keys(corpus, unit)
    kyear = _key_years(keys, nkeys, year, valid)
    rows, codes, uniques, _, _ = _group_pairs(corpus, col, None)
    k = keys[rows]
    keep = kyear[k] >= 0
    k, codes = k[keep], codes[keep]
    nv = len(uniques)
    if nv == 0 or not len(k):
        return _attrs(empty, total={}, **meta)
    pair = _distinct(k * nv + codes)  # distinct (unit, applicant)
    pk, pv = pair // nv, pair % nv
    total = np.bincount(pv, minlength=nv)
    top = np.lexsort((np.arange(nv), -total))[: int(n)]  # codes follow sorted names: ties by name
    top = top[total[top] > 0]  # applicants of undated units only are not "top applicants"
    rank = np.full(nv, -1, dtype=np.int64)
    rank[top] = np.arange(len(top))
    sel = rank[pv] >= 0
    y0, ny = int(years[0]), len(years)
    mat = np.bincount(rank[pv[sel]] * ny + (kyear[pk[sel]] - y0), minlength=len(top) * ny).reshape(len(top), ny)
    names = np.asarray(uniques, dtype=object)[top]
    out = pd.DataFrame(mat.astype(np.int64), index=pd.Index(names, name="applicant", dtype=object),
                       columns=pd.Index(years, name="year"))
    return _attrs(out, total={str(a): int(t) for a, t in zip(names, total[top])}, **meta)
