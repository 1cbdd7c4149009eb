"""三员分立 in a real browser: the system administrator sets up a department, a unit and an account; the new
user changes the password and fills in a form; the security administrator deactivates the account and the
user's open session ends at once; the auditor finds every step, the administrators' own included."""

import json
import re
from dataclasses import replace

import pytest
from playwright.sync_api import expect

from jixiao.audit.models import AuditEvent
from tests.e2e.conftest import PASSWORD

pytestmark = pytest.mark.e2e

DEPARTMENT = "上海市闵行区教育局"
UNIT = "闵行区实验中学"
USERNAME = "chen.lan"
NEW_PASSWORD = "Mingdao-kaishi-2024"


@pytest.fixture()
def open_as(browser, live_server):
    contexts = []

    def open_page(username: str | None, password: str = PASSWORD):
        context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            page.goto(f"{live_server.url}/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", password)
            page.click("button[type=submit]")
            page.wait_for_selector(".user-name")
        return page

    yield open_page
    for context in contexts:
        context.close()


def seed_form_of_the_new_unit(tmp_path):
    """The seed's first form, filed by the new unit of the new department (a new unit has no forms)."""
    from jixiao.demo import SEED_NAME, seed_bytes
    from jixiao.formats.json import document_to_dict
    from jixiao.formats.registry import read_bytes

    document = read_bytes(seed_bytes(), SEED_NAME)
    document.reports = [replace(document.reports[0], department=DEPARTMENT, unit=UNIT)]
    path = tmp_path / "实验中学跟踪表.json"
    path.write_text(json.dumps(document_to_dict(document), ensure_ascii=False), encoding="utf-8")
    return path, document.reports[0].project


def test_administrators_set_up_and_end_an_account_and_the_auditor_sees_it_all(live_server, demo, open_as, shoot,
                                                                               tmp_path):
    admin = open_as("demo-admin")
    expect(admin).to_have_url(f"{live_server.url}/manage/organisations/")
    expect(admin.locator("nav")).not_to_contain_text("跟踪表")
    admin.fill("#department-name", DEPARTMENT)
    admin.click("#create-department")
    expect(admin.locator(".messages")).to_contain_text(f"已新建主管部门“{DEPARTMENT}”")
    admin.fill("#unit-name", UNIT)
    admin.select_option("#unit-parent", label=DEPARTMENT)
    admin.click("#create-unit")
    expect(admin.locator("#organisations")).to_contain_text(UNIT)
    shoot(admin, "30-admin-organisations")

    admin.click("#nav-accounts")
    admin.click("#new-account")
    admin.fill("#id_username", USERNAME)
    admin.fill("#id_full_name", "陈岚")
    admin.select_option("#id_role", label="实施单位填报")
    admin.select_option("#id_organisation", label=f"实施单位：{DEPARTMENT} / {UNIT}")
    admin.click("#save-account")
    expect(admin.locator("#created")).to_contain_text(USERNAME)
    first_password = admin.locator("#new-password").inner_text()
    shoot(admin, "31-admin-account-created")

    user = open_as(USERNAME, first_password)
    expect(user.locator("#must-change")).to_be_visible()
    user.goto(f"{live_server.url}/reports/")
    expect(user).to_have_url(f"{live_server.url}/password/?next=reset")
    user.fill("#id_old_password", first_password)
    user.fill("#id_new_password1", NEW_PASSWORD)
    user.fill("#id_new_password2", NEW_PASSWORD)
    user.click("main button[type=submit]")
    expect(user).to_have_url(f"{live_server.url}/password/done/")

    path, project = seed_form_of_the_new_unit(tmp_path)
    user.click("nav >> text=导入")
    user.set_input_files("#id_file", str(path))
    user.click("#preview")
    expect(user.locator("#plan-summary")).to_contain_text("新增 1 张")
    user.click("#confirm")
    expect(user.locator("#reports tbody tr")).to_have_count(1)
    user.click(f"#reports >> text={project}")
    user.click("#edit")
    user.fill("#id_progress", "已完成系统运维合同签订，按季度支付。")
    user.click("#save")
    expect(user.locator(".messages")).to_contain_text("已保存")
    shoot(user, "32-new-user-filled-a-form")

    security = open_as("demo-security")
    expect(security).to_have_url(f"{live_server.url}/manage/security/")
    security.click("#nav-accounts")
    security.locator(f'#accounts tr[data-username="{USERNAME}"] button.deactivate').click()
    expect(security.locator(".messages")).to_contain_text("其会话与接口令牌已立即失效")
    shoot(security, "33-security-deactivated")

    # The user's very next request, in the session opened before the deactivation, lands on the login page.
    user.reload()
    expect(user).to_have_url(re.compile(r"/login/\?next=/reports/\d+/"))
    expect(user.locator("#id_username")).to_be_visible()

    auditor = open_as("demo-auditor")
    expect(auditor).to_have_url(f"{live_server.url}/audit/")
    trail = auditor.locator("main")
    for subject in (f"主管部门：{DEPARTMENT}", f"实施单位：{UNIT}", f"账号：{USERNAME}"):
        expect(trail).to_contain_text(subject)
    shoot(auditor, "34-auditor-trail")
    steps = list(AuditEvent.objects.filter(actor_name__in=["demo-admin", "demo-security", USERNAME])
                 .values_list("actor_name", "action", "subject", "comment"))
    assert ("demo-admin", "create", f"主管部门：{DEPARTMENT}", "") in steps
    assert ("demo-admin", "create", f"实施单位：{UNIT}", "") in steps
    assert ("demo-admin", "create", f"账号：{USERNAME}", "") in steps
    assert (USERNAME, "edit", f"账号：{USERNAME}", "修改密码") in steps
    assert any(actor == USERNAME and action == "create" and project in subject for actor, action, subject, _ in steps)
    assert any(actor == USERNAME and action == "edit" and project in subject for actor, action, subject, _ in steps)
    assert any(actor == "demo-security" and comment.startswith("停用") for actor, _, _, comment in steps)
    for actor in ("demo-admin", "demo-security", USERNAME):
        expect(trail).to_contain_text(actor)
