"""Sessions of the DataFrame engines that run the aggregation kernels.

Two engines run the same PySpark DataFrame code (:mod:`patentnav.engine.kernels`):

``duckdb``
    DuckDB (MIT), embedded in the process, through SQLFrame (MIT; it compiles PySpark
    DataFrame calls to DuckDB SQL). Out of core: joins and aggregations that outgrow
    ``memory_limit`` spill to ``temp_directory``. Installed with ``pip install patentnav``.
``spark``
    Apache Spark (``pyspark``, Apache-2.0) on a local master (``local[2]``) or a cluster
    (``spark://host:7077``, ``yarn``, or the master ``spark-submit`` gives). Needs Java 17
    or newer; installed with ``pip install "patentnav[spark]"``.

Both hand back :class:`Api`: the session plus the ``functions`` and ``Window`` modules of
that engine, which is all a kernel uses.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from typing import Any

__all__ = ["Api", "ENGINES", "duckdb_api", "spark_api"]

#: Engine names accepted by :func:`patentnav.engine.engine` (``memory`` is the in-process
#: NumPy/SciPy path of :mod:`patentnav.landscape`, no DataFrame engine).
ENGINES = ("memory", "duckdb", "spark")


@dataclass
class Api:
    """What a kernel needs from an engine: the session, ``functions`` as ``F``, ``Window``."""

    name: str
    session: Any
    F: Any
    Window: Any

    def frame(self, arrow_table, name: str):
        """An engine DataFrame over an in-memory Arrow table (copied into the engine)."""
        if self.name == "duckdb":
            con = self.session._conn
            view = f"_pn_arrow_{name}"
            con.register(view, arrow_table)
            try:  # a real table: SQLFrame reads column types from the catalog
                con.execute(f'CREATE OR REPLACE TABLE "{name}" AS SELECT * FROM "{view}"')
            finally:
                con.unregister(view)
            return self.session.table(name)
        return self.session.createDataFrame(arrow_table)

    def read_parquet(self, path: str):
        """An engine DataFrame over a Parquet file or a folder of Parquet files (a dataset)."""
        if self.name == "duckdb" and os.path.isdir(path):
            path = os.path.join(path, "**", "*.parquet")
        return self.session.read.parquet(path)

    def drop(self, name: str) -> None:
        """Forget a table made by :meth:`frame` (DuckDB keeps it until the session closes)."""
        if self.name == "duckdb":
            self.session._conn.execute(f'DROP TABLE IF EXISTS "{name}"')


def duckdb_api(memory_limit: str | None = None, threads: int | None = None, temp_directory: str | None = None,
               max_spill: str | None = None) -> Api:
    """A DuckDB session through SQLFrame.

    Parameters
    ----------
    memory_limit : str, optional
        DuckDB's ``memory_limit`` (e.g. ``"6GB"``); beyond it, operators spill to disk.
        Default: DuckDB's own (80% of the machine's memory).
    threads : int, optional
        Worker threads (default: one per core).
    temp_directory : str, optional
        Where spilled data go (default: a ``patentnav-duckdb`` folder in the system temp
        folder).
    max_spill : str, optional
        Most disk the spill may take (``"50GB"``); beyond it the query fails with DuckDB's
        "out of disk" message instead of filling the disk (default: DuckDB's, 90% of the free
        space).
    """
    import duckdb
    from sqlframe.duckdb import DuckDBSession, Window
    from sqlframe.duckdb import functions as F

    con = duckdb.connect()
    tmp = temp_directory or os.path.join(tempfile.gettempdir(), "patentnav-duckdb")
    os.makedirs(tmp, exist_ok=True)
    con.execute(f"SET temp_directory = '{_sql_str(tmp)}'")
    con.execute("SET preserve_insertion_order = false")  # lets large aggregations stream
    if memory_limit:
        con.execute(f"SET memory_limit = '{_sql_str(memory_limit)}'")
    if threads:
        con.execute(f"SET threads = {int(threads)}")
    if max_spill:
        con.execute(f"SET max_temp_directory_size = '{_sql_str(max_spill)}'")
    session = DuckDBSession(conn=con)
    return Api("duckdb", session, F, Window)


def spark_api(master: str | None = None, config: dict | None = None) -> Api:
    """A Spark session (an existing active one is reused, as under ``spark-submit``).

    Parameters
    ----------
    master : str, optional
        ``local[2]``, ``spark://host:7077``, ``yarn``, ... Default: the active session's, else
        ``local[*]``.
    config : dict, optional
        Extra Spark settings (``{"spark.executor.memory": "8g"}``).
    """
    try:
        from pyspark.sql import SparkSession, Window
        from pyspark.sql import functions as F
    except ImportError as e:  # pragma: no cover - depends on the installation
        raise ImportError('the spark engine needs pyspark: pip install "patentnav[spark]" (and Java 17+)') from e
    active = SparkSession.getActiveSession()
    if active is not None and master is None and not config:
        return Api("spark", active, F, Window)
    builder = SparkSession.builder.appName("patentnav")
    if master or active is None:
        builder = builder.master(master or "local[*]")
    settings = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false", "spark.sql.session.timeZone": "UTC"}
    settings.update(config or {})
    for k, v in settings.items():
        builder = builder.config(k, v)
    session = builder.getOrCreate()
    if active is None:
        session.sparkContext.setLogLevel("ERROR")  # a session we started: no INFO/WARN chatter
    return Api("spark", session, F, Window)


def _sql_str(s: str) -> str:
    return str(s).replace("'", "''")
