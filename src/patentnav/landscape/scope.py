"""Industry scoping: restrict a corpus to an SEI field, to IPC/CPC patterns, or to a keyword query.

Query grammar (Chinese or English; case-insensitive substring matching on titles, abstracts
and claims, so Chinese needs no segmentation):

* words separated by spaces must all occur: ``drone camera``;
* ``OR`` (or ``|``) separates alternatives: ``无人机 OR 无人飞行器 OR drone``;
* ``"quoted phrases"`` (also “…”) match as a whole: ``"unmanned aerial vehicle"``;
* a leading ``-`` excludes: ``drone -toy``.

The three criteria combine with AND. Every criterion is vectorised (Arrow kernels).
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

__all__ = ["parse_query", "query_mask", "scope"]

_TOKEN = re.compile(r'-?"[^"]+"|-?“[^”]+”|\S+')


def parse_query(query: str) -> list[list[tuple[str, bool]]]:
    """Disjunctive normal form: a list of OR-groups, each a list of (term, negated).

    >>> parse_query('drone "aerial vehicle" -toy OR 无人机')
    [[('drone', False), ('aerial vehicle', False), ('toy', True)], [('无人机', False)]]
    """
    if not query or not query.strip():
        raise ValueError("empty query: give words, \"phrases\", OR, and -exclusions")
    groups = [g for g in re.split(r"\s+OR\s+|\|", query.strip()) if g.strip()]
    out = []
    for g in groups:
        terms = []
        for tok in _TOKEN.findall(g):
            neg = tok.startswith("-") and len(tok) > 1
            tok = tok[1:] if neg else tok
            tok = tok.strip('"“”')
            if tok:
                terms.append((tok, neg))
        if not terms or all(neg for _, neg in terms):
            raise ValueError(f"query group {g.strip()!r} has no positive term")
        out.append(terms)
    return out


def query_mask(corpus, query: str, fields=("title", "abstract", "claims")) -> pa.Array:
    """Boolean mask of the documents matching ``query`` (grammar in the module docstring)."""
    t = corpus.table
    text = None
    for f in fields:
        col = pc.fill_null(t[f].combine_chunks(), "")
        text = col if text is None else pc.binary_join_element_wise(text, col, "\n")
    if text is None:
        raise ValueError("no text fields to search")
    result = pa.array(np.zeros(t.num_rows, dtype=bool))
    for group in parse_query(query):
        m = pa.array(np.ones(t.num_rows, dtype=bool))
        for term, neg in group:
            hit = pc.match_substring(text, term, ignore_case=True)
            m = pc.and_(m, pc.invert(hit) if neg else hit)
        result = pc.or_(result, m)
    return result


def scope(corpus, industry: str | None = None, ipc=None, cpc=None, query: str | None = None,
          fields=("title", "abstract", "claims")):
    """The documents of an industry: SEI field or industry (CNIPA 2021 concordance), IPC/CPC
    prefixes (see :meth:`patentnav.Corpus.filter`), and/or a keyword query; criteria AND-ed.

    Returns the filtered :class:`~patentnav.Corpus`; its ``scope`` attribute records the criteria
    and the number of documents each kept.

    Examples
    --------
    >>> c = scope(patentnav.datasets.drones(), ipc=["B64C39/02", "B64U"], query="unmanned OR drone")
    """
    criteria = {}
    if industry:
        criteria["sei"] = industry
    if ipc:
        criteria["ipc"] = [ipc] if isinstance(ipc, str) else list(ipc)
    if cpc:
        criteria["cpc"] = [cpc] if isinstance(cpc, str) else list(cpc)
    n = len(corpus)
    mask = pa.array(np.ones(n, dtype=bool))
    steps = []
    for key, value in criteria.items():
        m = corpus.mask(**{key: value})
        steps.append({"criterion": key, "value": value, "documents": int(pc.sum(m).as_py() or 0)})
        mask = pc.and_(mask, m)
    if query:
        m = query_mask(corpus, query, fields)
        steps.append({"criterion": "query", "value": query, "documents": int(pc.sum(m).as_py() or 0)})
        mask = pc.and_(mask, m)
    out = corpus.filter(mask)
    out.scope = {"criteria": steps, "documents": len(out), "of": n}
    return out
