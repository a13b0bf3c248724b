"""Product profile for infringement-risk screening (专利预警: 产品技术画像).

A :class:`ProductProfile` describes the product an export firm wants to sell abroad: its
technical features, bilingual keywords, IPC/CPC codes, the firm's own names (never counted
as threats), competitors to watch, target markets and launch date. ``patentnav warn``
reads it from a TOML or JSON file; the format, every key and every validation rule are in
``docs/warning-profile.md`` and ``examples/drone_product.toml`` is a complete example.

* :meth:`ProductProfile.from_file` - read a ``.toml`` or ``.json`` file.
* :meth:`ProductProfile.from_dict` - build from a mapping with the same keys.
* :meth:`ProductProfile.with_options` - override fields (command-line options).
* :meth:`ProductProfile.to_dict`, :meth:`ProductProfile.query_texts`.

Every problem raises :class:`ProfileError` naming the file, line and key, and saying how to
fix it::

    product.toml, line 7, field 'codes': 'B64 39' is not a valid IPC/CPC code; write codes
    like 'B64C 39/024' or 'B64U10/13'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import json
import os
import re
import sys
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Callable, Mapping

from ..classify.ipc import parse_ipc

from ..limits import limit_hint

__all__ = ["ProductProfile", "ProfileError", "DATE_RANGE"]

#: canonical keys of a profile file, in file order
_FIELDS = ("name", "description", "features", "keywords", "codes", "own_names", "competitors", "markets",
           "launch_date", "source")
#: accepted alias -> canonical key (values of an alias and its key are merged)
_ALIASES = {"ipc": "codes", "cpc": "codes", "aliases": "own_names", "market": "markets"}
_KEYS = _FIELDS + tuple(_ALIASES)
_LANGS = ("zh", "en")
_SUFFIXES = (".toml", ".json")
_SENTENCE_END = re.compile(r"[。！？\n]+|[.!?]+(?=\s|$)")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_MARKET = re.compile(r"^[A-Z]{2}$")
#: Dates a profile (launch_date) and the screen (as_of) may use: 20-year terms and horizons
#: must stay within what the date arithmetic can represent (pandas: up to 2262-04-11).
DATE_RANGE = (dt.date(1900, 1, 1), dt.date(2200, 12, 31))


def _limits():
    """The current :class:`patentnav.Limits` (``--limit``, ``PATENTNAV_LIMIT_*``, ``using_limits``);
    an invalid environment value is a profile error that says which variable."""
    from ..limits import get_limits

    try:
        return get_limits()
    except ValueError as e:
        raise ProfileError(str(e)) from None


_NEST_JSON = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_NEST_TOML = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'[^\'\n]*\'|#[^\n]*|[\[\]{}]')


def _nesting_error(text: str, kind: str, limit: int) -> tuple[int, int] | None:
    """(line, depth) where brackets outside strings and comments first nest deeper than
    ``limit``, or None. Linear in the text, no recursion."""
    depth = 0
    for m in (_NEST_JSON if kind == "json" else _NEST_TOML).finditer(text):
        tok = m.group()
        if tok in "[{":
            depth += 1
            if depth > limit:
                return text.count("\n", 0, m.start()) + 1, depth
        elif tok in "]}":
            depth = max(depth - 1, 0)
    return None


class ProfileError(ValueError):
    """An invalid product profile, with where the problem is.

    ``str(error)`` reads ``"<file>, line <n>, field '<key>': <message>"`` (parts that are
    unknown are left out); the message says what to write instead.

    Attributes
    ----------
    file : str or None
        The profile file (as given), None for a profile built in Python.
    line : int or None
        1-based line in ``file``; None when it cannot be found.
    field : str or None
        The key as written in the file (an alias such as ``ipc`` is reported as written);
        None for syntax errors that cannot be tied to a key.
    reason : str
        The message without the location.
    """

    def __init__(self, reason: str, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self.reason = reason
        self.file = file
        self.line = line
        self.field = field
        where = [p for p in (file, None if line is None else f"line {line}",
                             None if field is None else f"field {field!r}") if p]
        super().__init__(f"{', '.join(where)}: {reason}" if where else reason)


class _Invalid(Exception):
    """A value problem, located by the caller."""


# -- value cleaners (one per field; each is idempotent on its own output) ---------------------
def _what(value: Any) -> str:
    """Short description of a value's type for error messages."""
    if isinstance(value, bool):
        return f"true/false ({str(value).lower()})"
    if isinstance(value, (int, float)):
        return f"a number ({value})"
    if isinstance(value, Mapping):
        return "a table"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, (dt.date, dt.time)):
        return f"a date/time ({value.isoformat()})"
    if value is None:
        return "null"
    return type(value).__name__


