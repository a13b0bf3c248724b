"""Regional specialisation and complexity (patentnav.landscape.specialization).

Oracles: the PyPI package ``ecomplexity`` (test-only dependency; parity to 1e-9 on random
count matrices, with one time period), EconGeo's ``relatedness(method = "association")``
transcribed literally from R, and hand-computed values.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from patentnav.landscape.specialization import (
    RegionTechnologyMatrix,
    association_strength,
    balassa_rca,
    growth,
    presence,
    proximity,
    region_technology_matrix,
    specialization,
)

TOL = 1e-9


def _random_counts(seed: int, shape: tuple[int, int], fractional: bool = False,
                   zero_rows=(), zero_cols=()) -> np.ndarray:
    """Overdispersed (gamma-Poisson) counts: many zeros, a few large cells, like patents."""
    rng = np.random.default_rng(seed)
    lam = rng.gamma(0.4, 5.0, size=shape) * rng.gamma(2.0, 0.5, size=(shape[0], 1))
    x = rng.poisson(lam).astype(float)
    if fractional:
        x = x * rng.choice([1.0, 0.5, 1 / 3, 0.25], size=shape)
    x[list(zero_rows), :] = 0
    x[:, list(zero_cols)] = 0
    return x


CASES = {
    "40x60": dict(seed=1, shape=(40, 60)),
    "80x30": dict(seed=2, shape=(80, 30)),
    "150x250_fractional": dict(seed=3, shape=(150, 250), fractional=True),
    "60x90_zero_rows_cols": dict(seed=4, shape=(60, 90), zero_rows=(0, 17, 59), zero_cols=(5, 44)),
    "25x25": dict(seed=5, shape=(25, 25)),
}


def _ecomplexity(x: np.ndarray):
    eco = pytest.importorskip("ecomplexity")
    n, k = x.shape
    df = pd.DataFrame({"time": 2020, "loc": np.repeat(np.arange(n), k),
                       "prod": np.tile(np.arange(k), n), "val": x.ravel()})
    cols = {"time": "time", "loc": "loc", "prod": "prod", "val": "val"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = eco.ecomplexity(df, cols, verbose=False, check_logsupermodularity=False)
        prox = eco.proximity(df, cols)
    return out, prox


@pytest.fixture(scope="module", params=list(CASES))
def case(request):
    x = _random_counts(**CASES[request.param])
    out, prox = _ecomplexity(x)
    return x, out, prox, specialization(x)


def _cell(out: pd.DataFrame, name: str, shape) -> np.ndarray:
    """ecomplexity's long output as a region x technology matrix (NaN where it dropped)."""
    m = np.full(shape, np.nan)
    m[out["loc"].to_numpy(), out["prod"].to_numpy()] = out[name].to_numpy(dtype=float)
    return m


def _per(out: pd.DataFrame, key: str, name: str, size: int) -> np.ndarray:
    v = out.groupby(key)[name].first()  # first non-NaN per region / technology
    s = np.full(size, np.nan)
    s[v.index.to_numpy()] = v.to_numpy(dtype=float)
    return s


def _close(mine, ref, nan_where=None):
    mine, ref = np.asarray(mine, float), np.asarray(ref, float)
    ok = ~np.isnan(ref)
    np.testing.assert_allclose(mine[ok], ref[ok], rtol=0, atol=TOL)
    if nan_where is not None:
        assert np.isnan(mine[nan_where]).all()


# --- parity with ecomplexity ------------------------------------------------------------

def test_parity_cell_measures(case):
    x, out, _, s = case
    kept = (x.sum(axis=1) != 0)[:, None] & (x.sum(axis=0) != 0)[None, :]
    for name, mine in [("rca", s.rca), ("mcp", s.presence), ("density", s.density), ("cog", s.cog)]:
        ref = _cell(out, name, x.shape)
        assert not np.isnan(ref[kept]).any()
        _close(mine.to_numpy(), ref)
    # dropped regions / technologies: ecomplexity leaves them out; here NaN (M = 0)
    assert np.isnan(s.density.to_numpy()[~kept]).all()
    assert np.isnan(s.cog.to_numpy()[~kept]).all()
    assert (s.presence.to_numpy()[~kept] == 0).all()


