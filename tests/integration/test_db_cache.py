"""The production cache table (jixiao.web.db_cache): Django's behaviour without a count on every write."""

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

pytestmark = pytest.mark.django_db(transaction=True)


def _cache(max_entries: int, cull_every: int):
    setting = {"BACKEND": "jixiao.web.db_cache.SparselyCulledDatabaseCache", "LOCATION": "test_cache_table",
               "OPTIONS": {"MAX_ENTRIES": max_entries, "CULL_EVERY": cull_every, "CULL_FREQUENCY": 2}}
    return override_settings(CACHES={"default": setting})


def _rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM test_cache_table")
        return cursor.fetchone()[0]


def test_it_sets_adds_and_overwrites_like_djangos_cache_without_counting_its_table():
    with _cache(1000, 1000):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        with CaptureQueriesContext(connection) as captured:
            cache.set("a", {"页": 1})
            cache.set("a", {"页": 2})
            assert cache.add("a", "不覆盖") is False
            assert cache.add("b", "新的") is True
        assert not [q for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
        assert cache.get("a") == {"页": 2} and cache.get("b") == "新的"
        cache.set("c", 3, timeout=-1)  # already expired: add may take its place
        assert cache.add("c", 4) is True and cache.get("c") == 4


def test_it_still_culls_the_table_every_nth_write():
    with _cache(10, 5):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        for n in range(60):
            cache.set(f"key-{n}", n)
        assert _rows() <= 10 + 5
        assert cache.get("key-59") == 59


def test_a_write_is_one_statement_outside_a_transaction_and_a_savepoint_inside_one():
    from django.db import transaction

    with _cache(1000, 1000):
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        with CaptureQueriesContext(connection) as captured:
            cache.set("a", 1)
            cache.set("a", 2)
        assert len(captured.captured_queries) == 2  # an upsert each: no BEGIN, UPDATE, INSERT, COMMIT
        with transaction.atomic():
            cache.set("b", 1)
            assert cache.add("b", 2) is False
        assert cache.get("a") == 2 and cache.get("b") == 1


def test_a_large_value_is_stored_compressed_and_read_back_as_it_was():
    from django.utils.safestring import SafeString, mark_safe

    page = mark_safe("<tr><td>项目</td><td class=\"num\">1,234.56</td></tr>\n" * 2000)
    with _cache(1000, 3):  # the third write goes through Django's own set (the cull)
        call_command("createcachetable", verbosity=0)
        cache = caches["default"]
        for key in ("a", "b", "c"):
            cache.set(key, page)
        with connection.cursor() as cursor:
            cursor.execute("SELECT MAX(LENGTH(value)) FROM test_cache_table")
            stored = cursor.fetchone()[0]
        assert stored < len(page) / 5
        for key in ("a", "b", "c"):
            assert cache.get(key) == page and isinstance(cache.get(key), SafeString)
        assert cache.get_many(["a", "c"]) == {"a": page, "c": page}
        assert cache.add("a", "x") is False and cache.get("a") == page
