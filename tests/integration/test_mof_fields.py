"""The MoF monitoring layout's fields (全年预计, 完成目标可能性, 偏差原因类别, 备注): edited, stored, shown, checked."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.domain.model import BudgetAdjustment
from jixiao.tracking import mapping, models
from tests.integration.conftest import edit_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture()
def report(demo):
    return models.TrackingReport.objects.get(project__name="宣传费")


def test_the_form_page_shows_no_mof_block_for_a_form_without_those_values(as_unit, report):
    content = as_unit.get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    assert 'id="sheet-mof"' not in content


def test_the_edit_page_asks_for_every_mof_field_with_causes_as_checkboxes(as_unit, report):
    content = as_unit.get(reverse("tracking:report_edit", args=[report.pk])).content.decode()
    for name in ("budget_total_adjusted", "budget_total_forecast_spent", "indicator_0_forecast",
                 "indicator_0_likelihood", "remarks"):
        assert f'name="{name}"' in content, name
    assert content.count('type="checkbox" name="indicator_0_deviation_causes"') == 5
    assert "硬件条件保障" in content


def test_saving_mof_values_stores_them_shows_them_and_checks_the_forecast(as_unit, report):
    url = reverse("tracking:report_edit", args=[report.pk])
    data = edit_form_data(report, action="save", budget_total_adjusted="30.00", budget_total_forecast_spent="25.00",
                          indicator_0_forecast="50", indicator_0_likelihood="确定能完成",
                          indicator_0_deviation_causes=["经费保障", "其他"], remarks="按合同节点支付")
    response = as_unit.post(url, data, follow=True)
    assert "已保存" in response.content.decode()
    report.refresh_from_db()
    total = report.budget_lines.get(source="total")
    assert (total.adjusted, total.forecast_spent) == (Decimal("30.00"), Decimal("25.00"))
    first = report.indicators.get(position=0)
    assert (first.forecast, first.likelihood, first.deviation_causes) == ("50", "确定能完成", "经费保障、其他")
    assert report.remarks == "按合同节点支付"
    rules = set(report.findings.values_list("rule", flat=True))
    assert {"forecast.spending_short_but_certain"} <= rules
    content = as_unit.get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    assert 'id="sheet-mof"' in content and "按合同节点支付" in content and "经费保障、其他" in content
    assert 'id="cell-budget-total-forecast-spent"' in content
    changes = AuditEvent.objects.filter(report=report, action="edit").latest("at").changes
    assert {"field": "备注", "before": "", "after": "按合同节点支付"} in changes
    edit = as_unit.get(url).content.decode()
    assert 'name="indicator_0_deviation_causes" value="经费保障" id="id_indicator_0_deviation_causes_0" checked' in edit
    assert 'value="人员保障" id="id_indicator_0_deviation_causes_2">' in edit


def test_saving_a_changed_likelihood_remark_and_adjustment_stores_them_and_the_form_page_shows_them(as_unit, report):
    url = reverse("tracking:report_edit", args=[report.pk])
    edit = as_unit.get(url).content.decode()
    assert 'id="edit-adjustments"' in edit and 'name="adjustment_0_date"' in edit
    assert 'name="adjustment_1_reason"' in edit
    data = edit_form_data(report, action="save", indicator_1_likelihood="有可能完成", remarks="三季度集中支付",
                          budget_total_adjusted="8.00", adjustment_0_date="2024-05-20", adjustment_0_source="total",
                          adjustment_0_amount="1.11", adjustment_0_reason="追加宣传品印制")
    response = as_unit.post(url, data, follow=True)
    assert "已保存" in response.content.decode()
    report.refresh_from_db()
    assert report.indicators.get(position=1).likelihood == "有可能完成"
    assert report.remarks == "三季度集中支付"
    stored = mapping.report_to_domain(report)
    expected = BudgetAdjustment(datetime.date(2024, 5, 20), Decimal("1.11"), "total", "追加宣传品印制")
    assert stored.adjustments == [expected]
    # Recorded with its reason: the adjusted budget is explained.
    assert "budget.adjustment_unrecorded" not in set(report.findings.values_list("rule", flat=True))
    page = as_unit.get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    assert 'id="sheet-adjustments"' in page and "2024-05-20" in page and "追加宣传品印制" in page
    assert "三季度集中支付" in page
    changes = AuditEvent.objects.filter(report=report, action="edit").latest("at").changes
    assert any(c["field"] == "预算调整情况" and "追加宣传品印制" in c["after"] for c in changes)
    # The next edit shows it again and a blank row deletes it; without it the adjusted budget is questioned.
    again = as_unit.get(url).content.decode()
    assert 'name="adjustment_0_reason" value="追加宣传品印制"' in again
    data = edit_form_data(report, action="save", adjustment_0_date="", adjustment_0_amount="", adjustment_0_reason="")
    assert "已保存" in as_unit.post(url, data, follow=True).content.decode()
    report.refresh_from_db()
    assert report.adjustments == ""
    assert "budget.adjustment_unrecorded" in set(report.findings.values_list("rule", flat=True))


def test_an_adjustment_without_its_date_is_refused_and_nothing_is_stored(as_unit, report):
    url = reverse("tracking:report_edit", args=[report.pk])
    before = report.revision
    data = edit_form_data(report, action="save", adjustment_0_amount="2.00", adjustment_0_reason="追加")
    response = as_unit.post(url, data)
    assert response.status_code == 200
    assert "第 1 条预算调整缺少调整日期" in response.content.decode()
    report.refresh_from_db()
    assert (report.revision, report.adjustments) == (before, "")
