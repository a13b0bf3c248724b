"""PatentsView granted-patent bulk tables (the current ``g_`` layout), streamed and joined.

A PatentsView download is a set of tab-separated tables keyed by ``patent_id``:
``g_patent`` (one row per patent) and child tables (``g_application``,
``g_cpc_current``, ``g_ipc_at_issue``, ``g_us_patent_citation``,
``g_assignee_disambiguated`` + ``g_location_disambiguated``,
``g_inventor_disambiguated``, ``g_foreign_priority``, ``g_patent_abstract``,
``g_attorney_disambiguated`` or ``g_attorney_not_disambiguated``, and the yearly claims
tables ``g_claims_YYYY``). This reader
joins them into one canonical row per patent; column mapping, join rules and the memory
design are in ``docs/formats/patentsview.md``.

Memory: every table is streamed with :func:`pyarrow.csv.open_csv` (all columns as
binary, then UTF-8 checked), child rows are reduced at once to compact columns
(parent row index, sequence, value) and bucketed by chunk of patents; each chunk of
patents is then normalised by :func:`~patentnav.io.build.build_table` and its buckets
freed. No Python loop runs over rows (only over batches and chunks); no Python object
is created per citation.

Line numbers: pyarrow's CSV reader gives no line numbers, so they are computed: a
record starts on line ``2 + (records before it) + (newlines inside the quoted fields of
the records before it)``; the newlines are counted with ``count_substring`` over every
column of every batch, and malformed records (wrong number of fields), which the parser
hands to an ``invalid_row_handler`` with their record number and raw text, are put back
in their place. Exact for LF and CRLF files; a header spanning several lines is not
supported.

Reference: PatentsView, *Granted patent data dictionary* (patentsview.org, download
tables ``g_*.tsv.zip``).
"""

from __future__ import annotations

import bz2
import csv
import io
import lzma
import os
import re
import sys
import zipfile
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from .._arrow import join_text
from .build import RawBatch, build_table
from .compressed import CountingReader, LimitedReader, check_member, open_input
from .delimited import csv_field_limit
from ..i18n import Phrase
from .report import IngestError, IngestReport, Issue

__all__ = ["read_patentsview", "looks_like_g_patent", "find_tables", "TABLES", "PATENTSVIEW_FIELDS"]

#: short name -> accepted file stems (first found wins). ``patent`` is required.
TABLES: dict[str, tuple[str, ...]] = {
    "patent": ("g_patent",),
    "patent_abstract": ("g_patent_abstract",),
    "application": ("g_application",),
    "cpc_current": ("g_cpc_current",),
    "ipc_at_issue": ("g_ipc_at_issue",),
    "us_patent_citation": ("g_us_patent_citation",),
    "assignee": ("g_assignee_disambiguated",),
    "location": ("g_location_disambiguated", "g_location"),
    "inventor": ("g_inventor_disambiguated",),
    "foreign_priority": ("g_foreign_priority",),
    "attorney": ("g_attorney_disambiguated", "g_attorney_not_disambiguated"),
    "claims": ("g_claims",),  # also the yearly g_claims_YYYY tables, all of them (see find_tables)
}

#: canonical field -> source column(s), as documented in docs/formats/patentsview.md
PATENTSVIEW_FIELDS: dict[str, str] = {
    "publication_number": "g_patent: 'US' + patent_id + wipo_kind",
    "source_id": "g_patent.patent_id",
    "document_type": "g_patent.patent_type (else the kind code)",
    "title": "g_patent.patent_title",
    "abstract": "g_patent.patent_abstract, else g_patent_abstract.patent_abstract",
    "publication_date": "g_patent.patent_date",
    "grant_date": "g_patent.patent_date",
    "claims_count": "g_patent.num_claims",
    "legal_status": "'withdrawn' where g_patent.withdrawn = 1",
    "application_number": "g_application.application_id",
    "filing_date": "g_application.filing_date",
    "cpc": "g_cpc_current.cpc_group by cpc_sequence",
    "ipc": "g_ipc_at_issue section+ipc_class+subclass main_group/subgroup by ipc_sequence",
    "cited_publications": "g_us_patent_citation: 'US' + citation_patent_id + wipo_kind by citation_sequence",
    "forward_citations": "rows of g_us_patent_citation (of loaded patents) whose citation_patent_id is the patent",
    "applicants": "g_assignee_disambiguated organization, else 'first last', by assignee_sequence",
    "applicant_countries": "g_location_disambiguated.disambig_country of each assignee's location_id",
    "applicant_addresses": "g_location_disambiguated 'city, state, country' of each assignee's location_id",
    "inventors": "g_inventor_disambiguated 'first last' by inventor_sequence",
    "priority_numbers": "g_foreign_priority foreign_country_filed + foreign_application_id",
    "priority_countries": "g_foreign_priority.foreign_country_filed",
    "priority_dates": "g_foreign_priority.filing_date",
    "agents": "g_attorney_disambiguated (else g_attorney_not_disambiguated) attorney_organization, else 'first last', by attorney_sequence",
    "claims": "g_claims[_YYYY] 'N. claim_text' lines by claim_sequence (N = claim_number, else sequence + 1)",
    "claims_coverage": "'all' where g_claims rows are joined",
    "dependent_claim_numbers": "g_claims claim numbers whose 'dependent' is given (not blank, -1, 0 or null)",
}

_SUFFIXES = (".tsv", ".tsv.zip", ".tsv.gz", ".tsv.bz2", ".tsv.xz", ".zip")
_BLOCK = 16 << 20
_CHUNK = 100_000
_SEQ_MISSING = np.iinfo(np.int32).max

# patent_type -> controlled document_type (keys of patentnav.io.values._TYPE_WORDS)
_PATENT_TYPES = {
    "utility": "granted_patent",
    "reissue": "granted_patent",
    "design": "design",
    "plant": "plant_patent",
    "statutory invention registration": "statutory_invention_registration",
    "defensive publication": "other",
}


# --- files -----------------------------------------------------------------------------

