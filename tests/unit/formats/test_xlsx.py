import io
import shutil
import subprocess
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from jixiao.domain.findings import ERROR, WARNING, Finding, ReportCheck
from jixiao.formats.errors import FormatError
from jixiao.formats.pdf_read import read_pdf
from jixiao.formats.text import iter_form_lines
from jixiao.formats.xlsx_read import read_template, read_xlsx
from jixiao.formats.xlsx_write import safe_sheet_name, write_template, write_xlsx
from tests.strategies import documents


def to_xlsx(doc, **kwargs) -> bytes:
    out = io.BytesIO()
    write_xlsx(doc, out, **kwargs)
    return out.getvalue()


def read_back(data: bytes):
    return read_xlsx(io.BytesIO(data), "book.xlsx")


def workbook_of(data: bytes):
    return load_workbook(io.BytesIO(data))


def saved(wb) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_the_seed_written_to_xlsx_reads_back_as_the_same_data(seed_doc):
    assert read_back(to_xlsx(seed_doc)) == seed_doc


@settings(max_examples=40, deadline=None)
@given(documents())
def test_any_document_survives_a_round_trip_through_xlsx(doc):
    assert read_back(to_xlsx(doc)) == doc


def test_the_workbook_has_a_summary_sheet_and_one_sheet_per_form(seed_doc):
    wb = workbook_of(to_xlsx(seed_doc))
    assert wb.sheetnames[0] == "汇总"
    assert wb.sheetnames[1:] == [r.project for r in seed_doc.reports]


def test_a_form_sheet_has_the_official_layout(seed_doc):
    ws = workbook_of(to_xlsx(seed_doc))["宣传费"]
    assert ws["A1"].value == "财政项目支出绩效跟踪表"
    assert ws["A2"].value == "跟踪时段：（ 2024年1月 至 2024年8月 ）"
    assert (ws["A3"].value, ws["C3"].value) == ("项目名称", "宣传费")
    assert [ws.cell(5, c).value for c in range(6, 10)] == ["年初预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)"]
    assert ws["C6"].value == "年度资金总额"
    assert [ws.cell(12, c).value for c in range(2, 9)] == [
        "一级指标", "二级指标", "三级指标", "年度指标值", "跟踪期计划完成值", "跟踪期实际完成值", "偏差原因分析"]
    merged = {str(r) for r in ws.merged_cells.ranges}
    assert {"A1:I1", "A2:I2", "A3:B3", "C3:I3", "A5:B9", "H12:I12"} <= merged
    assert "B13:B13" not in merged and "B14:B16" in merged  # 产出指标 spans its three indicators


def test_a_form_sheet_prints_on_a4_with_borders_widths_and_wrapped_text(seed_doc):
    ws = workbook_of(to_xlsx(seed_doc))["工伤认定和劳动能力鉴定业务系统（2024年运维）"]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.fitToWidth == 1  # 9 is A4 in OOXML
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.print_area.endswith("!$A$1:$I$25")
    assert ws.column_dimensions["D"].width > ws.column_dimensions["A"].width
    goal = ws["B11"]
    assert goal.alignment.wrap_text and goal.border.left.style == "thin"
    assert ws.row_dimensions[11].height > 40  # the long goal gets a tall row
    assert ws["A1"].font.b and ws["A1"].font.sz == 16


def test_amounts_are_numbers_with_two_decimals_not_text(seed_doc):
    ws = workbook_of(to_xlsx(seed_doc))["宣传费"]
    rate = ws["I6"]
    assert rate.value == pytest.approx(69.11) and rate.data_type == "n" and rate.number_format == "0.00"
    assert ws["F8"].value == 0 and ws["F8"].number_format == "0.00"


def test_planned_values_are_numbers_that_print_as_published(seed_doc):
    ws = workbook_of(to_xlsx(seed_doc))["宣传费"]
    target, planned = ws["E14"], ws["F14"]
    assert target.value == "=100.00(%)" and target.data_type == "s"  # a target, not a formula
    assert planned.value == 100 and planned.number_format == "0.00"
    assert ws["F13"].value == "有效"


def test_a_value_a_number_cannot_print_stays_text(seed_doc):
    seed_doc.reports[0].indicators[1].planned = "007"
    seed_doc.reports[0].indicators[2].planned = "12,000.00"
    ws = workbook_of(to_xlsx(seed_doc)).worksheets[1]
    assert (ws["F14"].value, ws["F15"].value) == ("007", "12,000.00")
    assert read_back(saved(ws.parent)) == seed_doc


def test_sheet_names_are_made_legal_and_unique():
    taken = {"汇总"}
    assert safe_sheet_name("a/b:c*d?e[f]g\\h", taken) == "a_b_c_d_e_f_g_h"
    assert safe_sheet_name("汇总", taken) == "汇总(2)"
    assert safe_sheet_name("'引号'\x01", taken) == "引号"
    long = "很长的项目名称" * 6
    first, second = safe_sheet_name(long, taken), safe_sheet_name(long, taken)
    assert len(first) == 31 and len(second) <= 31 and first != second


