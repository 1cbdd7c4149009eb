"""Workbooks in the official layout: a summary sheet 汇总 and one sheet per form.

``write_xlsx`` is the department's workbook for a period; ``write_template`` is the same
workbook for filling in: the cells a unit fills are unlocked and tinted, likelihood
cells offer the three allowed phrases, and everything else is protected.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from copy import copy
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell, MergedCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.merge import MergedCellRange
from openpyxl.worksheet.worksheet import Worksheet

from jixiao.domain import form_layout as form
from jixiao.domain.checker import check_report
from jixiao.domain.findings import LIGHT_LABELS, SEVERITIES, SEVERITY_LABELS, ReportCheck
from jixiao.domain.model import CENT, LIKELIHOODS, WANYUAN, TrackingDocument, TrackingReport, percent, to_wanyuan
from jixiao.formats.form_grid import (
    K_AMOUNT,
    K_LABEL,
    K_PERIOD,
    K_TEXT,
    K_TITLE,
    display_width,
    form_grid,
    period_line,
)
from jixiao.formats.xlsx_cells import cell_form, put_printed, set_value

SUMMARY_SHEET = "汇总"
# How a returned template is known (read_template): the 汇总 heading a person sees, and a
# workbook-level name that survives editing in Excel and LibreOffice.
TEMPLATE_HEADING = "财政项目支出绩效跟踪填报模板"
TEMPLATE_NAME = "jixiao_template"
TEMPLATE_MARK = "jixiao.template/1"
TEMPLATE_NOTE = ("填写说明：每个项目一张工作表，只需填写浅黄色格子（执行数、执行率、实际完成情况、计划与实际完成值、"
                 "偏差原因、完成可能性与纠偏措施），完成可能性请从下拉列表中选择；其余内容由系统提供，已锁定。")
Check = Callable[[TrackingReport], ReportCheck | None]

_THIN = Side(style="thin", color="000000")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_FONT = Font(name="宋体", size=10)
_BOLD = Font(name="宋体", size=10, bold=True)
_TITLE_FONT = Font(name="宋体", size=16, bold=True)
_LINK_FONT = Font(name="宋体", size=10, color="0563C1", underline="single")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_RIGHT = Alignment(horizontal="right", vertical="center")
_INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")  # the pale yellow officers know as "fill here"
_LIGHT_FILLS = {
    "red": PatternFill("solid", fgColor="F4B6B6"),
    "yellow": PatternFill("solid", fgColor="FFE699"),
    "green": PatternFill("solid", fgColor="C6EFCE"),
}
_UNLOCKED = Protection(locked=False)

# What a unit fills in a template: the period's figures and words, not the names,
# budgets or targets the system already knows.
_INPUT_FIELDS = re.compile(
    r"^(budget\.\w+\.(spent|rate|forecast_spent)|progress"
    r"|indicators\.\d+\.(planned|actual|deviation_reason|forecast|likelihood|deviation_causes)"
    r"|budget_likelihood|goal_likelihood|corrective_actions|remarks)$"
)
# The cells that offer the three likelihoods in a template: the form's two and each indicator's.
_LIKELIHOOD_FIELDS = re.compile(r"^(budget_likelihood|goal_likelihood|indicators\.\d+\.likelihood)$")
_FORBIDDEN_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")


def safe_sheet_name(name: str, taken: set[str]) -> str:
    """An Excel-legal sheet name (no []:*?/\\, ≤ 31 characters) unique among ``taken``."""
    base = _FORBIDDEN_IN_SHEET_NAMES.sub("_", ILLEGAL_CHARACTERS_RE.sub("", name)).strip().strip("'") or "表"
    base = base[:31]
    candidate, n = base, 1
    while candidate.casefold() in taken or candidate.casefold() == "history":
        n += 1
        suffix = f"({n})"
        candidate = base[: 31 - len(suffix)] + suffix
    taken.add(candidate.casefold())
    return candidate


def _row_height(share: int) -> float:
    # share = text width per column unit × 100; a column unit holds about 0.9 half-width chars at 10pt.
    lines = max(1, -(-share * 110 // 10000))
    return max(18.0, 13.5 * lines + 4)


class _StyleBook:
    """Style arrays built once per workbook and copied into cells.

    Assigning font, border, alignment … per cell makes openpyxl hash and look up each
    style object every time, and its merge_cells rebuilds edge borders cell by cell:
    together 10 s for 500 forms. Copying a ready style array is what makes the goal.
    """

    def __init__(self, wb: Workbook):
        self.scratch = Cell(wb.active)
        self.cache: dict[tuple, StyleArray] = {}

    def __call__(self, kind: str, number_format: str, is_input: bool) -> StyleArray:
        key = (kind, number_format, is_input)
        if key not in self.cache:
            cell = self.scratch
            cell._style = StyleArray()
            if kind == K_TITLE:
                cell.font, cell.alignment = _TITLE_FONT, _CENTER
            elif kind == K_PERIOD:
                cell.font, cell.alignment = _FONT, _CENTER
            else:
                cell.font = _BOLD if kind == K_LABEL else _FONT
                cell.alignment = _LEFT if kind == K_TEXT else _RIGHT if kind == K_AMOUNT else _CENTER
                cell.border = _BORDER
            if is_input:
                cell.protection, cell.fill = _UNLOCKED, _INPUT_FILL
            cell.number_format = number_format
            cell.quotePrefix = number_format == "@"
            self.cache[key] = cell._style
        return self.cache[key]


def write_form(ws: Worksheet, report: TrackingReport, styles: _StyleBook, top: int = 1, *,
               template: bool = False) -> int:
    """Draw one form with its top-left corner at row ``top``; returns the first row after it."""
    grid = form_grid(report)
    cells = ws._cells
    for gc in grid.cells:
        value, number_format = cell_form(gc.value)
        is_input = template and gc.field is not None and _INPUT_FIELDS.match(gc.field) is not None
        style = styles(gc.kind, number_format, is_input)
        row, col = top + gc.row, 1 + gc.col
        cell = ws.cell(row=row, column=col)
        set_value(cell, value)
        cell._style = copy(style)
        if gc.rowspan > 1 or gc.colspan > 1:
            last_row, last_col = top + gc.last_row, 1 + gc.last_col
            ws.merged_cells.add(MergedCellRange(ws, f"{cell.coordinate}:{get_column_letter(last_col)}{last_row}"))
            edge = styles(gc.kind, "General", is_input)
            for r in range(row, last_row + 1):
                for c in range(col, last_col + 1):
                    if (r, c) != (row, col):
                        merged = MergedCell(ws, r, c)
                        merged._style = copy(edge)  # each cell of the range carries the border
                        cells[r, c] = merged
    for i, width in enumerate(grid.widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.row_dimensions[top].height = 30
    ws.row_dimensions[top + 1].height = 20
    for row, share in grid.text_rows.items():
        ws.row_dimensions[top + row].height = _row_height(share)
    return top + grid.rows


def _setup_page(ws: Worksheet, landscape: bool = False) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.5
    ws.page_margins.top = ws.page_margins.bottom = 0.6


def _form_sheet(wb: Workbook, report: TrackingReport, taken: set[str], template: bool,
                styles: _StyleBook) -> Worksheet:
    ws = wb.create_sheet(safe_sheet_name(report.project, taken))
    end = write_form(ws, report, styles, template=template)
    _setup_page(ws)
    ws.print_area = f"A1:{get_column_letter(ws.max_column)}{end - 1}"
    return ws


# The form's labels from the one layout definition; amounts of the 汇总 are all in 万元.
_SUMMARY_HEADERS = (
    ("序号", 6), (form.PROJECT_LABEL, 30), (form.UNIT_LABEL, 26),
    *((f"{form.FIELD_LABELS[name]}（{WANYUAN}）", 13) for name in ("initial", "period_budget", "spent")),
    ({c.field: c.header for c in form.BUDGET_COLUMNS}["rate"], 10),
    ("序时进度(%)", 10), ("预警", 8), ("最主要问题", 60),
)


def _worst_finding(check: ReportCheck) -> str | None:
    if not check.findings:
        return None
    finding = min(check.findings, key=lambda f: SEVERITIES.index(f.severity))
    where = f"（{finding.indicator}）" if finding.indicator else ""
    return f"[{SEVERITY_LABELS[finding.severity]}] {finding.message}{where}"


def _wanyuan(amount, unit: str):
    """A form's amount in the 汇总's one unit, 万元 (a form in 元 is divided by 10000, shown to 0.01)."""
    if amount is None or unit == WANYUAN:
        return amount
    return to_wanyuan(amount, unit).quantize(CENT)


def _summary_total(ws: Worksheet, row: int, reports: list[TrackingReport]) -> None:
    """The 合计 row: every form's amounts in 万元, summed exactly, and the overall rate."""
    sums = []
    for column in ("initial", "period_budget", "spent"):
        values = [to_wanyuan(getattr(r.budget.total, column), r.amount_unit) for r in reports]
        sums.append(sum((v for v in values if v is not None), Decimal(0)).quantize(CENT))
    values = ["合计", None, None, *sums, percent(sums[2], sums[1]),
              reports[0].time_progress if reports else None, None, None]
    for col, value in enumerate(values, start=1):
        cell = ws.cell(row=row, column=col)
        put_printed(cell, value)
        cell.font, cell.border = _BOLD, _BORDER
        cell.alignment = _RIGHT if 4 <= col <= 8 else _CENTER
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=3)


