"""Start-up cost: ``import patentnav`` and ``patentnav --help`` load no heavy library (issue 16).

The public names of ``patentnav/__init__.py`` are imported on first use (PEP 562), so a
script that only reads a corpus does not pay for plotly, and the CLI starts in the time of
click and rich. Each check runs in a fresh interpreter (this process has imported everything).
"""

from __future__ import annotations

import json
import subprocess
import sys

import patentnav

HEAVY = ("numpy", "pandas", "pyarrow", "scipy", "plotly", "networkx", "sklearn", "jieba", "rapidfuzz")


def _loaded_after(code: str) -> list[str]:
    probe = code + f"\nimport sys, json\nprint(json.dumps([m for m in {list(HEAVY)!r} if m in sys.modules]))"
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def test_import_patentnav_loads_no_heavy_library():
    assert _loaded_after("import patentnav") == []


def test_cli_help_loads_no_heavy_library():
    code = ("from patentnav.cli.main import main\n"
            "for args in (['--help'], ['landscape', '--help'], ['warn', '--help'], ['--version']):\n"
            "    try:\n        main(args)\n    except SystemExit:\n        pass")
    assert _loaded_after(code) == []


def test_public_api_resolves_to_the_same_objects():
    from patentnav.engine import Dataset, Engine
    from patentnav.io import read
    from patentnav.model.corpus import Corpus

    assert patentnav.Corpus is Corpus and patentnav.read is read
    assert patentnav.Engine is Engine and patentnav.Dataset is Dataset
    for name in patentnav.__all__:
        assert getattr(patentnav, name) is not None, name
    assert set(patentnav.__all__) <= set(dir(patentnav))
    ns: dict = {}
    exec("from patentnav import *", ns)
    assert {n for n in patentnav.__all__ if n != "__version__"} <= set(ns)


def test_unknown_attribute_is_an_attribute_error():
    try:
        patentnav.no_such_name  # noqa: B018
    except AttributeError as e:
        assert "no_such_name" in str(e)
    else:
        raise AssertionError("expected AttributeError")


def test_cli_pins_blas_threads_unless_told():
    """The CLI sets one BLAS thread before NumPy loads; a user's own setting wins."""
    import os

    code = ("import os, sys\nimport patentnav.cli.main\nassert 'numpy' not in sys.modules\n"
            "print(os.environ['OPENBLAS_NUM_THREADS'], os.environ['OMP_NUM_THREADS'])")
    env = {k: v for k, v in os.environ.items() if k not in ("OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "OMP_NUM_THREADS")}
    run = lambda e: subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=e).stdout.split()
    assert run(env) == ["1", "1"]
    assert run({**env, "OPENBLAS_NUM_THREADS": "2"}) == ["2", "1"]
