"""GET /api/proposals, POST /api/proposals/{id}/decision, GET /api/benchmarking: the pages' data, for a token."""

import json

import pytest
from django.test import Client

from jixiao.audit.models import Action, AuditEvent
from jixiao.benchmarking.models import ProposalDecision
from jixiao.tracking.models import TrackingPeriod
from tests.integration.api.conftest import as_user

pytestmark = pytest.mark.django_db
REASON = "经核实，同意按预计结余调整。"


def _period(end="2024-10") -> int:
    return TrackingPeriod.objects.get(fiscal_year__year=2024, end=end).pk


def test_the_proposals_as_the_page_lists_them(demo_cycle):
    from tests.integration.conftest import login

    response = as_user("demo-finance").get("/api/proposals", {"period": _period()})
    assert response.status_code == 200
    body = response.json()
    page = login("demo-finance").get("/benchmarking/proposals/", {"period": _period()}).content.decode()
    assert body["items"] and all(f'data-report="{i["report_id"]}"' in page for i in body["items"])
    assert {i["action"] for i in body["items"]} <= {"reduce", "recover", "reallocate"}
    assert sum(t["count"] for t in body["totals"]) == len(body["items"])
    department = as_user("demo-department").get("/api/proposals", {"period": _period()}).json()
    assert [i["report_id"] for i in department["items"]] == [i["report_id"] for i in body["items"]]
    assert as_user("demo-unit").get("/api/proposals").status_code == 403
    assert as_user("demo-finance").get("/api/proposals", {"period": 2**40}).status_code == 404
    assert as_user("demo-finance").get("/api/proposals", {"period": "x"}).status_code == 422
    assert Client().get("/api/proposals").status_code == 401


def test_finance_decides_through_the_api(demo_cycle):
    item = as_user("demo-finance").get("/api/proposals", {"period": _period()}).json()["items"][0]
    url = f"/api/proposals/{item['report_id']}/decision"

    def post(username, body):
        return as_user(username).post(url, json.dumps(body), content_type="application/json")

    assert post("demo-department", {"decision": "accept", "reason": REASON}).status_code == 403
    assert post("demo-finance", {"decision": "accept", "reason": ""}).status_code == 422
    assert post("demo-finance", {"decision": "accept", "reason": "   "}).status_code == 400
    assert not ProposalDecision.objects.exists()
    done = post("demo-finance", {"decision": "reject", "reason": REASON})
    assert done.status_code == 200 and done.json()["state"] == "rejected" and done.json()["reason"] == REASON
    assert AuditEvent.objects.filter(action=Action.PROPOSAL_REJECT, report_id=item["report_id"]).count() == 1
    again = post("demo-finance", {"decision": "accept", "reason": REASON})
    assert again.status_code == 409 and again.json()["error"]["message"]
    assert as_user("demo-finance").post("/api/proposals/99999999/decision", json.dumps(
        {"decision": "accept", "reason": REASON}), content_type="application/json").status_code == 404


def test_the_benchmarking_data(demo_cycle):
    body = as_user("demo-finance").get("/api/benchmarking", {"year": 2024}).json()
    names = {g["name"] for g in body["groups"]}
    assert "系统使用人员满意度" in names
    group = next(g for g in body["groups"] if g["name"] == "系统使用人员满意度" and g["bound"] == "lower")
    assert group["targets"]["median"] == "90" and group["projects"] == 2
    assert body["departments"][0]["missed"] >= body["departments"][0]["missed_no_deviation"] > 0
    assert as_user("demo-department").get("/api/benchmarking").status_code == 403
    assert as_user("demo-finance").get("/api/benchmarking", {"year": 1}).status_code == 422
