"""Administrative-division prefixes of applicant names: 深圳市大疆创新科技 = 大疆创新科技.

A Chinese enterprise name is 行政区划 + 字号 + 行业或者经营特点 + 组织形式 (administrative
division + trade name + industry + legal form; 《企业名称登记管理实施办法》, SAIC 2004, art. 9),
and the division may be written with or without 省/市/县 (SAIC's notes on the 1991
《企业名称登记管理规定》). The same firm therefore appears as 深圳市大疆创新科技有限公司,
深圳大疆创新科技有限公司 and 大疆创新科技有限公司. This module reads the leading divisions of
normalised keys (:func:`division_prefixes`) and links keys that differ only by them
(:func:`division_links`), under these rules:

* **Divisions** come from the project's geo tables (``patentnav/data/geo``): 34 provinces,
  365 prefecture-level cities and 2,824 county-level districts, each with and without its
  suffix (广东省/广东, 深圳市/深圳, 南山区/南山; one-character short forms are not used).
  A district is read only after its own city or province (深圳市南山区...), since a district
  name cannot stand alone as a name's division (art. 11 of the same rules).
* **Chinese script only.** The rule is the Chinese naming rule; in Latin script a place
  word in front of a name is no such evidence (on PatentsView's nber-subset benchmark
  ``Dongguan Universal Electronics Co., Ltd.`` and ``Universal Electronics Inc.`` are two
  firms). Latin-script spellings of Chinese firms meet their Chinese names through patent
  families (:mod:`patentnav.names.families`) or aliases.
* **Distinctive remainder.** A prefix is optional only when what is left has a trade name:
  after removing the legal form and the industry and institution words
  (:data:`~patentnav.names.legal_forms.CJK_INDUSTRY_WORDS`; one-character words such as
  厂, 所, 院 only at the end), at least two Han characters
  (the minimum length of a 字号) or a Latin word of two or more letters not in the list of
  common organisation words. 深圳大学 -> 大学, 深圳技术大学 -> 技术大学 and 北京市科技 -> 科技 keep
  their division.
* **Brackets stay.** A division written after the trade name in brackets is part of the
  name (腾讯科技(深圳)有限公司 is not 腾讯科技(北京)有限公司); only leading divisions are read.
* **One firm per remainder.** Keys with the same remainder are linked when their divisions
  are compatible (equal or nested: 广东 > 深圳 > 南山). When the remainder occurs under two
  places that are not nested (深圳X and 北京X), each prefixed key joins only the keys
  compatible with its own place, and the bare key joins neither (it cannot be told which).

Place names also stop fuzzy links between keys that name different places
(:func:`places_conflict`: ``UNIV XIAN TECH`` and ``UNIV XIAMEN TECH``).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from .legal_forms import ACRONYM_SKIP_WORDS, CJK_GENERIC_ENDINGS, CJK_INDUSTRY_WORDS, LEGAL_FORMS, ORG_WORDS, WORD_STANDARDS

__all__ = ["division_forms", "division_prefixes", "division_links", "is_distinctive", "place_signatures",
           "places_conflict", "MAX_PREFIXES"]

#: At most this many leading divisions are read (广东省深圳市南山区 is three).
MAX_PREFIXES = 3

_HAN_RE = re.compile(r"[\u3400-\u9fff]")


def _code(adcode: str) -> str:
    """Hierarchical code: ``440000`` -> ``44``, ``440300`` -> ``4403``, ``440305`` -> ``440305``."""
    c = str(adcode)[:6]
    while len(c) > 2 and c.endswith("00"):
        c = c[:-2]
    return c


def _latin(names: list[str]) -> list[str]:
    from .normalize import clean_names

    return [x or "" for x in clean_names(names).to_pylist()]


@functools.lru_cache(maxsize=1)
def division_forms() -> pd.DataFrame:
    """Every division form: ``form, code, level, script, after_parent``.

    ``code`` is the hierarchical adcode prefix (``44`` Guangdong, ``4403`` Shenzhen,
    ``440305`` Nanshan); ``after_parent`` marks forms read only after their city or province.
    A form may have several rows (朝阳: 朝阳市 in Liaoning and 朝阳区 in Beijing).
    """
    from ..geo import cities, districts, provinces

    rows = []
    for level, table in (("province", provinces()), ("city", cities())):
        cols = (table[c].tolist() for c in ("adcode", "name_zh", "short_zh", "name_en", "aliases"))
        for adcode, zh, short, en, aliases in zip(*cols):  # plain lists: no pandas row objects
            code = _code(adcode)
            rows += [(f, code, level, "zh", False) for f in dict.fromkeys((zh, short))]
            rows += [(f, code, level, "latin", False) for f in [en, *filter(None, str(aliases).split("|"))]]
    d = districts()  # read after their city only
    rows += [(f, code, "district", "zh", True)
             for code, zh, short in zip(d["adcode"].tolist(), d["name_zh"].tolist(), d["short_zh"].tolist())
             for f in dict.fromkeys((zh, short))]
    out = pd.DataFrame(rows, columns=["form", "code", "level", "script", "after_parent"])
    latin = out["script"] == "latin"
    out.loc[latin, "form"] = _latin(out.loc[latin, "form"].tolist())
    out = out[out["form"].str.len() >= 2].drop_duplicates(ignore_index=True)
    return out


@functools.lru_cache(maxsize=2)
def _form_index(script: str) -> tuple[dict[int, pa.Array], dict[str, list[tuple[str, bool]]]]:
    """Forms by length (Arrow arrays, for ``is_in``) and form -> [(code, after_parent)]."""
    f = division_forms()
    f = f[f["script"] == script]
    index: dict[str, list[tuple[str, bool]]] = {}
    for form, code, after in zip(f["form"].tolist(), f["code"].tolist(), f["after_parent"].tolist()):
        index.setdefault(form, []).append((code, bool(after)))
    by_len: dict[int, list[str]] = {}
    for form in index:
        by_len.setdefault(len(form), []).append(form)
    return {n: pa.array(sorted(v), pa.string()) for n, v in sorted(by_len.items(), reverse=True)}, index


def _leading_form(core: pa.Array, by_len: dict[int, pa.Array]) -> pa.Array:
    """The longest division form each string starts with (and has more text after); null if none."""
    length = pc.utf8_length(core)
    out = pa.nulls(len(core), pa.string())
    for n, forms in by_len.items():  # longest first
        head = pc.utf8_slice_codeunits(core, 0, n)
        hit = pc.and_(pc.is_in(head, value_set=forms), pc.greater(length, n)).fill_null(False)
        out = pc.if_else(pc.and_(hit, pc.is_null(out)), head, out)
    return out


_GENERIC_ZH = "|".join(re.escape(w) for w in sorted(set(CJK_INDUSTRY_WORDS), key=lambda w: (-len(w), w)))
_GENERIC_LATIN = frozenset(
    set(WORD_STANDARDS) | set(WORD_STANDARDS.values()) | set(ORG_WORDS) | set(ACRONYM_SKIP_WORDS)
    | {w for ws in LEGAL_FORMS.values() for w in ws if " " not in w}
    | {"NEW", "GENERAL", "GROUP", "CITY", "PROVINCE", "DISTRICT", "CHINA", "SINO", "ZHONGGUO", "GUOJI"})


def is_distinctive(remainders) -> pa.Array:
    """True where a name remainder keeps a trade name (rule in the module docstring)."""
    arr = remainders if isinstance(remainders, pa.Array) else pa.array(list(remainders), pa.string())
    zh = pc.replace_substring_regex(arr, _GENERIC_ZH, "")
    zh = pc.replace_substring_regex(zh, "[" + CJK_GENERIC_ENDINGS + r"\s]+$", "")
    n_han = pc.utf8_length(pc.replace_substring_regex(zh, r"[^\p{Han}]", ""))
    han_ok = pc.greater_equal(n_han, 2)
    words = pc.split_pattern(pc.replace_substring_regex(arr, r"[^A-Z0-9 ]", " "), " ")
    flat = pc.list_flatten(words)
    keep = pc.and_(pc.greater_equal(pc.utf8_length(flat), 2),
                   pc.invert(pc.is_in(flat, value_set=pa.array(sorted(_GENERIC_LATIN)))))
    keep = pc.and_(keep, pc.match_substring_regex(flat, r"[A-Z]"))
    parents = pc.list_parent_indices(words)
    latin_ok = np.zeros(len(arr), dtype=bool)
    latin_ok[np.asarray(parents.filter(keep).to_numpy())] = True
    return pc.or_(han_ok.fill_null(False), pa.array(latin_ok)).fill_null(False)


def _compatible(a: str, b: str) -> bool:
    return a.startswith(b) or b.startswith(a)


def _refine(current: tuple, candidates: list[tuple[str, bool]]) -> tuple | None:
    """Codes after reading one more division: those nested under the current ones (None: reject)."""
    if not current:
        ok = [c for c, after_parent in candidates if not after_parent]
        return tuple(sorted(set(ok))) or None
    ok = [c for c, _ in candidates if any(c.startswith(p) or p.startswith(c) for p in current)]
    if not ok:
        return None
    # keep the most specific reading of each chain
    return tuple(sorted({max([c, *[p for p in current if _compatible(p, c)]], key=len) for c in ok}))


def division_prefixes(keys) -> pd.DataFrame:
    """Leading divisions of normalised keys.

    Returns a frame aligned with ``keys``: ``prefix`` (the division text read, "" if none),
    ``core`` (the key without it) and ``codes`` (tuple of hierarchical adcodes; several when
    the prefix is ambiguous, e.g. 朝阳).

    >>> division_prefixes(["深圳市大疆创新科技", "深圳大学", "广东省深圳市南山区大疆创新科技"]).core.tolist()
    ['大疆创新科技', '深圳大学', '大疆创新科技']
    """
    karr = keys if isinstance(keys, pa.Array) else pa.array(list(keys), pa.string())
    n = len(karr)
    core = np.asarray(karr.to_pylist(), dtype=object)
    codes = np.empty(n, dtype=object)
    codes[:] = [()] * n
    prefix = np.full(n, "", dtype=object)
    by_len, index = _form_index("zh")  # Chinese script only (see the module docstring)
    for _ in range(MAX_PREFIXES):
        form = _leading_form(pa.array(core, pa.string()), by_len)
        hit = np.asarray(pc.is_valid(form).to_numpy(zero_copy_only=False), dtype=bool)
        if not hit.any():
            break
        rows = np.flatnonzero(hit)
        d = np.asarray(form.filter(pa.array(hit)).to_pylist(), dtype=object)
        rest = np.asarray([c[len(f):].strip() for c, f in zip(core[rows], d)], dtype=object)
        distinct = np.asarray(is_distinctive(pa.array(rest, pa.string())).to_numpy(zero_copy_only=False), dtype=bool)
        changed = False
        for k, i in enumerate(rows):  # names that start with a division only
            if not distinct[k]:
                continue
            new = _refine(codes[i], index[d[k]])
            if new is None:
                continue
            codes[i], core[i], prefix[i] = new, rest[k], prefix[i] + d[k]
            changed = True
        if not changed:
            break
    return pd.DataFrame({"prefix": [p.strip() for p in prefix], "core": core, "codes": codes})


def division_links(keys) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Links ``(i, j, prefix)`` between keys that differ only by compatible divisions.

    ``prefix`` is the division text that key ``i`` drops to meet ``j`` (rules in the module
    docstring).
    """
    karr = keys if isinstance(keys, pa.Array) else pa.array(list(keys), pa.string())
    dp = division_prefixes(karr)
    dp["i"] = np.arange(len(dp))
    has = dp["prefix"] != ""
    core = pa.array(dp["core"].to_numpy(dtype=object), pa.string(), from_pandas=True)
    shared = pc.is_in(core, value_set=pc.unique(core.filter(pa.array(has.to_numpy())))).fill_null(False)
    cand = dp[np.asarray(shared.to_numpy(zero_copy_only=False), dtype=bool)]  # keys whose core some prefixed key has
    rows, cols, detail = [], [], []
    for _, g in cand.groupby("core", sort=True):  # one small group per shared remainder
        if len(g) < 2:
            continue
        links = _links_within(g["i"].tolist(), g["prefix"].tolist(), g["codes"].tolist())
        for i, j, p in links:
            rows.append(i), cols.append(j), detail.append(p)
    return (np.asarray(rows, dtype=np.int64), np.asarray(cols, dtype=np.int64), np.asarray(detail, dtype=object))


