"""Pick the reader by what a file contains, not by its name."""

from __future__ import annotations

import io
from pathlib import Path
from typing import BinaryIO

from jixiao.domain.model import TrackingDocument
from jixiao.formats.errors import FormatError

TEXT, JSON, XLSX, PDF = "text", "json", "xlsx", "pdf"


def detect(head: bytes) -> str:
    """The format of a document from its first bytes."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        return XLSX
    if head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return JSON
    return TEXT


def read_document(source: str | Path | BinaryIO, name: str | None = None) -> TrackingDocument:
    """Read a document from a path (``-`` is not handled here) or a binary stream."""
    if isinstance(source, str | Path):
        path = Path(source)
        name = name or str(source)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise FormatError("文件不存在", file=name) from None
        except IsADirectoryError:
            raise FormatError("这是一个目录，不是文件", file=name) from None
        except OSError as exc:
            raise FormatError(f"无法读取文件（{exc.strerror}）", file=name) from None
    else:
        data = source.read()
        name = name or getattr(source, "name", "<stdin>")
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> TrackingDocument:
    kind = detect(data[:64])
    stream = io.BytesIO(data)
    if kind == JSON:
        from jixiao.formats.json import read_json

        return read_json(stream, name)
    if kind in (XLSX, PDF):
        raise FormatError(f"暂不支持读取 {kind.upper()} 文件", file=name)
    from jixiao.formats.text import read_text

    return read_text(stream, name)
