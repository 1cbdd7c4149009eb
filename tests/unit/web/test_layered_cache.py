"""The per-process layer in front of the shared cache (jixiao.web.layered_cache)."""

import pytest
from django.core.cache import caches
from django.test import override_settings

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "layered-shared"},
    "fragments": {"BACKEND": "jixiao.web.layered_cache.LayeredCache", "TIMEOUT": 120,
                  "OPTIONS": {"SHARED": "default", "LOCAL_ENTRIES": 10}},
}


@pytest.fixture()
def layers():
    with override_settings(CACHES=CACHES):
        from django.core.cache import cache

        caches["default"].clear()
        fragments = caches["fragments"]
        yield cache, fragments
        fragments.clear()


def test_a_value_written_through_the_layer_is_shared_with_other_workers(layers):
    shared, fragments = layers
    fragments.set("v1:page", "<table>", 120)
    assert shared.get("v1:page") == "<table>"  # another worker or app server sees it
    assert fragments.get("v1:page") == "<table>"


def test_a_value_another_worker_wrote_is_read_once_then_kept_locally(layers):
    shared, fragments = layers
    shared.set("v1:rollup", "<div>", 120)
    assert fragments.get("v1:rollup") == "<div>"
    shared.delete("v1:rollup")  # gone from the shared cache (culled): the local copy still serves
    assert fragments.get("v1:rollup") == "<div>"
    assert fragments.get("v1:missing", "default") == "default"


def test_deleting_and_clearing_reach_both_layers(layers):
    shared, fragments = layers
    fragments.set("a", 1)
    fragments.delete("a")
    assert fragments.get("a") is None and shared.get("a") is None
    fragments.set("b", 2)
    fragments.clear()
    assert fragments.get("b") is None and shared.get("b") is None
    assert fragments.add("c", 3) and not fragments.add("c", 4) and fragments.get("c") == 3
