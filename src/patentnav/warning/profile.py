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
from ..i18n import Phrase, join_items, located
from ..limits import limit_hint_phrase

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
    unknown are left out); the message says what to write instead. :meth:`text` says it in
    Chinese or English (the messages are catalog entries ``err.profile.*``).

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
        The message without the location (English).
    """

    def __init__(self, reason: str | Phrase, *, file: str | None = None, line: int | None = None,
                 field: str | None = None) -> None:
        self._said = reason
        self.reason = str(reason)
        self.file = file
        self.line = line
        self.field = field
        super().__init__(located(self.reason, "en", file, line, field))

    def text(self, lang: str | None = None) -> str | None:
        """The message with its location in ``lang``; None when the reason is not a catalog
        entry (the caller then shows it as written)."""
        if not isinstance(self._said, Phrase):
            return None
        return located(self._said, lang, self.file, self.line, self.field)


class _Invalid(Exception):
    """A value problem (a :class:`~patentnav.i18n.Phrase` of ``err.profile.*``), located by the caller."""

    def __init__(self, key: str, /, **fmt):
        self.phrase = Phrase(key, **fmt)
        super().__init__(str(self.phrase))


# -- value cleaners (one per field; each is idempotent on its own output) ---------------------
def _what(value: Any) -> Phrase:
    """Short description of a value's type for error messages."""
    if isinstance(value, bool):
        return Phrase("what.bool", value=str(value).lower())
    if isinstance(value, (int, float)):
        return Phrase("what.number", value=value)
    if isinstance(value, Mapping):
        return Phrase("what.table")
    if isinstance(value, (list, tuple)):
        return Phrase("what.list")
    if isinstance(value, (dt.date, dt.time)):
        return Phrase("what.date", value=value.isoformat())
    if value is None:
        return Phrase("what.null")
    name = type(value).__name__
    return Phrase(render=lambda lang: name)