def _entries(value: Any, example: str) -> list:
    """A list field's entries: a list/tuple as is, a single string as one entry."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise _Invalid(f"expected a list of texts, got {_what(value)}; write e.g. {example}")


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _texts(value: Any, example: str) -> tuple[str, ...]:
    out = []
    for i, v in enumerate(_entries(value, example), 1):
        if not isinstance(v, str):
            raise _Invalid(f"entry {i} is {_what(v)}, not text; put each entry in quotes, e.g. {example}")
        if v.strip():
            out.append(v.strip())
    return _unique(out)


def _bilingual(value: Mapping, what: str, sep: str) -> str:
    """Text of a ``{zh = ..., en = ...}`` table: zh, then en, joined with ``sep``."""
    bad = [k for k in value if k not in _LANGS]
    if bad:
        raise _Invalid(f"{what} has unknown key {bad[0]!r}; use 'zh' and/or 'en', e.g. "
                       f'{{ zh = "三轴云台", en = "3-axis gimbal" }}')
    parts = []
    for lang in _LANGS:
        v = value.get(lang)
        if v is None:
            continue
        if not isinstance(v, str):
            raise _Invalid(f"{what}: '{lang}' is {_what(v)}, not text; put the text in quotes")
        if v.strip():
            parts.append(v.strip())
    return sep.join(parts)


def _clean_name(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid(f'expected text, got {_what(value)}; write e.g. name = "SkyLens Mini 3 consumer drone"')
    if not value.strip():
        raise _Invalid('the name is empty; give the product a name, e.g. name = "SkyLens Mini 3 consumer drone"')
    return value.strip()


def _clean_description(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        return _bilingual(value, "description", "\n")
    raise _Invalid(f'expected text or a {{ zh = "...", en = "..." }} table, got {_what(value)}')


def _clean_features(value: Any) -> tuple[str, ...]:
    example = '["foldable arms", "三轴云台"] or [[features]] tables with zh/en keys'
    out = []
    for i, v in enumerate(_entries(value, example), 1):
        if isinstance(v, Mapping):
            text = _bilingual(v, f"feature {i}", " ")
            if not text:
                raise _Invalid(f"feature {i} has no text; give it a 'zh' and/or an 'en' text")
        elif isinstance(v, str):
            text = v.strip()
        else:
            raise _Invalid(f"feature {i} is {_what(v)}; write each feature as text in quotes or as a "
                           f"table with zh/en keys")
        if text:
            out.append(text)
    return _unique(out)


def _clean_codes(value: Any) -> tuple[str, ...]:
    example = '["B64C 39/024", "G05D 1/10"]'
    out = []
    for v in _entries(value, example):
        code = parse_ipc(v) if isinstance(v, str) else None
        if code is None:
            if isinstance(v, str) and not v.strip():
                continue
            shown = repr(v) if isinstance(v, str) else _what(v)
            raise _Invalid(f"{shown} is not a valid IPC/CPC code; write codes like 'B64C 39/024' or 'B64U10/13'")
        out.append(str(code))
    return _unique(out)


def _clean_markets(value: Any) -> tuple[str, ...]:
    out = []
    for v in _entries(value, '["US", "DE"]'):
        if not isinstance(v, str):
            raise _Invalid(f"market {_what(v)} is not a 2-letter code; write markets like \"US\", \"DE\", \"EP\"")
        m = v.strip().upper()
        if not m:
            continue
        if m == "WO":
            raise _Invalid("'WO' is not a market (PCT applications are covered through their national phase); "
                           "list the countries where you will sell, e.g. 'US', 'DE', or 'EP' for European patents")
        if not _MARKET.match(m):
            raise _Invalid(f"{v!r} is not a 2-letter market code; use ISO 3166 country codes such as 'US', "
                           f"'DE', 'JP', or 'EP' for European patents")
        out.append(m)
    return _unique(out)


def _clean_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return _in_range(value.date())
    if isinstance(value, dt.date):
        return _in_range(value)
    hint = "write launch_date as YYYY-MM-DD, e.g. 2027-03-01"
    if isinstance(value, str):
        s = value.strip()
        if _DATE.match(s):
            try:
                return _in_range(dt.date.fromisoformat(s))
            except ValueError:
                pass
        raise _Invalid(f"{value!r} is not a valid date; {hint}")
    raise _Invalid(f"expected a date, got {_what(value)}; {hint}")


def _in_range(d: dt.date) -> dt.date:
    if not DATE_RANGE[0] <= d <= DATE_RANGE[1]:
        raise _Invalid(f"{d.isoformat()} is out of range; give a launch date from {DATE_RANGE[0]} to {DATE_RANGE[1]}")
    return d


def _clean_source(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, str):
        return value or None
    raise _Invalid(f"expected a file name, got {_what(value)}")


_CLEAN: dict[str, Callable[[Any], Any]] = {
    "name": _clean_name,
    "description": _clean_description,
    "features": _clean_features,
    "keywords": partial(_texts, example='["无人机", "drone", "UAV"]'),
    "codes": _clean_codes,
    "own_names": partial(_texts, example='["深圳市天镜科技有限公司", "SkyLens"]'),
    "competitors": partial(_texts, example='["SZ DJI TECHNOLOGY CO LTD"]'),
    "markets": _clean_markets,
    "launch_date": _clean_date,
    "source": _clean_source,
}


def _allowed_keys() -> str:
    rev: dict[str, list[str]] = {}
    for a, k in _ALIASES.items():
        rev.setdefault(k, []).append(a)
    return ", ".join(f"{k} (or {', '.join(rev[k])})" if k in rev else k for k in _FIELDS)


def _is_empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, tuple, set, frozenset, Mapping)):
        return len(value) == 0
    return False


def _collect(data: Mapping, file: str | None, locate: Callable[[str], int | None]) -> dict[str, Any]:
    """Clean every key of ``data`` (aliases merged into their field); keyed by field name."""
    unknown = [k for k in data if k not in _KEYS]
    if unknown:
        key = unknown[0]
        guess = difflib.get_close_matches(str(key), _KEYS, n=1)
        hint = f" (did you mean {guess[0]!r}?)" if guess else ""
        raise ProfileError(f"unknown key {key!r}{hint}; allowed keys: {_allowed_keys()}",
                           file=file, line=locate(str(key)), field=str(key))
    out: dict[str, Any] = {}
    for key in data:  # file order: merged aliases keep the order they were written in
        target = _ALIASES.get(key, key)
        try:
            value = _CLEAN[target](data[key])
        except _Invalid as e:
            raise ProfileError(str(e), file=file, line=locate(key), field=key) from None
        if target in out and isinstance(value, tuple):
            value = _unique(out[target] + value)
        out[target] = value
    return out


def _locator(text: str | None, kind: str | None) -> Callable[[str], int | None]:
    """Function key -> 1-based line of the key's first occurrence in ``text`` (or None)."""
    if not text:
        return lambda key: None

    def locate(key: str) -> int | None:
        k = re.escape(key)
        if kind == "json":
            patterns = [rf'"{k}"\s*:']
        else:
            q = r"""["']?"""
            prefix = rf"(?:{q}product{q}\s*\.\s*)?"
            patterns = [rf"^[ \t]*{prefix}{q}{k}{q}[ \t]*=", rf"^[ \t]*\[\[?[ \t]*{prefix}{q}{k}{q}[ \t]*\]\]?"]
        for p in patterns:
            m = re.search(p, text, flags=re.MULTILINE)
            if m:
                return text.count("\n", 0, m.start()) + 1
        return None

    return locate


