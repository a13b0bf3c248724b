"""Filing quality (专利质量): how good are the filings of a region, its applicants and their
patent agents, against the world's filings of the same fields and years.

* :mod:`~patentnav.quality.documents` - every document's indicators (OECD composite, claim
  scope, family breadth, PCT route, grant lag, maintenance, CNIPA high-value criteria) and
  their values relative to the document's cohort (filing year x WIPO field);
* :mod:`~patentnav.quality.maintenance` - kept in force to year 10, from the legal status;
* :mod:`~patentnav.quality.high_value` - CNIPA's high-value invention patent criteria the
  data can show, and those they cannot;
* :mod:`~patentnav.quality.shrinkage` - empirical-Bayes shrinkage and Wilson intervals;
* :mod:`~patentnav.quality.profiles` - group profiles with intervals, ranked only above a
  minimum size.

The claim-based indicators themselves are :func:`patentnav.landscape.claims.claim_indicators`.
Definitions and sources: ``docs/methods.md``, section 13.
"""

from .documents import CONTINUOUS, INDICATOR_DOCS, SHARES, document_quality, family_breadth, pct_route
from .high_value import HIGH_VALUE_CRITERIA, NOT_IN_PATENT_DATA, high_value
from .maintenance import data_cutoff, maintenance
from .profiles import BY, MIN_DOCS, MISSING_REASON, RANK_DIRECTION, QualityProfiles, aggregate, group_members, quality_profiles
from .shrinkage import shrink_means, wilson_interval

__all__ = [
    "CONTINUOUS", "SHARES", "INDICATOR_DOCS", "document_quality", "family_breadth", "pct_route",
    "HIGH_VALUE_CRITERIA", "NOT_IN_PATENT_DATA", "high_value", "data_cutoff", "maintenance",
    "BY", "MIN_DOCS", "MISSING_REASON", "RANK_DIRECTION", "QualityProfiles", "aggregate", "group_members", "quality_profiles",
    "shrink_means", "wilson_interval",
]
