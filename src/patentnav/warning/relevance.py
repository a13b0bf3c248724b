"""Relevance screening of a corpus against a product description (专利预警, first stage).

:class:`RelevanceIndex` is built once over a corpus and answers queries made of

* **product features** -- one sentence each (English or Chinese), scored *separately* with
  Okapi BM25 so that the result says which feature matched which terms;
* **keywords** -- a small caller-supplied list, typically bilingual (``["无人机", "drone",
  "UAV"]``); they are scored as one extra query row;
* **classification codes** -- IPC/CPC codes of the product (any spelling accepted by
  :func:`patentnav.classify.ipc.parse_ipc`), matched against the documents' IPC and CPC codes
  at subgroup, main group and subclass level.

Formulas, weights and limits are in ``docs/warning-relevance.md``. In short:

* BM25 (Robertson & Zaragoza 2009, eq. 3.15 with the non-negative "Lucene" idf)::

      idf(t)   = ln(1 + (N - df(t) + 0.5) / (df(t) + 0.5))
      w(d, t)  = idf(t) * tf(d,t) * (k1 + 1) / (tf(d,t) + k1 * (1 - b + b * dl(d) / avgdl))
      s_f(d)   = sum over the distinct terms t of feature f of w(d, t)

  with ``k1 = 1.2``, ``b = 0.75``; the weights ``w`` are precomputed at build time, so a
  query is one sparse matrix product over the columns of its terms.
* text score: ``text(d) = mean_f s_f(d) / max_d' s_f(d')`` over the non-empty query rows
  (features and the keyword row), in [0, 1].
* code score: ``code(d) = sum_L w_L * c_L(d) / sum_L w_L`` with ``c_L`` the share of the
  query's codes at level ``L`` that the document carries at that level and weights subgroup
  1.0, main group 0.6, subclass 0.3 (levels absent from the query are left out), in [0, 1].
* combined: ``score = text_weight * text + (1 - text_weight) * code`` (``text_weight`` 0.7);
  when the query has no text the score is the code score, and without codes the text score.

No machine translation is done: Chinese feature text matches English documents only through
the Latin tokens it contains (``GPS``), the bilingual keywords and the codes.
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

from ..classify.ipc import parse_ipc, truncate_array
from ..text import Vocabulary, tokenize

__all__ = ["RelevanceIndex", "bm25_weights", "first_claims", "CODE_LEVEL_WEIGHTS", "CODE_AGREEMENT", "SHORT_TEXT_PRIOR", "K1", "B"]

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
_COLUMNS = ["publication_number", "text_score", "code_score", "score", "reads_on", "code_agreement", "relevance", "matched_terms",
            "matched_features", "matched_codes"]


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
    return pc.binary_join_element_wise(*cols, pa.scalar("\n", pa.large_string()), null_handling="skip")


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
    with_claim = pc.binary_join_element_wise(title, first, pa.scalar("\n", pa.large_string()), null_handling="skip") \
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
class RelevanceIndex:
    """A BM25 text index plus code incidence over a corpus; build with :meth:`build`.

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

    # -- build ---------------------------------------------------------------------------
    @classmethod
    def build(cls, corpus, fields: Sequence[str] = ("title", "abstract", "claims"), *, k1: float = K1,
              b: float = B, stem: bool = True, stopwords: Iterable[str] | bool | None = None,
              workers: int = 1) -> "RelevanceIndex":
        """Index a :class:`patentnav.Corpus` (or a pyarrow Table with its columns).

        The text of ``fields`` is joined per document (missing fields skipped) and tokenised
        with :mod:`patentnav.text` (English rules or jieba for Chinese, per document).
        """
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
        reading = voc.transform(_reading_text(table), binary=True).tocsr()
        out = cls(np.asarray(docs, dtype=object), pd.Index(voc.terms_), W, idf, codes, k1, b, stem, stopwords,
                  tuple(fields), reading=reading)
        out.build_seconds = time.perf_counter() - t0
        return out

    def __len__(self) -> int:
        return len(self.documents)

    # -- query parts ---------------------------------------------------------------------
    def _query_rows(self, features, keywords):
        """Term columns per query row: features, then the keyword row (if any)."""
        rows = []
        for f in features:
            toks = tokenize(f, stem=self.stem, stopwords=self.stopwords) if f else []
            rows.append(toks)
        kw = []
        for k in keywords:
            toks = tokenize(k, stem=self.stem, stopwords=self.stopwords)
            if not toks and k and k.strip():  # a keyword that is a stop word: keep it lower-cased
                toks = [k.strip().lower()]
            kw.extend(toks)
        if kw:
            rows.append(kw)
        cols = []
        for toks in rows:
            c = self.terms.get_indexer(pd.unique(np.asarray(toks, dtype=object))) if toks else np.zeros(0, np.int64)
            cols.append(np.unique(c[c >= 0]))
        return cols, bool(kw)

    def reads_on(self, rows: np.ndarray, features: Sequence[str], keywords: Sequence[str] = ()) -> np.ndarray:
        """How much of each document's claimed subject matter the product's text contains: for
        the documents ``rows`` (corpus positions), the idf-weighted share of the distinct
        terms of the document's *reading text* (title + first claim, the broadest claim as a
        rule; title + abstract without claims) that occur anywhere in the query (features and
        keywords)::

            reads_on(d) = sum_{t in d, t in query} idf(t) / (sum_{t in d} idf(t) + m)

        with ``m =`` :data:`SHORT_TEXT_PRIOR` times the median idf of the vocabulary: a
        pseudo-mass of two unmatched typical terms, so that a three-word title ("Unmanned
        aerial vehicle") cannot by itself prove that a patent reads on the product, while a
        full claim set is barely affected. It follows the all-elements rule of infringement (a claim reads on a product when
        every element of the claim is found in the product) with terms as elements: 1 means
        every informative term of the patent's first claim occurs in the product
        description. Absolute (not relative to the best document), in [0, 1].
        """
        rows = np.asarray(rows, dtype=np.int64)
        if len(rows) == 0:
            return np.zeros(0)
        cols, _ = self._query_rows(list(features), list(keywords))
        allc = np.unique(np.concatenate(cols)) if cols else np.zeros(0, np.int64)
        present = (self.reading if self.reading is not None else self.weights)[rows].tocsr()
        present.data = np.ones_like(present.data)
        total = np.asarray(present @ self.idf).ravel()
        if len(allc) == 0:
            return np.zeros(len(rows))
        inside = np.zeros(len(self.idf))
        inside[allc] = self.idf[allc]
        overlap = np.asarray(present @ inside).ravel()
        total = total + SHORT_TEXT_PRIOR * float(np.median(self.idf)) if len(self.idf) else total
        return np.divide(overlap, total, out=np.zeros(len(rows)), where=total > 0)

    def relevance_of(self, rows: np.ndarray, features: Sequence[str], keywords: Sequence[str] = (),
                     codes: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(reads_on, code_agreement, relevance)`` of the documents ``rows`` (corpus
        positions) for a product, vectorised, without ranking the corpus: the absolute
        relevance of :meth:`query` (``reads_on * (1 - a + a * code_agreement)`` with
        ``a =`` :data:`CODE_AGREEMENT`; one part alone when the other is absent)."""
        rows = np.asarray(rows, dtype=np.int64)
        cols, _ = self._query_rows(list(features), list(keywords))
        has_text = any(len(c) for c in cols)
        has_codes = any(self._query_codes(codes).values())
        ro = self.reads_on(rows, features, keywords) if has_text else np.zeros(len(rows))
        agree = self.code_agreement(rows, codes) if has_codes else np.zeros(len(rows))
        if has_text and has_codes:
            return ro, agree, ro * ((1.0 - CODE_AGREEMENT) + CODE_AGREEMENT * agree)
        return ro, agree, (ro if has_text else agree)

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

    def text_scores(self, features: Sequence[str], keywords: Sequence[str] = ()) -> tuple[np.ndarray, np.ndarray, list]:
        """Raw BM25 score of every document for every query row (documents x rows, dense),
        the normalised text score, and the term columns of each row."""
        cols, _ = self._query_rows(features, keywords)
        n = len(self.documents)
        allc = np.unique(np.concatenate(cols)) if cols else np.zeros(0, np.int64)
        if len(allc) == 0:
            return np.zeros((n, len(cols))), np.zeros(n), cols
        sub = self.weights[:, allc]  # csc column slice: O(nnz of the query's columns)
        pos = {c: i for i, c in enumerate(allc.tolist())}
        qr = np.concatenate([[pos[c] for c in cc] for cc in cols if len(cc)] or [[]]).astype(np.int64)
        qc = np.concatenate([np.full(len(cc), j) for j, cc in enumerate(cols)]).astype(np.int64)
        Q = sp.csr_matrix((np.ones(len(qr)), (qr, qc)), shape=(len(allc), len(cols)))
        S = np.asarray((sub @ Q).todense())  # documents x rows
        mx = S.max(axis=0) if n else np.zeros(len(cols))
        live = mx > 0
        nonempty = np.array([len(cc) > 0 for cc in cols])
        denom = max(int(nonempty.sum()), 1)
        text = (S[:, live] / mx[live]).sum(axis=1) / denom if live.any() else np.zeros(n)
        return S, text, cols

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

    # -- query ---------------------------------------------------------------------------
    def query(self, features: Sequence[str] | str, keywords: Sequence[str] = (), codes: Sequence[str] = (),
              top: int = 50, text_weight: float = 0.7, rank_by: str = "score") -> pd.DataFrame:
        """The ``top`` documents most relevant to a product.

        Parameters
        ----------
        features : list of str
            Product features, one sentence each (a single string is one feature).
        keywords : list of str
            Extra terms, scored together as one more query row (use both languages).
        codes : list of str
            IPC/CPC codes of the product.
        top : int
        text_weight : float in [0, 1]
            Weight of the text score when the query has both text and codes.
        rank_by : {"score", "relevance"}
            ``score``: the BM25 + code ranking score (retrieval); ``relevance``: the absolute
            relevance (what the risk score uses), computed for every document with sparse
            products, ties broken by score. Only documents with a positive value are returned.

        Returns
        -------
        pandas.DataFrame with columns publication_number, text_score, code_score, score (the
        ranking score, relative to the best document), reads_on (idf-weighted share of the
        document's terms found in the product text, see :meth:`reads_on`), relevance
        code_agreement (see :meth:`code_agreement`), relevance (absolute, the input of the
        risk score: ``reads_on * (1 - a + a * code_agreement)`` with ``a =``
        :data:`CODE_AGREEMENT` when the query has codes, else ``reads_on``; the code agreement
        alone for a codes-only query), matched_terms (list of str, all rows), matched_features (list of (feature index,
        [terms]); index -1 is the keyword row), matched_codes (list of str: for each query
        code the deepest of its subgroup / main group / subclass the document carries).
        Documents with score 0 are left out; ties are broken by corpus order.
        """
        if isinstance(features, str):
            features = [features]
        features, keywords, codes = list(features), list(keywords), list(codes)
        if not 0.0 <= text_weight <= 1.0:
            raise ValueError("text_weight must be in [0, 1]")
        n = len(self.documents)
        S, text, cols = self.text_scores(features, keywords)
        has_text = any(len(c) for c in cols)
        per = self._query_codes(codes)
        has_codes = any(per.values())
        code = self.code_scores(codes) if has_codes else np.zeros(n)
        if has_text and has_codes:
            score = text_weight * text + (1.0 - text_weight) * code
        else:
            score = text if has_text else code
        if rank_by not in ("score", "relevance"):
            raise ValueError("rank_by must be 'score' or 'relevance'")
        key = score
        if rank_by == "relevance":
            key = self.relevance_of(np.arange(n), features, keywords, codes)[2]
        k = int(min(top, int((key > 0).sum())))
        if k <= 0:
            return pd.DataFrame({c: pd.Series(dtype=object) for c in _COLUMNS})
        cand = np.argpartition(-key, k - 1)[:k] if k < n else np.arange(n)
        order = cand[np.lexsort((cand, -score[cand], -key[cand]))]
        # explanations for the top documents only
        kw_row = len(cols) - 1 if len(cols) > len(features) else None
        allc = np.unique(np.concatenate(cols)) if cols else np.zeros(0, np.int64)
        hits = self.weights[:, allc][order].tocsr() if len(allc) else None
        terms_arr = np.asarray(self.terms, dtype=object)
        m_terms, m_feats = [], []
        for i in range(len(order)):
            if hits is None:
                m_terms.append([]); m_feats.append([])  # noqa: E702
                continue
            present = set(allc[hits.indices[hits.indptr[i]:hits.indptr[i + 1]]].tolist())
            m_terms.append(sorted(terms_arr[list(present)].tolist()) if present else [])
            fl = []
            for j, cc in enumerate(cols):
                got = [c for c in cc.tolist() if c in present]
                if got:
                    fl.append((-1 if j == kw_row else j, sorted(terms_arr[got].tolist())))
            m_feats.append(fl)
        m_codes = self._matched_codes(order, codes) if has_codes else [[] for _ in order]
        ro, agree, absolute = self.relevance_of(order, features, keywords, codes)
        return pd.DataFrame({
            "publication_number": self.documents[order],
            "text_score": text[order],
            "code_score": code[order],
            "score": score[order],
            "reads_on": ro,
            "code_agreement": agree,
            "relevance": absolute,
            "matched_terms": m_terms,
            "matched_features": m_feats,
            "matched_codes": m_codes,
        })

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
