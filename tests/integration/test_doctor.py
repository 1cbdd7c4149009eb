"""`jixiao doctor`: a clean database passes; each kind of corruption made with raw SQL is found and named."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from django.db import connection

from jixiao.tracking.doctor import doctor_problems
from jixiao.tracking.models import TrackingReport

JIXIAO = str(Path(sys.executable).parent / "jixiao")


def sql(statement: str, *params) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def problems() -> list:
    return list(doctor_problems(batch_size=4))  # several ranges even for the nine demo forms


def report(number: int) -> TrackingReport:
    return TrackingReport.objects.select_related("project").order_by("pk")[number]


def test_the_demo_database_has_no_problem(demo):
    assert problems() == []


def test_a_light_changed_behind_the_checker_is_named_with_its_report_and_project(demo):
    row = report(0)
    assert row.light == "red"
    sql("UPDATE tracking_trackingreport SET light = 'green', light_rank = 1 WHERE id = %s", row.pk)
    found = problems()
    # The light changed behind the services: the unit's summary row no longer agrees either.
    assert {p.kind for p in found} == {"verdicts", "unit_summaries"}
    found = [p for p in found if p.kind == "verdicts"]
    assert [(p.kind, p.report_id, p.project) for p in found] == [("verdicts", row.pk, row.project.name)]
    assert "预警灯存为绿灯，应为红灯" in found[0].message
    assert f"跟踪表 {row.pk} 号「{row.project.name}」" in str(found[0])


def test_a_deleted_finding_shows_in_the_recheck_and_in_the_counts(demo):
    row = report(2)
    sql("DELETE FROM tracking_finding WHERE id = (SELECT MIN(id) FROM tracking_finding WHERE report_id = %s)", row.pk)
    found = {p.kind: p for p in problems()}
    assert set(found) == {"verdicts", "summaries"}
    assert "存储的问题清单与重新检查不符：缺少 1 条" in found["verdicts"].message
    assert "问题明细中有" in found["summaries"].message and found["summaries"].report_id == row.pk


def test_a_count_that_disagrees_with_its_findings_is_found(demo):
    row = report(1)
    sql("UPDATE tracking_trackingreport SET error_count = error_count + 1 WHERE id = %s", row.pk)
    messages = {p.kind: p.message for p in problems()}
    assert f"错误数存为{row.error_count + 1}，应为{row.error_count}" in messages["verdicts"]
    assert f"错误数存为 {row.error_count + 1}，问题明细中有 {row.error_count} 条" in messages["summaries"]


def test_a_missing_budget_line_and_indicator_are_named(demo):
    lines, indicators = report(3), report(4)
    sql("DELETE FROM tracking_budgetline WHERE report_id = %s AND source = 'carryover'", lines.pk)
    sql("DELETE FROM tracking_indicator WHERE report_id = %s AND position = 0", indicators.pk)
    summaries = {p.report_id: p.message for p in problems() if p.kind == "summaries"}
    assert "预算执行情况缺少“上年结转资金”行" in summaries[lines.pk]
    assert "缺少第 1 项指标" in summaries[indicators.pk]


def test_a_total_that_disagrees_with_the_total_line_is_found(demo):
    row = report(5)
    sql("UPDATE tracking_trackingreport SET total_spent = total_spent + 1 WHERE id = %s", row.pk)
    summaries = [p for p in problems() if p.kind == "summaries"]
    assert [p.report_id for p in summaries] == [row.pk]
    assert "合计的跟踪期执行数存为" in summaries[0].message and "资金总额行为" in summaries[0].message


def test_rows_whose_report_is_gone_are_found(demo):
    gone = TrackingReport.objects.order_by("-pk").values_list("pk", flat=True).first() + 100
    sql("INSERT INTO tracking_finding (report_id, position, rule, severity, severity_rank, message, field, "
        "indicator_name) VALUES (%s, 0, 'x', 'error', 3, '孤立', '', '')", gone)
    sql("INSERT INTO tracking_budgetline (report_id, source) VALUES (%s, 'total')", gone)
    orphans = [p for p in problems() if p.kind == "orphans"]
    assert [(p.report_id, p.message) for p in orphans] == [
        (gone, "已不存在，却还有 1 条预算执行行指向它"), (gone, "已不存在，却还有 1 条检查问题指向它")]
    # The test's transaction checks its foreign keys before rolling back: the orphans go first.
    sql("DELETE FROM tracking_finding WHERE report_id = %s", gone)
    sql("DELETE FROM tracking_budgetline WHERE report_id = %s", gone)


def test_a_project_without_its_unit_and_a_report_without_its_project_are_found(demo):
    row, other = report(6), report(7)
    sql("UPDATE tracking_project SET unit_id = 999999 WHERE id = %s", row.project_id)
    sql("UPDATE tracking_trackingreport SET project_id = 999999 WHERE id = %s", other.pk)
    messages = [str(p) for p in problems() if p.kind == "orphans"]
    assert f"跟踪表 {other.pk} 号：所属项目（999999 号）已不存在" in messages
    assert f"项目 {row.project_id} 号（{row.project.name}）所属实施单位（999999 号）已不存在" in messages
    assert f"跟踪表 {row.pk} 号「{row.project.name}」：记录的实施单位与其项目的实施单位不同" in messages
    sql("UPDATE tracking_project SET unit_id = %s WHERE id = %s", row.project.unit_id, row.project_id)
    sql("UPDATE tracking_trackingreport SET project_id = %s WHERE id = %s", other.project_id, other.pk)


def test_a_project_and_period_without_a_latest_version_is_found(demo):
    row = report(8)
    sql("UPDATE tracking_trackingreport SET is_latest = %s WHERE id = %s", False, row.pk)
    orphans = [p.message for p in problems() if p.kind == "orphans"]
    assert orphans == [f"项目「{row.project.name}」（{row.project_id} 号）在跟踪时段 {row.period_id} 号的 1 个版本中"
                       "没有一个是最新版本"]


def test_an_altered_audit_event_is_found(demo):
    sql("UPDATE audit_auditevent SET comment = '改过' WHERE sequence = 3")
    found = problems()
    assert [p.kind for p in found] == ["audit"] and "第 3 条记录" in found[0].message and "已被改动" in found[0].message


def env_for(database: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(JIXIAO_DEBUG="1", DATABASE_URL=f"sqlite:///{database}", JIXIAO_DATA_DIR=str(data),
               JIXIAO_DEMO_PASSWORD="demo-pass-for-tests")
    return env


def test_the_command_exits_0_on_the_demo_and_1_naming_the_problem_after_raw_sql(tmp_path):
    database = tmp_path / "jixiao.sqlite3"
    env = env_for(database, tmp_path)
    assert subprocess.run([JIXIAO, "demo"], env=env, capture_output=True).returncode == 0
    clean = subprocess.run([JIXIAO, "doctor"], env=env, capture_output=True, text=True)
    assert clean.returncode == 0 and "共检查 54 张跟踪表，数据库一致，没有发现问题。" in clean.stdout  # six points
    with sqlite3.connect(database) as db:
        db.execute("DELETE FROM tracking_indicator WHERE report_id = 2 AND position = 1")
    broken = subprocess.run([JIXIAO, "doctor"], env=env, capture_output=True, text=True)
    assert broken.returncode == 1
    assert "问题：跟踪表 2 号「鉴定、认定费」：缺少第 2 项指标" in broken.stdout
    assert "共检查 54 张跟踪表，发现" in broken.stdout
    as_json = subprocess.run([JIXIAO, "doctor", "--json"], env=env, capture_output=True, text=True)
    data = json.loads(as_json.stdout)
    assert as_json.returncode == 1 and data["ok"] is False and data["reports"] == 54
    assert {"kind": "summaries", "report_id": 2, "project": "鉴定、认定费",
            "message": "缺少第 2 项指标"} in data["problems"]
