"""The 项目支出绩效自评表 as a grid of cells, written as xlsx and as PDF from that one grid.

The usual layout, eight columns: 项目名称, 主管部门 / 实施单位; the budget block (年初预算数, 全年预算数,
全年执行数, 分值, 执行率, 得分); 年度总体目标 (预期目标, 实际完成情况); the indicators (一级指标, 二级指标,
三级指标, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施); 总分 and 等级. Scores are those of
docs/SCORING.md (the ``Scorecard`` given).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

from jixiao.domain.scoring import EvaluationSheet, Scorecard
from jixiao.formats.fonts import cjk_font
from jixiao.formats.pdf_write import CREATOR, MARGIN, PAGE_WIDTH, page_number
from jixiao.formats.xlsx_cells import put_printed

COLUMNS = 8
TITLE = "项目支出绩效自评表"
# Relative column widths (xlsx characters; the PDF scales them to the page).
WIDTHS = (10, 12, 18, 12, 12, 8, 8, 24)


@dataclass(frozen=True)
class Cell:
    text: str | Decimal | None
    span: int = 1
    head: bool = False


def _amount(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}"


def grid(sheet: EvaluationSheet, card: Scorecard) -> list[list[Cell]]:
    """The rows of the 自评表, each a list of cells whose spans add up to eight columns."""
    budget, execution = sheet.budget, card.execution
    rows = [
        [Cell("项目名称", head=True), Cell(sheet.project, 7)],
        [Cell("主管部门", head=True), Cell(sheet.department, 3), Cell("实施单位", head=True), Cell(sheet.unit, 3)],
        [Cell(f"项目资金（{sheet.amount_unit}）", head=True), Cell("年初预算数", head=True),
         Cell("全年预算数", head=True), Cell("全年执行数", head=True), Cell("分值", head=True),
         Cell("执行率", head=True), Cell("得分", head=True), Cell("偏差原因及改进措施", head=True)],
        [Cell("年度资金总额", head=True), Cell(_amount(budget.initial)), Cell(_amount(budget.annual)),
         Cell(_amount(budget.spent)), Cell(_amount(execution.weight)),
         Cell("" if execution.rate is None else f"{execution.rate:.2f}%"), Cell(_amount(execution.score)),
         Cell(budget.explanation or "")],
        [Cell("年度总体目标", head=True), Cell("预期目标", 3, head=True), Cell("实际完成情况", 4, head=True)],
        [Cell("", head=True), Cell(sheet.goal or "", 3), Cell(sheet.achieved or "", 4)],
        [Cell("一级指标", head=True), Cell("二级指标", head=True), Cell("三级指标", head=True),
         Cell("年度指标值", head=True), Cell("实际完成值", head=True), Cell("分值", head=True), Cell("得分", head=True),
         Cell("偏差原因分析及改进措施", head=True)],
    ]
    for row, scored in zip(sheet.indicators, card.indicators, strict=True):
        rows.append([Cell(row.level1 or ""), Cell(row.level2 or ""), Cell(row.name), Cell(row.target.text),
                     Cell(row.actual or ""), Cell(_amount(scored.weight)), Cell(_amount(scored.score)),
                     Cell(row.reason or "")])
    weights = execution.weight + card.indicator_weight
    rows.append([Cell("总分", 5, head=True), Cell(_amount(weights)), Cell(_amount(card.total)),
                 Cell(f"等级：{card.grade_label}", head=True)])
    return rows


def write_evaluation_xlsx(stream: BinaryIO, sheet: EvaluationSheet, card: Scorecard) -> None:
    wb = Workbook()
    ws = wb.active
    ws.title = "绩效自评表"
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=COLUMNS)
    ws.cell(1, 1, TITLE).font = Font(name="宋体", size=16, bold=True)
    ws.cell(1, 1).alignment = Alignment(horizontal="center")
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=COLUMNS)
    ws.cell(2, 1, f"（{sheet.year}年度）").alignment = Alignment(horizontal="center")
    for r, cells in enumerate(grid(sheet, card), start=3):
        column = 1
        for cell in cells:
            target = ws.cell(r, column)
            put_printed(target, cell.text)
            target.font = Font(name="宋体", size=10, bold=cell.head)
            target.alignment = Alignment(horizontal="center" if cell.head else "left", vertical="center",
                                         wrap_text=True)
            for c in range(column, column + cell.span):
                ws.cell(r, c).border = border
            if cell.span > 1:
                ws.merge_cells(start_row=r, start_column=column, end_row=r, end_column=column + cell.span - 1)
            column += cell.span
    for index, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.page_setup.orientation = "landscape"
    wb.save(stream)


def write_evaluation_pdf(stream: BinaryIO, sheet: EvaluationSheet, card: Scorecard) -> None:
    font = cjk_font()
    title = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER)
    sub = ParagraphStyle("s", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER)
    body = ParagraphStyle("c", fontName=font, fontSize=8, leading=10, wordWrap="CJK")
    rows, style = [], [("FONT", (0, 0), (-1, -1), font, 8, 10), ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
                       ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    for r, cells in enumerate(grid(sheet, card)):
        line: list = []
        column = 0
        for cell in cells:
            line.append(Paragraph(_escaped(cell.text), body))
            line.extend([""] * (cell.span - 1))
            if cell.span > 1:
                style.append(("SPAN", (column, r), (column + cell.span - 1, r)))
            if cell.head:
                style.append(("BACKGROUND", (column, r), (column + cell.span - 1, r), colors.HexColor("#F2F2F2")))
            column += cell.span
        rows.append(line)
    scale = PAGE_WIDTH / sum(WIDTHS)
    table = Table(rows, colWidths=[w * scale for w in WIDTHS], style=TableStyle(style), repeatRows=0)
    document = SimpleDocTemplate(stream, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                                 bottomMargin=MARGIN, title=f"{sheet.project} {TITLE}", author=sheet.unit,
                                 creator=CREATOR, subject=TITLE, initialFontName=font)
    document.build([Paragraph(TITLE, title), Paragraph(f"（{sheet.year}年度）", sub), table],
                   onFirstPage=page_number, onLaterPages=page_number)


def _escaped(text: str | Decimal | None) -> str:
    shown = "" if text is None else str(text)
    return shown.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\n", "<br/>")
