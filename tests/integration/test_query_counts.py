"""The dashboard, the list and the roll-up run the same number of queries for 10 projects as for 500."""

import io
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.accounts.models import Organisation, OrganisationKind, Role
from jixiao.tracking import models
from jixiao.tracking.sortkeys import sort_keys_fill
from jixiao.tracking.summaries import summaries_rebuild
from tests.integration.conftest import login, make_user

pytestmark = pytest.mark.django_db

PAGES = ("tracking:dashboard", "tracking:report_list", "tracking:rollup")
LIGHTS = ("red", "yellow", "green")


def make_organisations() -> tuple[Organisation, models.TrackingPeriod]:
    finance = Organisation.objects.create(name="财政局", kind=OrganisationKind.FINANCE)
    department = Organisation.objects.create(name="测试局", kind=OrganisationKind.DEPARTMENT, parent=finance)
    unit = Organisation.objects.create(name="测试中心", kind=OrganisationKind.UNIT, parent=department)
    year = models.FiscalYear.objects.create(year=2024)
    period = models.TrackingPeriod.objects.create(fiscal_year=year, start="2024-01", end="2024-08")
    make_user("finance-user", Role.FINANCE, "财政局")
    make_user("department-user", Role.DEPARTMENT, "测试局")
    make_user("unit-user", Role.UNIT, "测试中心")
    return unit, period


def add_projects(unit: Organisation, period: models.TrackingPeriod, count: int) -> None:
    """``count`` more reports with budget lines and findings, written in bulk."""
    first = models.Project.objects.count()
    projects = models.Project.objects.bulk_create(
        models.Project(name=f"项目{i:04d}", unit=unit, fiscal_year=period.fiscal_year)
        for i in range(first, first + count)
    )
    reports = models.TrackingReport.objects.bulk_create(
        models.TrackingReport(
            project=project, period=period, unit=unit, department_label="测试局(汇总)",
            light=LIGHTS[i % 3], light_rank=i % 3 + 1, total_period_budget=Decimal("10.00"),
            total_spent=Decimal(i % 10), total_rate=Decimal(i % 10 * 10), time_progress=Decimal("66.67"),
            error_count=1, warning_count=1,
        )
        for i, project in enumerate(projects)
    )
    models.BudgetLine.objects.bulk_create(
        models.BudgetLine(report=report, source=source, period_budget=Decimal("10.00"), spent=Decimal(1))
        for report in reports
        for source in ("total", "appropriation", "carryover", "other")
    )
    models.Finding.objects.bulk_create(
        models.Finding(report=report, position=p, rule="test.rule", severity=severity, severity_rank=rank,
                       message=f"问题{p}")
        for report in reports
        for p, (severity, rank) in enumerate((("warning", 2), ("error", 3)))
    )
    sort_keys_fill()  # written in bulk here, not through mapping.py and the services that keep the summaries
    summaries_rebuild()


def queries_for(page: str, username: str) -> int:
    client = login(username)
    client.get(reverse(page))  # warm up: session, content types
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse(page))
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("username", ["finance-user", "department-user", "unit-user"])
def test_the_query_count_does_not_grow_with_the_number_of_projects(db, username):
    unit, period = make_organisations()
    add_projects(unit, period, 10)
    with_10 = {page: queries_for(page, username) for page in PAGES}
    add_projects(unit, period, 490)
    with_500 = {page: queries_for(page, username) for page in PAGES}
    assert with_10 == with_500
    # 14: the header's 待办 count also counts the warnings and self-evaluations waiting (jixiao.warnings,
    # jixiao.evaluation: one query each); the tests' dummy cache recounts it on every page, production keeps
    # it per data version (tracking/caching.py ``remember``).
    assert max(with_500.values()) <= 14, with_500


