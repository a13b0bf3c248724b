"""Engines (patentnav.engine): every kernel equal to the in-memory computation, on DuckDB
(SQLFrame) and on Apache Spark local[1]; partitioned Parquet ingest with row accounting."""

from __future__ import annotations

import datetime as dt
import os
import pathlib
import shutil
import sys

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import patentnav
from patentnav import landscape as ls
from patentnav.engine import Engine
from patentnav.geo import assign_regions
from patentnav.landscape.citations import citation_graph, windowed_forward_citations
from patentnav.landscape.gaps import region_technology

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "benchmarks"))
from synthetic import synthetic_corpus  # noqa: E402

D = dt.date


def _has_java() -> bool:
    return shutil.which("java") is not None or bool(os.environ.get("JAVA_HOME"))


@pytest.fixture(scope="session")
def duckdb_engine():
    return Engine("duckdb", threads=2)


@pytest.fixture(scope="session")
def spark_engine():
    pytest.importorskip("pyspark")
    if not _has_java():
        pytest.skip("the spark engine needs Java 17+ (java not found)")
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    eng = Engine("spark", master="local[1]", config={
        "spark.sql.shuffle.partitions": "1", "spark.default.parallelism": "1", "spark.ui.enabled": "false",
        "spark.driver.bindAddress": "127.0.0.1", "spark.driver.host": "127.0.0.1",
        "spark.ui.showConsoleProgress": "false", "spark.sql.adaptive.enabled": "false",
        # short jobs: the quick JIT tier only, a small serial heap (seconds off the warm-up)
        "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC", "spark.driver.memory": "1g"})
    eng.api.session.sparkContext.setLogLevel("ERROR")
    yield eng
    eng.stop()


@pytest.fixture(params=["duckdb", "spark"])
def engine(request):
    return request.getfixturevalue(f"{request.param}_engine")


def _tricky() -> patentnav.Corpus:
    """Hand-made cases: non-canonical and broken codes, kind-less and ambiguous references,
    self-citations, families, aligned and unaligned lists, a 29 February."""
    rows = [
        dict(publication_number="US-1-B2", jurisdiction="US", family_id="F1", publication_date=D(2012, 2, 29),
             earliest_priority_date=D(2010, 5, 1), filing_date=D(2010, 6, 1),
             ipc=["H04W72/04", "H04W 72/04 (2009.01)", "G06F3/01", "XYZ", "H04W"], cpc=["Y02D30/70"],
             applicants=["Huawei Tech Co Ltd", "DJI"], applicant_countries=["CN", "cn"],
             applicant_addresses=["广东省深圳市南山区西丽街道", ""], priority_countries=["CN", "US"],
             priority_dates=[D(2010, 5, 1), D(2009, 1, 1)],
             cited_publications=["US-2", "US-3-A1", "EP-5", "XX-9", "US-1-B2", " ", "US-1"]),
        dict(publication_number="US-2-B1", jurisdiction="US", family_id="F1", publication_date=D(2011, 1, 1),
             earliest_priority_date=D(2009, 3, 1), ipc=["G06F3/01", "G06F3/041", "H04W"], applicants=["DJI"],
             applicant_countries=["中国"], priority_countries=["WO", "JP"], priority_dates=[D(2009, 3, 1)],
             cited_publications=["EP-5-A1"]),
        dict(publication_number="US-3-A1", jurisdiction="US", publication_date=D(2017, 2, 28),
             earliest_priority_date=D(2016, 1, 1), ipc=["B64C39/02", "B64C39/024", "G06F3/01"], applicants=[],
             cited_publications=["US-1-B2", "US-2-B1"]),
        dict(publication_number="EP-5-A1", jurisdiction="EP", publication_date=D(2008, 7, 1),
             earliest_priority_date=D(2007, 7, 1), ipc=["B64C39/02"], applicants=["Parrot SA"],
             priority_countries=["FR"], priority_dates=[D(2007, 7, 1)]),
        dict(publication_number="EP-5-B1", jurisdiction="EP", publication_date=None, ipc=["B64C39/02", "B64U10/13"],
             applicants=["Parrot S.A."], cited_publications=["US-1-A9"]),
        dict(publication_number="CN-7-A", jurisdiction="CN", family_id="F7", publication_date=D(2020, 3, 1),
             earliest_priority_date=D(2019, 3, 1), ipc=["B64U10/13", "B64U", "G05D1/10"],
             applicants=["深圳市大疆创新科技有限公司"], applicant_addresses=["广东省深圳市南山区"],
             cited_publications=["US-1-B2", "US-3", "CN-7-A"]),
        dict(publication_number="WO-8-A1", jurisdiction="WO", publication_date=D(2021, 5, 5), ipc=[],
             applicants=["Solo Inventor"], cited_publications=["CN-7-A", "US-2-B1"]),
    ]
    return patentnav.Corpus.from_pandas(pd.DataFrame(rows)).harmonize_applicants()


