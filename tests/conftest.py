import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The suite must give the same result on an idle laptop and on a loaded CI machine: no
# wall-clock deadlines and no timing health checks in property tests, and the same examples
# on every run (derandomize; no example database carried between runs). A test's own
# @settings only adds to this profile. HYPOTHESIS_PROFILE=explore searches at random.
settings.register_profile("deterministic", deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("explore", deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "deterministic"))

os.environ.setdefault("PATENTNAV_LANG", "en")
os.environ.setdefault("COLUMNS", "120")

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"


def corpus_from_rows(rows):
    """A Corpus from a list of dicts; ``ipc``/``cpc`` default to empty lists."""
    import pandas as pd

    from patentnav.model.corpus import Corpus

    df = pd.DataFrame(rows)
    for col in ("ipc", "cpc"):
        if col not in df:
            df[col] = [[] for _ in range(len(df))]
    return Corpus.from_pandas(df)


@pytest.fixture(scope="session")
def drones():
    import patentnav

    return patentnav.datasets.drones()


@pytest.fixture(scope="session")
def landscape_reports(drones):
    """The landscape report of the bundled sample in Chinese (region CN) and in English
    (scoped to SEI 2.2), built once for the tests that only read them."""
    from patentnav.report import build_landscape_report

    return {"zh": build_landscape_report(drones, lang="zh"), "en": build_landscape_report(drones, lang="en", industry="2.2")}
