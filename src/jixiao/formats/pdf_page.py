"""The characters and ruled cells of PDF pages, read with PDFium (pypdfium2).

pdfplumber parses every page in pure Python (pdfminer), about 70 ms a form; PDFium parses
it in C. From PDFium this module takes only each character with its box and every straight
segment of the page's paths; the cells are then found by pdfplumber's own table algorithm
(its pure functions on those segments, default settings) and the text of a cell or line is
assembled as pdfplumber's ``extract_text(keep_blank_chars=True)`` does: characters within
3 pt of the same top form a line, left to right, with one space where a gap exceeds 3 pt.
See docs/PERFORMANCE.md ("Reading a published PDF").

PDFium is not thread-safe, so all of it runs under one lock per process (``LOCK``).

PDFium cannot map every glyph of a font that is not embedded to its character: a cell holding just
"无" or "0" in Adobe's STSong-Light (what our own writer uses on a machine without a CJK TrueType font,
and what several other tools write) comes back as an empty text object. A page with such an object
takes its characters from pdfminer (through pdfplumber) instead, which reads them from the font's
CMap; every other page keeps PDFium's.
"""

from __future__ import annotations

import ctypes
import io
import threading
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from typing import NamedTuple

import pdfplumber
import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.table import (
    Table,
    TableSettings,
    cells_to_tables,
    edges_to_intersections,
    merge_edges,
)
from pdfplumber.utils import filter_edges, obj_to_bbox

LOCK = threading.Lock()
_SETTINGS = TableSettings.resolve({})
_X_TOLERANCE = _Y_TOLERANCE = 3  # pdfplumber's defaults for text
_SKIP = {"\r", "\n", "\x00"}
# PDFium reports a "-" that ends a text line as a soft hyphen (0x02, or U+FFFE in its text ranges);
# when the character is in the file, not invented by PDFium, it is the writer's own "-" ("X-" stays "X-").
_LINE_END_HYPHENS = {"\x02", "\ufffe"}


class Char(NamedTuple):
    text: str
    x0: float
    x1: float
    top: float
    bottom: float


class PageContent(NamedTuple):
    chars: list[Char]
    tables: list[Table]  # pdfplumber tables: ``.rows`` of ``.cells`` (bboxes or None) and ``.bbox``


def open_document(data: bytes) -> pdfium.PdfDocument:
    """The document, or ``pdfium.PdfiumError`` (``err_code`` 4 when it needs a password)."""
    return pdfium.PdfDocument(data)


def creator(doc: pdfium.PdfDocument) -> str:
    return doc.get_metadata_dict().get("Creator", "")


def pages(doc: pdfium.PdfDocument, data: bytes) -> Iterator[PageContent]:
    """Each page's characters and tables, in page order (``data``: the document's bytes, read again by
    pdfminer only for a page whose text PDFium cannot map, see above)."""
    plumber = None
    try:
        for index in range(len(doc)):
            page = doc[index]
            try:
                height = page.get_height()
                if _has_unmapped_text(page):
                    if plumber is None:
                        plumber = pdfplumber.open(io.BytesIO(data))
                    chars = _plumber_chars(plumber.pages[index])
                else:
                    chars = _chars(page, height)
                tables = _tables(_edges(page, height)) if chars else []
                yield PageContent(chars, tables)
            finally:
                page.close()
    finally:
        if plumber is not None:
            plumber.close()


def _has_unmapped_text(page) -> bool:
    """Whether a text object of the page, or of a form XObject on it, has glyphs but no text PDFium can
    give (see the module's note)."""
    textpage = page.get_textpage()
    try:
        handle = page.raw
        objects = [raw.FPDFPage_GetObject(handle, i) for i in range(raw.FPDFPage_CountObjects(handle))]
        return _unmapped(objects, textpage.raw, depth=0)
    finally:
        textpage.close()


def _unmapped(objects, textpage, depth: int) -> bool:
    for obj in objects:
        kind = raw.FPDFPageObj_GetType(obj)
        # The length asked for with no buffer, in bytes with the terminator: 2 is an empty text.
        if kind == raw.FPDF_PAGEOBJ_TEXT and raw.FPDFTextObj_GetText(obj, textpage, None, 0) <= 2:
            return True
        if kind == raw.FPDF_PAGEOBJ_FORM and depth < 8:
            inner = [raw.FPDFFormObj_GetObject(obj, i) for i in range(raw.FPDFFormObj_CountObjects(obj))]
            if _unmapped(inner, textpage, depth + 1):
                return True
    return False


def _plumber_chars(page) -> list[Char]:
    return [Char(c["text"], c["x0"], c["x1"], c["top"], c["bottom"]) for c in page.chars
            if c["text"] not in _SKIP]


