"""Telling individuals (inventor-owners) from organisations, by documented heuristics.

A cleaned name (see :func:`~patentnav.names.normalize.clean_names`) is taken for a
person when none of its words marks an organisation
(:data:`~patentnav.names.legal_forms.ORG_WORDS`, any legal form) and either

* the raw name has the ``Last, First`` shape (one comma, letters on both sides), or
* it has 2 to 4 alphabetic words, each of at most 15 letters (``CARPENTER CHRISTOPHER M``,
  the DOCDB/Lens owner style), or
* written in CJK, it is 2 or 3 Han characters with no organisation word
  (:data:`~patentnav.names.legal_forms.CJK_ORG_WORDS`), e.g. ``王涛``.

These rules follow the person/firm split of Magerman et al. (2006, section 4) and
PATSTAT's ``psn_sector`` convention of treating unmarked short names as individuals;
they misclassify some short firm names (``NOR SKILT``), which then only lose fuzzy
grouping (individuals are grouped by exact normalised name only).
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from .legal_forms import CJK_ORG_WORDS, LEGAL_FORMS, ORG_WORDS

__all__ = ["is_individual"]

_ORG = sorted(set(ORG_WORDS) | {w for ws in LEGAL_FORMS.values() for w in ws if " " not in w})
_ORG_RE = r"(?:^| )(?:" + "|".join(_ORG) + r")(?: |$)"
_CJK_ORG_RE = "|".join(CJK_ORG_WORDS)


def is_individual(raw_names, cleaned, keys=None) -> pa.Array:
    """Boolean array: True where the name looks like a person's (rules in the module docstring).

    Parameters
    ----------
    raw_names : array of str
        Names as given (for the comma rule).
    cleaned : array of str
        The same names after :func:`~patentnav.names.normalize.clean_names`.
    keys : array of str, optional
        Their normalised keys; a name whose key differs from its cleaned form lost a legal
        form or had a common organisation word standardised, so it is an organisation.
    """
    raw = raw_names if isinstance(raw_names, pa.Array) else pa.array(list(raw_names), pa.string(), from_pandas=True)
    org = pc.match_substring_regex(cleaned, _ORG_RE).fill_null(True)
    if keys is not None:
        org = pc.or_(org, pc.not_equal(keys, cleaned).fill_null(False))
    comma = pc.match_substring_regex(raw, r"^\s*[^\W\d_][^,\d]*,\s*[^\W\d_][^,\d]*$").fill_null(False)
    words = pc.match_substring_regex(cleaned, r"^[A-Z]{1,15}(?: [A-Z]{1,15}){1,3}$").fill_null(False)
    han = pc.match_substring_regex(cleaned, r"^\p{Han}{2,3}$").fill_null(False)
    cjk_org = pc.match_substring_regex(cleaned, _CJK_ORG_RE).fill_null(False)
    latin_person = pc.and_(pc.invert(org), pc.or_(comma, words))
    cjk_person = pc.and_(han, pc.invert(cjk_org))
    return pc.or_(latin_person, cjk_person).fill_null(False)
