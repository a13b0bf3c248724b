"""Issue 16, lane ``sample`` (second pass): the bundled-sample report's charts.

* plotly's template is read from a checked on-disk cache instead of being validated by plotly
  in every process (about 0.35 s): the cached template must give the same JSON (same keys,
  same order, same numbers) as plotly's own, whatever state the cache is in;
* figures made inside :class:`~patentnav.report.charts.Figures` are built as dicts by
  :mod:`patentnav.report.figure_dicts` (no plotly objects, no validation), starting with the
  template stand-in instead of plotly's default template: the figure dicts must equal the
  former ones (``make_figure(...).to_dict()``, plotly's objects and the named template: the
  oracle), same keys in the same order and the same numbers, for every chart kind of the
  landscape, warning and portfolio reports, on random data and edge cases (no points, no
  years, empty annotation lists, named colour scales, lines on empty plots).
"""

from __future__ import annotations

import json
import random

import pytest


def _fresh_template(monkeypatch, folder):
    from patentnav.report import charts

    monkeypatch.setenv("PATENTNAV_CACHE_DIR", str(folder))
    charts._template_dict.cache_clear()
    return charts


def _plotly_template_text() -> str:
    """The oracle: the former ``_template_dict`` (plotly validates the named template)."""
    import plotly.graph_objects as go

    return json.dumps(go.Figure().update_layout(template="plotly_white").to_dict()["layout"]["template"])


def test_template_cache_equals_plotly(monkeypatch, tmp_path):
    charts = _fresh_template(monkeypatch, tmp_path)
    want = _plotly_template_text()
    first = charts._template_dict()  # built by plotly, written to the cache
    assert json.dumps(first) == want
    path = charts._template_cache_path()
    assert path.parent == tmp_path and path.is_file()
    charts._template_dict.cache_clear()
    second = charts._template_dict()  # read from the cache
    assert json.dumps(second) == want
    assert second is not first
    charts._template_dict.cache_clear()


