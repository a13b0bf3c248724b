"""Quality indicators of every document, and their value relative to the world's documents
of the same filing year and technology field.

The per-document table joins the OECD indicators and composite index
(:func:`patentnav.landscape.indicators.quality_table`, which carries the claim-based
indicators), family breadth, the PCT route, grant lag, maintenance to year 10 and CNIPA's
high-value criteria. Each indicator is then divided by its mean over the corpus documents
of the same cohort (filing year x WIPO field, as the OECD normalises; claim lengths also by
their unit, words or Han characters): 1 is the world average in the same fields and years.
Definitions: ``docs/methods.md``, section 13.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

__all__ = ["CONTINUOUS", "SHARES", "LENGTHS", "INDICATOR_DOCS", "document_quality", "family_breadth", "pct_route"]

#: Indicators compared as means relative to the cohort (higher = more, not "better":
#: a longer first claim is a narrower patent, a longer grant lag a slower grant).
CONTINUOUS = ("quality_index", "independent_claims", "first_claim_words", "shortest_independent_claim_words",
              "total_claims", "dependent_ratio", "family_breadth", "grant_lag")
#: Indicators that are yes/no per document, compared as shares.
SHARES = ("pct", "kept_10y", "high_value")
#: Claim lengths: cohorts also by unit (words / Han characters).
LENGTHS = ("first_claim_words", "shortest_independent_claim_words")

INDICATOR_DOCS = {
    "quality_index": "OECD composite quality index (landscape.indicators.composite_index)",
    "independent_claims": "independent claims (more: more inventions claimed)",
    "first_claim_words": "length of claim 1 (longer: narrower)",
    "shortest_independent_claim_words": "length of the shortest independent claim (longer: narrower)",
    "total_claims": "number of claims",
    "dependent_ratio": "dependent claims per independent claim (more: more fall-back positions)",
    "family_breadth": "patent offices in the family (more: protected in more markets)",
    "grant_lag": "years from filing to grant",
    "pct": "filed through the PCT (a WO publication in the family)",
    "kept_10y": "granted invention patent kept in force to its 10th year",
    "high_value": "meets a CNIPA high-value criterion the data show (lower bound)",
}


def foreign_offices(corpus) -> tuple[np.ndarray, np.ndarray]:
    """Per document: how many distinct jurisdictions of ``family_jurisdictions`` are neither
    its own nor WO, and whether the data list family jurisdictions for it at all."""
    t = corpus.table
    fj = t["family_jurisdictions"].combine_chunks()
    parent = pc.list_parent_indices(fj).to_numpy()
    flat = np.asarray(pc.list_flatten(fj).to_numpy(zero_copy_only=False), dtype=object)
    own = np.asarray(pc.utf8_upper(t["jurisdiction"]).to_numpy(zero_copy_only=False), dtype=object)
    other = (flat != own[parent]) & (flat != "WO")
    listed = pc.greater(pc.list_value_length(fj), 0).to_numpy(zero_copy_only=False)
    return np.bincount(parent[other], minlength=len(corpus)), listed


def family_breadth(corpus) -> np.ndarray:
    """Distinct patent offices of each document's family: ``family_jurisdictions`` plus its own
    jurisdiction, WO left out (an international application is no office's grant); NaN where
    the data list no family jurisdictions for the document (a family size alone does not
    say where the members are, and counting only the families of one would bias the mean)."""
    others, listed = foreign_offices(corpus)
    own_wo = pc.equal(pc.utf8_upper(corpus.table["jurisdiction"]), "WO").fill_null(False).to_numpy(zero_copy_only=False)
    count = others.astype(np.float64) + ~own_wo
    count[~listed] = np.nan
    return count


def pct_route(corpus) -> np.ndarray:
    """1 where the document's family has a WO publication (or it is one, or its application
    number is a PCT number), 0 where it has none; NaN where the data list no family
    jurisdictions for the document (a WO document alone would make every share 100%)."""
    t = corpus.table
    fj = t["family_jurisdictions"].combine_chunks()
    n = len(corpus)
    parent = pc.list_parent_indices(fj).to_numpy()
    wo_member = np.bincount(parent[pc.equal(pc.list_flatten(fj), "WO").to_numpy(zero_copy_only=False)], minlength=n) > 0
    own_wo = pc.equal(t["jurisdiction"], "WO").fill_null(False).to_numpy(zero_copy_only=False)
    app_pct = pc.match_substring_regex(t["application_number"], r"(?i)^\s*PCT").fill_null(False).to_numpy(zero_copy_only=False)
    listed = pc.greater(pc.list_value_length(fj), 0).to_numpy(zero_copy_only=False)
    out = np.where(wo_member | own_wo | app_pct, 1.0, 0.0)
    out[~listed] = np.nan
    return out


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
    from ..landscape.indicators import _own, _plain, quality_table
    from ..status import _str_column
    from .high_value import high_value
    from .maintenance import maintenance

    q = quality_table(corpus, field=field, graph=graph) if table is None else table
    st = maintenance(corpus, as_of=as_of, status=status)
    hv = high_value(corpus, status=st)
    qp, stp, hvp = _plain(q), _plain(st), _plain(hv)
    cols = {"publication_number": _str_column(corpus.table["publication_number"])}
    for c in ("cohort_year", "cohort_field", "claim_length_unit"):
        cols[c] = _own(_as_built(qp[c]))
    for c in ("quality_index", "independent_claims", "first_claim_words", "shortest_independent_claim_words",
              "total_claims", "dependent_ratio", "grant_lag"):
        cols[c] = _own(pd.to_numeric(qp[c], errors="coerce").astype("float64").to_numpy())
    cols["family_breadth"] = family_breadth(corpus)
    cols["pct"] = pct_route(corpus)
    cols["kept_10y"] = stp["kept"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    # a share of the eligible patents (granted inventions in force): null for the others
    cols["high_value"] = np.where(hvp["eligible"].to_numpy(dtype=bool),
                                  hvp["high_value"].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan), np.nan)
    for c in ("sei", "overseas_family", "maintained_10y"):
        cols[f"hv_{c}"] = hvp[c].astype("Float64").to_numpy(dtype=np.float64, na_value=np.nan)
    out = _frame(cols)
    del cols
    # joined, not made again: a frame made of the object columns again would infer their types again (~40 bytes a
    # document of temporaries, at the step's peak)
    out = pd.concat([out, _frame(_relative_columns(out))], axis=1)
    notes = dict(q.attrs.get("availability", {}))
    notes["quality_index"] = "quality_index: " + str(q.attrs.get("note", ""))
    out.attrs.update({"as_of": st.attrs.get("as_of"), "high_value": dict(hv.attrs), "quality_index_method": q.attrs.get("method", "max"),
                      "availability": _availability(out, notes, st, hv, len(corpus))})
    return out


def _frame(cols: dict) -> pd.DataFrame:
    """A frame of the arrays ``cols`` (one block each, not copied): the columns a frame gets
    one by one, without the cost of inserting each (pandas rebuilds its Arrow-backed column
    index on every insertion)."""
    return pd.DataFrame(cols, copy=False)


def _as_built(s: pd.Series):
    """The values of ``s`` as a new column gets them from ``s.to_numpy()``: an Arrow text column
    (``str``, NaN for null) as it is, without the round trip through Python strings."""
    if isinstance(s.array, pd.arrays.ArrowStringArray) and s.dtype.na_value is np.nan:
        return s.array
    return s.to_numpy()


def _group_ids(df: pd.DataFrame, by: list[str]) -> np.ndarray:
    """One integer per distinct combination of the ``by`` columns (a null is a value of its own),
    factorised on the columns as they are (Arrow text without Python strings)."""
    ids = np.zeros(len(df), dtype=np.int64)
    for b in by:
        codes, uniques = pd.factorize(df[b], use_na_sentinel=False)
        ids = ids * (len(uniques) + 1) + codes
    return ids


def _cohort_means(df: pd.DataFrame, cols: list[str], ids: np.ndarray) -> dict[str, np.ndarray]:
    """Each column's mean over the documents of the same ``ids``: pandas' group mean of the
    columns together (as ``groupby(ids).transform("mean")`` computes it: the same kernel, the
    same bits; one column alone takes another kernel, whose sums may differ in the last
    bit), one row per group, then taken by each document's group (no frame-sized result)."""
    codes, uniques = pd.factorize(ids)
    means = df[cols].groupby(codes, sort=False).mean().reindex(np.arange(len(uniques)))
    return {c: means[c].to_numpy(dtype=np.float64)[codes] for c in cols}


