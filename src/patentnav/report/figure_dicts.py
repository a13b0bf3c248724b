"""Plotly figure dicts without plotly's objects: the few parts of ``plotly.graph_objects`` the
report's chart functions use, building the dict ``fig.to_dict()`` would give.

Building a ``go.Figure`` validates every property against plotly's schema (about 0.4 s for
the eight charts of the bundled sample, most of it importing validators), only for the
figure to be turned back into a dict (:class:`patentnav.report.charts.Figures`). The classes
here build that dict directly, following what plotly does with the same calls (checked
against plotly on the report's charts and random ones: ``tests/test_sample_speed_lane.py``):

* a trace, an annotation or a shape is made by its constructor: its properties in
  alphabetical order (the order of plotly's generated constructors), nested objects
  (``marker``, ``line``, ``font``...) likewise, None left out, a trace's ``type`` last;
* ``update_layout`` / ``update_xaxes`` / ``update_yaxes`` are one batch each: an object
  (a dict value) takes its place in its parent when the call first sets something inside
  it, every other value (numbers, text, lists, ``meta``, ``annotations``) is set at the end
  of the call, in the order given (a key already present keeps its place; None or an empty
  list of annotations or shapes removes it); ``title_text`` means ``title.text``;
* ``add_shape`` / ``add_annotation`` append at once; ``add_hline`` / ``add_vline`` draw a line
  across the plot (``x domain`` / ``y domain``), also on a figure without traces (no subplot grid);
* a named colour scale (``"Blues"``) becomes its list of stops, as plotly's validator makes it.

Only what the chart functions call is here; anything else is an AttributeError, never a
silently different figure.
"""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["Figure", "Scatter", "Bar", "Heatmap", "layout"]

#: Properties whose dict value is data, not a plotly object (kept as given, not sorted).
_DATA_PROPS = frozenset({"meta", "customdata"})
#: Properties named with an underscore (not a "magic underscore" path such as ``title_text``).
_UNDERSCORE_PROPS = frozenset({"error_x", "error_y"})


def _constructed(props: dict) -> dict:
    """``props`` as a plotly constructor stores them: keys in alphabetical order, nested
    objects likewise, None values left out, named colour scales as their stops."""
    out = {}
    for key in sorted(props):
        value = props[key]
        if value is None:
            continue
        if isinstance(value, dict) and key not in _DATA_PROPS:
            value = _constructed(value)
        elif key == "colorscale" and isinstance(value, str):
            value = _named_colorscale(value)
        out[key] = value
    return out


def _named_colorscale(name: str):
    """A named colour scale as plotly's validator turns it into stops."""
    from _plotly_utils.basevalidators import ColorscaleValidator

    return ColorscaleValidator("colorscale", "heatmap").validate_coerce(name)


def _expand(key: str, value: Any) -> tuple[str, Any]:
    """``title_text=v`` -> ``("title", {"text": v})`` (plotly's magic underscores)."""
    if "_" in key and key not in _UNDERSCORE_PROPS:
        head, rest = key.split("_", 1)
        sub_key, sub_value = _expand(rest, value)
        return head, {sub_key: sub_value}
    return key, value


def _has_value(value: Any) -> bool:
    """Whether an update sets anything (a dict: any value inside it that is not None)."""
    if isinstance(value, dict):
        return any(_has_value(_expand(k, v)[1]) for k, v in value.items())
    return value is not None


def _update(target: dict, updates: dict, deferred: list) -> None:
    """One level of a batch update (see the module doc): objects now, values at the end."""
    for key, value in updates.items():
        key, value = _expand(key, value)
        if isinstance(value, dict) and key not in _DATA_PROPS and not isinstance(value, _Template):
            if _has_value(value):  # plotly makes the object when something inside it is set
                _update(target.setdefault(key, {}), value, deferred)
        else:
            deferred.append((target, key, value))


def _batch(target: dict, updates: dict) -> None:
    deferred: list = []
    _update(target, updates, deferred)
    for parent, key, value in deferred:
        if value is None or (key in ("annotations", "shapes") and not value):  # an empty list clears, as in plotly
            parent.pop(key, None)
        elif isinstance(value, _Template):
            parent[key] = value.props
        elif key in ("annotations", "shapes"):
            parent[key] = [_constructed(v) for v in value]
        else:
            parent[key] = value


class _Trace(dict):
    """A trace as its constructor stores it (``type`` last); ``name`` and ``showlegend`` read
    like a plotly trace's."""

    kind = ""

    def __init__(self, **props: Any):
        super().__init__(_constructed(props))
        self["type"] = self.kind

    @property
    def name(self):
        return self.get("name")

    @property
    def showlegend(self):
        return self.get("showlegend")


class Scatter(_Trace):
    kind = "scatter"


class Bar(_Trace):
    kind = "bar"


class Heatmap(_Trace):
    kind = "heatmap"


class _Template:
    """``go.layout.Template(props)``: a template set as a whole (an object replaces, as in plotly)."""

    def __init__(self, props: dict):
        self.props = copy.deepcopy(props)


class layout:  # noqa: N801 - mirrors ``plotly.graph_objects.layout``
    Template = _Template


class Figure:
    """The figure dict under construction (``to_dict()``), starting with a template (the
    layout's first key, as plotly's default template would be)."""

    def __init__(self, data=None, layout: dict | None = None):
        self._data: list[_Trace] = [] if data is None else ([data] if isinstance(data, _Trace) else list(data))
        self._layout: dict = {}
        if layout:
            _batch(self._layout, layout)

    @property
    def data(self) -> tuple:
        return tuple(self._data)

    def add_trace(self, trace: _Trace) -> "Figure":
        self._data.append(trace)
        return self

    def update_layout(self, dict1: dict | None = None, **kwargs: Any) -> "Figure":
        _batch(self._layout, {**(dict1 or {}), **kwargs})
        return self

    def _update_axis(self, name: str, kwargs: dict) -> "Figure":
        _batch(self._layout, {name: kwargs})
        return self

    def update_xaxes(self, **kwargs: Any) -> "Figure":
        return self._update_axis("xaxis", kwargs)

    def update_yaxes(self, **kwargs: Any) -> "Figure":
        return self._update_axis("yaxis", kwargs)

    def _append(self, plural: str, props: dict) -> "Figure":
        self._layout[plural] = [*self._layout.get(plural, ()), _constructed(props)]
        return self

    def add_shape(self, **props: Any) -> "Figure":
        return self._append("shapes", props)

    def add_annotation(self, **props: Any) -> "Figure":
        return self._append("annotations", props)

    def add_hline(self, y, **props: Any) -> "Figure":
        return self.add_shape(**{"type": "line", "x0": 0, "x1": 1, "xref": "x domain", "y0": y, "y1": y, "yref": "y", **props})

    def add_vline(self, x, **props: Any) -> "Figure":
        return self.add_shape(**{"type": "line", "x0": x, "x1": x, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain", **props})

    def to_dict(self, copies: bool = True) -> dict:
        """``{"data": [...], "layout": {...}}``, copies (as plotly's ``to_dict``); with
        ``copies=False`` the figure's own traces and layout (for a figure let go at once)."""
        data, layout_ = [dict(t) for t in self._data], self._layout
        return {"data": copy.deepcopy(data), "layout": copy.deepcopy(layout_)} if copies else {"data": data, "layout": layout_}
