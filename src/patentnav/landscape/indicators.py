"""Patent quality indicators after the OECD (Squicciarini, Dernis & Criscuolo 2013).

Reference: Squicciarini, M., H. Dernis and C. Criscuolo (2013), *Measuring Patent Quality:
Indicators of Technological and Economic Value*, OECD Science, Technology and Industry
Working Papers 2013/03, doi:10.1787/5k4522wkw1r8-en. Bias correction of the Herfindahl-type
indices: Hall, B. H., A. B. Jaffe and M. Trajtenberg (2001), *The NBER Patent Citation
Data File*, NBER WP 8498, and Hall, B. H. (2005), *A note on the bias in Herfindahl-type
measures based on count data* (first published as an appendix to ch. 13 of Jaffe and
Trajtenberg 2002, *Patents, Citations and Innovations*).

Every formula, the date and window conventions, the cohort rule and the missing-data rule
are in ``docs/methods.md``. In short:

* raw indicators per document (:func:`quality_indicators`): in-corpus forward citations in
  a 5-year window, the source's own forward-citation count (all years, worldwide, kept
  apart), backward citations, family size, patent scope, claims, generality and
  originality (bias-corrected), grant lag;
* :func:`normalise_by_cohort`: each indicator divided by its cohort (filing year x WIPO
  technology field) mean (default of the composite: 1 = the cohort average, unbounded above,
  the fixed-effects rescaling of Hall, Jaffe & Trajtenberg 2001) or by its cohort maximum
  (the OECD 2013 convention, capped at 1);
* :func:`composite_index`: the mean of the normalised components that are available
  ("quality index 4": forward citations, family size, claims, generality);
* :func:`key_patents`: the documents ranked by that index, with their components.

**Null is unknown, never zero**: an indicator whose input the corpus does not carry is null
for every document, and ``DataFrame.attrs["availability"]`` says why, with counts.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from .citations import CitationGraph, _window_counts, citation_graph, listing_documents
from .mainpath import _strictly_increasing
from .incidence import code_incidence

__all__ = [
    "QUALITY_INDEX_4",
    "QUALITY_INDEX_6",
    "INDICATORS",
    "COLUMN_DOCS",
    "quality_indicators",
    "herfindahl_diversity",
    "cohorts",
    "COMPOSITE_METHOD",
    "normalise_by_cohort",
    "composite_index",
    "quality_table",
    "key_patents",
    "availability_table",
    "REPORT_COLUMNS",
]

#: Components of the OECD "quality index 4" (Squicciarini et al. 2013, section on the
#: composite index): forward citations (5 years), family size, claims, generality.
QUALITY_INDEX_4: tuple[str, ...] = ("forward_citations_5y", "family_size", "claims", "generality")
#: "Quality index 6": index 4 plus backward citations and grant lag (shorter lag scores higher).
QUALITY_INDEX_6: tuple[str, ...] = QUALITY_INDEX_4 + ("backward_citations", "grant_lag")

#: Indicator columns that can be normalised and combined.
INDICATORS: tuple[str, ...] = (
    "forward_citations_5y", "forward_citations_source", "backward_citations", "family_size",
    "patent_scope", "claims", "generality", "originality", "grant_lag",
)

COLUMN_DOCS: dict[str, str] = {
    "forward_citations_5y": "In-corpus forward citations: corpus documents citing this one, published within 5 years "
                            "after its publication date (window end included).",
    "forward_window_complete": "The 5-year window ends on or before the latest publication date in the corpus.",
    "forward_citations_source": "Forward citations as counted by the data source: source count, all years, worldwide "
                                "(not windowed, not restricted to this corpus; e.g. Lens 'Cited by Patent Count').",
    "backward_citations": "Backward citations: distinct entries of cited_publications (patent references only).",
    "family_size": "Family size as given by the source (family_size column: simple family, number of members).",
    "patent_scope": "Patent scope: number of distinct IPC subclasses (4 characters, e.g. B64C).",
    "claims": "Number of claims (claims_count).",
    "generality": "Generality, bias-corrected: (1 - sum_j s_j^2) * N/(N-1), s_j the share of IPC subclass j among "
                  "the N in-corpus citing documents with IPC codes; null for N < 2.",
    "generality_uncorrected": "Generality without correction: 1 - sum_j s_j^2; null for N = 0.",
    "generality_n": "N for generality: in-corpus citing documents with IPC codes.",
    "originality": "Originality, bias-corrected, as generality over the in-corpus cited documents; null for N < 2.",
    "originality_uncorrected": "Originality without correction; null for N = 0.",
    "originality_n": "N for originality: in-corpus cited documents with IPC codes.",
    "grant_lag": "Grant lag in years: (grant_date - filing_date) / 365.25 days; null without both dates.",
    "cohort_year": "Filing year (the OECD cohort year).",
    "cohort_field": "WIPO technology field (Schmoch 2008) of the first IPC code that has one (or IPC section).",
    "cohort_size": "Documents in the cohort (same cohort_year and cohort_field, nulls forming their own cohort).",
}

_COUNT = "{k:,} of {n:,} documents"


def _valid_count(a) -> int:
    return int(len(a) - a.null_count)


def _publication_index(pub) -> pd.Index:
    """``pd.Index(pub.to_numpy(), name="publication_number")``, without the Python strings
    when every number is given (the same ``str`` index)."""
    if len(pub) and not pub.null_count:
        arr = pub.combine_chunks() if isinstance(pub, pa.ChunkedArray) else pub  # one chunk, as from numpy
        return pd.Index(pd.array(arr, dtype="str"), name="publication_number")
    return pd.Index(pub.to_numpy(), name="publication_number")


def herfindahl_diversity(a: sp.spmatrix, classes: sp.spmatrix) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``1 - sum_j s_ij^2`` over the classes of the documents linked to each row, with Hall's correction.

    Parameters
    ----------
    a : sparse (n_rows x n_docs)
        ``a[i, k] = 1`` when document ``k`` is linked to row ``i`` (for generality, the
        citation matrix ``A[cited, citing]``; for originality its transpose).
    classes : sparse (n_docs x n_classes)
        Binary document x class incidence. A document in several classes spreads a weight
        of 1 equally over them (fractional counting), so shares sum to 1 and ``N`` is the
        number of linked documents that have a class.

    Returns
    -------
    corrected, uncorrected, n : numpy arrays
        ``uncorrected = 1 - ||row-normalised (a @ X_frac)||^2`` (NaN where ``N = 0``);
        ``corrected = uncorrected * N / (N - 1)`` (NaN where ``N < 2``); ``n = N``.
    """
    return _diversity(a, *_fractional_classes(classes))


