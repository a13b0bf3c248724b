"""Benchmark of ``patentnav.landscape.specialization`` against the PyPI package ``ecomplexity``.

Not part of the test suite. Needs ``pip install ecomplexity``.

Synthetic input: ``--regions`` x ``--techs`` (default 300 x 650, about the IPC subclasses)
patent counts, gamma-Poisson (overdispersed): cell rate ``Gamma(0.25, 3) * region size``
with region size ``Gamma(0.8, 1)`` (fixed seed): about 21 % of cells non-zero, ~120k patents,
a few regions without any patent (which ecomplexity drops). The realised figures are
reported.

Timed, wall clock (``time.perf_counter``), median of ``--repeat`` runs after one warm-up:

* ``patentnav``      - ``specialization(counts)`` from the dense array: RCA, M, shares,
  diversity/ubiquity, proximity, association strength, density, ECI, PCI, COI, COG;
* ``ecomplexity``    - ``ecomplexity(df, cols, verbose=False, check_logsupermodularity=False)``
  on the equivalent long table (one time period, every cell; building the table is not
  timed), plus, separately, ``ecomplexity.proximity(df, cols)`` (the proximity matrix,
  which its main function computes but does not return);
* ``ecomplexity (default)`` - the same with its default ``check_logsupermodularity=True``.

The outputs are checked equal (ECI, PCI, density, COG, proximity to 1e-9) before timing.

Usage::

    python benchmarks/bench_specialization.py
    python benchmarks/bench_specialization.py --regions 300 --techs 650 --repeat 7 --json out.json
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import json
import os
import platform
import statistics
import time
import warnings

import numpy as np
import pandas as pd
import scipy

from patentnav.landscape.specialization import specialization


def synthetic(n: int, k: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    lam = rng.gamma(0.25, 3.0, size=(n, k)) * rng.gamma(0.8, 1.0, size=(n, 1))
    return rng.poisson(lam).astype(float)


def long_table(x: np.ndarray) -> pd.DataFrame:
    n, k = x.shape
    return pd.DataFrame({"time": 2020, "loc": np.repeat(np.arange(n), k),
                         "prod": np.tile(np.arange(k), n), "val": x.ravel()})


COLS = {"time": "time", "loc": "loc", "prod": "prod", "val": "val"}


def run_eco(df, check=False):
    import ecomplexity as eco
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        out = eco.ecomplexity(df, COLS, verbose=False, check_logsupermodularity=check)
        prox = eco.proximity(df, COLS)
    return out, prox


def timed(fn, repeat: int) -> list[float]:
    fn()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def check(x, df) -> float:
    s = specialization(x)
    out, prox = run_eco(df)
    out = out.sort_values(["loc", "prod"])
    L = s.to_long()
    worst = 0.0
    for name in ("rca", "mcp", "eci", "pci", "density", "coi", "cog", "diversity", "ubiquity"):
        worst = max(worst, float(np.nanmax(np.abs(out[name].to_numpy(float) - L[name].to_numpy(float)))))
    p = prox.pivot(index="prod_1", columns="prod_2", values="proximity")
    worst = max(worst, float(np.abs(p.to_numpy() - s.proximity.loc[p.index, p.columns].to_numpy()).max()))
    return worst


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--regions", type=int, default=300)
    ap.add_argument("--techs", type=int, default=650)
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json")
    args = ap.parse_args(argv)

    import ecomplexity
    x = synthetic(args.regions, args.techs, args.seed)
    df = long_table(x)
    info = {
        "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "machine": platform.machine(), "processor": platform.processor() or "?",
        "nproc": os.cpu_count(), "python": platform.python_version(),
        "numpy": np.__version__, "scipy": scipy.__version__, "pandas": pd.__version__,
        "ecomplexity": getattr(ecomplexity, "__version__", "0.5.3?"),
        "shape": list(x.shape), "nonzero_share": float((x > 0).mean()),
        "patents": float(x.sum()),
    }
    try:
        from importlib.metadata import version
        info["ecomplexity"] = version("ecomplexity")
    except Exception:  # pragma: no cover
        pass
    info["max_abs_diff"] = check(x, df)
    assert info["max_abs_diff"] < 1e-9, info["max_abs_diff"]

    res = {
        "patentnav": timed(lambda: specialization(x), args.repeat),
        "ecomplexity": timed(lambda: run_eco(df), args.repeat),
        "ecomplexity (default)": timed(lambda: run_eco(df, check=True), max(3, args.repeat // 2)),
    }
    med = {k: statistics.median(v) for k, v in res.items()}
    for k, v in info.items():
        print(f"{k:>14}: {v}")
    print(f"{'':>24} {'median s':>10} {'min s':>10} {'speed-up':>9}")
    for k, v in res.items():
        print(f"{k:>24} {med[k]:10.4f} {min(v):10.4f} {med[k] / med['patentnav']:8.1f}x")
    if args.json:
        with open(args.json, "w") as fh:
            json.dump({"info": info, "times": res, "median": med}, fh, indent=2)


if __name__ == "__main__":
    main()
