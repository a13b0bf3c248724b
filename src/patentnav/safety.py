"""Output safety: patent text is data, never markup or spreadsheet formulas.

* HTML: every text value is escaped with :func:`html.escape` (quotes included).
* CSV/XLSX: a cell whose first character is ``=``, ``+``, ``-``, ``@``, tab or carriage
  return is prefixed with a single quote, following the OWASP "CSV Injection" guidance,
  so spreadsheet programs show it as text instead of evaluating it.
"""

from __future__ import annotations

import html
from typing import Any

__all__ = ["neutralize_csv_cell", "escape_html", "FORMULA_PREFIXES"]

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
