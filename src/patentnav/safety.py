"""Output safety: patent text is data, never markup, formulas or terminal commands.

* HTML: every text value is escaped with :func:`html.escape` (quotes included).
* CSV/XLSX: a cell whose first character is ``=``, ``+``, ``-``, ``@``, tab or carriage
  return is prefixed with a single quote, following the OWASP "CSV Injection" guidance,
  so spreadsheet programs show it as text instead of evaluating it.
* Terminal: control characters (ESC sequences, OSC links and titles, C1 controls, bidi
  overrides) are shown as visible escapes (:func:`terminal_safe`); Rich markup in data is
  escaped (:func:`rich_safe`).
* plotly: the pseudo-HTML plotly.js renders in chart text (``<a href>``, ``<br>``,
  ``<span style>``) is escaped in every string from data (:func:`escape_plotly`).
"""

from __future__ import annotations

import functools
import html
import re
from typing import Any, Callable

__all__ = ["neutralize_csv_cell", "escape_html", "FORMULA_PREFIXES", "terminal_safe", "rich_safe", "escape_plotly",
           "escape_plotly_tree", "plotly_escaped"]

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize_csv_cell(value: Any) -> Any:
    """Prefix a text cell that a spreadsheet would read as a formula with ``'``.

    Numbers are left alone (a negative number is not a formula).

    >>> neutralize_csv_cell("=HYPERLINK(\\"http://x\\")")
    '\\'=HYPERLINK("http://x")'
    >>> neutralize_csv_cell(-3)
    -3
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def escape_html(value: Any) -> str:
    """HTML-escape any value's text (``None`` becomes an empty string)."""
    return "" if value is None else html.escape(str(value), quote=True)


# --- terminals ---------------------------------------------------------------------------

#: Characters that must not reach a terminal raw: C0 controls but tab and line feed (ESC
#: starts CSI/OSC sequences that move the cursor, set the window title or make links), DEL,
#: C1 controls (0x9B is an 8-bit CSI), bidirectional overrides and isolates (text shown in
#: another order than it is), line/paragraph separators and the BOM.
_TERMINAL_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]")


def _visible(m: re.Match) -> str:
    c = ord(m.group())
    return f"\\x{c:02x}" if c < 0x100 else f"\\u{c:04x}"


def terminal_safe(value: Any, *, newlines: bool = True) -> str:
    """Text of ``value`` with every terminal control character shown as a visible escape.

    ``ESC`` becomes ``\\x1b``, a right-to-left override ``\\u202e``; tab and (with
    ``newlines=True``) line feeds stay, ``\\r\\n`` becomes ``\\n``. ``None`` is ``""``.

    >>> terminal_safe("\\x1b]8;;http://x\\x07click\\x1b]8;;\\x07")
    '\\\\x1b]8;;http://x\\\\x07click\\\\x1b]8;;\\\\x07'
    >>> terminal_safe("a\\nb", newlines=False)
    'a\\\\x0ab'
    """
    if value is None:
        return ""
    if isinstance(value, float) and value != value:  # NaN from a data frame
        return ""
    s = str(value).replace("\r\n", "\n")
    if not newlines:
        s = s.replace("\n", "\\x0a")
    return _TERMINAL_UNSAFE.sub(_visible, s)


def rich_safe(value: Any, *, newlines: bool = True) -> str:
    """``value`` for Rich markup strings: terminal-safe (:func:`terminal_safe`) and with Rich
    markup escaped, so ``[/]`` or ``[link=...]`` in data print as written.

    >>> rich_safe("[/] [bold]x")
    '\\\\[/] \\\\[bold]x'
    """
    from rich.markup import escape

    return escape(terminal_safe(value, newlines=newlines))


# --- plotly ------------------------------------------------------------------------------

def escape_plotly(value: Any) -> Any:
    """A data string for a plotly figure: plotly.js renders a subset of HTML in every text
    (labels, legends, hovers, annotations, tick labels): ``<a href>`` becomes a live link,
    ``<br>``/``<span style>`` change the layout. ``&``, ``<`` and ``>`` become entities,
    which plotly.js shows as the characters. Non-strings are returned as they are.

    >>> escape_plotly('<a href="https://evil.example">x</a> & co')
    '&lt;a href="https://evil.example"&gt;x&lt;/a&gt; &amp; co'
    """
    if not isinstance(value, str):
        return value
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_plotly_tree(obj: Any) -> Any:
    """:func:`escape_plotly` applied to every string in nested dicts/lists/tuples (dict keys
    stay as they are): the chart data of a report model, before any figure is built."""
    if isinstance(obj, str):
        return escape_plotly(obj)
    if isinstance(obj, dict):
        return {k: escape_plotly_tree(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [escape_plotly_tree(v) for v in obj] if isinstance(obj, list) else tuple(escape_plotly_tree(v) for v in obj)
    return obj


def plotly_escaped(chart_fn: Callable) -> Callable:
    """Decorator for a chart function ``(data, lang, ...) -> Figure``: the function receives its
    data (and any further arguments, e.g. a note) with every string escaped by
    :func:`escape_plotly_tree`. Every chart kind of the reports is wrapped once (the wrapper
    is marked, so wrapping again changes nothing and nothing is escaped twice)."""
    if getattr(chart_fn, "plotly_escaped", False):
        return chart_fn

    @functools.wraps(chart_fn)
    def wrapper(data, lang: str = "en", *args, **kwargs):
        return chart_fn(escape_plotly_tree(data or {}), lang, *escape_plotly_tree(list(args)),
                        **{k: escape_plotly_tree(v) for k, v in kwargs.items()})

    wrapper.plotly_escaped = True
    return wrapper
