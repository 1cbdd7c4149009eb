"""The goal-declaration workbook (项目支出绩效目标申报表): write one goal, read it back.

Layout (one sheet): title, 年度, then label/value rows in columns A–D — 项目名称; 主管部门 / 实施单位;
金额单位; 资金来源 / 年初预算数 with one row per funding source (domain/model.py FUNDING_LABELS);
年度总体目标; and the indicator table headed 一级指标 | 二级指标 | 三级指标 | 指标值 | 指标方向 | 指标类型,
one indicator a row until the first blank row. The reader finds the rows by their labels in column A;
every error names the cell, and nothing is returned unless the whole sheet reads.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from jixiao.domain.framework import DIRECTIONS, KINDS, level1_of
from jixiao.domain.goal_sheet import GoalDeclaration, GoalRow
from jixiao.domain.model import AMOUNT_UNITS, FUNDING_LABELS, FUNDING_SOURCES
from jixiao.formats.errors import FormatError
from jixiao.formats.limits import DEFAULT_LIMITS, ReadLimits
from jixiao.formats.xlsx_cells import printed, put_printed
from jixiao.formats.xlsx_read import _open

TITLE = "项目支出绩效目标申报表"
HEADINGS = ("一级指标", "二级指标", "三级指标", "指标值", "指标方向", "指标类型")
MAX_ROWS = 500
_BY_DIRECTION = {label: code for code, label in DIRECTIONS.items()}
_BY_KIND = {label: code for code, label in KINDS.items()}
_BOLD = Font(name="宋体", size=10, bold=True)
_FONT = Font(name="宋体", size=10)


def write_goal_xlsx(stream: BinaryIO, goal: GoalDeclaration) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标申报表"
    for column, width in zip("ABCDEF", (16, 20, 26, 18, 10, 10), strict=True):
        ws.column_dimensions[column].width = width
    ws.append([TITLE])
    ws.merge_cells("A1:F1")
    ws["A1"].font = Font(name="宋体", size=14, bold=True)
    ws["A1"].alignment = Alignment(horizontal="center")
    ws.append([f"（{goal.year}年度）" if goal.year else ""])
    ws.append(["项目名称", goal.project])
    ws.append(["主管部门", goal.department, "实施单位", goal.unit])
    ws.append(["金额单位", goal.amount_unit])
    ws.append(["资金来源", "年初预算数"])
    for source in FUNDING_SOURCES:
        ws.append([FUNDING_LABELS[source]])
        put_printed(ws.cell(ws.max_row, 2), goal.initial.get(source))
    ws.append(["年度总体目标", goal.overall_goal])
    ws.cell(ws.max_row, 2).alignment = Alignment(wrap_text=True, vertical="top")
    ws.append(list(HEADINGS))
    for cell in ws[ws.max_row]:
        cell.font = _BOLD
    for row in goal.indicators:
        ws.append([row.level1, row.level2, row.name, None, DIRECTIONS.get(row.direction or "", ""),
                   KINDS.get(row.kind or "", "")])
        put_printed(ws.cell(ws.max_row, 4), row.target_text)
    wb.save(stream)


def _text(ws, row: int, column: int) -> str:
    cell = ws.cell(row, column)
    value = printed(cell.value, cell.number_format)
    return (value or "").strip()


def read_goal_xlsx(stream: BinaryIO, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> GoalDeclaration:
    """The declaration in the workbook's first sheet; FormatError naming the cell otherwise."""
    wb = _open(stream, name, limits)
    ws = wb.worksheets[0]
    rows = min(ws.max_row or 0, MAX_ROWS)
    labels = {}
    for number in range(1, rows + 1):
        labels.setdefault(_text(ws, number, 1), number)

    def where(row: int, column: str) -> str:
        return f"工作表“{ws.title}”单元格 {column}{row}"

    def needed(label: str) -> int:
        if label not in labels:
            raise FormatError(f"找不到“{label}”一行（应在 A 列）：这不是项目支出绩效目标申报表", file=name)
        return labels[label]

    project_row = needed("项目名称")
    project = _text(ws, project_row, 2)
    if not project:
        raise FormatError("项目名称空白", file=name, where=where(project_row, "B"))
    department_row = needed("主管部门")
    unit_row = labels.get("金额单位")
    amount_unit = _text(ws, unit_row, 2) if unit_row else "万元"
    if amount_unit not in AMOUNT_UNITS:
        raise FormatError(f"金额单位“{amount_unit}”不可用（只接受：{'、'.join(AMOUNT_UNITS)}）", file=name,
                          where=where(unit_row, "B"))
    initial: dict[str, Decimal | None] = {}
    for source in FUNDING_SOURCES:
        row = labels.get(FUNDING_LABELS[source])
        text = _text(ws, row, 2).replace(",", "") if row else ""
        try:
            initial[source] = Decimal(text) if text else None
        except InvalidOperation:
            raise FormatError(f"{FUNDING_LABELS[source]}的年初预算数“{text}”不是数字", file=name,
                              where=where(row, "B")) from None
    goal_row = needed("年度总体目标")
    head = needed("一级指标")
    indicators = []
    for number in range(head + 1, rows + 1):
        values = [_text(ws, number, column) for column in range(1, 7)]
        if not any(values):
            break
        indicators.append(_indicator(values, number, name, where))
    if not indicators:
        raise FormatError("指标表中没有任何绩效指标", file=name, where=where(head + 1, "A"))
    year_text = _text(ws, 2, 1).strip("（）()年度 ")
    return GoalDeclaration(
        project=project, department=_text(ws, department_row, 2), unit=_text(ws, department_row, 4),
        year=int(year_text) if year_text.isdigit() else None, amount_unit=amount_unit, initial=initial,
        overall_goal=_text(ws, goal_row, 2), indicators=indicators)


def _indicator(values: list[str], number: int, name: str, where) -> GoalRow:
    level1, level2, title, target, direction, kind = values
    if level1_of(level2) is None:
        raise FormatError(f"二级指标“{level2}”不在指标体系中", file=name, where=where(number, "B"))
    if level1 and level1 != level1_of(level2) and level1 != "成本指标":
        raise FormatError(f"二级指标“{level2}”不属于一级指标“{level1}”", file=name, where=where(number, "A"))
    for text, column in ((title, "C"), (target, "D")):
        if not text:
            raise FormatError(f"{HEADINGS['CD'.index(column) + 2]}空白", file=name, where=where(number, column))
    if direction and direction not in _BY_DIRECTION:
        raise FormatError(f"指标方向“{direction}”应为“正向”或“反向”", file=name, where=where(number, "E"))
    if kind and kind not in _BY_KIND:
        raise FormatError(f"指标类型“{kind}”应为{'、'.join(KINDS.values())}之一", file=name, where=where(number, "F"))
    return GoalRow(level1=level1 or level1_of(level2), level2=level2, name=title, target_text=target,
                   direction=_BY_DIRECTION.get(direction), kind=_BY_KIND.get(kind))
