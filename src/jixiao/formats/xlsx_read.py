"""Read tracking forms from a workbook, whatever people did to the official layout.

Each sheet becomes rows of printed cells and goes through the same field-locating core
as the text and PDF readers (``jixiao.formats.layout.read_rows``), so fields are found by
their labels, not by fixed cells: shifted or extra blank columns, cells merged
differently, numbers stored as text, blank rows, one sheet per form or several forms
in one sheet all read alike. The summary sheet 汇总 only lends the period and the
department goal. Errors name the sheet and, where it can be told, the cell.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from typing import BinaryIO
from xml.etree.ElementTree import ParseError

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from jixiao.domain.model import TrackingDocument
from jixiao.formats.errors import FormatError
from jixiao.formats.form_grid import TITLE
from jixiao.formats.layout import BUDGET_COLUMNS, INDICATOR_COLUMNS, Row, label, read_rows
from jixiao.formats.limits import DEFAULT_LIMITS, ReadLimits
from jixiao.formats.xlsx_cells import printed
from jixiao.formats.xlsx_guard import check_archive
from jixiao.formats.xlsx_write import SUMMARY_SHEET, TEMPLATE_HEADING, TEMPLATE_NAME

DEPARTMENT_GOAL = "部门年度总体目标"
_QUOTED = re.compile(r"“([^”]*)”")


@dataclass
class _SheetRow:
    sheet: str
    number: int  # 1-based row in the sheet
    columns: list[int]  # 1-based sheet column of each cell
    cells: list[str]

    @property
    def where(self) -> str:
        return f"工作表“{self.sheet}”第 {self.number} 行"

    def cell_ref(self, index: int) -> str:
        return f"{get_column_letter(self.columns[index])}{self.number}"


class _Budget:
    """The rows and cells a workbook may still give (see limits.py): checked before and while reading."""

    def __init__(self, limits: ReadLimits, name: str):
        self.limits, self.name, self.cells = limits, name, 0

    def sheet(self, ws) -> None:
        rows, columns = ws.max_row or 0, ws.max_column or 0  # as the sheet declares them
        self._check(ws.title, rows, columns)

    def row(self, ws, number: int, width: int) -> None:
        self.cells += width
        self._check(ws.title, number, width)
        if self.cells > self.limits.cells:
            raise FormatError(f"工作簿的单元格超过 {self.limits.cells:,} 个的上限，出于安全原因未读取", file=self.name)

    def _check(self, title: str, rows: int, columns: int) -> None:
        if rows > self.limits.sheet_rows:
            raise FormatError(f"工作表“{title}”有 {rows:,} 行，超过了 {self.limits.sheet_rows:,} 行的上限"
                              f"（Excel 本身的上限），出于安全原因未读取", file=self.name)
        if columns > self.limits.sheet_columns:
            raise FormatError(f"工作表“{title}”有 {columns:,} 列，超过了 {self.limits.sheet_columns:,} 列的上限"
                              f"（Excel 本身的上限），出于安全原因未读取", file=self.name)


def _sheet_rows(ws, budget: _Budget) -> list[_SheetRow]:
    rows: list[_SheetRow] = []
    budget.sheet(ws)
    for count, cells in enumerate(ws.iter_rows(), start=1):
        budget.row(ws, count, len(cells))
        # Read-only rows may start below row 1 (the sheet's dimension), so numbers come from the cells.
        values = {(c.row, c.column): text for c in cells
                  if getattr(c, "column", None) and (text := printed(c.value, c.number_format)) is not None}
        if values:
            columns = sorted(col for _, col in values)
            number = next(iter(values))[0]
            rows.append(_SheetRow(ws.title, number, columns, [values[number, c] for c in columns]))
    _clear_foreign_indicator_columns(rows)
    rows = [row for row in rows if row.cells]
    if not rows:
        return rows
    # Columns nobody wrote in (an inserted blank column) vanish, the others keep their order.
    used = sorted({c for row in rows for c in row.columns})
    for row in rows:
        by_column = dict(zip(row.columns, row.cells, strict=True))
        row.columns = used
        row.cells = [by_column.get(c, "") for c in used]
    return rows


_INDICATOR_HEADERS = {"绩效指标", "一级指标", "二级指标", "三级指标", *INDICATOR_COLUMNS}


def _clear_foreign_indicator_columns(rows: list[_SheetRow]) -> None:
    """Forget a column people added to the indicator table (备注, 责任人 …) and what they wrote under it.

    Once cleared, such a column is usually empty in the whole sheet and vanishes with the
    other empty columns, so the official columns line up again for the layout core.
    """
    foreign: set[int] = set()
    for row in rows:
        labels = [label(c) for c in row.cells]
        if "一级指标" in labels and "三级指标" in labels:
            foreign = {col for col, lab in zip(row.columns, labels, strict=True)
                       if lab and lab not in _INDICATOR_HEADERS}
        elif foreign and any(("总体判断" in lab or "完成可能性" in lab or lab == "纠偏措施" or lab == TITLE)
                             for lab in labels):
            foreign = set()
        if foreign:
            kept = [(col, cell) for col, cell in zip(row.columns, row.cells, strict=True) if col not in foreign]
            row.columns, row.cells = [c for c, _ in kept], [v for _, v in kept]


def _is_form_sheet(rows: list[_SheetRow]) -> bool:
    labels = {label(c) for row in rows for c in row.cells}
    # A summary has 项目名称 as a column heading too; a form without its title still has 主管部门.
    return TITLE in labels or {"项目名称", "主管部门"} <= labels


def _form_rows(rows: list[_SheetRow]) -> list[_SheetRow]:
    """The sheet's forms, each starting at its title; a title people deleted is put back."""
    out: list[_SheetRow] = []
    for row in rows:
        labels = [label(c) for c in row.cells]
        if "项目名称" in labels and not any(TITLE in [label(c) for c in r.cells] for r in out[-2:]):
            out.append(_SheetRow(row.sheet, row.number, row.columns[:1], [TITLE]))
        if out or TITLE in labels:  # notes above the first form are not part of any form
            out.append(row)
    return out


