"""Opening a tracking point (新建跟踪时段): every project's form continues from its previous one, as a draft."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied

from jixiao.accounts.models import User
from jixiao.audit.models import AuditEvent
from jixiao.tracking.models import BudgetLine, Indicator, TrackingPeriod, TrackingReport
from jixiao.tracking.periods import PeriodInvalid, period_open

pytestmark = pytest.mark.django_db


def _finance():
    return User.objects.get(username="demo-finance")


def test_it_creates_one_draft_per_project_continuing_from_the_previous_form(demo):
    before = TrackingReport.objects.count()
    projects = TrackingReport.objects.values("project_id").distinct().count()
    opened = period_open(user=_finance(), year=2024, start_month=1, end_month=12,
                         deadline=datetime.date(2025, 1, 10))
    assert opened.period_created and opened.created == projects
    assert TrackingReport.objects.count() == before + projects
    new = TrackingReport.objects.filter(period=opened.period)
    assert set(new.values_list("status", flat=True)) == {"draft"}
    old = TrackingReport.objects.get(project__name="宣传费", period__end="2024-08", is_latest=True)
    fresh = new.get(project__name="宣传费")
    assert fresh.goal == old.goal and fresh.progress == "" and fresh.budget_likelihood == ""
    old_total = BudgetLine.objects.get(report=old, source="total")
    fresh_total = BudgetLine.objects.get(report=fresh, source="total")
    assert (fresh_total.initial, fresh_total.period_budget) == (old_total.initial, old_total.period_budget)
    assert fresh_total.spent is None and fresh_total.rate is None
    old_ind = list(Indicator.objects.filter(report=old).values_list("name", "target_text", "planned"))
    assert list(Indicator.objects.filter(report=fresh).values_list("name", "target_text", "planned")) == old_ind
    assert set(Indicator.objects.filter(report=fresh).values_list("actual", flat=True)) == {None}
    # The checker has judged the blank form: the unit sees what is left to fill in.
    assert fresh.error_count > 0 and fresh.findings.filter(rule="form.missing_field").exists()
    assert opened.period.deadline == datetime.date(2025, 1, 10)
    event = AuditEvent.objects.filter(subject=f"跟踪时段：{opened.period}").get()
    assert event.actor.username == "demo-finance"


def test_opening_twice_creates_no_duplicates(demo):
    first = period_open(user=_finance(), year=2024, start_month=1, end_month=12, deadline=None)
    count = TrackingReport.objects.count()
    events = AuditEvent.objects.count()
    second = period_open(user=_finance(), year=2024, start_month=1, end_month=12, deadline=None)
    assert second.period == first.period and second.created == 0 and not second.period_created
    assert TrackingReport.objects.count() == count and AuditEvent.objects.count() == events


def test_an_earlier_point_continues_from_the_nearest_later_form(demo):
    opened = period_open(user=_finance(), year=2024, start_month=1, end_month=4, deadline=None)
    assert opened.created == TrackingReport.objects.filter(period__end="2024-08", is_latest=True).count()
    # A later period then continues from 1–8 月 (the nearest before it), not 1–4 月.
    later = period_open(user=_finance(), year=2024, start_month=1, end_month=10, deadline=None)
    assert later.created == opened.created


def test_it_refuses_a_period_running_backwards_or_outside_the_year(demo):
    with pytest.raises(PeriodInvalid, match="晚于"):
        period_open(user=_finance(), year=2024, start_month=8, end_month=4, deadline=None)
    with pytest.raises(PeriodInvalid, match="1 至 12"):
        period_open(user=_finance(), year=2024, start_month=1, end_month=13, deadline=None)
    assert TrackingPeriod.objects.count() == 1


def test_only_finance_opens_a_period(demo):
    with pytest.raises(PermissionDenied):
        period_open(user=User.objects.get(username="demo-unit"), year=2024, start_month=1, end_month=10,
                    deadline=None)


def test_finance_opens_a_period_on_the_periods_page(as_finance):
    response = as_finance.get("/periods/")
    assert "新建跟踪时段" in response.content.decode()
    response = as_finance.post("/periods/", {"open": "1", "year": "2024", "start_month": "1", "end_month": "10",
                                             "deadline": "2024-11-10"}, follow=True)
    assert response.status_code == 200
    period = TrackingPeriod.objects.get(end="2024-10")
    assert period.deadline == datetime.date(2024, 11, 10) and period.is_open
    assert "新建 9 张跟踪表" in response.content.decode()
    again = as_finance.post("/periods/", {"open": "1", "year": "2024", "start_month": "1", "end_month": "10",
                                          "deadline": ""}, follow=True)
    assert "未新建" in again.content.decode()
    assert TrackingReport.objects.filter(period=period).count() == 9


def test_the_page_names_a_period_that_runs_backwards(as_finance):
    response = as_finance.post("/periods/", {"open": "1", "year": "2024", "start_month": "9", "end_month": "3"})
    assert response.status_code == 400
    assert "晚于截止月" in response.content.decode()
    assert TrackingPeriod.objects.count() == 1


@pytest.mark.parametrize("who, status", [("demo-unit", 403), ("demo-department", 403), ("demo-admin", 403)])
def test_other_roles_cannot_open_a_period(demo, who, status):
    from tests.integration.conftest import login

    response = login(who).post("/periods/", {"open": "1", "year": "2024", "start_month": "1", "end_month": "10"})
    assert response.status_code == status
    assert not TrackingPeriod.objects.filter(end="2024-10").exists()
