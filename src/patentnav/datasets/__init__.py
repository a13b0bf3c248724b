"""Real sample data shipped inside the package.

``drones()``: 9,071 publications on drones (unmanned aerial vehicles) exported from
Lens.org in 2018 by Paul Oldham (classic Lens CSV). Licence MIT (Paul Oldham 2017-2018),
data originating from Lens.org - credit "Lens.org". See ``PROVENANCE-lens-drones.txt``
and ``LICENSE-lens-drones.txt`` beside this module.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from pathlib import Path

__all__ = ["drones", "path", "ATTRIBUTION"]

ATTRIBUTION = {
    "drones": "Lens.org drone patent export (2018), compiled by Paul Oldham; MIT licence; data from Lens.org.",
}
_FILES = {"drones": "lens_drones_9071.csv.gz"}


def path(name: str = "drones") -> Path:
    """Filesystem path of a bundled dataset file."""
    if name not in _FILES:
        raise KeyError(f"unknown dataset {name!r}; available: {', '.join(_FILES)}")
    return Path(str(resources.files(__name__).joinpath(_FILES[name])))


@lru_cache(maxsize=2)
def _drones_cached():
    from ..io import read
    from .cache import cached_read

    return cached_read("drones", path("drones"), lambda: read(path("drones"), format="lens"))


def drones():
    """The bundled Lens.org drone corpus (9,071 publications: US 6,073, WO 2,503, AU 328, EP 167).

    Returns
    -------
    Corpus
        With ``.report`` accounting for every row of the export. The ingested corpus is
        kept in the user's cache folder after the first read (:mod:`patentnav.datasets.cache`:
        verified on every use, read again from the export when it does not verify).

    Examples
    --------
    >>> c = drones()
    >>> len(c), len(c.filter(jurisdiction="US")), len(c.filter(document_type="granted_patent"))
    (9071, 6073, 2125)
    """
    return _drones_cached()
