"""A verified on-disk cache of an ingested bundled dataset.

Reading and checking the bundled Lens export (9,071 rows, gzip CSV) takes about a second;
the corpus it makes, as Parquet, reads in a few milliseconds. The first read of a dataset
stores that corpus and its ingest report in :func:`patentnav._cache.cache_dir`:

* ``<name>-<key>.parquet``: the corpus table (zstd, with page checksums);
* ``<name>-<key>.json``: the SHA-256 of that Parquet file and the ingest report (rows read,
  kept, merged, every rejected row and warning with file, line, field and reason).

``key`` digests the dataset file's SHA-256, its path (the report names it), patentnav's
version and source files (:func:`patentnav._cache.package_fingerprint`) and the input
limits in force, so a cache is never used by other code, data or limits. A cache is used
only when the Parquet file's SHA-256 matches, its page checksums verify and the report's
accounting holds; anything else (missing, truncated, corrupt, unreadable) is ignored and the
dataset is read again from its export. A cache is written only when reading it back gives
the same table and the same report, so the row accounting shown to the user is the same
either way. The cache is read without Arrow's thread pool: a small table gains nothing from
it, and a threaded read right after the CSV reader's work aborted the interpreter at exit
about once in 15 runs (pyarrow 26, "terminate called without an active exception").
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import asdict
from pathlib import Path
from typing import Callable

__all__ = ["cached_read"]

_FORMAT = "1"  # bump when the layout of the cache files changes
_KEEP = 4  # cache entries kept per dataset (other limits, versions): older ones are removed


def cached_read(name: str, path: Path, read: Callable[[], "object"]):
    """The corpus of dataset ``name`` (file ``path``) from the cache, else ``read()``
    (which must return a :class:`~patentnav.Corpus` with its ``report``), cached for next time."""
    try:
        stem = _stem(name, path)
    except OSError:
        return read()
    corpus = _load(stem)
    if corpus is not None:
        return corpus
    corpus = read()
    _store(stem, corpus)
    return corpus


def _stem(name: str, path: Path) -> Path:
    from .._cache import cache_dir, package_fingerprint
    from ..limits import get_limits

    h = hashlib.sha256(_FORMAT.encode())
    h.update(hashlib.sha256(path.read_bytes()).digest())
    for part in (str(path), package_fingerprint(), repr(get_limits())):
        h.update(b"\0" + part.encode("utf-8", "surrogatepass"))
    return cache_dir() / f"{name}-{h.hexdigest()[:24]}"


def _load(stem: Path):
    """The cached corpus, or None when there is none or it does not verify."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ..model.corpus import Corpus

    try:
        meta = json.loads(stem.with_suffix(".json").read_text(encoding="utf-8"))
        data = stem.with_suffix(".parquet").read_bytes()
        if hashlib.sha256(data).hexdigest() != meta["parquet_sha256"]:
            return None
        table = pq.ParquetFile(pa.BufferReader(data), page_checksum_verification=True).read(use_threads=False)  # read_table would import pyarrow.dataset (0.1-0.4 s)
        report = _report_from(meta["report"])
        corpus = Corpus(table, report)
        if len(corpus) != report.kept:
            return None
        report.check()
        return corpus
    except Exception:  # noqa: BLE001 - any defect of a cache means: read the dataset again
        return None


def _store(stem: Path, corpus) -> None:
    """Write the cache files when they read back to the same corpus (best effort)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .._cache import write_atomic
    from ..model.corpus import Corpus

    try:
        report = asdict(corpus.report)
        if _report_from(json.loads(json.dumps(report))) != corpus.report:
            return  # a value JSON cannot carry exactly: do not cache
        buf = io.BytesIO()
        pq.write_table(corpus.table, buf, compression="zstd", write_page_checksum=True, use_compliant_nested_type=False)
        data = buf.getvalue()
        if not Corpus(pq.read_table(pa.BufferReader(data), use_threads=False)).table.equals(corpus.table, check_metadata=True):
            return
        write_atomic(stem.with_suffix(".parquet"), data)
        meta = {"format": _FORMAT, "parquet_sha256": hashlib.sha256(data).hexdigest(), "report": report}
        write_atomic(stem.with_suffix(".json"), json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        _prune(stem)
    except Exception:  # noqa: BLE001 - an unwritable cache only costs the read next time
        return


def _prune(stem: Path) -> None:
    """Keep the :data:`_KEEP` newest entries of this dataset (every upgrade makes a new key)."""
    name = stem.name.rsplit("-", 1)[0]
    entries = sorted(stem.parent.glob(f"{name}-*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[_KEEP:]:
        for suffix in (".json", ".parquet"):
            old.with_suffix(suffix).unlink(missing_ok=True)


def _report_from(d: dict):
    from ..io.report import IngestReport, Issue

    def issue(i: dict) -> Issue:
        return Issue(i["file"], int(i["line"]), i["field"], i["reason"], i["value"], i["code"],
                     tuple((k, v) for k, v in i["args"]))

    return IngestReport(rows_read=int(d["rows_read"]), kept=int(d["kept"]), merged=int(d["merged"]),
                        rejected=[issue(i) for i in d["rejected"]], warnings=[issue(i) for i in d["warnings"]],
                        files=list(d["files"]), formats=list(d["formats"]), per_file=[dict(p) for p in d["per_file"]])
