"""Speed work on the bundled-sample report (issue 16, lane ``sei``): the SEI concordance resolved
over arrays of codes with Arrow kernels, its data read with pyarrow's JSON reader, and
``truncate_array`` with string kernels. Each rewritten function against its former definition
(copied here as the oracle) on the shipped tables and on random and edge-case inputs.
"""

from __future__ import annotations

import gzip
import json
import random
from functools import lru_cache
from importlib import resources

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from patentnav._arrow import dedupe_pairs, map_distinct, map_unique, regroup
from patentnav.classify import ipc, sei, titles

DATA = resources.files("patentnav.data")


# --- the former definitions (oracles) ------------------------------------------------------------


@lru_cache(maxsize=1)
def _old_load() -> sei._Data:
    """The former ``sei._load``: ``json`` per line, dicts built line by line."""
    rules = {}
    for line in DATA.joinpath("sei.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            name = sei.NAME_CORRECTIONS.get(r["seiName"], r["seiName"])
            rules[int(r["id"])] = sei.SeiRule(int(r["id"]), r["seiCode"], name, r.get("keywords"))
    exact: dict[str, list[int]] = {}
    text = gzip.decompress(DATA.joinpath("ipc-sei.jsonl.gz").read_bytes()).decode("utf-8")
    for line in text.splitlines():
        if line.strip():
            m = json.loads(line)
            ids = exact.setdefault(m["ipcCode"], [])
            if m["seiId"] not in ids:
                ids.append(int(m["seiId"]))
    listed_main = frozenset(c.split("/")[0] for c in exact if "/" in c)
    subclasses_with_groups = frozenset(c[:4] for c in exact if "/" in c)
    field_names: dict[str, str] = {}
    for r in rules.values():
        field_names.setdefault(r.sei_code, r.sei_name)
    return sei._Data(rules, {c: tuple(sorted(v)) for c, v in exact.items()}, listed_main,
                     subclasses_with_groups, field_names)


@lru_cache(maxsize=None)
def _old_resolve(code: str):
    """The former ``sei._resolve``."""
    parsed = titles.split_code(code)
    if parsed is None:
        return None, None, ()
    canonical, level, chain = parsed
    d = _old_load()
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
                   and titles.in_scheme(main))
        if not omitted:
            return sub, "subclass", d.exact[sub]
    return None, None, ()


def _old_rule_ids(code) -> tuple[int, ...]:
    return _old_resolve(code)[2] if isinstance(code, str) else ()


def _old_row_mask(ipc_lists, code_hit) -> np.ndarray:
    flat, parent, n = sei._flat(ipc_lists)
    hit = pc.fill_null(map_unique(flat, code_hit, pa.bool_()), False)
    out = np.zeros(n, dtype=bool)
    out[parent.filter(hit).to_numpy()] = True
    return out


def _old_has_sei_field(ipc_lists) -> np.ndarray:
    return _old_row_mask(ipc_lists, lambda c: bool(_old_rule_ids(c)))


def _old_sei_mask(ipc_lists, value) -> pa.BooleanArray:
    targets = sei._targets(value)
    d = _old_load()
    return pa.array(_old_row_mask(ipc_lists, lambda c: any(d.rules[i].sei_code in targets for i in _old_rule_ids(c))))


def _old_sei_fields_array(ipc_lists) -> pa.ListArray:
    d = _old_load()
    flat, parent, n = sei._flat(ipc_lists)

    def fields(c):
        return sorted({d.rules[i].sei_code for i in _old_rule_ids(c)}, key=sei._field_key)

    per_code = map_unique(flat, fields, pa.list_(pa.string()))
    inner = pc.list_parent_indices(per_code)
    tbl = pa.table({"p": parent.take(inner), "c": pc.list_flatten(per_code)})
    tbl = dedupe_pairs(tbl)
    if tbl.num_rows:
        tbl = tbl.take(pc.sort_indices(tbl, sort_keys=[("p", "ascending"), ("c", "ascending")]))
    return regroup(tbl, n, pa.string())


