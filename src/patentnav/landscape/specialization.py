"""Regional technological specialisation, relatedness and complexity (region x technology).

Input: a regions x technologies matrix of counts ``X`` (patents, possibly fractional counts),
dense numpy, scipy.sparse, a labelled :class:`pandas.DataFrame` or a
:class:`RegionTechnologyMatrix` built from a long table by :func:`region_technology_matrix`.

Every measure follows the conventions of the Harvard Growth Lab package ``ecomplexity``
(PyPI, v0.5.3; itself a port of the Stata ``ecomplexity`` command) and is tested against it
to 1e-9; formulas and sources in ``docs/methods.md`` (section 9). With ``c`` a region and ``p`` a
technology:

* RCA (Balassa 1965; "RTA" for patents): ``RCA_cp = (X_cp / X_c.) / (X_.p / X_..)``;
* presence ``M_cp = 1`` if ``RCA_cp >= threshold`` (default 1), else 0;
* diversity ``k_c = sum_p M_cp``, ubiquity ``k_p = sum_c M_cp``;
* proximity (Hidalgo et al. 2007) ``phi_pq = min(C_pq / k_p, C_pq / k_q)``, ``C = M'M``, so
  the diagonal is 1;
* density ``d_cp = sum_q M_cq phi_pq / sum_q phi_pq`` (own presence included, q = p);
* ECI / PCI (Hidalgo & Hausmann 2009, eigenvector method): ``kp`` the eigenvector of the
  second-largest eigenvalue of ``Mpp = D_p^-1 M' D_c^-1 M`` (unit norm), ``kc = D_c^-1 M kp``,
  sign chosen so that ``corr(diversity, kc) > 0``; ``ECI = (kc - mean(kc)) / std(kc)``,
  ``PCI = (kp - mean(kc)) / std(kc)`` (std with ddof 0, the *ECI's* mean and std, as
  ecomplexity and Stata do, so that ECI_c = mean PCI of c's technologies);
* COI and COG (Hausmann et al., Atlas of Economic Complexity) with the *raw* signed ``kp``:
  ``COI_c = z-score over regions of sum_p d_cp (1 - M_cp) kp_p`` and
  ``COG_cp = (1 - M_cp) sum_q (1 - M_cq) phi_pq kp_q / (sum_r phi_qr) / std(kc)``.
* ECI, PCI, COI and COG are computed on the **largest connected component** of the bipartite
  region-technology presence network (:func:`largest_component`) and are NaN elsewhere; on a
  connected network this is the whole matrix, exactly as ecomplexity. A disconnected network
  raises a ``RuntimeWarning`` naming what was left out (also kept in ``Specialization.warnings``).

EconGeo (Balland) convention, offered separately: association-strength relatedness of
technologies ``R_pq = C_pq T / (S_p S_q)`` computed on ``C = M'M`` with its diagonal set to
0, ``S_p = sum_q C_pq`` and ``T = sum_pq C_pq`` (both after zeroing), diagonal of ``R`` 0,
0/0 -> 0 (``EconGeo::relatedness(co_occurrence(t(M)), method = "association")``).

Zero rows / columns: ecomplexity drops regions and technologies whose total count is 0
before computing anything (they get NaN after its merge back). Here they stay in the
outputs: RCA is NaN (0/0), presence 0, diversity / ubiquity 0, and proximity, relatedness,
density, ECI, PCI, COI and COG are NaN; every other value is computed on the remaining
sub-matrix, i.e. exactly as ecomplexity computes it.

Computation is vectorised numpy / BLAS on dense arrays (density and COG are dense region x
technology matrices anyway, so a sparse input is densified: 8 bytes x regions x
technologies per matrix). ECI / PCI come from a symmetric eigenproblem of the smaller side
(``D^-1/2 M D^-1 M' D^-1/2``, which is similar to ``Mcc`` / ``Mpp``) solved for its two
largest eigenvalues only, instead of ecomplexity's full non-symmetric ``eig`` of ``Mpp``.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.linalg
import scipy.sparse as sp

__all__ = [
    "RegionTechnologyMatrix", "region_technology_matrix",
    "Specialization", "specialization",
    "Growth", "growth",
    "balassa_rca", "presence", "row_shares", "column_shares",
    "proximity", "association_strength", "relatedness_density", "complexity", "largest_component",
]


# --------------------------------------------------------------------------------------
# input
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class RegionTechnologyMatrix:
    """A regions x technologies count matrix (CSR, float64) with its labels."""

    matrix: sp.csr_matrix
    regions: pd.Index
    technologies: pd.Index

    @property
    def shape(self) -> tuple[int, int]:
        return self.matrix.shape

    def to_frame(self) -> pd.DataFrame:
        return pd.DataFrame(self.matrix.toarray(), index=self.regions, columns=self.technologies)


def region_technology_matrix(long_df: pd.DataFrame, region_col: str, tech_col: str,
                             weight_col: str | None = None, *, sort: bool = True) -> RegionTechnologyMatrix:
    """Build the regions x technologies matrix from a long table (one row per observation).

    Each row adds its ``weight_col`` value (1 if ``weight_col`` is None, so the cell is the
    number of rows; pass fractional weights for fractional counting) to the cell
    ``(region, technology)``. Repeated pairs are *summed* (ecomplexity keeps the first of
    duplicated ``(time, loc, prod)`` rows instead). Rows with a missing region or technology
    are ignored; missing or negative weights raise ``ValueError``. Labels are sorted (as
    ecomplexity orders them) unless ``sort=False`` (order of first appearance).
    """
    long_df = long_df[long_df[region_col].notna() & long_df[tech_col].notna()]
    r_codes, regions = pd.factorize(long_df[region_col], sort=sort)
    t_codes, techs = pd.factorize(long_df[tech_col], sort=sort)
    if weight_col is None:
        w = np.ones(len(long_df), dtype=np.float64)
    else:
        w = pd.to_numeric(long_df[weight_col], errors="raise").to_numpy(dtype=np.float64, na_value=np.nan)
        if np.isnan(w).any():
            raise ValueError(f"missing values in weight column {weight_col!r}")
        if (w < 0).any():
            raise ValueError(f"negative values in weight column {weight_col!r}")
    m = sp.coo_matrix((w, (r_codes, t_codes)),
                      shape=(len(regions), len(techs))).tocsr()  # tocsr sums duplicates
    m.sum_duplicates()
    return RegionTechnologyMatrix(m, pd.Index(regions, name=region_col), pd.Index(techs, name=tech_col))


def _as_dense(counts, regions=None, technologies=None) -> tuple[np.ndarray, pd.Index, pd.Index]:
    if isinstance(counts, RegionTechnologyMatrix):
        regions = counts.regions if regions is None else regions
        technologies = counts.technologies if technologies is None else technologies
        counts = counts.matrix
    if isinstance(counts, pd.DataFrame):
        regions = counts.index if regions is None else regions
        technologies = counts.columns if technologies is None else technologies
        x = counts.to_numpy(dtype=np.float64, copy=True)
    elif sp.issparse(counts):
        x = counts.toarray().astype(np.float64, copy=False)
    else:
        x = np.array(counts, dtype=np.float64)  # a copy: results keep it without copying again
    if x.ndim != 2:
        raise ValueError(f"expected a 2-d regions x technologies matrix, got shape {x.shape}")
    if np.isnan(x).any() or np.isinf(x).any():
        raise ValueError("counts contain NaN or inf")
    if (x < 0).any():
        raise ValueError("counts must be non-negative")
    n, k = x.shape
    regions = pd.RangeIndex(n, name="region") if regions is None else pd.Index(regions)
    technologies = pd.RangeIndex(k, name="technology") if technologies is None else pd.Index(technologies)
    if len(regions) != n or len(technologies) != k:
        raise ValueError("label lengths do not match the matrix shape")
    return x, regions, technologies


# --------------------------------------------------------------------------------------
# array-level measures (numpy in, numpy out)
# --------------------------------------------------------------------------------------

def row_shares(x: np.ndarray) -> np.ndarray:
    """``X_cp / X_c.``: the technology mix of each region (NaN for an empty region)."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return x / x.sum(axis=1)[:, None]


