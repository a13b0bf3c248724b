"""The technology-fields step's rewritten functions against their former definitions (copied
here as oracles): the incidence build, the assignment of patents to fields, the term counts
of the assigned documents, the field descriptions' helpers. Random inputs and edge cases
(empty, nulls, one row)."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pytest
import scipy.sparse as sp


# --- incidence -------------------------------------------------------------------------------------
def _incidence_reference(lists, documents=None, transform=None):
    """The former :func:`patentnav.landscape.incidence.incidence`: COO build from parent indices."""
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    n = len(lists)
    lists = pc.fill_null(lists, pa.scalar([], lists.type))
    flat = pc.list_flatten(lists)
    rows = pc.list_parent_indices(lists).to_numpy()
    enc = pc.dictionary_encode(flat)
    distinct = enc.dictionary if transform is None else transform(enc.dictionary)
    dvalid = np.asarray(pc.is_valid(distinct).to_numpy(zero_copy_only=False), dtype=bool)
    dvalues = np.asarray(distinct.to_numpy(zero_copy_only=False), dtype=object)[dvalid]
    uniques, inverse = np.unique(dvalues, return_inverse=True) if len(dvalues) else (np.zeros(0, dtype=object), np.zeros(0, np.int64))
    code_of = np.full(len(distinct) + 1, -1, dtype=np.int64)
    code_of[np.flatnonzero(dvalid)] = inverse
    idx = np.asarray(pc.fill_null(enc.indices, len(distinct)).to_numpy(zero_copy_only=False), dtype=np.int64)
    codes = code_of[idx]
    keep = codes >= 0
    m = sp.csr_matrix((np.ones(int(keep.sum()), dtype=np.int32), (rows[keep], codes[keep])), shape=(n, len(uniques)))
    m.sum_duplicates()
    m.data[:] = 1
    docs = np.asarray(documents if documents is not None else np.arange(n).astype(str), dtype=object)
    return m, np.asarray(uniques, dtype=object), docs


def _same_csr(a: sp.csr_matrix, b: sp.csr_matrix) -> None:
    assert a.shape == b.shape and a.dtype == b.dtype
    assert a.indptr.dtype == b.indptr.dtype and a.indices.dtype == b.indices.dtype
    assert a.has_canonical_format and b.has_canonical_format
    assert a.indptr.tolist() == b.indptr.tolist()
    assert a.indices.tolist() == b.indices.tolist()
    assert a.data.tolist() == b.data.tolist()


def _random_lists(rng, n: int, vocab: int, null_lists: float, null_values: float) -> list:
    words = [f"W{j:03d}/{j % 7}" for j in range(vocab)]
    out = []
    for _ in range(n):
        if rng.random() < null_lists:
            out.append(None)
            continue
        k = int(rng.integers(0, 6))
        out.append([None if rng.random() < null_values else words[int(rng.integers(0, vocab))] for _ in range(k)])
    return out


def _drop_odd(arr: pa.Array) -> pa.Array:
    """A transform mapping some values to null and merging others (as truncation does)."""
    vals = arr.to_pylist()
    return pa.array([None if v is None or v.endswith("/1") else v.split("/")[0] for v in vals], pa.string())


@pytest.mark.parametrize("seed", range(8))
def test_incidence_equals_former_definition(seed):
    from patentnav.landscape.incidence import incidence

    rng = np.random.default_rng(seed)
    for trial in range(25):
        n = int(rng.integers(0, 40)) if trial else 0
        data = _random_lists(rng, n, int(rng.integers(1, 30)), rng.choice([0.0, 0.2]), rng.choice([0.0, 0.15]))
        arr = pa.array(data, pa.list_(pa.string()))
        variants = [arr]
        if n > 4:  # chunked, and a slice (offsets not starting at 0)
            variants += [pa.chunked_array([arr.slice(0, n // 3), arr.slice(n // 3)]), arr.slice(2, n - 3)]
        for lists in variants:
            for transform in (None, _drop_odd):
                docs = None if trial % 2 else [f"D{i}" for i in range(len(lists))]
                got = incidence(lists, docs, transform)
                m, items, rdocs = _incidence_reference(lists, docs, transform)
                _same_csr(got.matrix, m)
                assert got.items.dtype == object and got.items.tolist() == items.tolist()
                assert got.documents.dtype == object and got.documents.tolist() == rdocs.tolist()


def test_incidence_edge_cases():
    from patentnav.landscape.incidence import incidence

    for data in ([], [None], [[]], [[None]], [["A"]], [["A", "A", None]], [None, ["B", "A", "B"], []]):
        arr = pa.array(data, pa.list_(pa.string()))
        got = incidence(arr)
        m, items, docs = _incidence_reference(arr)
        _same_csr(got.matrix, m)
        assert got.items.tolist() == items.tolist() and got.documents.tolist() == docs.tolist()
    one = incidence(pa.array([["B", "A"]]), transform=lambda a: pa.nulls(len(a), pa.string()))
    assert one.shape == (1, 0) and one.matrix.nnz == 0


def test_incidence_row_labels_made_when_read():
    from patentnav.landscape.incidence import Incidence, incidence

    inc = incidence(pa.array([["A"], None, ["B"]]))
    assert inc._documents is None  # not made until read
    assert inc.documents.tolist() == ["0", "1", "2"] and inc.documents.dtype == object
    sub = inc.restrict_items(np.array([False, True]))
    assert sub.items.tolist() == ["B"] and sub.documents.tolist() == ["0", "1", "2"]
    given = Incidence(inc.matrix, inc.items, np.array(["x", "y", "z"], dtype=object))
    assert given.documents.tolist() == ["x", "y", "z"] and "3 documents x 2 items" in repr(given)


# --- assignment of patents to fields -----------------------------------------------------------------
def _assign_former(X, node_labels, occurrences, min_size):
    """The former :func:`patentnav.landscape.clusters._assign_by_codes`: one lexsort of the
    (patent, community) counts of the float product ``X @ P``, then rounds of dissolution."""
    n = X.shape[0]
    k = int(node_labels.max()) + 1 if len(node_labels) else 0
    if k == 0:
        return np.full(n, -1, dtype=np.int64)
    P = sp.csr_matrix((np.ones(len(node_labels)), (np.arange(len(node_labels)), node_labels)),
                      shape=(len(node_labels), k))
    M = (X @ P).tocoo()
    r, c, cnt = M.row.astype(np.int64), M.col.astype(np.int64), M.data
    weight = np.bincount(node_labels, weights=occurrences.astype(np.float64), minlength=k)
    ok = cnt > 0
    r, c, cnt = r[ok], c[ok], cnt[ok]
    order = np.lexsort((c, -weight[c], -cnt, r))
    r, c = r[order], c[order]
    alive = np.ones(k, dtype=bool)
    while True:
        ok = alive[c]
        rr, cc = r[ok], c[ok]
        first = np.ones(len(rr), dtype=bool)
        first[1:] = rr[1:] != rr[:-1]
        out = np.full(n, -1, dtype=np.int64)
        out[rr[first]] = cc[first]
        sizes = np.bincount(out[out >= 0], minlength=k)
        small = alive & (sizes < max(min_size, 1))
        if not small.any():
            return out
        alive &= ~small


def _random_incidence(rng, n, m, density):
    X = sp.random(n, m, density=density, random_state=int(rng.integers(1 << 30)), format="csr", dtype=np.float64)
    X.data[:] = 1.0
    return X


@pytest.mark.parametrize("seed", range(10))
def test_assign_communities_equals_former_assignment(seed):
    """The per-row key maximum over the incidence's own columns equals the former sort over
    the product with the node columns selected (``inc.matrix[:, col]`` as float)."""
    from patentnav.landscape.clusters import _assign_by_codes, _assign_communities

    rng = np.random.default_rng(seed)
    for _ in range(12):
        n, m = int(rng.integers(1, 300)), int(rng.integers(1, 50))
        X = _random_incidence(rng, n, m, float(rng.choice([0.0, 0.02, 0.1, 0.4])))
        inc = sp.csr_matrix(X, dtype=np.int32)
        inc.sum_duplicates()
        nodes = np.sort(rng.choice(m, int(rng.integers(1, m + 1)), replace=False))  # codes kept in the graph
        node_labels = rng.integers(0, int(rng.integers(1, 10)), len(nodes))
        occ = np.asarray(X[:, nodes].sum(axis=0)).ravel().astype(np.int64) + rng.integers(0, 2, len(nodes))
        community = np.full(m, -1, dtype=np.int64)
        community[nodes] = node_labels
        Xk = sp.csr_matrix(inc[:, nodes], dtype=np.float64)
        for min_size in (0, 1, 3, 20, n + 1):
            ref = _assign_former(Xk, node_labels, occ, min_size).tolist()
            assert _assign_communities(inc, community, occ, min_size, node_labels).tolist() == ref
            assert _assign_by_codes(Xk, node_labels, occ, min_size).tolist() == ref


def test_assign_by_codes_edge_cases():
    from patentnav.landscape.clusters import _assign_by_codes

    empty = sp.csr_matrix((0, 3))
    assert _assign_by_codes(empty, np.array([0, 1, 1]), np.array([1, 1, 1]), 1).tolist() == []
    no_nodes = sp.csr_matrix((4, 0))
    assert _assign_by_codes(no_nodes, np.zeros(0, np.int64), np.zeros(0, np.int64), 1).tolist() == [-1] * 4
    one = sp.csr_matrix(np.array([[1.0, 1.0, 0.0]]))
    for labels, occ in (([0, 1, 1], [5, 2, 2]), ([0, 1, 1], [1, 2, 2]), ([1, 0, 0], [3, 3, 0])):
        labels, occ = np.array(labels), np.array(occ)
        for min_size in (1, 2):
            assert _assign_by_codes(one, labels, occ, min_size).tolist() == _assign_former(one, labels, occ, min_size).tolist()
    no_codes = sp.csr_matrix((3, 2))  # rows without any code stay unassigned
    assert _assign_by_codes(no_codes, np.array([0, 1]), np.array([1, 1]), 1).tolist() == [-1, -1, -1]
    dup = sp.csr_matrix((np.ones(3), np.array([0, 0, 1]), np.array([0, 3])), shape=(1, 2))  # not canonical
    assert _assign_by_codes(dup, np.array([0, 1]), np.array([1, 9]), 1).tolist() == [1]  # one code each: occurrences decide


# --- class sums ------------------------------------------------------------------------------------
def _class_term_counts_former(counts, labels, n_classes=None):
    """The former :func:`patentnav.text.class_term_counts`: the float product ``P @ counts``."""
    labels = np.asarray(labels, dtype=np.int64)
    counts = sp.csr_matrix(counts)
    k = int(labels.max()) + 1 if n_classes is None else n_classes
    ok = np.flatnonzero(labels >= 0)
    P = sp.csr_matrix((np.ones(len(ok)), (labels[ok], ok)), shape=(max(k, 0), counts.shape[0]))
    return sp.csr_matrix(P @ counts)


def _same_values(a, b) -> None:
    a, b = sp.csr_matrix(a), sp.csr_matrix(b)
    assert a.shape == b.shape and a.dtype == b.dtype == np.float64
    a.sort_indices(), b.sort_indices()
    assert a.indptr.tolist() == b.indptr.tolist() and a.indices.tolist() == b.indices.tolist()
    assert a.data.tolist() == b.data.tolist()


@pytest.mark.parametrize("seed", range(6))
def test_class_term_counts_equals_former_product(seed):
    """Dense bincount (integer counts, few cells) and product (floats, many cells) both give
    the former product's entries; and the fields x codes counts of the field descriptions."""
    import patentnav.text as text

    rng = np.random.default_rng(seed)
    for _ in range(20):
        n, t = int(rng.integers(0, 60)), int(rng.integers(1, 30))
        counts = sp.random(n, t, density=float(rng.choice([0.0, 0.1, 0.5])), random_state=int(rng.integers(1 << 30)),
                           format="csr")
        counts.data = rng.integers(1, 5, counts.nnz).astype(float)
        labels = rng.integers(-1, int(rng.integers(1, 8)), n)
        k = int(labels.max(initial=-1)) + 1
        for dtype in (np.int32, np.int64, np.float64, bool):
            c = counts.astype(dtype)
            for n_classes in (None, k + 2):
                if n == 0 and n_classes is None:  # no label to take the classes from: both raise
                    for f in (text.class_term_counts, _class_term_counts_former):
                        with pytest.raises(ValueError):
                            f(c, labels, n_classes)
                    continue
                _same_values(text.class_term_counts(c, labels, n_classes), _class_term_counts_former(c, labels, n_classes))
    big = sp.random(50, 40, density=0.2, random_state=seed, format="csr", dtype=np.float64)
    big.data = np.ceil(big.data * 3)
    labels = rng.integers(-1, 6, 50)
    old = text._DENSE_CLASS_CELLS
    try:
        text._DENSE_CLASS_CELLS = 10  # the product path for integers too
        _same_values(text.class_term_counts(big.astype(np.int32), labels), _class_term_counts_former(big, labels))
    finally:
        text._DENSE_CLASS_CELLS = old


