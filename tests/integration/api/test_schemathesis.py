"""Property-based tests of every operation against /api/openapi.json: no 5xx, and every response
conforms to the documented schema (status codes, content type, body), with a finance user's token."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from jixiao.web.wsgi import application
from tests.integration.api.conftest import token_of

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


# Operations whose input can be schema-valid and still rightly refused with a 422: any file is a
# valid upload but not every file is a tracking form; an edited report must keep its identity.
SEMANTIC_CHECKS = {
    ("POST", "/api/imports"),
    ("PUT", "/api/reports/{report_id}"),
    ("POST", "/api/reports/{report_id}/check"),
}


@pytest.fixture()
def finance_token(world) -> str:
    return token_of("demo-finance")


@pytest.fixture(autouse=True)
def _keep_the_test_transactions_connection():
    """Calling the WSGI app directly fires request_started/finished, which close the database
    connection and with it the test's transaction (PostgreSQL); Django's test client does the same."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
@pytest.mark.django_db
def test_the_api_conforms_to_its_schema(case, finance_token):
    excluded = []
    if (case.method, case.operation.path) in SEMANTIC_CHECKS:
        excluded.append(positive_data_acceptance)
    case.call_and_validate(headers={"Authorization": f"Bearer {finance_token}"}, excluded_checks=excluded)


def _real_cases(world) -> list:
    """Requests with real ids, so that the 200 responses of every read are checked on real data too."""
    report, department = world.own.pk, world.own.unit.parent_id
    return [
        schema["/api/reports"]["GET"].Case(query={"limit": 200}),
        schema["/api/reports/{report_id}"]["GET"].Case(path_parameters={"report_id": report}),
        schema["/api/reports/{report_id}/document"]["GET"].Case(path_parameters={"report_id": report}),
        schema["/api/reports/{report_id}/findings"]["GET"].Case(path_parameters={"report_id": report}),
        schema["/api/rollup"]["GET"].Case(query={"department": department, "period": world.own.period_id}),
        schema["/api/organisations"]["GET"].Case(query={"limit": 200}),
        schema["/api/organisations/{organisation_id}"]["GET"].Case(path_parameters={"organisation_id": department}),
        schema["/api/periods"]["GET"].Case(),
        schema["/api/me"]["GET"].Case(),
        schema["/api/library/suggest"]["GET"].Case(query={"q": "满意度", "level2": "服务对象满意度指标"}),
        schema["/api/reports/{report_id}/file"]["GET"].Case(path_parameters={"report_id": report},
                                                            query={"format": "xlsx"}),
        schema["/api/rollup/file"]["GET"].Case(query={"department": department, "period": world.own.period_id,
                                                      "format": "findings"}),
    ]


def test_every_read_on_real_data_conforms_to_its_schema(world, finance_token):
    for case in _real_cases(world):
        response = case.call_and_validate(headers={"Authorization": f"Bearer {finance_token}"})
        assert response.status_code == 200, case.operation.label


def test_an_import_preview_and_its_confirmation_conform_to_their_schemas(world, finance_token, seed_path):
    headers = {"Authorization": f"Bearer {finance_token}"}
    text = seed_path.read_text("utf-8").replace("上海市闵行区社会保障服务中心", "闵行区新单位")
    preview = schema["/api/imports"]["POST"].Case(
        body={"file": text.encode()}, media_type="multipart/form-data"
    ).call_and_validate(headers=headers)
    assert preview.status_code == 200, preview.text
    token = preview.json()["token"]
    confirm = schema["/api/imports/{token}/confirm"]["POST"].Case(path_parameters={"token": token})
    assert confirm.call_and_validate(headers=headers).json()["counts"]["new"] == 9