def _fractional_classes(classes: sp.spmatrix) -> tuple[sp.csr_matrix, np.ndarray]:
    """``X_frac`` (each document's row of ``classes`` divided by its row sum) and whether
    each document has a class: the part of :func:`herfindahl_diversity` shared by
    generality and originality, made once."""
    x = sp.csr_matrix(classes, dtype=np.float64)
    per_doc = np.asarray(x.sum(axis=1)).ravel()
    inv = np.divide(1.0, per_doc, out=np.zeros_like(per_doc), where=per_doc > 0)
    return sp.diags(inv) @ x, (per_doc > 0).astype(np.float64)


def _diversity(a: sp.spmatrix, xf: sp.csr_matrix, has_class: np.ndarray, block: int = 1 << 20):
    """:func:`herfindahl_diversity` from :func:`_fractional_classes`.

    The product ``a @ xf`` is made for about ``block`` entries of ``a`` at a time, ``a``'s
    values as float64 (its rows only ever meet in the sums of squares, row by row): the
    numbers of the whole product, with a block's entries in memory instead of every row's
    (:func:`_row_sums_of_squares_blocks`); ``a`` may hold its values in a smaller type."""
    a = sp.csr_matrix(a)
    n = _linked_counts(a, has_class, block)
    sumsq = _row_sums_of_squares_blocks(a, xf, block)
    with np.errstate(divide="ignore", invalid="ignore"):
        unc = np.where(n > 0, 1.0 - sumsq / np.square(n), np.nan)
        cor = np.where(n > 1, unc * n / (n - 1.0), np.nan)
    unc = np.where(np.abs(unc) < 1e-12, 0.0, unc)
    cor = np.where(np.abs(cor) < 1e-12, 0.0, cor)
    return cor, unc, n.astype(np.int64)


def _row_blocks(a: sp.csr_matrix, block: int):
    """``(i, j, a[i:j] with float64 values)``: consecutive rows of about ``block`` entries
    each (at least one row); the whole matrix in one block when it has no more."""
    rows = a.shape[0]
    if a.nnz <= block:
        yield 0, rows, sp.csr_matrix(a, dtype=np.float64)
        return
    cuts = np.searchsorted(a.indptr, np.arange(block, a.nnz, block), side="left")
    bounds = np.unique(np.concatenate([[0], np.clip(cuts, 1, rows), [rows]]))
    for i, j in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        yield i, j, sp.csr_matrix(a[i:j], dtype=np.float64)


def _linked_counts(a: sp.csr_matrix, has_class: np.ndarray, block: int = 1 << 20) -> np.ndarray:
    """``a @ has_class`` (float64) block by block (:func:`_row_blocks`): each row's sum is
    that row's alone. The documents linked to each row that have a class, an exact count."""
    out = np.zeros(a.shape[0], dtype=np.float64)
    for i, j, b in _row_blocks(a, block):
        out[i:j] = b @ has_class
    return out


def _linked_counts_t(a: sp.csr_matrix, has_class: np.ndarray, block: int = 1 << 20) -> np.ndarray:
    """``a.T @ has_class`` (float64) for ``a`` with small integer values and ``has_class`` of
    0 and 1: integer sums, exact in any order, added per block of rows without converting
    ``a`` whole (scipy would make a float64 copy of every value)."""
    out = np.zeros(a.shape[1], dtype=np.float64)
    for i, j, b in _row_blocks(a, block):
        w = np.repeat(has_class[i:j], np.diff(b.indptr)) * b.data
        out += np.bincount(b.indices, weights=w, minlength=a.shape[1])
    return out


