"""Every file a user downloads: a Chinese file name, and a Chinese page when the file cannot be made.

``attachment_header`` is the one ``Content-Disposition`` of the project (RFC 6266 with the
RFC 5987 ``filename*`` for the Chinese name, and an ASCII ``filename`` for old clients);
``file_response`` builds a whole download; ``written`` runs a writer and, when it fails,
logs the exception and answers 503 “文件生成失败” instead of a 500.
"""

from __future__ import annotations

import io
import logging
import re
import tempfile
from collections.abc import Callable, Iterable
from typing import BinaryIO
from urllib.parse import quote

from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.shortcuts import render

log = logging.getLogger(__name__)

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PDF_TYPE = "application/pdf"
CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {"xlsx": XLSX_TYPE, "pdf": PDF_TYPE, "csv": CSV_TYPE}

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|]+')
_NOT_ASCII_WORD = re.compile(r"[^A-Za-z0-9.-]+")


def download_name(*parts: str, suffix: str) -> str:
    """``跟踪表``, ``项目名``, ``2024-01至2024-08`` → ``跟踪表_项目名_2024-01至2024-08.xlsx`` (no path characters)."""
    stem = "_".join(_UNSAFE.sub("_", part).strip(" ._") for part in parts if part and part.strip())
    return f"{stem or '下载'}.{suffix}"


def _ascii_fallback(filename: str) -> str:
    stem, dot, suffix = filename.rpartition(".")
    ascii_stem = _NOT_ASCII_WORD.sub("_", stem if dot else filename).strip("_.")
    ascii_suffix = _NOT_ASCII_WORD.sub("", suffix) if dot else ""
    return f"jixiao_{ascii_stem}".rstrip("_") + (f".{ascii_suffix}" if ascii_suffix else "")


def attachment_header(filename: str) -> str:
    """``attachment; filename="jixiao_2024-01_2024-08.xlsx"; filename*=UTF-8''%E8%B7%9F…``."""
    return f"attachment; filename=\"{_ascii_fallback(filename)}\"; filename*=UTF-8''{quote(filename, safe='')}"


def file_response(
    content: bytes | Iterable, *, filename: str, content_type: str | None = None,
) -> FileResponse | StreamingHttpResponse:
    """A download of ``content``: bytes (sent with their length), or chunks streamed as they come."""
    content_type = content_type or CONTENT_TYPES.get(filename.rpartition(".")[2], "application/octet-stream")
    if isinstance(content, bytes):
        response: StreamingHttpResponse = FileResponse(io.BytesIO(content), content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = attachment_header(filename)
    return response


class WriteFailed(Exception):
    """A file writer raised; already logged. The API answers it in its own error shape."""


def write_bytes(write: Callable[[BinaryIO], None], *, filename: str) -> bytes:
    """What ``write`` writes into a buffer; WriteFailed (logged with the traceback) when it raises."""
    buffer = io.BytesIO()
    try:
        write(buffer)
    except Exception as exc:
        log.exception("文件生成失败：%s", filename)
        raise WriteFailed(filename) from exc
    return buffer.getvalue()


def failure_page(request, filename: str) -> HttpResponse:
    return render(request, "download_failed.html", {"filename": filename}, status=503)


def written(
    request, write: Callable[[BinaryIO], None], *, filename: str, spool_bytes: int | None = None,
) -> HttpResponse:
    """The file ``write`` produces as a download, or the Chinese 503 page when it fails.

    With ``spool_bytes`` the file is written to a temporary file that stays in memory up to that
    size (large exports in bounded memory) instead of a buffer."""
    if spool_bytes is None:
        try:
            return file_response(write_bytes(write, filename=filename), filename=filename)
        except WriteFailed:
            return failure_page(request, filename)
    spool = tempfile.SpooledTemporaryFile(max_size=spool_bytes)  # noqa: SIM115 - FileResponse closes it
    try:
        write(spool)
    except Exception:
        log.exception("文件生成失败：%s", filename)
        spool.close()
        return failure_page(request, filename)
    spool.seek(0)
    response = FileResponse(spool, content_type=CONTENT_TYPES.get(filename.rpartition(".")[2]))
    response["Content-Disposition"] = attachment_header(filename)
    return response