def _summary_sheet(wb: Workbook, doc: TrackingDocument, sheets: list[str], check: Check | None,
                   template: bool) -> None:
    ws = wb.active
    ws.title = SUMMARY_SHEET
    department = doc.reports[0].department if doc.reports else ""
    ncols = len(_SUMMARY_HEADERS)
    last = get_column_letter(ncols)
    heading = TEMPLATE_HEADING if template else "财政项目支出绩效跟踪汇总"
    lines = [(f"{department} {heading}", _TITLE_FONT)]
    if doc.period is not None:
        lines.append((period_line(doc.period), _FONT))
    if template:
        lines.append((TEMPLATE_NOTE, _BOLD))
    for row, (text, font) in enumerate(lines, start=1):
        set_value(ws.cell(row=row, column=1), text)  # a department named "=…" stays text
        ws.cell(row=row, column=1).font = font
        ws.cell(row=row, column=1).alignment = _LEFT if text == TEMPLATE_NOTE else _CENTER
        ws.merge_cells(f"A{row}:{last}{row}")
        if text == TEMPLATE_NOTE:
            ws.row_dimensions[row].height = 32
    row = len(lines) + 1
    ws.cell(row=row, column=1, value="部门年度总体目标").font = _BOLD
    ws.cell(row=row, column=1).border = _BORDER
    ws.merge_cells(f"A{row}:B{row}")
    goal = ws.cell(row=row, column=3)
    put_printed(goal, doc.department_goal)
    goal.alignment, goal.border, goal.font = _LEFT, _BORDER, _FONT
    ws.merge_cells(f"C{row}:{last}{row}")
    header = row + 1
    for col, (label, width) in enumerate(_SUMMARY_HEADERS, start=1):
        cell = ws.cell(row=header, column=col, value=label)
        cell.font, cell.alignment, cell.border = _BOLD, _CENTER, _BORDER
        ws.column_dimensions[get_column_letter(col)].width = width
    for n, (report, sheet) in enumerate(zip(doc.reports, sheets, strict=True), start=1):
        total = report.budget.total
        result = check(report) if check else None
        light = result.light if result else None
        values = [
            n, report.project, report.unit, *(_wanyuan(v, report.amount_unit) for v in
                                              (total.initial, total.period_budget, total.spent)), total.rate,
            report.time_progress, LIGHT_LABELS.get(light or ""), _worst_finding(result) if result else None,
        ]
        r = header + n
        ws.cell(row=r, column=2).hyperlink = "#'" + sheet.replace("'", "''") + "'!A1"
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=r, column=col)
            put_printed(cell, value if not isinstance(value, int) else str(value))
            cell.font, cell.border = _FONT, _BORDER
            cell.alignment = _LEFT if col in (2, 3, 10) else _RIGHT if 4 <= col <= 8 else _CENTER
        link = ws.cell(row=r, column=2)
        link.font = _LINK_FONT  # set after the hyperlink, which resets the cell to the Hyperlink style
        shares = [display_width(str(values[i - 1] or "")) * 100 // _SUMMARY_HEADERS[i - 1][1] for i in (2, 3, 10)]
        ws.row_dimensions[r].height = _row_height(max(shares))
        if light in _LIGHT_FILLS:
            ws.cell(row=r, column=9).fill = _LIGHT_FILLS[light]
    if not template and doc.reports:
        _summary_total(ws, header + len(doc.reports) + 1, doc.reports)
    ws.freeze_panes = ws.cell(row=header + 1, column=3)
    _setup_page(ws, landscape=True)
    ws.print_title_rows = f"{header}:{header}"


def _workbook(doc: TrackingDocument, check: Check | None, template: bool) -> Workbook:
    wb = Workbook()
    taken = {SUMMARY_SHEET.casefold()}
    styles = _StyleBook(wb)
    sheets = [_form_sheet(wb, report, taken, template, styles).title for report in doc.reports]
    _summary_sheet(wb, doc, sheets, check, template)
    return wb


def write_xlsx(doc: TrackingDocument, stream: BinaryIO, *, check: Check | None = check_report) -> None:
    """The department's workbook for the period: 汇总 with the checker's lights, and a sheet per form.

    ``check`` decides the lights (pass one bound to the region's config); ``None`` leaves them out.
    """
    _workbook(doc, check, template=False).save(stream)


def write_template(doc: TrackingDocument, stream: BinaryIO, *, check: Check | None = check_report) -> None:
    """A fill-in workbook: input cells unlocked and tinted, likelihoods validated, the rest protected.

    Its 汇总 shows, as the department's workbook does, each form's light (预警) and most serious
    finding (最主要问题) as they stand now: what the unit has to put right while filling in."""
    wb = _workbook(doc, check, template=True)
    choices = ",".join(LIKELIHOODS)
    for ws, report in zip(wb.worksheets[1:], doc.reports, strict=True):
        validation = DataValidation(
            type="list", formula1=f'"{choices}"', allow_blank=True, showErrorMessage=True,
            errorTitle="完成可能性", error=f"请选择：{'、'.join(LIKELIHOODS)}",
        )
        ws.add_data_validation(validation)
        for gc in form_grid(report).cells:
            if gc.field is not None and _LIKELIHOOD_FIELDS.match(gc.field):
                validation.add(f"{get_column_letter(1 + gc.col)}{1 + gc.row}")
        ws.protection.sheet = True
        ws.protection.formatCells = False
        ws.protection.formatRows = False  # long answers need taller rows
    wb.defined_names[TEMPLATE_NAME] = DefinedName(TEMPLATE_NAME, attr_text=f'"{TEMPLATE_MARK}"')
    wb.save(stream)