@pytest.fixture(scope="module")
def corpora(drones):
    return {"tricky": _tricky(), "synthetic": synthetic_corpus(800, seed=11).harmonize_applicants(),
            "drones": drones.harmonize_applicants()}


class _Lazy(dict):
    """Aggregates per corpus name, made on first use."""

    def __init__(self, engine, corpora):
        super().__init__()
        self.engine, self.corpora = engine, corpora

    def __missing__(self, name):
        self[name] = self.engine.aggregates(self.corpora[name])
        return self[name]


@pytest.fixture
def aggs(engine, corpora):
    """Per engine, the aggregates of each corpus (cached for the session)."""
    key = f"_aggs_{engine.name}"
    if not hasattr(engine, key):
        setattr(engine, key, _Lazy(engine, corpora))
    return getattr(engine, key)


def _spark_skip(engine, why: str):
    if engine.name == "spark":
        pytest.skip(f"{why}: checked on DuckDB; Spark runs the same kernel code (kept short)")


def _same_incidence(a, b):
    assert a.items.tolist() == b.items.tolist()
    assert a.documents.tolist() == b.documents.tolist()
    assert (a.matrix != b.matrix).nnz == 0


@pytest.mark.parametrize("name", ["tricky", "synthetic"])
@pytest.mark.parametrize("level", ["subclass", "main_group", "subgroup"])
def test_incidence_and_cooccurrence(aggs, corpora, name, level, engine):
    if (name, level) != ("tricky", "main_group"):
        _spark_skip(engine, "this corpus and level")
    c = corpora[name]
    _same_incidence(aggs[name].incidence("ipc", level), ls.code_incidence(c, "ipc", level))
    for kw in ({}, {"min_occurrences": 2, "normalize": "cosine"}):
        e, m = aggs[name].cooccurrence("ipc", level, **kw), ls.cooccurrence(c, "ipc", level, **kw)
        assert e.items.tolist() == m.items.tolist() and e.total == m.total and e.n_documents == m.n_documents
        assert (e.counts != m.counts).nnz == 0 and np.array_equal(e.link_strength, m.link_strength)
        assert (e.strength != m.strength).nnz == 0  # bit-identical strengths


def test_coarse_levels_and_cpc(duckdb_engine, corpora):
    agg = duckdb_engine.aggregates(corpora["tricky"])
    for field, level in (("ipc", "section"), ("ipc", "class"), ("cpc", "subclass")):
        _same_incidence(agg.incidence(field, level), ls.code_incidence(corpora["tricky"], field, level))


def test_heavy_documents_take_the_sparse_product(engine, corpora):
    """Documents with more codes than ``heavy`` are not self-joined; the counts stay equal."""
    c = corpora["synthetic"]
    agg = type(aggs_of := engine.aggregates(c))(aggs_of.api, aggs_of.docs, aggs_of.documents, heavy=2)
    e, m = agg.cooccurrence("ipc", "main_group"), ls.cooccurrence(c, "ipc", "main_group")
    assert (e.counts != m.counts).nnz == 0 and (e.strength != m.strength).nnz == 0


