"""The disclosure document (信息公开): one official-layout form per A4 page, fonts embedded.

The table is the same grid as the workbook's (``form_grid``), drawn with ruled cells so
that pdfplumber finds every cell again: a published PDF of ours must stay machine
readable (``pdf_read``). Wrapping is done here, character by character, never dropping a
character (a space at a break stays at the end of its line), so the reader can join the
lines of a cell back into exactly the printed text.
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import BinaryIO

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jixiao.domain.model import TrackingDocument, TrackingReport
from jixiao.formats.fonts import cjk_font
from jixiao.formats.form_grid import (
    INDICATOR_HEADER_ROW,
    K_AMOUNT,
    K_LABEL,
    K_PERIOD,
    K_TEXT,
    K_TITLE,
    TITLE,
    GridCell,
    form_grid,
    period_line,
)

# Streams are Flate-compressed binary (PDF 1.2+), not ASCII85 text: smaller (5 % on the seed), and no long printable
# runs that text-sniffing tools (an HTML parser crawling the downloads) could take for markup.
rl_config.useA85 = 0

CREATOR = "Jixiao 绩效跟踪"  # pdf_read trusts its own line joining only in documents we made
MARGIN = 36
FONT_SIZE = 8
LEADING = 10
PADDING = 3
PAGE_WIDTH = A4[0] - 2 * MARGIN
PAGE_HEIGHT = A4[1] - 2 * MARGIN - 12  # reportlab's frame keeps 6 pt padding top and bottom
FIRST_PAGE_HEIGHT = PAGE_HEIGHT - 60  # below the title and the period line
# The tallest a single cell may be: the head of a form plus its first indicator, or the
# last indicator plus the judgement, must still fit one page.
MAX_CELL_HEIGHT = 280
MIN_FONT_SIZE = 4
GOAL_FONT_SIZE = 9  # the department goal box: wrapped at the size it is drawn, or it overflows the box
TRUNCATED = "……（内容过长，此处从略，全文见 Excel 版）"


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
    return "\n".join(_without_orphan(lines))


def _without_orphan(lines: list[str]) -> list[str]:
    """A last line of one Chinese character takes the character before it along.

    PDFium loses such a lone character drawn in the built-in, non-embedded font (the header 年初预算数
    wrapped as 年初预算 / 数 reads back as 年初预算); the MoF layout's extra columns make cells that narrow."""
    if len(lines) > 1 and len(lines[-1]) == 1 and not lines[-1].isascii() and len(lines[-2]) > 1:
        lines[-2:] = [lines[-2][:-1], lines[-2][-1] + lines[-1]]
    return lines


def _word_break(line: str) -> int:
    """Where to cut: after the last space when the line ends inside a Latin word, else at the end."""
    if line and line[-1].isascii() and line[-1].isalnum():
        space = line.rfind(" ")
        if space > 0 and all(c.isascii() and c.isalnum() for c in line[space + 1 :]):
            return space + 1
    return len(line)


def _column_widths(widths: tuple[int, ...]) -> list[float]:
    scale = PAGE_WIDTH / sum(widths)
    return [w * scale for w in widths]


def _text(value) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else format(value, "f")


def _slice(cells: list[GridCell], rows: list[int]) -> list[GridCell]:
    """The cells of the given grid rows, renumbered 0…; a span cut by the slice repeats its value."""
    position = {row: n for n, row in enumerate(rows)}
    out = []
    for cell in cells:
        inside = [position[r] for r in range(cell.row, cell.last_row + 1) if r in position]
        if inside:
            out.append(replace(cell, row=inside[0], rowspan=len(inside)))
    return out


