"""Aggregation kernels, written once in the PySpark DataFrame API.

Every kernel takes an :class:`~patentnav.engine.session.Api` (the engine's session,
``functions`` as ``F`` and ``Window``) and engine DataFrames with canonical corpus columns
(``docs/data-model.md``), and returns an engine DataFrame (lazy: nothing runs until it is
collected). The same code runs on DuckDB through SQLFrame and on Apache Spark; only
portable functions are used (``explode``, ``regexp_extract``, ``rlike``, ``year``, joins,
``groupBy``), never engine SQL.

Each kernel is the out-of-core twin of an in-memory computation in
:mod:`patentnav.landscape` and is tested equal to it (tests/test_engine.py):

=========================  ===============================================================
kernel                     in-memory definition
=========================  ===============================================================
:func:`code_incidence`     :func:`patentnav.landscape.incidence.code_incidence`
:func:`code_pairs`         the upper triangle of ``X'X`` in :func:`~patentnav.landscape.cooccurrence.cooccurrence`
:func:`region_technology`  ``X = R'T`` of :func:`patentnav.landscape.gaps.region_technology`
:func:`unit_years`         units (documents or families) and their years, :func:`~patentnav.landscape.trends.annual_counts`
:func:`applicant_years`    distinct (unit, applicant) of :func:`~patentnav.landscape.trends.life_cycle` / ``top_applicants_by_year``
:func:`citation_resolution`  the matching rules of :func:`patentnav.landscape.citations.citation_graph`
:func:`forward_window`     :func:`patentnav.landscape.citations.windowed_forward_citations`
:func:`applicant_regions`  :func:`patentnav.geo.assign_regions` (fractional regions)
=========================  ===============================================================
"""

from __future__ import annotations

from typing import Callable

from ..classify.ipc import LEVELS

__all__ = [
    "CANONICAL_CODE",
    "code_incidence",
    "code_pairs",
    "region_technology",
    "unit_years",
    "applicant_years",
    "citation_resolution",
    "forward_window",
    "applicant_regions",
    "kindless",
    "date_key",
]

PUB = "publication_number"
#: Canonical IPC/CPC symbols (as readers write them); truncated with string functions.
#: The same pattern as :mod:`patentnav.classify.ipc`'s fast path.
CANONICAL_CODE = r"^[A-HY][0-9]{2}[A-Z]([1-9][0-9]{0,3}/([0-9]{2}|[0-9]{2,5}[1-9]))?$"
_MAIN_GROUP = r"^([A-HY][0-9]{2}[A-Z][0-9]+)/"


# ------------------------------------------------------------------ classification codes

def _truncated(F, col, level: str):
    """``col`` (canonical codes) truncated to ``level`` (as :meth:`IpcCode.truncate`)."""
    if level == "section":
        return F.substring(col, 1, 1)
    if level == "class":
        return F.substring(col, 1, 3)
    if level == "subclass":
        return F.substring(col, 1, 4)
    group = F.regexp_extract(col, _MAIN_GROUP, 1)
    return F.when(group == "", col).otherwise(F.concat(group, F.lit("/00")))


def code_incidence(api, docs, field: str = "ipc", level: str = "subclass",
                   truncate: Callable[[str], str | None] | None = None):
    """Distinct (``publication_number``, ``code``) pairs: the documents x codes incidence.

    Canonical codes are truncated to ``level`` with string functions; the few codes that
    are not canonical (hand-made corpora) are collected as distinct values, truncated in
    Python with ``truncate`` (:func:`patentnav.classify.ipc.truncate`) and joined back, so
    the result equals :func:`patentnav.landscape.incidence.code_incidence` (codes that do
    not parse are dropped; ``subgroup`` keeps values as they are).
    """
    F = api.F
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(LEVELS)}")
    raw = docs.select(PUB, F.explode(field).alias("raw")).where(F.col("raw").isNotNull())
    if level == "subgroup":
        return raw.select(PUB, F.col("raw").alias("code")).distinct()
    canonical = F.col("raw").rlike(CANONICAL_CODE)
    inc = raw.where(canonical).select(PUB, _truncated(F, F.col("raw"), level).alias("code"))
    odd = [r[0] for r in raw.where(~canonical).select("raw").distinct().collect()]
    if odd and truncate is not None:
        mapped = [(v, truncate(v)) for v in sorted(odd)]
        mapped = [(v, t) for v, t in mapped if t is not None]
        if mapped:
            table = api.session.createDataFrame(mapped, ["raw", "code"])
            inc = inc.unionByName(raw.where(~canonical).join(table, "raw").select(PUB, "code"))
    return inc.distinct()


