"""Speed work on the bundled-sample report (issue 16, lane ``sample``): each rewritten function
against its former definition (copied here as the oracle), on the shipped tables and on
random and edge-case inputs.
"""

from __future__ import annotations

import gzip
import json
import random
from functools import lru_cache
from importlib import resources

import pytest

from patentnav.classify import sei, titles

DATA = resources.files("patentnav.data")


# --- classify.sei._load: one JSON parse per file, not per line --------------------------------


def _old_sei_load():
    """The former ``sei._load`` (one ``json.loads`` per line)."""
    rules = {}
    for line in DATA.joinpath("sei.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            r = json.loads(line)
            name = sei.NAME_CORRECTIONS.get(r["seiName"], r["seiName"])
            rules[int(r["id"])] = sei.SeiRule(int(r["id"]), r["seiCode"], name, r.get("keywords"))
    exact = {}
    text = gzip.decompress(DATA.joinpath("ipc-sei.jsonl.gz").read_bytes()).decode("utf-8")
    for line in text.splitlines():
        if line.strip():
            m = json.loads(line)
            ids = exact.setdefault(m["ipcCode"], [])
            if m["seiId"] not in ids:
                ids.append(int(m["seiId"]))
    listed_main = frozenset(c.split("/")[0] for c in exact if "/" in c)
    subclasses_with_groups = frozenset(c[:4] for c in exact if "/" in c)
    field_names = {}
    for r in rules.values():
        field_names.setdefault(r.sei_code, r.sei_name)
    return sei._Data(rules, {c: tuple(sorted(v)) for c, v in exact.items()}, listed_main,
                     subclasses_with_groups, field_names)


def test_sei_load_equals_former():
    new, old = sei._load(), _old_sei_load()
    assert new == old
    assert list(new.rules) == list(old.rules) and list(new.exact) == list(old.exact)
    assert list(new.field_names) == list(old.field_names)


@pytest.mark.parametrize("text, expected", [
    ("", []),
    ("\n\n  \n", []),
    ('{"a": 1}', [{"a": 1}]),
    ('{"a": 1}\n\n{"a": [2, null]}\r\n', [{"a": 1}, {"a": [2, None]}]),
])
def test_json_lines_edge_cases(text, expected):
    assert sei._json_lines(text) == expected == [json.loads(x) for x in text.splitlines() if x.strip()]


# --- classify.titles.in_scheme / sei._resolve ---------------------------------------------------


def _random_codes(rng: random.Random, n: int) -> list[str]:
    """IPC-like codes, valid and not: groups in and out of the scheme, odd spacing, junk."""
    scheme = sorted(titles.scheme_codes())
    table = sorted(sei._load().exact)
    out = []
    for _ in range(n):
        r = rng.random()
        if r < 0.3:
            out.append(rng.choice(scheme))
        elif r < 0.5:
            out.append(rng.choice(table))
        elif r < 0.9:
            sub = rng.choice(table)[:4]
            out.append(f"{sub}{rng.randint(1, 9999)}/{rng.choice(['00', '02', '021', '10', '1', '0'])}")
        else:
            out.append(rng.choice(["", "X", "Y02E10/50", "B64C 39/024", "b64u10/13", "H04", "A01B0001020000", "ZZZ"]))
    return out


def test_in_scheme_equals_membership_of_scheme_codes():
    scheme = titles.scheme_codes()
    rng = random.Random(0)
    codes = list(scheme) + _random_codes(rng, 20_000)
    for c in codes:
        parsed = titles.split_code(c)
        if parsed is None:
            continue
        assert titles.in_scheme(parsed[0]) == (parsed[0] in scheme), c


@lru_cache(maxsize=None)
def _old_resolve(code: str):
    """The former ``sei._resolve`` (membership in ``scheme_codes()``)."""
    parsed = titles.split_code(code)
    if parsed is None:
        return None, None, ()
    canonical, level, chain = parsed
    d = sei._load()
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
                   and main in titles.scheme_codes())
        if not omitted:
            return sub, "subclass", d.exact[sub]
    return None, None, ()


