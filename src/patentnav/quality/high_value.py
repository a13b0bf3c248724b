"""CNIPA's high-value invention patent (高价值发明专利) in the quality profiles: which criteria
the data show, with an evidence rule on top of the shared definition.

The criteria themselves are :func:`patentnav.landscape.high_value.high_value_inventions`
(one implementation for the portfolio and the profiles), called with ``scope=None``: the
profiles compare regions, applicants and agents of any office, and "abroad" means outside
the document's own office. On top of it, the profiles count a patent as maintained more
than 10 years only when its status rests on evidence (legal events or the exported status
text): a corpus without any legal data would otherwise call every old grant "maintained",
because the status rules assume a grant in force while no lapse is recorded. A patent
meeting none of the criteria shown is counted "not high-value": the share is a lower bound
(pledge amounts and awards are in no patent export). Definitions: ``docs/methods.md``,
section 13.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..landscape.high_value import HIGH_VALUE_CRITERIA, UNKNOWN_CRITERIA

__all__ = ["HIGH_VALUE_CRITERIA", "NOT_IN_PATENT_DATA", "SHOWABLE", "high_value"]

#: Criteria no patent export can show.
NOT_IN_PATENT_DATA = UNKNOWN_CRITERIA
#: Criteria bibliographic data can show.
SHOWABLE = tuple(c for c in HIGH_VALUE_CRITERIA if c not in UNKNOWN_CRITERIA)
_WHY = {"sei": "no IPC codes", "overseas_family": "no family jurisdictions or members",
        "maintained_10y": "no legal status or legal events", "pledge_high": "pledge amounts are not in patent data",
        "award": "China Patent Award and national S&T awards are not in patent data"}


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
        cut-off, any office), ``sei``, ``overseas_family``, ``maintained_10y`` (nullable
        booleans; maintained only with a status resting on evidence), ``high_value`` (for
        eligible documents: True when a shown criterion is met, False when none is, NA when
        none can be tested; NA for the others). ``attrs``: ``shown``, ``not_shown``,
        ``notes`` (why not), ``eligible``.
    """
    from ..landscape.high_value import high_value_inventions
    from .maintenance import maintenance

    st = status if status is not None else maintenance(corpus)
    frame = pd.DataFrame({"status": st["status"].to_numpy(dtype=object),
                          "document_type": st["document_type"].to_numpy(dtype=object),
                          "jurisdiction": st["jurisdiction"].to_numpy(dtype=object)})
    hv = high_value_inventions(corpus, status=frame, as_of=st.attrs.get("as_of"), scope=None)
    eligible = hv["hv_in_scope"].to_numpy(dtype=bool)
    crit = pd.DataFrame({c: hv[f"hv_{c}"].astype("boolean") for c in SHOWABLE})
    crit.loc[~st["status_known"].to_numpy(dtype=bool), "maintained_10y"] = pd.NA
    met = crit.fillna(False).any(axis=1).to_numpy()
    value = np.where(met, 1.0, np.where(crit.notna().any(axis=1).to_numpy(), 0.0, np.nan))
    out = pd.concat([pd.DataFrame({"publication_number": hv["publication_number"].to_numpy(), "eligible": eligible}), crit],
                    axis=1)
    out["high_value"] = pd.array(np.where(eligible, value, np.nan), dtype="Float64").astype("boolean")
    shown = [c for c in SHOWABLE if bool(crit.loc[eligible, c].notna().any())]
    not_shown = [c for c in HIGH_VALUE_CRITERIA if c not in shown]
    out.attrs.update({"shown": shown, "not_shown": not_shown, "notes": {c: _WHY[c] for c in not_shown},
                      "eligible": int(eligible.sum())})
    return out
