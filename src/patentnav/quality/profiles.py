"""Quality profiles of groups of documents: regions, applicants, patent agents.

Per group: how many documents, and for each indicator the group's mean of the documents'
cohort-relative values (:func:`patentnav.quality.documents.document_quality`: 1 = the
world's documents of the same filing year and WIPO field), shrunk towards the world by
empirical Bayes with a 95% interval (:func:`patentnav.quality.shrinkage.shrink_means`), so
that a holder with three patents cannot top a table on luck; for the yes/no indicators
(PCT route, kept to year 10, CNIPA high-value) the share with a Wilson interval and the
share expected from the world in the same cohorts. Groups with fewer than ``min_docs``
documents are listed but not ranked. Definitions: ``docs/methods.md``, section 13.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..i18n import LocalizedError, Phrase
from ..landscape.indicators import _plain
from ..status import _arrow_text
from .documents import CONTINUOUS, LENGTHS, SHARES
from .shrinkage import Z95, shrink_arrays, wilson_interval

__all__ = ["BY", "RANK_DIRECTION", "MIN_DOCS", "MISSING_REASON", "QualityProfiles", "group_members", "quality_profiles",
           "aggregate"]

BY = ("region", "applicant", "agent")
#: Groups with fewer documents are listed, not ranked.
MIN_DOCS = 5
#: +1: a higher value ranks first; -1: a lower value ranks first (a shorter claim is broader,
#: a shorter grant lag faster; Squicciarini et al. 2013 treat a shorter lag as better).
RANK_DIRECTION = {"quality_index": 1, "independent_claims": 1, "first_claim_words": -1,
                  "shortest_independent_claim_words": -1, "total_claims": 1, "dependent_ratio": 1,
                  "family_breadth": 1, "grant_lag": -1}


#: Why an indicator is missing from a corpus, as a code (label ``q.missing.<code>``).
MISSING_REASON = {"independent_claims": "claims", "first_claim_words": "claims", "shortest_independent_claim_words": "claims",
                  "total_claims": "claims", "dependent_ratio": "claims", "family_breadth": "family", "pct": "family",
                  "kept_10y": "kept", "grant_lag": "grant_lag", "high_value": "high_value", "quality_index": "quality_index"}


@dataclass
class QualityProfiles:
    """The result of :func:`quality_profiles`.

    Attributes
    ----------
    by : str
        ``region``, ``applicant`` or ``agent``.
    table : pandas.DataFrame
        One row per group, ranked groups first (by ``rank``), then the groups under
        ``min_docs`` (by documents). Columns: ``group``, ``documents``, ``ranked``, ``rank``;
        per indicator of :data:`~patentnav.quality.documents.CONTINUOUS` ``<c>_n``
        (documents with a value), ``<c>_mean`` (raw mean; NaN for claim lengths mixing words
        and Han characters), ``<c>_rel`` (mean relative value) with ``<c>_rel_lo``,
        ``<c>_rel_hi`` (its 95% normal interval, unshrunk: one large group against the
        world), ``<c>_est`` (empirical-Bayes estimate, for ranking many groups), ``<c>_lo``,
        ``<c>_hi``, ``<c>_expected`` (the world's mean in the same cohorts);
        ``publication_numbers`` (the group's documents); per share of :data:`~patentnav.quality.documents.SHARES`
        ``<s>_n``, ``<s>_share``, ``<s>_lo``, ``<s>_hi``, ``<s>_expected``. With ``by="applicant"``
        and a region: ``evidence``, the strongest evidence that places the applicant there
        (:func:`patentnav.geo.applicant_evidence`: ``firms``, ``address``, ``applicant_country``
        locate it; ``priority``/``jurisdiction`` only say where the invention was first filed).
    world : dict
        The same measures over all documents of the corpus, and per indicator ``<c>_shrink_to``
        (the common mean the groups shrink towards) and ``<c>_tau2`` (between-group variance;
        0: the data do not distinguish the groups on that indicator).
    documents : int
        Documents the profiles rest on (with at least one group).
    corpus_documents : int
        Documents of the corpus (the world).
    available, unavailable : list of str
        Indicators the corpus gives (for at least one document) and cannot give.
    availability : dict
        Indicator -> note (for how many documents, why not for the others).
    params : dict
        ``by``, ``region``, ``level``, ``min_docs``, ``rank_by``, ``as_of``, ``high_value``
        (criteria shown and not shown), ``placed_by`` (``by="region"``: share of the documents
        placed by each source of evidence, :func:`patentnav.geo.source_summary`).
    mapping : pandas.DataFrame or None
        Raw -> canonical names (applicants, agents).
    """

    by: str
    table: pd.DataFrame
    world: dict
    documents: int
    corpus_documents: int
    available: list
    unavailable: list
    availability: dict
    params: dict = field(default_factory=dict)
    mapping: pd.DataFrame | None = None

    @property
    def ranked(self) -> pd.DataFrame:
        return self.table[self.table["ranked"]]

    @property
    def distinguishes(self) -> bool:
        """Whether the groups differ on the ranking indicator beyond chance (between-group
        variance above 0); when not, every shrunk estimate is the common mean and all ranked
        groups share rank 1."""
        tau2 = self.world.get(f"{self.params['rank_by']}_tau2")
        return bool(tau2 is not None and np.isfinite(tau2) and tau2 > 0)


def _region_level(region: str) -> str:
    n = region.count("-")
    return "country" if n == 0 else "province" if n == 1 else "city"


def group_members(corpus, by: str, region: str | None = None, level: str | None = None, aliases=None, firms=None,
                  assign: pd.DataFrame | None = None, mapping: pd.DataFrame | None = None,
                  assign_rows: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, pd.DataFrame | None]:
    """(document row, group name) pairs, each pair once, and the name mapping.

    ``by="applicant"``: harmonised applicant names (:meth:`Corpus.harmonize_applicants`, with the
    family evidence; full counting: a document counts for each
    of its applicants); with ``region``, only applicants located there
    (:func:`patentnav.geo.assign_regions`). ``by="agent"``: harmonised representatives; with
    ``region``, of the documents with an applicant there. ``by="region"``: the region of
    each applicant at ``level`` (default: the level of ``region``, else country). ``firms``
    (names) puts those applicants in the region ``FIRMS``, as :func:`~patentnav.geo.assign_regions`.
    ``assign`` (that function's result) and ``mapping`` (raw -> canonical names of this
    group kind, as ``NameHarmonizer.mapping_``) are reused when given, and so is
    ``assign_rows`` (:func:`_assign_rows` of ``assign``).
    """
    from ..geo import assign_regions
    from ..model.corpus import harmonize_list
    from ..model.shared import row_index

    if by not in BY:
        raise LocalizedError("err.quality_by", choices=", ".join(BY), value=by)
    t = corpus.table
    n = len(corpus)
    pubs = row_index(corpus)  # made once per corpus
    lvl = level or (_region_level(region) if region and not firms else "country")
    if assign is None and (by == "region" or region):
        assign = assign_regions(corpus, level=lvl, firms=firms)
    if region and by != "region" and not (assign["region"] == region).any():
        size = assign.groupby(assign["region"].astype(str))["weight"].sum().drop(labels=["UNKNOWN"], errors="ignore")
        known = ", ".join(f"{r} ({w:,.0f})" for r, w in size.sort_values(ascending=False).head(10).items()) or Phrase("err.none")
        raise LocalizedError("err.region_absent", region=str(region), level=Phrase(f"geo.level.{lvl}"), known=known)
    if assign is not None and assign_rows is None and (by == "region" or (by == "applicant" and region)):
        assign_rows = _assign_rows(corpus, pubs, assign)
    if by == "region":
        rows, names = _unique_pairs(assign_rows, _arrow_text(assign["region"]), dropna=False)
        return rows, names, None
    col = t["applicants" if by == "applicant" else "agents"].combine_chunks()
    if mapping is None and by == "applicant":  # with the family evidence, as everywhere else
        h = corpus.harmonize_applicants(aliases=aliases)
        lists, mapping = h.table["applicants_harmonized"].combine_chunks(), h.applicant_mapping
        flat, rows = pc.list_flatten(lists), pc.list_parent_indices(lists).to_numpy().astype(np.int64)
    elif mapping is None:
        lists, mapping = harmonize_list(col, aliases=aliases)
        flat, rows = pc.list_flatten(lists), pc.list_parent_indices(lists).to_numpy().astype(np.int64)
    else:
        flat, rows = _canonical(pc.list_flatten(col), mapping), pc.list_parent_indices(col).to_numpy().astype(np.int64)
    names = flat
    if by == "applicant" and region:
        local = ((assign["region"] == region) & (assign["applicant_index"] >= 0)).to_numpy()
        raw = assign["applicant_raw" if "applicant_raw" in assign else "applicant"][local]  # as written; mapped like the rest
        names = _canonical(_arrow_text(raw).cast(pa.string()), mapping)
        rows = assign_rows[local]
    elif region:
        keep = np.zeros(n, dtype=bool)
        keep[pubs.get_indexer(assign.loc[assign["region"] == region, "publication_number"].unique())] = True
        names, rows = names.filter(pa.array(keep[rows])), rows[keep[rows]]
    rows, names = _unique_pairs(rows, names)
    return rows, names, mapping


def _assign_rows(corpus, pubs: pd.Index, assign: pd.DataFrame) -> np.ndarray:
    """``pubs.get_indexer(assign["publication_number"])`` (``pubs``: :func:`patentnav.model.shared.row_index`):
    the corpus row of each assignment row, as integers from :func:`patentnav.geo.assignment_rows`
    (no hashing of the numbers when the assignment lists the corpus in order), a missing number
    in no row; pandas' own lookup (and error) when the corpus repeats a publication number."""
    from ..geo import assignment_rows

    if not pubs.is_unique:
        return pubs.get_indexer(assign["publication_number"]).astype(np.int64)
    rows = assignment_rows(corpus, assign)
    missing = assign["publication_number"].isna().to_numpy()
    if missing.any():  # no row for a missing number (as Arrow's index_in skipping nulls)
        rows = np.where(missing, -1, rows)
    return rows


def _unique_pairs(rows: np.ndarray, names: pa.Array, dropna: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """The (row, name) pairs (without null names when ``dropna``), each once, in the order of
    first occurrence (as ``DataFrame.dropna().drop_duplicates()``), deduplicated on integer
    codes; names as an object array."""
    if isinstance(names, pa.ChunkedArray):
        names = names.combine_chunks()
    enc = pc.dictionary_encode(names, null_encoding="mask" if dropna else "encode")
    codes = enc.indices.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    valid = np.flatnonzero(np.asarray(pc.is_valid(enc.indices).to_numpy(zero_copy_only=False), dtype=bool))
    key = (rows[valid] + 1) * (len(enc.dictionary) + 1) + codes[valid]
    take = valid[~pd.Index(key).duplicated()]
    names_of = np.asarray(enc.dictionary.to_numpy(zero_copy_only=False), dtype=object)  # a null encoded: None
    return rows[take], names_of[codes[take]]


def _canonical(raw: pa.Array, mapping: pd.DataFrame) -> pa.Array:
    """Canonical name of each raw name (itself when the mapping does not know it)."""
    idx = pc.index_in(raw, value_set=_arrow_text(mapping["raw"]).cast(raw.type))
    return pc.coalesce(_arrow_text(mapping["canonical"]).cast(raw.type).take(idx), raw)


def _group_means(values: np.ndarray, codes: np.ndarray, G: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per group: values present, mean, and standard error of the mean (NaN under 2 values)."""
    ok = ~np.isnan(values)
    g, v = codes[ok], values[ok]
    n = np.bincount(g, minlength=G).astype(np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = np.bincount(g, weights=v, minlength=G) / n
        var = (np.bincount(g, weights=v ** 2, minlength=G) - n * mean ** 2) / (n - 1)
        se = np.where(n > 1, np.sqrt(np.maximum(var, 0.0) / n), np.nan)
    return n, mean, se


def _continuous(docs: pd.DataFrame, c: str, rows: np.ndarray, codes: np.ndarray, G: int, han: np.ndarray) -> tuple[dict, dict]:
    """Group columns and world values of one indicator compared as a mean (``docs``: a frame
    without ``attrs``, :func:`~patentnav.landscape.indicators._plain`)."""
    rel_all = docs[f"{c}_rel"].to_numpy(dtype=np.float64)
    raw_all = docs[c].to_numpy(dtype=np.float64)
    rel = rel_all[rows]
    sh, sh_attrs = shrink_arrays(rel, codes, G)
    _, rmean, se = _group_means(rel, codes, G)
    n, mean, _ = _group_means(raw_all[rows], codes, G)
    _, expected, _ = _group_means(np.where(np.isnan(raw_all), np.nan, docs[f"{c}_expected"].to_numpy(dtype=np.float64))[rows], codes, G)
    if c in LENGTHS:  # a mean of words and Han characters is no length
        h, _, _ = _group_means(np.where(np.isnan(raw_all) | ~han, np.nan, 1.0)[rows], codes, G)
        mixed = (h > 0) & (h < n)
        mean, expected = np.where(mixed, np.nan, mean), np.where(mixed, np.nan, expected)
    cols = {f"{c}_n": sh["n"], f"{c}_mean": mean, f"{c}_expected": expected, f"{c}_rel": sh["mean"],
            f"{c}_rel_lo": rmean - Z95 * se, f"{c}_rel_hi": rmean + Z95 * se, f"{c}_est": sh["estimate"],
            f"{c}_lo": sh["lo"], f"{c}_hi": sh["hi"]}
    known = ~np.isnan(raw_all)
    mixed_world = c in LENGTHS and 0 < int(han[known].sum()) < int(known.sum())
    wm = np.nan if mixed_world or not known.any() else float(raw_all[known].mean())
    mu = float(np.nanmean(rel_all)) if np.isfinite(rel_all).any() else np.nan  # the world: 1 by construction
    world = {f"{c}_n": int(np.isfinite(rel_all).sum()), f"{c}_mean": wm, f"{c}_expected": wm, f"{c}_rel": mu,
             f"{c}_rel_lo": np.nan, f"{c}_rel_hi": np.nan, f"{c}_est": mu, f"{c}_lo": np.nan, f"{c}_hi": np.nan,
             f"{c}_shrink_to": sh_attrs["mu"], f"{c}_tau2": sh_attrs["tau2"]}
    return cols, world


def _share(docs: pd.DataFrame, c: str, rows: np.ndarray, codes: np.ndarray, G: int) -> tuple[dict, dict]:
    """Group columns and world values of one yes/no indicator compared as a share (``docs``
    without ``attrs``, :func:`~patentnav.landscape.indicators._plain`)."""
    v_all = docs[c].to_numpy(dtype=np.float64)
    n, share, _ = _group_means(v_all[rows], codes, G)
    _, expected, _ = _group_means(docs[f"{c}_expected"].to_numpy(dtype=np.float64)[rows], codes, G)
    k = np.nan_to_num(share * n)
    lo, hi = wilson_interval(k, n)
    known = v_all[~np.isnan(v_all)]
    wl, wh = wilson_interval([known.sum()], [len(known)])
    ws = float(known.mean()) if len(known) else np.nan
    return ({f"{c}_n": n.astype(np.int64), f"{c}_share": share, f"{c}_lo": lo, f"{c}_hi": hi, f"{c}_expected": expected},
            {f"{c}_n": len(known), f"{c}_share": ws, f"{c}_lo": float(wl[0]), f"{c}_hi": float(wh[0]), f"{c}_expected": ws})


def _ranking(key: np.ndarray, documents: np.ndarray, min_docs: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(ranked, rank, order) of groups in sorted name order (their positions): ranked where
    ``documents >= min_docs`` and ``key`` (higher first) is known; ``rank`` the place of a
    ranked group (equal keys, rounded to 9 decimals, share the better place; 0 for the
    others); ``order`` the ranked groups by key, more documents, name, then the others by
    more documents, name. The sorts of the former frame (``sort_values`` with ties broken by
    name) on integers: the positions are the name order."""
    ranked = (documents >= min_docs) & ~np.isnan(key)
    k = -np.round(key, 9)
    pos = np.arange(len(key))
    r, rest = pos[ranked], pos[~ranked]
    r = r[np.lexsort((r, -documents[r], k[r]))]
    rest = rest[np.lexsort((rest, -documents[rest]))]
    rank = np.zeros(len(key), dtype=np.int64)
    rank[r] = np.searchsorted(np.sort(k[r]), k[r], side="left") + 1
    return ranked, rank, np.concatenate([r, rest])


def aggregate(docs: pd.DataFrame, rows: np.ndarray, groups: np.ndarray, min_docs: int = MIN_DOCS,
              rank_by: str = "quality_index", members: bool = True) -> tuple[pd.DataFrame, dict]:
    """Profiles of the groups from the document table (:func:`document_quality`) and the
    (document row, group) pairs; returns ``(table, world)`` (see :class:`QualityProfiles`).
    ``members=False`` leaves out the ``publication_numbers`` lists (a list per group of every
    document: the landscape report shows none of them). The measures are arrays per group
    (in name order), ranked with :func:`_ranking` and made a frame once, in table order."""
    codes, uniq = pd.factorize(pd.Series(groups, dtype=object), sort=True)
    G = len(uniq)
    rows = np.asarray(rows, dtype=np.int64)
    docs = _plain(docs)
    out: dict[str, object] = {"group": np.asarray(uniq, dtype=object), "documents": np.bincount(codes, minlength=G)}
    world: dict[str, object] = {"group": "world", "documents": len(docs)}
    han = (docs["claim_length_unit"] == "han").to_numpy() if "claim_length_unit" in docs else np.zeros(len(docs), bool)
    for c in CONTINUOUS:
        cols, w = _continuous(docs, c, rows, codes, G, han)
        out.update(cols)
        world.update(w)
    for c in SHARES:
        cols, w = _share(docs, c, rows, codes, G)
        out.update(cols)
        world.update(w)
    if members:
        out["publication_numbers"] = _members_of(docs["publication_number"], rows, codes, G)
    ranked, rank, order = _ranking(np.asarray(out[f"{rank_by}_est"] * RANK_DIRECTION[rank_by], dtype=np.float64),
                                   out["documents"], min_docs)
    lead = {"group": out.pop("group"), "documents": out.pop("documents"), "ranked": ranked,
            "rank": pd.arrays.IntegerArray(rank, ~ranked)}
    table = {k: ([v[i] for i in order] if isinstance(v, list) else v[order]) for k, v in {**lead, **out}.items()}
    return pd.DataFrame(table), world


def _members_of(pubs: pd.Series, rows: np.ndarray, codes: np.ndarray, n_groups: int) -> list[list[str]]:
    """The publication numbers of each group, sorted (one list per group, not per document):
    the documents are ranked once by publication number (an Arrow sort), the pairs by
    (group, rank) on integers."""
    arr = pc.fill_null(_arrow_text(pubs), "nan")  # as str() writes a missing number
    rank = np.empty(len(arr), dtype=np.int64)
    rank[pc.sort_indices(arr).to_numpy()] = np.arange(len(arr))
    order = np.lexsort((rank[rows], codes))
    ps = np.asarray(arr.take(pa.array(rows[order])).to_numpy(zero_copy_only=False), dtype=object)
    bounds = np.concatenate([[0], np.cumsum(np.bincount(codes, minlength=n_groups))])
    return [ps[bounds[g]:bounds[g + 1]].tolist() for g in range(n_groups)]


def quality_profiles(corpus, by: str = "applicant", region: str | None = None, level: str | None = None,
                     min_docs: int = MIN_DOCS, rank_by: str = "quality_index", as_of=None, aliases=None,
                     docs: pd.DataFrame | None = None, graph=None, firms=None) -> QualityProfiles:
    """Quality profiles of the regions, applicants or agents of a corpus against the world.

    Parameters
    ----------
    corpus : Corpus
        The world: cohort means and the shrinkage target are over all its documents.
    by : {"region", "applicant", "agent"}
    region : str, optional
        ISO 3166 key (``CN``, ``CN-GD``, ``CN-GD-Shenzhen``): with ``by="applicant"`` only the
        applicants placed there (with the evidence, column ``evidence``), with ``by="agent"`` the agents of documents with an
        applicant there (:func:`patentnav.geo.assign_regions`).
    level : {"country", "province", "city"}, optional
        Region level for ``by="region"`` (default: the level of ``region``, else country).
    min_docs : int
        Groups with fewer documents are listed, not ranked (default 5).
    rank_by : str
        An indicator of :data:`~patentnav.quality.documents.CONTINUOUS` (default the OECD
        composite quality index); :data:`RANK_DIRECTION` says whether higher or lower ranks
        first. Ranking uses the shrunk estimate.
    as_of : date-like, optional
        Legal-status cut-off (default: the latest date in the data).
    aliases : path or list, optional
        Name aliases for :class:`patentnav.names.NameHarmonizer`.
    docs : DataFrame, optional
        :func:`~patentnav.quality.documents.document_quality` of the corpus, when computed.
    graph : CitationGraph, optional
        The corpus's citation graph, when built.
    firms : list of str, optional
        Applicants that form the region ``FIRMS`` (:func:`patentnav.geo.assign_regions`).

    Returns
    -------
    QualityProfiles

    Examples
    --------
    >>> p = quality_profiles(patentnav.datasets.drones(), by="applicant")  # doctest: +SKIP
    >>> p.ranked[["rank", "group", "documents", "quality_index_est"]].head()  # doctest: +SKIP
    """
    from .documents import document_quality

    if rank_by not in RANK_DIRECTION:
        raise LocalizedError("err.quality_rank_by", choices=", ".join(RANK_DIRECTION), value=rank_by)
    if min_docs < 1:
        raise ValueError("min_docs must be at least 1")
    if docs is None:
        docs = document_quality(corpus, as_of=as_of, graph=graph)
    assign = None
    if by == "region" or (by == "applicant" and region):
        from ..geo import assign_regions

        assign = assign_regions(corpus, level=level or (_region_level(region) if region and not firms else "country"),
                                firms=firms)
    rows, groups, mapping = group_members(corpus, by, region=region, level=level, aliases=aliases, firms=firms,
                                          assign=assign)
    table, world = aggregate(docs, rows, groups, min_docs=min_docs, rank_by=rank_by)
    placed_by = {}
    if by == "region":  # on what evidence documents were placed in regions (mostly a proxy without addresses)
        from ..geo import source_summary

        placed_by = {str(k): float(v) for k, v in source_summary(assign)["share"].items() if v > 0}
    elif assign is not None:  # how each applicant is placed in the region (issue 12: a proxy is not "local")
        from ..geo import applicant_evidence

        ev = applicant_evidence(assign, region)
        table["evidence"] = table["group"].map(dict(zip(ev["applicant"], ev["evidence"])))
    notes = dict(docs.attrs.get("availability", {}))
    avail = [c for c in CONTINUOUS + SHARES if docs[c].notna().any()]
    unavail = [c for c in CONTINUOUS + SHARES if c not in avail]
    return QualityProfiles(
        by=by, table=table, world=world, documents=int(len(np.unique(rows))), corpus_documents=len(docs),
        available=avail, unavailable=unavail, availability=notes, mapping=mapping,
        params={"by": by, "region": region, "level": level or (_region_level(region) if region else "country"),
                "min_docs": int(min_docs), "rank_by": rank_by, "as_of": docs.attrs.get("as_of"),
                "high_value": docs.attrs.get("high_value", {}), "placed_by": placed_by},
    )
