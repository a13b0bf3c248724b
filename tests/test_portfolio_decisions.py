"""Decisions with reasons and pledge readiness (portfolio.decisions), on hand-made rows and pinned
on real rows of the bundled Lens drone sample (status date 2018-01-01)."""

import numpy as np
import pandas as pd
import pytest

from patentnav.portfolio import portfolio
from patentnav.portfolio.decisions import decide, pledge_readiness

AS_OF = "2018-01-01"
DJI = "SZ DJI TECHNOLOGY CO LTD"


def _frame(**cols):
    base = dict(status="in_force", document_type="granted_patent", value_index=0.5, forward_citations_pct=0.5,
                citing_firms=0, own_fit=np.nan, transactions=0, fees_next=100.0, fees_currency="USD", in_pool=False,
                years_left=10.0, co_owners=0, active_pledge=False, invalidations=0, challenges=0)
    base.update(cols)
    n = max(len(v) if isinstance(v, list) else 1 for v in base.values())
    return pd.DataFrame({k: v if isinstance(v, list) else [v] * n for k, v in base.items()})


def test_first_rule_that_applies():
    f = _frame(status=["in_force", "in_force", "in_force", "in_force", "in_force", "expired", "unknown", "in_force",
                       "pending"],
               own_fit=[0.5, np.nan, np.nan, np.nan, 0.05, np.nan, np.nan, 0.2, np.nan],
               forward_citations_pct=[0.9, 0.9, 0.5, 0.1, 0.1, 0.1, 0.1, 0.9, 0.1],
               value_index=[0.1, 0.8, 0.5, 0.1, 0.1, 0.1, 0.1, 0.8, 0.1],
               in_pool=[False, False, True, True, False, False, False, False, False],
               fees_next=[100.0] * 8 + [0.0])
    d = decide(f)
    assert d["decision"].tolist() == ["keep", "license_or_sell", "pool", "license_or_sell" if False else "pool",
                                      "abandon", "ended", "review", "keep", "keep"]
    assert d["decision_detail"].iloc[1] == "license"  # own use not checked -> license, not sell


def test_sell_when_own_products_checked_and_unused():
    # with the citing documents in the data, a top-quarter right that no other firm cites is kept
    assert decide(_frame(own_fit=0.02, forward_citations_pct=0.9, citing_firms=0), citations_known=True)[
        "decision"].iloc[0] == "keep"
    assert decide(_frame(own_fit=0.02, forward_citations_pct=0.5, citing_firms=3), citations_known=True)[
        "decision"].iloc[0] == "keep"  # cited by others but not among the most cited of its cohort
    d = decide(_frame(own_fit=0.02, forward_citations_pct=0.9, citing_firms=2), citations_known=True)
    assert d["decision"].iloc[0] == "license_or_sell" and d["decision_detail"].iloc[0] == "sell"


def test_abandon_needs_every_condition():
    base = dict(value_index=0.1, forward_citations_pct=0.1)
    assert decide(_frame(**base))["decision"].iloc[0] == "abandon"
    assert decide(_frame(**base, transactions=1))["decision"].iloc[0] == "keep"
    assert decide(_frame(**base, fees_next=0.0))["decision"].iloc[0] == "keep"
    assert decide(_frame(**base, own_fit=0.2))["decision"].iloc[0] == "keep"
    reasons = dict(decide(_frame(**base))["reasons"].iloc[0])
    assert reasons["saves"]["amount"] == 100.0 and "own_not_checked" in reasons


def test_pledge_readiness_blockers():
    f = _frame(status=["in_force", "pending", "in_force", "in_force", "in_force"],
               document_type=["granted_patent", "application", "granted_patent", "granted_patent", "granted_patent"],
               years_left=[10.0, 18.0, 3.0, 10.0, 10.0], co_owners=[0, 0, 0, 1, 0],
               active_pledge=[False, False, False, False, True])
    p = pledge_readiness(f)
    assert p["pledge_ready"].tolist() == [True, False, False, False, False]
    assert p["pledge_blockers"].tolist()[1:] == [["not_granted"], ["short_term"], ["co_owned"], ["pledged"]]


