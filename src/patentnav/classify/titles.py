"""English titles of the IPC scheme (IPC 2020, WIPO, CC BY 4.0), at every level.

The table ``data/ipc_scheme_titles_en.tsv.gz`` is read once, lazily, on the first call,
and kept as a dict keyed by canonical code (``A``, ``A01``, ``A01B``, ``A01B1/02``), so
each lookup afterwards is a dictionary access.

Reading the file (see ``docs/classification.md``):

* two tab-separated columns, code and title, no header; codes of groups are in the
  14-character WIPO form (``A01B0001020000``), sections, classes and subclasses as written;
* there is no CSV quoting: ``"`` inside a title is a literal character (``"Iron-lungs",
  whether ...``; a CSV reader with default quoting would mangle these 125 rows), so
  lines are split on the tab directly;
* three titles run over several physical lines; a line without a tab continues the title
  of the record before it and is joined to it with one space;
* 540 group codes appear twice: the first row is the guide heading printed above the
  group (``A01B3/00`` "Ploughs"), the second the group's own title ("Ploughs with fixed
  plough-shares"). The group's own title is kept; headings are available through
  :func:`ipc_heading`.

Titles are lightly cleaned for display: no-break spaces become spaces and references
written in the 14-character form inside titles are rewritten to the canonical form
(``A01C0005000000`` -> ``A01C5/00``). Words are otherwise untouched.

CPC-only symbols (section ``Y``, 2000-series indexing groups such as ``B64C2201/12``)
have no IPC title: :func:`ipc_title` returns None for them, as for codes not in the IPC
2020 scheme (e.g. subclasses created later, such as ``B64U`` in 2023).

Subgroup titles are relative to their parent in the scheme ("with teeth" under
"Spades; Shovels"). The file does not record the dot level of subgroups, so
:func:`title_path` goes section -> class -> subclass -> main group -> the code itself and
cannot show intermediate subgroups.
"""

from __future__ import annotations

import gzip
import re
from functools import lru_cache
from importlib import resources
from typing import Iterable

from .ipc import parse_ipc

__all__ = ["ipc_title", "ipc_titles", "title_path", "ipc_heading", "scheme_codes", "in_scheme", "split_code", "nearest_title", "code_title",
           "ipc_title_or_parent"]

_DATA_FILE = "ipc_scheme_titles_en.tsv.gz"
_REF14 = re.compile(r"\b([A-H][0-9]{2}[A-Z])([0-9]{4})([0-9]{6})\b")
_DIGIT = re.compile(r"[0-9]")  # a title without one has no reference to rewrite
_SECTION_OR_CLASS = re.compile(r"^([A-HY])(?:\s*([0-9]{2}))?$")


def _canon14(sub: str, grp: str, sg: str) -> str:
    sg = sg.rstrip("0").ljust(2, "0")
    return f"{sub}{int(grp)}/{sg}"


def _display(title: str) -> str:
    """Display form: no-break spaces as spaces, 14-character references made canonical."""
    title = title.replace("\xa0", " ")
    if _DIGIT.search(title):
        title = _REF14.sub(lambda m: _canon14(*m.groups()), title)
    return " ".join(title.split())


@lru_cache(maxsize=1)
def _load() -> tuple[dict[str, str], dict[str, str]]:
    """(raw titles, guide headings), keyed by the file's own codes (14-character for groups).

    The file has no quoting at all (``"`` is literal), so it is split on tabs and line
    ends directly; this is also about four times faster than :mod:`csv`.
    """
    raw = resources.files("patentnav.data").joinpath(_DATA_FILE).read_bytes()
    text = gzip.decompress(raw).decode("utf-8")
    titles: dict[str, str] = {}
    headings: dict[str, str] = {}
    last = None
    for line in text.split("\n"):
        code, tab, title = line.partition("\t")
        if not tab:  # a line without a tab continues the previous title
            if last is not None and line.strip():
                titles[last] += " " + line.strip()
            continue
        if code in titles:  # the earlier row was the guide heading above this group
            headings[code] = titles[code]
        titles[code] = title
        last = code
    return titles, headings


_CANON_GROUP = re.compile(r"^([A-H][0-9]{2}[A-Z])([1-9][0-9]{0,3})/([0-9]{2,6})$")


def _file_key(canonical: str) -> str:
    m = _CANON_GROUP.match(canonical)
    if m is None:
        return canonical
    sub, grp, sg = m.groups()
    return f"{sub}{int(grp):04d}{sg.ljust(6, '0')}"


def split_code(text: str | None) -> tuple[str, str, list[tuple[str, str]]] | None:
    """Parse any IPC/CPC level, section and class included.

    Returns ``(canonical, level, [(level, code), ...])`` with the hierarchy from the
    section down to the code itself, or None when ``text`` is not a symbol.

    >>> split_code("H04W 72/04")[0:2]
    ('H04W72/04', 'subgroup')
    >>> split_code("h04")[0:2]
    ('H04', 'class')
    """
    if text is None:
        return None
    s = str(text).strip().upper()
    m = _SECTION_OR_CLASS.match(s)
    if m:
        sec, cls = m.groups()
        if cls is None:
            return sec, "section", [("section", sec)]
        return f"{sec}{cls}", "class", [("section", sec), ("class", f"{sec}{cls}")]
    code = parse_ipc(s)
    if code is None:
        return None
    return str(code), code.level, list(code.hierarchy().items())


def _key(code: str) -> str | None:
    """Canonical key of a code for the title table, None for CPC-only or invalid codes."""
    if code is None:
        return None
    parsed = split_code(code)
    if parsed is None:
        return None
    canonical, level, _ = parsed
    if canonical[0] == "Y":
        return None
    if level in ("main_group", "subgroup"):
        p = parse_ipc(canonical)
        if p is not None and p.is_cpc_only:
            return None
    return canonical


