"""Gap detection (产业短板): which technologies a region lacks, how feasible they are to fill,
and who holds the patents that would fill them.

Steps (every formula in ``docs/methods.md``, section "Regional positioning and gaps"):

1. Region x technology matrix ``X = R' T``: ``R`` documents x regions (fractional applicant
   weights from :func:`patentnav.geo.assign_regions`, each document sums to 1), ``T``
   documents x technologies (binary; a document counts fully in each of its technologies).
2. Specialisation measures of :mod:`patentnav.landscape.specialization` (Balassa RCA,
   presence, proximity, relatedness density, PCI), ecomplexity conventions.
3. World size (documents per technology, all regions) and world growth (CAGR of the
   technology's documents per priority year over the last ``growth_years`` complete years).
4. Categories for the chosen region ``r`` and technology ``t``:

   * ``strength``  (strength to consolidate): RCA_rt >= 1;
   * ``declining`` (declining field): RCA_rt < 1 and world growth < 0;
   * ``fill_now``  (weak but related to local strengths): RCA_rt < 1, growth >= 0,
     density_rt > 0 (some related strength exists) and density_rt >= the median density of
     the region's non-specialised technologies; with density 0 everywhere nothing is
     "fill now" (``params["related_gaps"]`` is 0);
   * ``long_term`` (weak and unrelated): the remaining RCA_rt < 1 technologies.

5. Ranking of gaps (RCA < 1): ``gap_score = (1 - RCA_rt) * log(1 + world_t) * (1 + max(g_t, 0))``
   (under-specialisation x world size x world growth), and ``feasibility`` = the share of
   the region's other gaps with a strictly lower density (0 where density is 0). The table is sorted by category (fill_now,
   long_term, declining), then by gap_score.
6. Who holds what, at the cut-off (status and term from :mod:`patentnav.status`):
   key patents to acquire or license are *live* rights (in force first, then pending), with
   their remaining term; *ended* rights (expired, lapsed, withdrawn or refused) are listed
   apart as free to use; closest firms are split into located firms (firm list, address,
   applicant country) and firms placed in the region only by their first filing.
   :meth:`GapAnalysis.technology_rights` gives every document of a technology with its right
   and the evidence placing its applicants in the region: the portfolio's bring-in and
   free-to-use lists read it (one classification for both reports).

Holders and firms are counted by harmonised names: a corpus never harmonised is harmonised
first (``harmonize=True``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from .incidence import code_incidence

__all__ = ["GapAnalysis", "region_technology", "gaps", "document_rights", "CATEGORIES", "LIVE", "ENDED"]

CATEGORIES = {
    "fill_now": ("fill now: weak but related to local strengths", "近期补链：基础薄弱但与本地优势相关"),
    "long_term": ("long-term bet: weak and unrelated", "长期布局：基础薄弱且关联度低"),
    "declining": ("declining field", "衰退领域"),
    "strength": ("strength to consolidate", "优势巩固"),
}
_ORDER = {"fill_now": 0, "long_term": 1, "declining": 2, "strength": 3}

#: The ranking formulas, stated in every result.
FORMULAS = {
    "matrix": "X[r, t] = sum over documents d of w(d, r) * T[d, t]; w = fractional applicant weight (sums to 1 per document), T = 1 if d has technology t",
    "rca": "RCA[r, t] = (X[r, t] / X[r, .]) / (X[., t] / X[., .])  (Balassa 1965)",
    "density": "density[r, t] = sum_j M[r, j] phi[t, j] / sum_j phi[t, j]  (ecomplexity; phi = min conditional probability of co-specialisation)",
    "world_growth": "CAGR of the technology's documents per priority year over the last complete years",
    "gap_score": "gap_score = (1 - RCA) * ln(1 + world documents) * (1 + max(world_growth, 0)), for RCA < 1",
    "feasibility": "share of the region's other RCA < 1 technologies with a strictly lower density: (rank_min - 1) / (n - 1); 0 where density is 0",
    "fill_now": "fill now: RCA < 1, world growth >= 0, density > 0 and density >= the median density of the region's RCA < 1 technologies",
    "key_patents": "live rights (status in force, then pending, at the cut-off; patentnav.status) ranked by the source's forward citations, then family size",
    "free_to_use": "ended rights (expired, lapsed, withdrawn or refused at the cut-off) ranked the same way; other live patents may still cover the same product",
    "closest_local_firms": "score(f, t) = sum_j phi[t, j] * X_f[j], X_f = the firm's fractional documents per technology; local = located by firm list, address or applicant country",
}


def _technology_lists(corpus, technology: str, level: str):
    """Per-document technology lists for ``technology`` in {ipc, cpc, wipo, sei}."""
    if technology in ("ipc", "cpc"):
        inc = code_incidence(corpus, technology, level)
        return inc
    from .incidence import incidence

    if technology == "wipo":
        from ..classify.wipo import wipo_fields_array

        lists = wipo_fields_array(corpus["ipc"]).cast(pa.list_(pa.string()))
        return incidence(lists, corpus["publication_number"].to_numpy())
    if technology == "sei":
        from ..classify.sei import sei_fields_array

        return incidence(sei_fields_array(corpus["ipc"]), corpus["publication_number"].to_numpy())
    from ..i18n import LocalizedError

    raise LocalizedError("err.technology", choices="ipc, cpc, wipo, sei", value=technology)


def region_technology(corpus, assignment: pd.DataFrame, technology: str = "ipc", level: str = "subclass"):
    """Region x technology matrix ``X = R' T`` and its parts (see the module docstring)."""
    R, regions, T, techs = _region_parts(corpus, assignment, technology, level)
    X = np.asarray((R.T @ T).todense())
    return X, regions, techs, R, T


