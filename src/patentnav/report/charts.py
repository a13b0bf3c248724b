"""Plotly figures for the chart kinds of the report model (see the report contract).

One function per chart kind; each takes the chart's ``data`` dict (plain JSON) and the
report language and returns a :class:`plotly.graph_objects.Figure`.  Layouts are
deterministic: node positions come from the model (field network) or from the year
(main path), never from a random layout.  :func:`make_figure` dispatches on ``kind``.

Every string of the chart data is escaped for plotly's pseudo-HTML
(:func:`patentnav.safety.plotly_escaped` on every chart kind) before a figure is built: an applicant named
``<a href="https://evil.example">`` shows as that text, never as a link, in labels,
legends, hovers, tick labels and annotations.
"""

from __future__ import annotations

from typing import Any, Callable

import plotly.graph_objects as go

from ..safety import plotly_escaped

from .labels import L, has_label
from .parts import MAP_EDGES, MAP_LABELS

__all__ = [
    "FONT_FAMILY",
    "CHART_KINDS",
    "make_figure",
    "trend",
    "applicants_over_time",
    "field_network",
    "field_region_heatmap",
    "gap_quadrant",
    "life_cycle",
    "main_path",
    "risk_matrix",
    "expiry_timeline",
]

FONT_FAMILY = (
    'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, '
    '"Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif'
)

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


def _base_layout(fig: go.Figure, *, height: int = 420) -> go.Figure:
    fig.update_layout(
        template="plotly_white",
        font={"family": FONT_FAMILY, "size": 13},
        height=height,
        margin={"l": 60, "r": 30, "t": 30, "b": 50},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "xanchor": "left", "x": 0},
        hoverlabel={"font": {"family": FONT_FAMILY}},
    )
    return fig


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
    fig = go.Figure()
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
    return _base_layout(fig)


