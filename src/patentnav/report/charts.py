"""Plotly figures for the chart kinds of the report model (see the report contract).

One function per chart kind; each takes the chart's ``data`` dict (plain JSON) and the
report language and returns a :class:`plotly.graph_objects.Figure`. The report's writers
take the figures as dicts from :class:`Figures`, which runs the same functions on
:mod:`patentnav.report.figure_dicts` (the dict ``to_dict()`` would give, without plotly's
validation) and reads plotly's template from a cache (:func:`_template_dict`).  Layouts are
deterministic: node positions come from the model (field network) or from the year
(main path), never from a random layout.  :func:`make_figure` dispatches on ``kind``.

Every string of the chart data is escaped for plotly's pseudo-HTML
(:func:`patentnav.safety.plotly_escaped` on every chart kind) before a figure is built: an applicant named
``<a href="https://evil.example">`` shows as that text, never as a link, in labels,
legends, hovers, tick labels and annotations.
"""

from __future__ import annotations

import contextvars
import json
import math
from functools import lru_cache
from typing import Any, Callable

from ..safety import plotly_escaped
from .fonts import font_stack
from .labels import L, has_label
from .parts import MAP_EDGES, MAP_LABELS
from .placement import Frame, dodge, place_labels, text_size

__all__ = [
    "FONT_FAMILY",
    "CHART_WIDTH",
    "label_annotations",
    "CHART_KINDS",
    "make_figure",
    "Figures",
    "trend",
    "applicants_over_time",
    "field_network",
    "field_region_heatmap",
    "gap_quadrant",
    "life_cycle",
    "main_path",
    "risk_matrix",
    "expiry_timeline",
    "quality_quantity",
]

#: The English reports' font stack (CJK fonts included for data values); see :func:`patentnav.report.fonts.font_stack`.
FONT_FAMILY = font_stack("en")
#: Width in pixels of the charts whose labels are placed (fixed geometry, see :mod:`patentnav.report.placement`);
#: it fits the HTML report's content width.
CHART_WIDTH = 1100

# A fixed qualitative palette (Okabe-Ito + extras), so colours never depend on plotly defaults.
PALETTE = [
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7",
    "#56B4E9", "#F0E442", "#000000", "#8C564B", "#7F7F7F",
]



def _t(key: str, lang: str) -> str:
    return L("r." + key, lang)


def _padded_range(values: list, *, low: float = 0.06, high: float = 0.14, from_zero: bool = False) -> list[float] | None:
    """Axis range around ``values`` with room for text labels drawn above the top points."""
    vals = [float(v) for v in values if v is not None and v == v]
    if not vals:
        return None
    lo, hi = (0.0 if from_zero else min(vals)), max(vals)
    span = (hi - lo) or (abs(hi) or 1.0)
    return [lo if from_zero else lo - low * span, hi + high * span]


#: Height in pixels of one row of the legend (drawn under the plot, clear of plotly's toolbar at the top right).
LEGEND_ROW = 24


def _legend_rows(names, width: float = CHART_WIDTH - 120) -> int:
    """Rows a horizontal legend with entries ``names`` needs at ``width`` pixels."""
    rows, used = 1, 0.0
    for n in names:
        w = text_size(str(n), 12)[0] + 50  # symbol and spacing
        if used and used + w > width:
            rows, used = rows + 1, 0.0
        used += w
    return rows


#: The template of every figure.
TEMPLATE = "plotly_white"
#: What :func:`_base_layout` sets as the template while :class:`Figures` builds a figure dict: a
#: small stand-in that plotly validates at once, replaced in the dict by :data:`TEMPLATE`'s
#: own (:func:`_template_dict`). Setting ``template="plotly_white"`` makes plotly deep-copy
#: and validate the whole template for every figure (about 0.1 s each).
_TEMPLATE_STANDIN = {"layout": {"meta": "patentnav:template"}}
_DEFER_TEMPLATE: contextvars.ContextVar[bool] = contextvars.ContextVar("patentnav_defer_template", default=False)


class _GraphObjects:
    """``go`` of the chart functions: :mod:`plotly.graph_objects`, except while :class:`Figures`
    builds a figure dict, when it is :mod:`patentnav.report.figure_dicts` (the same dict without
    plotly's validated objects; the functions' code is the same either way)."""

    def __getattr__(self, name: str):
        if _DEFER_TEMPLATE.get():
            from . import figure_dicts as light

            return getattr(light, name)
        import plotly.graph_objects as plotly_go

        return getattr(plotly_go, name)


go = _GraphObjects()


def _build_template_dict() -> dict:
    """:data:`TEMPLATE` as plotly puts it in a figure dict's layout (``fig.to_dict()["layout"]["template"]``).
    Plotly validates it into objects of every trace type (about 0.35 s, 700 modules imported)."""
    import plotly.graph_objects as plotly_go

    return plotly_go.Figure().update_layout(template=TEMPLATE).to_dict()["layout"]["template"]


#: Version of the layout of the cached template file (:func:`_template_dict`).
_TEMPLATE_CACHE_FORMAT = "1"


