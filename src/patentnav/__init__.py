"""patentnav: patent navigation (专利导航) and overseas patent-risk early warning (专利预警).

Public API
----------
Corpus
    The canonical patent corpus (Apache Arrow table; schema in docs/data-model.md).
read
    Read exports (Lens.org, PatentsView, USPTO XML, Google Patents, CNIPA/incoPat/PatSnap
    Chinese-header CSV/XLSX, canonical JSON lines and Parquet) into a Corpus.
Limits
    How much one input may hold before reading stops with a clear error (docs/limits.md).
datasets
    Bundled real sample data (``datasets.drones()``).
names
    Applicant-name harmonisation (``Corpus.harmonize_applicants``).
landscape
    Co-classification and citation graphs, technology fields, trends, quality indicators,
    main paths, regional specialisation and gaps.
claim_indicators
    Claim-based indicators per document (independent claims, first-claim length, ...).
quality
    Filing-quality profiles of regions, applicants and patent agents (专利质量).
warning
    Overseas infringement-risk screening of a product (``warning.screen``).
report
    The landscape and warning reports (JSON, CSV, HTML, Markdown).
engine, Engine, Dataset
    The aggregations out of core (DuckDB via SQLFrame) or on Apache Spark, over a
    partitioned Parquet corpus (``Corpus.open("corpus/")``).
"""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version as _version

from . import datasets, engine, landscape, names, quality, report, warning
from .classify.ipc import IpcCode, normalize_ipc, parse_ipc, truncate
from .engine import Dataset, Engine
from .io import IngestError, IngestReport, read
from .landscape.claims import claim_indicators
from .limits import LimitError, Limits
from .model.corpus import Corpus
from .model.pubnum import normalize_publication_number, normalize_publication_numbers
from .model.schema import SCHEMA

try:
    __version__ = _version("patentnav")
except PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+local"

__all__ = [
    "Corpus",
    "read",
    "datasets",
    "landscape",
    "claim_indicators",
    "quality",
    "names",
    "warning",
    "report",
    "engine",
    "Engine",
    "Dataset",
    "IngestError",
    "IngestReport",
    "Limits",
    "LimitError",
    "SCHEMA",
    "IpcCode",
    "parse_ipc",
    "normalize_ipc",
    "truncate",
    "normalize_publication_number",
    "normalize_publication_numbers",
    "__version__",
]
