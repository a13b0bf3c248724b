"""Put idle patents to work (盘活存量专利): DJI's rights in the bundled drone sample - what they
are, what they cost to keep, what they are worth against their cohorts, and what to do with
each (keep, license out or sell, pool, abandon, pledge); then what region CN should bring in.
See docs/portfolio.md.

Run: python examples/09_portfolio.py   (writes ./dji-portfolio/)
"""

from pathlib import Path

import patentnav
from patentnav.portfolio import portfolio
from patentnav.portfolio.fees import renewal_fees
from patentnav.report import write_json
from patentnav.report.html import write_html
from patentnav.report.portfolio_model import build_portfolio_report, reasons_text

corpus = patentnav.datasets.drones()
# The status date of the sample's data (it ends in December 2017); use today for fresh data.
result = portfolio(corpus, holders="SZ DJI TECHNOLOGY CO LTD", as_of="2018-01-01", years=5)
rights = result.rights
print(f"{len(rights)} documents of", ", ".join(result.selection.names))

# Inventory: status, expiry, years left, fees due in the next 5 years by office
cols = ["publication_number", "status", "expiry_date", "years_left", "family_size", "fees_next", "fees_currency"]
print(rights[cols].sort_values("years_left", ascending=False).head(8).to_string(index=False))
print(result.fees.totals().to_string(index=False))

# The same fees for a small entity (US) - the schedules ship with their sources and dates
small = renewal_fees(corpus, patentnav.warning.patent_status(corpus, as_of="2018-01-01"), rows=result.selection.rows,
                     as_of="2018-01-01", us_entity="small")
print("small entity:", small.totals()["amount"].sum(), "USD")

# Value against the cohort (filing year x WIPO field): technical and economic indicators
cols = ["publication_number", "forward_citations", "tech_relevance", "forward_citations_pct", "family_size",
        "value_index", "breakthrough"]
print(rights[cols].sort_values("value_index", ascending=False).head(5).to_string(index=False))
print(result.params["availability"]["market_coverage"])

# Decisions with their reasons, and pledge readiness
print(rights["decision"].value_counts().to_string())
for _, r in rights[rights["decision"] == "license_or_sell"].iterrows():
    print(" ", r["publication_number"], "->", r["decision_detail"], "|", reasons_text(r["reasons"], "en"))
print("pledge-ready:", int(rights["pledge_ready"].sum()), "| prospects:", ", ".join(result.prospects["firm"].head(5)))

# CNIPA's high-value criteria (the same flags as the quality profiles): 'maintained over 10 years'
# needs legal events or a status text, which this export lacks, so it is unknown, never "yes"
print(rights.loc[rights["hv_in_scope"], ["publication_number", "jurisdiction", "high_value", "hv_criteria",
                                         "hv_maintained_10y", "hv_cnipa_statistic"]].head(5).to_string(index=False))

# Region CN: who its applicants are and what places them there (this export has no addresses:
# everyone is "first filed in CN", Ericsson on one document, none is called local)
region = portfolio(corpus, region="CN", as_of="2018-01-01")
print(region.selection.holder_evidence.head(5).to_string(index=False))
# Pools over a gap (their basis: located holders or first filers), patents to bring in (live rights no
# applicant of CN holds, from the gap analysis, ranked by fit x value), ended rights free to use
print(region.pools[["technology", "holders", "located_holders", "basis", "holder_names"]].to_string(index=False))
print(region.bring_in[["technology", "publication_number", "holder", "holder_region", "holder_evidence", "years_left",
                       "score", "terms"]].head(5).to_string(index=False))
print(len(region.free_to_use), "ended rights in the gap technologies are free to use;",
      region.params["first_filed_left_out"], "live rights held by first filers in CN left out of the bring-in list")

report = build_portfolio_report(result, lang="en")
out = Path("dji-portfolio")
write_json(report, out / "portfolio.json")
write_html(report, out / "portfolio.html")
print(sorted(p.name for p in out.iterdir()))
