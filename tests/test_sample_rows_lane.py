"""The rows lane (sample report speed): each rewritten function against its former
definition (copied here as the oracle) on random inputs and edge cases; results must be
bit-identical."""

from __future__ import annotations

import math

import numpy as np
import pytest

from patentnav.report import direction


# ------------------------------------------------------------------ field map layout (networkx-free)

def _old_field_layout(W, AS, a_idx, b_idx):
    """report.direction._field_layout before this lane: networkx's kamada_kawai_layout."""
    import networkx as nx

    strength_of = W.sum(axis=1)
    linked = [k for k in range(len(W)) if strength_of[k] > 0]
    G = nx.Graph()
    G.add_nodes_from(linked)
    G.add_weighted_edges_from((int(a), int(b), 1.0 / (1.0 + float(np.log1p(AS[a, b])))) for a, b in zip(a_idx, b_idx))
    pos = {k: (0.0, 0.0) for k in range(len(W))}
    if len(G) > 1:
        pos.update({k: tuple(v) for k, v in nx.kamada_kawai_layout(G, weight="weight").items()})
    isolated = [k for k in range(len(W)) if strength_of[k] <= 0]
    if isolated:
        radius = 1.15 * max((math.hypot(*pos[k]) for k in linked), default=1.0)
        for m, k in enumerate(isolated):
            angle = 2 * math.pi * m / len(isolated) + math.pi / 4
            pos[k] = (radius * math.cos(angle), radius * math.sin(angle))
    return pos


def _weights(rng, n, density, isolated=0, scale=50.0):
    """A random symmetric field-weight matrix (integer co-occurrences, some fields unlinked)
    and its association strength, as :func:`direction._field_weights` makes them."""
    W = np.triu(np.where(rng.random((n, n)) < density, rng.integers(1, int(scale) + 1, (n, n)), 0), 1).astype(float)
    W = W + W.T
    if isolated:
        off = rng.choice(n, size=min(isolated, n), replace=False)
        W[off, :] = 0
        W[:, off] = 0
    s = W.sum(axis=1)
    total = s.sum()
    safe = np.where(s > 0, s, 1.0)
    AS = np.where(W > 0, W * total / np.outer(safe, safe), 0.0)
    a, b = np.nonzero(np.triu(W, 1))
    return W, AS, a, b


def _bits(pos):
    return {k: np.asarray(v, dtype=np.float64).view(np.int64).tolist() for k, v in pos.items()}


