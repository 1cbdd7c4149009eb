"""The form page shows the MoF fields (调整后预算数, 全年预计执行数, 全年预计完成值, 偏差原因类别) of a form
that has them, in the columns of the one layout definition; other forms keep the published eight."""

import re
from decimal import Decimal

from django.template.loader import render_to_string

from jixiao.tracking import models
from jixiao.tracking.sheet import build_sheet


def _widths(html: str) -> list[int]:
    """Each table row's width in columns (rowspans of earlier rows counted in)."""
    carried: list[int] = []  # remaining rows each open rowspan still covers
    widths = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S):
        cells = re.findall(r"<t[hd]([^>]*)>", row)
        width = len([c for c in carried if c > 0])
        carried = [c - 1 for c in carried if c > 1]
        for attrs in cells:
            span = int(re.search(r'colspan="(\d+)"', attrs).group(1)) if "colspan" in attrs else 1
            width += span
            rows = re.search(r'rowspan="(\d+)"', attrs)
            if rows and int(rows.group(1)) > 1:
                carried += [int(rows.group(1)) - 1] * span
        widths.append(width)
    return widths


def _html(report) -> str:
    return render_to_string("tracking/_sheet.html", {"sheet": build_sheet(report)})


def test_a_form_without_mof_values_has_the_published_eight_columns(demo):
    report = models.TrackingReport.objects.order_by("pk").first()
    html = _html(report)
    assert "调整后预算数" not in html and "偏差原因类别" not in html
    assert set(_widths(html)) == {8}


def test_a_form_with_mof_values_shows_them_in_their_columns(demo):
    report = models.TrackingReport.objects.order_by("pk").first()
    report.budget_lines.filter(source="total").update(adjusted=Decimal("7.00"), forecast_spent=Decimal("6.50"))
    indicator = report.indicators.order_by("position").first()
    models.Indicator.objects.filter(pk=indicator.pk).update(forecast="100.00", deviation_causes="经费保障、其他")
    report = models.TrackingReport.objects.get(pk=report.pk)
    sheet = build_sheet(report)
    assert sheet.budget_headers == (
        "年初预算数", "调整后预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)", "全年预计执行数")
    assert sheet.indicator_headers[3:] == (
        "年度指标值", "跟踪期计划完成值", "跟踪期实际完成值", "全年预计完成值", "偏差原因类别", "偏差原因分析")
    html = _html(report)
    assert re.search(r'id="cell-budget-total-adjusted">7.00\s*</td>', html)
    assert re.search(r">经费保障、其他\s*</td>", html) and re.search(r">100.00\s*</td>", html)
    assert set(_widths(html)) == {10}  # every row as wide as the widest block