def code_pairs(api, incidence, heavy: int = 256):
    """Co-classification pair counts from an incidence, and the documents too heavy to pair.

    Returns ``(pairs, heavy_rows)``: ``pairs`` has one row per code pair ``i < j`` carried
    together by at least one *light* document (at most ``heavy`` codes), with ``count``
    (documents); ``heavy_rows`` is the incidence of the documents with more codes. A
    self-join enumerates ``k(k-1)/2`` pairs for a document with ``k`` codes, so a few
    documents with thousands of codes would explode it; their rows are few and go through
    a sparse product ``X_h' X_h`` instead (:meth:`patentnav.engine.Aggregates.cooccurrence`),
    the same split as the in-memory path.
    """
    F = api.F
    k = incidence.groupBy(PUB).agg(F.count(F.lit(1)).alias("k"))
    light_docs = k.where(F.col("k") <= heavy).select(PUB)
    heavy_docs = k.where(F.col("k") > heavy).select(PUB)
    light = incidence.join(light_docs, PUB, "left_semi")
    a = light.select(PUB, F.col("code").alias("i"))
    b = light.select(PUB, F.col("code").alias("j"))
    pairs = (a.join(b, PUB).where(F.col("i") < F.col("j"))
             .groupBy("i", "j").agg(F.count(F.lit(1)).alias("count")))
    return pairs, incidence.join(heavy_docs, PUB, "left_semi")


def region_technology(api, assignment, incidence):
    """Region x technology counts for ``X[r, t] = sum_d w(d, r) T[d, t]``, in long form
    (``region``, ``code``, ``k``, ``n``): ``n`` applicant rows of weight ``1 / k`` (``k``
    applicants on the document), from an applicant-region assignment
    (``publication_number``, ``region``, ``weight``) and a documents x codes incidence.
    Integers, so the sum ``X = sum_k n / k`` is made in one fixed order whatever the engine
    (:func:`patentnav.engine.aggregates.fractional_sum`)."""
    F = api.F
    k = F.round(F.lit(1.0) / F.col("weight")).cast("long")
    return (assignment.select(PUB, "region", k.alias("k")).join(incidence, PUB)
            .groupBy("region", "code", "k").agg(F.count(F.lit(1)).alias("n")))


# ------------------------------------------------------------------ units, years, applicants

def _unit_key(F, unit: str):
    if unit == "documents":
        return F.col(PUB)
    # rows sharing a family_id are one family; a row without one is its own family
    return F.coalesce(F.concat(F.lit("f:"), F.col("family_id")), F.concat(F.lit("d:"), F.col(PUB)))


def unit_years(api, docs, date_column: str, unit: str = "documents"):
    """One row per counting unit: ``unit`` (the document, or its family: ``family_id``,
    else the document) and ``year``, the earliest year of ``date_column`` among its members
    (null when none has a date), the rule of :func:`patentnav.landscape.trends.annual_counts`."""
    F = api.F
    return (docs.select(_unit_key(F, unit).alias("unit"), F.year(date_column).alias("year"))
            .groupBy("unit").agg(F.min("year").alias("year")))


def applicant_years(api, docs, date_column: str, unit: str = "documents", column: str = "applicants"):
    """Distinct (``unit``, ``applicant``) pairs with the unit's ``year`` (dated units only):
    a unit counts once per distinct applicant, a family's applicants being the union of its
    members' (:func:`patentnav.landscape.trends.life_cycle`, ``top_applicants_by_year``)."""
    F = api.F
    units = unit_years(api, docs, date_column, unit).where(F.col("year").isNotNull())
    names = (docs.select(_unit_key(F, unit).alias("unit"), F.explode(column).alias("applicant"))
             .where(F.col("applicant").isNotNull() & (F.col("applicant") != "")).distinct())
    return names.join(units, "unit")


