import io
import zipfile

import pytest

from jixiao.formats.errors import FormatError
from jixiao.formats.registry import JSON, PDF, TEXT, XLSX, ZIP, detect, format_for, read_document, write_document


def written(doc, kind) -> bytes:
    out = io.BytesIO()
    write_document(doc, out, kind)
    return out.getvalue()


@pytest.mark.parametrize("kind", [TEXT, JSON, XLSX, PDF])
def test_every_format_is_detected_by_content_and_reads_back_the_seed(seed_doc, kind, tmp_path):
    data = written(seed_doc, kind)
    path = tmp_path / "no-suffix"  # the name says nothing; the content decides
    path.write_bytes(data)
    assert detect(data) == detect(path) == kind
    with path.open("rb") as fh:
        assert detect(fh) == kind and fh.tell() == 0
        assert read_document(fh, "upload") == seed_doc
    assert read_document(path) == seed_doc


def test_a_zip_that_is_not_a_workbook_is_refused_by_name():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    assert detect(out.getvalue()) == ZIP
    with pytest.raises(FormatError, match="不是 Excel 工作簿"):
        read_document(io.BytesIO(out.getvalue()), "report.docx")


def test_only_the_head_of_a_zip_is_taken_for_a_workbook():
    assert detect(b"PK\x03\x04\x14\x00") == XLSX


def test_the_output_format_comes_from_the_suffix():
    assert [format_for(p) for p in ("a.txt", "b.JSON", "c.xlsx", "d.pdf")] == [TEXT, JSON, XLSX, PDF]
    with pytest.raises(FormatError, match="无法从后缀判断输出格式"):
        format_for("out.docx")


def test_an_old_xls_or_a_password_protected_workbook_is_refused_with_what_to_do():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500)
    with pytest.raises(FormatError, match=r"另存为 \.xlsx"):
        read_document(io.BytesIO(data), "old.xls")
