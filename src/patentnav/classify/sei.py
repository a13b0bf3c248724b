"""Strategic emerging industries (战略性新兴产业, SEI) from IPC codes.

Source: CNIPA 《战略性新兴产业分类与国际专利分类参照关系表（2021）（试行）》 as shipped in
``data/sei.jsonl`` (321 rules: ``id``, ``seiCode`` 1.1..9.2, ``seiName``, ``keywords``)
and ``data/ipc-sei.jsonl.gz`` (34,598 exact mappings ``ipcCode`` -> ``seiId`` over
34,396 distinct codes). See ``data/PROVENANCE-sei.txt``.

Vocabulary: an *industry* is the first digit (1 新一代信息技术产业 ... 9 相关服务业), a
*field* is a ``seiCode`` such as ``1.5`` (40 fields), a *rule* is one row of the official
table (a field has several rules, each with its own keyword phrase and IPC list).

Level rule (evidence in ``docs/classification.md``). A code gets the fields of:

1. its own entry in the table, if it has one (any level: class, subclass, group);
2. otherwise, for a subgroup, the entry of its main group, if the table lists it;
3. otherwise, for a main group or subgroup, the entry of its subclass, if the table
   lists it, **unless** the table lists groups of that subclass selectively and leaves
   the code's main group out altogether (the main group is in the IPC scheme and neither
   it nor any of its subgroups is listed): such a main group was deliberately left out
   (e.g. C07C is listed under 4.1 but C07C1/00 "preparation of hydrocarbons" is not).

A subclass or class given as input gets only its own entry; nothing is aggregated
upwards from its groups. Subgroup-to-subgroup (dot-level) parents are not used: the
codes do not encode them.

The truncated upstream name of field 5.4 ("新能源汽车相关服") is shown as
"新能源汽车相关服务", the name in the official table.
"""

from __future__ import annotations

import gzip
import json
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import regroup
from .ipc import _CANONICAL_RE2
from .titles import in_scheme, split_code

__all__ = [
    "INDUSTRIES",
    "sei_name",
    "SeiRule",
    "sei_fields",
    "sei_rules",
    "sei_tree",
    "sei_of_code",
    "sei_match",
    "codes_of_field",
    "sei_mask",
    "sei_fields_array",
    "has_sei_field",
]

#: The nine industries (first digit of seiCode), as listed in PROVENANCE-sei.txt.
INDUSTRIES: dict[str, str] = {
    "1": "新一代信息技术产业",
    "2": "高端装备制造产业",
    "3": "新材料产业",
    "4": "生物产业",
    "5": "新能源汽车产业",
    "6": "新能源产业",
    "7": "节能环保产业",
    "8": "数字创意产业",
    "9": "相关服务业",
}

@lru_cache(maxsize=1)
def _names_en() -> dict[str, str]:
    """English names of the industries and fields: patentnav's own translation of the
    CNIPA names (``data/sei_names_en.csv``; CNIPA publishes the table in Chinese only)."""
    import csv

    text = resources.files("patentnav.data").joinpath("sei_names_en.csv").read_text(encoding="utf-8")
    return {r["code"]: r["name_en"] for r in csv.DictReader(text.splitlines())}


def sei_name(code: str, lang: str = "zh") -> str | None:
    """Name of an SEI industry (``"2"``) or field (``"2.2"``) in ``lang``: the official Chinese
    name, or patentnav's English translation of it; None for an unknown code.

    >>> sei_name("2.2", "en")
    'Aviation equipment'
    """
    code = str(code).strip()
    zh = INDUSTRIES.get(code) or _rules()[1].get(code)
    if zh is None:
        return None
    return _names_en().get(code, zh) if lang == "en" else zh


#: Corrections of names stored truncated upstream (documented in docs/classification.md).
NAME_CORRECTIONS: dict[str, str] = {"新能源汽车相关服": "新能源汽车相关服务"}


class SeiRule(NamedTuple):
    id: int
    sei_code: str
    sei_name: str
    keywords: str | None


class _Data(NamedTuple):
    rules: dict[int, SeiRule]
    exact: dict[str, tuple[int, ...]]  # canonical IPC code -> rule ids
    listed_main: frozenset[str]  # "C07C67" for every main group with an entry at or below it
    subclasses_with_groups: frozenset[str]
    field_names: dict[str, str]  # "1.5" -> name


def _json_lines(text: str) -> list:
    """The records of a JSON Lines text (blank lines skipped), parsed as one JSON array: one
    call of the parser instead of one per line (34,598 lines: 0.05 instead of 0.19 s)."""
    return json.loads("[" + ",".join(line for line in text.splitlines() if line.strip()) + "]")


