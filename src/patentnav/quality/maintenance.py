"""Maintenance: was a granted invention patent kept in force to its 10th year?

Renewal fees rise with age, so a patent kept alive for years is one its owner values
(Pakes & Schankerman 1984; Schankerman & Pakes 1986). CNIPA counts "maintained for more
than 10 years" among the criteria of a high-value invention patent. The legal status comes
from :func:`patentnav.status.patent_status` (INPADOC events, the statutory term,
the exported status text); the rules below only say when that status tells whether the
patent lived to year 10. Definitions: ``docs/methods.md``, section 13.

References
----------
Pakes, A. & Schankerman, M. (1984). The rate of obsolescence of patents, research gestation
lags, and the private rate of return to research resources. In Griliches, Z. (ed.), *R&D,
Patents, and Productivity*, University of Chicago Press, 73-88.

Schankerman, M. & Pakes, A. (1986). Estimates of the value of patent rights in European
countries during the post-1950 period. *The Economic Journal* 96(384), 1052-1076.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["data_cutoff", "maintenance", "ENDED"]

#: Statuses that mean the right has ended (or never came to be).
ENDED = ("lapsed", "expired", "withdrawn_or_refused")


def data_cutoff(corpus) -> pd.Timestamp | None:
    """The latest date the data speak of: publication dates and legal-event dates."""
    t = corpus.table
    dates = [pc.max(t["publication_date"]).as_py()]
    ev = pc.list_flatten(t["legal_events"])
    if len(ev):
        dates.append(pc.max(pc.struct_field(ev, "date")).as_py())
    dates = [d for d in dates if d is not None]
    return pd.Timestamp(max(dates)) if dates else None


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
        "in_force": pd.arrays.BooleanArray(np.where(known, code == STATUSES.index("in_force"), False), ~known),  # NA: not known
        "ended": pd.array(ended, dtype="boolean"),
        "granted_invention": granted,
        "kept": pd.array(kept, dtype="Float64").astype("boolean"),
    })
    k = int(out["kept"].notna().sum())
    out.attrs.update({
        "as_of": cut.date().isoformat(),
        "kept_note": (f"kept_10y (kept to year {years}): known for {k:,} of {int(granted.sum()):,} granted invention patents "
                      f"(filed by {(cut - pd.DateOffset(years=years)).date().isoformat()}, with legal events)") if k else
                     (f"kept_10y (kept to year {years}): not available, no legal events for granted invention patents filed "
                      f"{years} or more years before the cut-off {cut.date().isoformat()}"),
    })
    return out


def _assumed_dates(dates: pd.Series, rows: np.ndarray, n: int) -> np.ndarray:
    """``datetime64[ns]`` of the status's ``assumed_date`` (``datetime.date`` or None) at ``rows``,
    NaT elsewhere."""
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    try:  # dates as patent_status makes them: one Arrow conversion
        d = pa.array(dates.to_numpy(dtype=object), pa.date32(), from_pandas=True).to_numpy(zero_copy_only=False)
    except (pa.ArrowTypeError, pa.ArrowInvalid):  # a status read back from a file: text, unreadable values NaT
        d = pd.to_datetime(pd.Series(dates.to_numpy(dtype=object)), errors="coerce").to_numpy("datetime64[ns]")
    out[rows] = d.astype("datetime64[ns]")
    return out
