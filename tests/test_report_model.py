"""The landscape report model (contract in the report spec), its JSON/CSV outputs and CLI."""

import csv
import json

import pytest
from click.testing import CliRunner

import patentnav
from patentnav.report import build_landscape_report, to_json, write_csv_tables
from patentnav.report.model import CHART_KEYS, SECTION_IDS


@pytest.fixture(scope="module")
def corpus():
    return patentnav.datasets.drones()


@pytest.fixture(scope="module")
def report(corpus):
    return build_landscape_report(corpus)


def test_contract(report):
    assert list(report) == ["meta", "sections"]
    assert list(report["meta"]) == ["title", "lang", "generator", "cutoff", "region", "scope", "sources", "counts", "caveats"]
    assert [s["id"] for s in report["sections"]] == list(SECTION_IDS)
    kinds = set()
    for sec in report["sections"]:
        assert list(sec) == ["id", "title", "paragraphs", "tables", "charts"]
        assert all(isinstance(p, str) and p for p in sec["paragraphs"])
        for tab in sec["tables"]:
            assert list(tab) == ["id", "title", "columns", "rows", "note"]
            width = len(tab["columns"])
            assert all(set(c) == {"key", "label"} for c in tab["columns"])
            assert all(len(r) == width for r in tab["rows"])
            assert all(v is None or isinstance(v, (str, int, float, bool)) for r in tab["rows"] for v in r)
        for ch in sec["charts"]:
            assert list(ch) == ["id", "title", "kind", "data", "note"]
            assert tuple(ch["data"]) == CHART_KEYS[ch["kind"]]
            kinds.add(ch["kind"])
    assert kinds == set(CHART_KEYS)
    charts = {c["kind"]: c for s in report["sections"] for c in s["charts"]}
    tr = charts["trend"]["data"]
    assert len(tr["years"]) == len(tr["counts"]) == len(tr["incomplete"])
    assert charts["main_path"]["note"]  # no in-corpus citations: explained
    net = charts["field_network"]["data"]
    assert all({"id", "label", "size", "field", "x", "y"} <= set(n) for n in net["nodes"])
    hm = charts["field_region_heatmap"]["data"]
    assert len(hm["values"]) == len(hm["rows"]) and all(len(r) == len(hm["columns"]) for r in hm["values"])


def test_json_deterministic(corpus, report):
    a = to_json(report)
    b = to_json(build_landscape_report(corpus))
    assert a.encode() == b.encode()
    json.loads(a)
    assert "专利" in a  # ensure_ascii=False


def test_lang(corpus, report):
    en = build_landscape_report(corpus, lang="en")
    assert en["meta"]["lang"] == "en"
    assert [s["title"] for s in en["sections"]] != [s["title"] for s in report["sections"]]
    assert en["sections"][0]["tables"][0]["columns"][0]["label"] != report["sections"][0]["tables"][0]["columns"][0]["label"]


def test_text_stays_plain_and_csv_neutralised(tmp_path, report):
    rep = json.loads(to_json(report))
    rep["meta"]["title"] = "<script>alert(1)</script>"
    tab = rep["sections"][1]["tables"][0]
    tab["rows"][0][1] = "=1+1"
    tab["title"] = "<script>x</script>"
    assert "<script>alert(1)</script>" in to_json(rep)  # the model keeps plain text
    files = write_csv_tables(rep, tmp_path)
    assert len(files) == sum(len(s["tables"]) for s in rep["sections"])
    p = tmp_path / f"direction_{tab['id']}.csv"
    raw = p.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(p.open(encoding="utf-8-sig")))
    assert rows[1][1] == "'=1+1"


def test_scope_reported(corpus):
    rep = build_landscape_report(corpus, industry="2.2", lang="en")
    sc = rep["meta"]["scope"]
    assert sc["of"] == len(corpus) and 0 < sc["documents"] < len(corpus)
    assert sc["criteria"][0]["criterion"] == "sei"


def test_cli_json_csv(tmp_path):
    from patentnav.cli.report_cmds import COMMANDS, landscape

    assert COMMANDS == [landscape]
    out = tmp_path / "rep"
    res = CliRunner().invoke(landscape, ["--out", str(out), "--format", "json,csv", "--lang", "en"])
    assert res.exit_code == 0, res.output
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert data["meta"]["lang"] == "en"
    assert (out / "tables" / "paths_gaps.csv").exists()
    assert not (out / "report.html").exists()
