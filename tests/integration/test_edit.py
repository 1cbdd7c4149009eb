"""Editing a report: checks on request and on save; errors block saving; findings stay current."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.tracking import models
from jixiao.tracking.mapping import report_to_domain
from tests.integration.conftest import edit_form_data

pytestmark = pytest.mark.django_db


form_data = edit_form_data


@pytest.fixture()
def report(demo):
    return models.TrackingReport.objects.get(project__name="宣传费")


def test_a_wrong_rate_is_an_error_that_blocks_saving(as_unit, report):
    url = reverse("tracking:report_edit", args=[report.pk])
    response = as_unit.post(url, form_data(report, budget_total_rate="96.11", action="save"))
    content = response.content.decode()
    assert "表中仍有错误，未保存" in content
    assert 'data-field="budget.total.rate"' in content
    report.refresh_from_db()
    assert report.total_rate == Decimal("69.11")
    assert report.revision == 1


def test_checking_on_request_shows_findings_without_saving(as_unit, report):
    url = reverse("tracking:report_edit", args=[report.pk])
    response = as_unit.post(url, form_data(report, budget_total_rate="96.11", action="check"))
    assert "本次检查发现的问题" in response.content.decode()
    assert 'data-field="budget.total.rate"' in response.content.decode()
    report.refresh_from_db()
    assert report.revision == 1


def test_correcting_a_value_makes_its_finding_go(as_unit, demo):
    """Break a stored rate behind the page's back, then fix it through the edit page."""
    report = models.TrackingReport.objects.get(project__name="宣传费")
    from jixiao.tracking.services import report_store

    broken = report_to_domain(report)
    broken.budget.total.rate = broken.budget.total.rate + 20
    report_store(data=broken, project=report.project, period=report.period, row=report)
    assert report.findings.filter(field="budget.total.rate").exists()
    detail = as_unit.get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    assert 'data-field="budget.total.rate"' in detail

    response = as_unit.post(
        reverse("tracking:report_edit", args=[report.pk]),
        form_data(models.TrackingReport.objects.get(pk=report.pk), budget_total_rate="69.11", action="save"),
        follow=True,
    )
    assert "已保存" in response.content.decode()
    assert not models.TrackingReport.objects.get(pk=report.pk).findings.filter(field="budget.total.rate").exists()
    assert 'data-field="budget.total.rate"' not in response.content.decode()


def test_a_value_that_is_not_a_number_is_refused_in_chinese(as_unit, report):
    response = as_unit.post(
        reverse("tracking:report_edit", args=[report.pk]), form_data(report, budget_total_spent="四点七", action="save")
    )
    assert "请输入一个数字" in response.content.decode() or "数字" in response.content.decode()
    report.refresh_from_db()
    assert report.revision == 1


def test_warnings_are_kept_with_a_saved_report(as_unit, demo):
    from jixiao.accounts.models import User
    from jixiao.tracking.workflow import report_withdraw

    report = models.TrackingReport.objects.get(project__name="征地养老慰问经费")
    assert report.warning_count > 0 and report.error_count == 0
    # The demo leaves it submitted: the unit takes it back to edit it.
    report_withdraw(report_id=report.pk, user=User.objects.get(username="demo-unit"))
    url = reverse("tracking:report_edit", args=[report.pk])
    response = as_unit.post(url, form_data(report, remarks="已与主管部门核对。", action="save"))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.revision == 2 and report.warning_count > 0 and report.remarks == "已与主管部门核对。"
    assert report.findings.count() == report.warning_count + report.error_count + report.info_count


def test_a_value_too_long_for_the_database_is_refused_with_a_message_not_a_crash(as_unit, report):
    url = reverse("tracking:report_edit", args=[report.pk])
    response = as_unit.post(url, form_data(report, indicator_0_actual="有效" * 150, action="save"))
    assert response.status_code == 400
    assert "未保存" in response.content.decode()
    report.refresh_from_db()
    assert report.revision == 1
