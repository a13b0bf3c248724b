"""Labels of the landscape report: a thin view of :mod:`patentnav.i18n` with the report's
conventions (Chinese by default; an unknown key, such as a category value that has no
label, comes back unchanged).
"""

from __future__ import annotations

from ..i18n import _MESSAGES, t

__all__ = ["L", "has_label"]


def has_label(key: str) -> bool:
    """Whether ``key`` is in the label catalog."""
    return key in _MESSAGES


def L(key: str, lang: str = "zh", /, **fmt) -> str:
    """The label ``key`` in ``lang`` ("zh" or "en"), formatted with ``fmt``; unknown keys come back as-is."""
    if key not in _MESSAGES:
        return key
    return t(key, "zh" if lang == "zh" else "en", **fmt)
