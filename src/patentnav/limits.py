"""Input limits: how much one input may hold before patentnav stops with a clear error.

Hostile or broken files (decompression bombs, a Parquet file claiming 300 million rows, a
1 GB line, 100,000 nested brackets) must end in a one-line message that names the file and
the limit, not in a MemoryError after minutes. Each limit is checked while the data stream
in, before the memory is spent; every limit can be raised for genuine large inputs:

* Python: ``patentnav.read(path, limits=Limits(input_bytes=8 * 2**30))`` (or
  ``with using_limits(Limits(...)):`` around any reading code);
* command line: ``patentnav --limit input_bytes=8G ingest big.csv`` (before the command);
* environment: ``PATENTNAV_LIMIT_INPUT_BYTES=8G``.

The limits, their defaults and what they bound are listed in ``docs/limits.md``
(generated from :data:`LIMIT_HELP`, checked by a test).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import os
import re
from dataclasses import dataclass
from typing import Iterator, Mapping

from .i18n import LocalizedError, Phrase, default_lang, t
from .io.report import IngestError, Issue

__all__ = ["Limits", "LimitError", "LIMIT_HELP", "get_limits", "using_limits", "parse_size", "format_size",
           "limit_hint_phrase", "limit_issue", "ENV_PREFIX"]

KiB, MiB, GiB = 1 << 10, 1 << 20, 1 << 30

#: Environment variables ``PATENTNAV_LIMIT_<NAME>`` override the defaults.
ENV_PREFIX = "PATENTNAV_LIMIT_"


@dataclass(frozen=True)
class Limits:
    """How much one input may hold (see :data:`LIMIT_HELP` and ``docs/limits.md``).

    Parameters
    ----------
    input_bytes : int
        Bytes of one input that is read whole into memory (CSV, TSV, XLSX parts, USPTO XML,
        JSON lines), after decompression; for Parquet the uncompressed size its metadata
        declare.
    stream_bytes : int
        Bytes of one streamed table (PatentsView bulk tables), after decompression.
    compression_ratio : float
        Decompressed bytes per compressed byte of a compressed input (gzip, bz2, xz, zip and
        XLSX members), checked once more than :data:`RATIO_FLOOR` bytes came out.
    rows : int
        Records (rows, XML documents, JSON lines) in one input file.
    record_bytes : int
        Bytes of one record: a line or CSV record, a JSON line, one XML document. A longer
        record is rejected (the file goes on) without being parsed.
    nesting : int
        Depth of nested JSON arrays/objects in one JSON line (deeper rows are rejected).
    profile_bytes, profile_nesting, profile_features, profile_chars : int
        A product profile (``patentnav warn --product``): file size, depth of nested arrays and
        tables, number of features, characters of one feature, keyword or the description. A
        profile describes one product in a few kilobytes.

    Examples
    --------
    >>> Limits().input_bytes == 2 * 2**30
    True
    >>> Limits().replace(rows=10).rows
    10
    """

    input_bytes: int = 2 * GiB
    stream_bytes: int = 64 * GiB
    compression_ratio: float = 200.0
    rows: int = 20_000_000
    record_bytes: int = 64 * MiB
    nesting: int = 64
    profile_bytes: int = 1_000_000
    profile_nesting: int = 32
    profile_features: int = 200
    profile_chars: int = 20_000

    def __post_init__(self):
        for f in dataclasses.fields(self):
            v = getattr(self, f.name)
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
                raise ValueError(f"limit {f.name} must be a positive number, got {v!r}")

    def replace(self, **changes) -> "Limits":
        """A copy with some limits changed (names as the attributes)."""
        unknown = set(changes) - {f.name for f in dataclasses.fields(self)}
        if unknown:
            raise ValueError(f"unknown limit(s) {', '.join(sorted(unknown))}; known: {', '.join(LIMIT_HELP)}")
        return dataclasses.replace(self, **changes)

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "Limits":
        """The defaults, overridden by ``PATENTNAV_LIMIT_<NAME>`` variables (sizes as ``8G``)."""
        environ = os.environ if environ is None else environ
        changes = {}
        for f in dataclasses.fields(cls):
            raw = environ.get(ENV_PREFIX + f.name.upper())
            if raw is not None and raw.strip():
                changes[f.name] = _parse_value(f.name, raw, source=ENV_PREFIX + f.name.upper())
        return cls(**changes)

    def with_settings(self, settings: list[str] | tuple[str, ...]) -> "Limits":
        """A copy with ``NAME=VALUE`` settings applied (the CLI's ``--limit``)."""
        changes = {}
        for s in settings:
            name, sep, value = s.partition("=")
            name = name.strip().lower().replace("-", "_")
            if not sep or name not in LIMIT_HELP:
                raise LocalizedError("err.limit_setting", setting=s, names=", ".join(LIMIT_HELP))
            changes[name] = _parse_value(name, value, source=f"--limit {s}")
        return self.replace(**changes)


#: What each limit bounds and the unit of its value (documentation and messages).
LIMIT_HELP: dict[str, tuple[str, str]] = {
    "input_bytes": ("decompressed bytes of one input read whole into memory (CSV, TSV, XLSX, USPTO XML, "
                    "JSON lines; Parquet: uncompressed size in its metadata)", "bytes"),
    "stream_bytes": ("decompressed bytes of one streamed PatentsView table", "bytes"),
    "compression_ratio": ("decompressed / compressed size of a gzip, bz2, xz or zip input or XLSX part "
                          "(checked beyond 16 MiB of output)", "ratio"),
    "rows": ("records (rows, XML documents, JSON lines) in one input file", "count"),
    "record_bytes": ("bytes of one record: a CSV record or line, a JSON line, one XML document "
                     "(longer records are rejected, the file goes on)", "bytes"),
    "nesting": ("depth of nested JSON arrays/objects in one JSON line (deeper rows are rejected)", "count"),
    "profile_bytes": ("size of a product profile file (TOML/JSON, `warn --product`)", "bytes"),
    "profile_nesting": ("depth of nested arrays and tables in a product profile (a profile needs 3)", "count"),
    "profile_features": ("features in a product profile", "count"),
    "profile_chars": ("characters of one feature, keyword or the description of a product profile", "count"),
}

#: Below this many decompressed bytes the compression ratio is not checked (small files
#: of repeated text compress well and are harmless).
RATIO_FLOOR = 16 * MiB

_UNITS = {"": 1, "b": 1, "k": KiB, "kb": KiB, "kib": KiB, "m": MiB, "mb": MiB, "mib": MiB,
          "g": GiB, "gb": GiB, "gib": GiB, "t": 1 << 40, "tb": 1 << 40, "tib": 1 << 40}


def parse_size(text: str | int) -> int:
    """``"8G"`` -> 8589934592; sizes are binary (K = 1024); plain numbers may use ``_``.

    >>> parse_size("512M"), parse_size("1_000"), parse_size("1.5k")
    (536870912, 1000, 1536)
    """
    if isinstance(text, int):
        return text
    size = _size(text)
    if size is None:
        raise ValueError(f"not a size: {text!r} (write e.g. 8G, 512M, 100000)")
    return size


def _size(text: str) -> int | None:
    m = re.fullmatch(r"\s*([0-9][0-9_]*(?:\.[0-9]+)?)\s*([A-Za-z]*)\s*", str(text))
    if not m or m.group(2).lower() not in _UNITS:
        return None
    return int(float(m.group(1).replace("_", "")) * _UNITS[m.group(2).lower()])


def _parse_value(name: str, raw: str, source: str):
    """A limit's value from text; errors are catalog entries naming ``source`` (the option
    or environment variable) and what to write."""
    if LIMIT_HELP[name][1] == "ratio":
        try:
            v = float(raw)
        except ValueError:
            raise LocalizedError("err.limit_ratio", source=source, value=raw) from None
    else:
        v = _size(raw)
        if v is None:
            raise LocalizedError("err.limit_size", source=source, value=raw)
    if v <= 0:
        raise LocalizedError("err.limit_positive", source=source)
    return v


def format_size(n: float, unit: str = "bytes") -> str:
    """A limit value for people: ``2.0 GiB``, ``20,000,000``, ``200``."""
    if unit == "bytes":
        for u, k in (("GiB", GiB), ("MiB", MiB), ("KiB", KiB)):
            if n >= k:
                return f"{n / k:.1f} {u}"
        return f"{int(n)} bytes"
    if unit == "ratio":
        return f"{n:g}"
    return f"{int(n):,}"


def _suggest(name: str, value: float, needed: float | None = None) -> str:
    unit = LIMIT_HELP[name][1]
    if needed is not None and needed > value:
        value = needed / 4 * 1.25  # room above what this input needs
    if unit == "bytes":
        v = int(value) * 4
        for u, k in (("G", GiB), ("M", MiB), ("K", KiB)):
            if v >= k:
                return f"{-(-v // k)}{u}"
        return str(v)
    v = value * (5 if unit == "ratio" else 4)
    nice = 10 ** max(len(str(int(v))) - 2, 0)  # two significant digits, rounded up
    return str(int(-(-v // nice) * nice))


def limit_hint_phrase(name: str, value: float, needed: float | None = None):
    """How to raise limit ``name`` (CLI option, environment variable, Python parameter) as a
    :class:`patentnav.i18n.Phrase`, said in the reader's language; ``needed``: what the input
    needs, when known (the suggested value covers it)."""
    from .i18n import Phrase

    s = _suggest(name, value, needed)
    python = (f"with patentnav.limits.using_limits(patentnav.Limits({name}=...))" if name.startswith("profile_")
              else f"patentnav.read(..., limits=patentnav.Limits({name}=...))")
    return Phrase("err.limit_hint", name=name, value=s, env=f"{ENV_PREFIX}{name.upper()}", python=python)


class LimitError(IngestError):
    """An input exceeds one of the :class:`Limits`; the message names the file and the limit.

    ``what`` says what went over it: a :class:`~patentnav.i18n.Phrase` (``what.limit.*``),
    said in the session's language by :meth:`text`, or English text."""

    def __init__(self, file: str, name: str, what, limits: Limits | None = None, needed: float | None = None):
        limits = limits or get_limits()
        value = getattr(limits, name)
        self.file, self.limit, self.value = file, name, value
        self.what, self.limit_text = what, format_size(value, LIMIT_HELP[name][1])
        super().__init__(t("err.over_limit", "en", file=file, what=what, name=name, limit=self.limit_text),
                         limit_hint_phrase(name, value, needed))

    def text(self, lang: str | None = None) -> str:
        lang = lang or default_lang()  # the separator follows the language said, PATENTNAV_LANG included
        said = t("err.over_limit", lang, file=self.file, what=self.what, name=self.limit, limit=self.limit_text)
        return said + ("。" if lang == "zh" else ". ") + self.hint.text(lang)


def limit_issue(file: str, line: int, fld: str, name: str, what) -> Issue:
    """A rejected-record issue for a record over a limit (the file goes on); ``what``: a
    :class:`~patentnav.i18n.Phrase` (``what.limit.*``) or English text."""
    value = getattr(get_limits(), name)
    return Issue.coded(file, line, fld, "over_limit", what=what, name=name, limit=format_size(value, LIMIT_HELP[name][1]))


_current: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("patentnav_limits", default=None)


def get_limits() -> Limits:
    """The limits in force: those set by :func:`using_limits`, else the defaults with the
    ``PATENTNAV_LIMIT_*`` environment variables applied."""
    cur = _current.get()
    return cur if cur is not None else Limits.from_env()


@contextlib.contextmanager
def using_limits(limits: Limits | None) -> Iterator[Limits]:
    """Use ``limits`` for all reading inside the ``with`` block (None: keep the current ones)."""
    if limits is None:
        yield get_limits()
        return
    if not isinstance(limits, Limits):
        raise TypeError(f"limits must be a patentnav.Limits, not {type(limits).__name__}")
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)
