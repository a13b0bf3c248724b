"""Lane qual (issue 16, the bundled-sample report): the quality table, document quality,
the high-value criteria, the quality profiles and the quality section without pandas'
per-call overheads (columns made a frame once instead of inserted one by one, frames read
without their ``attrs``, which pandas deep-copies into every column it hands out; the
profiles' ranking on integers; the WIPO field looked up once per main group).

Each rewritten function is compared with its former definition: the source text below
(copied from the code before the change) is run in a copy of its module's namespace, so its
helpers are the module's own and it calls the other former definitions of that module.
Inputs: the bundled sample, samples of its rows, synthetic corpora and edge cases (empty,
one row, nulls, repeated publication numbers, no citation data)."""

from __future__ import annotations

import importlib
import json
import pathlib
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import patentnav
from patentnav.landscape.citations import citation_graph
from patentnav.quality.shrinkage import shrink_arrays, shrink_means
from patentnav.report.context import LandscapeContext
from patentnav.status import patent_status, status_codes

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "benchmarks"))  # synthetic.py

# the modules (the packages export functions of the same names)
LHV = importlib.import_module("patentnav.landscape.high_value")
I = importlib.import_module("patentnav.landscape.indicators")
D = importlib.import_module("patentnav.quality.documents")
QHV = importlib.import_module("patentnav.quality.high_value")
M = importlib.import_module("patentnav.quality.maintenance")
P = importlib.import_module("patentnav.quality.profiles")
Q = importlib.import_module("patentnav.report.quality_section")

# ------------------------------------------------------------------ oracles (former definitions)

OLD_QUALITY_PROFILES = r'''
def _continuous(docs: pd.DataFrame, c: str, rows: np.ndarray, codes: np.ndarray, G: int, han: np.ndarray) -> tuple[dict, dict]:
    """Group columns and world values of one indicator compared as a mean."""
    rel_all = docs[f"{c}_rel"].to_numpy(dtype=np.float64)
    raw_all = docs[c].to_numpy(dtype=np.float64)
    rel = rel_all[rows]
    sh = shrink_means(rel, codes, G)
    _, rmean, se = _group_means(rel, codes, G)
    n, mean, _ = _group_means(raw_all[rows], codes, G)
    _, expected, _ = _group_means(np.where(np.isnan(raw_all), np.nan, docs[f"{c}_expected"].to_numpy(dtype=np.float64))[rows], codes, G)
    if c in LENGTHS:  # a mean of words and Han characters is no length
        h, _, _ = _group_means(np.where(np.isnan(raw_all) | ~han, np.nan, 1.0)[rows], codes, G)
        mixed = (h > 0) & (h < n)
        mean, expected = np.where(mixed, np.nan, mean), np.where(mixed, np.nan, expected)
    cols = {f"{c}_n": sh["n"].to_numpy(), f"{c}_mean": mean, f"{c}_expected": expected, f"{c}_rel": sh["mean"].to_numpy(),
            f"{c}_rel_lo": rmean - Z95 * se, f"{c}_rel_hi": rmean + Z95 * se, f"{c}_est": sh["estimate"].to_numpy(),
            f"{c}_lo": sh["lo"].to_numpy(), f"{c}_hi": sh["hi"].to_numpy()}
    known = ~np.isnan(raw_all)
    mixed_world = c in LENGTHS and 0 < int(han[known].sum()) < int(known.sum())
    wm = np.nan if mixed_world or not known.any() else float(raw_all[known].mean())
    mu = float(np.nanmean(rel_all)) if np.isfinite(rel_all).any() else np.nan  # the world: 1 by construction
    world = {f"{c}_n": int(np.isfinite(rel_all).sum()), f"{c}_mean": wm, f"{c}_expected": wm, f"{c}_rel": mu,
             f"{c}_rel_lo": np.nan, f"{c}_rel_hi": np.nan, f"{c}_est": mu, f"{c}_lo": np.nan, f"{c}_hi": np.nan,
             f"{c}_shrink_to": sh.attrs["mu"], f"{c}_tau2": sh.attrs["tau2"]}
    return cols, world


def _share(docs: pd.DataFrame, c: str, rows: np.ndarray, codes: np.ndarray, G: int) -> tuple[dict, dict]:
    """Group columns and world values of one yes/no indicator compared as a share."""
    v_all = docs[c].to_numpy(dtype=np.float64)
    n, share, _ = _group_means(v_all[rows], codes, G)
    _, expected, _ = _group_means(docs[f"{c}_expected"].to_numpy(dtype=np.float64)[rows], codes, G)
    k = np.nan_to_num(share * n)
    lo, hi = wilson_interval(k, n)
    known = v_all[~np.isnan(v_all)]
    wl, wh = wilson_interval([known.sum()], [len(known)])
    ws = float(known.mean()) if len(known) else np.nan
    return ({f"{c}_n": n.astype(np.int64), f"{c}_share": share, f"{c}_lo": lo, f"{c}_hi": hi, f"{c}_expected": expected},
            {f"{c}_n": len(known), f"{c}_share": ws, f"{c}_lo": float(wl[0]), f"{c}_hi": float(wh[0]), f"{c}_expected": ws})


def aggregate(docs: pd.DataFrame, rows: np.ndarray, groups: np.ndarray, min_docs: int = MIN_DOCS,
              rank_by: str = "quality_index", members: bool = True) -> tuple[pd.DataFrame, dict]:
    """Profiles of the groups from the document table (:func:`document_quality`) and the
    (document row, group) pairs; returns ``(table, world)`` (see :class:`QualityProfiles`).
    ``members=False`` leaves out the ``publication_numbers`` lists (a list per group of every
    document: the landscape report shows none of them)."""
    codes, uniq = pd.factorize(pd.Series(groups, dtype=object), sort=True)
    G = len(uniq)
    rows = np.asarray(rows, dtype=np.int64)
    out: dict[str, object] = {"group": np.asarray(uniq, dtype=object), "documents": np.bincount(codes, minlength=G)}
    world: dict[str, object] = {"group": "world", "documents": len(docs)}
    han = (docs["claim_length_unit"] == "han").to_numpy() if "claim_length_unit" in docs else np.zeros(len(docs), bool)
    for c in CONTINUOUS:
        cols, w = _continuous(docs, c, rows, codes, G, han)
        out.update(cols)
        world.update(w)
    for c in SHARES:
        cols, w = _share(docs, c, rows, codes, G)
        out.update(cols)
        world.update(w)
    if members:
        out["publication_numbers"] = _members_of(docs["publication_number"], rows, codes, G)
    table = pd.DataFrame(out)
    key = table[f"{rank_by}_est"] * RANK_DIRECTION[rank_by]
    table["ranked"] = (table["documents"] >= min_docs) & key.notna()
    table["_k"] = -key.round(9)
    r = table[table["ranked"]].sort_values(["_k", "documents", "group"], ascending=[True, False, True], kind="mergesort")
    rank = pd.Series(pd.NA, index=table.index, dtype="Int64")
    rank[r.index] = r["_k"].rank(method="min").astype(np.int64).to_numpy()  # equal estimates share a rank
    table["rank"] = rank
    table = table.drop(columns="_k")
    rest = table[~table["ranked"]].sort_values(["documents", "group"], ascending=[False, True], kind="mergesort")
    table = pd.concat([table.loc[r.index], rest])
    lead = ["group", "documents", "ranked", "rank"]
    table = table[lead + [c for c in table.columns if c not in lead]].reset_index(drop=True)
    return table, world
'''