def _magic(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(6)


def _zip_member(zf: zipfile.ZipFile, path: Path) -> str:
    names = [n for n in zf.namelist() if not n.endswith("/") and not n.startswith("__MACOSX")]
    tsv = [n for n in names if n.lower().endswith(".tsv")]
    pick = tsv or names
    if len(pick) != 1:
        raise IngestError.localized("err.pv_zip_tables", Phrase("hint.pv_unzip"), path=str(path), n=len(pick), names=", ".join(pick[:5]))
    return pick[0]


@contextmanager
def _open_binary(path: Path, arrow: bool = False):
    """A readable binary stream of a table, decompressing zip (the one ``.tsv`` member), gzip,
    bz2, xz, within the ``stream_bytes`` and ``compression_ratio`` limits (docs/limits.md).

    With ``arrow=True`` a plain file, gzip and bz2 are read by Arrow (C++), for the bulk read.
    """
    if _magic(path)[:4] == b"PK\x03\x04":
        with open(path, "rb") as raw, zipfile.ZipFile(CountingReader(raw)) as zf:
            info = zf.getinfo(_zip_member(zf, path))
            check_member(info, str(path), limit="stream_bytes")
            with zf.open(info) as f:
                yield io.BufferedReader(LimitedReader(f, str(path), "stream_bytes", zf.fp), buffer_size=1 << 20)
        return
    with open_input(path, limit="stream_bytes", arrow=arrow) as f:
        yield f


def _read_header(path: Path) -> list[str]:
    try:
        with _open_binary(path) as f:
            line = f.readline(1 << 20)
    except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as e:
        raise IngestError.localized("err.pv_unreadable", Phrase("hint.download_table"), path=str(path), detail=str(e)) from e
    text = line.decode("utf-8-sig", errors="replace").rstrip("\r\n")
    if not text.strip():
        return []
    return [h.strip() for h in next(csv.reader([text], delimiter="\t"))]


def looks_like_g_patent(header: Sequence[str]) -> bool:
    """A PatentsView ``g_patent`` header: ``patent_id``, ``patent_date`` and a type/kind/title column."""
    names = {h.strip().lower() for h in header}
    return {"patent_id", "patent_date"} <= names and bool(names & {"patent_type", "wipo_kind", "patent_title"})


def _candidates(d: Path, stem: str) -> Iterator[Path]:
    for suf in _SUFFIXES:
        p = d / (stem + suf)
        if p.is_file():
            yield p
    inner = d / (stem + ".tsv") / (stem + ".tsv")  # a zip extracted into a folder of the same name
    if inner.is_file():
        yield inner


def _locate(d: Path, stems: Sequence[str]) -> Path | None:
    dirs = [d]
    if d.name.lower().endswith(".tsv"):  # g_patent.tsv/g_patent.tsv: siblings sit one level up
        dirs.append(d.parent)
    for dd in dirs:
        for stem in stems:
            for p in _candidates(dd, stem):
                return p
    return None


def find_tables(path: str | os.PathLike) -> dict[str, Path]:
    """The PatentsView tables present for a directory or a ``g_patent`` file: short name -> file.

    Uncompressed ``.tsv`` is preferred over ``.tsv.zip``, ``.tsv.gz``, ``.tsv.bz2`` of the
    same table.
    """
    p = Path(path)
    if p.is_dir():
        base, patent = p, _locate(p, TABLES["patent"])
    else:
        base, patent = p.parent, p
    out: dict[str, Path] = {}
    if patent is not None:
        out["patent"] = patent
    for name, stems in TABLES.items():
        if name == "patent":
            continue
        f = _locate(base, stems)
        if f is not None:
            out[name] = f
    for k, f in enumerate(_claims_tables(base, exclude=out.get("claims"))):
        out["claims" if "claims" not in out else f"claims#{k + 1}"] = f
    return out


def _claims_tables(d: Path, exclude: Path | None = None) -> list[Path]:
    """The yearly claims tables ``g_claims_YYYY`` of a download (one per grant year), one
    file per year (uncompressed preferred, as :func:`_locate`)."""
    years = sorted({m.group(1) for f in d.glob("g_claims_*") if (m := re.match(r"g_claims_([0-9]{4})\b", f.name))})
    out = [f for y in years if (f := _locate(d, (f"g_claims_{y}",))) is not None]
    return [f for f in out if f != exclude]


# --- streaming scan with line bookkeeping ---------------------------------------------

class _Restart(Exception):
    """pyarrow gave up on a table: read it again with the Python parser."""


@dataclass
class _Invalid:
    number: int  # record number as counted by the parser (header = 1)
    extra: int  # newlines inside the record
    expected: int
    actual: int
    text: str


@dataclass
class _Scan:
    """One table read as a stream of batches; knows the physical line of every record."""

    path: Path
    header: list[str] = field(default_factory=list)
    n: int = 0  # records parsed (header excluded, blank lines included)
    _sp_ord: list = field(default_factory=list)
    _sp_extra: list = field(default_factory=list)
    invalid: list = field(default_factory=list)
    bad_utf8: list = field(default_factory=list)  # (ordinal, column)
    fallback: str | None = None  # why the table was read with the Python parser
    _done: bool = False

    @property
    def file(self) -> str:
        return str(self.path)

    def read_header(self) -> list[str]:
        if not self.header:
            self.header = _read_header(self.path)
            if not self.header:
                raise IngestError.localized("err.pv_table_empty", Phrase("hint.download_table"), path=str(self.path))
        return self.header

    def batches(self, block_size: int = _BLOCK, python: bool = False) -> Iterator[tuple[int, dict[str, pa.Array]]]:
        """Yield ``(first ordinal, {column: string array})`` per batch, all columns.

        Line bookkeeping is complete once the generator is exhausted or :meth:`finish`
        has been called (after stopping early). When pyarrow's parser gives up (a
        malformed record whose text is not UTF-8 cannot be passed to the invalid-row
        handler; a record longer than a block), :class:`_Restart` is raised after
        resetting the bookkeeping: the caller discards what it took from this table and
        reads it again with ``python=True`` (the standard-library csv parser, slower).
        """
        self.read_header()
        if python:
            yield from self._python_batches()
            return

        def on_invalid(row) -> str:
            text = row.text or ""
            self.invalid.append(_Invalid(int(row.number) if row.number is not None else -1, text.count("\n"),
                                         row.expected_columns, row.actual_columns, text))
            return "skip"

        read_opts = pacsv.ReadOptions(use_threads=False, block_size=block_size, column_names=self.header, skip_rows=1)
        parse_opts = pacsv.ParseOptions(delimiter="\t", quote_char='"', double_quote=True, newlines_in_values=True,
                                        ignore_empty_lines=False, invalid_row_handler=on_invalid)
        conv = pacsv.ConvertOptions(column_types={h: pa.binary() for h in self.header}, strings_can_be_null=False,
                                    quoted_strings_can_be_null=False, check_utf8=False)
        # pyarrow reports a handler it could not call (record text not UTF-8) through
        # sys.unraisablehook before giving up; that case is handled below (_Restart)
        previous_hook = sys.unraisablehook

        def quiet(u):
            if not (u.object is on_invalid and isinstance(u.exc_value, UnicodeDecodeError)):
                previous_hook(u)

        sys.unraisablehook = quiet
        try:
            with _open_binary(self.path, arrow=True) as f:
                reader = pacsv.open_csv(f, read_options=read_opts, parse_options=parse_opts, convert_options=conv)
                for rb in reader:
                    start = self.n
                    m = rb.num_rows
                    if not m:
                        continue
                    extra = np.zeros(m, dtype=np.int64)
                    cols = {}
                    for name, col in zip(rb.schema.names, rb.columns):
                        cnt = pc.count_substring(col, "\n")
                        if pc.max(cnt).as_py():
                            extra += cnt.to_numpy(zero_copy_only=False).astype(np.int64)
                        cols[name] = self._utf8(col, start, name)
                    nz = np.flatnonzero(extra)
                    if len(nz):
                        self._sp_ord.append(nz + start)
                        self._sp_extra.append(extra[nz])
                    self.n += m
                    yield start, cols
                    if self._done:
                        return
        except pa.ArrowInvalid as e:
            if "skip initial" in str(e) and self.n == 0 and not self.invalid:
                pass  # only a header, without a line end: no records
            else:
                self._reset(str(e))
                raise _Restart() from e
        except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as e:
            raise IngestError.localized("err.pv_truncated", Phrase("hint.download_table"), path=str(self.path), detail=str(e)) from e
        finally:
            sys.unraisablehook = previous_hook
        self.finish()

    def _reset(self, why: str) -> None:
        self.n = 0
        self._sp_ord, self._sp_extra, self.invalid, self.bad_utf8 = [], [], [], []
        self._done = False
        self.fallback = why

    def _python_batches(self, rows_per_batch: int = 50_000) -> Iterator[tuple[int, dict[str, pa.Array]]]:
        """The same batches and bookkeeping from the standard-library csv parser (fallback)."""
        ncol = len(self.header)
        names = self.header
        try:
            with csv_field_limit(), _open_binary(self.path) as f:
                text = io.TextIOWrapper(f, encoding="utf-8-sig", errors="replace", newline="")
                reader = csv.reader(text, delimiter="\t", quotechar='"', doublequote=True, strict=False)
                next(reader, None)  # header
                number, prev = 1, reader.line_num
                buf: list[list[str]] = []
                extras: list[int] = []
                while True:
                    try:
                        row = next(reader)
                    except StopIteration:
                        break
                    except csv.Error as e:
                        row = None
                        err = str(e)
                    number += 1
                    extra = reader.line_num - prev - 1
                    prev = reader.line_num
                    if row is not None and not row:
                        row = [""] * ncol  # a blank line, as pyarrow returns it
                    if row is None or len(row) != ncol:
                        self.invalid.append(_Invalid(number, max(extra, 0), ncol, 0 if row is None else len(row),
                                                     err if row is None else "\t".join(row)))
                        continue
                    buf.append(row)
                    extras.append(extra)
                    if len(buf) >= rows_per_batch:
                        yield self._python_flush(buf, extras, names)
                        buf, extras = [], []
                        if self._done:
                            return
                if buf:
                    yield self._python_flush(buf, extras, names)
        except (OSError, EOFError, zipfile.BadZipFile, lzma.LZMAError) as e:
            raise IngestError.localized("err.pv_truncated", Phrase("hint.download_table"), path=str(self.path), detail=str(e)) from e
        self.finish()

    def _python_flush(self, buf, extras, names) -> tuple[int, dict[str, pa.Array]]:
        start = self.n
        cols = {}
        for j, name in enumerate(names):
            if name not in cols:
                cols[name] = pa.array([r[j] for r in buf], pa.string())
        ex = np.asarray(extras, dtype=np.int64)
        nz = np.flatnonzero(ex)
        if len(nz):
            self._sp_ord.append(nz + start)
            self._sp_extra.append(ex[nz])
        self.n += len(buf)
        return start, cols

    def _utf8(self, col: pa.Array, start: int, name: str) -> pa.Array:
        try:
            return col.cast(pa.string())
        except (pa.ArrowInvalid, UnicodeDecodeError):
            vals = col.to_pylist()
            out = []
            first = None
            for i, v in enumerate(vals):  # only batches with invalid UTF-8 take this path
                try:
                    out.append(v.decode("utf-8"))
                except UnicodeDecodeError:
                    out.append(v.decode("utf-8", errors="replace"))
                    first = i if first is None else first
            self.bad_utf8.append((start + (first or 0), name))
            return pa.array(out, pa.string())

    def finish(self) -> None:
        """Complete the line bookkeeping (idempotent; call after stopping early)."""
        if self._done:
            return
        self._done = True
        # the parser numbers records from the start of the file (header = 1, blank lines count)
        self.invalid.sort(key=lambda i: i.number)
        self._so = np.concatenate(self._sp_ord) if self._sp_ord else np.zeros(0, np.int64)
        se = np.concatenate(self._sp_extra) if self._sp_extra else np.zeros(0, np.int64)
        self._sc = np.concatenate([[0], np.cumsum(se)]).astype(np.int64)
        nums = np.array([i.number for i in self.invalid], dtype=np.int64)
        self._inv_m = nums - np.arange(len(nums)) - 2  # valid records before each invalid one
        self._inv_c = np.concatenate([[0], np.cumsum([i.extra for i in self.invalid])]).astype(np.int64)
        self._inv_nums = nums

    def lines(self, ordinals) -> np.ndarray:
        """Physical line where each valid record (0-based ordinal among parsed rows) starts."""
        k = np.asarray(ordinals, dtype=np.int64)
        before = np.searchsorted(self._inv_m, k, side="right")
        valid_extra = self._sc[np.searchsorted(self._so, k, side="left")]
        return k + 2 + before + self._inv_c[before] + valid_extra

    def invalid_lines(self) -> list[int]:
        out = []
        for j, inv in enumerate(self.invalid):
            vb = self._inv_m[j]  # valid records before it
            out.append(int(inv.number + self._inv_c[j] + self._sc[np.searchsorted(self._so, vb, side="left")]))
        return out

    def invalid_issues(self, field_name: str = "(record)") -> list[Issue]:
        ncol = len(self.header)
        return [Issue.coded(self.file, line, field_name, "field_count", inv.text[:200], ncol=ncol, n=inv.actual)
                for line, inv in zip(self.invalid_lines(), self.invalid)]


# --- small vectorised helpers -------------------------------------------------------------

def _blank(arr: pa.Array) -> pa.Array:
    return pc.equal(pc.utf8_length(pc.utf8_trim_whitespace(arr)), 0)


def _null_blank(arr: pa.Array) -> pa.Array:
    t = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t)


