"""The aggregates of a corpus, computed by an engine and handed back as the in-memory types.

:class:`Aggregates` runs the kernels of :mod:`patentnav.engine.kernels` over an engine
DataFrame and converts the (small) aggregated results into what :mod:`patentnav.landscape`
works with: an :class:`~patentnav.landscape.incidence.Incidence`, a
:class:`~patentnav.landscape.cooccurrence.CoOccurrence`, a
:class:`~patentnav.landscape.citations.CitationGraph`, the frames of
:func:`~patentnav.landscape.trends.annual_counts`, ... Each method returns what its
in-memory namesake returns for the same corpus (tests/test_engine.py), so the analytics
(Leiden fields, specialisation, gaps, trends, indicators, main paths, the report) take
their matrices from whichever engine made them.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from . import kernels as K

__all__ = ["Aggregates", "fractional_sum", "fractional_product"]

PUB = K.PUB


def _arrow(df) -> pa.Table:
    """Collect an engine DataFrame as an Arrow table."""
    return df.toArrow()


def _strings(col) -> np.ndarray:
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    return np.asarray(col.to_numpy(zero_copy_only=False), dtype=object)


def _ints(col) -> np.ndarray:
    return np.asarray(pc.fill_null(col, 0).to_numpy(), dtype=np.int64) if len(col) else np.zeros(0, np.int64)


class Aggregates:
    """Aggregations of one corpus by one engine (results cached per arguments).

    Parameters
    ----------
    api : patentnav.engine.session.Api
    docs : engine DataFrame
        Canonical corpus columns (one row per publication number).
    documents : array of str, optional
        Row order of the in-memory results (an in-memory corpus's publication numbers);
        default: publication numbers sorted.
    heavy : int
        Documents with more codes than this are paired by a sparse product, not a self-join
        (:func:`patentnav.engine.kernels.code_pairs`).
    applicant_mapping : pandas.DataFrame, optional
        The corpus's raw -> canonical applicant names (``Corpus.applicant_mapping``), for the
        firms the region tables count.
    """

    def __init__(self, api, docs, documents=None, heavy: int = 256, applicant_mapping: pd.DataFrame | None = None):
        self.api = api
        self.docs = docs
        self.applicant_mapping = applicant_mapping
        self._documents = None if documents is None else np.asarray(documents, dtype=object)
        self.heavy = int(heavy)
        self._cache: dict[Any, Any] = {}

    @property
    def engine(self) -> str:
        return self.api.name

    @property
    def documents(self) -> np.ndarray:
        """Publication numbers in the row order of the results."""
        if self._documents is None:
            self._documents = np.sort(_strings(_arrow(self.docs.select(PUB))[PUB]))
        return self._documents

    @cached_property
    def _row_of(self) -> pd.Index:
        return pd.Index(self.documents)

    def _rows(self, pubs) -> np.ndarray:
        rows = self._row_of.get_indexer(pubs)
        if (rows < 0).any():
            raise ValueError("the engine returned publication numbers that are not among the documents")
        return rows

    def _cached(self, key, make):
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    def release(self, kind: str, *args) -> None:
        """Drop the cached results of ``kind`` (``"incidence"``, ``"code_counts"``,
        ``"citations"``, ``"annual"``; ``args`` narrow it: ``release("incidence", "ipc",
        "main_group")``) once no caller needs them again, to free their memory; the next
        call computes them again. ``"assignment"`` is not cached here (nothing to drop)."""
        prefix = (kind, *args)
        for key in [k for k in self._cache if k[:len(prefix)] == prefix]:
            del self._cache[key]

    # ------------------------------------------------------------------ codes
    def incidence_frame(self, field: str = "ipc", level: str = "subclass"):
        """The engine DataFrame of distinct (publication_number, code) (lazy)."""
        from ..classify.ipc import truncate

        return K.code_incidence(self.api, self.docs, field, level, truncate=lambda c: truncate(c, level))

    def incidence(self, field: str = "ipc", level: str = "subclass"):
        """Documents x codes :class:`~patentnav.landscape.incidence.Incidence` (as
        :func:`~patentnav.landscape.incidence.code_incidence`)."""
        from ..landscape.incidence import Incidence

        def make():
            t = _arrow(self.incidence_frame(field, level))
            rows = self._rows(_strings(t[PUB]))
            codes, items = pd.factorize(_strings(t["code"]), sort=True)
            m = sp.csr_matrix((np.ones(len(codes), dtype=np.int32), (rows, codes)),
                              shape=(len(self.documents), len(items)))
            m.sum_duplicates()
            m.data[:] = 1
            return Incidence(m, np.asarray(items, dtype=object), self.documents)

        return self._cached(("incidence", field, level), make)

    def code_counts(self, field: str = "ipc", level: str = "subclass"):
        """``(items, occurrences, i, j, counts)``: documents per code and the pair counts
        ``i < j`` (light documents by the engine's self-join, heavy ones by a sparse product)."""
        def make():
            inc = self.incidence_frame(field, level)
            occ_t = _arrow(inc.groupBy("code").agg(self.api.F.count(self.api.F.lit(1)).alias("n")))
            items = np.sort(_strings(occ_t["code"]))
            index = pd.Index(items)
            occ = np.zeros(len(items), dtype=np.int64)
            occ[index.get_indexer(_strings(occ_t["code"]))] = _ints(occ_t["n"])
            pairs, heavy_rows = K.code_pairs(self.api, inc, heavy=self.heavy)
            pt = _arrow(pairs)
            i = index.get_indexer(_strings(pt["i"]))
            j = index.get_indexer(_strings(pt["j"]))
            counts = _ints(pt["count"])
            ht = _arrow(heavy_rows)
            if ht.num_rows:  # documents with very many codes: X_h' X_h
                docs, drows = np.unique(_strings(ht[PUB]), return_inverse=True)
                Xh = sp.csr_matrix((np.ones(ht.num_rows), (drows, index.get_indexer(_strings(ht["code"])))),
                                   shape=(len(docs), len(items)))
                up = sp.triu(Xh.T.tocsr() @ Xh, k=1).tocoo()
                i = np.concatenate([i, up.row.astype(np.int64)])
                j = np.concatenate([j, up.col.astype(np.int64)])
                counts = np.concatenate([counts, up.data.astype(np.int64)])
                key, inv = np.unique(i * len(items) + j, return_inverse=True)
                counts = np.bincount(inv, weights=counts).astype(np.int64)
                i, j = key // len(items), key % len(items)
            return items, occ, i, j, counts

        return self._cached(("code_counts", field, level), make)

    def cooccurrence(self, field: str = "ipc", level: str = "subclass", min_count: int = 1,
                     min_strength: float | None = None, normalize: str | None = "association",
                     min_occurrences: int = 1):
        """As :func:`patentnav.landscape.cooccurrence.cooccurrence` of the corpus."""
        from ..landscape.cooccurrence import cooccurrence_from_pairs

        items, occ, i, j, counts = self.code_counts(field, level)
        return cooccurrence_from_pairs(items, occ, i, j, counts, self.n_documents, normalize=normalize,
                                       min_count=min_count, min_strength=min_strength,
                                       min_occurrences=min_occurrences, field=field, level=level)

    @cached_property
    def n_documents(self) -> int:
        return len(self.documents) if self._documents is not None else int(self.docs.count())

    # ------------------------------------------------------------------ years and applicants
    @cached_property
    def latest_publication(self):
        t = _arrow(self.docs.agg(self.api.F.max("publication_date").alias("d")))
        return t["d"][0].as_py() if t.num_rows else None

    def _cutoff(self, cutoff):
        from ..landscape.trends import _as_date

        if cutoff is not None:
            return _as_date(cutoff)
        if self.latest_publication is None:
            raise ValueError("the corpus has no publication dates: pass cutoff= (the date the data were retrieved)")
        return self.latest_publication

    def annual_counts(self, by: str = "priority", unit: str = "documents", cutoff=None, lag_months: int | None = None):
        """As :func:`patentnav.landscape.trends.annual_counts` (ungrouped)."""
        from ..landscape.trends import DATE_COLUMNS, DEFAULT_LAG_MONTHS, _check_by_unit, counts_by_year

        _check_by_unit(by, unit)

        def make():
            F = self.api.F
            units = K.unit_years(self.api, self.docs, DATE_COLUMNS[by], unit)
            t = _arrow(units.groupBy("year").agg(F.count(F.lit(1)).alias("n")))
            dated = np.asarray(pc.is_valid(t["year"]).to_numpy(zero_copy_only=False), dtype=bool)
            years, n = _ints(t["year"])[dated], _ints(t["n"])
            lag = DEFAULT_LAG_MONTHS[by] if lag_months is None else int(lag_months)
            cut = self._cutoff(cutoff) if self.n_documents else cutoff
            return counts_by_year(years, n[dated], by=by, unit=unit, unit_rule=self._unit_rule(unit), cutoff=cut,
                                  lag_months=lag, missing_date=int(n[~dated].sum()))

        return self._cached(("annual", by, unit, str(cutoff), lag_months), make)

    def _unit_rule(self, unit: str) -> str:
        if unit == "documents":
            return "each document (publication) counts once"
        F = self.api.F
        with_id = int(self.docs.where(F.col("family_id").isNotNull()).count())
        return ("each family counts once, at the earliest year of its members: rows sharing a family_id are one "
                f"family, a row without family_id is its own family ({with_id:,} of {self.n_documents:,} rows carry a family_id)")

    def families(self, by: str = "priority"):
        """Family de-duplication: one row per family (``unit``: ``f:`` + ``family_id``, or
        ``d:`` + the publication number of a document without one) with its earliest year
        of ``by`` and its ``members``, as a pandas frame sorted by unit."""
        from ..landscape.trends import DATE_COLUMNS

        F = self.api.F
        fam = (self.docs.select(K._unit_key(F, "families").alias("unit"), F.year(DATE_COLUMNS[by]).alias("year"))
               .groupBy("unit").agg(F.min("year").alias("year"), F.count(F.lit(1)).alias("members")))
        return _arrow(fam).to_pandas().sort_values("unit", kind="mergesort").reset_index(drop=True)

    def _applicant_column(self, applicants: str) -> str:
        if applicants != "auto":
            return applicants
        F = self.api.F
        filled = self.docs.where(F.size("applicants_harmonized") > 0).limit(1).count() > 0
        return "applicants_harmonized" if filled else "applicants"

    def applicant_names(self, column: str = "applicants") -> pd.DataFrame:
        """Distinct applicant names with the documents listing each (``name``, ``documents``),
        most frequent first: the input of name harmonisation (:class:`patentnav.names.NameHarmonizer`
        learns its groups from distinct names and their frequencies)."""
        F = self.api.F
        names = (self.docs.select(F.col(PUB), F.explode(column).alias("name"))
                 .where(F.col("name").isNotNull() & (F.col("name") != "")).distinct())
        t = _arrow(names.groupBy("name").agg(F.count(F.lit(1)).alias("documents"))).to_pandas()
        return t.sort_values(["documents", "name"], ascending=[False, True], kind="mergesort").reset_index(drop=True)

    def life_cycle(self, by: str = "priority", unit: str = "documents", cutoff=None, lag_months: int | None = None,
                   applicants: str = "auto") -> pd.DataFrame:
        """As :func:`patentnav.landscape.trends.life_cycle`."""
        from ..landscape.trends import DATE_COLUMNS

        F = self.api.F
        col = self._applicant_column(applicants)
        counts = self.annual_counts(by, unit, cutoff, lag_months)
        attrs = dict(counts.attrs)
        df = counts.rename(columns={"count": "applications"})
        if not len(df):
            df["applicants"] = pd.Series([], dtype=np.int64)
        else:
            ay = K.applicant_years(self.api, self.docs, DATE_COLUMNS[by], unit, col)
            t = _arrow(ay.select("year", "applicant").distinct().groupBy("year").agg(F.count(F.lit(1)).alias("n")))
            per = pd.Series(_ints(t["n"]), index=_ints(t["year"]))
            df["applicants"] = per.reindex(df.index, fill_value=0).to_numpy(dtype=np.int64)
        df = df[["applications", "applicants", "incomplete"]]
        df.attrs.update(applicant_column=col, **attrs)
        return df

    def top_applicants_by_year(self, n: int = 10, by: str = "priority", unit: str = "documents", cutoff=None,
                               lag_months: int | None = None, applicants: str = "auto") -> pd.DataFrame:
        """As :func:`patentnav.landscape.trends.top_applicants_by_year`."""
        from ..landscape.trends import DATE_COLUMNS

        F = self.api.F
        col = self._applicant_column(applicants)
        counts = self.annual_counts(by, unit, cutoff, lag_months)
        years = counts.index.to_numpy(dtype=np.int64)
        meta = dict(incomplete_years=[int(y) for y in years[counts["incomplete"].to_numpy(dtype=bool)]],
                    applicant_column=col, **dict(counts.attrs))
        empty = pd.DataFrame(index=pd.Index([], name="applicant", dtype=object),
                             columns=pd.Index(years, name="year"), dtype=np.int64)
        ay = K.applicant_years(self.api, self.docs, DATE_COLUMNS[by], unit, col) if len(counts) else None
        tot = _arrow(ay.groupBy("applicant").agg(F.count(F.lit(1)).alias("n"))) if ay is not None else None
        if tot is None or tot.num_rows == 0:
            empty.attrs.update(total={}, **meta)
            return empty
        names, totals = _strings(tot["applicant"]), _ints(tot["n"])
        order = np.lexsort((names.astype(str), -totals))[: int(n)]  # total desc, then name
        top, top_tot = names[order], totals[order]
        sel = self.api.session.createDataFrame([(str(a),) for a in top], ["applicant"])
        t = _arrow(ay.join(sel, "applicant").groupBy("applicant", "year").agg(F.count(F.lit(1)).alias("n")))
        rank = pd.Index(top).get_indexer(_strings(t["applicant"]))
        y0 = int(years[0])
        mat = np.zeros((len(top), len(years)), dtype=np.int64)
        np.add.at(mat, (rank, _ints(t["year"]) - y0), _ints(t["n"]))
        out = pd.DataFrame(mat, index=pd.Index(top, name="applicant", dtype=object), columns=pd.Index(years, name="year"))
        out.attrs.update(total={str(a): int(k) for a, k in zip(top, top_tot)}, **meta)
        return out

    # ------------------------------------------------------------------ citations
    def citation_frames(self, kind_fallback: bool = True):
        """Engine DataFrames ``(arcs, per_document, status)``: distinct arcs (``src`` cited,
        ``dst`` citing), per citing document ``n_references`` / ``n_external`` / ``n_self``,
        and per (citing, ref) how it resolved (lazy;
        :func:`patentnav.engine.kernels.citation_resolution`)."""
        F = self.api.F
        status, arcs = K.citation_resolution(self.api, self.docs, kind_fallback)
        per_doc = status.groupBy(F.col("citing").alias(PUB)).agg(
            F.count(F.lit(1)).alias("n_references"),
            F.sum(F.when(F.col("n_pairs") == 0, 1).otherwise(0)).alias("n_external"),
            F.sum(F.when((F.col("n_pairs") > 0) & (F.col("n_arcs") == 0), 1).otherwise(0)).alias("n_self"))
        return arcs, per_doc, status

    def citation_graph(self, kind_fallback: bool = True):
        """As :func:`patentnav.landscape.citations.citation_graph` (without the family-level
        matching tables: :meth:`CitationGraph.to_families` needs the in-memory graph)."""
        from ..landscape.citations import CitationGraph

        def make():
            F = self.api.F
            arcs, per_doc, status = self.citation_frames(kind_fallback)
            n = len(self.documents)
            at = _arrow(arcs)
            src, dst = self._rows(_strings(at["src"])), self._rows(_strings(at["dst"]))
            order = np.lexsort((dst, src))
            pt = _arrow(per_doc)
            rows = self._rows(_strings(pt[PUB]))
            cols = {}
            for c in ("n_references", "n_external", "n_self"):
                v = np.zeros(n, dtype=np.int64)
                v[rows] = _ints(pt[c])
                cols[c] = v
            st = _arrow(status.agg(
                F.sum(F.col("exact")).alias("exact"),
                F.sum(F.when((F.col("exact") == 0) & (F.col("n_pairs") > 0), 1).otherwise(0)).alias("kindless"),
                F.sum(F.when((F.col("exact") == 0) & (F.col("n_pairs") > 1), 1).otherwise(0)).alias("ambiguous"),
                F.sum(F.col("n_pairs") - F.col("n_arcs")).alias("self_pairs")))
            stats = {k: int(st[c][0].as_py() or 0) for k, c in (("matched_exact", "exact"), ("matched_kindless", "kindless"),
                                                                  ("matched_ambiguous", "ambiguous"),
                                                                  ("self_pairs_dropped", "self_pairs"))}
            return CitationGraph(self.documents, src[order].astype(np.int64), dst[order].astype(np.int64),
                                 cols["n_references"], cols["n_external"], cols["n_self"], level="document",
                                 has_citation_data=bool(cols["n_references"].sum() > 0), stats=stats)

        return self._cached(("citations", kind_fallback), make)

    def forward_citations(self, years: int = 5, date: str = "publication_date") -> pd.DataFrame:
        """Per-document window counts of :func:`~patentnav.landscape.citations.windowed_forward_citations`
        (``forward_window``, ``forward_in_corpus``, ``citing_before``, ``citing_undated``;
        documents without citing documents have 0), indexed like :attr:`documents`."""
        arcs, _, _ = self.citation_frames()
        t = _arrow(K.forward_window(self.api, arcs, self.docs, years=years, date_column=date))
        rows = self._rows(_strings(t[PUB]))
        out = pd.DataFrame(index=pd.Index(self.documents, name=PUB))
        for c in ("forward_window", "forward_in_corpus", "citing_before", "citing_undated"):
            v = np.zeros(len(self.documents), dtype=np.int64)
            v[rows] = _ints(t[c])
            out[c] = v
        return out

    # ------------------------------------------------------------------ regions
    def assignment_frame(self, level: str = "country", firms=None, fallback: str | None = "priority"):
        """Engine DataFrame of :func:`patentnav.engine.kernels.applicant_regions` (lazy); the
        address and firm lookups are made from distinct values by :mod:`patentnav.geo`."""
        from ..geo import _check_level, _firm_keys, parse_addresses, region_keys

        _check_level(level)
        if fallback not in ("priority", None):
            raise ValueError("fallback must be 'priority' or None")
        F, S = self.api.F, self.api.session
        addr = [r[0] for r in self.docs.select(F.explode("applicant_addresses").alias("a"))
                .where(F.col("a").isNotNull()).distinct().collect()]
        addresses = None
        if addr:
            addr = sorted(addr)
            keys = region_keys(parse_addresses(pa.array(addr, pa.string())), level).tolist()
            rows = [(a, k) for a, k in zip(addr, keys) if isinstance(k, str)]
            addresses = S.createDataFrame(rows or [("", None)], "address string, address_region string")
        firm_frame = None
        if firms is not None:
            from ..names import normalize_names

            wanted = _firm_keys(firms)
            names = {r[0] for c in ("applicants", "applicants_harmonized")
                     for r in self.docs.select(F.explode(c).alias("a")).where(F.col("a").isNotNull()).distinct().collect()}
            if self.applicant_mapping is not None:
                names |= {str(v) for v in self.applicant_mapping["canonical"].dropna()}
            names = sorted(names)
            hit = [nm for nm, k in zip(names, normalize_names(pa.array(names, pa.string())).to_pylist()) if k in wanted]
            firm_frame = S.createDataFrame([(h,) for h in hit] or [("",)], "applicant string")
            if not hit:
                firm_frame = firm_frame.where(F.col("applicant") != "")
        mapping = None
        if self.applicant_mapping is not None:
            m = self.applicant_mapping[["raw", "canonical"]].dropna()
            mapping = S.createDataFrame([(str(a), str(b)) for a, b in m.itertuples(index=False)] or [("", "")],
                                        "raw string, canonical string")
        return K.applicant_regions(self.api, self.docs, addresses=addresses, firms=firm_frame, fallback=fallback,
                                   mapping=mapping)

    def assign_regions(self, level: str = "country", firms=None, fallback: str | None = "priority") -> pd.DataFrame:
        """As :func:`patentnav.geo.assign_regions` (rows sorted by document, then applicant)."""
        from ..geo import SOURCES, source_summary

        t = _arrow(self.assignment_frame(level, firms, fallback)).to_pandas()
        t["_row"] = self._rows(t[PUB].to_numpy(dtype=object))
        t = t.sort_values(["_row", "applicant_index"], kind="mergesort").reset_index(drop=True)
        obj = lambda c: np.asarray(t[c].astype(object).where(t[c].notna(), None), dtype=object)  # noqa: E731
        t = pd.DataFrame({  # built as patentnav.geo builds it, so that dtypes agree
            PUB: obj(PUB), "applicant_index": t["applicant_index"].to_numpy(dtype=np.int64),
            "applicant": obj("applicant"), "applicant_raw": obj("applicant_raw"), "region": obj("region"),
            "weight": t["weight"].to_numpy(dtype=float),
            "source_of_evidence": pd.Categorical(obj("source_of_evidence"), categories=list(SOURCES)),
        })
        t.attrs["level"] = level
        t.attrs["source_summary"] = source_summary(t)
        return t

    def region_technology(self, assignment: pd.DataFrame, technology: str = "ipc", level: str = "subclass"):
        """``(X, regions, technologies)`` of :func:`patentnav.landscape.gaps.region_technology`
        (``ipc`` or ``cpc``): fractional documents per region and code."""
        if technology not in ("ipc", "cpc"):
            raise ValueError("the engine computes region x technology for ipc or cpc codes")
        a = assignment[[PUB, "region", "weight"]].copy()
        a.attrs = {}
        a["region"] = a["region"].astype(str)
        af = self.api.frame(pa.Table.from_pandas(a, preserve_index=False), "pn_assignment")
        inc = self.incidence_frame(technology, level)
        t = _arrow(K.region_technology(self.api, af, inc))
        self.api.drop("pn_assignment")
        known = set(self.documents)
        regions = np.unique(a.loc[a[PUB].isin(known), "region"].to_numpy(dtype=object).astype(str))
        techs = np.sort(_strings(_arrow(inc.select("code").distinct())["code"]).astype(str))
        X = fractional_sum(pd.Index(regions).get_indexer(_strings(t["region"])),
                           pd.Index(techs).get_indexer(_strings(t["code"])), _ints(t["k"]), _ints(t["n"]),
                           (len(regions), len(techs)))
        return X, regions, techs


def fractional_sum(r, c, k, n, shape) -> np.ndarray:
    """Dense ``X[r, c] = sum_k n / k`` from integer counts ``n`` of rows of weight ``1 / k``,
    summed over ``k`` ascending: the same bits whichever engine counted (a float sum over
    documents would depend on their order)."""
    X = np.zeros(shape)
    for kk in np.unique(k):
        m = k == kk
        part = np.zeros(shape)
        np.add.at(part, (r[m], c[m]), n[m])  # integers: exact
        X += part / kk
    return X


def fractional_product(R, T) -> np.ndarray:
    """Dense ``R' T`` (regions x technologies) of fractional weights ``R`` (documents x
    regions, each weight ``1 / k``) and binary ``T`` (documents x technologies), summed as
    :func:`fractional_sum` sums an engine's counts: integer counts per ``k``, then ``n / k``
    over ``k`` ascending, so the in-memory matrix has the engines' bits."""
    R = sp.coo_matrix(R)
    shape = (R.shape[1], T.shape[1])
    k = np.rint(1.0 / R.data).astype(np.int64)
    parts = []
    for kk in np.unique(k):  # integer counts per applicant number k: (R_k' T)
        m = k == kk
        Rk = sp.csr_matrix((np.ones(int(m.sum())), (R.row[m], R.col[m])), shape=R.shape)
        C = (Rk.T @ T).tocoo()
        parts.append((C.row, C.col, np.full(C.nnz, kk), np.rint(C.data).astype(np.int64)))
    if not parts:
        return np.zeros(shape)
    r, c, kk, n = (np.concatenate(x) for x in zip(*parts))
    return fractional_sum(r, c, kk, n, shape)
