"""Progress of a read: readers report how far into a file they are; a watcher shows it.

Readers call :func:`report` with the share of the file's text they have consumed and the
records found so far (cheaply, every few thousand records), and :func:`stage` when they
move on to the column work after parsing. Nothing happens unless a watcher is installed
with :func:`watching` (the CLI's progress bar is one); the library stays silent.

>>> seen = []
>>> with watching(lambda kind, *a: seen.append((kind, a))):
...     report(0.5, 10)
>>> seen
[('position', (0.5, 10))]
"""

from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Callable, Iterator

__all__ = ["report", "stage", "watching", "EVERY"]

#: Records between two position reports of a reader.
EVERY = 4096

_watcher: ContextVar[Callable[..., None] | None] = ContextVar("patentnav_read_progress", default=None)


def report(fraction: float, records: int) -> None:
    """The reader has consumed ``fraction`` (0-1) of the current file and found ``records``."""
    w = _watcher.get()
    if w is not None:
        w("position", min(max(float(fraction), 0.0), 1.0), int(records))


def stage(name: str) -> None:
    """The reader starts stage ``name`` (``"columns"``: normalising the parsed rows)."""
    w = _watcher.get()
    if w is not None:
        w("stage", name)


@contextmanager
def watching(callback: Callable[..., None]) -> Iterator[None]:
    """Send the reads inside the block to ``callback(kind, *args)``: ``("file", path, size)``,
    ``("position", fraction, records)``, ``("stage", name)``."""
    token = _watcher.set(callback)
    try:
        yield
    finally:
        _watcher.reset(token)


def file(path: str, size: int) -> None:
    """A new file starts (called by :func:`patentnav.io.read`)."""
    w = _watcher.get()
    if w is not None:
        w("file", path, int(size))
