"""A plain table as a one-sheet workbook, written row by row (openpyxl's write-only mode), so a
list of any length is written in bounded memory: the rows go to a temporary file as they come.

Values go in as the forms print them (``xlsx_cells.cell_form``): plain decimals as numbers with
their places, anything else as text (a name starting with “=” stays text, never a formula).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from copy import copy
from decimal import Decimal
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter

from jixiao.formats.xlsx_cells import cell_form, set_value
from jixiao.formats.xlsx_write import safe_sheet_name

_HEAD_FONT = Font(name="宋体", size=10, bold=True)
_FONT = Font(name="宋体", size=10)
_HEAD_ALIGN = Alignment(horizontal="center", vertical="center", wrap_text=True)


def write_table(stream: BinaryIO, *, title: str, columns: Sequence[tuple[str, int]],
                rows: Iterable[Sequence[str | Decimal | int | None]]) -> int:
    """Write ``columns`` (heading, width) and ``rows`` to ``stream``; returns the number of rows written."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(safe_sheet_name(title, set()))
    for index, (_heading, width) in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.paperSize = 9  # A4 (Worksheet.PAPERSIZE_A4; the write-only sheet lacks the name)
    ws.page_setup.orientation = "landscape"
    heads = []
    for heading, _width in columns:
        cell = WriteOnlyCell(ws, value=heading)
        cell.font, cell.alignment = _HEAD_FONT, _HEAD_ALIGN
        heads.append(cell)
    ws.append(heads)
    # A style per number format, made once and copied into each cell: setting font and format
    # cell by cell costs more than writing the workbook (as in xlsx_write._StyleBook).
    styles: dict[str, StyleArray] = {}
    count = 0
    for row in rows:
        cells = []
        for value in row:
            printed, number_format = cell_form(str(value) if isinstance(value, int) else value)
            if number_format not in styles:
                scratch = WriteOnlyCell(ws)
                scratch.font, scratch.number_format = _FONT, number_format
                styles[number_format] = scratch._style
            cell = WriteOnlyCell(ws)
            set_value(cell, printed)
            cell._style = copy(styles[number_format])
            cells.append(cell)
        ws.append(cells)
        count += 1
    wb.save(stream)
    return count