# ------------------------------------------------------------------ citations

def kindless(F, col):
    """``CC-NUMBER`` of ``CC-NUMBER[-KIND]`` (as :func:`patentnav.landscape.citations.kindless`)."""
    head = F.regexp_extract(col, r"^([^-]+-[^-]+)-", 1)
    return F.when(head == "", col).otherwise(head)


def citation_resolution(api, docs, kind_fallback: bool = True):
    """How each cited reference resolves to documents, and the resulting arcs.

    ``refs`` are the distinct non-blank ``cited_publications`` of each document. Rule 1
    matches a reference to the document with exactly that publication number; rule 2 (for
    references without an exact match) to every document with the same ``CC-NUMBER``
    whatever the kind; a reference matching neither is external; a match to the citing
    document itself is a self-citation, not an arc (the rules of
    :func:`patentnav.landscape.citations.citation_graph`).

    Returns ``(status, arcs)``: ``status`` has one row per (``citing``, ``ref``) with
    ``exact`` (1 when rule 1 matched), ``n_pairs`` (documents matched) and ``n_arcs``
    (matched documents other than the citing one); ``arcs`` the distinct (``src`` cited,
    ``dst`` citing). Built for scale: every join has the documents (not the references) on
    its build side, and only the references left after rule 1 (external ones and kind
    variants) are grouped; the exact arcs are unique by construction.
    """
    F = api.F
    refs = (docs.select(F.col(PUB).alias("citing"), F.explode(F.array_distinct(F.col("cited_publications"))).alias("ref"))
            .where(F.col("ref").isNotNull() & (F.trim(F.col("ref")) != "")))
    targets = docs.select(F.col(PUB).alias("target"))
    resolved = refs.join(targets, F.col("ref") == F.col("target"), "left")
    exact = resolved.where(F.col("target").isNotNull())
    status = exact.select("citing", "ref", F.lit(1).alias("exact"), F.lit(1).alias("n_pairs"),
                          F.when(F.col("target") == F.col("citing"), 0).otherwise(1).alias("n_arcs"))
    arcs = exact.where(F.col("target") != F.col("citing")).select(F.col("target").alias("src"), F.col("citing").alias("dst"))
    rest = resolved.where(F.col("target").isNull()).select("citing", "ref")
    if not kind_fallback:
        return status.unionByName(rest.select("citing", "ref", F.lit(0).alias("exact"), F.lit(0).alias("n_pairs"),
                                               F.lit(0).alias("n_arcs"))), arcs
    keyed = docs.select(F.col(PUB).alias("ktarget"), kindless(F, F.col(PUB)).alias("key"))
    loose = rest.select("citing", "ref", kindless(F, F.col("ref")).alias("key")).join(keyed, "key", "left")
    other = F.col("ktarget").isNotNull() & (F.col("ktarget") != F.col("citing"))
    status = status.unionByName(loose.groupBy("citing", "ref").agg(
        F.lit(0).alias("exact"), F.count("ktarget").alias("n_pairs"),
        F.sum(F.when(other, 1).otherwise(0)).alias("n_arcs")))
    loose_arcs = loose.where(other).select(F.col("ktarget").alias("lsrc"), F.col("citing").alias("ldst")).distinct()
    # a document listing both "US-1-B2" and "US-1" reaches US-1-B2 by both rules: one arc
    citing_loose = loose_arcs.select(F.col("ldst").alias("_d")).distinct()
    same_citing = arcs.join(citing_loose, F.col("dst") == F.col("_d"), "left_semi").select(
        F.col("src").alias("_s"), F.col("dst").alias("_t"))
    loose_arcs = loose_arcs.join(same_citing, (F.col("lsrc") == F.col("_s")) & (F.col("ldst") == F.col("_t")), "left_anti")
    return status, arcs.unionByName(loose_arcs.select(F.col("lsrc").alias("src"), F.col("ldst").alias("dst")))


def date_key(F, col):
    """``yyyymmdd`` as an integer (null for a null date)."""
    return F.year(col) * 10000 + F.month(col) * 100 + F.dayofmonth(col)