def _syntax_error(kind: str, message: str, line: int | None, column: int | None, text: str,
                  file: str) -> ProfileError:
    """A ProfileError for a TOML/JSON syntax error; the field is the key written on that line
    when the error lies in its value (after the ``=`` or ``:``), else None."""
    field = None
    lines = text.splitlines()
    if line is not None and column is not None and 1 <= line <= len(lines):
        m = re.match(r"""^\s*(?:["']?product["']?\s*\.\s*)?["']?([A-Za-z_][\w-]*)["']?\s*[=:]""", lines[line - 1])
        if m and m.group(1) in _KEYS and column > m.end():
            field = m.group(1)
    if kind == "toml":
        hint = ("check the quotes, commas and brackets on this line or the line before; text needs quotes "
                '(name = "..."), dates are written 2027-03-01')
    else:
        hint = ("check the quotes, commas and brackets on this line or the line before; JSON allows no "
                "comments and no comma after the last entry")
    return ProfileError(f"invalid {kind.upper()}: {message}; {hint}", file=file, line=line, field=field)


def _load_toml(text: str, file: str) -> Any:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        msg = getattr(e, "msg", None) or str(e)
        line, column = getattr(e, "lineno", None), getattr(e, "colno", None)
        m = re.search(r"\s*\(at (?:line (\d+), column (\d+)|end of document)\)\s*$", msg)
        if m:
            msg = msg[:m.start()]
            if line is None:
                line = int(m.group(1)) if m.group(1) else max(len(text.splitlines()), 1)
                column = int(m.group(2)) if m.group(2) else None
        raise _syntax_error("toml", msg, line, column, text, file) from None


