"""The production cache table without a whole-table count on every write.

Django's DatabaseCache runs ``SELECT COUNT(*)`` over its table before every ``set``/``add`` to decide
whether to cull: with tens of thousands of cached fragments that count is a scan per write (on
PostgreSQL a sequential scan of the table; see docs/PERFORMANCE.md). This backend writes an entry
with one INSERT … ON CONFLICT DO UPDATE on PostgreSQL and SQLite (elsewhere an UPDATE, and an INSERT when
the key is new) and leaves counting and culling to Django's
own code once every ``CULL_EVERY`` writes of each process, so the table still stays near
``MAX_ENTRIES``. Large values are stored zlib-compressed, in a form that Django's own unpickling restores.
Reads, deletes and ``touch`` are Django's.

    {"BACKEND": "jixiao.web.db_cache.SparselyCulledDatabaseCache", "LOCATION": "jixiao_cache",
     "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_EVERY": 200}}
"""

from __future__ import annotations

import base64
import itertools
import pickle
import zlib
from datetime import UTC, datetime

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.db import DatabaseError, connections, router, transaction
from django.utils.timezone import now as tz_now

DEFLATE_ABOVE = 4096  # bytes of pickle: a page's cached fragment (10–200 KB of HTML) is, a count or a version is not


def _inflate(blob: bytes):
    return pickle.loads(zlib.decompress(blob))


class _Deflated:
    """A value stored compressed: unpickling it (Django's own ``get``) gives the value back, via ``_inflate``."""

    __slots__ = ("blob",)

    def __init__(self, blob: bytes):
        self.blob = blob

    def __reduce__(self):
        return _inflate, (self.blob,)


def deflated(value, protocol: int) -> tuple[object, bytes]:
    """``value`` and its pickle, or a compressed stand-in and its pickle when the value's pickle is large. HTML
    shrinks ~8× at level 1 (0.4 ms for a list page's 90 KB), and the database then stores and logs a tenth of it:
    writing a list page's fragment cost PostgreSQL ~3 ms of CPU (TOAST compression of ~200 KB of base64),
    compressed ~0.5 ms (docs/PERFORMANCE.md)."""
    data = pickle.dumps(value, protocol)
    if len(data) <= DEFLATE_ABOVE:
        return value, data
    stand_in = _Deflated(zlib.compress(data, 1))
    return stand_in, pickle.dumps(stand_in, protocol)


class SparselyCulledDatabaseCache(DatabaseCache):
    def __init__(self, table: str, params: dict):
        options = dict(params.get("OPTIONS") or {})
        self._cull_every = max(1, int(options.pop("CULL_EVERY", 200)))
        super().__init__(table, {**params, "OPTIONS": options})
        self._writes = itertools.count(1)  # next() on it is atomic under the GIL

    def _base_set(self, mode, key, value, timeout=DEFAULT_TIMEOUT):
        if mode != "touch":
            value, data = deflated(value, self.pickle_protocol)
        if mode == "touch" or next(self._writes) % self._cull_every == 0:
            return super()._base_set(mode, key, value, timeout)  # Django's: counts and culls
        timeout = self.get_backend_timeout(timeout)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table, column_key, column_value, column_expires = (
            quote(name) for name in (self._table, "cache_key", "value", "expires"))
        expires = datetime.max if timeout is None else datetime.fromtimestamp(
            timeout, tz=UTC if settings.USE_TZ else None)
        expires = connection.ops.adapt_datetimefield_value(expires.replace(microsecond=0))
        now = connection.ops.adapt_datetimefield_value(tz_now().replace(microsecond=0))
        encoded = base64.b64encode(data).decode("latin1")
        if connection.vendor in ("postgresql", "sqlite"):
            # One statement: an insert that overwrites the entry already there (for ``add``: only one that
            # has expired, as Django's add). On autocommit it needs no BEGIN/COMMIT around it, so a page
            # whose fragment was missing writes it in one round trip instead of four (docs/PERFORMANCE.md).
            upsert = (f"INSERT INTO {table} ({column_key}, {column_value}, {column_expires}) VALUES (%s, %s, %s) "
                      f"ON CONFLICT ({column_key}) DO UPDATE SET {column_value} = excluded.{column_value}, "
                      f"{column_expires} = excluded.{column_expires}")
            params = [key, encoded, expires]
            if mode == "add":
                upsert += f" WHERE {table}.{column_expires} < %s"
                params.append(now)
            with connection.cursor() as cursor:
                try:
                    if connection.in_atomic_block:  # a savepoint, so that a failure leaves the caller's transaction
                        with transaction.atomic(using=db):
                            cursor.execute(upsert, params)
                    else:
                        cursor.execute(upsert, params)
                except DatabaseError:
                    return False
                return mode != "add" or cursor.rowcount > 0
        update = f"UPDATE {table} SET {column_value} = %s, {column_expires} = %s WHERE {column_key} = %s"
        params = [encoded, expires, key]
        if mode == "add":  # only over an entry that has expired, as Django's add
            update += f" AND {column_expires} < %s"
            params.append(now)
        with connection.cursor() as cursor:
            try:
                with transaction.atomic(using=db):
                    cursor.execute(update, params)
                    if cursor.rowcount:
                        return True
                    cursor.execute(f"INSERT INTO {table} ({column_key}, {column_value}, {column_expires}) "
                                   f"VALUES (%s, %s, %s)", [key, encoded, expires])
            except DatabaseError:
                return False  # the key exists (an add of a live entry, or a concurrent insert)
        return True
