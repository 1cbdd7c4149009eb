"""`jixiao demo` shows the budget year as a cycle: 1–4 月 (published, closed), 1–8 月 (the seed, unchanged),
1–10 月 (drafts, open), the extra points derived from the seed deterministically."""

from collections import Counter

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
    assert periods == [("2024-01", "2024-04", True), ("2024-01", "2024-08", True), ("2024-01", "2024-10", True)]
    for end in ("2024-04", "2024-08", "2024-10"):
        assert models.TrackingReport.objects.filter(period__end=end).count() == 9


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
