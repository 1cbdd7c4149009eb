"""Importing organisations and accounts from the xlsx template: preview, then all or nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from jixiao.accounts.models import Organisation, User
from jixiao.audit.models import AuditEvent
from tests.integration.conftest import login

pytestmark = pytest.mark.django_db

DEPARTMENT = "上海市闵行区人力资源和社会保障局"


def workbook(organisations, accounts) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.title = "机构"
    sheet.append(("类别", "名称", "上级主管部门"))
    for row in organisations:
        sheet.append(row)
    users = book.create_sheet("账号")
    users.append(("用户名", "姓名", "角色", "所属机构"))
    for row in accounts:
        users.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("机构与账号.xlsx", out.getvalue())


GOOD_ORGANISATIONS = [("主管部门", "上海市闵行区教育局", ""), ("实施单位", "闵行中学", "上海市闵行区教育局"),
                      ("实施单位", "就业促进中心", DEPARTMENT)]
GOOD_ACCOUNTS = [("li.si", "李四", "实施单位填报", "闵行中学"),
                 ("wang.wu", "王五", "主管部门审核", "上海市闵行区教育局")]


def test_the_template_downloads_with_both_sheets(demo):
    response = login("demo-admin").get(reverse("manage:import_template"))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["机构", "账号"]
    assert [c.value for c in book["账号"][1]] == ["用户名", "姓名", "角色", "所属机构"]
    assert "filename*=UTF-8''" in response["Content-Disposition"]


def test_a_good_file_is_previewed_then_imported_whole_with_passwords_shown_once(demo):
    client = login("demo-admin")
    preview = client.post(reverse("manage:import"), {"file": workbook(GOOD_ORGANISATIONS, GOOD_ACCOUNTS)})
    assert preview.status_code == 200
    assert "闵行中学" in preview.content.decode() and "确认导入" in preview.content.decode()
    assert not Organisation.objects.filter(name="闵行中学").exists()  # a preview stores nothing
    done = client.post(reverse("manage:import_confirm"))
    assert done.status_code == 200
    assert "已导入机构 3 个、账号 2 个" in done.content.decode()
    school = Organisation.objects.get(name="闵行中学")
    assert school.parent.name == "上海市闵行区教育局"
    li = User.objects.get(username="li.si")
    assert li.organisation == school and li.role == "unit" and li.must_change_password
    assert dict(done.context["generated"])["li.si"]
    assert AuditEvent.objects.filter(subject="账号：li.si", actor_name="demo-admin").exists()
    assert client.post(reverse("manage:import_confirm")).status_code == 302  # nothing left to confirm


@pytest.mark.parametrize(("organisations", "accounts", "message"), [
    (GOOD_ORGANISATIONS, [*GOOD_ACCOUNTS, ("zhao.liu", "赵六", "管理员", "闵行中学")],
     "工作表“账号”第 4 行 C 列（角色）：没有“管理员”这个角色"),
    ([*GOOD_ORGANISATIONS, ("实施单位", "某单位", "不存在的部门")], GOOD_ACCOUNTS,
     "工作表“机构”第 5 行 C 列（上级主管部门）：没有主管部门“不存在的部门”"),
    (GOOD_ORGANISATIONS, [*GOOD_ACCOUNTS, ("demo-unit", "", "实施单位填报", "闵行中学")],
     "工作表“账号”第 4 行 A 列（用户名）：用户名“demo-unit”已被使用"),
    (GOOD_ORGANISATIONS, [("sun.qi", "孙七", "主管部门审核", "闵行中学")],
     "工作表“账号”第 2 行 D 列（所属机构）：“主管部门审核”的账号应属于主管部门"),
])
def test_one_bad_row_stores_nothing_and_names_sheet_row_and_cell(demo, organisations, accounts, message):
    client = login("demo-admin")
    organisations_before, users_before = Organisation.objects.count(), User.objects.count()
    response = client.post(reverse("manage:import"), {"file": workbook(organisations, accounts)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert client.post(reverse("manage:import_confirm")).status_code == 302
    assert (Organisation.objects.count(), User.objects.count()) == (organisations_before, users_before)


def test_a_file_that_is_not_a_workbook_is_refused_in_chinese(demo):
    response = login("demo-admin").post(reverse("manage:import"),
                                        {"file": SimpleUploadedFile("名单.xlsx", b"not a workbook")})
    assert response.status_code == 400
    assert "名单.xlsx：不是可读取的 Excel（.xlsx）文件" in response.content.decode()


def test_the_confirmation_rechecks_and_stores_nothing_when_the_database_changed_meanwhile(demo):
    from jixiao.accounts.services import user_create_or_update

    client = login("demo-admin")
    client.post(reverse("manage:import"), {"file": workbook(GOOD_ORGANISATIONS, GOOD_ACCOUNTS)})
    user_create_or_update(username="wang.wu", password="x-long-password-1", role="unit",
                          organisation=Organisation.objects.get(name="上海市闵行区社会保障服务中心"))
    response = client.post(reverse("manage:import_confirm"))
    assert response.status_code == 409
    assert "用户名“wang.wu”已被使用" in response.content.decode()
    assert not Organisation.objects.filter(name="闵行中学").exists()