def _row_sums_of_squares_blocks(a: sp.csr_matrix, xf: sp.csr_matrix, block: int) -> np.ndarray:
    """``_row_sums_of_squares(a @ xf)`` (``a``'s values as float64), the product made for
    about ``block`` entries of ``a`` at a time (:func:`_row_blocks`).

    scipy's product computes each row from that row of ``a`` alone (the same entries, in the
    same order, whatever rows come with it). :func:`_row_sums_of_squares` sums each row
    forwards or backwards depending on whether *every* row of the whole product is sorted:
    both sums are kept per block, and the whole product's case picks one at the end."""
    rows = a.shape[0]
    if a.nnz <= block:
        return _row_sums_of_squares(sp.csr_matrix(a, dtype=np.float64) @ xf)
    forward, backward = np.zeros(rows), np.zeros(rows)
    canonical = True
    for i, j, b in _row_blocks(a, block):
        m = b @ xf
        del b
        c, fw, bw = _row_sums_of_squares_both(m)
        canonical &= c
        forward[i:j], backward[i:j] = fw, bw
        del m
    return forward if canonical else backward


def _row_sums_of_squares(m: sp.csr_matrix) -> np.ndarray:
    """``m.multiply(m).sum(axis=1)`` as a flat array, bit for bit, without the product's
    temporaries (scipy's element-wise product allocates twice ``m``'s entries). The product
    keeps ``m``'s order within every row when all rows are sorted (scipy's canonical branch),
    else lists each row backwards (its general branch); the row sums are the same
    ``np.add.reduceat`` over that order. ``m`` has no explicit zeros (a product's output), so the
    product drops none. ``m``'s values are squared in place."""
    canonical, forward, backward = _row_sums_of_squares_both(m, both=False)
    return forward if canonical else backward


def _row_sums_of_squares_both(m: sp.csr_matrix, both: bool = True) -> tuple[bool, np.ndarray | None, np.ndarray | None]:
    """(canonical, forward, backward): whether every row of ``m`` is sorted, and the row sums
    of the squared entries of :func:`_row_sums_of_squares` in either order (each row summed
    in stored order, or backwards); without ``both`` only the one ``canonical`` picks (the
    other None). ``m``'s values are squared in place."""
    d, indptr = m.data, m.indptr
    if d.size == 0:
        return True, np.zeros(m.shape[0], dtype=np.float64), np.zeros(m.shape[0], dtype=np.float64)
    np.multiply(d, d, out=d)
    rows = np.flatnonzero(np.diff(indptr))
    cols = m.indices
    inner = np.ones(cols.size, dtype=bool)
    inner[indptr[1:-1][indptr[1:-1] < cols.size]] = False  # first entry of every row but the first
    inner[0] = False
    canonical = bool((cols[1:] > cols[:-1])[inner[1:]].all())
    forward = backward = None
    if canonical or both:
        forward = np.zeros(m.shape[0], dtype=np.float64)
        forward[rows] = np.add.reduceat(d, indptr[rows])
    if not canonical or both:  # each row backwards: the whole array reversed, rows then come last first
        backward = np.zeros(m.shape[0], dtype=np.float64)
        starts = d.size - indptr[rows[::-1] + 1]
        backward[rows] = np.add.reduceat(d[::-1], starts)[::-1]
    return canonical, forward, backward


def _own(values):
    """``values`` not shared with the frame it came from: a NumPy array is copied, as a column
    assignment copies it (that frame can go while the column stays); an Arrow-backed array
    is immutable and shared as it is."""
    return values.copy() if isinstance(values, np.ndarray) else values