def _links_within(idx: list, prefixes: list, codes: list) -> list[tuple[int, int, str]]:
    """Links among the keys sharing one remainder (bare keys have prefix "")."""
    # one code per prefixed key; an ambiguous prefix (several readings) stands for its own text
    own = {i: (c[0] if len(c) == 1 else "?" + p) for i, p, c in zip(idx, prefixes, codes) if p}
    bare = [i for i, p in zip(idx, prefixes) if not p]
    leaves = sorted({c for c in own.values()
                     if c.startswith("?") or not any(o != c and o.startswith(c) for o in own.values())})
    prefix_of = dict(zip(idx, prefixes))
    if len(leaves) == 1:  # one place (or none): one firm
        anchor = bare[0] if bare else min(own)
        return [(int(i), int(anchor), prefix_of[i]) for i in idx if i != anchor]
    anchor_of = {}
    for i in sorted(own):
        anchor_of.setdefault(own[i], i)
    out = []
    for i, c in own.items():
        fits = [c] if c.startswith("?") else [lf for lf in leaves if not lf.startswith("?") and _compatible(c, lf)]
        if len(fits) == 1 and anchor_of.get(fits[0], i) != i:
            out.append((int(i), int(anchor_of[fits[0]]), prefix_of[i]))
    return out


def _codes_by_form(forms: list, codes: list) -> dict[str, tuple]:
    """form -> its distinct codes, sorted."""
    out: dict[str, set] = {}
    for form, code in zip(forms, codes):
        out.setdefault(form, set()).add(code)
    return {form: tuple(sorted(c)) for form, c in out.items()}


