"""Evidence attachments (formats/attachments.py): kinds by their bytes, the suffix must agree, size limit."""

import io
import zipfile

import pytest

from jixiao.formats.attachments import AttachmentRefused, attachment_kind

LIMIT = 1024 * 1024


def _zip(*names: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in names:
            archive.writestr(name, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "name", "kind"), [
    (b"%PDF-1.4\n%...", "整改报告.pdf", "pdf"),
    (b"\x89PNG\r\n\x1a\n" + b"\0" * 20, "现场照片.PNG", "png"),
    (b"\xff\xd8\xff\xe0" + b"\0" * 20, "照片.jpg", "jpeg"),
    (_zip("[Content_Types].xml", "word/document.xml"), "说明.docx", "docx"),
    (_zip("[Content_Types].xml", "xl/workbook.xml"), "台账.xlsx", "xlsx"),
    ("已于9月完成采购并支付首期款。\r\n".encode(), "说明.txt", "text"),
    ("已完成整改".encode("gb18030"), "说明.txt", "text"),
])
def test_the_kinds_taken(data, name, kind):
    assert attachment_kind(data, name, limit=LIMIT).kind == kind


@pytest.mark.parametrize(("data", "name", "words"), [
    (b"MZ\x90\x00\x03\x00\x00\x00" + b"\0" * 40, "整改报告.pdf", "不是允许的文件类型"),  # a Windows program
    (b"<html><script>alert(1)</script></html>", "整改报告.pdf", "扩展名不符"),  # text posing as a PDF
    (b"%PDF-1.4", "报告.exe", "扩展名不符"),
    (_zip("evil.sh"), "材料.docx", "不是允许的文件类型"),  # a zip that is no Office file
    (b"PK\x03\x04broken", "台账.xlsx", "不是允许的文件类型"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 40, "旧表格.xls", "不是允许的文件类型"),
    (b"GIF89a" + b"\x00\x01" * 10, "动图.gif", "不是允许的文件类型"),
    (b"", "空.txt", "文件是空的"),
])
def test_hostile_or_unknown_files_are_refused_naming_the_file(data, name, words):
    with pytest.raises(AttachmentRefused) as refused:
        attachment_kind(data, name, limit=LIMIT)
    assert refused.value.message.startswith(name)
    assert words in refused.value.message
    assert "未保存" in refused.value.message


def test_a_file_above_the_limit_is_refused_with_the_limit():
    with pytest.raises(AttachmentRefused, match=r"照片\.png：文件大小 2 MB，超过 1 MB 的上限"):
        attachment_kind(b"\x89PNG\r\n\x1a\n" + b"\0" * (2 * LIMIT), "照片.png", limit=LIMIT)
