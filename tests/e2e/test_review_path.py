"""The whole review path in a real browser: fill and submit, return with a comment, fix and resubmit,
approve twice, publish, and an anonymous visitor finds the form on the disclosure site."""

import pytest
from playwright.sync_api import expect

from jixiao.tracking.models import TrackingReport
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e
PROJECT = "宣传费"


@pytest.fixture()
def open_as(browser, live_server):
    contexts = []

    def open_page(username: str | None):
        context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        if username:
            log_in(page, live_server, username)
        return page

    yield open_page
    for context in contexts:
        context.close()


def open_form(page, live_server, pk: int) -> None:
    page.goto(f"{live_server.url}/reports/{pk}/")
    expect(page.locator("table.sheet .title")).to_have_text("财政项目支出绩效跟踪表")


def test_the_whole_review_path_ends_on_the_public_site(live_server, demo, open_as, shoot):
    report = TrackingReport.objects.get(project__name=PROJECT)

    unit = open_as("demo-unit")
    open_form(unit, live_server, report.pk)
    unit.click("#edit")
    unit.fill("#id_progress", "已完成宣传册印制12000份，发放工作按计划推进。")
    unit.click("#save")
    expect(unit.locator(".messages")).to_contain_text("已保存")
    unit.click("#do-submit")
    expect(unit.locator("#status")).to_have_text("已送审")
    shoot(unit, "10-unit-submitted")

    department = open_as("demo-department")
    expect(department.locator("#inbox-count")).to_have_text("2")  # this one and the demo's submitted form
    department.click("#nav-inbox")
    department.click(f"#inbox >> text={PROJECT}")
    department.fill("#id_comment", "请在完成情况中写明发放进度和覆盖人数。")
    department.click("#do-return")
    expect(department.locator("#status")).to_have_text("草稿")
    shoot(department, "11-department-returned")

    unit.goto(f"{live_server.url}/inbox/")
    expect(unit.locator("#inbox-count")).to_have_text("6")  # every draft; the returned one first
    expect(unit.locator("#inbox tbody tr").first).to_have_attribute("data-task", "returned")
    expect(unit.locator("#inbox .return-comment")).to_have_text("请在完成情况中写明发放进度和覆盖人数。")
    shoot(unit, "12-unit-sees-the-return")
    unit.click(f"#inbox >> text={PROJECT}")
    expect(unit.locator("#return-comment")).to_contain_text("请在完成情况中写明发放进度和覆盖人数。")
    unit.click("#edit")
    unit.fill("#id_progress", "已完成宣传册印制12000份，已发放8000份，覆盖全区13个街镇。")
    unit.click("#save")
    unit.fill("#id_comment", "已按意见补充发放进度。")
    unit.click("#do-submit")
    expect(unit.locator("#status")).to_have_text("已送审")

    department.goto(f"{live_server.url}/reports/{report.pk}/")
    department.click("#do-approve")
    expect(department.locator("#status")).to_have_text("主管部门已审核")

    finance = open_as("demo-finance")
    finance.goto(f"{live_server.url}/reports/?status=department_approved")
    finance.check(f"input[name=report][value='{report.pk}']")
    finance.select_option("#bulk-action", "approve")
    shoot(finance, "13-finance-bulk-approve")
    finance.click("#bulk-submit")
    expect(finance.locator("#confirm-summary")).to_contain_text("将审核通过 1 张表，均无红灯和警告")
    finance.click("#confirm")
    expect(finance.locator(".messages")).to_contain_text("已批量审核通过 1 张跟踪表")
    open_form(finance, live_server, report.pk)
    expect(finance.locator("#status")).to_have_text("财政已审核")
    finance.click("#do-publish")
    expect(finance.locator("#confirm-summary")).to_contain_text("将公开 1 张表")
    finance.click("#confirm")
    expect(finance.locator("#status")).to_have_text("已公开")
    expect(finance.locator("#history-table")).to_contain_text("退回")
    shoot(finance, "14-finance-published-with-history")

    visitor = open_as(None)
    visitor.goto(f"{live_server.url}/public/")
    visitor.fill("#public-q", PROJECT)
    visitor.click("#public-submit")
    expect(visitor.locator("#public-reports tbody tr")).to_have_count(1)
    visitor.click(f"#public-reports >> text={PROJECT}")
    expect(visitor.locator("table.sheet .title")).to_have_text("财政项目支出绩效跟踪表")
    expect(visitor.locator("#cell-progress")).to_have_text("已完成宣传册印制12000份，已发放8000份，覆盖全区13个街镇。")
    expect(visitor.locator("body")).not_to_contain_text("请在完成情况中写明")
    expect(visitor.locator("body")).not_to_contain_text("demo-")
    shoot(visitor, "15-public-form")


def test_two_people_editing_at_once_the_second_sees_what_the_first_changed(live_server, demo, open_as, shoot):
    from jixiao.accounts.models import Organisation, Role
    from jixiao.accounts.services import user_create_or_update
    from tests.e2e.conftest import PASSWORD

    unit = Organisation.objects.get(name="上海市闵行区社会保障服务中心")
    user_create_or_update(username="unit-colleague", password=PASSWORD, role=Role.UNIT, organisation=unit)
    report = TrackingReport.objects.get(project__name=PROJECT)
    first, second = open_as("demo-unit"), open_as("unit-colleague")
    for page in (first, second):
        page.goto(f"{live_server.url}/reports/{report.pk}/edit/")
    first.fill("#id_progress", "甲：宣传册已全部印制完成。")
    first.click("#save")
    expect(first.locator(".messages")).to_contain_text("已保存")
    second.fill("#id_corrective_actions", "乙：加快发放进度。")
    second.click("#save")
    expect(second.locator("#conflict")).to_contain_text("甲：宣传册已全部印制完成。")
    expect(second.locator("#id_corrective_actions")).to_have_value("乙：加快发放进度。")
    expect(second.locator("#merged")).to_contain_text("跟踪期实际完成情况")
    expect(second.locator("#id_progress")).to_have_value("甲：宣传册已全部印制完成。")  # merged in for them
    shoot(second, "16-edit-conflict")
    second.click("#save")
    expect(second.locator(".messages")).to_contain_text("已保存")
    report.refresh_from_db()
    assert (report.progress, report.corrective_actions) == ("甲：宣传册已全部印制完成。", "乙：加快发放进度。")
