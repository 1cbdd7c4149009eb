"""A unit's 待办 in a real browser: the period's deadline counts down, a returned form says who returned it
and why, and the comment is there again at the top of the edit page."""

import pytest
from playwright.sync_api import expect

from jixiao.accounts.models import User
from jixiao.tracking.models import TrackingReport
from jixiao.tracking.workflow import report_return
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e
PROJECT = "征地养老慰问经费"  # submitted by the demo
COMMENT = "请补充重阳节慰问的发放人数。"


def test_a_unit_sees_its_deadline_and_a_returned_forms_comment_up_to_the_edit_page(live_server, demo, page, shoot):
    report = TrackingReport.objects.get(project__name=PROJECT)
    report_return(report_id=report.pk, user=User.objects.get(username="demo-department"), comment=COMMENT)

    log_in(page, live_server, "demo-unit")
    page.click("#nav-inbox")
    expect(page.locator("#deadlines")).to_contain_text("还剩 14 天")
    expect(page.locator("#deadlines")).to_contain_text("尚有 7 张未送审")
    first = page.locator("#inbox tbody tr").first
    expect(first).to_have_attribute("data-task", "returned")
    expect(first).to_contain_text("由 demo-department 于")
    expect(first.locator(".return-comment")).to_have_text(COMMENT)
    expect(page.locator("#inbox-count")).to_have_text(str(page.locator("#inbox tbody tr").count()))
    shoot(page, "20-unit-inbox-deadline-and-return")

    first.locator(f"text={PROJECT}").click()
    expect(page.locator("#return-comment")).to_contain_text(COMMENT)
    page.click("#edit")
    expect(page.locator("#return-comment")).to_contain_text("由 demo-department 于")
    expect(page.locator("#return-comment .return-comment")).to_have_text(COMMENT)
    shoot(page, "21-unit-edit-page-shows-the-return")

    # Submitting without explaining the warnings comes back on the form page, each reason a link to its cell.
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.click("#do-submit")
    expect(page.locator("#refused")).to_contain_text("未能送审，原因如下")
    reasons = page.locator("#refused li a")
    expect(reasons).to_have_count(5)
    reasons.first.click()
    assert page.url.endswith("#mark-1")
    expect(page.locator("table.sheet #mark-1")).to_be_visible()
    shoot(page, "22-refused-submission-on-the-form-page")
    page.fill("#id_comment", "已补充发放人数：重阳节前发放 2000 人次。")
    page.click("#do-submit")
    expect(page.locator("#confirm-summary")).to_contain_text("将送审 1 张表，其中 1 张红灯、5 个警告")
    shoot(page, "23-confirm-submission-with-warnings")
    page.click("#confirm")
    expect(page.locator("#status")).to_have_text("已送审")


def test_finance_moves_the_deadline_and_sees_which_units_are_late(live_server, demo, page, shoot):
    import datetime

    from django.utils import timezone

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    log_in(page, live_server, "demo-finance")
    page.click("#nav-periods")
    row = page.locator("#periods tbody tr").first
    row.locator("input[name=deadline]").fill(yesterday.isoformat())
    row.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text(f"报送截止 {yesterday.isoformat()}")
    expect(page.locator("#periods tbody tr").first).to_contain_text("已逾期 1 天")
    shoot(page, "24-finance-periods")
    page.click("#nav-completeness")
    expect(page.locator("#period-deadline")).to_contain_text("已逾期 1 天")
    expect(page.locator("#completeness tbody tr.late")).to_have_count(1)
    expect(page.locator("#completeness tbody tr.late")).to_contain_text("逾期：6 张未送审")
    shoot(page, "25-finance-completeness")
