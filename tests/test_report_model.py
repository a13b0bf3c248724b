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
    assert list(report["meta"]) == ["title", "lang", "generator", "cutoff", "region", "scope", "sources", "counts", "caveats",
                                    "summary"]
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
    patents need no family data; the fitted S-curve is drawn as yearly increments; assignee
    addresses make located local leaders."""
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
    # assignee addresses locate the US leaders (evidence column)
    leaders = next(t for s in rep["sections"] for t in s["tables"] if t["id"] == "local_leaders")
    assert leaders["rows"] and {r[-1] for r in leaders["rows"]} == {"address in US"}
    assert leaders["rows"][0][0] == "The Procter & Gamble Company"


def test_scope_criteria_read_as_text():
    from patentnav.report.display import criterion_text

    assert criterion_text({"criterion": "sei", "value": "2.2", "documents": 1580}) == "sei 2.2 (1,580)"
    assert criterion_text("ipc B64C") == "ipc B64C"


# --- advice a planner can act on (issue 12) ---------------------------------------------------


@pytest.fixture(scope="module")
def report_en(corpus):
    return build_landscape_report(corpus, lang="en")


def _sec(rep, sid):
    return next(s for s in rep["sections"] if s["id"] == sid)


def _tab(rep, sid, tid):
    return next(t for t in _sec(rep, sid)["tables"] if t["id"] == tid)


def _col(tab, key):
    i = [c["key"] for c in tab["columns"]].index(key)
    return [r[i] for r in tab["rows"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_first_filed_firms_are_not_local_leaders(report, report_en, lang):
    """The sample has no addresses: QUALCOMM INC, MOTOROLA SOLUTIONS INC, LINKDOOD TECH SDN BHD
    are placed in CN by their Chinese first filing only; they are shown as such, never as leaders."""
    rep = report if lang == "zh" else report_en
    leaders = _tab(rep, "positioning", "local_leaders")
    assert leaders["rows"] == [] and "CN" in leaders["note"]
    first = _tab(rep, "positioning", "first_filed")
    names = _col(first, "applicant")
    assert {"QUALCOMM INC", "MOTOROLA SOLUTIONS INC", "LINKDOOD TECH SDN BHD"} <= set(names)
    expected = "在 CN 首次申请" if lang == "zh" else "first filed in CN"
    assert set(_col(first, "evidence")) == {expected}
    # every regional table carries its evidence
    for tid in ("region_fields", "local_inventors"):
        assert expected in _tab(rep, "positioning", tid)["note"]
    heat = next(c for c in _sec(rep, "positioning")["charts"] if c["kind"] == "field_region_heatmap")
    assert ("优先权国家" if lang == "zh" else "priority country") in heat["note"]
    ally = _tab(rep, "paths", "alliance")
    none = "无" if lang == "zh" else "none"
    assert set(_col(ally, "firms")) == {none}
    assert all(r for r in _col(ally, "first_filed_firms"))
    text = " ".join(_sec(rep, "positioning")["paragraphs"])
    assert "107" in text and "107.0" not in text and ("首次申请" if lang == "zh" else "first filed") in text


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_complexity_warning_reaches_text_and_table_notes(report, report_en, lang):
    rep = report if lang == "zh" else report_en
    paths = _sec(rep, "paths")
    said = [p for p in paths["paragraphs"] if "F27B" in p]
    assert len(said) == 1 and "SU" in said[0] and "51" in said[0] and "424" in said[0]
    gaps_tab = _tab(rep, "paths", "gaps")
    assert said[0] in gaps_tab["note"] and "pci" in [c["key"] for c in gaps_tab["columns"]]


def test_targets_are_live_rights_and_ended_rights_are_free_to_use(corpus, report_en):
    from patentnav.status import patent_status

    st = patent_status(corpus, as_of=report_en["meta"]["cutoff"]).set_index("publication_number")["status"]
    acq = _tab(report_en, "paths", "acquisition")
    for cell in _col(acq, "key_patents"):
        for item in cell.split("; "):
            pub = item.split(" ")[0]
            assert st[pub] in ("in_force", "pending") and ("pending" in item) == (st[pub] == "pending")
    h04r = dict(zip(_col(acq, "technology"), _col(acq, "key_patents")))["H04R"]
    assert "US-4549631-A" not in h04r and h04r.startswith("US-6176345-B1 (1.6 y)")
    free = dict(zip(*(_col(_tab(report_en, "paths", "free_to_use"), k) for k in ("technology", "free_to_use"))))
    assert free["H04R"].startswith("US-4549631-A (expired 2003-10-24)")
    assert "US-4492112-A (expired 2002-07-30)" in free["G01P"] and "US-4683455-A (expired 2005-07-01)" in free["G01P"]
    assert "freedom to operate" in _tab(report_en, "paths", "free_to_use")["note"]


def test_region_growth_column_is_explained_or_dropped(report_en):
    tab = _tab(report_en, "positioning", "region_fields")
    assert "region_growth" not in [c["key"] for c in tab["columns"]]
    assert "Region growth is not shown: CN has no document in 2011" in tab["note"]


def test_small_corpus_without_related_strength_says_so(corpus):
    """`--query mapping`: 40 documents, one first filed in CN outside every technology field.
    No gap has related strength, so none is "fill now"; no sentence says CN has no documents."""
    rep = build_landscape_report(corpus, query="mapping", lang="en")
    assert rep["meta"]["scope"]["documents"] == 40
    pos = " ".join(_sec(rep, "positioning")["paragraphs"])
    assert "No documents" not in pos and "fractional count 1), none of them in the technology fields" in pos
    assert _col(_tab(rep, "positioning", "first_filed"), "applicant")  # listed, not as leaders
    assert _tab(rep, "positioning", "local_leaders")["rows"] == []
    paths = _sec(rep, "paths")
    assert any(p.startswith("No technology is marked \"fill now\": CN has no related strength") for p in paths["paragraphs"])
    assert "0 to fill now" in paths["paragraphs"][1]
    assert "fill now" not in _col(_tab(rep, "paths", "gaps"), "category")
    assert set(_col(_tab(rep, "paths", "gaps"), "feasibility")) == {0.0}
    quad = next(c for c in paths["charts"] if c["kind"] == "gap_quadrant")
    assert "no point qualifies" in quad["note"]
    heat = next(c for c in _sec(rep, "positioning")["charts"] if c["kind"] == "field_region_heatmap")
    assert "CN" not in heat["data"]["columns"] and "(plus CN)" not in heat["note"] and "CN has no document" in heat["note"]



def _long_values_pandas(corpus, column, name):
    """The pandas definition of report.regional.long_values (before it moved to Arrow)."""
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc

    lists = corpus.table[column].combine_chunks()
    lengths = pc.list_value_length(lists).fill_null(0).to_numpy(zero_copy_only=False)
    values = pd.Series(pc.list_flatten(lists).to_numpy(zero_copy_only=False), dtype=object).astype(str).str.strip()
    out = pd.DataFrame({"row": np.repeat(np.arange(len(lengths)), lengths), name: values.to_numpy()})
    return out[(out[name] != "") & (out[name] != "None")].drop_duplicates().reset_index(drop=True)


def test_long_values_in_arrow_match_pandas(drones):
    import pandas as pd
    import pyarrow as pa

    from patentnav import Corpus
    from patentnav.report.regional import long_values

    odd = Corpus(pa.table({"publication_number": ["a", "b", "c", "d"], "inventors": pa.array(
        [[" x ", "x", None, "None", "", "\u3000y\t"], [], ["y", " y", "z", "z "], None], pa.list_(pa.string()))}))
    cases = [(drones.harmonize_applicants(), "applicants_harmonized", "applicant"), (drones, "inventors", "inventor"),
             (drones, "ipc", "code"), (drones, "applicants_harmonized", "applicant"), (odd, "inventors", "inventor"),
             (odd, "agents", "agent")]
    for corpus, column, name in cases:
        pd.testing.assert_frame_equal(long_values(corpus, column, name), _long_values_pandas(corpus, column, name),
                                      check_exact=True)


def test_value_prefix_rows_match_the_long_table(drones):
    import numpy as np
    import pyarrow as pa

    from patentnav import Corpus
    from patentnav.report.regional import long_values, value_prefix_rows

    odd = Corpus(pa.table({"publication_number": ["a", "b", "c"], "ipc": pa.array(
        [[" B64C 39/02", "None", "", None], ["B64", "B64D1/00"], ["b64c1/00", "B64C"]], pa.list_(pa.string()))}))
    for corpus in (drones, odd):
        lv = long_values(corpus, "ipc", "code")
        cut = lv["code"].astype(str).str[:4]
        rows_of = value_prefix_rows(corpus, "ipc", 4)
        for prefix in sorted(p for p in set(cut) if isinstance(p, str))[:40] + ["ZZZZ"]:
            want = np.sort(lv.loc[cut == prefix, "row"].unique())
            assert np.array_equal(rows_of(prefix), want), prefix
