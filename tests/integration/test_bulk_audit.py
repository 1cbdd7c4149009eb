"""The bulk import and the recheck leave the same audit trail as the pages, chained like every event."""

from collections import Counter

import pytest
from django.db import transaction

from jixiao.accounts.models import User
from jixiao.audit.chain import verify
from jixiao.audit.models import Action, AuditEvent
from jixiao.tracking import models
from jixiao.tracking.bulk import FilePart, reports_import_bulk
from jixiao.tracking.importing import documents_import

pytestmark = pytest.mark.django_db


def trail():
    return Counter((e.action, e.subject, e.report.project.name if e.report else "", e.actor_name, e.revision)
                   for e in AuditEvent.objects.select_related("report__project"))


@pytest.mark.parametrize("workers", [1, 2])
def test_the_bulk_import_writes_the_audit_events_the_regular_import_writes(seed_documents, seed_path, workers):
    before = transaction.savepoint()
    documents_import(documents=seed_documents, user=None)
    expected = trail()
    transaction.savepoint_rollback(before)
    assert not AuditEvent.objects.exists()
    reports_import_bulk(parts=[FilePart(str(seed_path))], user=None, workers=workers, batch_size=4)
    assert sum(expected.values()) == 11  # nine forms, their department and their unit
    assert trail() == expected
    assert verify().ok


def test_the_bulk_import_names_the_importing_user_and_the_file(demo, seed_path, tmp_path):
    changed = tmp_path / "changed.txt"
    changed.write_text(seed_path.read_text(encoding="utf-8").replace("36.04", "36.05", 1), encoding="utf-8")
    finance = User.objects.get(username="demo-finance")
    reports_import_bulk(parts=[FilePart(str(changed))], user=finance)
    event = AuditEvent.objects.get(action=Action.IMPORT)
    assert event.actor == finance and event.comment == f"导入文件：{changed}"
    assert any("36.05" in str(change.get("after")) for change in event.changes)
    assert verify().ok


def test_a_recheck_records_each_light_it_changes(seed_documents):
    from jixiao.tracking.services import reports_recheck

    documents_import(documents=seed_documents, user=None)
    red = models.TrackingReport.objects.filter(light="red").count()
    models.TrackingReport.objects.filter(light="red").update(light="green")
    count = AuditEvent.objects.count()
    reports_recheck(batch_size=2)
    events = AuditEvent.objects.filter(action=Action.RECHECK)
    assert red > 0 and events.count() == red == AuditEvent.objects.count() - count
    assert {(c["before"], c["after"]) for e in events for c in e.changes} == {("绿灯", "红灯")}
    assert verify().ok
