"""One language per report (data values aside): every string patentnav writes into the
landscape and warning reports, in the model (JSON), the HTML, the Markdown and the charts, is
in the report's language. The checker (tests/language_check.py) knows which fields hold data
values; its own tests below show that it catches what issue 14 found."""

from pathlib import Path

import pytest

from language_check import language_problems, message_problems, rendered_problems, text_problems
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


# ---------------------------------------------------------------- messages (errors, ingest reasons, Click)

_MESSAGE_KINDS = ("err", "issue", "click", "hint", "what", "geo", "font", "ingest", "w", "pf")


def test_every_message_of_the_catalog_is_said_in_chinese():
    from patentnav.i18n import _MESSAGES

    keys = [k for k in _MESSAGES if k.split(".")[0] in _MESSAGE_KINDS and k != "err.untranslated"]
    assert len(keys) > 150 and {"issue.field_count", "click.no_option", "err.gaps_region", "err.profile.code"} <= set(keys)
    bad = [(k, p) for k in keys for p in message_problems(_MESSAGES[k][1], "zh")]
    assert not bad, bad[:5]
    bad = [(k, p) for k in keys for p in message_problems(_MESSAGES[k][0], "en")]
    assert not bad, bad[:5]


def test_both_languages_of_a_message_take_the_same_values():
    import string

    from patentnav.i18n import _MESSAGES

    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    assert not [k for k, (en, zh) in _MESSAGES.items() if fields(en) != fields(zh)]


def _profile_error(tmp_path, text, suffix=".toml"):
    from patentnav.warning.profile import ProfileError

    p = tmp_path / f"p{suffix}"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ProfileError) as e:
        ProductProfile.from_file(p)
    return e.value, str(p)


@pytest.mark.parametrize("text, suffix, field", [
    ('name = "X"\nmarkets = ["WO"]\n', ".toml", "markets"),
    ('name = "X"\nipc = ["nonsense"]\n', ".toml", "ipc"),
    ('name = "X"\nlaunch_date = "soon"\n', ".toml", "launch_date"),
    ('name = "X"\nfeatures = [{ de = "Kamera" }]\n', ".toml", "features"),
    ('name = "X"\nfeaturs = ["a"]\n', ".toml", "featurs"),
    ('name = "X\nmarkets = 3\n', ".toml", None),
    ('{"name": 3}', ".json", "name"),
    ('markets = ["US"]\n', ".toml", "name"),
])
def test_profile_errors_are_said_in_chinese_with_their_place(tmp_path, text, suffix, field):
    from patentnav.i18n import error_text

    e, path = _profile_error(tmp_path, text, suffix)
    zh, en = error_text(e, "zh"), error_text(e, "en")
    assert zh.startswith(path) and en == str(e) and ("第" in zh) == (e.line is not None)
    if field:
        assert f"字段“{field}”" in zh and f"field '{field}'" in en
    assert not message_problems(zh, "zh", [path, "toml", "TOML", "JSON"]), zh
    assert not message_problems(en, "en", [path]), en


def test_ingest_reasons_are_said_in_the_sessions_language(tmp_path):
    from patentnav.io.report import Issue

    i = Issue.coded("x.csv", 7, "(record)", "field_count", "a,b", ncol=3, n=2)
    assert str(i) == "x.csv, line 7, field '(record)': expected 3 fields as in the header, found 2 (value 'a,b')"
    assert i.text("zh") == "x.csv，第 7 行，字段“(record)”：应与表头一样有 3 个字段，实际有 2 个（值 'a,b'）"
    bad = tmp_path / "bad.csv"  # a Lens header, one short row: the ingest table says why in Chinese
    import csv
    import gzip

    from patentnav.datasets import path as dataset_path

    head = next(csv.reader(gzip.open(dataset_path("drones"), "rt", encoding="utf-8", newline="")))
    bad.write_text(",".join(head) + "\n1,2\n", encoding="utf-8")
    from click.testing import CliRunner

    from patentnav.cli.main import main

    out = " ".join(CliRunner().invoke(main, ["ingest", str(bad), "--lang", "zh"], terminal_width=200).output.split())
    assert "应与表头一样有" in out and "expected" not in out


def _ingest_zh(files, tmp_path, *extra):
    from click.testing import CliRunner

    from patentnav.cli.main import main

    issues = tmp_path / "problems.csv"
    r = CliRunner().invoke(main, [*extra, "ingest", *map(str, files), "--lang", "zh", "--issues", str(issues)], terminal_width=220)
    return r, issues


