"""Editing a report through the API: the edit page's service, checks and scope."""

from __future__ import annotations

from decimal import Decimal

import pytest

from jixiao.tracking.models import TrackingReport
from tests.integration.api.conftest import World, as_user
from tests.integration.api.test_permissions import ROLES, SEES, assert_error, client_for

pytestmark = pytest.mark.django_db


def body_of(report: TrackingReport) -> dict:
    return as_user("demo-finance").get(f"/api/reports/{report.pk}").json()["report"]


def put(client, report: TrackingReport, body: dict):
    return client.put(f"/api/reports/{report.pk}", body, content_type="application/json")


def test_a_unit_saves_a_corrected_report_and_its_findings_are_recomputed(world: World):
    body = body_of(world.own_clean)
    body["corrective_actions"] = "按计划推进宣传工作"
    response = put(as_user("demo-unit"), world.own_clean, body)
    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 2
    assert response.json()["report"]["corrective_actions"] == "按计划推进宣传工作"
    row = TrackingReport.objects.get(pk=world.own_clean.pk)
    assert row.corrective_actions == "按计划推进宣传工作" and row.updated_by.username == "demo-unit"
    assert row.error_count == 0


def test_a_report_with_errors_is_not_saved_and_the_errors_are_listed(world: World):
    body = body_of(world.own)
    body["budget"]["total"]["rate"] = "12.34"  # no longer spent / budget
    response = put(as_user("demo-unit"), world.own, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "report_has_errors"
    assert any(f["severity"] == "error" and f["field"] == "budget.total.rate" for f in error["details"])
    assert TrackingReport.objects.get(pk=world.own.pk).total_rate == Decimal("89.98")
    assert TrackingReport.objects.get(pk=world.own.pk).revision == 1


def test_checking_an_edit_returns_its_findings_without_saving(world: World):
    body = body_of(world.own)
    body["budget"]["total"]["rate"] = "12.34"
    response = as_user("demo-unit").post(f"/api/reports/{world.own.pk}/check", body, content_type="application/json")
    assert response.status_code == 200
    rules = {f["rule"] for f in response.json()["reports"][0]["findings"]}
    assert any("rate" in rule for rule in rules)
    assert TrackingReport.objects.get(pk=world.own.pk).revision == 1


@pytest.mark.parametrize("field", ["project", "unit", "department"])
def test_an_edit_cannot_turn_a_report_into_another_one(world: World, field):
    body = body_of(world.own)
    body[field] = "别的名称"
    response = put(as_user("demo-unit"), world.own, body)
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"
    assert TrackingReport.objects.get(pk=world.own.pk).revision == 1


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "sibling", "other"])
@pytest.mark.parametrize("action", ["save", "check"])
def test_a_report_outside_scope_cannot_be_changed_or_checked(world: World, role, which, action):
    report = world.own_clean if which == "own" else getattr(world, which)
    body = body_of(report)
    body["corrective_actions"] = "加快支付进度"
    client = client_for(role)
    if action == "save":
        response = put(client, report, body)
    else:
        response = client.post(f"/api/reports/{report.pk}/check", body, content_type="application/json")
    # Only the unit fills forms (DESIGN §6): reviewers see the form but may not change it.
    status = 401 if role == "anonymous" else 404 if which not in SEES[role] else 200 if role == "demo-unit" else 403
    assert_error(response, status)
    changed = TrackingReport.objects.get(pk=report.pk).corrective_actions == "加快支付进度"
    assert changed is (status == 200 and action == "save")


def test_an_edit_the_reader_cannot_accept_is_a_format_error_and_saves_nothing(world: World):
    body = body_of(world.own_clean)
    body["period"] = {"start": "2024-09", "end": "2024-08"}
    response = put(as_user("demo-unit"), world.own_clean, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "format_error" and "未保存" in error["message"]
    assert TrackingReport.objects.get(pk=world.own_clean.pk).revision == 1


def test_an_edit_that_does_not_fit_the_database_is_refused(world: World):
    body = body_of(world.own_clean)
    body["indicators"][0]["actual"] = "9" * 201
    response = put(as_user("demo-unit"), world.own_clean, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation_error" and any("跟踪期实际完成值" in p for p in error["details"])
    assert TrackingReport.objects.get(pk=world.own_clean.pk).revision == 1


def test_an_edit_in_a_closed_period_is_refused_with_409_and_saves_nothing(world: World):
    from jixiao.tracking.models import TrackingPeriod

    TrackingPeriod.objects.update(is_open=False)
    body = body_of(world.own_clean)
    body["corrective_actions"] = "按计划推进宣传工作"
    response = put(as_user("demo-unit"), world.own_clean, body)
    assert response.status_code == 409
    assert "已关闭，不再接受修改或导入" in response.json()["error"]["message"]
    assert TrackingReport.objects.get(pk=world.own_clean.pk).revision == 1