def _fit(text: str, width: float, font: str) -> tuple[str, float]:
    """The wrapped text and the font size at which it stays within MAX_CELL_HEIGHT.

    A reportlab row cannot break across pages, so a very long goal or reason is set
    smaller; past the smallest legible size it is cut, with a note saying so.
    """
    for size in (FONT_SIZE, 7, 6, 5, MIN_FONT_SIZE):
        wrapped = wrap(text, width, font, size)
        if (wrapped.count("\n") + 1) * size * LEADING / FONT_SIZE <= MAX_CELL_HEIGHT:
            return wrapped, size
    lines = wrapped.split("\n")[: int(MAX_CELL_HEIGHT / (MIN_FONT_SIZE * LEADING / FONT_SIZE)) - 1]
    return "\n".join([*lines, TRUNCATED]), MIN_FONT_SIZE


def _table(cells: list[GridCell], font: str, grid_widths: tuple[int, ...]) -> Table:
    widths = _column_widths(grid_widths)
    data = [["" for _ in widths] for _ in range(max(c.last_row for c in cells) + 1)]
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
    for cell in cells:
        row, col = cell.row, cell.col
        available = sum(widths[col : col + cell.colspan]) - 2 * PADDING - 1
        end = (cell.last_col, cell.last_row)
        data[row][col], size = _fit(_text(cell.value), available, font)
        if size != FONT_SIZE:
            style.append(("FONT", (col, row), end, font, size, size * LEADING / FONT_SIZE))
        if cell.rowspan > 1 or cell.colspan > 1:
            style.append(("SPAN", (col, row), end))
        if cell.kind == K_TEXT:
            style.append(("ALIGN", (col, row), end, "LEFT"))
        elif cell.kind == K_AMOUNT:
            style.append(("ALIGN", (col, row), end, "RIGHT"))
        elif cell.kind == K_LABEL:
            style.append(("BACKGROUND", (col, row), end, colors.HexColor("#F2F2F2")))
    return Table(data, colWidths=widths, style=TableStyle(style), hAlign="CENTER")


def form_tables(report: TrackingReport, font: str, first_page_height: float = FIRST_PAGE_HEIGHT) -> list[Table]:
    """The form's ruled table, one per page (the title and period line go above the first).

    A form with many indicators does not fit one page, and reportlab cannot split a table
    inside a row span (绩效指标 spans them all); so the indicators continue on further
    pages under a repeated indicator header, the way printed forms do.
    """
    grid = form_grid(report)
    body = [c for c in grid.cells if c.kind not in (K_TITLE, K_PERIOD)]
    rows = list(range(2, grid.rows))
    whole = _table(_slice(body, rows), font, grid.widths)
    _, height = whole.wrap(PAGE_WIDTH, 1e9)  # a smaller height would stop reportlab measuring rows
    if height <= first_page_height or len(report.indicators) < 2:
        return [whole]
    heights = dict(zip(rows, whole._rowHeights, strict=True))
    indicator_rows = list(range(INDICATOR_HEADER_ROW + 1, INDICATOR_HEADER_ROW + 1 + len(report.indicators)))
    tail = sum(heights[r] for r in rows if r > indicator_rows[-1])
    pages: list[list[int]] = []
    current = [r for r in rows if r <= INDICATOR_HEADER_ROW]
    budget = first_page_height - sum(heights[r] for r in current)
    for r in indicator_rows:
        need = heights[r] + (tail if r == indicator_rows[-1] else 0)
        if need > budget and current[-1] == INDICATOR_HEADER_ROW and len(current) > 1:
            # Not even one indicator fits under the header: take the header to the next page too.
            pages.append(current[:-1])
            current = [INDICATOR_HEADER_ROW]
            budget = PAGE_HEIGHT - heights[INDICATOR_HEADER_ROW]
        elif need > budget and current[-1] != INDICATOR_HEADER_ROW:
            pages.append(current)
            current = [INDICATOR_HEADER_ROW]
            budget = PAGE_HEIGHT - heights[INDICATOR_HEADER_ROW]
        current.append(r)
        budget -= heights[r]
    pages.append(current + [r for r in rows if r > indicator_rows[-1]])
    return [_table(_slice(body, page), font, grid.widths) for page in pages]


