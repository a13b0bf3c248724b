"""A synthetic patent corpus of any size that looks like real data (benchmarks only).

``synthetic_corpus(n, seed=0)`` builds a :class:`patentnav.Corpus` with numpy and Arrow
only (no Python loop over patents; list columns are built from offsets + flat values).
One million patents take a few seconds.

How each part is drawn:

* **Bootstrap of real rows.** Every synthetic patent copies one random row of the bundled
  drone sample (``patentnav.datasets.drones()``, 9,071 rows): its IPC code set, CPC codes,
  title and its (jurisdiction, kind, document type). So the co-classification structure
  (which codes go together, how many per patent) is that of real data. With probability
  ``swap`` (default 0.05) one IPC code of the patent is replaced by a random code of the
  same subclass seen in the sample (never duplicating a code of the patent); ``ipc_main`` is
  the first code. The code vocabulary is therefore the sample's (about 7,100 subgroups,
  425 subclasses): the code graph does not grow with ``n``, the number of pairs does.
* **Dates.** Publication years 2000-2023 with exponential growth (``growth``, default 12 %
  a year, about 14x from first to last year), uniform day within the year. Rows are in
  publication-date order. Filing date 1-3 years (uniform) before publication; earliest
  priority date the filing date, or (60 %) up to one year before it.
* **Numbers.** ``<jurisdiction>-<20000000 + row>-<kind>`` (unique, increasing with time;
  e.g. ``US-20000123-B2``). ``doc_number`` and ``kind`` agree.
* **Applicants.** 1 name (85 %) or 2 distinct names, each Zipf-distributed
  (``p_k ~ k^-1.1``) over ``max(1, n // 20)`` synthetic names ``APPLICANT <k> <SUFFIX>``.
* **Family size** ``1 + Poisson(2.9)`` (the sample's mean is 3.9); ``claims_count``
  ``1 + Poisson(16)``.
* **Citations.** Each patent cites ``Poisson(8)`` distinct in-corpus patents published
  *strictly earlier* (patents of the first day cite none), so the in-corpus citation graph is
  acyclic. Targets follow a fitness model of preferential attachment (Bianconi-Barabasi):
  every patent has a Pareto(``alpha=2``) fitness, and a target is drawn with probability
  proportional to fitness among the earlier patents; older patents are eligible for longer,
  so in-degrees are power-law distributed, as with attachment proportional to
  ``in-degree + 1``. Half of the citations are drawn among all earlier patents, half among
  those published in the 3 years before (citations favour recent work). Each patent also
  lists ``Poisson(2)`` out-of-corpus references ``US-<number>-A`` with Zipf-popular (``s = 0.6``) numbers
  in 1,000,000-2,999,999 (shared between patents, so bibliographic coupling sees them).
  ``forward_citations`` is the in-corpus in-degree.

With ``claims=True`` (the filing-quality benchmark) the corpus also has:

* **Claims text** bootstrapped from the real claims of the 199 utility grants in
  ``tests/data/uspto-grant-xml`` (public domain): ``1 + Poisson(14.5)`` claims per patent
  (the sample's mean is 15.6), claim 1 a real independent claim, every later claim an
  independent one with probability 0.12 (about 2.7 per patent; the sample: 2.6), else a real
  dependent claim; each written ``N. text``, one per line, as the USPTO reader stores them;
  ``claims_count`` is the number of claims, ``claims_coverage`` ``all`` and
  ``dependent_claim_numbers`` the dependent claims (the claim-ref markup). About 5 kB of
  claims text per patent, as in the sample.
* **Agents**: one name per patent, Zipf-distributed over ``max(1, n // 40)`` names ``AGENT <k> LLP``.
* **Family jurisdictions**: the patent's own jurisdiction plus ``family_size - 1`` draws from
  US, EP, CN, JP, KR, WO, DE, AU, CA, GB (distinct).

Other list columns are empty, other scalar columns null.
"""

from __future__ import annotations

import functools
import os

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import patentnav
from patentnav.model.schema import SCHEMA

__all__ = ["synthetic_corpus", "write_synthetic_dataset", "FIRST_NUMBER"]

FIRST_NUMBER = 20_000_000
_SUFFIXES = np.array(["CORP", "LTD", "INC", "GMBH", "CO LTD", "AG", "SA", "LLC"], dtype=object)