def _load_json(text: str, file: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise _syntax_error("json", e.msg, e.lineno, e.colno, text, file) from None


@dataclass(frozen=True)
class ProductProfile:
    """What the product is and where it will be sold; input of ``patentnav warn``.

    Values are normalised on construction (also when built directly): texts stripped, blank
    entries dropped, duplicates removed keeping order, lists turned into tuples, codes in the
    canonical spelling of :func:`patentnav.classify.ipc.parse_ipc` (``B64C39/024``), markets
    upper-cased. Invalid values raise :class:`ProfileError`.

    Attributes
    ----------
    name : str
        Product name, required and non-empty.
    description : str
        Free text in any language; a bilingual ``{zh, en}`` description is stored as the
        Chinese text, a newline, the English text.
    features : tuple of str
        Technical features, one per entry (Chinese and/or English); a bilingual feature is
        one entry ``zh + " " + en``.
    keywords : tuple of str
        Bilingual keywords (``"无人机"``, ``"drone"``, ``"UAV"``).
    codes : tuple of str
        IPC/CPC codes, canonical spelling.
    own_names : tuple of str
        The firm's own names and aliases: never counted as threats.
    competitors : tuple of str
        Holders to watch in monitoring.
    markets : tuple of str
        Target markets: 2-letter codes, upper-cased (``"US"``, ``"DE"``, ``"EP"``; not ``"WO"``).
    launch_date : datetime.date or None
    source : str or None
        File the profile was read from.
    """

    name: str
    description: str = ""
    features: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    own_names: tuple[str, ...] = ()
    competitors: tuple[str, ...] = ()
    markets: tuple[str, ...] = ()
    launch_date: dt.date | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        source = self.source if isinstance(self.source, str) else None
        for f in _FIELDS:
            try:
                object.__setattr__(self, f, _CLEAN[f](getattr(self, f)))
            except _Invalid as e:
                raise ProfileError(str(e), file=source, field=f) from None
        self._check_limits(source)

    def _check_limits(self, source: str | None) -> None:
        """Feature count and text length within the profile limits of :class:`patentnav.Limits`."""
        lim = _limits()
        if len(self.features) > lim.profile_features:
            raise ProfileError(f"{len(self.features):,} features, above the limit of {lim.profile_features:,} "
                               f"(profile_features); keep one entry per technical feature. "
                               + limit_hint("profile_features", lim.profile_features, len(self.features)),
                               file=source, field="features")
        for f in ("description", "features", "keywords"):
            v = getattr(self, f)
            for text in ((v,) if isinstance(v, str) else v):
                if len(text) > lim.profile_chars:
                    raise ProfileError(f"an entry of {len(text):,} characters, above the limit of {lim.profile_chars:,} "
                                       f"(profile_chars); describe the product in short features. "
                                       + limit_hint("profile_chars", lim.profile_chars, len(text)),
                                       file=source, field=f)

    # -- construction ----------------------------------------------------------------------
    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "ProductProfile":
        """Read a profile from a ``.toml`` or ``.json`` file (chosen by extension).

        Parameters
        ----------
        path : str or path-like
            The profile file, UTF-8 encoded.

        Returns
        -------
        ProductProfile
            With ``source`` set to ``path``.

        Raises
        ------
        ProfileError
            Unsupported extension, unreadable file, syntax error (with the parser's line) or
            invalid field (with the line of its key).
        """
        file = os.fspath(path)
        suffix = Path(file).suffix.lower()
        if suffix not in _SUFFIXES:
            raise ProfileError(f"unsupported file type {suffix or '(no extension)'!r}; a product profile is a "
                               f".toml or .json file (see examples/drone_product.toml)", file=file)
        lim = _limits()
        try:
            size = os.path.getsize(file)
            if size > lim.profile_bytes:
                raise ProfileError(f"the file is {size:,} bytes, above the limit of {lim.profile_bytes:,} "
                                   f"(profile_bytes); a profile describes one product in a few kilobytes. "
                                   + limit_hint("profile_bytes", lim.profile_bytes, size), file=file)
            with open(file, "rb") as fh:
                raw = fh.read(lim.profile_bytes + 1)
        except OSError as e:
            raise ProfileError(f"cannot read the file ({e.strerror or e}); check the path", file=file) from e
        if len(raw) > lim.profile_bytes:  # grew while being read, or not a regular file
            raise ProfileError(f"the file is more than {lim.profile_bytes:,} bytes, the limit (profile_bytes). "
                               + limit_hint("profile_bytes", lim.profile_bytes), file=file)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = raw.count(b"\n", 0, e.start) + 1
            raise ProfileError("the file is not UTF-8 text; save it as UTF-8 (in most editors: Save As -> "
                               "Encoding UTF-8)", file=file, line=line) from None
        kind = suffix[1:]
        deep = _nesting_error(text, kind, lim.profile_nesting)
        if deep is not None:
            raise ProfileError(f"arrays or tables nested more than {lim.profile_nesting} deep, the limit "
                               f"(profile_nesting); a profile needs at most 3 levels. "
                               + limit_hint("profile_nesting", lim.profile_nesting), file=file, line=deep[0])
        data = _load_toml(text, file) if kind == "toml" else _load_json(text, file)
        return cls._build(data, source=file, locate=_locator(text, kind), kind=kind)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str | None = None) -> "ProductProfile":
        """Build a profile from a mapping with the keys of the file format.

        Parameters
        ----------
        data : mapping
            Top-level keys, or one ``"product"`` key wrapping them; aliases accepted. A
            ``"source"`` key (as written by :meth:`to_dict`) is used when ``source`` is None.
        source : str, optional
            File the data came from (reported in errors).

        Raises
        ------
        ProfileError
            Unknown key, missing name or invalid value (``line`` is None).
        """
        return cls._build(data, source=None if source is None else os.fspath(source), locate=_locator(None, None))

    @classmethod
    def _build(cls, data: Any, source: str | None, locate: Callable[[str], int | None],
               kind: str | None = None) -> "ProductProfile":
        if not isinstance(data, Mapping):
            what = "a JSON object { ... }" if kind == "json" else "a table of keys"
            raise ProfileError(f"expected {what} at the top level, got {_what(data)}; see "
                               f"examples/drone_product.toml", file=source, line=1 if kind else None)
        if "product" in data and isinstance(data["product"], Mapping):
            others = [k for k in data if k != "product"]
            if others:
                raise ProfileError(f"keys both inside the [product] table and outside it ({', '.join(others)}); "
                                   f"put every key inside [product], or drop the [product] header",
                                   file=source, line=locate(others[0]), field=others[0])
            data = data["product"]
        clean = _collect(data, source, locate)
        if "name" not in clean:
            raise ProfileError('the profile has no name; add one, e.g. name = "SkyLens Mini 3 consumer drone"',
                               file=source, field="name")
        if source is not None or kind is not None:
            clean["source"] = source
        return cls(**clean)

    def with_options(self, **overrides: Any) -> "ProductProfile":
        """A copy with fields replaced by the overrides that are not None or empty.

        Keys are field names or file aliases (``market="US"``, ``ipc=[...]``); a single
        string counts as a one-entry list. Used for command-line options such as
        ``--market US --code B64C``: given options replace the profile's values, options
        left out keep them.

        Raises
        ------
        TypeError
            Unknown option name.
        ProfileError
            Invalid value (``field`` is the option name, ``file`` and ``line`` are None).
        """
        unknown = [k for k in overrides if k not in _KEYS]
        if unknown:
            raise TypeError(f"with_options() got an unknown option {unknown[0]!r}; allowed: {', '.join(_KEYS)}")
        given = {k: v for k, v in overrides.items() if not _is_empty(v)}
        if not given:
            return self
        return dataclasses.replace(self, **_collect(given, None, lambda key: None))

    # -- output ------------------------------------------------------------------------------
    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable dict with every field (lists for tuples, ISO date string);
        :meth:`from_dict` reads it back to an equal profile."""
        out: dict[str, Any] = {}
        for f in _FIELDS:
            v = getattr(self, f)
            if isinstance(v, tuple):
                v = list(v)
            elif isinstance(v, dt.date):
                v = v.isoformat()
            out[f] = v
        return out

    def query_texts(self) -> list[str]:
        """Texts to screen with: the features, or without features the sentences of the
        description (split after 。！？ and newlines, and after ``.!?`` followed by a space
        or the end, so ``4.5 km`` stays whole), blanks removed."""
        if self.features:
            return list(self.features)
        return [s.strip() for s in _SENTENCE_END.split(self.description) if s.strip()]
