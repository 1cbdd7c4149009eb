"""The upload page: preview first, import only on confirmation, all or nothing, clear messages."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from jixiao.accounts.models import Organisation
from jixiao.tracking import models
from tests.integration.conftest import login

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        list(models.TrackingReport.objects.order_by("pk").values_list("pk", "revision", "total_spent")),
        Organisation.objects.count(),
        models.Indicator.objects.count(),
    )


def upload(client, name: str, data: bytes):
    return client.post(reverse("tracking:upload"), {"file": SimpleUploadedFile(name, data)})


def confirm(client, response):
    token = re.search(r'name="token" value="([0-9a-f]+)"', response.content.decode()).group(1)
    return client.post(reverse("tracking:upload_confirm"), {"token": token, "name": "forms.txt"}, follow=True)


@pytest.fixture()
def finance_client(db):
    from jixiao.accounts.models import OrganisationKind, Role
    from jixiao.accounts.services import user_create_or_update
    from tests.integration.conftest import PASSWORD

    finance = Organisation.objects.create(name="财政局", kind=OrganisationKind.FINANCE)
    user_create_or_update(username="fin", password=PASSWORD, role=Role.FINANCE, organisation=finance)
    return login("fin")


def test_a_preview_shows_every_form_and_its_findings_and_saves_nothing(finance_client, seed_text):
    response = upload(finance_client, "seed.txt", seed_text.encode())
    content = response.content.decode()
    assert response.status_code == 200
    assert "共 9 张跟踪表：新增 9 张" in content
    assert "政府购买辅助服务" in content and "征地养老慰问经费" in content
    assert "实施单位：上海市闵行区社会保障服务中心" in content  # organisations to be created
    assert models.TrackingReport.objects.count() == 0


def test_the_preview_shows_what_the_files_forms_say_together_and_the_import_stores_only_each_forms_own(
        finance_client, seed_text):
    # One unit spelled without its city: two organisations after the import, which the preview says.
    text = seed_text.replace("上海市闵行区社会保障服务中心", "闵行区社会保障服务中心", 1)
    response = upload(finance_client, "seed.txt", text.encode())
    content = response.content.decode()
    assert "机构名称写法不一" in content and "写作“闵行区社会保障服务中心”" in content
    confirm(finance_client, response)
    assert models.TrackingReport.objects.count() == 9
    assert not models.Finding.objects.filter(rule="form.name_spelled_differently").exists()


def test_confirming_the_preview_imports_all_nine_forms(finance_client, seed_text):
    response = confirm(finance_client, upload(finance_client, "seed.txt", seed_text.encode()))
    assert "新增 9 张" in response.content.decode()
    assert models.TrackingReport.objects.count() == 9


def test_a_file_that_is_not_a_form_is_refused_with_a_clear_message(finance_client):
    before = snapshot()
    response = upload(finance_client, "notes.txt", "会议纪要\n今天天气很好。\n".encode())
    content = response.content.decode()
    assert response.status_code == 400
    assert "无法读取" in content and "notes.txt" in content and "未导入任何数据" in content
    assert snapshot() == before


def test_a_broken_form_names_the_line_and_saves_none_of_the_file(finance_client, seed_text):
    before = snapshot()
    lines = seed_text.splitlines(keepends=True)
    broken_at = next(i for i, line in enumerate(lines) if line.startswith("项目名称") and "宣传费" in line)
    lines[broken_at + 1] = "乱码\t乱码\n"  # the 主管部门 line of the fourth form
    response = upload(finance_client, "broken.txt", "".join(lines).encode())
    content = response.content.decode()
    assert response.status_code == 400
    assert "broken.txt" in content and "行" in content
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused(finance_client, settings, seed_text):
    settings.JIXIAO_UPLOAD_MAX_BYTES = 1024
    before = snapshot()
    response = upload(finance_client, "big.txt", seed_text.encode())
    content = response.content.decode()
    assert response.status_code == 413
    assert "上限" in content and "未导入" in content
    assert snapshot() == before


def test_a_second_import_of_the_same_forms_changes_nothing_and_says_so(finance_client, seed_text):
    confirm(finance_client, upload(finance_client, "seed.txt", seed_text.encode()))
    before = snapshot()
    content = upload(finance_client, "seed.txt", seed_text.encode()).content.decode()
    assert "与库中相同 9 张" in content
    assert "无需导入" in content and 'id="confirm"' not in content
    assert snapshot() == before


def test_a_changed_form_shows_what_would_change_and_updates_only_on_confirmation(finance_client, seed_text):
    confirm(finance_client, upload(finance_client, "seed.txt", seed_text.encode()))
    before = snapshot()
    changed = seed_text.replace("6.80\t6.80\t4.70\t69.11", "6.80\t6.80\t5.70\t83.82")
    preview = upload(finance_client, "seed.txt", changed.encode())
    content = preview.content.decode()
    assert "更新 1 张" in content
    assert "年度资金总额·跟踪期执行数" in content and "4.70" in content and "5.70" in content
    assert snapshot() == before
    confirm(finance_client, preview)
    report = models.TrackingReport.objects.get(project__name="宣传费")
    assert str(report.total_spent.normalize()) == "5.7"
    assert report.revision == 2
    assert models.TrackingReport.objects.count() == 9


def test_a_unit_user_cannot_import_another_units_forms(demo, other_unit, seed_text):
    client = login("demo-unit")
    before = snapshot()
    other = seed_text.replace("上海市闵行区社会保障服务中心", "上海市闵行区另一个中心")
    content = upload(client, "other.txt", other.encode()).content.decode()
    assert "不是您所在的单位" in content and 'id="confirm"' not in content
    assert snapshot() == before


def test_a_confirmation_without_a_preview_imports_nothing(finance_client):
    response = finance_client.post(reverse("tracking:upload_confirm"), {"token": "0" * 32}, follow=True)
    assert "找不到待确认的文件" in response.content.decode()
    assert models.TrackingReport.objects.count() == 0


def test_the_upload_page_still_refuses_a_post_without_the_csrf_token(finance_client, seed_text):
    finance_client.handler.enforce_csrf_checks = True
    response = upload(finance_client, "seed.txt", seed_text.encode())
    assert response.status_code == 403
    assert models.TrackingReport.objects.count() == 0