OLD_QUALITY_DOCUMENTS = r'''
def document_quality(corpus, as_of=None, field: str | None = "wipo", graph=None,
                     table: pd.DataFrame | None = None, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every document's quality indicators, raw and relative to its cohort.

    Parameters
    ----------
    corpus : Corpus
    as_of : date-like, optional
        Cut-off for the legal status (default: the latest date in the data).
    field : {"wipo", "section", None}
        Cohort field (:func:`patentnav.landscape.indicators.cohorts`).
    graph : CitationGraph, optional
        The corpus's document-level citation graph, when already built.
    table : DataFrame, optional
        :func:`patentnav.landscape.indicators.quality_table` of ``corpus`` (cohort ``field``,
        default components), when already computed.
    status : DataFrame or StatusCodes, optional
        :func:`patentnav.status.patent_status` (or :func:`~patentnav.status.status_codes`) of
        the corpus on the cut-off (``as_of``, or :func:`patentnav.quality.maintenance.data_cutoff`),
        when already made.

    Returns
    -------
    pandas.DataFrame
        Corpus order: ``publication_number``, ``cohort_year``, ``cohort_field``,
        ``claim_length_unit``, the raw indicators of :data:`CONTINUOUS` and :data:`SHARES`
        (shares as 1.0 / 0.0 / NaN), ``<indicator>_rel`` (value / cohort mean; NaN where the
        value is unknown or the cohort mean is 0) and ``<indicator>_expected`` (the cohort
        mean: the world's value in the document's filing year and field), plus the high-value criteria ``hv_sei``, ``hv_overseas_family``,
        ``hv_maintained_10y``. ``attrs["availability"]``: per indicator, what the corpus can
        and cannot give; ``attrs["as_of"]``; ``attrs["high_value"]`` (criteria shown and not).
    """
    from ..landscape.indicators import quality_table
    from ..status import _str_column
    from .high_value import high_value
    from .maintenance import maintenance

    q = quality_table(corpus, field=field, graph=graph) if table is None else table
    st = maintenance(corpus, as_of=as_of, status=status)
    hv = high_value(corpus, status=st)
    out = pd.DataFrame({"publication_number": _str_column(corpus.table["publication_number"])})
    for c in ("cohort_year", "cohort_field", "claim_length_unit"):
        out[c] = _as_built(q[c])
    for c in ("quality_index", "independent_claims", "first_claim_words", "shortest_independent_claim_words",
              "total_claims", "dependent_ratio", "grant_lag"):
        out[c] = pd.to_numeric(q[c], errors="coerce").astype("float64").to_numpy()
    out["family_breadth"] = family_breadth(corpus)
    out["pct"] = pct_route(corpus)
    out["kept_10y"] = st["kept"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    # a share of the eligible patents (granted inventions in force): null for the others
    out["high_value"] = np.where(hv["eligible"].to_numpy(dtype=bool),
                                 hv["high_value"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan), np.nan)
    for c in ("sei", "overseas_family", "maintained_10y"):
        out[f"hv_{c}"] = hv[c].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    _relative(out)
    notes = dict(q.attrs.get("availability", {}))
    notes["quality_index"] = "quality_index: " + str(q.attrs.get("note", ""))
    out.attrs.update({"as_of": st.attrs.get("as_of"), "high_value": dict(hv.attrs), "quality_index_method": q.attrs.get("method", "max"),
                      "availability": _availability(out, notes, st, hv, len(corpus))})
    return out


def _relative(df: pd.DataFrame) -> None:
    """Add ``<c>_rel`` (value / cohort mean) and ``<c>_expected`` (the cohort mean, where the
    document has a value) columns in place. Cohort keys are factorised once; each column's
    per-document means go once its columns are made (they are as large as the columns: 88 MB
    at 1M documents held to the end before, the quality step's peak)."""
    by = ["cohort_year", "cohort_field"]
    mean = _cohort_means(df, [c for c in CONTINUOUS + SHARES if c not in LENGTHS], _group_ids(df, by))
    mean.update(_cohort_means(df, list(LENGTHS), _group_ids(df, by + ["claim_length_unit"])))
    for c in CONTINUOUS:
        m = mean.pop(c)
        with np.errstate(divide="ignore", invalid="ignore"):
            df[f"{c}_rel"] = np.where(m > 0, df[c].to_numpy() / m, np.nan)
        df[f"{c}_expected"] = np.where(df[c].notna(), m, np.nan)
        del m
    for c in SHARES:
        df[f"{c}_expected"] = np.where(df[c].notna(), mean.pop(c), np.nan)
'''


OLD_QUALITY_HIGH_VALUE = r'''
def high_value(corpus, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """The CNIPA high-value criteria the data show, per document (corpus order).

    Parameters
    ----------
    corpus : Corpus
    status : DataFrame, optional
        :func:`patentnav.quality.maintenance.maintenance` of the corpus (computed if absent);
        its cut-off is the statistics date.

    Returns
    -------
    pandas.DataFrame
        ``publication_number``, ``eligible`` (a granted invention patent in force on the
        cut-off, any office), ``sei``, ``overseas_family``, ``maintained_10y``,
        ``high_value``: the shared definition's ``hv_in_scope``, ``hv_sei``,
        ``hv_overseas_family``, ``hv_maintained_10y`` and ``high_value`` unchanged (nullable
        booleans; False for documents that are not eligible). ``attrs``: ``shown``,
        ``not_shown``, ``notes`` (why not), ``eligible``.
    """
    from ..landscape.high_value import high_value_inventions
    from .maintenance import maintenance

    st = status if status is not None else maintenance(corpus)
    hv = high_value_inventions(corpus, status=st[["status", "document_type", "jurisdiction"]], as_of=st.attrs.get("as_of"),
                               scope=None)
    eligible = hv["hv_in_scope"].to_numpy(dtype=bool)
    crit = pd.DataFrame({c: hv[f"hv_{c}"].astype("boolean") for c in SHOWABLE})
    out = pd.concat([pd.DataFrame({"publication_number": hv["publication_number"].array, "eligible": eligible}), crit],
                    axis=1)
    out["high_value"] = hv["high_value"].astype("boolean").to_numpy()
    shown = [c for c in SHOWABLE if bool(crit.loc[eligible, c].notna().any())]
    not_shown = [c for c in HIGH_VALUE_CRITERIA if c not in shown]
    out.attrs.update({"shown": shown, "not_shown": not_shown, "notes": {c: _WHY[c] for c in not_shown},
                      "eligible": int(eligible.sum())})
    return out
'''