def _old_truncate_array(arr: pa.Array, level: str) -> pa.Array:
    if level not in ipc.LEVELS:
        raise ValueError(level)
    return map_unique(arr.cast(pa.string()), lambda c: ipc.truncate(c, level) if c else None)


# --- inputs ---------------------------------------------------------------------------------------

ODD = ["", " ", "X", "ZZZ", "H", "h", "H04", "h04", "H 04", "C08", "A01B", "a01b", "H04W 72/04", "h04w72/04",
       "H04W72/040", "H04W0072040000", "A01B0001020000", "H04W72", "H04W 72", "H04W72/0", "H04W72/4",
       "H04W0/00", "H04W00072/04", "B64C39/024", "B64C 39/024", "B64U10/13", "b64u10/13", "Y02E10/50",
       "Y02E", "B64C2201/123", "B64C2201/12", " G16H10/60 ", "G16H10/60", "G06F19/00", "C07C67/08",
       "C07C67/00", "C07C", "B22D5/00", "H04W72/04 (2009.01)", "Ｈ０４Ｗ７２／０４", "I01B1/00",
       "H04W10000/00", "H04W72/1234567", "H04W72/123456", "A01B1/00/00", "A01B1/0a", "\t", "A01B-1/02"]


def _random_codes(rng: random.Random, n: int) -> list[str | None]:
    """Codes from the table, the scheme, random groups under table subclasses, odd spellings, None."""
    table = sorted(_old_load().exact)
    scheme = sorted(titles.scheme_codes())
    out: list[str | None] = []
    for _ in range(n):
        r = rng.random()
        if r < 0.25:
            out.append(rng.choice(table))
        elif r < 0.5:
            out.append(rng.choice(scheme))
        elif r < 0.85:
            sub = rng.choice(table)[:4]
            out.append(f"{sub}{rng.randint(1, 9999)}/{rng.choice(['00', '02', '021', '10', '1', '0', '0201', '99'])}")
        elif r < 0.97:
            out.append(rng.choice(ODD))
        else:
            out.append(None)
    return out


def _random_lists(rng: random.Random, n_rows: int) -> pa.ListArray:
    codes = _random_codes(rng, 4 * n_rows)
    rows, k = [], 0
    for _ in range(n_rows):
        r = rng.random()
        if r < 0.05:
            rows.append(None)
            continue
        m = rng.choice([0, 1, 1, 2, 3, 5, 8])
        rows.append(codes[k:k + m])
        k += m
    return pa.array(rows, pa.list_(pa.string()))


EDGE_LISTS = [
    pa.array([], pa.list_(pa.string())),
    pa.array([None], pa.list_(pa.string())),
    pa.array([[]], pa.list_(pa.string())),
    pa.array([[None]], pa.list_(pa.string())),
    pa.array([["H04W72/04"]], pa.list_(pa.string())),
    pa.array([["C07C67/08", "C07C"], None, [], ["B64C39/024", None, "b64c 39/024"]], pa.list_(pa.string())),
    pa.array([ODD], pa.list_(pa.string())),
    pa.array([[c] for c in ODD], pa.list_(pa.string())),
    pa.array([["A01B1/02"], ["H04W72/04"]], pa.list_(pa.large_string())),
    pa.chunked_array([pa.array([["A01B1/02"], None], pa.list_(pa.string())),
                      pa.array([["G16H10/60", "C07C67/00"]], pa.list_(pa.string()))]),
]


# --- the data -------------------------------------------------------------------------------------


def test_load_equals_former():
    new, old = sei._load(), _old_load()
    assert new == old
    assert list(new.rules) == list(old.rules) and list(new.exact) == list(old.exact)
    assert list(new.field_names) == list(old.field_names)
    assert all(type(i) is int for ids in new.exact.values() for i in ids)


