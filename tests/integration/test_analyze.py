"""After a bulk write of many forms on PostgreSQL the planner's statistics are refreshed (issue 15): with a
fresh table's ``reltuples`` 0 it would plan nested loops over tables it reckons empty."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.tracking import bulkwrite, models
from jixiao.tracking.bulk import FilePart, reports_import_bulk
from jixiao.tracking.rechecking import reports_recheck

pytestmark = pytest.mark.django_db


def _analyzed(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if q["sql"].startswith("ANALYZE")]


def test_a_bulk_import_and_a_recheck_of_enough_forms_analyze_what_they_wrote(
        monkeypatch, seed_path, django_capture_on_commit_callbacks):
    monkeypatch.setattr(bulkwrite, "ANALYZE_AFTER", 9)  # the seed's nine forms count as "many"
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        result = reports_import_bulk(parts=[FilePart(str(seed_path))], user=None)
    assert result.created == 9
    with CaptureQueriesContext(connection) as rechecked, django_capture_on_commit_callbacks(execute=True):
        assert reports_recheck(batch_size=4) == 9
    if connection.vendor != "postgresql":
        assert _analyzed(captured) == _analyzed(rechecked) == []
        return
    (imported,) = _analyzed(captured)
    assert all(f'"{model._meta.db_table}"' in imported
               for model in (models.TrackingReport, models.BudgetLine, models.Finding, models.UnitPeriodSummary))
    assert len(_analyzed(rechecked)) == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'tracking_trackingreport'")
        assert cursor.fetchone()[0] >= 9


def test_fewer_forms_are_left_to_autovacuum(seed_path, django_capture_on_commit_callbacks):
    with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks(execute=True):
        reports_import_bulk(parts=[FilePart(str(seed_path))], user=None)
    assert _analyzed(captured) == []
