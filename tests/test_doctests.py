"""Every example in the package's docstrings runs and prints what it says (stale examples are
wrong documentation). One test per module; ``patentnav`` is in each example's namespace."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import patentnav

MODULES = sorted(m.name for m in pkgutil.walk_packages(patentnav.__path__, "patentnav.")
                 if not m.name.rsplit(".", 1)[-1].startswith("__"))


def _examples(name: str) -> list[doctest.DocTest]:
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    return [t for t in finder.find(module, name, extraglobs={"patentnav": patentnav}) if t.examples]


@pytest.mark.parametrize("name", [m for m in MODULES if _examples(m)])
def test_docstring_examples(name):
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failed = []
    for test in _examples(name):
        result = runner.run(test, out=failed.append)
        assert result.failed == 0, "".join(failed)
