"""How much a file may cost to read: the limits that keep a hostile file from exhausting the machine.

A workbook is a zip of XML parts, so a few hundred kilobytes can unpack into gigabytes (a
"zip bomb") or into millions of rows. The limits are generous for real workbooks — a province's
100,000 forms, one sheet each, unpack to about 1.4 GB at a ratio of about 5 — and far below what
an attack needs. The web application reads uploads in a worker process that is also bounded in
memory and time (see ``jixiao.formats.sandbox``). Documented in docs/FORMATS.md.
"""

from __future__ import annotations

from dataclasses import dataclass

MIB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    member_bytes: int = 2048 * MIB  # one part of the archive, unpacked
    total_bytes: int = 4096 * MIB  # all parts together, unpacked
    ratio: int = 200  # unpacked / packed size of one part larger than ``ratio_floor``
    ratio_floor: int = 1 * MIB  # small parts (styles, content types) compress well and cost nothing
    sheet_rows: int = 1_048_576  # Excel's own limits for one sheet
    sheet_columns: int = 16_384
    cells: int = 200_000_000  # cells read in the whole workbook, empty ones filling a row included


DEFAULT_LIMITS = ReadLimits()


def megabytes(size: int) -> str:
    return f"{size / MIB:,.0f} MB" if size >= MIB else f"{size / 1024:,.0f} KB"