def test_resolve_equals_former():
    rng = random.Random(1)
    d = sei._load()
    # every group of the scheme under a subclass the table lists, plus random codes
    subs = {c[:4] for c in d.exact}
    codes = [c for c in titles.scheme_codes() if c[:4] in subs and "/" in c] + _random_codes(rng, 20_000)
    for c in codes:
        assert sei._resolve(c) == _old_resolve(c), c


# --- report.charts.Figures: the template put in the figure dict, not copied by plotly ------------


def _old_figure_dict(chart: dict, lang: str) -> dict:
    """The former ``Figures`` entry: ``make_figure(chart, lang).to_dict()`` (the template set
    by name, which plotly copies and validates)."""
    from patentnav.report.charts import make_figure

    return make_figure(chart, lang).to_dict()


def test_figures_equal_former(landscape_reports):
    from patentnav.report.charts import Figures, report_charts

    for lang, report in landscape_reports.items():
        lang = "zh" if lang == "zh" else "en"
        figures = Figures(lang)
        charts = report_charts(report)
        assert charts
        for chart in charts:
            new, old = figures(chart), _old_figure_dict(chart, lang)
            assert json.dumps(new) == json.dumps(old)  # same content, same key order
            assert new["layout"]["template"] == old["layout"]["template"]
        # each figure has its own template (a writer may change one without touching the others)
        firsts = [figures(c)["layout"]["template"] for c in charts]
        assert len({id(t) for t in firsts}) == len(firsts)


def test_figures_edge_cases():
    """Empty charts, a broken chart, and a figure made outside Figures keeps the named template."""
    from patentnav.report.charts import Figures, make_figure

    empty = [{"kind": "trend", "data": {"years": [], "counts": []}},
             {"kind": "field_network", "data": {"nodes": [], "edges": []}},
             {"kind": "main_path", "data": {"nodes": [], "edges": []}, "note": "none"},
             {"kind": "trend", "data": {"years": [2020], "counts": [1], "incomplete": [False]}}]
    for lang in ("en", "zh"):
        figures = Figures(lang)
        for chart in empty:
            assert json.dumps(figures(chart)) == json.dumps(_old_figure_dict(chart, lang))
        with pytest.raises(ValueError):
            figures({"kind": "no such kind", "data": {}})
    fig = make_figure(empty[0], "en")
    assert fig.layout.template.layout.plot_bgcolor == "white"  # plotly_white, not a stand-in


# --- names.divisions: place signatures without the compiled alternation ------------------------


def _old_place_patterns():
    """The former ``divisions._place_patterns`` (a compiled alternation of the Chinese forms)."""
    import re

    from patentnav.geo import _EN_COUNTRIES
    from patentnav.names import divisions as dv

    f = dv.division_forms()
    zh = f[(f["script"] == "zh") & ~f["after_parent"]]
    codes = {form: tuple(sorted(set(g))) for form, g in zh.groupby("form")["code"]}
    for form, g in f[f["script"] == "latin"].groupby("form")["code"]:
        codes[form] = tuple(sorted(set(g)))
    for k, cc in _EN_COUNTRIES.items():
        codes.setdefault(k.upper(), ("C" + cc,))
    forms = sorted((k for k in codes if dv._HAN_RE.search(k)), key=lambda s: (-len(s), s))
    return re.compile("|".join(re.escape(s) for s in forms)), codes


def _old_place_signatures(keys):
    """The former ``divisions.place_signatures``."""
    from patentnav.names import divisions as dv

    zh_re, codes = _old_place_patterns()

    def sig(k):
        if not k:
            return ""
        found = set()
        if dv._HAN_RE.search(k):
            for form in zh_re.findall(k):
                found.update(codes[form])
        words = k.split(" ")
        for w in [*words, *(a + " " + b for a, b in zip(words, words[1:]))]:
            found.update(codes.get(w, ()))
        leaves = {c for c in found if not any(o != c and o.startswith(c) for o in found)}
        return "|".join(sorted(leaves))

    return [None if k is None else sig(k) for k in keys]  # map_unique keeps nulls