def _region_parts(corpus, assignment: pd.DataFrame, technology: str, level: str, rows: np.ndarray | None = None):
    """``R`` (documents x regions, fractional weights), its regions, ``T`` (documents x
    technologies, binary, float) and its technologies.

    ``R`` is a COO matrix with one entry per applicant row of the assignment (duplicates not
    summed): two of a document's three applicants in one region are two entries of 1/3, which
    :func:`patentnav.engine.aggregates.fractional_product` needs to count them as the engines do;
    any product or conversion sums them. Its entries are the assignment's rows whose document
    is in the corpus, in order; ``rows``: :func:`patentnav.geo.assignment_rows`, when already made."""
    inc = _technology_lists(corpus, technology, level)
    if rows is None:
        from ..geo import assignment_rows

        rows = assignment_rows(corpus, assignment)
    ok = rows >= 0
    everything = bool(ok.all())
    rcodes, regions = _sorted_codes(assignment["region"] if everything else assignment["region"][ok])
    R = sp.coo_matrix((assignment["weight"].to_numpy(dtype=float)[ok], (rows[ok], rcodes)), shape=(len(corpus), len(regions)))
    return R, regions, inc.matrix.astype(np.float64), inc.items.astype(str)


def _arrow(values: pd.Series) -> pa.Array:
    """The values of a Series as one Arrow array (no copy for Arrow-backed values in one chunk)."""
    arr = pa.array(values)
    return arr.combine_chunks() if isinstance(arr, pa.ChunkedArray) else arr


