"""How long applicant harmonisation takes on many distinct raw names (target: 200,000 in < 30 s).

Seeds are real applicant names: the PatentsView assignee benchmarks when pv-evaluation is
installed (benchmarks/requirements-bench.txt), else the bundled Lens.org drone sample.
Variants are made the way real exports differ: case, legal forms, punctuation, and
typos (a deleted, doubled or swapped letter). One name in ten is Chinese: a firm of
tests/data/names/cn_applicant_variants.csv with a city or province prefix, a branch
(分公司) or a character typo, so that the division and branch rules run at scale too.
Every generated name is distinct.

    python benchmarks/bench_names_scale.py --n 200000 [--workers 2]
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, nargs="+", default=[20000, 200000])
    ap.add_argument("--workers", type=int, default=1)
    args = ap.parse_args()
    from patentnav.names import NameHarmonizer

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