@functools.lru_cache(maxsize=1)
def _place_patterns() -> tuple[tuple[tuple[int, frozenset[str]], ...], dict[str, tuple[str, ...]]]:
    """(the forms with Chinese characters by length, longest first; form -> codes)."""
    f = division_forms()
    zh = f[(f["script"] == "zh") & ~f["after_parent"]]
    latin = f[f["script"] == "latin"]
    codes = _codes_by_form(zh["form"].tolist(), zh["code"].tolist())
    codes.update(_codes_by_form(latin["form"].tolist(), latin["code"].tolist()))
    from ..geo import _EN_COUNTRIES

    for k, cc in _EN_COUNTRIES.items():
        codes.setdefault(k.upper(), ("C" + cc,))
    by_len: dict[int, set[str]] = {}
    for k in codes:
        if _HAN_RE.search(k):
            by_len.setdefault(len(k), set()).add(k)
    return tuple((n, frozenset(v)) for n, v in sorted(by_len.items(), reverse=True)), codes


def _find_forms(text: str, by_len) -> list[str]:
    """The forms in ``text``, left to right, the longest at each place, not overlapping: what
    ``re.findall`` finds with the forms as one alternation, longest first (as
    ``"|".join(sorted(forms, key=lambda s: (-len(s), s)))``), without compiling thousands
    of alternatives."""
    out, i, n = [], 0, len(text)
    while i < n:
        for length, forms in by_len:
            if text[i:i + length] in forms:
                out.append(text[i:i + length])
                i += length
                break
        else:
            i += 1
    return out


