"""A small per-process memory in front of the shared cache, for the pages' cached fragments.

A fragment's key carries the data version (tracking/caching.py), so the value under a key never
changes: a copy kept in the worker's memory is as good as the shared one until it expires, and
reading it skips a database round trip and the transfer of a page-sized value. Writes go to both,
so the other workers and app servers still share what one of them computed.

    CACHES["template_fragments"] = {"BACKEND": "jixiao.web.layered_cache.LayeredCache",
                                    "OPTIONS": {"SHARED": "default", "LOCAL_ENTRIES": 300}}
"""

from __future__ import annotations

from typing import Any

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.locmem import LocMemCache

_MISSING = object()


class LayeredCache(BaseCache):
    def __init__(self, location: str, params: dict[str, Any]):
        options = dict(params.get("OPTIONS") or {})
        self._shared_alias = options.pop("SHARED", "default")
        local_entries = options.pop("LOCAL_ENTRIES", 300)
        super().__init__({**params, "OPTIONS": options})
        self._local = LocMemCache(f"layered:{location}", {"OPTIONS": {"MAX_ENTRIES": local_entries}})

    @property
    def _shared(self) -> BaseCache:
        return caches[self._shared_alias]

    def get(self, key, default=None, version=None):
        value = self._local.get(key, _MISSING, version)
        if value is _MISSING:
            value = self._shared.get(key, _MISSING, version)
            if value is _MISSING:
                return default
            # Not longer than the shared copy may live: the cache tag's timeout is short (TTL).
            self._local.set(key, value, self.default_timeout, version)
        return value

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._shared.set(key, value, timeout, version)
        self._local.set(key, value, timeout, version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        added = self._shared.add(key, value, timeout, version)
        if added:
            self._local.set(key, value, timeout, version)
        return added

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        self._local.touch(key, timeout, version)
        return self._shared.touch(key, timeout, version)

    def delete(self, key, version=None):
        self._local.delete(key, version)
        return self._shared.delete(key, version)

    def has_key(self, key, version=None):
        return self._local.has_key(key, version) or self._shared.has_key(key, version)

    def clear(self):
        self._local.clear()
        self._shared.clear()
