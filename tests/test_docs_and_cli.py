"""Docs stay in step with the code; the CLI works as README says."""

import re
import subprocess
import sys

from click.testing import CliRunner

import patentnav
from patentnav.cli.main import main
from patentnav.i18n import _MESSAGES, t
from patentnav.model.schema import FIELD_DOCS, SCHEMA

from conftest import ROOT


def test_every_column_is_documented_with_its_type():
    doc = (ROOT / "docs" / "data-model.md").read_text(encoding="utf-8")
    for f in SCHEMA:
        assert f"| `{f.name}` | `{f.type}` |" in doc, f"column {f.name} missing from docs/data-model.md"
    assert set(FIELD_DOCS) == set(SCHEMA.names)


def test_readme_commands_are_the_ones_ci_runs():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"<!-- (\w+)-command -->\n```bash\n(.+?)\n```", readme)
    names = dict(blocks)
    assert set(names) == {"main", "test"}
    assert "pytest" in names["test"]
    ci = (ROOT / ".ci" / "run").read_text()
    assert "test-command" in ci


def test_labels_exist_in_both_languages():
    for key, (en, zh) in _MESSAGES.items():
        assert en and zh, key
        assert set(re.findall(r"{(\w+)}", en)) == set(re.findall(r"{(\w+)}", zh)), key
        assert not re.search(r"[\u4e00-\u9fff]", en), f"{key}: Chinese in the English slot (entries are (en, zh))"
    assert t("info.count", "zh") == "数量"


def test_label_catalog_defines_no_key_twice():
    import ast

    src = (ROOT / "src" / "patentnav" / "i18n.py").read_text(encoding="utf-8")
    keys = [k.value for node in ast.walk(ast.parse(src)) if isinstance(node, ast.Dict)
            for k in node.keys if isinstance(k, ast.Constant)]
    dupes = sorted({k for k in keys if keys.count(k) > 1})
    assert not dupes, dupes


def test_every_fit_failure_reason_has_a_label():
    import re as _re

    src = (ROOT / "src" / "patentnav" / "landscape" / "trends.py").read_text(encoding="utf-8")
    reasons = set(_re.findall(r'reason="(\w+)"', src))
    assert len(reasons) == 7
    for r in reasons:
        assert "fit." + r in _MESSAGES, r


def test_version_and_help():
    r = CliRunner().invoke(main, ["--version"])
    assert r.exit_code == 0 and patentnav.__version__ in r.output
    for cmd in ([], ["ingest"], ["info"], ["ipc"], ["industries"]):
        r = CliRunner().invoke(main, cmd + ["--help"])
        assert r.exit_code == 0, r.output
        assert "Usage" in r.output


def test_info_on_bundled_sample_prints_exact_counts():
    r = CliRunner().invoke(main, ["info"])
    assert r.exit_code == 0, r.output
    assert "9,071" in r.output and "6,073" in r.output and "2,125" in r.output
    assert "B64C" in r.output and "QUALCOMM INC" in r.output


def test_info_in_chinese():
    r = CliRunner().invoke(main, ["info", "--lang", "zh"])
    assert r.exit_code == 0, r.output
    assert "文献类型" in r.output


def test_ingest_writes_parquet_and_issues(tmp_path):
    out, issues = tmp_path / "c.parquet", tmp_path / "issues.csv"
    r = CliRunner().invoke(main, ["ingest", str(patentnav.datasets.path("drones")), "-o", str(out), "--issues", str(issues)])
    assert r.exit_code == 0, r.output
    c = patentnav.read(out)
    assert len(c) == 9071
    text = issues.read_text(encoding="utf-8-sig")
    assert text.count("\n") == 47  # header + 46 late-December date warnings


def test_ingest_strict_exit_status(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("Lens ID,Publication Number,Title\n1,US 1234567 B2,ok\n2,garbage,=HYPERLINK(\"x\")\n", encoding="utf-8")
    r = CliRunner().invoke(main, ["ingest", str(p)])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["ingest", str(p), "--strict"])
    assert r.exit_code == 1


def test_unreadable_input_is_a_clear_error_not_a_traceback(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text("")
    r = subprocess.run([sys.executable, "-m", "patentnav.cli.main", "ingest", str(p)], capture_output=True, text=True)
    assert r.returncode == 2
    assert "Traceback" not in r.stderr and "empty" in r.stderr
    q = tmp_path / "unknown.csv"
    q.write_text("a,b,c\n1,2,3\n")
    r = subprocess.run([sys.executable, "-m", "patentnav.cli.main", "info", str(q)], capture_output=True, text=True)
    said = " ".join(r.stderr.split())  # the console wraps a long temporary path (pytest-xdist workers' are longer)
    assert r.returncode == 2 and "not a recognised patent export" in said and "Traceback" not in r.stderr
