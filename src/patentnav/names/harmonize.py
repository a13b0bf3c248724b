"""Applicant harmonisation: one firm, one name.

Pipeline (each step documented in its module):

1. :func:`~patentnav.names.normalize.normalize_names`: deterministic keys after
   Magerman, Van Looy & Song (2006).
2. :func:`~patentnav.names.individuals.is_individual`: persons are kept apart from firms
   and grouped by exact key only.
3. Links between firm keys, each with a reason (:mod:`patentnav.names.links`):
   typo variants (:func:`~patentnav.names.group.fuzzy_links`), administrative-division
   prefixes (:mod:`patentnav.names.divisions`), branches to their legal entity
   (:mod:`patentnav.names.branches`), acronyms stated next to their expansion
   (:mod:`patentnav.names.acronyms`), and, given the applicants of patent families,
   cross-script and acronym links learned from families (:mod:`patentnav.names.families`).
4. User aliases (CSV ``alias,canonical``) link an alias to a canonical name and override
   the display name: pairs the data cannot show (a Chinese name whose firm has no foreign
   family member in the corpus) and parent-subsidiary grouping are the user's decision.
5. Groups are connected components; each is displayed by its alias canonical if it has
   one, else by its legal entity's most frequent raw variant (branches last; ties:
   shorter, then alphabetical). Every name reports the link that put it in its group.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from ..i18n import Phrase
from ..io.report import IngestError, Issue
from ..io.source import decode_text, read_bytes
from .acronyms import acronym_candidates, stated_acronyms
from .branches import split_branches
from .divisions import division_links
from .families import firm_positions, mutual_best, position_pairs
from .group import DEFAULT_MAX_BLOCK, DEFAULT_MAX_EDITS, DEFAULT_THRESHOLD, components, fuzzy_links
from .individuals import is_individual
from .links import Links, explain
from .normalize import clean_names, keys_of_cleaned, normalize_names

__all__ = ["NameHarmonizer", "harmonize_names", "read_aliases", "Alias", "write_mapping_csv", "write_links_csv",
           "canonical_applicants", "canonical_applicant_array", "canonical_name_lists"]

_PERSON = "\x00P "  # key prefix that keeps persons apart from firms

#: Default number of observations (families, stating mentions) a learned link needs.
DEFAULT_MIN_EVIDENCE = 2


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
        raise IngestError.localized("err.alias.empty", file=file)
    head = [h.strip().lower() for h in rows[0]]
    if head[:2] not in (["alias", "canonical"], ["别名", "标准名称"]):
        raise IngestError(Issue.coded(file, 1, "(header)", "alias_header", found=",".join(rows[0])),
                          Phrase("hint.alias_header"))
    out = []
    for i, r in enumerate(rows[1:], start=2):
        if not r or not any(x.strip() for x in r):
            continue
        if len(r) > 2 and any(x.strip() for x in r[2:]):
            raise IngestError(Issue.coded(file, i, "canonical", "alias_fields", n=len(r)), Phrase("hint.alias_quote"))
        if len(r) < 2 or not r[0].strip() or not r[1].strip():
            raise IngestError(Issue.coded(file, i, "alias" if not r or not r[0].strip() else "canonical", "alias_both"),
                              Phrase("hint.fix_line"))
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
        False: group by normalised key and aliases only (no typo, division, branch,
        acronym or family links).
    min_evidence : int, default 2
        Observations a link learned from the data needs: families for cross-script and
        acronym-family links, stating mentions for stated acronyms.
    max_block : int
        Blocks larger than this are split by more leading words.
    workers : int
        Threads for rapidfuzz (``-1``: all cores).

    Attributes
    ----------
    mapping_ : pandas.DataFrame
        One row per distinct raw name: ``raw``, ``count``, ``key`` (normalised),
        ``is_individual``, ``group`` (int), ``canonical``, ``group_size`` (raw variants),
        ``reason`` (how the name joined its group, one of
        :data:`~patentnav.names.links.REASONS`), ``evidence`` (observations behind a
        learned link), ``linked_to`` (the name it was linked to), ``detail`` and ``branch``
        (the branch part of a branch's name).
    links_ : pandas.DataFrame
        Every link: ``name_a``, ``name_b`` (the most frequent raw name of each key),
        ``key_a``, ``key_b``, ``reason``, ``evidence``, ``detail``.

    Examples
    --------
    The canonical name of a group is its most frequent raw name:

    >>> h = NameHarmonizer().fit(["Huawei Technologies Co., Ltd.", "Huawei Technologies Co., Ltd.",
    ...                           "HUAWEI TECH CO LTD", "Huawei Device Co., Ltd."])
    >>> h.transform(["HUAWEI TECH CO LTD", "Huawei Device Co., Ltd."])
    ['Huawei Technologies Co., Ltd.', 'Huawei Device Co., Ltd.']
    >>> h = NameHarmonizer().fit(["深圳市大疆创新科技有限公司", "大疆创新科技有限公司", "中兴通讯股份有限公司南京分公司"])
    >>> h.mapping_[["raw", "canonical", "reason"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['大疆创新科技有限公司', '大疆创新科技有限公司', 'canonical'],
     ['深圳市大疆创新科技有限公司', '大疆创新科技有限公司', 'division'],
     ['中兴通讯股份有限公司南京分公司', '中兴通讯股份有限公司', 'branch']]
    """

    def __init__(self, threshold: float = DEFAULT_THRESHOLD, aliases=None, fuzzy: bool = True,
                 max_block: int = DEFAULT_MAX_BLOCK, workers: int = 1, max_edits: int = DEFAULT_MAX_EDITS,
                 min_evidence: int = DEFAULT_MIN_EVIDENCE):
        self.threshold = threshold
        self.max_edits = max_edits
        self.aliases = aliases
        self.fuzzy = fuzzy
        self.max_block = max_block
        self.workers = workers
        self.min_evidence = min_evidence

    def _alias_list(self) -> list[Alias]:
        if self.aliases is None:
            return []
        if isinstance(self.aliases, (str, os.PathLike)):
            return read_aliases(self.aliases)
        return [a if isinstance(a, Alias) else Alias(a[0], a[1], i + 1) for i, a in enumerate(self.aliases)]

    def fit(self, names, positions: pd.DataFrame | None = None) -> "NameHarmonizer":
        """Learn groups from raw names (repeats count for the display name).

        ``positions``: applicants of documents in patent families
        (:func:`patentnav.names.families.applicant_positions`), the evidence for
        cross-script and acronym links; :meth:`Corpus.harmonize_applicants` passes them.
        """
        arr = names if isinstance(names, (pa.Array, pa.ChunkedArray)) else pa.array(list(names), pa.string(), from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        vc = pc.value_counts(arr.cast(pa.string()).drop_null())
        aliases = self._alias_list()
        t = _NameTable(vc.field("values"), np.asarray(vc.field("counts").to_numpy(), dtype=np.int64), aliases)
        links = Links()
        for i, a in enumerate(aliases):
            ka, kc = t.kcodes[t.n_data + i], t.kcodes[t.n_data + len(aliases) + i]
            if ka >= 0 and kc >= 0:
                links.add([ka], [kc], "alias", detail=[f"line {a.line}"])
        if self.fuzzy and t.n_keys:
            self._rule_links(t, links)
            if positions is not None and len(positions):
                self._family_links(t, links, positions)
        self._finish(t, links, aliases)
        return self

    def _rule_links(self, t: "_NameTable", links: Links) -> None:
        """Typo, division, branch and stated-acronym links."""
        firm = t.firm_idx
        fkeys = pa.array(list(t.kuniq[firm]), pa.string())
        r, c = fuzzy_links(fkeys, self.threshold, self.max_block, self.workers, self.max_edits)
        if len(r):
            from rapidfuzz import fuzz, process

            ratio = process.cpdist(list(t.kuniq[firm[r]]), list(t.kuniq[firm[c]]), scorer=fuzz.ratio)
            links.add(firm[r], firm[c], "typo", detail=[f"ratio {x:.1f}" for x in ratio])
        r, c, prefix = division_links(fkeys)
        links.add(firm[r], firm[c], "division", detail=prefix)
        b = np.flatnonzero(t.branch_entity_code >= 0)
        links.add(t.kcodes[b], t.branch_entity_code[b], "branch", detail=t.branch[b])
        self._stated_acronym_links(t, links)

    def _stated_acronym_links(self, t: "_NameTable", links: Links) -> None:
        st = stated_acronyms(t.raw)
        if not len(st):
            return
        codes = t.key_code(st["acronym"].tolist() + st["expansion"].tolist())  # one pass over both
        st = st.assign(count=t.counts[st["index"].to_numpy()], own=t.kcodes[st["index"].to_numpy()],
                       acr=codes[:len(st)], exp=codes[len(st):])
        st = st[(st["own"] >= 0) & (st["exp"] >= 0)]
        # the stating name carries both: it always joins its expansion
        links.add(st["own"], st["exp"], "acronym-stated", evidence=st["count"], detail=st["acronym"])
        ev = st[st["acr"] >= 0].groupby(["acr", "exp", "acronym"], as_index=False)["count"].sum()
        ev = ev[ev["count"] >= self.min_evidence]
        links.add(ev["acr"], ev["exp"], "acronym-stated", evidence=ev["count"], detail=ev["acronym"])

    def _family_links(self, t: "_NameTable", links: Links, positions: pd.DataFrame) -> None:
        """Cross-script and acronym links learned from patent families."""
        firm_raw = pd.Series(t.kcodes, index=t.raw_list)
        firm_raw = firm_raw[(firm_raw >= 0) & ~t.person_key[np.clip(firm_raw.to_numpy(), 0, None)]]
        firm_raw = firm_raw[~firm_raw.index.duplicated()]
        positions = firm_positions(positions, firm_raw.index)
        # cross-script, between the groups the rules above made
        fl = links.frame()
        comp = components(t.n_keys, fl["a"].to_numpy(), fl["b"].to_numpy())
        group_of_raw = pd.Series(comp[firm_raw.to_numpy()], index=firm_raw.index)
        best = mutual_best(position_pairs(positions, group_of_raw, cross_script=True),
                           self.min_evidence)
        if len(best):
            first = pd.Series(np.arange(t.n_keys)).groupby(comp).min()  # a key of each group
            links.add(first.loc[best["a"]].to_numpy(), first.loc[best["b"]].to_numpy(), "cross-script",
                      evidence=best["families"], detail="e.g. " + best["example"])
        # acronyms: key pairs that are acronym candidates
        kp = position_pairs(positions, firm_raw)
        if len(kp):
            ca, ce = acronym_candidates(pa.array(list(t.kuniq), pa.string()))
            cand = pd.DataFrame({"a": np.minimum(ca, ce), "b": np.maximum(ca, ce)})
            hit = kp.merge(cand, on=["a", "b"])
            hit = hit[hit["families"] >= self.min_evidence]
            links.add(hit["a"], hit["b"], "acronym-family", evidence=hit["families"], detail="e.g. " + hit["example"])

    def _finish(self, t: "_NameTable", links: Links, aliases: list[Alias]) -> None:
        """Groups, display names, group ids, explanations; sets ``mapping_`` and ``links_``."""
        fl = links.frame()
        comp = components(t.n_keys, fl["a"].to_numpy(), fl["b"].to_numpy())
        df = t.frame()
        comp_of_row = np.where(t.kcodes >= 0, comp[np.clip(t.kcodes, 0, None)] if t.n_keys else -1, -1)
        n_comp = int(comp.max()) + 1 if t.n_keys else 0
        valid = comp_of_row >= 0
        # display name: alias canonical, else the legal entity's most frequent raw variant
        # (branches last; ties: shorter, then alphabetical)
        raw = np.asarray(t.raw_list, dtype=object)
        order = np.lexsort((raw, t.lengths(), -t.counts, t.is_branch, comp_of_row))
        order = order[valid[order]]
        first = order[np.r_[True, comp_of_row[order][1:] != comp_of_row[order][:-1]]] if len(order) else order
        display = np.empty(n_comp, dtype=object)
        display[comp_of_row[first]] = raw[first]
        root = np.full(n_comp, -1, dtype=np.int64)
        root[comp_of_row[first]] = t.kcodes[first]
        named = set()
        for i, a in enumerate(aliases):  # the first alias canonical of a group names it
            kc = t.kcodes[t.n_data + len(aliases) + i]
            if kc >= 0 and comp[kc] not in named:
                named.add(comp[kc])
                display[comp[kc]], root[comp[kc]] = a.canonical, kc
        total = np.bincount(comp_of_row[valid], weights=t.counts[valid], minlength=n_comp)
        variants = np.bincount(comp_of_row[valid & (t.counts > 0)], minlength=n_comp)
        rank = np.lexsort((display.astype(str), -total)) if n_comp else np.zeros(0, np.int64)
        gid = np.empty(n_comp, dtype=np.int64)
        gid[rank] = np.arange(n_comp)
        safe = np.clip(comp_of_row, 0, None)
        df["canonical"] = pd.Series(np.where(valid, display[safe] if n_comp else None, None), index=df.index, dtype=object)
        df["group"] = np.where(valid, gid[safe] if n_comp else -1, -1)
        df["group_size"] = np.where(valid, variants[safe] if n_comp else 0, 0)
        self._explain(t, df, fl, root, comp_of_row)
        df = df[df["count"] > 0].drop(columns=["_k"])
        # by group, count (descending), raw: one stable np.lexsort, as sort_values(kind="mergesort")
        order = np.lexsort((df["raw"].to_numpy(dtype=object), -df["count"].to_numpy(dtype=np.int64),
                            df["group"].to_numpy(dtype=np.int64)))
        self.mapping_ = df.iloc[order].reset_index(drop=True)
        self.mapping_["canonical"] = self.mapping_["canonical"].astype(object).where(self.mapping_["canonical"].notna(), None)
        self._maps = None  # (raw -> canonical, key -> canonical) for transform, made on first use

    def _explain(self, t: "_NameTable", df: pd.DataFrame, fl: pd.DataFrame, root: np.ndarray, comp_of_row: np.ndarray) -> None:
        """reason / evidence / linked_to / detail per raw name, and ``links_``."""
        n = len(df)
        rep = t.representative() if t.n_keys else np.zeros(0, dtype=object)  # most frequent raw name of each key
        ex = explain(t.n_keys, fl, root[root >= 0])
        k = t.kcodes
        has = k >= 0
        kk = np.clip(k, 0, None)
        pick = (lambda col, fill: np.where(has, ex[col].to_numpy(dtype=object)[kk], fill)) if t.n_keys else (
            lambda col, fill: np.full(n, fill, dtype=object))
        reason = pick("reason", None).astype(object)
        via = pick("via", -1).astype(np.int64)
        evidence = pick("evidence", np.nan).astype(float)
        detail = pick("detail", "").astype(object)
        reason[has & pd.isna(reason)] = "normalised"  # the canonical key itself, or a key without links
        is_display = has & (df["raw"].to_numpy(dtype=object) == df["canonical"].to_numpy(dtype=object))
        same_key = has & (reason == "normalised")
        reason[is_display] = "canonical"
        linked = np.full(n, None, dtype=object)
        ok = via >= 0
        linked[ok] = rep[via[ok]]
        linked[same_key] = rep[kk[same_key]]
        plain = same_key | is_display
        linked[is_display], evidence[plain], detail[plain] = None, np.nan, ""
        for i, a in enumerate(t.aliases):  # a name aliased directly reports the alias
            rows = np.flatnonzero((k == t.kcodes[t.n_data + i]) & ~is_display & (t.counts > 0) & has)
            reason[rows], linked[rows], detail[rows] = "alias", a.canonical, f"line {a.line}"
        df["reason"] = reason
        df["evidence"] = pd.array(np.where(np.isnan(evidence), None, evidence), dtype="Int64")
        df["linked_to"] = linked
        df["detail"] = detail
        df["branch"] = t.branch
        a, b = fl["a"].to_numpy(dtype=np.int64), fl["b"].to_numpy(dtype=np.int64)
        self.links_ = pd.DataFrame({
            "name_a": rep[a], "name_b": rep[b], "key_a": t.kuniq[a], "key_b": t.kuniq[b],
            "reason": fl["reason"].to_numpy(dtype=object),
            "evidence": pd.array(np.where(np.isnan(fl["evidence"].to_numpy(dtype=float)), None, fl["evidence"].to_numpy(dtype=float)), dtype="Int64"),
            "detail": fl["detail"].to_numpy(dtype=object)})

    def transform(self, names) -> list:
        """Canonical name of each raw name; unseen names map through their normalised key, else to themselves."""
        names = list(names)
        lookup, key_lookup = self._lookups()
        out = [lookup.get(n) if n is not None else None for n in names]
        missing = [i for i, v in enumerate(out) if v is None and names[i] is not None and names[i] not in lookup]
        if missing:
            keys = normalize_names(pa.array([names[i] for i in missing], pa.string())).to_pylist()
            for i, k in zip(missing, keys):
                out[i] = key_lookup.get(k, names[i]) if k is not None else None
        return out

    def _lookups(self) -> tuple[dict, dict]:
        """raw -> canonical and normalised key -> canonical, from ``mapping_`` (made once)."""
        if self._maps is None:
            m = self.mapping_
            self._maps = (dict(zip(m["raw"], m["canonical"])),
                          {k: c for k, c in zip(m["key"], m["canonical"]) if k is not None})
        return self._maps

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


class _NameTable:
    """Distinct raw names (data, then alias strings, then legal entities of branches, the
    last two with count 0) with their keys."""

    def __init__(self, raw: pa.Array, counts: np.ndarray, aliases: list[Alias]):
        self.aliases = aliases
        self.n_data = len(raw)
        if aliases:  # alias strings join the table (count 0) so that they have keys
            extra = pa.array([a.alias for a in aliases] + [a.canonical for a in aliases], pa.string())
            raw = pa.concat_arrays([raw, extra])
            counts = np.concatenate([counts, np.zeros(len(extra), dtype=np.int64)])
        cleaned = clean_names(raw)
        entity, branch = split_branches(cleaned)
        # legal entities of branches join too (count 0), so that a branch's group is named by its entity
        ent_raw = _entity_text(raw, entity, branch)
        new = pd.unique(pd.Series([e for e in ent_raw if e is not None], dtype=object))
        raw_list = raw.to_pylist()
        present = set(raw_list)
        new = [e for e in new if e not in present]
        if new:  # cleaned and split alone (both work name by name), then appended
            new_raw = pa.array(new, pa.string())
            new_cleaned = clean_names(new_raw)
            new_entity, new_branch = split_branches(new_cleaned)
            raw = pa.concat_arrays([raw, new_raw])
            raw_list += new
            counts = np.concatenate([counts, np.zeros(len(new), dtype=np.int64)])
            cleaned = pa.concat_arrays([cleaned, new_cleaned])
            entity = pa.concat_arrays([entity, new_entity])
            branch = pa.concat_arrays([branch, new_branch])
            ent_raw = ent_raw + _entity_text(new_raw, new_entity, new_branch)
        self.raw, self.counts = raw, counts
        self.raw_list = raw_list
        key = keys_of_cleaned(cleaned, entity, branch)  # normalize_names(raw)
        self.key = key
        person = np.asarray(is_individual(raw, cleaned, key).to_numpy(zero_copy_only=False), dtype=bool)
        key_np = np.asarray(key.to_numpy(zero_copy_only=False), dtype=object)
        has_key = np.array([k is not None for k in key_np], dtype=bool) if len(key_np) else np.zeros(0, bool)
        full_key = np.where(person, np.char.add(_PERSON, key_np.astype(str)), key_np.astype(str)).astype(object)
        full_key[~has_key] = None
        self.key_np, self.person = key_np, person
        self.kcodes, self.kuniq = pd.factorize(pd.Series(full_key, dtype=object), use_na_sentinel=True)
        self.kuniq = np.asarray(self.kuniq, dtype=object)
        self.n_keys = len(self.kuniq)
        self.person_key = np.fromiter((str(k).startswith(_PERSON) for k in self.kuniq), dtype=bool, count=self.n_keys)
        self.firm_idx = np.flatnonzero(~self.person_key)
        self.branch = np.asarray(branch.to_pylist(), dtype=object)
        self._key_index = None  # pd.Index of kuniq, made on first use
        self.is_branch = pc.is_valid(branch).to_numpy(zero_copy_only=False).astype(np.int8)
        self.branch_entity_code = self.key_code(ent_raw)

    def key_code(self, texts) -> np.ndarray:
        """Key index of each text's normalised key (-1 where the key is not in the table).

        A text that is a raw name of the table has that name's key (normalisation works
        name by name); only the other texts are normalised."""
        arr = pa.array(list(texts), pa.string())
        keys = self.key.take(pc.index_in(arr, value_set=self.raw, skip_nulls=True))
        todo = pc.and_(pc.is_valid(arr), pc.is_null(keys))
        if pc.any(todo).as_py():
            rows = np.flatnonzero(np.asarray(todo.to_numpy(zero_copy_only=False), dtype=bool))
            found = np.asarray(keys.to_numpy(zero_copy_only=False), dtype=object)
            found[rows] = normalize_names(arr.take(pa.array(rows))).to_numpy(zero_copy_only=False)
            keys = pa.array(found, pa.string())
        if self._key_index is None:
            self._key_index = pd.Index(self.kuniq)
        return self._key_index.get_indexer(pd.Series(keys.to_pylist(), dtype=object)).astype(np.int64)

    def lengths(self) -> np.ndarray:
        """Characters of each raw name (as ``len()``)."""
        return np.asarray(pc.utf8_length(self.raw).to_numpy(zero_copy_only=False), dtype=np.int64)

    def representative(self) -> np.ndarray:
        """The most frequent raw name of each key (ties: shorter, then alphabetical); one
        stable ``np.lexsort`` (no pandas sort of strings)."""
        ok = np.flatnonzero(self.kcodes >= 0)
        k, raw = self.kcodes[ok], np.asarray(self.raw_list, dtype=object)[ok]
        order = np.lexsort((raw, self.lengths()[ok], -self.counts[ok], k))
        first = order[np.r_[True, k[order][1:] != k[order][:-1]]] if len(order) else order
        out = np.empty(self.n_keys, dtype=object)
        out[k[first]] = raw[first]
        return out

    def frame(self) -> pd.DataFrame:
        return pd.DataFrame({"raw": self.raw_list, "count": self.counts, "key": self.key_np,
                             "is_individual": self.person, "_k": self.kcodes})


def _entity_text(raw: pa.Array, entity: pa.Array, branch: pa.Array) -> list:
    """The legal entity as written in the raw name (the raw name without its branch part)."""
    out = [None] * len(raw)
    rows = np.flatnonzero(pc.is_valid(branch).to_numpy(zero_copy_only=False))
    for i in rows:  # branches only
        r, e, b = raw[int(i)].as_py(), entity[int(i)].as_py(), branch[int(i)].as_py()
        cut = r.rstrip()
        # drop the branch's characters from the end, whatever punctuation the raw name has
        tail = re.sub(r"\s+", "", b)
        j, n = len(cut), len(tail)
        while n and j:
            ch = cut[j - 1]
            if re.match(r"[\s\W_]", ch):
                j -= 1
                continue
            if unicodedata.normalize("NFKC", ch).upper() == tail[n - 1]:
                j, n = j - 1, n - 1
            else:
                break
        out[i] = cut[:j].rstrip(" ,;-") if n == 0 and j > 0 else e
    return out


def harmonize_names(raw_names, threshold: float = DEFAULT_THRESHOLD, aliases=None, fuzzy: bool = True) -> list:
    """Canonical name for each raw name (same order), e.g. for benchmarks.

    >>> harmonize_names(["Lucent Technologies Inc.", "Lucent Techologies Inc.", "Lucent Technologies Inc."])
    ['Lucent Technologies Inc.', 'Lucent Technologies Inc.', 'Lucent Technologies Inc.']
    """
    return NameHarmonizer(threshold=threshold, aliases=aliases, fuzzy=fuzzy).fit_transform(raw_names)


def canonical_applicants(corpus, raw, aligned=None) -> np.ndarray:
    """The harmonised name of each raw applicant name in ``raw`` (object array, same order).

    Through the corpus's ``applicant_mapping`` (set by :meth:`Corpus.harmonize_applicants`)
    when it has one; else ``aligned`` (the ``applicants_harmonized`` value at the same
    position, where the lists align); else the raw name. Tables that count firms use this,
    so that 深圳市大疆创新科技有限公司 and 大疆创新科技有限公司 are one firm.
    """
    raw = np.asarray(raw, dtype=object)
    out = raw.copy()
    if not len(raw):
        return out
    arr = canonical_applicant_array(corpus, pa.array(raw, pa.string(), from_pandas=True),
                                    None if aligned is None else pa.array(np.asarray(aligned, dtype=object), pa.string(),
                                                                          from_pandas=True))
    canon = np.asarray(arr.to_pylist(), dtype=object)
    ok = pd.notna(canon)
    out[ok] = canon[ok]  # (a missing raw value stays as it was)
    return out


def canonical_applicant_array(corpus, raw: pa.Array, aligned=None) -> pa.Array:
    """:func:`canonical_applicants` in Arrow: the mapping's canonical name where it has the raw
    name (and a canonical), else the aligned harmonised name where set, else the raw name
    (``coalesce``; the mapping looked up with ``index_in``, no Python string per name).

    ``aligned`` may be a function giving the array: it is called only when some name has no
    canonical name in the mapping.
    """
    mapping = getattr(corpus, "applicant_mapping", None)
    canon = None
    if mapping is not None and len(raw):
        m = mapping[["raw", "canonical"]].drop_duplicates("raw", keep="last")  # as a dict made of the pairs
        m = m[m["raw"].notna()]
        keys = pa.array(m["raw"].to_numpy(dtype=object), pa.string(), from_pandas=True)
        canon = pa.array(m["canonical"].to_numpy(dtype=object), pa.string(), from_pandas=True)
        canon = canon.take(pc.index_in(raw, value_set=keys))
        if canon.null_count == 0:
            return canon
    if callable(aligned):
        aligned = aligned()
    out = raw if aligned is None else pc.coalesce(aligned, raw)
    return out if canon is None else pc.coalesce(canon, out)


def canonical_name_lists(lists, mapping: pd.DataFrame) -> pa.ListArray:
    """A list<string> column of names with each name replaced by its canonical name in
    ``mapping`` (``raw`` -> ``canonical``, as ``NameHarmonizer.mapping_``; a name the mapping
    does not know is kept); a name repeated in a row after that is kept once (the first).

    On integer codes: each distinct name is looked up once, equal canonical names get one
    code, and repeats are found (hash-based ``duplicated``) among the (row, code) pairs of rows
    with two names or more.
    """
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    flat = pc.list_flatten(lists).cast(pa.string())
    enc = pc.dictionary_encode(flat)
    idx = pc.index_in(enc.dictionary, value_set=pa.array(mapping["raw"].tolist(), pa.string()))
    canon = pc.dictionary_encode(pc.coalesce(pa.array(mapping["canonical"].tolist(), pa.string()).take(idx), enc.dictionary))
    n_canon = len(canon.dictionary)
    per_name = np.append(np.asarray(canon.indices.to_numpy(zero_copy_only=False), dtype=np.int64), n_canon)
    codes = per_name[np.asarray(enc.indices.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)]  # null: n_canon
    parent = np.asarray(pc.list_parent_indices(lists).to_numpy(), dtype=np.int64)
    keep = np.ones(len(codes), dtype=bool)
    lens = np.bincount(parent, minlength=len(lists)) if len(parent) else np.zeros(len(lists), np.int64)
    multi = np.flatnonzero(lens[parent] > 1)  # only rows with two names or more can repeat one
    if len(multi):
        keep[multi] = ~pd.Series(parent[multi] * (n_canon + 1) + codes[multi]).duplicated().to_numpy()
    kept = codes[keep]
    values = canon.dictionary.take(pa.array(np.where(kept < n_canon, kept, 0), mask=kept == n_canon))
    offsets = np.zeros(len(lists) + 1, dtype=np.int32)
    np.cumsum(np.bincount(parent[keep], minlength=len(lists)), out=offsets[1:])
    return pa.ListArray.from_arrays(pa.array(offsets), values)


def is_harmonized(corpus) -> bool:
    """Whether the corpus's applicant names were harmonised: it carries a name mapping
    (:meth:`Corpus.harmonize_applicants`) or a filled ``applicants_harmonized`` column (a
    harmonised corpus saved and read back). A corpus without applicants counts as harmonised
    (there is nothing to merge)."""
    if getattr(corpus, "applicant_mapping", None) is not None:
        return True
    t = corpus.table
    if not (pc.sum(pc.list_value_length(t["applicants"])).as_py() or 0):
        return True
    return (pc.sum(pc.list_value_length(t["applicants_harmonized"])).as_py() or 0) > 0


def ensure_harmonized(corpus):
    """The corpus with harmonised applicant names: itself when :func:`is_harmonized`, else
    :meth:`Corpus.harmonize_applicants` with the default options (a corpus harmonised with the
    user's own aliases is kept as it is). Tables that count firms call this, so that
    深圳市大疆创新科技有限公司 and 大疆创新科技有限公司 are one holder whoever calls them.

    >>> import patentnav
    >>> from patentnav.names import ensure_harmonized, is_harmonized
    >>> is_harmonized(ensure_harmonized(patentnav.datasets.drones()))
    True
    """
    return corpus if is_harmonized(corpus) else corpus.harmonize_applicants()


def write_mapping_csv(mapping: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write a raw -> canonical mapping for people to review (UTF-8 with BOM for Excel;
    cells that a spreadsheet would evaluate as formulas are neutralised).

    The file's ``raw,canonical`` columns can be edited and fed back as an alias file
    (rename the header to ``alias,canonical``).
    """
    cols = ["raw", "canonical", "group", "count", "reason", "evidence", "linked_to", "detail", "branch", "key",
            "is_individual", "group_size"]
    _write_csv(mapping, [c for c in cols if c in mapping.columns], path)


def write_links_csv(links: pd.DataFrame, path: str | os.PathLike) -> None:
    """Write every link (``NameHarmonizer.links_``, ``Corpus.applicant_links``) with its
    reason, evidence count and detail; same encoding and formula neutralisation as
    :func:`write_mapping_csv`."""
    _write_csv(links, ["name_a", "name_b", "reason", "evidence", "detail", "key_a", "key_b"], path)


def _write_csv(df: pd.DataFrame, cols: list[str], path) -> None:
    from ..safety import neutralize_csv_cell

    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for row in df[cols].itertuples(index=False):
            w.writerow(["" if v is None or v is pd.NA or (isinstance(v, float) and np.isnan(v)) else neutralize_csv_cell(v)
                        for v in row])
