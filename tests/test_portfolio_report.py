"""The portfolio report and ``patentnav portfolio``: contract, determinism, both languages,
escaping, CSV neutralisation and error paths."""

import csv
import re
import json

import pytest
from click.testing import CliRunner

from patentnav.cli.main import main
from patentnav.portfolio import portfolio
from patentnav.report.json_csv import to_json
from patentnav.report.portfolio_model import PORTFOLIO_CHART_KEYS, PORTFOLIO_SECTION_IDS, build_portfolio_report
from patentnav.safety import FORMULA_PREFIXES

AS_OF = "2018-01-01"
DJI = "SZ DJI TECHNOLOGY CO LTD"
XSS = "<script>alert(1)</script>"


def _invoke(args):
    return CliRunner().invoke(main, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def result(drones):
    return portfolio(drones, holders=DJI, as_of=AS_OF)


def test_contract_and_chart_kinds(result):
    for lang in ("zh", "en"):
        rep = build_portfolio_report(result, lang=lang)
        assert [s["id"] for s in rep["sections"]] == list(PORTFOLIO_SECTION_IDS)
        charts = [c for s in rep["sections"] for c in s["charts"]]
        kinds = {c["kind"] for c in charts}
        assert kinds == {"fee_timeline", "value_distribution", "decision_matrix"}
        for c in charts:
            assert set(PORTFOLIO_CHART_KEYS[c["kind"]]) <= set(c["data"])
        for s in rep["sections"]:
            for tab in s["tables"]:
                assert all(len(r) == len(tab["columns"]) for r in tab["rows"]), tab["id"]


def test_json_is_deterministic(result, drones):
    again = portfolio(drones, holders=DJI, as_of=AS_OF)
    assert to_json(build_portfolio_report(result, "zh")) == to_json(build_portfolio_report(again, "zh"))


def test_report_says_what_the_data_lack(result):
    rep = build_portfolio_report(result, "en")
    text = " ".join(p for s in rep["sections"] for p in s["paragraphs"]) + " ".join(rep["meta"]["caveats"])
    assert "no legal events" in text and "What this export lacks" in text and "Market coverage" in text
    # CNIPA's criteria on DJI's granted inventions of any office (as the quality profiles); none is CN, and with no
    # legal data 'maintained over 10 years' cannot be shown (unknown, never "no")
    assert "0 of them are CN patents" in text and "'Maintained over 10 years' is not shown" in text
    zh = build_portfolio_report(result, "zh")
    zh_text = " ".join(p for s in zh["sections"] for p in s["paragraphs"])
    assert "no legal events" not in zh_text and "维持存续模型" in zh_text


def test_cli_holder_and_region(tmp_path):
    out = tmp_path / "h"
    r = _invoke(["portfolio", "--holder", DJI, "--as-of", AS_OF, "--out", str(out), "--format", "json,csv", "--lang", "en"])
    assert r.exit_code == 0, r.output
    rep = json.loads((out / "portfolio.json").read_text(encoding="utf-8"))
    assert rep["meta"]["scope"]["documents"] == 36
    assert (out / "rights_all.csv").is_file() and (out / "tables" / "decisions.csv").is_file()
    out2 = tmp_path / "r"
    r = _invoke(["portfolio", "--region", "CN", "--as-of", AS_OF, "--out", str(out2), "--format", "json"])
    assert r.exit_code == 0, r.output
    rep = json.loads((out2 / "portfolio.json").read_text(encoding="utf-8"))
    region = {t["id"] for t in rep["sections"][3]["tables"]}
    assert {"pools", "bring_in", "free_to_use"} <= region
    # the terminal says that no applicant of CN is located there (the sample has no addresses)
    assert "90 of the 90 applicants placed in CN" in " ".join(r.output.split())


def test_cli_errors(tmp_path):
    r = CliRunner().invoke(main, ["portfolio", "--out", str(tmp_path)])
    assert r.exit_code == 2 and "--holder" in r.output
    r = CliRunner().invoke(main, ["portfolio", "--holder", "DJI technology", "--as-of", AS_OF, "--out", str(tmp_path),
                                  "--format", "json"])
    assert r.exit_code == 2 and "SZ DJI TECHNOLOGY CO LTD" in r.output  # the closest name is suggested


def test_hostile_names_and_titles(tmp_path):
    rows = [{"publication_number": f"US-{9000001 + i}-B2", "jurisdiction": "US", "kind": "B2",
             "document_type": "granted_patent", "title": "=1+1" if i == 0 else f"Widget {i} {XSS}",
             "applicants": [f"{XSS} CO LTD"], "ipc": ["B64C39/02"], "filing_date": "2015-01-05",
             "grant_date": "2017-03-07", "publication_date": "2017-03-07", "priority_countries": ["CN"],
             "forward_citations": i} for i in range(4)]
    src = tmp_path / "hostile.jsonl"
    src.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    out = tmp_path / "out"
    r = _invoke(["portfolio", str(src), "--holder", f"{XSS} CO LTD", "--as-of", "2019-01-01", "--out", str(out),
                 "--format", "html,csv", "--lang", "en"])
    assert r.exit_code == 0, r.output
    html = (out / "portfolio.html").read_text(encoding="utf-8")
    assert XSS not in html and "&lt;script&gt;" in html
    for path in [out / "rights_all.csv", *sorted((out / "tables").glob("*.csv"))]:
        with open(path, newline="", encoding="utf-8-sig") as f:
            cells = [c for row in csv.reader(f) for c in row]
        assert not any(c.startswith(FORMULA_PREFIXES) for c in cells if c and not c.lstrip("-").replace(".", "").isdigit()), path


def test_cn_holder_high_value_and_reduced_fees():
    from portfolio_corpus import D, corpus

    cols = dict(publication_number=["CN-1-B", "CN-2-B"], jurisdiction=["CN", "CN"], kind=["B", "B"],
                document_type=["granted_patent"] * 2, filing_date=[D(2012, 3, 1), D(2020, 1, 1)],
                grant_date=[D(2015, 1, 1), D(2022, 1, 1)], ipc=[["G06N3/08"], ["A47G19/00"]],
                applicants=[["深圳市大疆创新科技有限公司"]] * 2, title=["一种方法", "另一种"], family_size=[1, 1],
                publication_date=[D(2015, 1, 1), D(2022, 1, 1)])
    r = portfolio(corpus(**cols, legal_status=["有权", None]), holders="深圳市大疆创新科技有限公司", as_of=D(2024, 6, 30),
                  cn_reduction="85")
    fees = r.rights.set_index("publication_number")["fees_next"]
    # CN-1: years 14-18 (6,000 x 2 + 8,000 x 3); granted in year 3, so the reduction (years 3-12) is over
    assert fees["CN-1-B"] == 36000
    # CN-2: years 6-10 (1,200 + 2,000 x 3 + 4,000), all within the 10 reduced years: 15%
    assert fees["CN-2-B"] == pytest.approx(0.15 * 11200)
    rep = build_portfolio_report(r, "zh")
    hv = next(t for t in rep["sections"][1]["tables"] if t["id"] == "high_value")
    # CN-1's status rests on its exported status text (有权): maintained over 10 years counts; both are in CNIPA's statistic
    assert hv["rows"][0][2:] == ["CN", "是", "战略性新兴产业; 维持超过 10 年", "是"] and hv["rows"][1][2:4] == ["CN", "否"]
    # without the status text 'maintained' rests on no evidence: unknown; the SEI field still counts
    bare = portfolio(corpus(**cols), holders="深圳市大疆创新科技有限公司", as_of=D(2024, 6, 30))
    assert bare.rights["hv_maintained_10y"].isna().all() and bare.rights["hv_criteria"].tolist() == ["sei", ""]

def test_fee_sources_read_in_the_report_language(result):
    """CNIPA's schedule by its own Chinese name; the other offices' descriptions translated."""
    for lang, cn_title in (("zh", "国家知识产权局专利收费标准"), ("en", "CNIPA patent fee schedule")):
        inv = build_portfolio_report(result, lang)["sections"][0]
        tab = next(t for t in inv["tables"] if t["id"] == "fee_sources")
        j = [c["key"] for c in tab["columns"]].index("source")
        titles = {r[0]: r[j] for r in tab["rows"]}
        assert titles["CN"].startswith(cn_title) and set(titles) == {"CN", "DE", "EP", "JP", "US"}
        if lang == "zh":  # no English description left in the Chinese report
            assert all(re.search(r"[\u4e00-\u9fff]", t) and not re.search(r"\b(fees|schedule|renewal)\b", t) for t in titles.values())
            assert titles["US"].startswith("美国专利商标局") and titles["EP"].startswith("欧洲专利局")
