"""Precision and recall of acronym links on a labelled sample of real applicant names.

Names: the bundled Lens.org drone sample, the USPTO grant XML in /work/shared/data (or
``--uspto DIR``) and, when pv-evaluation is installed (benchmarks/requirements-bench.txt),
PatentsView's air-umass and nber-subset assignee benchmarks. Each list is harmonised on its
own, with its real mention counts, and all four together.

Labelled sample: every pair of normalised keys present in the data that could be an
acronym link, i.e. a one-word key whose letters are the initials of a multi-word key
(``acronym_candidates``, and the candidates of the previous rule), and every pair stated in
a raw name (``stated_acronyms``). A pair is labelled from pv-evaluation's entity labels
when both keys occur in one of its benchmarks (same entity = right), else by hand in
``benchmarks/data/acronym_labels.csv`` (checked names of real organisations). An unlabelled
pair stops the benchmark.

Two rules are compared:

* ``initials`` - the previous rule: a one-word key links to the keys whose initials spell
  it when one group holds >= 80% of them (no evidence needed);
* ``evidence`` - patentnav.names today: initials plus a stated pair in >= 2 mentions (or
  patent-family evidence, which name lists do not have).

Precision = right links / links; recall = right labelled pairs that end in one group /
right labelled pairs.

    python benchmarks/bench_acronyms.py [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

sys.path.insert(0, str(Path(__file__).resolve().parent))

from patentnav.names import NameHarmonizer, normalize_names  # noqa: E402
from patentnav.names.acronyms import acronym_candidates, stated_acronyms  # noqa: E402
from patentnav.names.group import components, fuzzy_links  # noqa: E402

LABELS = Path(__file__).resolve().parent / "data" / "acronym_labels.csv"
USPTO = Path("/work/shared/data/uspto-grant-xml")


def mention_lists(uspto: Path) -> dict[str, pd.Series]:
    """Raw applicant mentions of each source (one entry per mention)."""
    import patentnav

    out = {"lens": pd.Series(pc.list_flatten(patentnav.datasets.drones()["applicants"]).to_pylist()).dropna()}
    if uspto.exists():
        out["uspto"] = pd.Series(pc.list_flatten(patentnav.read(str(uspto))["applicants"]).to_pylist()).dropna()
    try:
        from names_benchmark_data import load_assignee_benchmark

        for b in ("air-umass", "nber-subset"):
            df = load_assignee_benchmark(b)
            out[b] = df["raw_name"].reset_index(drop=True)
            out[b].attrs["entity"] = df["entity"].to_numpy(dtype=object)
    except Exception as exc:  # pv-evaluation not installed
        print(f"note: PatentsView benchmarks not available ({exc}); Lens and USPTO only", file=sys.stderr)
    return out


_SKIP_OLD = {"OF", "THE", "AND", "FOR", "DE", "DU", "DES", "LA", "LE", "DER", "DIE", "UND", "ET", "Y"}


def initials_rule(keys: np.ndarray, groups: np.ndarray) -> list[tuple[str, str]]:
    """The previous rule (patentnav before issue 12): dominant expansion by initials."""
    words = [[w for w in k.split(" ") if w not in _SKIP_OLD] for k in keys]
    ini = np.array(["".join(w[0] for w in ws) if len(ws) >= 2 else "" for ws in words], dtype=object)
    ok = np.array([3 <= len(x) <= 6 for x in ini])
    cand = pd.DataFrame({"acr": ini[ok], "key": np.flatnonzero(ok), "grp": groups[ok]})
    per = cand.groupby(["acr", "grp"]).size().rename("n").reset_index()
    per = per[per["n"] >= 0.8 * per.groupby("acr")["n"].transform("sum")].merge(cand.drop_duplicates(["acr", "grp"]))
    expansion = dict(zip(per["acr"], per["key"]))
    return [(k, keys[expansion[k]]) for k in keys if k in expansion and k.isalpha() and 3 <= len(k) <= 6]


def candidate_pairs(keys: np.ndarray, raw: pd.Series) -> set[tuple[str, str]]:
    kset = set(keys)
    a, e = acronym_candidates(pa.array(list(keys), pa.string()))
    pairs = set(zip(keys[a], keys[e]))
    st = stated_acronyms(pa.array(raw.tolist(), pa.string()))
    if len(st):
        ka = normalize_names(pa.array(st["acronym"].tolist())).to_pylist()
        ke = normalize_names(pa.array(st["expansion"].tolist())).to_pylist()
        ko = normalize_names(pa.array(raw.iloc[st["index"]].tolist())).to_pylist()
        pairs |= set(zip(ka, ke)) | set(zip(ko, ke))
    groups = components(len(keys), *fuzzy_links(pa.array(list(keys), pa.string())))
    pairs |= set(initials_rule(keys, groups))
    return {(x, y) for x, y in pairs if x in kset and y in kset and x != y}


def labeller(lists: dict[str, pd.Series]):
    manual = pd.read_csv(LABELS)
    manual = {(r.key_a, r.key_b): bool(r.same) for r in manual.itertuples()}
    entity = {}
    for name, s in lists.items():
        if "entity" in s.attrs:
            k = normalize_names(pa.array(s.tolist())).to_pylist()
            entity[name] = pd.DataFrame({"k": k, "e": s.attrs["entity"]}).dropna().groupby("k")["e"].agg(set)

    def label(a: str, b: str) -> bool | None:
        for ent in entity.values():
            if a in ent.index and b in ent.index:
                return bool(ent[a] & ent[b])
        return manual.get((a, b), manual.get((b, a)))

    return label


def evaluate(name: str, raw: pd.Series, label) -> dict:
    t0 = time.perf_counter()
    keys = pd.unique(pd.Series(normalize_names(pa.array(raw.tolist(), pa.string())).to_pylist()).dropna())
    pairs = candidate_pairs(keys, raw)
    labels = {p: label(*p) for p in pairs}
    missing = sorted(p for p, v in labels.items() if v is None)
    if missing:
        raise SystemExit(f"{name}: {len(missing)} unlabelled pairs, add them to {LABELS}:\n" + "\n".join(map(str, missing)))
    true_pairs = {p for p, v in labels.items() if v}
    groups = components(len(keys), *fuzzy_links(pa.array(list(keys), pa.string())))
    old = initials_rule(keys, groups)
    h = NameHarmonizer().fit(raw.tolist())
    new_links = h.links_[h.links_["reason"].str.startswith("acronym")]
    new = list(zip(new_links["key_a"], new_links["key_b"]))
    group_of = dict(zip(h.mapping_["key"], h.mapping_["group"]))
    index = {k: i for i, k in enumerate(keys)}
    old_groups = components(len(keys), np.r_[*[[index[a] for a, _ in old]], fuzzy_links(pa.array(list(keys)))[0]].astype(np.int64),
                            np.r_[*[[index[b] for _, b in old]], fuzzy_links(pa.array(list(keys)))[1]].astype(np.int64))

    def score(links, same_group):
        right = sum(bool(labels.get((a, b), labels.get((b, a)))) for a, b in links)
        joined = sum(same_group(a, b) for a, b in true_pairs)
        return {"links": len(links), "right": right, "precision": right / len(links) if links else float("nan"),
                "recall": joined / len(true_pairs) if true_pairs else float("nan")}

    return {"list": name, "mentions": len(raw), "keys": len(keys), "labelled_pairs": len(pairs), "true_pairs": len(true_pairs),
            "initials": score(old, lambda a, b: old_groups[index[a]] == old_groups[index[b]]),
            "evidence": score(new, lambda a, b: group_of.get(a) == group_of.get(b)),
            "seconds": time.perf_counter() - t0}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--uspto", type=Path, default=USPTO)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    lists = mention_lists(args.uspto)
    label = labeller(lists)
    lists["all"] = pd.concat(list(lists.values()), ignore_index=True)
    rows = [evaluate(name, raw, label) for name, raw in lists.items()]
    print(f"{'list':<12} {'mentions':>9} {'keys':>7} {'pairs':>6} {'true':>5} | "
          f"{'initials: links  P      R':>26} | {'evidence: links  P      R':>26}")
    for r in rows:
        o, n = r["initials"], r["evidence"]
        print(f"{r['list']:<12} {r['mentions']:>9,} {r['keys']:>7,} {r['labelled_pairs']:>6} {r['true_pairs']:>5} | "
              f"{o['links']:>15} {o['precision']:6.3f} {o['recall']:6.3f} | {n['links']:>15} {n['precision']:6.3f} {n['recall']:6.3f}")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