def test_class_term_counts_edge_cases():
    from patentnav.text import class_term_counts

    for counts, labels in ((sp.csr_matrix(np.array([[2, 0, 1]], dtype=np.int32)), np.array([-1])),
                           (sp.csr_matrix(np.array([[2, 0, 1]], dtype=np.int32)), np.array([-1])),
                           (sp.csr_matrix(np.array([[2, 0, 1]], dtype=np.int32)), np.array([0]))):
        for n_classes in (None, 2, 0):
            if labels.max() >= (n_classes if n_classes is not None else 1 << 30):  # a label beyond the classes: both raise
                for f in (class_term_counts, _class_term_counts_former):
                    with pytest.raises(ValueError):
                        f(counts, labels, n_classes)
                continue
            _same_values(class_term_counts(counts, labels, n_classes), _class_term_counts_former(counts, labels, n_classes))
    _same_values(class_term_counts(sp.csr_matrix((0, 3), dtype=np.int32), np.zeros(0, np.int64), 2),
                 _class_term_counts_former(sp.csr_matrix((0, 3), dtype=np.int32), np.zeros(0, np.int64), 2))
    with pytest.raises(ValueError):
        class_term_counts(sp.csr_matrix(np.eye(2, dtype=np.int32)), np.array([0]))


# --- term counts of the assigned documents -----------------------------------------------------------
def _assigned_term_counts_former(corpus, text_fields, labels, tokens=None):
    """The former :func:`patentnav.landscape.clusters._assigned_term_counts`: every text tokenised."""
    from patentnav._arrow import join_text
    from patentnav.landscape.clusters import _csr_counts, _keep_columns
    from patentnav.text import token_codes

    texts = join_text([corpus[col].combine_chunks().cast(pa.large_string()) for col in text_fields], " ")
    rows, codes, terms = token_codes(tokens if tokens is not None else texts)
    dtm = _csr_counts(rows, codes, labels >= 0, (len(labels), len(terms)))
    df = np.bincount(dtm.indices, minlength=dtm.shape[1])
    cols = np.flatnonzero(df >= 2) if (df >= 2).any() else np.flatnonzero(df)
    return _keep_columns(dtm, cols), terms[cols]