def _relative_columns(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The ``<c>_rel`` (value / cohort mean) and ``<c>_expected`` (the cohort mean, where the
    document has a value) columns of ``df``, by name, in the order of the report. Cohort
    keys are factorised once; each column's per-document means go once its columns are made
    (they are as large as the columns: 88 MB at 1M documents held to the end before, the
    quality step's peak)."""
    by = ["cohort_year", "cohort_field"]
    mean = _cohort_means(df, [c for c in CONTINUOUS + SHARES if c not in LENGTHS], _group_ids(df, by))
    mean.update(_cohort_means(df, list(LENGTHS), _group_ids(df, by + ["claim_length_unit"])))
    out = {}
    for c in CONTINUOUS:
        m = mean.pop(c)
        v = df[c]
        with np.errstate(divide="ignore", invalid="ignore"):
            out[f"{c}_rel"] = np.where(m > 0, v.to_numpy() / m, np.nan)
        out[f"{c}_expected"] = np.where(v.notna(), m, np.nan)
        del m
    for c in SHARES:
        out[f"{c}_expected"] = np.where(df[c].notna(), mean.pop(c), np.nan)
    return out


def _availability(df: pd.DataFrame, notes: dict, st: pd.DataFrame, hv: pd.DataFrame, n: int) -> dict[str, str]:
    out = {}
    for c in CONTINUOUS + SHARES:
        k = int(df[c].notna().sum())
        out[c] = f"{c}: {k:,} of {n:,} documents"
    for c in ("independent_claims", "first_claim_words", "shortest_independent_claim_words", "total_claims", "dependent_ratio"):
        if c in notes:
            out[c] = notes[c]
    if "quality_index" in notes:
        out["quality_index"] = notes["quality_index"]
    if "grant_lag" in notes:
        out["grant_lag"] = notes["grant_lag"]
    if not df["family_breadth"].notna().any():
        out["family_breadth"] = f"family_breadth: no family jurisdictions in this corpus (0 of {n:,} documents)"
        out["pct"] = f"pct: no family jurisdictions in this corpus (0 of {n:,} documents)"
    out["kept_10y"] = st.attrs.get("kept_note", out["kept_10y"])
    shown, not_shown = hv.attrs.get("shown", []), hv.attrs.get("not_shown", [])
    out["high_value"] = (f"high_value: {int(df['high_value'].notna().sum()):,} of {hv.attrs.get('eligible', 0):,} granted "
                         f"invention patents not known to have ended; criteria shown: {', '.join(shown) or 'none'}; "
                         "not shown: " + "; ".join(f"{c} ({hv.attrs['notes'][c]})" for c in not_shown))
    return out
