"""Static PNG export of plotly figure dicts with kaleido, importable without the report package.

Kaleido's Chromium takes seconds to start. :func:`warm_up` starts it in a background thread;
this module imports only plotly's I/O module (about 0.1 s, no pandas or SciPy), so the CLI can
start Chromium before the report's libraries are imported and Chromium's start-up runs on the
other core meanwhile (:func:`patentnav.cli.common.start_png_engine`).
"""

from __future__ import annotations

import threading

__all__ = ["png_bytes", "warm_up"]

#: Scale of every exported PNG (physical pixels per layout pixel).
SCALE = 1.5


def png_bytes(fig: dict) -> bytes:
    """The figure (a plotly figure dict) as PNG bytes: static export with kaleido at the
    layout's width and height (1000 x 450 when unset) and :data:`SCALE`."""
    import plotly.io as pio

    layout = fig.get("layout") or {}
    width = int(layout.get("width") or 1000)
    height = int(layout.get("height") or 450)
    return pio.to_image(fig, format="png", width=width, height=height, scale=SCALE, validate=False)


_WARM: list[threading.Thread] = []  # the warm-up thread of this process, once started
_WARM_LOCK = threading.Lock()


def warm_up() -> threading.Thread:
    """Start kaleido's Chromium in a background thread (a tiny export), so that the first
    chart of a report does not wait for it; failures are left to the real export. Started
    once per process: a second call returns the first call's thread."""
    def run() -> None:
        try:
            png_bytes({"data": [], "layout": {"width": 16, "height": 16}})
        except Exception:  # noqa: BLE001 - the real export reports it (a note per chart)
            pass

    with _WARM_LOCK:
        if not _WARM:
            thread = threading.Thread(target=run, name="patentnav-kaleido-warm-up", daemon=True)
            thread.start()
            _WARM.append(thread)
        return _WARM[0]
