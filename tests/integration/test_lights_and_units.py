"""One overall light counted alike everywhere, and one unit of money (万元) for every sum (issues 10, 12)."""

import io
import re
from dataclasses import replace
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.accounts.models import Organisation
from jixiao.demo import SEED_NAME, seed_bytes
from jixiao.domain.model import Budget, BudgetLine
from jixiao.formats.registry import read_bytes
from jixiao.tracking import models
from jixiao.tracking.importing import documents_import
from tests.integration.api.conftest import as_user
from tests.integration.conftest import login

pytestmark = pytest.mark.django_db

DEPARTMENT = "上海市闵行区民政局"
LIGHTS = ("red", "yellow", "green")


def card_counts(content: str) -> dict[str, int]:
    return {light: int(re.search(rf'id="count-{light}">(\d+)<', content).group(1)) for light in LIGHTS}


def chart_counts(content: str) -> dict[str, int]:
    """Per light, how many projects the chart's bars stand for (a grouped bar carries data-red=… counts)."""
    counts = dict.fromkeys(LIGHTS, 0)
    for attributes in re.findall(r'<g class="chart-row"([^>]*)>', content):
        for light in LIGHTS:
            found = re.search(rf' data-{light}="(\d+)"', attributes)
            counts[light] += int(found.group(1)) if found else 0
    return counts


def list_count(client, light: str) -> int:
    content = client.get(reverse("tracking:report_list"), {"light": light}).content.decode()
    return int(re.search(r"共 (\d+) 张跟踪表", content).group(1))


def test_the_cards_the_chart_and_the_list_filter_count_the_same_lights(demo):
    client = login("demo-finance")
    content = client.get(reverse("tracking:dashboard")).content.decode()
    cards = card_counts(content)
    assert cards == {"red": 7, "yellow": 1, "green": 1}  # the seed: 征地养老费支出 has an error, so not green
    assert chart_counts(content) == cards
    assert {light: list_count(client, light) for light in LIGHTS} == cards
    stored = {light: models.TrackingReport.objects.filter(is_latest=True, light=light).count() for light in LIGHTS}
    assert stored == cards


def test_the_chart_groups_the_rest_and_its_colours_still_add_up_to_the_cards(db):
    from tests.integration.test_query_counts import add_projects, make_organisations

    unit, period = make_organisations()
    add_projects(unit, period, 40)
    content = login("finance-user").get(reverse("tracking:dashboard")).content.decode()
    assert "其余 25 个项目" in content
    assert chart_counts(content) == card_counts(content) == {"red": 14, "yellow": 13, "green": 13}
    # Tooltips read as a person writes rates: two places and %.
    assert re.search(r"<title>项目\d{4}：执行率 \d+\.\d\d%，序时进度 66\.67%（.灯）</title>", content)


def test_the_pension_form_shows_yellow_with_its_parts_explained(demo):
    report = models.TrackingReport.objects.get(project__name="征地养老费支出", is_latest=True)
    assert (report.budget_light, report.light, report.error_count) == ("green", "yellow", 1)
    content = login("demo-finance").get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    assert 'id="light-parts"' in content and 'id="light-legend"' in content
    assert "执行率 64.89% ÷ 序时进度 66.67% = 97.33%" in content
    assert "错误：1 个" in content
    assert 'data-light="yellow"' in content
    rows = login("demo-finance").get(reverse("tracking:report_list"), {"q": "征地养老费支出"}).content.decode()
    assert re.search(r'<span class="light yellow" title="总灯：黄灯[^"]*错误：1 个', rows)


@pytest.fixture()
def mixed_units(demo):
    """Two forms of another department: 100 万元 and 1,000,000 元, both half spent."""
    document = read_bytes(seed_bytes(), SEED_NAME)
    seed = next(r for r in document.reports if r.project == "宣传费")

    def budget(amount: str, spent: str) -> Budget:
        line = BudgetLine(initial=Decimal(amount), period_budget=Decimal(amount), spent=Decimal(spent),
                          rate=Decimal("50.00"))
        zero = BudgetLine(Decimal("0.00"), Decimal("0.00"), Decimal("0.00"), Decimal("0.00"))
        return Budget(total=line, appropriation=replace(line), carryover=zero, other=replace(zero))

    department = f"{DEPARTMENT}(汇总)"
    document.reports = [
        replace(seed, project="万元填报的项目", department=department, unit="上海市闵行区救助管理站",
                amount_unit="万元", budget=budget("100.00", "50.00")),
        replace(seed, project="元填报的项目", department=department, unit="上海市闵行区养老服务中心",
                amount_unit="元", budget=budget("1000000.00", "500000.00")),
    ]
    documents_import(documents=[("mixed.txt", document)], user=None)
    return Organisation.objects.get(name=DEPARTMENT)