def _col(cols: dict, name: str, n: int) -> pa.Array:
    a = cols.get(name)
    return a if a is not None else pa.array([""] * n, pa.string())


def _all_blank(cols: dict, n: int) -> np.ndarray:
    """Rows where every field is empty (blank lines, which the parser returns as empty rows)."""
    m = np.ones(n, dtype=bool)
    for a in cols.values():
        m &= pc.equal(pc.binary_length(a), 0).to_numpy(zero_copy_only=False)
        if not m.any():
            break
    return m


_ID_RE = r"^(?:US)?(?P<pre>[A-Z]{0,2})0*(?P<num>[0-9]{1,13})$"


def _id_keys(ids: pa.Array) -> np.ndarray:
    """Patent ids (``10000000``, ``D800000``, ``RE49000``, ``PP30000``) as int64 keys, -1 if not an id.

    ``prefix code * 10**14 + number``: leading zeros, case, spaces and commas do not matter.
    Plain digits (most ids) take a cast; only the others go through a regular expression.
    """
    n = len(ids)
    if n == 0:
        return np.zeros(0, np.int64)
    digits = pc.and_(pc.ascii_is_decimal(ids), pc.less_equal(pc.utf8_length(ids), 13)).fill_null(False)
    keys = pc.cast(pc.if_else(digits, ids, "-1"), pa.int64()).to_numpy(zero_copy_only=False).copy()
    other = np.flatnonzero(~digits.to_numpy(zero_copy_only=False))
    if len(other):
        sub = pc.take(ids, pa.array(other))
        s = pc.replace_substring_regex(pc.utf8_upper(sub), r"[\s,]", "")
        m = pc.extract_regex(s, _ID_RE)
        num = pc.cast(pc.fill_null(pc.struct_field(m, "num"), "0"), pa.int64()).to_numpy(zero_copy_only=False)
        enc = pc.dictionary_encode(pc.fill_null(pc.struct_field(m, "pre"), ""))
        codes = []
        for p in enc.dictionary.to_pylist():  # a handful of distinct prefixes
            c = 0
            for ch in p:
                c = c * 27 + (ord(ch) - 64)
            codes.append(c)
        code = np.asarray(codes, dtype=np.int64)[enc.indices.to_numpy(zero_copy_only=False)]
        valid = pc.is_valid(m).to_numpy(zero_copy_only=False)
        keys[other] = np.where(valid, code * 10**14 + num, -1)
    return keys