OLD_QUALITY_MAINTENANCE = r'''
def maintenance(corpus, as_of=None, years: int = 10, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """Status of every document on the data's cut-off and whether it was kept ``years`` years.

    Parameters
    ----------
    corpus : Corpus
    as_of : date-like, optional
        The cut-off (default :func:`data_cutoff`: the data cannot speak of later dates).
    years : int
        Years from filing (CNIPA: 10).
    status : DataFrame or StatusCodes, optional
        :func:`patentnav.status.patent_status` (or :func:`~patentnav.status.status_codes`) of
        the whole corpus on the same cut-off, when already made (its rows of granted and
        corrected publications are used; the status of a document depends on that document
        alone). Without it the status rules run on those rows, as codes.

    Returns
    -------
    pandas.DataFrame
        Corpus order: ``publication_number``, ``status``, ``document_type`` (as the status
        rules class it), ``jurisdiction`` (on ``as_of``; None for documents that are not
        grants: the rules run on grants only), ``status_known``
        (the status rests on legal events or the exported status text, not only on the
        rule "granted and no lapse event"), ``in_force``, ``ended``, ``granted_invention``,
        ``kept`` (bool or NA): for a granted invention patent filed at least ``years`` years
        before the cut-off and with legal events, True when it was in force on its
        ``years``-th filing anniversary (in force or expired by term on the cut-off, or
        ended by a dated event on or after that anniversary), False when a dated lapse or
        withdrawal event came before it; NA otherwise. ``attrs["as_of"]``,
        ``attrs["kept_note"]``.
    """
    from ..status import (STATUSES, StatusCodes, _add_years, _arrow_text, _str_column, _ts, status_codes,
                          status_evidence)

    cut = pd.Timestamp(as_of) if as_of is not None else data_cutoff(corpus)
    t = corpus.table
    n = len(corpus)
    if cut is None or n == 0:
        out = pd.DataFrame({"publication_number": t["publication_number"].to_numpy(), "status": None,
                            "document_type": None, "jurisdiction": None, "status_known": False, "in_force": pd.array([pd.NA] * n, dtype="boolean"),
                            "ended": pd.array([pd.NA] * n, dtype="boolean"), "granted_invention": False,
                            "kept": pd.array([pd.NA] * n, dtype="boolean")})
        out.attrs.update({"as_of": None, "kept_note": "no dates in the data"})
        return out
    # the status matters for granted invention patents only: the legal rules run on those
    # (and on corrected publications, which the rules may class as grants)
    if status is not None and len(status) != n:
        raise ValueError(f"status has {len(status):,} rows for {n:,} documents: pass patent_status of this corpus")
    cand = pc.is_in(t["document_type"], value_set=pa.array(["granted_patent", "amended"])).fill_null(False)
    is_cand = cand.to_numpy(zero_copy_only=False)
    rows = np.flatnonzero(is_cand)
    at = pa.array(np.cumsum(is_cand) - 1, mask=~is_cand)  # each document's row of the candidates (null: not one)
    if status is None or isinstance(status, StatusCodes):  # codes: no text made but these three columns
        codes, sub = (status_codes(corpus.filter(cand), as_of=cut), None) if status is None else (status, rows)
        text = {c: codes.text(c, sub).cast(pa.large_string()).take(at) for c in ("status", "document_type", "jurisdiction")}
        ended_on = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        ended_on[rows] = codes.dates("assumed", sub)
        ended_on = pd.Series(ended_on)
    else:
        sub = status.iloc[rows]
        text = {c: _arrow_text(sub[c]).take(at) for c in ("status", "document_type", "jurisdiction")}
        ended_on = pd.Series(_assumed_dates(sub["assumed_date"], rows, n), dtype="datetime64[ns]")
    code = pc.index_in(text["status"], value_set=pa.array(STATUSES)).fill_null(-1).to_numpy(zero_copy_only=False)
    has_events = pc.greater(pc.list_value_length(t["legal_events"]), 0).to_numpy(zero_copy_only=False)
    known = status_evidence(corpus)
    granted = pc.equal(text["document_type"], "granted_patent").fill_null(False).to_numpy(zero_copy_only=False)
    filing = _ts(t["filing_date"])
    anniversary = _add_years(filing, years)  # the one term arithmetic of patentnav.status
    old_enough = (anniversary <= cut).fillna(False).to_numpy()
    alive = np.isin(code, [STATUSES.index(s) for s in ("in_force", "expired")])
    stopped = np.isin(code, [STATUSES.index(s) for s in ("lapsed", "withdrawn_or_refused")])
    dated_stop = stopped & ended_on.notna().to_numpy()
    kept = np.full(n, np.nan)
    eligible = granted & old_enough & has_events
    kept[eligible & alive] = 1.0
    late = (ended_on >= anniversary).fillna(False).to_numpy()
    kept[eligible & dated_stop & late] = 1.0
    kept[eligible & dated_stop & ~late] = 0.0
    ended = np.isin(code, [STATUSES.index(s) for s in ENDED])
    out = pd.DataFrame({
        "publication_number": _str_column(t["publication_number"]),
        "status": _str_column(text["status"]),
        "document_type": _str_column(text["document_type"]),
        "jurisdiction": _str_column(text["jurisdiction"]),
        "status_known": known,
        "in_force": pd.array(np.where(known, code == STATUSES.index("in_force"), False), dtype="boolean"),
        "ended": pd.array(ended, dtype="boolean"),
        "granted_invention": granted,
        "kept": pd.array(kept, dtype="Float64").astype("boolean"),
    })
    out.loc[~known, "in_force"] = pd.NA
    k = int(out["kept"].notna().sum())
    out.attrs.update({
        "as_of": cut.date().isoformat(),
        "kept_note": (f"kept_10y (kept to year {years}): known for {k:,} of {int(granted.sum()):,} granted invention patents "
                      f"(filed by {(cut - pd.DateOffset(years=years)).date().isoformat()}, with legal events)") if k else
                     (f"kept_10y (kept to year {years}): not available, no legal events for granted invention patents filed "
                      f"{years} or more years before the cut-off {cut.date().isoformat()}"),
    })
    return out
'''


