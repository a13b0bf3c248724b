"""Delimited rows (CSV, TSV) with the line each record starts on, every record accounted for.

Quoted fields may span lines (RFC 4180). A record with too many or too few fields is
rejected with its line, never padded or truncated silently. Blank lines are skipped and
not counted.

An unclosed quote makes a CSV parser swallow every following line into one field until the
next quote (or the end of the file). A record is taken to be such a swallow when it spans
several lines and either has the wrong number of fields or holds, inside a field, a line
with exactly as many delimiters as a whole record (header fields minus one; files of three
columns or more). Its first line is rejected with the span it
swallowed, and reading resumes at the next line, so the records after it are read and
counted as usual.

Memory: the text is walked line by line (no ``io.StringIO`` copy, which stores 4 bytes per
character); fields longer than ``record_bytes`` are rejected by the parser's field limit.
"""

from __future__ import annotations

import contextlib
import csv
import gc
import re
from dataclasses import dataclass
from typing import Iterator

from ..i18n import Phrase
from ..limits import LimitError, get_limits, limit_issue
from . import progress
from .encoding import DecodedText
from .report import IngestError, Issue

__all__ = ["DelimitedRows", "read_delimited", "sniff_delimiter", "iter_lines", "LineCursor", "has_lone_cr", "csv_field_limit"]


@contextlib.contextmanager
def csv_field_limit(limit: int | None = None) -> Iterator[None]:
    """The csv module's field size limit set to ``record_bytes`` (or ``limit``) inside the block
    (the module's default, 131,072 characters, would reject long claims texts)."""
    old = csv.field_size_limit()
    csv.field_size_limit(int(get_limits().record_bytes if limit is None else limit))
    try:
        yield
    finally:
        csv.field_size_limit(old)


