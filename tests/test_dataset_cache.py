"""The on-disk cache of the ingested bundled sample (patentnav.datasets.cache): a hit gives
the same table and ingest report as reading the export; a corrupt, truncated or foreign
cache is ignored and rebuilt; an unwritable cache folder only costs the cache."""

from __future__ import annotations

import json

import pytest

from patentnav import datasets
from patentnav.datasets.cache import cached_read
from patentnav.io import read


@pytest.fixture(scope="module")
def fresh():
    return read(datasets.path("drones"), format="lens")


def _never():
    raise AssertionError("the dataset was read again although the cache is valid")


def _files(folder):
    return sorted(p.suffix for p in folder.iterdir())


def test_hit_gives_the_same_corpus_and_accounting(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("PATENTNAV_CACHE_DIR", str(tmp_path))
    first = cached_read("drones", datasets.path("drones"), lambda: fresh)
    assert first is fresh and _files(tmp_path) == [".json", ".parquet"]
    hit = cached_read("drones", datasets.path("drones"), _never)
    assert hit.table.equals(fresh.table, check_metadata=True)
    assert hit.report == fresh.report and str(hit.report) == str(fresh.report)
    assert hit.report.summary() == fresh.report.summary() and len(hit.report.warnings) == 46


@pytest.mark.parametrize("damage", ["flip_parquet", "truncate_parquet", "truncate_json", "bad_report", "empty_json"])
def test_a_damaged_cache_is_rebuilt(fresh, tmp_path, monkeypatch, damage):
    monkeypatch.setenv("PATENTNAV_CACHE_DIR", str(tmp_path))
    cached_read("drones", datasets.path("drones"), lambda: fresh)
    pq_file = next(tmp_path.glob("*.parquet"))
    js_file = next(tmp_path.glob("*.json"))
    if damage == "flip_parquet":
        data = bytearray(pq_file.read_bytes())
        data[len(data) // 2] ^= 0xFF
        pq_file.write_bytes(bytes(data))
    elif damage == "truncate_parquet":
        pq_file.write_bytes(pq_file.read_bytes()[:1000])
    elif damage == "truncate_json":
        js_file.write_bytes(js_file.read_bytes()[:50])
    elif damage == "bad_report":  # the accounting no longer holds: rows read != kept + merged + rejected
        meta = json.loads(js_file.read_text(encoding="utf-8"))
        meta["report"]["rows_read"] += 1
        js_file.write_text(json.dumps(meta), encoding="utf-8")
    else:
        js_file.write_text("", encoding="utf-8")
    calls = []
    again = cached_read("drones", datasets.path("drones"), lambda: calls.append(1) or fresh)
    assert calls == [1] and again is fresh  # read from the export again ...
    hit = cached_read("drones", datasets.path("drones"), _never)  # ... and the cache rewritten
    assert hit.table.equals(fresh.table) and hit.report == fresh.report


def test_other_limits_do_not_share_a_cache(fresh, tmp_path, monkeypatch):
    monkeypatch.setenv("PATENTNAV_CACHE_DIR", str(tmp_path))
    cached_read("drones", datasets.path("drones"), lambda: fresh)
    monkeypatch.setenv("PATENTNAV_LIMIT_ROWS", "100")
    calls = []
    cached_read("drones", datasets.path("drones"), lambda: calls.append(1) or fresh)
    assert calls == [1] and len(list(tmp_path.glob("*.parquet"))) == 2


def test_unwritable_cache_folder(fresh, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("PATENTNAV_CACHE_DIR", str(blocker / "cache"))
    assert cached_read("drones", datasets.path("drones"), lambda: fresh) is fresh


def test_old_entries_are_pruned(fresh, tmp_path, monkeypatch):
    """Each upgrade or limit makes a new key: only the newest few entries per dataset stay."""
    from patentnav.datasets import cache

    monkeypatch.setenv("PATENTNAV_CACHE_DIR", str(tmp_path))
    for rows in range(100, 100 + cache._KEEP + 2):
        monkeypatch.setenv("PATENTNAV_LIMIT_ROWS", str(rows))
        cached_read("drones", datasets.path("drones"), lambda: fresh)
    assert len(list(tmp_path.glob("drones-*.json"))) == len(list(tmp_path.glob("drones-*.parquet"))) == cache._KEEP