@pytest.mark.parametrize("damage", ["truncated", "not json", "wrong checksum", "not a dict", "empty", "folder"])
def test_template_cache_damaged_is_rebuilt(monkeypatch, tmp_path, damage):
    charts = _fresh_template(monkeypatch, tmp_path)
    want = _plotly_template_text()
    charts._template_dict()
    path = charts._template_cache_path()
    text = path.read_text(encoding="utf-8")
    if damage == "truncated":
        path.write_text(text[: len(text) // 2], encoding="utf-8")
    elif damage == "not json":
        path.write_text("{nope", encoding="utf-8")
    elif damage == "wrong checksum":  # a changed template with the old checksum is not used
        stored = json.loads(text)
        stored["template"]["layout"]["paper_bgcolor"] = "black"
        path.write_text(json.dumps(stored), encoding="utf-8")
    elif damage == "not a dict":
        path.write_text(json.dumps({"sha256": "x", "template": [1, 2]}), encoding="utf-8")
    elif damage == "empty":
        path.write_text("", encoding="utf-8")
    else:
        path.unlink()
        path.mkdir()
    charts._template_dict.cache_clear()
    assert json.dumps(charts._template_dict()) == want
    if damage != "folder":  # rewritten whole
        charts._template_dict.cache_clear()
        assert json.dumps(charts._template_dict()) == want and json.loads(path.read_text(encoding="utf-8"))["sha256"]
    charts._template_dict.cache_clear()


def test_template_cache_unwritable(monkeypatch, tmp_path):
    """A cache folder that cannot be made (a file in the way) only costs the build."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    charts = _fresh_template(monkeypatch, blocker / "cache")
    assert json.dumps(charts._template_dict()) == _plotly_template_text()
    charts._template_dict.cache_clear()


def test_template_cache_key_follows_plotly(monkeypatch, tmp_path):
    import plotly

    charts = _fresh_template(monkeypatch, tmp_path)
    a = charts._template_cache_path()
    monkeypatch.setattr(plotly, "__version__", plotly.__version__ + ".other")
    assert charts._template_cache_path() != a
    charts._template_dict.cache_clear()


# --- figures start with the stand-in template: dicts equal the former ones ---------------------


def _random_charts(rng: random.Random) -> list[dict]:
    """Random chart dicts of every landscape and portfolio kind (also empty and one-point ones)."""
    years = list(range(2000, 2000 + rng.randint(0, 12)))
    n = len(years)
    names = ["A CO", "B <b>INC</b>", "深圳 C", "D & E", "F"]
    charts = [
        {"kind": "trend", "data": {"years": years, "counts": [rng.randint(0, 50) for _ in years],
                                   "incomplete": [i >= n - 2 for i in range(n)],
                                   "fitted": [rng.random() * 40 for _ in years] if rng.random() < 0.5 else None}},
        {"kind": "applicants_over_time", "data": {"years": years, "series": [
            {"name": nm, "counts": [rng.randint(0, 5) for _ in years]} for nm in names[: rng.randint(0, 5)]]}},
        {"kind": "life_cycle", "data": {"years": years, "applicants": [rng.randint(0, 30) for _ in years],
                                        "applications": [rng.randint(0, 90) for _ in years]}},
        {"kind": "field_region_heatmap", "data": {"rows": ["f1", "f2"], "columns": ["US", "CN", "EP"],
                                                  "values": [[rng.random() * 3 for _ in range(3)] for _ in range(2)],
                                                  "measure": rng.choice(["RCA", "share"])}},
        {"kind": "gap_quadrant", "data": {"points": [
            {"label": f"G0{i}B", "rca": rng.choice([0.0, rng.random() * 3]), "density": rng.random(),
             "size": rng.randint(1, 40), "category": rng.choice(["fill_now", "long_term", "strength", "declining", "x"]),
             "rank": (i + 1) if i < 3 else None} for i in range(rng.randint(0, 12))],
            "threshold": rng.choice([None, 0.3])}},
        {"kind": "field_network", "data": {
            "nodes": [{"id": str(i), "field": i % 4, "label": f"a / b / c{i}", "size": rng.randint(1, 99),
                       "x": rng.random(), "y": rng.random()} for i in range(rng.randint(0, 9))],
            "edges": [{"source": "0", "target": "1", "strength": 1.5}, {"source": "1", "target": "2", "weight": 2}]}},
        {"kind": "main_path", "note": "no path", "data": {
            "nodes": [{"id": f"P{i}", "year": rng.choice([None, 2001, 2003, 2005]), "label": f"P{i}"} for i in range(5)],
            "edges": [{"source": "P0", "target": "P1"}, {"source": "P1", "target": "P3"}] if rng.random() < 0.7 else []}},
        {"kind": "quality_quantity", "data": {"points": [
            {"label": nm, "documents": rng.randint(1, 500), "estimate": rng.random() * 2,
             "lo": rng.random(), "hi": 1 + rng.random(), "ranked": rng.random() < 0.6} for nm in names],
            "world": rng.choice([None, 1.0]), "x_label": "documents", "y_label": "quality"}},
        {"kind": "risk_matrix", "data": {"points": [
            {"label": f"US{i}", "relevance": rng.random(), "strength": rng.random(), "risk": rng.random() * 100,
             "grade": rng.choice(["high", "medium", "watch", "low"]), "holder": rng.choice(names), "status": "alive"}
            for i in range(rng.randint(0, 8))], "x_label": rng.choice([None, "relevance"]), "y_label": "strength"}},
        {"kind": "expiry_timeline", "data": {"items": [
            {"label": f"US{i}", "expiry": f"20{rng.randint(25, 40)}-0{rng.randint(1, 9)}-1{rng.randint(0, 9)}",
             "grade": rng.choice(["high", "medium", "watch", "low"]), "risk": rng.randint(0, 99)}
            for i in range(rng.randint(0, 6))], "as_of": rng.choice([None, "2026-01-01"]), "launch": rng.choice([None, "2027-06-01"]),
            "as_of_label": "as of", "launch_label": None}},
        {"kind": "value_distribution", "data": {"bins": [i / 10 for i in range(rng.randint(0, 11))],
                                                "cohort": [rng.random() for _ in range(10)],
                                                "portfolio": [rng.random() for _ in range(10)], "x_label": "value",
                                                "cohort_label": rng.choice([None, "cohort <i>"])}},
        {"kind": "decision_matrix", "data": {"points": [
            {"label": f"CN{i}", "value": rng.random(), "interest": rng.random(), "fees": rng.randint(0, 900),
             "decision": rng.choice(["keep", "license_or_sell", "pool", "abandon", "review"])} for i in range(rng.randint(0, 9))],
            "x_threshold": rng.choice([None, 0.5]), "y_threshold": rng.choice([None, 0.4])}},
        {"kind": "trend", "data": {"years": list(range(1980, 2011)), "counts": list(range(31)), "label_x": "year <b>"}},
        {"kind": "fee_timeline", "data": {"years": years, "currency": "USD", "y_label": "fees",
                                          "series": [{"name": nm, "amounts": [rng.random() * 1000 for _ in years]}
                                                     for nm in names[:2]]}},
    ]
    return charts


def test_figures_equal_former_random():
    from patentnav.report.charts import Figures, make_figure

    rng = random.Random(16)
    for _ in range(12):
        for lang in ("en", "zh"):
            figures = Figures(lang)
            for chart in _random_charts(rng):
                try:
                    old = json.dumps(make_figure(chart, lang).to_dict())  # the named template, plotly's default first
                except Exception as exc:  # noqa: BLE001 - the same error both ways
                    with pytest.raises(type(exc)):
                        figures(chart)
                    continue
                assert json.dumps(figures(chart)) == old, chart["kind"]


def test_new_figure_outside_figures_is_plotly_default():
    """Outside :class:`Figures` a new figure is plotly's (its default template), as before."""
    import plotly.graph_objects as go

    from patentnav.report.charts import _new_figure

    assert _new_figure().to_dict() == go.Figure().to_dict()
    trace = go.Bar(x=[1], y=[2])
    assert _new_figure(trace).to_dict() == go.Figure(trace).to_dict()
