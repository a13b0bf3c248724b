"""The landscape report model: one plain, JSON-serialisable dict (contract: report spec).

Structured after GB/T 39551 (industry-planning patent navigation): data and scope,
industry direction, regional positioning, development paths, with the filing-quality
section before the paths. One builder per section (:data:`LANDSCAPE_SECTIONS`), each taking
the shared :class:`~patentnav.report.context.LandscapeContext` and returning its section and
its key findings; sections are numbered from their order. Every float is rounded to 6
significant digits, every sort has a tie-breaker, layouts are seeded, so the same corpus
and options give byte-identical JSON.
"""

from __future__ import annotations

from typing import Callable

from .context import LandscapeContext, landscape_context, memory_returning_pool, return_memory
from .direction import direction_section
from .labels import L
from .parts import Built, number_sections, rnd
from .paths import paths_section
from .positioning import positioning_section
from .quality_section import QUALITY_CHART_KEYS, quality_section
from .scope_section import criteria_rows, scope_caveats, scope_section
from .summary import landscape_summary

__all__ = ["build_landscape_report", "rnd", "CHART_KEYS", "SECTION_IDS", "LANDSCAPE_SECTIONS"]

#: The sections in their order: (id, builder). A builder takes the context and returns a
#: :class:`~patentnav.report.parts.Built` (section + key findings).
LANDSCAPE_SECTIONS: tuple[tuple[str, Callable[[LandscapeContext], Built]], ...] = (
    ("scope", scope_section),
    ("direction", direction_section),
    ("positioning", positioning_section),
    ("quality", quality_section),
    ("paths", paths_section),
)
SECTION_IDS = tuple(sid for sid, _ in LANDSCAPE_SECTIONS)
CHART_KEYS = {
    "trend": ("years", "counts", "incomplete", "fitted", "label_x", "label_y"),
    "applicants_over_time": ("years", "series"),
    "field_network": ("nodes", "edges"),
    "field_region_heatmap": ("rows", "columns", "values", "measure"),
    "gap_quadrant": ("points", "x_label", "y_label", "threshold"),
    "life_cycle": ("years", "applicants", "applications"),
    "main_path": ("nodes", "edges"),
    **QUALITY_CHART_KEYS,
}


def build_landscape_report(corpus, region: str = "CN", industry: str | None = None, ipc=None, query: str | None = None,
                           lang: str = "zh", firms=None, seed: int = 42,
                           progress: Callable[[str], None] | None = None, engine=None,
                           on_section: Callable[[dict], None] | None = None,
                           on_chart: Callable[[dict], None] | None = None) -> dict:
    """Build the landscape (产业规划类专利导航) report of ``corpus`` for ``region``.

    ``industry`` / ``ipc`` / ``query`` scope the corpus first (see
    :func:`patentnav.landscape.scope`); ``firms`` (list of names) makes the region the named
    firms (``FIRMS``). ``progress(step_name)`` is called before each step. ``engine``
    (:class:`patentnav.engine.Engine`, default in memory) computes the aggregations: annual
    and applicant counts, code incidence and co-classification, citation arcs, applicant
    regions and region x technology sums; the report is the same whichever engine made them.
    A corpus that already carries ``.scope`` (from :func:`patentnav.landscape.scope` or
    :meth:`patentnav.engine.Dataset.scope`) is not scoped again. Returns a plain dict
    following the report contract (meta + five sections: scope, direction, positioning,
    quality, paths). ``on_section(section)`` is called with each section as soon as it is
    built; ``on_chart(chart)`` with each chart as soon as it is final, each chart once and
    at the latest with its section (the CLI draws its PNG while the later steps run).

    Memory: each shared computation is let go after the last section that reads it
    (:data:`patentnav.report.context.RELEASE_AFTER`), freed memory is returned to the
    operating system between sections, and while the report is built Arrow allocates from
    the system (malloc) pool, the previous default pool being restored afterwards (a
    process-wide setting: docs/architecture.md).
    """
    return_memory()  # what reading the corpus left free
    with memory_returning_pool():
        ctx = landscape_context(corpus, region=region, industry=industry, ipc=ipc, query=query, lang=lang,
                                firms=firms, seed=seed, progress=progress, engine=engine)
        del corpus  # the context has its own: a corpus handed over (the CLI) is freed column by column
        ctx.release_memory = True  # the sections run in order: each computation is let go after its last reader
        ctx.on_chart = on_chart
        built = []
        for _, build in LANDSCAPE_SECTIONS:
            built.append(build(ctx))
            for chart in built[-1].section.get("charts") or []:  # those a builder did not hand over earlier
                ctx.chart_built(chart)
            if on_section is not None:
                on_section(built[-1].section)
        ctx.step("done")
        meta = report_meta(ctx)
    meta["summary"] = landscape_summary([f for b in built for f in b.findings], ctx.lang)  # shown first
    return {"meta": meta, "sections": number_sections([b.section for b in built], ctx.lang)}


def report_meta(ctx: LandscapeContext) -> dict:
    """The report's ``meta``: title, language, generator, cut-off, region, scope, sources, counts, caveats."""
    from .. import __version__

    n = ctx.n
    return {
        "title": _title(ctx), "lang": ctx.lang, "generator": f"patentnav {__version__}", "cutoff": ctx.cutoff_text,
        "region": ctx.region,
        "scope": {"criteria": criteria_rows(ctx.criteria), "documents": n, "of": ctx.documents_before_scope},
        "sources": ctx.sources,
        "counts": {"documents": n, "jurisdictions": dict(ctx.jurisdictions), "years": ctx.documents_years},
        "caveats": scope_caveats(ctx),
    }


def _title(ctx: LandscapeContext) -> str:
    """"Patent navigation report: CN industry (2.2 Aviation equipment)": the region (or the
    first firms) and the scope options."""
    parts = []
    if ctx.industry:
        from ..classify.sei import sei_name

        name = sei_name(str(ctx.industry), ctx.lang)
        parts.append(f"{ctx.industry} {name}" if name else str(ctx.industry))
    if ctx.ipc:
        parts.append("IPC " + ", ".join(ctx.ipc if isinstance(ctx.ipc, (list, tuple)) else [ctx.ipc]))
    if ctx.query:
        parts.append(str(ctx.query))
    scope_label = "; ".join(parts)
    firms = ctx.firms
    who = (", ".join(firms[:3]) + (" …" if len(firms) > 3 else "")) if firms else ctx.region  # the title names the firms
    return L("title.industry", ctx.lang, region=who, scope=scope_label) if scope_label else L("title", ctx.lang, region=who)
