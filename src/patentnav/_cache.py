"""Where patentnav caches derived data on the user's machine, and how it writes there.

Every cache is best effort: a file that is missing, unreadable, corrupt or stale is
ignored and made again, and a cache directory that cannot be written only costs the
rebuild next time. Nothing is read from the network.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

__all__ = ["cache_dir", "write_atomic", "package_fingerprint"]


def cache_dir() -> Path:
    """Where derived data are cached: ``$PATENTNAV_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/patentnav``, else ``~/.cache/patentnav``."""
    env = os.environ.get("PATENTNAV_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "patentnav"


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename,
    so that a reader sees the old file or the whole new one (raises OSError)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def package_fingerprint() -> str:
    """A digest of patentnav's version and of the name, size and modification time of every
    module of the installed package: a cache keyed by it is not reused by other code (an
    upgrade, or an edited working copy)."""
    from . import __version__

    root = Path(__file__).resolve().parent
    h = hashlib.sha256(__version__.encode())
    for p in sorted(root.rglob("*.py")):
        st = p.stat()
        h.update(f"{p.relative_to(root)}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return h.hexdigest()
