"""Applicant harmonisation: one firm, one name.

Pipeline (each step documented in its module):

1. :func:`~patentnav.names.normalize.normalize_names`: deterministic keys after
   Magerman, Van Looy & Song (2006).
2. :func:`~patentnav.names.individuals.is_individual`: persons are kept apart from firms
   and grouped by exact key only.
3. :func:`~patentnav.names.group.fuzzy_links`: typo-level links between firm keys within
   blocks (rapidfuzz ratio >= ``threshold``, same digits).
4. User aliases (CSV ``alias,canonical``) link an alias to a canonical name and override
   the display name: Chinese-English pairs (华为技术有限公司 = Huawei Technologies Co., Ltd.)
   and parent-subsidiary grouping are the user's decision, never guessed.
5. Groups are connected components; each is displayed by its alias canonical if it has
   one, else by its most frequent raw variant (ties: shorter, then alphabetical).
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..io.report import IngestError, Issue
from ..io.source import decode_text, read_bytes
from .group import DEFAULT_MAX_BLOCK, DEFAULT_MAX_EDITS, DEFAULT_THRESHOLD, acronym_links, components, fuzzy_links
from .individuals import is_individual
from .normalize import clean_names, normalize_names

__all__ = ["NameHarmonizer", "harmonize_names", "read_aliases", "Alias", "write_mapping_csv"]

_PERSON = "\x00P "  # key prefix that keeps persons apart from firms


@dataclass(frozen=True)
class Alias:
    alias: str
    canonical: str
    line: int


def read_aliases(path: str | os.PathLike) -> list[Alias]:
    """Read an alias file: CSV with header ``alias,canonical`` (or ``别名,标准名称``).

    Each row says "treat ``alias`` as the applicant ``canonical``". Errors name the file
    and line.
    """
    file = str(path)
    text = decode_text(read_bytes(path), file).text
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        raise IngestError(f"{file}: empty alias file", "Write a header line 'alias,canonical' and one pair per line")
    head = [h.strip().lower() for h in rows[0]]
    if head[:2] not in (["alias", "canonical"], ["别名", "标准名称"]):
        raise IngestError(Issue(file, 1, "(header)", f"expected header 'alias,canonical', found {','.join(rows[0])!r}"),
                          "Write a header line 'alias,canonical'")
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if not r or not any(x.strip() for x in r):
            continue
        if len(r) > 2 and any(x.strip() for x in r[2:]):
            raise IngestError(Issue(file, i, "canonical", f"expected 2 fields, found {len(r)}"),
                              'Quote names that contain commas: "Huawei Technologies Co., Ltd."')
        if len(r) < 2 or not r[0].strip() or not r[1].strip():
            raise IngestError(Issue(file, i, "alias" if not r or not r[0].strip() else "canonical", "both alias and canonical are needed"),
                              "Fix the line or delete it")
        out.append(Alias(r[0].strip(), r[1].strip(), i))
    return out


class NameHarmonizer:
    """Harmonise raw applicant names into groups with a canonical display name.

    Parameters
    ----------
    threshold : float, default 92
        Minimum ``rapidfuzz.fuzz.ratio`` (0-100) between normalised firm names in the same
        block for them to be linked. Lower merges more (recall up, precision down).
    max_edits : int, default 3
        Maximum Indel distance between linked names (see :mod:`patentnav.names.group`).
    aliases : path or list of Alias, optional
        User alias pairs (see :func:`read_aliases`); they always win.
    fuzzy : bool, default True
        False: group by normalised key only (deterministic rules, no similarity).
    max_block : int
        Blocks larger than this are split by more leading words.
    workers : int
        Threads for rapidfuzz (``-1``: all cores).

    Attributes
    ----------
    mapping_ : pandas.DataFrame
        One row per distinct raw name: ``raw``, ``count``, ``key`` (normalised),
        ``is_individual``, ``group`` (int), ``canonical``, ``group_size`` (raw variants).

    Examples
    --------
    >>> h = NameHarmonizer().fit(["Huawei Technologies Co., Ltd.", "HUAWEI TECH CO LTD", "Huawei Device Co., Ltd."])
    >>> h.transform(["HUAWEI TECH CO LTD", "Huawei Device Co., Ltd."])
    ['Huawei Technologies Co., Ltd.', 'Huawei Device Co., Ltd.']
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, aliases=None, fuzzy: bool = True,
                 max_block: int = DEFAULT_MAX_BLOCK, workers: int = 1, max_edits: int = DEFAULT_MAX_EDITS):
        self.threshold = threshold
        self.max_edits = max_edits
        self.aliases = aliases
        self.fuzzy = fuzzy
        self.max_block = max_block
        self.workers = workers

    def _alias_list(self) -> list[Alias]:
        if self.aliases is None:
            return []
        if isinstance(self.aliases, (str, os.PathLike)):
            return read_aliases(self.aliases)
        return [a if isinstance(a, Alias) else Alias(a[0], a[1], i + 1) for i, a in enumerate(self.aliases)]

    def fit(self, names) -> "NameHarmonizer":
        """Learn groups from raw names (repeats count for the display name)."""
        arr = names if isinstance(names, (pa.Array, pa.ChunkedArray)) else pa.array(list(names), pa.string(), from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        vc = pc.value_counts(arr.cast(pa.string()).drop_null())
        raw = vc.field("values")
        counts = np.asarray(vc.field("counts").to_numpy(), dtype=np.int64)
        aliases = self._alias_list()
        n_data = len(raw)
        if aliases:  # alias strings join the table (count 0) so that they have keys
            extra = pa.array([a.alias for a in aliases] + [a.canonical for a in aliases], pa.string())
            raw = pa.concat_arrays([raw, extra])
            counts = np.concatenate([counts, np.zeros(len(extra), dtype=np.int64)])
        cleaned = clean_names(raw)
        key = normalize_names(raw)
        person = np.asarray(is_individual(raw, cleaned, key).to_numpy(zero_copy_only=False), dtype=bool)
        key_np = np.asarray(key.to_numpy(zero_copy_only=False), dtype=object)
        has_key = np.array([k is not None for k in key_np], dtype=bool) if len(key_np) else np.zeros(0, bool)
        full_key = np.where(person, np.char.add(_PERSON, key_np.astype(str)), key_np.astype(str)).astype(object)
        full_key[~has_key] = None

        kcodes, kuniq = pd.factorize(pd.Series(full_key, dtype=object), use_na_sentinel=True)
        n_keys = len(kuniq)
        rows, cols = [np.zeros(0, np.int64)], [np.zeros(0, np.int64)]
        if self.fuzzy and n_keys:
            firm_keys = np.array([not str(k).startswith(_PERSON) for k in kuniq], dtype=bool)
            firm_idx = np.flatnonzero(firm_keys)
            r, c = fuzzy_links(pa.array(list(kuniq[firm_idx]), pa.string()), self.threshold, self.max_block, self.workers, self.max_edits)
            rows.append(firm_idx[r])
            cols.append(firm_idx[c])
            fuzzy_groups = components(len(firm_idx), r, c)
            r, c = acronym_links(pa.array(list(kuniq[firm_idx]), pa.string()), fuzzy_groups)
            rows.append(firm_idx[r])
            cols.append(firm_idx[c])
        alias_canon_key = {}
        for i, a in enumerate(aliases):
            ka, kc = kcodes[n_data + i], kcodes[n_data + len(aliases) + i]
            if ka >= 0 and kc >= 0:
                rows.append(np.array([ka]))
                cols.append(np.array([kc]))
                alias_canon_key.setdefault(kc, a.canonical)
        comp = components(n_keys, np.concatenate(rows), np.concatenate(cols))

        df = pd.DataFrame({
            "raw": raw.to_pylist(),
            "count": counts,
            "key": key_np,
            "is_individual": person,
            "_k": kcodes,
        })
        comp_of_row = np.where(kcodes >= 0, comp[np.clip(kcodes, 0, None)] if n_keys else -1, -1)
        df["_comp"] = comp_of_row
        n_comp = int(comp.max()) + 1 if n_keys else 0
        # display name: alias canonical, else most frequent raw variant (ties: shorter, then alphabetical)
        valid = comp_of_row >= 0
        lengths = np.fromiter((len(x) for x in df["raw"]), dtype=np.int64, count=len(df))
        order = np.lexsort((df["raw"].to_numpy(dtype=object), lengths, -counts, comp_of_row))
        order = order[valid[order]]
        first = order[np.r_[True, comp_of_row[order][1:] != comp_of_row[order][:-1]]] if len(order) else order
        display = np.empty(n_comp, dtype=object)
        display[comp_of_row[first]] = df["raw"].to_numpy(dtype=object)[first]
        for k, name in alias_canon_key.items():
            display[int(comp[k])] = name
        # deterministic group ids: by total count (desc), then canonical name
        total = np.bincount(comp_of_row[valid], weights=counts[valid], minlength=n_comp)
        variants = np.bincount(comp_of_row[valid], minlength=n_comp)
        rank = np.lexsort((display.astype(str), -total)) if n_comp else np.zeros(0, np.int64)
        gid = np.empty(n_comp, dtype=np.int64)
        gid[rank] = np.arange(n_comp)
        safe = np.clip(comp_of_row, 0, None)
        df["canonical"] = pd.Series(np.where(valid, display[safe] if n_comp else None, None), index=df.index, dtype=object)
        df["group"] = np.where(valid, gid[safe] if n_comp else -1, -1)
        df["group_size"] = np.where(valid, variants[safe] if n_comp else 0, 0)
        df = df[df["count"] > 0] if aliases else df
        mapping = df.drop(columns=["_k", "_comp"]).sort_values(["group", "count", "raw"], ascending=[True, False, True], kind="mergesort")
        self.mapping_ = mapping.reset_index(drop=True)
        self.mapping_["canonical"] = self.mapping_["canonical"].astype(object).where(self.mapping_["canonical"].notna(), None)
        self._lookup = dict(zip(self.mapping_["raw"], self.mapping_["canonical"]))
        self._key_lookup = {k: c for k, c in zip(self.mapping_["key"], self.mapping_["canonical"]) if k is not None}
        return self

    def transform(self, names) -> list:
        """Canonical name of each raw name; unseen names map through their normalised key, else to themselves."""
        names = list(names)
        out = [self._lookup.get(n) if n is not None else None for n in names]
        missing = [i for i, v in enumerate(out) if v is None and names[i] is not None and names[i] not in self._lookup]
        if missing:
            keys = normalize_names(pa.array([names[i] for i in missing], pa.string())).to_pylist()
            for i, k in zip(missing, keys):
                out[i] = self._key_lookup.get(k, names[i]) if k is not None else None
        return out

    def fit_transform(self, names) -> list:
        names = list(names)
        return self.fit(names).transform(names)

    def groups(self, min_variants: int = 2) -> pd.DataFrame:
        """Merged groups, largest first: canonical, variants, documents, and the raw variants."""
        m = self.mapping_[self.mapping_["group"] >= 0]
        g = m.groupby("group", sort=True).agg(
            canonical=("canonical", "first"), variants=("raw", "size"), count=("count", "sum"),
            raw_variants=("raw", lambda s: list(s)))
        g = g[g["variants"] >= min_variants]
        return g.sort_values(["variants", "count"], ascending=False, kind="mergesort").reset_index()


def harmonize_names(raw_names, threshold: float = DEFAULT_THRESHOLD, aliases=None, fuzzy: bool = True) -> list:
    """Canonical name for each raw name (same order), e.g. for benchmarks.

    >>> harmonize_names(["Lucent Technologies Inc.", "Lucent Techologies Inc.", "Lucent Technologies Inc."])
    ['Lucent Technologies Inc.', 'Lucent Technologies Inc.', 'Lucent Technologies Inc.']
    """
    return NameHarmonizer(threshold=threshold, aliases=aliases, fuzzy=fuzzy).fit_transform(raw_names)


def write_mapping_csv(mapping: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a raw -> canonical mapping for people to review (UTF-8 with BOM for Excel;
    cells that a spreadsheet would evaluate as formulas are neutralised).

    The file's ``raw,canonical`` columns can be edited and fed back as an alias file
    (rename the header to ``alias,canonical``).
    """
    from ..safety import neutralize_csv_cell

    cols = ["raw", "canonical", "group", "count", "key", "is_individual", "group_size"]
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for row in mapping[cols].itertuples(index=False):
            w.writerow([neutralize_csv_cell(v) for v in row])
