"""Relevance index (``patentnav.warning.relevance``): retrieval quality where relevance is
known, and query time at one million documents.

**Quality** (``--part quality``). Known-item retrieval on the bundled real sample
(``patentnav.datasets.drones()``, 9,071 Lens.org drone patents; titles and IPC/CPC codes,
no abstracts or claims). The index is built once over the titles of all 9,071 documents.
500 query patents are drawn with ``numpy.random.default_rng(42)`` among the patents with a
title and at least one IPC code. For each query patent the relevant set is the patent
itself plus its family members in the corpus.

*Families.* The Lens export of the sample has no family identifier (``family_id`` is null
on every row), so the family key is ``family_id`` where given, else the exact set of
priority numbers (the DOCDB "simple family" definition: same priorities), else the
publication number. The sample holds one publication per simple family (no two rows share
an application number or a priority set), so this relevant set is the query patent alone.
A second table scores the same rankings with a broader set: the query patent plus every
document sharing at least one priority number with it (continuations, divisionals and
equivalents claiming the same priority; direct sharing, not the INPADOC closure).

Experiments (``RelevanceIndex.query(..., top=100)``; ``codes`` are the patent's own IPC
and CPC codes, pooled, distinct):

* ``a title``              -- the own title as the only feature;
* ``b title+codes``        -- own title + own codes;
* ``c codes``              -- own codes only;
* ``d zh``                 -- a Chinese description of the title, alone;
* ``d zh+codes``           -- the Chinese description + own codes;
* ``e zh+kw``              -- the Chinese description + bilingual keywords (the Chinese and
  English terms of the glossary hits, as a user listing keywords in both languages);
* ``e zh+kw+codes``        -- the same + own codes.

The Chinese description is made without machine translation: the title's tokens
(``patentnav.text.tokenize``: lower case, plural stemming, stop words removed) are
translated word by word with the fixed bilingual ``GLOSSARY`` below (61 common drone /
patent terms, longest phrase first, e.g. "unmanned aerial vehicle" -> 无人机); tokens
without an entry are dropped, and the translations are concatenated (no spaces) after 一种.
So the Chinese text shares no Latin token with the documents. The glossary coverage (share
of title tokens translated, share of queries with at least one hit) is printed.

Metrics, over the 500 queries: precision@k = |relevant in top k| / k and recall@k =
|relevant in top k| / |relevant| for k = 1, 3, 5, 10; MRR = mean of 1 / rank of the first
relevant document (0 when none is in the top 100); ``empty`` = share of queries with no
result (every document scores 0); ``tie`` = share of queries whose first relevant document
is preceded by a non-relevant document with exactly the same score (the rank was decided
by corpus order, ``query``'s tie-break). Wall clock per ``query`` call (top 100, after one
warm-up query that loads jieba) is reported per experiment, with the median CPU time of the
process (``time.process_time``), which other load on a shared machine inflates less.

**Scale** (``--part scale``, each size in a fresh subprocess so the peak RSS is its own):
``synthetic.synthetic_corpus(n)`` with the titles perturbed as in ``bench_relevance.py``
(1-3 random sample words appended); index over titles; 50 queries, each like a real product
profile: 5 features (titles of random sample rows), 6 bilingual keywords and 3 codes (the
first distinct IPC/CPC codes of a random synthetic document). Each query is timed with
``top=50`` and ``top=300`` (``screen``'s default number of candidates), and its stages
separately (``text_scores``, ``code_scores``). Reported: generation and build seconds,
median / p95 / max query seconds (wall clock) and median CPU seconds, peak RSS
(``ru_maxrss``, whole process). The synthetic titles reuse the sample's vocabulary (about
6,000 terms), so postings are denser and the vocabulary smaller than in a real 1M corpus,
and only titles are indexed (abstracts and claims would multiply the postings).

Usage::

    python benchmarks/bench_retrieval.py                          # quality + scale at 1M
    python benchmarks/bench_retrieval.py --part quality
    python benchmarks/bench_retrieval.py --part scale --sizes 100000 1000000
    python benchmarks/bench_retrieval.py --json results.json
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from bench_landscape import machine, peak_mib  # noqa: E402

KS = (1, 3, 5, 10)
TOP = 100
N_QUERIES = 500
SEED = 42

#: English term (tokenised like the index) -> Chinese patent term. Fixed, written by hand;
#: multi-word entries take precedence over their words (longest match first).
GLOSSARY = {
    "unmanned aerial vehicle": "无人机",
    "unmanned aircraft": "无人驾驶飞机",
    "aerial vehicle": "飞行器",
    "drone": "无人机",
    "uav": "无人机",
    "vehicle": "车辆",
    "aircraft": "飞机",
    "control": "控制",
    "controlling": "控制",
    "controller": "控制器",
    "data": "数据",
    "network": "网络",
    "communication": "通信",
    "wireless": "无线",
    "mobile": "移动",
    "image": "图像",
    "sensor": "传感器",
    "object": "物体",
    "monitoring": "监测",
    "management": "管理",
    "detection": "检测",
    "information": "信息",
    "processing": "处理",
    "power": "电力",
    "delivery": "配送",
    "electronic": "电子",
    "video": "视频",
    "remote": "远程",
    "user": "用户",
    "autonomous": "自主",
    "camera": "相机",
    "energy": "能量",
    "display": "显示",
    "computer": "计算机",
    "tracking": "跟踪",
    "imaging": "成像",
    "flight": "飞行",
    "flying": "飞行",
    "platform": "平台",
    "location": "位置",
    "position": "位置",
    "positioning": "定位",
    "signal": "信号",
    "antenna": "天线",
    "security": "安全",
    "safety": "安全",
    "storage": "存储",
    "navigation": "导航",
    "landing": "降落",
    "radar": "雷达",
    "battery": "电池",
    "charging": "充电",
    "rotor": "旋翼",
    "wing": "机翼",
    "gimbal": "云台",
    "propeller": "螺旋桨",
    "robot": "机器人",
    "satellite": "卫星",
    "target": "目标",
    "obstacle": "障碍物",
    "inspection": "巡检",
}


# --- helpers ----------------------------------------------------------------------------
def family_keys(table) -> np.ndarray:
    """family_id, else the sorted set of priority numbers, else the publication number."""
    fam = table["family_id"].to_pylist()
    prio = table["priority_numbers"].to_pylist()
    pub = table["publication_number"].to_pylist()
    out = []
    for f, p, n in zip(fam, prio, pub):
        if f:
            out.append("F:" + f)
        elif p:
            out.append("P:" + ";".join(sorted(set(p))))
        else:
            out.append("N:" + n)
    return np.asarray(out, dtype=object)


def priority_neighbours(table) -> list[set]:
    """For each document, the publication numbers of the documents sharing at least one
    priority number with it (itself included; direct sharing, not the transitive closure)."""
    prio = table["priority_numbers"].to_pylist()
    pub = table["publication_number"].to_pylist()
    by: dict[str, list[int]] = {}
    for i, ps in enumerate(prio):
        for p in set(ps or []):
            by.setdefault(p, []).append(i)
    out = []
    for i, ps in enumerate(prio):
        s = {pub[i]}
        for p in set(ps or []):
            s.update(pub[j] for j in by[p])
        out.append(s)
    return out


class Translator:
    """Word-by-word glossary translation of an English title (longest phrase first)."""

    def __init__(self, glossary: dict[str, str]):
        from patentnav.text import tokenize

        self.tokenize = tokenize
        self.entries = {}
        for en, zh in glossary.items():
            toks = tuple(tokenize(en))
            assert toks, f"glossary entry {en!r} is only stop words"
            self.entries[toks] = (en, zh)
        self.longest = max(len(k) for k in self.entries)

    def __call__(self, title: str):
        """(Chinese text, [(en, zh) hits], tokens covered, tokens)."""
        toks = self.tokenize(title)
        i, hits, covered = 0, [], 0
        while i < len(toks):
            for n in range(min(self.longest, len(toks) - i), 0, -1):
                e = self.entries.get(tuple(toks[i:i + n]))
                if e is not None:
                    hits.append(e)
                    covered += n
                    i += n
                    break
            else:
                i += 1
        zh = []
        for _, z in hits:
            if z not in zh:
                zh.append(z)
        text = ("一种" + "".join(zh)) if zh else ""
        return text, hits, covered, len(toks)


def _codes_of(ipc, cpc) -> list[str]:
    out = []
    for c in list(ipc or []) + list(cpc or []):
        if c and c not in out:
            out.append(c)
    return out


# --- quality ----------------------------------------------------------------------------
def quality(n_queries: int = N_QUERIES, seed: int = SEED) -> dict:
    import patentnav
    from patentnav.warning.relevance import RelevanceIndex

    corpus = patentnav.datasets.drones()
    t = corpus.table
    n = t.num_rows
    pubs = np.asarray(t["publication_number"].to_pylist(), dtype=object)
    titles = t["title"].to_pylist()
    ipc = t["ipc"].to_pylist()
    cpc = t["cpc"].to_pylist()
    fam = family_keys(t)
    members: dict[str, set] = {}
    for p, f in zip(pubs, fam):
        members.setdefault(f, set()).add(p)

    eligible = np.flatnonzero([bool(ti and ti.strip()) and bool(c) for ti, c in zip(titles, ipc)])
    rng = np.random.default_rng(seed)
    qrows = np.sort(rng.choice(eligible, size=min(n_queries, len(eligible)), replace=False))

    idx = RelevanceIndex.build(corpus, fields=("title",))
    print(f"index: {n:,} documents x {idx.weights.shape[1]:,} terms, built in {idx.build_seconds:.2f} s; "
          f"{len(eligible):,} eligible query patents, {len(qrows)} drawn (seed {seed})", flush=True)
    han = sum(1 for term in idx.terms if any("\u4e00" <= ch <= "\u9fff" for ch in str(term)))
    nb = priority_neighbours(t)
    rel_sets = {"family": [members[fam[r]] for r in qrows], "priority": [nb[r] for r in qrows]}
    sizes = {k: np.array([len(x) for x in v]) for k, v in rel_sets.items()}
    print(f"families: {len(members):,} keys over {n:,} documents (family_id on "
          f"{sum(1 for f in fam if f.startswith('F:')):,} rows, priority sets on "
          f"{sum(1 for f in fam if f.startswith('P:')):,}); relevant set per query: mean {sizes['family'].mean():.2f}, "
          f"max {sizes['family'].max()}, >1 for {np.mean(sizes['family'] > 1):.1%}; sharing a priority number: "
          f"mean {sizes['priority'].mean():.2f}, median {np.median(sizes['priority']):.0f}, "
          f"max {sizes['priority'].max()}, >1 for {np.mean(sizes['priority'] > 1):.1%}; "
          f"Han terms in the vocabulary: {han}", flush=True)

    tr = Translator(GLOSSARY)
    zh_q, kw_q, cov, tot, nhit = [], [], 0, 0, []
    for r in qrows:
        text, hits, c, k = tr(titles[r])
        zh_q.append(text)
        kw = []
        for en, zh in hits:
            for w in (zh, en):
                if w not in kw:
                    kw.append(w)
        kw_q.append(kw)
        cov += c
        tot += k
        nhit.append(len(hits))
    nhit = np.array(nhit)
    coverage = {"glossary_entries": len(GLOSSARY), "token_coverage": cov / max(tot, 1),
                "queries_with_hit": float(np.mean(nhit > 0)), "mean_hits": float(nhit.mean())}
    print(f"glossary: {len(GLOSSARY)} entries; translates {cov:,} of {tot:,} title tokens "
          f"({coverage['token_coverage']:.1%}); {coverage['queries_with_hit']:.1%} of queries have at least "
          f"one hit (mean {nhit.mean():.2f} hits); example: {titles[qrows[0]]!r} -> {zh_q[0]!r}, "
          f"keywords {kw_q[0]}", flush=True)

    experiments = {
        "a title": lambda i, r: dict(features=[titles[r]]),
        "b title+codes": lambda i, r: dict(features=[titles[r]], codes=_codes_of(ipc[r], cpc[r])),
        "c codes": lambda i, r: dict(features=[], codes=_codes_of(ipc[r], cpc[r])),
        "d zh": lambda i, r: dict(features=[zh_q[i]] if zh_q[i] else []),
        "d zh+codes": lambda i, r: dict(features=[zh_q[i]] if zh_q[i] else [], codes=_codes_of(ipc[r], cpc[r])),
        "e zh+kw": lambda i, r: dict(features=[zh_q[i]] if zh_q[i] else [], keywords=kw_q[i]),
        "e zh+kw+codes": lambda i, r: dict(features=[zh_q[i]] if zh_q[i] else [], keywords=kw_q[i],
                                           codes=_codes_of(ipc[r], cpc[r])),
    }
    idx.query(["预热 jieba 无人机"], top=1)  # warm-up: loads jieba's dictionary
    results = {}
    for name, make in experiments.items():
        m = {d: {f"P@{k}": [] for k in KS} | {f"R@{k}": [] for k in KS} | {"MRR": []} for d in rel_sets}
        empty, tie, secs, cpu = [], [], [], []
        for i, r in enumerate(qrows):
            q = make(i, r)
            t0, c0 = time.perf_counter(), time.process_time()
            res = idx.query(top=TOP, **q)
            secs.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
            ranked = res["publication_number"].tolist()
            scores = res["score"].to_numpy()
            empty.append(len(ranked) == 0)
            for d, sets in rel_sets.items():
                rel = sets[i]
                hit = np.array([p in rel for p in ranked], dtype=bool)
                for k in KS:
                    got = int(hit[:k].sum())
                    m[d][f"P@{k}"].append(got / k)
                    m[d][f"R@{k}"].append(got / len(rel))
                first = int(np.argmax(hit)) if hit.any() else -1
                m[d]["MRR"].append(1.0 / (first + 1) if first >= 0 else 0.0)
                if d == "family":
                    tie.append(bool(first > 0 and np.any((scores[:first] == scores[first]) & ~hit[:first])))
        secs = np.array(secs)
        results[name] = {d: {k: float(np.mean(v)) for k, v in mm.items()} for d, mm in m.items()} | {
            "empty": float(np.mean(empty)), "tie": float(np.mean(tie)),
            "ms_mean": 1000 * secs.mean(), "ms_median": 1000 * float(np.median(secs)),
            "ms_p95": 1000 * float(np.percentile(secs, 95)), "cpu_ms_median": 1000 * float(np.median(cpu)),
        }
        print(f"  {name}: MRR {results[name]['family']['MRR']:.3f}, median {results[name]['ms_median']:.1f} ms",
              flush=True)
    return {"documents": n, "terms": int(idx.weights.shape[1]), "build_seconds": idx.build_seconds,
            "queries": int(len(qrows)), "eligible": int(len(eligible)), "seed": seed, "top": TOP,
            "relevant_mean": {d: float(v.mean()) for d, v in sizes.items()},
            "relevant_gt1": {d: float(np.mean(v > 1)) for d, v in sizes.items()},
            "families": len(members), "glossary": coverage, "experiments": results}


def print_quality(q: dict) -> None:
    cols = [f"P@{k}" for k in KS] + [f"R@{k}" for k in KS] + ["MRR"]
    titles = {
        "family": "Relevant = the query patent + its family members in the corpus (family_id, else identical "
                  "priority set)",
        "priority": "Relevant = the query patent + every document sharing at least one priority number with it",
    }
    for d, title in titles.items():
        print(f"\n{title}; mean {q['relevant_mean'][d]:.2f} documents, more than one for "
              f"{q['relevant_gt1'][d]:.1%} of the {q['queries']} queries; top {q['top']}:\n")
        extra = " empty | tie |" if d == "family" else ""
        print("| experiment | " + " | ".join(cols) + " |" + extra)
        print("|---|" + "---|" * (len(cols) + (2 if extra else 0)))
        for name, r in q["experiments"].items():
            tail = f" {r['empty']:.2f} | {r['tie']:.2f} |" if extra else ""
            print(f"| {name} | " + " | ".join(f"{r[d][c]:.3f}" for c in cols) + " |" + tail)
    print(f"\nQuery time (one `query` call, top {q['top']}, {q['documents']:,} documents):\n")
    print("| experiment | mean ms | median ms | p95 ms | CPU median ms |")
    print("|---|---|---|---|---|")
    for name, r in q["experiments"].items():
        print(f"| {name} | {r['ms_mean']:.1f} | {r['ms_median']:.1f} | {r['ms_p95']:.1f} | {r['cpu_ms_median']:.1f} |")


# --- scale ------------------------------------------------------------------------------
KEYWORDS = ["无人机", "drone", "UAV", "unmanned aerial vehicle", "云台", "gimbal"]


def _zh_titles() -> list[str]:
    """Hand-written Chinese titles of the cross-lingual test set (benchmarks/data/xling_titles.tsv)."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "xling_titles.tsv")
    with open(path, encoding="utf-8") as fh:
        rows = [line.rstrip("\n").split("\t") for line in fh if line.strip() and not line.startswith("#")]
    return [r[3] for r in rows[1:] if len(r) > 3 and r[3]]


