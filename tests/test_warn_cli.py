"""The ``patentnav warn`` command: outputs, escaping, CSV neutralisation and error paths."""

import csv
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from patentnav.cli.main import main
from patentnav.safety import FORMULA_PREFIXES

ROOT = Path(__file__).resolve().parents[1]
PROFILE = str(ROOT / "examples" / "drone_product.toml")
AS_OF = "2026-11-27"
XSS = "<script>alert(1)</script>"


def _invoke(args):
    return CliRunner().invoke(main, args, catch_exceptions=False)


def _flat(text):
    """Output with rich's line wrapping undone."""
    return " ".join(text.split())


def _csv_cells(path):
    with open(path, newline="", encoding="utf-8-sig") as f:
        return [c for row in csv.reader(f) for c in row]


@pytest.fixture(scope="module")
def plain(tmp_path_factory):
    out = tmp_path_factory.mktemp("warn_plain")
    r = _invoke(["warn", "--product", PROFILE, "--out", str(out), "--as-of", AS_OF, "--format", "json,csv,html", "--lang", "zh"])
    return r, out


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """Product name with markup and a feature that a spreadsheet would evaluate."""
    out = tmp_path_factory.mktemp("warn_hostile")
    r = _invoke(["warn", "--product", PROFILE, "--out", str(out), "--as-of", AS_OF, "--format", "json,csv,html",
                 "--name", XSS, "--feature", "=1+1", "--feature", "foldable rotor arms", "--lang", "en"])
    return r, out


def test_warn_writes_the_outputs(plain):
    r, out = plain
    assert r.exit_code == 0, r.output
    for name in ("warning.json", "warning.html", "risks_all.csv"):
        assert (out / name).is_file(), name
    assert not (out / "warning.md").exists()  # md was not asked for
    tables = sorted(p.name for p in (out / "tables").glob("*.csv"))
    assert "risks_markets.csv" in tables and "risks_US.csv" in tables and "details.csv" in tables
    assert not any(n.startswith(("risks_risks", "details_details")) for n in tables)  # names never double up
    rep = json.loads((out / "warning.json").read_text(encoding="utf-8"))
    assert [s["id"] for s in rep["sections"]] == ["product", "risks", "details", "freedom"]
    assert rep["meta"]["region"] == "US" and rep["meta"]["lang"] == "zh"
    assert "SkyLens Mini 3" in rep["meta"]["title"]
    markets = next(t for s in rep["sections"] for t in s["tables"] if t["id"] == "markets")
    assert markets["rows"][0][:4] == ["US", 6073, 300, 183]
    html = (out / "warning.html").read_text(encoding="utf-8")
    assert html.lstrip().lower().startswith("<!doctype html") and "US-9567078-B2" in html
    flat = _flat(r.output)
    assert "US-9567078-B2" in flat  # the top risk in the terminal table