def _rollup_rows(content: str) -> list[str]:
    table = content.split('id="rollup-projects"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'href="/reports/(\d+)/"', table)


def test_the_rollup_pages_its_projects_but_totals_the_whole_department(db):
    unit, period = make_organisations()
    add_projects(unit, period, 120)
    models.TrackingReport.objects.filter(project__name="项目0119").update(status=models.Status.SUBMITTED)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    client = login("department-user")
    pages = [client.get(reverse("tracking:rollup"), {"page": n}).content.decode() for n in (1, 2, 3)]
    rows = [_rollup_rows(content) for content in pages]
    assert [len(r) for r in rows] == [50, 50, 20]
    assert len({pk for r in rows for pk in r}) == 120  # every project once, on one page
    for content in pages:
        # The totals are the department's, whichever page is shown: 120 forms of 10.00 with 1.00 spent per line.
        assert 'id="rollup-count">120<' in content
        sources = content.split('id="rollup-sources"', 1)[1].split("</table>", 1)[0]
        assert re.search(r">1,?200\.00<", sources) and ">120.00<" in sources
        assert "第 " in content and " / 3 页" in content
    assert all(">草稿<" in content for content in pages)
    assert sum(content.count('data-status="submitted">已送审<') for content in pages) == 1


def test_the_rollup_runs_as_many_queries_on_a_later_page(db):
    unit, period = make_organisations()
    add_projects(unit, period, 120)
    client = login("department-user")
    client.get(reverse("tracking:rollup"))
    counts = []
    for number in (1, 3):
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("tracking:rollup"), {"page": number})
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_dashboard_chart_names_the_biggest_projects_and_groups_the_rest(db):
    unit, period = make_organisations()
    add_projects(unit, period, 500)
    content = login("finance-user").get(reverse("tracking:dashboard")).content.decode()
    assert content.count('<rect class="bar') == 16
    assert "其余 485 个项目" in content
    assert 'id="project-count">500<' in content


GUIDANCE_PAGES = {
    "finance-user": ("tracking:inbox", "tracking:completeness", "tracking:periods"),
    "department-user": ("tracking:inbox", "tracking:completeness"),
    "unit-user": ("tracking:inbox",),
}


def add_units(period: models.TrackingPeriod, count: int) -> None:
    """``count`` more units of the department, each with one project of the year and no form yet (未开始)."""
    department = Organisation.objects.get(name="测试局")
    first = Organisation.objects.filter(kind=OrganisationKind.UNIT).count()
    units = Organisation.objects.bulk_create(
        Organisation(name=f"单位{i:04d}", kind=OrganisationKind.UNIT, parent=department)
        for i in range(first, first + count)
    )
    models.Project.objects.bulk_create(
        models.Project(name="新项目", unit=unit, fiscal_year=period.fiscal_year) for unit in units
    )


@pytest.mark.parametrize("username", sorted(GUIDANCE_PAGES))
def test_the_inbox_and_completeness_pages_do_not_grow_with_projects_or_units(db, username):
    unit, period = make_organisations()
    models.TrackingPeriod.objects.filter(pk=period.pk).update(deadline="2024-09-10")
    add_projects(unit, period, 10)
    add_units(period, 5)
    with_10 = {page: queries_for(page, username) for page in GUIDANCE_PAGES[username]}
    add_projects(unit, period, 490)
    add_units(period, 120)  # more than a page of units on the completeness table
    with_500 = {page: queries_for(page, username) for page in GUIDANCE_PAGES[username]}
    assert with_10 == with_500
    assert max(with_500.values()) <= 14, with_500


def test_the_department_view_query_count_does_not_grow_with_the_number_of_projects(db):
    unit, period = make_organisations()
    counts = {}
    add_projects(unit, period, 10)
    for size in (10, 500):
        if size == 500:
            add_projects(unit, period, 490)
        for username in ("finance-user", "department-user"):
            client = login(username)
            client.get(reverse("tracking:departments"))  # warm up: session, content types
            with CaptureQueriesContext(connection) as captured:
                response = client.get(reverse("tracking:departments"))
            assert response.status_code == 200
            assert f'data-col="count">{size}<' in response.content.decode()
            counts[size, username] = len(captured.captured_queries)
    assert counts[10, "finance-user"] == counts[500, "finance-user"] <= 10, counts
    assert counts[10, "department-user"] == counts[500, "department-user"] <= 10, counts


