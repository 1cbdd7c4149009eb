"""Every endpoint × every role × own scope and someone else's, with the statuses the pages give:
out of scope answers 404 (never a hint that the object exists), no credentials 401."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.test import Client

from jixiao.formats.json import document_to_dict
from jixiao.tracking import mapping
from jixiao.tracking.models import TrackingReport
from tests.integration.api.conftest import World, as_user

pytestmark = pytest.mark.django_db

ADMINISTRATORS = ("demo-admin", "demo-security", "demo-auditor")  # 三员分立: system, security, audit
ROLES = ["demo-unit", "demo-department", "demo-finance", *ADMINISTRATORS, "anonymous"]
# Which of the world's reports each role may see.
SEES = {
    "demo-unit": {"own"},
    "demo-department": {"own", "sibling"},
    "demo-finance": {"own", "sibling", "other"},
    # 三员分立: the administrators manage organisations, accounts, security or the trail, and see no form at all.
    **{administrator: set() for administrator in ADMINISTRATORS},
}
REPORT_ENDPOINTS = ["/api/reports/{id}", "/api/reports/{id}/document", "/api/reports/{id}/findings"]


def client_for(role: str) -> Client:
    return Client() if role == "anonymous" else as_user(role)


def expected(role: str, which: str) -> int:
    if role == "anonymous":
        return 401
    return 200 if which in SEES[role] else 404


def assert_error(response, status: int) -> None:
    assert response.status_code == status
    if status >= 400:
        body = response.json()
        assert set(body) == {"error"}
        assert body["error"]["code"] == {401: "unauthenticated", 403: "forbidden", 404: "not_found"}[status]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "sibling", "other"])
@pytest.mark.parametrize("endpoint", REPORT_ENDPOINTS)
def test_one_report_is_readable_only_within_scope(world: World, role, which, endpoint):
    report = getattr(world, which)
    response = client_for(role).get(endpoint.format(id=report.pk))
    assert_error(response, expected(role, which))
    if response.status_code == 404:
        assert report.project.name not in response.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_the_report_list_holds_only_the_roles_scope(world: World, role):
    response = client_for(role).get("/api/reports", {"limit": 200})
    if role == "anonymous":
        return assert_error(response, 401)
    projects = {item["project"] for item in response.json()["items"]}
    for which in ("own", "sibling", "other"):
        assert (getattr(world, which).project.name in projects) is (which in SEES[role])
    assert response.json()["count"] == len(projects)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "sibling", "other"])
def test_filtering_the_list_by_an_out_of_scope_unit_finds_nothing(world: World, role, which):
    report = getattr(world, which)
    response = client_for(role).get("/api/reports", {"unit": report.unit_id, "department": report.unit.parent_id})
    if role == "anonymous":
        return assert_error(response, 401)
    assert response.json()["count"] == (0 if which not in SEES[role] else response.json()["count"])
    assert (response.json()["count"] > 0) is (which in SEES[role])


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "other"])
def test_the_rollup_of_a_department_outside_scope_is_not_found(world: World, role, which):
    report = getattr(world, which)
    response = client_for(role).get("/api/rollup", {"department": report.unit.parent_id, "period": report.period_id})
    assert_error(response, expected(role, which))
    if response.status_code == 200:
        projects = {item["project"] for item in response.json()["items"]}
        assert report.project.name in projects
        if role == "demo-unit":
            assert world.sibling.project.name not in projects


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "sibling", "other"])
def test_an_organisation_outside_scope_is_not_found(world: World, role, which):
    unit = getattr(world, which).unit
    assert_error(client_for(role).get(f"/api/organisations/{unit.pk}"), expected(role, which))
    if role != "anonymous":
        names = {o["name"] for o in client_for(role).get("/api/organisations", {"limit": 200}).json()["items"]}
        assert (unit.name in names) is (which in SEES[role])


@pytest.mark.parametrize("role", ROLES)
def test_the_periods_list_needs_credentials(world: World, role):
    response = client_for(role).get("/api/periods")
    assert_error(response, 401 if role == "anonymous" else 200)


def _changed_upload(report: TrackingReport) -> io.BytesIO:
    """The report as a jixiao.tracking/1 file with its total spent changed: importing it would update it."""
    from jixiao.domain.model import TrackingDocument

    row = TrackingReport.objects.select_related("project", "period", "unit").prefetch_related(
        "budget_lines", "indicators").get(pk=report.pk)
    data = mapping.report_to_domain(row)
    data.budget.total.spent = Decimal("987.65")
    document = TrackingDocument(period=data.period, department_goal=None, reports=[data])
    import json

    upload = io.BytesIO(json.dumps(document_to_dict(document), ensure_ascii=False).encode())
    upload.name = "changed.json"
    return upload


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "sibling", "other"])
def test_importing_changes_only_reports_within_scope_and_reveals_nothing_outside(world: World, role, which):
    report = getattr(world, which)
    before = TrackingReport.objects.get(pk=report.pk)
    client = client_for(role)
    response = client.post("/api/imports", {"file": _changed_upload(report)})
    if role == "anonymous" or role in ADMINISTRATORS:  # the administrators do not import forms
        return assert_error(response, 401 if role == "anonymous" else 403)
    assert response.status_code == 200, response.content.decode()
    preview = response.json()
    if which in SEES[role]:
        assert preview["can_import"] and preview["reports"][0]["action"] == "update"
        assert response.json()["reports"][0]["changes"][0]["old"] == str(mapping.printed(before.total_spent))
        confirmed = client.post(f"/api/imports/{preview['token']}/confirm?name=changed.json")
        assert confirmed.status_code == 200 and confirmed.json()["counts"]["update"] == 1
        assert TrackingReport.objects.get(pk=report.pk).total_spent == Decimal("987.65")
    else:
        assert not preview["can_import"] and preview["token"] is None and preview["problems"]
        assert preview["reports"][0]["action"] is None and preview["reports"][0]["changes"] == []
        assert "年度资金总额·跟踪期执行数" not in response.content.decode()  # no diff against stored values
        after = TrackingReport.objects.get(pk=report.pk)
        assert (after.total_spent, after.revision) == (before.total_spent, before.revision)


@pytest.mark.parametrize("role", ROLES)
def test_a_staged_import_can_be_confirmed_or_discarded_only_by_whoever_staged_it(world: World, role):
    finance = as_user("demo-finance")
    token = finance.post("/api/imports", {"file": _changed_upload(world.own)}).json()["token"]
    client = client_for(role)
    if role == "demo-finance":
        client = finance
    confirm = client.post(f"/api/imports/{token}/confirm")
    if role == "anonymous":
        assert_error(confirm, 401)
        assert_error(client.delete(f"/api/imports/{token}"), 401)
    elif role in ADMINISTRATORS:
        assert_error(confirm, 403)
        assert_error(client.delete(f"/api/imports/{token}"), 403)
    elif role == "demo-finance":
        assert confirm.status_code == 200
        assert_error(client.delete(f"/api/imports/{token}"), 404)  # consumed by the confirmation
    else:
        assert_error(confirm, 404)
        assert_error(client.delete(f"/api/imports/{token}"), 404)
        assert TrackingReport.objects.get(pk=world.own.pk).total_spent != Decimal("987.65")
        assert finance.delete(f"/api/imports/{token}").status_code == 204


@pytest.mark.parametrize("role", ROLES)
def test_me_needs_credentials_and_tells_the_role(world: World, role):
    response = client_for(role).get("/api/me")
    if role == "anonymous":
        return assert_error(response, 401)
    names = {"demo-admin": "system_admin", "demo-security": "security_admin", "demo-auditor": "auditor"}
    assert response.json()["role"] == names.get(role, role.removeprefix("demo-"))
