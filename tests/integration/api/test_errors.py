"""Every failure answers {"error": {"code", "message", "details"}} with a Chinese message."""

from __future__ import annotations

import json

import pytest
from django.test import Client
from openapi_spec_validator import validate

from tests.integration.api.conftest import as_user

pytestmark = pytest.mark.django_db


def error_of(response, status: int, code: str) -> dict:
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["error"]["message"])
    return body["error"]


@pytest.fixture()
def finance(demo) -> Client:
    return as_user("demo-finance")


def test_an_unknown_address_under_api_is_not_found(finance):
    error_of(finance.get("/api/no-such-thing"), 404, "not_found")
    error_of(Client().get("/api/reports/1/nothing/here"), 404, "not_found")


def test_a_missing_report_is_not_found(finance):
    error_of(finance.get("/api/reports/999999"), 404, "not_found")


def test_a_wrong_method_is_method_not_allowed_with_the_allowed_ones(finance):
    response = finance.delete("/api/reports")
    error = error_of(response, 405, "method_not_allowed")
    assert error["details"] == {"allowed": ["GET"]} and response["Allow"] == "GET"


@pytest.mark.parametrize("query", [{"limit": 0}, {"limit": 1000}, {"offset": -1}, {"limit": "many"},
                                   {"light": "purple"}, {"unit": 0}, {"sort": "nonsense"}])
def test_bad_parameters_are_validation_errors_that_say_which(finance, query):
    error = error_of(finance.get("/api/reports", query), 422, "validation_error")
    assert [item["location"][-1] for item in error["details"]] == list(query)


def test_a_huge_id_is_a_validation_error_not_a_database_crash(finance):
    error_of(finance.get(f"/api/reports/{2**70}"), 422, "validation_error")


def test_the_rollup_needs_its_department_and_period(finance):
    error = error_of(finance.get("/api/rollup"), 422, "validation_error")
    assert {item["location"][-1] for item in error["details"]} == {"department", "period"}


def test_an_import_without_a_file_is_a_validation_error(finance):
    error_of(finance.post("/api/imports"), 422, "validation_error")


def test_a_malformed_staged_token_is_a_validation_error(finance):
    error_of(finance.post("/api/imports/not-a-token/confirm"), 422, "validation_error")


def test_an_unexpected_exception_is_a_500_in_the_error_shape(finance, monkeypatch):
    from jixiao.tracking import selectors

    def boom(**kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(selectors, "report_list", boom)
    response = finance.get("/api/reports")
    error = error_of(response, 500, "internal_error")
    assert "secret detail" not in json.dumps(error)


def test_the_openapi_document_is_valid_and_public(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    assert {"/api/reports", "/api/reports/{report_id}", "/api/reports/{report_id}/findings", "/api/rollup",
            "/api/organisations", "/api/periods", "/api/imports", "/api/imports/{token}/confirm"} <= set(
        document["paths"])
    schemes = document["components"]["securitySchemes"]
    assert {scheme["type"] for scheme in schemes.values()} == {"http", "apiKey"}


def test_the_browsable_docs_load(db):
    response = Client().get("/api/docs")
    assert response.status_code == 200 and b"swagger" in response.content.lower()


def test_a_body_that_is_not_json_is_a_bad_request(finance):
    error_of(finance.put("/api/reports/1", b"\x00{", content_type="application/json"), 400, "bad_request")


def test_a_service_refusing_the_users_role_is_a_403_in_the_error_shape(finance, monkeypatch):
    """The workflow's services will refuse actions outside a role with PermissionDenied."""
    from django.core.exceptions import PermissionDenied

    from jixiao.tracking import selectors

    def refuse(**kwargs):
        raise PermissionDenied("您的角色不能公开跟踪表")

    monkeypatch.setattr(selectors, "report_list", refuse)
    error_of(finance.get("/api/reports"), 403, "forbidden")


def test_the_api_root_leads_to_the_docs(db):
    response = Client().get("/api/")
    assert response.status_code == 302 and response["Location"] == "/api/docs"