def column_shares(x: np.ndarray) -> np.ndarray:
    """``X_cp / X_.p``: each region's share of a technology (NaN for an empty technology)."""
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return x / x.sum(axis=0)[None, :]


def balassa_rca(x: np.ndarray) -> np.ndarray:
    """Balassa RCA ``(X_cp / X_c.) / (X_.p / X_..)``; NaN where a row or column total is 0.

    Same floating-point operations, in the same order, as ``ecomplexity`` (so that the
    presence test ``RCA >= 1`` gives the same matrix even for values at the threshold).
    """
    x = np.asarray(x, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        num = x / x.sum(axis=1)[:, None]
        col = x.sum(axis=0)[None, :]
        den = col / col.sum(axis=1)[:, None]
        return num / den


def presence(rca: np.ndarray, threshold: float = 1.0) -> np.ndarray:
    """``M = 1`` where ``RCA >= threshold`` (NaN counts as absent); int8."""
    return (np.nan_to_num(np.asarray(rca, dtype=np.float64)) >= threshold).astype(np.int8)


def proximity(m: np.ndarray, *, cooccurrence: np.ndarray | None = None) -> np.ndarray:
    """Hidalgo et al. (2007) proximity ``min(C_pq / k_p, C_pq / k_q)``, ``C = M'M``.

    Diagonal 1. Columns with ubiquity 0 give NaN rows and columns (0/0). ``cooccurrence``:
    ``M'M`` if already computed.
    """
    mf = np.asarray(m, dtype=np.float64)
    c = mf.T @ mf if cooccurrence is None else cooccurrence
    k = mf.sum(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = c / k[None, :]
    return np.minimum(phi, phi.T)


def association_strength(m: np.ndarray, *, cooccurrence: np.ndarray | None = None) -> np.ndarray:
    """EconGeo association-strength relatedness of technologies from a presence matrix.

    ``C = M'M`` with diagonal set to 0; ``S_p = sum_q C_pq``; ``T = sum C``;
    ``R_pq = C_pq T / (S_p S_q)``, diagonal 0 and 0/0 -> 0, exactly
    ``EconGeo::relatedness(co_occurrence(t(M)), method = "association")``.
    """
    mf = np.asarray(m, dtype=np.float64)
    c = mf.T @ mf if cooccurrence is None else cooccurrence.copy()
    np.fill_diagonal(c, 0.0)
    s = c.sum(axis=0)
    t = c.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        r = (c / t) / ((s[None, :] / t) * (s[:, None] / t))
    r[~np.isfinite(r)] = 0.0
    np.fill_diagonal(r, 0.0)
    return r


def relatedness_density(m: np.ndarray, phi: np.ndarray) -> np.ndarray:
    """ecomplexity density ``d_cp = sum_q M_cq phi_pq / sum_q phi_pq`` (own presence included)."""
    phi = np.asarray(phi, dtype=np.float64)
    den = np.nansum(phi, axis=1)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(m, dtype=np.float64) @ (phi.T / den)


def complexity(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Raw complexity vectors ``(kc, kp, eigenvalue)`` of a presence matrix without zero rows/columns.

    ``kp``: unit-norm eigenvector of the second-largest eigenvalue of
    ``Mpp = D_p^-1 M' D_c^-1 M``; ``kc = D_c^-1 M kp``; both multiplied by
    ``sign(corr(diversity, kc))`` (ecomplexity's sign rule). ECI and PCI are obtained by
    normalising both with ``mean(kc)`` and ``std(kc)``.
    """
    mf = np.asarray(m, dtype=np.float64)
    n, k = mf.shape
    kc_div = mf.sum(axis=1)
    kp_ubi = mf.sum(axis=0)
    if (kc_div == 0).any() or (kp_ubi == 0).any():
        raise ValueError("presence matrix has zero rows or columns; drop them first")
    if min(n, k) < 2:
        raise ValueError("need at least 2 regions and 2 technologies with presence")
    mcp1 = mf / kc_div[:, None]
    if n <= k:
        # S = D_c^-1/2 M D_p^-1 M' D_c^-1/2, similar to Mcc; kc = D_c^-1/2 u, kp = D_p^-1 M' kc
        a = mf / np.sqrt(kc_div)[:, None] / np.sqrt(kp_ubi)[None, :]
        s = a @ a.T
        w, u = scipy.linalg.eigh(s, subset_by_index=[n - 2, n - 1])
        kc = u[:, 0] / np.sqrt(kc_div)
        kp = (mf.T @ kc) / kp_ubi
    else:
        # S = D_p^-1/2 M' D_c^-1 M D_p^-1/2, similar to Mpp; kp = D_p^-1/2 u
        a = mf / np.sqrt(kc_div)[:, None] / np.sqrt(kp_ubi)[None, :]
        s = a.T @ a
        w, u = scipy.linalg.eigh(s, subset_by_index=[k - 2, k - 1])
        kp = u[:, 0] / np.sqrt(kp_ubi)
    lam2, lam1 = float(w[0]), float(w[1])
    if abs(lam1 - lam2) < 1e-10:
        warnings.warn("the largest eigenvalue is degenerate (disconnected region-technology network): "
                      "ECI/PCI are not uniquely defined", RuntimeWarning, stacklevel=2)
    norm = np.linalg.norm(kp)
    if norm == 0:
        raise ValueError("second eigenvalue is 0: complexity undefined")
    kp = kp / norm
    kc = mcp1 @ kp
    s1 = np.sign(np.corrcoef(kc_div, kc)[0, 1])
    return s1 * kc, s1 * kp, lam2


# --------------------------------------------------------------------------------------
# result object
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Specialization:
    """All measures, as labelled DataFrames / Series (regions x technologies)."""

    counts: pd.DataFrame
    row_share: pd.DataFrame       # X_cp / X_c.
    column_share: pd.DataFrame    # X_cp / X_.p
    rca: pd.DataFrame
    presence: pd.DataFrame        # M, int8
    diversity: pd.Series
    ubiquity: pd.Series
    proximity: pd.DataFrame       # technologies x technologies, ecomplexity convention
    relatedness: pd.DataFrame     # technologies x technologies, EconGeo association strength
    density: pd.DataFrame
    eci: pd.Series
    pci: pd.Series
    coi: pd.Series
    cog: pd.DataFrame
    eigenvalue: float             # second-largest eigenvalue of Mcc / Mpp
    rca_threshold: float = 1.0
    #: Regions / technologies of the largest connected component, where ECI, PCI, COI, COG are defined.
    complexity_regions: pd.Index | None = None
    complexity_technologies: pd.Index | None = None
    #: Connected components of the active region-technology network (1 = connected).
    n_components: int = 1
    #: What the computation warned about (also raised as ``RuntimeWarning``), in English.
    warnings: tuple = ()

    @property
    def regions(self) -> pd.Index:
        return self.counts.index

    @property
    def technologies(self) -> pd.Index:
        return self.counts.columns

    def to_long(self) -> pd.DataFrame:
        """One row per (region, technology), with ecomplexity's output column names."""
        n, k = self.counts.shape
        reg = np.repeat(np.arange(n), k)
        tec = np.tile(np.arange(k), n)
        return pd.DataFrame({
            "region": self.regions.to_numpy()[reg],
            "technology": self.technologies.to_numpy()[tec],
            "val": self.counts.to_numpy().ravel(),
            "diversity": self.diversity.to_numpy()[reg],
            "ubiquity": self.ubiquity.to_numpy()[tec],
            "mcp": self.presence.to_numpy().ravel(),
            "eci": self.eci.to_numpy()[reg],
            "pci": self.pci.to_numpy()[tec],
            "density": self.density.to_numpy().ravel(),
            "coi": self.coi.to_numpy()[reg],
            "cog": self.cog.to_numpy().ravel(),
            "rca": self.rca.to_numpy().ravel(),
        })


def specialization(counts, regions=None, technologies=None, *, rca_threshold: float = 1.0) -> Specialization:
    """Compute every specialisation / relatedness / complexity measure of a count matrix.

    ``counts``: dense array, scipy.sparse matrix, DataFrame (labels from its index and
    columns) or :class:`RegionTechnologyMatrix`; non-negative, float allowed.
    ``regions`` / ``technologies``: labels (default 0..n-1). See the module docstring for
    formulas and the handling of empty regions / technologies.
    """
    x, regions, technologies = _as_dense(counts, regions, technologies)
    n, k = x.shape
    rca = balassa_rca(x)
    m = presence(rca, rca_threshold)
    diversity = m.sum(axis=1, dtype=np.int64)
    ubiquity = m.sum(axis=0, dtype=np.int64)

    # active sub-matrix: what ecomplexity keeps (non-zero totals) and can compute on
    rows = (x.sum(axis=1) != 0) & (diversity > 0)
    cols = (x.sum(axis=0) != 0) & (ubiquity > 0)
    all_active = bool(rows.all() and cols.all())
    ms = m.astype(np.float64) if all_active else m[np.ix_(rows, cols)].astype(np.float64)
    if ms.shape[0] and (ms.sum(axis=0) == 0).any():  # a column present only in dropped rows
        raise ValueError("inconsistent presence matrix")

    c_s = ms.T @ ms
    phi_s = proximity(ms, cooccurrence=c_s)
    rel_s = association_strength(ms, cooccurrence=c_s)
    dens_s = relatedness_density(ms, phi_s)

    def scatter(sub, r, c):
        if all_active:
            return sub
        out = np.full((len(r), len(c)), np.nan)
        out[np.ix_(r, c)] = sub
        return out

    phi = scatter(phi_s, cols, cols)
    rel = scatter(rel_s, cols, cols)
    dens = scatter(dens_s, rows, cols)

    # complexity on the largest connected component of the active presence network
    in_r, in_c, n_comp = largest_component(ms)
    if in_r.sum() < 2 or in_c.sum() < 2:  # complexity needs 2 regions and 2 technologies
        in_r, in_c = np.zeros_like(in_r), np.zeros_like(in_c)
    crow = np.zeros(n, dtype=bool)
    crow[np.flatnonzero(rows)[in_r]] = True
    ccol = np.zeros(k, dtype=bool)
    ccol[np.flatnonzero(cols)[in_c]] = True
    eci = np.full(n, np.nan)
    pci = np.full(k, np.nan)
    coi = np.full(n, np.nan)
    cog = np.full((n, k), np.nan)
    lam2 = float("nan")
    notes: list[str] = []
    whole = bool(in_r.all() and in_c.all())
    mc = ms if whole else ms[np.ix_(in_r, in_c)]
    if mc.shape[0] >= 2 and mc.shape[1] >= 2:
        dc = dens_s if whole else dens_s[np.ix_(in_r, in_c)]
        pc_ = phi_s if whole else phi_s[np.ix_(in_c, in_c)]
        kc, kp, lam2 = complexity(mc)
        mu, sd = kc.mean(), kc.std()
        absent = 1.0 - mc
        coi_raw = ((dc * absent) * kp).sum(axis=1)
        eci[crow] = (kc - mu) / sd
        pci[ccol] = (kp - mu) / sd
        coi[crow] = (coi_raw - coi_raw.mean()) / coi_raw.std()
        cog[np.ix_(crow, ccol)] = absent * (absent @ (pc_ * (kp / pc_.sum(axis=1))[:, None])) / sd
    if not crow.any() and ms.size:
        notes.append("ECI, PCI, COI and COG are undefined: the largest connected component of the region-technology "
                     "network has fewer than 2 regions or 2 technologies with presence")
    elif n_comp > 1:
        notes.append(_component_note(regions, technologies, rows, cols, crow, ccol, n_comp))
    for msg in notes:
        warnings.warn(msg, RuntimeWarning, stacklevel=2)

    R, T = regions, technologies
    return Specialization(
        counts=pd.DataFrame(x, index=R, columns=T, copy=False),
        row_share=pd.DataFrame(row_shares(x), index=R, columns=T, copy=False),
        column_share=pd.DataFrame(column_shares(x), index=R, columns=T, copy=False),
        rca=pd.DataFrame(rca, index=R, columns=T, copy=False),
        presence=pd.DataFrame(m, index=R, columns=T, copy=False),
        diversity=pd.Series(diversity, index=R, name="diversity", copy=False),
        ubiquity=pd.Series(ubiquity, index=T, name="ubiquity", copy=False),
        proximity=pd.DataFrame(phi, index=T, columns=T, copy=False),
        relatedness=pd.DataFrame(rel, index=T, columns=T, copy=False),
        density=pd.DataFrame(dens, index=R, columns=T, copy=False),
        eci=pd.Series(eci, index=R, name="eci", copy=False),
        pci=pd.Series(pci, index=T, name="pci", copy=False),
        coi=pd.Series(coi, index=R, name="coi", copy=False),
        cog=pd.DataFrame(cog, index=R, columns=T, copy=False),
        eigenvalue=lam2,
        rca_threshold=float(rca_threshold),
        complexity_regions=R[crow],
        complexity_technologies=T[ccol],
        n_components=int(n_comp),
        warnings=tuple(notes),
    )


def largest_component(m: np.ndarray) -> tuple[np.ndarray, np.ndarray, int]:
    """Largest connected component of the bipartite region-technology network of a presence matrix.

    Nodes are the rows (regions) and columns (technologies) of ``m``; an edge joins ``c`` and
    ``p`` where ``m[c, p] != 0``. Returns boolean masks ``(rows, columns)`` of the component with
    most nodes (ties: the one holding the lowest row index) and the number of components
    (isolated rows or columns count as components). An empty matrix gives empty masks and 0.
    ECI/PCI are defined on one connected component only: on a disconnected network the
    largest eigenvalue of ``Mcc`` is degenerate and the "second" eigenvector is arbitrary
    (Hidalgo & Hausmann 2009 compute them on one connected country-product network).
    """
    from scipy.sparse.csgraph import connected_components

    n, k = m.shape
    if n + k == 0:
        return np.zeros(0, bool), np.zeros(0, bool), 0
    b = sp.csr_matrix(np.asarray(m) != 0, dtype=np.int8)
    adj = sp.bmat([[None, b], [b.T, None]], format="csr") if n and k else sp.csr_matrix((n + k, n + k))
    n_comp, labels = connected_components(adj, directed=False)
    sizes = np.bincount(labels, minlength=n_comp)
    best = int(np.flatnonzero(sizes == sizes.max())[0])  # labels are numbered in node order
    return labels[:n] == best, labels[n:] == best, int(n_comp)


def _component_note(regions, technologies, rows, cols, crow, ccol, n_comp) -> str:
    def names(idx, mask_all, mask_in):
        out = [str(x) for x in idx[mask_all & ~mask_in]]
        return ", ".join(out[:10]) + (f" and {len(out) - 10} more" if len(out) > 10 else "")

    return (f"the region-technology network is disconnected ({n_comp} components): ECI, PCI, COI and COG are computed "
            f"on its largest connected component ({int(crow.sum())} of {int(rows.sum())} regions, {int(ccol.sum())} of "
            f"{int(cols.sum())} technologies with presence) and are NaN for the rest (regions: "
            f"{names(regions, rows, crow) or 'none'}; technologies: {names(technologies, cols, ccol) or 'none'})")


# --------------------------------------------------------------------------------------
# growth between two periods
# --------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Growth:
    """Change between two periods' count matrices (aligned on the union of labels)."""

    before: pd.DataFrame
    after: pd.DataFrame
    change: pd.DataFrame          # after - before
    rate: pd.DataFrame            # after / before - 1 (NaN where before == 0)
    cagr: pd.DataFrame | None     # (after / before) ** (1 / years) - 1, if years given
    rca_change: pd.DataFrame      # RCA(after) - RCA(before)
    entry: pd.DataFrame           # M: 0 -> 1 (bool)
    exit: pd.DataFrame            # M: 1 -> 0 (bool)


def _labelled(counts) -> pd.DataFrame:
    x, r, t = _as_dense(counts)
    return pd.DataFrame(x, index=r, columns=t)


def growth(before, after, *, years: float | None = None, rca_threshold: float = 1.0) -> Growth:
    """Growth of each cell between two periods.

    ``before`` / ``after``: count matrices as accepted by :func:`specialization`. Labelled
    inputs (DataFrame, RegionTechnologyMatrix) are aligned on the union of their labels
    (missing cells = 0); unlabelled arrays must have the same shape.
    """
    b, a = _labelled(before), _labelled(after)
    if not (isinstance(before, (pd.DataFrame, RegionTechnologyMatrix))
            and isinstance(after, (pd.DataFrame, RegionTechnologyMatrix))):
        if b.shape != a.shape:
            raise ValueError(f"shapes differ: {b.shape} vs {a.shape}")
    else:
        idx = b.index.union(a.index, sort=False)
        cols = b.columns.union(a.columns, sort=False)
        b = b.reindex(index=idx, columns=cols, fill_value=0.0)
        a = a.reindex(index=idx, columns=cols, fill_value=0.0)
    bv, av = b.to_numpy(), a.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(bv > 0, av / bv, np.nan)
    cagr = None
    if years is not None:
        if years <= 0:
            raise ValueError("years must be positive")
        cagr = pd.DataFrame(ratio ** (1.0 / years) - 1.0, index=b.index, columns=b.columns)
    rb, ra = balassa_rca(bv), balassa_rca(av)
    mb, ma = presence(rb, rca_threshold), presence(ra, rca_threshold)
    frame = lambda v: pd.DataFrame(v, index=b.index, columns=b.columns)  # noqa: E731
    return Growth(before=b, after=a, change=frame(av - bv), rate=frame(ratio - 1.0), cagr=cagr,
                  rca_change=frame(ra - rb), entry=frame((mb == 0) & (ma == 1)),
                  exit=frame((mb == 1) & (ma == 0)))
