"""What the landscape report's section builders share: the corpus in scope, the options,
and every computation more than one section needs, each made once, on first use, in one
place (the properties of :class:`LandscapeContext`), and let go after its last reader.

The report's steps, in order: scope (:func:`landscape_context`), regions (scope section),
trends, fields, key_patents, main_path, applicants (direction), positioning, quality, gaps,
talent (paths), then the report's meta. The shared computations, the steps that read them,
and the step after which they are released (:data:`RELEASE_AFTER`; the report's section
loop turns this on, :attr:`LandscapeContext.release_memory`):

=====================  ==================================================  ==============================  ===========
property               computed by                                         read in steps                   released
=====================  ==================================================  ==============================  ===========
``corpus``             :func:`landscape_context` (scope, names)            every step                      never
``aggregates``         ``engine.aggregates(corpus)``                       regions, fields, key_patents,   gaps
                                                                           applicants, gaps
``annual_counts``      ``aggregates.annual_counts(by="priority")``         regions, trends, quality,       never (small)
                                                                           gaps, meta
``jurisdictions``      Arrow value counts of ``jurisdiction``              regions, meta                   never (small)
``field_coverage``     share of documents missing each key field           regions, meta                   never (small)
``source_summary``     :func:`~patentnav.geo.source_summary`               regions, positioning, meta      never (small)
``assignment``         ``aggregates.assign_regions(level, firms)``         regions, positioning, quality,  gaps
                                                                           gaps
``technology_fields``  :func:`~patentnav.landscape.technology_fields`      fields, positioning             positioning
``fields``             the fields, largest first                           fields, positioning             positioning
``citation_graph``     ``aggregates.citation_graph()``                     key_patents (quality table,     key_patents
                                                                           citation_arcs)
``citation_arcs``      the graph's arcs and nodes (:class:`CitationArcs`)  key_patents (taken before the   main_path
                                                                           graph goes), main_path
``quality_table``      :func:`~patentnav.landscape.indicators.quality_table`  key_patents, quality         quality
``documents``          number, jurisdiction, title, priority date          main_path                       main_path
``applicant_evidence`` :func:`~patentnav.geo.applicant_evidence`           positioning, quality, gaps      gaps
``document_quality``   :func:`~patentnav.quality.document_quality`         quality                         quality
``status_codes``       :func:`~patentnav.status.status_codes`              quality (same cut-off), gaps    gaps
``status``             ``status_codes.frame()`` (no texts)                 gaps                            gaps
=====================  ==================================================  ==============================  ===========

What the engine and the corpus's shared store (:mod:`patentnav.model.shared`) keep for
them goes too: the IPC main-group incidence and co-classification counts after fields
(their only reader), the shared quality table (which holds the citation graph) after
key_patents, the engine's citation arcs after main_path, and after gaps every shared entry
(the incidences, the applicant incidence, publication numbers and row index: gaps is their
last reader). Releasing drops references only: a released value read again is computed
again, identically (tests/test_report_release.py checks that, and that a report computes
each of them once, i.e. that no step reads one after its release). In the report's section
loop only (``release_memory``), columns of the context's own corpus are emptied
(``cited_publications`` as soon as the citation graph is built, which keeps what the
quality table and the main path read of it (:meth:`LandscapeContext._references_read`;
after key_patents for a graph that keeps no references, another engine's);
``title`` after main_path: no later step reads them, tests/test_cols.py), and after key_patents the quality table keeps only the columns
the quality section reads (:data:`QUALITY_SECTION_COLUMNS`). Between steps the freed memory
is handed back to the operating system (:func:`return_memory`), and inside the report Arrow
allocates from the C library's malloc (:func:`memory_returning_pool`): the resident set
falls, not only the live heap.

A builder reads what it needs (``ctx.assignment``); whichever asks first pays for it. To
make one of them faster, or to take it from elsewhere (an engine, a cache), change its
property here: no builder computes any of them itself. A builder that starts reading one of
them in a later step moves its row of :data:`RELEASE_AFTER` (else it is computed twice).
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Callable, NamedTuple

import numpy as np
import pandas as pd

from ..i18n import LocalizedError

__all__ = ["LandscapeContext", "landscape_context", "FIELD_CHECKS", "RELEASE_AFTER", "UNREAD_COLUMNS",
           "QUALITY_SECTION_COLUMNS", "CitationArcs", "landscape_columns", "return_memory", "memory_returning_pool"]

#: Fields whose absence the report states (share of documents without them, and what it costs).
FIELD_CHECKS = ("earliest_priority_date", "applicant_addresses", "abstract", "inventors", "ipc",
                "cited_publications", "legal_status")


#: Columns no step of the report reads (nor its scope options): the CLI's ``landscape`` does
#: not read them from an export (:func:`landscape_columns`). A builder that starts reading
#: one of them takes it out of this list.
UNREAD_COLUMNS = ("cpc", "doc_number", "ipc_main", "cited_npl", "extended_family_size", "source_format", "source_id")


def landscape_columns() -> list[str]:
    """The canonical columns the landscape report reads (every column but :data:`UNREAD_COLUMNS`)."""
    from ..model.schema import SCHEMA

    return [c for c in SCHEMA.names if c not in UNREAD_COLUMNS]


#: The columns of the quality table that the quality section reads after key_patents
#: (:func:`patentnav.quality.document_quality`: the cohort, the claim-length unit, the index
#: and the indicators it compares; the table's ``attrs`` stay).
QUALITY_SECTION_COLUMNS = ("cohort_year", "cohort_field", "claim_length_unit", "quality_index", "independent_claims",
                           "first_claim_words", "shortest_independent_claim_words", "total_claims", "dependent_ratio",
                           "grant_lag")

#: What each step of the report is the last reader of (see the module docstring): ``values``
#: are the context's properties, ``engine`` the engine's caches (``aggregates.release(*key)``),
#: ``shared`` keys of the corpus's shared store (:func:`patentnav.model.shared.forget`; ``"ALL"``:
#: every entry), ``columns`` columns of the context's own corpus (emptied in place:
#: :meth:`patentnav.Corpus._release_columns`), ``narrow`` data frames of the context kept with
#: some columns only (the columns ``columns`` and ``narrow`` apply in the report's section
#: loop only: ``release_memory``). :meth:`LandscapeContext.release` drops them when the next
#: step starts.
RELEASE_AFTER: dict[str, dict[str, Any]] = {
    "fields": {"engine": (("incidence", "ipc", "main_group"), ("code_counts", "ipc", "main_group"))},
    "key_patents": {"values": ("citation_graph",), "shared": ("quality_table",), "columns": ("cited_publications",),
                    "narrow": {"quality_table": QUALITY_SECTION_COLUMNS}},
    "main_path": {"values": ("citation_arcs", "documents"), "engine": (("citations",),), "columns": ("title",)},
    "positioning": {"values": ("technology_fields", "fields")},
    "quality": {"values": ("quality_table", "document_quality")},
    "gaps": {"values": ("status", "status_codes", "assignment", "applicant_evidence", "aggregates"), "shared": ("ALL",)},
}


@dataclass
class LandscapeContext:
    """The corpus in scope, the report's options, and the shared computations (lazy, once).

    Parameters
    ----------
    corpus : Corpus
        The documents in scope, applicant names harmonised.
    region : str
        Region key (``FIRMS`` when ``firms`` is given).
    lang : {"zh", "en"}
    firms : list of str, optional
        The firms forming the region ``FIRMS``.
    seed : int
        Leiden and layout seed.
    engine : patentnav.engine.Engine, optional
        Who computes the aggregations (default in memory).
    documents_before_scope : int
        Documents before scoping.
    criteria : list of dict
        Scope criteria (``criterion``, ``value``, ``documents``).
    industry, ipc, query :
        The scope options as given (the report title names them).
    sources : list of dict
        Rows read, kept and rejected per input file.
    progress : callable, optional
        Called with a step name before each step (:meth:`step`).
    release_memory : bool
        Release each shared computation after its last reader (:data:`RELEASE_AFTER`) and hand
        freed memory back between steps; set by the report's section loop, which runs the
        steps in the order the table assumes.
    on_chart : callable, optional
        Called with each chart (a chart dict of the report model) as soon as it is final
        (:meth:`chart_built`), so that its PNG can be drawn while later steps run.
    """

    corpus: Any
    region: str
    lang: str = "zh"
    firms: list[str] | None = None
    seed: int = 42
    engine: Any = None
    documents_before_scope: int = 0
    criteria: list[dict] = field(default_factory=list)
    industry: str | None = None
    ipc: Any = None
    query: str | None = None
    sources: list[dict] = field(default_factory=list)
    progress: Callable[[str], None] | None = None
    release_memory: bool = False
    on_chart: Callable[[dict], None] | None = None
    _charts_out: set = field(default_factory=set, init=False, repr=False)  # ids of the charts handed to on_chart
    _step: str | None = field(default=None, init=False, repr=False)
    _owns_corpus: bool = field(default=False, init=False, repr=False)  # corpus made here: columns may be let go

    def chart_built(self, chart: dict) -> dict:
        """Hand ``chart`` (final: nothing changes it later) to :attr:`on_chart`, once; return it."""
        if self.on_chart is not None and id(chart) not in self._charts_out:
            self._charts_out.add(id(chart))
            self.on_chart(chart)
        return chart

    def step(self, name: str) -> None:
        """Report progress: the step ``name`` starts. With ``release_memory`` (the report's
        section loop sets it: the steps then come in the report's order), what the step
        that ends was the last reader of is released first (:meth:`release`)."""
        if self.release_memory and self._step is not None:
            self.release(self._step)
            return_memory()  # also what the step's own temporaries left free
        self._step = name
        if self.progress is not None:
            self.progress(name)

    @property
    def n(self) -> int:
        """Documents in scope."""
        return len(self.corpus)

    @property
    def level(self) -> str:
        """Level of the region key: country, province or city (country for a firm list)."""
        from ..geo import region_level

        return region_level(self.region, firms=self.firms)

    def release(self, step: str) -> None:
        """Let go of what ``step`` was the last reader of (:data:`RELEASE_AFTER`). A released
        value read again is computed again."""
        from ..model.shared import forget

        what = RELEASE_AFTER.get(step)
        if not what:
            return
        agg = self.__dict__.get("aggregates")
        if agg is not None and hasattr(agg, "release"):
            for key in what.get("engine", ()):
                agg.release(*key)
        for name in what.get("values", ()):
            self.__dict__.pop(name, None)
        keys = what.get("shared", ())
        if "ALL" in keys:
            forget(self.corpus)
        elif keys:
            forget(self.corpus, *keys)
        if what.get("columns") and self._owns_corpus and self.release_memory:  # in the report's section loop only
            self.corpus._release_columns(*what["columns"])
        for name, columns in what.get("narrow", {}).items():
            if self.release_memory and name in self.__dict__:
                self.__dict__[name] = _narrowed(self.__dict__[name], columns)

    # ------------------------------------------------------------------ shared computations
    @cached_property
    def aggregates(self):
        """The engine's aggregations of the corpus (in memory by default)."""
        from ..engine import Engine

        return (self.engine or Engine("memory")).aggregates(self.corpus)

    @cached_property
    def documents(self) -> pd.DataFrame:
        """Publication number, jurisdiction, title and earliest priority date per document (corpus order)."""
        t = self.corpus.table
        return t.select([c for c in ("publication_number", "jurisdiction", "title", "earliest_priority_date")
                         if c in t.column_names]).to_pandas()

    @cached_property
    def annual_counts(self) -> pd.DataFrame:
        """Documents per earliest-priority year (:func:`patentnav.landscape.annual_counts`)."""
        return self.aggregates.annual_counts(by="priority")

    @property
    def cutoff(self):
        """The data cut-off: the latest publication date (``annual_counts.attrs["cutoff"]``)."""
        return self.annual_counts.attrs.get("cutoff")

    @property
    def cutoff_text(self) -> str:
        """The cut-off as text ("" when unknown)."""
        return "" if self.cutoff is None else str(self.cutoff)

    @property
    def documents_years(self) -> list:
        """First and last earliest-priority year with documents (``[None, None]`` without dates)."""
        c = self.annual_counts
        years = [int(y) for y in c.index[c["count"] > 0]] if len(c) else []
        return [years[0], years[-1]] if years else [None, None]

    @cached_property
    def jurisdictions(self) -> list[tuple[str, int]]:
        """``(jurisdiction, documents)``, most documents first (a missing jurisdiction as "")."""
        import pyarrow.compute as pc

        jur = pc.value_counts(pc.fill_null(self.corpus.table["jurisdiction"], "")).to_pylist()
        return sorted(((str(d["values"]), int(d["counts"])) for d in jur), key=lambda kv: (-kv[1], kv[0]))

    @cached_property
    def assignment(self) -> pd.DataFrame:
        """Applicants' regions at the region's level, fractional (:func:`patentnav.geo.assign_regions`)."""
        return self.aggregates.assign_regions(self.level, firms=self.firms)

    @cached_property
    def source_summary(self) -> pd.DataFrame:
        """Patents placed by each source of evidence (:func:`patentnav.geo.source_summary` of :attr:`assignment`)."""
        from ..geo import source_summary

        return source_summary(self.assignment)

    @cached_property
    def applicant_evidence(self) -> pd.DataFrame:
        """The region's applicants with the evidence that places them (:func:`patentnav.geo.applicant_evidence`
        of :attr:`assignment`): shared by the positioning and quality sections."""
        from ..geo import applicant_evidence

        return applicant_evidence(self.assignment, self.region)

    @cached_property
    def technology_fields(self):
        """Leiden technology fields on IPC main-group co-classification (:func:`patentnav.landscape.technology_fields`)."""
        from ..landscape import technology_fields

        agg = self.aggregates
        return technology_fields(self.corpus, seed=self.seed, incidence=agg.incidence("ipc", "main_group"),
                                 cooccurrence=agg.cooccurrence("ipc", "main_group", min_occurrences=3))

    @cached_property
    def fields(self) -> pd.DataFrame:
        """The technology fields, largest first (ties by field number)."""
        return self.technology_fields.fields.sort_values(["size", "field"], ascending=[False, True]).reset_index(drop=True)

    @cached_property
    def citation_graph(self):
        """The document citation graph (:func:`patentnav.landscape.citation_graph`)."""
        g = self.aggregates.citation_graph()
        if self.release_memory:
            if self._owns_corpus:  # in the report's section loop, its own corpus: the references go now
                self._references_read(g)
            return_memory()  # and the matching's temporaries (hundreds of MB at 1M documents) back to the system
        return g

    def _references_read(self, g) -> None:
        """``cited_publications`` has been read for the last time (by the citation graph ``g``):
        the graph keeps whether each document lists references (``g.listing``, all the quality
        table and :attr:`citation_arcs` read of the column) and lets go of its reference to the
        column (:meth:`~patentnav.landscape.citations.CitationGraph.forget_references`), and the
        column is emptied (171 MiB at 1M documents, held through the quality table's
        computation before: the key-patents step's peak)."""
        g.forget_references()
        if g.listing is not None:  # a graph that kept no references (another engine's) leaves the column as it is
            self.corpus._release_columns("cited_publications")

    @cached_property
    def citation_arcs(self) -> "CitationArcs":
        """What the main path reads of :attr:`citation_graph`: its arcs and number of nodes, and
        the documents listing cited publications when it has no arc (the main path's note).
        Taken in the key-patents step, so that the graph (its publication numbers and
        references) and ``cited_publications`` go before the main path is computed."""
        from ..landscape.citations import listing_documents

        g = self.citation_graph
        citing = None
        if len(g.src) == 0:  # the graph's flags when the column has gone (_references_read)
            listing = g.listing if g.listing is not None else listing_documents(self.corpus.table["cited_publications"])
            citing = int(listing.sum())
        return CitationArcs(g.src, g.dst, g.n, citing)

    def documents_at(self, rows) -> pd.DataFrame:
        """The rows ``rows`` (positions, none negative) of :attr:`documents`, the same values
        and column types, taken from the corpus without making the frame of every document
        (the index is 0 to ``len(rows) - 1``)."""
        t = self.corpus.table
        return t.select([c for c in ("publication_number", "jurisdiction", "title", "earliest_priority_date")
                         if c in t.column_names]).take(np.asarray(rows, dtype=np.int64)).to_pandas()

    @cached_property
    def quality_table(self) -> pd.DataFrame:
        """Per-document quality indicators and index (:func:`patentnav.landscape.indicators.quality_table`;
        the columns the report reads, :data:`~patentnav.landscape.indicators.REPORT_COLUMNS`)."""
        from ..landscape.indicators import REPORT_COLUMNS, quality_table

        q = quality_table(self.corpus, graph=self.citation_graph, columns=REPORT_COLUMNS)
        if self.release_memory:  # its temporaries back to the system before the key patents are ranked
            return_memory()
        return q

    @cached_property
    def document_quality(self) -> pd.DataFrame:
        """Cohort-relative filing quality per document (:func:`patentnav.quality.document_quality`)."""
        from ..quality import document_quality
        from ..quality.maintenance import data_cutoff

        # one status per cut-off: the paths section's, when the data's cut-off (legal events
        # included) is the report's
        dc, cut = data_cutoff(self.corpus), self.cutoff
        same = dc is not None and cut is not None and dc.date() == pd.Timestamp(cut).date()
        docs = document_quality(self.corpus, table=self.quality_table, status=self.status_codes if same else None)
        if self.release_memory:  # its last reader (the row of RELEASE_AFTER says so): not kept through the step
            self.__dict__.pop("quality_table", None)
        # the quality section reads the indicators, their _rel and _expected, claim_length_unit and attrs
        return docs.drop(columns=["publication_number", "cohort_year", "cohort_field", "hv_sei", "hv_overseas_family",
                                  "hv_maintained_10y"])

    @cached_property
    def status_codes(self):
        """Legal status of every document at the cut-off, as codes (:func:`patentnav.status.status_codes`:
        the rules of :func:`~patentnav.status.patent_status` without its reason texts)."""
        from ..status import status_codes

        return status_codes(self.corpus, as_of=self.cutoff)

    @cached_property
    def status(self) -> pd.DataFrame:
        """:func:`patentnav.status.patent_status`'s columns but the texts (``reason``, ``reason_code``,
        ``reason_detail``, ``term_rule``), equal in value (:meth:`~patentnav.status.StatusCodes.frame`)."""
        return self.status_codes.frame()

    @cached_property
    def field_coverage(self) -> list[tuple[str, float]]:
        """``(field, share of documents without it)`` for :data:`FIELD_CHECKS` (1.0 for a missing column)."""
        return [(name, _missing_share(self.corpus.table, name)) for name in FIELD_CHECKS]


class CitationArcs(NamedTuple):
    """The arcs of the citation graph (cited -> citing, node = corpus row) and its size:
    :attr:`LandscapeContext.citation_arcs`."""

    src: np.ndarray
    dst: np.ndarray
    n: int  # nodes
    citing: int | None  # documents listing cited publications (counted when there is no arc)


def _narrowed(df: pd.DataFrame, columns) -> pd.DataFrame:
    """``df`` with the ``columns`` it has only (the same column objects, the ``attrs`` kept)."""
    out = df[[c for c in df.columns if c in set(columns)]]
    out.attrs = dict(df.attrs)
    return out


_POOL_LOCK = threading.Lock()
_POOL_USERS = 0  # memory_returning_pool blocks open now
_POOL_BEFORE = None  # the default pool the first of them found


@contextmanager
def memory_returning_pool():
    """Arrow allocates from the C library's malloc (``pyarrow.system_memory_pool``) inside the
    block, the previous default pool again after it. glibc returns a large freed block to the
    operating system at once (and the rest at :func:`return_memory`); Arrow's default
    mimalloc or jemalloc pools keep freed memory for reuse by Arrow alone, so the NumPy and
    Python memory of the next step comes on top of it (measured on the synthetic corpus: peak
    resident set 10% lower at 300,000 documents; at 1M, 2.8 instead of 3.1 GiB in the
    key-patents step, time within run-to-run noise). Buffers remember their pool:
    what was allocated before or inside the block is freed correctly after it.

    Blocks may nest or overlap (reports built in several threads): the first to enter sets
    the pool, the last to leave restores the one it found."""
    import pyarrow as pa

    global _POOL_USERS, _POOL_BEFORE
    with _POOL_LOCK:
        if _POOL_USERS == 0:
            _POOL_BEFORE = pa.default_memory_pool()
            pa.set_memory_pool(pa.system_memory_pool())
        _POOL_USERS += 1
    try:
        yield
    finally:
        with _POOL_LOCK:
            _POOL_USERS -= 1
            if _POOL_USERS == 0:
                pa.set_memory_pool(_POOL_BEFORE)
                _POOL_BEFORE = None


def return_memory() -> None:
    """Hand memory freed since the last call back to the operating system: Arrow's memory
    pool keeps freed blocks for reuse (``MemoryPool.release_unused``), glibc's malloc the
    free top of its heaps (``malloc_trim``, Linux); inside :func:`memory_returning_pool`, the
    pool that was the default before it too (what was allocated from it, e.g. the corpus read
    before the report, is freed into it). Without it the resident set stays at its
    high-water mark while the live heap shrinks."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    before = _POOL_BEFORE  # inside memory_returning_pool: the pool the corpus was read with (mimalloc,
    if before is not None:  # jemalloc) keeps the pages of the columns let go (cited_publications: 171 MiB at 1M)
        before.release_unused()
    _malloc_trim()


def _malloc_trim() -> None:
    """``malloc_trim(0)`` where the C library has it (glibc)."""
    global _TRIM
    if _TRIM is None:
        import ctypes

        try:  # the symbols the process has loaded (no ctypes.util.find_library: it starts a subprocess)
            _TRIM = ctypes.CDLL(None).malloc_trim
        except (OSError, AttributeError, TypeError):  # not glibc (macOS, musl builds without it, Windows)
            _TRIM = False
    if _TRIM:
        _TRIM(0)


_TRIM = None


def _missing_share(table, name: str) -> float:
    """Share of rows where ``name`` is null, empty (lists) or blank (strings)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = table.num_rows
    if name not in table.column_names:
        return 1.0
    col = table[name]
    if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
        lens = pc.list_value_length(col).to_numpy()  # per chunk: the column is not copied whole
        return float(np.mean(np.nan_to_num(lens.astype(float), nan=0.0) == 0)) if n else 0.0
    share = float(col.null_count) / n if n else 0.0
    if share < 1 and pd.api.types.is_string_dtype(col.type.to_pandas_dtype()):
        vals = col.to_pandas()
        share = float((vals.isna() | (vals.astype(str).str.strip() == "")).mean())
    return share


def _sources(report) -> list[dict]:
    """Rows read, kept, rejected and warned per input file of an ingest report."""
    if report is None:
        return []
    return [{"file": str(pf.get("file", "")).replace("\\", "/").rsplit("/", 1)[-1], "format": str(pf.get("format", "")),
             "rows_read": int(pf.get("rows_read", 0)), "kept": int(pf.get("kept", pf.get("kept_before_dedupe", 0))),
             "rejected": int(pf.get("rejected", 0)), "warnings": int(pf.get("warnings", 0))} for pf in report.per_file]


def landscape_context(corpus, region: str = "CN", industry: str | None = None, ipc=None, query: str | None = None,
                      lang: str = "zh", firms=None, seed: int = 42, progress: Callable[[str], None] | None = None,
                      engine=None) -> LandscapeContext:
    """The corpus in scope (scoped unless it carries ``.scope`` already, applicant names
    harmonised) with the options of :func:`patentnav.report.build_landscape_report`.

    Raises :class:`~patentnav.i18n.LocalizedError` when nothing is left: ``err.empty_corpus``
    for an input without documents, ``err.scope_empty`` when the scope removed them all.
    """
    from ..landscape import scope

    ctx = LandscapeContext(corpus=None, region=region, lang="en" if lang == "en" else "zh", seed=seed, engine=engine,
                           industry=industry, ipc=ipc, query=query, progress=progress)
    ctx.step("scope")
    pre = getattr(corpus, "scope", None)  # scoped already (e.g. streamed from a Parquet corpus)
    ctx.documents_before_scope = int(pre["of"]) if pre else len(corpus)
    ctx.sources = _sources(getattr(corpus, "report", None))
    if pre:
        ctx.criteria = list(pre.get("criteria", []))
    elif industry or ipc or query:
        corpus = scope(corpus, industry=industry, ipc=ipc, query=query)
        ctx.criteria = list(getattr(corpus, "scope", {}).get("criteria", []))
    if firms:
        ctx.firms, ctx.region = [str(f) for f in firms], "FIRMS"
    ctx.corpus = corpus.harmonize_applicants()
    ctx._owns_corpus = ctx.corpus is not corpus  # a corpus of its own: its columns may go after their last reader
    if ctx.n == 0:  # an empty input is not the scope's fault
        n_all = ctx.documents_before_scope
        raise LocalizedError("err.empty_corpus") if n_all == 0 else LocalizedError(
            "err.scope_empty", criteria="; ".join(f"{c['criterion']} {c['value']}" for c in ctx.criteria), n=f"{n_all:,}")
    return ctx
