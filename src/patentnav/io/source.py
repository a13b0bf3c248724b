"""Opening input files: compression, encodings (UTF-8, UTF-8 with BOM, GB18030) and delimited rows.

Encoding rule: a UTF-8 BOM means UTF-8; otherwise the file is decoded as UTF-8 when
it is valid UTF-8, else as GB18030 when that decodes it, else line by line (UTF-8 first,
then GB18030), each line decoded differently from the file's main encoding reported
as a warning, so that a file with mixed encodings is read but never silently.
"""

from __future__ import annotations

import bz2
import datetime as _dt
import csv
import gzip
import io
import lzma
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .report import IngestError, Issue

__all__ = ["read_bytes", "decode_text", "DecodedText", "DelimitedRows", "read_delimited", "sniff_delimiter", "is_xlsx", "cell_text", "open_workbook"]

csv.field_size_limit(1 << 30)


def single_member_zip(path: str | os.PathLike) -> str | None:
    """Name of the only data member of a plain ``.zip`` (USPTO ``ipgYYMMDD.zip``, PatentsView
    ``*.tsv.zip``); None when the file is not a zip or is an Office document (XLSX).

    Raises IngestError for a zip with several data members (the user must say which).
    """
    try:
        with zipfile.ZipFile(path) as z:
            names = [n for n in z.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
    except (zipfile.BadZipFile, OSError):
        return None
    if "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names):
        return None
    if len(names) != 1:
        raise IngestError(f"{path}: zip archive with {len(names)} files ({', '.join(names[:5])})",
                          "Unzip it and name the export file(s) inside")
    return names[0]


def is_xlsx(path: str | os.PathLike) -> bool:
    """Whether ``path`` is an Excel workbook (a zip with ``xl/workbook.xml``), by content."""
    p = Path(path)
    if not p.is_file():
        return False
    with open(p, "rb") as f:
        if f.read(4) != b"PK\x03\x04":
            return False
    try:
        with zipfile.ZipFile(p) as z:
            return "xl/workbook.xml" in z.namelist()
    except zipfile.BadZipFile:
        return False


def read_bytes(path: str | os.PathLike) -> bytes:
    """File contents, transparently decompressing gzip, bz2, xz and single-file zip archives."""
    p = Path(path)
    if not p.exists():
        raise IngestError(f"{p}: no such file", "Check the path")
    if p.is_dir():
        raise IngestError(f"{p}: is a directory", "Name the export file, or use read_patentsview() for a directory of PatentsView tables")
    data = p.read_bytes()
    try:
        if data[:2] == b"\x1f\x8b":
            return gzip.decompress(data)
        if data[:3] == b"BZh":
            return bz2.decompress(data)
        if data[:6] == b"\xfd7zXZ\x00":
            return lzma.decompress(data)
        if data[:4] == b"PK\x03\x04":
            member = single_member_zip(p)
            if member is not None:
                with zipfile.ZipFile(p) as z:
                    return z.read(member)
    except (OSError, EOFError, ValueError, lzma.LZMAError, zipfile.BadZipFile) as e:
        raise IngestError(f"{p}: damaged compressed file ({e})", "Download or export the file again") from e
    return data


@dataclass
class DecodedText:
    text: str
    encoding: str
    warnings: list[Issue] = field(default_factory=list)


def decode_text(data: bytes, file: str) -> DecodedText:
    """Decode export bytes following the module's encoding rule."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
        try:
            return DecodedText(data.decode("utf-8"), "utf-8-sig")
        except UnicodeDecodeError:
            pass
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return DecodedText(data.decode("utf-16"), "utf-16")
        except UnicodeDecodeError as e:
            raise IngestError(f"{file}: damaged UTF-16 text ({e})", "Save the export again as UTF-8") from e
    try:
        return DecodedText(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("gb18030")
        # a mostly-UTF-8 file with a few GB18030 lines also decodes as GB18030 (as mojibake);
        # prefer UTF-8 when most lines are valid UTF-8
        lines = data.split(b"\n")
        utf8_ok = sum(1 for ln in lines if _is_utf8(ln))
        if utf8_ok <= len(lines) // 2:
            return DecodedText(text, "gb18030")
    except UnicodeDecodeError:
        pass
    out, warnings = [], []
    for i, ln in enumerate(data.split(b"\n"), start=1):
        try:
            out.append(ln.decode("utf-8"))
        except UnicodeDecodeError:
            try:
                out.append(ln.decode("gb18030"))
                warnings.append(Issue(file, i, "(encoding)", "line is GB18030 in a UTF-8 file; decoded as GB18030"))
            except UnicodeDecodeError:
                out.append(ln.decode("utf-8", errors="replace"))
                warnings.append(Issue(file, i, "(encoding)", "undecodable bytes replaced with U+FFFD"))
    return DecodedText("\n".join(out), "mixed", warnings)


def _is_utf8(b: bytes) -> bool:
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


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


def read_delimited(
    path: str | os.PathLike,
    *,
    delimiter: str | None = None,
    skip_lines: int = 0,
    text: DecodedText | None = None,
) -> DelimitedRows:
    """Read a CSV/TSV export into rows, keeping each record's starting line.

    Quoted fields may span lines (RFC 4180). A record with too many or too few
    fields is rejected with its line, never padded or truncated silently. Blank
    lines are skipped and not counted.
    """
    file = str(path)
    if text is None:
        text = decode_text(read_bytes(path), file)
    buf = io.StringIO(text.text, newline="")
    for _ in range(skip_lines):
        buf.readline()
    pos = buf.tell()
    first = buf.readline()
    while first and not first.strip():
        skip_lines += 1
        pos = buf.tell()
        first = buf.readline()
    if not first.strip():
        raise IngestError(f"{file}: the file is empty (no header line)", "Export the data again, with column headers")
    if delimiter is None:
        delimiter = sniff_delimiter(first)
    buf.seek(pos)
    reader = csv.reader(buf, delimiter=delimiter, strict=False)
    base = skip_lines
    import gc

    gc_was_enabled = gc.isenabled()
    gc.disable()  # millions of small lists: the cyclic collector only costs time here
    try:
        return _collect(reader, file, base, text, delimiter)
    finally:
        if gc_was_enabled:
            gc.enable()


def _collect(reader, file: str, base: int, text: DecodedText, delimiter: str) -> DelimitedRows:
    try:
        header = next(reader)
    except csv.Error as e:
        raise IngestError(Issue(file, base + 1, "(header)", f"unreadable header: {e}"), "Check the delimiter and quoting") from e
    header = [h.strip() for h in header]
    header_line = base + 1
    ncol = len(header)
    rows: list[list[str]] = []
    lines: list[int] = []
    bad: list[Issue] = []
    prev_end = reader.line_num
    while True:
        start = base + prev_end + 1
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as e:
            bad.append(Issue(file, start, "(record)", f"unreadable record: {e}"))
            prev_end = reader.line_num
            continue
        prev_end = reader.line_num
        if not row or (len(row) == 1 and not row[0].strip()):
            continue
        if len(row) != ncol:
            bad.append(Issue(file, start, "(record)", f"expected {ncol} fields as in the header, found {len(row)}", delimiter.join(row)[:200]))
            continue
        rows.append(row)
        lines.append(start)
    return DelimitedRows(header, rows, lines, bad, text.encoding, list(text.warnings), header_line, file)


def cell_text(v) -> str:
    """Text of a spreadsheet cell value: dates as ISO, whole floats without ".0"."""
    if v is None:
        return ""
    if isinstance(v, _dt.datetime):
        return v.date().isoformat()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def open_workbook(fh, file: str):
    """Workbook from an open binary file (openpyxl would refuse a path by its extension)."""
    import openpyxl

    try:
        return openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as e:  # zipfile/XML errors surface under many types
        raise IngestError(f"{file}: not a readable XLSX workbook ({type(e).__name__}: {e})", "Open and save it again in Excel or WPS, or export as CSV") from e