@functools.lru_cache(maxsize=1)
def _sample():
    """What is drawn from the drone sample, computed once."""
    t = patentnav.datasets.drones().table
    ipc = t["ipc"].combine_chunks()
    flat = pc.list_flatten(ipc)
    enc = pc.dictionary_encode(flat)
    vocab = enc.dictionary  # distinct IPC codes
    codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int32)
    # codes grouped by subclass: code -> (start, count) of its subclass in `by_sub`
    sub = pc.dictionary_encode(pc.utf8_slice_codeunits(vocab, 0, 4)).indices.to_numpy(zero_copy_only=False)
    by_sub = np.argsort(sub, kind="stable").astype(np.int32)
    counts = np.bincount(sub)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    return {
        "offsets": ipc.offsets.to_numpy().astype(np.int64),
        "codes": codes,
        "vocab": vocab,
        "sub_start": starts[sub].astype(np.int64),
        "sub_count": counts[sub].astype(np.int64),
        "by_sub": by_sub,
        "cpc": t["cpc"].combine_chunks(),
        "title": t["title"].combine_chunks(),
        "jurisdiction": t["jurisdiction"].combine_chunks(),
        "kind": t["kind"].combine_chunks(),
        "document_type": t["document_type"].combine_chunks(),
        "n": t.num_rows,
    }


_FAMILY_OFFICES = np.array(["US", "EP", "CN", "JP", "KR", "WO", "DE", "AU", "CA", "GB"], dtype=object)
_XML = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "uspto-grant-xml")


@functools.lru_cache(maxsize=1)
def _claim_pool() -> tuple[pa.Array, pa.Array]:
    """Real claim texts (number removed) of the sample's utility grants: (independent, dependent)."""
    from patentnav.landscape.claims import refers_to_claim

    t = patentnav.read(_XML).filter(document_type="granted_patent").table
    lines = pc.split_pattern(t["claims"].combine_chunks(), "\n")
    flat = pc.list_flatten(lines)
    body = pc.replace_substring_regex(flat, r"^[0-9]+\.\s*", "", max_replacements=1)
    dep = refers_to_claim(flat)
    return body.filter(pa.array(~dep)), body.filter(pa.array(dep))


def _claims(rng, n: int, block: int = 100_000) -> dict[str, pa.Array]:
    """Claims text, claims count, coverage and markup of ``n`` patents (see the module docstring).

    The text is built ``block`` patents at a time into a chunked column (a million patents
    hold about 5 GB of claims, more than one Arrow string array can address)."""
    ind_pool, dep_pool = _claim_pool()
    pool = pa.concat_arrays([ind_pool, dep_pool])
    k = np.minimum(1 + rng.poisson(14.5, n), 200)
    offsets, parent = _ragged(k)
    number = np.arange(len(parent), dtype=np.int64) - offsets[parent] + 1
    indep = (number == 1) | (rng.random(len(parent)) < 0.12)
    pick = np.where(indep, rng.integers(0, len(ind_pool), len(parent)), len(ind_pool) + rng.integers(0, len(dep_pool), len(parent)))
    chunks = []
    for a in range(0, n, block):
        b = min(n, a + block)
        lo, hi = offsets[a], offsets[b]
        lines = pc.binary_join_element_wise(_ints_str(number[lo:hi]), pc.take(pool, pa.array(pick[lo:hi])), ". ")
        chunks.append(pc.binary_join(_list(offsets[a:b + 1] - lo, lines), "\n"))
        del lines
    dep_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(parent[~indep], minlength=n), out=dep_offsets[1:])
    return {"claims": pa.chunked_array(chunks, pa.string()), "claims_count": pa.array(k.astype(np.int32)),
            "claims_coverage": pa.array(["all"] * n),
            "dependent_claim_numbers": pa.ListArray.from_arrays(pa.array(dep_offsets.astype(np.int32)),
                                                                pa.array(number[~indep].astype(np.int32)))}


def _family_jurisdictions(rng, own: pa.Array, family_size: np.ndarray) -> pa.ListArray:
    """Own jurisdiction plus ``family_size - 1`` draws of offices, distinct, sorted."""
    from patentnav._arrow import dedupe_pairs, regroup

    n = len(family_size)
    extra = np.maximum(family_size - 1, 0)
    offsets, parent = _ragged(extra)
    codes = _FAMILY_OFFICES[rng.integers(0, len(_FAMILY_OFFICES), len(parent))]
    p = np.concatenate([np.arange(n, dtype=np.int64), parent])
    c = pa.concat_arrays([own.cast(pa.string()), pa.array(codes.tolist(), pa.string())])
    t = dedupe_pairs(pa.table({"p": p, "c": c}))
    t = t.take(pc.sort_indices(t, sort_keys=[("p", "ascending"), ("c", "ascending")]))
    return regroup(t, n)


