"""Where chart labels go: the ranked items are the labelled ones, and no two labels overlap.

Charts with labelled points (gap quadrant, risk matrix, field map, life cycle) fix their
pixel geometry (:class:`Frame`: figure size, margins, axis ranges), so positions in data
units map to pixels exactly as plotly draws them. :func:`place_labels` then puts each label,
in priority order, at the first free spot of a ring of candidate positions around its point
(right, left, above, below, the diagonals; then farther out, where a leader line joins label
and point). A spot is free when the label's box stays inside the plot area and overlaps no
label placed before it; spots that also keep clear of other points' markers are preferred.
A label that finds no free spot is left out (its point still shows it on hover).

Text boxes are estimated from character classes (CJK characters 1 em wide, capitals and
digits 0.72 em, other letters 0.6 em, at the font size), generous enough for the sans-serif
fonts of the font stack; the placed boxes are returned so tests can check them.

Reference: the greedy candidate-position method of cartographic point labelling (Imhof
1975; Christensen, Marks & Shieber 1995, "An empirical study of algorithms for point-feature
label placement", ACM Transactions on Graphics 14(3)).
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Sequence

import numpy as np

__all__ = ["Frame", "Label", "text_size", "place_labels", "dodge", "overlaps"]


def text_size(text: str, font_size: float = 11.0) -> tuple[float, float]:
    """Estimated (width, height) in pixels of one line of ``text`` at ``font_size`` px."""
    w = 0.0
    for ch in str(text):
        if unicodedata.east_asian_width(ch) in ("W", "F"):
            w += 1.0
        elif ch.isupper() or ch.isdigit():
            w += 0.72
        elif ch.isalpha():
            w += 0.6
        elif ch == " ":
            w += 0.3
        else:
            w += 0.45
    return w * font_size + 4.0, 1.35 * font_size + 2.0


@dataclass(frozen=True)
class Frame:
    """Pixel geometry of a plotly figure with fixed size, margins and axis ranges.

    Pixels count from the figure's top-left corner, y downwards.
    """

    width: float
    height: float
    left: float
    right: float
    top: float
    bottom: float
    x_range: tuple[float, float]
    y_range: tuple[float, float]

    @property
    def plot(self) -> tuple[float, float, float, float]:
        """The plot area (x0, y0, x1, y1) in pixels."""
        return self.left, self.top, self.width - self.right, self.height - self.bottom

    def px(self, x: float, y: float) -> tuple[float, float]:
        """Data coordinates -> pixels."""
        x0, y0, x1, y1 = self.plot
        (a, b), (c, d) = self.x_range, self.y_range
        return x0 + (x - a) / (b - a) * (x1 - x0), y1 - (y - c) / (d - c) * (y1 - y0)

    def data_x(self, px: float) -> float:
        """Pixel column -> data x."""
        x0, _, x1, _ = self.plot
        a, b = self.x_range
        return a + (px - x0) / (x1 - x0) * (b - a)

    def layout(self) -> dict:
        """The plotly layout keys that make plotly draw this geometry."""
        return {"width": self.width, "height": self.height, "autosize": False,
                "margin": {"l": self.left, "r": self.right, "t": self.top, "b": self.bottom, "autoexpand": False}}


@dataclass(frozen=True)
class Label:
    """A placed label: its text, its point (pixels), its box's centre and size (pixels),
    whether a leader line joins box and point, and the point's marker radius."""

    text: str
    point: tuple[float, float]
    center: tuple[float, float]
    size: tuple[float, float]
    leader: bool
    radius: float = 0.0

    @property
    def box(self) -> tuple[float, float, float, float]:
        (cx, cy), (w, h) = self.center, self.size
        return cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2

    @property
    def offset(self) -> tuple[float, float]:
        """Box centre relative to the point, in pixels (plotly's ``ax``/``ay`` and shifts)."""
        return self.center[0] - self.point[0], self.center[1] - self.point[1]


def overlaps(a: Sequence[float], b: Sequence[float], pad: float = 0.0) -> bool:
    """Whether boxes ``(x0, y0, x1, y1)`` overlap (touching with ``pad`` counts)."""
    return not (a[2] + pad <= b[0] or b[2] + pad <= a[0] or a[3] + pad <= b[1] or b[3] + pad <= a[1])


