"""Every script in examples/ runs without error (they are the user guide's worked examples)."""

import runpy

import pytest

from conftest import ROOT

EXAMPLES = sorted((ROOT / "examples").glob("*.py"))


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.name for p in EXAMPLES])
def test_example_runs(path, capsys, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(path), run_name="__main__")
    out = capsys.readouterr().out
    assert out.strip(), f"{path.name} printed nothing"


def test_chinese_profile_example_finds_english_patents(capsys, monkeypatch, tmp_path):
    """examples/08: the Chinese-only profile finds the English gimbal patent through 云台 → gimbal."""
    monkeypatch.chdir(tmp_path)
    runpy.run_path(str(ROOT / "examples" / "08_chinese_profile_warning.py"), run_name="__main__")
    out = capsys.readouterr().out
    assert "云台 → gimbal" in out and "codes only, not assessed by text" in out
    assert (tmp_path / "drone-warning-zh" / "warning.html").exists()
