"""Refuse a hostile workbook before it is parsed: zip bombs, and XML with a DOCTYPE.

Every part's declared unpacked size and ratio are checked from the archive's directory, then
every part is unpacked once, in chunks, counting what it really gives (a part cannot give more
than it declares: Python's zipfile stops there and the CRC check fails) and looking for a
DOCTYPE or ENTITY declaration, which no spreadsheet program writes and which external-entity
and "billion laughs" attacks need. openpyxl then parses with defusedxml, which refuses entities
again should one get through.
"""

from __future__ import annotations

import zipfile
from typing import BinaryIO

from jixiao.formats.errors import FormatError
from jixiao.formats.limits import ReadLimits, megabytes

_CHUNK = 1 << 20
_DECLARATIONS = (b"<!DOCTYPE", b"<!ENTITY")
_OVERLAP = max(len(d) for d in _DECLARATIONS) - 1


def _bomb(message: str, name: str) -> FormatError:
    return FormatError(f"{message}，可能是“压缩炸弹”，出于安全原因未读取", file=name)


def check_archive(stream: BinaryIO, name: str, limits: ReadLimits) -> None:
    """Raise FormatError naming the part and the limit it passes; leave the stream at its start."""
    try:
        with zipfile.ZipFile(stream) as archive:
            infos = archive.infolist()
            total = 0
            for info in infos:
                _check_declared(info, name, limits)
                total += info.file_size
                if total > limits.total_bytes:
                    raise _bomb(f"工作簿解压后超过 {megabytes(limits.total_bytes)} 的上限", name)
            for info in infos:
                _scan(archive, info, name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, NotImplementedError):
        raise FormatError("不是有效的 Excel（.xlsx）文件：压缩包已损坏或不完整", file=name) from None
    finally:
        stream.seek(0)


def _check_declared(info: zipfile.ZipInfo, name: str, limits: ReadLimits) -> None:
    if info.file_size > limits.member_bytes:
        raise _bomb(f"工作簿中的“{info.filename}”解压后有 {megabytes(info.file_size)}，"
                    f"超过了 {megabytes(limits.member_bytes)} 的上限", name)
    if info.file_size > limits.ratio_floor and info.file_size > limits.ratio * max(info.compress_size, 1):
        ratio = info.file_size / max(info.compress_size, 1)
        raise _bomb(f"工作簿中的“{info.filename}”压缩比为 {ratio:,.0f} 倍，超过了 {limits.ratio} 倍的上限", name)


def _scan(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str) -> None:
    if info.is_dir():
        return
    xml = info.filename.lower().endswith((".xml", ".rels", ".vml"))
    given, tail = 0, b""
    with archive.open(info) as part:
        while chunk := part.read(_CHUNK):
            given += len(chunk)
            if given > info.file_size:  # zipfile already stops there; kept so the check does not depend on it
                raise _bomb(f"工作簿中的“{info.filename}”解压后比声明的更大", name)
            if xml:
                window = tail + chunk
                if any(d in window for d in _DECLARATIONS):
                    raise FormatError(
                        f"工作簿中的“{info.filename}”含有 DOCTYPE 或 ENTITY 声明（Excel 不会写入，常见于 XML 外部实体"
                        f"或“十亿笑”攻击），出于安全原因未读取。请在 Excel 中另存为新的 .xlsx 后再提交",
                        file=name,
                    )
                tail = window[-_OVERLAP:]
