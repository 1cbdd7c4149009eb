"""Files a hostile user would upload, built in memory for the tests."""

from __future__ import annotations

import io
import os
import re
import zipfile

from jixiao.domain.model import TrackingDocument
from jixiao.formats.registry import read_bytes
from jixiao.formats.xlsx_write import write_xlsx


def seed_workbook(seed_text: str) -> bytes:
    doc = read_bytes(seed_text.encode(), "seed.txt")
    buffer = io.BytesIO()
    write_xlsx(TrackingDocument(period=doc.period, department_goal=doc.department_goal, reports=doc.reports[:1]),
               buffer)
    return buffer.getvalue()


def rewritten(workbook: bytes, part: str, change, *, method=zipfile.ZIP_DEFLATED) -> bytes:
    """The workbook with one part's bytes passed through ``change``."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(workbook)) as source, zipfile.ZipFile(out, "w", method) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info.filename, change(data) if info.filename == part else data)
    return out.getvalue()


FORM_SHEET = "xl/worksheets/sheet2.xml"  # sheet1 is the summary


def with_doctype(workbook: bytes, doctype: bytes) -> bytes:
    def change(xml: bytes) -> bytes:  # a DOCTYPE and a use of its entity in the first cell's place
        return doctype + xml.replace(b"<sheetData>", b"<sheetData>" + (b"&xxe;" if b"xxe" in doctype else b"&lol3;"), 1)
    return rewritten(workbook, FORM_SHEET, change)


EXTERNAL_ENTITY = b'<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
BILLION_LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                  b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')


def row_bomb(workbook: bytes, rows: int, declared: str | None = None) -> bytes:
    """A sheet of ``rows`` rows, its dimension ``declared`` (or dropped: readers then read every row)."""
    def change(xml: bytes) -> bytes:
        dimension = b'<dimension ref="%s"/>' % declared.encode() if declared else b""
        xml = re.sub(rb'<dimension ref="[^"]*" ?/>', dimension, xml)
        start = xml.index(b"<sheetData>") + len(b"<sheetData>")
        end = xml.index(b"</sheetData>")
        many = b"".join(b'<row r="%d"><c r="A%d" t="n"><v>1</v></c></row>' % (n, n) for n in range(1, rows + 1))
        return xml[:start] + many + xml[end:]
    return rewritten(workbook, FORM_SHEET, change)


def whitespace_bomb(workbook: bytes, size: int = 200 * 1024 * 1024) -> bytes:
    """A part that is mostly blanks: a ratio of about a thousand."""
    return rewritten(workbook, FORM_SHEET, lambda xml: xml.replace(b"><", b">" + b" " * size + b"<", 1))


def random_pdf() -> bytes:
    return b"%PDF-1.7\n" + os.urandom(4096)
