"""GET /api/library/suggest: the suggestions of the page /library/suggest/, for a token."""

import pytest

from tests.integration.api.conftest import as_user

pytestmark = pytest.mark.django_db


def test_the_api_suggests_as_the_page_does(demo):
    from django.test import Client

    from tests.integration.conftest import login

    params = {"q": "满意度", "level2": "服务对象满意度指标"}
    api = as_user("demo-unit").get("/api/library/suggest", params)
    assert api.status_code == 200
    assert api.json() == login("demo-unit").get("/library/suggest/", params).json()
    assert api.json()["results"][0]["name"] == "系统使用人员满意度"
    assert Client().get("/api/library/suggest").status_code == 401


def test_the_administrators_token_gets_no_suggestions(demo):
    response = as_user("demo-auditor").get("/api/library/suggest")
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