class _Index:
    """Lookup of patent ids to row positions of the loaded g_patent rows (first occurrence)."""

    def __init__(self, keys: np.ndarray):
        self.n = len(keys)
        self.order = np.argsort(keys, kind="stable")
        self.sorted = keys[self.order]

    def find(self, q: np.ndarray) -> np.ndarray:
        if self.n == 0:
            return np.full(len(q), -1, dtype=np.int64)
        pos = np.searchsorted(self.sorted, q, side="left")
        pos_c = np.minimum(pos, self.n - 1)
        ok = (pos < self.n) & (self.sorted[pos_c] == q) & (q >= 0)
        return np.where(ok, self.order[pos_c], -1)


def _seq(arr: pa.Array) -> np.ndarray:
    s = pc.utf8_trim_whitespace(arr)
    ok = pc.match_substring_regex(s, r"^[0-9]{1,9}$").fill_null(False)
    v = pc.cast(pc.if_else(ok, s, "0"), pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)
    return np.where(ok.to_numpy(zero_copy_only=False), v, _SEQ_MISSING)


def _person(first: pa.Array, last: pa.Array) -> pa.Array:
    return join_text([first, last], " ", trim=True)


# --- child tables ---------------------------------------------------------------------------

@dataclass
class _Child:
    """Rows of one child table reduced to (p, seq, values), bucketed by chunk of patents."""

    name: str
    scan: _Scan
    chunk: int
    n_chunks: int
    buckets: list = field(default_factory=list)
    orphans: int = 0
    first_orphan: tuple | None = None  # (ordinal, patent_id)
    skipped: int = 0  # rows without the value this table contributes
    first_skipped: tuple | None = None
    skipped_what: str = ""

    def __post_init__(self):
        self.buckets = [[] for _ in range(self.n_chunks)]

    def add(self, start: int, p: np.ndarray, rows: np.ndarray, seq: np.ndarray, values: dict[str, pa.Array]) -> None:
        """Append rows (``rows`` positions within the batch) whose parent is ``p``."""
        if not len(rows):
            return
        cid = p // self.chunk
        t = pa.table({"p": pa.array(p.astype(np.int32)), "seq": pa.array(seq.astype(np.int32)), **values})
        if cid[0] == cid[-1] and (cid == cid[0]).all():
            self.buckets[int(cid[0])].append(t)
            return
        order = np.argsort(cid, kind="stable")
        t = t.take(pa.array(order))
        cs = cid[order]
        cut = np.flatnonzero(np.diff(cs)) + 1
        bounds = np.concatenate([[0], cut, [len(cs)]])
        for lo, hi in zip(bounds[:-1], bounds[1:]):
            self.buckets[int(cs[lo])].append(t.slice(lo, hi - lo))

    def note_orphans(self, start: int, orphan_pos: np.ndarray, ids: pa.Array) -> None:
        if len(orphan_pos):
            self.orphans += len(orphan_pos)
            if self.first_orphan is None:
                i = int(orphan_pos[0])
                self.first_orphan = (start + i, ids[i].as_py())

    def note_skipped(self, start: int, pos: np.ndarray, value) -> None:
        if len(pos):
            self.skipped += len(pos)
            if self.first_skipped is None:
                self.first_skipped = (start + int(pos[0]), value)

    def take(self, c: int, a: int, b: int) -> pa.Table | None:
        """Rows of chunk ``c`` sorted by (patent, sequence, file order), with offsets per patent; frees the bucket."""
        parts, self.buckets[c] = self.buckets[c], []
        if not parts:
            return None
        t = pa.concat_tables(parts).combine_chunks()
        p = t["p"].to_numpy().astype(np.int64) - a
        order = np.lexsort((t["seq"].to_numpy(), p))
        t = t.take(pa.array(order))
        return t.set_column(0, "p", pa.array(p[order]))


def _lists(t: pa.Table | None, n: int, cols: Sequence[str]) -> dict[str, pa.Array]:
    if t is None:
        empty = pa.array(np.zeros(n + 1, dtype=np.int32))
        return {c: pa.ListArray.from_arrays(empty, pa.array([], pa.string())) for c in cols}
    counts = np.bincount(t["p"].to_numpy(), minlength=n)
    offsets = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(counts, out=offsets[1:])
    off = pa.array(offsets)
    return {c: pa.ListArray.from_arrays(off, t[c].combine_chunks()) for c in cols}


def _claims_columns(parts: list[pa.Table | None], n: int) -> dict[str, pa.Array]:
    """``claims`` (the lines of each patent joined by newlines, in claim_sequence order),
    ``claims_coverage`` and ``dependent_claim_numbers`` from the claims rows of a chunk (all
    yearly tables)."""
    parts = [p for p in parts if p is not None]
    if not parts:
        return {}
    t = pa.concat_tables(parts).combine_chunks()
    t = t.take(pc.sort_indices(t, sort_keys=[("p", "ascending"), ("seq", "ascending")]))
    t = t.filter(pc.is_valid(t["claims"]))
    lines = _lists(t, n, ["claims"])["claims"]
    has = pc.greater(pc.list_value_length(lines), 0)
    text = pc.if_else(has, pc.binary_join(lines, "\n"), pa.scalar(None, pa.string()))
    marked = t.filter(pc.is_valid(t["dependent_claim_numbers"]))
    return {"claims": text, "claims_coverage": pc.if_else(has, pa.scalar("all"), pa.scalar(None, pa.string())),
            "dependent_claim_numbers": _lists(marked if marked.num_rows else None, n, ["dependent_claim_numbers"])["dependent_claim_numbers"]}


def _firsts(t: pa.Table | None, n: int, cols: Sequence[str]) -> dict[str, pa.Array]:
    if t is None:
        return {c: pa.nulls(n, pa.string()) for c in cols}
    p = t["p"].to_numpy()
    counts = np.bincount(p, minlength=n)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    has = counts > 0
    idx = pa.array(np.where(has, starts, 0), mask=~has)
    return {c: t[c].combine_chunks().take(idx) for c in cols}


# --- the reader -----------------------------------------------------------------------------

def _resolve_tables(found: dict[str, Path], tables, include_citations: bool) -> dict[str, Path]:
    if tables is None:
        wanted = set(found)
    else:
        wanted = {"patent"}
        aliases = {}
        for short, stems in TABLES.items():
            aliases[short] = short
            for s in stems:
                aliases[s] = short
                aliases[s[2:]] = short
        for t in ([tables] if isinstance(tables, str) else tables):
            key = aliases.get(str(t).strip().lower().removesuffix(".tsv"))
            if key is None:
                raise IngestError.localized("err.pv_table_name", Phrase("hint.pv_tables", tables=", ".join(TABLES)), name=repr(t))
            wanted.add(key)
    if not include_citations:
        wanted.discard("us_patent_citation")
    return {k: v for k, v in found.items() if k.split("#")[0] in wanted}


