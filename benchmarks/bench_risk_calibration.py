"""Calibration of the warning grades on real claims: does a patent whose first claim is
fully described by the product reach "high", and does an unrelated patent stay "low"?

Corpus: the real USPTO grant full-text XML bundled for tests (/work/shared/data or
tests/data: weekly ipgYYMMDD files, 2005-2012), which carry claims. For every utility grant
with a first claim of at least 15 words (``patentnav.warning.relevance.first_claims``):

* **own claim**: the product's features are the first claim split at ``;`` and ``:`` (the
  claim's elements) and its codes are the patent's IPC codes; we record the patent's
  ``relevance`` (``RelevanceIndex.query``) and its grade;
* **partial (70% / 50%)**: the same with a random 70% / 50% of each element's words kept
  (a product description that mentions most / half of the claim's elements);
* **unrelated**: the features and codes of another random grant; we record the grade the
  patent under test would get.

Relevance is ``RelevanceIndex.relevance_of`` (the absolute relevance that ``query`` reports).

The grade is computed for a patent in force (in_force 1), of average strength (0.5), held by
a firm (holder 0.8): ``risk = 100 x relevance x 0.81``; high needs relevance >= 0.617,
medium >= 0.309 (``patentnav.warning.risk``). Reported: relevance quantiles and the share
of each grade per condition.

Usage::

    python benchmarks/bench_risk_calibration.py [XML files or folder]
"""

from __future__ import annotations

import glob
import os
import sys
import time

import numpy as np
import pandas as pd
import pyarrow as pa

import patentnav
from patentnav.warning.relevance import RelevanceIndex, first_claims
from patentnav.warning.risk import GRADE_THRESHOLDS, HOLDER_FACTOR, HOLDER_WEIGHT, STRENGTH_WEIGHT

DEFAULT = "/work/shared/data/uspto-grant-xml"
MODIFIER = 0.5 + STRENGTH_WEIGHT * 0.5 + HOLDER_WEIGHT * HOLDER_FACTOR["firm"]


def elements(claim: str) -> list[str]:
    parts = [p.strip() for p in claim.replace(":", ";").split(";")]
    return [p for p in parts if len(p.split()) >= 2] or [claim]


def keep_words(parts: list[str], share: float, rng) -> list[str]:
    out = []
    for p in parts:
        w = p.split()
        k = max(1, int(round(share * len(w))))
        idx = np.sort(rng.choice(len(w), size=k, replace=False))
        out.append(" ".join(w[i] for i in idx))
    return out


def grade(rel: float) -> str:
    risk = 100 * rel * MODIFIER
    return "high" if risk >= GRADE_THRESHOLDS["high"] else "medium" if risk >= GRADE_THRESHOLDS["medium"] else "low"


def main(argv: list[str]) -> None:
    src = argv[0] if argv else DEFAULT
    files = sorted(glob.glob(os.path.join(src, "*.xml"))) if os.path.isdir(src) else argv
    corpus = patentnav.read(*files)
    t = corpus.table
    df = t.select(["publication_number", "document_type", "claims", "ipc"]).to_pandas()
    df["first"] = first_claims(pa.array(df["claims"].fillna(""), pa.large_string())).to_pylist()
    ok = (df["document_type"] == "granted_patent") & (df["first"].str.split().str.len() >= 15) & \
         (df["ipc"].map(lambda v: v is not None and len(v) > 0))
    test = df[ok].reset_index(drop=True)
    t0 = time.perf_counter()
    index = RelevanceIndex.build(corpus)
    build = time.perf_counter() - t0
    row_of = {p: i for i, p in enumerate(t["publication_number"].to_pylist())}
    rng = np.random.default_rng(42)
    rows = []
    for i, r in test.iterrows():
        parts = elements(r["first"])
        codes = list(r["ipc"])
        other = test.iloc[(i + 1 + rng.integers(len(test) - 1)) % len(test)]
        conds = {"own claim": parts, "partial 70%": keep_words(parts, 0.7, rng), "partial 50%": keep_words(parts, 0.5, rng),
                 "unrelated": elements(other["first"])}
        for name, feats in conds.items():
            rel = float(index.relevance_of([row_of[r["publication_number"]]], feats,
                                           codes=list(other["ipc"]) if name == "unrelated" else codes)[2][0])
            rows.append({"condition": name, "relevance": rel, "grade": grade(rel)})
    res = pd.DataFrame(rows)
    print(f"{len(files)} files, {len(corpus)} documents, {len(test)} utility grants with a first claim of >= 15 words; "
          f"index built in {build:.2f} s; modifier {MODIFIER:.2f} (strength 0.5, firm)")
    q = res.groupby("condition", sort=False)["relevance"].describe(percentiles=[0.1, 0.5, 0.9])[["count", "10%", "50%", "90%"]]
    shares = pd.crosstab(res["condition"], res["grade"], normalize="index").reindex(columns=["high", "medium", "low"],
                                                                                     fill_value=0.0)
    out = q.join(shares).reindex(["own claim", "partial 70%", "partial 50%", "unrelated"])
    print(out.round(3).to_string())


if __name__ == "__main__":
    main(sys.argv[1:])
