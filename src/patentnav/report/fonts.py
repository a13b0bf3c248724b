"""Fonts of the reports: CJK-capable font stacks, and whether this system has a CJK font.

HTML reports name a font stack and the reader's browser picks the first installed font
that has each character. The Markdown report's PNG charts are drawn by kaleido's bundled
headless Chromium with the fonts installed on *this* machine (through fontconfig on Linux):
without a font that has Chinese characters, Chinese labels come out as empty boxes.
:func:`cjk_fonts` finds such fonts so that the CLI can warn before writing PNGs.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from functools import lru_cache
from pathlib import Path
from typing import Iterable

__all__ = ["CJK_FONTS", "LATIN_FONTS", "font_stack", "cjk_fonts", "CJK_FILE_PATTERN"]

#: Fonts with Simplified Chinese glyphs on common systems (macOS, Windows, Linux distributions).
CJK_FONTS = ('"PingFang SC"', '"Hiragino Sans GB"', '"Microsoft YaHei"', '"Noto Sans CJK SC"', '"Noto Sans SC"',
             '"Source Han Sans SC"', '"WenQuanYi Micro Hei"', '"Droid Sans Fallback"', "SimHei")
#: Latin UI fonts.
LATIN_FONTS = ("system-ui", "-apple-system", '"Segoe UI"', "Roboto", '"Helvetica Neue"', "Arial")

#: File names of fonts with Chinese glyphs (used where fontconfig is not available).
CJK_FILE_PATTERN = re.compile(r"(cjk|han ?sans|hansans|sourcehan|wqy|wenquanyi|msyh|yahei|simhei|simsun|simkai|pingfang|"
                              r"hiragino ?sans ?gb|droidsansfallback|notosanssc|notoserifsc|ukai|uming|arphic|fangsong)",
                              re.IGNORECASE)


def font_stack(lang: str = "en") -> str:
    """CSS ``font-family`` value for a report in ``lang``: Chinese fonts first for a Chinese
    report (so that Chinese punctuation takes Chinese forms), Latin fonts first otherwise,
    both always present (data values mix scripts), ``sans-serif`` last."""
    fonts = CJK_FONTS + LATIN_FONTS if lang == "zh" else LATIN_FONTS + CJK_FONTS
    return ", ".join(fonts + ("sans-serif",))


def _font_dirs() -> list[Path]:
    home = Path.home()
    if sys.platform == "darwin":
        return [Path("/System/Library/Fonts"), Path("/Library/Fonts"), home / "Library/Fonts"]
    if os.name == "nt":
        return [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts",
                Path(os.environ.get("LOCALAPPDATA", str(home))) / "Microsoft/Windows/Fonts"]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), home / ".local/share/fonts", home / ".fonts"]


def cjk_fonts(fc_list: str | None = None, font_dirs: Iterable[str | os.PathLike] | None = None) -> list[str] | None:
    """Names of the installed fonts that have Chinese characters; ``[]`` when there is none,
    None when this cannot be told.

    Asks fontconfig (``fc-list :lang=zh family``: the fonts kaleido's Chromium can use on
    Linux) when ``fc-list`` exists, else looks for font files with CJK names in the usual
    font folders.

    Parameters
    ----------
    fc_list : str, optional
        The ``fc-list`` program to ask (default: the one on ``PATH``); ``""`` skips fontconfig.
    font_dirs : paths, optional
        Folders to look in instead of the system's font folders.

    Examples
    --------
    >>> cjk_fonts(fc_list="", font_dirs=[])
    []
    """
    if fc_list is None and font_dirs is None:
        return _system_cjk_fonts()
    return _find(fc_list, font_dirs)


@lru_cache(maxsize=1)
def _system_cjk_fonts() -> list[str] | None:
    return _find(None, None)


def _find(fc_list: str | None, font_dirs) -> list[str] | None:
    prog = shutil.which("fc-list") if fc_list is None else (fc_list or None)
    if prog:
        try:
            out = subprocess.run([prog, ":lang=zh", "family"], capture_output=True, text=True, timeout=20, check=False)
        except (OSError, subprocess.SubprocessError):
            out = None
        if out is not None and out.returncode == 0:
            return sorted({name.strip() for line in out.stdout.splitlines() for name in line.split(",")[:1] if name.strip()})
    dirs = _font_dirs() if font_dirs is None else [Path(d) for d in font_dirs]
    found: set[str] = set()
    searched = False
    for d in dirs:
        if not d.is_dir():
            continue
        searched = True
        for root, _, names in os.walk(d):
            found |= {n for n in names if n.lower().endswith((".ttf", ".otf", ".ttc")) and CJK_FILE_PATTERN.search(n)}
    if not searched and font_dirs is None:
        return None
    return sorted(found)