def _template_cache_path():
    """Where :func:`_template_dict` caches the template: a name keyed by the cache format,
    :data:`TEMPLATE`, plotly's version and the SHA-256 of plotly's own file of the template,
    so that another plotly (or an edited template file) never reads it."""
    import hashlib
    import os

    import plotly

    from .._cache import cache_dir

    h = hashlib.sha256(f"{_TEMPLATE_CACHE_FORMAT}\0{TEMPLATE}\0{plotly.__version__}".encode())
    source = os.path.join(os.path.dirname(plotly.__file__), "package_data", "templates", f"{TEMPLATE}.json")
    with open(source, "rb") as f:
        h.update(hashlib.sha256(f.read()).digest())
    return cache_dir() / f"plotly-template-{h.hexdigest()[:24]}.json"


def _template_text(template: dict) -> str:
    return json.dumps(template, ensure_ascii=False, separators=(",", ":"))


@lru_cache(maxsize=1)
def _template_dict() -> dict:
    """:data:`TEMPLATE` as it appears in a figure dict's layout (:func:`_build_template_dict`);
    callers copy it. Read from a file in :func:`patentnav._cache.cache_dir` (JSON: the same
    keys in the same order, so the same JSON in every figure) when the file's checksum holds,
    else built by plotly and cached there (best effort: a cache that cannot be read or written
    only costs the build)."""
    import hashlib

    try:
        path = _template_cache_path()
    except OSError:
        return _build_template_dict()
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
        template = stored["template"]
        if isinstance(template, dict) and stored.get("sha256") == hashlib.sha256(_template_text(template).encode()).hexdigest():
            return template
    except (OSError, ValueError, KeyError, TypeError):
        pass
    template = json.loads(_template_text(_build_template_dict()))  # the form a cached copy has
    try:
        from .._cache import write_atomic

        text = _template_text(template)
        write_atomic(path, json.dumps({"sha256": hashlib.sha256(text.encode()).hexdigest(), "template": template},
                                      ensure_ascii=False).encode("utf-8"))
    except OSError:
        pass
    return template


def _new_figure(data=None) -> go.Figure:
    """``go.Figure(data)``. Inside :class:`Figures` (template deferred) it is a
    :class:`patentnav.report.figure_dicts.Figure` starting with the template stand-in, as a
    plotly figure starts with plotly's default template (which :func:`_base_layout` replaces;
    the template is the layout's first key either way)."""
    if _DEFER_TEMPLATE.get():
        return go.Figure(data, layout={"template": go.layout.Template(_TEMPLATE_STANDIN)})
    return go.Figure(data)


def _figure_dict(fig: go.Figure) -> dict:
    """``fig.to_dict()`` with the template stand-in (if any) replaced by the real template, in place.

    A :mod:`~patentnav.report.figure_dicts` figure (built by :class:`Figures` from escaped
    copies of the chart data, then let go) hands over its own traces and layout, uncopied;
    the template is a copy of the cached one (:func:`_template_copy`; each figure has its own)."""
    from . import figure_dicts as light

    d = fig.to_dict(copies=False) if isinstance(fig, light.Figure) else fig.to_dict()
    layout = d.get("layout") or {}
    if layout.get("template") == _TEMPLATE_STANDIN:
        layout["template"] = _template_copy()
    return d


@lru_cache(maxsize=1)
def _template_json() -> str:
    return _template_text(_template_dict())


def _template_copy() -> dict:
    """A copy of :func:`_template_dict` of its own, decoded from its JSON (the template is
    JSON data: the same dict as :func:`copy.deepcopy` gives, in a seventh of the time)."""
    return json.loads(_template_json())


def _base_layout(fig: go.Figure, lang: str = "en", *, height: int = 420, frame: Frame | None = None) -> go.Figure:
    """Template, the language's CJK-capable font stack, and the legend under the plot (the
    toolbar sits at the top right and would cover legend entries above the plot). With a
    ``frame`` the figure takes its fixed size and margins (labels are placed in its pixels).
    Inside :class:`Figures` the template is a stand-in the figure dict then swaps for the
    real one (:func:`_figure_dict`): the same dict, without plotly copying the template."""
    fonts = font_stack(lang)
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    rows = _legend_rows(names) if names else 0
    fig.update_layout(
        template=go.layout.Template(_TEMPLATE_STANDIN) if _DEFER_TEMPLATE.get() else TEMPLATE,  # an object replaces, a dict would merge
        font={"family": fonts, "size": 13},
        height=height,
        margin={"l": 60, "r": 30, "t": 30, "b": 50 + LEGEND_ROW * rows},
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0.0, "xanchor": "left", "x": 0},
        hoverlabel={"font": {"family": fonts}},
    )
    if frame is not None:
        fig.update_layout(**frame.layout())
    return fig


def label_annotations(labels, xs, ys, font_size: float = 11.0, color: str = "#1f2933") -> tuple[list[dict], list[list]]:
    """Plotly annotations for placed labels (:func:`patentnav.report.placement.place_labels`)
    of points at data coordinates ``xs``, ``ys``: next to the point, or joined to it by a thin
    leader line. Also returns the labels' boxes ``[x0, y0, x1, y1, text]`` in pixels."""
    notes, boxes = [], []
    for lab, x, y in zip(labels, xs, ys):
        if lab is None:
            continue
        ox, oy = lab.offset
        base = {"x": x, "y": y, "xref": "x", "yref": "y", "text": lab.text, "font": {"size": font_size, "color": color},
                "xanchor": "center", "yanchor": "middle", "bgcolor": "rgba(255,255,255,0.7)", "borderpad": 0}
        if lab.leader:
            notes.append({**base, "showarrow": True, "ax": round(ox, 1), "ay": round(oy, 1), "axref": "pixel", "ayref": "pixel",
                          "arrowhead": 0, "arrowwidth": 0.8, "arrowcolor": "#8a94a3", "standoff": round(lab.radius, 1)})
        else:
            notes.append({**base, "showarrow": False, "xshift": round(ox, 1), "yshift": round(-oy, 1)})
        boxes.append([round(v, 1) for v in lab.box] + [lab.text])
    return notes, boxes


