"""A user's path through the application in a real browser, with screenshots to look at."""

import re

import pytest
from playwright.sync_api import expect

from jixiao.tracking import models
from jixiao.tracking.mapping import report_to_domain
from tests.e2e.conftest import PASSWORD, log_in

pytestmark = pytest.mark.e2e


def test_finance_logs_in_and_reads_the_dashboard(page, live_server, demo, shoot):
    log_in(page, live_server, "demo-finance")
    expect(page.locator("#project-count")).to_have_text("9")
    red = int(page.locator("#count-red").inner_text())
    yellow = int(page.locator("#count-yellow").inner_text())
    green = int(page.locator("#count-green").inner_text())
    assert red + yellow + green == 9
    assert page.locator("svg.chart rect.bar").count() == 9
    expect(page.locator("svg.chart")).to_contain_text("序时进度")
    shoot(page, "01-dashboard")


def test_a_form_reads_like_the_official_table_and_shows_its_findings(page, live_server, demo, shoot):
    report = models.TrackingReport.objects.filter(findings__isnull=False).distinct().first()
    log_in(page, live_server, "demo-unit")
    page.goto(f"{live_server.url}/reports/")
    page.click(f"text={report.project.name}")
    expect(page.locator("table.sheet .title")).to_have_text("财政项目支出绩效跟踪表")
    expect(page.locator("table.sheet")).to_contain_text("跟踪时段：（ 2024年1月 至 2024年8月 ）")
    findings = page.locator("ol.findings li")
    expect(findings).to_have_count(report.findings.count())
    expect(page.locator("sup.mark").first).to_be_visible()
    shoot(page, "02-form-with-findings")


def test_correcting_a_wrong_value_makes_the_finding_go(page, live_server, demo, shoot):
    from jixiao.tracking.services import report_store

    row = models.TrackingReport.objects.get(project__name="宣传费")
    wrong = report_to_domain(row)
    right_rate = str(wrong.budget.total.rate)
    wrong.budget.total.rate += 20
    report_store(data=wrong, project=row.project, period=row.period, row=row)

    log_in(page, live_server, "demo-unit")
    page.goto(f"{live_server.url}/reports/{row.pk}/")
    wrong_finding = page.locator('ol.findings li[data-field="budget.total.rate"]')
    expect(wrong_finding).to_have_count(1)
    expect(page.locator("#cell-budget-total-rate sup.mark")).to_be_visible()
    shoot(page, "03-wrong-rate-marked")

    page.click("#edit")
    page.fill("#id_budget_total_rate", right_rate)
    page.click("#check")
    expect(page.locator('ol.findings li[data-field="budget.total.rate"]')).to_have_count(0)
    page.click("#save")
    expect(page.locator(".messages")).to_contain_text("已保存")
    expect(page.locator('ol.findings li[data-field="budget.total.rate"]')).to_have_count(0)
    expect(page.locator("#cell-budget-total-rate")).to_have_text(right_rate)
    shoot(page, "04-rate-corrected")


def test_finance_imports_the_seed_through_the_upload_page(page, live_server, transactional_db, seed_path, shoot):
    from jixiao.accounts.models import Organisation, OrganisationKind, Role
    from jixiao.accounts.services import user_create_or_update

    finance = Organisation.objects.create(name="财政局", kind=OrganisationKind.FINANCE)
    user_create_or_update(username="finance", password=PASSWORD, role=Role.FINANCE, organisation=finance)
    log_in(page, live_server, "finance")
    page.click("nav >> text=导入")
    page.set_input_files("#id_file", str(seed_path))
    page.click("#preview")
    expect(page.locator("#plan-summary")).to_contain_text("共 9 张跟踪表：新增 9 张")
    expect(page.locator("#preview-table tbody > tr")).to_have_count(9)
    assert models.TrackingReport.objects.count() == 0
    shoot(page, "05-upload-preview")
    page.click("#confirm")
    expect(page.locator(".messages")).to_contain_text("新增 9 张")
    expect(page.locator("#reports tbody tr")).to_have_count(9)
    assert models.TrackingReport.objects.count() == 9

    page.click("nav >> text=导入")
    page.set_input_files("#id_file", str(seed_path))
    page.click("#preview")
    expect(page.locator("#plan-summary")).to_contain_text("与库中相同 9 张")
    expect(page.locator("#confirm")).to_have_count(0)


def test_the_department_sees_its_rollup(page, live_server, demo, shoot):
    log_in(page, live_server, "demo-department")
    page.click("nav >> text=部门汇总")
    expect(page.locator("h1")).to_contain_text("上海市闵行区人力资源和社会保障局(汇总)")
    expect(page.locator("#rollup-projects tbody tr")).to_have_count(9)
    expect(page.locator("#rollup-sources")).to_contain_text("109,832.79")
    expect(page.locator("#rollup-rate")).to_have_text(re.compile(r"64\.75% / 66\.67%"))
    shoot(page, "06-rollup")