def _styles(font: str) -> tuple[ParagraphStyle, ParagraphStyle]:
    title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER, spaceAfter=4)
    line = ParagraphStyle("period", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER, spaceAfter=6)
    return title, line


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _goal_table(goal: str, font: str) -> Table:
    """The department's 年度总体目标: its label, then its text (what ``pdf_read`` keeps of a document's head)."""
    text = wrap(goal, PAGE_WIDTH - 2 * PADDING - 1, font, GOAL_FONT_SIZE)
    return Table([["年度总体目标"], [text]], colWidths=[PAGE_WIDTH], style=TableStyle([
        ("FONT", (0, 0), (-1, -1), font, GOAL_FONT_SIZE, 12),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("BACKGROUND", (0, 0), (0, 0), colors.HexColor("#F2F2F2")),
        ("ALIGN", (0, 0), (0, 0), "CENTER"),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
    ]))


def _cover(doc: TrackingDocument, font: str, title: ParagraphStyle, line: ParagraphStyle) -> list:
    """The department page: who, which period, and the department's annual goal (the seed's head)."""
    department = doc.reports[0].department if doc.reports else ""
    story: list = [Paragraph(_escape(f"{department} 项目支出绩效跟踪情况"), title)]
    if doc.period is not None:
        story.append(Paragraph(_escape(period_line(doc.period)), line))
    if doc.department_goal is not None:
        story.append(Spacer(1, 8))
        story.append(_goal_table(doc.department_goal, font))
    return story


def _head(doc: TrackingDocument, font: str, title: ParagraphStyle, line: ParagraphStyle) -> tuple[list, float]:
    """What precedes the first form, and the height the first form has left on its page.

    Several forms (a department's period) open with the department page. A single form starts
    on page 1: the department goal, if any and short enough, is folded above the form's title
    (the reader expects it before the first title); a long one keeps its own page.
    """
    if len(doc.reports) != 1:
        return [*_cover(doc, font, title, line), *([PageBreak()] if doc.reports else [])], FIRST_PAGE_HEIGHT
    if doc.department_goal is None:
        return [], FIRST_PAGE_HEIGHT
    goal = _goal_table(doc.department_goal, font)
    _, height = goal.wrap(PAGE_WIDTH, 1e9)
    if height > FIRST_PAGE_HEIGHT / 4:
        return [*_cover(doc, font, title, line), PageBreak()], FIRST_PAGE_HEIGHT
    return [goal, Spacer(1, 6)], FIRST_PAGE_HEIGHT - height - 6


def write_pdf(doc: TrackingDocument, stream: BinaryIO) -> None:
    """The disclosure document: a department page (for several forms), then each form in the official layout."""
    font = cjk_font()
    department = doc.reports[0].department if doc.reports else ""
    template = SimpleDocTemplate(
        stream, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=f"{department} {TITLE}", author=department, creator=CREATOR, subject=TITLE,
        # Otherwise every page starts in Helvetica, a font the PDF would name but not embed.
        initialFontName=font, initialFontSize=FONT_SIZE,
    )
    title, line = _styles(font)
    story, first_page_height = _head(doc, font, title, line)
    for number, report in enumerate(doc.reports):
        if number:
            story.append(PageBreak())
        story.append(Paragraph(TITLE, title))
        story.append(Paragraph(_escape(period_line(report.period)), line))
        for n, table in enumerate(form_tables(report, font, first_page_height if number == 0 else FIRST_PAGE_HEIGHT)):
            if n:
                story.append(PageBreak())
            story.append(table)
    template.build(story, onFirstPage=page_number, onLaterPages=page_number)


def page_number(canvas, doc) -> None:
    """第 N 页 at the foot of each page: printed disclosures are handled as loose sheets."""
    canvas.saveState()
    canvas.setFont(cjk_font(), 8)
    canvas.drawCentredString(A4[0] / 2, MARGIN / 2, f"第 {doc.page} 页")
    canvas.restoreState()
