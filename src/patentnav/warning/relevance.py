"""Relevance screening of a corpus against a product description (专利预警, first stage),
in Chinese and English alike.

:class:`RelevanceIndex` is built once over a corpus and answers queries made of

* **product features** -- one sentence each (English or Chinese), scored *separately* so
  that the result says which feature matched which terms;
* **keywords** -- a small caller-supplied list (``["无人机", "drone"]``), scored as one
  extra query row;
* **classification codes** -- IPC/CPC codes of the product (any spelling accepted by
  :func:`patentnav.classify.ipc.parse_ipc`), matched at subgroup, main group and subclass.

Four channels (definitions, sources and measurements in ``docs/warning-relevance.md``):

* **lexical** -- Okapi BM25 (Robertson & Zaragoza 2009, eq. 3.15 with the non-negative
  "Lucene" idf) over the query's own terms::

      idf(t)   = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))
      w(d, t)  = idf(t) * tf(d,t) * (k1 + 1) / (tf(d,t) + k1 * (1 - b + b * dl(d) / avgdl))

  with ``k1 = 1.2``, ``b = 0.75``, precomputed at build time;
* **gloss** -- the same BM25 weights reached through bilingual glosses
  (:mod:`patentnav.warning.gloss`: jieba + CC-CEDICT + a patent supplement, zh -> en, and
  the inverse mapping en -> zh). Each source word is one unit scored by its best
  translation (Pirkola 1998)::

      s_alt(d)  = sum_{t in alt} w(d, t) * (terms of alt in d) / |alt|
      s_unit(d) = max over the unit's alternatives of s_alt(d)

  A feature's text score is ``s_f(d) = sum of w(d, t) over its own terms + sum of
  s_unit(d) over its units``; ``text(d) = mean_f s_f(d) / max_d' s_f(d')``;
* **dense** -- cosine of multilingual sentence embeddings (:mod:`patentnav.warning.dense`)
  between each feature and a shortlist of documents, best feature;
* **code** -- ``code(d) = sum_L w_L * c_L(d) / sum_L w_L`` with ``c_L`` the share of the
  query's codes at level ``L`` that the document carries (subgroup 1.0, main group 0.6,
  subclass 0.3).

**Ranking** (``score``): reciprocal rank fusion of the channels (Cormack, Clarke & Büttcher
2009, "Reciprocal rank fusion outperforms Condorcet and individual rank learning methods",
SIGIR '09: 758-759)::

      rrf(d) = sum over channels c of 1 / (RRF_K + rank_c(d)),   RRF_K = 60

over each channel's top :data:`RRF_DEPTH` documents, divided by its maximum.

**Absolute relevance** (the input of the risk score, never relative to the corpus): the
idf-weighted share of the patent's reading text (title + first claim) found in the product
text, own terms and fully matched glosses alike (:meth:`RelevanceIndex.reads_on`), with
field-level terms (shared by at least :data:`GENERIC_SHARE` of the documents retrieved for
the product) weighted :data:`GENERIC_WEIGHT`, times the code agreement factor. The dense and
code channels rank and find candidates but never raise it: a grade needs terms that can be
shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from .._arrow import join_text
from ..classify.ipc import parse_ipc, truncate_array
from ..text import Vocabulary, tokenize
from .gloss import Unit, inflections, lexicon

__all__ = ["RelevanceIndex", "bm25_weights", "first_claims", "CODE_LEVEL_WEIGHTS", "CODE_AGREEMENT", "SHORT_TEXT_PRIOR", "K1", "B",
           "RRF_K", "RRF_DEPTH", "DENSE_SHORTLIST", "DENSE_MATCH", "GENERIC_SHARE", "GENERIC_WEIGHT", "GENERIC_POOL",
           "CHANNELS"]

#: BM25 term-frequency saturation (Robertson & Zaragoza 2009, section 3.5: 1.2-2.0 typical)
K1 = 1.2
#: BM25 document-length normalisation
B = 0.75
#: weight of a code match per hierarchy level
CODE_LEVEL_WEIGHTS = {"subgroup": 1.0, "main_group": 0.6, "subclass": 0.3}
_CODE_LEVELS = tuple(CODE_LEVEL_WEIGHTS)
#: weight of code agreement in the absolute relevance: with no shared code a document keeps
#: (1 - CODE_AGREEMENT) of its text evidence
CODE_AGREEMENT = 0.5
#: pseudo-mass (in median idf units) added to a document's idf total in :meth:`RelevanceIndex.reads_on`
SHORT_TEXT_PRIOR = 2.0
#: reciprocal rank fusion constant (Cormack, Clarke & Büttcher 2009)
RRF_K = 60
#: documents of each channel's ranking that enter the fusion
RRF_DEPTH = 1000
#: documents embedded per query by the dense channel (best of the lexical and code channels)
DENSE_SHORTLIST = 200
#: cosine from which the dense channel counts as a match in the explanation (calibrated on the
#: dev half of benchmarks/data/xling_titles.tsv: see docs/warning-relevance.md)
DENSE_MATCH = 0.5
#: a term in at least this share of the documents retrieved for a product is a field-level
#: term (unmanned, aerial, vehicle for a drone): context, not evidence of reading on
GENERIC_SHARE = 0.2
#: weight of a field-level term in the absolute relevance (others 1)
GENERIC_WEIGHT = 0.25
#: documents retrieved (by fused rank) to find the field-level terms; fewer: none
GENERIC_POOL = 100
#: the channels, in the order rows name them
CHANNELS = ("lexical", "gloss", "dense", "code")
_COLUMNS = ["publication_number", "text_score", "code_score", "dense_score", "score", "reads_on", "code_agreement", "relevance",
            "matched_terms", "matched_features", "matched_codes", "matched_glosses", "channels"]


def bm25_weights(counts: sp.spmatrix, k1: float = K1, b: float = B) -> tuple[sp.csc_matrix, np.ndarray]:
    """Documents x terms BM25 weights ``w(d, t)`` (CSC) and the idf of each term.

    ``counts`` is a documents x terms term-frequency matrix. A document's score for a query is
    the sum of its weights over the query's distinct terms.
    """
    m = sp.csr_matrix(counts, dtype=np.float64, copy=True)
    n = m.shape[0]
    df = np.bincount(m.indices, minlength=m.shape[1]).astype(np.float64)
    idf = np.log1p((n - df + 0.5) / (df + 0.5))
    dl = np.asarray(m.sum(axis=1)).ravel()
    avgdl = dl.mean() if n and dl.mean() > 0 else 1.0
    norm = k1 * (1.0 - b + b * dl / avgdl)  # per document
    rows = np.repeat(np.arange(n), np.diff(m.indptr))
    tf = m.data
    m.data = idf[m.indices] * tf * (k1 + 1.0) / (tf + norm[rows])
    return m.tocsc(), idf


def _join_fields(table: pa.Table, fields: Sequence[str]) -> pa.Array:
    cols = []
    for f in fields:
        if f not in table.column_names:
            raise ValueError(f"unknown text field {f!r}")
        c = table[f]
        c = c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c
        cols.append(c.cast(pa.large_string()))
    if len(cols) == 1:
        return cols[0]
    return join_text(cols, "\n")


#: the first claim ends where claim 2 starts: "2." / "2 ." / "2、" / "2)" after whitespace or 。；;
_CLAIM_2 = r"(?s)^(.*?(?:[\x{3002}\x{FF1B};]|\s))\s*2\s*[\.\x{3001}\x{FF0E})]"


def first_claims(claims: pa.Array) -> pa.Array:
    """The first claim of each claims text (the whole text when no claim 2 marker is found).

    >>> first_claims(pa.array(["1. A drone comprising arms. 2. The drone of claim 1, ..."])).to_pylist()
    ['1. A drone comprising arms.']
    """
    claims = claims.cast(pa.large_string())
    head = pc.struct_field(pc.extract_regex(claims, _CLAIM_2.replace("^(", "^(?P<c>")), [0])
    return pc.if_else(pc.is_valid(head), pc.utf8_trim_whitespace(head.cast(pa.large_string())), claims)


def _reading_text(table: pa.Table) -> pa.Array:
    """What a patent's protection reads on, as well as the data allow: title + first claim
    when claims are present, else title + abstract."""
    title = _join_fields(table, ["title"])
    if "claims" in table.column_names:
        claims = table["claims"].combine_chunks().cast(pa.large_string())
        first = first_claims(pc.fill_null(claims, ""))
        has = pc.greater(pc.utf8_length(pc.fill_null(claims, "")), 0)
    else:
        first, has = None, pa.array([False] * table.num_rows)
    fallback = _join_fields(table, [f for f in ("title", "abstract") if f in table.column_names])
    with_claim = join_text([title, first], "\n") \
        if first is not None else fallback
    return pc.if_else(has, with_claim, fallback)


def _code_matrices(table: pa.Table, n: int) -> dict[str, tuple[sp.csc_matrix, pd.Index]]:
    """Per level: documents x items binary matrix (CSC) of the union of IPC and CPC codes."""
    flats, parents = [], []
    for f in ("ipc", "cpc"):
        if f not in table.column_names:
            continue
        lists = table[f].combine_chunks() if isinstance(table[f], pa.ChunkedArray) else table[f]
        lists = pc.fill_null(lists, pa.scalar([], lists.type))
        flats.append(pc.list_flatten(lists).cast(pa.string()))
        parents.append(pc.list_parent_indices(lists).to_numpy().astype(np.int64))
    flat = pa.concat_arrays(flats) if flats else pa.array([], pa.string())
    parent = np.concatenate(parents) if parents else np.zeros(0, np.int64)
    out = {}
    for level in _CODE_LEVELS:
        vals = flat if level == "subgroup" else truncate_array(flat, level)
        enc = pc.dictionary_encode(vals)
        idx = enc.indices
        valid = pc.is_valid(idx).to_numpy(zero_copy_only=False)
        codes = idx.to_numpy(zero_copy_only=False)[valid].astype(np.int64)
        items = pd.Index(enc.dictionary.to_pylist())
        m = sp.csr_matrix((np.ones(len(codes), dtype=np.float32), (parent[valid], codes)), shape=(n, len(items)))
        m.sum_duplicates()
        m.data[:] = 1.0
        out[level] = (m.tocsc(), items)
    return out


@dataclass
class QueryRow:
    """One query row (a feature, or the keywords): its own index terms and its
    cross-lingual units, each unit with the term columns of its alternatives."""

    text: str
    own: np.ndarray
    units: list = field(default_factory=list)  # [(Unit, [(alt, cols, length)])]


@dataclass
class QueryPlan:
    """A product query resolved against an index's vocabulary (:meth:`RelevanceIndex.plan`)."""

    rows: list
    keyword_row: bool
    has_text: bool

    @property
    def cols(self) -> list[np.ndarray]:
        return [r.own for r in self.rows]

    def alternatives(self) -> list[tuple[int, int, tuple, np.ndarray, int]]:
        """Flat list of (row, unit number, alternative, term columns, length)."""
        out, k = [], 0
        for j, r in enumerate(self.rows):
            for unit, alts in r.units:
                for alt, cols, n in alts:
                    out.append((j, k, alt, cols, n))
                k += 1
        return out

    def units(self) -> list[tuple[int, Unit]]:
        return [(j, u) for j, r in enumerate(self.rows) for u, _ in r.units]

    def terms_in_vocabulary(self) -> int:
        """Distinct vocabulary terms the query can match (own terms and glosses)."""
        cols = [r.own for r in self.rows] + [c for *_, c, _ in self.alternatives()]
        return int(len(np.unique(np.concatenate(cols)))) if cols else 0


