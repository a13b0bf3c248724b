"""Small-group statistics: empirical-Bayes shrinkage of group means and Wilson intervals.

A holder with three patents has a noisy mean; ranking raw means puts the luckiest small
holders on top. Shrinking each group's mean towards the corpus mean by the share of its
variance that is noise (normal-normal empirical Bayes) ranks by what the data support.

References
----------
Morris, C. N. (1983). Parametric empirical Bayes inference: theory and applications.
*Journal of the American Statistical Association* 78(381), 47-55.

DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical
Trials* 7(3), 177-188 (the moment estimator of the between-group variance).

Wilson, E. B. (1927). Probable inference, the law of succession, and statistical inference.
*Journal of the American Statistical Association* 22(158), 209-212.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["Z95", "shrink_means", "shrink_arrays", "wilson_interval"]

#: Two-sided 95% normal quantile.
Z95 = 1.959963984540054


def shrink_means(values, groups, n_groups: int, z: float = Z95) -> pd.DataFrame:
    """Empirical-Bayes (normal-normal) estimates of group means, with intervals.

    Parameters
    ----------
    values : array of float
        One value per (document, group) membership; NaN values are left out.
    groups : array of int
        Group code (0 .. ``n_groups - 1``) of each value.
    n_groups : int
    z : float
        Normal quantile of the interval (default 95%).

    Returns
    -------
    pandas.DataFrame
        One row per group code: ``n``, ``mean`` (raw), ``estimate`` (shrunk), ``lo``, ``hi``,
        ``shrinkage`` (the weight ``B`` of the common mean). ``attrs``: ``sigma2`` (pooled
        within-group variance), ``tau2`` (between-group variance), ``mu`` (the common mean
        the groups shrink towards), ``groups`` (groups with values).

    Notes
    -----
    ``y_g`` is group g's mean of ``n_g`` values and ``v_g = sigma2 / n_g`` its noise variance
    (``sigma2`` pooled within groups). The between-group variance is DerSimonian & Laird's
    (1986) moment estimator ``tau2 = max(0, (Q - (G - 1)) / (S1 - S2 / S1))`` with ``w_g = 1 /
    v_g``, ``Q = sum w_g (y_g - y_w)^2``, ``y_w = sum w_g y_g / S1``, ``S1 = sum w_g``,
    ``S2 = sum w_g^2``; the common mean is the random-effects mean ``mu = sum w*_g y_g /
    sum w*_g``, ``w*_g = 1 / (v_g + tau2)``. Each group shrinks by ``B_g = v_g / (v_g +
    tau2)``: ``estimate = mu + (1 - B_g)(y_g - mu)``, with the variance of Morris (1983,
    equal-variance case, applied group by group), which adds the uncertainty of ``mu`` and of
    ``B``: ``s_g^2 = v_g (1 - (G - 1)/G * B_g) + 2/(G - 3) * B_g^2 (y_g - mu)^2`` (the last
    term for ``G > 3``). The interval is ``estimate +/- z s_g``. With one group, or no
    within-group variance, the raw means are returned. Groups without values get NaN.

    Examples
    --------
    >>> r = shrink_means([1.0, 1.2, 0.8, 1.1, 0.9, 1.0, 3.0], [0, 0, 0, 1, 1, 1, 2], 3)
    >>> bool(r.loc[2, "estimate"] < 3.0)  # one document: pulled towards the others
    True
    """
    cols, attrs = shrink_arrays(values, groups, n_groups, z)
    out = pd.DataFrame(cols)
    out.attrs.update(attrs)
    return out


def shrink_arrays(values, groups, n_groups: int, z: float = Z95) -> tuple[dict[str, np.ndarray], dict]:
    """:func:`shrink_means` as ``(columns, attrs)``: the same arrays by name and the same
    ``attrs``, without the frame (the quality profiles call it twice per indicator, and a
    frame of a few hundred groups costs more than the estimates)."""
    x = np.asarray(values, dtype=np.float64)
    g = np.asarray(groups, dtype=np.int64)
    ok = ~np.isnan(x)
    x, g = x[ok], g[ok]
    n = np.bincount(g, minlength=n_groups).astype(np.float64)
    s = np.bincount(g, weights=x, minlength=n_groups)
    with np.errstate(divide="ignore", invalid="ignore"):
        mean = s / n
    has = n > 0
    resid = x - mean[g] if len(x) else x
    df = float(np.sum(n[has] - 1))
    sigma2 = float(np.sum(resid * resid)) / df if df > 0 else (float(np.var(x, ddof=1)) if len(x) > 1 else np.nan)
    G = int(has.sum())
    b = np.where(has, 0.0, np.nan)
    with np.errstate(divide="ignore", invalid="ignore"):
        v = np.where(has, sigma2 / np.where(has, n, 1.0), np.nan)
    est, var, tau2 = mean.copy(), v.copy(), np.nan
    mu = float(np.mean(mean[has])) if G else np.nan
    if G > 1 and sigma2 > 0:
        w = 1.0 / v[has]
        yw = float(np.sum(w * mean[has]) / np.sum(w))
        q = float(np.sum(w * (mean[has] - yw) ** 2))
        s1, s2 = float(np.sum(w)), float(np.sum(w * w))
        tau2 = max(0.0, (q - (G - 1)) / (s1 - s2 / s1))
        wr = 1.0 / (v[has] + tau2)
        mu = float(np.sum(wr * mean[has]) / np.sum(wr))
        with np.errstate(divide="ignore", invalid="ignore"):
            b = v / (v + tau2) if tau2 > 0 else np.where(has, 1.0, np.nan)
        est = mu + (1.0 - b) * (mean - mu)
        var = v * (1.0 - (G - 1) / G * b)
        if G > 3:
            var = var + 2.0 / (G - 3) * b * b * (mean - mu) ** 2
    elif G > 1:  # every value equal: the group means are exact
        var = np.where(has, 0.0, np.nan)
    sd = np.sqrt(np.maximum(var, 0.0))
    return ({"n": n.astype(np.int64), "mean": mean, "estimate": est, "lo": est - z * sd, "hi": est + z * sd, "shrinkage": b},
            {"sigma2": sigma2, "tau2": tau2, "mu": mu, "groups": G})


def wilson_interval(successes, n, z: float = Z95) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of a binomial share (Wilson 1927); NaN where ``n == 0``.

    >>> lo, hi = wilson_interval([3], [3])
    >>> round(float(lo[0]), 3), float(hi[0])
    (0.439, 1.0)
    """
    k = np.asarray(successes, dtype=np.float64)
    m = np.asarray(n, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / m
        den = 1.0 + z * z / m
        centre = (p + z * z / (2 * m)) / den
        half = z * np.sqrt(p * (1 - p) / m + z * z / (4 * m * m)) / den
    lo = np.where(m > 0, np.clip(centre - half, 0.0, 1.0), np.nan)
    hi = np.where(m > 0, np.clip(centre + half, 0.0, 1.0), np.nan)
    return lo, hi
