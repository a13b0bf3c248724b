"""CNIPA's statistical definition of a "high-value invention patent" (高价值发明专利).

One implementation for every part of patentnav that counts them (the portfolio inventory,
quality profiles, the landscape report).

Definition (国家知识产权局, 2021年第二季度例行新闻发布会; the indicator 每万人口高价值发明专利拥有量
of the 14th Five-Year Plan): valid (in force) invention patents that meet at least one of

1. ``sei``: in a strategic emerging industry (战略性新兴产业的发明专利; here: an IPC code of the
   document maps to a field of the CNIPA 2021 SEI-IPC concordance, :mod:`patentnav.classify.sei`);
2. ``overseas_family``: with a patent family member abroad (在海外有同族专利权的发明专利; here:
   a family member published by an office other than the document's own, WO excluded:
   an international application is not a right anywhere);
3. ``maintained_10y``: maintained for more than 10 years (维持年限超过10年; here: in force on
   ``as_of`` and more than 10 years after the filing date, the start of CNIPA's 维持年限).
   **Evidence rule**: only for documents whose status rests on evidence (legal events in the
   data or an exported legal-status text, :func:`patentnav.status.status_evidence`); null
   otherwise. Without legal data the status rules assume a grant in force while no lapse is
   recorded, and every old grant would look maintained;
4. ``pledge_high``: pledge financing of a high amount (实现较高质押融资金额) - pledge amounts
   are in no export, so always unknown;
5. ``award``: a State Science and Technology Award or China Patent Award (获得国家科学技术奖或
   中国专利奖) - award lists are in no export, so always unknown.

The statistic counts domestic valid invention patents in China (``scope="CN"``, the default:
CN invention patents in force). With ``scope=None`` the same criteria are applied to invention
patents in force of any office ("overseas" = outside the document's own office), which is
useful for profiles but is not CNIPA's statistic.

Because criteria 4 and 5 can never be seen, ``high_value`` is a **lower bound**: for a
document in scope, True when a criterion the data show is met, False when the criteria the
data can test are all unmet, null when none can be tested (a patent meeting only 4 or 5 is
missed); ``attrs["unknown_criteria"]`` says so. Outside the scope it is False (not a valid
invention patent of the scope). A criterion whose input the corpus lacks for a document (no
family data, no status evidence) is null for it, never False. The portfolio and the quality
profiles both read these columns: one rule for both.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["HIGH_VALUE_CRITERIA", "UNKNOWN_CRITERIA", "high_value_inventions"]

#: Criteria in the order of the definition.
HIGH_VALUE_CRITERIA = ("sei", "overseas_family", "maintained_10y", "pledge_high", "award")
#: Criteria no bibliographic export carries.
UNKNOWN_CRITERIA = ("pledge_high", "award")
#: Document types that are inventions (not utility models or designs).
_INVENTION_TYPES = ("granted_patent", "application")
_NOT_RIGHTS = ("WO", "")


def _overseas(corpus) -> pd.array:
    """True / False / <NA> per document: a family member published by another office (not WO).

    Offices come from ``family_jurisdictions`` and the first two letters of
    ``family_members``; a document with neither, and no ``family_size`` of 1, is unknown.
    Vectorised over the (document, office) pairs.
    """
    t = corpus.table
    n = t.num_rows
    own = pc.utf8_upper(t["jurisdiction"].combine_chunks())
    known = np.zeros(n, dtype=bool)
    hit = np.zeros(n, dtype=bool)
    for col, prefix in (("family_jurisdictions", False), ("family_members", True)):
        arr = t[col].combine_chunks()
        lengths = pc.list_value_length(arr).fill_null(0).to_numpy(zero_copy_only=False)
        known |= lengths > 0
        if not lengths.sum():
            continue
        flat = pc.utf8_upper(pc.utf8_trim_whitespace(pc.list_flatten(arr)))
        if prefix:
            flat = pc.utf8_slice_codeunits(flat, 0, 2)
        rows = pc.list_parent_indices(arr)
        abroad = pc.and_(pc.not_equal(flat, own.take(rows)),
                         pc.invert(pc.is_in(flat, value_set=pa.array(_NOT_RIGHTS))))
        abroad = np.asarray(abroad.fill_null(False).to_numpy(zero_copy_only=False), dtype=bool)
        hit |= np.bincount(rows.to_numpy()[abroad], minlength=n).astype(bool)
    size = pd.array(t["family_size"].to_pandas(), dtype="Float64")
    known |= (size == 1).fillna(False).to_numpy(dtype=bool)  # a family of one has no member abroad
    res = pd.array(hit, dtype="boolean")
    res[~known & ~hit] = pd.NA
    return res


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
    from .indicators import _plain

    if scope not in ("CN", None):
        raise ValueError(f"scope must be 'CN' or None, not {scope!r}")
    asof = _as_of(as_of)
    if status is None:
        status = patent_status(corpus, as_of=asof)
    t = corpus.table
    n = t.num_rows
    status = _plain(status)
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

    crit = {"sei": hv_sei, "overseas_family": overseas, "maintained_10y": maint}
    testable = np.zeros(n, dtype=bool)
    which = np.zeros(n, dtype=np.int64)  # the criteria met, one bit each
    shown = ("sei", "overseas_family", "maintained_10y")
    for bit, c in enumerate(shown):
        which |= crit[c].fillna(False).to_numpy(dtype=bool).astype(np.int64) << bit
        testable |= ~crit[c].isna()
    met = which > 0
    value = pd.array(in_scope & met, dtype="boolean")
    value[in_scope & ~met & ~testable] = pd.NA  # nothing could be tested: unknown, not "no"
    joined = [",".join(c for bit, c in enumerate(shown) if k >> bit & 1) for k in range(1 << len(shown))]
    out = pd.DataFrame({  # made once: a frame's columns are costly to insert one by one
        "publication_number": _str_column(t["publication_number"]),
        "hv_in_scope": in_scope,
        "hv_invention": invention,
        "hv_sei": hv_sei,
        "hv_overseas_family": overseas,
        "hv_maintained_10y": maint,
        "hv_pledge_high": unknown,
        "hv_award": unknown.copy(),
        "high_value": value,
        "hv_criteria": _str_column(pa.array(joined, pa.large_string()).take(np.where(in_scope, which, 0))),
    })
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