@lru_cache(maxsize=1)
def _rules() -> tuple[dict[int, SeiRule], dict[str, str]]:
    """(rules by id, field names ``"1.5"`` -> name) of ``data/sei.jsonl`` (321 lines)."""
    text = resources.files("patentnav.data").joinpath("sei.jsonl").read_text(encoding="utf-8")
    rules: dict[int, SeiRule] = {}
    for r in _json_lines(text):
        name = NAME_CORRECTIONS.get(r["seiName"], r["seiName"])
        rules[int(r["id"])] = SeiRule(int(r["id"]), r["seiCode"], name, r.get("keywords"))
    field_names: dict[str, str] = {}
    for r in rules.values():
        field_names.setdefault(r.sei_code, r.sei_name)
    return rules, field_names


_MAPPING_SCHEMA = pa.schema([("ipcCode", pa.string()), ("seiId", pa.int64())])


class _Table(NamedTuple):
    """The concordance as Arrow/NumPy, for resolving whole arrays of codes at once."""

    codes: pa.Array  # distinct table codes (``exact``'s keys, in the same order)
    pair_code: np.ndarray  # per distinct (code, rule id) pair: position of the code in ``codes``
    pair_id: np.ndarray  # per pair: the rule id; pairs sorted by (code position, rule id)
    listed_main: pa.Array  # distinct "C07C67" of every main group with an entry at or below it
    subclasses_with_groups: pa.Array  # distinct subclasses with an entry at group level


@lru_cache(maxsize=1)
def _table() -> _Table:
    """``data/ipc-sei.jsonl.gz`` read by pyarrow's JSON reader (one C++ pass: ~0.02 s against
    ~0.2 s for ``json`` plus a dict of 34,396 tuples), then reduced with Arrow kernels."""
    import io

    import pyarrow.json as pj

    raw = gzip.decompress(resources.files("patentnav.data").joinpath("ipc-sei.jsonl.gz").read_bytes())
    t = pj.read_json(io.BytesIO(raw), read_options=pj.ReadOptions(use_threads=False),
                     parse_options=pj.ParseOptions(explicit_schema=_MAPPING_SCHEMA))
    code_col = t["ipcCode"].combine_chunks()
    codes = pc.unique(code_col)  # first-seen order, as the keys of a dict built line by line
    pos = pc.index_in(code_col, value_set=codes).to_numpy().astype(np.int64)
    ids = t["seiId"].to_numpy().astype(np.int64)
    width = int(ids.max(initial=0)) + 1
    key = np.unique(pos * width + ids)  # the distinct (code, rule id) pairs, by (pos, id)
    groups = codes.filter(pc.match_substring(codes, "/"))
    return _Table(codes, key // width, key % width,
                  pc.unique(pc.replace_substring_regex(groups, "/.*", "")),
                  pc.unique(pc.utf8_slice_codeunits(groups, 0, 4)))


@lru_cache(maxsize=1)
def _load() -> _Data:
    """The concordance as Python dicts, for the one-code functions (:func:`sei_of_code`,
    :func:`sei_match`, the tables); built from :func:`_table`."""
    rules, field_names = _rules()
    t = _table()
    bounds = np.flatnonzero(np.diff(t.pair_code)) + 1
    starts = [0, *bounds.tolist()]
    ends = [*bounds.tolist(), len(t.pair_code)]
    ids = t.pair_id.tolist()
    exact = dict(zip(t.codes.to_pylist(), (tuple(ids[a:b]) for a, b in zip(starts, ends))))
    return _Data(rules, exact, frozenset(t.listed_main.to_pylist()),
                 frozenset(t.subclasses_with_groups.to_pylist()), field_names)


# --- resolving one code --------------------------------------------------------------


@lru_cache(maxsize=262_144)
def _resolve(code: str) -> tuple[str | None, str | None, tuple[int, ...]]:
    """(matched table code, how: exact|main_group|subclass, rule ids) for one code."""
    parsed = split_code(code)
    if parsed is None:
        return None, None, ()
    canonical, level, chain = parsed
    d = _load()
    if canonical in d.exact:
        return canonical, "exact", d.exact[canonical]
    if level not in ("main_group", "subgroup"):
        return None, None, ()
    hier = dict(chain)
    main = hier["main_group"]
    if level == "subgroup" and main in d.exact:
        return main, "main_group", d.exact[main]
    sub = hier["subclass"]
    if sub in d.exact:
        prefix = main.split("/")[0]
        omitted = (sub in d.subclasses_with_groups and prefix not in d.listed_main
                   and in_scheme(main))
        if not omitted:
            return sub, "subclass", d.exact[sub]
    return None, None, ()