OLD_LANDSCAPE_HIGH_VALUE = r'''
def high_value_inventions(corpus, status: pd.DataFrame | None = None, as_of=None, scope: str | None = "CN") -> pd.DataFrame:
    """Which documents meet CNIPA's statistical definition of a high-value invention patent.

    Parameters
    ----------
    corpus : Corpus
    status : pandas.DataFrame, optional
        :func:`patentnav.status.patent_status` of the same corpus on ``as_of``
        (computed when not given).
    as_of : date-like, optional
        The statistics date (default: today).
    scope : {"CN", None}
        ``"CN"``: only CN invention patents in force can qualify (the statistic);
        ``None``: invention patents in force of any office.

    Returns
    -------
    pandas.DataFrame
        One row per document (corpus order): ``publication_number``, ``hv_in_scope`` (a
        granted invention patent in force, of the scope's office), ``hv_invention``, one
        nullable boolean column per criterion (``hv_sei``, ``hv_overseas_family``,
        ``hv_maintained_10y``, ``hv_pledge_high``, ``hv_award``), ``high_value`` (nullable
        boolean, a lower bound; see above) and ``hv_criteria`` (the criteria met,
        comma-joined). ``attrs``: ``definition``, ``scope``, ``as_of``,
        ``unknown_criteria``, ``note``.

    Examples
    --------
    >>> import patentnav
    >>> from patentnav.landscape.high_value import high_value_inventions
    >>> hv = high_value_inventions(patentnav.datasets.drones(), as_of="2018-01-01")
    >>> int(hv["high_value"].sum())  # the sample has no CN documents
    0
    """
    from ..classify.sei import has_sei_field
    from ..status import _add_years, _as_of, _str_column, _ts, patent_status, status_evidence

    if scope not in ("CN", None):
        raise ValueError(f"scope must be 'CN' or None, not {scope!r}")
    asof = _as_of(as_of)
    if status is None:
        status = patent_status(corpus, as_of=asof)
    t = corpus.table
    n = t.num_rows
    in_force = status["status"].isin(["in_force"]).to_numpy(dtype=bool)  # on the text columns as they are (Arrow)
    granted_invention = status["document_type"].isin(["granted_patent"]).to_numpy(dtype=bool)
    invention = status["document_type"].isin(_INVENTION_TYPES).to_numpy(dtype=bool)
    cn = status["jurisdiction"].isin(["CN"]).to_numpy(dtype=bool)
    in_scope = in_force & granted_invention & (cn if scope == "CN" else np.ones(n, bool))

    sei = has_sei_field(t["ipc"])
    has_ipc = pc.list_value_length(t["ipc"].combine_chunks()).fill_null(0).to_numpy(zero_copy_only=False) > 0
    hv_sei = pd.array(sei, dtype="boolean")
    hv_sei[~has_ipc] = pd.NA
    filing = _ts(t["filing_date"])
    ten = _add_years(filing, 10)
    maint = pd.array((in_force & (ten < asof).fillna(False).to_numpy()), dtype="boolean")
    maint[filing.isna().to_numpy() | ~status_evidence(corpus)] = pd.NA  # the evidence rule
    overseas = _overseas(corpus)
    unknown = pd.arrays.BooleanArray(np.zeros(n, dtype=bool), np.ones(n, dtype=bool))  # all NA

    out = pd.DataFrame({
        "publication_number": _str_column(t["publication_number"]),
        "hv_in_scope": in_scope,
        "hv_invention": invention,
        "hv_sei": hv_sei,
        "hv_overseas_family": overseas,
        "hv_maintained_10y": maint,
        "hv_pledge_high": unknown,
        "hv_award": unknown.copy(),
    })
    testable = np.zeros(n, dtype=bool)
    which = np.zeros(n, dtype=np.int64)  # the criteria met, one bit each
    shown = ("sei", "overseas_family", "maintained_10y")
    for bit, c in enumerate(shown):
        which |= out[f"hv_{c}"].fillna(False).to_numpy(dtype=bool).astype(np.int64) << bit
        testable |= out[f"hv_{c}"].notna().to_numpy()
    met = which > 0
    value = pd.array(in_scope & met, dtype="boolean")
    value[in_scope & ~met & ~testable] = pd.NA  # nothing could be tested: unknown, not "no"
    out["high_value"] = value
    joined = [",".join(c for bit, c in enumerate(shown) if k >> bit & 1) for k in range(1 << len(shown))]
    out["hv_criteria"] = _str_column(pa.array(joined, pa.large_string()).take(np.where(in_scope, which, 0)))
    out.attrs.update({
        "definition": "CNIPA statistical definition (2021): a valid invention patent in a strategic emerging industry, "
                      "or with a family member abroad, or maintained over 10 years, or pledged for a high amount, or "
                      "awarded a State Science and Technology Award / China Patent Award",
        "scope": scope,
        "as_of": str(asof.date()),
        "unknown_criteria": list(UNKNOWN_CRITERIA),
        "note": "high_value is a lower bound: pledge amounts and awards are in no export; "
                f"{int((~overseas.isna()).sum()):,} of {n:,} documents have family data for the overseas criterion; "
                f"{int((~maint.isna()).sum()):,} have a status resting on legal events or status text for the "
                "maintained-over-10-years criterion",
    })
    return out
'''


