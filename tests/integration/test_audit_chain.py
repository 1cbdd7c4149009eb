"""The audit trail is a hash chain: a row changed, inserted or deleted with SQL is named by `jixiao audit verify`."""

import itertools
import os
import subprocess
import sys
import threading
from datetime import timedelta

import pytest
from django.db import connection, connections
from django.utils import timezone

from jixiao.audit.chain import GENESIS, event_hash, verify
from jixiao.audit.models import Action, AuditEvent
from jixiao.audit.purge import audit_purge
from jixiao.audit.services import audit_record
from jixiao.cli import main

pytestmark = pytest.mark.django_db

TABLE = "audit_auditevent"


def sql(statement: str, params=()):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def test_every_event_written_by_the_application_is_chained_in_order(demo):
    events = list(AuditEvent.objects.order_by("sequence"))
    assert [e.sequence for e in events] == list(range(1, len(events) + 1))
    assert events[0].previous_hash == GENESIS
    assert all(later.previous_hash == earlier.hash for earlier, later in itertools.pairwise(events))
    assert all(event_hash(e) == e.hash for e in events)
    verdict = verify()
    assert verdict.ok and verdict.checked == len(events) and verdict.head == events[-1].hash
    assert f"共 {len(events)} 条" in verdict.message


def test_verify_names_an_event_whose_comment_was_changed_with_sql(demo, capsys):
    target = AuditEvent.objects.order_by("sequence")[3]
    sql(f"UPDATE {TABLE} SET comment = %s WHERE id = %s", ["改过的意见", target.pk])
    verdict = verify()
    assert not verdict.ok
    assert verdict.message.startswith(f"第 {target.sequence} 条记录（编号 {target.pk}，")
    assert "内容已被改动" in verdict.message and verdict.checked == target.sequence - 1
    assert main(["audit", "verify"]) == 1
    assert "内容已被改动" in capsys.readouterr().err


def test_verify_names_the_gap_left_by_a_deleted_event(demo):
    target = AuditEvent.objects.order_by("sequence")[2]
    sql(f"DELETE FROM {TABLE} WHERE id = %s", [target.pk])
    verdict = verify()
    assert not verdict.ok and verdict.message.startswith(f"第 {target.sequence} 条记录已被删除")


def test_verify_names_an_event_inserted_outside_the_chain(demo):
    sql(f"INSERT INTO {TABLE} (at, actor_name, action, subject, changes, comment, state_before, state_after, "
        f"previous_hash, hash) VALUES (%s, 'intruder', 'approve', '伪造', '[]', '', '', '', '', '')", [timezone.now()])
    verdict = verify()
    assert not verdict.ok and "不在哈希链中" in verdict.message and "伪造" in verdict.message


def test_verify_names_an_event_appended_with_sql_and_a_made_up_hash(demo):
    last = AuditEvent.objects.order_by("-sequence").first()
    sql(f"INSERT INTO {TABLE} (at, actor_name, action, subject, changes, comment, state_before, state_after, "
        f"sequence, previous_hash, hash) VALUES (%s, 'intruder', 'approve', '伪造', '[]', '', '', '', %s, %s, %s)",
        [timezone.now(), last.sequence + 1, last.hash, "e" * 64])
    verdict = verify()
    assert not verdict.ok
    assert verdict.message.startswith(f"第 {last.sequence + 1} 条记录") and "内容已被改动" in verdict.message


def test_the_cli_reports_an_intact_chain_with_exit_code_0(demo, capsys):
    assert main(["audit", "verify"]) == 0
    assert "审计记录完好" in capsys.readouterr().out


def test_a_purge_deletes_only_expired_events_and_the_chain_still_verifies(demo, settings):
    settings.JIXIAO_AUDIT_RETENTION_DAYS = 180
    assert audit_purge() == 0  # nothing is that old
    before = AuditEvent.objects.count()
    assert audit_purge(now=timezone.now() + timedelta(days=181)) == before
    audit_record(action=Action.LOGIN, username="later")
    remaining = list(AuditEvent.objects.order_by("sequence"))
    assert [e.action for e in remaining] == [Action.PURGE, Action.LOGIN]
    assert remaining[0].sequence == before + 1
    assert verify().ok


def test_deleting_the_events_after_a_purge_is_still_seen(demo, settings):
    settings.JIXIAO_AUDIT_RETENTION_DAYS = 180
    audit_purge(now=timezone.now() + timedelta(days=181))
    audit_record(action=Action.LOGIN, username="a")
    audit_record(action=Action.LOGIN, username="b")
    sql(f"DELETE FROM {TABLE} WHERE actor_name = 'a'")
    assert "已被删除" in verify().message


def test_without_a_retention_nothing_is_purged(demo, settings):
    settings.JIXIAO_AUDIT_RETENTION_DAYS = 0
    count = AuditEvent.objects.count()
    assert audit_purge(now=timezone.now() + timedelta(days=10_000)) == 0
    assert AuditEvent.objects.count() == count


def test_a_retention_under_180_days_stops_the_start_with_a_chinese_error():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(JIXIAO_DEBUG="1", JIXIAO_AUDIT_RETENTION_DAYS="90")
    result = subprocess.run([sys.executable, "-c", "import jixiao.web.settings"], env=env, capture_output=True,
                            text=True)
    assert result.returncode != 0
    assert "JIXIAO_AUDIT_RETENTION_DAYS=90 无效：审计记录至少保存 180 天" in result.stderr


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_queue_on_the_chain_instead_of_forking_it():
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database is one connection's; see the file-database test below")
    errors = []

    def write(n):
        try:
            for i in range(10):
                audit_record(action=Action.LOGIN, username=f"writer-{n}-{i}")
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 41))
    assert verify().ok


WRITER = """
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
django.setup()
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
for i in range(15):
    audit_record(action=Action.LOGIN, username=f"writer-{sys.argv[1]}-{i}")
"""
CHECK = """
import django, os
os.environ["DJANGO_SETTINGS_MODULE"] = "jixiao.web.settings"
django.setup()
from jixiao.audit.chain import verify
from jixiao.audit.models import AuditEvent
print(verify().ok, sorted(AuditEvent.objects.values_list("sequence", flat=True)) == list(range(1, 61)))
"""


def test_writer_processes_on_one_sqlite_file_queue_on_the_chain(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(JIXIAO_DEBUG="1", DATABASE_URL=f"sqlite:///{tmp_path / 'chain.sqlite3'}", JIXIAO_DATA_DIR=str(tmp_path))
    subprocess.run([sys.executable, "-m", "django", "migrate", "--settings=jixiao.web.settings", "-v", "0"],
                   env=env, check=True)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, str(n)], env=env, stderr=subprocess.PIPE, text=True)
               for n in range(4)]
    assert [w.wait(timeout=120) for w in writers] == [0, 0, 0, 0], [w.stderr.read() for w in writers]
    result = subprocess.run([sys.executable, "-c", CHECK], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["True", "True"]