@pytest.mark.parametrize("seed", range(12))
def test_field_layout_equals_networkx_kamada_kawai(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    W, AS, a, b = _weights(rng, n, float(rng.uniform(0.05, 0.9)), isolated=int(rng.integers(0, 4)))
    assert _bits(direction._field_layout(W, AS, a, b)) == _bits(_old_field_layout(W, AS, a, b))


@pytest.mark.parametrize("n,edges", [
    (0, []), (1, []), (2, []), (2, [(0, 1)]), (3, [(0, 1)]), (4, [(0, 1), (2, 3)]),  # empty, one, unlinked, components
    (5, [(0, 1), (1, 2), (2, 3), (3, 4)]), (6, [(0, k) for k in range(1, 6)]),
])
def test_field_layout_edge_cases(n, edges):
    W = np.zeros((n, n))
    for i, (x, y) in enumerate(edges):
        W[x, y] = W[y, x] = 1.0 + i
    s = W.sum(axis=1)
    safe = np.where(s > 0, s, 1.0)
    AS = np.where(W > 0, W * s.sum() / np.outer(safe, safe), 0.0)
    a, b = np.nonzero(np.triu(W, 1))
    assert _bits(direction._field_layout(W, AS, a, b)) == _bits(_old_field_layout(W, AS, a, b))


def test_field_layout_of_the_sample_fields():
    """The sample's technology fields (the report's field map) give the former positions."""
    import patentnav
    from patentnav.landscape import technology_fields

    tf = technology_fields(patentnav.datasets.drones(), stability=0)
    ids = sorted(int(f) for f in tf.fields["field"])
    W, AS = direction._field_weights(tf, ids)
    a, b = np.nonzero(np.triu(W, 1))
    assert _bits(direction._field_layout(W, AS, a, b)) == _bits(_old_field_layout(W, AS, a, b))


# ------------------------------------------------------------------ inventor_rows (NumPy codes)

def _old_inventor_rows(rows, inv_long, app_long, limit):
    """report.regional.inventor_rows before this lane: pandas group-by and merge."""
    inv = inv_long[inv_long["row"].isin(rows)]
    if inv.empty:
        return []
    top = inv.groupby("inventor").size().rename("k").reset_index()
    top = top.sort_values(["k", "inventor"], ascending=[False, True], kind="mergesort").head(limit)
    pairs = inv[inv["inventor"].isin(top["inventor"])].merge(app_long[app_long["row"].isin(rows)], on="row")
    ac = pairs.groupby(["inventor", "applicant"]).size().rename("n").reset_index()
    ac = ac.sort_values(["inventor", "n", "applicant"], ascending=[True, False, True], kind="mergesort")
    apps = ac.groupby("inventor").head(2).groupby("inventor")["applicant"].agg("; ".join)
    return [[r.inventor, int(r.k), apps.get(r.inventor, "")] for r in top.itertuples()]


def _long(rng, n_rows, n_names, per_row, name, prefix, nulls=0.0, dtype="str"):
    """A random long table (row, name) with each pair once, rows ascending."""
    import pandas as pd

    pool = [f"{prefix}{chr(65 + i % 26)}{i}" for i in range(n_names)] + ["Zoë", "zoe", "Émile", "王伟", "a b"]
    recs = []
    for r in range(n_rows):
        for v in dict.fromkeys(rng.choice(len(pool), size=int(rng.integers(0, per_row + 1))).tolist()):
            recs.append((r, None if rng.random() < nulls else pool[v]))
    df = pd.DataFrame(recs, columns=["row", name]).drop_duplicates()
    df["row"] = df["row"].astype("int64")
    df[name] = df[name].astype(dtype)
    return df.reset_index(drop=True)


@pytest.mark.parametrize("seed", range(10))
@pytest.mark.parametrize("dtype", ["str", "object"])
def test_inventor_rows_equals_the_pandas_definition(seed, dtype):
    from patentnav.report.regional import inventor_rows

    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 200))
    inv = _long(rng, n, int(rng.integers(1, 40)), 4, "inventor", "inv", nulls=0.05 * (seed % 2), dtype=dtype)
    app = _long(rng, n, int(rng.integers(1, 12)), 3, "applicant", "app", nulls=0.05 * (seed % 3 == 0), dtype=dtype)
    for rows in (np.arange(n), np.sort(rng.choice(n, size=max(1, n // 3), replace=False)), [], [n + 5], [0]):
        for limit in (0, 1, 3, 15):
            assert inventor_rows(rows, inv, app, limit) == _old_inventor_rows(rows, inv, app, limit)


def test_inventor_rows_edge_cases():
    import pandas as pd

    from patentnav.report.regional import inventor_rows

    empty_inv = pd.DataFrame({"row": np.zeros(0, np.int64), "inventor": pd.Series([], dtype="str")})
    empty_app = pd.DataFrame({"row": np.zeros(0, np.int64), "applicant": pd.Series([], dtype="str")})
    one_inv = pd.DataFrame({"row": np.array([0], np.int64), "inventor": pd.Series(["X"], dtype="str")})
    one_app = pd.DataFrame({"row": np.array([0], np.int64), "applicant": pd.Series(["A"], dtype="str")})
    null_inv = pd.DataFrame({"row": np.array([0, 0], np.int64), "inventor": pd.Series([None, "Y"], dtype="str")})
    null_app = pd.DataFrame({"row": np.array([0], np.int64), "applicant": pd.Series([None], dtype="str")})
    cases = [(empty_inv, empty_app), (one_inv, empty_app), (one_inv, one_app), (empty_inv, one_app),
             (null_inv, one_app), (one_inv, null_app), (null_inv, null_app)]
    for inv, app in cases:
        for rows in ([0], np.array([0, 1]), []):
            assert inventor_rows(rows, inv, app, 3) == _old_inventor_rows(rows, inv, app, 3)


def test_inventor_rows_of_the_sample():
    import patentnav
    from patentnav.report.regional import inventor_rows, long_values, value_prefix_rows

    c = patentnav.datasets.drones().harmonize_applicants()
    inv, app = long_values(c, "inventors", "inventor"), long_values(c, "applicants_harmonized", "applicant")
    rows_of = value_prefix_rows(c, "ipc", 4)
    for prefix in ("B64C", "B64U", "G05D", "H04W", "B64D", "G06T", "A01B"):
        rows = rows_of(prefix)
        assert inventor_rows(rows, inv, app, 3) == _old_inventor_rows(rows, inv, app, 3)
    every = np.arange(len(c))
    assert inventor_rows(every, inv, app, 15) == _old_inventor_rows(every, inv, app, 15)


# ------------------------------------------------------------------ complete years (NumPy dates)

def _old_complete_mask(years, cutoff, lag_months):
    """landscape.trends._complete_mask before this lane: pandas dates, one year at a time."""
    import pandas as pd

    out = np.zeros(len(years), dtype=bool)
    cut = pd.Timestamp(cutoff)
    for i, y in enumerate(np.asarray(years, dtype=np.int64)):
        end = pd.Timestamp(int(y), 12, 31) + pd.DateOffset(months=int(lag_months))
        out[i] = end <= cut
    return out


@pytest.mark.parametrize("lag", [0, 1, 2, 6, 11, 12, 13, 14, 18, 23, 24, 25, 36, 38, -1, -13])
def test_complete_mask_equals_pandas_month_ends(lag):
    import datetime as dt

    from patentnav.landscape.trends import _complete_mask

    rng = np.random.default_rng(lag + 100)
    years = np.arange(1890, 2031)
    cutoffs = [dt.date(2024, 6, 30), dt.date(2024, 2, 29), dt.date(2023, 2, 28), dt.date(2000, 12, 31), dt.date(1999, 1, 1),
               "2021-07-01", dt.datetime(2024, 6, 30, 13, 5)] + \
              [dt.date(1990, 1, 1) + dt.timedelta(days=int(d)) for d in rng.integers(0, 15000, 20)]
    for cut in cutoffs:
        assert np.array_equal(_complete_mask(years, cut, lag), _old_complete_mask(years, cut, lag)), (cut, lag)
    for ys in ([], [2020], [1, 1500, 1677, 2262, 2300, 9990]):  # empty, one, pandas' range edges
        assert _outcome(_complete_mask, np.array(ys, dtype=np.int64), dt.date(2024, 6, 30), lag) == \
            _outcome(_old_complete_mask, ys, dt.date(2024, 6, 30), lag)


def _outcome(f, *args):
    """The result as a list, or the error's type and message."""
    try:
        return np.asarray(f(*args)).tolist()
    except Exception as e:  # noqa: BLE001
        return (type(e).__name__, str(e))


def test_complete_mask_out_of_calendar_fails_as_before():
    import datetime as dt

    from patentnav.landscape.trends import _complete_mask

    for ys in ([9999], [0, 2000]):
        new = _outcome(_complete_mask, np.array(ys), dt.date(2024, 6, 30), 18)
        assert isinstance(new, tuple) and new == _outcome(_old_complete_mask, ys, dt.date(2024, 6, 30), 18)
