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


def test_an_edit_keeps_the_plan_derived_from_the_goal_and_a_changed_plan_needs_a_reason(world: World):
    from jixiao.tracking.models import Indicator

    report = world.own_clean
    # 群众满意度 ≥90%, planned and reached 90: a lower plan (85) makes no other error.
    first = Indicator.objects.get(report=report, target_comparator="≥")
    n = first.position
    Indicator.objects.filter(pk=first.pk).update(plan_derived=first.planned, plan_derivation="年度值 × 8/12")
    body = body_of(report)
    assert body["indicators"][n]["plan_derived"] == first.planned
    assert all("plan_derived" not in other for i, other in enumerate(body["indicators"]) if i != n)
    unit = as_user("demo-unit")
    # A typical change elsewhere: the derived plan survives the save (it is not part of the body's shape).
    body["corrective_actions"] = "按计划推进宣传工作"
    assert put(unit, report, body).status_code == 200
    kept = Indicator.objects.get(report=report, position=n)
    assert (kept.plan_derived, kept.plan_derivation) == (first.planned, "年度值 × 8/12")
    # The plan changed without a reason: refused, as on the edit page.
    body = body_of(report)
    body["indicators"][n]["planned"] = "85"
    response = put(unit, report, body)
    assert response.status_code == 422, response.content
    assert "改写理由" in response.content.decode()
    assert Indicator.objects.get(report=report, position=n).planned == first.planned
    # With the reason it is saved, and the reason kept beside the derived plan.
    body["indicators"][n]["plan_override_reason"] = "上半年场地检修"
    response = put(unit, report, body)
    assert response.status_code == 200, response.content.decode()
    saved = Indicator.objects.get(report=report, position=n)
    assert (saved.planned, saved.plan_override_reason, saved.plan_derived) == ("85", "上半年场地检修", first.planned)