def test_parity_region_and_technology_measures(case):
    x, out, _, s = case
    n, k = x.shape
    dead_r = x.sum(axis=1) == 0
    dead_t = x.sum(axis=0) == 0
    for name, mine in [("eci", s.eci), ("diversity", s.diversity), ("coi", s.coi)]:
        ref = _per(out, "loc", name, n)
        assert np.isnan(ref).sum() == dead_r.sum()
        _close(mine.to_numpy(), ref)
    for name, mine in [("pci", s.pci), ("ubiquity", s.ubiquity)]:
        ref = _per(out, "prod", name, k)
        assert np.isnan(ref).sum() == dead_t.sum()
        _close(mine.to_numpy(), ref)
    assert np.isnan(s.eci[dead_r]).all() and np.isnan(s.coi[dead_r]).all()
    assert np.isnan(s.pci[dead_t]).all()
    assert (s.diversity[dead_r] == 0).all() and (s.ubiquity[dead_t] == 0).all()


def test_parity_proximity(case):
    x, _, prox, s = case
    p = prox.pivot(index="prod_1", columns="prod_2", values="proximity")
    _close(s.proximity.loc[p.index, p.columns].to_numpy(), p.to_numpy())
    kept = x.sum(axis=0) != 0
    assert (np.diag(s.proximity.to_numpy())[kept] == 1).all()
    assert np.isnan(s.proximity.to_numpy()[~kept]).all()


def test_parity_sparse_and_dataframe_inputs():
    x = _random_counts(**CASES["60x90_zero_rows_cols"])
    dense = specialization(x)
    for alt in (specialization(sp.csr_matrix(x)),
                specialization(pd.DataFrame(x, index=[f"r{i}" for i in range(60)],
                                            columns=[f"t{j}" for j in range(90)]))):
        for name in ("rca", "density", "cog", "proximity", "relatedness"):
            np.testing.assert_array_equal(getattr(alt, name).to_numpy(), getattr(dense, name).to_numpy())
        for name in ("eci", "pci", "coi"):
            np.testing.assert_allclose(getattr(alt, name).to_numpy(), getattr(dense, name).to_numpy(),
                                       atol=1e-12, equal_nan=True)


# --- properties and hand-computed values ---------------------------------------------------

def test_rca_by_hand():
    x = np.array([[2.0, 2.0], [0.0, 4.0]])
    # totals: rows 4, 4; columns 2, 6; all 8
    expected = np.array([[(2 / 4) / (2 / 8), (2 / 4) / (6 / 8)], [0.0, (4 / 4) / (6 / 8)]])
    np.testing.assert_allclose(balassa_rca(x), expected)
    np.testing.assert_array_equal(presence(balassa_rca(x)), [[1, 0], [0, 1]])
    np.testing.assert_array_equal(presence(balassa_rca(x), threshold=0.5), [[1, 1], [0, 1]])


def test_proximity_by_hand():
    m = np.array([[1, 1, 0], [1, 0, 1], [1, 1, 1], [0, 0, 1]])
    # ubiquity 3, 2, 3; C01 = 2, C02 = 2, C12 = 1
    phi = proximity(m)
    expected = np.array([[1, min(2 / 3, 2 / 2), 2 / 3], [1, 1, min(1 / 2, 1 / 3)], [2 / 3, 1 / 3, 1]])
    expected[0, 1] = expected[1, 0] = 2 / 3
    np.testing.assert_allclose(phi, expected)


def _econgeo_association(mat: np.ndarray) -> np.ndarray:
    """EconGeo::relatedness(mat, method = "association"), transcribed line by line."""
    cij = mat.astype(float).copy()
    np.fill_diagonal(cij, 0)
    si = cij.sum(axis=0)
    sj = cij.sum(axis=0)
    n = len(si)
    si = np.tile(si, (n, 1))            # matrix(si, byrow = TRUE)
    sj = np.tile(sj[:, None], (1, n))   # matrix(sj, byrow = FALSE)
    t = cij.sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        sa = (cij / t) / ((si / t) * (sj / t))
    sa[np.isnan(sa)] = 0
    np.fill_diagonal(sa, 0)
    return sa


