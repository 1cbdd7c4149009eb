"""Hostile files on every upload path (page, template page, API): 4xx, a Chinese message, nothing stored."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.accounts.models import Organisation
from jixiao.audit.models import AuditEvent
from jixiao.tracking import models, uploads
from tests.hostile import BILLION_LAUGHS, EXTERNAL_ENTITY, row_bomb, seed_workbook, whitespace_bomb, with_doctype
from tests.integration.api.conftest import as_user

pytestmark = pytest.mark.django_db

PAGES = ["tracking:upload", "tracking:template_upload"]


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.JIXIAO_UPLOAD_DIR = tmp_path / "uploads"
    return tmp_path / "uploads"


def database():
    return (models.TrackingReport.objects.count(), models.Indicator.objects.count(), models.Finding.objects.count(),
            Organisation.objects.count(), AuditEvent.objects.exclude(action="login").count())


def staged(directory):
    return sorted(directory.glob("*")) if directory.exists() else []


def hostile_files(seed_text):
    workbook = seed_workbook(seed_text)
    return {
        "external-entity": (with_doctype(workbook, EXTERNAL_ENTITY), "DOCTYPE 或 ENTITY 声明"),
        "billion-laughs": (with_doctype(workbook, BILLION_LAUGHS), "DOCTYPE 或 ENTITY 声明"),
        "ratio": (whitespace_bomb(workbook, 20 * 1024 * 1024), "超过了 200 倍的上限"),
        "rows": (row_bomb(workbook, 10, declared="A1:B5000000"), "超过了 1,048,576 行的上限"),
    }


@pytest.mark.parametrize("kind", ["external-entity", "billion-laughs", "ratio", "rows"])
def test_every_upload_path_refuses_a_hostile_workbook_storing_nothing(as_finance, seed_text, staging, kind):
    data, expected = hostile_files(seed_text)[kind]
    before = database()
    # A sheet's rows are only read once the workbook is known as a template: there the template check speaks first.
    for page in PAGES if kind != "rows" else PAGES[:1]:
        response = as_finance.post(reverse(page), {"file": SimpleUploadedFile("攻击.xlsx", data)})
        assert response.status_code == 400, page
        content = response.content.decode()
        assert "攻击.xlsx" in content and expected in content and "未导入任何数据" in content
    response = as_user("demo-finance").post("/api/imports", {"file": SimpleUploadedFile("攻击.xlsx", data)})
    assert response.status_code == 422
    assert expected in response.json()["error"]["message"] and "攻击.xlsx" in response.json()["error"]["message"]
    assert database() == before
    assert staged(staging) == []


def test_a_row_bomb_under_lowered_limits_is_refused_while_reading(as_finance, seed_text, settings, staging):
    settings.JIXIAO_READ_LIMITS = {"sheet_rows": 2000}
    before = database()
    data = row_bomb(seed_workbook(seed_text), 3000)
    response = as_finance.post(reverse("tracking:upload"), {"file": SimpleUploadedFile("行.xlsx", data)})
    assert response.status_code == 400
    assert "有 2,001 行，超过了 2,000 行的上限" in response.content.decode()
    assert database() == before and staged(staging) == []


EMPTY = "空.txt：文件是空的（0 字节），未导入。请检查是否选错了文件"


def test_an_empty_file_is_refused_with_the_same_message_on_the_page_and_in_the_api(as_finance, staging):
    before = database()
    page = as_finance.post(reverse("tracking:upload"), {"file": SimpleUploadedFile("空.txt", b"")})
    api = as_user("demo-finance").post("/api/imports", {"file": SimpleUploadedFile("空.txt", b"")})
    assert page.status_code == 400 and EMPTY in page.content.decode()
    assert api.status_code == 422 and EMPTY in api.json()["error"]["message"]
    assert database() == before and staged(staging) == []


def test_utf16_text_as_excel_saves_it_previews_like_utf8(as_finance, seed_text):
    response = as_finance.post(reverse("tracking:upload"),
                               {"file": SimpleUploadedFile("unicode.txt", seed_text.encode("utf-16"))})
    assert response.status_code == 200
    assert "共 9 张跟踪表" in response.content.decode()


def test_a_refused_confirmation_deletes_the_staged_file(demo, as_finance, seed_text, staging):
    finance = demo and as_finance
    token = uploads.stage(user_id=finance.session["_auth_user_id"] and int(finance.session["_auth_user_id"]),
                          data=with_doctype(seed_workbook(seed_text), BILLION_LAUGHS))
    before = database()
    response = finance.post(reverse("tracking:upload_confirm"), {"token": token, "name": "攻击.xlsx"}, follow=True)
    assert "DOCTYPE" in response.content.decode() and "未导入任何数据" in response.content.decode()
    assert database() == before and staged(staging) == []


def test_a_refused_api_confirmation_deletes_the_staged_file(demo, staging, seed_text):
    from jixiao.accounts.models import User

    user = User.objects.get(username="demo-finance")
    token = uploads.stage(user_id=user.pk, data=with_doctype(seed_workbook(seed_text), EXTERNAL_ENTITY))
    before = database()
    response = as_user("demo-finance").post(f"/api/imports/{token}/confirm?name=a.xlsx")
    assert response.status_code == 422 and "DOCTYPE" in response.json()["error"]["message"]
    assert database() == before and staged(staging) == []