def test_risks_all_csv(plain):
    _, out = plain
    raw = (out / "risks_all.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with open(out / "risks_all.csv", newline="", encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    assert header[:3] == ["market", "rank", "publication_number"]
    assert "row" not in header and "risk" in header and "action" in header
    assert len(body) == 183  # every risk row, not only the 30 shown in the report
    assert [r[header.index("rank")] for r in body] == [str(i) for i in range(1, 184)]
    first = dict(zip(header, body[0]))
    assert first["publication_number"] == "US-9567078-B2" and float(first["risk"]) == 28.0
    assert first["matched_features"].startswith(("feature ", "keywords"))


def test_html_escapes_the_product_name(hostile):
    r, out = hostile
    assert r.exit_code == 0, r.output
    html = (out / "warning.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    rep = json.loads((out / "warning.json").read_text(encoding="utf-8"))
    assert XSS in rep["meta"]["title"]  # the model keeps plain text; only the renderer escapes


def test_csv_formula_cells_are_neutralised(hostile):
    _, out = hostile
    files = [out / "risks_all.csv"] + sorted((out / "tables").glob("*.csv"))
    seen = 0
    for f in files:
        for cell in _csv_cells(f):
            if "=1+1" in cell:
                seen += 1
                assert not cell.startswith("="), (f.name, cell)
                if cell.lstrip("'").startswith("=1+1"):
                    assert cell.startswith("'=1+1"), (f.name, cell)
            if cell and cell.startswith(FORMULA_PREFIXES):
                # only numbers may start with '-' (a negative number is not a formula)
                assert re.fullmatch(r"-\d+(\.\d+)?", cell), (f.name, cell)
    assert seen >= 1  # the feature is in the outputs (the product's feature table)
    feats = _csv_cells(out / "tables" / "product_features.csv")
    assert "'=1+1" in feats


# --- errors ---------------------------------------------------------------------------------------
def test_no_profile_and_no_name(tmp_path):
    r = CliRunner().invoke(main, ["warn", "--out", str(tmp_path / "o"), "--as-of", AS_OF])
    assert r.exit_code != 0
    assert "--product" in _flat(r.output)
    assert not (tmp_path / "o").exists()


def test_name_without_features_is_not_enough(tmp_path):
    r = CliRunner().invoke(main, ["warn", "--name", "camera drone", "--out", str(tmp_path / "o")])
    assert r.exit_code != 0 and "--product" in _flat(r.output)


def test_profile_with_bad_code(tmp_path):
    p = tmp_path / "bad_product.toml"
    p.write_text('name = "camera drone"\nfeatures = ["three-axis gimbal"]\ncodes = ["B64C 39/024", "B64 39"]\n'
                 'markets = ["US"]\n', encoding="utf-8")
    r = CliRunner().invoke(main, ["warn", "--product", str(p), "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    msg = _flat(r.output)
    assert "bad_product.toml" in msg and "line 3" in msg and "codes" in msg and "B64 39" in msg
    assert "Traceback" not in r.output


def test_market_wo_is_refused(tmp_path):
    r = CliRunner().invoke(main, ["warn", "--product", PROFILE, "--market", "WO", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2, r.output
    assert "PCT" in _flat(r.output)
    assert not (tmp_path / "o").exists()


def test_unknown_format(tmp_path):
    r = CliRunner().invoke(main, ["warn", "--product", PROFILE, "--format", "json,pdf", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2 and "pdf" in _flat(r.output)


# --- issue 12/13: markets the data cannot assess, dates out of range -----------------------------
def test_markets_the_data_cannot_assess_exit_3_and_never_say_clear(tmp_path):
    from patentnav.cli.warn_cmds import EXIT_NOT_ASSESSABLE

    r = CliRunner().invoke(main, ["warn", "--product", str(PROFILE), "--market", "XX", "--market", "CN", "--as-of",
                                  "2026-11-27", "--out", str(tmp_path / "o"), "--lang", "en", "--format", "json"])
    assert r.exit_code == EXIT_NOT_ASSESSABLE == 3, r.output
    assert "not assessable" in r.output and "Not assessed" in r.output
    assert "No patent in the data threatens" not in r.output
    import json

    rep = json.loads((tmp_path / "o" / "warning.json").read_text(encoding="utf-8"))
    text = json.dumps(rep, ensure_ascii=False)
    assert "no patent" not in text.lower() or "not assess" in text.lower()
    markets = next(t for s in rep["sections"] for t in s["tables"] if t["id"] == "markets")
    assert [row[-1] for row in markets["rows"]] == ["not assessable", "not assessable"]


def test_one_assessable_market_is_enough_for_exit_0(tmp_path):
    r = CliRunner().invoke(main, ["warn", "--product", str(PROFILE), "--market", "US", "--market", "CN", "--as-of",
                                  "2026-11-27", "--out", str(tmp_path / "o"), "--format", "json", "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert "CN: not assessable" in r.output


@pytest.mark.parametrize("opt", ["--as-of", "--since"])
def test_dates_out_of_range_name_the_option(tmp_path, opt):
    r = CliRunner().invoke(main, ["warn", "--product", str(PROFILE), opt, "9999-12-31", "--out", str(tmp_path / "o")])
    assert r.exit_code == 2
    assert f"Invalid value for '{opt}': 9999-12-31 is out of range; give a date from 1900-01-01 to 2200-12-31" in r.output


def test_screen_as_of_out_of_range_is_a_value_error():
    import patentnav
    from patentnav.warning import ProductProfile, screen

    with pytest.raises(ValueError, match="as_of 9999-12-31 is out of range"):
        screen(patentnav.datasets.drones(), ProductProfile(name="x", features=("drone",), markets=("US",)),
               as_of="9999-12-31")


def test_chinese_profile_terminal_says_the_dictionary_caveat_once(tmp_path):
    """The cross-lingual caveat is printed first, and the closing caveat is the next one (not the same again)."""
    zh = str(ROOT / "examples" / "drone_product_zh.toml")
    r = _invoke(["warn", "--product", zh, "--market", "US", "--out", str(tmp_path / "o"), "--as-of", AS_OF,
                 "--format", "json", "--lang", "zh"])
    assert r.exit_code == 0, r.output
    text = _flat(r.output).replace(" ", "")
    assert text.count("CC-CEDICT") == 1
    assert "不构成法律意见" in text  # the closing caveat
