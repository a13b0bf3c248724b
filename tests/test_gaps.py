"""Gap detection on the bundled sample (regions from priority countries) and on a firm list."""

import numpy as np
import pandas as pd
import pytest
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


@pytest.fixture(scope="module")
def cn(drones):
    return gaps(drones.harmonize_applicants(), "CN")


def test_holders_live_rights_expiry_and_outside_share_against_a_loop(drones, cn):
    """Key patents, free-to-use patents, live holders, expiring counts: a plain loop over the
    documents with their status from patentnav.status (the authority, reused)."""
    from patentnav.classify.ipc import truncate
    from patentnav.status import patent_status

    c = drones.harmonize_applicants()
    rows = c.table.to_pylist()
    cutoff = max(r["publication_date"] for r in rows)
    st = patent_status(c, as_of=cutoff).set_index("publication_number")
    horizon = pd.Timestamp(cutoff) + pd.DateOffset(years=5)
    for _, row in cn.table.head(4).iterrows():
        docs = [r for r in rows if row.technology in {truncate(x, "subclass") for x in r["ipc"]}]
        status = {r["publication_number"]: st.loc[r["publication_number"], "status"] for r in docs}
        wo_phase = {p for p in status if p.startswith("WO-") and status[p] == "lapsed"}
        live = [r for r in docs if status[r["publication_number"]] in ("in_force", "pending")]
        ended = [r for r in docs if status[r["publication_number"]] in ("expired", "lapsed", "withdrawn_or_refused")
                 and r["publication_number"] not in wo_phase]
        def key(r):
            return (-(r["forward_citations"] or 0), -(r["family_size"] or 0), r["publication_number"])
        in_force_first = sorted(live, key=lambda r: (status[r["publication_number"]] != "in_force", *key(r)))
        assert row.key_patents == [r["publication_number"] for r in in_force_first[:5]]
        assert row.free_to_use == [r["publication_number"] for r in sorted(ended, key=key)[:5]]
        assert (row.live_documents, row.ended_documents) == (len(live), len(ended))
        assert row.status_unknown_documents == len(docs) - len(live) - len(ended)
        exp = [pd.Timestamp(st.loc[r["publication_number"], "expiry_date"]) for r in docs
               if status[r["publication_number"]] == "in_force"]
        assert row.expiring == sum(pd.Timestamp(cutoff) < e <= horizon for e in exp)
        counts = pd.Series([h for r in live for h in r["applicants_harmonized"]]).value_counts()
        assert set(row.live_holders) <= set(counts.index) and counts[row.live_holders[0]] == counts.iloc[0]


def test_expired_rights_are_free_to_use_not_targets(cn, drones):
    """H04R: Bose's 1983 loudspeaker patent and the other old key patents expired long before the
    2017 cut-off; G01P: Toyota (1982) and Mazda (1985) shift indicators likewise."""
    t = cn.table.set_index("technology")
    apps = drones.table.select(["publication_number", "applicants", "filing_date"]).to_pandas().set_index("publication_number")
    for tech, old in (("H04R", ["US-4549631-A", "US-4875546-A", "US-4943956-A", "US-5170435-A"]),
                      ("G01P", ["US-4492112-A", "US-4683455-A"])):
        row = t.loc[tech]
        assert not set(old) & set(row.key_patents)
        assert set(old) <= set(row.free_to_use)
        assert set(row.key_patents_status) <= {"in_force", "pending"} and min(row.key_patents_years_left) > 0
        since = dict(zip(row.free_to_use, row.free_to_use_since))
        assert all(s < "2017-12-28" for s in since.values())
    h = t.loc["H04R"]
    assert apps.loc["US-4549631-A", "applicants"].tolist() == ["BOSE CORP"]
    assert str(apps.loc["US-4549631-A", "filing_date"]) == "1983-10-24"
    assert dict(zip(h.free_to_use, h.free_to_use_since))["US-4549631-A"] == "2003-10-24"
    assert h.key_patents[0] == "US-6176345-B1" and h.key_patents_years_left[0] == pytest.approx(1.61)
    g = t.loc["G01P"]
    assert apps.loc["US-4492112-A", "applicants"].tolist() == ["TOYOTA MOTOR CO LTD"]
    assert apps.loc["US-4683455-A", "applicants"].tolist() == ["MAZDA MOTOR"]
    assert g.free_to_use_status == ["expired"] * len(g.free_to_use)