@plotly_escaped
def trend(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Yearly counts as bars; incomplete years hatched and pale; optional fitted line."""
    years = list(data.get("years") or [])
    counts = list(data.get("counts") or [])
    incomplete = list(data.get("incomplete") or [False] * len(years))
    complete_x = [y for y, inc in zip(years, incomplete) if not inc]
    complete_y = [c for c, inc in zip(counts, incomplete) if not inc]
    inc_x = [y for y, inc in zip(years, incomplete) if inc]
    inc_y = [c for c, inc in zip(counts, incomplete) if inc]
    fig = _new_figure()
    fig.add_trace(go.Bar(x=complete_x, y=complete_y, name=_t("applications", lang),
                         marker={"color": PALETTE[0]}))
    if inc_x:
        fig.add_trace(go.Bar(
            x=inc_x, y=inc_y, name=_t("incomplete", lang),
            marker={"color": "rgba(0,114,178,0.25)", "line": {"color": PALETTE[0], "width": 1},
                    "pattern": {"shape": "/", "fgcolor": PALETTE[0], "size": 6}},
        ))
    fitted = data.get("fitted")
    if fitted:
        fig.add_trace(go.Scatter(x=years, y=fitted, mode="lines", name=_t("fitted", lang),
                                 line={"color": PALETTE[3], "width": 2}, connectgaps=False))
    fig.update_layout(barmode="overlay")
    fig.update_xaxes(title_text=data.get("label_x") or _t("year", lang), dtick=1 if len(years) <= 25 else None)
    fig.update_yaxes(title_text=data.get("label_y") or _t("applications", lang), rangemode="tozero")
    return _base_layout(fig, lang)


@plotly_escaped
def applicants_over_time(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """One line per applicant over the years."""
    years = list(data.get("years") or [])
    fig = _new_figure()
    for i, s in enumerate(data.get("series") or []):
        fig.add_trace(go.Scatter(x=years, y=list(s.get("counts") or []), mode="lines+markers",
                                 name=str(s.get("name", "")),
                                 line={"color": PALETTE[i % len(PALETTE)], "width": 2}))
    fig.update_xaxes(title_text=_t("year", lang))
    fig.update_yaxes(title_text=_t("applications", lang), rangemode="tozero")
    return _base_layout(fig, lang)


#: Bubbles labelled on the gap quadrant (the largest with RCA > 0); all show their label on hover.
QUADRANT_LABELS = 30


def _field_colours(n: int) -> list[str]:
    """``n`` distinct colours: the report palette, then plotly's Dark24 and Light24, then
    hues a golden angle apart (no colour repeats for any number of fields)."""
    import plotly.colors as pc

    base = list(dict.fromkeys(PALETTE + pc.qualitative.Dark24 + pc.qualitative.Light24))
    base = [c for c in base if c.upper() not in ("#000000", "#7F7F7F")]  # black and grey read as "no field"
    k = 0
    while len(base) < n:
        base.append(f"hsl({(k * 137.508) % 360:.1f},{55 + 20 * (k % 2)}%,{45 + 10 * (k % 3)}%)")
        k += 1
    return base[:n]


def _spread(xy: list[tuple[float, float]], weights: list[float]) -> list[tuple[float, float]]:
    """Positions turned so that their widest extent (first principal axis, weighted) runs
    horizontally; the signs are fixed by the weighted third moments, so the result is
    deterministic. A rotation keeps every distance of the layout."""
    import numpy as np

    if len(xy) < 2:
        return list(xy)
    p = np.asarray(xy, dtype=float)
    w = np.asarray(weights, dtype=float) + 1.0
    c = p - (w[:, None] * p).sum(axis=0) / w.sum()
    vals, vecs = np.linalg.eigh((w[:, None] * c).T @ c)
    rot = c @ vecs[:, ::-1]
    for k in range(2):
        skew = float((w * rot[:, k] ** 3).sum())
        if skew < 0:
            rot[:, k] = -rot[:, k]
    return [(float(a), float(b)) for a, b in rot]


@plotly_escaped
def field_network(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """VOSviewer-style map: nodes at the model's positions sized by patents, the strongest
    links (association strength) as grey lines, one colour per field (never repeated).

    The layout is turned so that its widest extent runs across the chart and then fills the
    chart's width and height (the axes are scaled separately); the largest
    :data:`~patentnav.report.parts.MAP_LABELS` fields are labelled, each where its label
    overlaps no other (with a leader line when it has to move away from its node)."""
    nodes = list(data.get("nodes") or [])
    sizes = [float(n.get("size") or 1.0) for n in nodes]
    smax = max(sizes) if sizes else 1.0
    xy = _spread([(float(n.get("x", 0.0)), float(n.get("y", 0.0))) for n in nodes], sizes)
    xs, ys = [p[0] for p in xy] or [0.0], [p[1] for p in xy] or [0.0]
    x_range = tuple(_padded_range(xs, low=0.08, high=0.08) or (-1.0, 1.0))
    y_range = tuple(_padded_range(ys, low=0.1, high=0.1) or (-1.0, 1.0))
    frame = Frame(CHART_WIDTH, 640, 20, 20, 40, 20, x_range, y_range)
    radius = [(8 + 34 * (sz / smax) ** 0.5) / 2 for sz in sizes]
    pos = {str(n["id"]): p for n, p in zip(nodes, xy)}
    fig = _new_figure()
    edges = sorted(data.get("edges") or [], key=lambda e: (-float(e.get("strength") or e.get("weight") or 0.0),
                                                           str(e.get("source")), str(e.get("target"))))[:MAP_EDGES]
    ex: list[Any] = []
    ey: list[Any] = []
    for e in edges:
        a, b = pos.get(str(e.get("source"))), pos.get(str(e.get("target")))
        if a is None or b is None:
            continue
        ex += [a[0], b[0], None]
        ey += [a[1], b[1], None]
    if ex:
        fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", hoverinfo="skip", showlegend=False,
                                 line={"color": "rgba(120,120,120,0.35)", "width": 1}))
    order = sorted(range(len(nodes)), key=lambda i: (-sizes[i], str(nodes[i]["id"])))[:MAP_LABELS]
    texts = [f"{n.get('field')} " + " / ".join(str(n.get("label", "")).split(" / ")[:2]) for n in nodes]
    pix = [(*frame.px(x, y), r) for (x, y), r in zip(xy, radius)]
    labels = place_labels(pix, texts, frame, order=order, max_distance=200)
    ids = sorted({int(n.get("field") or 0) for n in nodes})
    colour = dict(zip(ids, _field_colours(len(ids))))
    fig.add_trace(go.Scatter(
        x=[p[0] for p in xy], y=[p[1] for p in xy], mode="markers", showlegend=False,
        customdata=[[n.get("field"), str(n.get("label", "")), n.get("size")] for n in nodes],
        hovertemplate=_t("field", lang) + " %{customdata[0]}: %{customdata[1]}<br>%{customdata[2]:,}<extra></extra>",
        marker={"size": [2 * r for r in radius], "color": [colour[int(n.get("field") or 0)] for n in nodes],
                "line": {"color": "white", "width": 1}, "opacity": 0.9},
    ))
    notes, boxes = label_annotations(labels, [p[0] for p in xy], [p[1] for p in xy])
    fig.update_layout(annotations=notes, meta={"label_boxes": boxes})
    fig.update_xaxes(visible=False, range=list(x_range))
    fig.update_yaxes(visible=False, range=list(y_range))
    return _base_layout(fig, lang, height=frame.height, frame=frame)

@plotly_escaped
def field_region_heatmap(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Rows (fields) × columns (regions) heatmap of the given measure."""
    rows = [str(r) for r in data.get("rows") or []]
    cols = [str(c) for c in data.get("columns") or []]
    values = [list(r) for r in data.get("values") or []]
    rca = str(data.get("measure") or "").upper() == "RCA"
    top = max([float(v) for r in values for v in r if v is not None] + [2.0])
    scale = ({"colorscale": [[0.0, "#2166ac"], [1.0 / top, "#f7f7f7"], [1.0, "#b2182b"]], "zmin": 0.0, "zmax": top}
             if rca else {"colorscale": "Blues"})  # RCA: blue below 1, white at 1, red above
    fig = _new_figure(go.Heatmap(
        z=values, x=cols, y=rows, hoverongaps=False, **scale,
        colorbar={"title": {"text": str(data.get("measure") or "")}},
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(automargin=True)
    return _base_layout(fig, lang, height=max(300, 40 + 28 * len(rows)))


@plotly_escaped
def gap_quadrant(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """RCA (x) vs density (y) bubbles, coloured by category; dashed lines at RCA = 1 and at the
    density threshold of the "fill now" category (``data["threshold"]``, from the gap analysis).

    Technologies with RCA = 0 would pile up on the y axis: they are spread sideways into a
    shaded band left of the axis (their x position there carries no value; hover shows the
    RCA). Labels go first to the ranked gaps of the report's table (``rank``, shown as
    "1 G08B"), then to strengths and the largest others, where they fit without overlap."""
    points = list(data.get("points") or [])
    sizes = [float(p.get("size") or 1.0) for p in points]
    smax = max(sizes) if sizes else 1.0
    radius = [(10 + 30 * (sz / smax) ** 0.5) / 2 for sz in sizes]
    rca = [float(p.get("rca") or 0.0) for p in points]
    dens = [float(p.get("density") or 0.0) for p in points]
    threshold = data.get("threshold")
    if threshold is None and dens:  # older models: the median density of the points drawn
        d = sorted(dens)
        threshold = d[len(d) // 2] if len(d) % 2 else (d[len(d) // 2 - 1] + d[len(d) // 2]) / 2
    zero = [i for i, x in enumerate(rca) if x <= 0]
    hi = max(rca + [1.0]) * 1.06
    band = 0.24 * hi if zero else 0.0
    x_range = (-band - 0.02 * hi, hi)
    y_vals = dens + ([float(threshold)] if threshold is not None else [])
    y_range = tuple(_padded_range(y_vals, low=0.12, high=0.12) or (0.0, 1.0))
    frame = Frame(CHART_WIDTH, 540, 70, 30, 40, 50 + LEGEND_ROW, x_range, y_range)
    pix = [(*frame.px(x, y), r) for x, y, r in zip(rca, dens, radius)]
    xs = list(rca)
    if zero:  # a one-sided beeswarm into the band: the largest stay nearest the axis
        order = sorted(zero, key=lambda i: (-sizes[i], str(points[i].get("label", ""))))
        band_px = frame.px(0.0, 0.0)[0] - frame.px(-band, 0.0)[0]
        shifts = dodge([pix[i] for i in range(len(pix))], order, limit=band_px - 6)
        for i in zero:
            pix[i] = (pix[i][0] + shifts[i], pix[i][1], pix[i][2])
            xs[i] = frame.data_x(pix[i][0])
    ranked = sorted((i for i, p in enumerate(points) if p.get("rank")), key=lambda i: int(points[i]["rank"]))
    strong = sorted((i for i, p in enumerate(points) if not p.get("rank") and p.get("category") == "strength"),
                    key=lambda i: (-sizes[i], str(points[i].get("label", ""))))
    rest = sorted((i for i in range(len(points)) if i not in set(ranked) | set(strong)),
                  key=lambda i: (-sizes[i], str(points[i].get("label", ""))))
    order = (ranked + strong + rest)[:max(QUADRANT_LABELS, len(ranked))]
    texts = [(f"{p['rank']} {p.get('label', '')}" if p.get("rank") else str(p.get("label", ""))) for p in points]
    labels = place_labels(pix, texts, frame, order=order)
    fig = _new_figure()
    cat_order = {c: k for k, c in enumerate(("fill_now", "long_term", "strength", "declining", "other"))}
    cats = sorted({str(p.get("category", "")) for p in points}, key=lambda c: (cat_order.get(c, len(cat_order)), c))
    if zero:
        fig.add_shape(type="rect", xref="x", yref="paper", x0=x_range[0], x1=0.0, y0=0, y1=1, layer="below",
                      fillcolor="rgba(95,107,122,0.08)", line={"width": 0})
    for i, c in enumerate(cats):
        members = [k for k, p in enumerate(points) if str(p.get("category", "")) == c]
        fig.add_trace(go.Scatter(
            x=[xs[k] for k in members], y=[dens[k] for k in members], mode="markers",
            name=L(f"cat.{c}", lang) if has_label(f"cat.{c}") else c,
            customdata=[[str(points[k].get("label", "")), rca[k]] for k in members],
            hovertemplate="%{customdata[0]}<br>RCA %{customdata[1]:.2f}<br>%{y:.3f}<extra></extra>",
            marker={"size": [2 * radius[k] for k in members], "color": PALETTE[i % len(PALETTE)], "opacity": 0.75,
                    "line": {"color": "white", "width": 1}},
        ))
    if threshold is not None:  # the density above which an RCA < 1 technology is "fill now"
        fig.add_hline(y=float(threshold), line={"color": "#888", "dash": "dash", "width": 1})
    fig.add_vline(x=1.0, line={"color": "#888", "dash": "dash", "width": 1})
    notes, boxes = label_annotations(labels, xs, dens)
    if zero:
        notes.append({"x": x_range[0] / 2, "y": 1.0, "xref": "x", "yref": "paper", "yanchor": "bottom", "showarrow": False,
                      "text": _t("rca_zero", lang), "font": {"size": 11, "color": "#5f6b7a"}})
    fig.update_layout(annotations=notes, meta={"label_boxes": boxes})
    ticks = [v for v in range(0, int(hi) + 1)]
    fig.update_xaxes(title_text=data.get("x_label") or "RCA", range=list(x_range), tickvals=ticks, zeroline=False)
    fig.update_yaxes(title_text=data.get("y_label") or _t("density", lang), range=list(y_range))
    return _base_layout(fig, lang, height=frame.height, frame=frame)

@plotly_escaped
def life_cycle(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Technology life-cycle path: x applicants, y applications, a line through the years.

    Years are labelled where a label fits without overlapping another: the last and first
    year and the peak first, then years where the path turns, then every fifth year, then
    the others (all show on hover), so early years crowded near the origin stay unlabelled."""
    years = list(data.get("years") or [])
    xs = [float(v or 0) for v in data.get("applicants") or []]
    ys = [float(v or 0) for v in data.get("applications") or []]
    x_range = tuple(_padded_range(xs, high=0.08, from_zero=True) or (0.0, 1.0))
    y_range = tuple(_padded_range(ys, high=0.1, from_zero=True) or (0.0, 1.0))
    x_range = (x_range[0] - 0.02 * (x_range[1] - x_range[0]), x_range[1])
    y_range = (y_range[0] - 0.03 * (y_range[1] - y_range[0]), y_range[1])
    frame = Frame(CHART_WIDTH, 480, 70, 30, 40, 60, x_range, y_range)
    pix = [(*frame.px(x, y), 4.0) for x, y in zip(xs, ys)]
    n = len(years)
    turning = [i for i in range(1, n - 1)
               if (xs[i] - xs[i - 1]) * (xs[i + 1] - xs[i]) < 0 or (ys[i] - ys[i - 1]) * (ys[i + 1] - ys[i]) < 0]
    peak = max(range(n), key=lambda i: (ys[i], -i)) if n else None
    first = [n - 1, peak, 0] if n else []
    fifth = [i for i in range(n - 1, -1, -1) if int(years[i]) % 5 == 0]
    order = list(dict.fromkeys([i for i in first + sorted(turning, reverse=True) + fifth + list(range(n - 1, -1, -1))
                                if i is not None]))
    labels = place_labels(pix, [str(y) for y in years], frame, order=order, max_distance=10, font_size=11)
    fig = _new_figure(go.Scatter(
        x=xs, y=ys, mode="lines+markers", line={"color": PALETTE[0], "width": 2},
        marker={"size": 8, "color": PALETTE[0]}, showlegend=False, customdata=[str(y) for y in years],
        hovertemplate="%{customdata}: %{x}, %{y}<extra></extra>",
    ))
    notes, boxes = label_annotations(labels, xs, ys)
    fig.update_layout(annotations=notes, meta={"label_boxes": boxes})
    fig.update_xaxes(title_text=_t("applicants", lang), range=list(x_range))
    fig.update_yaxes(title_text=_t("applications", lang), range=list(y_range))
    return _base_layout(fig, lang, height=frame.height, frame=frame)

@plotly_escaped
def main_path(data: dict[str, Any], lang: str = "en", note: str | None = None) -> go.Figure:
    """Directed layered diagram: x = year (layer), nodes stacked in order; arrows for edges."""
    nodes = list(data.get("nodes") or [])
    edges = list(data.get("edges") or [])
    fig = _new_figure()
    if not edges:
        fig.add_annotation(text=note or _t("no_path", lang), x=0.5, y=0.5, xref="paper",
                           yref="paper", showarrow=False, font={"size": 14, "color": "#666"})
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _base_layout(fig, lang, height=220)
    # Layers by year (None last), stable order within a layer by first appearance.
    known = sorted({n["year"] for n in nodes if n.get("year") is not None})
    layer_of = {y: i for i, y in enumerate(known)}
    unknown_layer = len(known)
    slots: dict[int, int] = {}
    pos: dict[str, tuple[float, float]] = {}
    for n in nodes:
        layer = layer_of.get(n.get("year"), unknown_layer) if n.get("year") is not None else unknown_layer
        k = slots.get(layer, 0)
        slots[layer] = k + 1
        pos[str(n["id"])] = (float(layer), -float(k))
    arrows = []
    for e in edges:
        a, b = pos.get(str(e.get("source"))), pos.get(str(e.get("target")))
        if a is None or b is None:
            continue
        arrows.append({"x": b[0], "y": b[1], "ax": a[0], "ay": a[1], "xref": "x", "yref": "y", "axref": "x",
                       "ayref": "y", "showarrow": True, "arrowhead": 3, "arrowsize": 1.2, "arrowwidth": 1.5,
                       "arrowcolor": "#888", "standoff": 9, "startstandoff": 9, "text": ""})
    fig.update_layout(annotations=arrows)  # one call: add_annotation re-validates all earlier ones
    ids = [str(n["id"]) for n in nodes]
    fig.add_trace(go.Scatter(
        x=[pos[i][0] for i in ids], y=[pos[i][1] for i in ids], mode="markers+text",
        text=[str(n.get("label", n["id"])) for n in nodes], textposition="bottom center",
        textfont={"size": 11}, marker={"size": 14, "color": PALETTE[2]}, showlegend=False,
        customdata=[str(n.get("year", "")) for n in nodes],
        hovertemplate="%{text} (%{customdata})<extra></extra>",
    ))
    ticks = list(range(len(known))) + ([unknown_layer] if unknown_layer in slots else [])
    labels = [str(y) for y in known] + (["?"] if unknown_layer in slots else [])
    fig.update_xaxes(tickvals=ticks, ticktext=labels, title_text=_t("year", lang), showgrid=False, zeroline=False,
                     range=[-0.5, max(ticks) + 0.5])
    depth = max(slots.values())
    fig.update_yaxes(visible=False, range=[-depth + 0.3, 0.6])
    return _base_layout(fig, lang, height=max(260, 120 + 90 * depth))


#: Colours of the risk grades.
GRADE_COLOURS = {"high": "#C0392B", "medium": "#E69F00", "watch": "#2E86C1", "low": "#7F8C8D"}


@plotly_escaped
def risk_matrix(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Risk matrix: relevance (x) against strength (y), one bubble per patent, bubble size =
    risk, colour = grade; dashed lines at the grade boundaries are not drawn because the
    grade also depends on status and holder (hover shows all parts).

    Grades are drawn low first and high last, so a high or medium bubble is never hidden
    behind low ones; high and medium patents are labelled (riskiest first) where a label
    fits without overlapping another."""
    points = list(data.get("points") or [])
    x_range, y_range = (-0.03, 1.05), (-0.03, 1.08)
    frame = Frame(CHART_WIDTH, 500, 70, 30, 40, 50 + LEGEND_ROW, x_range, y_range)
    radius = [(8 + 0.3 * float(p.get("risk") or 0.0)) / 2 for p in points]
    xs = [float(p.get("relevance") or 0.0) for p in points]
    ys = [float(p.get("strength") or 0.0) for p in points]
    pix = [(*frame.px(x, y), r) for x, y, r in zip(xs, ys, radius)]
    flagged = sorted((i for i, p in enumerate(points) if p.get("grade") in ("high", "medium")),
                     key=lambda i: (-float(points[i].get("risk") or 0.0), str(points[i].get("label", ""))))
    labels = place_labels(pix, [str(p.get("label", "")) for p in points], frame, order=flagged, font_size=10)
    fig = _new_figure()
    for grade in reversed(list(GRADE_COLOURS)):  # low first: the riskiest are drawn on top
        members = [i for i, p in enumerate(points) if p.get("grade") == grade]
        if not members:
            continue
        fig.add_trace(go.Scatter(
            x=[xs[i] for i in members], y=[ys[i] for i in members], mode="markers", name=L(f"w.grade.{grade}", lang),
            customdata=[[str(points[i].get("label", "")), points[i].get("risk"), str(points[i].get("holder", "")),
                         str(points[i].get("status", ""))] for i in members],
            hovertemplate="%{customdata[0]}<br>%{customdata[2]}<br>%{customdata[3]}<br>"
                          + L("w.c.risk", lang) + " %{customdata[1]}<extra></extra>",
            marker={"size": [2 * radius[i] for i in members], "color": GRADE_COLOURS[grade],
                    "opacity": 0.55 if grade == "low" else 0.9, "line": {"color": "white", "width": 1}},
        ))
    notes, boxes = label_annotations(labels, xs, ys, font_size=10)
    fig.update_layout(annotations=notes, meta={"label_boxes": boxes}, showlegend=True,  # also with one grade only
                      legend={"traceorder": "reversed"})
    fig.update_xaxes(title_text=data.get("x_label") or "relevance", range=list(x_range))
    fig.update_yaxes(title_text=data.get("y_label") or "strength", range=list(y_range))
    return _base_layout(fig, lang, height=frame.height, frame=frame)

@plotly_escaped
def expiry_timeline(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Expiry dates of the threatening patents (one row each, coloured by grade) with the
    as-of date and the launch date as vertical lines."""
    items = list(data.get("items") or [])
    fig = _new_figure()
    for grade in GRADE_COLOURS:
        members = [p for p in items if p.get("grade") == grade and p.get("expiry")]
        if not members:
            continue
        fig.add_trace(go.Scatter(
            x=[p["expiry"] for p in members], y=[str(p.get("label", "")) for p in members], mode="markers",
            name=L(f"w.grade.{grade}", lang), customdata=[p.get("risk") for p in members],
            hovertemplate="%{y}<br>%{x}<br>" + L("w.c.risk", lang) + " %{customdata}<extra></extra>",
            marker={"size": 11, "color": GRADE_COLOURS[grade], "symbol": "diamond"},
        ))
    for key, dash, side in (("as_of", "dot", "right"), ("launch", "dash", "left")):  # labels away from each other
        if data.get(key):
            fig.add_vline(x=data[key], line={"color": "#555", "dash": dash, "width": 1})
            fig.add_annotation(x=data[key], y=1.0, yref="paper", text=str(data.get(f"{key}_label") or key),
                               showarrow=False, yanchor="bottom", xanchor=side, font={"size": 11, "color": "#555"})
    fig.update_yaxes(autorange="reversed", automargin=True, type="category")
    fig.update_xaxes(type="date")
    _base_layout(fig, lang, height=max(300, 80 + 24 * len(items)))
    fig.update_layout(margin={"t": 50})
    return fig


#: Applicants labelled on the quantity-versus-quality chart (the ranked ones with most documents).
QUALITY_LABELS = 12


@plotly_escaped
def quality_quantity(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Quantity versus quality: one point per applicant, x = documents (log scale), y = the
    shrunk quality estimate with its 95% interval as error bars; ranked applicants in colour,
    those under the minimum size in grey; dashed line at the world. Labels go to the ranked
    applicants with most documents, where they fit without overlap (fixed geometry, as the
    gap quadrant). The y range fits the ranked applicants' intervals (a one-document interval
    can be very wide; hover shows every value)."""
    points = [p for p in (data.get("points") or []) if p.get("estimate") is not None]
    lx = [math.log10(max(1, int(p.get("documents") or 1))) for p in points]
    est = [float(p["estimate"]) for p in points]
    world = data.get("world")
    ranked = [i for i, p in enumerate(points) if p.get("ranked")] or list(range(len(points)))
    ys = [float(v) for i in ranked for v in (points[i].get("lo"), points[i].get("hi"), est[i]) if v is not None]
    ys += [float(world)] if world is not None else []
    y_range = tuple(_padded_range(ys, low=0.15, high=0.2) or (0.0, 2.0))
    x_range = (min(lx + [0.0]) - 0.15, max(lx + [0.0]) + 0.35)
    frame = Frame(CHART_WIDTH, 480, 70, 30, 30, 50 + LEGEND_ROW, x_range, y_range)
    pix = [(*frame.px(x, y), 5.0) for x, y in zip(lx, est)]
    order = sorted((i for i, p in enumerate(points) if p.get("ranked")),
                   key=lambda i: (-int(points[i].get("documents") or 0), str(points[i].get("label", ""))))[:QUALITY_LABELS]
    labels = place_labels(pix, [str(p.get("label", "")) for p in points], frame, order=order)
    fig = _new_figure()
    for flag, colour, name in ((True, PALETTE[0], data.get("ranked_label") or "ranked"),
                               (False, "#9E9E9E", data.get("listed_label") or "listed")):
        members = [i for i, p in enumerate(points) if bool(p.get("ranked")) == flag]
        if not members:
            continue
        fig.add_trace(go.Scatter(
            x=[lx[i] for i in members], y=[est[i] for i in members], mode="markers", name=name,
            customdata=[[str(points[i].get("label", "")), points[i].get("documents"), points[i].get("lo"), points[i].get("hi")]
                        for i in members],
            hovertemplate="%{customdata[0]}<br>%{customdata[1]:,}<br>%{y:.2f} (%{customdata[2]:.2f}–%{customdata[3]:.2f})"
                          "<extra></extra>",
            error_y={"type": "data", "symmetric": False, "thickness": 1, "width": 0, "color": colour,
                     "array": [float(points[i]["hi"]) - est[i] if points[i].get("hi") is not None else 0 for i in members],
                     "arrayminus": [est[i] - float(points[i]["lo"]) if points[i].get("lo") is not None else 0 for i in members]},
            marker={"size": 10, "color": colour, "opacity": 0.8, "line": {"color": "white", "width": 1}},
        ))
    if world is not None:
        fig.add_hline(y=float(world), line={"color": "#888", "dash": "dash", "width": 1})
    notes, boxes = label_annotations(labels, lx, est)
    fig.update_layout(annotations=notes, meta={"label_boxes": boxes}, showlegend=True)
    top = max([int(p.get("documents") or 1) for p in points] + [1])
    ticks = [v for v in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 20000, 50000, 100000) if v <= 2 * top]
    fig.update_xaxes(title_text=data.get("x_label") or "documents", range=list(x_range),
                     tickvals=[math.log10(v) for v in ticks], ticktext=[f"{v:,}" for v in ticks])
    fig.update_yaxes(title_text=data.get("y_label") or "quality", range=list(y_range))
    return _base_layout(fig, lang, height=frame.height, frame=frame)


CHART_KINDS: dict[str, Callable[..., go.Figure]] = {
    "trend": trend,
    "applicants_over_time": applicants_over_time,
    "field_network": field_network,
    "field_region_heatmap": field_region_heatmap,
    "gap_quadrant": gap_quadrant,
    "life_cycle": life_cycle,
    "main_path": main_path,
    "risk_matrix": risk_matrix,
    "expiry_timeline": expiry_timeline,
    "quality_quantity": quality_quantity,
}


def _register_portfolio_kinds() -> None:
    from .portfolio_charts import PORTFOLIO_CHART_KINDS  # the portfolio report's chart kinds

    CHART_KINDS.update(PORTFOLIO_CHART_KINDS)
    for kind, fn in CHART_KINDS.items():  # every kind escapes its data, whichever module draws it
        CHART_KINDS[kind] = plotly_escaped(fn)


_register_portfolio_kinds()


def make_figure(chart: dict[str, Any], lang: str = "en") -> go.Figure:
    """Build the figure of one chart dict of the report model (``kind``, ``data``, ``note``)."""
    kind = chart.get("kind")
    if kind not in CHART_KINDS:
        raise ValueError(f"unknown chart kind: {kind!r}")
    data = chart.get("data") or {}
    if kind == "main_path":
        return main_path(data, lang, note=chart.get("note"))
    return CHART_KINDS[kind](data, lang)


class Figures:
    """The figures of a report's charts, each built once for every writer.

    ``figures(chart)`` builds the chart's figure on first use (:func:`make_figure`) and keeps
    it as a plotly figure dict, the form :func:`plotly.io.to_html` and the static export take
    without validating again; the HTML page and the Markdown PNGs of one report then render
    the same figure instead of building it twice. A chart whose figure cannot be built
    raises the same error each time it is asked for. Keys are the chart dicts themselves (by
    identity), so build the figures of one report in one thread before sharing them.
    """

    def __init__(self, lang: str = "en"):
        self.lang = lang
        self._built: dict[int, tuple[dict, Any]] = {}

    def __call__(self, chart: dict[str, Any]) -> dict:
        hit = self._built.get(id(chart))
        if hit is None or hit[0] is not chart:  # (the chart is kept, so its id is not reused)
            token = _DEFER_TEMPLATE.set(True)
            try:
                value: Any = _figure_dict(make_figure(chart, self.lang))
            except Exception as exc:  # noqa: BLE001 - each writer decides what a broken chart means
                value = exc
            finally:
                _DEFER_TEMPLATE.reset(token)
            hit = self._built[id(chart)] = (chart, value)
        if isinstance(hit[1], Exception):
            raise hit[1]
        return hit[1]

    def build_all(self, report: dict[str, Any]) -> "Figures":
        """Build every chart's figure of ``report`` now (errors are kept for the writers)."""
        for chart in report_charts(report):
            try:
                self(chart)
            except Exception:  # noqa: BLE001
                pass
        return self


def report_charts(report: dict[str, Any]) -> list[dict[str, Any]]:
    """The chart dicts of a report model, in document order."""
    return [c for s in report.get("sections") or [] for c in s.get("charts") or []]