def forward_window(api, arcs, docs, years: int = 5, date_column: str = "publication_date"):
    """Per cited document (``publication_number``): ``forward_window`` (citing documents dated
    within ``years`` after it, anniversary included), ``forward_in_corpus``,
    ``citing_before`` and ``citing_undated``, from arcs (``src`` cited, ``dst`` citing); the
    rule of :func:`patentnav.landscape.citations.windowed_forward_citations`."""
    F = api.F
    cited = docs.select(F.col(PUB).alias("_cs"), date_key(F, F.col(date_column)).alias("ks"))
    citing = docs.select(F.col(PUB).alias("_cd"), date_key(F, F.col(date_column)).alias("kd"))
    a = (arcs.select(F.col("src").alias("_as"), F.col("dst").alias("_ad"))
         .join(cited, F.col("_as") == F.col("_cs")).join(citing, F.col("_ad") == F.col("_cd")))
    both = F.col("ks").isNotNull() & F.col("kd").isNotNull()

    def n(cond):
        return F.sum(F.when(cond, 1).otherwise(0))

    return a.groupBy(F.col("_as").alias(PUB)).agg(
        n(both & (F.col("kd") >= F.col("ks")) & (F.col("kd") <= F.col("ks") + years * 10000)).alias("forward_window"),
        F.count(F.lit(1)).alias("forward_in_corpus"),
        n(both & (F.col("kd") < F.col("ks"))).alias("citing_before"),
        n(F.col("ks").isNotNull() & F.col("kd").isNull()).alias("citing_undated"),
    )


# ------------------------------------------------------------------ regions

