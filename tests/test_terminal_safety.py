"""Terminal output with hostile data (issue 13, items 5 and 12): Rich markup in data prints as
written and never crashes a command; ESC/OSC sequences, C1 controls and bidi overrides from
data never reach the terminal raw, in any command."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hostile import lens_csv, sample_rows, write
from patentnav.cli.main import main
from patentnav.safety import rich_safe, terminal_safe

#: What must never reach a terminal from data.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

HOSTILE = [
    "\x1b]8;;https://evil.example/phish\x07Click here\x1b]8;;\x07",  # OSC 8 hyperlink
    "\x1b]0;pwned title\x07",  # OSC window title
    "\x1b[2J\x1b[H cleared",  # CSI clear screen
    "\x9b31m 8-bit CSI",
    "\u202eevil.exe\u202c",
    "[/]",
    "[link=https://evil.example]ACME[/link]",
    "[bold red]LOUD",
    "back\\",
]

HEADER, ROWS = sample_rows(200)
COL = {h: i for i, h in enumerate(HEADER)}


@pytest.fixture(scope="module")
def hostile_csv(tmp_path_factory):
    rows = [list(r) for r in ROWS]
    for i, r in enumerate(rows):
        h = HOSTILE[i % len(HOSTILE)]
        if i % 3 == 0:
            r[COL["applicants"]] = f"{h} Drone Co;;SZ DJI TECHNOLOGY CO LTD"
        if i % 4 == 0:
            r[COL["title"]] = f"Unmanned aerial vehicle {h} with rotor arms"
    rows[5][COL["publication_date"]] = "[/]"
    rows[6][COL["publication_date"]] = "\x1b]0;x\x07"
    return write(tmp_path_factory.mktemp("term"), "hostile.csv", lens_csv(rows, HEADER))


def _run(args):
    r = CliRunner().invoke(main, args, catch_exceptions=True)
    assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
    return r


def _clean(r):
    assert r.exit_code == 0, r.output
    found = RAW_CONTROL.findall(r.output)
    assert not found, f"raw control characters reached the terminal: {found!r}"


@pytest.mark.parametrize("cmd", [
    ["ingest"], ["info"], ["names"], ["clusters", "--min-count", "1"], ["gaps", "--region", "CN"], ["trends"],
    ["graph", "--min-count", "1"],
])
def test_commands_print_hostile_data_safely(hostile_csv, cmd):
    r = _run([*cmd, str(hostile_csv)])
    _clean(r)


def test_markup_in_data_prints_as_written(hostile_csv):
    r = _run(["ingest", str(hostile_csv), "--show", "50"])
    _clean(r)
    assert "[/]" in r.output  # the bad date value, shown as text
    r = _run(["info", str(hostile_csv), "--top", "40"])
    _clean(r)
    assert "ACME[/link] Drone Co" in r.output and "\\x9b31m 8-bit CSI" in r.output  # shown as written


def test_report_commands_print_hostile_data_safely(hostile_csv, tmp_path):
    r = _run(["warn", str(hostile_csv), "--name", "[/] \x1b[2J drone", "--feature", "rotor arms fold",
              "--keyword", "unmanned aerial vehicle", "--market", "US", "--as-of", "2018-01-01",
              "--out", str(tmp_path / "w"), "--format", "json", "--lang", "en"])
    _clean(r)
    r = _run(["landscape", str(hostile_csv), "--out", str(tmp_path / "l"), "--format", "json", "--lang", "en"])
    _clean(r)
    r = _run(["portfolio", str(hostile_csv), "--holder", "SZ DJI TECHNOLOGY CO LTD", "--as-of", "2018-01-01",
              "--out", str(tmp_path / "p"), "--format", "json", "--lang", "en"])
    _clean(r)


def test_error_messages_are_safe(tmp_path):
    p = write(tmp_path, "\x1b]0;x\x07[red]bad.csv", b"\x1b[2J[/]\nnot,an,export\n")
    r = _run(["info", str(p)])
    assert r.exit_code == 2
    assert not RAW_CONTROL.findall(r.output) and "[red]bad.csv" in " ".join(r.output.split())


_UNSAFE_CHARS = st.sampled_from(["\x1b", "\x07", "\x9b", "\x00", "\x7f", "\u202e", "\u2066", "\r", "\b", "[", "]", "/", "\\"])
_HOSTILE_TEXT = st.lists(st.one_of(_UNSAFE_CHARS, st.text(max_size=3)), max_size=12).map("".join)


@settings(max_examples=100)
@given(_HOSTILE_TEXT)
def test_terminal_safe_leaves_no_control(text):
    out = terminal_safe(text)
    assert not RAW_CONTROL.findall(out.replace("\n", ""))
    assert "\x1b" not in rich_safe(text)


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(_HOSTILE_TEXT, _HOSTILE_TEXT)
def test_info_and_ingest_with_any_text(tmp_path_factory, title, applicant):
    rows = [list(r) for r in ROWS[:8]]
    for r in rows[:4]:
        r[COL["title"]] = title
        r[COL["applicants"]] = applicant
        r[COL["publication_date"]] = title
    p = write(tmp_path_factory.mktemp("t"), "h.csv", lens_csv(rows, HEADER))
    for cmd in (["info"], ["ingest"]):
        r = _run([*cmd, str(p)])
        assert r.exit_code in (0, 2), r.output
        assert not RAW_CONTROL.findall(r.output)
