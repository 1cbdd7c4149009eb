"""各跟踪期对比: a project's tracking points side by side on its form page, a department's curve on the roll-up."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.tracking import models
from tests.integration.conftest import login

pytestmark = pytest.mark.django_db


def test_the_form_page_compares_the_years_tracking_points(demo_cycle):
    row = models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-08")
    content = login("demo-unit").get(reverse("tracking:report_detail", args=[row.pk])).content.decode()
    assert "各跟踪期对比" in content and 'id="project-trend"' in content
    rates = re.findall(r'class="rate-point" data-period="([\d-]+)" data-rate="([\d.]+)"', content)
    assert [period for period, _ in rates] == ["2024-04", "2024-08", "2024-10"]
    stored = {r.period.end: r.total_rate for r in models.TrackingReport.objects.filter(project__name="宣传费")}
    assert [Decimal(rate) for _, rate in rates] == [stored[p] for p, _ in rates]
    table = content[content.index('id="trend-indicators"'):]
    first = models.Indicator.objects.filter(report=row).order_by("position").first()
    assert first.name in table and f"{first.actual} / {first.planned}" in table


def test_a_form_alone_in_its_year_shows_no_comparison(as_unit):
    row = models.TrackingReport.objects.get(project__name="宣传费")
    content = as_unit.get(reverse("tracking:report_detail", args=[row.pk])).content.decode()
    assert 'id="project-trend"' not in content


def test_the_rollup_draws_the_departments_curve_across_the_year(demo_cycle):
    content = login("demo-department").get(reverse("tracking:rollup")).content.decode()
    assert "各跟踪期执行进度" in content and 'id="department-trend"' in content
    section = content[content.index('id="department-trend"'):]
    assert re.findall(r'data-period="([\d-]+)"', section) == ["2024-04", "2024-08", "2024-10"]


def test_the_form_page_and_the_rollup_draw_the_previous_year_as_a_grey_dotted_line(demo_cycle):
    row = models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-08")
    content = login("demo-unit").get(reverse("tracking:report_detail", args=[row.pk])).content.decode()
    chart = content[content.index('id="project-trend"'):]
    previous = re.search(r'<path d="([^"]+)" class="previous-line"[^>]*data-year="2023年"', chart)
    assert previous and previous.group(1).count("L") == 2  # 1–4, 1–8, 1–12 月 of 2023
    assert "往年执行率（2023年）" in content
    rollup = login("demo-department").get(reverse("tracking:rollup")).content.decode()
    assert 'class="previous-line"' in rollup and 'class="everyone-line"' not in rollup  # finance only


def test_finance_sees_all_projects_curve_on_the_rollup(demo_cycle):
    content = login("demo-finance").get(reverse("tracking:rollup")).content.decode()
    section = content[content.index('id="department-trend"'):]
    assert 'class="everyone-line"' in section and "全部项目" in section


def test_the_trends_read_as_many_queries_for_a_form_with_previous_years(demo_cycle, django_assert_max_num_queries):
    from jixiao.accounts.models import User
    from jixiao.tracking.trends import project_trend

    row = models.TrackingReport.objects.select_related("project", "period").get(
        project__name="宣传费", period__end="2024-08")
    with django_assert_max_num_queries(4):
        trend = project_trend(user=User.objects.get(username="demo-finance"), report=row)
    assert [label for label, _ in trend.chart.previous] == ["2023年"]
