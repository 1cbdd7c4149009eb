"""Read tracking forms from a PDF whose text can be extracted (ours, or a published one).

pdfplumber finds each page's ruled tables; every table row becomes a row of cells and
every line of text outside the tables (the title, the 跟踪时段 line) a row of one cell.
Those rows, in reading order, go through the same field-locating core as the text and
xlsx readers (``jixiao.formats.layout.read_rows``).
"""

from __future__ import annotations

import re
from typing import BinaryIO

import pdfplumber
from pdfminer.pdfparser import PDFSyntaxError
from pdfplumber.utils.exceptions import PdfminerException

from jixiao.domain.model import TrackingDocument
from jixiao.formats.errors import FormatError
from jixiao.formats.layout import Row, read_rows
from jixiao.formats.pdf_write import CREATOR

_TABLE_SETTINGS: dict = {}
_LATIN = re.compile(r"[A-Za-z0-9]")
_HEAD_LABELS = ("财政项目支出绩效跟踪表", "跟踪时段", "年度总体目标", "部门年度总体目标")


def join_lines(text: str | None, exact: bool) -> str:
    """A cell's wrapped lines as one text.

    In our own documents the writer keeps every character, so the lines simply join.
    Elsewhere a break between two Latin letters or digits stood for a space; between
    Chinese characters it stood for nothing.
    """
    if not text:
        return ""
    lines = text.split("\n")
    if exact:
        return "".join(lines).strip()
    out = lines[0].strip()
    for line in lines[1:]:
        line = line.strip()
        if out and line and _LATIN.match(out[-1]) and _LATIN.match(line[0]):
            out += " "
        out += line
    return out


def _inside(obj: dict, box: tuple[float, float, float, float]) -> bool:
    x0, top, x1, bottom = box
    mid_x = (obj["x0"] + obj["x1"]) / 2
    mid_y = (obj["top"] + obj["bottom"]) / 2
    return x0 <= mid_x <= x1 and top <= mid_y <= bottom


def page_rows(page, exact: bool) -> list[tuple[float, list[str]]]:
    """(top, cells) for every table row and every line of text outside the tables, top to bottom."""
    items: list[tuple[float, list[str]]] = []
    tables = page.find_tables(_TABLE_SETTINGS)
    for table in tables:
        for row, cells in zip(table.rows, table.extract(keep_blank_chars=True), strict=True):
            items.append((row.bbox[1], [join_lines(c, exact) for c in cells]))
    boxes = [t.bbox for t in tables]
    outside = page.filter(lambda obj: obj.get("object_type") != "char" or not any(_inside(obj, b) for b in boxes))
    for line in outside.extract_text_lines(keep_blank_chars=True):
        text = line["text"].strip()
        if text:
            items.append((line["top"], [text]))
    items.sort(key=lambda item: item[0])
    return items


def pdf_rows(stream: BinaryIO, name: str) -> list[Row]:
    """The document as rows of cells, each row knowing its page, ready for ``read_rows``."""
    try:
        pdf = pdfplumber.open(stream)
    except (PdfminerException, PDFSyntaxError, ValueError, TypeError) as exc:
        raise FormatError(f"不是有效的 PDF 文件：{exc}", file=name) from None
    rows: list[Row] = []
    with pdf:
        exact = (pdf.metadata or {}).get("Creator") == CREATOR
        try:
            for page_number, page in enumerate(pdf.pages, start=1):
                for _, cells in page_rows(page, exact):
                    if any(cells):
                        rows.append(Row(line=len(rows) + 1, cells=tuple(cells), where=f"第 {page_number} 页"))
        except (PdfminerException, PDFSyntaxError) as exc:
            raise FormatError(f"PDF 文件已损坏，无法读取：{exc}", file=name) from None
    if not rows:
        raise FormatError("PDF 中没有可提取的文字（可能是扫描件），无法读取", file=name)
    # A heading above the document (the department's name) is not part of the published layout.
    start = next((i for i, r in enumerate(rows) if any(lab.startswith(_HEAD_LABELS) for lab in r.labels)), 0)
    return rows[start:]


def read_pdf(stream: BinaryIO, name: str) -> TrackingDocument:
    """Every form in the PDF; raises FormatError naming the file and page."""
    return read_rows(pdf_rows(stream, name), name)
