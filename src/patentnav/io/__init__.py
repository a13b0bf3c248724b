"""Readers for the patent exports people actually have.

Every reader returns a canonical Arrow table and an :class:`IngestReport` that accounts
for every input row; :func:`read` detects the format from content, reads several files,
and de-duplicates by publication number.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Callable

from .registry import READERS, detect_format, register
from .report import IngestError, IngestReport, Issue

__all__ = ["read", "detect_format", "READERS", "register", "IngestError", "IngestReport", "Issue", "formats"]

_loaded = False


def _ensure_readers() -> None:
    """Import the reader modules (each registers itself) on first use."""
    global _loaded
    if _loaded:
        return
    _loaded = True
    import importlib

    for mod in ("canonical", "lens", "google", "patentsview", "uspto_xml", "cn_export"):
        try:
            importlib.import_module(f"{__name__}.{mod}")
        except ModuleNotFoundError as e:  # a reader not (yet) present
            if e.name != f"{__name__}.{mod}":
                raise


def formats() -> dict[str, str]:
    """Registered reader names and what they read."""
    _ensure_readers()
    return {k: v.description for k, v in READERS.items()}


def _expand_folders(paths, format: str | None) -> list:
    """A folder that is not itself a readable input (a PatentsView table set) becomes its files."""
    out: list = []
    for p in paths:
        q = Path(p)
        if q.is_dir() and format is None:
            try:
                detect_format(q)
                out.append(p)
                continue
            except IngestError:
                files = sorted(f for f in q.iterdir() if f.is_file() and not f.name.startswith("."))
                if not files:
                    raise IngestError.localized("err.folder_empty", path=str(q))
                readable = []
                for f in files:
                    try:
                        detect_format(f)
                        readable.append(f)
                    except IngestError:
                        continue  # README, PROVENANCE, ... next to the exports
                if not readable:
                    raise IngestError.localized("err.folder_unreadable", path=str(q))
                out.extend(readable)
        else:
            out.append(p)
    return out


def read_file(path, format: str | None = None, strict: bool = False, columns=None):
    """One export with its reader (detected unless ``format``): ``(table, report)``, the report's
    ``per_file`` filled in. :func:`read` and :func:`patentnav.io.dataset.ingest_dataset` use it.

    ``columns``: the canonical columns to keep (None: all); the others are left empty. A
    reader that can skip columns (Parquet) does not read them, the others' are dropped after."""
    name = format or detect_format(path)
    if name not in READERS:
        raise IngestError.localized("err.unknown_reader", name=str(name), formats=", ".join(READERS))
    fn = READERS[name].read
    if columns is not None and _takes_columns(fn):
        table, r = fn(Path(path), strict=strict, columns=columns)
    else:
        table, r = fn(Path(path), strict=strict)
        if columns is not None:
            table = _keep_columns(table, columns)
    r.per_file = [{"file": str(path), "format": name, "rows_read": r.rows_read, "kept_before_dedupe": r.kept,
                   "rejected": r.n_rejected, "warnings": len(r.warnings)}]
    return table, r


