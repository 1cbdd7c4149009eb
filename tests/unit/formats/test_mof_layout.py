"""The MoF-style monitoring fields (调整后预算数, 全年预计执行数, 全年预计完成值, 完成目标可能性, 偏差原因类别,
备注, 预算调整) travel through text, JSON, xlsx and PDF: a form that uses them gets extra columns and rows."""

import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jixiao.domain.model import BudgetAdjustment
from jixiao.formats.errors import FormatError
from jixiao.formats.json import read_json, write_json
from jixiao.formats.pdf_read import read_pdf
from jixiao.formats.pdf_write import write_pdf
from jixiao.formats.text import read_text, to_text
from jixiao.formats.xlsx_read import read_xlsx
from jixiao.formats.xlsx_write import write_template, write_xlsx
from tests.strategies import mof_documents


def through_xlsx(doc):
    out = io.BytesIO()
    write_xlsx(doc, out, check=None)
    return read_xlsx(io.BytesIO(out.getvalue()), "mof.xlsx")


def through_pdf(doc):
    out = io.BytesIO()
    write_pdf(doc, out)
    return read_pdf(io.BytesIO(out.getvalue()), "mof.pdf")


@settings(max_examples=30, deadline=None)
@given(mof_documents())
def test_mof_fields_survive_xlsx(doc):
    assert through_xlsx(doc) == doc


@settings(max_examples=15, deadline=None)
@given(mof_documents())
def test_mof_fields_survive_the_disclosure_pdf(doc):
    assert through_pdf(doc) == doc


def test_a_form_with_mof_fields_gets_their_columns(seed_doc):
    report = seed_doc.reports[0]
    report.budget.total.adjusted = Decimal("7.00")
    report.budget.total.forecast_spent = Decimal("6.50")
    report.indicators[1].forecast = "100.00"
    report.indicators[1].deviation_causes = ("经费保障", "其他")
    out = io.BytesIO()
    write_xlsx(seed_doc, out, check=None)
    ws = load_workbook(io.BytesIO(out.getvalue())).worksheets[1]
    assert [ws.cell(5, c).value for c in range(6, 12)] == [
        "年初预算数", "调整后预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)", "全年预计执行数"]
    assert [ws.cell(12, c).value for c in range(5, 11)] == [
        "年度指标值", "跟踪期计划完成值", "跟踪期实际完成值", "全年预计完成值", "偏差原因类别", "偏差原因分析"]
    assert ws["I14"].value == "经费保障、其他"
    assert through_xlsx(seed_doc) == seed_doc


def through_text(doc):
    return read_text(io.StringIO(to_text(doc)), "mof.txt")


def through_json(doc):
    out = io.StringIO()
    write_json(doc, out)
    return read_json(io.StringIO(out.getvalue()), "mof.json")


@settings(max_examples=60, deadline=None)
@given(mof_documents())
def test_mof_fields_survive_the_text_layout(doc):
    assert through_text(doc) == doc


@settings(max_examples=8, deadline=None)
@given(mof_documents())
def test_every_field_survives_text_then_json_then_xlsx_then_pdf(doc):
    assert through_pdf(through_xlsx(through_json(through_text(doc)))) == doc


def test_the_text_layout_gets_the_mof_columns_only_for_a_form_with_mof_values(seed_doc):
    report = seed_doc.reports[0]
    report.budget.total.adjusted = Decimal("7.00")
    report.indicators[1].deviation_causes = ("经费保障", "其他")
    lines = to_text(seed_doc).split("\n")
    budget_headers = [line.split("\t") for line in lines if line.startswith("预算执行情况")]
    assert budget_headers[0][5:] == ["年初预算数", "调整后预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)"]
    assert budget_headers[1][5:] == ["年初预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)"]  # the next form
    indicator_header = next(line.split("\t") for line in lines if "三级指标" in line)
    assert indicator_header[4:9] == [
        "年度指标值", "跟踪期 计划完成值", "跟踪期 实际完成值", "偏差原因类别", "偏差原因分析"]
    assert "\t经费保障、其他\t无偏差\t" in "\n".join(lines)
    assert through_text(seed_doc) == seed_doc


def mof_seed(seed_doc):
    """The seed's first form with every MoF field filled, incl. likelihood, 备注 and two 预算调整."""
    seed_doc.reports = seed_doc.reports[:1]
    report = seed_doc.reports[0]
    report.budget.total.adjusted = Decimal("5.39")
    report.budget.total.forecast_spent = Decimal("5.00")
    for indicator in report.indicators:
        indicator.forecast = indicator.actual
        indicator.likelihood = "有可能完成"
        indicator.deviation_causes = ("经费保障",)
    report.remarks = "按合同节点支付"
    report.adjustments = [
        BudgetAdjustment(datetime.date(2024, 5, 20), Decimal("-1.50"), "appropriation", "压减一般性支出"),
        BudgetAdjustment(datetime.date(2024, 7, 1), Decimal("0.00"), "total", None),
    ]
    return seed_doc


def test_likelihood_remarks_and_adjustments_are_printed_and_read_back_in_every_format(seed_doc):
    doc = mof_seed(seed_doc)
    lines = [line.split("\t") for line in to_text(doc).split("\n")]
    header = next(line for line in lines if "三级指标" in line)
    assert "完成目标可能性" in header
    assert next(line for line in lines if line[0] == "备注")[:3] == ["备注", "", "按合同节点支付"]
    at = next(i for i, line in enumerate(lines) if line[0] == "预算调整情况")
    assert lines[at][2:6] == ["调整日期", "资金来源", "调整金额", "调整原因"]
    assert lines[at + 1][2:6] == ["2024-05-20", "当年财政拨款", "-1.50", "压减一般性支出"]
    assert through_text(doc) == doc
    assert through_json(doc) == doc
    assert through_xlsx(doc) == doc
    back = through_pdf(doc)
    # This machine's PDFs use the built-in, non-embedded font, whose lone "无" PDFium drops: compare the rest.
    back.department_goal = doc.department_goal
    back.reports[0].corrective_actions = doc.reports[0].corrective_actions
    assert back == doc


def test_a_template_offers_the_likelihoods_for_each_indicator_and_unlocks_remarks(seed_doc):
    doc = mof_seed(seed_doc)
    out = io.BytesIO()
    write_template(doc, out, check=None)
    ws = load_workbook(io.BytesIO(out.getvalue())).worksheets[1]
    validated = {str(cell) for dv in ws.data_validations.dataValidation for cell in dv.sqref.ranges}
    header = next(r for r in range(1, 30) if ws.cell(r, 4).value == "三级指标")
    column = next(c for c in range(1, 15) if ws.cell(header, c).value == "完成目标可能性")
    assert f"{get_column_letter(column)}{header + 1}" in validated
    remarks_row = next(r for r in range(1, 40) if ws.cell(r, 1).value == "备注")
    assert ws.cell(remarks_row, 3).protection.locked is False


def test_a_bad_adjustment_row_is_refused_naming_its_line(seed_doc):
    text = to_text(mof_seed(seed_doc)).replace("2024-05-20", "五月")
    with pytest.raises(FormatError) as error:
        read_text(io.StringIO(text), "bad.txt")
    assert "调整日期" in str(error.value) and "五月" in str(error.value) and "bad.txt" in str(error.value)