def _entries(value: Any, example: str) -> list:
    """A list field's entries: a list/tuple as is, a single string as one entry."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise _Invalid("err.profile.list", what=_what(value), example=example)


def _unique(items) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _texts(value: Any, example: str) -> tuple[str, ...]:
    out = []
    for i, v in enumerate(_entries(value, example), 1):
        if not isinstance(v, str):
            raise _Invalid("err.profile.entry", i=i, what=_what(v), example=example)
        if v.strip():
            out.append(v.strip())
    return _unique(out)


def _bilingual(value: Mapping, what: str | Phrase, sep: str) -> str:
    """Text of a ``{zh = ..., en = ...}`` table: zh, then en, joined with ``sep``."""
    bad = [k for k in value if k not in _LANGS]
    if bad:
        raise _Invalid("err.profile.lang_key", what=what, key=bad[0], example='{ zh = "三轴云台", en = "3-axis gimbal" }')
    parts = []
    for lang in _LANGS:
        v = value.get(lang)
        if v is None:
            continue
        if not isinstance(v, str):
            raise _Invalid("err.profile.lang_text", what=what, lang=lang, value=_what(v))
        if v.strip():
            parts.append(v.strip())
    return sep.join(parts)


def _clean_name(value: Any) -> str:
    if not isinstance(value, str):
        raise _Invalid("err.profile.name_type", what=_what(value))
    if not value.strip():
        raise _Invalid("err.profile.name_empty")
    return value.strip()


def _clean_description(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, Mapping):
        return _bilingual(value, "description", "\n")
    raise _Invalid("err.profile.description", what=_what(value))


def _clean_features(value: Any) -> tuple[str, ...]:
    example = '["foldable arms", "三轴云台"] or [[features]] tables with zh/en keys'
    out = []
    for i, v in enumerate(_entries(value, example), 1):
        if isinstance(v, Mapping):
            text = _bilingual(v, Phrase("err.profile.feature_n", i=i), " ")
            if not text:
                raise _Invalid("err.profile.feature_empty", i=i)
        elif isinstance(v, str):
            text = v.strip()
        else:
            raise _Invalid("err.profile.feature_type", i=i, what=_what(v))
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
            raise _Invalid("err.profile.code", shown=shown)
        out.append(str(code))
    return _unique(out)


def _clean_markets(value: Any) -> tuple[str, ...]:
    out = []
    for v in _entries(value, '["US", "DE"]'):
        if not isinstance(v, str):
            raise _Invalid("err.profile.market_type", what=_what(v))
        m = v.strip().upper()
        if not m:
            continue
        if m == "WO":
            raise _Invalid("err.profile.market_wo")
        if not _MARKET.match(m):
            raise _Invalid("err.profile.market_code", value=repr(v))
        out.append(m)
    return _unique(out)


def _clean_date(value: Any) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return _in_range(value.date())
    if isinstance(value, dt.date):
        return _in_range(value)
    if isinstance(value, str):
        s = value.strip()
        if _DATE.match(s):
            try:
                return _in_range(dt.date.fromisoformat(s))
            except ValueError:
                pass
        raise _Invalid("err.profile.date", value=repr(value))
    raise _Invalid("err.profile.date_type", what=_what(value))


def _in_range(d: dt.date) -> dt.date:
    if not DATE_RANGE[0] <= d <= DATE_RANGE[1]:
        raise _Invalid("err.profile.date_range", date=d.isoformat(), first=str(DATE_RANGE[0]), last=str(DATE_RANGE[1]))
    return d


def _clean_source(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, str):
        return value or None
    raise _Invalid("err.profile.source", what=_what(value))


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


def _allowed_keys() -> Phrase:
    """"name, description, ..., codes (or ipc, cpc), ..." in the reader's language."""
    rev: dict[str, list[str]] = {}
    for a, k in _ALIASES.items():
        rev.setdefault(k, []).append(a)
    return Phrase(render=lambda lang: join_items(
        [Phrase("err.profile.key_or", key=k, aliases=join_items(rev[k], lang)).text(lang) if k in rev else k
         for k in _FIELDS], lang))


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
        hint = Phrase("err.profile.did_you_mean", guess=guess[0]) if guess else ""
        raise ProfileError(Phrase("err.profile.unknown_key", key=key, hint=hint, allowed=_allowed_keys()),
                           file=file, line=locate(str(key)), field=str(key))
    out: dict[str, Any] = {}
    for key in data:  # file order: merged aliases keep the order they were written in
        target = _ALIASES.get(key, key)
        try:
            value = _CLEAN[target](data[key])
        except _Invalid as e:
            raise ProfileError(e.phrase, file=file, line=locate(key), field=key) from None
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
    return ProfileError(Phrase("err.profile.syntax", kind=kind.upper(), message=message,
                               hint=Phrase(f"err.profile.syntax_hint_{kind}")), file=file, line=line, field=field)


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
                raise ProfileError(e.phrase, file=source, field=f) from None
        self._check_limits(source)

    def _check_limits(self, source: str | None) -> None:
        """Feature count and text length within the profile limits of :class:`patentnav.Limits`."""
        lim = _limits()
        if len(self.features) > lim.profile_features:
            raise ProfileError(Phrase("err.profile.features_limit", n=f"{len(self.features):,}",
                                      limit=f"{lim.profile_features:,}",
                                      hint=limit_hint_phrase("profile_features", lim.profile_features, len(self.features))),
                               file=source, field="features")
        for f in ("description", "features", "keywords"):
            v = getattr(self, f)
            for text in ((v,) if isinstance(v, str) else v):
                if len(text) > lim.profile_chars:
                    raise ProfileError(Phrase("err.profile.chars_limit", n=f"{len(text):,}", limit=f"{lim.profile_chars:,}",
                                              hint=limit_hint_phrase("profile_chars", lim.profile_chars, len(text))),
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
            raise ProfileError(Phrase("err.profile.suffix", suffix=suffix or Phrase("err.profile.no_extension")), file=file)
        lim = _limits()
        try:
            size = os.path.getsize(file)
            if size > lim.profile_bytes:
                raise ProfileError(Phrase("err.profile.bytes_limit", size=f"{size:,}", limit=f"{lim.profile_bytes:,}",
                                          hint=limit_hint_phrase("profile_bytes", lim.profile_bytes, size)), file=file)
            with open(file, "rb") as fh:
                raw = fh.read(lim.profile_bytes + 1)
        except OSError as e:
            raise ProfileError(Phrase("err.profile.unreadable", detail=e.strerror or str(e)), file=file) from e
        if len(raw) > lim.profile_bytes:  # grew while being read, or not a regular file
            raise ProfileError(Phrase("err.profile.bytes_grew", limit=f"{lim.profile_bytes:,}",
                                      hint=limit_hint_phrase("profile_bytes", lim.profile_bytes)), file=file)
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            line = raw.count(b"\n", 0, e.start) + 1
            raise ProfileError(Phrase("err.profile.not_utf8"), file=file, line=line) from None
        kind = suffix[1:]
        deep = _nesting_error(text, kind, lim.profile_nesting)
        if deep is not None:
            raise ProfileError(Phrase("err.profile.nesting", limit=lim.profile_nesting,
                                      hint=limit_hint_phrase("profile_nesting", lim.profile_nesting)), file=file, line=deep[0])
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
            what = Phrase("err.profile.json_object" if kind == "json" else "err.profile.key_table")
            raise ProfileError(Phrase("err.profile.top_level", what=what, got=_what(data)), file=source,
                               line=1 if kind else None)
        if "product" in data and isinstance(data["product"], Mapping):
            others = [k for k in data if k != "product"]
            if others:
                raise ProfileError(Phrase("err.profile.inside_outside", keys=", ".join(others)),
                                   file=source, line=locate(others[0]), field=others[0])
            data = data["product"]
        clean = _collect(data, source, locate)
        if "name" not in clean:
            raise ProfileError(Phrase("err.profile.no_name"), file=source, field="name")
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
