"""Put idle patents to work (盘活存量专利): a holder's inventory, renewal fees, value indicators,
decisions with reasons, and the patents a region should bring in. Definitions: docs/portfolio.md.

* :func:`portfolio` -- the whole pipeline, returning a :class:`PortfolioResult`;
* :func:`select_portfolio` -- a holder's or a region's documents (:mod:`.holders`);
* :func:`renewal_fees` -- fees due by office from the shipped schedules (:mod:`.fees`);
* :func:`value_indicators` -- legal, technical, economic indicators (:mod:`.indicators`);
* :func:`legal_profile` -- pledges, licences, transfers, challenges from legal events (:mod:`.legal`);
* :func:`maintenance_survival`, :func:`kaplan_meier` -- keeping rights to full term (:mod:`.survival`);
* :func:`decide`, :func:`pledge_readiness` -- decisions with reasons (:mod:`.decisions`);
* :func:`bring_in`, :func:`pool_candidates`, :func:`licensee_prospects` -- the region (:mod:`.regional`).
"""

from .analysis import PortfolioResult, portfolio
from .decisions import DECISIONS, decide, pledge_readiness
from .fees import FeeProjection, fee_schedule, fee_sources, renewal_fees
from .holders import HolderSelection, select_portfolio
from .indicators import value_indicators
from .legal import classify_transactions, legal_profile
from .regional import bring_in, licensee_prospects, pool_candidates
from .survival import SurvivalResult, kaplan_meier, maintenance_survival

__all__ = [
    "portfolio", "PortfolioResult", "select_portfolio", "HolderSelection", "renewal_fees", "FeeProjection",
    "fee_schedule", "fee_sources", "value_indicators", "legal_profile", "classify_transactions",
    "maintenance_survival", "kaplan_meier", "SurvivalResult", "decide", "pledge_readiness", "DECISIONS",
    "bring_in", "pool_candidates", "licensee_prospects",
]
