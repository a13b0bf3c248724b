"""Issue 16 (geo lane): the faster regional, geo, families and gaps helpers against their
former definitions (copied here as oracles), on random inputs and edge cases."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from patentnav import geo
from patentnav.report.positioning import GROWTH_WINDOW, _publication_years, _region_growth
from patentnav.report.regional import long_values, value_prefix_rows


# ------------------------------------------------------------------ former definitions (oracles)

def old_long_values(corpus, column: str, name: str, rows=None) -> pd.DataFrame:
    from patentnav._arrow import dedupe_pairs

    if column not in corpus.table.column_names:
        return pd.DataFrame({"row": np.zeros(0, np.int64), name: np.zeros(0, object)})
    lists = corpus.table[column].combine_chunks()
    row_of = None
    if rows is not None:
        row_of = np.asarray(rows, dtype=np.int64)
        lists = lists.take(pa.array(row_of))
    flat = pc.list_flatten(lists).cast(pa.string())
    if len(flat) == flat.null_count:
        lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
        values = pd.Series(flat.to_numpy(zero_copy_only=False), dtype=object).astype(str).str.strip()
        at = np.repeat(np.arange(len(lengths)), lengths)
        out = pd.DataFrame({"row": at if row_of is None else row_of[at], name: values.to_numpy()})
        return out[(out[name] != "") & (out[name] != "None")].drop_duplicates().reset_index(drop=True)
    vals = pc.utf8_trim_whitespace(flat)
    t = pa.table({"p": pc.list_parent_indices(lists).cast(pa.int64()), "c": vals})
    t = dedupe_pairs(t.filter(pc.fill_null(pc.and_(pc.not_equal(vals, ""), pc.not_equal(vals, "None")), True)))
    at = t["p"].to_numpy()
    return pd.DataFrame({"row": at if row_of is None else row_of[at], name: t["c"].to_pandas()})


def old_value_prefix_rows(corpus, column: str, width: int):
    lists = corpus.table[column].combine_chunks()
    vals = pc.utf8_trim_whitespace(pc.list_flatten(lists).cast(pa.string()))
    keep = pc.fill_null(pc.and_(pc.not_equal(vals, ""), pc.not_equal(vals, "None")), False)
    parent = pc.list_parent_indices(lists).filter(keep)
    cut = pc.utf8_slice_codeunits(vals.filter(keep), 0, width)

    def rows(prefix) -> np.ndarray:
        hit = pc.fill_null(pc.equal(cut, str(prefix)), False)
        return np.unique(parent.filter(hit).to_numpy().astype(np.int64))

    return rows


# ------------------------------------------------------------------ inputs

_WORDS = ["H04L", " H04L 9/32", "H04W", "G06F 3/01 ", "", "  ", "None", None, "A", "H04L9", "北京", " 北京 ", "G06F"]


def _lists(rng, n: int, max_len: int = 5, nulls: bool = True) -> pa.ListArray:
    out = []
    for _ in range(n):
        if nulls and rng.random() < 0.1:
            out.append(None)
        else:
            out.append([_WORDS[i] for i in rng.integers(0, len(_WORDS), rng.integers(0, max_len + 1))])
    return pa.array(out, pa.list_(pa.string()))


def _corpus(**cols) -> SimpleNamespace:
    return SimpleNamespace(table=pa.table(cols))


def _list_cases():
    rng = np.random.default_rng(16)
    yield "random", _lists(rng, 300)
    yield "chunked", pa.chunked_array([_lists(rng, 40), _lists(rng, 25)])
    yield "empty", pa.array([], pa.list_(pa.string()))
    yield "one row", pa.array([[" H04L ", "H04L", None, None]], pa.list_(pa.string()))
    yield "all null lists", pa.array([None, None], pa.list_(pa.string()))
    yield "only null values", pa.array([[None], [None, None], []], pa.list_(pa.string()))
    yield "only blanks", pa.array([["", " "], ["None"]], pa.list_(pa.string()))


@pytest.mark.parametrize("label,lists", list(_list_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_long_values_as_before(label, lists):
    c = _corpus(ipc=lists)
    n = c.table.num_rows
    pd.testing.assert_frame_equal(long_values(c, "ipc", "code"), old_long_values(c, "ipc", "code"))
    for rows in (np.arange(0, n, 3), np.zeros(0, np.int64), np.arange(n)):
        pd.testing.assert_frame_equal(long_values(c, "ipc", "code", rows=rows), old_long_values(c, "ipc", "code", rows=rows))
    pd.testing.assert_frame_equal(long_values(c, "absent", "code"), old_long_values(c, "absent", "code"))


@pytest.mark.parametrize("label,lists", list(_list_cases()), ids=lambda v: v if isinstance(v, str) else "")
def test_value_prefix_rows_as_before(label, lists):
    c = _corpus(ipc=lists)
    for width in (1, 4, 9):
        new, old = value_prefix_rows(c, "ipc", width), old_value_prefix_rows(c, "ipc", width)
        for prefix in ("H04L", "H04W", "G06F", "A", "北京", "", "None", "H", "ZZZZ", "H04L 9/32"):
            got, want = new(prefix), old(prefix)
            assert got.dtype == want.dtype and np.array_equal(got, want), (width, prefix)


# ------------------------------------------------------------------ geo: counting documents of an assignment


def old_documents_per_group(codes, n_groups, assignment):
    pubs = assignment["publication_number"]
    if isinstance(pubs.dtype, pd.StringDtype) and pubs.dtype.storage == "pyarrow":
        doc = geo._indices(pc.dictionary_encode(geo._arrow_strings(pubs)))
    else:
        doc = pd.factorize(pubs)[0].astype(np.int64)
    ok = (doc >= 0) & (codes >= 0)
    n_docs = max(int(doc.max()) + 1, 1) if len(doc) else 1
    pairs = pd.unique(codes[ok] * n_docs + doc[ok]) // n_docs
    return np.bincount(pairs, minlength=n_groups)


def old_applicant_evidence(assignment, region):
    SOURCES, LOCATION_SOURCES = geo.SOURCES, geo.LOCATION_SOURCES
    a = assignment[(assignment["region"].astype(str) == str(region)) & assignment["applicant"].notna()]
    a = a.assign(_rank=geo._source_rank(a["source_of_evidence"]).fillna(len(SOURCES)).astype(int))
    g = a.groupby(a["applicant"].astype(str), sort=False)
    out = pd.DataFrame({"patents": g["weight"].sum(), "documents": g["publication_number"].nunique(),
                        "_rank": g["_rank"].min()})
    out.index.name = "applicant"
    out = out.reset_index()
    out["evidence"] = [SOURCES[i] if i < len(SOURCES) else "none" for i in out.pop("_rank")]
    out["located"] = out["evidence"].isin(LOCATION_SOURCES)
    out["documents"] = out["documents"].astype(np.int64)
    return out.sort_values(["patents", "applicant"], ascending=[False, True], kind="mergesort").reset_index(drop=True)


def _assignment(rng, n: int, arrow: bool = True) -> pd.DataFrame:
    """A random assignment: repeated and missing publication numbers, applicants, regions, sources."""
    pubs = [None if rng.random() < 0.05 else f"US{rng.integers(0, max(n // 3, 1))}A" for _ in range(n)]
    apps = [None if rng.random() < 0.1 else f"firm {rng.integers(0, 7)}" for _ in range(n)]
    regions = [["US", "CN", "UNKNOWN", "DE"][i] for i in rng.integers(0, 4, n)]
    src = pd.Categorical.from_codes(rng.integers(-1, len(geo.SOURCES), n), categories=list(geo.SOURCES))
    strings = (lambda v: pa.array(v, pa.string()).to_pandas()) if arrow else (lambda v: pd.Series(v, dtype=object))
    return pd.DataFrame({"publication_number": strings(pubs), "applicant_index": rng.integers(-1, 3, n),
                         "applicant": strings(apps), "applicant_raw": strings(apps), "region": strings(regions),
                         "weight": rng.random(n).round(3), "source_of_evidence": src})


def _assignments():
    rng = np.random.default_rng(7)
    for n in (0, 1, 2, 50, 400):
        yield _assignment(rng, n)
        yield _assignment(rng, n, arrow=False)


@pytest.mark.parametrize("assignment", list(_assignments()))
def test_source_summary_and_shares_as_before(assignment):
    rng = np.random.default_rng(len(assignment))
    for _ in range(2):  # twice: the second call reads the kept codes
        codes = rng.integers(-1, 4, len(assignment))
        assert np.array_equal(geo._documents_per_group(codes, 4, assignment), old_documents_per_group(codes, 4, assignment))
    sub = assignment[assignment["weight"] > 0.5]  # filtered: other rows, not the kept codes
    codes = rng.integers(-1, 4, len(sub))
    assert np.array_equal(geo._documents_per_group(codes, 4, sub), old_documents_per_group(codes, 4, sub))


@pytest.mark.parametrize("assignment", list(_assignments()))
def test_applicant_evidence_as_before(assignment):
    for region in ("US", "CN", "XX"):
        for a in (assignment, assignment.iloc[::-1], assignment[assignment["applicant_index"] >= 0]):
            pd.testing.assert_frame_equal(geo.applicant_evidence(a, region), old_applicant_evidence(a, region))


def test_document_codes_kept_per_column_and_released():
    a = _assignment(np.random.default_rng(3), 30)
    first = geo._document_codes(a["publication_number"])
    assert geo._document_codes(a[["publication_number", "weight"]]["publication_number"]) is first
    assert not first.flags.writeable
    n = len(geo._DOCUMENT_CODES)
    del a
    import gc

    gc.collect()
    assert len(geo._DOCUMENT_CODES) == n - 1


def test_assign_regions_keeps_document_codes_of_its_rows():
    """The codes assign_regions keeps for its publication numbers count as hashing the column does."""
    table = pa.table({
        "publication_number": ["US-1-A", "US-1-A", None, "CN-2-B", "US-1-A"],
        "applicants": [["a", "b"], [], ["c"], None, ["a", "d", "e"]],
        "applicants_harmonized": [["A", "B"], [], ["C"], None, ["A", "D", "E"]],
        "applicant_addresses": pa.nulls(5, pa.list_(pa.string())),
        "applicant_countries": [["US", "CN"], [], None, None, ["DE", "US", "XX"]],
        "priority_countries": pa.nulls(5, pa.list_(pa.string())),
        "priority_dates": pa.nulls(5, pa.list_(pa.date32())),
        "jurisdiction": ["US", "US", "EP", "CN", "US"],
    })
    a = geo.assign_regions(table)
    kept = geo._document_codes(a["publication_number"])
    fresh = geo._indices(pc.dictionary_encode(pa.array(a["publication_number"])))
    assert np.array_equal(pd.factorize(kept)[0], pd.factorize(fresh)[0])
    codes = pd.Categorical(a["region"]).codes.astype(np.int64)
    assert np.array_equal(geo._documents_per_group(codes, codes.max() + 1, a),
                          old_documents_per_group(codes, codes.max() + 1, a))
    pd.testing.assert_frame_equal(geo.source_summary(a), a.attrs["source_summary"])


# ------------------------------------------------------------------ positioning: a region's growth per field


def old_region_growth(corpus, la, yearly, field_label, region) -> tuple[dict, int | None, int | None]:
    """CAGR of the region's documents per field by publication year (as the field table)."""
    from patentnav.landscape import growth

    if "publication_date" not in corpus.table.column_names:
        return {}, None, None
    ra = la[la["region"] == region]
    ra = ra.assign(year=_publication_years(corpus, ra["_row"].to_numpy())).dropna(subset=["year"])
    ry = ra.groupby(["field", "year"])["weight"].sum()
    inc_by_year = dict(zip(yearly["year"].astype(int), yearly["incomplete"].astype(bool)))
    all_years = sorted(inc_by_year)
    out, start, end = {}, None, None
    for f in sorted(field_label):
        cnt = ry.loc[f] if f in ry.index.get_level_values(0) else pd.Series(dtype=float)
        cdf = pd.DataFrame({"count": [float(cnt.get(y, 0.0)) for y in all_years],
                            "incomplete": [inc_by_year[y] for y in all_years]}, index=pd.Index(all_years, name="year"))
        try:
            g = growth(cdf, window=GROWTH_WINDOW)
        except (ValueError, ZeroDivisionError):
            out[f] = None
            continue
        out[f], start, end = g.cagr, g.start, g.end
    return out, start, end