def applicant_regions(api, docs, addresses=None, firms=None, fallback: str | None = "priority", mapping=None,
                      non_national=("WO", "EP", "EA", "AP", "OA", "GC", "EM", "XN", "XV", "IB")):
    """Region of each (document, applicant) with fractional weights ``1 / applicants``.

    The evidence order of :func:`patentnav.geo.assign_regions`: the named ``firms``, the
    applicant's address, its country code, the country of the earliest national priority,
    the publishing jurisdiction; ``UNKNOWN`` otherwise. Addresses and firm names are
    matched through lookup frames made from their *distinct* values by the Python code of
    :mod:`patentnav.geo` and :mod:`patentnav.names` (``addresses``: ``address``,
    ``address_region``; ``firms``: ``applicant``, a row per raw or harmonised name that is
    one of the firms), so the rules live in one place. ``applicant`` is the harmonised firm
    (:func:`patentnav.names.canonical_applicants`: the corpus's raw -> canonical ``mapping``
    (``raw``, ``canonical``), else the aligned ``applicants_harmonized`` value, else the raw
    name). Returns ``publication_number``, ``applicant_index`` (-1 for a document without
    applicants), ``applicant``, ``applicant_raw``, ``region``, ``weight``,
    ``source_of_evidence``.
    """
    F = api.F
    nat = list(non_national)
    lists = ["applicant_addresses", "applicant_countries", "applicants_harmonized"]
    base = docs.select(PUB, "applicants", "jurisdiction", *lists, _size(F, "applicants").alias("n_apps"))
    apps = base.where(F.col("n_apps") > 0).select(PUB, "jurisdiction", "n_apps", *lists,
                                                   F.posexplode("applicants").alias("pos", "applicant"))
    none = base.where(F.col("n_apps") == 0).select(PUB, "jurisdiction", "n_apps", *lists, F.lit(-1).alias("pos"),
                                                   F.lit(None).cast("string").alias("applicant"))
    rows = apps.unionByName(none)

    def aligned(column: str):
        """The element of ``column`` aligned with each applicant: same position when the list
        is as long as the applicants, or a single element for the first applicant."""
        k = _size(F, column)
        same = k == F.col("n_apps")
        ok = (k > 0) & (same | ((k == 1) & (F.col("pos") == 0)))
        return F.when(ok, F.element_at(F.col(column), F.when(same, F.col("pos") + 1).otherwise(F.lit(1))))

    rows = rows.select(PUB, "pos", "applicant", "n_apps", F.upper(F.col("jurisdiction")).alias("_jur"),
                       aligned("applicant_addresses").alias("address"), aligned("applicant_countries").alias("cc"),
                       aligned("applicants_harmonized").alias("harmonized"))
    if mapping is not None:
        canon = mapping.select(F.col("raw").alias("_mraw"), F.col("canonical").alias("_canon"))
        rows = rows.join(canon, F.col("applicant") == F.col("_mraw"), "left")
        firm = F.coalesce(F.col("_canon"), F.col("harmonized"), F.col("applicant"))
    else:
        firm = F.coalesce(F.col("harmonized"), F.col("applicant"))
    rows = rows.withColumn("_firm", firm)

    def has_app():
        return F.col("pos") >= 0

    # (a function making the region value, or null, source name), in evidence order; fresh
    # column objects per use (SQLFrame binds a column to the frame it is first used in)
    candidates = []
    if firms is not None:
        hit_raw = firms.select(F.col("applicant").alias("_fa"), F.lit(1).alias("_hit_raw"))
        hit_h = firms.select(F.col("applicant").alias("_fh"), F.lit(1).alias("_hit_h"))
        rows = (rows.join(hit_raw, F.col("applicant") == F.col("_fa"), "left")
                .join(hit_h, F.col("_firm") == F.col("_fh"), "left"))
        candidates.append((lambda: F.when(F.coalesce(F.col("_hit_raw"), F.col("_hit_h")).isNotNull() & has_app(),
                                          F.lit("FIRMS")), "firms"))
    if addresses is not None:
        lookup = addresses.select(F.col("address").alias("_addr"), "address_region")
        rows = rows.join(lookup, F.col("address") == F.col("_addr"), "left")
        candidates.append((lambda: F.when(has_app(), F.col("address_region")), "address"))

    def country():
        code = F.upper(F.trim(F.col("cc")))
        valid = code.rlike(r"^\p{L}{2}$") & ~F.upper(F.trim(F.col("cc"))).isin(*nat)  # two letters (str.isalpha)
        return F.when(has_app() & valid, F.upper(F.trim(F.col("cc"))))

    candidates.append((country, "applicant_country"))
    if fallback == "priority":
        prio = _priority_country(api, docs, nat)
        rows = rows.join(prio, F.col(PUB) == F.col("_ppub"), "left")
        candidates.append((lambda: F.col("priority_country"), "priority"))
    candidates.append((lambda: F.when(~F.col("_jur").isin(*nat), F.col("_jur")), "jurisdiction"))
    region = F.coalesce(*[make() for make, _ in candidates], F.lit("UNKNOWN"))
    source = F.lit("none")
    for make, name in reversed(candidates):
        source = F.when(make().isNotNull(), F.lit(name)).otherwise(source)
    weight = F.lit(1.0) / F.when(F.col("n_apps") > 0, F.col("n_apps")).otherwise(F.lit(1))
    return rows.select(F.col(PUB), F.col("pos").alias("applicant_index"), F.col("_firm").alias("applicant"),
                       F.col("applicant").alias("applicant_raw"), region.alias("region"),
                       weight.cast("double").alias("weight"), source.alias("source_of_evidence"))


def _size(F, column: str):
    """List length, 0 for a null list (Spark says -1, DuckDB null)."""
    return F.greatest(F.coalesce(F.size(column), F.lit(0)), F.lit(0))


def _priority_country(api, docs, nat):
    """Country of each document's earliest national priority (ties: first listed)."""
    F = api.F
    nc, nd = _size(F, "priority_countries"), _size(F, "priority_dates")
    lists = docs.select(F.col(PUB).alias("_ppub"), (nc == nd).alias("aligned"), "priority_dates",
                        F.posexplode("priority_countries").alias("i", "pcountry"))
    # dates count only when the two lists are aligned; otherwise every date is "unknown"
    c = lists.select("_ppub", "i", F.upper(F.trim(F.col("pcountry"))).alias("c"),
                     F.when(F.col("aligned"), date_key(F, F.element_at(F.col("priority_dates"), F.col("i") + 1))).alias("d"))
    c = c.where(F.col("c").rlike("^[A-Z]{2}$") & ~F.col("c").isin(*nat))
    w = api.Window.partitionBy("_ppub").orderBy(F.col("d").asc_nulls_last(), F.col("i").asc())
    first = c.withColumn("_rn", F.row_number().over(w)).where(F.col("_rn") == 1)
    return first.select("_ppub", F.col("c").alias("priority_country"))
