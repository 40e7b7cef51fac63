"""The shared filesystem cache, with its size kept in check now and then instead of on every write.

cachelib's FileSystemCache keeps a count of its files in a file of its own, read and rewritten on every ``set``:
three reads and two atomic writes where one write would do. A cold Overview stores fifteen entries, and the count
took two thirds of their time. Here the count is not kept: every ``PRUNE_EVERY`` writes (in each gunicorn worker),
the folder is listed once and, if it holds more than the threshold, the expired entries go and then the oldest,
down to ``KEEP`` of the threshold. Entries, their format and their expiry are cachelib's own.
"""

from __future__ import annotations

import logging
import os
import struct
import time
from typing import Any

from flask_caching.backends.filesystemcache import FileSystemCache

log = logging.getLogger(__name__)
PRUNE_EVERY = 200
KEEP = 0.8


class PrunedFileSystemCache(FileSystemCache):
    """FileSystemCache that checks its size every ``PRUNE_EVERY`` writes rather than counting on each one."""

    def __init__(self, cache_dir: str, threshold: int = 500, **kwargs: Any) -> None:
        super().__init__(cache_dir, threshold=0, **kwargs)  # 0: cachelib keeps no count and never prunes itself
        self.limit = threshold
        self._writes = 0

    def set(self, key: str, value: Any, timeout: Any = None, mgmt_element: bool = False) -> bool:
        self._writes += 1
        if self.limit and self._writes % PRUNE_EVERY == 0:
            self.prune()
        return super().set(key, value, timeout, mgmt_element)

    def prune(self) -> int:
        """Bring the folder under the threshold: expired entries first, then the soonest to expire. Returns how
        many entries were removed. Another worker may be removing the same files: a file already gone is fine."""
        entries = []
        for name in self._list_dir():
            try:
                with open(name, "rb") as handle:
                    entries.append((struct.unpack("I", handle.read(4))[0], name))
            except (OSError, struct.error):
                continue  # gone, or being written: left for the next time
        if len(entries) <= self.limit:
            return 0
        now = time.time()
        keep = int(self.limit * KEEP)
        expired = {name for expires, name in entries if expires != 0 and expires < now}
        living = sorted((expires or float("inf"), name) for expires, name in entries if name not in expired)
        doomed = [*expired, *(name for _expires, name in living[: max(0, len(living) - keep)])]
        removed = 0
        for name in doomed:
            try:
                os.remove(name)
                removed += 1
            except FileNotFoundError:
                continue
            except OSError as error:
                log.warning("cache file not removed", extra={"file": name, "error": str(error)})
        return removed