def _plain(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without its ``attrs``, sharing its columns (no copy): pandas deep-copies a
    frame's ``attrs`` into every column or slice it hands out, and the notes of a quality
    table cost more to copy than a sample's column costs to read."""
    return pd.DataFrame(df) if df.attrs else df


def cohorts(corpus, field: str | None = "wipo") -> pd.DataFrame:
    """Cohort of each document: ``cohort_year`` (filing year), ``cohort_field``, ``cohort_size``.

    Parameters
    ----------
    field : {"wipo", "section", None}
        ``"wipo"``: the WIPO technology field (35 fields, Schmoch 2008; the English field
        name) of the first code in ``ipc`` that has one, the convention of the OECD
        indicators; ``"section"``: the IPC section of the first code; None: one field.
        Documents without such a code have a null field and form their own cohort per year.
    """
    year, fld, size = _cohort_columns(corpus, field)
    out = pd.DataFrame({"cohort_year": year, "cohort_field": fld}, index=_publication_index(corpus["publication_number"]))
    out["cohort_size"] = size
    return out


def _cohort_columns(corpus, field: str | None) -> tuple[pd.api.extensions.ExtensionArray, object, np.ndarray]:
    """:func:`cohorts` as arrays: filing year (``Int64``), field (:func:`_labels`) and cohort
    size. Fields are integer codes until the end: the rule runs once per
    distinct IPC code, the first code with a field is found on the codes, and the cohort
    sizes are one ``np.bincount`` over (year, field) codes."""
    years = pc.year(corpus["filing_date"])
    year = pd.array(years.to_pandas().astype("Int64").to_numpy(), dtype="Int64")
    n = len(year)
    if field is None:
        names, code = np.array(["all"], dtype=object), np.zeros(n, dtype=np.int64)
    elif field in ("wipo", "section"):
        names, code = _first_field(corpus["ipc"], field)
    else:
        raise ValueError(f"field must be 'wipo', 'section' or None, not {field!r}")
    fld = _labels(names, code)
    if not n:
        return year, fld, np.zeros(0, dtype=np.int64)
    ok = ~year.isna()
    y = year.to_numpy(dtype=np.int64, na_value=0)
    y = np.where(ok, y - (y[ok].min() if ok.any() else 0) + 1, 0)  # 0: no year, a value of its own
    ids = y * (len(names) + 1) + code + 1
    return year, fld, np.bincount(ids)[ids]


def _labels(names: np.ndarray, code: np.ndarray):
    """``names[code]`` (None for code -1) as pandas infers a column from those strings: ``str``
    when any is given (built in Arrow, not from a million Python strings), else object."""
    if not (code >= 0).any():
        return np.full(len(code), None, dtype=object)
    table = pa.array(list(names) + [None], pa.large_string())
    return pd.array(table.take(np.where(code < 0, len(names), code)), dtype="str")


def _wipo_names(codes: pa.Array) -> np.ndarray:
    """The English WIPO field name (None: none) of each of the distinct ``codes``, as
    ``wipo_field(code).field_en``, with the rule run once per main group: a code in the
    canonical spelling (:func:`patentnav.classify.ipc.normalize_ipc_array`'s RE2 pattern)
    parses to its first four characters and the number before the slash, and the
    concordance's prefixes are subclasses and main groups (:mod:`patentnav.classify.wipo`),
    so its field is that of the first code of its main group; any other spelling is looked
    up on its own."""
    from ..classify.ipc import _CANONICAL_RE2
    from ..classify.wipo import wipo_field

    canonical = pc.match_substring_regex(codes, _CANONICAL_RE2).fill_null(False)
    prefix = pc.list_element(pc.split_pattern(codes, "/", max_splits=1), 0)  # subclass and main group
    key = pc.if_else(canonical, prefix, pc.binary_join_element_wise("\x00", codes, ""))  # no prefix is another spelling
    enc = pc.dictionary_encode(key)
    idx = enc.indices.to_numpy(zero_copy_only=False)
    _, first = np.unique(idx, return_index=True)  # every key occurs: one first code per key, in key order
    reps = codes.take(pa.array(first)).to_pylist()
    names = np.array([None if w is None else w.field_en for w in (wipo_field(c) if c else None for c in reps)], dtype=object)
    return names[idx]


def _first_field(ipc, field: str) -> tuple[np.ndarray, np.ndarray]:
    """Distinct field names and, per row of the ``ipc`` lists, the code (index into the
    names) of the field of its first IPC code that has one (-1: none)."""
    lists = ipc.combine_chunks() if isinstance(ipc, pa.ChunkedArray) else ipc
    n = len(lists)
    enc = pc.dictionary_encode(pc.list_flatten(lists).cast(pa.string()))
    if field == "wipo":
        values = _wipo_names(enc.dictionary)
    else:
        values = np.array([c[0] if c else None for c in enc.dictionary.to_pylist()], dtype=object)
    per_code, names = pd.factorize(values)
    f = np.append(per_code, -1)[pc.fill_null(enc.indices, -1).to_numpy()]  # a null code has no field
    ok = f >= 0
    p = pc.list_parent_indices(lists).to_numpy()[ok]  # ascending: a row's first code starts its run
    code = np.full(n, -1, dtype=np.int64)
    if len(p):
        first = np.flatnonzero(np.r_[True, p[1:] != p[:-1]])
        code[p[first]] = f[ok][first]
    return np.asarray(names, dtype=object), code


def quality_indicators(corpus, window: int = 5, field: str | None = "wipo",
                       graph: CitationGraph | None = None, level: str = "subclass") -> pd.DataFrame:
    """Raw quality indicators per document, keyed by ``publication_number``.

    Parameters
    ----------
    corpus : Corpus
    window : int, default 5
        Years of the forward-citation window (column ``forward_citations_{window}y``).
    field : {"wipo", "section", None}
        Cohort field (see :func:`cohorts`).
    graph : CitationGraph, optional
        The document-level :func:`patentnav.landscape.citations.citation_graph` of the
        corpus, when already built.
    level : str, default "subclass"
        IPC level of patent scope, generality and originality (the OECD uses 4-character
        subclasses).

    Returns
    -------
    pandas.DataFrame
        Columns: see :data:`COLUMN_DOCS`. ``attrs["availability"]`` maps each indicator to
        a note ("claims: no claims in this corpus (0 of 9,071 documents have
        claims_count)"); ``attrs["available"]`` to a bool; ``attrs["graph"]`` has the
        citation graph's summary.
    """
    return _quality_indicators(corpus, window, field, graph, level)


def _quality_indicators(corpus, window: int, field: str | None, graph: CitationGraph | None, level: str,
                        diversity: Sequence[str] = ("generality", "originality"),
                        keep: set | None = None) -> pd.DataFrame:
    """:func:`quality_indicators`; with ``keep``, the columns not in it are dropped as soon as
    their notes and availability are known (the same attrs, the other columns in the same
    order); of generality and originality only those in ``diversity``
    are computed (the other's columns are left out; its note and availability come from
    its ``N``, which needs no matrix product)."""
    n = len(corpus)
    t = corpus.table
    if graph is None:
        graph = citation_graph(corpus)
    if graph.level != "document" or graph.n != n:
        raise ValueError("graph must be the document-level citation graph of this corpus")
    fwd_col = f"forward_citations_{window}y"
    # the cohorts first: their IPC temporaries come and go before the citation matrix products
    year, fld, size = _cohort_columns(corpus, field)
    idx = _publication_index(t["publication_number"])
    out: dict[str, object] = {}  # the columns, made a frame once at the end (inserting them one by one costs more)
    notes: dict[str, str] = {}
    # kept by the graph when the report has let the column go (CitationGraph.forget_references)
    has_refs = graph.listing if graph.listing is not None else listing_documents(t["cited_publications"])
    n_citing_docs = int(has_refs.sum())
    no_refs = f"no backward citations in this corpus (0 of {n:,} documents have cited_publications)"

    # forward citations in the window (in-corpus) and the source's count
    fw = _window_counts(corpus, window, graph, "publication_date")  # windowed_forward_citations without its frame
    out[fwd_col] = fw.forward_window.to_numpy()
    out["forward_window_complete"] = fw.complete
    if not graph.has_citation_data:
        notes[fwd_col] = (f"{fwd_col}: no citation data in this corpus (0 of {n:,} documents have "
                          "cited_publications), so in-corpus forward citations cannot be observed")
    else:
        k = _valid_count(pa.array(out[fwd_col], from_pandas=True))
        incomplete = int((~pd.Series(fw.complete).fillna(False).to_numpy(dtype=bool)).sum())
        notes[fwd_col] = (f"{fwd_col}: {len(graph.src):,} in-corpus citation arcs from the {n_citing_docs:,} of {n:,} "
                          f"documents that list cited_publications; counted for {k:,} documents (dated); "
                          f"window not complete for {incomplete:,} documents (published less than {window} years "
                          "before the latest publication in the corpus); citations from outside the corpus are "
                          "not seen")
    src_fc = t["forward_citations"]
    out["forward_citations_source"] = src_fc.to_pandas().astype("Int64").to_numpy()
    k = _valid_count(src_fc)
    notes["forward_citations_source"] = (
        f"forward_citations_source (source count, all years, worldwide): given for {_COUNT.format(k=k, n=n)}"
        if k else f"forward_citations_source: not given by the source (0 of {n:,} documents have forward_citations)")

    # backward citations: unknown (null) for documents whose source file lists no citation at all
    back = pd.array(graph.n_references, dtype="Int64")
    sf = pc.dictionary_encode(pc.fill_null(t["source_file"], "").combine_chunks()).indices.to_numpy()
    file_has = (np.bincount(sf, weights=has_refs, minlength=1) > 0)[sf]
    back[~file_has] = pd.NA
    out["backward_citations"] = back
    if n_citing_docs == 0:
        notes["backward_citations"] = f"backward_citations: {no_refs}"
    else:
        unknown = int((~file_has).sum())
        notes["backward_citations"] = (
            f"backward_citations: {_COUNT.format(k=n_citing_docs, n=n)} have cited_publications"
            + (f"; null for {unknown:,} documents from source files that list no citations" if unknown else
               "; an empty list counts 0"))

    # family size, claims
    fs = t["family_size"]
    out["family_size"] = fs.to_pandas().astype("Int64").to_numpy()
    k = _valid_count(fs)
    notes["family_size"] = (f"family_size: given for {_COUNT.format(k=k, n=n)} (simple family members, as the "
                            "source counts them)" if k else
                            f"family_size: not given by the source (0 of {n:,} documents have family_size)")
    cc = t["claims_count"]
    out["claims"] = cc.to_pandas().astype("Int64").to_numpy()
    k = _valid_count(cc)
    notes["claims"] = (f"claims: given for {_COUNT.format(k=k, n=n)}" if k else
                       f"claims: no claims in this corpus (0 of {n:,} documents have claims_count)")

    # IPC-based: scope, generality, originality
    inc = code_incidence(corpus, "ipc", level)
    x = inc.matrix
    n_classes = np.asarray(x.sum(axis=1)).ravel().astype(np.int64)
    scope = pd.array(n_classes, dtype="Int64")
    scope[n_classes == 0] = pd.NA
    out["patent_scope"] = scope
    k = int((n_classes > 0).sum())
    notes["patent_scope"] = (f"patent_scope: IPC codes for {_COUNT.format(k=k, n=n)}; null where none is given" if k
                             else f"patent_scope: no IPC codes in this corpus (0 of {n:,} documents have ipc)")

    # graph.matrix: 1 per arc (int8 for unique arcs, converted to float block by block in the products)
    a = graph._csr(np.int8 if _strictly_increasing(graph.src, graph.dst) else np.float64)
    frac = _fractional_classes(x)
    skipped = {}  # an index not computed: whether it would be defined for any document (N >= 2)
    for name, linked in (("generality", "citing"), ("originality", "cited")):
        if name in diversity:
            cor, unc, nn = _diversity(a if name == "generality" else a.T.tocsr(), *frac)
            out[name] = cor
            out[f"{name}_uncorrected"] = unc
            out[f"{name}_n"] = pd.array(nn, dtype="Int64")
        else:  # N only, for the note
            nn = (_linked_counts(a, frac[1]) if name == "generality" else _linked_counts_t(a, frac[1])).astype(np.int64)
            skipped[name] = bool(graph.has_citation_data and (nn >= 2).any())
        if not graph.has_citation_data:
            for c in (name, f"{name}_uncorrected", f"{name}_n"):
                if name in diversity:
                    out[c] = _all_null_int(n) if c.endswith("_n") else np.full(n, np.nan)
            notes[name] = f"{name}: {no_refs}"
        else:
            k2 = int((nn >= 2).sum())
            notes[name] = (f"{name}: bias-corrected value defined for {_COUNT.format(k=k2, n=n)} (>= 2 in-corpus "
                           f"{linked} documents with IPC codes; {len(graph.src):,} in-corpus arcs"
                           + (f", {int(graph.n_external.sum()):,} references leave the corpus and carry no "
                              "classification" if name == "originality" else "") + ")")
    del a, frac  # the citation matrix and the class shares: not needed below
    early = {}  # availability of the indicators dropped here (not kept)
    for c in [c for c in out if keep is not None and c not in keep]:
        if c in (fwd_col,) + INDICATORS[1:] and c not in skipped:
            early[c] = bool(pd.notna(out[c]).any())
        del out[c]

    # grant lag
    g = pc.days_between(t["filing_date"], t["grant_date"]).to_pandas().astype("float64")
    neg = int((g < 0).sum())
    g[g < 0] = np.nan
    out["grant_lag"] = (g / 365.25).to_numpy()
    k = int(g.notna().sum())
    notes["grant_lag"] = ((f"grant_lag: filing and grant dates for {_COUNT.format(k=k, n=n)}"
                           + (f"; {neg:,} negative lags (grant before filing) set to null" if neg else ""))
                          if k else f"grant_lag: no document has both grant_date and filing_date (0 of {n:,})")

    out["cohort_year"] = year.to_numpy()
    out["cohort_field"] = fld
    out["cohort_size"] = size

    available = {c: skipped[c] if c in skipped else early[c] if c in early else bool(pd.notna(out[c]).any())
                 for c in (fwd_col,) + INDICATORS[1:]}
    frame = pd.DataFrame(out, index=idx, copy=False)  # the arrays are the function's own: not copied
    frame.attrs["availability"] = notes
    frame.attrs["available"] = available
    frame.attrs["window"] = window
    frame.attrs["graph"] = graph.summary
    return frame


def _all_null_int(n: int) -> pd.arrays.IntegerArray:
    """``Int64`` nulls: an indicator's count where the corpus has no citation data."""
    return pd.arrays.IntegerArray(np.zeros(n, dtype=np.int64), np.ones(n, dtype=bool))


def availability_table(indicators: pd.DataFrame) -> pd.DataFrame:
    """``indicator``, ``available``, ``documents`` (non-null), ``note`` from :func:`quality_indicators`."""
    notes = indicators.attrs.get("availability", {})
    avail = indicators.attrs.get("available", {})
    rows = [{"indicator": k, "available": avail.get(k, bool(indicators[k].notna().any())),
             "documents": int(indicators[k].notna().sum()), "note": notes.get(k, "")} for k in avail]
    return pd.DataFrame(rows)


def normalise_by_cohort(indicators: pd.DataFrame, columns: Sequence[str] | None = None, method: str = "max",
                        by: Sequence[str] = ("cohort_year", "cohort_field")) -> pd.DataFrame:
    """Indicators normalised within cohorts: columns ``<name>_norm``.

    ``method="max"`` (the OECD convention, Squicciarini et al. 2013): value / cohort
    maximum, in [0, 1]; grant lag is reversed, ``1 - lag / cohort maximum``, so that a
    shorter lag scores higher. A cohort whose maximum is 0 gives 0.

    ``method="mean"`` (Hall, Jaffe & Trajtenberg 2001, "fixed-effects" rescaling; the
    mean-normalised citation score of bibliometrics, Waltman et al. 2011): value / cohort
    mean, so 1 is the cohort average and the scale is not capped (a family three times the
    cohort's average scores 3). A cohort whose mean is 0 (every value 0) gives 1 (each
    equals the average). Grant lag is reversed as ``cohort mean / lag`` (null for a lag of 0).

    Nulls stay null and do not enter the cohort statistic. Cohorts are the ``by`` columns
    (null values form their own cohort).
    """
    if method not in ("max", "mean"):
        raise ValueError(f"method must be 'max' or 'mean', not {method!r}")
    if columns is None:
        columns = _normalised_columns(indicators)
    plain = _plain(indicators)
    values = pd.DataFrame({c: pd.to_numeric(plain[c], errors="coerce").astype("float64") for c in columns},
                          index=indicators.index)
    if by:  # the cohort statistic of every column in one grouped pass over integer cohort codes
        cohort = _cohort_codes(plain, by)
        stats = getattr(values.groupby(cohort), method)().to_numpy()[cohort]
    else:
        stats = np.array([[getattr(values[c], method)() for c in values.columns]])
    col = {c: j for j, c in enumerate(values.columns)}
    cols = {}
    empty = 0.0 if method == "max" else 1.0  # cohort statistic 0: every value is 0
    for c in columns:
        stat, vv = np.broadcast_to(stats[:, col[c]], len(values)), values[c].to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            r = np.where(stat > 0, vv / stat, np.where(np.isnan(vv), np.nan, empty))
        if c == "grant_lag":
            with np.errstate(divide="ignore", invalid="ignore"):
                r = 1.0 - r if method == "max" else np.where(r > 0, 1.0 / r, np.nan)
        cols[f"{c}_norm"] = r
    # made once (inserting columns one by one costs more than computing them)
    out = pd.DataFrame(cols, index=indicators.index, copy=False) if cols else pd.DataFrame(index=indicators.index)
    out.attrs.update(indicators.attrs)
    return out


def _normalised_columns(indicators: pd.DataFrame) -> list[str]:
    """The indicator columns of ``indicators`` that :func:`normalise_by_cohort` normalises by default."""
    return [c for c in indicators.columns if c in INDICATORS or (c.startswith("forward_citations_") and c.endswith("y"))]


def _cohort_codes(df: pd.DataFrame, by: Sequence[str]) -> np.ndarray:
    """One integer per distinct combination of the ``by`` columns, 0 to k - 1 (a null is a
    value of its own): the groups of pandas' ``groupby`` on those columns with nulls kept."""
    ids = np.zeros(len(df), dtype=np.int64)
    for b in by:
        codes, uniques = pd.factorize(df[b])
        ids = ids * (len(uniques) + 1) + np.where(codes < 0, len(uniques), codes)
    return pd.factorize(ids)[0]


def composite_index(normalised: pd.DataFrame, components: Iterable[str] = QUALITY_INDEX_4,
                    available: dict[str, bool] | None = None) -> pd.DataFrame:
    """Composite quality index: mean of the normalised components available.

    A component is used when it is available in the corpus (``available``, default from
    ``normalised.attrs["available"]``, else "has a non-null value"). Per document the index
    is the mean of the used components that are not null for it; ``quality_index_n`` says
    how many entered. ``attrs["components_used"]`` / ``attrs["components_missing"]`` and
    ``attrs["note"]`` say which.
    """
    components = list(components)
    available = available if available is not None else normalised.attrs.get("available", {})
    used, missing = [], []
    for c in components:
        col = f"{c}_norm"
        ok = col in normalised.columns and available.get(c, bool(col in normalised.columns and normalised[col].notna().any()))
        (used if ok else missing).append(c)
    vals = normalised[[f"{c}_norm" for c in used]] if used else pd.DataFrame(index=normalised.index)
    out = pd.DataFrame({
        "quality_index": vals.mean(axis=1, skipna=True) if used else np.nan,
        "quality_index_n": vals.notna().sum(axis=1).astype("int64") if used else 0,
    }, index=normalised.index)
    notes = normalised.attrs.get("availability", {})
    note = "quality_index = mean of " + (", ".join(f"{c}_norm" for c in used) if used else "no component")
    if missing:
        note += "; not available: " + "; ".join(notes.get(c, c) for c in missing)
    out.attrs.update(normalised.attrs)
    out.attrs.update({"components_used": used, "components_missing": missing, "note": note})
    return out


def _default_components(window: int, components):
    if components is None:
        components = QUALITY_INDEX_4
    return tuple(f"forward_citations_{window}y" if c == "forward_citations_5y" else c for c in components)


#: Default normalisation of the composite: cohort mean (1 = the cohort average, not capped).
COMPOSITE_METHOD = "mean"


#: The columns of :func:`quality_table` that the landscape report reads: :func:`key_patents`
#: (default components and window) and :func:`patentnav.quality.document_quality`. The report
#: asks for these only (``columns=``): the others are not kept, originality is not computed.
REPORT_COLUMNS: tuple[str, ...] = (
    "forward_citations_5y", "forward_citations_source", "family_size", "claims", "generality", "grant_lag",
    "cohort_year", "cohort_field", "cohort_size", "forward_citations_5y_norm", "family_size_norm", "claims_norm",
    "generality_norm", "quality_index", "quality_index_n", "claim_length_unit", "total_claims", "independent_claims",
    "dependent_ratio", "first_claim_words", "shortest_independent_claim_words",
)


def quality_table(corpus, components: Iterable[str] | None = None, window: int = 5, field: str | None = "wipo",
                  method: str = COMPOSITE_METHOD, graph: CitationGraph | None = None,
                  columns: Iterable[str] | None = None) -> pd.DataFrame:
    """Raw indicators, cohort-normalised indicators, the composite index and the claim-based
    indicators (:func:`patentnav.landscape.claims.claim_indicators`) in one table.

    ``method``: the normalisation of :func:`normalise_by_cohort`; ``"mean"`` (default: the
    index is in multiples of the cohort average and tells the top documents apart) or
    ``"max"`` (the OECD 2013 scale, capped at 1: every cohort's best document scores 1).
    ``attrs["method"]`` records it.

    ``columns``: keep only these columns (in table order; every note of ``attrs`` stays), and
    compute no more than they and the composite need (e.g. :data:`REPORT_COLUMNS`). Default:
    all.

    Made once per corpus, arguments and ``graph`` (:mod:`patentnav.model.shared`): the
    landscape report's key patents and quality section share one table.
    """
    from ..model.shared import shared

    columns = None if columns is None else tuple(columns)
    key = ("quality_table", None if components is None else tuple(components), window, field, method, id(graph),
           columns)

    def make():
        return _quality_table(corpus, components, window, field, method, graph, columns)

    made = shared(corpus, key, lambda: (graph, make()))
    if made[0] is not graph:  # another graph had this id: compute afresh
        made = (graph, make())
    return made[1].copy(deep=False)  # copy-on-write: a caller's changes stay its own


def _quality_table(corpus, components, window, field, method, graph, columns=None) -> pd.DataFrame:
    comps = _default_components(window, components)
    wanted = None if columns is None else set(columns)

    def normalised(c: str) -> bool:  # kept normalised, or a component of the composite
        return wanted is None or c in comps or f"{c}_norm" in wanted

    diversity = tuple(d for d in ("generality", "originality") if normalised(d)
                      or {d, f"{d}_uncorrected", f"{d}_n"} & wanted)
    # the raw columns the table keeps, normalises or forms its cohorts with
    keep = None if wanted is None else (wanted | set(comps) | {"cohort_year", "cohort_field"}
                                        | {c[:-len("_norm")] for c in wanted if c.endswith("_norm")})
    raw = _quality_indicators(corpus, window, field, graph, "subclass", diversity, keep)
    norm = normalise_by_cohort(raw, columns=[c for c in _normalised_columns(raw) if normalised(c)], method=method)
    comp = composite_index(norm, comps)
    parts = [raw, norm, comp] if wanted is None else [p[[c for c in p.columns if c in wanted]] for p in (raw, norm, comp)]
    out = pd.concat(parts, axis=1)
    out.attrs.update(comp.attrs)
    out.attrs["method"] = method
    del raw, norm, comp, parts  # the columns not kept go before the claim indicators are made
    return _with_claim_indicators(out, corpus, wanted)


def _with_claim_indicators(table: pd.DataFrame, corpus, wanted: set | None = None) -> pd.DataFrame:
    """``table`` (corpus order) with the claim-based indicators of :mod:`.claims` joined
    (those in ``wanted``, when given)."""
    from .claims import _claim_indicators

    ci = _claim_indicators(corpus, numbers=False)  # joined by corpus order: no publication numbers
    plain = _plain(ci)
    new = {c: _own(plain[c].to_numpy()) for c in ci.columns if c != "publication_number" and c not in table.columns
           and (wanted is None or c in wanted)}
    # joined in one step: ``table.assign(**new)`` inserts them one by one (NumPy columns copied, as it copies them)
    out = pd.concat([table, pd.DataFrame(new, index=table.index, copy=False)], axis=1) if new else table.copy(deep=False)
    out.attrs.update(table.attrs)
    out.attrs["availability"] = {**table.attrs.get("availability", {}), **ci.attrs["availability"]}
    return out


def key_patents(corpus, top: int = 20, components: Iterable[str] | None = None, window: int = 5,
                field: str | None = "wipo", graph: CitationGraph | None = None,
                method: str = COMPOSITE_METHOD, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The ``top`` documents by composite quality index, with their components.

    Ranked first by ``quality_index_n``, the number of components that entered the index
    (complete records first: the index skips a component that is null for a document, so
    a document known on one component could otherwise outrank one known on all), then by
    ``quality_index`` (descending; on the default cohort-mean scale, how many times its
    cohort's average the document scores), then by cohort size (a tie among many documents
    before one among few), then by publication
    number. Columns: ``rank``, ``publication_number``, ``title``,
    ``quality_index``, ``quality_index_n``, each used component raw and normalised,
    ``forward_citations_source`` and the cohort. ``attrs["note"]`` says which components
    were used and why others were not. ``table``: the :func:`quality_table` of ``corpus``
    with these ``components``, ``window``, ``field`` and ``method``, when already made (the
    landscape report makes it once for the key patents and the quality section).
    """
    if table is None:
        table = quality_table(corpus, components, window=window, field=field, graph=graph, method=method)
    used = table.attrs["components_used"]
    rows = _top_candidates(table, top)
    df, title = (table, corpus["title"]) if rows is None else (table.iloc[rows], corpus["title"].take(rows))
    # the dtype pandas infers for the whole title column: str when any title is given
    dtype = "str" if corpus["title"].null_count < len(corpus) else None
    df = df.assign(title=pd.Series(title.to_pandas().to_numpy(), index=df.index, dtype=dtype))
    df = df.reset_index()
    df = df.sort_values(["quality_index_n", "quality_index", "cohort_size", "publication_number"],
                        ascending=[False, False, False, True], na_position="last", kind="mergesort")
    df = df.head(top).reset_index(drop=True)
    df.insert(0, "rank", np.arange(1, len(df) + 1))
    cols = ["rank", "publication_number", "title", "quality_index", "quality_index_n"]
    for c in used:
        cols += [c, f"{c}_norm"]
    for c in ("forward_citations_source", "cohort_year", "cohort_field", "cohort_size"):
        if c not in cols:
            cols.append(c)
    out = df[cols]
    out.attrs.update(table.attrs)
    return out


def _top_candidates(table: pd.DataFrame, top: int) -> np.ndarray | None:
    """Positions (ascending) of the rows that can be among the first ``top`` of
    :func:`key_patents`: per ``quality_index_n``, highest first, the rows whose
    ``quality_index`` reaches the ``top``-th highest still needed (ties kept), so that the
    sort, stable in corpus order, runs on a few rows and gives the same head. None (sort
    every row) when ``top`` does not cut the table or ``quality_index_n`` is not finite."""
    k = table["quality_index_n"].to_numpy(dtype=np.float64, na_value=np.nan)
    if not (isinstance(top, (int, np.integer)) and 0 <= top < len(table)) or not np.isfinite(k).all():
        return None
    q = table["quality_index"].to_numpy(dtype=np.float64, na_value=np.nan)
    q = np.where(np.isnan(q), -np.inf, q)  # a null index sorts last
    keep = np.zeros(len(table), dtype=bool)
    need = int(top)
    for v in np.unique(k)[::-1]:
        if need <= 0:
            break
        rows = np.flatnonzero(k == v)
        if len(rows) > need:
            qv = q[rows]
            rows = rows[qv >= np.partition(qv, len(qv) - need)[len(qv) - need]]
        keep[rows] = True
        need -= len(rows)
    return np.flatnonzero(keep)

