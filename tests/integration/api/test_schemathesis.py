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
