"""Crashes on real slices (issue 13, item 7): a clean 40-row slice of the bundled sample
through ``gaps`` and ``clusters --min-count 1`` (IPC codes without a title, such as F24J);
documents without title, abstract or claims through ``technology_fields``,
``RelevanceIndex.build`` and the landscape report; the one null-safe text join they share."""

from __future__ import annotations

import pyarrow as pa
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import patentnav
from hostile import lens_csv, sample_rows, write
from patentnav._arrow import join_text
from patentnav.cli.main import main

HEADER, ROWS = sample_rows(40)


@pytest.fixture(scope="module")
def slice40(tmp_path_factory):
    return write(tmp_path_factory.mktemp("slice"), "slice40.csv", lens_csv(ROWS, HEADER))


@pytest.mark.parametrize("cmd", [["gaps", "--region", "CN"], ["clusters", "--min-count", "1"],
                                 ["clusters", "--min-count", "1", "--basis", "text"]])
def test_commands_on_a_40_row_slice(slice40, cmd):
    r = CliRunner().invoke(main, [*cmd, str(slice40)])
    assert r.exit_code == 0, r.output
    assert "Traceback" not in r.output


def test_slice_has_a_code_without_title(slice40):
    from patentnav.classify.titles import ipc_title

    c = patentnav.read(slice40)
    codes = {x[:4] for v in c.table["ipc"].to_pylist() for x in v}
    assert "F24J" in codes and ipc_title("F24J") is None  # the case that crashed the table printing


def _without_text(corpus, rows=(5, 17)):
    t = corpus.table
    for name in ("title", "abstract", "claims"):
        vals = t[name].to_pylist()
        for i in rows:
            vals[i] = None
        t = t.set_column(t.schema.get_field_index(name), name, pa.array(vals, pa.string()))
    return patentnav.Corpus(t)


@pytest.fixture(scope="module")
def blank():
    return _without_text(patentnav.datasets.drones())


def test_technology_fields_with_documents_without_text(blank):
    from patentnav.landscape.clusters import technology_fields

    for basis in ("cooccurrence", "text"):
        tf = technology_fields(blank, basis=basis)
        assert len(tf.labels) == len(blank)


def test_relevance_index_with_documents_without_text(blank):
    from patentnav.warning.relevance import RelevanceIndex

    idx = RelevanceIndex.build(blank)
    assert idx is not None


def test_landscape_and_warn_on_the_sample_with_a_blank_title(tmp_path):
    rows = [list(r) for r in sample_rows(300)[1]]
    rows[3][HEADER.index("title")] = ""
    p = write(tmp_path, "blank.csv", lens_csv(rows, HEADER))
    r = CliRunner().invoke(main, ["landscape", str(p), "--out", str(tmp_path / "l"), "--format", "json", "--lang", "en"])
    assert r.exit_code == 0, r.output
    r = CliRunner().invoke(main, ["warn", str(p), "--name", "drone", "--feature", "foldable rotor arms",
                                  "--market", "US", "--as-of", "2018-01-01", "--out", str(tmp_path / "w"), "--format", "json"])
    assert r.exit_code == 0, r.output


_PART = st.lists(st.one_of(st.none(), st.just(""), st.just("  "), st.text(max_size=4)), min_size=6, max_size=6)


@given(st.lists(_PART, min_size=1, max_size=4), st.booleans(), st.sampled_from([pa.string(), pa.large_string()]))
def test_join_text_against_a_loop(parts, trim, typ):
    """Same length and order as the inputs; null exactly where every part is null/empty."""
    arrays = [pa.array(p, typ) for p in parts]
    got = join_text(arrays, " | ", trim=trim).to_pylist()
    want = []
    for i in range(6):
        items = [p[i].strip() if (trim and p[i] is not None) else p[i] for p in parts]
        items = [x for x in items if x]
        want.append(" | ".join(items) if items else None)
    assert got == want