OLD_LANDSCAPE_INDICATORS = r'''
def _first_field(ipc, field: str) -> tuple[np.ndarray, np.ndarray]:
    """Distinct field names and, per row of the ``ipc`` lists, the code (index into the
    names) of the field of its first IPC code that has one (-1: none)."""
    if field == "wipo":
        from ..classify.wipo import wipo_field

        def fn(c):
            w = wipo_field(c) if c else None
            return None if w is None else w.field_en
    else:
        def fn(c):
            return c[0] if c else None
    lists = ipc.combine_chunks() if isinstance(ipc, pa.ChunkedArray) else ipc
    n = len(lists)
    enc = pc.dictionary_encode(pc.list_flatten(lists).cast(pa.string()))
    per_code, names = pd.factorize(np.array([fn(c) for c in enc.dictionary.to_pylist()], dtype=object))
    f = np.append(per_code, -1)[pc.fill_null(enc.indices, -1).to_numpy()]  # a null code has no field
    ok = f >= 0
    p = pc.list_parent_indices(lists).to_numpy()[ok]  # ascending: a row's first code starts its run
    code = np.full(n, -1, dtype=np.int64)
    if len(p):
        first = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
        code[p[first]] = f[ok][first]
    return np.asarray(names, dtype=object), code


def _quality_indicators(corpus, window: int, field: str | None, graph: CitationGraph | None, level: str,
                        diversity: Sequence[str] = ("generality", "originality"),
                        keep: set | None = None) -> pd.DataFrame:
    """:func:`quality_indicators`; with ``keep``, the columns not in it are dropped as soon as
    their notes and availability are known (the same attrs, the other columns in the same
    order); of generality and originality only those in ``diversity``
    are computed (the other's columns are left out; its note and availability come from
    its ``N``, which needs no matrix product)."""
    n = len(corpus)
    t = corpus.table
    if graph is None:
        graph = citation_graph(corpus)
    if graph.level != "document" or graph.n != n:
        raise ValueError("graph must be the document-level citation graph of this corpus")
    fwd_col = f"forward_citations_{window}y"
    # the cohorts first: their IPC temporaries come and go before the citation matrix products
    year, fld, size = _cohort_columns(corpus, field)
    idx = _publication_index(t["publication_number"])
    out = pd.DataFrame(index=idx)
    notes: dict[str, str] = {}
    # kept by the graph when the report has let the column go (CitationGraph.forget_references)
    has_refs = graph.listing if graph.listing is not None else listing_documents(t["cited_publications"])
    n_citing_docs = int(has_refs.sum())
    no_refs = f"no backward citations in this corpus (0 of {n:,} documents have cited_publications)"

    # forward citations in the window (in-corpus) and the source's count
    fw = _window_counts(corpus, window, graph, "publication_date")  # windowed_forward_citations without its frame
    out[fwd_col] = fw.forward_window.to_numpy()
    out["forward_window_complete"] = fw.complete
    if not graph.has_citation_data:
        notes[fwd_col] = (f"{fwd_col}: no citation data in this corpus (0 of {n:,} documents have "
                          "cited_publications), so in-corpus forward citations cannot be observed")
    else:
        k = _valid_count(pa.array(out[fwd_col].to_numpy(), from_pandas=True))
        incomplete = int((~pd.Series(fw.complete).fillna(False).to_numpy(dtype=bool)).sum())
        notes[fwd_col] = (f"{fwd_col}: {len(graph.src):,} in-corpus citation arcs from the {n_citing_docs:,} of {n:,} "
                          f"documents that list cited_publications; counted for {k:,} documents (dated); "
                          f"window not complete for {incomplete:,} documents (published less than {window} years "
                          "before the latest publication in the corpus); citations from outside the corpus are "
                          "not seen")
    src_fc = t["forward_citations"]
    out["forward_citations_source"] = src_fc.to_pandas().astype("Int64").to_numpy()
    k = _valid_count(src_fc)
    notes["forward_citations_source"] = (
        f"forward_citations_source (source count, all years, worldwide): given for {_COUNT.format(k=k, n=n)}"
        if k else f"forward_citations_source: not given by the source (0 of {n:,} documents have forward_citations)")

    # backward citations: unknown (null) for documents whose source file lists no citation at all
    back = pd.array(graph.n_references, dtype="Int64")
    sf = pc.dictionary_encode(pc.fill_null(t["source_file"], "").combine_chunks()).indices.to_numpy()
    file_has = (np.bincount(sf, weights=has_refs, minlength=1) > 0)[sf]
    back[~file_has] = pd.NA
    out["backward_citations"] = back
    if n_citing_docs == 0:
        notes["backward_citations"] = f"backward_citations: {no_refs}"
    else:
        unknown = int((~file_has).sum())
        notes["backward_citations"] = (
            f"backward_citations: {_COUNT.format(k=n_citing_docs, n=n)} have cited_publications"
            + (f"; null for {unknown:,} documents from source files that list no citations" if unknown else
               "; an empty list counts 0"))

    # family size, claims
    fs = t["family_size"]
    out["family_size"] = fs.to_pandas().astype("Int64").to_numpy()
    k = _valid_count(fs)
    notes["family_size"] = (f"family_size: given for {_COUNT.format(k=k, n=n)} (simple family members, as the "
                            "source counts them)" if k else
                            f"family_size: not given by the source (0 of {n:,} documents have family_size)")
    cc = t["claims_count"]
    out["claims"] = cc.to_pandas().astype("Int64").to_numpy()
    k = _valid_count(cc)
    notes["claims"] = (f"claims: given for {_COUNT.format(k=k, n=n)}" if k else
                       f"claims: no claims in this corpus (0 of {n:,} documents have claims_count)")

    # IPC-based: scope, generality, originality
    inc = code_incidence(corpus, "ipc", level)
    x = inc.matrix
    n_classes = np.asarray(x.sum(axis=1)).ravel().astype(np.int64)
    scope = pd.array(n_classes, dtype="Int64")
    scope[n_classes == 0] = pd.NA
    out["patent_scope"] = scope
    k = int((n_classes > 0).sum())
    notes["patent_scope"] = (f"patent_scope: IPC codes for {_COUNT.format(k=k, n=n)}; null where none is given" if k
                             else f"patent_scope: no IPC codes in this corpus (0 of {n:,} documents have ipc)")

    # graph.matrix: 1 per arc (int8 for unique arcs, converted to float block by block in the products)
    a = graph._csr(np.int8 if _strictly_increasing(graph.src, graph.dst) else np.float64)
    frac = _fractional_classes(x)
    skipped = {}  # an index not computed: whether it would be defined for any document (N >= 2)
    for name, linked in (("generality", "citing"), ("originality", "cited")):
        if name in diversity:
            cor, unc, nn = _diversity(a if name == "generality" else a.T.tocsr(), *frac)
            out[name] = cor
            out[f"{name}_uncorrected"] = unc
            out[f"{name}_n"] = pd.array(nn, dtype="Int64")
        else:  # N only, for the note
            nn = (_linked_counts(a, frac[1]) if name == "generality" else _linked_counts_t(a, frac[1])).astype(np.int64)
            skipped[name] = bool(graph.has_citation_data and (nn >= 2).any())
        if not graph.has_citation_data:
            for c in (name, f"{name}_uncorrected", f"{name}_n"):
                if name in diversity:
                    out[c] = pd.NA if c.endswith("_n") else np.nan
            notes[name] = f"{name}: {no_refs}"
        else:
            k2 = int((nn >= 2).sum())
            notes[name] = (f"{name}: bias-corrected value defined for {_COUNT.format(k=k2, n=n)} (>= 2 in-corpus "
                           f"{linked} documents with IPC codes; {len(graph.src):,} in-corpus arcs"
                           + (f", {int(graph.n_external.sum()):,} references leave the corpus and carry no "
                              "classification" if name == "originality" else "") + ")")
    del a, frac  # the citation matrix and the class shares: not needed below
    for name in diversity:
        out[f"{name}_n"] = out[f"{name}_n"].astype("Int64")
    early = {}  # availability of the indicators dropped here (not kept)
    for c in [c for c in out.columns if keep is not None and c not in keep]:
        if c in (fwd_col,) + INDICATORS[1:] and c not in skipped:
            early[c] = bool(pd.notna(out[c]).any())
        del out[c]

    # grant lag
    g = pc.days_between(t["filing_date"], t["grant_date"]).to_pandas().astype("float64")
    neg = int((g < 0).sum())
    g[g < 0] = np.nan
    out["grant_lag"] = (g / 365.25).to_numpy()
    k = int(g.notna().sum())
    notes["grant_lag"] = ((f"grant_lag: filing and grant dates for {_COUNT.format(k=k, n=n)}"
                           + (f"; {neg:,} negative lags (grant before filing) set to null" if neg else ""))
                          if k else f"grant_lag: no document has both grant_date and filing_date (0 of {n:,})")

    out["cohort_year"] = year.to_numpy()
    out["cohort_field"] = fld
    out["cohort_size"] = size

    available = {c: skipped[c] if c in skipped else early[c] if c in early else bool(pd.notna(out[c]).any())
                 for c in (fwd_col,) + INDICATORS[1:]}
    out.attrs["availability"] = notes
    out.attrs["available"] = available
    out.attrs["window"] = window
    out.attrs["graph"] = graph.summary
    return out


def normalise_by_cohort(indicators: pd.DataFrame, columns: Sequence[str] | None = None, method: str = "max",
                        by: Sequence[str] = ("cohort_year", "cohort_field")) -> pd.DataFrame:
    """Indicators normalised within cohorts: columns ``<name>_norm``.

    ``method="max"`` (the OECD convention, Squicciarini et al. 2013): value / cohort
    maximum, in [0, 1]; grant lag is reversed, ``1 - lag / cohort maximum``, so that a
    shorter lag scores higher. A cohort whose maximum is 0 gives 0.

    ``method="mean"`` (Hall, Jaffe & Trajtenberg 2001, "fixed-effects" rescaling; the
    mean-normalised citation score of bibliometrics, Waltman et al. 2011): value / cohort
    mean, so 1 is the cohort average and the scale is not capped (a family three times the
    cohort's average scores 3). A cohort whose mean is 0 (every value 0) gives 1 (each
    equals the average). Grant lag is reversed as ``cohort mean / lag`` (null for a lag of 0).

    Nulls stay null and do not enter the cohort statistic. Cohorts are the ``by`` columns
    (null values form their own cohort).
    """
    if method not in ("max", "mean"):
        raise ValueError(f"method must be 'max' or 'mean', not {method!r}")
    if columns is None:
        columns = _normalised_columns(indicators)
    values = pd.DataFrame({c: pd.to_numeric(indicators[c], errors="coerce").astype("float64") for c in columns},
                          index=indicators.index)
    if by:  # the cohort statistic of every column in one grouped pass over integer cohort codes
        cohort = _cohort_codes(indicators, by)
        stats = getattr(values.groupby(cohort), method)().to_numpy()[cohort]
    else:
        stats = np.array([[getattr(values[c], method)() for c in values.columns]])
    col = {c: j for j, c in enumerate(values.columns)}
    out = pd.DataFrame(index=indicators.index)
    empty = 0.0 if method == "max" else 1.0  # cohort statistic 0: every value is 0
    for c in columns:
        stat, vv = np.broadcast_to(stats[:, col[c]], len(values)), values[c].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(stat > 0, vv / stat, np.where(np.isnan(vv), np.nan, empty))
        if c == "grant_lag":
            with np.errstate(divide="ignore", invalid="ignore"):
                r = 1.0 - r if method == "max" else np.where(r > 0, 1.0 / r, np.nan)
        out[f"{c}_norm"] = r
    out.attrs.update(indicators.attrs)
    return out


def _quality_table(corpus, components, window, field, method, graph, columns=None) -> pd.DataFrame:
    comps = _default_components(window, components)
    wanted = None if columns is None else set(columns)

    def normalised(c: str) -> bool:  # kept normalised, or a component of the composite
        return wanted is None or c in comps or f"{c}_norm" in wanted

    diversity = tuple(d for d in ("generality", "originality") if normalised(d)
                      or {d, f"{d}_uncorrected", f"{d}_n"} & wanted)
    # the raw columns the table keeps, normalises or forms its cohorts with
    keep = None if wanted is None else (wanted | set(comps) | {"cohort_year", "cohort_field"}
                                        | {c[:-len("_norm")] for c in wanted if c.endswith("_norm")})
    raw = _quality_indicators(corpus, window, field, graph, "subclass", diversity, keep)
    norm = normalise_by_cohort(raw, columns=[c for c in _normalised_columns(raw) if normalised(c)], method=method)
    comp = composite_index(norm, comps)
    parts = [raw, norm, comp] if wanted is None else [p[[c for c in p.columns if c in wanted]] for p in (raw, norm, comp)]
    out = pd.concat(parts, axis=1)
    out.attrs.update(comp.attrs)
    out.attrs["method"] = method
    del raw, norm, comp, parts  # the columns not kept go before the claim indicators are made
    return _with_claim_indicators(out, corpus, wanted)


def _with_claim_indicators(table: pd.DataFrame, corpus, wanted: set | None = None) -> pd.DataFrame:
    """``table`` (corpus order) with the claim-based indicators of :mod:`.claims` joined
    (those in ``wanted``, when given)."""
    from .claims import _claim_indicators

    ci = _claim_indicators(corpus, numbers=False)  # joined by corpus order: no publication numbers
    out = table.assign(**{c: ci[c].to_numpy() for c in ci.columns if c != "publication_number" and c not in table.columns
                          and (wanted is None or c in wanted)})
    out.attrs.update(table.attrs)
    out.attrs["availability"] = {**table.attrs.get("availability", {}), **ci.attrs["availability"]}
    return out
'''