def place_signatures(keys) -> np.ndarray:
    """The places each key names, as a ``|``-joined string of their most specific codes
    ("" when none): Chinese divisions (hierarchical adcodes), their pinyin, country names
    (``CUS``). Used by :func:`places_conflict`."""
    zh_forms, codes = _place_patterns()

    def sig(k: str | None) -> str:
        if not k:
            return ""
        found = set()
        if _HAN_RE.search(k):
            for form in _find_forms(k, zh_forms):
                found.update(codes[form])
        words = k.split(" ")
        for w in [*words, *(a + " " + b for a, b in zip(words, words[1:]))]:
            found.update(codes.get(w, ()))
        leaves = {c for c in found if not any(o != c and o.startswith(c) for o in found)}
        return "|".join(sorted(leaves))

    karr = keys if isinstance(keys, pa.Array) else pa.array(list(keys), pa.string())
    from .._arrow import map_unique

    return np.asarray(map_unique(karr, sig).to_pylist(), dtype=object)


def places_conflict(sig_a: np.ndarray, sig_b: np.ndarray) -> np.ndarray:
    """True where both keys name places and no place of one is nested with a place of the
    other (``UNIV XIAN TECH`` / ``UNIV XIAMEN TECH``; 腾讯科技(深圳) / 腾讯科技(北京))."""
    out = np.zeros(len(sig_a), dtype=bool)
    check = np.flatnonzero((sig_a != "") & (sig_b != "") & (sig_a != sig_b))
    for k in check:  # candidate links only (typo pairs), never all pairs
        a, b = sig_a[k].split("|"), sig_b[k].split("|")
        out[k] = not any(_compatible(x, y) for x in a for y in b)
    return out

