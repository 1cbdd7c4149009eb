"""The 跟踪表 list exported to Excel: the rows the list shows, every page, in its order, in scope."""

import io
import re
from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.tracking.models import TrackingReport
from tests.integration.conftest import OTHER_PROJECT, login
from tests.integration.test_query_counts import add_projects, make_organisations

pytestmark = pytest.mark.django_db

EXPORT = reverse("tracking:report_list_export")


def _sheet(response) -> list[list]:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    wb = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in wb["跟踪表"].iter_rows(values_only=True)]


def _listed(client, params: dict) -> list[str]:
    """The project names the list shows for ``params``, across all its pages."""
    names, number = [], 1
    while True:
        content = client.get(reverse("tracking:report_list"), {**params, "page": number}).content.decode()
        table = content.split('id="reports"', 1)[1].split("</table>", 1)[0]
        names += re.findall(r'<a href="/reports/\d+/">([^<]+)</a>', table)
        if "下一页" not in content:
            return names
        number += 1


def test_the_export_holds_every_page_of_the_list_in_its_order(db):
    unit, period = make_organisations()
    add_projects(unit, period, 130)
    client = login("department-user")
    for params in ({}, {"light": "red", "sort": "project"}, {"q": "项目01", "sort": "-rate"}):
        rows = _sheet(client.get(EXPORT, params))
        assert rows[0][:3] == ["序号", "项目名称", "状态"]
        listed = _listed(client, params)
        assert [row[1] for row in rows[1:]] == listed, params
        assert [row[0] for row in rows[1:]] == list(range(1, len(listed) + 1))
    assert len(_sheet(client.get(EXPORT))) == 131  # more than the list's 50 a page


def test_the_export_prints_figures_as_numbers_and_labels_in_chinese(as_unit):
    rows = _sheet(as_unit.get(EXPORT, {"q": "宣传费"}))
    header, row = rows[0], rows[1]
    stored = TrackingReport.objects.get(project__name="宣传费")
    values = dict(zip(header, row, strict=True))
    assert values["状态"] == "草稿" and values["预警"] in ("红灯", "黄灯", "绿灯")
    assert values["跟踪期预算数"] == float(stored.total_period_budget)
    assert values["执行率(%)"] == float(stored.total_rate)
    assert values["实施单位"] == stored.unit.name and values["跟踪时段"] == "2024-01 至 2024-08"


def test_the_export_has_a_chinese_file_name(as_unit):
    disposition = as_unit.get(EXPORT)["Content-Disposition"]
    assert re.match(r'attachment; filename="[\x20-\x7e]+\.xlsx"; ', disposition)  # an ASCII name for old clients
    assert f"filename*=UTF-8''{quote('跟踪表_')}" in disposition and disposition.endswith(".xlsx")


@pytest.mark.parametrize(("username", "sees_other"), [
    ("demo-finance", True), ("demo-department", False), ("demo-unit", False),
])
def test_the_export_holds_only_what_the_account_may_see(other_unit, username, sees_other):
    names = [row[1] for row in _sheet(login(username).get(EXPORT))[1:]]
    assert (OTHER_PROJECT in names) is sees_other
    assert "宣传费" in names


@pytest.mark.parametrize("username", ["demo-admin", "demo-security", "demo-auditor"])
def test_the_administrators_get_no_export_of_forms(other_unit, username):
    response = login(username).get(EXPORT)
    assert response.status_code == 403
    assert "宣传费" not in response.content.decode() and OTHER_PROJECT not in response.content.decode()


def test_anonymous_visitors_are_asked_to_log_in_before_exporting(demo):
    response = Client().get(EXPORT)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_lists_export_button_carries_its_filters_search_and_sort(as_unit):
    content = as_unit.get(reverse("tracking:report_list"), {"light": "red", "q": "费", "sort": "-rate", "page": 1}) \
        .content.decode()
    link = re.search(r'id="export-xlsx" href="([^"]+)"', content).group(1).replace("&amp;", "&")
    assert link.startswith(EXPORT + "?")
    assert "light=red" in link and "sort=-rate" in link and "q=%E8%B4%B9" in link and "page=" not in link
    rows = _sheet(as_unit.get(link))
    assert [row[1] for row in rows[1:]] == _listed(as_unit, {"light": "red", "q": "费", "sort": "-rate"})
    assert len(rows) > 1 and all(row[11] == "红灯" for row in rows[1:])