def test_the_rollup_adds_yuan_and_wanyuan_as_wanyuan(mixed_units):
    period = models.TrackingReport.objects.filter(unit__parent=mixed_units).first().period
    content = login("demo-finance").get(
        reverse("tracking:rollup"), {"department": mixed_units.pk, "period": period.pk}).content.decode()
    assert 'id="rollup-budget">200.00<' in content and 'id="rollup-spent">100.00<' in content
    assert 'id="rollup-rate">50.00% / 66.67%<' in content
    total_row = re.search(r'<tbody><tr><td>年度资金总额</td>(.*?)</tr>', content).group(1)
    assert re.findall(r'<td class="num">([^<]*)</td>', total_row) == ["200.00", "200.00", "100.00", "50.00%"]
    # Each form still shows its own amounts in its own unit.
    assert "1,000,000.00" in content and "<td>元</td>" in content


def test_the_dashboard_totals_every_form_in_wanyuan(mixed_units):
    content = login("demo-finance").get(reverse("tracking:dashboard")).content.decode()
    # The nine seed forms total 109,832.79 / 71,116.04 万元; the two mixed forms add 200 / 100 万元.
    assert "110,032.79" in content and "71,216.04" in content


def test_the_department_view_sums_in_wanyuan_and_links_to_the_rollup(mixed_units):
    content = login("demo-finance").get(reverse("tracking:departments")).content.decode()
    row = re.search(rf'<tr data-department="{mixed_units.pk}">(.*?)</tr>', content, re.S).group(1)
    assert 'data-col="count">2<' in row
    assert 'data-col="budget">200.00<' in row and 'data-col="spent">100.00<' in row
    assert 'data-col="rate">50.00%<' in row and 'data-col="ratio">75.00%<' in row
    assert f"/rollup/?department={mixed_units.pk}&period=" in row


def test_the_api_rollup_totals_are_in_wanyuan(mixed_units):
    period = models.TrackingReport.objects.filter(unit__parent=mixed_units).first().period
    body = as_user("demo-finance").get("/api/rollup", {"department": mixed_units.pk, "period": period.pk}).json()
    assert (body["period_budget"], body["spent"], body["rate"]) == ("200.00", "100.00", "50.00")
    total = next(s for s in body["sources"] if s["source"] == "total")
    assert (total["initial"], total["period_budget"], total["spent"]) == ("200.00", "200.00", "100.00")


def test_the_rollup_workbook_summary_is_in_wanyuan_with_a_total_row(mixed_units):
    period = models.TrackingReport.objects.filter(unit__parent=mixed_units).first().period
    response = login("demo-finance").get(
        reverse("tracking:rollup_download", args=["xlsx"]), {"department": mixed_units.pk, "period": period.pk})
    assert response.status_code == 200
    data = b"".join(response.streaming_content) if response.streaming else response.content
    ws = load_workbook(io.BytesIO(data))["汇总"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=4) if any(c.value for c in row)]
    assert rows[0][3:6] == ["年初预算数（万元）", "跟踪期预算数（万元）", "跟踪期执行数（万元）"]
    assert sorted(r[4] for r in rows[1:3]) == [100, 100]  # 1,000,000 元 shown as 100 万元
    assert rows[3][0] == "合计" and rows[3][3:7] == [200, 200, 100, 50]


@pytest.mark.parametrize(("username", "status"), [
    ("demo-finance", 200), ("demo-department", 200), ("demo-unit", 403),
    ("demo-admin", 403), ("demo-security", 403), ("demo-auditor", 403),  # 三员分立: no forms, no figures
])
def test_the_department_view_answers_each_role(mixed_units, username, status):
    response = login(username).get(reverse("tracking:departments"))
    assert response.status_code == status
    if status == 200:
        listed = re.findall(r'<tr data-department="(\d+)">', response.content.decode())
        expected = 1 if username == "demo-department" else 2  # a department reviewer sees its own only
        assert len(listed) == expected
        if username == "demo-department":
            assert int(listed[0]) != mixed_units.pk


def test_the_department_view_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("tracking:departments"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_department_view_sorts_by_each_column(mixed_units):
    client = login("demo-finance")
    seed_department = Organisation.objects.get(name="上海市闵行区人力资源和社会保障局")

    def order(sort: str) -> list[int]:
        content = client.get(reverse("tracking:departments"), {"sort": sort}).content.decode()
        return [int(pk) for pk in re.findall(r'<tr data-department="(\d+)">', content)]

    big_first, small_first = [seed_department.pk, mixed_units.pk], [mixed_units.pk, seed_department.pk]
    assert order("-budget") == order("-red") == order("-count") == big_first  # the seed: 9 forms, 7 red
    assert order("budget") == order("count") == order("ratio") == order("rate") == small_first  # 50 % < 64.75 %
    assert order("-ratio") == order("-spent") == order("name") == big_first  # ratio 97.12 % against 75 %
    assert order("-name") == small_first
    assert order("nonsense") == order("-red")  # an unknown column falls back to the default order
