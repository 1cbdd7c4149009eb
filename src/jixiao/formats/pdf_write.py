"""The disclosure document (信息公开): one official-layout form per A4 page, fonts embedded.

The table is the same grid as the workbook's (``form_grid``), drawn with ruled cells so
that pdfplumber finds every cell again: a published PDF of ours must stay machine
readable (``pdf_read``). Wrapping is done here, character by character, never dropping a
character (a space at a break stays at the end of its line), so the reader can join the
lines of a cell back into exactly the printed text.
"""

from __future__ import annotations

from functools import cache
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jixiao.domain.model import TrackingDocument, TrackingReport
from jixiao.formats.fonts import cjk_font
from jixiao.formats.form_grid import (
    COLUMN_WIDTHS,
    K_AMOUNT,
    K_LABEL,
    K_PERIOD,
    K_TEXT,
    K_TITLE,
    TITLE,
    form_grid,
    period_line,
)

CREATOR = "Jixiao 绩效跟踪"  # pdf_read trusts its own line joining only in documents we made
MARGIN = 36
FONT_SIZE = 8
LEADING = 10
PADDING = 3
PAGE_WIDTH = A4[0] - 2 * MARGIN


@cache
def _char_width(ch: str, font: str, size: float) -> float:
    return stringWidth(ch, font, size)


def wrap(text: str, width: float, font: str, size: float = FONT_SIZE) -> str:
    """``text`` broken into lines no wider than ``width``; joining the lines gives ``text`` back."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0.0
        for ch in paragraph:
            w = _char_width(ch, font, size)
            if line and used + w > width and not ch.isspace():
                cut = _word_break(line)
                lines.append(line[:cut])
                line = line[cut:]
                used = sum(_char_width(c, font, size) for c in line)
            line += ch
            used += w
        lines.append(line)
    return "\n".join(lines)


def _word_break(line: str) -> int:
    """Where to cut: after the last space when the line ends inside a Latin word, else at the end."""
    if line and line[-1].isascii() and line[-1].isalnum():
        space = line.rfind(" ")
        if space > 0 and all(c.isascii() and c.isalnum() for c in line[space + 1 :]):
            return space + 1
    return len(line)


def _column_widths() -> list[float]:
    scale = PAGE_WIDTH / sum(COLUMN_WIDTHS)
    return [w * scale for w in COLUMN_WIDTHS]


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else format(value, "f")


def form_table(report: TrackingReport, font: str) -> Table:
    """The form's ruled table (title and period line are printed above it, as published)."""
    grid = form_grid(report)
    widths = _column_widths()
    body = [c for c in grid.cells if c.kind not in (K_TITLE, K_PERIOD)]
    first = min(c.row for c in body)
    data = [["" for _ in widths] for _ in range(grid.rows - first)]
    style = [
        ("FONT", (0, 0), (-1, -1), font, FONT_SIZE, LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, -1), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for cell in body:
        row, col = cell.row - first, cell.col
        available = sum(widths[col : col + cell.colspan]) - 2 * PADDING - 1
        data[row][col] = wrap(_text(cell.value), available, font)
        end = (cell.last_col, cell.last_row - first)
        if cell.rowspan > 1 or cell.colspan > 1:
            style.append(("SPAN", (col, row), end))
        if cell.kind == K_TEXT:
            style.append(("ALIGN", (col, row), end, "LEFT"))
        elif cell.kind == K_AMOUNT:
            style.append(("ALIGN", (col, row), end, "RIGHT"))
        elif cell.kind == K_LABEL:
            style.append(("BACKGROUND", (col, row), end, colors.HexColor("#F2F2F2")))
    table = Table(data, colWidths=widths, style=TableStyle(style), hAlign="CENTER")
    return table


def _styles(font: str) -> tuple[ParagraphStyle, ParagraphStyle]:
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=4)
    line = ParagraphStyle("period", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER, spaceAfter=6)
    return title, line


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _cover(doc: TrackingDocument, font: str, title: ParagraphStyle, line: ParagraphStyle) -> list:
    """The department page: who, which period, and the department's annual goal (the seed's head)."""
    department = doc.reports[0].department if doc.reports else ""
    story: list = [Paragraph(_escape(f"{department} 项目支出绩效跟踪情况"), title)]
    if doc.period is not None:
        story.append(Paragraph(_escape(period_line(doc.period)), line))
    if doc.department_goal is not None:
        width = PAGE_WIDTH - 2 * PADDING - 1
        rows = [["年度总体目标"], [wrap(doc.department_goal, width, font)]]
        story.append(Spacer(1, 8))
        story.append(Table(rows, colWidths=[PAGE_WIDTH], style=TableStyle([
            ("FONT", (0, 0), (-1, -1), font, 9, 12),
            ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
            ("BACKGROUND", (0, 0), (0, 0), colors.HexColor("#F2F2F2")),
            ("ALIGN", (0, 0), (0, 0), "CENTER"),
            ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
            ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        ])))
    return story


def write_pdf(doc: TrackingDocument, stream: BinaryIO) -> None:
    """The disclosure document: a department page, then one form per page in the official layout."""
    font = cjk_font()
    department = doc.reports[0].department if doc.reports else ""
    template = SimpleDocTemplate(
        stream, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=f"{department} {TITLE}", author=department, creator=CREATOR, subject=TITLE,
        # Otherwise every page starts in Helvetica, a font the PDF would name but not embed.
        initialFontName=font, initialFontSize=FONT_SIZE,
    )
    title, line = _styles(font)
    story = _cover(doc, font, title, line)
    for report in doc.reports:
        story.append(PageBreak())
        story.append(Paragraph(TITLE, title))
        story.append(Paragraph(_escape(period_line(report.period)), line))
        story.append(form_table(report, font))
    template.build(story)
