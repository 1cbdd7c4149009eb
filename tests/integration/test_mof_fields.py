"""The MoF monitoring layout's fields (全年预计, 完成目标可能性, 偏差原因类别, 备注): edited, stored, shown, checked."""

from decimal import Decimal

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.tracking import models
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