def test_assigned_term_counts_equal_former_definition(drones):
    from patentnav.landscape.clusters import _assigned_term_counts, _texts
    from patentnav.text import tokenize_many

    rng = np.random.default_rng(1)
    n = len(drones)
    tokens = tokenize_many(_texts(drones, ("title", "abstract")))
    cases = [rng.integers(-1, 5, n), np.zeros(n, np.int64), np.full(n, -1), np.where(np.arange(n) == 7, 0, -1),
             np.where(rng.random(n) < 0.05, 2, -1)]
    import patentnav.landscape.clusters as cl

    old = cl._TAKE_TEXTS_SHARE
    try:
        for share in (0.0, 0.75, 1.01):  # every text tokenised, the default, the assigned texts only
            cl._TAKE_TEXTS_SHARE = share
            for labels in cases:
                for fields in (("title", "abstract"), ("title",), ("abstract",)):
                    for toks in (None, tokens):
                        toks = toks if fields == ("title", "abstract") else None
                        got, terms = _assigned_term_counts(drones, fields, labels, toks)
                        ref, rterms = _assigned_term_counts_former(drones, fields, labels, toks)
                        assert terms.tolist() == rterms.tolist()
                        _same_csr(got, ref)
    finally:
        cl._TAKE_TEXTS_SHARE = old


