"""How numbers look in human-facing renderings (HTML, Markdown); JSON keeps raw numbers.

* columns whose key is ``share`` or ends with ``_share``: percentages with one decimal
  (``0.502701`` -> ``50.3%``);
* other floats: three significant digits, thousands separators for large values;
* integers: thousands separators (``9071`` -> ``9,071``).
"""

from __future__ import annotations

import math
from typing import Any

__all__ = ["display_value", "is_share_column"]


def is_share_column(key: str | None) -> bool:
    return bool(key) and (key == "share" or key.endswith("_share"))


def display_value(value: Any, key: str | None = None) -> Any:
    """The text shown for a table cell (non-numbers are returned unchanged)."""
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if is_share_column(key):
            return f"{100 * value:.1f}%"
        if value != 0 and abs(value) < 1000:
            return f"{value:.3g}"
        return f"{value:,.0f}"
    return value