def _chars(page, height: float) -> list[Char]:
    textpage = page.get_textpage()
    try:
        handle = textpage.raw
        count = raw.FPDFText_CountChars(handle)
        box = raw.FS_RECTF()
        get_unicode, generated = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated
        get_box = raw.FPDFText_GetLooseCharBox
        chars = []
        for i in range(count):
            text = chr(get_unicode(handle, i))
            if text in _LINE_END_HYPHENS:
                if generated(handle, i):
                    continue
                text = "-"
            if text in _SKIP or (text == " " and generated(handle, i)):  # PDFium invents only spaces and breaks
                continue
            get_box(handle, i, box)
            chars.append(Char(text, box.left, box.right, height - box.top, height - box.bottom))
        return chars
    finally:
        textpage.close()


def _edges(page, height: float) -> list[dict]:
    """Every horizontal or vertical segment of the page's paths, as pdfplumber edges.

    Paths inside form XObjects count too (some tools wrap a whole page in one), placed by
    the forms' matrices as pdfminer does.
    """
    handle = page.raw
    edges: list[dict] = []
    objects = [raw.FPDFPage_GetObject(handle, i) for i in range(raw.FPDFPage_CountObjects(handle))]
    _collect(objects, (1.0, 0.0, 0.0, 1.0, 0.0, 0.0), height, edges, depth=0)
    return edges


def _collect(objects, outer: tuple, height: float, edges: list[dict], depth: int) -> None:
    matrix = raw.FS_MATRIX()
    x, y = ctypes.c_float(), ctypes.c_float()
    for obj in objects:
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_FORM):
            continue
        raw.FPDFPageObj_GetMatrix(obj, matrix)
        a, b, c, d, e, f = _compose((matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f), outer)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            if depth < 8:
                inner = [raw.FPDFFormObj_GetObject(obj, i) for i in range(raw.FPDFFormObj_CountObjects(obj))]
                _collect(inner, (a, b, c, d, e, f), height, edges, depth + 1)
            continue
        start = previous = None
        for s in range(raw.FPDFPath_CountSegments(obj)):
            segment = raw.FPDFPath_GetPathSegment(obj, s)
            raw.FPDFPathSegment_GetPoint(segment, x, y)
            point = (a * x.value + c * y.value + e, height - (b * x.value + d * y.value + f))
            if raw.FPDFPathSegment_GetType(segment) == raw.FPDF_SEGMENT_MOVETO:
                start = point
            elif previous is not None:
                _add_edge(edges, previous, point)
            previous = point
            if raw.FPDFPathSegment_GetClose(segment) and start is not None:
                _add_edge(edges, point, start)
                previous = start


def _compose(inner: tuple, outer: tuple) -> tuple:
    """The matrix applying ``inner`` first, then ``outer`` (PDF's row-vector convention)."""
    a1, b1, c1, d1, e1, f1 = inner
    a2, b2, c2, d2, e2, f2 = outer
    return (a1 * a2 + b1 * c2, a1 * b2 + b1 * d2, c1 * a2 + d1 * c2, c1 * b2 + d1 * d2,
            e1 * a2 + f1 * c2 + e2, e1 * b2 + f1 * d2 + f2)


def _add_edge(edges: list[dict], p0: tuple[float, float], p1: tuple[float, float]) -> None:
    x0, x1 = sorted((p0[0], p1[0]))
    top, bottom = sorted((p0[1], p1[1]))
    if abs(x1 - x0) < 0.01:
        orientation = "v"
    elif abs(bottom - top) < 0.01:
        orientation = "h"
    else:
        return  # slanted or curved: never a cell border
    edges.append({"object_type": "line", "orientation": orientation, "x0": x0, "x1": x1, "top": top,
                  "bottom": bottom, "width": x1 - x0, "height": bottom - top})


def _tables(edges: list[dict]) -> list[Table]:
    """pdfplumber's ``TableFinder`` with its default ("lines") settings, on these edges."""
    s = _SETTINGS
    edges = filter_edges(edges, "v", min_length=s.edge_min_length_prefilter) + filter_edges(
        edges, "h", min_length=s.edge_min_length_prefilter)
    edges = merge_edges(edges, snap_x_tolerance=s.snap_x_tolerance, snap_y_tolerance=s.snap_y_tolerance,
                        join_x_tolerance=s.join_x_tolerance, join_y_tolerance=s.join_y_tolerance)
    edges = filter_edges(edges, min_length=s.edge_min_length)
    intersections = edges_to_intersections(edges, s.intersection_x_tolerance, s.intersection_y_tolerance)
    cells = _cells(intersections)
    return [Table(None, group) for group in cells_to_tables(cells)]


