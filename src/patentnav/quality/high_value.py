"""CNIPA's high-value invention patent (高价值发明专利) in the quality profiles: which criteria
the data show.

The criteria, the evidence rule for "maintained over 10 years" (only where the status rests on
legal events or an exported status text) and the three-valued ``high_value`` are all
:func:`patentnav.landscape.high_value.high_value_inventions` (one implementation for the
portfolio and the profiles), called with ``scope=None``: the profiles compare regions,
applicants and agents of any office, and "abroad" means outside the document's own office.
This module only names the columns as the profiles use them and says which criteria the
corpus can show and why the others cannot be shown. A patent meeting none of the criteria
shown is counted "not high-value": the share is a lower bound (pledge amounts and awards are
in no patent export). Definitions: ``docs/methods.md``, section 13.
"""

from __future__ import annotations

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
        cut-off, any office), ``sei``, ``overseas_family``, ``maintained_10y``,
        ``high_value``: the shared definition's ``hv_in_scope``, ``hv_sei``,
        ``hv_overseas_family``, ``hv_maintained_10y`` and ``high_value`` unchanged (nullable
        booleans; False for documents that are not eligible). ``attrs``: ``shown``,
        ``not_shown``, ``notes`` (why not), ``eligible``.
    """
    from ..landscape.high_value import high_value_inventions
    from ..landscape.indicators import _plain
    from .maintenance import maintenance

    st = status if status is not None else maintenance(corpus)
    hv = _plain(high_value_inventions(corpus, status=_plain(st)[["status", "document_type", "jurisdiction"]],
                                      as_of=st.attrs.get("as_of"), scope=None))
    eligible = hv["hv_in_scope"].to_numpy(dtype=bool)
    crit = {c: hv[f"hv_{c}"].astype("boolean").array for c in SHOWABLE}
    out = pd.DataFrame({"publication_number": hv["publication_number"].array, "eligible": eligible, **crit,
                        "high_value": hv["high_value"].astype("boolean").to_numpy()})
    shown = [c for c in SHOWABLE if bool((~crit[c].isna())[eligible].any())]
    not_shown = [c for c in HIGH_VALUE_CRITERIA if c not in shown]
    out.attrs.update({"shown": shown, "not_shown": not_shown, "notes": {c: _WHY[c] for c in not_shown},
                      "eligible": int(eligible.sum())})
    return out
