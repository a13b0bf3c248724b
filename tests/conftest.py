import os
from pathlib import Path

import pytest

os.environ.setdefault("PATENTNAV_LANG", "en")
os.environ.setdefault("COLUMNS", "120")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


@pytest.fixture(scope="session")
def drones():
    import patentnav

    return patentnav.datasets.drones()
