"""Gap detection on the bundled sample (regions from priority countries) and on a firm list."""

import numpy as np
import pandas as pd
from click.testing import CliRunner

from patentnav.cli.main import main
from patentnav.landscape.gaps import FORMULAS, gaps


def test_gaps_for_china_on_the_drone_sample(drones):
    c = drones.harmonize_applicants()
    g = gaps(c, "CN")
    t = g.table
    assert set(t.category) <= {"fill_now", "long_term", "declining", "strength"}
    # categories follow their definitions
    assert (t.loc[t.category == "strength", "rca"] >= 1).all()
    assert (t.loc[t.category != "strength", "rca"] < 1).all()
    assert (t.loc[t.category == "declining", "world_growth"] < 0).all()
    gapped = t[t.category.isin(["fill_now", "long_term"])]
    med = np.nanmedian(t.loc[t.rca < 1, "density"])
    assert (gapped.loc[gapped.category == "fill_now", "density"] >= med).all()
    # ranking: categories in order, gap_score descending within a category
    order = {"fill_now": 0, "long_term": 1, "declining": 2, "strength": 3}
    assert t.category.map(order).is_monotonic_increasing
    for _, sub in t[t.rca < 1].groupby("category"):
        assert sub.gap_score.is_monotonic_decreasing
    # the region's documents add up to its fractional count
    spec = g.specialization
    assert np.isclose(t.region_documents.sum(), spec.counts.loc["CN"].sum())
    assert set(FORMULAS) <= set(g.formulas)


def test_gap_formula_by_hand(drones):
    g = gaps(drones, "CN")
    row = g.table[g.table.rca < 1].iloc[0]
    growth = 0.0 if pd.isna(row.world_growth) else max(row.world_growth, 0)
    assert np.isclose(row.gap_score, (1 - row.rca) * np.log1p(row.world_documents) * (1 + growth))


def test_firm_list_region(drones):
    g = gaps(drones.harmonize_applicants(), "FIRMS", firms=["SZ DJI TECHNOLOGY CO LTD"])
    assert g.region == "FIRMS" and g.table.region_documents.sum() > 0


def test_gaps_command(tmp_path):
    r = CliRunner().invoke(main, ["gaps", "--region", "CN", "--top", "5", "-o", str(tmp_path / "g.csv")])
    assert r.exit_code == 0, r.output
    df = pd.read_csv(tmp_path / "g.csv", encoding="utf-8-sig")
    assert {"technology", "category", "rca", "density", "gap_score", "holders"} <= set(df.columns)
    r = CliRunner().invoke(main, ["gaps", "--region", "XX"])
    assert r.exit_code == 2 and "has no documents" in r.output


def test_holders_expiry_and_outside_share_against_a_loop(drones):
    import datetime as dt

    from patentnav.classify.ipc import truncate

    c = drones.harmonize_applicants()
    g = gaps(c, "CN", expiry_years=5)
    rows = c.table.to_pylist()
    cutoff = max(r["publication_date"] for r in rows)
    for _, row in g.table.head(3).iterrows():
        tech = row.technology
        docs = [r for r in rows if tech in {truncate(x, "subclass") for x in r["ipc"]}]
        def expires(r):
            if r["document_type"] != "granted_patent" or r["filing_date"] is None:
                return False
            f = r["filing_date"]
            try:
                end = f.replace(year=f.year + 20)
            except ValueError:  # 29 February
                end = f.replace(year=f.year + 20, day=28) + dt.timedelta(days=1)
            return cutoff <= end <= cutoff.replace(year=cutoff.year + 5)
        assert row.expiring == sum(expires(r) for r in docs)
        ranked = sorted(docs, key=lambda r: (-(r["forward_citations"] or 0), -(r["family_size"] or 0), r["publication_number"]))
        assert row.key_patents == [r["publication_number"] for r in ranked[:5]]
        counts = pd.Series([h for r in docs for h in r["applicants_harmonized"]]).value_counts()
        assert set(row.holders) <= set(counts.index) and counts[row.holders[0]] == counts.iloc[0]
