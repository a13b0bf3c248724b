"""How long applicant harmonisation takes on many distinct raw names (target: 200,000 in < 30 s).

Seeds are real applicant names: the PatentsView assignee benchmarks when pv-evaluation is
installed (benchmarks/requirements-bench.txt), else the bundled Lens.org drone sample.
Variants are made the way real exports differ: case, legal forms, punctuation, and
typos (a deleted, doubled or swapped letter). One name in ten is Chinese: a firm of
tests/data/names/cn_applicant_variants.csv with a city or province prefix, a branch
(分公司) or a character typo, so that the division and branch rules run at scale too.
Every generated name is distinct.

    python benchmarks/bench_names_scale.py --n 200000 [--workers 2]
    python benchmarks/bench_names_scale.py --n --corpus 100000 1000000    # corpora only

``--corpus`` times ``Corpus.harmonize_applicants`` (family evidence included) on synthetic
corpora of patent families: each family has one to three members sharing a Chinese priority
application; the Chinese member names its firm in Chinese (深圳市 + a two-character trade name
+ an industry word + 有限公司), the foreign members in English (``SZ`` + a made-up word +
``TECH CO LTD``); firms are drawn Zipf-like from n/20, and 15 % of families have a second
applicant.
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

LEGAL = ["Inc.", "Incorporated", "Corp.", "Corporation", "Co., Ltd.", "Ltd", "LLC", "GmbH", "AG", "S.A.", "K.K.", "有限公司", ""]


def seeds() -> list[str]:
    try:
        from names_benchmark_data import load_assignee_benchmark

        names = []
        for b in ("air-umass", "nber-subset"):
            names += load_assignee_benchmark(b)["raw_name"].unique().tolist()
        return sorted(set(names))
    except Exception:
        import pyarrow.compute as pc

        import patentnav

        return sorted(set(pc.list_flatten(patentnav.datasets.drones()["applicants"]).to_pylist()))


def chinese_seeds() -> list[str]:
    import csv

    path = Path(__file__).resolve().parents[1] / "tests" / "data" / "names" / "cn_applicant_variants.csv"
    with open(path, encoding="utf-8") as f:
        return [r["raw"] for r in csv.DictReader(f) if any("\u4e00" <= ch <= "\u9fff" for ch in r["raw"])]


PLACES = ["深圳市", "深圳", "北京市", "广东省", "广东省深圳市", "上海", "杭州市", "南京", "成都市", "武汉"]


def chinese_variant(s: str, rng: random.Random) -> str:
    r = rng.random()
    if r < 0.4:
        return rng.choice(PLACES) + s
    if r < 0.7:
        return s + rng.choice(PLACES).rstrip("市省") + "分公司"
    i = rng.randrange(len(s))
    return s[:i] + chr(0x4E00 + rng.randrange(0x5000)) + s[i + 1:]


def typo(s: str, rng: random.Random) -> str:
    if len(s) < 4:
        return s + "X"
    i = rng.randrange(1, len(s) - 1)
    op = rng.randrange(3)
    if op == 0:
        return s[:i] + s[i + 1:]
    if op == 1:
        return s[:i] + s[i] + s[i:]
    return s[:i] + s[i + 1] + s[i] + s[i + 2:]


def variants(base: list[str], n: int, seed: int = 0) -> list[str]:
    rng = random.Random(seed)
    zh = chinese_seeds()
    out, seen = [], set()
    while len(out) < n:
        s = rng.choice(base)
        r = rng.random()
        if r < 0.1:
            s = chinese_variant(chinese_variant(rng.choice(zh), rng), rng)
        elif r < 0.3:
            s = f"{s} {rng.choice(LEGAL)}".strip()
        elif r < 0.5:
            s = s.upper()
        elif r < 0.8:
            s = typo(s, rng)
        else:
            s = f"{rng.choice(base).split()[0]} {typo(s, rng)} {rng.randrange(1000)}"
        if s not in seen:
            seen.add(s)
            out.append(s)
    return out


def family_corpus(n: int, seed: int = 0):
    """A synthetic corpus of about ``n`` documents in families (see the module docstring)."""
    import numpy as np
    import pandas as pd

    import patentnav

    rng = np.random.default_rng(seed)
    n_firms = max(2, n // 20)
    han = np.array([chr(c) for c in range(0x4E00, 0x4E00 + 2000)])
    trade = np.char.add(rng.choice(han, n_firms), rng.choice(han, n_firms))
    zh = np.char.add(np.char.add("深圳市", trade), rng.choice(np.array(["科技有限公司", "电子有限公司", "智能技术有限公司"]), n_firms))
    letters = np.array(list("ABCDEFGHIKLMNOPRSTUVWXYZ"))
    word = ["".join(rng.choice(letters, 7)) for _ in range(n_firms)]
    en = np.array([f"SZ {w} TECH CO LTD" for w in word], dtype=object)
    sizes = rng.integers(1, 4, n // 2)
    sizes = sizes[np.cumsum(sizes) <= n]
    fam = np.repeat(np.arange(len(sizes)), sizes)
    member = np.arange(len(fam)) - np.repeat(np.cumsum(sizes) - sizes, sizes)
    firm = np.minimum(rng.zipf(1.3, len(sizes)) - 1, n_firms - 1)[fam]
    second = np.where(rng.random(len(sizes)) < 0.15, rng.integers(0, n_firms, len(sizes)), -1)[fam]
    chinese = member == 0
    apps = [[zh[f] if c else en[f]] + ([zh[s] if c else en[s]] if s >= 0 and s != f else [])
            for f, s, c in zip(firm, second, chinese)]
    prio = np.char.add("CN2016", np.char.zfill(fam.astype(str), 8))  # 12 digits, as CNIPA numbers
    df = pd.DataFrame({
        "publication_number": [f"{'CN' if c else 'US'}-{9_000_000 + i}-A" for i, c in enumerate(chinese)],
        "jurisdiction": np.where(chinese, "CN", "US"), "applicants": apps,
        "application_number": np.where(chinese, np.char.add(prio, ".1"), None),
        "priority_numbers": [[] if c else [p] for p, c in zip(prio, chinese)],
    })
    return patentnav.Corpus.from_pandas(df)


def time_corpus(sizes: list[int]) -> None:
    import pandas as pd

    print(f"{'documents':>10} {'distinct names':>15} {'groups':>9} {'cross-script links':>19} {'seconds':>8} {'peak RSS MB':>12}")
    for n in sizes:
        c = family_corpus(n)
        t = time.perf_counter()
        h = c.harmonize_applicants()
        dt = time.perf_counter() - t
        m = h.applicant_mapping
        links = getattr(h, "applicant_links", pd.DataFrame({"reason": []}))  # absent before issue 18
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{len(c):>10,} {len(m):>15,} {m['group'].nunique():>9,} {int((links['reason'] == 'cross-script').sum()):>19,} "
              f"{dt:>8.2f} {rss:>12,.0f}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="*", default=[20000, 200000])
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--corpus", type=int, nargs="*", default=[], help="also time Corpus.harmonize_applicants on family corpora")
    args = ap.parse_args()
    from patentnav.names import NameHarmonizer

    if args.corpus:
        time_corpus(args.corpus)

    base = seeds()
    print(f"seeds: {len(base):,} real names; python {platform.python_version()}; {platform.machine()}")
    print(f"{'distinct names':>15} {'groups':>9} {'seconds':>8} {'names/s':>9} {'peak RSS MB':>12}")
    for n in args.n:
        names = variants(base, n)
        t = time.perf_counter()
        h = NameHarmonizer(workers=args.workers).fit(names)
        dt = time.perf_counter() - t
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{n:>15,} {h.mapping_['group'].nunique():>9,} {dt:>8.2f} {n / dt:>9,.0f} {rss:>12,.0f}")


if __name__ == "__main__":
    main()
