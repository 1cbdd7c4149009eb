"""Read tracking forms from a PDF whose text can be extracted (ours, or a published one).

Each page's ruled tables are found (``jixiao.formats.pdf_page``: PDFium's characters and
path segments, pdfplumber's cell algorithm); every table row becomes a row of cells and
every line of text outside the tables (the title, the 跟踪时段 line) a row of one cell.
Those rows, in reading order, go through the same field-locating core as the text and
xlsx readers (``jixiao.formats.layout.read_rows``).
"""

from __future__ import annotations

import re
from typing import BinaryIO

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from jixiao.domain import form_layout
from jixiao.domain.model import TrackingDocument
from jixiao.formats.errors import FormatError
from jixiao.formats.layout import Row, label, read_rows
from jixiao.formats.pdf_page import LOCK, PageContent, creator, open_document, outside_lines, pages, table_rows
from jixiao.formats.pdf_write import CREATOR

_LATIN = re.compile(r"[A-Za-z0-9]")
# Page numbers printed outside the tables: 第 3 页, 第3页 共9页, - 3 -, 3/9, 3
_PAGE_NUMBER = re.compile(r"第\s*\d+\s*页(\s*[,，/]?\s*共\s*\d+\s*页)?|[-—－]\s*\d+\s*[-—－]|\d+\s*/\s*\d+|\d+")
_TITLE = form_layout.TITLE
_GOAL_LABELS = ("年度总体目标", "部门年度总体目标")


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


def page_rows(page: PageContent, exact: bool) -> list[tuple[float, list[str]]]:
    """(top, cells) for every table row and every line of text outside the tables, top to bottom."""
    items = [(top, [join_lines(c, exact) for c in cells]) for top, cells in table_rows(page)]
    for top, text in outside_lines(page):
        text = text.strip()
        if text and not _PAGE_NUMBER.fullmatch(text):
            items.append((top, [text]))
    items.sort(key=lambda item: item[0])
    return items


def pdf_rows(stream: BinaryIO, name: str) -> list[Row]:
    """The document as rows of cells, each row knowing its page, ready for ``read_rows``."""
    data = stream.read()
    rows: list[Row] = []
    with LOCK:
        try:
            doc = open_document(data)
        except pdfium.PdfiumError as exc:
            if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
                raise FormatError("PDF 文件设有打开密码，请提供未加密的文件", file=name) from None
            raise FormatError("不是有效的 PDF 文件（文件结构无法识别或已损坏）", file=name) from None
        try:
            exact = creator(doc) == CREATOR
            for page_number, page in enumerate(pages(doc, data), start=1):
                for _, cells in page_rows(page, exact):
                    if any(cells):
                        rows.append(Row(line=len(rows) + 1, cells=tuple(cells), where=f"第 {page_number} 页"))
        except pdfium.PdfiumError:
            raise FormatError("PDF 文件已损坏，无法读取", file=name) from None
        finally:
            doc.close()
    if not rows:
        raise FormatError("PDF 中没有可提取的文字（可能是扫描件），无法读取", file=name)
    first_form = next((i for i, r in enumerate(rows) if _TITLE in r.labels), len(rows))
    return _head(rows[:first_form]) + _without_repeated_headers(rows[first_form:])


def _without_repeated_headers(rows: list[Row]) -> list[Row]:
    """Drop the indicator header a form repeats at the top of each continuation page."""
    out: list[Row] = []
    header_seen = False
    for row in rows:
        labels = row.labels
        if _TITLE in labels:
            header_seen = False
        elif "一级指标" in labels and "三级指标" in labels:
            if header_seen:
                continue
            header_seen = True
        out.append(row)
    return out


def _head(rows: list[Row]) -> list[Row]:
    """What precedes the first form, cut down to what the layout core expects there.

    Published documents put headings, a cover or a summary table above the forms; only
    the 跟踪时段 line and the department's 年度总体目标 (label, then its text) are kept.
    """
    kept: list[Row] = []
    period_seen = goal_open = False
    for row in rows:
        filled = [c for c in row.cells if c]
        labels = [label(c) for c in filled]
        if not period_seen and any(lab.startswith("跟踪时段") for lab in labels):
            kept.append(Row(row.line, tuple(filled), row.where))
            period_seen, goal_open = True, False
        elif labels and labels[0] in _GOAL_LABELS:
            kept.append(Row(row.line, (filled[0],), row.where))
            if len(filled) > 1:  # label and text side by side
                kept.append(Row(row.line, (" ".join(filled[1:]),), row.where))
            goal_open = len(filled) == 1
        elif goal_open and len(filled) == 1:
            kept.append(Row(row.line, (filled[0],), row.where))
        else:
            goal_open = False
    return kept


def read_pdf(stream: BinaryIO, name: str) -> TrackingDocument:
    """Every form in the PDF; raises FormatError naming the file and page."""
    return read_rows(pdf_rows(stream, name), name)
