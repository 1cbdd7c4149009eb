"""The sort keys stored on each report (``project_name``, ``budget_wanyuan``, ``worst``: issue 15) are set by
every write path, follow a project's rename, are filled for existing rows by migration 0011, and order the
lists as the definitions they replace did."""

from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from jixiao.accounts.models import User
from jixiao.tracking import mapping, models, selectors, workflow
from jixiao.tracking.periods import period_open
from jixiao.tracking.rechecking import reports_recheck
from jixiao.tracking.sortkeys import sort_keys_check, sort_keys_fill
from tests.integration.conftest import user

pytestmark = pytest.mark.django_db


def test_the_budget_in_wanyuan_is_the_forms_conversion():
    assert mapping.budget_wanyuan(Decimal("1234567.89"), "元") == Decimal("123.456789")
    assert mapping.budget_wanyuan(Decimal("12.50"), "万元") == Decimal("12.50")
    assert mapping.budget_wanyuan(None, "万元") is None
    assert mapping.budget_wanyuan(Decimal(1), "美元") is None  # an unknown unit sorts last, never fails a write
    assert [models.worst_rank(*counts) for counts in ((1, 5, 5), (0, 2, 1), (0, 0, 3), (0, 0, 0))] == [3, 2, 1, 0]


def test_every_write_path_of_the_demo_stores_the_sort_keys(demo_cycle):
    # the demo loads by import and bulk import, saves, walks the workflow and opens periods (tracking/periods.py)
    assert sort_keys_check() == []
    finance = User.objects.get(username="demo-finance")
    opened = period_open(user=finance, year=2024, start_month=1, end_month=12, deadline=None)
    assert opened.created
    published = models.TrackingReport.objects.filter(is_latest=True, status=models.Status.PUBLISHED).first()
    assert published is not None
    for name in ("demo-unit", "demo-department", "demo-finance"):
        try:
            workflow.report_transition(report_id=published.pk, user=user(name), action="correct", comment="更正")
            break
        except Exception:
            continue
    assert models.TrackingReport.objects.filter(previous=published).exists()
    models.TrackingReport.objects.update(worst=0, budget_wanyuan=None)  # stale keys: the recheck's verdict resets
    reports_recheck(batch_size=5)  # ``worst``; the budget is not the verdict's
    assert not models.TrackingReport.objects.filter(worst=0, error_count__gt=0).exists()
    assert sort_keys_fill() == models.TrackingReport.objects.exclude(total_period_budget=None).count()
    assert sort_keys_check() == []
    current = models.TrackingReport.objects.filter(is_latest=True)
    assert all(row.project_name == row.project.name for row in current.select_related("project"))
    assert current.exclude(budget_wanyuan=None).exists() and current.filter(worst__gt=0).exists()


def test_a_project_rename_is_carried_to_its_forms(demo):
    project = models.Project.objects.filter(reports__isnull=False).first()
    project.name = "改名后的项目"
    project.save()
    assert set(project.reports.values_list("project_name", flat=True)) == {"改名后的项目"}
    assert sort_keys_check() == []


def test_the_budget_order_compares_amounts_in_wanyuan(demo):
    finance = User.objects.get(username="demo-finance")
    first, second = models.TrackingReport.objects.filter(is_latest=True).order_by("pk")[:2]
    # 500,000 元 is 50 万元: after 60 万元, where the raw amount (500,000 > 60) ranked it first.
    models.TrackingReport.objects.filter(pk=first.pk).update(amount_unit="元", total_period_budget=Decimal(500000))
    models.TrackingReport.objects.filter(pk=second.pk).update(amount_unit="万元", total_period_budget=Decimal(60))
    models.TrackingReport.objects.filter(is_latest=True).exclude(pk__in=(first.pk, second.pk)).update(
        total_period_budget=Decimal(1))
    sort_keys_fill()  # the direct writes above bypassed mapping.py
    keys = list(selectors.report_list_keys(user=finance, filters=selectors.ReportFilters(sort="budget")))
    assert keys[:2] == [second.pk, first.pk]
    chart = selectors.chart_points(selectors.current_reports_in_scope(finance))
    assert [point.pk for point in chart[:2]] == [second.pk, first.pk]
    assert chart[1].period_budget == Decimal(50)


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_keys_of_existing_forms_and_is_reversible():
    before, keys = [("tracking", "0010_indicator_plan_derivation")], ("tracking", "0011_growth_sort_keys")
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    from jixiao.accounts.models import Organisation  # accounts stays migrated: its current model

    unit = apps.get_model("accounts", "Organisation").objects.get(
        pk=Organisation.objects.create(name="测试中心", kind="unit").pk)
    year = apps.get_model("tracking", "FiscalYear").objects.create(year=2024)
    period = apps.get_model("tracking", "TrackingPeriod").objects.create(fiscal_year=year, start="2024-01",
                                                                        end="2024-08")
    Project = apps.get_model("tracking", "Project")
    Report = apps.get_model("tracking", "TrackingReport")
    made = []
    forms = (("元", Decimal("1234567.89"), (1, 0, 0)), ("万元", Decimal("88.50"), (0, 2, 0)), ("万元", None, (0, 0, 0)))
    for i, (unit_of_money, budget, counts) in enumerate(forms):
        project = Project.objects.create(name=f"项目{i}", unit=unit, fiscal_year=year)
        made.append(Report.objects.create(
            project=project, period=period, unit=unit, department_label="测试局", amount_unit=unit_of_money,
            total_period_budget=budget, error_count=counts[0], warning_count=counts[1], info_count=counts[2]).pk)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([keys])
    stored = executor.loader.project_state([keys]).apps.get_model("tracking", "TrackingReport")
    rows = {row["pk"]: row for row in stored.objects.values("pk", "project_name", "budget_wanyuan", "worst")}
    assert [(rows[pk]["project_name"], rows[pk]["budget_wanyuan"], rows[pk]["worst"]) for pk in made] == [
        ("项目0", Decimal("123.456789"), 3), ("项目1", Decimal("88.5"), 2), ("项目2", None, 0)]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(before)  # reversible: the columns are dropped again
    assert "project_name" not in {c.name for c in connection.introspection.get_table_description(
        connection.cursor(), "tracking_trackingreport")}
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert sort_keys_check() == []