def ipc_title(code: str | None) -> str | None:
    """English title of an IPC symbol at any level (None when unknown or CPC-only).

    Any spelling accepted by :func:`patentnav.classify.ipc.parse_ipc` works, plus a
    section (``H``) or a class (``H04``); ``H04W72`` means the main group ``H04W72/00``.

    >>> ipc_title("A01B 1/02")
    'Spades; Shovels'
    """
    if not isinstance(code, str):
        return None
    return _title(code)


@lru_cache(maxsize=262_144)
def _title(code: str) -> str | None:
    key = _key(code)
    raw = None if key is None else _load()[0].get(_file_key(key))
    return None if raw is None else _display(raw)


def _ancestors(code: str) -> list[str]:
    """Codes above ``code``, nearest first: shorter subgroups by their digits (``B64C39/024``
    -> ``B64C39/02``), the main group, the subclass, the class, the section."""
    parsed = split_code(code)
    if parsed is None:
        return []
    canonical, level, chain = parsed
    out = []
    if level == "subgroup":
        main, sg = canonical.split("/")
        digits = sg.rstrip("0")
        while len(digits) > 2:
            digits = digits[:-1]
            out.append(f"{main}/{digits.ljust(2, '0')}")
    out += [c for _, c in reversed(chain[:-1])]
    return list(dict.fromkeys(c for c in out if c != canonical))


def nearest_title(code: str | None) -> tuple[str | None, str | None]:
    """``(code, title)`` of ``code`` itself when the IPC 2020 scheme has its title, else of
    its nearest ancestor that has one (``B64C39/024``, a subdivision the 2020 scheme does not
    list, -> ``("B64C39/02", "characterised by special use")``); ``(None, None)`` when no
    level has a title.

    Subgroups are tried by their digits (``39/0245`` -> ``39/024`` -> ``39/02``): the IPC
    numbers a subdivision under the group whose digits it extends in almost every case; the
    main group follows, then the subclass, class and section.
    """
    if not isinstance(code, str):
        return None, None
    own = ipc_title(code)
    if own is not None:
        parsed = split_code(code)
        return (parsed[0] if parsed else code), own
    for anc in _ancestors(code):
        t = ipc_title(anc)
        if t is not None:
            return anc, t
    return None, None


def ipc_title_or_parent(code: str | None, lang: str = "en") -> str | None:
    """The title of ``code``, or its nearest ancestor's title marked as such:
    ``"characterised by special use (B64C39/02, parent)"``; None when there is neither.

    >>> ipc_title_or_parent("B64C39/024")
    'characterised by special use (B64C39/02, parent)'
    """
    from ..i18n import t

    at, title = nearest_title(code)
    if title is None:
        return None
    parsed = split_code(code) if isinstance(code, str) else None
    if parsed and at == parsed[0]:
        return title
    return t("ipc.parent_title", lang, title=title, code=at)


def code_title(code: str | None, title=None, lang: str = "en", width: int | None = None) -> str:
    """``title`` of a classification code when given (a non-empty text), else the code's
    own title or its nearest ancestor's, marked (as :func:`ipc_title_or_parent`); ``""``
    when there is none. ``width``: the title is cut to that many characters (at a word,
    with "…") before the mark, so the mark always shows. For tables whose titles were
    looked up without the fallback (clusters, gaps).

    >>> code_title("B64C39/024", None, "zh")
    'characterised by special use（上级分类 B64C39/02）'
    """
    def cut(text: str) -> str:
        if width is None or len(text) <= width:
            return text
        head = text[: width - 1]
        return (head[: head.rfind(" ")] if " " in head else head).rstrip(" ,;") + "…"

    if isinstance(title, str) and title.strip():
        return cut(title.strip())
    at, found = nearest_title(code)
    if found is None:
        return ""
    parsed = split_code(code)
    if parsed and at == parsed[0]:
        return cut(found)
    from ..i18n import t

    return t("ipc.parent_title", lang, title=cut(found), code=at)


def ipc_titles(codes: Iterable[str]) -> dict[str, str | None]:
    """Titles of several codes, keyed by the codes as given."""
    return {c: ipc_title(c) for c in codes}


def ipc_heading(code: str | None) -> str | None:
    """The guide heading printed above a group in the scheme, if there is one."""
    key = _key(code)
    raw = None if key is None else _load()[1].get(_file_key(key))
    return None if raw is None else _display(raw)


def title_path(code: str | None) -> list[tuple[str, str | None]]:
    """(code, title) from the section down to ``code`` itself; [] when not a symbol.

    Titles are None for levels not in the IPC 2020 scheme (and for CPC-only codes).

    >>> [c for c, _ in title_path("B64C39/02")]
    ['B', 'B64', 'B64C', 'B64C39/00', 'B64C39/02']
    """
    parsed = split_code(code)
    if parsed is None:
        return []
    return [(c, ipc_title(c)) for _, c in parsed[2]]


def in_scheme(canonical: str) -> bool:
    """Whether a canonical code (as :func:`split_code` gives it) is in the IPC 2020 scheme file:
    ``code in scheme_codes()``, looked up under the file's own key (:func:`_file_key`) so that
    the set of every canonical code is not built."""
    return _file_key(canonical) in _load()[0]


def scheme_codes() -> frozenset[str]:
    """Every canonical code of the IPC 2020 scheme file (sections to subgroups)."""
    return _scheme_codes()


@lru_cache(maxsize=1)
def _scheme_codes() -> frozenset[str]:
    return frozenset(_canon14(c[:4], c[4:8], c[8:]) if len(c) == 14 else c for c in _load()[0])
