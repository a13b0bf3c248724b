"""Report folders (issue 13, item 10): staged and moved into place at the end, a manifest of
what patentnav wrote, never overwriting or deleting the user's files, never following
symlinks, and no silent success when a folder cannot be written."""

from __future__ import annotations

import json
import os

import pytest
from click.testing import CliRunner

from patentnav.cli.main import main
from patentnav.report import outputs
from patentnav.report.outputs import MANIFEST, OutputError, plan_outputs, write_outputs
from test_report_render import make_report

REPORT = make_report("en")


def _listing(d):
    return sorted(p.relative_to(d).as_posix() for p in d.rglob("*"))


def test_fresh_folder_gets_a_manifest_of_everything(tmp_path):
    out = tmp_path / "rep"
    written = write_outputs(REPORT, out, ["html", "json", "csv"])
    assert [f for f, _ in written] == ["json", "csv", "html"] and all(str(out) in p for _, p in written)
    manifest = json.loads((out / MANIFEST).read_text())
    files = [p for p in _listing(out) if (out / p).is_file() and p != MANIFEST]
    assert sorted(manifest["files"]) == files and manifest["complete"] is True
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".patentnav-staging")]  # staging removed
    assert oct((out).stat().st_mode & 0o777) != oct(0o700)  # not mkdtemp's private mode


def test_rerun_replaces_the_earlier_report_without_a_mix(tmp_path):
    out = tmp_path / "rep"
    write_outputs(REPORT, out, ["html", "md"])
    assert (out / "images").is_dir()
    (out / "notes.txt").write_text("mine")
    plan = plan_outputs(out)
    assert plan.describe()["others"] == 1 and plan.describe()["replaced"] > 3
    write_outputs(REPORT, out, ["json"])
    assert _listing(out) == [MANIFEST, "notes.txt", "report.json"]  # old html/md/png gone, user file kept


def test_interrupted_run_leaves_the_previous_report_whole(tmp_path, monkeypatch):
    out = tmp_path / "rep"
    write_outputs(REPORT, out, ["html", "md"])
    before = {p: (out / p).read_bytes() for p in _listing(out) if (out / p).is_file()}

    def interrupted(report, out_dir, name="report.md", **kw):
        raise KeyboardInterrupt

    import patentnav.report.markdown as md

    monkeypatch.setattr(md, "write_markdown", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(REPORT, out, ["json", "html", "md"])
    after = {p: (out / p).read_bytes() for p in _listing(out) if (out / p).is_file()}
    assert after == before
    assert not [p for p in os.listdir(tmp_path) if p.startswith(".patentnav-staging")]


@pytest.mark.parametrize("name", ["report.html", "tables/scope_top-applicants.csv"])
def test_user_files_are_never_overwritten(tmp_path, name):
    out = tmp_path / "rep"
    (out / name).parent.mkdir(parents=True)
    (out / name).write_text("my own file")
    with pytest.raises(OutputError, match="never overwrites"):
        write_outputs(REPORT, out, ["html", "csv"])
    assert (out / name).read_text() == "my own file"
    assert _listing(out) == sorted({name, *[str(p) for p in [os.path.dirname(name)] if p]})


def test_changed_report_files_count_as_the_users(tmp_path):
    out = tmp_path / "rep"
    write_outputs(REPORT, out, ["html"])
    (out / "report.html").write_text("edited by hand")
    with pytest.raises(OutputError, match="changed since patentnav wrote it"):
        plan_outputs(out, ["report.html"])
    write_outputs(REPORT, out, ["json"])  # a run that does not write it keeps it too
    assert (out / "report.html").read_text() == "edited by hand"


@pytest.mark.parametrize("link, target", [("report.json", "x/config.ini"), ("tables", "elsewhere"), ("images", "elsewhere")])
def test_symlinks_are_never_followed(tmp_path, link, target):
    out = tmp_path / "rep"
    out.mkdir()
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "config.ini").write_text("keep")
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / target, out / link)
    with pytest.raises(OutputError, match="symbolic link"):
        write_outputs(REPORT, out, ["json", "csv", "md"])
    assert (tmp_path / "x" / "config.ini").read_text() == "keep" and not os.listdir(tmp_path / "elsewhere")


def test_out_itself_a_symlink(tmp_path):
    (tmp_path / "real").mkdir()
    os.symlink(tmp_path / "real", tmp_path / "link")
    with pytest.raises(OutputError, match="symbolic link"):
        write_outputs(REPORT, tmp_path / "link", ["json"])
    assert not os.listdir(tmp_path / "real")


def test_unwritable_images_folder_is_an_error_before_anything_moves(tmp_path, monkeypatch):
    out = tmp_path / "rep"
    write_outputs(REPORT, out, ["md"])
    before = _listing(out)
    real = outputs._writable
    monkeypatch.setattr(outputs, "_writable", lambda d: False if d.name == "images" else real(d))
    with pytest.raises(OutputError, match="no write permission"):
        write_outputs(REPORT, out, ["json", "md"])
    assert _listing(out) == before


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_images_folder_for_real(tmp_path):
    out = tmp_path / "rep"
    write_outputs(REPORT, out, ["md"])
    os.chmod(out / "images", 0o555)
    try:
        with pytest.raises(OutputError):
            write_outputs(REPORT, out, ["md"])
    finally:
        os.chmod(out / "images", 0o755)


def test_a_png_that_cannot_be_written_is_an_error_not_a_note(tmp_path, monkeypatch):
    import pathlib

    import patentnav.report.markdown as md

    real = pathlib.Path.write_bytes

    def refuse(self, data):
        if self.suffix == ".png":
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, data)

    monkeypatch.setattr(pathlib.Path, "write_bytes", refuse)
    with pytest.raises(PermissionError):
        md.write_markdown(REPORT, tmp_path)


def test_cli_says_what_it_does_with_a_non_empty_out(tmp_path):
    out = tmp_path / "rep"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    r = CliRunner().invoke(main, ["landscape", "--out", str(out), "--format", "json", "--lang", "en"])
    assert r.exit_code == 0, r.output
    flat = " ".join(r.output.split())
    assert "1 other file(s)" in flat and "notes.txt" in flat and "left alone" in flat
    r = CliRunner().invoke(main, ["landscape", "--out", str(out), "--format", "json", "--lang", "en"])
    assert r.exit_code == 0 and "holds an earlier patentnav report" in " ".join(r.output.split())
    (out / "report.html").write_text("mine too")
    r = CliRunner().invoke(main, ["landscape", "--out", str(out), "--format", "html", "--lang", "en"])
    assert r.exit_code == 2 and "never overwrites" in " ".join(r.output.split())
    assert (out / "report.html").read_text() == "mine too"