def sniff_delimiter(header_line: str) -> str:
    """The delimiter of a header line: tab, comma or semicolon, whichever splits it most."""
    counts = {d: header_line.count(d) for d in ("\t", ",", ";")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


@dataclass
class DelimitedRows:
    """Rows of a delimited file with the line each record starts on.

    ``rows`` hold only records with exactly ``len(header)`` fields; the others are in
    ``bad`` as rejected issues. ``n_records`` counts both.
    """

    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    bad: list[Issue]
    encoding: str
    warnings: list[Issue]
    header_line: int
    file: str = ""

    @property
    def n_records(self) -> int:
        return len(self.rows) + len(self.bad)

    def column(self, i: int):
        """Values of column ``i`` (all columns are transposed once, on first use)."""
        if getattr(self, "_columns", None) is None:
            self._columns = list(zip(*self.rows)) if self.rows else [() for _ in self.header]
        return list(self._columns[i])


_ANY_NEWLINE = re.compile(r"\r\n|\r|\n")


class LineCursor:
    """Where the line iterator stands: offset of the next line and lines handed out."""

    __slots__ = ("pos", "lines")

    def __init__(self, pos: int, lines: int):
        self.pos, self.lines = pos, lines


def has_lone_cr(text: str) -> bool:
    """Whether ``text`` ends some line with a lone ``\\r`` (old Mac exports)."""
    return "\r" in text and text.count("\r") != text.count("\r\n")


def iter_lines(text: str, cur: LineCursor, lone_cr: bool | None = None) -> Iterator[str]:
    """Physical lines of ``text`` from ``cur.pos``, with their line breaks (``\\n``, ``\\r\\n``,
    and a lone ``\\r`` as the csv module expects), updating ``cur`` as they are handed out.
    ``lone_cr``: :func:`has_lone_cr` of the text, when the caller knows it."""
    n = len(text)
    pos = cur.pos
    if has_lone_cr(text) if lone_cr is None else lone_cr:
        search = _ANY_NEWLINE.search
        while pos < n:
            m = search(text, pos)
            end = n if m is None else m.end()
            cur.pos, cur.lines = end, cur.lines + 1
            yield text[pos:end]
            pos = end
        return
    find = text.find
    while pos < n:
        j = find("\n", pos)
        end = n if j < 0 else j + 1
        cur.pos, cur.lines = end, cur.lines + 1
        yield text[pos:end]
        pos = end


def read_delimited(path, *, delimiter: str | None = None, skip_lines: int = 0,
                   text: DecodedText | None = None) -> DelimitedRows:
    """Read a CSV/TSV export into rows, keeping each record's starting line.

    Parameters
    ----------
    path : path-like
        The file (for messages, and read when ``text`` is not given).
    delimiter : str, optional
        Sniffed from the header line when None.
    skip_lines : int
        Lines before the header (a title line above a Chinese export's header).
    text : DecodedText, optional
        The decoded file, when the caller already has it.
    """
    from .source import read_text

    file = str(path)
    if text is None:
        text = read_text(path)
    cur = LineCursor(0, 0)
    lone_cr = has_lone_cr(text.text)
    lines = iter_lines(text.text, cur, lone_cr)
    for _ in range(skip_lines):
        next(lines, None)
    first = ""
    while True:
        start = cur.pos
        first = next(lines, "")
        if not first or first.strip():
            break
    if not first.strip():
        raise IngestError.localized("err.file_no_header", Phrase("hint.export_with_headers"), path=file)
    header_line = cur.lines
    for issue in text.rejected:
        if issue.line <= header_line:
            raise LimitError(file, "record_bytes", Phrase("what.limit.header_line", line=issue.line))
    if delimiter is None:
        delimiter = sniff_delimiter(first)
    cur.pos, cur.lines = start, header_line - 1
    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small lists: the cyclic collector only costs time here
    try:
        return _Collector(text, file, delimiter, cur, lone_cr).run()
    finally:
        if gc_was_enabled:
            gc.enable()


class _Collector:
    """Parses records with :mod:`csv`, recovering from unclosed quotes (see the module doc)."""

    def __init__(self, text: DecodedText, file: str, delimiter: str, cur: LineCursor, lone_cr: bool):
        self.text, self.file, self.delim, self.cur, self.lone_cr = text, file, delimiter, cur, lone_cr
        lim = get_limits()
        self.max_rows, self.max_field = lim.rows, lim.record_bytes
        self.rows: list[list[str]] = []
        self.lines: list[int] = []
        self.bad: list[Issue] = list(text.rejected)
        self.budget = 4 * len(text.text) + (1 << 20)  # characters re-read after swallows, at most

    def _reader(self):
        return csv.reader(iter_lines(self.text.text, self.cur, self.lone_cr), delimiter=self.delim, strict=False)

    def run(self) -> DelimitedRows:
        file, cur = self.file, self.cur
        with csv_field_limit(self.max_field):
            reader = self._reader()
            try:
                header = next(reader)
            except csv.Error as e:
                raise IngestError(Issue.coded(file, cur.lines, "(header)", "unreadable_header", detail=str(e)), Phrase("hint.delimiter")) from e
            header = [h.strip() for h in header]
            header_line = cur.lines
            self.ncol = len(header)
            self._records(reader)
        self.bad.sort(key=lambda i: i.line)
        progress.report(1.0, len(self.rows) + len(self.bad))
        progress.stage("columns")
        return DelimitedRows(header, self.rows, self.lines, self.bad, self.text.encoding, list(self.text.warnings),
                             header_line, file)

    def _records(self, reader) -> None:
        cur, ncol, file, delim = self.cur, self.ncol, self.file, self.delim
        rows, lines, bad = self.rows, self.lines, self.bad
        max_rows = self.max_rows
        append_row, append_line = rows.append, lines.append
        size, every = max(len(self.text.text), 1), progress.EVERY - 1
        while True:
            pos = cur.pos
            start = cur.lines + 1
            try:
                row = next(reader)
            except StopIteration:
                break
            except csv.Error as e:
                if "field larger than field limit" in str(e):
                    bad.append(limit_issue(file, start, "(record)", "record_bytes", Phrase("what.limit.field_long")))
                else:
                    bad.append(Issue.coded(file, start, "(record)", "unreadable_record", detail=str(e)))
                continue
            if len(row) == ncol and cur.lines == start:  # the common case: one line, right width
                append_row(row)
                append_line(start)
                if not len(rows) & every:  # the reader's position, for a progress bar
                    progress.report(cur.pos / size, len(rows) + len(bad))
                if len(rows) > max_rows - len(bad):
                    raise LimitError(file, "rows", Phrase("what.limit.records", n=max_rows))
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            span = cur.lines - start + 1
            if span > 1 and self.budget > 0 and self._swallowed(row):
                end = cur.lines
                bad.append(Issue.coded(file, start, "(record)", "unclosed_quote", self._line_at(pos)[:200],
                                       start=start, end=end, span=span, next=start + 1))
                self.budget -= cur.pos - pos
                cur.pos = self._next_line(pos)
                cur.lines = start
                reader = self._reader()
                continue
            if len(row) != ncol:
                bad.append(Issue.coded(file, start, "(record)", "field_count", delim.join(row)[:200], ncol=ncol, n=len(row)))
                continue
            append_row(row)
            append_line(start)
            if len(rows) > max_rows - len(bad):
                raise LimitError(file, "rows", Phrase("what.limit.records", n=max_rows))

    def _swallowed(self, row: list[str]) -> bool:
        if len(row) != self.ncol:
            return True
        if self.ncol < 3:
            return False
        need = self.ncol - 1
        for f in row:
            if "\n" in f:
                # inside a swallow no quote occurs (the first one ends it), so a swallowed record
                # is a plain line with exactly one delimiter fewer than the header has fields
                for seg in f.split("\n")[1:]:
                    if seg.rstrip("\r").count(self.delim) == need:
                        return True
        return False

    def _line_at(self, pos: int) -> str:
        t = self.text.text
        j = t.find("\n", pos)
        return t[pos:] if j < 0 else t[pos:j]

    def _next_line(self, pos: int) -> int:
        m = _ANY_NEWLINE.search(self.text.text, pos)
        return len(self.text.text) if m is None else m.end()