def _ragged(lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(offsets int64 of len n+1, parent row of every flat position)."""
    lengths = lengths.astype(np.int64)
    offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    parent = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    return offsets, parent


def _list(offsets: np.ndarray, values: pa.Array) -> pa.ListArray:
    return pa.ListArray.from_arrays(pa.array(offsets.astype(np.int32)), values)


def _empty_list(n: int, typ: pa.DataType) -> pa.Array:
    return pa.ListArray.from_arrays(pa.array(np.zeros(n + 1, dtype=np.int32)), pa.array([], typ.value_type))


def _ints_str(a: np.ndarray) -> pa.Array:
    return pa.array(a.astype(np.int64)).cast(pa.string())


def _zipf_choice(rng, m: int, s: float, size: int) -> np.ndarray:
    """Ranks 0..m-1 with P(k) ~ (k+1)^-s (inverse CDF by binary search)."""
    cdf = np.cumsum(np.arange(1, m + 1, dtype=np.float64) ** -s)
    cdf /= cdf[-1]
    return np.minimum(np.searchsorted(cdf, rng.random(size), side="right"), m - 1)


def _ipc(rng, rows: np.ndarray, swap: float, S) -> tuple[np.ndarray, np.ndarray]:
    """(offsets, flat code ids) of the bootstrapped IPC lists, with within-subclass swaps."""
    so = S["offsets"]
    lengths = so[rows + 1] - so[rows]
    offsets, parent = _ragged(lengths)
    within = np.arange(len(parent), dtype=np.int64) - offsets[parent]
    codes = S["codes"][so[rows][parent] + within]
    # swap one code of some patents for another code of its subclass
    pick = np.flatnonzero((rng.random(len(rows)) < swap) & (lengths > 0))
    pos = offsets[pick] + (rng.random(len(pick)) * lengths[pick]).astype(np.int64)
    old = codes[pos]
    new = S["by_sub"][S["sub_start"][old] + (rng.random(len(pos)) * S["sub_count"][old]).astype(np.int64)]
    codes[pos] = new
    # undo swaps that duplicate a code already on the patent
    key = parent * len(S["vocab"]) + codes
    order = np.argsort(key, kind="stable")
    sk = key[order]
    dup = np.zeros(len(key), dtype=bool)
    dup[order[1:][sk[1:] == sk[:-1]]] = True
    dup[order[:-1][sk[1:] == sk[:-1]]] = True
    bad = dup[pos]
    codes[pos[bad]] = old[bad]
    return offsets, codes


def _citations(rng, days: np.ndarray, mean: float, alpha: float, recent_days: int):
    """(citing, cited) index pairs, cited published strictly before citing, distinct pairs."""
    n = len(days)
    hi_all = np.searchsorted(days, days, side="left")  # patents published strictly earlier: [0, hi)
    k = rng.poisson(mean, n)
    k[hi_all == 0] = 0
    citing = np.repeat(np.arange(n, dtype=np.int64), k)
    m = len(citing)
    fitness = rng.pareto(alpha, n) + 1.0
    cum = np.zeros(n + 1)
    np.cumsum(fitness, out=cum[1:])
    hi = hi_all[citing]
    lo_recent = np.searchsorted(days, days - recent_days, side="left")[citing]
    lo = np.where(rng.random(m) < 0.5, 0, np.minimum(lo_recent, hi - 1))
    u = cum[lo] + rng.random(m) * (cum[hi] - cum[lo])
    cited = np.clip(np.searchsorted(cum, u, side="right") - 1, lo, hi - 1)
    key = np.sort(citing * n + cited)  # by citing, then cited (sort-based: np.unique hashes, slowly)
    key = key[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else key
    return key // n, key % n


def synthetic_corpus(n: int, seed: int = 0, *, cites: float = 8.0, external: float = 2.0, swap: float = 0.05,
                     growth: float = 0.12, alpha: float = 2.0, claims: bool = False) -> patentnav.Corpus:
    """A synthetic corpus of ``n`` patents (see the module docstring). Deterministic for a seed."""
    if n < 1:
        raise ValueError("n must be >= 1")
    S = _sample()
    rng = np.random.default_rng(seed)
    cols: dict[str, pa.Array] = {}

    # publication dates (sorted: row order is time order)
    years = np.arange(2000, 2024)
    py = np.exp(growth * (years - 2000))
    y = rng.choice(len(years), size=n, p=py / py.sum())
    start = (np.array([np.datetime64(f"{yy}-01-01") for yy in years]) - np.datetime64("1970-01-01")).astype(np.int64)
    ylen = np.append(start[1:], start[-1] + 365) - start  # 2023 has 365 days
    days = np.sort(start[y] + (rng.random(n) * ylen[y]).astype(np.int64))
    filing = days - (365 + rng.random(n) * 730).astype(np.int64)
    prio = filing - np.where(rng.random(n) < 0.6, (rng.random(n) * 365).astype(np.int64), 0)

    # bootstrap of real rows
    rows = rng.integers(0, S["n"], n)
    take = pa.array(rows)
    jur = pc.take(S["jurisdiction"], take)
    kind = pc.take(S["kind"], take)
    dtype = pc.take(S["document_type"], take)
    number = _ints_str(FIRST_NUMBER + np.arange(n))
    pub = pc.binary_join_element_wise(jur, number, kind, "-")

    offsets, codes = _ipc(rng, rows, swap, S)
    ipc_flat = pc.take(S["vocab"], pa.array(codes))
    first = np.where(np.diff(offsets) > 0, offsets[:-1], -1)
    ipc_main = pc.if_else(pa.array(first >= 0), pc.take(ipc_flat, pa.array(np.maximum(first, 0))), pa.nulls(n, pa.string())) \
        if len(ipc_flat) else pa.nulls(n, pa.string())

    # applicants: Zipf over n // 20 names
    app_offsets, names = _applicants(rng, max(1, n // 20), n)

    # citations: in-corpus (preferential attachment by fitness, strictly earlier) + external
    citing, cited = _citations(rng, days, cites, alpha, 3 * 365)
    cited_lists = _cited_lists(rng, citing, pc.take(pub, pa.array(cited)), external, n)

    date = lambda d: pa.array(d.astype("datetime64[D]"))  # noqa: E731
    granted = pc.equal(dtype, "granted_patent")
    pub_date = date(days)
    cols.update({
        "publication_number": pub,
        "jurisdiction": jur,
        "doc_number": number,
        "kind": kind,
        "document_type": dtype,
        "title": pc.take(S["title"], take),
        "claims_count": pa.array((1 + rng.poisson(16, n)).astype(np.int32)),
        "applicants": _list(app_offsets, names),
        "ipc": _list(offsets, ipc_flat),
        "ipc_main": ipc_main,
        "cpc": pc.take(S["cpc"], take),
        "earliest_priority_date": date(prio),
        "filing_date": date(filing),
        "publication_date": pub_date,
        "grant_date": pc.if_else(granted, pub_date, pa.nulls(n, pa.date32())),
        "cited_publications": cited_lists,
        "forward_citations": pa.array(np.bincount(cited, minlength=n).astype(np.int32)),
        "family_size": pa.array((1 + rng.poisson(2.9, n)).astype(np.int32)),
    })
    if claims:  # drawn last, from a separate stream, so that the other columns do not change
        rc = np.random.default_rng([seed, 1])
        cols.update(_claims(rc, n))
        cols["agents"] = _list(np.arange(n + 1), pc.binary_join_element_wise(
            pa.scalar("AGENT"), _ints_str(_zipf_choice(rc, max(1, n // 40), 1.1, n) + 1), pa.scalar("LLP"), " "))
        cols["family_jurisdictions"] = _family_jurisdictions(rc, jur, cols["family_size"].to_numpy())
    return patentnav.Corpus(_table(cols, n))


def _applicants(rng, m_names: int, n: int) -> tuple[np.ndarray, pa.Array]:
    """(offsets, names) of 1 (85 %) or 2 distinct Zipf-drawn applicant names per patent."""
    a1 = _zipf_choice(rng, m_names, 1.1, n)
    a2 = _zipf_choice(rng, m_names, 1.1, n)
    two = (rng.random(n) < 0.15) & (a2 != a1)
    app_offsets, app_parent = _ragged(1 + two)
    app_idx = np.empty(len(app_parent), dtype=np.int64)
    app_idx[app_offsets[:-1]] = a1
    app_idx[app_offsets[:-1][two] + 1] = a2[two]
    suffix = pc.take(pa.array(_SUFFIXES.tolist()), pa.array(app_idx % len(_SUFFIXES)))
    return app_offsets, pc.binary_join_element_wise(pa.scalar("APPLICANT"), _ints_str(app_idx + 1), suffix, " ")


def _cited_lists(rng, citing: np.ndarray, cited_pubs: pa.Array, external: float, n: int) -> pa.ListArray:
    """Per patent: its in-corpus references (``citing`` rows 0..n-1, numbers ``cited_pubs``)
    then ``Poisson(external)`` out-of-corpus ``US-<number>-A`` references (repeats dropped)."""
    n_ext = rng.poisson(external, n)
    ext_parent = np.repeat(np.arange(n, dtype=np.int64), n_ext)
    ext_num = 1_000_000 + _zipf_choice(rng, 2_000_000, 0.6, len(ext_parent))
    ext = pc.binary_join_element_wise(pa.scalar("US"), _ints_str(ext_num), pa.scalar("A"), "-")
    # external numbers repeated within a patent: keep the first
    ekey = ext_parent * 10_000_000 + ext_num
    eo = np.argsort(ekey, kind="stable")
    sk = ekey[eo]
    ei = np.sort(eo[np.concatenate([[True], sk[1:] != sk[:-1]])]) if len(sk) else eo
    ext_parent, ext = ext_parent[ei], pc.take(ext, pa.array(ei))
    parent_all = np.concatenate([citing, ext_parent])
    order = np.argsort(parent_all, kind="stable")  # in-corpus first, then external, per patent
    cite_flat = pc.take(pa.concat_arrays([cited_pubs, ext]), pa.array(order))
    cite_offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(parent_all, minlength=n), out=cite_offsets[1:])
    return _list(cite_offsets, cite_flat)


def _table(cols: dict, n: int) -> pa.Table:
    """A canonical table of ``n`` rows: ``cols`` cast to the schema, other columns empty."""
    arrays = []
    for f in SCHEMA:
        if f.name in cols:
            a = cols[f.name]
            arrays.append(a if a.type == f.type else a.cast(f.type))
        elif pa.types.is_list(f.type):
            arrays.append(_empty_list(n, f.type))
        else:
            arrays.append(pa.nulls(n, f.type))
    arrays = [a if isinstance(a, pa.ChunkedArray) else pa.chunked_array([a], a.type) for a in arrays]  # claims: chunked
    return pa.Table.from_arrays(arrays, schema=SCHEMA)


def write_synthetic_dataset(n: int, path, seed: int = 0, *, chunk: int = 1_000_000, cites: float = 8.0,
                            external: float = 2.0, swap: float = 0.05, growth: float = 0.12, alpha: float = 2.0,
                            overwrite: bool = False, progress=None) -> int:
    """Write a synthetic corpus of ``n`` patents as a partitioned Parquet corpus (the layout of
    ``patentnav ingest -o corpus/``), ``chunk`` patents at a time: never the whole table in memory.

    The same distributions as :func:`synthetic_corpus` (not the same draws: each chunk has
    its own random stream). What must be global is kept as numbers only: publication days
    (sorted), bootstrap rows and fitness (citations go to strictly earlier patents of any
    chunk; a cited patent's number is rebuilt from its index). ``forward_citations`` (the
    in-corpus in-degree) needs every chunk's citations, so the citations are drawn twice
    from the same per-chunk seeds: once to count, once to write. Peak memory is about
    ``60 * n`` bytes of numbers plus one chunk's tables. Returns the rows written.
    """
    from patentnav.io.dataset import DatasetWriter

    S = _sample()
    g = np.random.default_rng([seed, 0])
    years = np.arange(2000, 2024)
    py = np.exp(growth * (years - 2000))
    y = g.choice(len(years), size=n, p=py / py.sum())
    start = (np.array([np.datetime64(f"{yy}-01-01") for yy in years]) - np.datetime64("1970-01-01")).astype(np.int64)
    ylen = np.append(start[1:], start[-1] + 365) - start
    days = np.sort(start[y] + (g.random(n) * ylen[y]).astype(np.int64))
    del y
    rows = g.integers(0, S["n"], n).astype(np.int32)
    fitness = g.pareto(alpha, n) + 1.0
    cum = np.zeros(n + 1)
    np.cumsum(fitness, out=cum[1:])
    del fitness
    m_names = max(1, n // 20)
    bounds = [(lo, min(n, lo + chunk)) for lo in range(0, n, chunk)]

    def draw(c: int, lo: int, hi: int):
        """(citing, cited) global indices for the citing patents lo..hi-1 (as _citations)."""
        r = np.random.default_rng([seed, 1, c])
        d = days[lo:hi]
        hi_all = np.searchsorted(days, d, side="left")
        k = r.poisson(cites, hi - lo)
        k[hi_all == 0] = 0
        citing = np.repeat(np.arange(lo, hi, dtype=np.int64), k)
        top = hi_all[citing - lo]
        lo_recent = np.searchsorted(days, d - 3 * 365, side="left")[citing - lo]
        low = np.where(r.random(len(citing)) < 0.5, 0, np.minimum(lo_recent, top - 1))
        u = cum[low] + r.random(len(citing)) * (cum[top] - cum[low])
        cited = np.clip(np.searchsorted(cum, u, side="right") - 1, low, top - 1)
        key = np.sort(citing * n + cited)
        key = key[np.concatenate([[True], key[1:] != key[:-1]])] if len(key) else key
        return key // n, key % n

    indegree = np.zeros(n, dtype=np.int32)
    for c, (lo, hi) in enumerate(bounds):
        _, cited = draw(c, lo, hi)
        np.add.at(indegree, cited, 1)
    writer = DatasetWriter(path, overwrite=overwrite)
    for c, (lo, hi) in enumerate(bounds):
        writer.write(_chunk_table(S, seed, c, lo, hi, days, rows, indegree, draw(c, lo, hi), m_names, external, swap))
        if progress is not None:
            progress(hi)
    writer.close()
    return writer.rows


def _pubs(S, rows: np.ndarray, idx: np.ndarray) -> pa.Array:
    """Publication numbers of patents ``idx`` (global indices): rebuilt, never stored."""
    take = pa.array(rows[idx])
    return pc.binary_join_element_wise(pc.take(S["jurisdiction"], take), _ints_str(FIRST_NUMBER + idx),
                                       pc.take(S["kind"], take), "-")


def _chunk_table(S, seed, c, lo, hi, days, rows, indegree, cit, m_names, external, swap) -> pa.Table:
    """One chunk of :func:`write_synthetic_dataset` as a canonical table."""
    rng = np.random.default_rng([seed, 2, c])
    m = hi - lo
    idx = np.arange(lo, hi, dtype=np.int64)
    d = days[lo:hi]
    filing = d - (365 + rng.random(m) * 730).astype(np.int64)
    prio = filing - np.where(rng.random(m) < 0.6, (rng.random(m) * 365).astype(np.int64), 0)
    r = rows[lo:hi].astype(np.int64)
    take = pa.array(r)
    dtype = pc.take(S["document_type"], take)
    offsets, codes = _ipc(rng, r, swap, S)
    ipc_flat = pc.take(S["vocab"], pa.array(codes))
    first = np.where(np.diff(offsets) > 0, offsets[:-1], -1)
    ipc_main = pc.if_else(pa.array(first >= 0), pc.take(ipc_flat, pa.array(np.maximum(first, 0))), pa.nulls(m, pa.string()))
    app_offsets, names = _applicants(rng, m_names, m)
    citing, cited = cit
    cited_lists = _cited_lists(rng, citing - lo, _pubs(S, rows, cited), external, m)
    date = lambda x: pa.array(x.astype("datetime64[D]"))  # noqa: E731
    pub_date = date(d)
    cols = {
        "publication_number": _pubs(S, rows, idx), "jurisdiction": pc.take(S["jurisdiction"], take),
        "doc_number": _ints_str(FIRST_NUMBER + idx), "kind": pc.take(S["kind"], take), "document_type": dtype,
        "title": pc.take(S["title"], take), "claims_count": pa.array((1 + rng.poisson(16, m)).astype(np.int32)),
        "applicants": _list(app_offsets, names), "ipc": _list(offsets, ipc_flat), "ipc_main": ipc_main,
        "cpc": pc.take(S["cpc"], take), "earliest_priority_date": date(prio), "filing_date": date(filing),
        "publication_date": pub_date,
        "grant_date": pc.if_else(pc.equal(dtype, "granted_patent"), pub_date, pa.nulls(m, pa.date32())),
        "cited_publications": cited_lists, "forward_citations": pa.array(indegree[lo:hi]),
        "family_size": pa.array((1 + rng.poisson(2.9, m)).astype(np.int32)),
    }
    return _table(cols, m)
