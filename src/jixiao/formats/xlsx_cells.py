"""How printed values go into xlsx cells and come back out, exactly as printed.

A form's values are printed strings (``"99.00"``, ``"0.50"``, ``"=100.00(%)"``, ``"有效"``)
and Decimal amounts that carry their scale. Finance officers expect numbers to be
numbers in Excel, so a value that is a plain decimal is written as a number whose
``number_format`` shows the same number of places, and read back by re-applying that
format. Anything a number cannot reproduce (leading zeros, thousands separators, more
digits than a double holds, ``-0``) stays text.
"""

from __future__ import annotations

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

_PLAIN_DECIMAL = re.compile(r"-?(0|[1-9]\d*)(\.\d+)?")
_MAX_DIGITS = 15  # what an IEEE double round-trips through its shortest repr
_FORMAT_PLACES = re.compile(r"^[#,]*0(?:\.(0+))?$")


def number_format_for(places: int) -> str:
    return "0" if places <= 0 else "0." + "0" * places


def numeric_form(text: str) -> tuple[float | int, str] | None:
    """(number, number_format) that print as ``text``, or None when only text can keep it."""
    if not _PLAIN_DECIMAL.fullmatch(text):
        return None
    digits = text.lstrip("-").replace(".", "").lstrip("0")
    if len(digits) > _MAX_DIGITS or (text.startswith("-") and Decimal(text) == 0):
        return None
    places = len(text.partition(".")[2])
    number = float(text) if places else int(text)
    return number, number_format_for(places)


def cell_form(text: str | Decimal | None) -> tuple[str | float | int | None, str]:
    """(value, number_format) for a printed value: a number when a number can print it back, else text."""
    if text is None:
        return None, "General"
    if isinstance(text, Decimal):
        text = format(text, "f")
    numeric = numeric_form(text)
    if numeric is not None:
        return numeric
    # XML cannot hold control characters; openpyxl would refuse the whole workbook for one.
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text, "@" if text.startswith("=") else "General"


def set_value(cell: Cell, value: str | float | int | None) -> None:
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        # openpyxl would store "=100.00(%)" as a formula; it is a target, i.e. text.
        cell.data_type = "s"


def put_printed(cell: Cell, text: str | Decimal | None) -> None:
    """Write a printed value with its number format (the slow, per-cell way: for a few cells)."""
    value, number_format = cell_form(text)
    if value is None:
        return
    set_value(cell, value)
    cell.number_format = number_format
    if number_format == "@":
        cell.quotePrefix = True


def _places(number_format: str) -> int | None:
    match = _FORMAT_PLACES.match(number_format.strip())
    if not match:
        return None
    return len(match.group(1) or "")


def _shortest(value: float | int) -> str:
    if isinstance(value, int):
        return str(value)
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return format(Decimal(repr(value)), "f")


def printed(value: object, number_format: str = "General") -> str | None:
    """A cell's value as the string it prints, None for a blank cell."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        number_format = (number_format or "General").strip()
        if number_format.endswith("%"):  # a rate typed as 0.8998 and shown as 89.98%
            places = _places(number_format[:-1])
            value = Decimal(repr(value)) * 100
            if places is None:
                return format(value.normalize(), "f")
            return format(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP), "f")
        places = _places(number_format)
        if places is None:
            return _shortest(value)
        exponent = Decimal(1).scaleb(-places)
        return format(Decimal(repr(value)).quantize(exponent, rounding=ROUND_HALF_UP), "f")
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat(" ")
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    text = str(value).strip()
    return text or None