# --- real rows ------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def dji(drones):
    return portfolio(drones, holders=DJI, as_of=AS_OF)


@pytest.fixture(scope="module")
def cn(drones):
    return portfolio(drones, region="CN", as_of=AS_OF)


def _row(result, pub):
    return result.rights.set_index("publication_number").loc[pub]


def test_dji_rows(dji):
    assert len(dji.rights) == 36
    assert dji.rights["decision"].value_counts().to_dict() == {"keep": 24, "ended": 9, "license_or_sell": 3}
    # among the most cited of its cohort, own use not checked -> license
    r = _row(dji, "US-9253460-B1")
    assert r["decision"] == "license_or_sell" and r["decision_detail"] == "license"
    assert r["forward_citations_pct"] >= 0.75 and r["pledge_ready"]
    # granted 2014-12-02: the 3.5-year fee (2018-06-02) and the 7.5-year fee (2022-06-02), large entity
    r = _row(dji, "US-8903568-B1")
    assert r["fees_next"] == 2150 + 4040 and r["fees_currency"] == "USD"
    # a lapsed international application
    assert _row(dji, "WO-2016106694-A1")["decision"] == "ended"
    # a granted European patent: renewals go to the validation states, not projected
    r = _row(dji, "EP-2780228-B1")
    assert r["fees_status"] == "ep_national" and r["pledge_ready"]
    assert dji.params["prospect_basis"] == "field_activity"  # the Lens sample has no citations


def test_cn_region_pool_and_bring_in(cn):
    pools = cn.pools.set_index("technology")
    assert "G06Q" in pools.index and pools.loc["G06Q", "holder_names"] == ["DAI JIANLIN", "YE MAO"]
    # both are in CN by their first filing only: a pool of first filers, not of local holders
    assert pools.loc["G06Q", "holder_evidence"] == ["priority", "priority"]
    assert (pools.loc["G06Q", "located_holders"], pools.loc["G06Q", "basis"]) == (0, "first_filed")
    r = _row(cn, "US-20170169387-A1")
    assert r["decision"] == "pool" and r["reasons"][-1][0] == "pool_first_filed"
    top = cn.bring_in.iloc[0]
    assert (top["technology"], top["publication_number"], top["holder"]) == ("G02B", "US-9377625-B2", "OSTERHOUT GROUP INC")
    assert top["status"] == "in_force" and top["terms"] == "licence_or_cross"
    assert (top["holder_region"], top["holder_evidence"]) == ("US", "priority")
    # held outside: no applicant of the document is placed in the region (the region's portfolio)
    assert not cn.bring_in["publication_number"].isin(cn.rights["publication_number"]).any()
    assert set(cn.free_to_use["status"]) <= {"expired", "lapsed", "withdrawn_or_refused"}


def test_own_product_changes_the_decisions(drones):
    from conftest import ROOT
    from patentnav.warning import ProductProfile

    product = ProductProfile.from_file(ROOT / "examples" / "drone_product.toml")
    r = portfolio(drones, holders=DJI, as_of=AS_OF, product=product)
    keep = _row(r, "US-20170186329-A1")  # flight control: reads on the drone product
    assert keep["own_fit"] >= 0.3 and keep["decision"] == "keep"
    assert ("own_fit", {"fit": keep["own_fit"]}) in keep["reasons"]
    # remote control: partly on the product (0.1 <= fit < 0.3), so no longer offered for licensing
    assert 0.1 <= _row(r, "US-8903568-B1")["own_fit"] < 0.3 and _row(r, "US-8903568-B1")["decision"] == "keep"
    # white balancing: the product's gimbal camera shares some of it (0.1 <= fit): kept
    white = _row(r, "US-9253460-B1")
    assert 0.1 <= white["own_fit"] < 0.3 and white["decision"] == "keep"
    # walking pets: nothing of the product -> sell (the products were checked)
    sell = _row(r, "US-9661827-B1")
    assert sell["own_fit"] < 0.1 and (sell["decision"], sell["decision_detail"]) == ("license_or_sell", "sell")
