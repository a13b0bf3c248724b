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


def test_chinese_report_has_no_english_prose(report):
    """Every sentence of the Chinese report is Chinese, including the loglet failure reason."""
    import re

    texts = [p for s in report["sections"] for p in s["paragraphs"]]
    texts += [c["note"] for s in report["sections"] for c in s["charts"] if c["note"]]
    texts += [t["note"] for s in report["sections"] for t in s["tables"] if t["note"]]
    texts += report["meta"]["caveats"]
    for text in texts:
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not re.search(r"\b(the|and|of|is|are|not|no)\b", text), text
    assert any("S 曲线" in p for s in report["sections"] for p in s["paragraphs"])


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


def test_report_states_the_gap_formula_the_code_uses():
    from patentnav.i18n import t
    from patentnav.landscape.gaps import FORMULAS

    code = FORMULAS["gap_score"].split(", for")[0].replace(" * ", " x ").replace("world_growth", "world growth")
    assert code in t("paths.formula", "en")


def test_field_map_is_spread_out_and_weights_add_up(corpus, report):
    import numpy as np
    import pandas as pd

    from patentnav import landscape as ls

    chart = next(c for s in report["sections"] for c in s["charts"] if c["kind"] == "field_network")
    xy = np.array([[n["x"], n["y"]] for n in chart["data"]["nodes"]])
    extent = xy.max(axis=0) - xy.min(axis=0)
    d = np.sqrt(((xy[:, None] - xy[None]) ** 2).sum(-1))[np.triu_indices(len(xy), 1)]
    assert np.median(d) > 0.2 * extent.max()  # not collapsed into one blob around an outlier
    # oracle: summed code co-occurrences between fields, by a plain loop over the adjacency
    tf = ls.technology_fields(corpus, seed=42)
    field_of = tf.codes.set_index("code")["field"].reindex(pd.Index(tf.nodes)).fillna(-1).astype(int).to_numpy()
    adj = tf.adjacency.tocoo()
    expect: dict = {}
    for i, j, w in zip(adj.row, adj.col, adj.data):
        a, b = int(field_of[i]), int(field_of[j])
        if 0 <= a < b:
            expect[(f"F{a}", f"F{b}")] = expect.get((f"F{a}", f"F{b}"), 0.0) + float(w)
    got = {(e["source"], e["target"]): e["weight"] for e in chart["data"]["edges"]}
    got = {tuple(sorted(k, key=lambda f: int(f[1:]))): v for k, v in got.items()}
    assert set(got) == set(expect)
    assert all(abs(got[k] - expect[k]) <= 1e-5 * expect[k] for k in expect)


def test_clip_takes_missing_titles():
    """IPC codes without a title (G06F19/00) come with a NaN title; the report must not crash."""
    from patentnav.report.parts import _clip

    assert _clip(float("nan"), 10) == ""
    assert _clip(None, 10) == ""
    assert _clip("Unmanned aerial vehicles with foldable arms", 20) == "Unmanned aerial…"


def test_region_with_unnamed_applicants_and_quadrant_threshold(corpus):
    """US (the largest region of the sample) has documents without applicants; the report
    must not crash, and the quadrant's dashed line is the gap analysis' fill-now threshold."""
    from patentnav import landscape as ls

    rep = build_landscape_report(corpus, region="US", lang="en")
    quad = next(c for s in rep["sections"] for c in s["charts"] if c["kind"] == "gap_quadrant")
    ga = ls.gaps(corpus.harmonize_applicants(), "US", technology="ipc", level="subclass")
    assert quad["data"]["threshold"] == pytest.approx(ga.params["fill_now_density"], rel=1e-5)
    fill = ga.table[ga.table["category"] == "fill_now"]
    assert (fill["density"] >= ga.params["fill_now_density"]).all()


def test_report_on_a_folder_of_uspto_xml_with_a_fitted_curve():
    """A folder of grant XML (with a README next to the files) is read file by file; the key
    patents need no family data; the fitted S-curve is drawn as yearly increments."""
    import math

    from conftest import ROOT

    c = patentnav.read(ROOT / "tests" / "data" / "uspto-grant-xml")
    assert len(c) == 421 and not any("PROVENANCE" in f["file"] for f in c.report.per_file)
    rep = build_landscape_report(c, region="US", lang="en")
    trend = next(ch for s in rep["sections"] for ch in s["charts"] if ch["kind"] == "trend")
    fitted = trend["data"]["fitted"]
    assert fitted is not None and max(fitted) < 2 * max(trend["data"]["counts"])  # yearly, not cumulative
    fit = patentnav.landscape.fit_logistic(patentnav.landscape.annual_counts(c.harmonize_applicants(), by="priority"))
    y = trend["data"]["years"][3]
    n = lambda t: fit.K / (1 + math.exp(-math.log(81) / fit.dt * (t - fit.tm)))  # noqa: E731
    assert fitted[3] == pytest.approx(n(y) - n(y - 1), rel=1e-5)


def test_scope_criteria_read_as_text():
    from patentnav.report.display import criterion_text

    assert criterion_text({"criterion": "sei", "value": "2.2", "documents": 1580}) == "sei 2.2 (1,580)"
    assert criterion_text("ipc B64C") == "ipc B64C"
