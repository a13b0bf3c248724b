"""CNIPA's high-value invention patent (高价值发明专利): which criteria the data can show.

CNIPA's statistical definition counts an invention patent in force (有效发明专利) as
high-value when it meets at least one of five criteria:

1. ``sei``: it falls in a strategic emerging industry (战略性新兴产业; by the CNIPA 2021
   IPC concordance, :mod:`patentnav.classify.sei`);
2. ``overseas_family``: it has a family member abroad (在海外有同族专利权);
3. ``maintained_10y``: it has been maintained for more than 10 years (维持年限超过10年);
4. ``pledge``: it was pledged for a high financing amount (实现较高质押融资金额);
5. ``award``: it won a China Patent Award or a national science and technology award
   (获得国家科学技术奖、中国专利奖).

Patent bibliographic data show the first three where the export carries IPC codes,
family members and the legal status; the pledge amount and the awards are in no patent
export (CNIPA's pledge registrations and the award lists are separate records). A patent
counted "not high-value" here meets none of the criteria the data show: the share is a
lower bound. Definitions: ``docs/methods.md``, section 12.

Reference: 国家知识产权局 (CNIPA), 《"十四五"国家知识产权保护和运用规划》指标说明 / 知识产权统计
"每万人口高价值发明专利拥有量" (the five categories above).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow.compute as pc

__all__ = ["HIGH_VALUE_CRITERIA", "NOT_IN_PATENT_DATA", "high_value", "foreign_family", "foreign_offices"]

#: The five criteria, in CNIPA's order.
HIGH_VALUE_CRITERIA = ("sei", "overseas_family", "maintained_10y", "pledge", "award")
#: Criteria no patent export can show.
NOT_IN_PATENT_DATA = ("pledge", "award")


def foreign_offices(corpus) -> tuple[np.ndarray, np.ndarray]:
    """Per document: how many distinct jurisdictions of ``family_jurisdictions`` are neither
    its own nor WO (an international application is no right abroad), and whether the data
    list family jurisdictions for it at all."""
    t = corpus.table
    fj = t["family_jurisdictions"].combine_chunks()
    parent = pc.list_parent_indices(fj).to_numpy()
    flat = np.asarray(pc.list_flatten(fj).to_numpy(zero_copy_only=False), dtype=object)
    own = np.asarray(pc.utf8_upper(t["jurisdiction"]).to_numpy(zero_copy_only=False), dtype=object)
    other = (flat != own[parent]) & (flat != "WO")
    listed = pc.greater(pc.list_value_length(fj), 0).to_numpy(zero_copy_only=False)
    return np.bincount(parent[other], minlength=len(corpus)), listed


def foreign_family(corpus) -> pd.Series:
    """Whether each document has a family member in another jurisdiction than its own (WO
    left out); NA where the data list no family jurisdictions for the document."""
    count, listed = foreign_offices(corpus)
    out = pd.Series(pd.array(count > 0, dtype="boolean"))
    out[~listed] = pd.NA
    return out


def high_value(corpus, status: pd.DataFrame | None = None, years: int = 10) -> pd.DataFrame:
    """The criteria of a high-value invention patent the data show, per document.

    Parameters
    ----------
    corpus : Corpus
    status : DataFrame, optional
        :func:`patentnav.quality.maintenance.maintenance` of the corpus (computed if absent).

    Returns
    -------
    pandas.DataFrame
        Corpus order: ``eligible`` (a granted invention patent not known to have ended on the
        cut-off: the CNIPA count is of patents in force), ``sei``, ``overseas_family``,
        ``maintained_10y`` (booleans, NA where the data cannot tell; maintained means in
        force on the cut-off, with a known status, and filed at least ``years`` years
        before), ``high_value`` (eligible and meeting at least one criterion shown; NA for
        documents that are not eligible). ``attrs["shown"]`` / ``attrs["not_shown"]`` list
        the criteria the corpus can and cannot show, ``attrs["notes"]`` say why.
    """
    from ..classify.sei import INDUSTRIES, sei_mask
    from .maintenance import maintenance

    st = status if status is not None else maintenance(corpus, years=years)
    t = corpus.table
    n = len(corpus)
    has_ipc = pc.greater(pc.list_value_length(t["ipc"]), 0).to_numpy(zero_copy_only=False)
    sei = pd.Series(pd.array(np.asarray(sei_mask(t["ipc"], list(INDUSTRIES)).to_numpy(zero_copy_only=False)), dtype="boolean"))
    sei[~has_ipc] = pd.NA
    fam = foreign_family(corpus)
    cut = pd.Timestamp(st.attrs["as_of"]) if st.attrs.get("as_of") else None
    filing = pd.to_datetime(pd.Series(t["filing_date"].to_pandas(), dtype="object"), errors="coerce")
    old = ((filing + pd.DateOffset(years=years)) <= cut).fillna(False).to_numpy() if cut is not None else np.zeros(n, bool)
    known = st["status_known"].to_numpy(dtype=bool)
    in_force = st["status"].to_numpy(dtype=object) == "in_force"
    maint = pd.Series(pd.array(in_force & old, dtype="boolean"))
    maint[~known] = pd.NA
    eligible = st["granted_invention"].to_numpy(dtype=bool) & ~st["ended"].fillna(False).to_numpy(dtype=bool)
    crit = pd.DataFrame({"sei": sei, "overseas_family": fam, "maintained_10y": maint})
    # one criterion met: high-value; none met among those known: not (a lower bound); none known: unknown
    anyc = crit.fillna(False).any(axis=1).to_numpy()
    hv = np.where(anyc, 1.0, np.where(crit.notna().any(axis=1).to_numpy(), 0.0, np.nan))
    hv = np.where(eligible, hv, np.nan)
    out = pd.DataFrame({"publication_number": t["publication_number"].to_numpy(), "eligible": eligible})
    out = pd.concat([out, crit], axis=1)
    out["high_value"] = pd.array(hv, dtype="Float64").astype("boolean")
    shown = [c for c in ("sei", "overseas_family", "maintained_10y") if bool(crit.loc[eligible, c].notna().any())]
    not_shown = [c for c in HIGH_VALUE_CRITERIA if c not in shown]
    why = {
        "sei": "no IPC codes",
        "overseas_family": "no family jurisdictions",
        "maintained_10y": "no legal status or legal events",
        "pledge": "pledge amounts are not in patent data (CNIPA pledge registrations)",
        "award": "China Patent Award and national S&T awards are not in patent data",
    }
    out.attrs.update({"shown": shown, "not_shown": not_shown, "notes": {c: why[c] for c in not_shown},
                      "eligible": int(eligible.sum())})
    return out