def _place_keys(rng: random.Random, n: int) -> list:
    """Names made of division forms (Chinese and Latin), their pieces and other text."""
    from patentnav.names import divisions as dv

    f = dv.division_forms()
    forms = f["form"].tolist()
    filler = ["科技", "有限公司", "大学", "UNIV", "TECH", "CO", "", " ", "(", ")", "市", "省", "区", "A", "x"]
    out = [None, "", " ", "深圳", "深圳市南山区", "UNIV XIAN TECH", "UNIV XIAMEN TECH", "腾讯科技(深圳)", "腾讯科技(北京)"]
    for _ in range(n):
        parts = []
        for _ in range(rng.randint(1, 5)):
            r = rng.random()
            if r < 0.5:
                parts.append(rng.choice(forms))
            elif r < 0.7:
                w = rng.choice(forms)
                parts.append(w[: rng.randint(0, len(w))])
            else:
                parts.append(rng.choice(filler))
        out.append(("" if rng.random() < 0.5 else " ").join(parts))
    return out


def test_place_patterns_codes_equal_former():
    from patentnav.names import divisions as dv

    by_len, codes = dv._place_patterns()
    old_re, old_codes = _old_place_patterns()
    assert codes == old_codes
    assert sorted(f for _, fs in by_len for f in fs) == sorted(k for k in old_codes if dv._HAN_RE.search(k))


def test_place_signatures_equal_former(drones):
    from patentnav.names import divisions as dv

    rng = random.Random(2)
    keys = _place_keys(rng, 5_000)
    names = [n for ns in drones.table["applicants"].to_pylist() for n in (ns or [])]
    keys += names[:5_000]
    assert list(dv.place_signatures(keys)) == _old_place_signatures(keys)
    assert list(dv.place_signatures([])) == []
    assert list(dv.place_signatures(["深圳"])) == _old_place_signatures(["深圳"])


def test_find_forms_equals_findall():
    from patentnav.names import divisions as dv

    by_len, _ = dv._place_patterns()
    old_re, _ = _old_place_patterns()
    rng = random.Random(3)
    for k in _place_keys(rng, 3_000):
        if k:
            assert dv._find_forms(k, by_len) == old_re.findall(k), k


def _old_form_index(script):
    """The former ``divisions._form_index`` (itertuples)."""
    from patentnav.names import divisions as dv

    f = dv.division_forms()
    f = f[f["script"] == script]
    index = {}
    for r in f.itertuples():
        index.setdefault(r.form, []).append((r.code, bool(r.after_parent)))
    by_len = {}
    for form in index:
        by_len.setdefault(len(form), []).append(form)
    return {n: sorted(v) for n, v in sorted(by_len.items(), reverse=True)}, index


@pytest.mark.parametrize("script", ["zh", "latin"])
def test_form_index_equals_former(script):
    from patentnav.names import divisions as dv

    by_len, index = dv._form_index(script)
    old_by_len, old_index = _old_form_index(script)
    assert index == old_index and list(index) == list(old_index)
    assert {n: a.to_pylist() for n, a in by_len.items()} == old_by_len and list(by_len) == list(old_by_len)


# --- landscape.trends.growth: one series without frames ------------------------------------------


def _old_growth(counts, window=5, start=None, end=None):
    """The former ``trends.growth`` (frames for one series too); returns (table, cagr, start, end)."""
    import numpy as np
    import pandas as pd

    grouped = isinstance(counts.index, pd.MultiIndex)
    if grouped:
        wide = counts["count"].unstack(level=1)
        inc = counts["incomplete"].groupby(level=0).first()
    else:
        wide = counts[["count"]]
        inc = counts["incomplete"]
    years = wide.index.to_numpy(dtype=np.int64)
    complete = ~inc.reindex(wide.index).to_numpy(dtype=bool)
    cur = wide.to_numpy(dtype=float)
    prev = np.full_like(cur, np.nan)
    prev[1:] = cur[:-1]
    both = complete.copy()
    both[1:] &= complete[:-1]
    if len(both):
        both[0] = False
    with np.errstate(divide="ignore", invalid="ignore"):
        yoy = np.where((prev > 0) & both[:, None], cur / prev - 1.0, np.nan)
    table = counts.copy()
    if grouped:
        mi = pd.MultiIndex.from_product([wide.index, wide.columns], names=counts.index.names)
        table["yoy"] = pd.Series(yoy.ravel(), index=mi).reindex(counts.index).to_numpy()
    else:
        table["yoy"] = yoy[:, 0]
    comp_years = years[complete]
    if end is None:
        end = int(comp_years.max()) if len(comp_years) else None
    if end is not None and (end not in years or not complete[np.searchsorted(years, end)]):
        raise ValueError("end")
    if start is None and end is not None:
        start = max(end - int(window), int(years.min()))
    if start is not None and (start not in years or not complete[np.searchsorted(years, start)]):
        raise ValueError("start")
    if end is None or start is None or end <= start:
        return table, None, None, None
    n0, n1 = wide.loc[start], wide.loc[end]
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = (n1.astype(float) / n0.astype(float)) ** (1.0 / (end - start)) - 1.0
    rate = rate.where(n0 > 0)
    return table, (rate if grouped else float(rate["count"])), start, end