def _rule_ids(code) -> tuple[int, ...]:
    return _resolve(code)[2] if isinstance(code, str) else ()


def sei_of_code(code: str | None) -> list[tuple[str, str, int]]:
    """SEI fields of one IPC code at any level: ``[(seiCode, seiName, rule_id), ...]``.

    Ordered by rule id; a field appears once per rule that lists the code. Empty when
    the code maps to no field (see the level rule in the module docstring).

    >>> sei_of_code("B64C39/02")[0][:2]
    ('2.2', '航空装备产业')
    """
    d = _load()
    return [(d.rules[i].sei_code, d.rules[i].sei_name, i) for i in _rule_ids(code)]


def sei_match(code: str | None) -> dict:
    """How a code resolves: ``{"code", "matched", "via", "fields"}``.

    ``matched`` is the table entry used (the code itself, its main group or its
    subclass), ``via`` one of ``exact``, ``main_group``, ``subclass`` (None when
    nothing matches), ``fields`` the distinct ``{"code", "name"}`` in field order.
    """
    parsed = split_code(code) if isinstance(code, str) else None
    matched, via, ids = _resolve(code) if isinstance(code, str) else (None, None, ())
    d = _load()
    fields = sorted({d.rules[i].sei_code for i in ids}, key=_field_key)
    return {"code": parsed[0] if parsed else None, "matched": matched, "via": via,
            "fields": [{"code": f, "name": d.field_names[f], "name_en": sei_name(f, "en")} for f in fields]}


# --- the tables ----------------------------------------------------------------------------


def _field_key(f: str) -> tuple[int, ...]:
    return tuple(int(x) for x in f.split("."))


@lru_cache(maxsize=1)
def _field_stats() -> dict[str, dict]:
    d = _load()
    stats: dict[str, dict] = {f: {"rules": 0, "codes": set()} for f in d.field_names}
    for r in d.rules.values():
        stats[r.sei_code]["rules"] += 1
    for code, ids in d.exact.items():
        for i in ids:
            stats[d.rules[i].sei_code]["codes"].add(code)
    return stats


def sei_fields():
    """The 40 fields as a pandas DataFrame.

    Columns: ``code`` (``1.5``), ``name``, ``name_en`` (patentnav's translation),
    ``industry`` (``1``), ``industry_name``, ``n_rules`` (rows of the official table),
    ``n_codes`` (distinct IPC codes listed).
    """
    import pandas as pd

    d = _load()
    st = _field_stats()
    rows = [{"code": f, "name": d.field_names[f], "name_en": sei_name(f, "en"), "industry": f.split(".")[0],
             "industry_name": INDUSTRIES[f.split(".")[0]], "n_rules": st[f]["rules"],
             "n_codes": len(st[f]["codes"])} for f in sorted(d.field_names, key=_field_key)]
    return pd.DataFrame(rows)


def sei_rules():
    """The 321 rules as a pandas DataFrame: ``id``, ``code``, ``name``, ``keywords``, ``n_codes``."""
    import pandas as pd

    d = _load()
    n = {i: 0 for i in d.rules}
    for ids in d.exact.values():
        for i in ids:
            n[i] += 1
    return pd.DataFrame([{"id": r.id, "code": r.sei_code, "name": r.sei_name, "keywords": r.keywords,
                          "n_codes": n[r.id]} for r in sorted(d.rules.values())])


def sei_tree() -> list[dict]:
    """Industries and their fields, for ``patentnav industries``.

    ``[{"code": "1", "name": ..., "name_en", "n_rules", "n_codes", "fields": [{"code": "1.1",
    "name", "name_en", "n_rules", "n_codes"}, ...]}, ...]`` (``name_en``: patentnav's translation); ``n_codes`` counts distinct IPC codes
    listed in the table (an industry counts a code once).
    """
    d = _load()
    st = _field_stats()
    out = []
    for ind, name in INDUSTRIES.items():
        fields = sorted((f for f in d.field_names if f.split(".")[0] == ind), key=_field_key)
        codes: set[str] = set()
        for f in fields:
            codes |= st[f]["codes"]
        out.append({
            "code": ind, "name": name, "name_en": sei_name(ind, "en"),
            "n_rules": sum(st[f]["rules"] for f in fields), "n_codes": len(codes),
            "fields": [{"code": f, "name": d.field_names[f], "name_en": sei_name(f, "en"), "n_rules": st[f]["rules"],
                        "n_codes": len(st[f]["codes"])} for f in fields],
        })
    return out


