"""Reader registry and content-based format detection.

Each reader registers a name, a ``read(path, strict=...) -> (pyarrow.Table, IngestReport)``
function and a ``sniff(path, head_bytes, head_text) -> bool`` detector that looks at the
content (never only at the file name). Detection tries the detectors in registration
order; the first that says yes wins.
"""

from __future__ import annotations

import re

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from typing import TYPE_CHECKING

from ..i18n import Phrase
from .report import IngestError, IngestReport

if TYPE_CHECKING:
    import pyarrow as pa  # noqa: F401

__all__ = ["ReaderSpec", "register", "READERS", "detect_format", "read_head"]


ReadFn = Callable[..., "tuple[pa.Table, IngestReport]"]
SniffFn = Callable[[Path, bytes, str], bool]


@dataclass(frozen=True)
class ReaderSpec:
    name: str
    read: ReadFn
    sniff: SniffFn
    description: str


READERS: dict[str, ReaderSpec] = {}


def register(name: str, read: ReadFn, sniff: SniffFn, description: str) -> None:
    """Add a reader (later registrations with the same name replace earlier ones)."""
    READERS[name] = ReaderSpec(name, read, sniff, description)


_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\r?\n)+")


def read_head(path: Path, n: int = 65536) -> tuple[bytes, str]:
    """First bytes of a file (decompressed when gzip/bz2/xz/single-member zip) and their
    best-effort text. Size limits are the readers' business, not detection's."""
    from .compressed import DAMAGED, open_input

    if path.is_dir():
        return b"", ""
    try:
        with open_input(path, limit=None) as f:
            raw = f.read(n)
    except IngestError:
        raise  # a zip with several files, an encrypted member: the message says what to do
    except DAMAGED as e:
        # a stream shorter than n bytes that ends early is damaged, not unknown
        raise IngestError.localized("err.compressed_damaged", Phrase("hint.download_again"), path=str(path), detail=str(e)) from e
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return raw, raw[: len(raw) - len(raw) % 2].decode("utf-16", errors="ignore")
    body = raw[3:] if raw.startswith(b"\xef\xbb\xbf") else raw
    for enc in ("utf-8", "gb18030"):
        try:
            return raw, body.decode(enc)
        except UnicodeDecodeError as e:
            # a multi-byte character cut at the end of the buffer is not an error
            if e.start >= len(body) - 4:
                return raw, body[: e.start].decode(enc, errors="ignore")
    from .encoding import decode_text  # encodings mixed line by line

    whole = body[: body.rfind(b"\n") + 1] or body
    return raw, decode_text(whole, str(path)).text


def detect_format(path: str | os.PathLike) -> str:
    """Name of the registered reader for a file or directory, from its content.

    Raises
    ------
    IngestError
        When no reader recognises the content; the message lists the formats known.
    """
    from . import _ensure_readers

    _ensure_readers()
    p = Path(path)
    if not p.exists():
        raise IngestError.localized("err.no_such_file", path=str(p))
    head, text = read_head(p)
    if not p.is_dir() and not head:
        raise IngestError.localized("err.empty_file", path=str(p))
    text = _LEADING_BLANK_LINES.sub("", text)  # the readers skip them; so does detection
    for spec in READERS.values():
        try:
            if spec.sniff(p, head, text):
                return spec.name
        except Exception:  # a detector must never break detection of the others
            continue
    first = text.splitlines()[0][:40] if text.strip() else ""
    start = (repr(first) if first.strip() and "\x00" not in first else Phrase("what.binary_data")) if text.strip() \
        else Phrase("what.blank_lines")
    raise IngestError.localized("err.unknown_format", path=str(p), start=start, formats=", ".join(READERS))