def test_two_forms_with_the_same_project_name_get_two_sheets(seed_doc):
    seed_doc.reports[1].project = seed_doc.reports[0].project
    data = to_xlsx(seed_doc)
    assert len(workbook_of(data).sheetnames) == 10
    assert read_back(data) == seed_doc


def test_the_summary_has_one_row_per_project_with_light_and_worst_finding(seed_doc):
    finding = Finding("rate.mismatch", ERROR, "执行率与金额不符", field="budget.total.rate")
    checks = {id(seed_doc.reports[3]): ReportCheck(Decimal("66.67"), "yellow", "red", findings=[
        Finding("x", WARNING, "一个警告"), finding])}
    ws = workbook_of(to_xlsx(seed_doc, check=lambda r: checks.get(id(r))))["汇总"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=5, max_row=13)]
    assert [r[1] for r in rows] == [r.project for r in seed_doc.reports]
    assert rows[3][3:9] == [pytest.approx(6.8), pytest.approx(6.8), pytest.approx(4.7), pytest.approx(69.11),
                            pytest.approx(66.67), "红灯"]
    assert rows[3][9] == "[错误] 执行率与金额不符"
    assert ws["C3"].value == "无"


def test_cells_are_named_right_when_a_sheet_starts_below_row_one(seed_doc):
    wb = workbook_of(hand_made_sheet(seed_doc, column_offset=2))
    ws = wb.active
    ws.insert_rows(1, amount=4)
    ws.delete_cols(1)  # the sheet now starts at B5
    ws["J10"] = "abc"  # 年度资金总额 · 执行率
    with pytest.raises(FormatError) as caught:
        read_back(saved(wb))
    assert caught.value.where == "工作表“我的表”单元格 J10"
    assert caught.value.message == "执行率应为数字，实际为“abc”"


def test_a_rate_that_is_not_a_number_is_refused_naming_sheet_and_cell(seed_doc):
    wb = workbook_of(to_xlsx(seed_doc))
    wb["宣传费"]["I6"] = "abc"
    with pytest.raises(FormatError) as caught:
        read_back(saved(wb))
    assert str(caught.value) == "book.xlsx，工作表“宣传费”单元格 I6：执行率应为数字，实际为“abc”"


def test_a_workbook_without_forms_is_refused():
    wb = Workbook()
    wb.active["A1"] = "随便写点什么"
    with pytest.raises(FormatError, match="没有任何绩效跟踪表"):
        read_back(saved(wb))


def test_a_file_that_is_not_a_workbook_is_refused():
    with pytest.raises(FormatError, match="不是有效的 Excel"):
        read_back(b"PK\x03\x04 not really a zip")


def hand_made_sheet(doc, *, column_offset=0, blank_rows=False):
    """All forms in one sheet, as an officer might paste them: no merges, numbers as text."""
    wb = Workbook()
    ws = wb.active
    ws.title = "我的表"
    row = 1
    for report in doc.reports:
        for cells in iter_form_lines(report):
            for col, value in enumerate(cells, start=1 + column_offset):
                if value:
                    cell = ws.cell(row, col, value)
                    cell.data_type = "s"  # typed with a leading ' so "=100.00(%)" is no formula
            row += 2 if blank_rows else 1
        row += 3
    return saved(wb)


def test_several_forms_in_one_sheet_shifted_with_numbers_as_text_read_alike(seed_doc):
    seed_doc.department_goal = None  # the pasted sheet has no 汇总 to carry it
    assert read_back(hand_made_sheet(seed_doc, column_offset=3, blank_rows=True)) == seed_doc


@settings(max_examples=30, deadline=None)
@given(documents(), st.integers(0, 5), st.booleans())
def test_any_document_pasted_by_hand_reads_alike(doc, offset, blank_rows):
    doc.department_goal = None
    assert read_back(hand_made_sheet(doc, column_offset=offset, blank_rows=blank_rows)) == doc


def test_an_inserted_blank_column_does_not_matter(seed_doc):
    wb = workbook_of(hand_made_sheet(seed_doc))
    wb.active.insert_cols(5)
    seed_doc.department_goal = None
    assert read_back(saved(wb)) == seed_doc


def test_columns_added_to_the_indicator_table_are_ignored(seed_doc):
    wb = workbook_of(to_xlsx(seed_doc))
    ws = wb["宣传费"]
    for merged in list(ws.merged_cells.ranges):  # openpyxl would not move merges with the columns
        ws.unmerge_cells(str(merged))
    ws.insert_cols(6)  # between 年度指标值 and 跟踪期计划完成值, through the whole sheet
    ws["F12"], ws["F13"], ws["F15"] = "说明", "按年度计划", "见附件"
    ws["K12"], ws["K14"] = "备注", "已与宣传科核对"
    assert read_back(saved(wb)) == seed_doc


def test_cells_merged_differently_or_not_at_all_read_alike(seed_doc):
    wb = workbook_of(to_xlsx(seed_doc))
    ws = wb["宣传费"]
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    ws.merge_cells("B10:E10")  # an officer's own merges
    ws.merge_cells("D21:F21")
    assert read_back(saved(wb)) == seed_doc


