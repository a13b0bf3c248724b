"""Legal status, term and market coverage of patent documents (专利预警: 法律状态与地域覆盖).

Every rule, with its legal source, is documented in ``docs/warning-status.md``.

* :func:`legal_event_table` / :func:`classify_events` - the EPO INPADOC legal-event code
  table shipped in ``patentnav/data`` and a vectorised lookup of event class and influence.
* :func:`patent_status` - one row per document: ``status``, ``reason``, ``assumed_date``,
  ``expiry_date``, ``years_left``; :func:`status_codes` - the same rules as codes, without the
  texts (:class:`StatusCodes`, what the landscape report keeps).
* :func:`market_coverage` - one row per (document, target market): does the document
  threaten that market, by which route, until when.

Everything is columnar (pandas / numpy / Arrow); there is no Python loop over documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = [
    "STATUSES",
    "LEGAL_STATUS_MAP",
    "LEGAL_STATUS_KEYWORDS",
    "PCT_NATIONAL_PHASE_MONTHS",
    "EPC_STATES",
    "legal_event_table",
    "classify_events",
    "map_legal_status",
    "expiry_dates",
    "patent_status",
    "status_codes",
    "StatusCodes",
    "status_evidence",
    "STATUS_REASONS",
    "market_coverage",
]

STATUSES = ("in_force", "pending", "expired", "lapsed", "withdrawn_or_refused", "unknown")

#: Exact (upper-cased, stripped) legal-status texts -> status. ``None`` = no information.
LEGAL_STATUS_MAP: dict[str, str | None] = {
    # Lens.org "Legal Status"
    "ACTIVE": "in_force",
    "PATENTED": "in_force",
    "GRANTED": "in_force",
    "IN FORCE": "in_force",
    "PENDING": "pending",
    "EXPIRED": "expired",
    "DISCONTINUED": "lapsed",  # refined below: applications -> withdrawn_or_refused
    "INACTIVE": "lapsed",  # idem
    "CEASED": "lapsed",
    "LAPSED": "lapsed",
    "REVOKED": "lapsed",
    "WITHDRAWN": "withdrawn_or_refused",
    "REFUSED": "withdrawn_or_refused",
    "REJECTED": "withdrawn_or_refused",
    "ABANDONED": "withdrawn_or_refused",
    "UNKNOWN": None,
    # Chinese (CNIPA / incoPat / PatSnap exports)
    "有权": "in_force",
    "授权": "in_force",
    "审中": "pending",
    "公开": "pending",
    "实质审查": "pending",
    "实审": "pending",
    "失效": "lapsed",
    "无效": "lapsed",
    "期限届满": "expired",
    "届满": "expired",
    "未缴年费": "lapsed",
    "撤回": "withdrawn_or_refused",
    "视为撤回": "withdrawn_or_refused",
    "驳回": "withdrawn_or_refused",
    "放弃": "withdrawn_or_refused",
    "未知": None,
}

#: Substring rules for composite texts (e.g. ``失效-期限届满``, ``审中-实审``), tried in order.
LEGAL_STATUS_KEYWORDS: tuple[tuple[str, str], ...] = (
    ("期限届满", "expired"),
    ("届满", "expired"),
    ("撤回", "withdrawn_or_refused"),
    ("驳回", "withdrawn_or_refused"),
    ("放弃", "withdrawn_or_refused"),
    ("未缴年费", "lapsed"),
    ("无效", "lapsed"),
    ("失效", "lapsed"),
    ("有权", "in_force"),
    ("授权", "in_force"),
    ("审中", "pending"),
    ("实审", "pending"),
    ("实质审查", "pending"),
    ("EXPIRED", "expired"),
    ("WITHDRAWN", "withdrawn_or_refused"),
    ("REFUSED", "withdrawn_or_refused"),
    ("ABANDONED", "withdrawn_or_refused"),
    ("LAPSED", "lapsed"),
    ("REVOKED", "lapsed"),
    ("ACTIVE", "in_force"),
    ("PENDING", "pending"),
)

#: Months from the earliest priority date for entering the national/regional phase of a
#: PCT application (PCT Art. 22(1)/(3) and 39(1)(b); WIPO PCT Applicant's Guide, national
#: chapters). The plain time limit, without late-entry grace periods (e.g. CN Rule 128
#: +2 months with surcharge, CA 42 months with fee).
PCT_NATIONAL_PHASE_MONTHS: dict[str, int] = {
    "US": 30, "CN": 30, "JP": 30, "DE": 30, "CA": 30, "BR": 30, "MX": 30, "SG": 30,
    "IL": 30, "ZA": 31, "KR": 31, "EP": 31, "AU": 31, "IN": 31, "RU": 31, "GB": 31,
    "NZ": 31, "EA": 31, "CH": 30, "SE": 31, "FI": 31, "IE": 31, "ES": 30, "TR": 30,
}
#: Default when a market is not in the table.
PCT_DEFAULT_MONTHS = 30

#: The 39 contracting states of the European Patent Convention (EPO, status 2024).
EPC_STATES: tuple[str, ...] = (
    "AL", "AT", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB",
    "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU", "LV", "MC", "ME", "MK", "MT",
    "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "TR",
)
#: Months after the mention of grant for validating a European patent nationally
#: (typical national time limit, e.g. DE IntPatÜG, FR Art. L614-7 CPI; Art. 65 EPC).
EP_VALIDATION_MONTHS = 3

#: US design patents filed on/after this date have a 15-year term (PLTIA 2012, s. 102).
US_DESIGN_15Y_FROM = pd.Timestamp("2015-05-13")
#: US utility patents filed before this date: max(17y from grant, 20y from filing).
US_URAA_DATE = pd.Timestamp("1995-06-08")
#: CN designs filed on/after this date: 15 years (Patent Law 2020 amendment), else 10.
CN_DESIGN_15Y_FROM = pd.Timestamp("2021-06-01")
#: Utility models: years from filing, by office.
UTILITY_MODEL_YEARS = {"CN": 10, "DE": 10, "JP": 10, "KR": 10}
#: Document types that are (or publish) an examined, enforceable right.
_GRANT_TYPES = ("granted_patent", "utility_model", "design", "plant_patent", "limited_patent")

# event outcomes taken from the INPADOC table
_EV_WITHDRAW, _EV_LAPSE, _EV_REVIVE = 1, 2, 3


# --------------------------------------------------------------------------------------
# INPADOC legal-event codes
# --------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _event_table() -> pd.DataFrame:
    f = resources.files("patentnav.data").joinpath("inpadoc_legal_event_codes_2024w17.csv.gz")
    with f.open("rb") as fh:
        raw = pd.read_csv(fh, dtype=str, keep_default_na=False, compression="gzip")
    df = pd.DataFrame({
        "authority": raw["Authority"].str.strip(),
        "code": raw["Event-code"].str.strip(),
        "influence": raw["Influence"].str.strip(),
        "description": raw["Description ENG"].str.strip(),
        "event_class": raw["Event-class"].str.strip(),
        "event_class_description": raw["Event-class Description"].str.strip(),
    })
    # events that concern one state only (EP national post-grant events "GB: ...", PG25)
    df["partial"] = df["description"].str.contains(
        r"^[A-Z]{2}: |CONTRACTING STATE|VALIDATION STATE|DESIGNATED STATE", regex=True)
    return df.drop_duplicates(["authority", "code"]).reset_index(drop=True)


def legal_event_table() -> pd.DataFrame:
    """The EPO INPADOC legal-event code table (2024 week 17), codes stripped.

    Columns: ``authority, code, influence ('+', '-' or ''), description, event_class,
    event_class_description, partial`` (``partial``: the event concerns a single
    contracting/validation state, e.g. EP ``PG25``). A copy of a cached frame.
    """
    return _event_table().copy()


def classify_events(authority, codes) -> pd.DataFrame:
    """Vectorised lookup of INPADOC event class and influence.

    Parameters
    ----------
    authority : str or array-like of str
        Publishing authority (``EP``, ``US`` ...), one for all codes or aligned with them.
    codes : array-like of str
        Event codes (surrounding spaces ignored).

    Returns
    -------
    pandas.DataFrame
        Aligned with ``codes``: ``authority, code, event_class, influence, description,
        partial``; unknown codes give nulls (``partial`` False).
    """
    codes = pd.Series(list(codes) if not isinstance(codes, pd.Series) else codes.tolist(),
                      dtype=object).astype("string").str.strip()
    if isinstance(authority, str) or authority is None:
        auth = pd.Series([authority] * len(codes), dtype="string")
    else:
        auth = pd.Series(list(authority), dtype="string")
    auth = auth.str.strip().str.upper()
    t = _event_table()
    key = pd.MultiIndex.from_arrays([t["authority"], t["code"]])
    pos = key.get_indexer(pd.MultiIndex.from_arrays([auth.fillna(""), codes.fillna("")]))
    ok = pos >= 0
    take = np.where(ok, pos, 0)
    out = pd.DataFrame({"authority": auth.to_numpy(), "code": codes.to_numpy()})
    for col in ("event_class", "influence", "description"):
        v = t[col].to_numpy()[take].astype(object)
        v[~ok] = None
        out[col] = v
    out["partial"] = np.where(ok, t["partial"].to_numpy()[take], False)
    return out


# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------
def _ts(col: pa.ChunkedArray) -> pd.Series:
    """Arrow date column -> datetime64[ns] Series (NaT for null)."""
    return pd.Series(pd.to_datetime(col.to_pandas(date_as_object=False)), dtype="datetime64[ns]")


def _str(col: pa.ChunkedArray) -> pd.Series:
    return pd.Series(col.to_pandas(), dtype="string")


def _as_of(as_of) -> pd.Timestamp:
    return pd.Timestamp(dt.date.today() if as_of is None else as_of).normalize()


def _ymd(v: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month and day of ``datetime64`` values (no NaT), in integer arithmetic on the days
    since 1970-01-01 (proleptic Gregorian calendar; Hinnant's ``civil_from_days``)."""
    z = v.astype("datetime64[D]").astype(np.int64) + 719468  # days since 0000-03-01
    era = z // 146097
    doe = z - era * 146097  # day of the 400-year era
    yoe = (doe - doe // 1460 + doe // 36524 - doe // 146096) // 365
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)  # day of the year starting 1 March
    mp = (5 * doy + 2) // 153
    m = np.where(mp < 10, mp + 3, mp - 9)
    return yoe + era * 400 + (m <= 2), m, doy - (153 * mp + 2) // 5 + 1


_NS_PER_DAY = 86_400 * 10**9


def _from_ymd(y: np.ndarray, m: np.ndarray, d: np.ndarray) -> np.ndarray | None:
    """``datetime64[ns]`` of valid year, month, day arrays (Hinnant's ``days_from_civil``); None
    when a year leaves the nanosecond range (1678-2261), which the caller hands to pandas to
    raise its error."""
    if len(y) and (y.min() < 1678 or y.max() > 2261):
        return None
    y = y - (m <= 2)
    era = y // 400
    yoe = y - era * 400
    doy = (153 * ((m + 9) % 12) + 2) // 5 + d - 1
    days = era * 146097 + yoe * 365 + yoe // 4 - yoe // 100 + doy - 719468
    return (days * _NS_PER_DAY).view("datetime64[ns]")


def _month_days(y: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Days in month ``m`` of year ``y`` (Gregorian leap years)."""
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    return np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[m - 1] + ((m == 2) & leap)


def _add_years(d: pd.Series, years) -> pd.Series:
    """``d`` + whole years, vectorised: :func:`_add_months` by 12 months a year, so 29 Feb falls
    to 28 Feb in common years."""
    return _add_months(d, np.asarray(years, dtype=float) * 12)


def _add_months(d: pd.Series, months) -> pd.Series:
    """``d`` + whole months, vectorised; the day is clipped to the month's end."""
    months = pd.Series(np.broadcast_to(np.asarray(months, dtype=float), (len(d),)), index=d.index)
    ok = d.notna() & months.notna()
    out = pd.Series(pd.NaT, index=d.index, dtype="datetime64[ns]")
    if ok.any():
        okn = ok.to_numpy()
        y0, m0, d0 = _ymd(d.to_numpy(dtype="datetime64[ns]")[okn])
        total = y0 * 12 + (m0 - 1) + months.to_numpy()[okn].astype(int)
        y, m = total // 12, total % 12 + 1
        res = None
        if not len(y) or (y.min() >= 1678 and (total + 1).max() // 12 <= 2261):  # the month after too, as pandas
            res = _from_ymd(y, m, np.minimum(d0, _month_days(y, m)))
        if res is None:  # out of range: pandas says why
            first = pd.to_datetime(pd.DataFrame({"year": y, "month": m, "day": 1}))
            res = (first + pd.to_timedelta(np.minimum(d0, (first + pd.offsets.MonthEnd(0)).dt.day) - 1, unit="D")).to_numpy()
        out[ok] = res
    return out


def map_legal_status(text, document_type=None) -> pd.Series:
    """Map legal-status texts to :data:`STATUSES` (null where no information).

    Exact matches in :data:`LEGAL_STATUS_MAP` first, then the substring rules of
    :data:`LEGAL_STATUS_KEYWORDS`. Lens ``DISCONTINUED``/``INACTIVE`` on an application
    becomes ``withdrawn_or_refused``; a Chinese ``失效`` on an application likewise.
    The rules run over the distinct texts (an export has a handful).
    """
    s = (text if isinstance(text, pd.Series) else pd.Series(np.asarray(text, dtype=object))).astype("string").reset_index(drop=True)
    codes, distinct = pd.factorize(s)
    mapped = np.asarray(_map_distinct_status(pd.Series(distinct, dtype="string")), dtype=object)
    out = pd.Series(np.where(codes >= 0, mapped[np.maximum(codes, 0)] if len(mapped) else None, None), dtype=object)
    out = out.where(pd.notna(out), None)
    if document_type is not None:
        dtp = document_type if isinstance(document_type, pd.Series) else pd.Series(np.asarray(document_type, dtype=object))
        app = dtp.reset_index(drop=True).isin(["application", "search_report"]).to_numpy()
        out[(out == "lapsed").to_numpy() & app] = "withdrawn_or_refused"
    return out


def _map_distinct_status(s: pd.Series) -> pd.Series:
    """:func:`map_legal_status` of texts without the document-type rule (NaN: no information)."""
    norm = s.str.strip().str.upper()
    out = norm.astype(object).map(LEGAL_STATUS_MAP).astype(object)  # dict lookup, unmatched -> NaN
    known = norm.isin(list(LEGAL_STATUS_MAP)).fillna(False).to_numpy()
    todo = (~known) & norm.notna().to_numpy() & (norm.str.len() > 0).fillna(False).to_numpy()
    for kw, st in LEGAL_STATUS_KEYWORDS:  # loop over keywords, not documents
        hit = todo & norm.str.contains(kw, regex=False).fillna(False).to_numpy()
        out[hit] = st
        todo &= ~hit
    return out


# --------------------------------------------------------------------------------------
# term
# --------------------------------------------------------------------------------------
def _frame(corpus, numbers: bool = True) -> pd.DataFrame:
    """The columns the term and status rules read, document classes (``doc_class``) and the
    effective grant date (``grant_eff``); ``numbers=False`` leaves out the publication numbers."""
    t = corpus.table
    df = pd.DataFrame({
        **({"publication_number": _str(t["publication_number"])} if numbers else {}),
        "jurisdiction": _str(t["jurisdiction"]).str.upper(),
        "kind": _str(t["kind"]).str.upper(),
        "document_type": _str(t["document_type"]),
        "filing_date": _ts(t["filing_date"]),
        "publication_date": _ts(t["publication_date"]),
        "grant_date": _ts(t["grant_date"]),
        "earliest_priority_date": _ts(t["earliest_priority_date"]),
        "legal_status": _str(t["legal_status"]),
    })
    dtp = df["document_type"].fillna("other")
    kind = df["kind"].fillna("")
    # corrected publications: B*/C* kinds correct a grant, others an application
    amended = dtp == "amended"
    dtp = dtp.mask(amended & kind.str.match(r"^[BC]"), "granted_patent")
    dtp = dtp.mask(amended & ~kind.str.match(r"^[BC]"), "application")
    # kind-code safety net: CN U/Y utility models, US S designs
    dtp = dtp.mask((df["jurisdiction"] == "CN") & kind.isin(["U", "Y"]), "utility_model")
    dtp = dtp.mask((df["jurisdiction"] == "US") & kind.str.match(r"^S"), "design")
    df["doc_class"] = dtp
    # a granted document without grant_date: its publication date is the grant
    granted = dtp.isin(_GRANT_TYPES)
    df["grant_eff"] = df["grant_date"].where(df["grant_date"].notna() | ~granted, df["publication_date"])
    return df


def expiry_dates(corpus) -> pd.DataFrame:
    """Statutory expiry date of every document, with the rule applied.

    Returns a frame with ``publication_number, expiry_date, term_rule``. Term adjustments
    and extensions (US PTA/PTE, SPCs, CN 专利权期限补偿) are not applied: the corpus
    carries no data on them.
    """
    df = _frame(corpus)
    return _expiry(df)[["publication_number", "expiry_date", "term_rule"]]


#: The term rules of :func:`_expiry`: (``term_rule_code``, ``term_rule``), in the order they are applied.
_TERM_RULES: tuple[tuple[str, str], ...] = (
    ("filing_20", "20 years from filing"),
    ("us_pre1995", "US pre-1995-06-08 filing: max(17y from grant, 20y from filing)"),
    ("us_design_15", "US design: 15 years from grant"),
    ("us_design_14", "US design filed before 2015-05-13: 14 years from grant"),
    ("cn_design_15", "CN design: 15 years from filing"),
    ("cn_design_10", "CN design filed before 2021-06-01: 10 years from filing"),
    *((f"utility_model:{cc}:{yrs}", f"{cc} utility model: {yrs} years from filing") for cc, yrs in UTILITY_MODEL_YEARS.items()),
    ("au_innovation", "AU innovation patent: 8 years from filing"),
)
_RULE_KEYS = [k for k, _ in _TERM_RULES]
_RULE_TEXTS = [t for _, t in _TERM_RULES]


def _expiry(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` (a frame of :func:`_frame`, its columns added in place: no copy) with ``expiry_date``,
    ``term_rule``, ``term_rule_code`` and ``term_rule_id`` (the rule's position in
    :data:`_TERM_RULES`; ``len(_TERM_RULES)``: no rule)."""
    n = len(df)
    j, c = df["jurisdiction"], df["doc_class"]
    filing, grant = df["filing_date"], df["grant_eff"]
    exp = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    rule = np.full(n, len(_TERM_RULES), dtype=np.int16)

    def put(mask, value, key):
        """``value(m)``: the expiry of the rows of boolean array ``m`` (computed for them only)."""
        m = np.asarray(mask.fillna(False) if hasattr(mask, "fillna") else mask, dtype=bool)
        if not m.any():
            return
        exp[m] = value(m).to_numpy(dtype="datetime64[ns]")  # the rows of m, in order
        rule[m] = _RULE_KEYS.index(key)

    def years_from(dates: pd.Series, years: int):
        return lambda m: _add_years(dates[m], years)

    patent = c.isin(["granted_patent", "application", "search_report", "plant_patent"])
    put(patent, years_from(filing, 20), "filing_20")
    # US, filed before 8 June 1995 and granted: the longer of 17y from grant / 20y from filing
    old_us = patent & (j == "US") & (filing < US_URAA_DATE) & grant.notna()

    def longer(m):
        g17, f20 = _add_years(grant[m], 17), _add_years(filing[m], 20)
        return g17.where(g17 > f20, f20)

    put(old_us, longer, "us_pre1995")
    # US designs: 15y from grant (filed >= 2015-05-13), 14y before
    usd = (c == "design") & (j == "US")
    put(usd & (filing >= US_DESIGN_15Y_FROM), years_from(grant, 15), "us_design_15")
    put(usd & (filing < US_DESIGN_15Y_FROM), years_from(grant, 14), "us_design_14")
    cnd = (c == "design") & (j == "CN")
    put(cnd & (filing >= CN_DESIGN_15Y_FROM), years_from(filing, 15), "cn_design_15")
    put(cnd & (filing < CN_DESIGN_15Y_FROM), years_from(filing, 10), "cn_design_10")
    for cc, yrs in UTILITY_MODEL_YEARS.items():
        put((c == "utility_model") & (j == cc), years_from(filing, yrs), f"utility_model:{cc}:{yrs}")
    put((c == "limited_patent") & (j == "AU"), years_from(filing, 8), "au_innovation")
    # no filing date: no expiry
    df["expiry_date"] = pd.Series(exp, index=df.index)
    df["term_rule"] = pd.Series(np.array(_RULE_TEXTS + [None], dtype=object)[rule], index=df.index, dtype=object)
    df["term_rule_code"] = pd.Series(np.array(_RULE_KEYS + [None], dtype=object)[rule], index=df.index, dtype=object)
    df["term_rule_id"] = rule
    return df


# --------------------------------------------------------------------------------------
# legal events
# --------------------------------------------------------------------------------------
def _event_outcomes(corpus, jurisdiction: pd.Series, as_of: pd.Timestamp) -> pd.DataFrame:
    """Per document: the last dated withdrawal / lapse / revival event on or before as_of."""
    col = corpus.table["legal_events"].combine_chunks()
    flat = pc.list_flatten(col)
    empty = pd.DataFrame({"doc": pd.Series(dtype=int), "outcome": pd.Series(dtype=int),
                          "ev_date": pd.Series(dtype="datetime64[ns]"), "ev_text": pd.Series(dtype=object)})
    if len(flat) == 0:
        return empty
    parent = pc.list_parent_indices(col).to_numpy()
    ev = pd.DataFrame({
        "doc": parent,
        "ev_date": pd.to_datetime(flat.field("date").to_pandas(date_as_object=False)).to_numpy(),
        "code": flat.field("code").to_pandas().to_numpy(),
        "desc": flat.field("description").to_pandas().to_numpy(),
    })
    cls = classify_events(jurisdiction.to_numpy()[parent], ev["code"])
    ev["event_class"], ev["influence"], ev["partial"] = cls["event_class"].to_numpy(), cls["influence"].to_numpy(), cls["partial"].to_numpy()
    outcome = np.select(
        [(ev["event_class"] == "B") & (ev["influence"] == "-"),
         (ev["event_class"] == "H") & (ev["influence"] == "-") & ~ev["partial"].astype(bool),
         ev["event_class"].isin(["C", "K"]) & (ev["influence"] == "+")],
        [_EV_WITHDRAW, _EV_LAPSE, _EV_REVIVE], 0)
    ev["outcome"] = outcome
    ev = ev[(ev["outcome"] > 0) & ev["ev_date"].notna() & (ev["ev_date"] <= as_of)]
    if ev.empty:
        return empty
    ev["ev_text"] = (ev["code"].astype(str) + " " + ev["desc"].fillna(cls["description"].reindex(ev.index)).fillna("").astype(str)
                     + " (INPADOC class " + ev["event_class"].astype(str) + ")")
    ev = ev.sort_values(["doc", "ev_date"], kind="stable").groupby("doc", sort=False).tail(1)
    return ev[["doc", "outcome", "ev_date", "ev_text"]]


# --------------------------------------------------------------------------------------
# status
# --------------------------------------------------------------------------------------
#: Codes of the status reasons (``reason_code`` of :func:`patent_status`), in rule order.
STATUS_REASONS = ("not_yet_filed", "legal_event", "term_ended", "legal_status", "granted", "granted_after_as_of", "pct_ended",
                  "pct_open", "application", "application_undated", "sir", "no_rule")


def _fmt(d: pd.Series) -> pd.Series:
    return pd.Series(_dates_text(d.to_numpy(dtype="datetime64[ns]")), index=d.index, dtype=object)


def _dates_text(v: np.ndarray) -> np.ndarray:
    """``YYYY-MM-DD`` of ``datetime64[ns]`` values (object array; ``?`` for NaT). Within the
    nanosecond range every year has four digits, as ``strftime("%Y-%m-%d")`` writes it."""
    out = np.datetime_as_string(v.astype("datetime64[D]"), unit="D").astype(object)
    out[np.isnat(v)] = "?"
    return out


def _dates_arrow(v: np.ndarray) -> pa.Array:
    """:func:`_dates_text` as an Arrow array, each distinct day formatted once."""
    codes, days = pd.factorize(np.asarray(v, dtype="datetime64[ns]").view(np.int64))
    return pa.array(_dates_text(days.view("datetime64[ns]")), pa.large_string()).take(codes)


def _date_objects(v: np.ndarray) -> np.ndarray:
    """``datetime.date`` objects of ``datetime64[ns]`` values (None for NaT): one object per
    distinct day, shared by the documents of that day."""
    codes, days = pd.factorize(np.asarray(v, dtype="datetime64[ns]").astype("datetime64[D]").view(np.int64))
    d = days.view("datetime64[D]")
    objects = pa.array(d, pa.date32(), mask=np.isnat(d)).to_pandas(date_as_object=True).to_numpy(dtype=object)
    return objects[codes]


def _str_column(arr) -> pd.api.extensions.ExtensionArray | np.ndarray:
    """A text column, as pandas builds it from Python strings (``str``, NaN for null; an object
    array of None when every value is null), made from an Arrow array without Python strings."""
    if arr.null_count == len(arr):
        return np.full(len(arr), None, dtype=object)
    return arr.to_pandas().array


def _arrow_text(s: pd.Series) -> pa.Array:
    """A text column as one Arrow ``large_string`` array (null for a missing value); an
    Arrow-backed column without a Python string."""
    arr = pa.array(s.array) if isinstance(s.array, pd.arrays.ArrowStringArray) else \
        pa.array(s.to_numpy(dtype=object), from_pandas=True)
    return (arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr).cast(pa.large_string())


class _Rules:
    """The status rules of :func:`patent_status`, applied in order: a document takes the first
    rule whose mask holds for it. Status and reason are kept as codes (positions in
    :data:`STATUSES` and :data:`STATUS_REASONS`); the texts of a rule are Arrow arrays made for
    its rows only and put in corpus order once, at the end: no Python string per document."""

    def __init__(self, n: int, texts: bool = True):
        self.n = n
        self.with_texts = texts  # False: codes and dates only (the texts are never made)
        self.done = np.zeros(n, dtype=bool)
        self.status = np.full(n, STATUSES.index("unknown"), dtype=np.int8)
        self.code = np.full(n, STATUS_REASONS.index("no_rule"), dtype=np.int8)
        self.assumed = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        self.parts: dict[str, list] = {"reason": [], "detail": []}  # (rows, Arrow texts)

    def put(self, mask, st, key: str, why: list, date=None, more=None) -> None:
        """Rows of ``mask`` not decided yet take this rule: status ``st`` (a name, or codes per
        document), reason code ``key``, the reason ``why`` (pieces joined: texts, or functions
        of the rows giving Arrow arrays), the detail ``more`` (a function of the rows) and the
        assumed date ``date`` (per document)."""
        rows = np.flatnonzero(np.asarray(mask, dtype=bool) & ~self.done)
        if not len(rows):
            return
        self.status[rows] = STATUSES.index(st) if isinstance(st, str) else np.asarray(st)[rows]
        self.code[rows] = STATUS_REASONS.index(key)
        if date is not None:
            self.assumed[rows] = np.asarray(date, dtype="datetime64[ns]")[rows]
        self.done[rows] = True
        if not self.with_texts:
            return
        pieces = [p(rows) if callable(p) else pa.scalar(p, pa.large_string()) for p in why]
        if all(isinstance(p, pa.Scalar) for p in pieces):
            reason = pa.repeat(pa.scalar("".join(p.as_py() for p in pieces), pa.large_string()), len(rows))
        else:
            reason = pc.binary_join_element_wise(*pieces, pa.scalar("", pa.large_string()))
        self.parts["reason"].append((rows, reason))
        if more is not None:
            self.parts["detail"].append((rows, more(rows)))

    def texts(self, name: str, default: str | None) -> pa.Array:
        """The texts ``name`` of every document in corpus order (``default`` where no rule gave one)."""
        parts = self.parts[name]
        rows = [r for r, _ in parts]
        values = [v.cast(pa.large_string()) for _, v in parts]
        covered = np.zeros(self.n, dtype=bool)
        for r in rows:
            covered[r] = True
        rest = np.flatnonzero(~covered)
        rows.append(rest)
        values.append(pa.repeat(pa.scalar(default, pa.large_string()), len(rest)))
        where = np.empty(self.n, dtype=np.int64)
        where[np.concatenate(rows)] = np.arange(self.n)
        return pa.concat_arrays(values).take(where)


_NO_DAY = np.iinfo(np.int32).min  # int32 day number of NaT


def _days32(v: np.ndarray) -> np.ndarray:
    """``datetime64`` values as int32 days since 1970-01-01 (:data:`_NO_DAY` for NaT)."""
    d = np.asarray(v).astype("datetime64[D]")
    return np.where(np.isnat(d), _NO_DAY, d.view(np.int64)).astype(np.int32)


def _from_days32(d: np.ndarray) -> np.ndarray:
    """:func:`_days32` back to ``datetime64[ns]`` (NaT for :data:`_NO_DAY`)."""
    out = d.astype(np.int64).view("datetime64[D]").astype("datetime64[ns]")
    out[d == _NO_DAY] = np.datetime64("NaT")
    return out


@dataclass(frozen=True)
class StatusCodes:
    """:func:`patent_status` without its texts: status and reason as codes (positions in
    :data:`STATUSES` and :data:`STATUS_REASONS`), the assumed and expiry dates as int32 day
    numbers, document class and jurisdiction dictionary-encoded (about 20 bytes a document,
    against some 400 of the full frame with its reason sentences and date objects).
    :func:`status_codes` makes it; :meth:`frame` gives :func:`patent_status`'s columns
    (without the texts) for all documents or some rows, equal in value."""

    as_of: pd.Timestamp
    numbers: pa.ChunkedArray  # publication_number, as in the corpus
    jurisdiction: pa.DictionaryArray  # upper-cased
    document_type: pa.DictionaryArray  # the rules' document class
    status: np.ndarray  # int8
    reason: np.ndarray  # int8
    assumed: np.ndarray  # int32 days
    expiry: np.ndarray  # int32 days

    @classmethod
    def of(cls, corpus, asof: pd.Timestamp, rules: _Rules, df: pd.DataFrame) -> "StatusCodes":
        """From the applied rules and the term frame of :func:`_apply_rules`."""
        def encoded(s: pd.Series) -> pa.DictionaryArray:
            arr = pa.array(s.array)
            return pc.dictionary_encode(arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr)

        return cls(asof, corpus.table["publication_number"], encoded(df["jurisdiction"]), encoded(df["doc_class"]),
                   rules.status, rules.code,
                   _days32(rules.assumed), _days32(df["expiry_date"].to_numpy(dtype="datetime64[ns]")))

    def __len__(self) -> int:
        return len(self.status)

    def text(self, name: str, rows: np.ndarray | None = None) -> pa.Array:
        """``status``, ``reason_code``, ``document_type`` or ``jurisdiction`` as Arrow text (of ``rows``)."""
        if name in ("status", "reason_code"):
            values, codes = (STATUSES, self.status) if name == "status" else (STATUS_REASONS, self.reason)
            return pa.array(values, pa.large_string()).take(codes if rows is None else codes[rows])
        enc = getattr(self, name)
        idx = enc.indices if rows is None else enc.indices.take(rows)
        return enc.dictionary.take(idx)

    def dates(self, name: str, rows: np.ndarray | None = None) -> np.ndarray:
        """``assumed`` or ``expiry`` dates as ``datetime64[ns]`` (NaT: none), of ``rows``."""
        d = getattr(self, name)
        return _from_days32(d if rows is None else d[rows])

    def frame(self, rows: np.ndarray | None = None) -> pd.DataFrame:
        """:func:`patent_status`'s ``publication_number, jurisdiction, document_type, status,
        assumed_date, expiry_date, years_left`` (of ``rows``, else of every document)."""
        exp = self.dates("expiry", rows)
        days = (pd.Series(exp) - self.as_of).dt.days
        numbers = self.numbers if rows is None else self.numbers.take(rows)
        return pd.DataFrame({
            "publication_number": _str_column(numbers),
            "jurisdiction": _str_column(self.text("jurisdiction", rows)),
            "document_type": _str_column(self.text("document_type", rows)),
            "status": _str_column(self.text("status", rows)),
            "assumed_date": _date_objects(self.dates("assumed", rows)),
            "expiry_date": _date_objects(exp),
            "years_left": np.round((days.clip(lower=0) / 365.25).astype(float), 2).to_numpy(),
        })


def status_codes(corpus, as_of=None) -> StatusCodes:
    """:func:`patent_status` as codes (:class:`StatusCodes`): the same rules, no text made."""
    asof = _as_of(as_of)
    rules, df, _ = _apply_rules(corpus, asof, texts=False)
    return StatusCodes.of(corpus, asof, rules, df)


def _apply_rules(corpus, asof: pd.Timestamp, texts: bool = True) -> tuple[_Rules, pd.DataFrame, np.ndarray]:
    """The status rules of :func:`patent_status` on ``corpus`` at ``asof``: the rules (codes,
    assumed dates and, with ``texts``, the reason texts), the term frame (:func:`_expiry`,
    without publication numbers) and each document's term rule id."""
    df = _expiry(_frame(corpus, numbers=False))
    n = len(df)
    rules = _Rules(n, texts=texts)
    c = df["doc_class"]
    filing, grant, exp = df["filing_date"], df["grant_eff"], df["expiry_date"]
    dates = {k: v.to_numpy(dtype="datetime64[ns]") for k, v in (("filing", filing), ("grant", grant), ("exp", exp))}

    def text(name: str):  # dates as text, for the rows a rule takes only
        return lambda rows: _dates_arrow(dates[name][rows])

    put = rules.put
    # 0. not yet filed / published on as_of
    notyet = (filing.notna() & (filing > asof)) | (filing.isna() & df["publication_date"].notna() & (df["publication_date"] > asof))
    put(notyet.to_numpy(), "unknown", "not_yet_filed", ["not yet filed on as_of " + asof.strftime("%Y-%m-%d")])

    # 1. legal events
    ev = _event_outcomes(corpus, df["jurisdiction"], asof)
    if len(ev):
        o = np.zeros(n, dtype=int)
        o[ev["doc"].to_numpy()] = ev["outcome"].to_numpy()
        evd = np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
        evd[ev["doc"].to_numpy()] = ev["ev_date"].to_numpy(dtype="datetime64[ns]")
        txt = np.full(n, "", dtype=object)
        txt[ev["doc"].to_numpy()] = ev["ev_text"].to_numpy(dtype=object)

        def event_text(rows):
            return pa.array(txt[rows], pa.large_string())

        why = ["legal event ", event_text, " on ", lambda rows: _dates_arrow(evd[rows])]
        put(o == _EV_WITHDRAW, "withdrawn_or_refused", "legal_event", why, evd, event_text)
        put(o == _EV_LAPSE, "lapsed", "legal_event", why, evd, event_text)

    # 2. term
    expired = (exp.notna() & (exp <= asof)).to_numpy()
    term_rule = df["term_rule_id"].to_numpy()
    rule_texts = pa.array(_RULE_TEXTS + [""], pa.large_string())  # "": no rule
    rule_keys = pa.array(_RULE_KEYS + [None], pa.large_string())
    put(expired, "expired", "term_ended", ["term ended on ", text("exp"), " (", lambda r: rule_texts.take(term_rule[r]), ")"],
        dates["exp"], lambda r: rule_keys.take(term_rule[r]))

    # 3. legal_status text
    mapped = map_legal_status(df["legal_status"], c)
    has = mapped.notna().to_numpy()

    def exported(rows):
        return corpus.table["legal_status"].take(rows).combine_chunks().cast(pa.large_string())

    put(has, pd.Categorical(mapped, categories=STATUSES).codes, "legal_status",
        ["legal_status '", exported, "' (as exported; undated)"], more=exported)

    # 4. rules
    granted = c.isin(_GRANT_TYPES).to_numpy()
    g_ok = (grant.notna() & (grant <= asof)).to_numpy()
    put(granted & g_ok, "in_force", "granted", ["granted ", text("grant"), ", term runs to ", text("exp"), ", no lapse event"],
        dates["grant"])
    # granted after as_of: the application was pending on as_of
    put(granted & ~g_ok & filing.notna().to_numpy(), "pending", "granted_after_as_of",
        ["application filed ", text("filing"), " granted only on ", text("grant"), " (after as_of)"],
        dates["filing"], text("grant"))
    app = c.isin(["application", "search_report"]).to_numpy()
    wo = (df["jurisdiction"] == "WO").to_numpy()
    pct_end = _add_months(df["earliest_priority_date"].fillna(filing), 31)
    dates["pct_end"] = pct_end.to_numpy(dtype="datetime64[ns]")
    put(app & wo & (pct_end <= asof).fillna(False).to_numpy(), "lapsed", "pct_ended",
        ["international phase ended ", text("pct_end"),
         " (31 months from priority, PCT Art. 22/39); rights only via national/regional entries"], dates["pct_end"])
    put(app & wo, "pending", "pct_open", ["international application, national-phase entry possible until ", text("pct_end")],
        dates["filing"], text("pct_end"))
    put(app & filing.notna().to_numpy(), "pending", "application",
        ["application filed ", text("filing"), ", no withdrawal/refusal event, term to ", text("exp")], dates["filing"])
    put(app, "pending", "application_undated", ["application, filing date unknown, no withdrawal/refusal event"],
        df["publication_date"])
    put((c == "statutory_invention_registration").to_numpy(), "unknown", "sir",
        ["US statutory invention registration: defensive publication, no enforceable right"])

    return rules, df, term_rule


def patent_status(corpus, as_of=None, markets: Sequence[str] | None = None) -> pd.DataFrame:
    """Legal status of every document on ``as_of`` (default: today).

    Precedence (first that applies): (1) a dated INPADOC withdrawal/refusal (class B,
    ``-``) or cessation (class H, ``-``, not single-state) event on or before ``as_of``
    that no later revival (class C/K, ``+``) undoes; (2) statutory term ended
    (``expiry_date <= as_of``) -> ``expired``; (3) the ``legal_status`` text, mapped by
    :func:`map_legal_status`; (4) rules from document type and dates: granted by
    ``as_of`` -> ``in_force``; application -> ``pending`` (a WO application after its
    31-month international phase -> ``lapsed``); not yet filed or no rule -> ``unknown``.

    Parameters
    ----------
    corpus : Corpus
    as_of : date-like, optional
    markets : list of str, optional
        When given, two columns are added from :func:`market_coverage`:
        ``markets_covered`` (comma-joined covered markets) and ``threatens`` (bool).

    Returns
    -------
    pandas.DataFrame
        One row per document, corpus order: ``publication_number, jurisdiction,
        document_type, status, reason, reason_code, reason_detail, assumed_date,
        expiry_date, term_rule, years_left``. ``reason`` is an English sentence;
        ``reason_code`` (one of :data:`STATUS_REASONS`) with ``reason_detail`` (the legal
        event, the exported status text, the grant date or PCT deadline, the term rule's
        code), ``assumed_date`` and ``expiry_date`` let a report say it in any language.
    """
    asof = _as_of(as_of)
    rules, df, term_rule = _apply_rules(corpus, asof)
    out = StatusCodes.of(corpus, asof, rules, df).frame()
    out.insert(4, "reason", _str_column(rules.texts("reason", "no rule applies (document type or dates unknown)")))
    out.insert(5, "reason_code", _str_column(pa.array(STATUS_REASONS, pa.large_string()).take(rules.code)))
    out.insert(6, "reason_detail", _str_column(rules.texts("detail", None)))
    out.insert(9, "term_rule", _str_column(pa.array(_RULE_TEXTS + [None], pa.large_string()).take(term_rule)))
    n = len(out)
    if markets is not None:
        cov = market_coverage(corpus, markets, as_of=asof)
        hit = cov[cov["covered"]]
        joined = hit.groupby("row")["market"].agg(",".join)
        out["markets_covered"] = joined.reindex(np.arange(n)).fillna("").to_numpy()
        out["threatens"] = out["markets_covered"] != ""
    return out


def status_evidence(corpus) -> np.ndarray:
    """Per document: does its status rest on evidence - legal events in the data, or an
    exported legal-status text? Without either, "in force" is only the rule "granted and no
    lapse event recorded" (:func:`patent_status`, step 4), which says nothing about whether
    renewal fees were paid: a corpus without legal data would show every old grant as kept.
    Maintenance to year 10 (:mod:`patentnav.quality.maintenance`) and the CNIPA
    "maintained over 10 years" criterion (:mod:`patentnav.landscape.high_value`) count only
    documents where this is True."""
    t = corpus.table
    events = pc.fill_null(pc.greater(pc.list_value_length(t["legal_events"]), 0), False)
    text = pc.is_valid(t["legal_status"])
    return np.asarray(pc.or_(events, text).to_numpy(zero_copy_only=False), dtype=bool)


# --------------------------------------------------------------------------------------
# market coverage
# --------------------------------------------------------------------------------------
def _pairs(col: pa.ChunkedArray, prefix2: bool = False) -> pd.DataFrame:
    """(row, value) pairs of a list<string> column (optionally the first 2 characters)."""
    col = col.combine_chunks()
    flat = pc.list_flatten(col)
    parent = pc.list_parent_indices(col).to_numpy()
    vals = pd.Series(flat.to_pandas(), dtype="string").str.strip().str.upper()
    if prefix2:
        vals = vals.str[:2]
    return pd.DataFrame({"row": parent, "cc": vals.to_numpy()}).dropna()


def market_coverage(corpus, markets: Iterable[str], as_of=None) -> pd.DataFrame:
    """Which target markets each document threatens (long format).

    Routes, first that applies: ``own`` (the document's jurisdiction is the market),
    ``family`` (a family member / family jurisdiction is the market), ``ep_validation``
    (the market is an EPC contracting state and the document or a family member is EP),
    ``pct_window`` (the document or a family member is WO and ``as_of`` is before the
    national-phase deadline of :data:`PCT_NATIONAL_PHASE_MONTHS` from the earliest
    priority date; 31 months via EP for EPC states). A WO route whose deadline has passed
    gives ``covered=False`` with that deadline.

    Returns
    -------
    pandas.DataFrame
        ``publication_number, market, covered, route, deadline, reason`` (+ ``row``, the
        document's position in the corpus), documents x markets rows, document-major.
    """
    asof = _as_of(as_of)
    mk = [str(m).strip().upper() for m in markets]
    mk = list(dict.fromkeys(mk))
    df = _frame(corpus)
    n, m = len(df), len(mk)
    row = np.repeat(np.arange(n), m)
    market = np.tile(np.array(mk, dtype=object), n)
    own_j = df["jurisdiction"].fillna("").to_numpy()[row]
    fam = pd.concat([_pairs(corpus.table["family_jurisdictions"]),
                     _pairs(corpus.table["family_members"], prefix2=True)]).drop_duplicates()
    fam_idx = pd.MultiIndex.from_arrays([fam["row"].to_numpy(), fam["cc"].to_numpy()])
    q = pd.MultiIndex.from_arrays([row, market])
    in_fam = q.isin(fam_idx)
    has_ep = np.isin(np.arange(n), fam.loc[fam["cc"] == "EP", "row"].to_numpy())[row] | (own_j == "EP")
    has_wo = np.isin(np.arange(n), fam.loc[fam["cc"] == "WO", "row"].to_numpy())[row] | (own_j == "WO")
    is_epc = np.isin(market, EPC_STATES)

    prio = df["earliest_priority_date"].fillna(df["filing_date"]).to_numpy()[row]
    months = np.array([PCT_NATIONAL_PHASE_MONTHS.get(x, PCT_DEFAULT_MONTHS) for x in mk], dtype=float)
    months = np.tile(months, n)
    months = np.where(is_epc, np.maximum(months, PCT_NATIONAL_PHASE_MONTHS["EP"]), months)
    pct_deadline = _add_months(pd.Series(prio, dtype="datetime64[ns]"), months).to_numpy()
    pct_open = pct_deadline > np.datetime64(asof)

    grant = df["grant_eff"].to_numpy()[row]
    ep_granted = (own_j == "EP") & df["doc_class"].isin(_GRANT_TYPES).to_numpy()[row]
    val_deadline = _add_months(pd.Series(grant, dtype="datetime64[ns]"), EP_VALIDATION_MONTHS).to_numpy()

    own = own_j == market
    c_fam = ~own & in_fam
    c_ep = ~own & ~c_fam & is_epc & has_ep
    c_pct = ~own & ~c_fam & ~c_ep & has_wo & (market != "WO")
    covered = own | c_fam | c_ep | (c_pct & pct_open)
    route = np.select([own, c_fam, c_ep, c_pct], ["own", "family", "ep_validation", "pct_window"], None).astype(object)
    deadline = np.full(len(row), np.datetime64("NaT"), dtype="datetime64[ns]")
    deadline = np.where(c_pct, pct_deadline, deadline)
    deadline = np.where(c_ep & ep_granted, val_deadline, deadline)
    dl = pd.Series(deadline, dtype="datetime64[ns]")
    dls = _fmt(dl).to_numpy()
    mks = pd.Series(market, dtype=object)
    reason = np.select(
        [own, c_fam, c_ep & ep_granted, c_ep, c_pct & pct_open, c_pct],
        ["document published in " + mks,
         "family member in " + mks,
         "European patent: " + mks + " is an EPC contracting state (validation due by " + dls + ")",
         "European application/family: " + mks + " is an EPC contracting state (designated)",
         "PCT national/regional phase entry into " + mks + " possible until " + dls,
         "PCT national/regional phase deadline for " + mks + " passed on " + dls + "; no family member there"],
        "no publication, family member or open route in " + mks)
    return pd.DataFrame({
        "publication_number": df["publication_number"].to_numpy()[row],
        "market": market,
        "covered": covered.astype(bool),
        "route": route,
        "deadline": dl.dt.date.where(dl.notna(), None).to_numpy(),
        "reason": reason,
        "row": row,
    })