def _growth_inputs(rng, n_docs: int, with_nat: bool):
    import datetime as dt

    dates = [None if with_nat and rng.random() < 0.2 else dt.date(int(rng.integers(2005, 2024)), 6, 1) for _ in range(n_docs)]
    corpus = _corpus(publication_date=pa.array(dates, pa.date32()))
    m = n_docs * 2
    la = pd.DataFrame({"region": rng.choice(["US", "CN"], m), "applicant": ["x"] * m, "weight": rng.random(m).round(2),
                       "field": rng.integers(0, 6, m).astype(float), "_row": rng.integers(-1 if with_nat else 0, n_docs, m)})
    years = np.arange(2004, 2025)
    yearly = pd.DataFrame({"year": years, "incomplete": years >= 2023})
    return corpus, la, yearly


@pytest.mark.parametrize("seed", range(6))
def test_region_growth_as_before(seed):
    rng = np.random.default_rng(seed)
    corpus, la, yearly = _growth_inputs(rng, [1, 5, 40, 300, 300, 60][seed], with_nat=seed % 2 == 1)
    labels = {f: f"field {f}" for f in range(8)}  # fields 6 and 7 without documents
    for region in ("US", "CN", "XX"):
        assert repr(_region_growth(corpus, la, yearly, labels, region)) == repr(old_region_growth(corpus, la, yearly, labels, region))
    la_int = la.assign(field=la["field"].astype(np.int64))
    assert repr(_region_growth(corpus, la_int, yearly, labels, "US")) == repr(old_region_growth(corpus, la_int, yearly, labels, "US"))
    empty = la.iloc[:0]
    assert repr(_region_growth(corpus, empty, yearly, labels, "US")) == repr(old_region_growth(corpus, empty, yearly, labels, "US"))


