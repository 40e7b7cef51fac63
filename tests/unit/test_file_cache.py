"""The shared filesystem cache: cachelib's entries without its per-write count, and a size kept under the
threshold by an occasional prune (expired entries first, then those that expire soonest)."""

from __future__ import annotations

import os
import struct
import time

from flask import Flask
from flask_caching import Cache

from dashboard import file_cache
from dashboard.cache import cache_config
from dashboard.config import Settings
from dashboard.file_cache import PrunedFileSystemCache


def _files(folder) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(os.listdir(folder))


def test_an_entry_is_one_file_and_reads_back(tmp_path):
    store = PrunedFileSystemCache(str(tmp_path), threshold=100, default_timeout=60)
    assert store.set("figures", {"rows": [1, 2, 3]})
    assert store.get("figures") == {"rows": [1, 2, 3]}
    assert len(_files(tmp_path)) == 1  # no count file beside it


def test_prune_removes_expired_entries_then_those_expiring_soonest(tmp_path):
    store = PrunedFileSystemCache(str(tmp_path), threshold=10, default_timeout=600)
    for i in range(4):
        store.set(f"expired-{i}", i, timeout=1)
    for i in range(8):
        store.set(f"living-{i}", i, timeout=1000 + i)  # living-0 expires first
    store.set("forever", "kept", timeout=0)
    for i in range(4):  # expired an hour ago, as cachelib writes an expiry time
        path = store._get_filename(f"expired-{i}")
        with open(path, "r+b") as handle:
            handle.write(struct.pack("I", int(time.time()) - 3600))
    assert len(_files(tmp_path)) == 13
    removed = store.prune()
    assert removed == 5  # four expired, then the soonest living one, down to 8 of 10
    assert len(_files(tmp_path)) == 8
    assert store.get("living-0") is None
    assert [store.get(f"living-{i}") for i in range(1, 8)] == list(range(1, 8))
    assert store.get("forever") == "kept"


def test_prune_leaves_a_folder_under_the_threshold_alone(tmp_path):
    store = PrunedFileSystemCache(str(tmp_path), threshold=10)
    for i in range(10):
        store.set(f"k{i}", i)
    assert store.prune() == 0
    assert len(_files(tmp_path)) == 10


def test_writes_prune_now_and_then(tmp_path, monkeypatch):
    monkeypatch.setattr(file_cache, "PRUNE_EVERY", 5)
    store = PrunedFileSystemCache(str(tmp_path), threshold=4, default_timeout=600)
    for i in range(4):
        store.set(f"k{i}", i)
    assert len(_files(tmp_path)) == 4  # not pruned: at the threshold, not over it
    store.set("k4", 4)  # the fifth write prunes first (4 files: none removed), then writes
    assert len(_files(tmp_path)) == 5
    for i in range(5, 10):
        store.set(f"k{i}", i)  # the tenth write prunes 9 files down to 3, then writes
    assert len(_files(tmp_path)) == 4


def test_the_app_uses_it_through_flask_caching(tmp_path, monkeypatch):
    monkeypatch.delenv("DASHBOARD_CACHE", raising=False)
    monkeypatch.setenv("DASHBOARD_CACHE_DIR", str(tmp_path / "cache"))
    server = Flask(__name__)
    cache = Cache(server, config=cache_config(Settings(database_url="sqlite://", instance_dir=tmp_path)))
    with server.app_context():
        assert isinstance(cache.cache, PrunedFileSystemCache)
        assert cache.cache.limit == 5000
        cache.set("answer", 42)
        assert cache.get("answer") == 42
