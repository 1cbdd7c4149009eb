"""The dashboard's figures come from the shared cache until a write changes the data."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.tracking import models
from jixiao.tracking.mapping import report_to_domain
from jixiao.tracking.services import report_store

pytestmark = pytest.mark.django_db(transaction=True)  # data_changed acts when the write commits

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "caching-test"}}


def cards(client) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        content = client.get(reverse("tracking:dashboard")).content.decode()
    return re.search(r'<div class="cards">.*?</div>\n</div>', content, re.S).group(0), len(queries)


def test_the_dashboard_is_computed_once_until_a_saved_report_changes_it(settings, as_finance):
    from django.core.cache import cache

    settings.CACHES = LOCMEM
    cache.clear()
    try:
        first, computed = cards(as_finance)
        again, cached = cards(as_finance)
        assert again == first and cached < computed
        row = models.TrackingReport.objects.get(project__name="宣传费")
        report = report_to_domain(row)
        report.budget.total.spent = report.budget.total.period_budget
        report_store(data=report, project=row.project, period=row.period, row=row)
        after, recomputed = cards(as_finance)
        assert after != first and recomputed == computed
    finally:
        cache.clear()


def test_each_list_query_has_its_own_cached_page(settings, as_finance):
    from django.core.cache import cache

    settings.CACHES = LOCMEM
    cache.clear()
    try:
        url = reverse("tracking:report_list")
        for _ in range(2):  # the second round is served from the cache
            red = as_finance.get(url, {"light": "red"}).content.decode()
            everything = as_finance.get(url).content.decode()
            assert red.count('href="/reports/') < everything.count('href="/reports/')
            assert 'value="red" selected' in red and 'value="red" selected' not in everything
    finally:
        cache.clear()


def test_the_form_page_reads_its_table_once_until_the_report_changes(settings, as_finance, as_unit):
    from django.core.cache import cache

    settings.CACHES = LOCMEM
    cache.clear()
    try:
        row = models.TrackingReport.objects.get(project__name="宣传费")
        url = reverse("tracking:report_detail", args=[row.pk])

        def sheet(client) -> tuple[str, int]:
            with CaptureQueriesContext(connection) as queries:
                content = client.get(url).content.decode()
            return re.search(r'<table class="sheet".*?<h2 id="history">', content, re.S).group(0), len(queries)

        first, computed = sheet(as_finance)
        again, cached = sheet(as_finance)
        # no findings, inbox count (its forms, its warnings and its self-evaluations: jixiao.warnings,
        # jixiao.evaluation); the budget lines and indicators are read either way, once, for the forecast too
        assert again == first and cached == computed - 4
        assert sheet(as_unit)[0] == first  # the table is the same for everyone who may open it
        report = report_to_domain(row)
        report.budget.total.spent = report.budget.total.period_budget
        report_store(data=report, project=row.project, period=row.period, row=row)
        after, recomputed = sheet(as_finance)
        assert after != first and recomputed == computed
    finally:
        cache.clear()
