"""Pages that stay bounded (issue 15): every list order is total (pages neither repeat nor skip a form whose
sort keys tie), hand-written page numbers never fail, the roll-up is paged by the kept summaries' count,
and the dashboard's top findings are those of the plain definition."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jixiao.accounts.models import Organisation, User
from jixiao.tracking import models, selectors
from jixiao.tracking.sortkeys import sort_keys_fill
from jixiao.tracking.summaries import summaries_rebuild
from tests.integration.conftest import login
from tests.integration.test_query_counts import add_projects, add_units, make_organisations, publish_all

pytestmark = pytest.mark.django_db

BAD_PAGES = ("abc", "0", "-3", "1.5", "", "２", "9" * 30, "99999", "%00", "1;DROP")


def _tied(count: int) -> tuple:
    """``count`` forms in each of two units, the second unit's projects named as the first's, every form
    with the same light, rate, findings and budget: only the id tells a pair apart."""
    unit, period = make_organisations()
    add_projects(unit, period, count)
    add_units(period, 1)
    other = Organisation.objects.get(name__startswith="单位")
    models.Project.objects.filter(unit=other).delete()
    add_projects(other, period, count)
    for project in models.Project.objects.filter(unit=other):
        project.name = f"项目{int(project.name[2:]) - count:04d}"
        project.save(update_fields=["name"])
    models.TrackingReport.objects.update(light="red", light_rank=3, error_count=1, warning_count=1,
                                         total_rate=50, total_period_budget=10)
    sort_keys_fill()  # direct writes: mapping.py would have set the sort keys
    summaries_rebuild()
    return unit, period


def _report_links(content: str) -> list[str]:
    return re.findall(r'href="/reports/(\d+)/"', content)


@pytest.mark.parametrize("sort", list(selectors.SORTS))
def test_every_list_order_ends_with_the_id(db, sort):
    make_organisations()
    user = User.objects.get(username="finance-user")
    order = selectors.report_list(user=user, filters=selectors.ReportFilters(sort=sort)).query.order_by
    assert order[-1] in ("pk", "-pk"), order


def test_list_pages_hold_every_tied_form_exactly_once_in_every_sort(db):
    _tied(60)
    client = login("finance-user")
    expected = {str(pk) for pk in models.TrackingReport.objects.values_list("pk", flat=True)}
    for sort in selectors.SORTS:
        seen = []
        for number in (1, 2, 3):
            content = client.get(reverse("tracking:report_list"), {"sort": sort, "page": number}).content.decode()
            table = content.split("<tbody", 1)[1].split("</tbody>", 1)[0]
            seen += _report_links(table)
        assert len(seen) == 120 and set(seen) == expected, sort
        # the same request again gives the same order
        again = client.get(reverse("tracking:report_list"), {"sort": sort, "page": 2}).content.decode()
        assert _report_links(again.split("<tbody", 1)[1].split("</tbody>", 1)[0]) == seen[50:100], sort


def test_the_public_list_order_ends_with_the_id(db):
    from jixiao.public.selectors import PublicFilters, public_list

    assert public_list(filters=PublicFilters()).query.order_by[-1] == "pk"


@pytest.mark.parametrize("page", BAD_PAGES)
def test_hand_written_page_numbers_show_a_page_and_never_fail(db, page):
    unit, period = make_organisations()
    add_projects(unit, period, 60)
    publish_all()
    client = login("finance-user")
    for name in ("tracking:report_list", "tracking:rollup"):
        response = client.get(reverse(name), {"page": page})
        assert response.status_code == 200, (name, page)
        assert "第 " in response.content.decode() and " / 2 页" in response.content.decode(), (name, page)
    public = Client().get(reverse("public:index"), {"page": page})
    assert public.status_code == 200 and "第 " in public.content.decode(), page


def test_a_far_public_page_counts_no_further_than_the_lists_cap(db, monkeypatch):
    from jixiao.public import paging, views
    from jixiao.tracking import paging as tracking_paging

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "LOOKAHEAD_PAGES", 1)
    monkeypatch.setattr(paging, "COUNT_CAP", 6)  # 3 pages of 2, then one more page looked ahead
    assert tracking_paging.COUNT_CAP == 10_000
    unit, period = make_organisations()
    add_projects(unit, period, 30)
    publish_all()
    with CaptureQueriesContext(connection) as captured:
        response = Client().get(reverse("public:index"), {"page": "999999"})
    assert response.status_code == 200
    counts = [q["sql"] for q in captured.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT 9" in q for q in counts), counts  # (3 + 1) × 2 + 1, not 999,999 pages
    assert "8 张以上已公开的跟踪表" in response.content.decode()


def test_the_rollup_pages_by_the_summaries_without_counting_its_rows(db):
    unit, period = make_organisations()
    add_projects(unit, period, 120)
    client = login("department-user")
    client.get(reverse("tracking:rollup"))
    with CaptureQueriesContext(connection) as captured:
        content = client.get(reverse("tracking:rollup"), {"page": 3}).content.decode()
    assert " / 3 页" in content
    assert not [q for q in captured.captured_queries
                if "COUNT(" in q["sql"].upper() and "tracking_trackingreport" in q["sql"]]


def test_the_dashboards_top_findings_are_the_most_serious_of_all(db):
    unit, period = make_organisations()
    add_projects(unit, period, 40)
    # vary the lights and severities: the plain definition sorts every finding of every current form
    for i, report in enumerate(models.TrackingReport.objects.order_by("pk")):
        report.light_rank = (i * 7) % 4
        report.error_count = i % 3 == 0
        report.warning_count = 1
        report.save(update_fields=["light_rank", "error_count", "warning_count"])
        if i % 3:
            report.findings.filter(severity="error").update(severity="warning", severity_rank=2)
    sort_keys_fill()  # direct writes: mapping.py would have set ``worst``
    user = User.objects.get(username="finance-user")
    reports = selectors.current_reports_in_scope(user).filter(period=period)
    every = sorted(models.Finding.objects.filter(report__in=reports).select_related("report__project"),
                   key=lambda f: (-f.severity_rank, -f.report.light_rank, f.report.project.name, f.report_id,
                                  f.position))
    top = selectors.top_findings(reports, 12)
    assert [f.pk for f in top] == [f.pk for f in every[:12]]
    assert all(f.report.project_name == f.report.project.name for f in top)