@plotly_escaped
def applicants_over_time(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """One line per applicant over the years."""
    years = list(data.get("years") or [])
    fig = go.Figure()
    for i, s in enumerate(data.get("series") or []):
        fig.add_trace(go.Scatter(x=years, y=list(s.get("counts") or []), mode="lines+markers",
                                 name=str(s.get("name", "")),
                                 line={"color": PALETTE[i % len(PALETTE)], "width": 2}))
    fig.update_xaxes(title_text=_t("year", lang))
    fig.update_yaxes(title_text=_t("applications", lang), rangemode="tozero")
    return _base_layout(fig)


#: Bubbles labelled on the gap quadrant (the largest with RCA > 0); all show their label on hover.
QUADRANT_LABELS = 30


@plotly_escaped
def field_network(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """VOSviewer-style map: nodes at the model's x/y sized by patents and labelled, the
    strongest links (association strength) as grey lines; colour by field."""
    nodes = list(data.get("nodes") or [])
    pos = {str(n["id"]): (n.get("x", 0.0), n.get("y", 0.0)) for n in nodes}
    fig = go.Figure()
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
    sizes = [float(n.get("size") or 1.0) for n in nodes]
    smax = max(sizes) if sizes else 1.0
    labelled = {str(n["id"]) for n in sorted(nodes, key=lambda n: (-float(n.get("size") or 0), str(n["id"])))[:MAP_LABELS]}
    fig.add_trace(go.Scatter(
        x=[n.get("x", 0.0) for n in nodes], y=[n.get("y", 0.0) for n in nodes],
        mode="markers+text", showlegend=False,
        text=[(f"{n.get('field')} " + " / ".join(str(n.get("label", "")).split(" / ")[:2]) if str(n["id"]) in labelled else "")
              for n in nodes],
        customdata=[[n.get("field"), str(n.get("label", "")), n.get("size")] for n in nodes],
        textposition="bottom center", textfont={"size": 11},
        hovertemplate=_t("field", lang) + " %{customdata[0]}: %{customdata[1]}<br>%{customdata[2]:,}<extra></extra>",
        marker={"size": [8 + 34 * (float(n.get("size") or 1.0) / smax) ** 0.5 for n in nodes],
                "color": [PALETTE[int(n.get("field") or 0) % len(PALETTE)] for n in nodes],
                "line": {"color": "white", "width": 1}, "opacity": 0.85},
    ))
    xs = [float(n.get("x", 0.0)) for n in nodes] or [0.0]
    ys = [float(n.get("y", 0.0)) for n in nodes] or [0.0]
    fig.update_xaxes(visible=False, range=_padded_range(xs, low=0.12, high=0.12))
    fig.update_yaxes(visible=False, range=_padded_range(ys, low=0.14, high=0.08), scaleanchor="x", scaleratio=1)
    return _base_layout(fig, height=600)


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
    fig = go.Figure(go.Heatmap(
        z=values, x=cols, y=rows, hoverongaps=False, **scale,
        colorbar={"title": {"text": str(data.get("measure") or "")}},
        hovertemplate="%{y} · %{x}: %{z}<extra></extra>",
    ))
    fig.update_yaxes(autorange="reversed", automargin=True)
    fig.update_xaxes(automargin=True)
    return _base_layout(fig, height=max(300, 40 + 28 * len(rows)))


@plotly_escaped
def gap_quadrant(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """RCA (x) vs density (y) bubbles, coloured by category; dashed lines at RCA = 1 and at the
    density threshold of the "fill now" category (``data["threshold"]``, from the gap analysis)."""
    points = list(data.get("points") or [])
    sizes = [float(p.get("size") or 1.0) for p in points]
    smax = max(sizes) if sizes else 1.0
    fig = go.Figure()
    order = {c: k for k, c in enumerate(("fill_now", "long_term", "strength", "declining", "other"))}
    cats = sorted({str(p.get("category", "")) for p in points}, key=lambda c: (order.get(c, len(order)), c))
    # label the biggest bubbles away from the crowded RCA = 0 axis; hover shows every label
    ranked = sorted(points, key=lambda p: (-float(p.get("size") or 0.0), str(p.get("label", ""))))
    labelled = {id(p) for p in [p for p in ranked if float(p.get("rca") or 0.0) > 0][:QUADRANT_LABELS]}
    for i, c in enumerate(cats):
        members = [p for p in points if str(p.get("category", "")) == c]
        fig.add_trace(go.Scatter(
            x=[p.get("rca") for p in members], y=[p.get("density") for p in members],
            mode="markers+text", name=L(f"cat.{c}", lang) if has_label(f"cat.{c}") else c,
            text=[str(p.get("label", "")) if id(p) in labelled else "" for p in members],
            customdata=[str(p.get("label", "")) for p in members],
            textposition="top center", textfont={"size": 11},
            hovertemplate="%{customdata}<br>RCA %{x:.2f}<br>%{y:.3f}<extra></extra>",
            marker={"size": [10 + 30 * (float(p.get("size") or 1.0) / smax) ** 0.5 for p in members],
                    "color": PALETTE[i % len(PALETTE)], "opacity": 0.75,
                    "line": {"color": "white", "width": 1}},
        ))
    threshold = data.get("threshold")
    if threshold is None:  # older models: the median density of the points drawn
        dens = sorted(float(p.get("density") or 0.0) for p in points)
        threshold = (dens[len(dens) // 2] if len(dens) % 2 else (dens[len(dens) // 2 - 1] + dens[len(dens) // 2]) / 2) \
            if dens else None
    if threshold is not None:  # the density above which an RCA < 1 technology is "fill now"
        fig.add_hline(y=float(threshold), line={"color": "#888", "dash": "dash", "width": 1})
    fig.add_vline(x=1.0, line={"color": "#888", "dash": "dash", "width": 1})
    fig.update_xaxes(title_text=data.get("x_label") or "RCA",
                     range=_padded_range([p.get("rca") for p in points] + [0.0, 1.0], low=0.04, high=0.08))
    fig.update_yaxes(title_text=data.get("y_label") or _t("density", lang),
                     range=_padded_range([p.get("density") for p in points] + ([threshold] if threshold is not None else []),
                                         low=0.1, high=0.16))
    return _base_layout(fig, height=480)


@plotly_escaped
def life_cycle(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Technology life-cycle path: x applicants, y applications, points labelled by year."""
    years = list(data.get("years") or [])
    fig = go.Figure(go.Scatter(
        x=list(data.get("applicants") or []), y=list(data.get("applications") or []),
        mode="lines+markers+text", text=[str(y) for y in years], textposition="top center",
        textfont={"size": 11}, line={"color": PALETTE[0], "width": 2},
        marker={"size": 8, "color": PALETTE[0]}, showlegend=False,
        hovertemplate="%{text}: %{x}, %{y}<extra></extra>",
    ))
    fig.update_xaxes(title_text=_t("applicants", lang),
                     range=_padded_range(list(data.get("applicants") or []), high=0.06, from_zero=True))
    fig.update_yaxes(title_text=_t("applications", lang),
                     range=_padded_range(list(data.get("applications") or []), high=0.1, from_zero=True))
    return _base_layout(fig)


@plotly_escaped
def main_path(data: dict[str, Any], lang: str = "en", note: str | None = None) -> go.Figure:
    """Directed layered diagram: x = year (layer), nodes stacked in order; arrows for edges."""
    nodes = list(data.get("nodes") or [])
    edges = list(data.get("edges") or [])
    fig = go.Figure()
    if not edges:
        fig.add_annotation(text=note or _t("no_path", lang), x=0.5, y=0.5, xref="paper",
                           yref="paper", showarrow=False, font={"size": 14, "color": "#666"})
        fig.update_xaxes(visible=False)
        fig.update_yaxes(visible=False)
        return _base_layout(fig, height=220)
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
    return _base_layout(fig, height=max(260, 120 + 90 * depth))


#: Colours of the risk grades.
GRADE_COLOURS = {"high": "#C0392B", "medium": "#E69F00", "watch": "#2E86C1", "low": "#7F8C8D"}


@plotly_escaped
def risk_matrix(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Risk matrix: relevance (x) against strength (y), one bubble per patent, bubble size =
    risk, colour = grade; dashed lines at the grade boundaries are not drawn because the
    grade also depends on status and holder (hover shows all parts)."""
    points = list(data.get("points") or [])
    fig = go.Figure()
    for grade in GRADE_COLOURS:
        members = [p for p in points if p.get("grade") == grade]
        if not members:
            continue
        fig.add_trace(go.Scatter(
            x=[p.get("relevance") for p in members], y=[p.get("strength") for p in members],
            mode="markers+text", name=L(f"w.grade.{grade}", lang),
            text=[str(p.get("label", "")) if grade in ("high", "medium") else "" for p in members],
            customdata=[[str(p.get("label", "")), p.get("risk"), str(p.get("holder", "")), str(p.get("status", ""))]
                        for p in members],
            textposition="top center", textfont={"size": 10},
            hovertemplate="%{customdata[0]}<br>%{customdata[2]}<br>%{customdata[3]}<br>"
                          + L("w.c.risk", lang) + " %{customdata[1]}<extra></extra>",
            marker={"size": [8 + 0.3 * float(p.get("risk") or 0.0) for p in members], "color": GRADE_COLOURS[grade],
                    "opacity": 0.8, "line": {"color": "white", "width": 1}},
        ))
    fig.update_xaxes(title_text=data.get("x_label") or "relevance", range=[-0.03, 1.05])
    fig.update_yaxes(title_text=data.get("y_label") or "strength", range=[-0.03, 1.08])
    fig.update_layout(showlegend=True)  # also when only one grade is present
    return _base_layout(fig, height=460)


@plotly_escaped
def expiry_timeline(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Expiry dates of the threatening patents (one row each, coloured by grade) with the
    as-of date and the launch date as vertical lines."""
    items = list(data.get("items") or [])
    fig = go.Figure()
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
    _base_layout(fig, height=max(300, 80 + 24 * len(items)))
    fig.update_layout(margin={"l": 60, "r": 30, "t": 50, "b": 50})
    return fig


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