def test_association_strength_matches_econgeo():
    x = _random_counts(seed=11, shape=(50, 40), zero_cols=(3,))
    m = presence(balassa_rca(x))
    co = m.T.astype(float) @ m  # EconGeo co_occurrence(t(M)) with the diagonal kept; relatedness zeroes it
    np.testing.assert_allclose(association_strength(m), _econgeo_association(co), rtol=0, atol=1e-12)
    r = specialization(x).relatedness.to_numpy()
    assert np.isnan(r[:, 3]).all() and np.isnan(r[3]).all()
    keep = np.arange(40) != 3
    np.testing.assert_allclose(r[np.ix_(keep, keep)], _econgeo_association(co[np.ix_(keep, keep)]), atol=1e-12)
    assert (np.diag(r)[keep] == 0).all()


def test_eci_is_mean_pci_and_density_bounds():
    s = specialization(_random_counts(seed=7, shape=(70, 120)))
    m = s.presence.to_numpy().astype(float)
    mean_pci = (m @ s.pci.to_numpy()) / m.sum(axis=1)
    np.testing.assert_allclose(s.eci.to_numpy(), mean_pci, atol=1e-10)
    assert abs(s.eci.mean()) < 1e-12 and abs(s.eci.std(ddof=0) - 1) < 1e-12
    assert abs(s.coi.mean()) < 1e-12 and abs(s.coi.std(ddof=0) - 1) < 1e-12
    assert np.corrcoef(s.diversity, s.eci)[0, 1] > 0
    d = s.density.to_numpy()
    assert (d >= -1e-15).all() and (d <= 1 + 1e-12).all()
    assert (s.cog.to_numpy()[m == 1] == 0).all()
    assert 0 < s.eigenvalue < 1


