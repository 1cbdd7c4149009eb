"""Pick the reader by what a file contains, not by its name; pick the writer by the output's suffix."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from jixiao.domain.model import TrackingDocument, TrackingReport
from jixiao.formats.errors import FormatError
from jixiao.formats.limits import DEFAULT_LIMITS, ReadLimits

TEXT, JSON, XLSX, PDF = "text", "json", "xlsx", "pdf"
ZIP = "zip"  # a zip archive that is not a workbook (.docx, a zipped folder …)
OLE = "ole"  # an old binary Office file: .xls, or an .xlsx saved with a password
SUFFIXES = {".txt": TEXT, ".text": TEXT, ".json": JSON, ".xlsx": XLSX, ".pdf": PDF}


def _is_workbook(data: BinaryIO) -> bool | None:
    """Whether a zip holds xl/workbook.xml; None when the bytes are not a whole zip (only a head)."""
    import zipfile  # only for zip files: not imported by every text check

    try:
        with zipfile.ZipFile(data) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return None


def detect(source: bytes | str | Path | BinaryIO) -> str:
    """The format of a document from its content: the whole bytes or their head, a path, or a seekable stream.

    xlsx is a zip holding ``xl/workbook.xml``, pdf starts with ``%PDF-``, json with ``{``
    (after a BOM or blanks); anything else is read as the published text layout.
    """
    if isinstance(source, str | Path):
        with open(source, "rb") as fh:
            return detect(fh)
    if isinstance(source, bytes | bytearray):
        head, whole = bytes(source[:64]), io.BytesIO(source)
    else:
        position = source.tell()
        head = source.read(64)
        source.seek(position)
        whole = source
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            verdict = _is_workbook(whole)
        finally:
            if whole is source:
                source.seek(position)
        return ZIP if verdict is False else XLSX
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return OLE
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return JSON
    return TEXT


def _read_path(path: Path, name: str) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise FormatError("文件不存在", file=name) from None
    except IsADirectoryError:
        raise FormatError("这是一个目录，不是文件", file=name) from None
    except OSError as exc:
        raise FormatError(f"无法读取文件（{exc.strerror}）", file=name) from None


def read_document(source: str | Path | BinaryIO, name: str | None = None) -> TrackingDocument:
    """Read a document from a path (``-`` is not handled here) or a binary stream."""
    if isinstance(source, str | Path):
        name = name or str(source)
        data = _read_path(Path(source), name)
    else:
        data = source.read()
        name = name or getattr(source, "name", "<stdin>")
    return read_bytes(data, name)


def stream_document(path: str | Path, name: str | None = None) -> tuple[TrackingDocument, Iterator[TrackingReport]]:
    """A file's head (period, department goal) and its forms one at a time.

    Text is parsed lazily so large files stream (and the raw bytes are not kept once decoded);
    the other formats are read whole. A broken form raises FormatError when it is reached:
    callers that must be all-or-nothing collect what they need and drop it on error.
    """
    name = name or str(path)
    data = _read_path(Path(path), name)
    if detect(data) == TEXT:
        from jixiao.formats.text import stream_text

        return stream_text(io.BytesIO(data), name)
    doc = read_bytes(data, name)
    return doc, iter(doc.reports)


def iter_reports(path: str | Path, name: str | None = None) -> Iterator[TrackingReport]:
    """The forms of a file one at a time (see ``stream_document``)."""
    return stream_document(path, name)[1]


EMPTY_FILE = "文件是空的（0 字节），未导入。请检查是否选错了文件"


def read_bytes(data: bytes, name: str, limits: ReadLimits = DEFAULT_LIMITS) -> TrackingDocument:
    if not data:
        raise FormatError(EMPTY_FILE, file=name)
    kind = detect(data)
    stream = io.BytesIO(data)
    if kind == JSON:
        from jixiao.formats.json import read_json

        return read_json(stream, name)
    if kind == XLSX:
        from jixiao.formats.xlsx_read import read_xlsx

        return read_xlsx(stream, name, limits)
    if kind == PDF:
        from jixiao.formats.pdf_read import read_pdf

        return read_pdf(stream, name)
    if kind == ZIP:
        raise FormatError("这是 ZIP 压缩文件，但不是 Excel 工作簿（缺少 xl/workbook.xml）", file=name)
    if kind == OLE:
        raise FormatError("这是旧版 Excel（.xls）或设了打开密码的工作簿：请在 Excel 中去掉密码并另存为 .xlsx 后再提交",
                          file=name)
    from jixiao.formats.text import read_text

    return read_text(stream, name)


def format_for(path: str | Path) -> str:
    """The output format named by a file's suffix (for ``jixiao convert IN -o OUT``)."""
    kind = SUFFIXES.get(Path(path).suffix.lower())
    if kind is None:
        known = "、".join(sorted(SUFFIXES))
        raise FormatError(f"无法从后缀判断输出格式，请使用 {known}", file=str(path))
    return kind


FINDINGS, TEMPLATE = "findings", "template"  # the reviewers' findings PDF and the units' fill-in workbook


def write_document(doc: TrackingDocument, stream: BinaryIO, kind: str) -> None:
    """Write ``doc`` as ``kind`` to a binary stream: the form itself in text, json, xlsx or pdf (text
    and json as UTF-8), or ``findings`` (a PDF) or ``template`` (an xlsx) made from it."""
    if kind == FINDINGS:
        from jixiao.formats.pdf_findings import write_findings_pdf

        write_findings_pdf(doc, stream)
    elif kind == TEMPLATE:
        from jixiao.formats.xlsx_write import write_template

        write_template(doc, stream)
    elif kind in (TEXT, JSON):
        text = io.StringIO()
        if kind == TEXT:
            from jixiao.formats.text import write_text

            write_text(doc, text)
        else:
            from jixiao.formats.json import write_json

            write_json(doc, text)
        stream.write(text.getvalue().encode("utf-8"))
    elif kind == XLSX:
        from jixiao.formats.xlsx_write import write_xlsx

        write_xlsx(doc, stream)
    elif kind == PDF:
        from jixiao.formats.pdf_write import write_pdf

        write_pdf(doc, stream)
    else:
        raise ValueError(f"unknown format {kind!r}")