def test_local_firms_need_location_evidence(drones, cn):
    """The sample has no addresses: every CN applicant is there by its first (priority) filing,
    QUALCOMM INC, MOTOROLA SOLUTIONS INC and LINKDOOD TECH SDN BHD included; none is local."""
    from patentnav.geo import applicant_evidence, assign_regions

    ev = applicant_evidence(assign_regions(drones.harmonize_applicants()), "CN").set_index("applicant")
    for firm in ("QUALCOMM INC", "MOTOROLA SOLUTIONS INC", "LINKDOOD TECH SDN BHD", "SZ DJI TECHNOLOGY CO LTD"):
        assert ev.loc[firm, "evidence"] == "priority" and not ev.loc[firm, "located"]
    assert not ev["located"].any()
    assert ev.loc["QUALCOMM INC", "documents"] == 13 and ev.loc["QUALCOMM INC", "patents"] == pytest.approx(2.52, abs=0.005)
    assert cn.table["closest_local_firms"].map(len).sum() == 0
    assert "SZ DJI TECHNOLOGY CO LTD" in cn.table.set_index("technology").loc["G08B", "closest_first_filed_firms"]
    # a firm list is location evidence
    g = gaps(drones.harmonize_applicants(), "FIRMS", firms=["SZ DJI TECHNOLOGY CO LTD"])
    assert g.table["closest_local_firms"].map(lambda f: f == ["SZ DJI TECHNOLOGY CO LTD"] or f == []).all()
    assert g.table["closest_local_firms"].map(len).sum() > 0


def test_complexity_on_the_largest_connected_component(cn):
    """One SU document is the only holder of F27B: that pair is cut off from the rest of the
    network. ECI/PCI there are NaN (not 0.140028 for everything else), and the warning names them."""
    s = cn.specialization
    assert np.isnan(s.pci["F27B"]) and np.isnan(s.eci["SU"]) and np.isnan(s.coi["SU"])
    assert s.counts.loc["SU"].sum() == 1 and s.counts["F27B"].sum() == 1
    assert s.pci.round(6).value_counts().iloc[0] < 424 and s.pci.nunique() > 50
    assert s.eci.round(6).value_counts().iloc[0] < 51 and s.n_components == 2
    assert (len(s.complexity_regions), len(s.complexity_technologies)) == (51, 424)
    (w,) = cn.params["warnings"]
    assert "SU" in w and "F27B" in w and "51 of 52 regions" in w
    assert cn.params["complexity"]["regions_outside"] == ["SU"] and cn.params["complexity"]["technologies_outside"] == ["F27B"]


def test_fill_now_needs_related_strength(drones):
    """Regions FIRMS and UNKNOWN only (the sample's WO documents, firm list, no priority proxy):
    relatedness density is 0 for every gap, so nothing is "fill now" (281 were before)."""
    c = drones.filter(jurisdiction="WO").harmonize_applicants()
    g = gaps(c, "FIRMS", firms=["SZ DJI TECHNOLOGY CO LTD"], fallback=None)
    assert sorted(g.specialization.regions) == ["FIRMS", "UNKNOWN"]
    gap = g.table[g.table.rca < 1]
    assert len(gap) == 290 and (gap.density == 0).all() and (gap.feasibility == 0).all()
    assert "fill_now" not in set(g.table.category) and g.params["related_gaps"] == 0
    assert g.table.category.value_counts().to_dict() == {"long_term": 281, "strength": 12, "declining": 9}
    assert "undefined" in g.params["warnings"][0]


def test_fill_now_rows_have_positive_density_above_threshold(cn):
    t = cn.table
    fill = t[t.category == "fill_now"]
    assert len(fill) and (fill.density > 0).all() and (fill.density >= cn.params["fill_now_density"]).all()
    # feasibility: share of the other gaps with a strictly lower density
    gap = t[t.rca < 1]
    d = gap.density.to_numpy()
    i = int(np.argmax(d))
    assert gap.feasibility.iloc[i] == 1.0 and gap.feasibility[gap.density == 0].eq(0).all()
    j = len(gap) // 2
    assert gap.feasibility.iloc[j] == pytest.approx((d < d[j]).sum() / (len(d) - 1))
