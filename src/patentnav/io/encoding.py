"""Decoding export text: UTF-8, UTF-8 with BOM, UTF-16 with BOM and GB18030, decided per line
where a file mixes them; lines over the ``record_bytes`` limit are cut out before decoding.

Rule (``docs/formats/cn-export.md`` and ``docs/limits.md``):

1. A UTF-8 BOM means UTF-8; a UTF-16 BOM means UTF-16.
2. A file that is valid UTF-8 is UTF-8, except lines whose UTF-8 reading is a run of Latin-1
   symbols (``¡¢£``) while their GB18030 reading is common Chinese (``隆垄拢``): such a line
   is GB18030 whose bytes happen to be valid UTF-8; it is read as GB18030 with a warning.
3. Otherwise each line is decided on its own: a line valid in only one of UTF-8 and GB18030
   is read in that one; a line valid in both is read in the one whose text is more
   plausible (common Chinese characters and punctuation, or Latin letters; ties go to
   UTF-8, since GB18030 text is rarely valid UTF-8 by accident); a line valid in neither
   is read as UTF-8 with U+FFFD for the bad bytes. The file's main encoding is the one
   most lines need; every line read otherwise is reported as a warning with its line.

The plausibility test uses the GB2312 level-1 characters (the 3,755 most common hanzi,
GB 2312-1980 rows 16-55) and GB2312's symbol rows 1-3 as "common Chinese".
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

import numpy as np

from ..i18n import Phrase
from ..limits import get_limits, limit_issue
from .report import IngestError, Issue

__all__ = ["DecodedText", "decode_text", "cut_long_lines"]


@dataclass
class DecodedText:
    """Decoded text with what the decoding found.

    ``warnings``: lines decoded otherwise than the file's main encoding. ``rejected``: lines
    cut out (emptied, so line numbers stay) because they exceed ``record_bytes``.
    """

    text: str
    encoding: str
    warnings: list[Issue] = field(default_factory=list)
    rejected: list[Issue] = field(default_factory=list)


# --- lines over the record limit ---------------------------------------------------------------

_CHUNK = 64 << 20


def cut_long_lines(data: bytes, file: str, limit: int | None = None) -> tuple[bytes, list[Issue]]:
    """Empty every line longer than ``limit`` bytes (default: ``record_bytes``), keeping its
    line break so later line numbers stay right; returns the new bytes and one rejected issue
    per line cut. Vectorised newline scan in 64 MiB chunks (no copy unless a line is cut)."""
    limit = get_limits().record_bytes if limit is None else limit
    n = len(data)
    if n <= limit:
        return data, []
    arr = np.frombuffer(data, dtype=np.uint8)
    long_: list[tuple[int, int, int]] = []
    line, prev = 1, -1
    for off in range(0, n, _CHUNK):
        nl = np.flatnonzero(arr[off:off + _CHUNK] == 10) + off
        if len(nl):
            starts = np.concatenate([[prev + 1], nl[:-1] + 1])
            for k in np.flatnonzero(nl - starts > limit):
                long_.append((line + int(k), int(starts[k]), int(nl[k])))
            line += len(nl)
            prev = int(nl[-1])
    if n - (prev + 1) > limit:
        long_.append((line, prev + 1, n))
    if not long_:
        return data, []
    pieces, pos, issues = [], 0, []
    for ln, a, b in long_:
        pieces.append(data[pos:a])
        pos = b
        issues.append(limit_issue(file, ln, "(record)", "record_bytes", Phrase("what.limit.line_bytes", n=b - a)))
    pieces.append(data[pos:])
    return b"".join(pieces), issues


# --- plausibility of a decoding ------------------------------------------------------------------

@functools.lru_cache(maxsize=1)
def _common_chinese() -> frozenset[str]:
    """GB2312 level-1 hanzi (rows 16-55) and symbol rows 1-3 (CJK punctuation, full-width forms)."""
    chars = []
    for lead in list(range(0xA1, 0xA4)) + list(range(0xB0, 0xD8)):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


_LATIN_LETTER = re.compile(r"[A-Za-z0-9\u00c0-\u024f]")
_SYMBOL_RUN = re.compile(r"[\u0080-\u00bf\u00d7\u00f7\u02b0-\u07ff]{2,}")


def plausibility(s: str) -> float:
    """Share of the non-ASCII characters of ``s`` that look like real text: common Chinese
    characters or punctuation, or Latin letters with diacritics (and single Latin-1 symbols,
    as in ``°C`` or ``§ 154``); a run of two or more Latin-1 symbols (``¡¢£``) does not."""
    common = _common_chinese()
    bad_runs = sum(len(m.group()) for m in _SYMBOL_RUN.finditer(s))
    n = good = 0
    for ch in s:
        if ch < "\x80":
            continue
        n += 1
        if ch in common or ("\u00a0" <= ch <= "\u024f"):
            good += 1
    if n == 0:
        return 1.0
    return max(0.0, good - bad_runs) / n


def _gb_reading(line: bytes) -> str | None:
    try:
        return line.decode("gb18030")
    except UnicodeDecodeError:
        return None


# --- decoding ------------------------------------------------------------------------------------

def decode_text(data: bytes, file: str) -> DecodedText:
    """Decode export bytes following the module's rule (lines are not cut here: see
    :func:`cut_long_lines`)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return DecodedText(data[3:].decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            data = data[3:]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return DecodedText(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as e:
            raise IngestError.localized("err.utf16_damaged", Phrase("hint.save_utf8"), path=file, detail=str(e)) from e
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return _decode_lines(data, file)
    if text.isascii():
        return DecodedText(text, "utf-8")
    return _fix_gb_as_utf8(text, data, file)


def _two_byte_runs(data: bytes) -> np.ndarray:
    """0-based lines of valid UTF-8 ``data`` holding two consecutive 2-byte characters
    (U+0080-U+07FF, where GB18030 pairs that are also valid UTF-8 land); vectorised in
    64 MiB chunks."""
    a = np.frombuffer(data, dtype=np.uint8)
    hits = []
    for off in range(0, len(a), _CHUNK):
        c = a[off:off + _CHUNK + 2]
        lead = (c >= 0xC2) & (c <= 0xDF)
        h = np.flatnonzero(lead[:-2] & lead[2:])
        if len(h):
            hits.append(h + off)
    if not hits:
        return np.zeros(0, dtype=np.int64)
    pos = np.unique(np.concatenate(hits))
    newlines = np.flatnonzero(a == 10)
    return np.unique(np.searchsorted(newlines, pos))


def _fix_gb_as_utf8(text: str, data: bytes, file: str) -> DecodedText:
    """Rule 2: lines of a valid UTF-8 text that are GB18030 in disguise."""
    candidates = _two_byte_runs(data)
    if not len(candidates):
        return DecodedText(text, "utf-8")
    lines = text.split("\n")
    warnings = []
    for i in candidates.tolist():
        line = lines[i]
        if not _SYMBOL_RUN.search(line):
            continue
        gb = _gb_reading(line.encode("utf-8"))
        if gb is not None and plausibility(gb) == 1.0 and plausibility(line) < 0.5:
            lines[i] = gb
            warnings.append(Issue.coded(file, i + 1, "(encoding)", "utf8_reads_gb", line[:40]))
    if not warnings:
        return DecodedText(text, "utf-8")
    return DecodedText("\n".join(lines), "utf-8", warnings)


def _decode_lines(data: bytes, file: str) -> DecodedText:
    """Rule 3: a file that is not valid UTF-8, decided line by line."""
    raw_lines = data.split(b"\n")
    out: list[str] = []
    enc: list[str] = []  # encoding used per line: "", "utf-8", "gb18030", "replaced"
    for line in raw_lines:
        if line.isascii():
            out.append(line.decode("ascii"))
            enc.append("")
            continue
        try:
            u = line.decode("utf-8")
        except UnicodeDecodeError:
            u = None
        g = _gb_reading(line)
        if u is not None and g is not None:
            use_gb = plausibility(g) > plausibility(u)
            out.append(g if use_gb else u)
            enc.append("gb18030" if use_gb else "utf-8")
        elif u is not None:
            out.append(u)
            enc.append("utf-8")
        elif g is not None:
            out.append(g)
            enc.append("gb18030")
        else:
            out.append(line.decode("utf-8", errors="replace"))
            enc.append("replaced")
    n_gb, n_u = enc.count("gb18030"), enc.count("utf-8")
    main = "gb18030" if n_gb >= n_u else "utf-8"
    warnings = []
    for i, e in enumerate(enc, start=1):
        if e == "replaced":
            warnings.append(Issue.coded(file, i, "(encoding)", "undecodable"))
        elif e and e != main:
            other = "UTF-8" if e == "utf-8" else "GB18030"
            warnings.append(Issue.coded(file, i, "(encoding)", "mixed_encoding", line_enc=other,
                                        file_enc="GB18030" if main == "gb18030" else "UTF-8"))
    label = main if not warnings else "mixed"
    return DecodedText("\n".join(out), label, warnings)