def _hits_any(box, pts: np.ndarray, skip: int) -> bool:
    """Whether ``box`` covers part of any marker circle ``pts[j] = (x, y, r)``, ``j != skip``."""
    nx = np.clip(pts[:, 0], box[0], box[2])
    ny = np.clip(pts[:, 1], box[1], box[3])
    hit = (nx - pts[:, 0]) ** 2 + (ny - pts[:, 1]) ** 2 < pts[:, 2] ** 2
    if 0 <= skip < len(hit):
        hit[skip] = False
    return bool(hit.any())


#: Unit directions tried around a point: right, left, above, below, then the diagonals.
_DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))


def place_labels(points: Sequence[tuple[float, float, float]], texts: Sequence[str | None], frame: Frame,
                 order: Sequence[int] | None = None, font_size: float = 11.0, gap: float = 3.0,
                 max_distance: float = 170.0, pad: float = 2.0, clear_reach: float = 36.0) -> list[Label | None]:
    """Place the labels ``texts[i]`` of points ``(x_px, y_px, marker_radius_px)``.

    ``order``: the indices in priority order (default: as given); ``None`` texts get no
    label. A spot clear of other markers is preferred up to ``clear_reach`` pixels away;
    beyond that the nearest spot free of labels is taken. Returns one :class:`Label` or
    None per point.
    """
    x0, y0, x1, y1 = frame.plot
    pts = np.asarray(points, dtype=float).reshape(-1, 3)
    placed: list[Label] = []
    out: list[Label | None] = [None] * len(points)
    rings = [0.0] + [d for d in (10, 22, 36, 52, 70, 90, 115, 140, 170, 200) if d <= max_distance]
    for i in (range(len(points)) if order is None else order):
        text = texts[i]
        if not text:
            continue
        px, py, r = points[i]
        w, h = text_size(text, font_size)
        chosen = fallback = None
        for extra in rings:
            for dx, dy in _DIRECTIONS:
                norm = math.hypot(dx, dy)
                dist = r + gap + extra
                # the box edge, not its centre, sits ``dist`` from the point
                cx = px + dx / norm * dist + dx * w / 2
                cy = py + dy / norm * dist + dy * h / 2
                box = (cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2)
                if box[0] < x0 or box[2] > x1 or box[1] < y0 or box[3] > y1:
                    continue
                if any(overlaps(box, q.box, pad) for q in placed):
                    continue
                cand = Label(str(text), (px, py), (cx, cy), (w, h), extra > 0, r)
                if not _hits_any(box, pts, i):
                    chosen = cand
                    break
                fallback = fallback or cand  # free of labels, but on another point's marker
            if chosen is not None:
                break
            if fallback is not None and extra >= clear_reach:
                chosen = fallback
                break
        best = chosen or fallback
        if best is not None:
            placed.append(best)
            out[i] = best
    return out


def dodge(points: Sequence[tuple[float, float, float]], order: Sequence[int], direction: float = -1.0,
          limit: float = 120.0, step: float = 2.0) -> list[float]:
    """Horizontal pixel shifts that keep markers ``(x_px, y_px, radius_px)`` of a crowded
    column from covering each other (a one-sided beeswarm): each marker, in ``order``, moves
    in ``direction`` by the least multiple of ``step`` (at most ``limit``) that clears the
    markers placed before it; with no clear spot it takes the least crowded one."""
    shifts = [0.0] * len(points)
    done: list[int] = []
    for i in order:
        x, y, r = points[i]
        best, best_cost = 0.0, math.inf
        k = 0
        while k * step <= limit:
            s = direction * k * step
            cost = sum(max(0.0, r + points[j][2] - math.hypot(x + s - points[j][0] - shifts[j], y - points[j][1]))
                       for j in done)
            if cost <= 0.0:
                best, best_cost = s, 0.0
                break
            if cost < best_cost - 1e-9:
                best, best_cost = s, cost
            k += 1
        shifts[i] = best
        done.append(i)
    return shifts
