"""PatentsView's assignee-disambiguation benchmarks, loaded from the installed ``pv-evaluation``.

The data ship inside the PyPI package ``pv-evaluation`` (GPL-3). patentnav neither copies nor
redistributes them: this module reads them, at run time, from wherever that package is
installed. Install the benchmark-only dependencies with::

    pip install -r benchmarks/requirements-bench.txt

Layout in pv-evaluation 2.1.1 (``pv_evaluation/data/assignee/``)
-----------------------------------------------------------------
Two CSV files, UTF-8, header ``mention_id,unique_id,organization``:

``air-umass-assignees-benchmark.csv``
    185,250 rows, 185,250 distinct ``mention_id``, 105 distinct ``unique_id`` (entities),
    2,269 distinct ``organization`` strings. Hand-labelled by the PatentsView (AIR/UMass) team.
``nber-subset-assignees-benchmark.csv``
    216,847 rows but 206,416 distinct ``mention_id``: 10,431 rows are exact duplicates (same
    mention, entity and name); pv-evaluation's own loader keeps the first, and so do we.
    6,176 entities, 12,364 distinct ``organization`` strings. NBER assignee data for five
    ambiguous four-letter prefixes (Moto, Amer, Gene, Solu, Airc).

Columns
    ``mention_id``   patent number + "-" + assignee sequence on that patent, e.g. ``US5204210-0``.
    ``unique_id``    reference entity: opaque ids such as ``e45`` / ``X6_1`` / ``3_5`` in air-umass;
                     in nber-subset an NBER standardised name (e.g. ``GENRAL MOTORS CORP``, typos
                     included) -- use it only as a cluster label, never as a feature.
    ``organization`` the raw assignee organisation name as printed on the patent, e.g.
                     ``International Business Machines Corporation``. No missing values; the
                     assignee benchmarks contain organisations only (no first/last-name columns).

pv-evaluation's own loaders (``pv_evaluation.benchmark.load_air_umass_assignees_benchmark`` etc.)
return only the ``unique_id`` Series indexed by ``mention_id`` and drop ``organization``, which a
name harmoniser needs as input; hence we read the CSV files directly. We also avoid importing
``pv_evaluation`` itself: its ``__init__`` imports ``pkg_resources``, which setuptools 82+ no
longer ships (see requirements-bench.txt), and only the data files are needed here.
"""

from __future__ import annotations

import importlib.util
from importlib import metadata
from pathlib import Path

import pandas as pd

__all__ = [
    "ASSIGNEE_BENCHMARKS",
    "BenchmarkDataMissing",
    "assignee_benchmark_names",
    "load_assignee_benchmark",
]

#: benchmark name -> (CSV file in pv_evaluation/data/assignee, expected mentions, expected entities)
ASSIGNEE_BENCHMARKS: dict[str, tuple[str, int, int]] = {
    "air-umass": ("air-umass-assignees-benchmark.csv", 185_250, 105),
    "nber-subset": ("nber-subset-assignees-benchmark.csv", 206_416, 6_176),
}

_INSTALL_HINT = (
    "PatentsView's assignee benchmarks ship in the PyPI package 'pv-evaluation' (GPL-3, a "
    "benchmark-only dependency that patentnav does not bundle). Install it with:\n"
    "    pip install -r benchmarks/requirements-bench.txt"
)


class BenchmarkDataMissing(ImportError):
    """pv-evaluation (or one of its data files) is not installed."""


def assignee_benchmark_names() -> list[str]:
    return list(ASSIGNEE_BENCHMARKS)


def _assignee_data_dir() -> Path:
    # find_spec locates the installed package without executing its __init__ (see module doc).
    spec = importlib.util.find_spec("pv_evaluation")
    if spec is None or not spec.submodule_search_locations:
        raise BenchmarkDataMissing("pv-evaluation is not installed. " + _INSTALL_HINT)
    return Path(next(iter(spec.submodule_search_locations))) / "data" / "assignee"


def pv_evaluation_version() -> str | None:
    try:
        return metadata.version("pv-evaluation")
    except metadata.PackageNotFoundError:
        return None


def load_assignee_benchmark(name: str = "air-umass") -> pd.DataFrame:
    """One of PatentsView's assignee benchmarks as a DataFrame.

    Parameters
    ----------
    name
        ``"air-umass"`` (185,250 mentions, 105 entities) or ``"nber-subset"`` (206,416
        mentions, 6,176 entities).

    Returns
    -------
    DataFrame with one row per assignee mention and the string columns

    * ``mention_id`` -- from the CSV column ``mention_id`` (unique after de-duplication),
    * ``raw_name``   -- from ``organization``: the raw organisation name, the harmoniser's input,
    * ``entity``     -- from ``unique_id``: the reference cluster label.

    ``df.attrs`` records the source file and pv-evaluation version.

    Raises
    ------
    BenchmarkDataMissing
        if pv-evaluation is not installed (the message says how to install it).
    ValueError
        for an unknown name or if the file's layout is not the one described above.
    """
    if name not in ASSIGNEE_BENCHMARKS:
        raise ValueError(f"unknown assignee benchmark {name!r}; choose one of {assignee_benchmark_names()}")
    filename, n_mentions, n_entities = ASSIGNEE_BENCHMARKS[name]
    path = _assignee_data_dir() / filename
    if not path.is_file():
        raise BenchmarkDataMissing(
            f"{filename} not found in the installed pv-evaluation ({path.parent}). " + _INSTALL_HINT
        )
    # Everything as text; no NA guessing, so a name such as "NA" or "None" stays a string.
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8")
    needed = ["mention_id", "unique_id", "organization"]
    missing = [c for c in needed if c not in raw.columns]
    if missing:
        raise ValueError(f"{filename}: expected columns {needed}, found {list(raw.columns)}")
    raw = raw[~raw["mention_id"].duplicated(keep="first")]
    df = pd.DataFrame(
        {
            "mention_id": raw["mention_id"].to_numpy(dtype=object),
            "raw_name": raw["organization"].to_numpy(dtype=object),
            "entity": raw["unique_id"].to_numpy(dtype=object),
        }
    )
    if df.isna().any().any():
        raise ValueError(f"{filename}: unexpected missing values: {df.isna().sum().to_dict()}")
    df.attrs.update(
        benchmark=name,
        source=f"pv-evaluation {pv_evaluation_version()}: pv_evaluation/data/assignee/{filename}",
        expected_mentions=n_mentions,
        expected_entities=n_entities,
    )
    return df