OLD_REPORT_QUALITY_SECTION = r'''
def _profiles(ctx: LandscapeContext, min_docs: int) -> _Profiles:
    from ..model.shared import row_index
    from ..quality import aggregate, group_members
    from ..quality.profiles import _assign_rows

    corpus, region, docs = ctx.corpus, ctx.region, ctx.document_quality
    arows = _assign_rows(corpus, row_index(corpus), ctx.assignment)  # for both groupings
    rows, groups, _ = group_members(corpus, "region", region=region, firms=ctx.firms, assign=ctx.assignment,
                                    assign_rows=arows)
    regions, world = aggregate(docs, rows, groups, min_docs=min_docs, members=False)  # the report lists no members
    rrow = regions[regions["group"] == region]
    rrow = rrow.iloc[0] if len(rrow) else None
    if rrow is not None:
        rows, groups, _ = group_members(corpus, "applicant", region=region, firms=ctx.firms, assign=ctx.assignment,
                                        mapping=getattr(corpus, "applicant_mapping", None), assign_rows=arows)
    else:  # the region has no documents: no local applicants (the paragraphs say so)
        rows, groups = np.zeros(0, np.int64), np.zeros(0, object)
    apps, apps_world = aggregate(docs, rows, groups, min_docs=min_docs, members=False)
    available = [c for c in WORLD_INDICATORS if docs[c].notna().any()]
    return _Profiles(len(docs), dict(docs.attrs), rrow, world, apps, apps_world, available, min_docs)


def _applicant_table(apps: pd.DataFrame, available: list, region: str, lang: str, min_docs: int,
                     placement: dict | None = None) -> dict:
    """The region's applicants ranked by quality, each with the evidence that places it in the region
    (an applicant placed only by where it first filed is not called local: issue 12)."""
    from ..geo import LOCATION_SOURCES
    from .regional import evidence_label

    placement = placement or {}
    inds = [c for c in ("independent_claims", "first_claim_words", "family_breadth", "grant_lag") if c in available]
    shares = [c for c in ("high_value",) if c in available]
    count_rank = _count_ranks(apps)
    show = pd.concat([apps[apps["ranked"]].head(_TOP), apps[~apps["ranked"]].head(5)])
    cols = [("rank", L("c.rank", lang)), ("applicant", L("c.applicant", lang)), ("evidence", L("c.evidence", lang)),
            ("documents", L("c.q.documents", lang)),
            ("count_rank", L("c.q.count_rank", lang)), ("quality_index", L("q.i.quality_index", lang)),
            ("lo", L("c.q.lo", lang)), ("hi", L("c.q.hi", lang))]
    cols += [(c, L(f"q.i.{c}", lang)) for c in inds] + [(c, L(f"q.i.{c}", lang)) for c in shares]
    rows = []
    for _, r in show.iterrows():
        rows.append([int(r["rank"]) if r["ranked"] else None, str(r["group"]),
                     evidence_label(placement[r["group"]], region, lang) if r["group"] in placement else None,
                     int(r["documents"]),
                     int(count_rank[r["group"]]), rnd(r["quality_index_est"]), rnd(r["quality_index_lo"]),
                     rnd(r["quality_index_hi"])]
                    + [rnd(r[f"{c}_est"]) if r[f"{c}_n"] else None for c in inds]
                    + [rnd(r[f"{c}_share"]) if r[f"{c}_n"] else None for c in shares])
    note = L("t.q.applicants.note", lang, min=min_docs) if rows else L("empty_note", lang)
    proxied = sum(1 for g in show["group"] if g in placement and placement[g] not in LOCATION_SOURCES)
    if proxied:
        note += " " + L("t.q.applicants.proxy", lang, n=proxied, shown=len(show), region=region)
    return _table("quality_applicants", L("t.q.applicants", lang, region=region), cols, rows, note)


def _scatter(apps: pd.DataFrame, world: dict, lang: str) -> dict:
    """The chart's points: the ranked applicants first, then the largest of the others."""
    pick = pd.concat([apps[apps["ranked"]].head(_CHART_POINTS // 2),
                      apps.sort_values(["documents", "group"], ascending=[False, True]).head(_CHART_POINTS)])
    pick = pick[~pick.index.duplicated()].head(_CHART_POINTS)
    pick = pick[pick["quality_index_n"] > 0].sort_values(["group"], kind="mergesort")
    points = [{"label": str(r["group"]), "documents": int(r["documents"]), "estimate": rnd(r["quality_index_est"]),
               "lo": rnd(r["quality_index_lo"]), "hi": rnd(r["quality_index_hi"]), "ranked": bool(r["ranked"]),
               "rank": int(r["rank"]) if r["ranked"] else None} for _, r in pick.iterrows()]
    return {"points": points, "world": rnd(world.get("quality_index_est")), "x_label": L("ch.q.x", lang), "y_label": L("ch.q.y", lang),
            "ranked_label": L("q.ranked", lang), "listed_label": L("q.listed", lang)}
'''