def test_mixed_encoding_reasons_are_said_in_chinese_with_a_stable_code(tmp_path):
    """zh ingest of a file mixing UTF-8 and GB18030 lines: the table and the --issues CSV say
    why in Chinese; the CSV's code column is the same in every language."""
    import pandas as pd

    data = Path(__file__).parent / "data" / "cn-export"
    r, issues = _ingest_zh([data / "mixed_encoding.csv", data / "incopat_gb18030.csv"], tmp_path)
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "该行是 GB18030 编码，而文件为 UTF-8 编码；已按 GB18030 解码" in out and "decoded as" not in out
    assert "省份代码" in out and "province" not in out
    frame = pd.read_csv(issues, encoding="utf-8-sig")
    assert list(frame.columns) == ["kind", "file", "line", "field", "code", "reason", "value"]
    assert {"mixed_encoding", "province_codes", "column_unused"} <= set(frame["code"])
    assert not [p for text in frame["reason"] for p in message_problems(text, "zh")]


def test_hostile_records_and_limits_are_said_in_chinese(tmp_path):
    """Reasons of the JSON-lines, USPTO XML and limit checks, and a limit error, in zh."""
    import gzip

    from patentnav.i18n import error_text
    from patentnav.io import read
    from patentnav.limits import LimitError

    jsonl = tmp_path / "bad.jsonl"
    jsonl.write_text('{"publication_number": "US-1-B1"\n[1,2]\n{"publication_number": "US-2-B1", "foo": 1}\n'
                     + "[" * 100 + "]" * 100 + "\n", encoding="utf-8")
    xml = tmp_path / "ent.xml"
    xml.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE us-patent-grant [<!ENTITY a "x">]>\n'
                   "<us-patent-grant>&a;</us-patent-grant>\n", encoding="utf-8")
    r, issues = _ingest_zh([jsonl], tmp_path)
    assert r.exit_code == 1 and "读取的4行全部被拒绝" in "".join(r.output.split())  # not "headers but no rows"
    reasons = issues.read_text(encoding="utf-8-sig")
    for said in ("JSON 无效", "每行应为一个 JSON 对象", "未知字段 'foo'", "JSON 嵌套 100 层，超过 nesting 限制（64）"):
        assert said in reasons, said
    c = read(xml, format="uspto_xml")
    (issue,) = c.report.rejected
    assert issue.code == "xml_entities" and "实体扩展攻击" in issue.text("zh") and not message_problems(issue.text("zh"), "zh", [str(xml)])
    bomb = tmp_path / "bomb.csv.gz"
    bomb.write_bytes(gzip.compress(b"Lens ID,Publication Number\n" + b"\n" * (20 << 20)))
    with pytest.raises(LimitError) as e:
        read(bomb)
    zh, en = error_text(e.value, "zh"), error_text(e.value, "en")
    assert en == str(e.value) and "over the compression_ratio limit of 200" in en
    assert "超过 compression_ratio 限制（200）" in zh and "可能是解压炸弹" in zh
    assert not message_problems(zh, "zh", [str(bomb)]), zh


@pytest.mark.parametrize("setting, said", [
    ("foo=3", "应写作 NAME=VALUE"), ("rows=abc", "“abc”不是大小"), ("rows=0", "限制必须为正数"), ("compression_ratio=x", "“x”不是数字"),
])
def test_limit_option_errors_name_the_option_and_what_to_write(setting, said):
    from click.testing import CliRunner

    from patentnav.cli.main import main

    zh = CliRunner().invoke(main, ["--limit", setting, "info", "--lang", "zh"], terminal_width=200)
    en = CliRunner().invoke(main, ["--limit", setting, "info"], terminal_width=200)
    assert zh.exit_code == en.exit_code == 2
    assert f"--limit {setting}" in zh.output and said in " ".join(zh.output.split())
    assert f"--limit {setting}" in en.output and "e.g." in en.output
    assert not message_problems(zh.output.split("错误：")[-1], "zh", [setting]), zh.output


def test_by_errors_of_quality_and_trends_and_ipc_codes_are_catalog_entries(drones):
    from patentnav.classify.lookup import code_error
    from patentnav.i18n import LocalizedError, error_text
    from patentnav.landscape.trends import annual_counts
    from patentnav.quality import quality_profiles

    with pytest.raises(LocalizedError) as e:
        quality_profiles(drones, by="firm")
    assert "by must be one of region, applicant, agent, not 'firm'" in str(e.value) and "--by applicant" in str(e.value)
    assert "“firm”" in error_text(e.value, "zh") and not message_problems(error_text(e.value, "zh"), "zh", ["firm"])
    with pytest.raises(LocalizedError) as e:
        annual_counts(drones, by="grant")
    assert "--by priority" in str(e.value) and "计数日期" in error_text(e.value, "zh")
    assert str(code_error("nonsense")).startswith("'nonsense' is not an IPC/CPC code; a valid code looks like H04W72/04")
    assert code_error("nonsense").text("zh").startswith("“nonsense”不是 IPC/CPC 分类号")
