"""The 35 WIPO technology fields (Schmoch 2008, as updated by WIPO) from IPC codes.

Source: ``data/wipo_ipc_technology_35_fields.csv``, WIPO's IPC - technology concordance
(one row per IPC prefix; 764 rows: 647 whole subclasses such as ``F21H%`` and 117 main
groups such as ``H04N  19/%``, main group right-aligned in four characters).

Rule (see ``docs/classification.md``): ``%`` is a wildcard for "anything after", so a
row is a prefix; a code belongs to the field of the longest matching prefix (a
main-group row before a subclass row). In the shipped file the prefixes never overlap:
where a subclass is split between fields (A61K, B01D, C13B, E01F, G01N, H04N) every one
of its main groups in the IPC 2020 scheme is listed and the subclass itself is not, so at most one row
matches and the result does not depend on the order of rows. The file has no exclusion
rows; its ``Remark`` column only says "Newly added" and ``Updated_on`` gives the date a
row was added or changed, so both are informational.

Consequences: a subclass-level code of a split subclass (``H04N``) has no field; a
section or class has none; a subclass absent from the concordance (``B64U``, the H10
subclasses, all created after the last update) has none; section ``Y`` has none. CPC
2000-series codes take the field of their subclass prefix when it is a whole-subclass
row (``B64C2201/12`` -> 32 Transport), literally as ``%`` says.

Chinese names: see ``WIPO_FIELDS`` and the note on their source in
``docs/classification.md``.
"""

from __future__ import annotations

import csv
import io
import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

import pyarrow as pa
import pyarrow.compute as pc

from .._arrow import dedupe_pairs, map_unique, regroup
from .ipc import parse_ipc

__all__ = ["WipoField", "WIPO_FIELDS", "WIPO_SECTORS", "wipo_field", "wipo_fields_array", "wipo_fields_table"]

_DATA_FILE = "wipo_ipc_technology_35_fields.csv"

#: The five sectors: English name (as in the concordance) -> Chinese name.
WIPO_SECTORS: dict[str, str] = {
    "Electrical engineering": "电气工程",
    "Instruments": "仪器",
    "Chemistry": "化学",
    "Mechanical engineering": "机械工程",
    "Other fields": "其他领域",
}

#: Chinese names of the 35 fields, by field number. See docs/classification.md for
#: which were checked against WIPO's Chinese-language publications.
_FIELD_ZH: dict[int, str] = {
    1: "电气机械、设备和能源",
    2: "音像技术",
    3: "电信",
    4: "数字通信",
    5: "基础通信程序",
    6: "计算机技术",
    7: "管理用信息技术方法",
    8: "半导体",
    9: "光学",
    10: "测量",
    11: "生物材料分析",
    12: "控制",
    13: "医疗技术",
    14: "有机精细化学",
    15: "生物技术",
    16: "药品",
    17: "高分子化学、聚合物",
    18: "食品化学",
    19: "基础材料化学",
    20: "材料、冶金",
    21: "表面技术、涂层",
    22: "微观结构和纳米技术",
    23: "化学工程",
    24: "环境技术",
    25: "装卸",
    26: "机床",
    27: "发动机、泵、涡轮机",
    28: "纺织和造纸机械",
    29: "其他专用机械",
    30: "热工过程和器具",
    31: "机械元件",
    32: "运输",
    33: "家具、游戏",
    34: "其他消费品",
    35: "土木工程",
}


class WipoField(NamedTuple):
    """A WIPO technology field; unpacks as ``(number, field_en, sector_en)``."""

    number: int
    field_en: str
    sector_en: str

    @property
    def field_zh(self) -> str:
        return _FIELD_ZH[self.number]

    @property
    def sector_zh(self) -> str:
        return WIPO_SECTORS[self.sector_en]

    def as_dict(self) -> dict:
        return {"number": self.number, "field_en": self.field_en, "field_zh": self.field_zh,
                "sector_en": self.sector_en, "sector_zh": self.sector_zh}


_ROW = re.compile(r"^([A-H][0-9]{2}[A-Z])(?:\s*([0-9]{1,4})/)?%$")


@lru_cache(maxsize=1)
def _load() -> tuple[dict[int, WipoField], dict[str, int], dict[tuple[str, int], int]]:
    """(fields by number, subclass prefixes, (subclass, main group) prefixes)."""
    text = resources.files("patentnav.data").joinpath(_DATA_FILE).read_text(encoding="utf-8-sig")
    fields: dict[int, WipoField] = {}
    subclass: dict[str, int] = {}
    group: dict[tuple[str, int], int] = {}
    for row in csv.DictReader(io.StringIO(text)):
        n = int(row["Field_number"])
        fields.setdefault(n, WipoField(n, row["Field_en"].strip(), row["Sector_en"].strip()))
        m = _ROW.match(row["IPC_code"].strip())
        if m is None:
            raise ValueError(f"unexpected IPC_code {row['IPC_code']!r} in {_DATA_FILE}")
        sub, grp = m.groups()
        target = subclass if grp is None else group
        key = sub if grp is None else (sub, int(grp))
        if key in target and target[key] != n:
            raise ValueError(f"{row['IPC_code']!r} is listed under two fields in {_DATA_FILE}")
        target[key] = n
    return fields, subclass, group


def _fields_table() -> list[dict]:
    fields, _, _ = _load()
    return [fields[n].as_dict() for n in sorted(fields)]


#: The 35 fields in number order: dicts with number, field_en, field_zh, sector_en, sector_zh.
WIPO_FIELDS: list[dict] = _fields_table()


def wipo_fields_table():
    """The 35 fields as a pandas DataFrame (number, field_en, field_zh, sector_en, sector_zh)."""
    import pandas as pd

    return pd.DataFrame(_fields_table())


def _number(code: str | None) -> int | None:
    p = parse_ipc(code) if isinstance(code, str) else None
    if p is None:
        return None
    _, subclass, group = _load()
    if p.main_group is not None:
        n = group.get((p.subclass, p.main_group))
        if n is not None:
            return n
    return subclass.get(p.subclass)


@lru_cache(maxsize=65_536)
def wipo_field(code: str | None) -> WipoField | None:
    """The WIPO technology field of one IPC code, by the longest matching prefix.

    Returns ``(field_number, field_en, sector_en)`` (a :class:`WipoField`), or None.

    >>> wipo_field("H04W72/04")
    WipoField(number=4, field_en='Digital communication', sector_en='Electrical engineering')
    """
    n = _number(code)
    return None if n is None else _load()[0][n]


def wipo_fields_array(lists) -> pa.ListArray:
    """Distinct WIPO field numbers of each row of a list<string> array of IPC codes.

    Vectorised: the rule runs once per distinct code (:func:`map_unique`), never per
    patent. Returns list<int64>, numbers ascending within a row, empty where no code
    has a field.
    """
    if isinstance(lists, pa.ChunkedArray):
        lists = lists.combine_chunks()
    flat = pc.list_flatten(lists)
    parent = pc.list_parent_indices(lists)
    nums = map_unique(flat.cast(pa.string()), _number, pa.int64())
    ok = pc.is_valid(nums)
    tbl = pa.table({"p": parent, "c": nums}).filter(ok)
    tbl = dedupe_pairs(tbl)
    if tbl.num_rows:
        tbl = tbl.take(pc.sort_indices(tbl, sort_keys=[("p", "ascending"), ("c", "ascending")]))
    return regroup(tbl, len(lists), pa.int64())