def test_the_list_export_runs_as_many_queries_for_500_forms_as_for_10(db):
    unit, period = make_organisations()
    add_projects(unit, period, 10)
    client = login("finance-user")
    counts = []
    for more in (0, 490):
        add_projects(unit, period, more)
        client.get(reverse("tracking:report_list_export"))
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("tracking:report_list_export"))
            rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active.values)
        counts.append(len(captured.captured_queries))
        assert len(rows) == 11 + more
    assert counts[0] == counts[1], counts


def publish_all() -> None:
    models.TrackingReport.objects.update(
        status=models.Status.PUBLISHED, public_current=True, published_at="2024-09-20T08:00:00Z")


def anonymous_queries(url: str, query: dict | None = None) -> tuple[int, list[str], str]:
    client = Client()
    client.get(url, query)  # warm up
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries], response.content.decode()


def public_counts(report_pk: int, department: int, unit: int) -> dict:
    index = reverse("public:index")
    return {
        "index": anonymous_queries(index)[0],
        "department": anonymous_queries(index, {"department": department})[0],
        "unit": anonymous_queries(index, {"unit": unit, "page": "3"})[0],
        "report": anonymous_queries(reverse("public:report", args=[report_pk]))[0],
    }


def test_the_public_pages_run_the_same_queries_for_10_and_500_published_forms_and_many_units(db):
    unit, period = make_organisations()
    add_projects(unit, period, 10)
    add_units(period, 3)
    publish_all()
    first = models.TrackingReport.objects.order_by("pk").first()
    with_10 = public_counts(first.pk, unit.parent_id, unit.pk)
    add_projects(unit, period, 490)
    add_units(period, 200)
    publish_all()
    assert public_counts(first.pk, unit.parent_id, unit.pk) == with_10
    assert max(with_10.values()) <= 8, with_10


def test_the_public_list_never_counts_every_published_form(db):
    unit, period = make_organisations()
    add_projects(unit, period, 600)
    publish_all()
    _, sql, content = anonymous_queries(reverse("public:index"))
    counts = [q for q in sql if "COUNT(" in q.upper()]
    assert counts and all("LIMIT 551" in q for q in counts), counts  # 11 pages of 50, plus one
    assert "550 张以上已公开的跟踪表" in content and "第 1 页" in content and "下一页" in content
    # Every read of the forms is bounded: the page, the capped count, EXISTS probes (LIMIT 1).
    reads = [q for q in sql if "tracking_trackingreport" in q]
    assert len(reads) >= 4 and all("LIMIT" in q for q in reads), reads


def test_the_public_unit_list_holds_only_the_chosen_departments_units_with_published_forms(db):
    unit, period = make_organisations()
    add_projects(unit, period, 3)
    add_units(period, 4)  # units without any published form
    publish_all()
    other_department = Organisation.objects.create(name="另一局", kind=OrganisationKind.DEPARTMENT,
                                                   parent=unit.parent.parent)
    index = reverse("public:index")
    _, _, everything = anonymous_queries(index)
    assert 'name="unit"' in everything and f'value="{unit.pk}"' not in everything  # no department chosen
    assert "先选主管部门" in everything and "另一局" not in everything  # a department with nothing published
    _, _, chosen = anonymous_queries(index, {"department": unit.parent_id})
    assert f'<option value="{unit.pk}" >测试中心</option>' in chosen
    assert "单位0" not in chosen  # 未开始 units have nothing to show
    _, _, by_unit = anonymous_queries(index, {"unit": unit.pk})
    assert f'<option value="{unit.pk}" selected>测试中心</option>' in by_unit
    _, _, elsewhere = anonymous_queries(index, {"department": other_department.pk})
    assert "测试中心</option>" not in elsewhere and "没有符合条件的公开跟踪表" in elsewhere