def test_first_pairs_any_order():
    """The first occurrence of each (parent, value) pair, whatever the order of the parents."""
    from patentnav._arrow import dedupe_pairs
    from patentnav.report.regional import _first_pairs

    rng = np.random.default_rng(5)
    for n in (0, 1, 2, 500):
        parent = rng.integers(0, 20, n)
        values = pa.array([None if rng.random() < 0.1 else f"v{i}" for i in rng.integers(0, 6, n)], pa.string())
        for p in (parent, np.sort(parent)):
            want = dedupe_pairs(pa.table({"p": pa.array(p, pa.int64()), "c": values}))
            mask = _first_pairs(p.astype(np.int64), values)
            assert p[mask].tolist() == want["p"].to_pylist()
            assert values.filter(pa.array(mask)).to_pylist() == want["c"].to_pylist()


# ------------------------------------------------------------------ context: missing share of a list column

def old_missing_share(table, name: str) -> float:
    n = table.num_rows
    if name not in table.column_names:
        return 1.0
    col = table[name]
    if pa.types.is_list(col.type) or pa.types.is_large_list(col.type):
        lens = col.combine_chunks().value_lengths().to_numpy(zero_copy_only=False)
        return float(np.mean(np.nan_to_num(lens.astype(float), nan=0.0) == 0)) if n else 0.0
    share = float(col.null_count) / n if n else 0.0
    if share < 1 and pd.api.types.is_string_dtype(col.type.to_pandas_dtype()):
        vals = col.to_pandas()
        share = float((vals.isna() | (vals.astype(str).str.strip() == "")).mean())
    return share


def test_missing_share_of_list_columns_as_before():
    from patentnav.report.context import _missing_share

    rng = np.random.default_rng(11)
    cases = [pa.chunked_array([_lists(rng, 30), _lists(rng, 0), _lists(rng, 12)]), pa.chunked_array([_lists(rng, 1)]),
             pa.chunked_array([], pa.list_(pa.string())), pa.chunked_array([pa.array([None, None], pa.list_(pa.string()))]),
             pa.chunked_array([pa.array([[], ["x"]], pa.large_list(pa.string()))])]
    for col in cases:
        t = pa.table({"c": col})
        assert _missing_share(t, "c") == old_missing_share(t, "c")
