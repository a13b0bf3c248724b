"""The landscape report lets go of each shared computation after its last reader
(patentnav.report.context.RELEASE_AFTER): no value is read after its release (each is made
once per report), a released value read again is made again identically, and the engine's
and the shared store's entries go with them."""

from functools import cached_property

import numpy as np
import pandas as pd
import pytest

import patentnav.report.context as context
import patentnav.report.model as model
from patentnav.model import shared
from patentnav.report.context import RELEASE_AFTER, LandscapeContext, landscape_context

PROPERTIES = [name for name, v in vars(LandscapeContext).items() if isinstance(v, cached_property)]


def _steps():
    from patentnav.cli.report_cmds import _STEPS

    return _STEPS


def test_release_table_names_steps_and_properties():
    steps = _steps()
    assert set(RELEASE_AFTER) <= set(steps)
    released = [n for what in RELEASE_AFTER.values() for n in what.get("values", ())]
    assert len(released) == len(set(released)) and set(released) <= set(PROPERTIES)
    # in the module docstring's table, each released property names its step
    for step, what in RELEASE_AFTER.items():
        for name in what.get("values", ()):
            row = next(line for line in context.__doc__.splitlines() if line.startswith(f"``{name}``"))
            assert row.split()[-1] == step, name


@pytest.fixture
def report_ctx(drones, monkeypatch):
    """A report of the sample with every context property's and shared entry's computation
    counted, and the context it used."""
    made, shared_made, caught = {}, {}, {}
    for name in PROPERTIES:
        prop = vars(LandscapeContext)[name]

        def counted(self, _f=prop.func, _n=name):
            made[_n] = made.get(_n, 0) + 1
            return _f(self)

        new = cached_property(counted)
        new.__set_name__(LandscapeContext, name)
        monkeypatch.setattr(LandscapeContext, name, new)
    real_shared = shared.shared

    def counting_shared(corpus, key, make):
        def counted_make():
            k = key[0] if isinstance(key, tuple) and key[0] == "quality_table" else key
            shared_made[k] = shared_made.get(k, 0) + 1
            return make()

        return real_shared(corpus, key, counted_make)

    monkeypatch.setattr(shared, "shared", counting_shared)

    def catching(*a, **k):
        caught["ctx"] = landscape_context(*a, **k)
        return caught["ctx"]

    monkeypatch.setattr(model, "landscape_context", catching)
    report = model.build_landscape_report(drones, lang="en")
    return report, caught["ctx"], made, shared_made


def test_no_value_is_read_after_its_release(report_ctx, landscape_reports):
    """Each property and each shared entry is made at most once in a report: released only
    after its last reader (a value read after its release would be made twice)."""
    report, ctx, made, shared_made = report_ctx
    assert made and max(made.values()) == 1, made
    assert shared_made and max(shared_made.values()) == 1, shared_made
    released = {n for what in RELEASE_AFTER.values() for n in what.get("values", ())}
    assert released - {"documents"} <= set(made)  # used (the sample cites nothing in it: no main path to list)
    assert not released & set(ctx.__dict__)  # and let go by the end
    assert shared._STORE.get(ctx.corpus) is None  # the shared entries too


def test_report_is_the_same_without_release(drones, monkeypatch):
    a = model.build_landscape_report(drones, lang="en")
    monkeypatch.setattr(LandscapeContext, "release", lambda self, step: None)
    assert model.build_landscape_report(drones, lang="en") == a


def _same(a, b):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b)
        assert a.attrs.keys() == b.attrs.keys()
    elif isinstance(a, pd.Series):
        pd.testing.assert_series_equal(a, b)
    elif isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and np.array_equal(a, b)
    elif hasattr(a, "__dict__"):
        assert type(a) is type(b)
        for k in vars(a):
            if not k.startswith("_"):
                _same(getattr(a, k), getattr(b, k))
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b):
            _same(x, y)
    elif isinstance(a, dict):
        assert a.keys() == b.keys()
        for k in a:
            _same(a[k], b[k])
    elif hasattr(a, "toarray"):
        assert (a != b).nnz == 0
    else:
        assert a == b or (a != a and b != b)


def test_a_released_value_is_made_again_identically(drones):
    ctx = landscape_context(drones, lang="en")
    names = [n for what in RELEASE_AFTER.values() for n in what.get("values", ()) if n != "aggregates"]
    first = {n: getattr(ctx, n) for n in names}
    for step in RELEASE_AFTER:
        ctx.release(step)
    assert not set(names) & set(ctx.__dict__) and shared._STORE.get(ctx.corpus) is None
    for n in names:
        again = getattr(ctx, n)
        assert again is not first[n]
        _same(first[n], again)


def test_forget_drops_named_entries_and_prefixes(drones):
    c = drones.filter(jurisdiction="US")
    for key in ("row_index", ("code_incidence", "ipc", "subclass"), ("code_incidence", "ipc", "main_group"),
                ("quality_table", None, 5)):
        shared.shared(c, key, lambda: 1)
    shared.forget(c, ("code_incidence", "ipc", "main_group"))
    assert set(shared._STORE[c]) == {"row_index", ("code_incidence", "ipc", "subclass"), ("quality_table", None, 5)}
    shared.forget(c, "quality_table", "row_index")
    assert set(shared._STORE[c]) == {("code_incidence", "ipc", "subclass")}
    shared.forget(c)
    assert shared._STORE.get(c) is None
    shared.forget(c, "row_index")  # nothing kept: nothing to do


def test_engine_release(drones):
    from patentnav.engine import Aggregates, Engine

    mem = Engine("memory").aggregates(drones)
    assert mem.documents.tolist() == drones["publication_number"].to_pylist()
    inc = mem.incidence("ipc", "main_group")
    assert mem.incidence("ipc", "main_group") is inc
    mem.assign_regions("country")
    mem.release("incidence", "ipc", "main_group")
    mem.release("assignment")
    assert "_assignments" not in vars(mem)
    again = mem.incidence("ipc", "main_group")
    assert again is not inc and (again.matrix != inc.matrix).nnz == 0
    agg = Aggregates(api=None, docs=None)
    agg._cache.update({("incidence", "ipc", "subclass"): 1, ("incidence", "ipc", "main_group"): 2,
                       ("code_counts", "ipc", "main_group"): 3, ("citations", True): 4})
    agg.release("incidence", "ipc", "main_group")
    agg.release("citations")
    assert set(agg._cache) == {("incidence", "ipc", "subclass"), ("code_counts", "ipc", "main_group")}


def test_memory_returning_pool_is_scoped():
    import pyarrow as pa

    before = pa.default_memory_pool().backend_name
    with context.memory_returning_pool():
        assert pa.default_memory_pool().backend_name == "system"
        a = pa.array(np.arange(1000))
    assert pa.default_memory_pool().backend_name == before
    assert a.sum().as_py() == 499500  # freed later by the pool that made it
    context.return_memory()
    context.return_memory()


def test_memory_returning_pool_overlapping_blocks_restore_the_first_pool():
    """Two reports built in threads: blocks that overlap (A enters, B enters, A leaves, B
    leaves) leave the default pool as it was before A, not the system pool."""
    import threading

    import pyarrow as pa

    before = pa.default_memory_pool().backend_name
    entered_b, left_a = threading.Event(), threading.Event()

    def b():
        with context.memory_returning_pool():
            entered_b.set()
            left_a.wait(5)
            assert pa.default_memory_pool().backend_name == "system"

    with context.memory_returning_pool():
        t = threading.Thread(target=b)
        t.start()
        entered_b.wait(5)
    left_a.set()
    t.join(5)
    assert pa.default_memory_pool().backend_name == before
