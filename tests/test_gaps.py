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


# ------------------------------------------------------------------ fast paths equal their definitions

def _top_k_by_sort(M, k):
    """The former definition: one lexsort of every entry by (row, value descending, column)."""
    import scipy.sparse as sp

    M = sp.csr_matrix(M)
    row = np.repeat(np.arange(M.shape[0]), np.diff(M.indptr))
    order = np.lexsort((M.indices, -M.data, row))
    rank = np.arange(len(order)) - M.indptr[row[order]]
    cols = M.indices[order]
    ends = np.searchsorted(row[order], np.arange(M.shape[0] + 1))
    return [cols[lo:hi][rank[lo:hi] < k] for lo, hi in zip(ends[:-1], ends[1:])]


def test_top_k_per_row_equals_the_sort_definition():
    """Partition then sort gives the same columns as sorting every entry, ties (small integer
    values) by the lower column first, for rows shorter and longer than k, and k = 0."""
    import scipy.sparse as sp

    from patentnav.landscape.gaps import _top_k_per_row

    rng = np.random.default_rng(7)
    for trial in range(30):
        m = sp.random(int(rng.integers(1, 40)), int(rng.integers(1, 300)), density=float(rng.uniform(0.001, 0.3)),
                      format="csr", random_state=int(rng.integers(1 << 30)))
        m.data = rng.integers(1, 4, m.nnz).astype(float) if trial % 2 else m.data
        for k in (0, 1, 3, 5, 500):
            got, want = _top_k_per_row(m, k), _top_k_by_sort(m, k)
            assert len(got) == len(want) and all(np.array_equal(a, b) for a, b in zip(got, want))


def test_assignment_rows_equal_the_lookup_by_number(drones):
    """Rows from the assignment's order equal the lookup by publication number; an assignment
    in another order, or missing a document, is looked up."""
    from patentnav.geo import assign_regions
    from patentnav.geo import assignment_rows as _assignment_rows
    from patentnav.model.shared import row_index

    a = assign_regions(drones)
    lookup = row_index(drones).get_indexer(a["publication_number"].to_numpy())
    assert np.array_equal(_assignment_rows(drones, a), lookup)
    shuffled = a.sample(frac=1.0, random_state=1)
    assert np.array_equal(_assignment_rows(drones, shuffled), row_index(drones).get_indexer(shuffled["publication_number"].to_numpy()))
    first = a["publication_number"].iloc[0]
    fewer = a[a["publication_number"] != first]
    assert np.array_equal(_assignment_rows(drones, fewer), lookup[(a["publication_number"] != first).to_numpy()])
    assert np.array_equal(_assignment_rows(drones, a.drop(columns="applicant_index")), lookup)


def test_sorted_codes_equal_factorize():
    """Arrow dictionary codes, reordered, equal pandas' sorted factorize (np.unique's order), for
    Arrow-backed and object strings, non-ASCII names included."""
    from patentnav.landscape.gaps import _sorted_codes

    values = ["大疆创新科技有限公司", "b", "B", "a", "Ünited", "b", "深圳", "a", "", "Z"] * 3
    for s in (pd.Series(values, dtype="str"), pd.Series(values, dtype="string[pyarrow]"), pd.Series(values, dtype=object)):
        codes, uniques = _sorted_codes(s)
        want_codes, want_uniques = pd.factorize(s.astype(str).to_numpy(), sort=True)
        assert np.array_equal(codes, want_codes) and list(uniques) == list(want_uniques)


def test_document_rights_equal_the_definition(drones):
    """document_rights equals its plain definition (np.isin on Python strings), dtypes included."""
    from patentnav.landscape.gaps import ENDED, LIVE, document_rights
    from patentnav.status import patent_status

    c = drones.harmonize_applicants()
    status = patent_status(c, as_of="2017-12-28")
    st = status["status"].astype(str).to_numpy()
    wo_phase = (status["jurisdiction"].astype(str).to_numpy() == "WO") & (st == "lapsed")
    right = np.where(np.isin(st, LIVE), "live", np.where(np.isin(st, ENDED) & ~wo_phase, "ended", "unknown"))
    want = pd.DataFrame({
        "publication_number": status["publication_number"].to_numpy(), "status": st, "right": right,
        "expiry_date": status["expiry_date"].to_numpy(),
        "years_left": np.where(right == "live", status["years_left"].to_numpy(dtype=float), np.nan),
        "ended_on": np.where(right == "ended", status["assumed_date"].to_numpy(), None)})
    got = document_rights(c, "2017-12-28", status)
    pd.testing.assert_frame_equal(got, want, check_exact=True)
    assert wo_phase.any() and set(got["right"]) == {"live", "ended", "unknown"}


def test_detail_lists_only_the_top_gaps(drones, cn):
    """detail=n: the lists of the n first gaps of top_gaps equal the full analysis's; other rows
    hold None there; every other column, the rights and the region evidence are the same."""
    from patentnav.geo import document_evidence
    from patentnav.landscape.gaps import top_gaps

    g = gaps(drones.harmonize_applicants(), "CN", detail=4)
    lists = ["key_patents", "key_patents_status", "key_patents_years_left", "free_to_use", "free_to_use_status",
             "free_to_use_since", "holders", "live_holders", "closest_local_firms", "closest_first_filed_firms"]
    shown = cn.table["technology"].isin(top_gaps(cn.table, 4)["technology"]).to_numpy()
    assert shown.sum() == 4
    pd.testing.assert_frame_equal(g.table.drop(columns=lists), cn.table.drop(columns=lists))
    pd.testing.assert_frame_equal(g.table.loc[shown, lists], cn.table.loc[shown, lists])
    assert g.table.loc[~shown, lists].isna().all().all() and cn.table.loc[~shown, lists].notna().all().all()
    pd.testing.assert_frame_equal(g.rights, cn.rights)
    ev = document_evidence(cn.assignment, "CN", drones.harmonize_applicants()["publication_number"].to_numpy())
    assert list(g.region_evidence) == list(ev) and g._evidence is not None
    pd.testing.assert_frame_equal(g.technology_rights(["G05D", "B64C"]), cn.technology_rights(["G05D", "B64C"]))