def read(*paths: str | os.PathLike, format: str | None = None, strict: bool = False,
         progress: Callable[[str], Any] | None = None, limits=None, columns=None):
    """Read exports into one de-duplicated :class:`~patentnav.Corpus`.

    Parameters
    ----------
    *paths : path-like
        Files, or folders: a PatentsView folder of bulk tables is one input; any other
        folder stands for the files inside it (not hidden, sorted by name).
    format : str, optional
        Reader name (see :func:`formats`); detected from each file's content when None.
    strict : bool
        Raise :class:`IngestError` on the first bad row or value instead of reporting it.
    progress : callable, optional
        Called with each path before it is read. Readers also report how far into each
        file they are through :mod:`patentnav.io.progress` (the CLI's progress bar watches it).
    limits : patentnav.Limits, optional
        How much one input may hold (decompressed bytes, rows, record length, nesting);
        default: :func:`patentnav.limits.get_limits` (the defaults, or the
        ``PATENTNAV_LIMIT_*`` environment variables). See docs/limits.md.
    columns : list of str, optional
        Keep only these canonical columns (and ``publication_number``), the others left empty
        (nulls, empty lists), as if the exports did not have them: for a caller that knows
        what it reads (Parquet skips the others' pages). Every row is read and accounted for.

    Returns
    -------
    Corpus
        With ``corpus.report`` holding rows read, kept, merged and rejected, where
        ``rows_read == kept + merged + len(rejected)``, in total and per file
        (``report.per_file``: a row merged into an earlier one counts as merged in its own file).

    Examples
    --------
    >>> from patentnav.io import read
    >>> c = read(patentnav.datasets.path("drones"))
    >>> c.report.rows_read, len(c)
    (9071, 9071)
    """
    from ..limits import using_limits

    with using_limits(limits):
        return _read(paths, format, strict, progress, columns)


def _takes_columns(fn) -> bool:
    """Whether a reader accepts ``columns=`` (reads only those)."""
    import inspect

    return "columns" in inspect.signature(fn).parameters


def _keep_columns(table, columns):
    """``table`` with the canonical columns outside ``columns`` (and ``publication_number``)
    taken out: :class:`~patentnav.Corpus` adds them back empty."""
    keep = set(columns) | {"publication_number"}
    return table.select([c for c in table.column_names if c in keep])


def _read(paths, format, strict, progress, columns=None):
    from ..model.corpus import Corpus

    from . import progress as _progress

    _ensure_readers()
    if not paths:
        raise IngestError.localized("err.no_input")
    tables, report = [], IngestReport()
    paths = _expand_folders(paths, format)
    for p in paths:
        if progress is not None:
            progress(str(p))
        _progress.file(str(p), _size(Path(p)))
        table, r = read_file(p, format, strict, columns)
        tables.append(table)
        report = report + r
    corpus = Corpus.concat([Corpus(t) for t in tables], deduplicate=False)
    corpus.report = report
    _progress.stage("dedupe")
    keys = [t.column("publication_number") for t in tables]
    n_rows = len(corpus)
    del tables
    corpus = corpus.deduplicate()
    _per_file_kept(report.per_file, keys, merged=len(corpus) < n_rows)
    corpus.report.check()
    return corpus


def _size(p: Path) -> int:
    """Bytes of a file, or of the files of a folder (a PatentsView table set)."""
    try:
        return p.stat().st_size if p.is_file() else sum(f.stat().st_size for f in p.iterdir() if f.is_file())
    except OSError:
        return 0


def _per_file_kept(per_file: list[dict], keys: list, merged: bool = True) -> None:
    """Fill ``kept`` and ``merged`` of each file: de-duplication keeps the first row of each
    publication number in input order, so a file keeps its rows that are first occurrences
    and the rest of its rows are merged into earlier ones (vectorised over all rows).
    ``merged=False``: no row was merged, every file keeps all its rows."""
    import numpy as np
    import pyarrow as pa

    from ..model.dedupe import group_ids

    sizes = np.array([len(k) for k in keys], dtype=np.int64)
    if not merged or not len(sizes) or sizes.sum() == 0:
        for pf, n in zip(per_file, sizes):
            pf["kept"], pf["merged"] = int(n), 0
        return
    allkeys = pa.chunked_array([c for k in keys for c in k.cast(pa.string()).chunks], type=pa.string())
    codes, _ = group_ids(allkeys)
    _, first = np.unique(codes, return_index=True)
    owner = np.searchsorted(np.cumsum(sizes), first, side="right")
    kept = np.bincount(owner, minlength=len(sizes))
    for pf, k, n in zip(per_file, kept, sizes):
        pf["kept"], pf["merged"] = int(k), int(n - k)