def _rank_min(key: np.ndarray, depth: int) -> tuple[np.ndarray, np.ndarray]:
    """(documents, rank) of the ``depth`` best positive keys, ties sharing the best rank."""
    pos = np.flatnonzero(key > 0)
    if len(pos) > depth:
        pos = pos[np.argpartition(-key[pos], depth - 1)[:depth]]
    v = -key[pos]
    order = np.argsort(v, kind="stable")
    sv = v[order]
    first = np.r_[True, sv[1:] != sv[:-1]]
    rank_sorted = np.maximum.accumulate(np.where(first, np.arange(1, len(sv) + 1), 0))
    ranks = np.empty(len(pos), dtype=np.int64)
    ranks[order] = rank_sorted
    return pos, ranks


def rrf(rankings: Sequence[np.ndarray], n: int, k: int = RRF_K, depth: int = RRF_DEPTH) -> np.ndarray:
    """Reciprocal rank fusion of score vectors (Cormack, Clarke & Büttcher 2009): for each
    vector, its ``depth`` best positive documents get ``1 / (k + rank)`` (ties share the best
    rank); the sum over vectors, in [0, len(rankings) / (k + 1)].

    >>> rrf([np.array([0.9, 0.5, 0.0]), np.array([0.1, 0.7, 0.0])], 3).round(5).tolist()
    [0.03252, 0.03252, 0.0]
    """
    out = np.zeros(n)
    for key in rankings:
        docs, ranks = _rank_min(np.asarray(key, dtype=float), depth)
        out[docs] += 1.0 / (k + ranks)
    return out


