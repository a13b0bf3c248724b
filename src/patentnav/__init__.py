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

import importlib
from typing import TYPE_CHECKING

# The public names, imported on first use (PEP 562): ``import patentnav`` and the CLI's
# ``--help`` then start in the time of click and rich, not of pandas, SciPy and plotly.
_SUBMODULES = ("datasets", "engine", "landscape", "names", "quality", "report", "warning")
_NAMES = {
    "IpcCode": ".classify.ipc", "normalize_ipc": ".classify.ipc", "parse_ipc": ".classify.ipc", "truncate": ".classify.ipc",
    "Dataset": ".engine", "Engine": ".engine",
    "IngestError": ".io", "IngestReport": ".io", "read": ".io",
    "claim_indicators": ".landscape.claims",
    "LimitError": ".limits", "Limits": ".limits",
    "Corpus": ".model.corpus",
    "normalize_publication_number": ".model.pubnum", "normalize_publication_numbers": ".model.pubnum",
    "SCHEMA": ".model.schema",
}

if TYPE_CHECKING:  # what static tools see: the same names, imported eagerly
    from . import datasets, engine, landscape, names, quality, report, warning  # noqa: F401
    from .classify.ipc import IpcCode, normalize_ipc, parse_ipc, truncate  # noqa: F401
    from .engine import Dataset, Engine  # noqa: F401
    from .io import IngestError, IngestReport, read  # noqa: F401
    from .landscape.claims import claim_indicators  # noqa: F401
    from .limits import LimitError, Limits  # noqa: F401
    from .model.corpus import Corpus  # noqa: F401
    from .model.pubnum import normalize_publication_number, normalize_publication_numbers  # noqa: F401
    from .model.schema import SCHEMA  # noqa: F401


def _package_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("patentnav")
    except PackageNotFoundError:  # running from a source tree
        return "0.0.0+local"


def __getattr__(name: str):
    """Import a public name on first use and keep it in the module (PEP 562)."""
    if name in _SUBMODULES:
        value = importlib.import_module(f".{name}", __name__)
    elif name in _NAMES:
        value = getattr(importlib.import_module(_NAMES[name], __name__), name)
    elif name == "__version__":
        value = _package_version()
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


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
