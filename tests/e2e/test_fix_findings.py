"""A unit works through a draft's findings one at a time in a real browser: check, save, the next one,
save again, then submit with a comment for what remains (the path that once answered 500)."""

import pytest
from playwright.sync_api import expect

from jixiao.tracking.models import Status, TrackingReport
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e
PROJECT = "邮寄费"  # one error (an unexplained deviation) and five warnings, last year's year in the goal among them
UNEXPLAINED = 'li[data-rule="indicator.deviation_unexplained"]'
OLD_YEAR = 'li[data-rule="text.year_mismatch"]'
REASON = "满意度调查样本中有2起对投递时间不满意，已要求快递公司固定上门时段，四季度复测。"


def _post_answers(page, click: str) -> int:
    """Click a submit button and give the status of the POST it sends."""
    with page.expect_response(lambda r: r.request.method == "POST") as answer:
        page.click(click)
    page.wait_for_load_state()
    return answer.value.status


def test_a_unit_fixes_findings_one_by_one_then_submits(live_server, demo, page, shoot):
    report = TrackingReport.objects.get(project__name=PROJECT, is_latest=True)
    log_in(page, live_server, "demo-unit")
    page.goto(f"{live_server.url}/reports/{report.pk}/")
    page.click("#edit")
    expect(page.locator("ol.findings > li")).to_have_count(6)

    # The first finding: explain the deviation, check without saving, then save.
    page.fill("#id_indicator_5_deviation_reason", REASON)
    assert _post_answers(page, "#check") == 200
    expect(page.locator("#findings")).to_have_text("本次检查发现的问题")
    expect(page.locator(UNEXPLAINED)).to_have_count(0)
    expect(page.locator(OLD_YEAR)).to_have_count(1)
    assert _post_answers(page, "#save") == 302
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator(UNEXPLAINED)).to_have_count(0)
    expect(page.locator(OLD_YEAR)).to_have_count(1)
    shoot(page, "20-unit-fixed-first-finding")
    report.refresh_from_db()
    assert (report.error_count, report.revision) == (0, 2)
    assert report.indicators.get(position=5).deviation_reason == REASON

    # The next one: the goal still speaks of last year.
    page.click("#edit")
    goal = page.input_value("#id_goal")
    assert "2023年" in goal
    page.fill("#id_goal", goal.replace("2023年", "2024年"))
    assert _post_answers(page, "#save") == 302
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator(OLD_YEAR)).to_have_count(0)
    report.refresh_from_db()
    assert "2024年" in report.goal and report.revision == 3

    # Submit; whatever warning remains is explained in the comment.
    if page.locator("ol.findings > li").count():
        page.fill("#id_comment", "满意度偏差原因已在偏差原因分析中说明，四季度复测。")
    assert _post_answers(page, "#do-submit") == 200  # with warnings: the confirmation page says what goes along
    expect(page.locator("#confirm-summary")).to_contain_text("个警告")
    assert _post_answers(page, "#confirm") == 302
    expect(page.locator("#status")).to_have_text("已送审")
    shoot(page, "21-unit-submitted-after-fixes")
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED
