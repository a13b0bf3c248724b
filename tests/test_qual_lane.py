"""Lane qual (issue 16): the legal status as codes (patentnav.status.status_codes), the status
rules without a frame copy, maintenance from codes, the cohort means of document_quality.
Each rewritten function is compared with its former definition (copied here as an oracle)
on random corpora and on edge cases (empty, one row, nulls)."""

from __future__ import annotations

import datetime as dt
from typing import Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

import patentnav
from patentnav.model.schema import LEGAL_EVENT
from patentnav.quality.documents import _cohort_means
from patentnav.quality.maintenance import maintenance
from patentnav.status import (_EV_LAPSE, _EV_WITHDRAW, _GRANT_TYPES, STATUS_REASONS, STATUSES, StatusCodes, _RULE_KEYS,
                              _RULE_TEXTS, _add_months,
                              _date_objects, _dates_arrow, _event_outcomes, _expiry, _frame, _str_column,
                              legal_event_table, map_legal_status, patent_status, status_codes)
from patentnav.status import _as_of as _as_of_

# ----------------------------------------------------------------------------- oracle (former code)
class _OldRules:
    """The status rules of :func:`patent_status`, applied in order: a document takes the first
    rule whose mask holds for it. Status and reason are kept as codes (positions in
    :data:`STATUSES` and :data:`STATUS_REASONS`); the texts of a rule are Arrow arrays made for
    its rows only and put in corpus order once, at the end: no Python string per document."""

    def __init__(self, n: int):
        self.n = n
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
        pieces = [p(rows) if callable(p) else pa.scalar(p, pa.large_string()) for p in why]
        if all(isinstance(p, pa.Scalar) for p in pieces):
            reason = pa.repeat(pa.scalar("".join(p.as_py() for p in pieces), pa.large_string()), len(rows))
        else:
            reason = pc.binary_join_element_wise(*pieces, pa.scalar("", pa.large_string()))
        self.parts["reason"].append((rows, reason))
        if more is not None:
            self.parts["detail"].append((rows, more(rows)))
        if date is not None:
            self.assumed[rows] = np.asarray(date, dtype="datetime64[ns]")[rows]
        self.done[rows] = True

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


def old_patent_status(corpus, as_of=None, markets: Sequence[str] | None = None) -> pd.DataFrame:
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
    asof = _as_of_(as_of)
    df = _expiry(_frame(corpus))
    n = len(df)
    rules = _OldRules(n)
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
    ls_text = corpus.table["legal_status"].combine_chunks().cast(pa.large_string())

    def exported(rows):
        return ls_text.take(rows)

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

    days = (exp - asof).dt.days
    t = corpus.table
    out = pd.DataFrame({
        "publication_number": _str_column(t["publication_number"]),
        "jurisdiction": _str_column(pa.array(df["jurisdiction"].array)),
        "document_type": _str_column(pa.array(c.array)),
        "status": _str_column(pa.array(STATUSES, pa.large_string()).take(rules.status)),
        "reason": _str_column(rules.texts("reason", "no rule applies (document type or dates unknown)")),
        "reason_code": _str_column(pa.array(STATUS_REASONS, pa.large_string()).take(rules.code)),
        "reason_detail": _str_column(rules.texts("detail", None)),
        "assumed_date": _date_objects(rules.assumed),
        "expiry_date": _date_objects(exp.to_numpy(dtype="datetime64[ns]")),
        "term_rule": _str_column(pa.array(_RULE_TEXTS + [None], pa.large_string()).take(term_rule)),
        "years_left": np.round((days.clip(lower=0) / 365.25).astype(float), 2).to_numpy(),
    })
    return out


def old_cohort_means(df, cols, ids):
    means = df[cols].groupby(ids).transform("mean")
    return {c: means[c].to_numpy(dtype=np.float64) for c in cols}


# ----------------------------------------------------------------------------- random corpora
D = dt.date
_TYPES = ["granted_patent", "application", "design", "utility_model", "amended", "search_report",
          "statutory_invention_registration", "limited_patent", "plant_patent", "weird", None]
_JUR = ["US", "CN", "EP", "WO", "DE", "AU", "JP", "us"]  # a null jurisdiction fails the rules, before as after
_KINDS = ["A1", "B1", "B2", "U", "Y", "S", "C", "E", None]


def _events_pool():
    t = legal_event_table()
    t = t[t["event_class"].isin(["B", "H", "C", "K"]) & t["authority"].isin(["US", "CN", "EP", "DE", "WO"])]
    return list(t["code"].drop_duplicates().head(60)) + ["ZZ", " FP "]


