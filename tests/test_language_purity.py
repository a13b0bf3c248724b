"""One language per report (data values aside): every string patentnav writes into the
landscape and warning reports, in the model (JSON), the HTML, the Markdown and the charts, is
in the report's language. The checker (tests/language_check.py) knows which fields hold data
values; its own tests below show that it catches what issue 14 found."""

import pytest

from language_check import language_problems, rendered_problems, text_problems
from patentnav.report.html import render_html
from patentnav.report.markdown import render_markdown
from patentnav.report.warn_model import build_warning_report
from patentnav.warning import ProductProfile, screen

from conftest import ROOT

AS_OF = "2026-12-07"


@pytest.fixture(scope="module")
def landscapes(landscape_reports):
    # English with an SEI industry in the title (it was "CN industry (2.2 航空装备产业)")
    return landscape_reports


@pytest.fixture(scope="module")
def warning(drones):
    prof = ProductProfile.from_file(ROOT / "examples" / "drone_product.toml")
    res = screen(drones, prof, as_of=AS_OF)
    d = prof.to_dict()
    extra = [prof.name, d.get("description") or ""] + list(d.get("features") or []) + list(d.get("keywords") or [])
    extra += list(d.get("own_names") or []) + list(d.get("competitors") or [])
    for col in ("matched_terms", "matched_glosses", "prior_art"):
        extra += [x for v in res.risks[col] for x in (v or [])]
    extra += [x for v in res.risks["matched_features"] for _, terms in (v or []) for x in terms]
    return res, extra


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_landscape_report_speaks_one_language(landscapes, lang):
    rep = landscapes[lang]
    assert language_problems(rep) == []
    assert rendered_problems(rep, render_html(rep), render_markdown(rep, images=False)) == []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_warning_report_speaks_one_language(warning, lang):
    res, extra = warning
    rep = build_warning_report(res, lang=lang)
    assert language_problems(rep, extra) == []
    assert rendered_problems(rep, render_html(rep), render_markdown(rep, images=False), extra) == []


def test_no_schema_names_in_the_chinese_landscape_report(landscapes):
    rep = landscapes["zh"]
    missing = next(t for s in rep["sections"] for t in s["tables"] if t["id"] == "missing_fields")
    fields = [r[0] for r in missing["rows"]]
    assert "申请人地址" in fields and "引用专利" in fields and "applicant_addresses" not in fields
    assert any("申请人地址" in c for c in rep["meta"]["caveats"])


def test_english_title_names_the_industry_in_english(landscapes):
    assert landscapes["en"]["meta"]["title"] == "Patent navigation report: CN industry (2.2 Aviation equipment)"


def test_status_and_holder_reasons_are_said_in_chinese(warning):
    res, _ = warning
    rep = build_warning_report(res, lang="zh")
    why = [r[5] for s in rep["sections"] for t in s["tables"] if t["id"] == "details" for r in t["rows"]]
    assert why and all("授权，保护期至" in w and "无其他类型权利人的特征" in w for w in why)
    assert not any("term runs to" in w or "no rule for another holder" in w for w in why)


@pytest.mark.parametrize("text, lang, expected", [
    ("法律状态：有效（granted 2017-08-15, term runs to 2035-09-04, no lapse event）。", "zh", "English"),
    ("权利人：X（企业: no rule for another holder type applies）。", "zh", "English"),
    ("字段“applicant_addresses”在 100.0% 的文献中缺失", "zh", "schema"),
    ("Patent navigation report: CN industry (2.2 航空装备产业)", "en", "Chinese"),
])
def test_the_checker_catches_what_issue_14_found(text, lang, expected):
    probs = text_problems(text, lang, [])
    assert probs and probs[0].startswith(expected)


def test_the_checker_lets_data_values_be():
    assert text_problems("权利人：SZ DJI TECHNOLOGY CO LTD（企业）。", "zh", ["SZ DJI TECHNOLOGY CO LTD"]) == []
    assert text_problems("Feature 2 (云台 → gimbal)", "en", ["云台 → gimbal"]) == []
