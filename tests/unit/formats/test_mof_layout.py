"""The MoF-style monitoring fields (调整后预算数, 全年预计执行数, 全年预计完成值, 偏差原因类别)
travel through text, JSON, xlsx and PDF: a form that uses them gets extra columns."""

import io
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from jixiao.domain.model import DEVIATION_CAUSES
from jixiao.formats.json import read_json, write_json
from jixiao.formats.pdf_read import read_pdf
from jixiao.formats.pdf_write import write_pdf
from jixiao.formats.text import read_text, to_text
from jixiao.formats.xlsx_read import read_xlsx
from jixiao.formats.xlsx_write import write_xlsx
from tests.strategies import amounts, documents, numbers

causes = st.lists(st.sampled_from(DEVIATION_CAUSES), max_size=3, unique=True).map(tuple)


@st.composite
def mof_documents(draw):
    doc = draw(documents(max_reports=2))
    for report in doc.reports:
        with_adjusted, with_forecast = draw(st.booleans()), draw(st.booleans())
        for _, line in report.budget.lines():
            line.adjusted = draw(st.one_of(st.none(), amounts)) if with_adjusted else None
            line.forecast_spent = draw(st.one_of(st.none(), amounts)) if with_forecast else None
        for indicator in report.indicators:
            value = numbers if indicator.target.is_quantitative else st.just(indicator.target.text)
            indicator.forecast = draw(st.one_of(st.none(), value))
            indicator.deviation_causes = draw(causes)
    return doc


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
    assert through_pdf(seed_doc) == seed_doc


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
