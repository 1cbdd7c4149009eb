"""Every filter of every page and endpoint with values a hostile user types: never a 500."""

import pytest
from django.test import Client

from tests.integration.api.conftest import as_user
from tests.integration.conftest import login

pytestmark = pytest.mark.django_db

HUGE = ["9223372036854775808", "99999999999999999999999999", "-1", "0", "²", "1e3", "abc", "1\x00"]
PAGES = {
    "/": ["period"],
    "/reports/": ["department", "unit", "period", "light", "likelihood", "status", "q", "sort", "page"],
    "/rollup/": ["department", "period"],
    "/rollup/download/xlsx/": ["department", "period"],
    "/template/": ["unit", "period"],
    "/audit/": ["action", "user", "q", "since", "until", "report", "page"],
    "/audit/export.csv": ["action", "user", "q", "since", "until", "report"],
    "/public/": ["year", "period", "department", "unit", "q", "page"],
}
DATES = ["9999-12-31", "0001-01-01", "2024-02-30", "2024-13-01", "yesterday"]
ENDPOINTS = {
    "/api/reports": ["department", "unit", "period", "light", "likelihood", "q", "sort", "limit", "offset"],
    "/api/rollup": ["department", "period", "limit", "offset"],
    "/api/organisations": ["limit", "offset"],
}


def _values(name):
    return HUGE + (DATES if name in ("since", "until") else [])


@pytest.mark.parametrize("path", list(PAGES))
def test_no_page_answers_500_to_a_huge_negative_or_malformed_filter(demo, path):
    client = Client() if path.startswith("/public/") else login("demo-finance")
    for name in PAGES[path]:
        for value in _values(name):
            response = client.get(path, {name: value})
            assert response.status_code in (200, 404), (path, name, value, response.status_code)


def test_an_ignored_filter_is_named_in_a_message_and_the_list_shows_everything(demo):
    client = login("demo-finance")
    everything = client.get("/reports/")
    response = client.get("/reports/", {"department": "9223372036854775808"})
    content = response.content.decode()
    assert "筛选条件 “主管部门”（department=9223372036854775808） 的值无效，已忽略。" in content
    assert response.context["page"].paginator.count == everything.context["page"].paginator.count == 9


def test_the_public_index_ignores_a_huge_department_for_anonymous_visitors(demo):
    response = Client().get("/public/", {"department": "9223372036854775808", "unit": "-5"})
    assert response.status_code == 200
    assert "的值无效，已忽略" in response.content.decode()


def test_an_audit_date_past_the_calendar_is_ignored_not_a_crash(demo):
    response = login("demo-finance").get("/audit/", {"until": "9999-12-31"})
    assert response.status_code == 200 and "“截止日期”（until=9999-12-31）" in response.content.decode()


@pytest.mark.parametrize("path", list(ENDPOINTS))
def test_no_endpoint_answers_500_to_a_huge_or_malformed_filter(demo, path):
    client = as_user("demo-finance")
    for name in ENDPOINTS[path]:
        for value in HUGE:
            response = client.get(path, {name: value})
            assert response.status_code in (200, 404, 422), (path, name, value, response.status_code)
            if response.status_code == 422:
                assert response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("path", ["/reports/{}/", "/public/{}/", "/api/reports/{}", "/reports/{}/versions/"])
def test_a_path_id_beyond_64_bits_is_not_found(demo, path):
    client = Client() if path.startswith("/public/") else login("demo-finance")
    if path.startswith("/api/"):
        client = as_user("demo-finance")
    response = client.get(path.format("9223372036854775808"))
    assert response.status_code in (404, 422)


def test_a_bulk_action_with_a_huge_report_id_selects_nothing(demo):
    client = login("demo-department")
    response = client.post("/reports/bulk/", {"action": "approve", "report": ["9223372036854775808", "-1"]},
                           follow=True)
    assert response.status_code == 200 and "请先勾选要操作的跟踪表" in response.content.decode()
