"""Describe one IPC/CPC code: what ``patentnav ipc CODE`` prints."""

from __future__ import annotations

from .ipc import parse_ipc
from .sei import sei_match
from .titles import ipc_title, split_code
from .wipo import wipo_field

__all__ = ["describe_code", "code_error"]


def code_error(text: str | None):
    """Why ``text`` is no code, and what a code looks like: a :class:`~patentnav.i18n.Phrase`
    (``str()`` is English; ``.text("zh")`` Chinese)."""
    from ..i18n import Phrase

    shown = "" if text is None else str(text).strip()
    expected = Phrase("err.ipc_expected")
    return Phrase("err.ipc_code", code=shown, expected=expected) if shown else Phrase("err.ipc_empty", expected=expected)


def describe_code(text: str | None) -> dict:
    """Everything patentnav knows about one code.

    Keys: ``input``; ``code`` (canonical, None when invalid); ``valid``; ``is_cpc_only``;
    ``level`` (section, class, subclass, main_group, subgroup); ``title`` (IPC 2020,
    English); ``hierarchy`` (``[{"level", "code", "title"}]`` from the section down);
    ``wipo_field`` (``{"number", "field_en", "field_zh", "sector_en", "sector_zh"}`` or
    None); ``sei_fields`` (``[{"code", "name"}]``); ``sei_via`` (the table entry the SEI
    fields come from and how: ``{"code", "via"}`` or None); ``notes`` (list of remarks);
    ``error`` (only when invalid).

    >>> describe_code("A01B 1/02")["hierarchy"][-1]
    {'level': 'subgroup', 'code': 'A01B1/02', 'title': 'Spades; Shovels'}
    """
    out: dict = {"input": text, "code": None, "valid": False, "is_cpc_only": False, "level": None,
                 "title": None, "hierarchy": [], "wipo_field": None, "sei_fields": [], "sei_via": None,
                 "notes": []}
    parsed = split_code(text) if isinstance(text, str) else None
    if parsed is None:
        out["error"] = str(code_error(text))
        return out
    code, level, chain = parsed
    p = parse_ipc(code) if level not in ("section", "class") else None
    cpc_only = code[0] == "Y" or bool(p is not None and p.is_cpc_only)
    out.update(code=code, valid=True, is_cpc_only=cpc_only, level=level, title=ipc_title(code))
    out["hierarchy"] = [{"level": lv, "code": c, "title": ipc_title(c)} for lv, c in chain]
    wf = wipo_field(code)
    out["wipo_field"] = wf.as_dict() if wf is not None else None
    m = sei_match(code)
    out["sei_fields"] = m["fields"]
    if m["matched"] is not None:
        out["sei_via"] = {"code": m["matched"], "via": m["via"]}
    notes = out["notes"]
    if cpc_only:
        notes.append("CPC-only symbol (section Y or a 2000-series indexing group): no IPC title")
    elif out["title"] is None:
        notes.append("not in the IPC 2020 scheme shipped with patentnav (a newer or withdrawn symbol, or a CPC subdivision)")
    if m["via"] in ("main_group", "subclass"):
        notes.append(f"SEI fields inherited from {m['matched']} (the code itself is not listed in the CNIPA 2021 table)")
    if level == "subclass" and wf is None and code[0] != "Y":
        notes.append("no single WIPO field: the subclass is split between fields by main group, or not in the concordance")
    return out
