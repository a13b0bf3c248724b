"""Branches and internal units of a legal entity: 中兴通讯股份有限公司南京分公司 -> 中兴通讯股份有限公司.

A branch (分支机构) is not a legal person; its name starts with the full name of the
enterprise it belongs to (《企业名称登记管理实施办法》, SAIC 2004, art. 7), so its patents
belong to that entity. :func:`split_branches` reads a cleaned name as
``<legal entity><branch>`` when it has one of these shapes:

1. a company name ending in a company form (:data:`~patentnav.names.legal_forms.CJK_ENTITY_ENDINGS`:
   有限公司, 股份有限公司, 公司 ...) followed by a unit ending in a branch suffix
   (:data:`~patentnav.names.legal_forms.CJK_BRANCH_SUFFIXES`: 分公司, 分部, 办事处, 分厂, 研究院,
   研究所, 技术中心 ...): 中国石油化工股份有限公司石油勘探开发研究院, 深圳市大疆创新科技有限公司研究院.
   A 研究院 is a branch only here, after a company form: 某某研究院有限公司 is its own company;
2. a name ending in 大学 followed by a place or field of two or more characters and
   研究生院, 研究院, 分校 or 校区 (:data:`~patentnav.names.legal_forms.CJK_UNIVERSITY_UNITS`):
   北京大学深圳研究生院. 深圳清华大学研究院 (nothing between 大学 and 研究院) is its own institute;
3. a name without legal form followed by a division name (from the geo tables) and 分公司,
   分部, 办事处, 分厂, 分店, 分行, 支行 or 营业部: 中兴通讯南京分公司, when the part before the
   place is a distinctive name (:func:`patentnav.names.divisions.is_distinctive`);
4. Latin script: a name ending in a legal form, then at most three words and ``BRANCH``
   (``BRANCH OFFICE``): ``HUAWEI TECHNOLOGIES CO LTD SHANGHAI BRANCH``.

The branch stays visible: its key is the entity's key plus the branch
(``中兴通讯 南京分公司``), and the harmoniser links it to the entity with the reason
``branch`` and the branch text in the mapping.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from .legal_forms import CJK_BRANCH_SUFFIXES, CJK_ENTITY_ENDINGS, CJK_UNIVERSITY_UNITS, LEGAL_FORMS

__all__ = ["split_branches"]

_OFFICE_SUFFIXES = ["分公司", "分部", "办事处", "分厂", "分店", "分行", "支行", "营业部"]


def _alt(words) -> str:
    return "|".join(re.escape(w).replace("\\ ", " ") for w in sorted(set(words), key=lambda w: (-len(w), w)))


@functools.lru_cache(maxsize=1)
def _patterns() -> list[str]:
    latin_forms = _alt(w for ws in LEGAL_FORMS.values() for w in ws)
    return [
        r"^(?P<entity>.+(?:" + _alt(CJK_ENTITY_ENDINGS) + r"))\s*(?P<branch>\p{Han}*(?:" + _alt(CJK_BRANCH_SUFFIXES) + r"))$",
        r"^(?P<entity>.+大学)\s*(?P<branch>\p{Han}{2,}(?:" + _alt(CJK_UNIVERSITY_UNITS) + r"))$",
        r"^(?P<entity>.+ (?:" + latin_forms + r")) (?P<branch>(?:[A-Z]+ ){0,3}BRANCH(?: OFFICE)?)$",
    ]


@functools.lru_cache(maxsize=1)
def _places() -> tuple[frozenset, int]:
    from .divisions import division_forms

    f = division_forms()
    forms = frozenset(f.loc[f["script"] == "zh", "form"])
    return forms, max(map(len, forms))


def _place_office(name: str) -> tuple[str, str] | None:
    """Shape 3: ``<name><division><office suffix>`` -> (name, division + suffix)."""
    forms, longest = _places()
    for suffix in sorted(_OFFICE_SUFFIXES, key=len, reverse=True):
        if name.endswith(suffix):
            head = name[: -len(suffix)]
            for n in range(min(longest, len(head) - 1), 1, -1):  # the longest division before the suffix
                if head[-n:] in forms:
                    return head[:-n], head[-n:] + suffix
            return None
    return None


def split_branches(cleaned) -> tuple[pa.Array, pa.Array]:
    """``(entity, branch)`` of cleaned names (see :func:`~patentnav.names.normalize.clean_names`);
    both null where the name is not a branch (shapes in the module docstring).

    >>> e, b = split_branches(["中兴通讯股份有限公司南京分公司", "华为技术有限公司", "北京大学深圳研究生院"])
    >>> e.to_pylist(), b.to_pylist()
    (['中兴通讯股份有限公司', None, '北京大学'], ['南京分公司', None, '深圳研究生院'])
    """
    arr = cleaned if isinstance(cleaned, pa.Array) else pa.array(list(cleaned), pa.string())
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    from .divisions import is_distinctive

    entity = pa.nulls(len(arr), pa.string())
    branch = pa.nulls(len(arr), pa.string())
    # only names ending in a branch or unit suffix can be branches (cheap filter first)
    ending = _alt([*CJK_BRANCH_SUFFIXES, *CJK_UNIVERSITY_UNITS, *_OFFICE_SUFFIXES]) + "| BRANCH| BRANCH OFFICE"
    cand = np.flatnonzero(np.asarray(pc.match_substring_regex(arr, "(?:" + ending + ")$").fill_null(False)
                                     .to_numpy(zero_copy_only=False), dtype=bool))
    if not len(cand):
        return entity, branch
    sub = arr.take(pa.array(cand))
    ent = pa.nulls(len(sub), pa.string())
    br = pa.nulls(len(sub), pa.string())
    for pattern in _patterns():
        m = pc.extract_regex(sub, pattern)
        hit = pc.and_(pc.is_valid(m), pc.is_null(ent)).fill_null(False)
        ent = pc.if_else(hit, pc.utf8_trim_whitespace(pc.struct_field(m, "entity")), ent)
        br = pc.if_else(hit, pc.struct_field(m, "branch"), br)
    # shape 3 (a division before an office suffix), on the names no other shape matched
    ent_l, br_l = ent.to_pylist(), br.to_pylist()
    todo = [i for i, e in enumerate(ent_l) if e is None]
    found = {i: _place_office(sub[i].as_py() or "") for i in todo}
    found = {i: v for i, v in found.items() if v is not None and v[0] and re.match(r"[\u3400-\u9fff]", v[0])}
    if found:
        ok = is_distinctive([v[0] for v in found.values()]).to_pylist()
        for (i, (e, b)), good in zip(found.items(), ok):
            if good:  # the name before the place must be distinctive on its own
                ent_l[i], br_l[i] = e, b
    ent, br = pa.array(ent_l, pa.string()), pa.array(br_l, pa.string())
    e_all = np.full(len(arr), None, dtype=object)
    b_all = np.full(len(arr), None, dtype=object)
    e_all[cand] = ent.to_pylist()
    b_all[cand] = br.to_pylist()
    return pa.array(e_all, pa.string()), pa.array(b_all, pa.string())
