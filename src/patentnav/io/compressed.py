"""Opening inputs: gzip, bz2, xz and zip archives, decompressed as a stream within the limits.

The bytes that come out of a decompressor are counted while they stream: past
:attr:`~patentnav.limits.Limits.input_bytes` (inputs read whole) or ``stream_bytes``
(streamed PatentsView tables), or past ``compression_ratio`` times the compressed bytes
consumed so far (counted under the decompressor), reading stops with a
:class:`~patentnav.limits.LimitError` naming the file and the limit, before the memory is
spent: a 10 MB gzip of newlines that would inflate to 10 GiB stops after 16 MiB.

Zip members are checked before they are opened: an encrypted member, a compression method
Python cannot read (Deflate64 from Windows Explorer, PPMd from 7-Zip), a declared size over
the limits, and, while reading, a CRC mismatch each end in an :class:`IngestError` that says
what to do, never in a traceback.
"""

from __future__ import annotations

import bz2
import contextlib
import gzip
import io
import lzma
import os
import zipfile
import zlib
from pathlib import Path
from typing import Iterator

from ..i18n import Phrase
from ..limits import RATIO_FLOOR, LimitError, get_limits
from .report import IngestError

__all__ = ["compression_of", "data_members", "is_office_zip", "check_member", "single_member_zip",
           "CountingReader", "LimitedReader", "open_input", "read_all", "DAMAGED"]

#: Exceptions a decompressor or zip reader raises on damaged input.
DAMAGED = (OSError, EOFError, ValueError, lzma.LZMAError, zlib.error, zipfile.BadZipFile, RuntimeError, NotImplementedError)

_MAGIC = (("gzip", b"\x1f\x8b"), ("bz2", b"BZh"), ("xz", b"\xfd7zXZ\x00"), ("zip", b"PK\x03\x04"))
_SUPPORTED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "Deflate", zipfile.ZIP_BZIP2: "bzip2",
                      zipfile.ZIP_LZMA: "LZMA"}
_METHOD_NAMES = {9: "Deflate64", 98: "PPMd", 93: "Zstandard", 95: "XZ", 97: "WavPack", 99: "AES-encrypted",
                 1: "Shrink", 6: "Implode", 10: "PKWARE Implode", 18: "IBM TERSE", 19: "IBM LZ77"}


def compression_of(head: bytes) -> str | None:
    """``gzip``, ``bz2``, ``xz`` or ``zip`` from a file's first bytes; None for anything else."""
    for name, magic in _MAGIC:
        if head.startswith(magic):
            return name
    return None


