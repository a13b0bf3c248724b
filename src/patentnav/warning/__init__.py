"""Overseas patent-risk early warning (专利预警) for an export firm's product.

* :class:`ProductProfile` -- the product: features, keywords, codes, own names, markets;
* :func:`patent_status`, :func:`market_coverage` -- legal status, expiry and which markets
  each document threatens (:mod:`.status`);
* :class:`RelevanceIndex` -- how closely each patent reads on the product (:mod:`.relevance`);
* :func:`patent_strength` -- citations, family, breadth, claims, remaining term (:mod:`.strength`);
* :func:`holder_types`, :func:`read_litigation` -- who holds it and whether they sue (:mod:`.holders`);
* :func:`risk_scores`, :func:`suggest_actions` -- risk 0-100, grade, action (:mod:`.risk`);
* :func:`screen` -- the whole pipeline, returning a :class:`WarningResult`; :func:`monitor`
  lists new publications in the product's codes or by watched competitors.

Definitions and sources: docs/warning-*.md.
"""

from .holders import HOLDER_TYPES, holder_types, litigation_by_holder, litigation_by_patent, read_litigation
from .profile import ProductProfile, ProfileError
from .relevance import RelevanceIndex
from .risk import GRADE_THRESHOLDS, grade_of, risk_scores, suggest_actions
from .screen import WarningResult, monitor, screen
from ..status import market_coverage, patent_status
from .strength import patent_strength

__all__ = [
    "ProductProfile", "ProfileError", "RelevanceIndex", "patent_status", "market_coverage", "patent_strength",
    "HOLDER_TYPES", "holder_types", "read_litigation", "litigation_by_holder", "litigation_by_patent",
    "risk_scores", "suggest_actions", "grade_of", "GRADE_THRESHOLDS", "screen", "monitor", "WarningResult",
]