def _sorted_codes(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """``pd.factorize(values.astype(str).to_numpy(), sort=True)`` (codes, distinct values in
    np.unique's order, object array). Arrow-backed strings without nulls are dictionary-encoded
    in Arrow, so that only the distinct values become Python strings."""
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow" and not values.hasnans:
        enc = pc.dictionary_encode(_arrow(values))
        uniques = np.asarray(enc.dictionary.to_pylist(), dtype=object)
        order = np.argsort(uniques)  # distinct strings: Python's order, as factorize sorts them
        new = np.empty(len(order), dtype=np.int64)
        new[order] = np.arange(len(order))
        return new[enc.indices.to_numpy()], uniques[order]
    codes, uniques = pd.factorize(values.astype(str).to_numpy(), sort=True)
    return codes, np.asarray(uniques, dtype=object)


@dataclass
class GapAnalysis:
    """Result of :func:`gaps`.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per technology, ranked (see the module docstring): ``technology``, ``title``,
        ``category``, ``category_en``, ``category_zh``, ``region_documents``, ``region_share``
        (of the region's documents), ``world_share``, ``rca``, ``density``, ``feasibility``,
        ``pci`` (NaN outside the largest connected component), ``world_documents``,
        ``world_growth``, ``gap_score``; live rights: ``key_patents``, ``key_patents_status``,
        ``key_patents_years_left``, ``live_holders``, ``live_documents``, ``expiring``;
        ended rights: ``free_to_use``, ``free_to_use_status``, ``free_to_use_since``,
        ``ended_documents``; ``status_unknown_documents``; ``holders`` (all documents),
        ``held_outside_share``, ``closest_local_firms`` (located), ``closest_first_filed_firms``
        (placed by a proxy only).
    region : str
    specialization : Specialization
        All measures for every region (``patentnav.landscape.specialization``).
    formulas : dict
        Every ranking formula, as text.
    params : dict
    """

    table: pd.DataFrame
    region: str
    specialization: object
    formulas: dict = field(default_factory=lambda: dict(FORMULAS))
    params: dict = field(default_factory=dict)
    #: :func:`document_rights` of every document at the cut-off (corpus order).
    rights: pd.DataFrame | None = field(default=None, repr=False)
    #: The region assignment the analysis used (:func:`patentnav.geo.assign_regions`).
    assignment: pd.DataFrame | None = field(default=None, repr=False)
    #: Documents x technologies (CSC) and its technology keys, as the table defines them.
    technology_matrix: sp.csc_matrix | None = field(default=None, repr=False)
    technology_items: np.ndarray | None = field(default=None, repr=False)
    #: Per document: the evidence placing one of its applicants in the region (or None);
    #: None until :attr:`region_evidence` first makes it (the landscape report never asks).
    _evidence: np.ndarray | None = field(default=None, init=False, repr=False)

    @property
    def region_evidence(self) -> np.ndarray:
        """Per document (corpus order): the evidence placing one of its applicants in the region,
        or None (:func:`patentnav.geo.document_evidence` of :attr:`assignment`), made on first use."""
        if self._evidence is None:
            from ..geo import document_evidence

            self._evidence = document_evidence(self.assignment, self.region, self.rights["publication_number"].to_numpy())
        return self._evidence

    def technology_rights(self, technologies=None) -> pd.DataFrame:
        """The documents of ``technologies`` (default: all, in the table's order) with their
        right at the cut-off: the one place that says which rights of a gap are live targets
        and which are free to use (the portfolio's bring-in lists read it, never re-derive it).

        Returns
        -------
        pandas.DataFrame
            One row per (technology, document), technologies in the order given, documents
            in corpus order: ``technology``, ``row`` (corpus position), the columns of
            :func:`document_rights` (``publication_number``, ``status``, ``right`` live /
            ended / unknown, ``expiry_date``, ``years_left``, ``ended_on``),
            ``region_evidence`` (:func:`patentnav.geo.document_evidence`: how an applicant
            of the document is placed in the region; None when none is) and ``located``
            (an applicant located there by firm list, address or applicant country).
        """
        from ..geo import LOCATION_SOURCES

        items = pd.Index(self.technology_items)
        wanted = self.table["technology"].to_numpy() if technologies is None else np.asarray(list(technologies), dtype=object)
        cols = items.get_indexer(wanted)
        wanted, cols = wanted[cols >= 0], cols[cols >= 0]
        sub = sp.csc_matrix(self.technology_matrix[:, cols])
        sub.sort_indices()
        rows = sub.indices.astype(np.int64)
        out = self.rights.iloc[rows].reset_index(drop=True)
        out.insert(0, "row", rows)
        out.insert(0, "technology", np.repeat(np.asarray(wanted, dtype=object), np.diff(sub.indptr)))
        ev = self.region_evidence[rows]
        out["region_evidence"] = ev
        out["located"] = pd.Series(ev, dtype=object).isin(LOCATION_SOURCES).to_numpy()
        return out


def _cagr(counts_by_year: np.ndarray, years: np.ndarray, last_complete: int, window: int) -> np.ndarray:
    """CAGR per row of a technologies x years count matrix over [last - window, last]."""
    start, end = last_complete - window, last_complete
    def col(y):
        idx = np.flatnonzero(years == y)
        return counts_by_year[:, idx[0]] if len(idx) else np.zeros(counts_by_year.shape[0])
    a, b = col(start), col(end)
    with np.errstate(divide="ignore", invalid="ignore"):
        g = np.where(a > 0, (b / a) ** (1.0 / window) - 1.0, np.nan)
    return g


def gaps(corpus, region: str, technology: str = "ipc", level: str = "subclass", region_level: str | None = None,
         firms=None, top_patents: int = 5, expiry_years: int = 5, growth_years: int = 5,
         cutoff=None, fallback: str | None = "priority", status: pd.DataFrame | None = None,
         aggregates=None, harmonize: bool = True, assignment: pd.DataFrame | None = None,
         evidence: pd.DataFrame | None = None, detail: int | None = None) -> GapAnalysis:
    """Rank the technologies a region lacks, with feasibility and the holders that would fill them.

    Parameters
    ----------
    corpus : Corpus
        Usually scoped to an industry first (:func:`patentnav.landscape.scope.scope`).
    region : str
        Region key: a country (``CN``), a province (``CN-GD``), a city (``CN-GD-Shenzhen``),
        or ``FIRMS`` with ``firms``.
    technology : {"ipc", "cpc", "wipo", "sei"}
    level : IPC/CPC level for ``ipc``/``cpc``.
    region_level : {"country", "province", "city"}, optional
        Default: from the key (``CN`` country, ``CN-GD`` province, ``CN-GD-Shenzhen`` city).
    firms : list of str or path, optional
        A named list of firms forming the region ``FIRMS`` (see :func:`patentnav.geo.assign_regions`).
    top_patents, expiry_years, growth_years : int
    cutoff : date, optional
        Reference date for expiry and growth (default: latest publication date).
    fallback : passed to :func:`patentnav.geo.assign_regions`.
    status : DataFrame, optional
        :func:`patentnav.status.patent_status` of ``corpus`` at ``cutoff``, when
        already computed (else computed here).
    aggregates : patentnav.engine.Aggregates, optional
        An engine's aggregates of ``corpus``: the applicant regions and, for IPC/CPC, the
        region x technology matrix come from it (documents-level holders stay in memory).
    harmonize : bool, default True
        Count holders and firms by harmonised names: a corpus whose names were never
        harmonised is harmonised first (:func:`patentnav.names.ensure_harmonized`, default
        options; about 1 s on the bundled sample, see docs/performance.md), so that
        深圳市大疆创新科技有限公司 and 大疆创新科技有限公司 are one holder. A corpus harmonised
        already (with your aliases, say) is used as it is. ``False``: the names as they are
        (raw names when never harmonised). ``params["names"]`` says which:
        ``harmonized``, ``harmonized_here`` or ``raw``.
    assignment : DataFrame, optional
        :func:`patentnav.geo.assign_regions` of ``corpus`` (harmonised as above) at
        ``region_level`` with ``firms`` and ``fallback``, when already computed.
    evidence : DataFrame, optional
        :func:`patentnav.geo.applicant_evidence` of ``assignment`` and ``region``, when
        already computed.
    detail : int, optional
        List key and free-to-use patents, holders and closest firms for the ``detail`` first
        gaps of :func:`top_gaps` only (the rows a report shows; about 1 s less at 1M
        documents); the other rows hold None there. Default: for every technology. Counts
        (``live_documents``, ``expiring``, ``held_outside_share``, ...) are always complete.

    Examples
    --------
    >>> import patentnav
    >>> g = patentnav.landscape.gaps(patentnav.datasets.drones(), "CN")
    >>> g.params["names"], g.table.loc[0, "category"]
    ('harmonized_here', 'fill_now')
    """
    from ..geo import assign_regions, assignment_rows
    from ..i18n import LocalizedError, Phrase
    from ..names import ensure_harmonized, is_harmonized
    from .specialization import specialization
    from .trends import annual_counts

    names = "harmonized" if is_harmonized(corpus) else ("harmonized_here" if harmonize else "raw")
    if harmonize:
        corpus = ensure_harmonized(corpus)
    if cutoff is None:
        cutoff = pc.max(corpus.table["publication_date"]).as_py() or _dt.date.today()
    if status is None:
        from ..status import patent_status

        status = patent_status(corpus, as_of=cutoff)

    if region_level is None:
        region_level = "country" if firms is not None or "-" not in region else ("province" if region.count("-") == 1 else "city")
    if assignment is None:
        assignment = (assign_regions(corpus, level=region_level, firms=firms, fallback=fallback) if aggregates is None
                      else aggregates.assign_regions(region_level, firms=firms, fallback=fallback))
    rows = assignment_rows(corpus, assignment)
    R, regions, T, techs = _region_parts(corpus, assignment, technology, level, rows)
    doc_techs, R_regions = techs, regions
    if aggregates is not None and technology in ("ipc", "cpc") and getattr(aggregates, "engine", None) == "memory":
        from ..engine.aggregates import fractional_product

        X = fractional_product(R, T)  # as every engine sums it
    elif aggregates is not None and technology in ("ipc", "cpc"):
        X, regions, techs = aggregates.region_technology(assignment, technology, level)
    else:
        X = np.asarray((R.T @ T).todense())
    if region not in set(regions):
        by_size = assignment.groupby(assignment["region"].astype(str))["weight"].sum().sort_values(ascending=False)
        known = ", ".join(f"{r} ({w:,.0f})" for r, w in by_size.drop(labels=["UNKNOWN"], errors="ignore").head(10).items()) \
            or Phrase("err.none")
        if firms is not None:
            hint = Phrase("err.gaps_region.firms")
        elif "-" in region:
            n_addr = int(assignment.attrs.get("source_summary", pd.DataFrame()).get("patents", pd.Series(dtype=float))
                         .get("address", 0) or 0)
            hint = Phrase("err.gaps_region.no_address") if n_addr == 0 else Phrase("err.gaps_region.few_addresses", n=f"{n_addr:,}")
        else:
            hint = Phrase("err.gaps_region.key")
        raise LocalizedError("err.gaps_region", region=region, level=Phrase(f"geo.level.{region_level}"), known=known, hint=hint)
    import warnings

    with warnings.catch_warnings(record=True) as caught:  # kept in params, not printed
        warnings.simplefilter("always")
        spec = specialization(X, regions, techs)
    r = int(np.flatnonzero(regions == region)[0])
    rca = spec.rca.to_numpy()[r]
    density = spec.density.to_numpy()[r]
    world = X.sum(axis=0)
    region_docs = X[r]
    region_total = region_docs.sum()

    # world growth by priority year
    counts = annual_counts(corpus, by="priority", cutoff=cutoff)
    last_complete = counts.attrs.get("last_complete_year")
    years_arr = pc.year(corpus["earliest_priority_date"]).to_numpy(zero_copy_only=False)
    valid_year = ~pd.isna(years_arr)
    yvals = np.where(valid_year, years_arr, 0).astype(np.int64)
    uniq_years = np.unique(yvals[valid_year]) if valid_year.any() else np.zeros(0, np.int64)
    Y = sp.csr_matrix((np.ones(int(valid_year.sum())), (np.flatnonzero(valid_year), np.searchsorted(uniq_years, yvals[valid_year]))),
                      shape=(len(corpus), len(uniq_years)))
    tech_year = np.asarray((T.T @ Y).todense())
    growth = _cagr(tech_year, uniq_years, int(last_complete), growth_years) if last_complete else np.full(len(techs), np.nan)

    gap = rca < 1
    cat = np.where(~gap, "strength", "")
    med = np.nanmedian(density[gap]) if gap.any() else np.nan
    declining = gap & (np.nan_to_num(growth, nan=0.0) < 0)
    cat = np.where(declining, "declining", cat)
    related = gap & (np.nan_to_num(density, nan=0.0) > 0)  # some related local strength
    fill = related & ~declining & (density >= med)
    cat = np.where(fill, "fill_now", cat)
    cat = np.where(gap & (cat == ""), "long_term", cat)
    score = np.where(gap, (1 - rca) * np.log1p(world) * (1 + np.clip(np.nan_to_num(growth, nan=0.0), 0, None)), np.nan)
    feas = _feasibility(np.where(gap, density, np.nan))

    table = pd.DataFrame({
        "technology": techs, "category": cat, "region_documents": region_docs,
        "region_share": region_docs / region_total if region_total else 0.0,
        "world_share": world / world.sum() if world.sum() else 0.0,
        "rca": rca, "density": density, "feasibility": feas, "pci": spec.pci.to_numpy(),
        "world_documents": world, "world_growth": growth, "gap_score": score,
    })
    table["category_en"] = table["category"].map(lambda c: CATEGORIES[c][0])
    table["category_zh"] = table["category"].map(lambda c: CATEGORIES[c][1])
    table = table.assign(_o=table["category"].map(_ORDER)).sort_values(
        ["_o", "gap_score", "rca", "technology"], ascending=[True, False, False, True], kind="mergesort").drop(columns="_o")
    table = table.reset_index(drop=True)
    Tc = sp.csc_matrix(T)  # documents x technologies: columns are technologies' documents
    shown = None if detail is None else table["technology"].isin(top_gaps(table, detail)["technology"]).to_numpy()
    rights = _holders_and_firms(corpus, table, assignment, rows, R, R_regions, region, T, Tc, spec, techs, top_patents,
                                expiry_years, cutoff, status, shown, evidence)
    if technology in ("ipc", "cpc"):
        from ..classify.titles import ipc_title

        table.insert(1, "title", [ipc_title(t) for t in table["technology"]])
    params = {"region": region, "technology": technology, "level": level, "region_level": region_level,
              "firms": None if firms is None else (list(firms) if not isinstance(firms, str) else firms),
              "top_patents": top_patents, "expiry_years": expiry_years, "growth_years": growth_years,
              "last_complete_year": last_complete, "region_evidence": assignment.attrs.get("source_summary"),
              "fill_now_density": None if not np.isfinite(med) else float(med),
              "related_gaps": int(related.sum()), "gaps": int(gap.sum()),
              "complexity": {"regions": int(len(spec.complexity_regions)), "technologies": int(len(spec.complexity_technologies)),
                             "components": spec.n_components,
                             "regions_outside": [str(x) for x in spec.regions[spec.eci.isna().to_numpy() & (spec.counts.sum(axis=1) > 0).to_numpy()]],
                             "technologies_outside": [str(x) for x in spec.technologies[spec.pci.isna().to_numpy() & (spec.counts.sum(axis=0) > 0).to_numpy()]],
                             "region_inside": bool(region in set(spec.complexity_regions.astype(str)))},
              "warnings": list(dict.fromkeys(str(w.message) for w in caught)), "names": names,
              "cutoff": str(cutoff)}
    return GapAnalysis(table, region, spec, dict(FORMULAS), params, rights=rights,
                       assignment=assignment, technology_matrix=Tc, technology_items=np.asarray(doc_techs))


def _feasibility(density: np.ndarray) -> np.ndarray:
    """Share of the other gaps with a strictly lower density: ``(rank_min - 1) / (n - 1)``.

    0 for the lowest density (so 0 wherever density is 0: no related strength), 1 for a
    unique highest; NaN where ``density`` is NaN (not a gap, or undefined).
    """
    d = pd.Series(density)
    n = int(d.notna().sum())
    if n <= 1:
        return np.where(d.notna(), 0.0, np.nan)
    return ((d.rank(method="min") - 1) / (n - 1)).to_numpy()


def top_gaps(table: pd.DataFrame, n: int | None = None) -> pd.DataFrame:
    """The gaps of a :class:`GapAnalysis` table (rows with a ``gap_score``) by gap_score,
    highest first (ties: technology), the first ``n`` (default: all): the report's ranked gaps."""
    top = table[table["gap_score"].notna()].sort_values(["gap_score", "technology"], ascending=[False, True], kind="mergesort")
    return top if n is None else top.head(n)


def _top_k_per_row(M: sp.csr_matrix, k: int) -> list[np.ndarray]:
    """Column indices of the k largest entries of each row (largest first; ties: lower column first).

    A row with more than ``k`` entries keeps those at or above its k-th largest value
    (:func:`numpy.partition`, linear), which are then sorted exactly; the loop runs over rows
    (technologies)."""
    M = sp.csr_matrix(M)
    out = []
    for lo, hi in zip(M.indptr[:-1].tolist(), M.indptr[1:].tolist()):
        vals, cols = M.data[lo:hi], M.indices[lo:hi]
        if k <= 0:
            vals, cols = vals[:0], cols[:0]
        elif hi - lo > k:
            keep = vals >= np.partition(vals, hi - lo - k)[hi - lo - k]
            vals, cols = vals[keep], cols[keep]
        out.append(cols[np.lexsort((cols, -vals))[:k]])
    return out


def _columns_scaled(M: sp.csr_matrix, v: np.ndarray) -> sp.csr_matrix:
    """``M @ diag(v)`` without stored zeros (so that a zero never counts as a top entry)."""
    out = sp.csr_matrix(M @ sp.diags(np.asarray(v, dtype=np.float64)))
    out.eliminate_zeros()
    return out


#: Statuses (``patentnav.status``) of a right alive at the cut-off: an acquisition or licensing target.
LIVE = ("in_force", "pending")
#: Statuses of a right that has ended: the knowledge is free to use (where no other right covers it).
ENDED = ("expired", "lapsed", "withdrawn_or_refused")


def document_rights(corpus, cutoff, status: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each document's right at ``cutoff``: alive (a target), ended (free to use) or not known.

    Status, expiry and remaining term come from :func:`patentnav.status.patent_status`
    (pass its result as ``status`` to reuse it). ``right`` is ``"live"`` for ``in_force`` and
    ``pending``, ``"ended"`` for ``expired``, ``lapsed`` and ``withdrawn_or_refused``, and
    ``"unknown"`` otherwise. A WO application past its international phase (status
    ``lapsed``, 31 months from priority) is ``"unknown"``: the right then lives only in
    national or regional entries, which may or may not exist, so it is neither a target nor
    free to use. Columns: ``publication_number, status, right, expiry_date, years_left, ended_on``
    (``ended_on``: the date the right ended, for ended rights).
    """
    if status is None:
        from ..status import patent_status

        status = patent_status(corpus, as_of=cutoff)
    st = status["status"].astype(str)
    wo_phase = (status["jurisdiction"].astype(str) == "WO").to_numpy() & (st == "lapsed").to_numpy()
    live = st.isin(LIVE).to_numpy()
    ended = st.isin(ENDED).to_numpy() & ~live & ~wo_phase
    right = np.array(["unknown", "ended", "live"], dtype=object)[np.where(live, 2, ended.astype(np.int8))]
    return pd.DataFrame({
        "publication_number": _strings(status["publication_number"]),
        "status": _strings(st), "right": right,
        "expiry_date": status["expiry_date"].to_numpy(),
        "years_left": np.where(live, status["years_left"].to_numpy(dtype=float), np.nan),
        "ended_on": np.where(ended, status["assumed_date"].to_numpy(), None),
    })


def _strings(values: pd.Series):
    """A column for a new frame, as ``values.to_numpy()`` gives it: pandas' ``str`` values are
    handed over as they are (no Python string per row; the frame infers ``str`` from them too)."""
    return values.array if values.dtype == "str" else values.to_numpy()


def _holders_and_firms(corpus, table, assignment, rows, R, R_regions, region, T, Tc, spec, techs, top_patents, expiry_years,
                       cutoff, status=None, shown=None, evidence=None):
    """Key live patents, free-to-use patents, holders, expiring counts, share held outside,
    closest firms (in place); returns :func:`document_rights` at ``cutoff``.

    The counts are made for every technology; the lists (patents, holders, firms) for the
    table rows ``shown`` (default: all), None elsewhere, from sparse products restricted to
    those technologies' columns. Python loops run over technologies only.
    """
    from ..model.shared import shared
    from .incidence import incidence

    t = corpus.table
    n = t.num_rows
    rights = document_rights(corpus, cutoff, status)  # cutoff: set by gaps()
    live = (rights["right"] == "live").to_numpy()
    ended = (rights["right"] == "ended").to_numpy()
    granted = (rights["status"] == "in_force").to_numpy()
    Tt = Tc.T  # technologies x documents (CSR, documents ascending)
    ndocs = np.diff(Tt.indptr)  # binary: stored entries are the documents
    r = int(np.flatnonzero(R_regions == region)[0])
    mine = R.col == r
    inside = Tt @ np.bincount(R.row[mine], weights=R.data[mine], minlength=n)  # the region's weight per document
    with np.errstate(divide="ignore", invalid="ignore"):
        outside = np.where(ndocs > 0, 1 - inside / ndocs, np.nan)
    pos = pd.Index(techs).get_indexer(table["technology"].to_numpy())
    at = np.arange(len(table)) if shown is None else np.flatnonzero(shown)
    St = Tc[:, pos[at]].T.tocsr()  # the shown technologies x documents
    # key patents: live rights in force first, then pending; ranked by forward citations, family size, then number
    key_live, key_free = _key_patents(corpus, St, live, ended, granted, top_patents)
    holders = _holder_column(t)
    H = shared(corpus, ("list_incidence", holders), lambda: incidence(t[holders]))  # documents x holders
    present = (St > 0).astype(np.float64)
    Hm = H.matrix.astype(np.float64)
    top_holders = _top_k_per_row(present @ Hm, 3)
    live_holders = _top_k_per_row(_columns_scaled(present, live.astype(np.float64)) @ Hm, 3)
    picked = np.unique(np.concatenate([np.zeros(0, np.int64)] + [d.astype(np.int64) for d in key_live + key_free]))
    pub = dict(zip(picked.tolist(), t["publication_number"].take(pa.array(picked)).to_pylist()))
    info = rights.iloc[picked]
    status_of = dict(zip(picked.tolist(), info["status"].to_numpy()))
    left = dict(zip(picked.tolist(), info["years_left"].to_numpy()))
    since = dict(zip(picked.tolist(), info["ended_on"].to_numpy()))

    def fill(name, per_row, value):
        column = [None] * len(table)
        for i, items in zip(at.tolist(), per_row):
            column[i] = [value(x) for x in items.tolist()]
        table[name] = column

    fill("key_patents", key_live, lambda d: str(pub[d]))
    fill("key_patents_status", key_live, lambda d: str(status_of[d]))
    fill("key_patents_years_left", key_live, lambda d: float(left[d]))
    fill("free_to_use", key_free, lambda d: str(pub[d]))
    fill("free_to_use_status", key_free, lambda d: str(status_of[d]))
    fill("free_to_use_since", key_free, lambda d: None if since[d] is None else str(since[d]))
    fill("holders", top_holders, lambda h: str(H.items[h]))
    fill("live_holders", live_holders, lambda h: str(H.items[h]))
    for name, mask in (("live_documents", live), ("ended_documents", ended), ("status_unknown_documents", ~(live | ended))):
        table[name] = np.asarray(Tt @ mask.astype(np.float64)).ravel()[pos].astype(np.int64)
    expiring = _expiring(rights, granted, cutoff, expiry_years)
    table["expiring"] = np.asarray(Tt @ expiring.astype(np.float64)).ravel()[pos].astype(np.int64)
    table["held_outside_share"] = outside[pos]
    columns = _closest_firms(assignment, rows, R, r, region, T, spec, pos[at], evidence)
    for name, per_row in columns.items():
        fill(name, per_row, str)
    return rights


def _holder_column(t: pa.Table) -> str:
    """``applicants_harmonized`` when the corpus holds harmonised names, else ``applicants``."""
    return "applicants_harmonized" if (pc.sum(pc.list_value_length(t["applicants_harmonized"])).as_py() or 0) else "applicants"


def _expiring(rights: pd.DataFrame, granted: np.ndarray, cutoff, expiry_years: int) -> np.ndarray:
    """Rights in force whose term (:mod:`patentnav.status`) ends within ``expiry_years`` after the cut-off."""
    cut = pd.Timestamp(cutoff)
    horizon = cut + pd.DateOffset(years=expiry_years)
    expiring = np.zeros(len(rights), dtype=bool)
    g_rows = np.flatnonzero(granted)
    exp = pd.to_datetime(pd.Series(rights["expiry_date"].to_numpy()[g_rows], dtype=object), errors="coerce")
    expiring[g_rows] = (exp.notna() & (exp > cut) & (exp <= horizon)).to_numpy()
    return expiring


def _key_patents(corpus, St: sp.csr_matrix, live, ended, granted, k: int) -> tuple[list, list]:
    """Per row of ``St`` (technologies x documents): its ``k`` key live rights (in force first,
    then pending) and ``k`` key ended rights, each by forward citations, family size, then
    publication number. Only the documents of ``St`` are ranked (their order is the same
    among all documents)."""
    from ..model.shared import publication_rank

    t = corpus.table
    n = t.num_rows
    docs = np.flatnonzero(np.bincount(St.indices, minlength=n))
    take = pa.array(docs)
    fwd = np.nan_to_num(t["forward_citations"].take(take).to_numpy(zero_copy_only=False).astype(float), nan=-1.0)
    fam = np.nan_to_num(t["family_size"].take(take).to_numpy(zero_copy_only=False).astype(float), nan=0.0)
    rank = np.zeros(n, dtype=np.float64)
    rank[docs[np.lexsort((publication_rank(corpus)[docs], -fam, -fwd))]] = np.arange(len(docs), 0, -1)
    key_live = _top_k_per_row(_columns_scaled(St, (rank + n * granted) * live), k)
    key_free = _top_k_per_row(_columns_scaled(St, rank * ended), k)
    return key_live, key_free


def _closest_firms(assignment, rows, R, r, region, T, spec, cols, evidence=None) -> dict[str, list[np.ndarray]]:
    """Closest firms of the region to the technologies ``cols``, split by location evidence.

    ``closest_local_firms``: the three applicants with location evidence in the region
    (firm list, address, applicant country; :func:`patentnav.geo.applicant_evidence`, or
    ``evidence`` when already made) whose portfolios are closest (score = proximity-weighted
    fractional documents); ``closest_first_filed_firms``: the same among applicants placed in
    the region only by a proxy (earliest priority country, publishing office), never called
    local. The region's applicant rows are the entries of ``R`` in its column ``r`` (no lookup
    by name or number); the firms x technologies scores are made for ``cols`` only, a block
    at a time (:func:`_top_rows`). Returns the firm names per technology of ``cols``.
    """
    from ..geo import applicant_evidence

    entries = np.flatnonzero(R.col == r)
    named = assignment["applicant"].iloc[np.flatnonzero(rows >= 0)[entries]]
    keep = named.notna().to_numpy()  # no name: no firm
    entries, named = entries[keep], named[keep]
    if not len(entries):
        return {"closest_local_firms": [np.zeros(0, object)] * len(cols),
                "closest_first_filed_firms": [np.zeros(0, object)] * len(cols)}
    ev = applicant_evidence(assignment, region) if evidence is None else evidence
    fcodes, firms = _sorted_codes(named)
    F = sp.csr_matrix((R.data[entries], (fcodes, R.row[entries])), shape=(len(firms), R.shape[0]))
    P = sp.csr_matrix(F @ T)  # firms x technologies, sparse
    proximity = np.nan_to_num(spec.proximity.to_numpy())[:, cols]
    located = pd.Series(ev["located"].to_numpy(), index=ev["applicant"].to_numpy()).reindex(firms).fillna(False).to_numpy(bool)
    out = {}
    for name, mask in (("closest_local_firms", located), ("closest_first_filed_firms", ~located)):
        candidates = np.flatnonzero(mask)
        out[name] = [firms[candidates[best]] for best in _top_rows(P[candidates], proximity, 3)]
    return out


def _top_rows(P: sp.csr_matrix, B: np.ndarray, k: int, block_cells: int = 1 << 23) -> list[np.ndarray]:
    """For each column ``j`` of ``S = P @ B``: the rows of its ``k`` largest positive entries
    (largest first; ties: lower row first), without holding ``S`` whole.

    ``S`` is computed ``block_cells // rows`` columns at a time; within a block the ``k``-th
    largest value of each column bounds the candidates, which are then sorted exactly.
    """
    m, n_cols = P.shape[0], B.shape[1]
    out: list[np.ndarray] = []
    width = max(1, block_cells // max(m, 1))
    for lo in range(0, n_cols, width):
        S = np.asarray(P @ B[:, lo:lo + width])
        if m > k:
            kth = -np.partition(-S, k - 1, axis=0)[k - 1]
            cand = (S >= kth) & (S > 0)
        else:
            cand = S > 0
        r, c = np.nonzero(cand)
        order = np.lexsort((r, -S[r, c], c))
        r, c = r[order], c[order]
        ends = np.searchsorted(c, np.arange(S.shape[1] + 1))
        out += [r[a:b][:k] for a, b in zip(ends[:-1], ends[1:])]
    return out