def data_members(z: zipfile.ZipFile) -> list[zipfile.ZipInfo]:
    """The members of an archive that hold data (no folders, no macOS resource forks)."""
    return [i for i in z.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX")]


def is_office_zip(names) -> bool:
    """An Office Open XML package (XLSX, DOCX) rather than an archive of exports."""
    names = list(names)
    return "[Content_Types].xml" in names or any(n.startswith("xl/") for n in names)


def check_member(info: zipfile.ZipInfo, file: str, *, limit: str | None = "input_bytes") -> None:
    """Refuse a zip member patentnav cannot or should not read, before opening it.

    Raises
    ------
    IngestError
        Encrypted member; unsupported compression method.
    LimitError
        Declared size over ``limit``, or a compression ratio over ``compression_ratio``.
    """
    name = info.filename
    if info.flag_bits & 0x1:
        raise IngestError.localized("err.zip_encrypted", Phrase("hint.zip_password"), path=file, member=repr(name))
    if info.compress_type not in _SUPPORTED_METHODS:
        method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
        raise IngestError.localized("err.zip_method", Phrase("hint.zip_method"), path=file, member=repr(name), method=method)
    if limit is None:
        return
    lim = get_limits()
    cap = getattr(lim, limit)
    if info.file_size > cap:
        raise LimitError(file, limit, Phrase("what.limit.zip_member", member=name, n=info.file_size), needed=info.file_size)
    if info.file_size > RATIO_FLOOR and info.file_size > lim.compression_ratio * max(info.compress_size, 1):
        raise LimitError(file, "compression_ratio",
                         Phrase("what.limit.zip_ratio", member=name, packed=info.compress_size, n=info.file_size,
                                ratio=info.file_size / max(info.compress_size, 1)),
                         needed=info.file_size / max(info.compress_size, 1))


def _starts_as_zip(path: str | os.PathLike) -> bool:
    with open(path, "rb") as f:
        return compression_of(f.read(8)) == "zip"


def single_member_zip(path: str | os.PathLike) -> str | None:
    """Name of the only data member of a plain ``.zip`` (USPTO ``ipgYYMMDD.zip``, PatentsView
    ``*.tsv.zip``); None when the file is not a zip or is an Office document (XLSX).

    Raises IngestError for a zip with several data members (the user must say which), and
    for a zip cut short (a local header but no readable directory: damaged, not plain text).
    """
    try:
        with zipfile.ZipFile(path) as z:
            members = data_members(z)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as e:
        if isinstance(e, zipfile.BadZipFile) and _starts_as_zip(path):
            raise IngestError.localized("err.compressed_damaged", Phrase("hint.download_again"), path=str(path),
                                        detail=f"{type(e).__name__}: {e}") from e
        return None
    names = [i.filename for i in members]
    if is_office_zip(names):
        return None
    if len(names) != 1:
        listed = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
        raise IngestError.localized("err.zip_many", Phrase("hint.zip_many"), path=str(path), n=len(names), names=listed)
    return names[0]


class CountingReader(io.RawIOBase):
    """The compressed side of a stream: a file object that counts the bytes read through it
    (seek and tell pass through, for zipfile)."""

    def __init__(self, f):
        super().__init__()
        self.f, self.count = f, 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return self.f.seekable()

    def seek(self, offset: int, whence: int = 0) -> int:
        return self.f.seek(offset, whence)

    def tell(self) -> int:
        return self.f.tell()

    def readinto(self, b) -> int:
        n = self.f.readinto(b) or 0
        self.count += n
        return n

    def read(self, n: int = -1) -> bytes:
        data = self.f.read(n)
        self.count += len(data)
        return data


class LimitedReader(io.RawIOBase):
    """A binary stream that counts the bytes read from ``raw`` and stops at the limits.

    Parameters
    ----------
    raw : binary file-like
        The decompressing stream.
    file : str
        Named in messages.
    limit : {"input_bytes", "stream_bytes"} or None
        The byte limit that applies (None: none, for reading a file's first bytes).
    compressed : CountingReader or int, optional
        The compressed side: a :class:`CountingReader` under the decompressor, so that the
        ratio is checked on the bytes consumed so far (a bomb stops after
        :data:`~patentnav.limits.RATIO_FLOOR` bytes, whatever its size), or the compressed
        size (the ratio of the whole file).
    """

    def __init__(self, raw, file: str, limit: str | None = "input_bytes", compressed=None):
        super().__init__()
        self.raw, self.file, self.limit = raw, file, limit
        # kept: reads may come from a thread of Arrow's, where the caller's context is not set
        self._limits = lim = get_limits()
        self._cap = int(getattr(lim, limit)) if limit else float("inf")
        self._ratio = lim.compression_ratio if (limit and compressed is not None) else None
        self._compressed = compressed
        self.count = 0

    def readable(self) -> bool:
        return True

    def _consumed(self) -> int:
        c = self._compressed
        return c.count if isinstance(c, CountingReader) else int(c)

    def readinto(self, b) -> int:
        try:
            data = self.raw.read(len(b))
        except IngestError:
            raise
        except DAMAGED as e:
            raise IngestError.localized("err.compressed_truncated", Phrase("hint.download_again"), path=self.file,
                                        detail=f"{type(e).__name__}: {e}") from e
        n = len(data)
        self.count += n
        if self.count > self._cap:
            raise LimitError(self.file, self.limit, Phrase("what.limit.decompressed", n=self._cap), self._limits)
        if self._ratio is not None and self.count > RATIO_FLOOR:
            consumed = max(self._consumed(), 1)
            if self.count > self._ratio * consumed:
                raise LimitError(self.file, "compression_ratio",
                                 Phrase("what.limit.stream_ratio", packed=consumed, n=self.count, ratio=self.count / consumed),
                                 self._limits,
                                 needed=self.count / consumed)
        b[:n] = data
        return n


@contextlib.contextmanager
def _damaged_as_ingest_error(file: str) -> Iterator[None]:
    try:
        yield
    except IngestError:
        raise
    except DAMAGED as e:
        raise IngestError.localized("err.compressed_damaged", Phrase("hint.download_again"), path=file,
                                 detail=f"{type(e).__name__}: {e}") from e


@contextlib.contextmanager
def open_input(path: str | os.PathLike, *, limit: str | None = "input_bytes", arrow: bool = False) -> Iterator:
    """A readable binary stream of an input, decompressed (gzip, bz2, xz, single-member zip).

    Compressed data come through a :class:`LimitedReader`; a plain file larger than the
    ``limit`` is refused before it is opened (``limit=None``: no size limit, for reading
    the first bytes). With ``arrow=True`` a plain file is opened as
    an Arrow stream, and gzip/bz2 are decompressed by Arrow (C++), for bulk CSV reading.
    """
    p = Path(path)
    file = str(p)
    with open(p, "rb") as f:
        head = f.read(6)
    kind = compression_of(head)
    size = p.stat().st_size
    member = single_member_zip(p) if kind == "zip" else None
    if kind is None or (kind == "zip" and member is None):
        if limit and size > getattr(get_limits(), limit):
            raise LimitError(file, limit, Phrase("what.limit.file_bytes", n=size), needed=size)
        if arrow:
            import pyarrow as pa

            with pa.input_stream(file) as s:
                yield s
        else:
            with open(p, "rb") as s:
                yield s
        return
    with contextlib.ExitStack() as stack:
        with _damaged_as_ingest_error(file):
            counted = CountingReader(stack.enter_context(open(p, "rb")))
            if kind == "zip":
                z = stack.enter_context(zipfile.ZipFile(counted))
                info = z.getinfo(member)
                check_member(info, file, limit=limit)
                raw = stack.enter_context(z.open(info))
            elif arrow and kind in ("gzip", "bz2"):
                import pyarrow as pa

                if kind == "bz2" and not pa.Codec.is_available("bz2"):
                    raw = stack.enter_context(bz2.open(counted, "rb"))
                else:
                    raw = stack.enter_context(pa.input_stream(counted, compression=kind))
            else:
                opener = {"gzip": gzip.open, "bz2": bz2.open, "xz": lzma.open}[kind]
                raw = stack.enter_context(opener(counted, "rb"))
        yield io.BufferedReader(LimitedReader(raw, file, limit, counted), buffer_size=1 << 20)


def read_all(path: str | os.PathLike) -> bytes:
    """The whole (decompressed) content of an input, within ``input_bytes``."""
    p = Path(path)
    if not p.exists():
        raise IngestError.localized("err.no_such_file", path=str(p))
    if p.is_dir():
        raise IngestError.localized("err.is_folder", Phrase("hint.is_folder"), path=str(p))
    with open_input(p) as f:
        if isinstance(f, io.BufferedReader):
            buf = io.BytesIO()
            while True:
                chunk = f.read(8 << 20)
                if not chunk:
                    break
                buf.write(chunk)
            return buf.getvalue()
        return f.read()