def _cells(intersections: dict) -> list[tuple[float, float, float, float]]:
    """pdfplumber's ``intersections_to_cells``, the same search with its lookups indexed.

    For each crossing, top-left first, the smallest rectangle whose four corners are
    crossings joined by common edges. pdfplumber rebuilds the sets of edges and scans all
    later points at every step (11 ms a page); here they are built once.
    """
    v = {p: {obj_to_bbox(e) for e in edges["v"]} for p, edges in intersections.items()}
    h = {p: {obj_to_bbox(e) for e in edges["h"]} for p, edges in intersections.items()}
    points = sorted(intersections)
    column: dict[float, list] = {}
    row: dict[float, list] = {}
    for point in points:  # sorted by x, then y: each list is in the order pdfplumber visits it
        column.setdefault(point[0], []).append(point)
        row.setdefault(point[1], []).append(point)

    def joined(p1, p2) -> bool:
        return bool((p1[0] == p2[0] and not v[p1].isdisjoint(v[p2])) or
                    (p1[1] == p2[1] and not h[p1].isdisjoint(h[p2])))

    cells = []
    for pt in points:
        below = [p for p in column[pt[0]] if p[1] > pt[1] and joined(pt, p)]
        right = [p for p in row[pt[1]] if p[0] > pt[0] and joined(pt, p)]
        cell = next(((pt[0], pt[1], r[0], b[1]) for b in below for r in right
                     if (r[0], b[1]) in intersections and joined((r[0], b[1]), r) and joined((r[0], b[1]), b)), None)
        if cell:
            cells.append(cell)
    return cells


def table_rows(page: PageContent) -> list[tuple[float, list[str]]]:
    """(top, raw text of each cell) of every table row, as pdfplumber's ``Table.extract``.

    A character belongs to a row, then to a cell, when its centre lies inside the box; a
    missing cell (under a merged one) reads as "". Characters are looked up by their
    centre's height (bisect) instead of testing every character against every row.
    """
    chars = sorted(page.chars, key=lambda ch: ch.top + ch.bottom)
    mids = [ch.top + ch.bottom for ch in chars]  # twice the centre's height
    out = []
    for table in page.tables:
        for row in table.rows:
            top, bottom = row.bbox[1], row.bbox[3]
            candidates = chars[bisect_left(mids, 2 * top):bisect_left(mids, 2 * bottom)]
            boxes = [box for box in row.cells if box is not None]  # side by side, left to right
            lefts = [box[0] for box in boxes]
            found: list[list[Char]] = [[] for _ in boxes]
            for ch in candidates:
                i = bisect_right(lefts, (ch.x0 + ch.x1) / 2) - 1
                if i >= 0 and inside(ch, boxes[i]):
                    found[i].append(ch)
            texts = iter([cell_text(group) for group in found])
            out.append((top, ["" if box is None else next(texts) for box in row.cells]))
    return out


def outside_lines(page: PageContent) -> list[tuple[float, str]]:
    """(top, text) of every line of text outside the tables."""
    boxes = [t.bbox for t in page.tables]
    return lines([ch for ch in page.chars if not any(_within(ch, b) for b in boxes)])


def inside(char: Char, box: tuple[float, float, float, float]) -> bool:
    """The character's centre lies in the box (pdfplumber's test for a table cell)."""
    mid_x = (char.x0 + char.x1) / 2
    mid_y = (char.top + char.bottom) / 2
    return box[0] <= mid_x < box[2] and box[1] <= mid_y < box[3]


def _within(char: Char, box: tuple[float, float, float, float]) -> bool:
    """The centre lies in the box or on its border (a table's own area)."""
    mid_x = (char.x0 + char.x1) / 2
    mid_y = (char.top + char.bottom) / 2
    return box[0] <= mid_x <= box[2] and box[1] <= mid_y <= box[3]


def lines(chars: list[Char]) -> list[tuple[float, str]]:
    """(top, text) of each line of these characters, top to bottom."""
    out: list[tuple[float, str]] = []
    group: list[Char] = []
    last_top = None
    for char in sorted(chars, key=lambda ch: ch.top):
        if last_top is not None and char.top > last_top + _Y_TOLERANCE:
            out.append(_line(group))
            group = []
        group.append(char)
        last_top = char.top
    if group:
        out.append(_line(group))
    return out


def _line(chars: list[Char]) -> tuple[float, str]:
    chars.sort(key=lambda ch: ch.x0)
    parts: list[str] = []
    previous = None
    for char in chars:
        if previous is not None:
            gap = char.x0 - previous.x1
            width = previous.x1 - previous.x0
            if previous.text == " " and width > 0 and gap > width / 2:
                parts.append(" " * round(gap / width))  # PDFium keeps only the first of several spaces
            elif gap > _X_TOLERANCE:
                parts.append(" ")
        parts.append(char.text)
        previous = char
    return min(ch.top for ch in chars), "".join(parts)


def cell_text(chars: list[Char]) -> str:
    return "\n".join(text for _, text in lines(chars))