def test_a_renamed_summary_sheet_is_still_not_taken_for_a_form(seed_doc):
    wb = workbook_of(to_xlsx(seed_doc))
    wb["汇总"].title = "部门汇总"
    assert read_back(saved(wb)) == seed_doc


def test_a_form_whose_title_was_deleted_is_still_found(seed_doc):
    wb = workbook_of(to_xlsx(seed_doc))
    ws = wb["宣传费"]
    ws.unmerge_cells("A1:I1")
    ws["A1"] = None
    assert read_back(saved(wb)) == seed_doc


def test_the_template_unlocks_input_cells_and_validates_likelihoods(seed_doc):
    out = io.BytesIO()
    write_template(seed_doc, out)
    wb = workbook_of(out.getvalue())
    ws = wb["宣传费"]
    assert ws.protection.sheet
    assert ws["C3"].protection.locked  # the project name is the system's
    assert not ws["H6"].protection.locked and not ws["G14"].protection.locked and not ws["H14"].protection.locked
    assert ws["F6"].protection.locked  # the budget is the system's
    validation = ws.data_validations.dataValidation[0]
    assert validation.formula1 == '"确定能完成,有可能完成,完全不可能完成"'
    assert {str(r) for r in validation.sqref.ranges} == {"D21", "D22"}
    assert read_back(out.getvalue()) == seed_doc


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (Debian libreoffice-calc-nogui) is absent")
def test_libreoffice_converts_the_workbook_to_a_pdf_that_reads_back_as_the_seed(seed_doc, tmp_path):
    book = tmp_path / "seed.xlsx"
    book.write_bytes(to_xlsx(seed_doc))
    result = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(book)],
        capture_output=True, text=True, timeout=180,
    )
    assert result.returncode == 0, result.stderr
    pdf = tmp_path / "seed.pdf"
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.stat().st_size > 10_000
    # A PDF made by someone else's software (summary page first, its own line breaks) reads too.
    with pdf.open("rb") as fh:
        assert read_pdf(fh, "seed.pdf") == seed_doc


def test_a_filled_template_comes_back_with_what_the_unit_typed(seed_doc):
    out = io.BytesIO()
    write_template(seed_doc, out)
    wb = workbook_of(out.getvalue())
    wb["宣传费"]["G14"] = 95
    wb["宣传费"]["G14"].number_format = "0.00"
    wb["宣传费"]["H14"] = "制作进度滞后"
    back = read_template(io.BytesIO(saved(wb)), "filled.xlsx")
    indicator = back.reports[3].indicators[1]
    assert (indicator.actual, indicator.deviation_reason) == ("95.00", "制作进度滞后")


def test_a_workbook_that_is_not_a_template_is_refused_naming_sheet_and_cell(seed_doc):
    with pytest.raises(FormatError) as caught:
        read_template(io.BytesIO(to_xlsx(seed_doc)), "export.xlsx")
    assert caught.value.where == "工作表“汇总”单元格 A1"
    assert "这不是本系统下载的填报模板" in caught.value.message


def test_the_summary_carries_the_checkers_lights_by_default(seed_doc):
    from jixiao.domain.checker import check_report
    from jixiao.domain.findings import LIGHT_LABELS

    ws = workbook_of(to_xlsx(seed_doc))["汇总"]
    lights = [ws.cell(row, 9).value for row in range(5, 14)]
    assert lights == [LIGHT_LABELS[check_report(r).light] for r in seed_doc.reports]
    assert "红灯" in lights and "绿灯" in lights
    worst = ws.cell(6, 10).value  # 鉴定、认定费: errors come before warnings
    assert worst.startswith("[错误]")
    assert workbook_of(to_xlsx(seed_doc, check=None))["汇总"].cell(5, 9).value is None


def test_a_filled_template_with_mistakes_comes_back_with_those_findings(seed_doc):
    from jixiao.domain.checker import check_report

    out = io.BytesIO()
    write_template(seed_doc, out)
    wb = workbook_of(out.getvalue())
    ws = wb["邮寄费"]  # 12.00 budgeted for the period
    ws["H6"] = 9.93
    ws["I6"] = 90.00  # wrong: 9.93 / 12.00 is 82.75
    ws["G13"] = 8000  # 送达文书数量 short of the 10000.00 planned, and the reason left at 无偏差
    back = read_template(io.BytesIO(saved(wb)), "filled.xlsx")
    rules = {(f.rule, f.indicator) for f in check_report(back.reports[4]).findings}
    assert ("budget.rate_mismatch", None) in rules
    assert ("indicator.deviation_unexplained", "送达文书数量") in rules


free_text = st.text(
    alphabet="通过购买第三方服务运维，。（）%abcXYZ0123456789 -/.:;\n", min_size=1, max_size=200,
).filter(lambda s: s == s.strip())


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(free_text, free_text, free_text)
def test_free_text_with_spaces_and_line_breaks_reads_back_exactly(seed_doc, goal, reason, measures):
    report = seed_doc.reports[0]
    report.goal, report.indicators[0].deviation_reason, report.corrective_actions = goal, reason, measures
    assert read_back(to_xlsx(seed_doc, check=None)) == seed_doc
