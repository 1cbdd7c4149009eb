"""The published text layout: one printed line per line, cells separated by tabs.

Files arrive from Windows machines too, so GB18030/GBK, UTF-8 with a BOM and CRLF line ends
are read as well, and cells separated by runs of two or more spaces instead of tabs.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import BinaryIO, TextIO

from jixiao.domain import form_layout as form
from jixiao.domain.model import Indicator, TrackingDocument, TrackingReport
from jixiao.formats.errors import FormatError
from jixiao.formats.layout import Row, read_rows, stream_rows

_SPACE_RUN = re.compile(r"[ \u3000]{2,}")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# The same codes as bytes. Each is one byte of its own in UTF-8 and in GB18030 (neither uses a byte below
# 0x80 inside a longer sequence), so there the bytes tell what the text would, about three times faster.
_CONTROL_BYTES = bytes(code for code in range(0x80) if _CONTROL.match(chr(code)))
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


def decode(data: bytes, file: str) -> str:
    """Bytes as text: UTF-16 with a BOM (Excel's "Unicode 文本"), UTF-8 (with or without BOM), else GB18030;
    binary data is refused."""
    if data.startswith(_UTF16_BOMS):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FormatError("文件以 UTF-16 标记开头，但内容不是有效的 UTF-16 文本", file=file) from None
    if b"\x00" in data:
        raise FormatError("这不是文本文件（含有二进制数据），请提供导出的文本、Excel 或 PDF 文件", file=file)
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and _CONTROL.search(text):
            break
        return text
    raise FormatError("无法识别文件编码（支持 UTF-8 与 GB18030/GBK），或这不是文本文件", file=file)


def split_cells(line: str) -> list[str]:
    """A line's cells: tab-separated when it has tabs, else separated by 2+ spaces."""
    line = line.rstrip("\r\n")
    if "\t" in line:
        cells = line.split("\t")
        # Most lines carry no padding at all; stripping is only worth it where there is some.
        if _has_space(line):
            return list(map(str.strip, cells))
        return cells
    return [c.strip() for c in _SPACE_RUN.split(line.strip())]


def _has_space(line: str) -> bool:
    # The whitespace a label may hold (see layout.label); other control characters are refused.
    return " " in line or "\u3000" in line or "\xa0" in line


def _pieces(text: str, size: int = 1 << 20) -> Iterator[str]:
    """The text a megabyte at a time, so that a large file's lines are not all split at once.

    Each piece ends just after a "\n", which is a line end whatever else ``splitlines`` breaks at.
    """
    start, end_of_text = 0, len(text)
    while start < end_of_text:
        end = text.find("\n", start + size)
        end = end_of_text if end < 0 else end + 1
        yield text[start:end]
        start = end


def text_rows(text: str) -> Iterator[Row]:
    n = 0
    # Lines with spaces are mostly the headers every form repeats ("预算执行情况 (万元)", "跟踪期 计划完成值"):
    # each distinct one is split and closed up into labels once. Rows share those lists; no reader changes them.
    spaced: dict[str, tuple[list[str], list[str]]] = {}
    for piece in _pieces(text):
        for line in piece.splitlines():
            n += 1
            # Blank lines carry nothing; skipping them here saves a Row for about one line in five.
            if not line or line.isspace():
                continue
            if not (" " in line or "\u3000" in line or "\xa0" in line):  # _has_space, inlined
                # The common case, done inline: no padding to strip, no label to close up, and
                # without spaces a line without tabs is one cell.
                cells = line.split("\t")
                yield Row(n, cells, None, cells, line)
            else:
                known = spaced.get(line)
                if known is None:
                    if len(spaced) >= 4096:
                        spaced.clear()
                    row = Row(n, split_cells(line), None, None, line)
                    spaced[line] = (row.cells, row.labels)
                    yield row
                else:
                    yield Row(n, known[0], None, known[1], line)


def _has_control_bytes(data: bytes, size: int = 1 << 20) -> bool:
    """Whether ``data`` holds one of ``_CONTROL_BYTES``; a megabyte at a time, so that a large file is never
    copied whole (``translate`` returns a copy without them: a shorter one when there were any)."""
    for start in range(0, len(data), size):
        piece = data[start : start + size]
        if len(piece.translate(None, _CONTROL_BYTES)) != len(piece):
            return True
    return False


def _decoded(stream: TextIO | BinaryIO, name: str) -> str:
    data = stream.read()
    if not isinstance(data, bytes):
        text = data.lstrip("\ufeff")
        control = _CONTROL.search(text) is not None
    else:
        text = decode(data, name)
        utf16 = data.startswith(_UTF16_BOMS)
        control = _CONTROL.search(text) is not None if utf16 else _has_control_bytes(data)
    if control:
        raise FormatError("这不是文本文件（含有控制字符），请提供导出的文本、Excel 或 PDF 文件", file=name)
    return text


def read_text(stream: TextIO | BinaryIO, name: str) -> TrackingDocument:
    """Read every form of a published text document; raises FormatError naming file and line."""
    return read_rows(text_rows(_decoded(stream, name)), name)


def stream_text(stream: TextIO | BinaryIO, name: str) -> tuple[TrackingDocument, Iterator[TrackingReport]]:
    """The document's head and an iterator over its forms, read one at a time (see ``stream_rows``)."""
    return stream_rows(text_rows(_decoded(stream, name)), name)


def iter_form_lines(report: TrackingReport) -> Iterator[list[str]]:
    """The published text layout of one form as rows of cells (the seed's regular columns).

    A form with MoF values gets their columns (``form_layout.budget_columns`` and
    ``indicator_columns``), every row then one cell wider per extra column, and its 备注 and
    预算调整情况 rows after 纠偏措施; any other form is printed exactly as the seed. ``read_rows``
    gives the same data back either way.
    """
    def cell(value) -> str:
        return "" if value is None else str(value)

    budget_columns = form.budget_columns(line for _, line in report.budget.lines())
    indicator_columns = form.indicator_columns(report.indicators)
    width = max(9, 5 + len(budget_columns), 5 + len(indicator_columns))

    def row(*cells: str) -> list[str]:
        return [*cells, *[""] * (width - len(cells))]

    yield [form.TITLE]
    yield [form.period_line(report.period)]
    yield row(form.PROJECT_LABEL, "", report.project)
    yield row(form.DEPARTMENT_LABEL, "", report.department, "", "", form.UNIT_LABEL, report.unit)
    yield row(f"{form.BUDGET_LABEL} ({report.amount_unit})", "", "", "", "", *(c.header for c in budget_columns))
    for source, line in report.budget.lines():
        amounts = (cell(getattr(line, c.field)) for c in budget_columns)
        yield row("", "", form.FUNDING_ROW_LABELS[source], "", "", *amounts)
    yield row("年度 总体 目标", form.GOAL_LABEL, "", "", "", form.PROGRESS_LABEL)
    yield row("", cell(report.goal), "", "", "", cell(report.progress))
    yield row("", *form.LEVEL_LABELS, *(_PRINTED_HEADERS.get(c.header, c.header) for c in indicator_columns))
    previous: tuple[str | None, str | None] = (None, None)
    for n, ind in enumerate(report.indicators):
        first = "绩效 指标" if n == 0 else ""
        level1 = cell(ind.level1) if ind.level1 != previous[0] else ""
        level2 = cell(ind.level2) if (ind.level1, ind.level2) != previous else ""
        previous = (ind.level1, ind.level2)
        yield row(first, level1, level2, ind.name, *(_indicator_text(ind, c.field) for c in indicator_columns))
    budget_label, goal_label = (f"{lab[:-5]} {lab[-5:]}" for lab in form.LIKELIHOOD_LABELS.values())
    yield row("绩效跟踪 总体判断", "", budget_label, cell(report.budget_likelihood))
    yield row("", "", goal_label, cell(report.goal_likelihood))
    yield row(form.CORRECTIVE_LABEL, "", cell(report.corrective_actions))
    if form.has_remarks(report):
        yield row(form.REMARKS_LABEL, "", cell(report.remarks))
    if report.adjustments:
        yield row(form.ADJUSTMENTS_LABEL, "", *(c.header for c in form.ADJUSTMENT_COLUMNS))
        for cells in form.adjustment_rows(report):
            yield row("", "", *cells)


# The seed prints these two headers wrapped after 跟踪期.
_PRINTED_HEADERS = {"跟踪期计划完成值": "跟踪期 计划完成值", "跟踪期实际完成值": "跟踪期 实际完成值"}


def _indicator_text(indicator: Indicator, field: str) -> str:
    if field == "target":
        return indicator.target.text
    if field == "deviation_causes":
        return "、".join(indicator.deviation_causes)
    value = getattr(indicator, field)
    return "" if value is None else value


def write_text(doc: TrackingDocument, stream: TextIO) -> None:
    """Write the document in the published layout; ``read_text`` gives the same data back."""
    if doc.period is not None:
        stream.write(f"跟踪时段：（ {doc.period.label()} ）\n\n")
    if doc.department_goal is not None:
        stream.write("年度总体目标\n\n")
        for line in doc.department_goal.split("\n"):
            stream.write(f"{line}\n")
        stream.write("\n")
    for report in doc.reports:
        for cells in iter_form_lines(report):
            stream.write("\t".join(cells) + "\n")
            if len(cells) == 1:
                stream.write("\n")
        stream.write("\n")


def to_text(doc: TrackingDocument) -> str:
    out = io.StringIO()
    write_text(doc, out)
    return out.getvalue()