def test_table_matches_the_dicts():
    t, d = sei._table(), _old_load()
    assert t.codes.to_pylist() == list(d.exact)
    pairs = list(zip(t.pair_code.tolist(), t.pair_id.tolist()))
    assert pairs == [(k, i) for k, c in enumerate(d.exact) for i in d.exact[c]]
    assert set(t.listed_main.to_pylist()) == d.listed_main and t.listed_main.null_count == 0
    assert set(t.subclasses_with_groups.to_pylist()) == d.subclasses_with_groups
    assert sei._rules() == (d.rules, d.field_names)


def test_entry_fields_csr():
    start, field, fields = sei._entry_fields()
    d = _old_load()
    names = fields.to_pylist()
    assert names == sorted(d.field_names)
    for k, c in enumerate(d.exact):
        got = [names[f] for f in field[start[k]:start[k + 1]]]
        assert got == sorted({d.rules[i].sei_code for i in d.exact[c]}), c


# --- resolving arrays of codes ---------------------------------------------------------------------


def _resolve_oracle(codes: list) -> list[int]:
    pos = {c: k for k, c in enumerate(_old_load().exact)}
    return [-1 if not isinstance(c, str) or _old_resolve(c)[0] is None else pos[_old_resolve(c)[0]] for c in codes]


def test_resolve_array_every_table_and_scheme_code():
    d = _old_load()
    subs = {c[:4] for c in d.exact}
    codes = list(d.exact) + sorted(c for c in titles.scheme_codes() if c[:4] in subs)
    assert sei._resolve_array(pa.array(codes, pa.string())).tolist() == _resolve_oracle(codes)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_resolve_array_random(seed):
    codes = _random_codes(random.Random(seed), 20_000)
    assert sei._resolve_array(pa.array(codes, pa.string())).tolist() == _resolve_oracle(codes)


@pytest.mark.parametrize("codes", [[], [None], ["H04W72/04"], ["C07C67/08"], ODD, ODD + [None] + ODD])
def test_resolve_array_edge_cases(codes):
    assert sei._resolve_array(pa.array(codes, pa.string())).tolist() == _resolve_oracle(codes)


# --- the corpus functions --------------------------------------------------------------------------


def _all_lists():
    rng = random.Random(7)
    return EDGE_LISTS + [_random_lists(rng, n) for n in (1, 2, 50, 3_000)]


@pytest.mark.parametrize("k", range(len(EDGE_LISTS) + 4))
def test_has_sei_field_equals_former(k):
    lists = _all_lists()[k]
    got = sei.has_sei_field(lists)
    assert got.dtype == bool and got.tolist() == _old_has_sei_field(lists).tolist()


@pytest.mark.parametrize("k", range(len(EDGE_LISTS) + 4))
@pytest.mark.parametrize("value", ["1", "2.2", ["3", "2.1"], "9", ["4.1", "7"], "5.4"])
def test_sei_mask_equals_former(k, value):
    lists = _all_lists()[k]
    got = sei.sei_mask(lists, value)
    assert got.type == pa.bool_() and got.to_pylist() == _old_sei_mask(lists, value).to_pylist()


@pytest.mark.parametrize("k", range(len(EDGE_LISTS) + 4))
def test_sei_fields_array_equals_former(k):
    lists = _all_lists()[k]
    got, old = sei.sei_fields_array(lists), _old_sei_fields_array(lists)
    assert got.type == old.type and got.to_pylist() == old.to_pylist()
    assert got.null_count == 0


def test_corpus_functions_on_the_sample():
    import patentnav.datasets

    lists = patentnav.datasets.drones().table["ipc"]
    assert sei.has_sei_field(lists).tolist() == _old_has_sei_field(lists).tolist()
    assert sei.sei_mask(lists, "1").equals(_old_sei_mask(lists, "1"))
    assert sei.sei_fields_array(lists).equals(_old_sei_fields_array(lists))


# --- truncate_array ---------------------------------------------------------------------------------


def _truncate_inputs():
    rng = random.Random(3)
    scheme = sorted(titles.scheme_codes())
    random_codes = _random_codes(rng, 5_000) + rng.sample(scheme, 5_000)
    return [[], [None], [""], ["H04W72/04"], ODD, ODD + [None, None] + ODD, random_codes]