@pytest.mark.parametrize("by,unit", [("priority", "documents"), ("publication", "families"), ("filing", "families")])
def test_annual_counts_and_families(aggs, corpora, by, unit, engine):
    if by != "publication":
        _spark_skip(engine, "this count")
    for name in ("tricky",) if engine.name == "spark" else ("tricky", "synthetic"):
        e, m = aggs[name].annual_counts(by, unit), ls.annual_counts(corpora[name], by=by, unit=unit)
        pd.testing.assert_frame_equal(e, m)
        assert e.attrs == m.attrs


def test_applicant_name_counts(duckdb_engine, corpora):
    names = duckdb_engine.aggregates(corpora["drones"]).applicant_names()
    from patentnav.model.summary import list_value_counts

    want = list_value_counts(corpora["drones"]["applicants"], top=5)
    assert [tuple(r) for r in names.head(5).itertuples(index=False)] == [(a, int(n)) for a, n in want]


def test_family_deduplication(duckdb_engine, corpora):
    fam = duckdb_engine.aggregates(corpora["tricky"]).families()
    assert fam.set_index("unit")["members"].to_dict() == {"f:F1": 2, "f:F7": 1, "d:US-3-A1": 1, "d:EP-5-A1": 1,
                                                         "d:EP-5-B1": 1, "d:WO-8-A1": 1}
    assert fam.set_index("unit").loc["f:F1", "year"] == 2009  # the earliest member's priority year
    assert int(fam["members"].sum()) == len(corpora["tricky"])


@pytest.mark.parametrize("name", ["tricky", "synthetic", "drones"])
def test_applicant_counts_with_harmonised_names(aggs, corpora, name, engine):
    _spark_skip(engine, "applicant counts (the Spark report test covers them)")
    c = corpora[name]
    e, m = aggs[name].life_cycle(), ls.life_cycle(c)
    pd.testing.assert_frame_equal(e, m)
    assert e.attrs == m.attrs and e.attrs["applicant_column"] == "applicants_harmonized"
    e, m = aggs[name].top_applicants_by_year(8), ls.top_applicants_by_year(c, n=8)
    pd.testing.assert_frame_equal(e, m)
    assert e.attrs == m.attrs


@pytest.mark.parametrize("name", ["tricky", "synthetic"])
def test_citation_arcs_and_forward_window(aggs, corpora, name, engine):
    if name != "tricky":
        _spark_skip(engine, "this corpus")
    c = corpora[name]
    e, m = aggs[name].citation_graph(), citation_graph(c)
    for a in ("nodes", "src", "dst", "n_references", "n_external", "n_self"):
        assert np.array_equal(getattr(e, a), getattr(m, a)), a
    assert e.stats == m.stats and e.has_citation_data == m.has_citation_data
    fw = aggs[name].forward_citations(5)
    ref = windowed_forward_citations(c, 5)
    for col in ("forward_window", "forward_in_corpus", "citing_before", "citing_undated"):
        want = ref[col].fillna(0).to_numpy(dtype=np.int64) if col != "forward_window" else \
            np.where(ref[col].isna(), fw[col], ref[col].fillna(0)).astype(np.int64)
        assert np.array_equal(fw[col].to_numpy(), want), col


def test_tricky_citations_resolve_by_the_rules(duckdb_engine, corpora):
    g = duckdb_engine.aggregates(corpora["tricky"]).citation_graph()
    arcs = set(map(tuple, g.arcs().to_numpy().tolist()))
    assert ("US-2-B1", "US-1-B2") in arcs  # kind-less
    assert {("EP-5-A1", "US-1-B2"), ("EP-5-B1", "US-1-B2")} <= arcs  # ambiguous: one arc each
    assert ("US-1-B2", "US-1-B2") not in arcs and g.stats["self_pairs_dropped"] >= 2
    assert g.stats["matched_ambiguous"] >= 1


@pytest.mark.parametrize("name", ["tricky", "drones"])
@pytest.mark.parametrize("level,firms", [("country", None), ("city", None), ("country", ["DJI"])])
def test_fractional_regions_and_region_technology(aggs, corpora, name, level, firms, engine):
    if (name, level, firms) != ("tricky", "city", None):
        _spark_skip(engine, "this region case")
    c = corpora[name]
    e, m = aggs[name].assign_regions(level, firms=firms), assign_regions(c, level=level, firms=firms)
    pd.testing.assert_frame_equal(e, m)
    pd.testing.assert_frame_equal(e.attrs["source_summary"], m.attrs["source_summary"])
    X, regions, techs = aggs[name].region_technology(m, "ipc", "subclass")
    X2, r2, t2, _, _ = region_technology(c, m, "ipc", "subclass")
    assert regions.tolist() == r2.tolist() and techs.tolist() == t2.tolist()
    np.testing.assert_allclose(X, X2, rtol=1e-12, atol=1e-12)


