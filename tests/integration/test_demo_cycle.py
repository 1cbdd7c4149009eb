"""`jixiao demo` shows the budget year as a cycle: 1–4 月 (published, closed), 1–8 月 (the seed, unchanged),
1–10 月 (drafts, open), the extra points derived from the seed deterministically; and the previous year
(1–4, 1–8, 1–12 月, closed) so that the forecast has history."""

from collections import Counter
from decimal import Decimal

import pytest

from jixiao.demo import SEED_NAME, seed_bytes
from jixiao.demo.cycle import derive
from jixiao.domain.model import Period
from jixiao.formats.registry import read_bytes
from jixiao.tracking import mapping, models

pytestmark = pytest.mark.django_db


def _states(end: str) -> Counter:
    return Counter(models.TrackingReport.objects.filter(period__end=end).values_list("status", flat=True))


def test_the_demo_has_three_tracking_points_of_nine_forms_each(demo_cycle):
    periods = list(models.TrackingPeriod.objects.order_by("end").values_list("start", "end", "is_open"))
    assert periods == [("2023-01", "2023-04", False), ("2023-01", "2023-08", False), ("2023-01", "2023-12", False),
                       ("2024-01", "2024-04", True), ("2024-01", "2024-08", True), ("2024-01", "2024-10", True)]
    for end in ("2023-04", "2023-08", "2023-12", "2024-04", "2024-08", "2024-10"):
        assert models.TrackingReport.objects.filter(period__end=end).count() == 9


def test_the_previous_year_is_the_same_projects_spending_most_in_the_fourth_quarter(demo_cycle):
    rows = {row.period.end: row for row in models.TrackingReport.objects.filter(project__name="宣传费")
            .select_related("period", "project")}
    assert rows["2023-12"].project.fiscal_year.year == 2023 and rows["2023-12"].project.unit_id == rows[
        "2024-08"].project.unit_id
    year_end = rows["2023-12"]
    assert year_end.total_spent == (year_end.total_period_budget * Decimal("0.96")).quantize(Decimal("0.01"))
    assert rows["2023-04"].total_spent < rows["2023-08"].total_spent < year_end.total_spent
    assert "2024" not in (rows["2023-08"].goal or "")  # the texts speak of their own year
    assert models.TrackingReport.objects.filter(period__end="2023-12", status="published").count() >= 3


def test_the_stored_findings_are_what_a_recheck_computes_with_the_history(demo_cycle):
    from jixiao.tracking.doctor import check_verdicts

    ids = list(models.TrackingReport.objects.order_by("pk").values_list("pk", flat=True))
    assert list(check_verdicts(ids[0], ids[-1] + 1)) == []


def test_the_seed_period_keeps_its_forms_and_states_unchanged(demo_cycle):
    document = read_bytes(seed_bytes(), SEED_NAME)
    stored = {
        row.project.name: mapping.report_to_domain(row)
        for row in models.TrackingReport.objects.filter(period__end="2024-08")
        .select_related("project", "period", "unit").prefetch_related("budget_lines", "indicators")
    }
    for report in document.reports:
        assert stored[report.project] == report, report.project
    assert _states("2024-08") == {"draft": 6, "submitted": 1, "department_approved": 1, "published": 1}
    assert models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-08").error_count == 0


def test_the_first_point_is_published_where_the_checker_allows_and_the_last_is_drafts_with_forecasts(demo_cycle):
    early = _states("2024-04")
    assert early["published"] >= 3 and set(early) <= {"published", "draft"}
    assert _states("2024-10") == {"draft": 9}
    late = models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-10")
    total = late.budget_lines.get(source="total")
    seed = models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-08")
    early_row = models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-04")
    # Spending grows through the year; the forecast and adjusted budget are filled at 1–10 月.
    assert early_row.total_spent < seed.total_spent < late.total_spent
    assert total.forecast_spent is not None and total.adjusted == total.initial
    assert late.remarks and early_row.remarks == ""


def test_the_derived_forms_are_the_same_on_every_run():
    document = read_bytes(seed_bytes(), SEED_NAME)
    period = Period("2024-01", "2024-04")
    first = [derive(r, period, n % 3, forecasts=False) for n, r in enumerate(document.reports)]
    again = [derive(r, period, n % 3, forecasts=False) for n, r in enumerate(document.reports)]
    assert first == again
    assert all(r.budget.total.spent <= r.budget.total.period_budget for r in first if r.budget.total.spent is not None)