def test_texts_of_rows_equal_rows_of_texts(drones):
    from patentnav.landscape.clusters import _texts

    every = _texts(drones, ("title", "abstract"))
    for rows in (np.array([3, 0, 5]), np.zeros(0, np.int64), np.arange(len(drones))):
        assert _texts(drones, ("title", "abstract"), rows).to_pylist() == every.take(pa.array(rows)).to_pylist()
    assert _texts(drones, ()) is None


def _join_text_former(parts, sep, *, trim=False):
    """The former :func:`patentnav._arrow.join_text` (empty strings nulled by a copy always)."""
    acc = None
    for q in parts:
        if isinstance(q, pa.ChunkedArray):
            q = q.combine_chunks()
        if trim:
            q = pc.utf8_trim_whitespace(q)
        q = pc.if_else(pc.equal(q, ""), pa.scalar(None, q.type), q)
        if acc is None:
            acc = q
            continue
        if q.type != acc.type:
            q = q.cast(acc.type)
        both = pc.binary_join_element_wise(acc, q, pa.scalar(sep, acc.type))
        acc = pc.coalesce(both, acc, q)
    return acc


@pytest.mark.parametrize("seed", range(4))
def test_join_text_equals_former_definition(seed):
    from patentnav._arrow import join_text

    rng = np.random.default_rng(seed)
    pool = [None, "", " ", "a", "b c", " d "]
    for _ in range(40):
        n = int(rng.integers(0, 12))
        parts = [pa.array([pool[int(rng.integers(0, len(pool)))] for _ in range(n)], t)
                 for t in rng.choice([pa.string(), pa.large_string()], int(rng.integers(1, 4)))]
        if n > 2 and rng.random() < 0.3:
            parts[0] = pa.chunked_array([parts[0].slice(0, 1), parts[0].slice(1)])
        for trim in (False, True):
            got, ref = join_text(parts, " ", trim=trim), _join_text_former(parts, " ", trim=trim)
            assert got.type == ref.type and got.to_pylist() == ref.to_pylist()
    assert join_text([pa.array([None, None], pa.string())], " ").to_pylist() == [None, None]