def test_memory_engine_is_the_in_memory_code(corpora):
    agg = Engine("memory").aggregates(corpora["tricky"])
    pd.testing.assert_frame_equal(agg.annual_counts(), ls.annual_counts(corpora["tricky"]))


def test_engine_arguments():
    with pytest.raises(ValueError, match="engine must be one of"):
        Engine("polars")
    with pytest.raises(ValueError, match="spark-master needs"):
        Engine("duckdb", master="local[2]")


@pytest.fixture(scope="module")
def memory_report(drones):
    from patentnav.report import build_landscape_report

    return build_landscape_report(drones, region="CN", lang="en")


@pytest.mark.parametrize("name", ["duckdb", "spark"])
def test_whole_report_identical_between_engines(request, drones, memory_report, name):
    """The landscape report of the bundled sample, byte for byte, whichever engine aggregates."""
    import json

    from patentnav.report import build_landscape_report

    eng = request.getfixturevalue(f"{name}_engine")
    report = build_landscape_report(drones, region="CN", lang="en", engine=eng)
    dump = lambda r: json.dumps(r, sort_keys=True, ensure_ascii=False)  # noqa: E731
    assert dump(report) == dump(memory_report)


# ------------------------------------------------------------------ partitioned Parquet corpus

@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory):
    """The bundled sample read twice into a partitioned corpus (every row a duplicate once)."""
    from patentnav.io.dataset import ingest_dataset

    src = patentnav.datasets.path("drones")
    out = tmp_path_factory.mktemp("corpus") / "drones"
    report = ingest_dataset([src, src], out, rows_per_part=4000)  # several merge groups
    return out, report


def test_ingest_to_a_folder_accounts_for_every_row(sample_folder, drones):
    from patentnav.engine import Dataset

    out, report = sample_folder
    assert report.rows_read == 2 * len(drones) and report.kept == len(drones) and report.merged == len(drones)
    assert report.rows_read == report.kept + report.merged + report.n_rejected
    from patentnav.io.dataset import DatasetWriter
    from patentnav.io.report import IngestError

    with pytest.raises(IngestError, match="not empty"):
        DatasetWriter(out)
    assert sorted(p.name for p in out.iterdir())[:2] == ["_patentnav.json", "authority=AU"]
    assert any(out.glob("authority=US/year=2017/*.parquet"))
    ds = patentnav.Corpus.open(out)
    assert isinstance(ds, Dataset) and len(ds) == len(drones) and ds.report.merged == len(drones)
    # the same rows as reading both files in memory (merged duplicates included), sorted
    mem = patentnav.read(patentnav.datasets.path("drones"), patentnav.datasets.path("drones"))
    order = lambda t: t.take(pa.compute.sort_indices(t, [("publication_number", "ascending")]))  # noqa: E731
    assert ds.to_corpus().table.equals(order(mem.table))


def test_folder_scope_streams_batches_and_engines_read_in_place(sample_folder, drones, duckdb_engine):
    from patentnav.engine import Dataset

    out, _ = sample_folder
    ds = Dataset(out)
    scoped = ds.scope(ipc=["B64C39"], query="drone OR unmanned", batch_size=1000)
    mem = ls.scope(ds.to_corpus(), ipc=["B64C39"], query="drone OR unmanned")
    assert scoped.table.equals(mem.table) and scoped.scope == mem.scope
    agg = duckdb_engine.aggregates(out)  # reads the Parquet files, documents sorted
    sorted_corpus = ds.to_corpus()
    e, m = agg.cooccurrence("ipc", "subclass"), ls.cooccurrence(sorted_corpus, "ipc", "subclass")
    assert (e.counts != m.counts).nnz == 0
    pd.testing.assert_frame_equal(agg.annual_counts(), ls.annual_counts(sorted_corpus))


