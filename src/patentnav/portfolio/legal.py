"""Transactions and encumbrances from legal events: pledges, licences, transfers, challenges.

The EPO INPADOC legal-event code table (shipped, 2024 week 17) puts pledges and licences in one
event class (``S``: "information on licensing and similar transactions") and transfers with
name changes in another (``R``: "party data change"), so the kind of an event is read from the
description of its code (and from the event's own description in the data, which US
assignment records fill with "SECURITY AGREEMENT", "ASSIGNMENT OF ASSIGNORS INTEREST" ...).
Rules, first that applies (upper-cased text):

* ``pledge_release``: class ``S`` (or no class) and PLEDGE/MORTGAGE/LIEN/CHARGE/SECURITY/SECURED PARTY with
  CANCEL/TERMINAT/DISCHARGE/RELEASE/LIFTING/DELET/RADIATION (CN ``PC01``, FR ``RG``, NL ``PLEX``);
* ``pledge``: PLEDGE/MORTGAGE/LIEN/CHARGES/SECURITY (AGREEMENT|INTEREST) (CN ``PE01``, FR
  ``GC``, AU ``GM``; a change of a pledge, CN ``PM01``, keeps it active);
* ``licence_end``: LICEN[CS] with CANCEL/TERMINAT/DELET/WITHDRAW (CN ``EC01``, DE ``R089``);
* ``licence_offer``: WILLINGNESS/INTENTION/INTEREST ... LICEN (open licence declarations,
  CN ``OL01``, DE ``R084``);
* ``licence``: LICEN[CS] (CN ``EE01``, ``LIC``, EP ``111L``, DE ``R088``);
* ``transfer``: TRANSFER/ASSIGNMENT/SUCCESSION of the right (CN ``TR01``, ``TA01``, ``C41``,
  US ``AS``, EP ``33``), not a name or address change;
* ``invalidation``: INVALIDAT or REVOK with influence ``-`` (CN ``IW01``, ``IP01``, EP ``27W``);
* ``challenge``: class ``L`` (IP right review request: oppositions, re-examinations, IPR).

An active pledge is a pledge event not followed (on or before ``as_of``) by a release of the
same document: CN ``PE01`` without a later ``PC01``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

__all__ = ["EVENT_KINDS", "classify_transactions", "legal_profile"]

EVENT_KINDS = ("pledge", "pledge_release", "licence", "licence_end", "licence_offer", "transfer", "invalidation",
               "challenge")

_PLEDGE = r"PLEDGE|MORTGAGE|\bLIEN\b|\bCHARGES?\b.*REGISTER|SECURITY (?:AGREEMENT|INTEREST)|SECURED PARTY|PAWN"
_END = r"CANCEL|TERMINAT|DISCHARGE|RELEASE|LIFTING|DELET|RADIATION|WITHDRAW"
_LICENCE = r"LICEN[CS]"
_OFFER = r"WILLINGNESS|INTENTION|INTEREST IN GRANTING|LICENSING INTEREST|AVAILABLE FOR LICEN"
_TRANSFER = r"TRANSFER|ASSIGNMENT|ASSIGNOR|SUCCESSION|CHANGE OF OWNER"
_INVALID = r"INVALIDAT|REVOK|REVOCATION"


def classify_transactions(authority, codes, descriptions=None) -> pd.DataFrame:
    """Kind of each legal event (one of :data:`EVENT_KINDS` or null), vectorised.

    Parameters
    ----------
    authority : str or array-like of str
        Office of the document carrying the event.
    codes : array-like of str
        INPADOC event codes.
    descriptions : array-like of str, optional
        The events' own descriptions in the data (used together with the code table's).

    Returns
    -------
    pandas.DataFrame
        ``kind``, ``event_class``, ``influence``, ``text`` (the description used), aligned
        with ``codes``.
    """
    from ..status import classify_events

    cls = classify_events(authority, codes)
    own = pd.Series([None] * len(cls) if descriptions is None else list(descriptions), dtype=object)
    text = (own.fillna("").astype(str) + " | " + cls["description"].fillna("").astype(str)).str.upper()
    ec = cls["event_class"].fillna("")
    s_or_none = ec.isin(["S", "", "R"])
    is_pledge = text.str.contains(_PLEDGE, regex=True) & s_or_none
    is_end = text.str.contains(_END, regex=True)
    is_lic = text.str.contains(_LICENCE, regex=True) & ec.isin(["S", ""])
    is_offer = is_lic & text.str.contains(_OFFER, regex=True)
    name_change = text.str.contains(r"CHANGE (?:IN|OF) (?:THE )?(?:NAME|ADDRESS|TITLE)", regex=True)
    is_transfer = text.str.contains(_TRANSFER, regex=True) & ec.isin(["R", ""]) & ~name_change & ~is_pledge
    is_invalid = text.str.contains(_INVALID, regex=True) & (cls["influence"] == "-")
    is_challenge = ec == "L"
    kind = np.select(
        [is_pledge & is_end, is_pledge, is_lic & is_end & ~is_offer, is_offer, is_lic, is_transfer, is_invalid,
         is_challenge],
        ["pledge_release", "pledge", "licence_end", "licence_offer", "licence", "transfer", "invalidation", "challenge"],
        None).astype(object)
    return pd.DataFrame({"kind": kind, "event_class": cls["event_class"].to_numpy(),
                         "influence": cls["influence"].to_numpy(), "text": text.to_numpy()})


def legal_profile(corpus, as_of=None) -> pd.DataFrame:
    """Per document: transaction counts, an active pledge, challenges (corpus order).

    Returns
    -------
    pandas.DataFrame
        ``events`` (legal events on or before ``as_of``), ``pledges``, ``active_pledge``
        (bool), ``licences``, ``active_licence`` (bool), ``licence_offer`` (bool),
        ``transfers``, ``invalidations``, ``challenges``, ``transactions`` (pledges +
        licences + transfers). ``attrs["with_events"]``: documents carrying any event;
        ``attrs["note"]``.
    """
    from ..status import _as_of

    asof = _as_of(as_of)
    t = corpus.table
    n = t.num_rows
    col = t["legal_events"].combine_chunks()
    flat = pc.list_flatten(col)
    out = pd.DataFrame({"events": np.zeros(n, dtype=np.int64)})
    for k in ("pledges", "licences", "transfers", "invalidations", "challenges"):
        out[k] = 0
    for k in ("active_pledge", "active_licence", "licence_offer"):
        out[k] = False
    out.attrs["with_events"] = 0
    if len(flat) == 0:
        out["transactions"] = 0
        out.attrs["note"] = "no legal events in this corpus: pledges, licences, transfers and challenges cannot be seen"
        return out
    parent = pc.list_parent_indices(col).to_numpy()
    dates = pd.to_datetime(flat.field("date").to_pandas(date_as_object=False))
    juris = np.asarray(t["jurisdiction"].to_pylist(), dtype=object)[parent]
    k = classify_transactions(juris, flat.field("code").to_pandas(), flat.field("description").to_pandas())
    ev = pd.DataFrame({"doc": parent, "date": dates.to_numpy(), "kind": k["kind"].to_numpy()})
    ev = ev[ev["date"].isna() | (ev["date"] <= asof)]
    out["events"] = np.bincount(ev["doc"], minlength=n)
    out.attrs["with_events"] = int((out["events"] > 0).sum())
    counts = {"pledges": "pledge", "licences": "licence", "transfers": "transfer", "invalidations": "invalidation",
              "challenges": "challenge"}
    for colname, kind in counts.items():
        out[colname] = np.bincount(ev.loc[ev["kind"] == kind, "doc"], minlength=n)
    out["licence_offer"] = np.bincount(ev.loc[ev["kind"] == "licence_offer", "doc"], minlength=n) > 0
    out["active_pledge"] = _active(ev, "pledge", "pledge_release", n)
    out["active_licence"] = _active(ev, "licence", "licence_end", n)
    out["transactions"] = out["pledges"] + out["licences"] + out["transfers"]
    out.attrs["note"] = (f"legal events for {out.attrs['with_events']:,} of {n:,} documents; documents without events "
                         "show no transaction, which is unknown, not none, when their source lists no events")
    return out


def _active(ev: pd.DataFrame, start: str, end: str, n: int) -> np.ndarray:
    """Documents whose last ``start`` event is not followed by an ``end`` event (undated last)."""
    key = ev["date"].fillna(pd.Timestamp.min)
    last_start = key[ev["kind"] == start].groupby(ev.loc[ev["kind"] == start, "doc"]).max()
    last_end = key[ev["kind"] == end].groupby(ev.loc[ev["kind"] == end, "doc"]).max()
    active = last_start.index[~(last_end.reindex(last_start.index) >= last_start).fillna(False).to_numpy(dtype=bool)]
    out = np.zeros(n, dtype=bool)
    out[active.to_numpy(dtype=np.int64)] = True
    return out
