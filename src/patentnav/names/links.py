"""Links between normalised names, each with its reason and evidence, and how every name
reached its group.

A link joins two keys (normalised names). Its ``reason`` is one of :data:`REASONS`; its
``evidence`` is the number of independent observations for links learned from the data
(families, or mentions that state an acronym) and empty for rule links, whose evidence is
the two names themselves; ``detail`` says what matched (the similarity, the division
dropped, the branch, the alias file line).

Groups are the connected components of the links. To tell a user why a name is in its
group, :func:`explain` walks the links breadth-first from the group's canonical key
(``scipy.sparse.csgraph.breadth_first_order``) and reports, for every other key, the link
by which it was reached and the key it was reached from.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import breadth_first_order

__all__ = ["REASONS", "Links", "explain"]

#: Link reasons (the ``reason`` column of the mapping and of the links table).
REASONS = {
    "canonical": "the group's display name",
    "normalised": "same key after normalisation (case, punctuation, legal form, common words)",
    "alias": "user alias file",
    "typo": "spelling variant (rapidfuzz ratio and Indel distance within limits)",
    "division": "same name without its administrative-division prefix (深圳市)",
    "branch": "branch or unit of the legal entity (分公司, 研究院, BRANCH)",
    "acronym-stated": "acronym stated next to its expansion in a raw name",
    "acronym-family": "acronym and expansion at the same applicant position in patent families",
    "cross-script": "Chinese and Latin-script names at the same applicant position in patent families",
}


class Links:
    """An append-only list of links between key indices."""

    def __init__(self):
        self._parts: list[pd.DataFrame] = []

    def add(self, a, b, reason: str, evidence=None, detail=None) -> None:
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        if not len(a):
            return
        if reason not in REASONS:
            raise ValueError(f"unknown link reason {reason!r}")
        ev = np.full(len(a), np.nan) if evidence is None else np.asarray(evidence, dtype=float)
        det = np.full(len(a), "", dtype=object) if detail is None else np.asarray(detail, dtype=object)
        keep = a != b
        self._parts.append(pd.DataFrame({"a": a[keep], "b": b[keep], "reason": reason,
                                         "evidence": ev[keep], "detail": det[keep]}))

    def frame(self) -> pd.DataFrame:
        """All links, first of each unordered pair kept (in the order they were added)."""
        if not self._parts:
            return pd.DataFrame({"a": np.zeros(0, np.int64), "b": np.zeros(0, np.int64), "reason": [],
                                 "evidence": [], "detail": []})
        df = pd.concat(self._parts, ignore_index=True)
        lo, hi = np.minimum(df["a"], df["b"]), np.maximum(df["a"], df["b"])
        return df[~pd.DataFrame({"lo": lo, "hi": hi}).duplicated()].reset_index(drop=True)


def explain(n: int, links: pd.DataFrame, roots: np.ndarray) -> pd.DataFrame:
    """For each of ``n`` keys: ``via`` (the key it was reached from, -1 for a root or an
    unlinked key), ``reason``, ``evidence``, ``detail`` of that link.

    ``roots`` are the canonical keys, one per group; every key is reached from its group's
    root along a shortest path of links.
    """
    via, reason = np.full(n, -1, dtype=np.int64), np.full(n, None, dtype=object)
    evidence, detail = np.full(n, np.nan), np.full(n, "", dtype=object)
    if n and len(links):
        root = n  # a virtual node joined to every group's canonical key
        la, lb = links["a"].to_numpy(dtype=np.int64), links["b"].to_numpy(dtype=np.int64)
        a = np.concatenate([la, np.full(len(roots), root)])
        b = np.concatenate([lb, np.asarray(roots, dtype=np.int64)])
        g = coo_matrix((np.ones(len(a), dtype=np.int8), (a, b)), shape=(n + 1, n + 1)).tocsr()
        _, pred = breadth_first_order(g, root, directed=False, return_predecessors=True)
        pred = pred[:n]
        idx = np.flatnonzero((pred >= 0) & (pred != root))
        # the link of each step, found by its unordered pair (of equal pairs the first one)
        pair = np.minimum(la, lb) * (n + 1) + np.maximum(la, lb)
        step = np.minimum(idx, pred[idx]) * (n + 1) + np.maximum(idx, pred[idx])
        uniq, first = np.unique(pair, return_index=True)
        j = first[np.searchsorted(uniq, step)]
        via[idx] = pred[idx]
        reason[idx] = links["reason"].to_numpy(dtype=object)[j]
        evidence[idx] = links["evidence"].to_numpy(dtype=float)[j]
        detail[idx] = links["detail"].to_numpy(dtype=object)[j]
    return pd.DataFrame({"via": via, "reason": pd.Series(reason, dtype=object), "evidence": evidence,
                         "detail": pd.Series(detail, dtype="str")})
