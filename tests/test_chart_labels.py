"""Charts a person can read: the ranked items carry the labels, and no two labels overlap.

Charts with placed labels keep their label boxes (pixels) in ``fig.layout.meta``; the checks
run on those boxes, on synthetic crowds and on the bundled sample's reports.
"""

import itertools

import pytest

from patentnav.report.charts import make_figure
from patentnav.report.parts import MAP_LABELS
from patentnav.report.placement import Frame, dodge, overlaps, place_labels, text_size
from patentnav.report.warn_model import build_warning_report
from patentnav.warning import ProductProfile, screen

from conftest import ROOT

PLACED = ("gap_quadrant", "field_network", "life_cycle", "risk_matrix")


def _chart(report, kind):
    return next(c for s in report["sections"] for c in s["charts"] if c["kind"] == kind)


def _boxes(fig):
    return [tuple(b[:4]) for b in fig.layout.meta["label_boxes"]]


def _texts(fig):
    return [a.text for a in fig.layout.annotations]


def _assert_no_overlap(fig):
    boxes = _boxes(fig)
    x0, y0 = fig.layout.margin.l, fig.layout.margin.t
    x1, y1 = fig.layout.width - fig.layout.margin.r, fig.layout.height - fig.layout.margin.b
    for a, b in itertools.combinations(boxes, 2):
        assert not overlaps(a, b), (a, b)
    for b in boxes:
        assert x0 <= b[0] and b[2] <= x1 and y0 <= b[1] and b[3] <= y1, b


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", ["gap_quadrant", "field_network", "life_cycle"])
def test_labels_of_the_landscape_charts_never_overlap(landscape_reports, lang, kind):
    fig = make_figure(_chart(landscape_reports[lang], kind), lang)
    assert len(_boxes(fig)) > 5
    _assert_no_overlap(fig)


def test_gap_quadrant_labels_every_ranked_gap(landscape_reports):
    rep = landscape_reports["zh"]
    gaps = next(t for s in rep["sections"] for t in s["tables"] if t["id"] == "gaps")
    ranked = [r[0] for r in gaps["rows"]]
    assert ranked[:4] == ["G08B", "G06N", "G06Q", "B25J"]  # G08B, G06N at RCA 0 were unlabelled on x = 0
    texts = _texts(make_figure(_chart(rep, "gap_quadrant"), "zh"))
    for k, tech in enumerate(ranked, start=1):
        assert f"{k} {tech}" in texts, tech
    pts = _chart(rep, "gap_quadrant")["data"]["points"]
    assert sorted(p["rank"] for p in pts if p["rank"]) == list(range(1, len(ranked) + 1))


def test_gap_quadrant_spreads_the_rca_zero_pile(landscape_reports):
    fig = make_figure(_chart(landscape_reports["zh"], "gap_quadrant"), "zh")
    xs = [x for tr in fig.data for x in tr.x]
    rca = [c[1] for tr in fig.data for c in tr.customdata]
    zero_x = [x for x, r in zip(xs, rca) if r == 0]
    assert len(zero_x) > 10 and len(set(zero_x)) > len(zero_x) // 2  # spread sideways, not piled on x = 0
    assert all(x <= 0 for x in zero_x)  # only into the band left of the axis: no point moves to RCA > 0
    assert [x for x, r in zip(xs, rca) if r > 0] == [r for r in rca if r > 0]  # others keep their RCA


def test_field_map_labels_the_largest_fields_in_distinct_colours(landscape_reports):
    chart = _chart(landscape_reports["en"], "field_network")
    fig = make_figure(chart, "en")
    nodes = sorted(chart["data"]["nodes"], key=lambda n: (-n["size"], n["id"]))
    assert len(_boxes(fig)) == min(MAP_LABELS, len(nodes))  # the note says the largest are labelled
    texts = " | ".join(_texts(fig))
    assert all(f"{n['field']} " in texts for n in nodes[:MAP_LABELS])
    colours = fig.data[-1].marker.color
    assert len(set(colours)) == len(colours)  # no colour repeats across fields
    xs = [b for box in _boxes(fig) for b in (box[0], box[2])]
    assert max(xs) - min(xs) > 0.7 * (fig.layout.width - fig.layout.margin.l - fig.layout.margin.r)  # no half-empty width


def test_life_cycle_labels_selected_years_only(landscape_reports):
    chart = _chart(landscape_reports["zh"], "life_cycle")
    fig = make_figure(chart, "zh")
    years = [str(y) for y in chart["data"]["years"]]
    texts = _texts(fig)
    assert years[-1] in texts and "2015" in texts  # the last year and the peak
    assert len(texts) < len(years) // 2  # 1944-2001 no longer pile into a blob


@pytest.fixture(scope="module")
def warn_report(drones):
    res = screen(drones, ProductProfile.from_file(ROOT / "examples" / "drone_product.toml"), as_of="2026-12-07")
    return build_warning_report(res, lang="en")


def test_risk_matrix_labels_high_and_medium_and_draws_them_on_top(warn_report):
    chart = next(c for s in warn_report["sections"] for c in s["charts"] if c["kind"] == "risk_matrix")
    fig = make_figure(chart, "en")
    flagged = [p["label"] for p in chart["data"]["points"] if p["grade"] in ("high", "medium")]
    assert flagged and set(_texts(fig)) == set(flagged)
    _assert_no_overlap(fig)
    order = [tr.name for tr in fig.data]
    assert order.index("low") < order.index("medium")  # a medium point never hides behind grey ones


def test_legends_sit_under_the_plot_clear_of_the_toolbar(landscape_reports):
    for s in landscape_reports["en"]["sections"]:
        for c in s["charts"]:
            fig = make_figure(c, "en")
            if any(tr.name and tr.showlegend is not False for tr in fig.data):
                assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0, c["kind"]


def test_placement_never_overlaps_in_a_crowd():
    frame = Frame(600, 400, 40, 20, 20, 40, (0.0, 1.0), (0.0, 1.0))
    pts = [(*frame.px(0.5 + 0.01 * (k % 3), 0.5 + 0.01 * (k // 3)), 6.0) for k in range(30)]
    labels = place_labels(pts, [f"G{k:02d}X" for k in range(30)], frame)
    placed = [lab.box for lab in labels if lab is not None]
    assert len(placed) >= 20
    assert not any(overlaps(a, b) for a, b in itertools.combinations(placed, 2))
    assert any(lab.leader for lab in labels if lab is not None)


def test_text_size_counts_chinese_characters_wider():
    assert text_size("云台云台", 11)[0] > text_size("abcd", 11)[0]


def test_dodge_separates_a_pile():
    pts = [(100.0, 100.0 + k, 8.0) for k in range(6)]
    shifts = dodge(pts, list(range(6)), limit=200)
    moved = [(x + s, y) for (x, y, _), s in zip(pts, shifts)]
    for (a, b), (c, d) in itertools.combinations(moved, 2):
        assert ((a - c) ** 2 + (b - d) ** 2) ** 0.5 >= 16 - 1e-6
    assert all(s <= 0 for s in shifts)
