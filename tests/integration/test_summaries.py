"""The kept summaries (jixiao.tracking.summaries) agree with the forms after any sequence of writes."""

import copy
import random
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jixiao.cli import main
from jixiao.tracking import models, workflow
from jixiao.tracking.bulk import FilePart, reports_import_bulk
from jixiao.tracking.importing import ImportRefused, documents_import
from jixiao.tracking.mapping import report_to_domain
from jixiao.tracking.rechecking import reports_recheck
from jixiao.tracking.services import ReportDoesNotFit, ReportHasErrors, report_update
from jixiao.tracking.sortkeys import sort_keys_check
from jixiao.tracking.summaries import SOURCE_COLUMNS, summaries_check, summaries_rebuild
from tests.integration.conftest import PASSWORD, user

pytestmark = pytest.mark.django_db

USERS = ("demo-unit", "demo-department", "demo-finance")
ACTIONS = ("submit", "withdraw", "return", "approve", "publish", "correct")
REFUSED = (PermissionDenied, Http404, ImportRefused, ReportHasErrors, ReportDoesNotFit, workflow.TransitionRefused)


def _changed_amounts(data, rng: random.Random):
    data = copy.deepcopy(data)
    line = data.budget.total
    if line.period_budget:
        share = Decimal(rng.randint(0, 100))
        line.spent = (line.period_budget * share / 100).quantize(Decimal("0.01"))
        line.rate = (line.spent / line.period_budget * 100).quantize(Decimal("0.01"))
    return data


def _save(rng, seed_documents, seed_path):
    unit = user("demo-unit")
    rows = list(models.TrackingReport.objects.filter(is_latest=True, unit=unit.organisation, error_count=0,
                                                     status=models.Status.DRAFT))
    if rows:
        row = rng.choice(rows)
        try:
            report_update(row=row, data=_changed_amounts(report_to_domain(row), rng), user=unit)
        except ReportHasErrors:  # spending that no longer adds up: save a change of text instead
            data = report_to_domain(row)
            data.progress = f"{data.progress or ''}（补充 {rng.randint(1, 99)}）"
            report_update(row=row, data=data, user=unit)


def _import(rng, seed_documents, seed_path):
    name, document = seed_documents[0]
    document = copy.deepcopy(document)
    document.reports = [_changed_amounts(r, rng) for r in rng.sample(document.reports, 3)]
    documents_import(documents=[(name, document)], user=None)


def _bulk(rng, seed_documents, seed_path):
    reports_import_bulk(parts=[FilePart(str(seed_path))], user=None, batch_size=rng.choice((2, 4, 100)))


def _step(rng, seed_documents, seed_path):
    """A random step some role may take on a random form (refused ones are tried and write nothing)."""
    row = rng.choice(list(models.TrackingReport.objects.filter(is_latest=True)))
    tries = [(name, action) for name in USERS for action in ACTIONS]
    rng.shuffle(tries)
    for name, action in tries:
        try:
            workflow.report_transition(report_id=row.pk, user=user(name), action=action, comment="随机操作的意见")
            return
        except REFUSED:
            assert summaries_check() == []
    raise workflow.TransitionRefused("没有可走的一步")


def _recheck(rng, seed_documents, seed_path):
    models.TrackingReport.objects.filter(pk=rng.choice(list(models.TrackingReport.objects.values_list("pk",
                                         flat=True)))).update(error_count=7)  # a stale verdict to correct
    reports_recheck(batch_size=rng.choice((2, 5)))


OPERATIONS = (_save, _import, _bulk, _step, _step, _step, _step, _recheck)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_summaries_agree_with_the_forms_after_random_saves_imports_steps_and_rechecks(
    demo, seed_documents, seed_path, seed
):
    rng = random.Random(seed)
    assert summaries_check() == []
    done = set()
    for _ in range(40):
        operation = rng.choice(OPERATIONS)
        try:
            operation(rng, seed_documents, seed_path)
            done.add(operation.__name__)
        except REFUSED:
            pass  # refused steps write nothing; the summaries must still agree
        assert summaries_check() == [], operation.__name__
        assert sort_keys_check() == [], operation.__name__  # every write path set the reports' sort keys
    assert {"_save", "_step", "_recheck"} <= done
    assert models.UnitPeriodSummary.objects.exists()


def test_the_check_names_a_summary_that_differs_and_rebuild_repairs_it(demo, capsys):
    row = models.UnitPeriodSummary.objects.order_by("pk").first()
    row.count += 1
    row.save()
    problems = summaries_check()
    assert len(problems) == 1 and f"单位 {row.unit_id}" in problems[0] and f"汇总为 {row.count} 张" in problems[0]
    assert main(["summaries", "--check"]) == 1
    assert main(["summaries", "--rebuild"]) == 0
    assert main(["summaries", "--check"]) == 0
    assert "汇总与跟踪表一致" in capsys.readouterr().out


def test_a_summary_holds_the_count_and_sums_in_wanyuan_of_its_forms(demo):
    summaries_rebuild()
    forms = models.TrackingReport.objects.filter(is_latest=True)
    rows = models.UnitPeriodSummary.objects.all()
    assert sum(r.count for r in rows) == forms.count() == 9
    assert sum(r.errors for r in rows) == sum(f.error_count for f in forms)
    budget = sum((f.total_period_budget or 0) / (10000 if f.amount_unit == "元" else 1) for f in forms)
    assert sum(r.budget_wanyuan for r in rows).quantize(Decimal("0.01")) == Decimal(budget).quantize(Decimal("0.01"))


def test_a_summary_holds_its_forms_budget_lines_per_funding_source_in_wanyuan(demo):
    summaries_rebuild()
    rows = list(models.UnitPeriodSummary.objects.all())
    lines = models.BudgetLine.objects.filter(report__is_latest=True).select_related("report")
    for column, (source, field) in SOURCE_COLUMNS.items():
        want = sum((getattr(line, field) or Decimal(0)) / (10000 if line.report.amount_unit == "元" else 1)
                   for line in lines if line.source == source)
        have = sum(getattr(row, column) for row in rows)
        assert have.quantize(Decimal("0.000001")) == Decimal(want).quantize(Decimal("0.000001")), column
    assert any(row.appropriation_budget for row in rows) and any(row.total_initial for row in rows)


def test_the_check_names_a_per_source_figure_that_differs(demo):
    row = models.UnitPeriodSummary.objects.order_by("pk").first()
    row.carryover_spent += 1
    row.save()
    problems = summaries_check()
    assert len(problems) == 1 and "上年结转资金跟踪期执行数" in problems[0], problems
    assert main(["summaries", "--rebuild"]) == 0
    assert summaries_check() == []


@pytest.mark.django_db(transaction=True)
def test_the_migration_fills_the_per_source_figures_of_the_stored_forms():
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from jixiao.demo.loader import demo_load

    demo_load(password=PASSWORD, cycle=False)
    before, after = [("tracking", "0012_growth_indexes")], [("tracking", "0013_summary_sources")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)  # the per-source columns dropped
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    assert summaries_check() == []
    assert models.UnitPeriodSummary.objects.exclude(total_budget=0).exists()