def test_the_public_pager_gives_the_exact_total_once_the_last_page_is_within_reach(db, monkeypatch):
    from jixiao.public import paging, views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    monkeypatch.setattr(paging, "LOOKAHEAD_PAGES", 1)
    unit, period = make_organisations()
    add_projects(unit, period, 10)
    publish_all()
    index = reverse("public:index")

    def page(number: str) -> str:
        return anonymous_queries(index, {"page": number})[2]

    first = page("1")
    assert "4 张以上已公开的跟踪表" in first and "第 1 页" in first and "下一页" in first and "/ " not in first
    fourth = page("4")
    assert "共 10 张已公开的跟踪表" in fourth and "第 4 / 5 页" in fourth and "下一页" in fourth
    last = page("5")
    assert "共 10 张已公开的跟踪表" in last and "第 5 / 5 页" in last and "下一页" not in last
    pks = models.TrackingReport.objects.values_list("pk", flat=True)
    links = [f'href="{reverse("public:report", args=[pk])}"' for pk in pks]
    assert sum(link in last for link in links) == 2
    assert "第 5 / 5 页" in page("99")  # past the end: the last page, as before


def test_opening_a_period_runs_as_many_statements_for_500_projects_as_for_10(db):
    from jixiao.tracking.periods import period_open

    unit, period = make_organisations()
    from jixiao.accounts.models import User

    finance = User.objects.get(username="finance-user")
    counts = []
    for end_month, more in ((9, 10), (10, 490)):
        add_projects(unit, period, more)
        with CaptureQueriesContext(connection) as captured:
            opened = period_open(user=finance, year=2024, start_month=1, end_month=end_month, deadline=None)
        assert opened.created == models.Project.objects.count()
        counts.append(len(captured.captured_queries))
    # with the audit chain's append, the summaries' refresh (its GROUP BY over the budget lines, for the roll-up's
    # per-source totals, included) and the forecast's history (three)
    assert counts[0] == counts[1] <= 30, counts


def test_the_trends_take_as_many_queries_for_500_projects_as_for_10(db):
    from jixiao.accounts.models import User
    from jixiao.tracking.periods import period_open
    from jixiao.tracking.trends import department_trend, project_trend

    unit, period = make_organisations()
    finance = User.objects.get(username="finance-user")
    counts = []
    for more in (10, 490):
        add_projects(unit, period, more)
        period_open(user=finance, year=2024, start_month=1, end_month=4, deadline=None)
        report = models.TrackingReport.objects.filter(period=period).first()
        with CaptureQueriesContext(connection) as captured:
            trend = project_trend(user=finance, report=report)
            curve = department_trend(user=finance, department=unit.parent, period=period)
        assert len(trend.points) == 2 and len(curve.points) == 2
        counts.append(len(captured.captured_queries))
    # with the previous years of the project and the department, and finance's all-projects curve (one each)
    assert counts[0] == counts[1] <= 9, counts


def test_the_list_counts_no_further_than_its_cap_and_says_so(db, monkeypatch):
    from jixiao.tracking.paging import CappedPaginator

    unit, period = make_organisations()
    add_projects(unit, period, 12)
    client = login("finance-user")
    assert "共 12 张跟踪表" in client.get(reverse("tracking:report_list")).content.decode()
    monkeypatch.setattr(CappedPaginator, "cap", 10)
    monkeypatch.setattr(CappedPaginator, "cap_label", "10")
    with CaptureQueriesContext(connection) as captured:
        content = client.get(reverse("tracking:report_list"), {"sort": "rate"}).content.decode()
    assert "超过 10 张跟踪表，请用筛选缩小范围" in content
    # The forms counted (the header's 待办 count of warnings and self-evaluations counts no form).
    counts = [q["sql"] for q in captured.captured_queries
              if "COUNT(" in q["sql"].upper() and "warnings_warningnotice" not in q["sql"]
              and "evaluation_selfevaluation" not in q["sql"]]
    assert counts and all("LIMIT 11" in sql for sql in counts)
