"""The evidence a unit attaches to its rectification (整改佐证材料): which kinds are taken, by their bytes.

A file's kind is decided by what it contains (magic bytes, and for Office files the parts inside the
zip), never by its name alone; the name's suffix must then agree with it, so that ``报告.pdf`` holding
a web page or a program is refused. Taken: PDF, PNG and JPEG images, Word (.docx) and Excel (.xlsx)
files, plain text (UTF-8 or GB 18030, no control characters). Everything else is refused with a
Chinese message naming the file and what is allowed; so is a file above the size limit.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from jixiao.formats.limits import megabytes
from jixiao.formats.registry import JSON, PDF, XLSX, ZIP, detect

PNG, JPEG, DOCX, TEXT = "png", "jpeg", "docx", "text"
CONTENT_TYPES = {
    PDF: "application/pdf",
    PNG: "image/png",
    JPEG: "image/jpeg",
    DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    TEXT: "text/plain; charset=utf-8",
}
SUFFIXES = {PDF: (".pdf",), PNG: (".png",), JPEG: (".jpg", ".jpeg"), DOCX: (".docx",), XLSX: (".xlsx",),
            TEXT: (".txt", ".text")}
ALLOWED = "PDF、PNG 或 JPEG 图片、Word（.docx）、Excel（.xlsx）、纯文本（.txt）"
_CONTROL = {chr(c) for c in range(32) if chr(c) not in "\t\r\n\f"} | {"\x7f"}


class AttachmentRefused(ValueError):
    """The file is not taken; ``message`` names it and says why, in Chinese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AttachmentKind:
    kind: str
    content_type: str


def _office(data: bytes) -> str | None:
    """DOCX or XLSX for a whole zip holding a Word document or a workbook; None for any other zip."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, EOFError):
        return None
    return DOCX if "word/document.xml" in names else XLSX if "xl/workbook.xml" in names else None


def _plain_text(data: bytes) -> bool:
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return not any(ch in _CONTROL for ch in text)
    return False


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    found = detect(data)
    if found == PDF:
        return PDF
    if found in (XLSX, ZIP):
        return _office(data)
    return TEXT if found in (TEXT, JSON) and _plain_text(data) else None


def attachment_kind(data: bytes, name: str, *, limit: int) -> AttachmentKind:
    """The kind of an attached file of ``name`` holding ``data``; AttachmentRefused when it is not taken."""
    if not data:
        raise AttachmentRefused(f"{name}：文件是空的，未保存")
    if len(data) > limit:
        raise AttachmentRefused(f"{name}：文件大小 {megabytes(len(data))}，超过 {megabytes(limit)} 的上限，未保存")
    kind = _sniff(data)
    if kind is None:
        raise AttachmentRefused(f"{name}：不是允许的文件类型（只接受 {ALLOWED}，"
                                f"每个不超过 {megabytes(limit)}），未保存")
    if not name.lower().endswith(SUFFIXES[kind]):
        raise AttachmentRefused(f"{name}：文件内容是 {SUFFIXES[kind][0]} 文件，与文件名的扩展名不符，未保存"
                                f"（只接受 {ALLOWED}）")
    return AttachmentKind(kind, CONTENT_TYPES[kind])
