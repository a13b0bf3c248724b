"""Citation graphs within a corpus: arcs, windowed forward citations, families,
bibliographic coupling and co-citation. Method: ``docs/methods.md``.

Direction: an arc goes **from the cited document to the citing one** (the direction in
which knowledge flows; main-path analysis reads it that way). ``A[cited, citing] = 1``.

Matching rule (cited references are ``cited_publications``, normalised ``CC-NUMBER[-KIND]``):

1. **exact**: the reference equals a corpus ``publication_number`` (``US-9123456-B2``);
2. otherwise **without kind**: the reference's ``CC-NUMBER`` equals the ``CC-NUMBER`` of
   corpus documents, whatever their kinds (``US-9123456`` or ``US-9123456-A`` ->
   ``US-9123456-B2``; ``EP-1000000`` -> ``EP-1000000-A1`` *and* ``EP-1000000-B1``: one arc to
   each, since both publications carry the cited number);
3. otherwise the reference is **external** (leaves the corpus) and is counted per citing
   document in ``n_external``.

Numbers are compared as written: a US pre-grant publication (``US-20150123456-A1``) and
the grant of the same application (``US-9123456-B2``) have different numbers and do not
match (neither do JP/KR applications and their grants); family aggregation
(:meth:`CitationGraph.to_families`) is the way to join such documents. A reference matching
only the citing document itself is a **self-citation**: dropped from the arcs, counted.
Repeated references and kind variants that resolve to the same arc give one arc.

Everything is vectorised: Arrow ``index_in`` / ``dictionary_encode`` hash each reference string
once, then integer codes only (int32 while they fit): counting sorts through scipy's COO -> CSR
conversion for the distinct references and the arcs, NumPy on arc arrays and scipy.sparse
products; there is no Python loop over documents. The graph keeps no per-reference tables:
family aggregation matches the references again.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import scipy.sparse as sp

from .incidence import incidence
from .mainpath import _grouped, _index_dtype, _strictly_increasing

__all__ = [
    "CitationGraph",
    "WeightedNetwork",
    "citation_graph",
    "kindless",
    "family_keys",
    "windowed_forward_citations",
    "bibliographic_coupling",
    "co_citation",
]

_KINDLESS_RE = r"^([^-]+-[^-]+)-.*$"  # the rule :func:`kindless` applies (RE2 semantics)


def kindless(numbers) -> pa.Array:
    """``CC-NUMBER`` of canonical ``CC-NUMBER[-KIND]`` publication numbers (kind dropped).

    The rule is ``replace_substring_regex(numbers, _KINDLESS_RE, r"\\1")``: a string is cut
    before its second ``-`` when the first ``-`` is not its first character, at least one
    character separates the two, and no line feed follows the second (RE2's ``.`` and ``$``);
    other strings are kept. Computed on the bytes (:func:`_kindless_lengths`; ``-`` and line
    feed are single bytes in UTF-8), not by a regular expression per string.

    >>> kindless(pa.array(["US-9123456-B2", "EP-1000000", None])).to_pylist()
    ['US-9123456', 'EP-1000000', None]
    """
    arr = numbers if isinstance(numbers, (pa.Array, pa.ChunkedArray)) else pa.array(list(numbers), pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    return _cut_strings(arr.cast(pa.string()))


def _string_buffers(arr: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets as int64, data bytes) of a ``string`` array, its slice offset applied: string
    ``i`` is ``data[offsets[i]:offsets[i + 1]]`` (no copy of the data)."""
    bufs = arr.buffers()
    off = np.frombuffer(bufs[1], dtype=np.int32, count=len(arr) + 1, offset=arr.offset * 4).astype(np.int64)
    data = np.frombuffer(bufs[2], dtype=np.uint8) if bufs[2] is not None else np.zeros(0, dtype=np.uint8)
    return off, data


def _kindless_lengths(off: np.ndarray, data: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(cut, end): which strings :func:`kindless` cuts, and their length after it (the byte
    position of the second ``-``, relative to ``off[0]``). Dashes and line feeds are located once
    in the data; each string finds its first two dashes and last line feed by binary search."""
    lo, hi = int(off[0]), int(off[-1])
    seg = data[lo:hi]
    st, en = off[:-1] - lo, off[1:] - lo
    dash = np.flatnonzero(seg == 45)  # "-"
    k = np.searchsorted(dash, st)
    dash = np.append(dash, [hi - lo, hi - lo])  # past every string's end
    d1, d2 = dash[k], dash[k + 1]
    cut = (d1 > st) & (d2 > d1 + 1) & (d2 < en)
    feeds = np.flatnonzero(seg == 10)  # line feeds: RE2's "." does not match them
    if len(feeds):
        last = np.searchsorted(feeds, en) - 1
        cut &= ~((last >= 0) & (feeds[np.maximum(last, 0)] > d2))
    return cut, d2


def _cut_strings(arr: pa.Array) -> pa.Array:
    """:func:`kindless` of a ``string`` array: the kept bytes of every string (a byte mask from
    a difference array of the cut ranges, which do not touch) and new offsets."""
    n = len(arr)
    if n == 0:
        return arr
    off, data = _string_buffers(arr)
    cut, d2 = _kindless_lengths(off, data)
    if arr.null_count:
        cut &= _np_bool(pc.is_valid(arr))
    if not cut.any():
        return arr
    lo = int(off[0])
    st, en = off[:-1] - lo, off[1:] - lo
    delta = np.zeros(int(off[-1]) - lo + 1, dtype=np.int8)
    delta[d2[cut]] = 1  # a cut range [d2, end) starts after its own string's start, so after
    delta[en[cut]] = -1  # the previous string's end: starts and ends are distinct positions
    keep = np.cumsum(delta[:-1], dtype=np.int8) == 0
    new_off = np.zeros(n + 1, dtype=np.int32)
    np.cumsum(np.where(cut, d2, en) - st, out=new_off[1:])
    out = pa.StringArray.from_buffers(n, pa.py_buffer(new_off), pa.py_buffer(data[lo:int(off[-1])][keep]))
    if arr.null_count:
        out = pc.if_else(pc.is_valid(arr), out, pa.scalar(None, pa.string()))
    return out


def _kindless_regex(numbers: pa.Array) -> pa.Array:
    """:func:`kindless` by its regular expression (the definition; tests compare the two)."""
    return pc.replace_substring_regex(numbers.cast(pa.string()), _KINDLESS_RE, r"\1")


def _np_str(arr: pa.Array) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=object)


def family_keys(corpus) -> np.ndarray:
    """One family key per document: ``family_id`` where given, else the publication number
    itself (a document without a family identifier is its own family)."""
    fam = corpus["family_id"].combine_chunks()
    pub = corpus["publication_number"].combine_chunks()
    return _np_str(pc.coalesce(fam, pub))


def _distinct_count(nodes: np.ndarray, n: int) -> int:
    """Distinct values of ``nodes`` (in ``0..n-1``): the nodes with a non-zero count of
    ``np.bincount(nodes, minlength=n)``, marked in a boolean array rather than counted (no
    int64 copy of the arcs and no count per node: 60 MB less at the peak of the 1M report)."""
    seen = np.zeros(n, dtype=bool)
    seen[nodes] = True
    return int(np.count_nonzero(seen))


def listing_documents(cited) -> np.ndarray:
    """Whether each document lists any cited publication: list length above 0 (a null list
    does not), from the ``cited_publications`` column (Arrow)."""
    return np.asarray(pc.greater(pc.list_value_length(cited), 0).to_numpy(), dtype=bool)


@dataclass
class CitationGraph:
    """In-corpus citation arcs, from cited to citing.

    Attributes
    ----------
    labels : pyarrow.Array or numpy.ndarray of str
        Node labels: publication numbers (corpus order; the corpus's Arrow column, not copied
        into Python strings), or family keys after :meth:`to_families`.
    nodes : numpy.ndarray of str
        :attr:`labels` as a NumPy object array (read-only property, made on each call from
        Arrow labels: take a few with ``labels.take(...)`` rather than all).
    src, dst : numpy.ndarray of int32 (int64 from 2**31 nodes on; int64 after :meth:`to_families`)
        Arc ``k`` goes from ``nodes[src[k]]`` (cited) to ``nodes[dst[k]]`` (citing).
        Arcs are unique and sorted by (src, dst); there are no self-loops.
    n_references : numpy.ndarray of int64
        Distinct cited references of each node (its backward citations, as listed).
    n_external : numpy.ndarray of int64
        References of each node that match no corpus document (citations leaving the corpus).
    n_self : numpy.ndarray of int64
        References of each node that resolve only to the node itself (dropped from the arcs).
    level : {"document", "family"}
    has_citation_data : bool
        Whether any document of the corpus lists cited publications; without any, an arc
        count of 0 means "not observable", not "not cited".
    stats : dict
        Matching counts (``matched_exact``, ``matched_kindless``, ``matched_ambiguous``,
        ``self_pairs_dropped``; ``within_family_arcs`` for a family graph).
    """

    labels: Any
    src: np.ndarray
    dst: np.ndarray
    n_references: np.ndarray
    n_external: np.ndarray
    n_self: np.ndarray
    level: str = "document"
    has_citation_data: bool = True
    stats: dict = field(default_factory=dict)
    # (publication numbers and references, kind_fallback) of a document graph: family aggregation matches the references
    # again (:func:`_resolve`) rather than the graph keeping tens of millions of matching rows
    _source: tuple | None = field(default=None, repr=False, compare=False)
    #: whether each document lists any cited publication (:func:`listing_documents`), kept by
    #: :meth:`forget_references` when the references go; None otherwise
    listing: np.ndarray | None = field(default=None, repr=False, compare=False)

    @property
    def n(self) -> int:
        return len(self.labels)

    @property
    def nodes(self) -> np.ndarray:
        """The node labels as a NumPy object array (:attr:`labels`)."""
        lab = self.labels
        return _np_str(lab) if isinstance(lab, (pa.Array, pa.ChunkedArray)) else lab

    @property
    def matrix(self) -> sp.csr_matrix:
        """``n x n`` CSR matrix, ``A[cited, citing] = 1`` (int32)."""
        return self._csr(np.int32)

    def _csr(self, dtype) -> sp.csr_matrix:
        """:attr:`matrix` with ``dtype`` values. Arcs sorted by (src, dst) without repeats (as
        :func:`citation_graph` makes them) are the CSR arrays already: ``indptr`` is the cumulated
        out-degree and ``indices`` is ``dst``, with no COO -> CSR sort; other arcs go through COO."""
        ones = np.ones(len(self.src), dtype=dtype)
        if not _strictly_increasing(self.src, self.dst):
            return sp.csr_matrix((ones, (self.src, self.dst)), shape=(self.n, self.n))
        it = _index_dtype(max(self.n, len(self.src)) + 1)
        indptr = np.zeros(self.n + 1, dtype=it)
        np.cumsum(np.bincount(self.src, minlength=self.n), out=indptr[1:])
        return sp.csr_matrix((ones, self.dst.astype(it, copy=False), indptr), shape=(self.n, self.n))

    def in_corpus_forward(self) -> np.ndarray:
        """In-corpus citing nodes per node (all dates): row sums of :attr:`matrix`."""
        return np.bincount(self.src, minlength=self.n).astype(np.int64)

    def in_corpus_backward(self) -> np.ndarray:
        """In-corpus cited nodes per node: column sums of :attr:`matrix`."""
        return np.bincount(self.dst, minlength=self.n).astype(np.int64)

    @property
    def summary(self) -> dict[str, Any]:
        """Totals: nodes, arcs, references (external, self), matching counts."""
        out = {
            "level": self.level,
            "nodes": int(self.n),
            "arcs": int(len(self.src)),
            "nodes_with_references": int((self.n_references > 0).sum()),
            "references": int(self.n_references.sum()),
            "references_in_corpus": int((self.n_references - self.n_external - self.n_self).sum()),
            "references_external": int(self.n_external.sum()),
            "self_citations": int(self.n_self.sum()),
            "nodes_cited_in_corpus": _distinct_count(self.src, self.n),
            "nodes_citing_in_corpus": _distinct_count(self.dst, self.n),
        }
        out.update(self.stats)
        return out

    def arcs(self) -> pd.DataFrame:
        """Arcs as a data frame of labels: ``cited``, ``citing``."""
        nodes = self.nodes
        return pd.DataFrame({"cited": nodes[self.src], "citing": nodes[self.dst]})

    def to_networkx(self, **node_attributes):
        """A ``networkx.DiGraph`` (cited -> citing).

        Node attributes ``n_references``, ``n_external``, ``n_self`` and any given
        ``name=array`` aligned with :attr:`nodes`.
        """
        import networkx as nx

        g = nx.DiGraph(level=self.level)
        attrs = {"n_references": self.n_references, "n_external": self.n_external, "n_self": self.n_self}
        attrs.update({k: np.asarray(v) for k, v in node_attributes.items()})
        keys = list(attrs)
        cols = [np.asarray(attrs[k]).tolist() for k in keys]
        nodes = self.nodes
        g.add_nodes_from((lab, dict(zip(keys, vals))) for lab, *vals in zip(nodes.tolist(), *cols))
        g.add_edges_from(zip(nodes[self.src].tolist(), nodes[self.dst].tolist()))
        return g

    def to_families(self, families) -> "CitationGraph":
        """Aggregate to families: family x family arcs, de-duplicated.

        Parameters
        ----------
        families : array-like of str, one key per node
            E.g. :func:`family_keys` (``family_id``, else the publication number).

        Nodes are the distinct keys in order of first appearance. Arcs between members of
        one family are dropped and counted (``stats["within_family_arcs"]``). Per family,
        references are the distinct kind-less keys cited by its members (``US-1-A`` and
        ``US-1-B2`` cited by two members are one reference): ``n_external`` those matching
        no corpus document, ``n_self`` those matching only members of the family.
        """
        if self.level != "document":
            raise ValueError("to_families applies to a document-level graph")
        fam = np.asarray(families, dtype=object)
        if len(fam) != self.n:
            raise ValueError(f"families has {len(fam)} keys for {self.n} nodes")
        codes, labels = pd.factorize(fam, sort=False)
        codes = codes.astype(np.int64)
        nf = len(labels)
        fs, fd = codes[self.src], codes[self.dst]
        inside = fs == fd
        indptr, dst = _unique_pairs(fs[~inside], fd[~inside], nf, nf)
        src, dst = _rows(indptr, np.int64), dst.astype(np.int64)
        refs, pairs = self._matching()
        fr = pd.DataFrame({"fam": codes[refs["citing"]], "key": refs["key"]}).drop_duplicates(ignore_index=True)
        pc_ = codes[pairs["citing"]]
        fp = pd.DataFrame({"fam": pc_, "key": pairs["key"], "outside": codes[pairs["target"]] != pc_})
        resolved = fp.groupby(["fam", "key"], sort=False)["outside"].any().rename("outside").reset_index()
        fr = fr.merge(resolved, on=["fam", "key"], how="left")
        f = fr["fam"].to_numpy(dtype=np.int64)
        external = fr["outside"].isna().to_numpy()
        selfonly = ~external & ~fr["outside"].astype("boolean").fillna(True).to_numpy(dtype=bool)
        stats = {k_: v for k_, v in self.stats.items() if k_.startswith(("matched", "self_pairs"))}
        stats["within_family_arcs"] = int(inside.sum())
        return CitationGraph(
            np.asarray(labels, dtype=object), src, dst,
            np.bincount(f, minlength=nf).astype(np.int64),
            np.bincount(f[external], minlength=nf).astype(np.int64),
            np.bincount(f[selfonly], minlength=nf).astype(np.int64),
            level="family", has_citation_data=self.has_citation_data, stats=stats,
        )


    def forget_references(self) -> None:
        """Let go of the corpus columns (publication numbers and references) the graph keeps
        for :meth:`to_families`, which then raises: for a caller that releases those columns
        and aggregates no families (the landscape report, :mod:`patentnav.report.context`).
        What the indicators read of the references, :attr:`listing`, is kept."""
        if self._source:  # a graph built without the corpus (None) has nothing to forget
            self.listing = listing_documents(self._source[0]["cited_publications"])
            self._source = False

    def _matching(self) -> tuple[dict, dict]:
        """(refs, pairs): ``citing`` node and kind-less ``key`` of every distinct reference, and
        ``citing``, ``key``, ``target`` of every resolved (reference, document) pair, self pairs
        included; empty without the corpus (a graph not built by :func:`citation_graph`)."""
        if self._source is False:
            raise RuntimeError("the graph's references were let go (forget_references): build the graph again")
        if self._source is None:
            z = np.zeros(0, dtype=np.int64)
            return {"citing": z, "key": z}, {"citing": z, "key": z, "target": z}
        columns, kind_fallback = self._source
        pub = columns["publication_number"].combine_chunks().cast(pa.string())
        r = _resolve(columns, pub, kind_fallback, all_keys=True)
        citing = _rows(r.indptr, r.pair_ref.dtype)
        key = r.key_of[r.ref_code]
        return ({"citing": citing, "key": key},
                {"citing": citing[r.pair_ref], "key": key[r.pair_ref], "target": r.pair_tgt})


def citation_graph(corpus, kind_fallback: bool = True) -> CitationGraph:
    """The in-corpus citation graph of a corpus (arcs from cited to citing).

    Parameters
    ----------
    corpus : Corpus
    kind_fallback : bool, default True
        Apply matching rule 2 (compare ``CC-NUMBER`` without kind) to references that do not
        match exactly. False keeps exact matches only.

    Returns
    -------
    CitationGraph
        ``summary`` has the totals, including ``matched_exact`` / ``matched_kindless``
        (references resolved by each rule) and ``matched_ambiguous`` (references resolved
        without kind to more than one document).

    Examples
    --------
    >>> import patentnav, pyarrow as pa
    >>> c = patentnav.Corpus(pa.table({"publication_number": ["US-1-B2", "US-2-B2"],
    ...                                "cited_publications": [[], ["US-1", "WO-9-A1"]]}))
    >>> g = citation_graph(c)
    >>> g.arcs().values.tolist(), g.n_external.tolist()
    ([['US-1-B2', 'US-2-B2']], [0, 1])
    """
    pub = corpus["publication_number"].combine_chunks().cast(pa.string())
    n = len(pub)
    r = _resolve(corpus, pub, kind_fallback)
    pa.default_memory_pool().release_unused()  # hand the freed string temporaries back to the OS
    it = _index_dtype(n)
    citing = _rows(r.indptr, it)
    c_of_pair = citing[r.pair_ref]
    is_self = r.pair_tgt == c_of_pair
    n_self_pairs = int(is_self.sum())
    # 0 external, 1 self only, 2 arc (a reference with any arc is not a self-citation)
    status = np.zeros(len(citing), dtype=np.int8)
    if n_self_pairs:
        status[r.pair_ref[is_self]] = 1
        keep = ~is_self
        tgt, c_of_pair = r.pair_tgt[keep], c_of_pair[keep]
        status[r.pair_ref[keep]] = 2
        del keep
    else:
        tgt = r.pair_tgt
        status[r.pair_ref] = 2
    del is_self
    stats = {"matched_exact": r.n_exact, "matched_kindless": r.n_kindless,
             "matched_ambiguous": r.n_ambiguous, "self_pairs_dropped": n_self_pairs}
    has_data = len(citing) > 0
    n_refs = np.diff(r.indptr).astype(np.int64)
    n_ext = np.bincount(citing[status == 0], minlength=n).astype(np.int64)
    n_self = np.bincount(citing[status == 1], minlength=n).astype(np.int64)
    del r, citing, status
    # unique arcs sorted by (cited, citing): the pattern of the sparse matrix A[cited, citing]
    indptr, dst = _unique_pairs(tgt, c_of_pair, n, n)
    del tgt, c_of_pair
    return CitationGraph(pub, _rows(indptr, it), dst.astype(it, copy=False), n_refs, n_ext, n_self,
                         level="document", has_citation_data=has_data, stats=stats,
                         _source=(_columns_of(corpus), kind_fallback))


def _columns_of(corpus) -> dict:
    """The two columns :meth:`CitationGraph.to_families` matches again, as Arrow columns (they
    share the corpus's buffers): never the corpus itself, which :mod:`patentnav.model.shared`
    keys weakly (a value holding its key would keep the corpus and its cache alive for good)."""
    return {name: corpus[name] for name in ("publication_number", "cited_publications")}


class _Resolved(NamedTuple):
    """The matching of :func:`citation_graph`, before arcs are made.

    The distinct references of document ``i`` are ``indptr[i]:indptr[i + 1]``, with their string
    codes ``ref_code`` (codes below n: the corpus row they equal) and the kind-less key of every
    code ``key_of``; every (reference, target document) pair the two rules resolve is
    ``(pair_ref, pair_tgt)``, self pairs included."""

    indptr: np.ndarray
    ref_code: np.ndarray
    key_of: np.ndarray | None
    pair_ref: np.ndarray
    pair_tgt: np.ndarray
    n_exact: int
    n_kindless: int
    n_ambiguous: int


def _resolve(corpus, pub: pa.Array, kind_fallback: bool, all_keys: bool = False) -> _Resolved:
    """Match every cited reference of ``corpus`` to its documents (rules 1 and 2 of the module).

    Strings are hashed once each by Arrow: the references against the publication numbers
    (``index_in``, first corpus row of a number should the corpus repeat one; long inputs in
    parallel slices, :func:`_index_in`), then the references left unmatched
    (``dictionary_encode``), then, for rule 2, the kind-less keys (:func:`kindless`) of the
    numbers (``dictionary_encode``) and of those references (``index_in`` against the numbers'
    keys: a key no number has matches nothing). Distinct references per document and the
    kind-less groups are counting sorts (:func:`~patentnav.landscape.mainpath._grouped`);
    integers are int32 while they fit. ``key_of`` (a kind-less key code for every string code,
    which family aggregation reads) is made only when ``all_keys``.
    """
    n = len(pub)
    lists = corpus["cited_publications"]  # chunk by chunk: the reference strings are not copied
    if isinstance(lists, pa.Array):
        lists = pa.chunked_array([lists])
    if lists.null_count:
        lists = pc.fill_null(lists, pa.scalar([], lists.type))
    flat = pc.list_flatten(lists).cast(pa.string())
    ends = np.cumsum(pc.list_value_length(lists).to_numpy())  # end of each document's references in flat
    del lists
    # rule 1: exact; the other references get codes n, n + 1, ... (one per distinct string)
    valid = _np_bool(pc.is_valid(flat))
    code = _index_in(flat, pub)
    other = valid & (code < 0)
    enc = pc.dictionary_encode(flat.filter(pa.array(other)).combine_chunks())
    del flat
    rest = enc.dictionary
    width = n + len(rest)
    it = _index_dtype(max(width, len(code) + 1))
    code = code.astype(it, copy=False)
    code[other] = enc.indices.to_numpy(zero_copy_only=False).astype(it) + n
    del enc, other
    # blank references (empty or white space only) are not references
    blank = np.concatenate([_np_bool(_blank(pub)), _np_bool(_blank(rest))])
    ok = valid & ~blank[code]
    del valid
    # distinct references per citing document, sorted by code
    kept = np.zeros(len(ok) + 1, dtype=it)  # it: the references counted fit
    np.cumsum(ok, dtype=it, out=kept[1:])
    indptr, ref_code = _distinct_in_rows(np.concatenate([np.zeros(1, it), kept[ends]]), code[ok], width)
    del ends, kept, code, ok, blank
    # kind-less keys: of the numbers (first n codes) and of the other references
    key_of = _codes(kindless(pa.concat_arrays([pub, rest])), it) if all_keys else None
    exact = ref_code < n
    pair_ref = np.arange(len(ref_code), dtype=it)[exact]  # np.flatnonzero, without its int64 copy
    pair_tgt = ref_code[exact]
    n_exact = len(pair_ref)
    n_kindless = n_ambiguous = 0
    if kind_fallback and n_exact < len(ref_code):
        # rule 2: without kind, one pair to every corpus document with the reference's CC-NUMBER
        # (documents of a key in corpus order)
        pub_key, rest_key = (key_of[:n], key_of[n:]) if key_of is not None else _kindless_keys(pub, rest, it)
        kmax = int(max(pub_key.max(initial=0), rest_key.max(initial=0)))
        order, start = _grouped(pub_key, kmax)
        rest_ref = np.arange(len(ref_code), dtype=it)[~exact]
        k = rest_key[ref_code[rest_ref] - n]
        lo = start[k]
        cnt = start[k + 1] - lo
        within = np.arange(int(cnt.sum()), dtype=it) - np.repeat(np.cumsum(cnt) - cnt, cnt).astype(it)
        pair_ref = np.concatenate([pair_ref, np.repeat(rest_ref, cnt)])
        pair_tgt = np.concatenate([pair_tgt, order[np.repeat(lo, cnt) + within]])
        n_kindless = int((cnt > 0).sum())
        n_ambiguous = int((cnt > 1).sum())
    return _Resolved(indptr, ref_code, key_of, pair_ref, pair_tgt.astype(it, copy=False), n_exact, n_kindless, n_ambiguous)


def _kindless_keys(pub: pa.Array, rest: pa.Array, dtype) -> tuple[np.ndarray, np.ndarray]:
    """Kind-less key codes of the publication numbers and of the other references, equal codes
    for equal keys: the numbers' keys are dictionary-encoded (a null number has a code of its
    own) and the references' keys looked up among them; a reference key that no number has
    gets one code above all of theirs (its group of documents is empty)."""
    enc = pc.dictionary_encode(kindless(pub))
    n_codes = len(enc.dictionary)
    pub_key = pc.fill_null(enc.indices, n_codes).to_numpy().astype(dtype)
    rest_key = _index_in(kindless(rest), enc.dictionary).astype(dtype, copy=False)
    rest_key[rest_key < 0] = n_codes + 1
    return pub_key, rest_key


#: references looked up per thread at least (:func:`_index_in`)
_SLICE = 1 << 21


def _index_in(values, value_set: pa.Array) -> np.ndarray:
    """``pc.index_in(values, value_set)`` as a writable int32 array, -1 where no value matches.

    A long input is cut into slices looked up in parallel threads (Arrow releases the GIL), at
    most one per CPU of Arrow's pool: each thread hashes ``value_set`` again, so slices are much
    longer than it (:data:`_SLICE` values and twice ``value_set`` at least). The positions do not
    depend on the slicing."""
    m = len(values)
    parts = max(1, min(pa.cpu_count(), m // max(_SLICE, 2 * len(value_set))))
    if parts == 1:
        return _index_in_slice(values, value_set)
    from concurrent.futures import ThreadPoolExecutor

    bounds = np.linspace(0, m, parts + 1).astype(np.int64).tolist()
    slices = [values.slice(a, b - a) for a, b in zip(bounds[:-1], bounds[1:])]
    with ThreadPoolExecutor(parts) as pool:
        found = list(pool.map(_index_in_slice, slices, [value_set] * parts))
    return np.concatenate(found)


def _index_in_slice(values, value_set: pa.Array) -> np.ndarray:
    """:func:`_index_in` in the calling thread."""
    found = pc.fill_null(pc.index_in(values, value_set=value_set), -1)
    if isinstance(found, pa.ChunkedArray):
        found = found.combine_chunks() if found.num_chunks != 1 else found.chunk(0)
    return np.array(found.to_numpy(zero_copy_only=False), dtype=np.int32)


def _np_bool(arr) -> np.ndarray:
    return np.asarray(arr.to_numpy(zero_copy_only=False), dtype=bool)


def _blank(strings: pa.Array) -> pa.Array:
    """True where a string is empty or white space only (null: False)."""
    return pc.equal(pc.utf8_trim_whitespace(strings), "").fill_null(False)


def _rows(indptr: np.ndarray, dtype) -> np.ndarray:
    """Row index of every entry of a CSR pattern (``indptr``)."""
    return np.repeat(np.arange(len(indptr) - 1, dtype=dtype), np.diff(indptr))


def _unique_pairs(rows: np.ndarray, cols: np.ndarray, n_rows: int, n_cols: int) -> tuple[np.ndarray, np.ndarray]:
    """(indptr, cols) of the distinct (row, col) pairs, sorted by row then col: the pattern of a
    CSR matrix (scipy's COO -> CSR conversion is a counting sort by row; duplicates are merged
    after sorting within rows, which are short)."""
    if len(rows) == 0:
        return np.zeros(n_rows + 1, dtype=np.int32), np.zeros(0, dtype=np.int32)
    a = sp.csr_array((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n_rows, n_cols))
    return a.indptr, a.indices


def _distinct_in_rows(indptr: np.ndarray, cols: np.ndarray, n_cols: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_unique_pairs` of entries already grouped by row (row ``i`` holds
    ``cols[indptr[i]:indptr[i + 1]]``): the CSR arrays are made directly, each row then sorted and
    de-duplicated."""
    if len(cols) == 0:
        return np.zeros(len(indptr), dtype=np.int32), np.zeros(0, dtype=np.int32)
    a = sp.csr_array((np.ones(len(cols), dtype=np.int8), cols, indptr), shape=(len(indptr) - 1, n_cols))
    a.sum_duplicates()
    return a.indptr, a.indices


def _codes(arr: pa.Array, dtype=np.int64) -> np.ndarray:
    """Dense integer codes of a string array (equal strings, equal codes)."""
    if len(arr) == 0:
        return np.zeros(0, dtype=dtype)
    enc = pc.dictionary_encode(arr.cast(pa.string()))
    return pc.fill_null(enc.indices, len(enc.dictionary)).to_numpy().astype(dtype)  # null: a code of its own


# --- forward citations within a window ------------------------------------------------------


def _date_keys(col) -> tuple[np.ndarray, np.ndarray]:
    """``yyyymmdd`` integer keys of a date column and its validity mask."""
    if isinstance(col, pa.ChunkedArray):
        col = col.combine_chunks()
    valid = np.asarray(pc.is_valid(col).to_numpy(zero_copy_only=False), dtype=bool)
    y = pc.year(col).fill_null(0).to_numpy().astype(np.int32)
    m = pc.month(col).fill_null(0).to_numpy().astype(np.int32)
    d = pc.day(col).fill_null(0).to_numpy().astype(np.int32)
    return y * 10_000 + m * 100 + d, valid  # int32: yyyymmdd < 2**31


def windowed_forward_citations(corpus, years: int = 5, graph: CitationGraph | None = None,
                               date: str = "publication_date") -> pd.DataFrame:
    """In-corpus forward citations received within ``years`` after each document's date.

    A citing document counts when ``date(cited) <= date(citing) <= date(cited) + years``,
    both dates taken from ``date`` (default the **publication date**: the day the cited
    document became prior art and the day the citing one made the citation public). The
    window end is the ``years``-th anniversary, included (29 February -> 28 February);
    vectorised over the arc arrays, no loop over documents.

    Parameters
    ----------
    corpus : Corpus
    years : int, default 5
    graph : CitationGraph, optional
        A document-level :func:`citation_graph` of ``corpus`` (built when not given).
    date : str
        A date column of the schema.

    Returns
    -------
    pandas.DataFrame indexed by ``publication_number``
        ``forward_window`` (citing documents in the window), ``forward_in_corpus`` (all
        in-corpus citing documents), ``citing_before`` (citing documents dated before the
        cited one: not counted), ``citing_undated`` (citing documents without a date: not
        counted), ``window_end``, ``window_complete`` (the window ends on or before the
        latest ``date`` in the corpus, so the count cannot grow by adding later documents of
        the same source). Counts are nullable integers: all null when the corpus carries no
        cited publications at all; ``forward_window`` is null where the document's own
        date is null.
    """
    w = _window_counts(corpus, years, graph, date)
    return pd.DataFrame({
        "forward_window": w.forward_window,
        "forward_in_corpus": w.forward_in_corpus,
        "citing_before": w.citing_before,
        "citing_undated": w.citing_undated,
        "window_end": w.end.dt.date.to_numpy(),
        "window_complete": w.complete,
    }, index=pd.Index(w.graph.nodes, name="publication_number"))


class _Window(NamedTuple):
    """The columns of :func:`windowed_forward_citations` before the frame: counts as ``Int64``
    arrays, ``complete`` as the frame receives it, the window ends as datetimes (``end``), and
    the graph used."""

    forward_window: pd.api.extensions.ExtensionArray
    forward_in_corpus: pd.api.extensions.ExtensionArray
    citing_before: pd.api.extensions.ExtensionArray
    citing_undated: pd.api.extensions.ExtensionArray
    end: pd.Series
    complete: np.ndarray
    graph: CitationGraph


def _window_counts(corpus, years: int, graph: CitationGraph | None, date: str) -> _Window:
    """The counts of :func:`windowed_forward_citations` (its rule, one pass over the arc arrays),
    without the frame, its index of publication numbers or the window ends as ``date`` objects
    (:func:`patentnav.landscape.indicators.quality_indicators` reads the counts and
    ``complete`` only)."""
    if graph is None:
        graph = citation_graph(corpus)
    if graph.level != "document" or graph.n != len(corpus):
        raise ValueError("graph must be the document-level citation graph of this corpus")
    n = graph.n
    keys, valid = _date_keys(corpus[date])
    s, d = graph.src, graph.dst
    ks, kd, vs, vd = keys[s], keys[d], valid[s], valid[d]  # one gather each
    del keys
    both = vs & vd
    early = kd < ks
    inwin = both & ~early & (kd <= ks + years * 10_000)
    fw = np.bincount(s[inwin], minlength=n)
    total = np.bincount(s, minlength=n)
    before = np.bincount(s[both & early], minlength=n)
    undated = np.bincount(s[vs & ~vd], minlength=n)
    del ks, kd, vs, vd, both, early, inwin

    dates = pd.to_datetime(pd.Series(corpus[date].to_pandas(date_as_object=False)))
    end = dates + pd.DateOffset(years=years)
    latest = dates.max()
    complete = (end <= latest) if pd.notna(latest) else pd.Series(False, index=end.index)
    complete = complete.where(dates.notna(), other=pd.NA).astype("boolean")

    def col(values, mask=None):
        out = pd.array(values.astype(np.int64), dtype="Int64")
        if not graph.has_citation_data:
            out[:] = pd.NA
        elif mask is not None:
            out[~mask] = pd.NA
        return out

    return _Window(col(fw, valid), col(total), col(before), col(undated), end, complete.to_numpy(), graph)


# --- coupling and co-citation ----------------------------------------------------------------


@dataclass
class WeightedNetwork:
    """A symmetric weighted network (coupling, co-citation) as a sparse matrix with labels.

    Attributes
    ----------
    matrix : scipy.sparse.csr_matrix, int32, symmetric, zero diagonal
        Weights ``>= min_weight`` only.
    labels : numpy.ndarray of str
    kind : str
        ``"bibliographic_coupling"``, ``"co_citation"`` or ``"co_citation_references"``.
    min_weight : int
    """

    matrix: sp.csr_matrix
    labels: np.ndarray
    kind: str
    min_weight: int = 1

    def edges(self) -> pd.DataFrame:
        """Each pair once (``source`` < ``target`` by position): ``source``, ``target``, ``weight``,
        heaviest first (ties by labels)."""
        u = sp.triu(self.matrix, k=1).tocoo()
        df = pd.DataFrame({"source": self.labels[u.row], "target": self.labels[u.col], "weight": u.data.astype(np.int64)})
        return df.sort_values(["weight", "source", "target"], ascending=[False, True, True], ignore_index=True)

    def strength(self) -> np.ndarray:
        """Sum of weights per node."""
        return np.asarray(self.matrix.sum(axis=1)).ravel()

    def to_networkx(self):
        """An undirected ``networkx.Graph`` with ``weight`` on edges; isolated nodes kept."""
        import networkx as nx

        g = nx.Graph(kind=self.kind, min_weight=self.min_weight)
        g.add_nodes_from(self.labels.tolist())
        e = self.edges()
        g.add_weighted_edges_from(zip(e["source"].tolist(), e["target"].tolist(), e["weight"].tolist()))
        return g


def _symmetric(m: sp.spmatrix, min_weight: int) -> sp.csr_matrix:
    m = sp.csr_matrix(m, dtype=np.int32)
    m = (m - sp.diags(m.diagonal(), format="csr", dtype=np.int32)).tocsr()
    if min_weight > 1:
        m.data[m.data < min_weight] = 0
    m.eliminate_zeros()
    m.sort_indices()
    return m


def _reference_incidence(corpus, kind_fallback: bool = True):
    docs = corpus["publication_number"].to_numpy()

    def transform(a: pa.Array) -> pa.Array:
        a = a.cast(pa.string())
        a = pc.if_else(pc.equal(pc.utf8_trim_whitespace(a), ""), pa.scalar(None, pa.string()), a)
        return kindless(a) if kind_fallback else a

    return incidence(corpus["cited_publications"], docs, transform)


def bibliographic_coupling(corpus, min_weight: int = 1, kind_fallback: bool = True) -> WeightedNetwork:
    """Documents x documents: number of cited references two documents share.

    ``B = C C'`` with ``C`` the binary documents x references incidence over **all** cited
    references, in the corpus or not (Kessler 1963). References are compared without kind
    (``US-1-A`` = ``US-1-B2``) unless ``kind_fallback=False``. Diagonal zeroed; weights
    below ``min_weight`` dropped. Labels: publication numbers.
    """
    inc = _reference_incidence(corpus, kind_fallback)
    c = inc.matrix.astype(np.int32)
    return WeightedNetwork(_symmetric(c @ c.T, min_weight), np.asarray(inc.documents, dtype=object),
                           "bibliographic_coupling", min_weight)


def co_citation(corpus_or_graph, min_weight: int = 1, scope: str = "corpus",
                kind_fallback: bool = True) -> WeightedNetwork:
    """Co-citation: number of corpus documents citing both of two documents (Small 1973).

    Parameters
    ----------
    corpus_or_graph : Corpus or CitationGraph
    scope : {"corpus", "references"}
        ``"corpus"``: nodes are the corpus documents (or families of a family graph),
        ``A A'`` on the in-corpus citation matrix ``A[cited, citing]``. ``"references"``
        (needs a Corpus): nodes are all cited references, in the corpus or not, compared
        without kind unless ``kind_fallback=False``: ``C' C``.
    min_weight : int
        Weights below are dropped. Diagonal zeroed.
    """
    if scope == "corpus":
        g = corpus_or_graph if isinstance(corpus_or_graph, CitationGraph) else citation_graph(corpus_or_graph)
        a = g.matrix
        return WeightedNetwork(_symmetric(a @ a.T, min_weight), g.nodes, "co_citation", min_weight)
    if scope == "references":
        if isinstance(corpus_or_graph, CitationGraph):
            raise TypeError("scope='references' needs a Corpus (the graph keeps in-corpus arcs only)")
        inc = _reference_incidence(corpus_or_graph, kind_fallback)
        c = inc.matrix.astype(np.int32)
        return WeightedNetwork(_symmetric(c.T @ c, min_weight), np.asarray(inc.items, dtype=object),
                               "co_citation_references", min_weight)
    raise ValueError(f"scope must be 'corpus' or 'references', not {scope!r}")
