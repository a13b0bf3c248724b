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