def test_cli_ingest_folder_and_landscape_on_it(tmp_path):
    import json

    from click.testing import CliRunner

    from patentnav.cli.main import main

    runner = CliRunner()
    src = str(patentnav.datasets.path("drones"))
    r = runner.invoke(main, ["ingest", src, "-o", str(tmp_path / "corpus") + "/"])
    assert r.exit_code == 0, r.output
    assert json.loads((tmp_path / "corpus" / "_patentnav.json").read_text())["report"]["rows_read"] == 9071
    # (README's commands run `patentnav landscape corpus/ --engine duckdb` on such a folder: tests/test_readme.py)
    r = runner.invoke(main, ["landscape", "--engine", "memory", "--spark-master", "local[1]"])
    assert r.exit_code != 0 and "needs --engine spark" in r.output


def test_engine_is_named_for_a_reader_in_the_cli_summary():
    from patentnav.cli.report_cmds import _engine_label

    assert _engine_label(Engine("memory"), "en") == "in memory (Apache Arrow)"
    assert _engine_label(Engine("duckdb", memory_limit="6GB"), "en") == "DuckDB, out of core, memory limit 6GB"
    assert _engine_label(Engine("spark", master="local[2]"), "zh") == "Apache Spark，主节点 local[2]"
    assert "Engine(" not in _engine_label(Engine("duckdb"), "zh")


def test_fractional_product_counts_applicants_of_one_document_in_one_region():
    """Two of a document's three applicants in one region weigh 2/3 there (review finding: a
    summed weight of 2/3 was read back as k = 2 and gave 1/2)."""
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    from patentnav.engine.aggregates import fractional_product
    from patentnav.landscape.gaps import _region_parts
    from patentnav.model.corpus import Corpus

    corpus = Corpus.from_pandas(pd.DataFrame({
        "publication_number": ["CN-1-A", "US-2-A"], "ipc": [["B64C39/02"], ["B64C39/02", "H04W4/00"]],
        "cpc": [[], []]}))
    assignment = pd.DataFrame({"publication_number": ["CN-1-A", "CN-1-A", "CN-1-A", "US-2-A"],
                               "region": ["CN", "CN", "US", "US"], "weight": [1 / 3, 1 / 3, 1 / 3, 1.0]})
    R, regions, T, techs = _region_parts(corpus, assignment, "ipc", "subclass")
    X = fractional_product(R, T)
    expected = np.asarray((sp.csr_matrix(R).T @ T).todense())
    assert list(regions) == ["CN", "US"] and list(techs) == ["B64C", "H04W"]
    np.testing.assert_allclose(X, expected)
    np.testing.assert_allclose(X, [[2 / 3, 0.0], [4 / 3, 1.0]])


def test_overwrite_keeps_the_old_corpus_until_the_new_inputs_are_read(tmp_path):
    """Review finding: --overwrite used to delete the previous corpus before reading; a truncated
    input then left an empty folder. A header-only input writes nothing (CLI: exit 1)."""
    from click.testing import CliRunner

    from patentnav.cli.main import main
    from patentnav.io.dataset import ingest_dataset
    from patentnav.io.report import IngestError

    src = patentnav.datasets.path("drones")
    out = tmp_path / "corpus"
    ingest_dataset([src], out)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    trunc = tmp_path / "trunc.csv.gz"
    trunc.write_bytes(src.read_bytes()[:3000])
    with pytest.raises(IngestError):
        ingest_dataset([trunc], out, overwrite=True)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    header = tmp_path / "header.csv"
    import gzip

    header.write_text(gzip.decompress(src.read_bytes()).decode("utf-8").splitlines()[0] + "\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(header), "-o", str(tmp_path / "empty") + "/"])
    assert r.exit_code == 1 and not (tmp_path / "empty").exists()
    r = CliRunner().invoke(main, ["ingest", str(header), "-o", str(out) + "/", "--overwrite"])
    assert r.exit_code == 1 and sorted(p.relative_to(out) for p in out.rglob("*")) == before
