"""The review workflow through the API: the services' rules, the pages' statuses."""

from __future__ import annotations

import pytest

from jixiao.tracking.models import TrackingReport
from tests.integration.api.conftest import OTHER_PROJECT, World, as_user
from tests.integration.api.test_permissions import ROLES, SEES, assert_error, client_for

pytestmark = pytest.mark.django_db


def step(client, report: TrackingReport, action: str, comment: str = ""):
    return client.post(f"/api/reports/{report.pk}/transitions", {"action": action, "comment": comment},
                       content_type="application/json")


def status_of(report: TrackingReport) -> str:
    return TrackingReport.objects.get(pk=report.pk).status


def test_a_form_goes_from_draft_to_published_and_a_correction_is_a_new_version(world: World):
    form = world.own_clean
    assert step(as_user("demo-unit"), form, "submit").json()["status"] == "submitted"
    assert step(as_user("demo-department"), form, "approve").json()["status"] == "department_approved"
    finance = as_user("demo-finance")
    assert step(finance, form, "approve").json()["status"] == "finance_approved"
    published = step(finance, form, "publish").json()
    assert published["status"] == "published" and published["version"] == 1
    corrected = step(as_user("demo-unit"), form, "correct", "更正执行数").json()
    assert (corrected["status"], corrected["version"], corrected["is_latest"]) == ("draft", 2, True)
    assert corrected["id"] != form.pk and status_of(form) == "published"


def test_a_return_needs_a_comment_and_goes_back_to_draft(world: World):
    form = world.own_clean
    step(as_user("demo-unit"), form, "submit")
    department = as_user("demo-department")
    refused = step(department, form, "return")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"
    assert "退回意见" in refused.json()["error"]["message"]
    assert step(department, form, "return", "请补充偏差原因").json()["status"] == "draft"


def test_a_step_the_state_does_not_allow_is_a_conflict(world: World):
    response = step(as_user("demo-department"), world.own_clean, "approve")  # still a draft
    assert response.status_code == 409 and status_of(world.own_clean) == "draft"


def test_submitting_is_refused_while_errors_remain(world: World):
    response = step(as_user("demo-unit"), world.own, "submit")  # the seed's 鉴定、认定费 has errors
    assert response.status_code == 409 and status_of(world.own) == "draft"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "sibling", "other"])
def test_submitting_is_the_units_alone_and_only_within_scope(world: World, role, which):
    report = world.own_clean if which == "own" else getattr(world, which)
    response = step(client_for(role), report, "submit")
    expected = 401 if role == "anonymous" else 404 if which not in SEES[role] else 200 if role == "demo-unit" else 403
    assert_error(response, expected)
    assert status_of(report) == ("submitted" if expected == 200 else "draft")


def test_a_concurrent_edit_is_refused_with_what_the_other_person_changed(world: World):
    form, unit = world.own_clean, as_user("demo-unit")
    body = unit.get(f"/api/reports/{form.pk}").json()
    revision = body["revision"]
    first = dict(body["report"], corrective_actions="第一次修改")
    saved = unit.put(f"/api/reports/{form.pk}?revision={revision}", first, content_type="application/json")
    assert saved.status_code == 200
    second = dict(body["report"], corrective_actions="第二次修改")
    response = unit.put(f"/api/reports/{form.pk}?revision={revision}", second, content_type="application/json")
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "conflict" and error["details"]["revision"] == revision + 1
    assert any(change["after"] == "第一次修改" for change in error["details"]["their_changes"])
    assert TrackingReport.objects.get(pk=form.pk).corrective_actions == "第一次修改"


def test_many_forms_at_once_each_checked_on_its_own_without_revealing_others(world: World):
    step(as_user("demo-unit"), world.own_clean, "submit")
    response = as_user("demo-department").post(
        "/api/transitions", {"action": "approve", "reports": [world.own_clean.pk, world.own.pk, world.other.pk]},
        content_type="application/json",
    )
    body = response.json()
    assert (body["done"], body["failed"]) == (1, 2)
    assert [r["ok"] for r in body["results"]] == [True, False, False]
    assert OTHER_PROJECT not in response.content.decode()
    assert status_of(world.own_clean) == "department_approved" and status_of(world.other) == "draft"


@pytest.mark.parametrize(("role", "status"), [
    ("demo-unit", 403), ("demo-admin", 403), ("demo-security", 403), ("demo-auditor", 403), ("anonymous", 401)])
def test_a_role_that_may_never_approve_cannot_approve_many(world: World, role, status):
    before = status_of(world.own)
    response = client_for(role).post("/api/transitions", {"action": "approve", "reports": [world.own.pk]},
                                     content_type="application/json")
    assert_error(response, status)
    assert status_of(world.own) == before
