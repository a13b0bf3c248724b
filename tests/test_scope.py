"""Industry scoping by SEI field, codes and keyword queries."""

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import patentnav
from patentnav.landscape.scope import parse_query, query_mask, scope


def test_parse_query():
    assert parse_query('drone "aerial vehicle" -toy OR 无人机') == [
        [("drone", False), ("aerial vehicle", False), ("toy", True)], [("无人机", False)]]
    assert parse_query("a|b") == [[("a", False)], [("b", False)]]
    for bad in ("", "  ", "-toy"):
        with pytest.raises(ValueError):
            parse_query(bad)


def test_query_mask_against_python_oracle(drones):
    titles = drones["title"].to_pylist()
    expected = [("drone" in s.lower() or "unmanned" in s.lower()) and "toy" not in s.lower() for s in titles]
    got = query_mask(drones, "drone -toy OR unmanned -toy").to_pylist()
    assert got == expected and sum(expected) > 100


def test_chinese_query():
    c = patentnav.Corpus(pa.table({"publication_number": ["CN-1-A", "CN-2-A", "CN-3-A"],
                                   "title": ["一种无人机的控制方法", "一种玩具无人机", "图像处理装置"]}))
    assert query_mask(c, "无人机 -玩具").to_pylist() == [True, False, False]
    assert query_mask(c, "无人机 OR 图像").to_pylist() == [True, True, True]


def test_scope_combines_criteria(drones):
    s = scope(drones, industry="2", ipc="B64C", query="unmanned")
    sei = drones.mask(sei="2").to_pylist()
    ipc = drones.mask(ipc=["B64C"]).to_pylist()
    q = query_mask(drones, "unmanned").to_pylist()
    assert len(s) == sum(a and b and c for a, b, c in zip(sei, ipc, q)) > 0
    assert [step["criterion"] for step in s.scope["criteria"]] == ["sei", "ipc", "query"]