def random_corpus(n: int, seed: int) -> patentnav.Corpus:
    rng = np.random.default_rng(seed)
    pool = _events_pool()
    texts = ["ACTIVE", "pending", "DISCONTINUED", "失效-期限届满", "审中-实审", "未知", "xyz", "", " Lapsed ", None]

    def dates(p_null=0.15, lo=1975, hi=2030):
        days = rng.integers((D(lo, 1, 1) - D(1970, 1, 1)).days, (D(hi, 1, 1) - D(1970, 1, 1)).days, n)
        out = [D(1970, 1, 1) + dt.timedelta(days=int(d)) for d in days]
        return [None if rng.random() < p_null else d for d in out]

    def pick(values):
        return [values[i] for i in rng.integers(0, len(values), n)]

    filing = dates()
    events = []
    for _ in range(n):
        k = int(rng.integers(0, 4)) if rng.random() < 0.5 else 0
        events.append([{"date": None if rng.random() < 0.1 else D(int(rng.integers(1990, 2030)), int(rng.integers(1, 13)), 28),
                        "code": pool[int(rng.integers(0, len(pool)))], "description": None if rng.random() < 0.3 else "desc"}
                       for _ in range(k)])
    return patentnav.Corpus(pa.table({
        "publication_number": pa.array([f"XX-{i}-A" for i in range(n)], pa.string()),
        "jurisdiction": pa.array(pick(_JUR), pa.string()),
        "kind": pa.array(pick(_KINDS), pa.string()),
        "document_type": pa.array(pick(_TYPES), pa.string()),
        "filing_date": pa.array(filing, pa.date32()),
        "grant_date": pa.array(dates(0.5), pa.date32()),
        "publication_date": pa.array(dates(0.1), pa.date32()),
        "earliest_priority_date": pa.array(dates(0.3), pa.date32()),
        "legal_status": pa.array(pick(texts), pa.string()),
        "legal_events": pa.array(events, pa.list_(LEGAL_EVENT)),
        "family_jurisdictions": pa.array([[] for _ in range(n)], pa.list_(pa.string())),
        "ipc": pa.array([[] for _ in range(n)], pa.list_(pa.string())),
    }))


def assert_frames_equal(a: pd.DataFrame, b: pd.DataFrame) -> None:
    """Same columns, dtypes and values (nulls in the same places)."""
    assert list(a.columns) == list(b.columns)
    for k in a.columns:
        assert a[k].dtype == b[k].dtype, k
        assert a[k].reset_index(drop=True).equals(b[k].reset_index(drop=True)), k


CASES = [(n, seed, as_of) for n, seed in ((200, 1), (500, 2), (1, 3), (3, 4))
         for as_of in ("2010-06-30", "2024-02-29", "1990-01-01")]


@pytest.fixture(scope="module")
def corpora():
    return {(n, seed): random_corpus(n, seed) for n, seed, _ in CASES}


@pytest.mark.parametrize("n,seed,as_of", CASES)
def test_patent_status_equals_the_former_definition(corpora, n, seed, as_of):
    c = corpora[(n, seed)]
    assert_frames_equal(old_patent_status(c, as_of=as_of), patent_status(c, as_of=as_of))


def test_patent_status_edge_cases():
    c = random_corpus(50, 9)
    empty = c.filter(pa.array(np.zeros(len(c), bool)))
    assert_frames_equal(old_patent_status(empty, as_of="2020-01-01"), patent_status(empty, as_of="2020-01-01"))
    d = patentnav.datasets.drones()
    assert_frames_equal(old_patent_status(d, as_of="2018-01-01"), patent_status(d, as_of="2018-01-01"))


@pytest.mark.parametrize("n,seed,as_of", CASES)
def test_status_codes_frame_is_patent_status_without_texts(corpora, n, seed, as_of):
    c = corpora[(n, seed)]
    full = patent_status(c, as_of=as_of)
    codes = status_codes(c, as_of=as_of)
    assert isinstance(codes, StatusCodes) and len(codes) == len(c)
    f = codes.frame()
    assert list(f.columns) == ["publication_number", "jurisdiction", "document_type", "status", "assumed_date",
                               "expiry_date", "years_left"]
    assert_frames_equal(full[f.columns], f)
    rows = np.random.default_rng(seed).permutation(len(c))[: max(1, len(c) // 3)]
    assert_frames_equal(full[f.columns].iloc[rows], codes.frame(rows))
    assert np.array_equal(np.asarray(codes.text("reason_code").to_pylist(), dtype=object),
                          full["reason_code"].to_numpy(dtype=object))
    assert codes.status.dtype == np.int8 and codes.assumed.dtype == np.int32 and codes.expiry.dtype == np.int32


def test_status_codes_empty_and_one_row():
    c = random_corpus(1, 11)
    assert_frames_equal(patent_status(c, as_of="2020-01-01")[status_codes(c).frame().columns],
                        status_codes(c, as_of="2020-01-01").frame())
    empty = c.filter(pa.array([False]))
    f = status_codes(empty, as_of="2020-01-01").frame()
    assert len(f) == 0 and list(f.columns) == list(status_codes(c).frame().columns)


@pytest.mark.parametrize("n,seed,as_of", CASES)
def test_maintenance_from_codes_equals_from_the_frame(corpora, n, seed, as_of):
    c = corpora[(n, seed)]
    ref = maintenance(c, as_of=as_of, status=patent_status(c, as_of=as_of))  # the path that did not change
    for st in (None, status_codes(c, as_of=as_of)):
        got = maintenance(c, as_of=as_of, status=st)
        assert_frames_equal(ref, got)
        assert ref.attrs == got.attrs


def test_maintenance_rejects_codes_of_another_corpus():
    c = random_corpus(20, 5)
    with pytest.raises(ValueError):
        maintenance(c, as_of="2020-01-01", status=status_codes(c.filter(pa.array(np.arange(20) < 10)), "2020-01-01"))


@pytest.mark.parametrize("n", [0, 1, 7, 1000, 20000])
@pytest.mark.parametrize("k", [1, 2, 9])
def test_cohort_means_equal_the_former_transform_bit_for_bit(n, k):
    rng = np.random.default_rng(n * 10 + k)
    ids = rng.integers(0, max(1, n // 40), n) * 7 + 3
    df = pd.DataFrame({f"c{i}": np.where(rng.random(n) < 0.3, np.nan, rng.standard_normal(n) * 1e3 + 5) for i in range(k)})
    df["empty"] = np.nan
    cols = list(df.columns)
    old, new = old_cohort_means(df, cols, ids), _cohort_means(df, cols, ids)
    assert all(old[c].tobytes() == new[c].tobytes() for c in cols)
