"""The budget year as a cycle in a real browser (README "绩效目标", "指标库", "年度跟踪周期").

A unit writes its project's annual goal, taking an indicator from the library's suggestions; the
department and finance approve it; finance opens the next tracking point; the unit's new form
arrives with the plan derived from the goal, the unit fills it and submits; the department sees the
project's points side by side."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

import pytest
from playwright.sync_api import expect

from jixiao.goals.models import PerformanceGoal
from jixiao.tracking.models import Status, TrackingReport
from tests.e2e.conftest import log_in

pytestmark = pytest.mark.e2e

PROJECT = "宣传费"


def _as(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    log_in(page, live_server, username)
    return context, page


def test_goal_from_the_library_to_a_prefilled_form_and_the_trend(browser, live_server, demo, shoot):
    url = live_server.url
    first = TrackingReport.objects.get(project__name=PROJECT, is_latest=True)

    # The unit starts the goal from its latest form and adds an indicator from the library.
    context, unit = _as(browser, live_server, "demo-unit")
    unit.goto(f"{url}/goals/?year=2024")
    unit.locator("tr", has_text=PROJECT).get_by_role("button", name="填报绩效目标").click()
    expect(unit.locator("#goal-form")).to_be_visible()
    last = int(unit.locator("#id_ind-TOTAL_FORMS").input_value()) - 1  # the formset ends in blank rows
    blank = unit.locator("#goal-form tbody tr", has=unit.locator(f"[name='ind-{last}-name']"))
    name = blank.locator(f"[name='ind-{last}-name']")
    name.press_sequentially("慰问人数", delay=30)
    suggestion = blank.locator(".suggestions button").first
    expect(suggestion).to_be_visible()
    shoot(unit, "cycle-01-library-suggestions")
    suggestion.click()
    chosen = name.input_value()
    assert "人数" in chosen
    # Counted over the year, so that the period's plan is prorated: 1200 人 × 10/12 = 1000 人.
    blank.locator("[name$='-target_text']").fill("≥1200人")
    blank.locator("[name$='-direction']").select_option("higher_better")
    blank.locator("[name$='-kind']").select_option("accumulating")
    unit.click("#save")
    expect(unit.locator("body")).to_contain_text(chosen)
    goal = PerformanceGoal.objects.get(project=first.project)
    unit.goto(f"{url}/goals/{goal.pk}/")
    unit.locator("button[value=submit]").click()
    expect(unit.locator("body")).to_contain_text("已送审")
    context.close()

    for reviewer in ("demo-department", "demo-finance"):
        context, page = _as(browser, live_server, reviewer)
        page.goto(f"{url}/goals/{goal.pk}/")
        page.locator("button[value=approve]").click()
        expect(page.locator("body")).to_contain_text("审核通过")
        context.close()
    goal.refresh_from_db()
    assert goal.state == "finance_approved"

    # Finance opens 1–10 月.
    context, finance = _as(browser, live_server, "demo-finance")
    finance.goto(f"{url}/periods/")
    for field, value in (("year", "2024"), ("start_month", "1"), ("end_month", "10")):
        box = finance.locator(f"#id_{field}")
        box.select_option(value) if box.evaluate("e => e.tagName") == "SELECT" else box.fill(value)
    finance.fill("#id_deadline", (datetime.date.today() + datetime.timedelta(days=14)).isoformat())
    finance.locator("#open-period-form button[type=submit]").click()
    expect(finance.locator("body")).to_contain_text("2024-10")
    shoot(finance, "cycle-02-period-opened")
    context.close()

    new = TrackingReport.objects.get(project=first.project, period__end="2024-10", is_latest=True)
    planned = new.indicators.get(name=chosen, target_text="≥1200人")
    assert planned.plan_derived == planned.planned and "× 10/12" in planned.plan_derivation
    assert planned.planned == "1000", planned.planned

    # The unit's form arrives with the derived plan; the unit fills the actuals and submits.
    context, unit = _as(browser, live_server, "demo-unit")
    unit.goto(f"{url}/reports/{new.pk}/")
    expect(unit.locator("body")).to_contain_text("× 10/12")
    shoot(unit, "cycle-03-prefilled-form")
    unit.goto(f"{url}/reports/{new.pk}/edit/")
    total = first.budget_lines.get(source="total")
    spent = total.spent + 1
    rate = (spent / total.initial * 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    for source in ("total", "appropriation"):
        unit.fill(f"#id_budget_{source}_spent", str(spent))
        unit.fill(f"#id_budget_{source}_rate", str(rate))
    for source in ("carryover", "other"):
        unit.fill(f"#id_budget_{source}_spent", "0.00")
        unit.fill(f"#id_budget_{source}_rate", "0.00")
    earlier = {i.name: i.actual for i in first.indicators.all()}  # the 1–8 月 actuals, as reached by then
    for index, indicator in enumerate(new.indicators.order_by("position")):
        actual = "1210" if indicator.pk == planned.pk else earlier[indicator.name]
        unit.fill(f"#id_indicator_{index}_actual", actual)
    for field in ("budget_likelihood", "goal_likelihood"):
        unit.select_option(f"#id_{field}", "确定能完成")
    unit.fill("#id_progress", "1—10 月按计划推进，累计慰问 1210 人。")
    unit.locator("button[value=save]").click()
    shoot(unit, "cycle-04-saved")
    problems = unit.locator("li[id^='finding-']", has=unit.locator(".sev.error")).all_inner_texts()
    assert not unit.url.rstrip("/").endswith("/edit"), problems
    expect(unit.locator("#status")).to_be_visible()
    if unit.locator("#do-submit").count():
        unit.fill("#id_comment", "已按绩效目标和计划推进，警告所列事项已核实。")
        unit.click("#do-submit")
        unit.get_by_role("button", name="确认送审 1 张").click()  # forms with warnings are confirmed first
        assert unit.locator("#status").inner_text().strip() == "已送审", unit.locator("main").inner_text()[:600]
    shoot(unit, "cycle-04-unit-submitted")
    context.close()
    new.refresh_from_db()
    assert new.status == Status.SUBMITTED, new.status

    # The department sees the project's points side by side.
    context, department = _as(browser, live_server, "demo-department")
    department.goto(f"{url}/reports/{new.pk}/")
    trend = department.locator("#trend")
    expect(trend).to_be_visible()
    expect(trend.locator("#trend-indicators thead th")).to_have_count(4)  # name, target, 1–8 月, 1–10 月
    expect(trend).to_contain_text("1210")
    shoot(department, "cycle-05-department-trend")
    context.close()
