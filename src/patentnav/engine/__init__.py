"""Engines: the landscape aggregations in memory, out of core on DuckDB, or on Apache Spark.

The aggregation steps of a landscape (code incidence, co-classification pairs, region x
technology sums, annual and applicant counts, family de-duplication, citation arcs and
windowed forward citations) are written once in the PySpark DataFrame API
(:mod:`patentnav.engine.kernels`) and run by the engine the user picks:

* ``memory``: no DataFrame engine; :mod:`patentnav.landscape` computes everything with
  NumPy/SciPy on the in-memory corpus (fastest up to a few million documents);
* ``duckdb`` (default for a Parquet corpus): DuckDB embedded in the process, through
  SQLFrame; out of core (spills to disk), one machine;
* ``spark``: Apache Spark, local (``local[2]``) or a cluster (``--spark-master``, or the
  master ``spark-submit`` sets).

The graph algorithms (Leiden, specialisation, main paths) then run on the small aggregated
matrices. See docs/architecture.md ("Engines") and docs/performance.md.

Examples
--------
>>> import patentnav
>>> from patentnav.engine import Engine
>>> eng = Engine("duckdb")
>>> agg = eng.aggregates(patentnav.datasets.drones())
>>> agg.cooccurrence(level="subclass").n_nodes
425
"""

from __future__ import annotations

import os

from .aggregates import Aggregates
from .dataset import Dataset
from .session import ENGINES, Api

__all__ = ["Engine", "Aggregates", "Dataset", "ENGINES", "Api"]


class Engine:
    """An engine that aggregates corpora (see the module docstring).

    Parameters
    ----------
    name : {"memory", "duckdb", "spark"}
    master : str, optional
        Spark master (``local[2]``, ``spark://host:7077``, ``yarn``); default: the active
        session's (``spark-submit``), else ``local[*]``.
    memory_limit : str, optional
        DuckDB memory limit (``"6GB"``); beyond it DuckDB spills to ``temp_directory``.
    threads : int, optional
        DuckDB threads.
    temp_directory : str, optional
        DuckDB spill folder.
    max_spill : str, optional
        Most disk DuckDB's spill may take (``"50GB"``).
    config : dict, optional
        Extra Spark settings.
    heavy : int
        Documents with more codes than this are paired by a sparse product in memory
        instead of the engine's self-join.
    """

    def __init__(self, name: str = "duckdb", *, master: str | None = None, memory_limit: str | None = None,
                 threads: int | None = None, temp_directory: str | None = None, max_spill: str | None = None,
                 config: dict | None = None, heavy: int = 256):
        if name not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {name!r}")
        if master and name != "spark":
            raise ValueError("--spark-master needs --engine spark")
        self.name = name
        self.master = master
        self.memory_limit = memory_limit
        self.threads = threads
        self.temp_directory = temp_directory
        self.max_spill = max_spill
        self.config = dict(config or {})
        self.heavy = heavy
        self._api: Api | None = None
        self._n = 0

    def __repr__(self) -> str:
        extra = f", master={self.master!r}" if self.master else ""
        return f"Engine({self.name!r}{extra})"

    @property
    def api(self) -> Api:
        """The engine's session and function modules (started on first use)."""
        if self.name == "memory":
            raise ValueError("the memory engine has no DataFrame session")
        if self._api is None:
            from .session import duckdb_api, spark_api

            if self.name == "duckdb":
                self._api = duckdb_api(self.memory_limit, self.threads, self.temp_directory, self.max_spill)
            else:
                self._api = spark_api(self.master, self.config)
        return self._api

    def frame(self, source):
        """An engine DataFrame of a corpus: an in-memory :class:`~patentnav.Corpus` (copied
        into the engine), a :class:`Dataset` or a path to a Parquet corpus (read in place)."""
        from ..model.corpus import Corpus

        if isinstance(source, Corpus):
            self._n += 1
            return self.api.frame(source.table, f"pn_corpus_{self._n}")
        path = source.path if isinstance(source, Dataset) else os.fspath(source)
        return self.api.read_parquet(str(path))

    def aggregates(self, source):
        """The aggregations of ``source`` by this engine.

        For ``memory`` a :class:`MemoryAggregates` (the in-memory functions themselves);
        otherwise an :class:`Aggregates` whose results are in the row order of an in-memory
        corpus, or sorted by publication number for a Parquet corpus.
        """
        from ..model.corpus import Corpus

        if self.name == "memory":
            if not isinstance(source, Corpus):
                source = (source if isinstance(source, Dataset) else Dataset(source)).to_corpus()
            return MemoryAggregates(source)
        documents = source["publication_number"].to_numpy(zero_copy_only=False) if isinstance(source, Corpus) else None
        return Aggregates(self.api, self.frame(source), documents=documents, heavy=self.heavy,
                          applicant_mapping=getattr(source, "applicant_mapping", None))

    def stop(self) -> None:
        """Stop a Spark session this engine started (DuckDB closes with the process)."""
        if self._api is not None and self.name == "spark" and self.master is not None:
            self._api.session.stop()
        self._api = None


class MemoryAggregates:
    """The :class:`Aggregates` interface over the in-memory functions of :mod:`patentnav.landscape`."""

    engine = "memory"

    def __init__(self, corpus):
        self.corpus = corpus
        self.n_documents = len(corpus)

    @property
    def documents(self):
        """Publication numbers in corpus order (:func:`patentnav.model.shared.publication_numbers`:
        made on first use, once per corpus)."""
        from ..model.shared import publication_numbers

        return publication_numbers(self.corpus)

    def release(self, kind: str, *args) -> None:
        """Drop what is kept of ``kind`` (``"incidence"`` with optional field and level,
        ``"assignment"``; ``"citations"`` and ``"code_counts"`` are not kept in memory): as
        :meth:`Aggregates.release`. The next call computes it again."""
        if kind == "incidence":
            from ..model.shared import forget

            forget(self.corpus, ("code_incidence", *args))
        elif kind == "assignment":
            self.__dict__.pop("_assignments", None)

    def incidence(self, field: str = "ipc", level: str = "subclass"):
        from ..landscape.incidence import code_incidence

        return code_incidence(self.corpus, field, level)

    def cooccurrence(self, field: str = "ipc", level: str = "subclass", **kw):
        from ..landscape.cooccurrence import cooccurrence

        return cooccurrence(self.corpus, field=field, level=level, **kw)

    def annual_counts(self, by: str = "priority", unit: str = "documents", cutoff=None, lag_months=None):
        from ..landscape.trends import annual_counts

        return annual_counts(self.corpus, by=by, unit=unit, cutoff=cutoff, lag_months=lag_months)

    def life_cycle(self, **kw):
        from ..landscape.trends import life_cycle

        return life_cycle(self.corpus, **kw)

    def top_applicants_by_year(self, n: int = 10, **kw):
        from ..landscape.trends import top_applicants_by_year

        return top_applicants_by_year(self.corpus, n=n, **kw)

    def citation_graph(self, kind_fallback: bool = True):
        from ..landscape.citations import citation_graph

        return citation_graph(self.corpus, kind_fallback=kind_fallback)

    def assign_regions(self, level: str = "country", firms=None, fallback="priority"):
        """:func:`patentnav.geo.assign_regions`, computed once per arguments (a report asks
        for the same assignment in several sections); each caller gets its own shallow copy
        (pandas copy-on-write: changing it never changes the next caller's)."""
        from ..geo import assign_regions

        try:
            key = (level, None if firms is None else (firms if isinstance(firms, str) else tuple(firms)), fallback)
            hash(key)
        except TypeError:
            return assign_regions(self.corpus, level=level, firms=firms, fallback=fallback)
        cache = self.__dict__.setdefault("_assignments", {})
        if key not in cache:
            cache[key] = assign_regions(self.corpus, level=level, firms=firms, fallback=fallback)
        return cache[key].copy(deep=False)

    def region_technology(self, assignment, technology: str = "ipc", level: str = "subclass"):
        """``(X, regions, technologies)`` as :func:`patentnav.landscape.gaps.region_technology`
        makes them, with ``X`` summed exactly as the engines sum it (:func:`fractional_product`)."""
        from ..landscape.gaps import _region_parts
        from .aggregates import fractional_product

        R, regions, T, techs = _region_parts(self.corpus, assignment, technology, level)
        return fractional_product(R, T), regions, techs