def test_shares():
    x = np.array([[1.0, 3.0], [0.0, 0.0], [2.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 2 x 2 active presence matrix: disconnected, ECI undefined
        s = specialization(x)
    np.testing.assert_allclose(s.row_share.to_numpy()[[0, 2]], [[0.25, 0.75], [0.5, 0.5]])
    assert np.isnan(s.row_share.to_numpy()[1]).all()
    np.testing.assert_allclose(s.column_share.to_numpy(), [[1 / 3, 0.6], [0, 0], [2 / 3, 0.4]])


def test_region_technology_matrix():
    long = pd.DataFrame({
        "region": ["B", "A", "A", "B", None, "C"],
        "ipc": ["H04W", "G06F", "G06F", "G06F", "G06F", None],
        "w": [0.5, 1.0, 0.25, 1.0, 9.0, 9.0],
    })
    rt = region_technology_matrix(long, "region", "ipc", "w")
    assert isinstance(rt, RegionTechnologyMatrix)
    assert list(rt.regions) == ["A", "B"] and list(rt.technologies) == ["G06F", "H04W"]
    np.testing.assert_allclose(rt.matrix.toarray(), [[1.25, 0], [1.0, 0.5]])
    counts = region_technology_matrix(long, "region", "ipc")
    np.testing.assert_allclose(counts.matrix.toarray(), [[2, 0], [1, 1]])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # 2 x 2: ECI undefined, only labels checked here
        s = specialization(rt)
    assert list(s.rca.index) == ["A", "B"] and list(s.rca.columns) == ["G06F", "H04W"]
    with pytest.raises(ValueError):
        region_technology_matrix(long.assign(w=[1, -1, 1, 1, 1, 1]), "region", "ipc", "w")


def test_growth():
    b = pd.DataFrame([[1.0, 0.0], [2.0, 4.0]], index=["r1", "r2"], columns=["a", "b"])
    a = pd.DataFrame([[2.0, 1.0], [2.0, 8.0], [1.0, 1.0]], index=["r1", "r2", "r3"], columns=["a", "b"])
    g = growth(b, a, years=2)
    assert list(g.change.index) == ["r1", "r2", "r3"]
    np.testing.assert_allclose(g.change.to_numpy(), [[1, 1], [0, 4], [1, 1]])
    r = g.rate.to_numpy()
    assert r[0, 0] == 1.0 and np.isnan(r[0, 1]) and r[1, 1] == 1.0
    np.testing.assert_allclose(g.cagr.loc["r2", "b"], np.sqrt(2) - 1)
    # RCA before (r3 empty): r1a 7/3, r2b 7/6 present; after: r1a 2, r2b 1.2, r3a 1.5 present
    assert g.entry.to_numpy().tolist() == [[False, False], [False, False], [True, False]]
    assert not g.exit.to_numpy().any()
    np.testing.assert_allclose(g.rca_change.to_numpy(), balassa_rca(g.after.to_numpy()) - balassa_rca(g.before.to_numpy()),
                               equal_nan=True)
    with pytest.raises(ValueError):
        growth(np.ones((2, 2)), np.ones((3, 2)))


def test_input_validation():
    with pytest.raises(ValueError):
        specialization(np.array([[1.0, -1.0], [1.0, 1.0]]))
    with pytest.raises(ValueError):
        specialization(np.array([[1.0, np.nan], [1.0, 1.0]]))
    with pytest.raises(ValueError):
        specialization(np.ones(3))
    with pytest.raises(ValueError):
        specialization(np.ones((2, 2)), regions=["a"])


def test_to_long_matches_ecomplexity_layout():
    x = _random_counts(seed=9, shape=(12, 15))
    s = specialization(x)
    long = s.to_long()
    assert len(long) == 12 * 15
    assert {"eci", "pci", "density", "coi", "cog", "rca", "mcp"} <= set(long.columns)
    np.testing.assert_allclose(long["eci"].to_numpy(), np.repeat(s.eci.to_numpy(), 15))


def test_result_does_not_alias_input():
    x = _random_counts(seed=12, shape=(20, 30))
    s = specialization(x)
    x[:] = 0
    assert s.counts.to_numpy().sum() > 0


# --- complexity on the largest connected component --------------------------------------------

def test_complexity_on_the_largest_component_equals_ecomplexity_on_it():
    """A region specialised alone in a technology nobody else has splits the network: the
    main block's ECI/PCI/COI/COG equal ecomplexity's on that block alone; the rest is NaN."""
    from patentnav.landscape.specialization import largest_component

    big = _random_counts(seed=11, shape=(30, 40))
    x = np.zeros((31, 41))
    x[:30, :40] = big
    x[30, 40] = 1.0  # one document: region 30 is the only holder of technology 40
    with pytest.warns(RuntimeWarning, match="disconnected"):
        s = specialization(x)
    m = s.presence.to_numpy()
    r, c, n = largest_component(m)
    assert n == 2 and r.sum() == 30 and c.sum() == 40 and not r[30] and not c[40]
    assert np.isnan(s.eci[30]) and np.isnan(s.pci[40]) and np.isnan(s.coi[30]) and np.isnan(s.cog.to_numpy()[30]).all()
    assert "regions: 30; technologies: 40" in s.warnings[0]
    out, _ = _ecomplexity(big)
    for name, mine in [("eci", s.eci.to_numpy()[:30]), ("coi", s.coi.to_numpy()[:30])]:
        _close(mine, _per(out, "loc", name, 30))
    _close(s.pci.to_numpy()[:40], _per(out, "prod", "pci", 40))
    _close(s.cog.to_numpy()[:30, :40], _cell(out, "cog", big.shape))
    # density and RCA do not need connectivity: the isolated pair keeps them
    assert s.rca.iloc[30, 40] > 1 and s.density.iloc[30, 40] == 1.0


def test_connected_network_is_the_whole_matrix():
    s = specialization(_random_counts(seed=1, shape=(40, 60)))
    assert s.n_components == 1 and s.warnings == ()
    assert len(s.complexity_regions) == 40 and len(s.complexity_technologies) == 60