def _former(module, source: str, **names) -> dict:
    """The former definitions in ``source``, run in a copy of ``module``'s namespace (with
    ``names``: what the module imported then and imports no more)."""
    ns = {**vars(module), **names}
    exec(compile(source, f"<former {module.__name__}>", "exec"), ns)
    return ns


OLD_P = _former(P, OLD_QUALITY_PROFILES, shrink_means=shrink_means)
OLD_D = _former(D, OLD_QUALITY_DOCUMENTS)
OLD_QHV = _former(QHV, OLD_QUALITY_HIGH_VALUE)
OLD_M = _former(M, OLD_QUALITY_MAINTENANCE)
OLD_LHV = _former(LHV, OLD_LANDSCAPE_HIGH_VALUE)
OLD_I = _former(I, OLD_LANDSCAPE_INDICATORS)
OLD_Q = _former(Q, OLD_REPORT_QUALITY_SECTION)


# ------------------------------------------------------------------ inputs

def assert_same_frame(a: pd.DataFrame, b: pd.DataFrame, attrs: bool = True) -> None:
    """Same columns, dtypes, index, values bit for bit (nulls in the same places) and attrs."""
    assert list(a.columns) == list(b.columns)
    assert [str(t) for t in a.dtypes] == [str(t) for t in b.dtypes]
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    if attrs:
        assert repr(a.attrs) == repr(b.attrs)


def _with_column(c, name: str, values) -> patentnav.Corpus:
    t = c.table
    return patentnav.Corpus(t.set_column(t.column_names.index(name), name, values))


@pytest.fixture(scope="module")
def corpora() -> dict:
    from synthetic import synthetic_corpus

    d = patentnav.datasets.drones()
    t = d.table
    rng = np.random.default_rng(16)
    refs = t["cited_publications"].type
    return {
        "drones": d,
        "drones_sample": patentnav.Corpus(t.take(pa.array(np.sort(rng.choice(len(d), 700, replace=False))))),
        "synthetic": synthetic_corpus(1500, seed=3, claims=True),
        "one": patentnav.Corpus(t.slice(17, 1)),
        "empty": patentnav.Corpus(t.slice(0, 0)),
        "repeated_numbers": patentnav.Corpus(pa.concat_tables([t.slice(0, 60), t.slice(0, 60)])),
        "no_citations": _with_column(patentnav.Corpus(t.slice(0, 400)), "cited_publications",
                                     pa.array([[]] * 400, refs)),
        "no_ipc": _with_column(patentnav.Corpus(t.slice(100, 300)), "ipc", pa.nulls(300, t["ipc"].type)),
    }


