"""Cross-lingual retrieval (``patentnav.warning.relevance``): Chinese queries for English
patents (zh->en), English queries for Chinese patents (en->zh), and English own-title
retrieval as the check that nothing degraded.

**Test set** (``benchmarks/data/xling_titles.tsv``): 200 titles of the bundled sample
(``patentnav.datasets.drones()``), drawn with ``numpy.random.default_rng(20261207)`` among
the 7,999 documents whose lower-cased title is unique in the sample and that carry an IPC
code, each with a Chinese translation written by hand in Chinese patent-title style. Rows
1-100 are the ``dev`` half (looked at while building the gloss supplement), rows 101-200 the
``heldout`` half (never used for tuning). Both are reported.

* **zh->en**: the Chinese title is the only feature (no keywords, no codes); the index is the
  whole bundled sample (9,071 English titles); the relevant document is the translated one.
* **en->zh**: the English title is the only feature; the index holds the 200 Chinese titles
  plus 249 Chinese distractors (the keyword texts of CNIPA's SEI classification,
  ``patentnav/data/sei.jsonl``); the relevant document is the translation.
* **own title (en)**: 500 bundled patents with distinct titles and an IPC code drawn with
  ``default_rng(42)`` (as ``bench_retrieval.py``), own title as the only feature; P@1.

Metrics: R@k = share of queries whose relevant document is in the top k (k = 1, 10);
MRR = mean of 1 / rank (0 beyond the top 100). Variants: ``linear`` (the former
``0.7 text + 0.3 code`` score, gloss included), ``rrf`` without the dense channel, ``rrf+dense``
(default: dense on a shortlist of 200), ``dense-all`` (every document embedded,
:meth:`RelevanceIndex.embed_all`), and ``mono`` (glosses off: the former monolingual index).
Also printed: the cosine of translation pairs and of random pairs (dev half), from which
``DENSE_MATCH`` is set, and the encoder's speed.

Usage::

    python benchmarks/bench_xling.py [--json out.json] [--skip-dense-all]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from importlib import resources

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from bench_landscape import machine  # noqa: E402

TOP = 100


def load_set(path=os.path.join(HERE, "data", "xling_titles.tsv")) -> pd.DataFrame:
    with open(path, encoding="utf-8") as f:
        rows = [r for r in csv.reader((ln for ln in f if not ln.startswith("#")), delimiter="\t")]
    return pd.DataFrame(rows[1:], columns=rows[0])


def sei_distractors() -> list[str]:
    out = []
    text = resources.files("patentnav.data").joinpath("sei.jsonl").read_text(encoding="utf-8")
    for ln in text.splitlines():
        kw = json.loads(ln).get("keywords")
        if kw and kw.strip():
            out.append(kw.strip())
    return out


def ranks(idx, queries, targets, **kw) -> tuple[np.ndarray, list[float]]:
    """Rank (1-based; 0 = not in the top TOP) of each target, and the seconds per query."""
    out, secs = [], []
    for q, t in zip(queries, targets):
        t0 = time.perf_counter()
        r = idx.query([q], top=TOP, **kw)["publication_number"].tolist()
        secs.append(time.perf_counter() - t0)
        out.append(r.index(t) + 1 if t in r else 0)
    return np.asarray(out), secs


def metrics(rk: np.ndarray) -> dict:
    return {"R@1": float(np.mean((rk >= 1) & (rk <= 1))), "R@10": float(np.mean((rk >= 1) & (rk <= 10))),
            "MRR": float(np.mean(np.where(rk > 0, 1.0 / np.maximum(rk, 1), 0.0))), "n": int(len(rk))}


VARIANTS = {
    "mono": dict(fusion="linear", dense=False),
    "linear": dict(fusion="linear", dense=False),
    "rrf": dict(fusion="rrf", dense=False),
    "rrf+dense": dict(fusion="rrf", dense=True),
}


def run(skip_dense_all: bool = False) -> dict:
    import patentnav
    from patentnav.model.corpus import Corpus
    from patentnav.warning import gloss
    from patentnav.warning.relevance import RelevanceIndex
    from patentnav.warning import dense

    res: dict = {"machine": machine()}
    ts = load_set()
    corpus = patentnav.datasets.drones()
    t0 = time.perf_counter()
    gloss.lexicon()
    res["lexicon_seconds"] = time.perf_counter() - t0
    idx = RelevanceIndex.build(corpus)
    zh_rows = pd.DataFrame({"publication_number": ts["publication_number"] + "-ZH", "title": ts["title_zh"]})
    distract = sei_distractors()
    zh_rows = pd.concat([zh_rows, pd.DataFrame({"publication_number": [f"SEI-{i}" for i in range(len(distract))],
                                                 "title": distract})], ignore_index=True)
    for c in ("ipc", "cpc"):
        zh_rows[c] = [[] for _ in range(len(zh_rows))]
    zidx = RelevanceIndex.build(Corpus.from_pandas(zh_rows))
    res["en_to_zh_corpus"] = {"translations": int(len(ts)), "distractors": len(distract)}

    for name, kw in VARIANTS.items():
        for split in ("dev", "heldout"):
            part = ts[ts["split"] == split]
            if name == "mono":
                saved = gloss._cached
                gloss._cached = gloss.Lexicon({}, {}, {}, frozenset())
            try:
                rk, secs = ranks(idx, part["title_zh"], part["publication_number"], **kw)
                res[f"zh-en/{name}/{split}"] = {**metrics(rk), "median_s": float(np.median(secs))}
                rk, secs = ranks(zidx, part["title_en"], part["publication_number"] + "-ZH", **kw)
                res[f"en-zh/{name}/{split}"] = {**metrics(rk), "median_s": float(np.median(secs))}
            finally:
                if name == "mono":
                    gloss._cached = saved
            print(name, split, "zh->en", res[f"zh-en/{name}/{split}"], "en->zh", res[f"en-zh/{name}/{split}"], flush=True)

    # own-title retrieval (English): must stay >= 0.90 at P@1
    t = corpus.table.select(["publication_number", "title", "ipc"]).to_pandas()
    ok = t["title"].notna() & (t["title"].str.strip() != "") & (t["ipc"].map(len) > 0)
    cand = t[ok & ~t["title"].str.lower().duplicated(keep=False)]
    pick = cand.iloc[np.random.default_rng(42).choice(len(cand), 500, replace=False)]
    for name in ("linear", "rrf", "rrf+dense"):
        rk, secs = ranks(idx, pick["title"], pick["publication_number"], **VARIANTS[name])
        res[f"own-title/{name}"] = {"P@1": float(np.mean(rk == 1)), **metrics(rk), "median_s": float(np.median(secs))}
        print("own title", name, res[f"own-title/{name}"], flush=True)

    # dense: cosine of translation pairs vs random pairs (dev half) and speed
    dev = ts[ts["split"] == "dev"]
    a, b = dense.encode(dev["title_zh"].tolist()), dense.encode(dev["title_en"].tolist())
    pair = (a * b).sum(axis=1)
    rnd = (a @ b.T)[~np.eye(len(dev), dtype=bool)]
    res["dense_cosine"] = {"pairs_median": float(np.median(pair)), "pairs_p10": float(np.percentile(pair, 10)),
                           "random_p99": float(np.percentile(rnd, 99)), "random_median": float(np.median(rnd))}
    print("dense cosine", res["dense_cosine"], flush=True)
    titles = corpus.table["title"].to_pylist()[:1000]
    t0, c0 = time.perf_counter(), time.process_time()
    dense.encode(titles)
    res["dense_speed"] = {"titles": 1000, "seconds": time.perf_counter() - t0, "cpu_seconds": time.process_time() - c0}
    print("dense speed", res["dense_speed"], flush=True)
    if not skip_dense_all:
        t0 = time.perf_counter()
        idx.embed_all()
        res["embed_all_seconds"] = time.perf_counter() - t0
        zidx.embed_all()
        for split in ("dev", "heldout"):
            part = ts[ts["split"] == split]
            rk, _ = ranks(idx, part["title_zh"], part["publication_number"], fusion="rrf", dense=True)
            res[f"zh-en/dense-all/{split}"] = metrics(rk)
            rk, _ = ranks(zidx, part["title_en"], part["publication_number"] + "-ZH", fusion="rrf", dense=True)
            res[f"en-zh/dense-all/{split}"] = metrics(rk)
            print("dense-all", split, res[f"zh-en/dense-all/{split}"], res[f"en-zh/dense-all/{split}"], flush=True)
        rk, _ = ranks(idx, pick["title"], pick["publication_number"], fusion="rrf", dense=True)
        res["own-title/dense-all"] = {"P@1": float(np.mean(rk == 1)), **metrics(rk)}
        print("own title dense-all", res["own-title/dense-all"], flush=True)
    return res


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json")
    ap.add_argument("--skip-dense-all", action="store_true")
    a = ap.parse_args(argv)
    res = run(a.skip_dense_all)
    if a.json:
        with open(a.json, "w", encoding="utf-8") as f:
            json.dump(res, f, indent=2, ensure_ascii=False)


if __name__ == "__main__":
    main()