@pytest.mark.parametrize("level", ipc.LEVELS)
@pytest.mark.parametrize("k", range(7))
def test_truncate_array_equals_former(level, k):
    codes = _truncate_inputs()[k]
    for arr in (pa.array(codes, pa.string()), pa.array(codes, pa.large_string()),
                pa.chunked_array([pa.array(codes[:3], pa.string()), pa.array(codes[3:], pa.string())])):
        got, old = ipc.truncate_array(arr, level), _old_truncate_array(arr, level)
        assert got.type == old.type == pa.string()
        assert got.to_pylist() == old.to_pylist(), level


def test_truncate_array_unknown_level():
    with pytest.raises(ValueError):
        ipc.truncate_array(pa.array(["H04W72/04"]), "group")


def test_map_distinct_keeps_nulls_and_order():
    arr = pa.array(["b", None, "a", "b", None])
    got = map_distinct(arr, lambda v: pc.utf8_upper(v))
    assert got.to_pylist() == ["B", None, "A", "B", None]
    assert map_unique(arr, str.upper).to_pylist() == got.to_pylist()
    assert map_distinct(pa.array([], pa.string()), pc.utf8_upper).to_pylist() == []


# --- parse_ipc: canonical codes without the general parser ----------------------------------------


def _old_parse_ipc(text):
    """The former ``parse_ipc`` (every input through NFKC, the 14-character and symbol patterns)."""
    import unicodedata

    if text is None:
        return None
    s = unicodedata.normalize("NFKC", text).strip().upper()
    if not s:
        return None
    m = ipc._WIPO14.match(s)
    if m:
        sub, grp, sg = m.groups()
        if sub[0] not in ipc._SECTIONS or int(grp) == 0:
            return None
        return ipc.IpcCode(sub, int(grp), ipc._subgroup(sg))
    m = ipc._SYMBOL.match(s)
    if not m:
        return None
    sec, cls, letter, grp, sg = m.groups()
    sub = f"{sec}{cls}{letter}"
    if grp is None:
        return ipc.IpcCode(sub)
    g = int(grp)
    if g == 0:
        return None
    if sg is None:
        return ipc.IpcCode(sub, g, "00")
    return ipc.IpcCode(sub, g, ipc._subgroup(sg.zfill(2)))


def _parse_inputs() -> list:
    rng = random.Random(11)
    scheme = sorted(titles.scheme_codes())
    out = list(ODD) + [None, "H04W72/04\n", "\nH04W72/04", "H04W72/04 ", "H04W72/04\t", "H04W72/04x",
                       "A01B1/00", "A01B1/10", "A01B1/100", "A01B1/1000001", "A01B0/00", "A01B01/00",
                       "A01B1/000", "A01B10000/00", "Y10S", "Y10T29/49", "J01B1/00", "A0B1/00", "A01BB1/00",
                       "B64C2201/123", "B64C2201/1230", "A01B1/02 (2006.01)", "ａ０１ｂ１／０２"]
    out += rng.sample(scheme, 10_000) + [c for c in _random_codes(rng, 10_000)]
    chars = "ABCDEFGHYZab0123456789/ -"
    out += ["".join(rng.choice(chars) for _ in range(rng.randint(0, 12))) for _ in range(5_000)]
    return out


def test_parse_ipc_equals_former():
    for text in _parse_inputs():
        new, old = ipc.parse_ipc(text), _old_parse_ipc(text)
        assert new == old, text
        assert (str(new) if new else None) == (str(old) if old else None)


def test_canonical_pattern_is_the_re2_one():
    """The Python fast path and the RE2 pattern of ``normalize_ipc_array`` accept the same codes."""
    codes = [c for c in _parse_inputs() if isinstance(c, str)]
    re2 = pc.match_substring_regex(pa.array(codes, pa.string()), ipc._CANONICAL_RE2).to_pylist()
    assert [ipc._CANONICAL.fullmatch(c) is not None for c in codes] == re2