def _head(rows: list[_SheetRow]) -> list[_SheetRow]:
    """From the summary sheet: the period line and the department goal, as the text reader expects them."""
    head: list[_SheetRow] = []
    for row in rows:
        labels = [label(c) for c in row.cells]
        if any(c.startswith("跟踪时段") for c in labels):
            head.append(_SheetRow(row.sheet, row.number, row.columns, [c for c in row.cells if c]))
        if DEPARTMENT_GOAL in labels:
            index = labels.index(DEPARTMENT_GOAL)
            goal = [(i, c) for i, c in enumerate(row.cells) if c and i > index]
            head.append(_SheetRow(row.sheet, row.number, row.columns[index : index + 1], [DEPARTMENT_GOAL]))
            if goal:
                i, text = goal[0]
                head.append(_SheetRow(row.sheet, row.number, [row.columns[i]], [text]))
    return head


_NOT_XLSX = "不是有效的 Excel（.xlsx）文件：其中的 XML 无法解析"


def _open(stream: BinaryIO, name: str, limits: ReadLimits, **options):
    check_archive(stream, name, limits)
    try:
        return load_workbook(stream, read_only=True, **options)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, ParseError, TypeError, AttributeError):
        # ValueError includes defusedxml's refusals; the library's own (English) text is not shown.
        raise FormatError("不是有效的 Excel（.xlsx）文件，或其结构已损坏", file=name) from None


def read_xlsx(stream: BinaryIO, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> TrackingDocument:
    """Every form in the workbook; raises FormatError naming the sheet and cell, or the limit a part passes."""
    wb = _open(stream, name, limits, data_only=True)
    head: list[_SheetRow] = []
    body: list[_SheetRow] = []
    budget = _Budget(limits, name)
    try:
        for ws in wb.worksheets:
            rows = _sheet_rows(ws, budget)
            if ws.title != SUMMARY_SHEET and _is_form_sheet(rows):
                body.extend(_form_rows(rows))
            elif not head:
                head = _head(rows)
    except (ParseError, ValueError, KeyError, zipfile.BadZipFile, OSError):
        raise FormatError(_NOT_XLSX, file=name) from None
    finally:
        wb.close()
    if not body:
        raise FormatError(f"工作簿中没有任何绩效跟踪表（找不到“{TITLE}”或“项目名称”）", file=name)
    sheet_rows = head + body
    by_where = {}
    rows = []
    for n, row in enumerate(sheet_rows, start=1):
        if row.where not in by_where or len(row.cells) > len(by_where[row.where].cells):
            by_where[row.where] = row  # a title put back shares its row with 项目名称; keep the real one
        rows.append(Row(line=n, cells=tuple(row.cells), where=row.where))
    try:
        return read_rows(rows, name)
    except FormatError as exc:
        raise _pinpoint(exc, by_where, body) from None


def read_template(stream: BinaryIO, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> TrackingDocument:
    """A filled template coming back from a unit; any other workbook is refused, naming where it differs."""
    data = stream.read()
    if not data.startswith(b"PK"):
        raise FormatError("这不是 Excel（.xlsx）工作簿：请上传本系统下载的填报模板", file=name)
    wb = _open(io.BytesIO(data), name, limits)
    try:
        if SUMMARY_SHEET not in wb.sheetnames:
            raise FormatError(f"这不是本系统下载的填报模板：缺少工作表“{SUMMARY_SHEET}”，请先下载模板再填写",
                              file=name, where="工作簿")
        heading = printed(wb[SUMMARY_SHEET]["A1"].value) or ""
        marked = TEMPLATE_NAME in wb.defined_names
    finally:
        wb.close()
    if TEMPLATE_HEADING not in heading or not marked:
        raise FormatError(
            f"这不是本系统下载的填报模板（应为“…{TEMPLATE_HEADING}”，实际为“{heading}”），请先下载模板再填写",
            file=name, line=1, where=f"工作表“{SUMMARY_SHEET}”单元格 A1",
        )
    return read_xlsx(io.BytesIO(data), name, limits)


def _pinpoint(exc: FormatError, by_where: dict[str, _SheetRow], body: list[_SheetRow]) -> FormatError:
    """Name the cell when the message quotes what is in it, and the column when it is an amount."""
    row = by_where.get(exc.where or "")
    if row is None:
        return exc
    message = exc.message
    for quoted in _QUOTED.findall(message):
        for index, cell in enumerate(row.cells):
            if cell and cell.strip() == quoted.strip():
                header = _column_header(row, index, body)
                if header and message.startswith("金额"):
                    message = header + message[len("金额"):]
                where = f"工作表“{row.sheet}”单元格 {row.cell_ref(index)}"
                return FormatError(message, file=exc.file, line=row.number, where=where)
    return FormatError(message, file=exc.file, line=row.number, where=exc.where)


def _column_header(row: _SheetRow, index: int, body: list[_SheetRow]) -> str | None:
    """The budget column (年初预算数 … 执行率) above a cell, looking up from its row."""
    column = row.columns[index]
    above = [r for r in body if r.sheet == row.sheet and r.number < row.number]
    for candidate in reversed(above[-6:]):
        if column in candidate.columns:
            text = label(candidate.cells[candidate.columns.index(column)])
            if text in BUDGET_COLUMNS:
                return text.replace("(%)", "").replace("（%）", "")
    return None