def _counts(rng, n_years, first=1990, incomplete_last=1):
    import numpy as np
    import pandas as pd

    years = np.arange(first, first + n_years)
    counts = rng.integers(0, 50, n_years) * (rng.random(n_years) < 0.8)
    inc = np.zeros(n_years, dtype=bool)
    if incomplete_last:
        inc[-incomplete_last:] = True
    return pd.DataFrame({"count": counts, "incomplete": inc}, index=pd.Index(years, name="year"))


def _same_growth(counts, **kw):
    import math

    import pandas as pd

    from patentnav.landscape.trends import growth

    try:
        old = _old_growth(counts, **kw)
    except ValueError:
        with pytest.raises(ValueError):
            growth(counts, **kw)
        return
    new = growth(counts, **kw)
    pd.testing.assert_frame_equal(new.table, old[0])
    assert (new.start, new.end) == (old[2], old[3])
    if isinstance(old[1], float):
        assert isinstance(new.cagr, float)
        assert (math.isnan(old[1]) and math.isnan(new.cagr)) or new.cagr == old[1]
    elif old[1] is None:
        assert new.cagr is None
    else:
        pd.testing.assert_series_equal(new.cagr, old[1])


def test_growth_equals_former_random():
    import numpy as np

    rng = np.random.default_rng(4)
    for _ in range(300):
        n = int(rng.integers(1, 30))
        c = _counts(rng, n, incomplete_last=int(rng.integers(0, min(n, 3) + 1)))
        _same_growth(c)
        _same_growth(c, window=int(rng.integers(1, 8)))
        years = c.index.tolist()
        a, b = sorted(rng.choice(years, 2))
        _same_growth(c, start=int(a), end=int(b))


def test_growth_equals_former_edge_cases():
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(5)
    empty = pd.DataFrame({"count": np.zeros(0, dtype=np.int64), "incomplete": np.zeros(0, dtype=bool)},
                         index=pd.Index(np.zeros(0, dtype=np.int64), name="year"))
    _same_growth(empty)
    _same_growth(_counts(rng, 1, incomplete_last=0))
    _same_growth(_counts(rng, 1, incomplete_last=1))
    zeros = _counts(rng, 8, incomplete_last=1)
    zeros["count"] = 0
    _same_growth(zeros)
    first_zero = _counts(rng, 8, incomplete_last=0)
    first_zero.iloc[0, 0] = 0
    _same_growth(first_zero, start=1990, end=1997)
    floats = _counts(rng, 10).astype({"count": float})
    floats.iloc[3, 0] = np.nan
    _same_growth(floats)
    # grouped counts keep the frame path
    g = pd.concat({k: _counts(rng, 12) for k in ("a", "b")}, names=["group", "year"]).swaplevel().sort_index()
    _same_growth(g)


# --- cli.common.freeze_imports ---------------------------------------------------------------------


def test_freeze_imports_keeps_collecting_later_garbage():
    import gc
    import weakref

    from patentnav.cli.common import freeze_imports

    class Node:
        pass

    try:
        freeze_imports()
        assert gc.get_freeze_count() > 0
        a, b = Node(), Node()
        a.other, b.other = b, a  # a cycle made after the freeze
        ref = weakref.ref(a)
        del a, b
        gc.collect()
        assert ref() is None
    finally:
        gc.unfreeze()