@dataclass
class RelevanceIndex:
    """A BM25 text index, bilingual glosses, dense vectors on demand and code incidence over
    a corpus; build with :meth:`build`.

    Attributes
    ----------
    documents : numpy.ndarray of str
        Publication numbers, corpus order (row labels).
    terms : pandas.Index
        Vocabulary (column labels of ``weights``).
    weights : scipy.sparse.csc_matrix
        Documents x terms BM25 weights.
    idf : numpy.ndarray
    codes : dict level -> (csc matrix documents x items, pandas.Index of items)
    reading : scipy.sparse.csr_matrix
        Documents x terms presence (0/1) of the text a patent's protection reads on: title +
        first claim when claims are present, else title + abstract (see :meth:`reads_on`).
    dense_text : pyarrow.Array
        The start of each reading text (:data:`patentnav.warning.dense.MAX_CHARS`), embedded
        by the dense channel.
    zh_share : float
        Share of documents whose text is Chinese (the corpus's language, for messages).
    k1, b : float
    stem, stopwords
        Tokenisation options (queries are tokenised the same way).
    build_seconds : float
    """

    documents: np.ndarray
    terms: pd.Index
    weights: sp.csc_matrix
    idf: np.ndarray
    codes: dict
    k1: float = K1
    b: float = B
    stem: bool = True
    stopwords: object = None
    fields: tuple = ("title", "abstract", "claims")
    build_seconds: float = 0.0
    _lower: pd.Index = field(default=None, repr=False)
    reading: sp.csr_matrix | None = field(default=None, repr=False)
    dense_text: object = field(default=None, repr=False)
    zh_share: float = 0.0
    _vectors: dict = field(default_factory=dict, repr=False)
    _all_vectors: np.ndarray | None = field(default=None, repr=False)

    # -- build ---------------------------------------------------------------------------
    @classmethod
    def build(cls, corpus, fields: Sequence[str] = ("title", "abstract", "claims"), *, k1: float = K1,
              b: float = B, stem: bool = True, stopwords: Iterable[str] | bool | None = None,
              workers: int = 1) -> "RelevanceIndex":
        """Index a :class:`patentnav.Corpus` (or a pyarrow Table with its columns).

        The text of ``fields`` is joined per document (missing fields skipped) and tokenised
        with :mod:`patentnav.text` (English rules or jieba for Chinese, per document).
        """
        from ..text import _han_mask
        from .dense import MAX_CHARS

        t0 = time.perf_counter()
        table = corpus.table if hasattr(corpus, "table") else corpus
        if not isinstance(table, pa.Table):
            table = corpus.to_arrow()
        n = table.num_rows
        text = _join_fields(table, tuple(fields))
        voc = Vocabulary(stem=stem, stopwords=stopwords, workers=workers)
        counts = voc.fit_transform(text)
        W, idf = bm25_weights(counts, k1, b)
        docs = table["publication_number"].to_numpy()
        codes = _code_matrices(table, n)
        reading_text = _reading_text(table)
        reading = voc.transform(reading_text, binary=True).tocsr()
        dense_text = pc.utf8_slice_codeunits(pc.fill_null(reading_text, ""), 0, MAX_CHARS)
        zh = float(_han_mask(reading_text).mean()) if n else 0.0
        out = cls(np.asarray(docs, dtype=object), pd.Index(voc.terms_), W, idf, codes, k1, b, stem, stopwords,
                  tuple(fields), reading=reading, dense_text=dense_text, zh_share=zh)
        out.build_seconds = time.perf_counter() - t0
        return out

    def __len__(self) -> int:
        return len(self.documents)

    @property
    def language(self) -> str:
        """``"zh"`` when most documents are Chinese, else ``"en"``."""
        return "zh" if self.zh_share > 0.5 else "en"

    # -- query plan ----------------------------------------------------------------------
    def _cols(self, toks) -> np.ndarray:
        if not len(toks):
            return np.zeros(0, np.int64)
        c = self.terms.get_indexer(pd.unique(np.asarray(list(toks), dtype=object)))
        return np.unique(c[c >= 0]).astype(np.int64)

    def plan(self, features: Sequence[str], keywords: Sequence[str] = ()) -> QueryPlan:
        """Resolve the query rows (features, then the keywords as one row) into own term
        columns and cross-lingual units (:mod:`patentnav.warning.gloss`); alternatives with
        no term in the vocabulary, or whose terms are all own terms of the row (a feature
        written in both languages), are dropped, and units left without alternatives."""
        lex = lexicon()
        texts = [f if isinstance(f, str) else "" for f in features]
        kw_toks, kw_text = [], []
        for k in keywords:
            toks = tokenize(k, stem=self.stem, stopwords=self.stopwords)
            if not toks and k and k.strip():  # a keyword that is a stop word: keep it lower-cased
                toks = [k.strip().lower()]
            kw_toks.append(toks)
            kw_text.append(k)
        rows = []
        for f in texts:
            toks = tokenize(f, stem=self.stem, stopwords=self.stopwords) if f else []
            rows.append((f, toks))
        if kw_toks:
            rows.append((", ".join(kw_text), [t for ts in kw_toks for t in ts]))
        out = []
        for text, toks in rows:
            own = self._cols(toks)
            units = lex.units_zh(toks) + lex.units_en(toks)
            own_set = set(own.tolist())
            kept = []
            for u in units:
                alts = []
                forms = u.alternatives
                if u.lang == "zh":  # one-word English glosses also in their derived forms
                    forms = tuple(dict.fromkeys(f for a in u.alternatives for f in
                                                ([(w,) for w in inflections(a[0])] if len(a) == 1 else [a])))
                for alt in forms:
                    c = self._cols(alt)
                    if len(c) and not set(c.tolist()) <= own_set:
                        alts.append((alt, c, len(alt)))
                if alts:
                    kept.append((u, alts))
            out.append(QueryRow(text, own, kept))
        has_text = any(t.strip() for t, _ in rows)
        return QueryPlan(out, bool(kw_toks), has_text)

    def _query_rows(self, features, keywords):
        """Own term columns per query row (features, then the keyword row) and whether the
        keyword row exists (kept for callers of the monolingual index)."""
        p = self.plan(list(features), list(keywords))
        return p.cols, p.keyword_row

    # -- lexical and gloss channels ----------------------------------------------------------
    def _alt_matrices(self, plan: QueryPlan, rows: np.ndarray | None = None, matrix=None):
        """(alternatives, distinct columns, sub matrix (documents x columns), G (columns x
        alternatives 0/1), lengths) for the plan's alternatives; ``rows`` restricts the
        documents of ``matrix`` (default the BM25 weights)."""
        alts = plan.alternatives()
        if not alts:
            return alts, np.zeros(0, np.int64), None, None, np.zeros(0)
        allc = np.unique(np.concatenate([a[3] for a in alts]))
        pos = pd.Index(allc)
        gr = np.concatenate([pos.get_indexer(a[3]) for a in alts])
        gc = np.concatenate([np.full(len(a[3]), i) for i, a in enumerate(alts)])
        G = sp.csr_matrix((np.ones(len(gr)), (gr, gc)), shape=(len(allc), len(alts)))
        m = self.weights if matrix is None else matrix
        sub = m[:, allc] if rows is None else m[rows][:, allc]
        return alts, allc, sp.csc_matrix(sub), G, np.array([a[4] for a in alts], dtype=float)

    def unit_scores(self, plan: QueryPlan) -> sp.csc_matrix:
        """Documents x units gloss scores: each unit's best alternative, an alternative
        scoring ``sum_{t in alt} w(d, t) * (terms of alt in d) / |alt|`` (module docstring)."""
        n = len(self.documents)
        units = plan.units()
        alts, allc, sub, G, length = self._alt_matrices(plan)
        if not alts:
            return sp.csc_matrix((n, len(units)))
        A = sub @ G
        present = sub.copy()
        present.data = np.ones_like(present.data)
        K = present @ G
        s = sp.csc_matrix(A.multiply(K) @ sp.diags(1.0 / length))
        unit_of = np.array([a[1] for a in alts])
        cols = []
        for u in range(len(units)):
            idx = np.flatnonzero(unit_of == u)
            cols.append(sp.csc_matrix(s[:, idx].max(axis=1)))
        return sp.hstack(cols, format="csc")

    def text_scores(self, features: Sequence[str], keywords: Sequence[str] = (), plan: QueryPlan | None = None
                    ) -> tuple[np.ndarray, np.ndarray, list]:
        """Raw score of every document for every query row (documents x rows, dense: own
        terms' BM25 plus the gloss units), the normalised text score, and the own term
        columns of each row."""
        plan = plan if plan is not None else self.plan(list(features), list(keywords))
        cols = plan.cols
        n, R = len(self.documents), len(cols)
        S = np.zeros((n, R))
        allc = np.unique(np.concatenate(cols)) if cols else np.zeros(0, np.int64)
        if len(allc):
            sub = self.weights[:, allc]  # csc column slice: O(nnz of the query's columns)
            pos = {c: i for i, c in enumerate(allc.tolist())}
            qr = np.concatenate([[pos[c] for c in cc] for cc in cols if len(cc)] or [[]]).astype(np.int64)
            qc = np.concatenate([np.full(len(cc), j) for j, cc in enumerate(cols)]).astype(np.int64)
            Q = sp.csr_matrix((np.ones(len(qr)), (qr, qc)), shape=(len(allc), R))
            S += np.asarray((sub @ Q).todense())
        units = plan.units()
        if units:
            U = self.unit_scores(plan)
            Ru = sp.csr_matrix((np.ones(len(units)), ([i for i in range(len(units))], [j for j, _ in units])),
                               shape=(len(units), R))
            S += np.asarray((U @ Ru).todense())
        if not R:
            return S, np.zeros(n), cols
        mx = S.max(axis=0) if n else np.zeros(R)
        live = mx > 0
        nonempty = np.array([len(r.own) > 0 or len(r.units) > 0 for r in plan.rows])
        denom = max(int(nonempty.sum()), 1)
        text = (S[:, live] / mx[live]).sum(axis=1) / denom if live.any() else np.zeros(n)
        return S, text, cols

    # -- absolute relevance --------------------------------------------------------------
    def generic_terms(self, rows: np.ndarray) -> np.ndarray:
        """Term columns present in the reading text of at least :data:`GENERIC_SHARE` of the
        documents ``rows`` (the documents retrieved for a product): its field-level words.
        None below 20 documents."""
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) < 20 or self.reading is None:
            return np.zeros(0, np.int64)
        present = self.reading[rows]
        df = np.bincount(present.indices, minlength=present.shape[1])
        return np.flatnonzero(df >= GENERIC_SHARE * len(rows)).astype(np.int64)

    def _evidence_weights(self, generic) -> np.ndarray:
        e = self.idf.astype(float).copy()
        if generic is not None and len(generic):
            e[np.asarray(generic, dtype=np.int64)] *= GENERIC_WEIGHT
        return e

    def reads_on(self, rows: np.ndarray, features: Sequence[str], keywords: Sequence[str] = (), *,
                 plan: QueryPlan | None = None, generic=None) -> np.ndarray:
        """How much of each document's claimed subject matter the product's text contains: for
        the documents ``rows`` (corpus positions), the weighted share of the distinct terms
        of the document's *reading text* (title + first claim, the broadest claim as a rule;
        title + abstract without claims) that the product text contains, in its own words or
        through a gloss whose every term is in the reading text::

            reads_on(d) = sum_{t in d, t matched} e(t) / (sum_{t in d} e(t) + m)

        with ``e(t) = idf(t)``, times :data:`GENERIC_WEIGHT` for the field-level terms
        ``generic`` (:meth:`generic_terms`), and ``m =`` :data:`SHORT_TEXT_PRIOR` times the
        median idf of the vocabulary: a pseudo-mass of two unmatched typical terms, so that a
        three-word title ("Unmanned aerial vehicle") cannot by itself prove that a patent
        reads on the product. It follows the all-elements rule of infringement (a claim
        reads on a product when every element of the claim is found in the product) with
        terms as elements. Absolute (not relative to the best document), in [0, 1].
        """
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return np.zeros(0)
        plan = plan if plan is not None else self.plan(list(features), list(keywords))
        matched = self._matched_reading(rows, plan)
        present = (self.reading if self.reading is not None else self.weights)[rows].tocsr()
        present.data = np.ones_like(present.data)
        e = self._evidence_weights(generic)
        total = np.asarray(present @ e).ravel()
        if matched is None:
            return np.zeros(len(rows))
        overlap = np.asarray(matched @ e).ravel()
        total = total + SHORT_TEXT_PRIOR * float(np.median(self.idf)) if len(self.idf) else total
        return np.divide(overlap, total, out=np.zeros(len(rows)), where=total > 0)

    def _matched_reading(self, rows: np.ndarray, plan: QueryPlan, matrix=None) -> sp.csr_matrix | None:
        """Documents ``rows`` x vocabulary 0/1: the reading-text terms matched by the query
        (own terms, and the terms of every alternative fully present in the document)."""
        base = self.reading if (matrix is None and self.reading is not None) else (matrix if matrix is not None else self.weights)
        present = base[rows].tocsr()
        present.data = np.ones_like(present.data)
        V = present.shape[1]
        own = np.unique(np.concatenate(plan.cols)) if plan.cols else np.zeros(0, np.int64)
        mask = np.zeros(V)
        mask[own] = 1.0
        out = present @ sp.diags(mask)
        alts, allc, sub, G, length = self._alt_matrices(plan, rows, base)
        if alts:
            sub = sub.tocsr()
            sub.data = np.ones_like(sub.data)
            full = (sub @ G).toarray() >= length[None, :] - 1e-9 if len(rows) <= 50000 else None
            if full is None:  # many rows: stay sparse
                K = (sub @ G).tocoo()
                ok = K.data >= length[K.col] - 1e-9
                F = sp.csr_matrix((np.ones(int(ok.sum())), (K.row[ok], K.col[ok])), shape=K.shape)
            else:
                F = sp.csr_matrix(full.astype(float))
            allowed = (F @ G.T).tocsr()  # rows x allc
            allowed.data = np.ones_like(allowed.data)
            hit = sub.multiply(allowed)
            hit = sp.csr_matrix(hit)
            expand = sp.csr_matrix((np.ones(len(allc)), (np.arange(len(allc)), allc)), shape=(len(allc), V))
            out = out + hit @ expand
        out = sp.csr_matrix(out)
        out.data = np.ones_like(out.data)
        out.eliminate_zeros()
        return out

    def relevance_of(self, rows: np.ndarray, features: Sequence[str], keywords: Sequence[str] = (),
                     codes: Sequence[str] = (), *, plan: QueryPlan | None = None, generic=None
                     ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(reads_on, code_agreement, relevance)`` of the documents ``rows`` (corpus
        positions) for a product, vectorised, without ranking the corpus: the absolute
        relevance of :meth:`query`, ``reads_on * (1 - a + a * code_agreement)`` with
        ``a =`` :data:`CODE_AGREEMENT` when the query has codes, else ``reads_on``. Without
        text evidence it is 0 whatever the codes: codes alone rank and find candidates, they
        never prove that a patent reads on the product."""
        rows = np.asarray(rows, dtype=np.int64)
        plan = plan if plan is not None else self.plan(list(features), list(keywords))
        has_codes = any(self._query_codes(codes).values())
        ro = self.reads_on(rows, features, keywords, plan=plan, generic=generic) if plan.has_text else np.zeros(len(rows))
        agree = self.code_agreement(rows, codes) if has_codes else np.zeros(len(rows))
        if has_codes:
            return ro, agree, ro * ((1.0 - CODE_AGREEMENT) + CODE_AGREEMENT * agree)
        return ro, agree, ro
    def code_agreement(self, rows: np.ndarray, codes: Sequence[str]) -> np.ndarray:
        """Deepest classification level the documents ``rows`` share with any query code,
        as its weight (:data:`CODE_LEVEL_WEIGHTS`: subgroup 1, main group 0.6, subclass 0.3;
        0 when none). Unlike :meth:`code_scores`, which rewards covering *all* the product's
        codes, one shared subgroup is full agreement: a patent on one feature of the product
        is a patent on the product."""
        rows = np.asarray(rows, dtype=np.int64)
        out = np.zeros(len(rows))
        for lv, items in self._query_codes(codes).items():
            X, index = self.codes[lv]
            c = index.get_indexer(items) if items else np.zeros(0, np.int64)
            c = c[c >= 0]
            if len(c) and len(rows):
                hit = np.asarray(X[:, c][rows].sum(axis=1)).ravel() > 0
                out = np.where(hit, np.maximum(out, CODE_LEVEL_WEIGHTS[lv]), out)
        return out

    def _query_codes(self, codes: Sequence[str]) -> dict[str, list[str]]:
        """Distinct query items per level (codes that do not parse are ignored)."""
        per = {lv: [] for lv in _CODE_LEVELS}
        for c in codes:
            p = parse_ipc(c)
            if p is None:
                continue
            h = p.hierarchy()
            for lv in _CODE_LEVELS:
                item = h.get(lv)
                if item is not None and item not in per[lv]:
                    per[lv].append(item)
        return per

    def code_scores(self, codes: Sequence[str]) -> np.ndarray:
        """Code score of every document (see the module docstring), in [0, 1]."""
        n = len(self.documents)
        per = self._query_codes(codes)
        total = np.zeros(n)
        wsum = 0.0
        for lv, items in per.items():
            if not items:
                continue
            w = CODE_LEVEL_WEIGHTS[lv]
            wsum += w
            X, index = self.codes[lv]
            c = index.get_indexer(items)
            c = c[c >= 0]
            if len(c):
                total += w * np.asarray(X[:, c].sum(axis=1)).ravel() / len(items)
        return total / wsum if wsum else total

    # -- dense channel -------------------------------------------------------------------
    def vectors(self, rows: np.ndarray) -> np.ndarray:
        """Dense embeddings of the documents ``rows`` (encoded once, then kept)."""
        from .dense import DIM, encode

        rows = np.asarray(rows, dtype=np.int64)
        if self._all_vectors is not None:
            return self._all_vectors[rows].astype(np.float32)
        todo = [int(r) for r in dict.fromkeys(rows.tolist()) if int(r) not in self._vectors]
        if todo:
            texts = self.dense_text.take(pa.array(todo)).to_pylist()
            for r, v in zip(todo, encode(texts)):
                self._vectors[r] = v.astype(np.float16)
        out = np.zeros((len(rows), DIM), dtype=np.float32)
        for i, r in enumerate(rows.tolist()):
            out[i] = self._vectors[r]
        return out

    def embed_all(self, progress=None, batch: int = 512) -> "RelevanceIndex":
        """Embed every document once (float16, 1 KiB per document), so that the dense
        channel scores the whole corpus instead of a shortlist. ``progress(done, total)`` is
        called after each batch. About 7 ms per title on one core (docs/performance.md)."""
        from .dense import DIM, encode

        n = len(self.documents)
        allv = np.zeros((n, DIM), dtype=np.float16)
        for s in range(0, n, batch):
            allv[s:s + batch] = encode(self.dense_text.slice(s, batch).to_pylist())
            if progress is not None:
                progress(min(s + batch, n), n)
        self._all_vectors = allv
        return self

    def dense_scores(self, plan: QueryPlan, rows: np.ndarray) -> np.ndarray:
        """Cosine of the best query row with each document of ``rows`` (0 for no text)."""
        from .dense import encode

        texts = [r.text for r in plan.rows if r.text and r.text.strip()]
        rows = np.asarray(rows, dtype=np.int64)
        if not texts or not len(rows):
            return np.zeros(len(rows))
        q = encode(texts)
        return np.clip((self.vectors(rows) @ q.T).max(axis=1), 0.0, 1.0)

    def _dense_channel(self, plan: QueryPlan, text: np.ndarray, code: np.ndarray, dense: bool | None) -> np.ndarray:
        """Dense scores for every document: the whole corpus when every document is embedded
        (:meth:`embed_all`), else a shortlist of :data:`DENSE_SHORTLIST` documents, half the
        best of the text channel and half the best of the code channel (0 elsewhere)."""
        from . import dense as dense_mod

        n = len(self.documents)
        out = np.zeros(n)
        if dense is False or not plan.has_text or not dense_mod.available():
            return out
        if self._all_vectors is not None:
            return self.dense_scores(plan, np.arange(n))
        half = DENSE_SHORTLIST // 2
        picks = []
        for key, k in ((text, half), (code, DENSE_SHORTLIST - half)):
            d, r = _rank_min(key, k)
            picks.append(d[np.argsort(r, kind="stable")])
        short = np.unique(np.concatenate(picks)) if picks else np.zeros(0, np.int64)
        if len(short):
            out[short] = self.dense_scores(plan, short)
        return out

    # -- query ---------------------------------------------------------------------------
    def query(self, features: Sequence[str] | str, keywords: Sequence[str] = (), codes: Sequence[str] = (),
              top: int = 50, text_weight: float = 0.7, rank_by: str = "score", fusion: str = "rrf",
              dense: bool | None = None, generic: bool = True) -> pd.DataFrame:
        """The ``top`` documents most relevant to a product, in Chinese or English.

        Parameters
        ----------
        features : list of str
            Product features, one sentence each (a single string is one feature).
        keywords : list of str
            Extra terms, scored together as one more query row.
        codes : list of str
            IPC/CPC codes of the product.
        top : int
        text_weight : float in [0, 1]
            Weight of the text score in ``fusion="linear"``.
        rank_by : {"score", "relevance"}
            ``score``: the fused ranking (retrieval); ``relevance``: the absolute relevance
            (what the risk score uses), computed for every document with sparse products,
            ties broken by score. Only documents with a positive value are returned.
        fusion : {"rrf", "linear"}
            ``rrf``: reciprocal rank fusion of the text, code and dense channels;
            ``linear``: ``text_weight * text + (1 - text_weight) * code`` (no dense channel).
        dense : bool or None
            Use the dense channel (None: when the encoder is installed and the query has
            text; always off with ``fusion="linear"``).
        generic : bool
            Weight field-level terms down in the absolute relevance (:meth:`generic_terms`,
            found among the :data:`GENERIC_POOL` best documents by ``score``).

        Returns
        -------
        pandas.DataFrame with columns publication_number, text_score (lexical and gloss,
        relative to the best document), code_score, dense_score (cosine; 0 outside the
        shortlist), score (the ranking score, relative to the best document), reads_on,
        code_agreement, relevance (absolute, see :meth:`relevance_of`), matched_terms (index
        terms matched, own and glossed), matched_features (list of (feature index, [terms or
        "云台 → gimbal" glosses]); index -1 is the keyword row), matched_codes, matched_glosses
        (the glosses matched, ``"云台 → gimbal"``), channels (the :data:`CHANNELS` that
        matched: lexical, gloss, dense with cosine >= :data:`DENSE_MATCH`, code). Documents
        with score 0 are left out; ties are broken by corpus order.
        """
        if isinstance(features, str):
            features = [features]
        features, keywords, codes = list(features), list(keywords), list(codes)
        if not 0.0 <= text_weight <= 1.0:
            raise ValueError("text_weight must be in [0, 1]")
        if rank_by not in ("score", "relevance"):
            raise ValueError("rank_by must be 'score' or 'relevance'")
        if fusion not in ("rrf", "linear"):
            raise ValueError("fusion must be 'rrf' or 'linear'")
        n = len(self.documents)
        plan = self.plan(features, keywords)
        S, text, cols = self.text_scores(features, keywords, plan=plan)
        has_text = bool((text > 0).any())
        has_codes = any(self._query_codes(codes).values())
        code = self.code_scores(codes) if has_codes else np.zeros(n)
        dn = np.zeros(n)
        if fusion == "linear":
            if has_text and has_codes:
                score = text_weight * text + (1.0 - text_weight) * code
            else:
                score = text if has_text else code
        else:
            dn = self._dense_channel(plan, text, code, dense)
            score = rrf([text, code, dn], n)
            mx = score.max() if n else 0.0
            score = score / mx if mx > 0 else score
        gen = None
        if generic and plan.has_text:
            d, r = _rank_min(score, GENERIC_POOL)
            gen = self.generic_terms(d)
        key = score
        if rank_by == "relevance":
            key = self.relevance_of(np.arange(n), features, keywords, codes, plan=plan, generic=gen)[2]
        k = int(min(top, int((key > 0).sum())))
        if k <= 0:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in _COLUMNS})
        cand = np.argpartition(-key, k - 1)[:k] if k < n else np.arange(n)
        order = cand[np.lexsort((cand, -score[cand], -key[cand]))]
        m_terms, m_feats, m_gloss = self._explain(order, plan)
        m_codes = self._matched_codes(order, codes) if has_codes else [[] for _ in order]
        ro, agree, absolute = self.relevance_of(order, features, keywords, codes, plan=plan, generic=gen)
        channels = []
        for i in range(len(order)):
            own_hit = any(not isinstance(t, tuple) for _, ts in m_feats[i] for t in ts)
            ch = [c for c, on in zip(CHANNELS, (own_hit, bool(m_gloss[i]), dn[order[i]] >= DENSE_MATCH, bool(m_codes[i]))) if on]
            channels.append(ch)
        # each term once per feature: two keywords can gloss to the same match (无人机, 航拍无人机 -> uav)
        feats_out = [[(j, list(dict.fromkeys(t if not isinstance(t, tuple) else t[0] for t in ts))) for j, ts in f]
                     for f in m_feats]
        return pd.DataFrame({
            "publication_number": self.documents[order],
            "text_score": text[order],
            "code_score": code[order],
            "dense_score": dn[order],
            "score": score[order],
            "reads_on": ro,
            "code_agreement": agree,
            "relevance": absolute,
            "matched_terms": m_terms,
            "matched_features": feats_out,
            "matched_codes": m_codes,
            "matched_glosses": m_gloss,
            "channels": channels,
        })

    def _explain(self, order: np.ndarray, plan: QueryPlan) -> tuple[list, list, list]:
        """For the documents ``order``: matched terms (own and glossed, sorted), matched
        features ((row, [own terms, then (gloss label,) tuples])) and the gloss labels
        (``"云台 → gimbal"``, an alternative counting when all its terms are in the document)."""
        order = np.asarray(order, dtype=np.int64)
        terms_arr = np.asarray(self.terms, dtype=object)
        M = self._matched_reading(order, plan, matrix=self.weights) if len(order) else None
        own_all = [set(c.tolist()) for c in plan.cols]
        kw_row = len(plan.rows) - 1 if plan.keyword_row else None
        alts = plan.alternatives()
        full = None
        if alts:
            a, allc, sub, G, length = self._alt_matrices(plan, order, self.weights)
            sub = sub.tocsr()
            sub.data = np.ones_like(sub.data)
            full = (sub @ G).toarray() >= length[None, :] - 1e-9
        units = plan.units()
        m_terms, m_feats, m_gloss = [], [], []
        for i in range(len(order)):
            present = set(M.indices[M.indptr[i]:M.indptr[i + 1]].tolist()) if M is not None else set()
            m_terms.append(sorted(terms_arr[list(present)].tolist()) if present else [])
            per_row: dict[int, list] = {}
            glosses = []
            if full is not None:
                seen_unit = set()
                for k, (j, u, alt, _, _) in enumerate(alts):
                    if full[i, k] and u not in seen_unit:
                        seen_unit.add(u)
                        label = units[u][1].label(alt)
                        per_row.setdefault(j, []).append((label,))
                        if label not in glosses:
                            glosses.append(label)
            fl = []
            for j, own in enumerate(own_all):
                got = sorted(terms_arr[sorted(own & present)].tolist()) if own & present else []
                extra = per_row.get(j, [])
                if got or extra:
                    fl.append((-1 if j == kw_row else j, got + extra))
            m_feats.append(fl)
            m_gloss.append(glosses)
        return m_terms, m_feats, m_gloss

    def _matched_codes(self, order: np.ndarray, codes: Sequence[str]) -> list[list[str]]:
        """For each document of ``order``: the deepest item (subgroup, else main group, else
        subclass) of each query code that the document carries, in query order. Only the
        query's code columns are sliced, then the rows: no corpus-wide row selection."""
        order = np.asarray(order, dtype=np.int64)
        parsed = [p for p in (parse_ipc(c) for c in codes) if p is not None]
        hier = [p.hierarchy() for p in parsed]
        have: dict[str, dict[str, np.ndarray]] = {}
        for lv in _CODE_LEVELS:
            items = list(dict.fromkeys(h.get(lv) for h in hier if h.get(lv) is not None))
            X, index = self.codes[lv]
            cols = index.get_indexer(items) if items else np.zeros(0, np.int64)
            ok = cols >= 0
            sub = X[:, cols[ok]][order].toarray() > 0 if ok.any() and len(order) else np.zeros((len(order), 0), bool)
            have[lv] = {it: sub[:, k] for k, it in enumerate(np.asarray(items, dtype=object)[ok])}
        hits = []  # per query code: (item per level, boolean column per level), deepest first
        for h in hier:
            hits.append([(h.get(lv), have[lv].get(h.get(lv))) for lv in _CODE_LEVELS])
        out = []
        for i in range(len(order)):  # the returned rows only, times the query's codes
            got = []
            for levels in hits:
                for item, col in levels:
                    if col is not None and col[i]:
                        if item not in got:
                            got.append(item)
                        break
            out.append(got)
        return out
