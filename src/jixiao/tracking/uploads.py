"""Uploaded files waiting for the user's confirmation, kept on disk (never in the database).

A preview stores the file under the data directory with a random token bound to the user;
the confirmation reads it back, imports it and removes it. Files older than a day are swept.
"""

from __future__ import annotations

import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from jixiao.domain.model import TrackingDocument
from jixiao.formats.limits import ReadLimits
from jixiao.formats.sandbox import WorkerLimits, read_in_worker

_TOKEN = re.compile(r"^[0-9a-f]{32}$")
MAX_AGE_SECONDS = 24 * 3600


def _directory() -> Path:
    directory = Path(settings.JIXIAO_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _path(user_id: int, token: str) -> Path | None:
    if not _TOKEN.match(token or ""):
        return None
    return _directory() / f"{user_id}-{token}.upload"


def stage(*, user_id: int, data: bytes) -> str:
    _sweep()
    token = secrets.token_hex(16)
    _path(user_id, token).write_bytes(data)
    return token


def load(*, user_id: int, token: str) -> bytes | None:
    path = _path(user_id, token)
    if path is None or not path.exists():
        return None
    return path.read_bytes()


def discard(*, user_id: int, token: str) -> None:
    path = _path(user_id, token)
    if path is not None:
        path.unlink(missing_ok=True)


def read_upload(*, data: bytes, name: str, template: bool = False) -> TrackingDocument:
    """An uploaded file's document, read in a worker bounded by the settings; raises FormatError."""
    limits = WorkerLimits(
        memory_bytes=settings.JIXIAO_READ_MEMORY_BYTES, seconds=settings.JIXIAO_READ_SECONDS,
        read=ReadLimits(**settings.JIXIAO_READ_LIMITS),
    )
    return read_in_worker(data, name, template=template, limits=limits)


def _sweep() -> None:
    cutoff = time.time() - MAX_AGE_SECONDS
    for path in _directory().glob("*.upload"):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)


class SizeLimitHandler(FileUploadHandler):
    """Stops reading an uploaded file once it passes the limit, so an oversized upload is neither
    kept in memory nor written to disk; the view then answers with a message naming the limit."""

    def __init__(self, request, limit: int):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None
