"""CLI messages that name the option and say what to do, in the session's language
(issue 14): the language rule, ingest's messages and outputs, --firms, --cutoff, --region,
unknown formats, empty inputs, fonts, SEI names, IPC titles of other editions."""

import csv
import gzip
import os
import re
import stat

import pytest
from click.testing import CliRunner

from patentnav.cli.main import main
from patentnav.datasets import path as dataset_path

runner = CliRunner()


def _run(args, env=None):
    return runner.invoke(main, args, env=env, catch_exceptions=False)


def _flat(text):
    return " ".join(text.split())


@pytest.fixture(scope="module")
def lens_small(tmp_path_factory):
    """The first 40 rows of the bundled Lens export, one title made a formula, and a header-only copy."""
    d = tmp_path_factory.mktemp("lens")
    rows = list(csv.reader(gzip.open(dataset_path("drones"), "rt", encoding="utf-8", newline="")))
    head, body = rows[0], [list(r) for r in rows[1:41]]
    body[0][head.index("title")] = "=HYPERLINK(\"http://x\")"
    with open(d / "small.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows([head] + body)
    with open(d / "header.csv", "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerow(head)
    return d


# ---------------------------------------------------------------- one language rule

def test_every_command_defaults_to_english_and_follows_patentnav_lang(monkeypatch):
    monkeypatch.delenv("PATENTNAV_LANG", raising=False)
    for cmd in (["landscape", "--format", "bogus"], ["warn"], ["trends", "--cutoff", "x"]):  # landscape and warn were zh
        r = runner.invoke(main, cmd)
        assert "Error" in r.output and not re.search(r"[\u4e00-\u9fff]", r.output), r.output
    r = runner.invoke(main, ["landscape", "--format", "bogus"], env={"PATENTNAV_LANG": "zh"})
    assert "错误：--format" in _flat(r.output) and "可选 html" in r.output
    r = runner.invoke(main, ["warn"], env={"PATENTNAV_LANG": "zh"})
    assert "请提供产品画像" in r.output  # warn too: no more zh-only defaults
    r = runner.invoke(main, ["landscape", "--format", "bogus", "--lang", "en"], env={"PATENTNAV_LANG": "zh"})
    assert "unknown output format(s) bogus" in _flat(r.output)  # --lang wins


def test_help_starts_with_warn_and_states_the_language_rule():
    out = _flat(_run(["--help"]).output)
    start = out[out.index("Start here"):]
    assert "patentnav warn --product" in start
    assert "English unless --lang zh or PATENTNAV_LANG=zh" in out


def test_errors_after_the_chinese_prefix_are_chinese(tmp_path):
    bad = tmp_path / "unknown.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    r = _run(["info", str(bad), "--lang", "zh"])
    assert r.exit_code == 2 and "错误：" in r.output and "无法识别的专利导出格式" in r.output and "not a recognised" not in r.output
    blocker = tmp_path / "afile"
    blocker.write_text("x")
    r = _run(["landscape", "--out", str(blocker / "sub"), "--lang", "zh"])  # an OS error, said by its errno
    msg = _flat(r.output).split("错误：", 1)[1].replace(str(blocker), "")
    assert r.exit_code == 2 and re.search(r"[\u4e00-\u9fff]", msg) and not re.search(r"[A-Za-z]{3,}", msg), msg


@pytest.mark.parametrize("args, names", [
    (["trends", "--bogus"], "--bogus"),                       # unknown option
    (["trends", "--top", "3"], "--top"),                      # unknown option, with a suggestion
    (["gaps", "--technology", "xyz"], "--technology"),        # not a choice
    (["ipc"], "CODES"),                                       # missing argument
    (["warn", "--market"], "--market"),                       # option without its value
    (["warn", "--product", "nosuch.toml"], "--product"),      # no such file
    (["clusters", "--resolution", "high"], "--resolution"),   # not a number
    (["warn", "--as-of", "1700-01-01", "--product", "examples/drone_product.toml"], "1700-01-01"),
    (["bogus"], "bogus"),                                     # unknown command
    (["gaps", "--region", "XX"], "XX"),                       # a region the corpus lacks
    (["gaps", "--region", "CN-GD"], "CN-GD"),                 # below country level, no addresses
])
def test_usage_errors_are_said_in_chinese_and_name_the_option(args, names):
    from language_check import message_problems

    r = runner.invoke(main, args[:1] + ["--lang", "zh"] + args[1:] if args != ["bogus"] else args,
                      env={"PATENTNAV_LANG": "zh"}, terminal_width=200)
    out = _flat(r.output)
    assert r.exit_code == 2 and "错误：" in out and names in out, out
    msg = out.split("错误：", 1)[1]
    assert not message_problems(msg, "zh", args), msg
    assert "Usage:" not in out and "Try '" not in out


def test_usage_errors_stay_english_in_english():
    out = _flat(runner.invoke(main, ["gaps", "--technology", "xyz"], env={"PATENTNAV_LANG": "en"}).output)
    assert "Error: Invalid value for '--technology': 'xyz' is not one of" in out and "Usage: main gaps" in out


def test_alias_file_errors_are_said_in_chinese(tmp_path):
    p = tmp_path / "aliases.csv"
    p.write_text("alias,canonical\nHuawei Technologies Co., Ltd.,Huawei\n", encoding="utf-8")
    out = _flat(_run(["names", "--aliases", str(p), "--lang", "zh"]).output)
    assert f"{p}，第 2 行，字段“canonical”：应有 2 个字段，实际有 3 个。含逗号的名称请加引号" in out, out


def test_unknown_format_is_one_short_line(tmp_path):
    bad = tmp_path / "unknown.csv"
    bad.write_text("a,b,c\n1,2,3\n")
    from patentnav.io import IngestError, detect_format

    with pytest.raises(IngestError) as e:
        detect_format(bad)
    msg = str(e.value)
    assert "\n" not in msg and len(msg) - len(str(bad)) < 200  # one sentence, was a 9-line list of descriptions
    assert "Supported: " in msg and all(name in msg for name in ("parquet", "jsonl", "lens", "cn_export")) and "--format NAME" in msg
    r = _run(["info", str(bad)])
    assert r.exit_code == 2 and len([ln for ln in r.output.splitlines() if ln.strip()]) <= 3  # one wrapped paragraph


# ---------------------------------------------------------------- ingest

def test_ingest_fills_kept_and_merged_per_file_and_writes_issues_without_nan(lens_small, tmp_path):
    issues = tmp_path / "issues.csv"
    r = _run(["ingest", str(lens_small / "small.csv"), str(lens_small / "small.csv"), "--issues", str(issues)])
    assert r.exit_code == 0, r.output
    rows = [ln.split("│")[1:-1] for ln in r.output.splitlines() if "small.csv" in ln and "│" in ln]
    cells = [[c.strip() for c in row] for row in rows]
    assert cells[0][2:5] == ["40", "40", "0"] and cells[1][2:5] == ["40", "0", "40"]  # read, kept, merged
    text = issues.read_text(encoding="utf-8-sig")
    assert "nan" not in re.split(r"[,\n]", text)


def test_ingest_writes_xlsx_with_formulas_neutralised(lens_small, tmp_path):
    import openpyxl

    out = tmp_path / "out.xlsx"
    r = _run(["ingest", str(lens_small / "small.csv"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    ws = openpyxl.load_workbook(out, read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "publication_number" and len(rows) == 41
    title = rows[0].index("title")
    assert any(str(r[title]).startswith("'=HYPERLINK") for r in rows[1:])
    assert not any(str(v).startswith("=") for r in rows for v in r if v is not None)


def test_ingest_refuses_an_unsupported_suffix_before_reading(lens_small, tmp_path):
    r = _run(["ingest", str(lens_small / "small.csv"), "-o", str(tmp_path / "out.txt")])
    assert r.exit_code == 2
    assert "cannot write '.txt' files; use one of: .parquet, .jsonl, .csv, .xlsx" in _flat(r.output)
    assert not (tmp_path / "out.txt").exists()


def test_header_only_export_says_no_documents(lens_small, tmp_path):
    r = _run(["ingest", str(lens_small / "header.csv"), "-o", str(tmp_path / "c.parquet")])
    assert r.exit_code == 1 and "No documents" in r.output and not (tmp_path / "c.parquet").exists()
    r = _run(["landscape", str(lens_small / "header.csv"), "--out", str(tmp_path / "rep")])
    assert r.exit_code == 2 and "no documents" in r.output and "scope criteria" not in r.output
    r = _run(["info", str(lens_small / "header.csv")])  # describing an empty export is an answer: 0 documents
    assert r.exit_code == 0 and "No documents" in r.output


def test_ingest_progress_follows_the_readers_position():
    from patentnav.io import read
    from patentnav.io.progress import watching

    events = []
    with watching(lambda kind, *a: events.append((kind, a))):
        read(dataset_path("drones"))
    kinds = [k for k, _ in events]
    assert kinds[0] == "file" and events[0][1][1] == os.path.getsize(dataset_path("drones"))
    positions = [a for k, a in events if k == "position"]
    assert len(positions) >= 2 and positions[-1] == (1.0, 9071)
    assert [f for f, _ in positions] == sorted(f for f, _ in positions)
    assert ("stage", ("columns",)) in events


# ---------------------------------------------------------------- options

def test_firms_that_look_like_a_missing_file_are_an_error(tmp_path):
    for cmd in (["landscape", "--out", str(tmp_path / "r")], ["gaps", "--region", "FIRMS"]):
        r = _run(cmd + ["--firms", "nosuch.csv"])
        assert r.exit_code == 2 and "--firms nosuch.csv: no such file" in _flat(r.output), r.output


def test_cutoff_that_is_not_a_date_names_the_option_and_format():
    r = _run(["trends", "--cutoff", "yesterday"])
    assert r.exit_code == 2
    assert "--cutoff: 'yesterday' is not a date; give it as YYYY-MM-DD" in _flat(r.output)
    assert "isoformat" not in r.output
    r = _run(["trends", "--cutoff", "yesterday", "--lang", "zh"])
    assert "--cutoff：“yesterday”不是日期" in _flat(r.output)


def test_region_keys_in_any_case():
    from patentnav.geo import canonical_region

    assert [canonical_region(k) for k in ("cn", "Cn-gd", "cn-gd-shenzhen", "firms", "深圳市")] == \
        ["CN", "CN-GD", "CN-GD-Shenzhen", "FIRMS", "CN-GD-Shenzhen"]
    r = _run(["gaps", "--region", "cn", "--top", "2"])
    assert r.exit_code == 0 and "Region CN:" in r.output


def test_csv_names_never_double_up():
    from patentnav.report.json_csv import csv_name

    assert csv_name("details", "details") == "details.csv"
    assert csv_name("risks", "risks_US") == "risks_US.csv"
    assert csv_name("risks", "watch_US") == "risks_watch_US.csv"


# ---------------------------------------------------------------- fonts

def _fake_fc_list(tmp_path, output):
    p = tmp_path / "fc-list"
    p.write_text(f"#!/bin/sh\nprintf '{output}'\n")
    p.chmod(p.stat().st_mode | stat.S_IEXEC)
    return str(p)


def test_font_check_warns_with_install_hints_when_no_cjk_font(tmp_path, capsys):
    from patentnav.cli.common import err_console, warn_missing_cjk_font
    from patentnav.report.fonts import cjk_fonts

    none = _fake_fc_list(tmp_path, "")
    assert cjk_fonts(fc_list=none) == []
    with err_console.capture() as cap:
        assert warn_missing_cjk_font("zh", fonts=[]) is False
    out = _flat(cap.get())
    assert "apt-get install fonts-noto-cjk" in out and "~/.local/share/fonts" in out
    noto = _fake_fc_list(tmp_path, "Noto Sans CJK SC,Noto Sans CJK SC Regular\\n")
    assert cjk_fonts(fc_list=noto) == ["Noto Sans CJK SC"]
    with err_console.capture() as cap:
        assert warn_missing_cjk_font("zh", fonts=["Noto Sans CJK SC"]) is True
        assert warn_missing_cjk_font("en", fonts=[]) is True  # English charts need no CJK font
    assert cap.get() == ""


def test_font_check_without_fontconfig_looks_at_font_files(tmp_path):
    from patentnav.report.fonts import cjk_fonts

    assert cjk_fonts(fc_list="", font_dirs=[tmp_path]) == []
    (tmp_path / "NotoSansCJK-Regular.ttc").write_bytes(b"")
    (tmp_path / "DejaVuSans.ttf").write_bytes(b"")
    assert cjk_fonts(fc_list="", font_dirs=[tmp_path]) == ["NotoSansCJK-Regular.ttc"]


def test_font_stacks_are_cjk_capable():
    from patentnav.report.fonts import font_stack

    zh, en = font_stack("zh"), font_stack("en")
    assert zh.startswith('"PingFang SC"') and "Noto Sans CJK SC" in en and en.startswith("system-ui")


# ---------------------------------------------------------------- names, industries, codes

def test_industries_in_english():
    out = _flat(_run(["industries", "2", "--lang", "en"]).output)
    assert "High-end equipment manufacturing industry" in out and "Aviation equipment" in out
    assert "航空" not in out and "patentnav's translation" in out
    assert "航空装备产业" in _run(["industries", "2", "--lang", "zh"]).output


def test_the_alias_example_of_names_help_parses(tmp_path):
    from patentnav.names.harmonize import read_aliases

    helptext = _flat(_run(["names", "--help"]).output)
    line = re.search(r"e\.g\. the line (.+?) \(quote", helptext).group(1).strip()
    p = tmp_path / "aliases.csv"
    p.write_text("alias,canonical\n" + line + "\n", encoding="utf-8")
    a = read_aliases(p)
    assert (a[0].alias, a[0].canonical) == ("华为技术有限公司", "Huawei Technologies Co., Ltd.")


def test_codes_of_other_editions_show_the_parent_title_marked():
    from patentnav.classify.titles import ipc_title_or_parent, nearest_title

    assert nearest_title("B64C39/024") == ("B64C39/02", "characterised by special use")
    assert ipc_title_or_parent("B64C39/024") == "characterised by special use (B64C39/02, parent)"
    assert ipc_title_or_parent("B64C39/024", "zh") == "characterised by special use（上级分类 B64C39/02）"
    assert ipc_title_or_parent("H04W72/04") == "Wireless resource allocation"  # a code of the scheme: its own title
    out = _flat(runner.invoke(main, ["ipc", "B64C39/024"], terminal_width=200).output)
    assert "characterised by special use (B64C39/02, parent)" in out and "nearest parent's title" in out


def test_clusters_and_gaps_tables_show_the_parent_title_marked():
    """A code of an earlier IPC edition without a title gets its nearest ancestor's, marked,
    in the report's language, with the mark kept when the title is cut."""
    import pandas as pd

    from patentnav.classify.titles import code_title
    from patentnav.report.direction import _composition_table
    from patentnav.report.paths import _gaps_table

    assert code_title("B64C39/024", None, "en") == "characterised by special use (B64C39/02, parent)"
    assert code_title("B64C39/024", "", "zh", width=18) == "characterised by…（上级分类 B64C39/02）"
    assert code_title("H04W", "Wireless networks", "zh") == "Wireless networks"  # a title given is kept
    fields = pd.DataFrame({"field": [1], "label": ["drones"], "size": [3], "share": [1.0],
                           "codes": [["B64C39/024", "H04W72/04"]], "code_titles": [[None, "Wireless resource allocation"]],
                           "terms": [["uav"]], "top_applicants": [[("DJI", 3)]]})
    for lang, mark in (("en", "B64C39/024 characterised by special use (B64C39/02, parent)"),
                       ("zh", "B64C39/024 characterised by special use（上级分类 B64C39/02）")):
        assert mark in _composition_table(fields, lang)["rows"][0][4]
    gaps = pd.DataFrame({"technology": ["B64C39/024"], "title": [None], "category": ["fill_now"], "rca": [0.0],
                         "density": [0.5], "feasibility": [0.5], "world_documents": [10], "world_growth": [0.1],
                         "gap_score": [1.0], "pci": [0.2], "related_strength": [None]})
    rows = _gaps_table(gaps, {"fill_now_density": 0.4}, [], "zh")["rows"]
    assert rows[0][1] == "characterised by special use（上级分类 B64C39/02）"


@pytest.mark.parametrize("cmd", [["portfolio", "--holder", "X"],
                                 ["warn", "--product", os.path.join(os.path.dirname(__file__), "..", "examples", "drone_product.toml")],
                                 ["landscape"]])
def test_unknown_output_format_is_said_in_the_session_language(cmd):
    """--format errors of the three report commands: one catalog message, in Chinese with --lang zh."""
    r = _run(cmd + ["--format", "bogus", "--lang", "zh"])
    out = _flat(r.output)
    assert r.exit_code == 2 and "--format" in out and "未知的输出格式 bogus" in out
    assert "unknown output format" not in out


def test_os_error_without_a_file_name_keeps_its_message():
    """pyarrow's OSErrors carry an errno but no filename: the message keeps its own text (which
    names the file) instead of an empty path (review finding)."""
    from patentnav.i18n import error_text

    e = OSError(20, "Failed to open local file 'out.md/x.parquet'")
    assert "out.md/x.parquet" in error_text(e, "en") and "out.md/x.parquet" in error_text(e, "zh")
    assert "/nope/x.csv" in error_text(FileNotFoundError(2, "No such file or directory", "/nope/x.csv"), "zh")


def test_firm_names_with_a_slash_are_firms_not_paths():
    """Legal forms A/S and S/A are firm names; a missing file under an existing folder is an error."""
    from patentnav.cli.common import parse_firms
    from patentnav.i18n import LocalizedError

    assert parse_firms("VESTAS WIND SYSTEMS A/S,SZ DJI TECHNOLOGY CO LTD") == ["VESTAS WIND SYSTEMS A/S", "SZ DJI TECHNOLOGY CO LTD"]
    assert parse_firms("PETROBRAS S/A") == ["PETROBRAS S/A"]
    for missing in (os.path.join(os.path.dirname(__file__), "nosuch"), "nosuch.csv"):
        with pytest.raises(LocalizedError):
            parse_firms(missing)


@pytest.mark.parametrize("cmd", [["quality", "--by", "applicant", "--top", "1"], ["portfolio", "--format", "json"]])
def test_region_keys_in_any_case_for_quality_and_portfolio(cmd, tmp_path):
    """`--region cn` works wherever --region is taken (review finding: quality and portfolio refused it)."""
    extra = ["--out", str(tmp_path / "o")] if cmd[0] == "portfolio" else []
    r = _run(cmd + ["--region", "cn"] + extra)
    assert r.exit_code == 0, r.output


def test_detection_skips_leading_blank_lines_and_names_what_the_file_starts_with(tmp_path):
    """A Lens export after a blank line is still a Lens export; blank-only and control-character
    files are described as they are, not as binary data (review findings)."""
    from patentnav.io import IngestError, detect_format

    lens = tmp_path / "lens.csv"
    lines = gzip.decompress(dataset_path("drones").read_bytes()).decode("utf-8").splitlines()[:3]
    lens.write_text("\n \n" + "\n".join(lines) + "\n", encoding="utf-8")
    assert detect_format(lens) == "lens"
    blank = tmp_path / "blank.csv"
    blank.write_text("\n\n\n")
    with pytest.raises(IngestError, match="blank lines only"):
        detect_format(blank)
    ctl = tmp_path / "ctl.csv"
    ctl.write_text("a\x01b,c\n1,2\n")
    with pytest.raises(IngestError, match=re.escape("'a\\x01b,c'")):
        detect_format(ctl)
