"""Strength of a patent as a threat: how much weight its owner could put behind it.

The components are the characteristics that distinguish litigated and valuable patents
(Allison, Lemley, Moore & Trunkey 2004, "Valuable patents", Georgetown Law Journal 92:
litigated patents have more claims, more forward citations and larger families; Harhoff,
Scherer & Vopel 2003 on family size and market breadth), plus the time the patent has left.
Each component is put on [0, 1] so that they can be averaged:

* ``forward_citations``: forward citations as counted by the source when the export has
  them (worldwide, all years), else in-corpus citations within 5 years; divided by the
  maximum in the document's cohort (filing year x WIPO field), as the OECD quality
  indicators do (Squicciarini, Dernis & Criscuolo 2013) so that old patents do not win by age;
* ``family_size``: simple family size, cohort-normalised the same way;
* ``market_breadth``: distinct jurisdictions in the family (own jurisdiction included),
  divided by :data:`BREADTH_CAP` (10 offices and more count as 1);
* ``claims``: number of claims, cohort-normalised;
* ``remaining_term``: years left to the estimated expiry divided by 20, in [0, 1] (0 for
  expired documents; from :func:`patentnav.status.patent_status`).

``strength`` is the mean of the components available for the document (a component the
export lacks, e.g. claims in a title-only export, is left out, and ``strength_n`` says how
many entered); ``strength_note`` lists them. Formulas in docs/warning-risk.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

__all__ = ["patent_strength", "STRENGTH_COMPONENTS", "BREADTH_CAP"]

#: Components of the strength score, in the order they are reported.
STRENGTH_COMPONENTS = ("forward_citations", "family_size", "market_breadth", "claims", "remaining_term")
#: Number of family jurisdictions at which market breadth reaches 1.
BREADTH_CAP = 10
_TERM_YEARS = 20.0


def _family_breadth(corpus) -> np.ndarray:
    """Distinct two-letter offices among the family jurisdictions and the document's own."""
    fam = corpus["family_jurisdictions"].combine_chunks()
    own = corpus["jurisdiction"].combine_chunks()
    n = len(own)
    lengths = pc.list_value_length(fam).fill_null(0).to_numpy(zero_copy_only=False)
    rows = np.repeat(np.arange(n), lengths)
    values = pc.list_flatten(fam).to_numpy(zero_copy_only=False).astype(object)
    df = pd.DataFrame({"row": np.concatenate([rows, np.arange(n)]),
                       "office": np.concatenate([values, own.to_numpy(zero_copy_only=False).astype(object)])})
    df = df[df["office"].notna() & (df["office"] != "WO") & (df["office"] != "")]
    return df.drop_duplicates().groupby("row").size().reindex(np.arange(n), fill_value=0).to_numpy()


def patent_strength(corpus, status: pd.DataFrame | None = None, as_of=None) -> pd.DataFrame:
    """Strength components and score of every document of ``corpus`` (corpus order).

    Parameters
    ----------
    corpus : Corpus
    status : pandas.DataFrame, optional
        :func:`patentnav.status.patent_status` of the same corpus (computed on
        ``as_of`` when not given); supplies ``years_left``.
    as_of : date-like, optional

    Returns
    -------
    pandas.DataFrame
        ``publication_number``, one column per component of :data:`STRENGTH_COMPONENTS`
        (each in [0, 1], null when not available), the raw values (``forward_citations_raw``,
        ``family_size_raw``, ``offices``, ``claims_raw``, ``years_left``), ``strength``,
        ``strength_n``; ``attrs["components_used"]`` and ``attrs["note"]``.

    Examples
    --------
    >>> import patentnav
    >>> from patentnav.warning.strength import patent_strength
    >>> s = patent_strength(patentnav.datasets.drones(), as_of="2018-01-01")
    >>> bool(s["strength"].between(0, 1).all())
    True
    """
    from ..landscape.indicators import normalise_by_cohort, quality_indicators
    from ..status import patent_status

    raw = quality_indicators(corpus)
    src = raw["forward_citations_source"]
    use_source = src.notna().any()
    fc = (src if use_source else raw["forward_citations_5y"]).astype("Float64")
    offices = _family_breadth(corpus)
    base = pd.DataFrame({"forward_citations": fc, "family_size": raw["family_size"].astype("Float64"),
                         "claims": raw["claims"].astype("Float64"),
                         "cohort_year": raw["cohort_year"], "cohort_field": raw["cohort_field"]}, index=raw.index)
    norm = normalise_by_cohort(base, columns=["forward_citations", "family_size", "claims"])
    if status is None:
        status = patent_status(corpus, as_of=as_of)
    years_left = pd.to_numeric(status["years_left"], errors="coerce").to_numpy(dtype=float)
    expired = status["status"].isin(["expired", "lapsed", "withdrawn_or_refused"]).to_numpy()
    term = np.clip(np.where(expired, 0.0, years_left) / _TERM_YEARS, 0.0, 1.0)
    out = pd.DataFrame({
        "publication_number": raw.index.to_numpy(),
        "forward_citations": norm["forward_citations_norm"].astype(float).to_numpy(),
        "family_size": norm["family_size_norm"].astype(float).to_numpy(),
        "market_breadth": np.minimum(offices / BREADTH_CAP, 1.0).astype(float),
        "claims": norm["claims_norm"].astype(float).to_numpy(),
        "remaining_term": term,
    })
    has_family_data = bool(np.asarray(pc.list_value_length(corpus["family_jurisdictions"].combine_chunks())
                                      .fill_null(0).to_numpy(zero_copy_only=False)).sum() > 0)
    available = {
        "forward_citations": bool(np.isfinite(out["forward_citations"]).any()),
        "family_size": bool(np.isfinite(out["family_size"]).any()),
        "market_breadth": has_family_data,
        "claims": bool(np.isfinite(out["claims"]).any()),
        "remaining_term": bool(np.isfinite(out["remaining_term"]).any()),
    }
    used = [c for c in STRENGTH_COMPONENTS if available[c]]
    for c in STRENGTH_COMPONENTS:
        if not available[c]:
            out[c] = np.nan
    vals = out[used].to_numpy(dtype=float) if used else np.zeros((len(out), 0))
    n_used = np.isfinite(vals).sum(axis=1)
    total = np.nansum(vals, axis=1) if used else np.zeros(len(out))
    out["strength"] = np.divide(total, n_used, out=np.zeros(len(out)), where=n_used > 0)
    out["strength_n"] = n_used.astype(np.int64)
    out["forward_citations_raw"] = fc.to_numpy(dtype=float, na_value=np.nan)
    out["family_size_raw"] = raw["family_size"].to_numpy(dtype=float, na_value=np.nan)
    out["offices"] = offices.astype(np.int64)
    out["claims_raw"] = raw["claims"].to_numpy(dtype=float, na_value=np.nan)
    out["years_left"] = years_left
    missing = [c for c in STRENGTH_COMPONENTS if c not in used]
    note = "strength = mean of " + (", ".join(used) if used else "no component")
    if "forward_citations" in used:
        note += "; forward citations " + ("as counted by the source" if use_source else "within the corpus, 5-year window")
    if missing:
        note += "; not in the data: " + ", ".join(missing)
    out.attrs.update({"components_used": used, "components_missing": missing, "note": note})
    return out
