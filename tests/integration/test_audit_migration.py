"""Migration 0002 chains the events written before the hash chain existed, in the order they were written."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from jixiao.audit.chain import verify


@pytest.mark.django_db(transaction=True)
def test_existing_events_are_chained_by_the_migration():
    executor = MigrationExecutor(connection)
    executor.migrate([("audit", "0001_initial")])
    old = executor.loader.project_state([("audit", "0001_initial")]).apps.get_model("audit", "AuditEvent")
    for n in range(5):
        old.objects.create(at=timezone.now(), actor_name=f"before-{n}", action="login", changes=[{"field": "x"}])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from jixiao.audit.models import AuditEvent

    assert list(AuditEvent.objects.order_by("pk").values_list("sequence", flat=True)) == [1, 2, 3, 4, 5]
    verdict = verify()
    assert verdict.ok and verdict.checked == 5
