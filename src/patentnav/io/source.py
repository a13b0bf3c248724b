"""Opening input files: compression, encodings (UTF-8, UTF-8 with BOM, GB18030), delimited
rows and Excel workbooks, within the :class:`~patentnav.limits.Limits`.

The pieces live in their own modules (:mod:`.compressed`: gzip/bz2/xz/zip streams and zip
member checks; :mod:`.encoding`: the encoding rule, decided per line where a file mixes
encodings; :mod:`.delimited`: CSV/TSV records with their lines, recovering from unclosed
quotes); this module is what the readers import.
"""

from __future__ import annotations

import datetime as _dt
import os
import zipfile
from pathlib import Path
from typing import Iterator

from ..i18n import Phrase
from ..limits import LimitError, get_limits
from .compressed import check_member, data_members, read_all, single_member_zip
from .delimited import DelimitedRows, read_delimited, sniff_delimiter
from .encoding import DecodedText, cut_long_lines, decode_text
from .report import IngestError

__all__ = ["read_bytes", "read_text", "decode_text", "DecodedText", "DelimitedRows", "read_delimited", "sniff_delimiter",
           "is_xlsx", "cell_text", "open_workbook", "iter_sheet_rows", "single_member_zip"]


def read_bytes(path: str | os.PathLike) -> bytes:
    """File contents, transparently decompressing gzip, bz2, xz and single-file zip archives,
    within the ``input_bytes`` and ``compression_ratio`` limits."""
    return read_all(path)


def read_text(path: str | os.PathLike) -> DecodedText:
    """A text export decoded (see :mod:`.encoding`), lines over ``record_bytes`` cut out and
    listed in ``rejected`` (their line numbers kept)."""
    file = str(path)
    data, rejected = cut_long_lines(read_bytes(path), file)
    text = decode_text(data, file)
    text.rejected = rejected + text.rejected
    return text


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
    except (zipfile.BadZipFile, OSError, EOFError, ValueError):
        return False


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


def check_workbook_archive(fh, file: str) -> None:
    """Refuse a workbook before openpyxl reads it: encrypted or unreadable parts, parts over the
    limits (their declared sizes are what zipfile will inflate at most)."""
    try:
        with zipfile.ZipFile(fh) as z:
            members = data_members(z)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        raise IngestError.localized("err.xlsx_unreadable", Phrase("hint.resave_xlsx"), path=file,
                                    detail=f"{type(e).__name__}: {e}") from e
    finally:
        fh.seek(0)
    total = 0
    for info in members:
        check_member(info, file)
        total += info.file_size
    cap = get_limits().input_bytes
    if total > cap:
        raise LimitError(file, "input_bytes", Phrase("what.limit.workbook_parts", n=total), needed=total)


def open_workbook(fh, file: str):
    """Workbook from an open binary file (openpyxl would refuse a path by its extension).

    XML is parsed with defusedxml (no entity expansion, no external entities); the archive is
    checked first (:func:`check_workbook_archive`).
    """
    import openpyxl

    if not getattr(openpyxl, "DEFUSEDXML", False):
        raise IngestError.localized("err.xlsx_unprotected", Phrase("hint.defusedxml"), path=file)
    check_workbook_archive(fh, file)
    try:
        return openpyxl.load_workbook(fh, read_only=True, data_only=True)
    except Exception as e:  # zipfile/XML errors surface under many types
        raise _workbook_error(e, file, "err.xlsx_unreadable") from e


def _workbook_error(e: BaseException, file: str, key: str, **fmt) -> IngestError:
    """An IngestError for a workbook that failed (catalog entry ``key`` with ``fmt``); XML
    entities (billion laughs, XXE) named as such."""
    from defusedxml import DefusedXmlException

    cause: BaseException | None = e
    while cause is not None and not isinstance(cause, DefusedXmlException):
        cause = cause.__cause__ or cause.__context__
    if cause is not None:
        return IngestError.localized("err.xlsx_entities", Phrase("hint.resave_xlsx"), path=file,
                                     detail=f"{type(cause).__name__}: {cause}")
    return IngestError.localized(key, Phrase("hint.resave_xlsx"), path=file,
                                 detail=f"{type(e).__name__}: {' '.join(str(e).split())}", **fmt)


def iter_sheet_rows(ws, file: str, *, min_row: int = 1, max_row: int | None = None,
                    max_col: int | None = None) -> Iterator[tuple[int, tuple]]:
    """``(row number, values)`` of a read-only sheet; damaged sheet XML (truncated, entities,
    bad CRC) ends in an IngestError naming the sheet and the last row read, and more than
    ``rows`` rows in a LimitError."""
    cap = get_limits().rows
    r = min_row - 1
    try:
        for r, row in enumerate(ws.iter_rows(min_row=min_row, max_row=max_row, max_col=max_col, values_only=True), start=min_row):
            if r - min_row >= cap:
                raise LimitError(file, "rows", Phrase("what.limit.sheet_rows", sheet=ws.title, n=cap))
            yield r, row
    except IngestError:
        raise
    except Exception as e:  # defusedxml, expat, zipfile (CRC), KeyError from broken relations ...
        raise _workbook_error(e, file, "err.xlsx_sheet_damaged", sheet=repr(ws.title), row=r) from e