def _outcome(fn, *args, **kwargs):
    """The result, or the exception's type and message."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - the same failure before and after
        return ("raises", type(e).__name__, str(e))


NAMES = ["drones", "drones_sample", "synthetic", "one", "empty", "repeated_numbers", "no_citations", "no_ipc"]


# ------------------------------------------------------------------ landscape.indicators

WEIRD_IPC = pa.array([["H04N19/43", "h04n 19/44", "H04N19", "H04N", "", None, "H04N0019430000", "G06F3/01", "Y02E10/50",
                       "ZZZ", "A61K31/00", "A61K 31/00 (2006.01)", "B64C39/024", "B64C2201/12", "H10K50/00"],
                      [], None, ["B64C39/024"], [None], ["H04N", "G06F3/01"], ["ZZZ", "G06F3/01"]], pa.list_(pa.string()))


@pytest.mark.parametrize("field", ["wipo", "section"])
@pytest.mark.parametrize("name", NAMES + ["weird", "weird_one", "weird_empty"])
def test_first_field_as_before(corpora, name, field):
    ipc = {"weird": WEIRD_IPC, "weird_one": WEIRD_IPC.slice(0, 1), "weird_empty": WEIRD_IPC.slice(1, 1)}.get(name)
    if ipc is None:
        ipc = corpora[name].table["ipc"]
    names, code = I._first_field(ipc, field)
    old_names, old_code = OLD_I["_first_field"](ipc, field)
    assert names.tolist() == old_names.tolist()
    np.testing.assert_array_equal(code, old_code)


TABLE_ARGS = [dict(columns=I.REPORT_COLUMNS), dict(), dict(method="max"), dict(field="section"),
              dict(field=None, columns=("claims", "quality_index", "cohort_field")),
              dict(components=("forward_citations_5y", "family_size", "backward_citations", "grant_lag"), window=3)]


@pytest.mark.parametrize("i", range(len(TABLE_ARGS)))
@pytest.mark.parametrize("name", NAMES)
def test_quality_table_as_before(corpora, name, i):
    c, kw = corpora[name], TABLE_ARGS[i]
    g = citation_graph(c)
    args = (c, kw.get("components"), kw.get("window", 5), kw.get("field", "wipo"), kw.get("method", "mean"), g,
            kw.get("columns"))
    new, old = _outcome(I._quality_table, *args), _outcome(OLD_I["_quality_table"], *args)
    if isinstance(old, tuple):
        assert new == old
    else:
        assert_same_frame(new, old)


@pytest.mark.parametrize("name", NAMES)
def test_quality_indicators_and_normalisation_as_before(corpora, name):
    c = corpora[name]
    g = citation_graph(c)
    for args in (("wipo", ("generality", "originality"), None), ("section", ("generality",), {"claims", "cohort_year"}),
                 (None, (), {"family_size", "cohort_year", "cohort_field"})):
        new = I._quality_indicators(c, 5, args[0], g, "subclass", args[1], args[2])
        old = OLD_I["_quality_indicators"](c, 5, args[0], g, "subclass", args[1], args[2])
        assert_same_frame(new, old)
        for kw in (dict(), dict(method="mean"), dict(by=()), dict(columns=[]), dict(method="mean", by=("cohort_year",))):
            assert_same_frame(I.normalise_by_cohort(new, **kw), OLD_I["normalise_by_cohort"](old, **kw))


def test_claim_indicators_joined_as_before(corpora):
    c = corpora["synthetic"]
    table = I.quality_indicators(c)
    for wanted in (None, set(), {"total_claims", "claim_length_unit"}):
        assert_same_frame(I._with_claim_indicators(table, c, wanted), OLD_I["_with_claim_indicators"](table, c, wanted))


# ------------------------------------------------------------------ high value, maintenance, document quality

@pytest.mark.parametrize("name", NAMES)
def test_maintenance_as_before(corpora, name):
    c = corpora[name]
    for as_of in (None, "2015-06-30"):
        cut = pd.Timestamp(as_of) if as_of else M.data_cutoff(c)
        for st in (None, status_codes(c, as_of=cut) if cut is not None else None,
                   patent_status(c, as_of=cut) if cut is not None else None):
            assert_same_frame(M.maintenance(c, as_of=as_of, status=st), OLD_M["maintenance"](c, as_of=as_of, status=st))


@pytest.mark.parametrize("name", NAMES)
def test_high_value_as_before(corpora, name):
    c = corpora[name]
    st = M.maintenance(c)
    assert_same_frame(QHV.high_value(c, status=st), OLD_QHV["high_value"](c, status=st))
    for scope in ("CN", None):
        for as_of in ("2018-01-01", "2030-06-30"):
            s = patent_status(c, as_of=as_of)
            assert_same_frame(LHV.high_value_inventions(c, status=s, as_of=as_of, scope=scope),
                              OLD_LHV["high_value_inventions"](c, status=s, as_of=as_of, scope=scope))
    cn = _with_column(c, "jurisdiction", pa.array(["CN"] * len(c), pa.string()))  # documents in CNIPA's scope
    assert_same_frame(LHV.high_value_inventions(cn, as_of="2024-01-01"),
                      OLD_LHV["high_value_inventions"](cn, as_of="2024-01-01"))


@pytest.mark.parametrize("name", NAMES)
def test_document_quality_as_before(corpora, name):
    c = corpora[name]
    q = I.quality_table(c)
    new = _outcome(D.document_quality, c, table=q)
    old = _outcome(OLD_D["document_quality"], c, table=q)
    if isinstance(old, tuple):
        assert new == old
        return
    assert_same_frame(new, old)
    cut = M.data_cutoff(c)
    st = status_codes(c, as_of=cut)
    assert_same_frame(D.document_quality(c, table=q, status=st), OLD_D["document_quality"](c, table=q, status=st))
    assert_same_frame(D.document_quality(c, field="section"), OLD_D["document_quality"](c, field="section"))


# _relative_columns against the former _relative: tests/test_mem2_lane.py::test_relative_same_as_before


# ------------------------------------------------------------------ profiles

@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("n_groups", [0, 1, 2, 7, 300])
def test_shrink_arrays_are_shrink_means(seed, n_groups):
    rng = np.random.default_rng(seed)
    k = int(rng.integers(0, 2000))
    values = rng.normal(1.0, 0.5, k)
    values[rng.random(k) < 0.1] = np.nan
    groups = rng.integers(0, max(n_groups, 1), k) if n_groups else np.zeros(0, np.int64)
    values = values[:len(groups)]
    frame = shrink_means(values, groups, n_groups)
    cols, attrs = shrink_arrays(values, groups, n_groups)
    assert_same_frame(pd.DataFrame(cols), frame, attrs=False)
    assert repr(attrs) == repr(frame.attrs)


@pytest.fixture(scope="module")
def documents(corpora) -> dict:
    return {name: D.document_quality(corpora[name]) for name in ("drones", "synthetic", "one")}


def _groups(rng, n: int, k: int, pairs: int):
    names = np.array([f"g{i:03d}" for i in range(k)] + ["Ähnlich", "zeta", "Zeta", "中文"], dtype=object)
    rows = rng.integers(0, n, pairs) if n else np.zeros(0, np.int64)
    groups = names[rng.integers(0, len(names), len(rows))]
    key = pd.Index(list(zip(rows, groups)))
    keep = ~key.duplicated()
    return rows[keep], groups[keep]


@pytest.mark.parametrize("seed", range(2))
@pytest.mark.parametrize("name", ["drones", "synthetic", "one"])
def test_aggregate_as_before(documents, name, seed):
    docs = documents[name]
    rng = np.random.default_rng(seed)
    for k, pairs in ((3, 50), (40, 3000), (200, 8000), (1, 1), (5, 0)):
        rows, groups = _groups(rng, len(docs), k, pairs)
        for min_docs in (1, 5, 10_000):
            for rank_by, members in (("quality_index", True), ("first_claim_words", False), ("grant_lag", False)):
                if True:
                    new, new_world = P.aggregate(docs, rows, groups, min_docs=min_docs, rank_by=rank_by, members=members)
                    old, old_world = OLD_P["aggregate"](docs, rows, groups, min_docs=min_docs, rank_by=rank_by, members=members)
                    assert_same_frame(new, old)
                    assert repr(new_world) == repr(old_world)


def test_aggregate_ranks_ties_as_before():
    """Equal estimates share a place; ties are broken by documents, then names."""
    n = 60
    docs = pd.DataFrame({"claim_length_unit": ["words"] * n})
    for c in D.CONTINUOUS:
        docs[c] = docs[f"{c}_rel"] = docs[f"{c}_expected"] = np.ones(n)
    for c in D.SHARES:
        docs[c] = docs[f"{c}_expected"] = np.where(np.arange(n) % 3, 1.0, np.nan)
    docs.attrs["note"] = {"a": list(range(10))}
    rows = np.arange(n)
    groups = np.array(["b", "a", "c", "d", "e", "f"] * 10, dtype=object)
    for min_docs in (1, 10, 11):
        new, _ = P.aggregate(docs, rows[:-3], groups[:-3], min_docs=min_docs, members=False)
        old, _ = OLD_P["aggregate"](docs, rows[:-3], groups[:-3], min_docs=min_docs, members=False)
        assert_same_frame(new, old)


# ------------------------------------------------------------------ quality section

@pytest.fixture(scope="module")
def profiles(corpora):
    ctx = LandscapeContext(corpus=corpora["drones"], region="US", lang="en")
    ctx.release_memory = False
    return ctx, Q._profiles(ctx, 5)


def test_profiles_as_before(profiles):
    ctx, p = profiles
    for min_docs in (1, 5, 50):
        new, old = Q._profiles(ctx, min_docs), OLD_Q["_profiles"](ctx, min_docs)
        assert new.documents == old.documents and new.available == old.available and new.min_docs == old.min_docs
        assert repr(new.attrs) == repr(old.attrs) and repr(new.world) == repr(old.world)
        assert repr(new.apps_world) == repr(old.apps_world)
        assert_same_frame(new.apps, old.apps)
        pd.testing.assert_series_equal(new.region, old.region)


def _apps_cases(apps: pd.DataFrame) -> list[pd.DataFrame]:
    ranked = apps["ranked"].to_numpy(dtype=bool)
    return [apps, apps.head(0), apps.head(1), apps[~ranked], apps[ranked], apps.iloc[::-1], apps.iloc[[2, 0, 1]]]


def test_applicant_table_and_scatter_as_before(profiles):
    ctx, p = profiles
    placement = dict(zip(p.apps["group"].head(8), ["address", "priority", "firms", "jurisdiction"] * 2))
    for apps in _apps_cases(p.apps):
        apps = apps.reset_index(drop=True)
        for lang in ("en", "zh"):
            assert Q._scatter(apps, p.world, lang) == OLD_Q["_scatter"](apps, p.world, lang)
            for available in (p.available, [], ["high_value", "grant_lag"]):
                for place in (placement, None):
                    new = Q._applicant_table(apps, available, "US", lang, 5, place)
                    old = OLD_Q["_applicant_table"](apps, available, "US", lang, 5, place)
                    assert json.dumps(new, default=str) == json.dumps(old, default=str)


@pytest.mark.parametrize("region", ["CN", "US", "ZZ"])
def test_quality_section_as_before(corpora, region):
    """The whole section, with the former helpers in the former section function."""
    c = corpora["drones_sample"]
    ns = _former(Q, OLD_REPORT_QUALITY_SECTION + "\n\n" + QUALITY_SECTION_SOURCE)
    for lang in ("en", "zh"):
        new = Q.build_quality_section(c, region, lang=lang, min_docs=2)
        old = ns["build_quality_section"](c, region, lang=lang, min_docs=2)
        assert json.dumps(new, default=str, sort_keys=True) == json.dumps(old, default=str, sort_keys=True)


def _source(fn) -> str:
    import inspect

    return inspect.getsource(fn)


QUALITY_SECTION_SOURCE = _source(Q.quality_section) + "\n\n" + _source(Q.build_quality_section)