def scale(size: int, n_queries: int = 50, seed: int = SEED) -> dict:
    import patentnav
    from bench_relevance import perturbed
    from synthetic import synthetic_corpus
    from patentnav.warning.relevance import RelevanceIndex

    t0 = time.perf_counter()
    corpus = perturbed(synthetic_corpus(size))
    gen = time.perf_counter() - t0
    rss_gen = peak_mib()
    print(f"[{size:,}] generate: {gen:.1f} s, peak RSS {rss_gen:,.0f} MiB", flush=True)
    idx = RelevanceIndex.build(corpus, fields=("title",))
    rss_build = peak_mib()
    W = idx.weights
    print(f"[{size:,}] build: {idx.build_seconds:.1f} s; {W.shape[0]:,} x {W.shape[1]:,} terms, {W.nnz:,} weights; "
          f"peak RSS {rss_build:,.0f} MiB", flush=True)

    titles = [x for x in patentnav.datasets.drones().table["title"].to_pylist() if x]
    zh_titles = _zh_titles()
    t = corpus.table
    rng = np.random.default_rng(seed)
    queries, zh_queries = [], []
    for _ in range(n_queries):
        feats = [titles[i] for i in rng.integers(0, len(titles), 5)]
        r = int(rng.integers(0, size))
        codes = _codes_of(t["ipc"][r].as_py(), t["cpc"][r].as_py())[:3]
        queries.append((feats, codes))
        zh_queries.append(([zh_titles[i] for i in rng.integers(0, len(zh_titles), 5)], codes))
    idx.query(["预热 jieba 无人机"], top=1)
    out = {"size": size, "queries": n_queries, "generate_seconds": gen, "build_seconds": idx.build_seconds,
           "terms": int(W.shape[1]), "nnz": int(W.nnz),
           "rss_after_generate_mib": rss_gen, "rss_after_build_mib": rss_build}
    for top in (50, 300):
        secs, cpu, nres = [], [], []
        for feats, codes in queries:
            s, c = time.perf_counter(), time.process_time()
            res = idx.query(feats, keywords=KEYWORDS, codes=codes, top=top)
            secs.append(time.perf_counter() - s)
            cpu.append(time.process_time() - c)
            nres.append(len(res))
        secs = np.array(secs)
        out[f"top{top}"] = {"median": float(np.median(secs)), "p95": float(np.percentile(secs, 95)),
                            "mean": float(secs.mean()), "max": float(secs.max()), "results_min": int(min(nres)),
                            "cpu_median": float(np.median(cpu))}
        print(f"[{size:,}] top {top}: median {np.median(secs):.3f} s, p95 {np.percentile(secs, 95):.3f} s, "
              f"max {secs.max():.3f} s, CPU median {np.median(cpu):.3f} s; load {os.getloadavg()[0]:.1f}", flush=True)
    secs, cpu = [], []
    for feats, codes in zh_queries:  # Chinese features: gloss and dense channels at full cost
        s, c = time.perf_counter(), time.process_time()
        idx.query(feats, keywords=KEYWORDS, codes=codes, top=50)
        secs.append(time.perf_counter() - s)
        cpu.append(time.process_time() - c)
    secs = np.array(secs)
    out["zh_top50"] = {"median": float(np.median(secs)), "p95": float(np.percentile(secs, 95)),
                       "max": float(secs.max()), "cpu_median": float(np.median(cpu))}
    print(f"[{size:,}] Chinese features, top 50: median {np.median(secs):.3f} s, p95 {np.percentile(secs, 95):.3f} s, "
          f"max {secs.max():.3f} s, CPU median {np.median(cpu):.3f} s; load {os.getloadavg()[0]:.1f}", flush=True)
    ts, cs = [], []
    for feats, codes in queries:
        s = time.perf_counter()
        idx.text_scores(feats, KEYWORDS)
        ts.append(time.perf_counter() - s)
        s = time.perf_counter()
        idx.code_scores(codes)
        cs.append(time.perf_counter() - s)
    out["stage_median"] = {"text_scores": float(np.median(ts)), "code_scores": float(np.median(cs))}
    out["peak_rss_mib"] = peak_mib()
    print(f"[{size:,}] stages (median): text_scores {np.median(ts):.3f} s, code_scores {np.median(cs):.3f} s; "
          f"peak RSS {out['peak_rss_mib']:,.0f} MiB", flush=True)
    return out


