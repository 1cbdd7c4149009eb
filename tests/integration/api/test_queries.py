"""The API's lists and roll-up run a fixed number of queries, however many reports there are."""

from __future__ import annotations

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.tracking.importing import documents_import
from jixiao.tracking.models import TrackingReport
from tests.integration.api.conftest import as_user

pytestmark = pytest.mark.django_db


def _add_units(seed_path, count: int) -> None:
    from jixiao.formats.text import read_text

    text = seed_path.read_text("utf-8")
    for n in range(count):
        changed = text.replace("上海市闵行区社会保障服务中心", f"上海市闵行区第{n}服务中心")
        documents_import(documents=[(f"{n}.txt", read_text(io.BytesIO(changed.encode()), f"{n}.txt"))], user=None)


def _queries(client, path: str, params: dict) -> int:
    client.get(path, params)  # the token's last-used time is written on the first call only
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path, params).status_code == 200
    return len(captured)


def test_list_and_rollup_queries_do_not_grow_with_the_number_of_reports(demo, seed_path):
    finance = as_user("demo-finance")
    report = TrackingReport.objects.select_related("unit").first()
    rollup = {"department": report.unit.parent_id, "period": report.period_id, "limit": 200}
    small = (_queries(finance, "/api/reports", {"limit": 200}), _queries(finance, "/api/rollup", rollup))
    _add_units(seed_path, 3)
    assert TrackingReport.objects.count() == 36
    large = (_queries(finance, "/api/reports", {"limit": 200}), _queries(finance, "/api/rollup", rollup))
    assert large == small
