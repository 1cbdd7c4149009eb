"""Hostile files are refused cheaply, with a Chinese message naming the file and the limit."""

import time

import pytest

from jixiao.formats.errors import FormatError
from jixiao.formats.limits import ReadLimits
from jixiao.formats.registry import read_bytes
from jixiao.formats.sandbox import WorkerLimits, read_in_worker
from tests.hostile import (
    BILLION_LAUGHS,
    EXTERNAL_ENTITY,
    random_pdf,
    row_bomb,
    seed_workbook,
    whitespace_bomb,
    with_doctype,
)


@pytest.fixture(scope="module")
def workbook():
    from tests.conftest import SEED

    return seed_workbook(SEED.read_text(encoding="utf-8"))


def refusal(data: bytes, name: str = "攻击.xlsx", **limits) -> str:
    with pytest.raises(FormatError) as caught:
        read_bytes(data, name, ReadLimits(**limits))
    assert caught.value.file == name
    return str(caught.value)


def test_the_unaltered_workbook_still_reads(workbook):
    assert len(read_bytes(workbook, "ok.xlsx").reports) == 1


@pytest.mark.parametrize("doctype", [EXTERNAL_ENTITY, BILLION_LAUGHS], ids=["external-entity", "billion-laughs"])
def test_a_workbook_whose_xml_has_a_doctype_is_refused_naming_the_part(workbook, doctype):
    message = refusal(with_doctype(workbook, doctype))
    assert "攻击.xlsx" in message and "xl/worksheets/sheet2.xml" in message and "DOCTYPE" in message
    assert "出于安全原因未读取" in message


def test_openpyxl_parses_with_defusedxml_so_an_entity_is_never_expanded():
    import openpyxl

    assert openpyxl.DEFUSEDXML is True


def test_a_part_that_unpacks_a_thousand_times_larger_is_refused_by_its_ratio(workbook):
    bomb = whitespace_bomb(workbook)
    started = time.perf_counter()
    message = refusal(bomb)
    assert "压缩比为" in message and "超过了 200 倍的上限" in message and "压缩炸弹" in message
    assert time.perf_counter() - started < 2  # from the directory alone: nothing unpacked


def test_a_part_larger_than_the_unpacked_limit_is_refused_naming_the_limit(workbook):
    message = refusal(workbook, member_bytes=4096)
    assert "解压后有" in message and "超过了 4 KB 的上限" in message


def test_a_sheet_declaring_millions_of_rows_is_refused_before_reading(workbook):
    message = refusal(row_bomb(workbook, 10, declared="A1:B5000000"))
    assert "有 5,000,000 行，超过了 1,048,576 行的上限" in message


def test_a_sheet_with_more_rows_than_the_limit_is_refused_while_reading(workbook):
    message = refusal(row_bomb(workbook, 3000), sheet_rows=2000)
    assert "有 2,001 行，超过了 2,000 行的上限" in message


def test_a_workbook_with_more_cells_than_the_limit_is_refused_while_reading(workbook):
    assert "单元格超过 1,000 个的上限" in refusal(row_bomb(workbook, 3000), cells=1000)


def test_a_random_bytes_pdf_is_refused_in_chinese_without_the_library_text():
    message = refusal(random_pdf(), "随机.pdf")
    assert message == "随机.pdf：不是有效的 PDF 文件（文件结构无法识别或已损坏）"


def test_utf16_text_with_a_bom_is_read_like_utf8(seed_text):
    assert len(read_bytes(seed_text.encode("utf-16"), "unicode.txt").reports) == 9
    assert len(read_bytes(seed_text.encode("utf-16-be").join([b"\xfe\xff", b""]), "be.txt").reports) == 9


def test_an_empty_file_is_refused_with_one_message():
    assert refusal(b"", "空.txt") == "空.txt：文件是空的（0 字节），未导入。请检查是否选错了文件"


def test_the_worker_returns_the_document(seed_text):
    assert len(read_in_worker(seed_text.encode(), "seed.txt").reports) == 9


def test_the_worker_passes_on_a_readers_refusal_with_its_message(workbook):
    with pytest.raises(FormatError, match="DOCTYPE"):
        read_in_worker(with_doctype(workbook, BILLION_LAUGHS), "攻击.xlsx")


def test_a_worker_that_needs_more_memory_than_allowed_is_stopped_with_a_message():
    # 64 MB of text: decoding it needs a new 64 MB block, whatever free memory the worker inherited.
    text = "项目名称\t宣传费\n".encode() * (64 * 1024 * 1024 // 23)
    with pytest.raises(FormatError) as caught:
        read_in_worker(text, "大.xlsx", limits=WorkerLimits(memory_bytes=8 * 1024 * 1024))
    assert str(caught.value) == "大.xlsx：读取所需内存超过了 8 MB 的上限（文件过大或结构异常），未导入"


def test_a_worker_that_takes_longer_than_allowed_is_stopped_with_a_message(workbook):
    bomb = row_bomb(workbook, 200_000)
    started = time.perf_counter()
    with pytest.raises(FormatError) as caught:
        read_in_worker(bomb, "慢.xlsx", limits=WorkerLimits(seconds=0.3))
    assert str(caught.value) == "慢.xlsx：读取超过了 0.3 秒的时间上限（文件过大或结构异常），未导入"
    assert time.perf_counter() - started < 3