def print_scale(rows: list[dict]) -> None:
    print(f"\nScale (synthetic titles; {rows[0].get('queries', 50)} queries of 5 features + 6 keywords + 3 codes):\n")
    print("| documents | terms | build s | top 50: median s | p95 s | max s | CPU median s "
          "| top 300: median s | p95 s | Chinese top 50: median s | p95 s | text_scores s | code_scores s "
          "| peak RSS GiB |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['size']:,} | failed: {r['error']} |")
            continue
        a, b, st = r["top50"], r["top300"], r["stage_median"]
        print(f"| {r['size']:,} | {r['terms']:,} | {r['build_seconds']:.1f} | {a['median']:.3f} | {a['p95']:.3f} "
              f"| {a['max']:.3f} | {a['cpu_median']:.3f} | {b['median']:.3f} | {b['p95']:.3f} "
              f"| {r['zh_top50']['median']:.3f} | {r['zh_top50']['p95']:.3f} "
              f"| {st['text_scores']:.3f} | {st['code_scores']:.3f} | {r['peak_rss_mib'] / 1024:.2f} |")


def _scale_subprocess(size: int, queries: int) -> dict:
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as fh:
        path = fh.name
    cmd = [sys.executable, os.path.abspath(__file__), "--part", "_scale_one", "--sizes", str(size),
           "--scale-queries", str(queries), "--json", path]
    p = subprocess.run(cmd)
    try:
        if p.returncode != 0:
            return {"size": size, "error": f"exit code {p.returncode}"}
        with open(path) as fh:
            return json.load(fh)
    finally:
        os.unlink(path)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--part", choices=["all", "quality", "scale", "_scale_one"], default="all")
    ap.add_argument("--queries", type=int, default=N_QUERIES, help="quality queries (default 500)")
    ap.add_argument("--sizes", type=int, nargs="+", default=[1_000_000])
    ap.add_argument("--scale-queries", type=int, default=50)
    ap.add_argument("--json", help="also write the figures as JSON")
    args = ap.parse_args(argv)

    if args.part == "_scale_one":
        out = scale(args.sizes[0], args.scale_queries)
        with open(args.json, "w") as fh:
            json.dump(out, fh)
        return

    out = {"machine": machine()}
    print(json.dumps(out["machine"]), flush=True)
    if args.part in ("all", "quality"):
        out["quality"] = quality(args.queries)
        print_quality(out["quality"])
    if args.part in ("all", "scale"):
        out["scale"] = [_scale_subprocess(s, args.scale_queries) for s in args.sizes]
        print_scale(out["scale"])
    if args.json:
        with open(args.json, "w") as fh:
            json.dump(out, fh, indent=1, ensure_ascii=False)


if __name__ == "__main__":
    main()
