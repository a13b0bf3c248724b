"""Every code block of README.md runs as written (in a temporary folder, on the bundled data).

Bash blocks run line by line: ``patentnav`` commands through Click's test runner (the
same commands, in this process, so the bundled corpus is read once), other lines through
bash. Install lines are skipped (``pip install`` is what CI runs before the tests), and
so is the test command itself; the main command runs its ``patentnav`` part. Python
blocks run with :func:`exec`. The folder holds links to ``examples/`` and ``src/``, so
paths relative to a checkout work.
"""

import re
import shlex
import subprocess

import pytest
from click.testing import CliRunner

from conftest import ROOT
from patentnav.cli.main import main

README = (ROOT / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```(bash|python)\n(.*?)```", README, re.S)


def _commands(code: str) -> list[str]:
    out = []
    for line in code.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "pytest" in line:
            continue
        if "pip install" in line:  # the two commands: keep what runs after the install
            tail = [part.strip() for part in line.split("&&") if "bin/patentnav" in part]
            out += [t.replace(".venv/bin/patentnav", "patentnav") for t in tail]
            continue
        out.append(line)
    return out


@pytest.fixture
def checkout(tmp_path, monkeypatch):
    for name in ("examples", "src"):
        (tmp_path / name).symlink_to(ROOT / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_readme_has_the_blocks_it_promises():
    kinds = [k for k, _ in BLOCKS]
    assert kinds.count("bash") >= 3 and kinds.count("python") >= 1
    assert any("patentnav warn" in c for _, c in BLOCKS) and "fonts-noto-cjk" in README and "PATENTNAV_LANG" in README


def test_bash_blocks_run_as_written(checkout):
    runner = CliRunner()
    ran = 0
    for kind, code in BLOCKS:
        if kind != "bash":
            continue
        for cmd in _commands(code):
            if cmd.startswith("patentnav"):
                args = shlex.split(cmd, comments=True)[1:]
                r = runner.invoke(main, args, catch_exceptions=False)
                assert r.exit_code == 0, f"{cmd}\n{r.output}"
            else:
                r = subprocess.run(["bash", "-c", cmd], capture_output=True, text=True, cwd=checkout)
                assert r.returncode == 0, f"{cmd}\n{r.stderr}"
            ran += 1
    assert ran >= 15
    assert (checkout / "patentnav-report" / "report.html").is_file()  # the main command
    assert (checkout / "corpus.parquet").is_file() and (checkout / "mapping.csv").is_file()


def test_python_blocks_run_as_written(checkout, capsys):
    for kind, code in BLOCKS:
        if kind == "python":
            exec(compile(code, "README.md", "exec"), {"__name__": "__readme__"})
    out = capsys.readouterr().out
    assert "9,071 documents" in out
    assert (checkout / "aliases.csv").is_file() and (checkout / "drones.parquet").is_file()
