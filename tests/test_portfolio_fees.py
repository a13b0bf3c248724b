"""Renewal fees by office (portfolio.fees): hand-computed cases on the shipped schedules."""

import math

import pytest

from patentnav.portfolio.fees import fee_schedule, fee_sources, renewal_fees
from patentnav.status import patent_status
from portfolio_corpus import D, corpus

AS_OF = D(2024, 1, 1)


def _corpus():
    return corpus(
        publication_number=["CN-1-B", "US-2-B2", "EP-3-A1", "DE-4-B4", "JP-5-B2", "JP-6-B2", "AU-7-B2", "US-D8-S",
                            "CN-9-B"],
        jurisdiction=["CN", "US", "EP", "DE", "JP", "JP", "AU", "US", "CN"],
        kind=["B", "B2", "A1", "B4", "B2", "B2", "B2", "S", "B"],
        document_type=["granted_patent", "granted_patent", "application", "granted_patent", "granted_patent",
                       "granted_patent", "granted_patent", "design", "granted_patent"],
        filing_date=[D(2015, 3, 1), D(2018, 1, 10), D(2021, 5, 10), D(2019, 2, 1), D(2017, 1, 1), D(2017, 1, 1),
                     D(2018, 1, 1), D(2019, 1, 1), D(2002, 1, 1)],
        grant_date=[D(2018, 5, 1), D(2020, 6, 15), None, D(2021, 3, 1), D(2020, 4, 1), D(2020, 4, 1), D(2020, 1, 1),
                    D(2020, 1, 1), D(2004, 1, 1)],
        claims_count=[None, None, None, None, 10, None, None, None, None],
    )


def _fees(**kw):
    c = _corpus()
    st = patent_status(c, as_of=AS_OF)
    return renewal_fees(c, st, as_of=AS_OF, years=5, **kw)


def test_hand_computed_amounts():
    f = _fees()
    p = f.per_document
    assert p.loc[0, "fees_next"] == 3 * 4000 + 2 * 6000  # CN years 10-14
    assert f.events[f.events["row"] == 0]["fee_year"].tolist() == [10, 11, 12, 13, 14]
    assert str(f.events[f.events["row"] == 0]["due_date"].iloc[0]) == "2024-03-01"
    assert p.loc[1, "fees_next"] == 4040  # US 7.5-year fee due 2027-12-15; the 3.5-year one was due 2023-12-15
    assert p.loc[2, "fees_next"] == 845 + 1000 + 1155 + 1310 + 1465  # EP pending, years 4-8
    assert str(f.events[f.events["row"] == 2]["due_date"].iloc[0]) == "2024-05-31"  # end of the anniversary month
    assert p.loc[3, "fees_next"] == 150 and p.loc[3, "fees_unknown"] == 4  # DE year 6 known, years 7-10 not
    assert p.loc[4, "fees_next"] == 2 * (10300 + 800 * 10) + 3 * (24800 + 1900 * 10)  # JP years 5-9, 10 claims
    assert p.loc[5, "fees_unknown"] == 5 and p.loc[5, "fees_next"] == 0  # JP without a claim count
    assert p.loc[6, "fees_status"] == "no_schedule"
    assert p.loc[7, "fees_status"] == "no_fees" and p.loc[7, "fees_next"] == 0  # US design
    assert p.loc[8, "fees_status"] == "not_alive"  # expired 2022
    assert f.params["no_schedule"] == {"AU invention": 1}


def test_entity_sizes_and_reductions():
    assert _fees(us_entity="micro").per_document.loc[1, "fees_next"] == 808
    assert _fees(us_entity="small").per_document.loc[1, "fees_next"] == 1616
    # CN: granted in patent year 4; the reduction covers years 4-13: 15% of years 10-13, full year 14
    cn = _fees(cn_reduction="85").per_document.loc[0, "fees_next"]
    assert math.isclose(cn, 0.15 * (3 * 4000 + 6000) + 6000)
    with pytest.raises(ValueError):
        _fees(us_entity="huge")


def test_totals_by_year_and_currency():
    tot = _fees().totals()
    usd = tot[tot["currency"] == "USD"]
    assert usd["amount"].sum() == 4040 and usd["year"].tolist() == [2027]


def test_schedules_carry_sources_and_dates():
    s = fee_schedule()
    src = fee_sources()
    assert set(s["source_id"]) <= set(src["source_id"])
    assert s["valid_from"].notna().all() and src["checked"].notna().all()
    cn = s[(s["office"] == "CN") & (s["right"] == "invention")]
    assert cn["base"].tolist() == [900, 1200, 2000, 4000, 6000, 8000]
