"""Result pins: the landscape report's JSON and CSV outputs, byte for byte.

Speed work (issue 16) must not change a single result. This test hashes ``report.json`` and
every ``tables/*.csv`` of three reports and compares them with ``data/result_pins.json``:
the bundled sample in Chinese (region CN) and in English (SEI 2.2), and a 20,000-document
synthetic corpus (``benchmarks/synthetic.py``, seed 0, region US, English). Floats in both
formats are written with 6 significant digits (``report.json_csv``), so the hashes do not
depend on the last bits of a BLAS kernel.

A change that is meant to change a result updates the pins in the same commit, and says so:

    python tests/test_result_pins.py --update
"""

from __future__ import annotations

import hashlib
import json
import pathlib
import sys
import tempfile

import pytest

HERE = pathlib.Path(__file__).resolve().parent
PINS = HERE / "data" / "result_pins.json"
sys.path.insert(0, str(HERE.parent / "benchmarks"))


def _digests(report: dict, folder: pathlib.Path) -> dict[str, str]:
    from patentnav.report.json_csv import to_json, write_csv_tables

    out = {"report.json": hashlib.sha256(to_json(report).encode("utf-8")).hexdigest()}
    for p in sorted(write_csv_tables(report, folder / "tables")):
        out[f"tables/{p.name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return out


def _synthetic_report() -> dict:
    from synthetic import synthetic_corpus

    from patentnav.report import build_landscape_report

    return build_landscape_report(synthetic_corpus(20_000, seed=0), region="US", lang="en")


@pytest.fixture(scope="module")
def synthetic_report():
    return _synthetic_report()


def _check(name: str, report: dict, tmp_path) -> None:
    pins = json.loads(PINS.read_text(encoding="utf-8"))[name]
    got = _digests(report, tmp_path)
    changed = sorted(k for k in pins.keys() | got.keys() if pins.get(k) != got.get(k))
    assert not changed, f"{name}: outputs differ from the pins: {changed} (written under {tmp_path})"


def test_sample_zh_pinned(landscape_reports, tmp_path):
    _check("sample_zh_CN", landscape_reports["zh"], tmp_path)


def test_sample_en_pinned(landscape_reports, tmp_path):
    _check("sample_en_sei2.2", landscape_reports["en"], tmp_path)


def test_synthetic_20k_pinned(synthetic_report, tmp_path):
    _check("synthetic_20k_US_en", synthetic_report, tmp_path)


def _update() -> None:
    import patentnav
    from patentnav.report import build_landscape_report

    drones = patentnav.datasets.drones()
    reports = {"sample_zh_CN": build_landscape_report(drones, lang="zh"),
               "sample_en_sei2.2": build_landscape_report(drones, lang="en", industry="2.2"),
               "synthetic_20k_US_en": _synthetic_report()}
    with tempfile.TemporaryDirectory() as d:
        pins = {k: _digests(r, pathlib.Path(d) / k) for k, r in reports.items()}
    PINS.write_text(json.dumps(pins, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {PINS}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--update"]:
        _update()
    else:
        sys.exit(__doc__)