def read_patentsview(
    path: str | os.PathLike,
    *,
    strict: bool = False,
    tables: Iterable[str] | None = None,
    include_citations: bool = True,
    limit: int | None = None,
    chunk_size: int = _CHUNK,
    block_size: int = _BLOCK,
    timings: dict | None = None,
) -> tuple[pa.Table, IngestReport]:
    """Read PatentsView granted-patent bulk tables into one canonical row per patent.

    Parameters
    ----------
    path : path-like
        A directory holding ``g_patent.tsv`` (or ``.tsv.zip`` / ``.tsv.gz`` / ``.tsv.bz2``)
        and any of the child tables, or the ``g_patent`` file itself (sibling tables are
        then read from its directory).
    strict : bool
        Raise :class:`~patentnav.io.report.IngestError` on the first bad row or value,
        and on orphan or malformed child rows.
    tables : iterable of str, optional
        Child tables to read (``"application"``, ``"cpc_current"``, ``"ipc_at_issue"``,
        ``"us_patent_citation"``, ``"assignee"``, ``"location"``, ``"inventor"``,
        ``"foreign_priority"``, ``"patent_abstract"``, or their file stems such as
        ``"g_cpc_current"``). Default: every table present.
    include_citations : bool
        False skips ``g_us_patent_citation`` (the largest table): ``cited_publications``
        stay empty and ``forward_citations`` null.
    limit : int, optional
        Read only the first ``limit`` patents of ``g_patent`` (child tables are still
        scanned in full to find their rows; orphans are then not reported, because rows
        of patents beyond the limit are not orphans).
    chunk_size : int
        Patents normalised at a time (bounds the working memory of normalisation).
    block_size : int
        Bytes per parsed block of each TSV.
    timings : dict, optional
        Filled with seconds (wall) per phase: ``g_patent``, each child table, ``build``.

    Returns
    -------
    (pyarrow.Table, IngestReport)
        Canonical table (not de-duplicated) and the accounting of every ``g_patent`` row;
        ``source_row`` is the line in ``g_patent.tsv`` (header = line 1).
    """
    p = Path(path)
    if not p.exists():
        raise IngestError.localized("err.no_such_file", path=str(p))
    found = find_tables(p)
    if "patent" not in found:
        raise IngestError.localized("err.pv_no_patent", Phrase("hint.pv_folder"), path=str(p))
    files = _resolve_tables(found, tables, include_citations)
    if limit is not None and limit < 0:
        raise ValueError("limit must be >= 0")

    # 1. g_patent: stream, keep the needed columns, compute every record's line
    clock = _Clock(timings)
    pscan = _Scan(files["patent"])
    keep_cols = ("patent_id", "patent_type", "patent_date", "patent_title", "patent_abstract", "wipo_kind", "num_claims", "withdrawn")
    header = pscan.read_header()
    if not looks_like_g_patent(header):
        raise IngestError.localized("err.pv_not_patent", Phrase("hint.pv_patent"), path=pscan.file, columns=", ".join(header[:8]))
    wanted = [c for c in keep_cols if c in header]
    try:
        pieces, ordinals, total = _read_patent_rows(pscan, wanted, limit, block_size, python=False)
    except _Restart:
        pieces, ordinals, total = _read_patent_rows(pscan, wanted, limit, block_size, python=True)
    ords = np.concatenate(ordinals) if ordinals else np.zeros(0, np.int64)
    lines = pscan.lines(ords)
    invalid = pscan.invalid_issues()
    if limit is not None:
        invalid = [i for i in invalid if len(ords) and i.line < lines[-1]]
    n = total
    del ordinals
    rows = _Rows(pieces, wanted)
    del pieces
    index = _Index(_id_keys(rows.column("patent_id")))

    clock.lap("g_patent")

    # 2. child tables
    n_chunks = max(1, -(-n // chunk_size))
    issues: list[Issue] = [_fallback_issue(pscan)] if pscan.fallback else []
    child: dict[str, _Child] = {}
    fwd = np.zeros(n, dtype=np.int64) if "us_patent_citation" in files else None
    loc = None
    if "location" in files and "assignee" in files:
        loc, lscan = _read_locations(files["location"])
        issues += _scan_issues(lscan)
    clock.lap("g_location")
    claims_keys = [k for k in files if k.split("#")[0] == "claims"]
    for key in ("application", "patent_abstract", "cpc_current", "ipc_at_issue", "us_patent_citation", "assignee", "inventor",
                "foreign_priority", "attorney", *claims_keys):
        if key not in files:
            continue
        name = key.split("#")[0]
        ch = _Child(name, _Scan(files[key]), chunk_size, n_chunks)
        saved = fwd.copy() if fwd is not None and name == "us_patent_citation" else None
        try:
            _read_child(ch, index, block_size, loc, fwd)
        except _Restart:
            if saved is not None:
                fwd[:] = saved
            why = ch.scan.fallback
            ch = _Child(name, _Scan(files[key]), chunk_size, n_chunks)
            ch.scan.fallback = why
            _read_child(ch, index, block_size, loc, fwd, python=True)
        del saved
        clock.lap(ch.scan.path.name.split(".")[0])
        child[key] = ch
        issues += _child_issues(ch, report_orphans=limit is None)

    # 3. normalise chunk by chunk
    tables_out: list[pa.Table] = []
    rejected: list[Issue] = []
    warnings: list[Issue] = []
    bounds = [int(lines[min(c * chunk_size, n - 1)]) if n else 0 for c in range(n_chunks)]
    cuts = _split_by_line(invalid, bounds)
    field_names = {
        "publication_number": "patent_id", "source_id": "patent_id", "kind": "wipo_kind", "title": "patent_title",
        "abstract": "patent_abstract", "publication_date": "patent_date", "grant_date": "patent_date",
        "claims_count": "num_claims", "legal_status": "withdrawn", "document_type_raw": "patent_type",
        "application_number": "g_application.application_id", "filing_date": "g_application.filing_date",
        "cpc": "g_cpc_current.cpc_group", "ipc": "g_ipc_at_issue (section, ipc_class, subclass, main_group, subgroup)",
        "cited_publications": "g_us_patent_citation.citation_patent_id", "forward_citations": "g_us_patent_citation",
        "applicants": "g_assignee_disambiguated", "applicant_countries": "g_location_disambiguated.disambig_country",
        "applicant_addresses": "g_location_disambiguated", "inventors": "g_inventor_disambiguated",
        "priority_numbers": "g_foreign_priority.foreign_application_id", "priority_countries": "g_foreign_priority.foreign_country_filed",
        "priority_dates": "g_foreign_priority.filing_date", "agents": "g_attorney_*", "claims": "g_claims.claim_text",
        "claims_coverage": "g_claims", "dependent_claim_numbers": "g_claims.dependent",
    }
    for c in range(n_chunks):
        a, b = c * chunk_size, min(n, (c + 1) * chunk_size)
        raw = rows.take(a, b)
        cols = _patent_columns(raw, b - a, warnings, pscan.file, lines[a:b])
        if "application" in child:
            f = _firsts(child["application"].take(c, a, b), b - a, ["application_number", "filing_date"])
            cols.update(f)
        if "patent_abstract" in child:
            f = _firsts(child["patent_abstract"].take(c, a, b), b - a, ["abstract"])["abstract"]
            cols["abstract"] = pc.coalesce(_null_blank(cols["abstract"]), f) if "abstract" in cols else f
        for name, out in (("cpc_current", ["cpc"]), ("ipc_at_issue", ["ipc"]), ("us_patent_citation", ["cited_publications"]),
                          ("assignee", ["applicants", "applicant_countries", "applicant_addresses"]), ("inventor", ["inventors"]),
                          ("foreign_priority", ["priority_numbers", "priority_countries", "priority_dates"])):
            if name in child:
                cols.update(_lists(child[name].take(c, a, b), b - a, out))
        if "attorney" in child:
            cols.update(_lists(child["attorney"].take(c, a, b), b - a, ["agents"]))
        if claims_keys:
            cols.update(_claims_columns([child[k].take(c, a, b) for k in claims_keys], b - a))
        if fwd is not None:
            cols["forward_citations"] = pa.array(fwd[a:b].astype(np.int32))
        if "assignee" in child and loc is None:
            cols.pop("applicant_countries", None)
            cols.pop("applicant_addresses", None)
        batch = RawBatch(
            source_format="patentsview", source_file=pscan.file, lines=lines[a:b], columns=cols,
            field_names=field_names, list_sep=None, date_formats=("iso",),
            rows_read=(b - a) + len(cuts[c]), pre_rejected=cuts[c],
        )
        t, r = build_table(batch, strict=strict)
        tables_out.append(t)
        rejected += r.rejected
        warnings += _dedupe_issues(r.warnings)
        del raw, cols, batch
        pa.default_memory_pool().release_unused()  # hand freed chunk memory back to the OS
    if strict and issues:
        raise IngestError(issues[0], Phrase("hint.strict_table"))
    table = pa.concat_tables(tables_out) if tables_out else _empty()
    clock.lap("build")
    report = IngestReport(
        rows_read=n + len(invalid),
        kept=table.num_rows,
        rejected=sorted(rejected, key=lambda i: i.line),
        warnings=sorted(warnings, key=lambda i: i.line) + issues,
        files=[str(f) for f in files.values()],
        formats=["patentsview"] * len(files),
    )
    return table, report


def _read_patent_rows(pscan: _Scan, wanted: list[str], limit: int | None, block_size: int, python: bool):
    """The kept g_patent rows (needed columns) as tables, their record ordinals, their count."""
    pieces: list[pa.Table] = []
    ordinals: list[np.ndarray] = []
    total = 0
    if limit != 0:
        gen = pscan.batches(block_size, python=python)
        try:
            for start, cols in gen:
                m = len(cols["patent_id"])
                nonblank = np.flatnonzero(~_all_blank(cols, m))
                if limit is not None and total + len(nonblank) > limit:
                    nonblank = nonblank[: limit - total]
                if len(nonblank) == m:
                    pieces.append(pa.table({c: cols[c] for c in wanted}))
                else:
                    idx = pa.array(nonblank)
                    pieces.append(pa.table({c: cols[c].take(idx) for c in wanted}))
                ordinals.append(nonblank + start)
                total += len(nonblank)
                if limit is not None and total >= limit:
                    break
        finally:
            gen.close()
    pscan.finish()
    return pieces, ordinals, total


class _Clock:
    def __init__(self, out: dict | None):
        import time

        self.out, self._time = out, time.perf_counter
        self.t = self._time()

    def lap(self, name: str) -> None:
        now = self._time()
        if self.out is not None:
            self.out[name] = round(self.out.get(name, 0.0) + now - self.t, 3)
        self.t = now


class _Rows:
    """The kept g_patent rows as the batches they were read in; ranges are taken in order and
    the batches behind them released, so raw text does not outlive its normalised copy."""

    def __init__(self, pieces: list[pa.Table], names: Sequence[str]):
        self.pieces = deque(t for t in pieces if t.num_rows)
        self.names = list(names)
        self.first = 0  # global row index of self.pieces[0]

    def column(self, name: str) -> pa.Array:
        if not self.pieces:
            return pa.array([], pa.string())
        return pa.chunked_array([t[name] for t in self.pieces], pa.string()).combine_chunks()

    def take(self, a: int, b: int) -> pa.Table:
        if not self.pieces:
            return pa.table({c: pa.array([], pa.string()) for c in self.names})
        parts, pos = [], self.first
        for t in self.pieces:
            lo, hi = max(a, pos), min(b, pos + t.num_rows)
            if lo < hi:
                parts.append(t.slice(lo - pos, hi - lo))
            pos += t.num_rows
            if pos >= b:
                break
        out = pa.concat_tables(parts).combine_chunks() if parts else pa.table({c: pa.array([], pa.string()) for c in self.names})
        while self.pieces and self.first + self.pieces[0].num_rows <= b:
            self.first += self.pieces.popleft().num_rows
        return out


def _empty() -> pa.Table:
    from ..model.schema import SCHEMA

    return SCHEMA.empty_table()


def _dedupe_issues(items: list[Issue]) -> list[Issue]:
    seen, out = set(), []
    for i in items:
        if i not in seen:
            seen.add(i)
            out.append(i)
    return out


def _split_by_line(invalid: list[Issue], starts: list[int]) -> list[list[Issue]]:
    """Malformed g_patent records go with the chunk of patents they sit among (strict mode reports in line order)."""
    out: list[list[Issue]] = [[] for _ in starts] or [[]]
    for i in invalid:
        c = max(0, int(np.searchsorted(np.asarray(starts), i.line, side="right")) - 1)
        out[min(c, len(out) - 1)].append(i)
    return out


def _patent_columns(raw: pa.Table, n: int, warnings: list[Issue], file: str, lines: np.ndarray) -> dict:
    def col(name):
        return raw[name].combine_chunks() if name in raw.column_names else pa.array([""] * n, pa.string())

    pid = pc.utf8_trim_whitespace(col("patent_id"))
    kind = pc.utf8_upper(pc.utf8_trim_whitespace(col("wipo_kind")))
    ok_kind = pc.match_substring_regex(kind, r"^[A-Z][0-9]?$")
    bad_kind = pc.and_(pc.invert(ok_kind), pc.invert(_blank(kind))).to_numpy(zero_copy_only=False)
    for i in np.flatnonzero(bad_kind):
        warnings.append(Issue.coded(file, int(lines[i]), "wipo_kind", "not_kind_code", kind[int(i)].as_py()))
    pub = pc.if_else(_blank(pid), pa.scalar(None, pa.string()), pc.binary_join_element_wise("US", pid, ""))
    ptype = pc.utf8_lower(pc.utf8_trim_whitespace(col("patent_type")))
    keys = pa.array(list(_PATENT_TYPES))
    dtype = pc.take(pa.array(list(_PATENT_TYPES.values())), pc.index_in(ptype, value_set=keys))
    wd = pc.utf8_lower(pc.utf8_trim_whitespace(col("withdrawn")))
    withdrawn = pc.is_in(wd, value_set=pa.array(["1", "true", "t", "y", "yes"]))
    cols = {
        "publication_number": pub,
        "kind": pc.if_else(ok_kind, kind, pa.scalar(None, pa.string())),
        "source_id": pid,
        "document_type_raw": dtype,
        "title": col("patent_title"),
        "publication_date": col("patent_date"),
        "grant_date": col("patent_date"),
        "claims_count": col("num_claims"),
        "legal_status": pc.if_else(withdrawn, pa.scalar("withdrawn"), pa.scalar(None, pa.string())),
    }
    if "patent_abstract" in raw.column_names:
        cols["abstract"] = col("patent_abstract")
    return cols


def _read_locations(path: Path) -> tuple[tuple[pa.Array, pa.Array, pa.Array], _Scan]:
    """(location_id, country, 'city, state, country') of the location table, read whole (it is small)."""
    first = _Scan(path)
    try:
        return _read_locations_once(first, python=False)
    except _Restart:
        again = _Scan(path)
        again.fallback = first.fallback
        return _read_locations_once(again, python=True)


def _read_locations_once(scan: _Scan, python: bool):
    ids, countries, addresses = [], [], []
    for _, cols in scan.batches(python=python):
        n = len(next(iter(cols.values())))
        if "location_id" not in cols:
            raise IngestError.localized("err.pv_no_column", Phrase("hint.pv_location"), path=str(scan.path), columns="location_id",
                                        found=", ".join(scan.header[:8]))
        city = _col(cols, "disambig_city", n)
        state = _col(cols, "disambig_state", n)
        country = _col(cols, "disambig_country", n)
        ids.append(pc.utf8_trim_whitespace(cols["location_id"]))
        countries.append(_null_blank(country))
        addresses.append(join_text([city, state, country], ", ", trim=True))
    if not ids:
        e = pa.array([], pa.string())
        return (e, e, e), scan
    return (pa.concat_arrays(ids), pa.concat_arrays(countries), pa.concat_arrays(addresses)), scan


_REQUIRED = {
    "application": ("patent_id",),
    "patent_abstract": ("patent_id", "patent_abstract"),
    "cpc_current": ("patent_id", "cpc_group"),
    "ipc_at_issue": ("patent_id",),
    "us_patent_citation": ("patent_id", "citation_patent_id"),
    "assignee": ("patent_id",),
    "inventor": ("patent_id",),
    "foreign_priority": ("patent_id", "foreign_application_id"),
    "attorney": ("patent_id",),
    "claims": ("patent_id", "claim_text"),
}


_NEEDED = {
    "application": ("application_id", "filing_date"),
    "patent_abstract": ("patent_abstract",),
    "cpc_current": ("cpc_sequence", "cpc_group", "cpc_subclass"),
    "ipc_at_issue": ("ipc_sequence", "section", "ipc_class", "subclass", "main_group", "subgroup"),
    "us_patent_citation": ("citation_sequence", "citation_patent_id", "wipo_kind"),
    "assignee": ("assignee_sequence", "disambig_assignee_organization", "disambig_assignee_individual_name_first",
                 "disambig_assignee_individual_name_last", "location_id"),
    "inventor": ("inventor_sequence", "disambig_inventor_name_first", "disambig_inventor_name_last"),
    "foreign_priority": ("priority_claim_sequence", "foreign_application_id", "filing_date", "foreign_country_filed"),
    "attorney": ("attorney_sequence", "attorney_organization", "attorney_name_first", "attorney_name_last"),
    "claims": ("claim_sequence", "claim_number", "claim_text", "dependent"),
}


def _ipc_symbols(cols: dict, n: int) -> pa.Array:
    """``H04W 72/04`` from section, ipc_class, subclass, main_group, subgroup (spelled as digits or with the letters)."""
    sec = pc.utf8_upper(pc.utf8_trim_whitespace(_col(cols, "section", n)))
    cls = pc.utf8_upper(pc.utf8_trim_whitespace(_col(cols, "ipc_class", n)))
    sub = pc.utf8_upper(pc.utf8_trim_whitespace(_col(cols, "subclass", n)))
    mg = pc.utf8_trim_whitespace(_col(cols, "main_group", n))
    sg = pc.utf8_trim_whitespace(_col(cols, "subgroup", n))
    plain = pc.binary_join_element_wise(sec, cls, sub, "")
    head = pc.if_else(pc.match_substring_regex(sub, r"^[A-HY][0-9]{2}[A-Z]$"), sub,
                      pc.if_else(pc.match_substring_regex(cls, r"^[A-HY][0-9]{2}$"), pc.binary_join_element_wise(cls, sub, ""), plain))
    # spelled canonically (H04W72/04) where the parts allow, so that build_table's RE2 fast
    # path accepts it; anything else goes through the full IPC parser there
    mg = pc.replace_substring_regex(mg, r"^0+([0-9])", r"\1")
    sg = pc.if_else(pc.match_substring_regex(sg, r"^[0-9]$"), pc.utf8_lpad(sg, 2, "0"), sg)
    group = pc.if_else(_blank(sg), pc.binary_join_element_wise(mg, "00", "/"), pc.binary_join_element_wise(mg, sg, "/"))
    code = pc.if_else(_blank(mg), head, pc.binary_join_element_wise(head, group, ""))
    return pc.if_else(_blank(code), pa.scalar(None, pa.string()), code)


def _read_child(ch: _Child, index: _Index, block_size: int, loc, fwd: np.ndarray | None, python: bool = False) -> None:
    scan = ch.scan
    for start, cols in scan.batches(block_size, python=python):
        req = _REQUIRED[ch.name]
        missing = [c for c in req if c not in cols]
        if missing:
            raise IngestError.localized("err.pv_no_column", Phrase("hint.pv_use_table", table=TABLES[ch.name][0]), path=scan.file,
                                        columns=", ".join(missing), found=", ".join(scan.header[:8]))
        m = len(cols["patent_id"])
        nonblank = ~_all_blank(cols, m)
        ids = cols["patent_id"]
        parent = index.find(_id_keys(pc.utf8_trim_whitespace(ids)))
        ch.note_orphans(start, np.flatnonzero((parent < 0) & nonblank), ids)
        rows = np.flatnonzero(parent >= 0)
        if not len(rows):
            continue
        need = [c for c in _NEEDED[ch.name] if c in cols]
        if len(rows) == m:
            sub = {k: cols[k] for k in need}
        else:
            sel = pa.array(rows)
            sub = {k: cols[k].take(sel) for k in need}
        del cols
        p = parent[rows]
        n = len(rows)
        seq = np.zeros(n, dtype=np.int64)
        values: dict[str, pa.Array]
        if ch.name == "application":
            values = {"application_number": _null_blank(_col(sub, "application_id", n)), "filing_date": _null_blank(_col(sub, "filing_date", n))}
        elif ch.name == "patent_abstract":
            values = {"abstract": _null_blank(sub["patent_abstract"])}
        elif ch.name == "cpc_current":
            seq = _seq(_col(sub, "cpc_sequence", n))
            grp = _null_blank(sub["cpc_group"])
            values = {"cpc": pc.coalesce(grp, _null_blank(_col(sub, "cpc_subclass", n)))}
        elif ch.name == "ipc_at_issue":
            seq = _seq(_col(sub, "ipc_sequence", n))
            values = {"ipc": _ipc_symbols(sub, n)}
        elif ch.name == "us_patent_citation":
            cited = pc.utf8_trim_whitespace(sub["citation_patent_id"])
            blank = _blank(cited).to_numpy(zero_copy_only=False)
            ch.skipped_what = "citation_patent_id"
            ch.note_skipped(start, rows[blank], None)
            keep = np.flatnonzero(~blank)
            if len(keep) < n:
                ks = pa.array(keep)
                sub = {k: v.take(ks) for k, v in sub.items()}
                cited = cited.take(ks)
                p, rows, n = p[keep], rows[keep], len(keep)
            seq = _seq(_col(sub, "citation_sequence", n))
            kind = pc.utf8_upper(pc.utf8_trim_whitespace(_col(sub, "wipo_kind", n)))
            values = {"cited_publications": pc.binary_join_element_wise("US", cited, kind, "")}
            if fwd is not None and n:
                target = index.find(_id_keys(cited))
                hit = target[target >= 0]
                if len(hit):
                    fwd += np.bincount(hit, minlength=len(fwd))
        elif ch.name == "assignee":
            seq = _seq(_col(sub, "assignee_sequence", n))
            org = _null_blank(_col(sub, "disambig_assignee_organization", n))
            person = _person(_col(sub, "disambig_assignee_individual_name_first", n), _col(sub, "disambig_assignee_individual_name_last", n))
            values = {"applicants": pc.coalesce(org, person)}
            if loc is not None:
                li = pc.index_in(pc.utf8_trim_whitespace(_col(sub, "location_id", n)), value_set=loc[0])
                values["applicant_countries"] = pc.take(loc[1], li)
                values["applicant_addresses"] = pc.take(loc[2], li)
        elif ch.name == "inventor":
            seq = _seq(_col(sub, "inventor_sequence", n))
            values = {"inventors": _person(_col(sub, "disambig_inventor_name_first", n), _col(sub, "disambig_inventor_name_last", n))}
        elif ch.name == "foreign_priority":
            app = pc.utf8_trim_whitespace(sub["foreign_application_id"])
            blank = _blank(app).to_numpy(zero_copy_only=False)
            ch.skipped_what = "foreign_application_id"
            ch.note_skipped(start, rows[blank], None)
            keep = np.flatnonzero(~blank)
            if len(keep) < n:
                ks = pa.array(keep)
                sub = {k: v.take(ks) for k, v in sub.items()}
                app = app.take(ks)
                p, rows, n = p[keep], rows[keep], len(keep)
            seq = _seq(_col(sub, "priority_claim_sequence", n))
            country = pc.utf8_upper(pc.utf8_trim_whitespace(_col(sub, "foreign_country_filed", n)))
            values = {
                "priority_numbers": pc.binary_join_element_wise(country, app, ""),
                "priority_countries": _null_blank(country),
                "priority_dates": _null_blank(_col(sub, "filing_date", n)),
            }
        elif ch.name == "attorney":
            seq = _seq(_col(sub, "attorney_sequence", n))
            org = _null_blank(_col(sub, "attorney_organization", n))
            values = {"agents": pc.coalesce(org, _person(_col(sub, "attorney_name_first", n), _col(sub, "attorney_name_last", n)))}
        elif ch.name == "claims":
            seq = _seq(_col(sub, "claim_sequence", n))
            values = _claim_lines(sub, seq, n)
        else:  # pragma: no cover
            raise AssertionError(ch.name)
        ch.add(start, p, rows, seq, values)


_NOT_DEPENDENT = ("", "-1", "0", "none", "null", "nan", "na")


def _claim_lines(sub: dict, seq: np.ndarray, n: int) -> dict[str, pa.Array]:
    """One ``N. text`` line per g_claims row (whitespace collapsed) and, where its
    ``dependent`` column names another claim, its number as markup of a dependent claim."""
    num = pc.utf8_trim_whitespace(_col(sub, "claim_number", n))
    given = pc.match_substring_regex(num, r"^[0-9]{1,4}$").fill_null(False)
    from_seq = pa.array(np.where(seq == _SEQ_MISSING, 0, seq + 1)).cast(pa.string())
    num = pc.if_else(given, pc.replace_substring_regex(num, r"^0+([0-9])", r"\1"), from_seq)
    text = pc.utf8_trim_whitespace(pc.replace_substring_regex(_col(sub, "claim_text", n), r"\s+", " "))
    numbered = pc.match_substring_regex(text, r"^[0-9]{1,4}[ ]?[.)]").fill_null(False)
    line = pc.if_else(numbered, text, pc.binary_join_element_wise(num, text, ". "))
    line = pc.if_else(_blank(text), pa.scalar(None, pa.string()), line)
    dep = pc.utf8_lower(pc.utf8_trim_whitespace(_col(sub, "dependent", n)))
    marked = pc.invert(pc.is_in(dep, value_set=pa.array(_NOT_DEPENDENT))).fill_null(False)
    return {"claims": line, "dependent_claim_numbers": pc.if_else(marked, num, pa.scalar(None, pa.string()))}


def _fallback_issue(scan: _Scan) -> Issue:
    return Issue.coded(scan.file, 1, "(file)", "csv_fallback", detail=scan.fallback)


def _child_issues(ch: _Child, report_orphans: bool) -> list[Issue]:
    scan = ch.scan
    out: list[Issue] = []
    if report_orphans and ch.orphans:
        k, value = ch.first_orphan
        out.append(Issue.coded(scan.file, int(scan.lines([k])[0]), "patent_id", "orphan_rows",
                               None if value is None else str(value), n=ch.orphans))
    if ch.skipped:
        k, _ = ch.first_skipped
        out.append(Issue.coded(scan.file, int(scan.lines([k])[0]), "patent_id", "rows_without", n=ch.skipped, field=ch.skipped_what))
    return out + _scan_issues(scan)


def _scan_issues(scan: _Scan) -> list[Issue]:
    """Malformed records, invalid UTF-8 and a parser fallback of a child table, one warning each."""
    out: list[Issue] = []
    if scan.invalid:
        first = scan.invalid_issues()[0]
        detail = Phrase(f"issue.{first.code}", **dict(first.args)) if first.code else first.reason
        out.append(Issue.coded(scan.file, first.line, "(record)", "malformed_records", first.value, n=len(scan.invalid), detail=detail))
    if scan.fallback:
        out.append(_fallback_issue(scan))
    for k, name in scan.bad_utf8[:1]:
        out.append(Issue.coded(scan.file, int(scan.lines([k])[0]), name, "invalid_utf8_batches", n=len(scan.bad_utf8)))
    return out


# --- registration ---------------------------------------------------------------------------

def _sniff(path, head: bytes, text: str) -> bool:
    p = Path(path)
    if p.is_dir():
        f = _locate(p, TABLES["patent"])
        return f is not None and looks_like_g_patent(_read_header(f))
    return looks_like_g_patent(_read_header(p))


def _read(path, *, strict: bool = False):
    return read_patentsview(path, strict=strict)


from .registry import register  # noqa: E402

register("patentsview", _read, _sniff, "PatentsView granted-patent bulk tables: a directory with g_patent.tsv[.zip|.gz|.bz2], or that file")
