"""Whose portfolio: a holder (one or several names) or a region's holders, through the
harmonised names (:mod:`patentnav.names`) and the regions of :func:`patentnav.geo.assign_regions`."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["HolderSelection", "select_portfolio", "holder_matrix"]


@dataclass
class HolderSelection:
    """The documents of a portfolio.

    Attributes
    ----------
    rows : numpy.ndarray
        Corpus positions of the portfolio's documents, ascending.
    kind : {"holder", "region"}
    label : str
        The holder names or the region key, for titles.
    names : list of str
        The applicant names (harmonised where available) that make up the holder.
    co_owners : numpy.ndarray
        Per row: applicants of the document that are not the holder.
    unmatched : list of str
        Requested names found nowhere in the corpus.
    region : str or None
        The region key (region mode), or the holder's main country (holder mode).
    evidence : dict
        Region mode: documents per kind of location evidence (address, applicant country,
        priority country ...).
    holder_evidence : pandas.DataFrame
        Region mode: the region's applicants in the portfolio with the evidence that places
        each there (:func:`patentnav.geo.applicant_evidence`: ``applicant``, ``patents``,
        ``documents``, ``evidence``, ``located``). An applicant placed by the priority
        country only is *first filed* in the region, not located there.
    """

    rows: np.ndarray
    kind: str
    label: str
    names: list = field(default_factory=list)
    co_owners: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    unmatched: list = field(default_factory=list)
    region: str | None = None
    evidence: dict = field(default_factory=dict)
    holder_evidence: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def located(self) -> bool | None:
        """Region mode: does any applicant of the portfolio have location evidence in the
        region (firm list, address, applicant country)? None in holder mode."""
        if self.kind != "region":
            return None
        return bool(len(self.holder_evidence) and self.holder_evidence["located"].any())


def holder_matrix(corpus):
    """Documents x holders incidence over harmonised names when present, else raw names."""
    from ..landscape.incidence import incidence

    t = corpus.table
    harmonized = t["applicants_harmonized"]
    use_h = (pc.sum(pc.list_value_length(harmonized)).as_py() or 0) > 0
    return incidence(harmonized if use_h else t["applicants"]), use_h


def _pairs(corpus) -> pd.DataFrame:
    """(row, position, raw, harmonised, key) for every applicant mention, with normalised keys."""
    from ..names import normalize_names

    t = corpus.table
    raw = t["applicants"].combine_chunks()
    parent = pc.list_parent_indices(raw).to_numpy()
    flat_raw = pc.list_flatten(raw)
    harm = t["applicants_harmonized"].combine_chunks()
    same_len = pc.equal(pc.list_value_length(harm).fill_null(0), pc.list_value_length(raw).fill_null(0))
    aligned = bool(pc.all(same_len).as_py()) and (pc.sum(pc.list_value_length(harm)).as_py() or 0) > 0
    flat_h = pc.list_flatten(harm) if aligned else flat_raw

    def keys(arr: pa.Array) -> np.ndarray:  # normalise each distinct name once
        enc = pc.dictionary_encode(arr.cast(pa.string()))
        norm = normalize_names(enc.dictionary).to_numpy(zero_copy_only=False)
        idx = enc.indices.to_numpy(zero_copy_only=False)
        out = np.full(len(arr), None, dtype=object)
        ok = ~pd.isna(idx)
        out[ok] = np.asarray(norm, dtype=object)[idx[ok].astype(np.int64)]
        return out

    key_raw = keys(flat_raw)
    return pd.DataFrame({"row": parent, "raw": flat_raw.to_pandas().to_numpy(), "name": flat_h.to_pandas().to_numpy(),
                         "key_raw": key_raw, "key": key_raw if not aligned else keys(flat_h)})


def select_portfolio(corpus, holders=None, region: str | None = None, level: str | None = None,
                     assignment: pd.DataFrame | None = None) -> HolderSelection:
    """The documents held by ``holders`` (names, any spelling the names module normalises
    alike) or by the applicants placed in ``region`` (``CN``, ``CN-GD``, ``CN-GD-Shenzhen``)
    by :func:`patentnav.geo.assign_regions`, each with its evidence (``holder_evidence``:
    located by a firm list, address or applicant country, or only first filed there).

    A document belongs to the portfolio when one of its applicants is the holder; its other
    applicants are counted in ``co_owners``. Raises ValueError, naming the closest spellings
    known, when no name matches. ``assignment``: the region assignment at ``level``, when
    already computed.
    """
    from ..geo import applicant_evidence, assign_regions
    from ..names import normalize_names

    if (holders is None) == (region is None):
        raise ValueError("give either holder names or a region, not both and not neither")
    pairs = _pairs(corpus)
    if holders is not None:
        wanted = [h for h in ([holders] if isinstance(holders, str) else list(holders)) if str(h).strip()]
        keys = normalize_names(pa.array([str(h) for h in wanted], pa.string())).to_pylist()
        hit = pairs["key"].isin(keys) | pairs["key_raw"].isin(keys)
        found = set(pairs.loc[pairs["key"].isin(keys), "key"]) | set(pairs.loc[pairs["key_raw"].isin(keys), "key_raw"])
        unmatched = [w for w, k in zip(wanted, keys) if k not in found]
        if not hit.any():
            raise ValueError(_no_match(wanted, pairs))
        names = sorted(pairs.loc[hit, "name"].dropna().unique().tolist())
        label = "; ".join(wanted)
        reg, evidence = _main_country(corpus, pairs.loc[hit, "row"].unique()), {}
        kind = "holder"
    else:
        lvl = level or ("country" if "-" not in region else ("province" if region.count("-") == 1 else "city"))
        a = assignment if assignment is not None else assign_regions(corpus, level=lvl)
        mine = a[(a["region"].astype(str) == region) & (a["applicant_index"] >= 0)]
        if mine.empty:
            sizes = a.groupby(a["region"].astype(str))["weight"].sum().sort_values(ascending=False)
            top = ", ".join(f"{r} ({w:,.0f})" for r, w in sizes.drop(labels=["UNKNOWN"], errors="ignore").head(8).items())
            raise ValueError(f"region {region!r} has no applicant in this corpus at {lvl} level (largest regions: "
                             f"{top or 'none'}); use an ISO key such as CN, or CN-GD with address data")
        pubs = pd.Index(corpus["publication_number"].to_numpy())
        rows_in = pubs.get_indexer(mine["publication_number"].to_numpy())
        key_of = pairs.set_index(["row"]).groupby(level=0).cumcount()  # position within the document
        pos = pd.DataFrame({"row": pairs["row"].to_numpy(), "pos": key_of.to_numpy()})
        sel = pd.MultiIndex.from_arrays([rows_in, mine["applicant_index"].to_numpy()])
        hit = pd.MultiIndex.from_arrays([pos["row"], pos["pos"]]).isin(sel)
        names = sorted(pairs.loc[hit, "name"].dropna().unique().tolist())
        label, reg, unmatched, kind = region, region, [], "region"
        ev = mine.groupby("source_of_evidence", observed=True)["publication_number"].nunique()
        evidence = {str(k): int(v) for k, v in ev.items() if v}
        holder_ev = applicant_evidence(a, region)
    rows = np.unique(pairs.loc[hit, "row"].to_numpy())
    n_apps = np.bincount(pairs["row"], minlength=len(corpus))
    n_mine = np.bincount(pairs.loc[hit, "row"], minlength=len(corpus))
    co = (n_apps - n_mine)[rows]
    return HolderSelection(rows.astype(np.int64), kind, label, names, co.astype(np.int64), unmatched, reg, evidence,
                           holder_ev if kind == "region" else pd.DataFrame())


def _main_country(corpus, rows) -> str | None:
    """The country most of the holder's documents are first filed in (earliest priority)."""
    from ..geo import _earliest_priority_country

    cc = _earliest_priority_country(corpus.table)[np.asarray(rows, dtype=np.int64)]
    s = pd.Series(cc).dropna()
    return None if s.empty else str(s.value_counts().sort_index().sort_values(ascending=False, kind="mergesort").index[0])


def _no_match(wanted, pairs: pd.DataFrame) -> str:
    from rapidfuzz import process

    choices = pd.Series(pairs["name"].dropna().unique())
    hints = []
    for w in wanted[:3]:
        for name, score, _ in process.extract(str(w).upper(), choices.tolist(), limit=3):
            if score >= 60:
                hints.append(name)
    hint = ("; closest names: " + "; ".join(dict.fromkeys(hints))) if hints else ""
    return (f"no applicant matches {', '.join(map(repr, wanted))}{hint}. Names are compared after normalisation "
            "(case, punctuation, legal forms); run `patentnav names` to see the harmonised names")
