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

from .._arrow import dedupe_pairs, map_unique, regroup
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
    zh = INDUSTRIES.get(code) or _load().field_names.get(code)
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
def _load() -> _Data:
    pkg = resources.files("patentnav.data")
    rules: dict[int, SeiRule] = {}
    for r in _json_lines(pkg.joinpath("sei.jsonl").read_text(encoding="utf-8")):
        name = NAME_CORRECTIONS.get(r["seiName"], r["seiName"])
        rules[int(r["id"])] = SeiRule(int(r["id"]), r["seiCode"], name, r.get("keywords"))
    exact: dict[str, list[int]] = {}
    text = gzip.decompress(pkg.joinpath("ipc-sei.jsonl.gz").read_bytes()).decode("utf-8")
    for m in _json_lines(text):
        ids = exact.setdefault(m["ipcCode"], [])
        if m["seiId"] not in ids:
            ids.append(int(m["seiId"]))
    listed_main = frozenset(c.split("/")[0] for c in exact if "/" in c)
    subclasses_with_groups = frozenset(c[:4] for c in exact if "/" in c)
    field_names = {}
    for r in rules.values():
        field_names.setdefault(r.sei_code, r.sei_name)
    return _Data(rules, {c: tuple(sorted(v)) for c, v in exact.items()}, listed_main,
                 subclasses_with_groups, field_names)


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
    d = _load()
    values = [value] if isinstance(value, (str, int, float)) else list(value)
    out: set[str] = set()
    for v in values:
        s = str(v).strip()
        if s in INDUSTRIES:
            out |= {f for f in d.field_names if f.split(".")[0] == s}
        elif s in d.field_names:
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


def sei_mask(ipc_lists, value) -> pa.BooleanArray:
    """True where any IPC code of the row falls in the field(s) or industry(ies) ``value``.

    ``value``: ``"1.5"`` (a field), ``"1"`` (an industry) or a list of them. The level
    rule runs once per distinct code (:func:`map_unique`), never per patent.
    Used by ``Corpus.filter(sei=...)``.
    """
    targets = _targets(value)
    d = _load()
    return pa.array(_row_mask(ipc_lists, lambda c: any(d.rules[i].sei_code in targets for i in _rule_ids(c))))


def has_sei_field(ipc_lists) -> np.ndarray:
    """True where any IPC code of the row maps to some SEI field: the rows of
    :func:`sei_fields_array` that are not empty, without making the lists."""
    return _row_mask(ipc_lists, lambda c: bool(_rule_ids(c)))


def _row_mask(ipc_lists, code_hit) -> np.ndarray:
    """Rows with a code for which ``code_hit(code)`` (run once per distinct code) is true."""
    flat, parent, n = _flat(ipc_lists)
    hit = pc.fill_null(map_unique(flat, code_hit, pa.bool_()), False)
    out = np.zeros(n, dtype=bool)
    out[parent.filter(hit).to_numpy()] = True
    return out


def sei_fields_array(ipc_lists) -> pa.ListArray:
    """Distinct SEI field codes (``"1.5"``) of each row of a list<string> array of IPC codes.

    list<string>, in field order within a row, empty where no code maps.
    """
    d = _load()
    flat, parent, n = _flat(ipc_lists)

    def fields(c):
        return sorted({d.rules[i].sei_code for i in _rule_ids(c)}, key=_field_key)

    per_code = map_unique(flat, fields, pa.list_(pa.string()))
    inner = pc.list_parent_indices(per_code)
    tbl = pa.table({"p": parent.take(inner), "c": pc.list_flatten(per_code)})
    tbl = dedupe_pairs(tbl)
    if tbl.num_rows:  # field codes are all "d.d", so string order is field order
        tbl = tbl.take(pc.sort_indices(tbl, sort_keys=[("p", "ascending"), ("c", "ascending")]))
    return regroup(tbl, n, pa.string())
