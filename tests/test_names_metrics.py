"""Entity-resolution metrics (patentnav.names.metrics) against the published worked example,
edge-case conventions, property tests and a brute-force O(n^2) pair-enumeration oracle."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patentnav.names.metrics import (
    bcubed_precision_recall_f1,
    metrics_table,
    pairwise_precision_recall_f1,
)

# Worked example: shared/reference/README.md "Entity-resolution metrics" (from er-evaluation's docs).
PRED = [1, 1, 2, 3, 2, 4, 4, 4]
REF = ["c1", "c1", "c1", "c2", "c2", "c3", "c3", "c4"]


# --------------------------------------------------------------------------- oracle (test-only)


def _f1(p, r):
    return 0.0 if p + r == 0 else 2 * p * r / (p + r)


def brute_force(prediction, reference):
    """Enumerate every record pair and every record directly from the definitions."""
    keep = [i for i, r in enumerate(reference) if not (r is None or (isinstance(r, float) and math.isnan(r)))]
    pred = [prediction[i] for i in keep]
    ref = [reference[i] for i in keep]
    n = len(pred)
    tp = n_pred = n_true = 0
    for i, j in itertools.combinations(range(n), 2):
        same_p, same_r = pred[i] == pred[j], ref[i] == ref[j]
        n_pred += same_p
        n_true += same_r
        tp += same_p and same_r
    pp = tp / n_pred if n_pred else 1.0
    pr = tp / n_true if n_true else 1.0
    # B-cubed averaged over reference clusters
    clusters = {}
    for k in range(n):
        clusters.setdefault(ref[k], []).append(k)
    prec, rec = [], []
    for members in clusters.values():
        ps, rs = [], []
        for k in members:
            hat = {m for m in range(n) if pred[m] == pred[k]}
            true = {m for m in range(n) if ref[m] == ref[k]}
            ps.append(len(hat & true) / len(hat))
            rs.append(len(hat & true) / len(true))
        prec.append(sum(ps) / len(ps))
        rec.append(sum(rs) / len(rs))
    bp, br = sum(prec) / len(prec), sum(rec) / len(rec)
    return (pp, pr, _f1(pp, pr)), (bp, br, _f1(bp, br))


# --------------------------------------------------------------------------- worked example


def test_worked_example_pairwise():
    assert pairwise_precision_recall_f1(PRED, REF) == pytest.approx((0.4, 0.4, 0.4), abs=1e-6)


def test_worked_example_bcubed_is_averaged_over_reference_clusters():
    p, r, f = bcubed_precision_recall_f1(PRED, REF)
    assert p == pytest.approx(0.645833, abs=1e-6)
    assert r == pytest.approx(0.763889, abs=1e-6)
    assert f == pytest.approx(0.699918, abs=1e-6)
    # exact fractions: P = (5/6 + 3/4 + 2/3 + 1/3) / 4, R = (5/9 + 1/2 + 1 + 1) / 4
    assert p == pytest.approx((5 / 6 + 3 / 4 + 2 / 3 + 1 / 3) / 4, abs=1e-12)
    assert r == pytest.approx((5 / 9 + 1 / 2 + 1 + 1) / 4, abs=1e-12)


def test_record_averaged_bcubed_would_differ():
    # Guard against silently switching to the record-averaged variant:
    # record-averaged P = (1 + 1 + 1/2 + 1 + 1/2 + 2/3 + 2/3 + 1/3) / 8 = 0.708333.
    p, _, _ = bcubed_precision_recall_f1(PRED, REF)
    assert p != pytest.approx(0.708333, abs=1e-3)


def test_metrics_table_has_all_six_numbers():
    t = metrics_table(PRED, REF)
    assert set(t) == {
        "pairwise_precision",
        "pairwise_recall",
        "pairwise_f1",
        "bcubed_precision",
        "bcubed_recall",
        "bcubed_f1",
    }
    assert all(isinstance(v, float) for v in t.values())
    assert (t["pairwise_precision"], t["pairwise_recall"], t["pairwise_f1"]) == pairwise_precision_recall_f1(PRED, REF)
    assert (t["bcubed_precision"], t["bcubed_recall"], t["bcubed_f1"]) == bcubed_precision_recall_f1(PRED, REF)


def test_accepts_series_arrays_and_categoricals():
    expected = metrics_table(PRED, REF)
    assert metrics_table(np.array(PRED), np.array(REF, dtype=object)) == expected
    assert metrics_table(pd.Series(PRED), pd.Series(REF)) == expected
    assert metrics_table(pd.Categorical(PRED), pd.Categorical(REF)) == expected
    assert metrics_table(tuple(PRED), iter(REF)) == expected
    # tuples are single labels, not rows
    assert metrics_table([(k, "x") for k in PRED], REF) == expected


# --------------------------------------------------------------------------- conventions


def test_identity_clustering_is_perfect():
    t = metrics_table(REF, REF)
    assert all(v == 1.0 for v in t.values()), t


def test_all_singletons_prediction():
    # er-evaluation's pairwise_precision returns 1.0 when no link is predicted: nothing was
    # linked wrongly. Recall is 0 because none of the 5 true pairs was found.
    singletons = list(range(len(REF)))
    p, r, f = pairwise_precision_recall_f1(singletons, REF)
    assert (p, r, f) == (1.0, 0.0, 0.0)
    bp, br, _ = bcubed_precision_recall_f1(singletons, REF)
    assert bp == 1.0
    assert br == pytest.approx((1 / 3 + 1 / 2 + 1 / 2 + 1) / 4)


def test_no_true_pairs_gives_recall_one():
    # reference all singletons: there is no true link to miss
    p, r, _ = pairwise_precision_recall_f1([0, 0, 1], ["a", "b", "c"])
    assert (p, r) == (0.0, 1.0)
    assert pairwise_precision_recall_f1([0, 1, 2], ["a", "b", "c"]) == (1.0, 1.0, 1.0)


def test_single_cluster_prediction():
    p, r, _ = pairwise_precision_recall_f1([0] * 8, REF)
    assert p == pytest.approx(5 / 28) and r == 1.0


def test_missing_reference_labels_are_dropped():
    pred = PRED + [1, 99]
    ref = REF + [None, np.nan]
    assert metrics_table(pred, ref) == metrics_table(PRED, REF)
    assert metrics_table(pred, pd.Series(ref)) == metrics_table(PRED, REF)


def test_missing_prediction_is_an_error():
    with pytest.raises(ValueError, match="missing"):
        metrics_table([1, None, 2], ["a", "a", "b"])
    with pytest.raises(ValueError, match="missing"):
        metrics_table(np.array([1.0, np.nan]), ["a", "b"])


def test_bad_inputs():
    with pytest.raises(ValueError, match="same length"):
        metrics_table([1, 2], ["a"])
    with pytest.raises(ValueError, match="no record"):
        metrics_table([1, 2], [None, None])
    with pytest.raises(ValueError, match="one-dimensional"):
        metrics_table(np.zeros((2, 2)), ["a", "b"])
    with pytest.raises(ValueError, match="indexes"):
        metrics_table(pd.Series([1, 2], index=[0, 1]), pd.Series(["a", "b"], index=[1, 2]))


def test_large_input_is_fast_and_exact():
    rng = np.random.default_rng(0)
    n = 200_000
    ref = rng.integers(0, 100, n)
    pred = ref * 3 + rng.integers(0, 3, n)  # pure split: precision must be exactly 1
    t = metrics_table(pred, ref)
    assert t["pairwise_precision"] == 1.0 and t["bcubed_precision"] == 1.0
    assert 0.3 < t["pairwise_recall"] < 0.36


# --------------------------------------------------------------------------- properties and oracle

@st.composite
def clusterings(draw, max_size=30):
    n = draw(st.integers(1, max_size))
    pred = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    ref = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    return pred, ref


@given(clusterings())
def test_values_in_unit_interval(pr):
    pred, ref = pr
    for v in metrics_table(pred, ref).values():
        assert 0.0 <= v <= 1.0


@given(clusterings())
def test_pairwise_symmetry(pr):
    pred, ref = pr
    p, r, f = pairwise_precision_recall_f1(pred, ref)
    p2, r2, f2 = pairwise_precision_recall_f1(ref, pred)
    assert p == r2 and r == p2 and f == pytest.approx(f2)


@given(clusterings(), st.permutations(range(7)), st.permutations(range(7)))
def test_invariant_to_label_renaming(pr, perm_p, perm_r):
    pred, ref = pr
    renamed_pred = [f"p{perm_p[x]}" for x in pred]
    renamed_ref = [("r", perm_r[x]) for x in ref]
    assert metrics_table(renamed_pred, renamed_ref) == pytest.approx(metrics_table(pred, ref), abs=1e-12)


@given(clusterings(), st.randoms(use_true_random=False))
def test_invariant_to_record_order(pr, rnd):
    pred, ref = pr
    order = list(range(len(pred)))
    rnd.shuffle(order)
    shuffled = metrics_table([pred[i] for i in order], [ref[i] for i in order])
    assert shuffled == pytest.approx(metrics_table(pred, ref), abs=1e-12)


@settings(max_examples=200)
@given(clusterings(max_size=25), st.lists(st.booleans(), min_size=25, max_size=25))
def test_matches_brute_force_oracle(pr, drop):
    pred, ref = pr
    # knock out some reference labels, keeping at least one
    ref = [None if d and k > 0 else x for k, (x, d) in enumerate(zip(ref, drop))]
    (pp, pr_, pf), (bp, br, bf) = brute_force(pred, ref)
    t = metrics_table(pred, ref)
    assert t["pairwise_precision"] == pytest.approx(pp, abs=1e-12)
    assert t["pairwise_recall"] == pytest.approx(pr_, abs=1e-12)
    assert t["pairwise_f1"] == pytest.approx(pf, abs=1e-12)
    assert t["bcubed_precision"] == pytest.approx(bp, abs=1e-12)
    assert t["bcubed_recall"] == pytest.approx(br, abs=1e-12)
    assert t["bcubed_f1"] == pytest.approx(bf, abs=1e-12)


def test_oracle_itself_on_worked_example():
    (pp, pr_, pf), (bp, br, bf) = brute_force(PRED, REF)
    assert (round(pp, 6), round(pr_, 6)) == (0.4, 0.4)
    assert (round(bp, 6), round(br, 6), round(bf, 6)) == (0.645833, 0.763889, 0.699918)


# --------------------------------------------------------------------------- cross-check (optional)


@pytest.mark.filterwarnings("ignore:::er_evaluation")  # its pandas deprecation warnings, not ours
@settings(max_examples=50, deadline=None)
@given(clusterings(max_size=40))
def test_agrees_with_er_evaluation(pr):
    import er_evaluation as ee  # AGPL-3.0 test dependency (pyproject [test]); never imported from src/
    pred, ref = pr
    idx = pd.RangeIndex(len(pred))
    p, r = pd.Series(pred, index=idx), pd.Series(ref, index=idx)
    t = metrics_table(pred, ref)
    assert t["pairwise_precision"] == pytest.approx(ee.pairwise_precision(p, r), abs=1e-12)
    assert t["pairwise_recall"] == pytest.approx(ee.pairwise_recall(p, r), abs=1e-12)
    assert t["bcubed_precision"] == pytest.approx(ee.b_cubed_precision(p, r), abs=1e-12)
    assert t["bcubed_recall"] == pytest.approx(ee.b_cubed_recall(p, r), abs=1e-12)
