"""Plotly figures of the portfolio report's chart kinds: fee timeline, value distribution
against the cohort, decision matrix (registered in :data:`patentnav.report.charts.CHART_KINDS`)."""

from __future__ import annotations

from typing import Any

from ..safety import plotly_escaped
from .charts import PALETTE, _base_layout, _new_figure, go
from .labels import L

__all__ = ["fee_timeline", "value_distribution", "decision_matrix", "PORTFOLIO_CHART_KINDS", "DECISION_COLOURS"]

#: Colours of the decisions.
DECISION_COLOURS = {"keep": "#0072B2", "license_or_sell": "#009E73", "pool": "#CC79A7", "abandon": "#D55E00",
                    "review": "#7F7F7F", "ended": "#BBBBBB"}


@plotly_escaped
def fee_timeline(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Fees falling due per year, stacked by office (one currency per chart)."""
    years = [str(y) for y in data.get("years") or []]
    fig = _new_figure()
    for i, s in enumerate(data.get("series") or []):
        fig.add_trace(go.Bar(x=years, y=list(s.get("amounts") or []), name=str(s.get("name", "")),
                             marker={"color": PALETTE[i % len(PALETTE)]},
                             hovertemplate="%{x}: %{y:,.0f} " + str(data.get("currency") or "") + "<extra>%{fullData.name}</extra>"))
    fig.update_layout(barmode="stack", showlegend=True)
    fig.update_xaxes(title_text=L("pf.c.year", lang), type="category")
    fig.update_yaxes(title_text=str(data.get("y_label") or ""), rangemode="tozero", tickformat=",")
    return _base_layout(fig, height=380)


@plotly_escaped
def value_distribution(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Share of the portfolio and of its cohorts in each tenth of the value index."""
    bins = list(data.get("bins") or [])
    mids = [f"{bins[i]:.1f}–{bins[i + 1]:.1f}" for i in range(len(bins) - 1)]
    fig = _new_figure()
    fig.add_trace(go.Bar(x=mids, y=list(data.get("cohort") or []), name=str(data.get("cohort_label") or "cohort"),
                         marker={"color": "rgba(127,127,127,0.45)"}, hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    fig.add_trace(go.Bar(x=mids, y=list(data.get("portfolio") or []), name=str(data.get("portfolio_label") or "portfolio"),
                         marker={"color": PALETTE[0]}, hovertemplate="%{x}: %{y:.1%}<extra></extra>"))
    fig.update_layout(barmode="group", showlegend=True)
    fig.update_xaxes(title_text=str(data.get("x_label") or ""), type="category")
    fig.update_yaxes(title_text=str(data.get("y_label") or ""), tickformat=".0%", rangemode="tozero")
    return _base_layout(fig, height=380)


@plotly_escaped
def decision_matrix(data: dict[str, Any], lang: str = "en") -> go.Figure:
    """Value index (x) against others' interest (y), one point per alive right, coloured by decision."""
    points = list(data.get("points") or [])
    fig = _new_figure()
    for d in ("license_or_sell", "abandon", "pool", "keep", "review"):
        members = [p for p in points if p.get("decision") == d]
        if not members:
            continue
        fig.add_trace(go.Scatter(
            x=[p.get("value") for p in members], y=[p.get("interest") for p in members], mode="markers",
            name=str(members[0].get("decision_label") or d),
            customdata=[[str(p.get("label", "")), p.get("fees")] for p in members],
            hovertemplate="%{customdata[0]}<br>%{x:.2f} · %{y:.2f}<extra></extra>",
            marker={"size": 11, "color": DECISION_COLOURS.get(d, "#333"), "opacity": 0.85,
                    "line": {"color": "white", "width": 1}}))
    for key, axis in (("x_threshold", "x"), ("y_threshold", "y")):
        if data.get(key) is not None:
            line = {"color": "#888", "dash": "dash", "width": 1}
            (fig.add_vline if axis == "x" else fig.add_hline)(float(data[key]), line=line)
    fig.update_xaxes(title_text=str(data.get("x_label") or ""), range=[-0.03, 1.03])
    fig.update_yaxes(title_text=str(data.get("y_label") or ""), range=[-0.03, 1.06])
    fig.update_layout(showlegend=True)
    return _base_layout(fig, height=460)


PORTFOLIO_CHART_KINDS = {"fee_timeline": fee_timeline, "value_distribution": value_distribution,
                         "decision_matrix": decision_matrix}