def _targets(value) -> frozenset[str]:
    """Field codes selected by an industry (``"1"``), a field (``"1.5"``) or several."""
    field_names = _rules()[1]
    values = [value] if isinstance(value, (str, int, float)) else list(value)
    out: set[str] = set()
    for v in values:
        s = str(v).strip()
        if s in INDUSTRIES:
            out |= {f for f in field_names if f.split(".")[0] == s}
        elif s in field_names:
            out.add(s)
        else:
            from ..i18n import LocalizedError

            raise LocalizedError("err.sei_code", code=v)
    return frozenset(out)


def _ipc_order(code: str) -> tuple:
    parsed = split_code(code)
    canonical, level, _ = parsed
    if "/" not in canonical:
        return (canonical.ljust(4, " "), -1, "")
    sub, rest = canonical[:4], canonical[4:]
    grp, sg = rest.split("/")
    return (sub, int(grp), sg.ljust(6, "0"))


def codes_of_field(value) -> list[str]:
    """IPC codes the table lists for a field (``"1.5"``) or an industry (``"1"``), or several.

    Exact table entries only (a listed subclass is returned as the subclass), distinct,
    in IPC order.
    """
    targets = _targets(value)
    d = _load()
    codes = [c for c, ids in d.exact.items() if any(d.rules[i].sei_code in targets for i in ids)]
    return sorted(codes, key=_ipc_order)


# --- vectorised over a corpus -------------------------------------------------------------------


def _flat(lists) -> tuple[pa.Array, pa.Array, int]:
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    return pc.list_flatten(lists).cast(pa.string()), pc.list_parent_indices(lists), len(lists)


def _resolve_array(codes: pa.Array) -> np.ndarray:
    """For each code of a string array, the position in ``_table().codes`` of the table entry it
    resolves to by the level rule (the entry :func:`_resolve` returns), -1 where none or null.

    Canonical subclasses and groups (what the readers store; the RE2 pattern of
    :func:`~patentnav.classify.ipc.normalize_ipc_array`) are resolved with Arrow kernels: the
    code's own entry, else its main group's (``prefix/00``: for a main group that is the code
    itself, already missed, so no level test is needed), else its subclass's unless the main
    group was left out; only those possibly left out are looked up in the scheme
    (:func:`~patentnav.classify.titles.in_scheme`, once each). Any other spelling (sections,
    classes, spaces, lower case, the 14-character form) goes through :func:`_resolve`. Python
    work is per value, so pass distinct codes.
    """
    t = _table()
    n = len(codes)
    out = np.full(n, -1, dtype=np.int64)
    if n == 0:
        return out
    canon = _np_bool(pc.match_substring_regex(codes, _CANONICAL_RE2))
    group = canon & _np_bool(pc.match_substring(codes, "/"))
    prefix = pc.replace_substring_regex(codes, "/.*", "")
    main = pc.binary_join_element_wise(prefix, pa.scalar("/00"), pa.scalar(""))
    sub = pc.utf8_slice_codeunits(codes, 0, 4)
    own, of_main, of_sub = (_positions(a, t.codes) for a in (codes, main, sub))
    out[canon] = own[canon]
    todo = group & (out < 0)
    out[todo] = of_main[todo]
    todo = group & (out < 0) & (of_sub >= 0)
    maybe_left_out = (todo & _np_bool(pc.is_in(sub, value_set=t.subclasses_with_groups))
                      & ~_np_bool(pc.is_in(prefix, value_set=t.listed_main)))
    check = np.flatnonzero(maybe_left_out)
    if check.size:
        left_out = np.array([in_scheme(m) for m in main.take(pa.array(check)).to_pylist()], dtype=bool)
        todo[check[left_out]] = False
    out[todo] = of_sub[todo]
    other = np.flatnonzero(~canon & _np_bool(pc.is_valid(codes)))
    if other.size:
        matched = [_resolve(c)[0] for c in codes.take(pa.array(other)).to_pylist()]
        out[other] = _positions(pa.array(matched, pa.string()), t.codes)
    return out


def _np_bool(arr: pa.Array) -> np.ndarray:
    """A boolean Arrow array as NumPy, null as False."""
    return pc.fill_null(arr, False).to_numpy(zero_copy_only=False)


def _positions(arr: pa.Array, values: pa.Array) -> np.ndarray:
    """Position of each element of ``arr`` in ``values`` (``index_in``), -1 where absent or null."""
    return pc.fill_null(pc.index_in(arr, value_set=values), -1).to_numpy().astype(np.int64)


def _code_positions(flat: pa.Array) -> np.ndarray:
    """:func:`_resolve_array` of every element of ``flat``, resolving each distinct code once."""
    enc = pc.dictionary_encode(flat)
    pos = np.append(_resolve_array(enc.dictionary), -1)
    return pos[pc.fill_null(enc.indices, len(pos) - 1).to_numpy()]


