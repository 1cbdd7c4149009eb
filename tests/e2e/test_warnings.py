"""Warnings and rectification in a real browser: finance issues a warning on the red-light forms of a
period, the unit answers with its measures, reports them done with an attached file, finance closes the
warning; every step is in the audit trail."""

import pytest
from playwright.sync_api import expect

from jixiao.audit.models import AuditEvent
from jixiao.tracking.models import TrackingPeriod, TrackingReport
from jixiao.warnings.models import WarningAttachment, WarningNotice
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e
MEASURES = "九月底前完成政府采购，十月支付首期款，每月向主管部门报送执行进度。"
DONE = "已于十月完成采购并支付首期款，执行率升至百分之七十五。"


def _context(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    return context


def test_a_warning_from_red_lights_to_closed_is_all_in_the_audit_trail(browser, live_server, demo, shoot, tmp_path):
    period = TrackingPeriod.objects.get()
    red = sorted(TrackingReport.objects.filter(period=period, is_latest=True, light="red")
                 .values_list("project__name", flat=True))
    assert red
    finance_context, unit_context = _context(browser), _context(browser)
    try:
        finance = finance_context.new_page()
        log_in(finance, live_server, "demo-finance")
        finance.goto(f"{live_server.url}/periods/")
        finance.click(f"#red-warnings-{period.pk}")
        expect(finance.locator("#candidates input[type=checkbox]:checked")).to_have_count(len(red))
        for row in finance.locator("#candidates tbody tr").all()[:len(red)]:  # red lights first, ticked
            expect(row.locator(".light")).to_have_text("红灯")
            expect(row.locator("input[type=checkbox]")).to_be_checked()
        finance.fill("#id_problem", "下列项目预算执行明显滞后于序时进度（红灯），请分析原因并提出整改措施。")
        shoot(finance, "60-warning-issue")
        finance.click("#issue-submit")
        expect(finance.locator(".messages")).to_contain_text("已发出 1 份预警通知")
        (warning,) = WarningNotice.objects.all()
        expect(finance.locator(f'#warnings tr[data-warning="{warning.pk}"]')).to_contain_text("待答复")

        unit = unit_context.new_page()
        log_in(unit, live_server, "demo-unit")
        unit.click("#nav-inbox")
        unit.click("#inbox-tasks >> text=答复预警的整改措施")
        expect(unit.locator("#warning-forms tbody tr")).to_have_count(len(red))
        unit.fill("#step-answer textarea", MEASURES)
        unit.click("#step-answer button[type=submit]")
        expect(unit.locator("#warning-state")).to_have_text("已答复整改措施")
        evidence = tmp_path / "整改完成情况说明.pdf"
        evidence.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
        unit.fill("#step-done textarea", DONE)
        unit.set_input_files("#step-done input[type=file]", str(evidence))
        unit.click("#step-done button[type=submit]")
        expect(unit.locator("#warning-state")).to_have_text("已报告整改完成")
        expect(unit.locator("#attachments")).to_contain_text("整改完成情况说明.pdf")
        shoot(unit, "61-warning-rectified")

        finance.goto(f"{live_server.url}/inbox/")
        finance.click("#inbox-tasks >> text=审核整改完成情况并关闭预警")
        expect(finance.locator("#done-report")).to_contain_text(DONE)
        with finance.expect_download() as download:
            finance.click("#attachments a")
        assert download.value.suggested_filename == "整改完成情况说明.pdf"
        finance.fill("#step-close textarea", "整改到位，予以关闭。")
        finance.click("#step-close button[type=submit]")
        expect(finance.locator("#warning-state")).to_have_text("已关闭")
        shoot(finance, "62-warning-closed")

        finance.goto(f"{live_server.url}/audit/")
        for label in ("发出预警", "答复整改措施", "报告整改完成", "关闭预警"):
            expect(finance.locator("main")).to_contain_text(label)
    finally:
        finance_context.close()
        unit_context.close()
    actions = list(AuditEvent.objects.filter(subject__startswith=warning.subject_prefix)
                   .order_by("sequence").values_list("action", "actor_name"))
    assert actions == [("warning_issue", "demo-finance"), ("rectify_answer", "demo-unit"),
                       ("rectify_done", "demo-unit"), ("warning_close", "demo-finance")]
    assert WarningAttachment.objects.get().name == "整改完成情况说明.pdf"
