"""The positioning section's lookups by corpus row equal the joins on publication numbers they replaced."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from patentnav.geo import assign_regions
from patentnav.geo import assignment_rows as _corpus_rows
from patentnav.report.positioning import _publication_years, _with_fields
from patentnav.report.regional import long_values, region_evidence


class _Fields:
    def __init__(self, pubs, labels):
        self.publication_numbers, self.labels = pubs, labels


@pytest.fixture(scope="module")
def assignment(drones):
    return assign_regions(drones, level="country")


def test_fields_by_row_equal_the_join(drones, assignment):
    pubs = drones.table["publication_number"].to_numpy(zero_copy_only=False)
    rng = np.random.default_rng(0)
    rows = _corpus_rows(drones, assignment)
    assert (rows >= 0).all()
    shuffled = assignment.sample(frac=1.0, random_state=0)  # not in corpus order: looked up
    lookup = pd.Index(pubs).get_indexer(shuffled["publication_number"].to_numpy(dtype=object))
    assert (_corpus_rows(drones, shuffled) == lookup).all() and (rows == pd.Index(pubs).get_indexer(
        assignment["publication_number"].to_numpy(dtype=object))).all()
    for keep, order in ((np.ones(len(pubs), bool), 1), (np.ones(len(pubs), bool), -1), (rng.random(len(pubs)) < 0.8, 1)):
        labels = rng.integers(-1, 5, len(pubs))  # every document in a field or not, in corpus order or not
        tf = _Fields(pubs[keep][::order].copy(), labels[keep][::order].copy())
        fa = pd.DataFrame({"publication_number": tf.publication_numbers.astype(str), "field": tf.labels.astype(int)})
        want = assignment.merge(fa, on="publication_number", how="left")
        want = want[want["field"].fillna(-1) >= 0]
        got = _with_fields(assignment, rows, tf, drones)
        cols = ["region", "applicant", "weight", "field"]
        pd.testing.assert_frame_equal(got.drop(columns="_row").reset_index(drop=True), want[cols].reset_index(drop=True),
                                      check_exact=True)
        assert (got.index == want.index).all()


def test_years_by_row_equal_the_join(drones, assignment):
    rows = _corpus_rows(drones, assignment)
    pubs = drones.table["publication_number"].to_pandas().astype(str)
    yr = pd.DataFrame({"publication_number": pubs, "year": pd.to_datetime(drones.table["publication_date"].to_pandas()).dt.year})
    want = assignment.merge(yr, on="publication_number", how="left")["year"].to_numpy(dtype=float)
    got = _publication_years(drones, rows).astype(float)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("column,name", [("inventors", "inventor"), ("applicants_harmonized", "applicant"), ("applicants", "a")])
def test_long_values_of_some_rows_equal_the_filtered_table(drones, column, name):
    full = long_values(drones, column, name)
    rows = np.unique(np.random.default_rng(1).integers(0, len(drones), 500))
    want = full[full["row"].isin(rows)].reset_index(drop=True)
    pd.testing.assert_frame_equal(long_values(drones, column, name, rows=rows), want, check_exact=True)


def test_region_evidence_equals_the_group_by_of_the_text(assignment):
    a = assignment.copy()
    a.attrs = {}
    for frame in (a, a.astype({"source_of_evidence": object})):
        for region in ("US", "CN", "UNKNOWN", "XX"):
            sub = frame[frame["region"].astype(str) == region]
            want = sub.groupby(sub["source_of_evidence"].astype(str))["weight"].sum()
            want = want[want > 0].sort_values(ascending=False, kind="mergesort")
            pd.testing.assert_series_equal(region_evidence(frame, region), want, check_exact=True,
                                           check_index_type=len(want) > 0)