def _entries_with_rules(rule_hit: np.ndarray) -> np.ndarray:
    """Per entry of ``_table().codes``: whether any of its rules has ``rule_hit[id]``."""
    t = _table()
    out = np.zeros(len(t.codes), dtype=bool)
    out[t.pair_code[rule_hit[t.pair_id]]] = True
    return out


def sei_mask(ipc_lists, value) -> pa.BooleanArray:
    """True where any IPC code of the row falls in the field(s) or industry(ies) ``value``.

    ``value``: ``"1.5"`` (a field), ``"1"`` (an industry) or a list of them. The level
    rule runs once per distinct code (:func:`_resolve_array`), never per patent.
    Used by ``Corpus.filter(sei=...)``.
    """
    targets = _targets(value)
    rules, _ = _rules()
    rule_hit = np.zeros(max(max(rules, default=0), int(_table().pair_id.max(initial=0))) + 1, dtype=bool)
    rule_hit[[i for i, r in rules.items() if r.sei_code in targets]] = True
    return pa.array(_row_mask(ipc_lists, _entries_with_rules(rule_hit)))


def has_sei_field(ipc_lists) -> np.ndarray:
    """True where any IPC code of the row maps to some SEI field: the rows of
    :func:`sei_fields_array` that are not empty, without making the lists."""
    return _row_mask(ipc_lists, None)


def _row_mask(ipc_lists, entry_hit: np.ndarray | None) -> np.ndarray:
    """Rows with a code that resolves to a table entry (one with ``entry_hit`` true, if given):
    the distinct codes are resolved once, then a grouped any over the rows (scatter of the
    parent indices of the hits)."""
    flat, parent, n = _flat(ipc_lists)
    out = np.zeros(n, dtype=bool)
    out[parent.filter(_code_hits(flat, entry_hit)).to_numpy()] = True
    return out


def _code_hits(flat: pa.Array, entry_hit: np.ndarray | None) -> pa.BooleanArray:
    """Per element of ``flat``: whether the code resolves to a table entry (one with
    ``entry_hit``, if given); each distinct code resolved once, then broadcast (``take``)."""
    enc = pc.dictionary_encode(flat)
    pos = _resolve_array(enc.dictionary)
    hit = pos >= 0
    if entry_hit is not None:
        hit[hit] = entry_hit[pos[hit]]
    return pc.fill_null(pa.array(hit, pa.bool_()).take(enc.indices), False)


def sei_fields_array(ipc_lists) -> pa.ListArray:
    """Distinct SEI field codes (``"1.5"``) of each row of a list<string> array of IPC codes.

    list<string>, in field order within a row, empty where no code maps. Each distinct code is
    resolved once (:func:`_resolve_array`); the (row, field) pairs are the hit codes expanded
    by their entry's fields (CSR gather), made distinct and ordered with one ``np.unique`` on
    an integer key (row x field; field codes are all "d.d", so string order is field order).
    """
    flat, parent, n = _flat(ipc_lists)
    pos = _code_positions(flat)
    hit = pos >= 0
    rows, entries = parent.to_numpy()[hit], pos[hit]
    e_start, e_field, fields = _entry_fields()
    start, count = e_start[entries], e_start[entries + 1] - e_start[entries]
    within = np.arange(int(count.sum()), dtype=np.int64) - np.repeat(np.cumsum(count) - count, count)
    key = np.unique(np.repeat(rows.astype(np.int64), count) * len(fields)
                    + e_field[np.repeat(start, count) + within])
    tbl = pa.table({"p": key // max(len(fields), 1), "c": fields.take(pa.array(key % max(len(fields), 1)))})
    return regroup(tbl, n, pa.string())


@lru_cache(maxsize=1)
def _entry_fields() -> tuple[np.ndarray, np.ndarray, pa.Array]:
    """The distinct fields of each table entry as CSR: (start of entry ``i``'s fields, field
    positions, the field codes in string order)."""
    rules, field_names = _rules()
    t = _table()
    fields = sorted(field_names)
    field_of_rule = np.zeros(max(max(rules, default=0), int(t.pair_id.max(initial=0))) + 1, dtype=np.int64)
    for i, r in rules.items():
        field_of_rule[i] = fields.index(r.sei_code)
    width = max(len(fields), 1)
    key = np.unique(t.pair_code * width + field_of_rule[t.pair_id])
    start = np.searchsorted(key // width, np.arange(len(t.codes) + 1))
    return start, key % width, pa.array(fields, pa.string())
