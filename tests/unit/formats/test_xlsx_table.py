"""The one-sheet table writer behind the list export: figures as numbers, text as text, in bounded memory."""

import io
from decimal import Decimal

from openpyxl import load_workbook

from jixiao.formats.xlsx_table import write_table

COLUMNS = (("序号", 6), ("项目名称", 30), ("跟踪期预算数", 14), ("预警", 8))


def _written(rows) -> tuple[int, list]:
    out = io.BytesIO()
    count = write_table(out, title="跟踪表", columns=COLUMNS, rows=iter(rows))
    ws = load_workbook(io.BytesIO(out.getvalue()))["跟踪表"]
    return count, [[(c.value, c.number_format, c.data_type) for c in row] for row in ws.iter_rows()]


def test_it_writes_the_headings_then_one_row_per_item():
    count, rows = _written([(1, "宣传费", Decimal("6.80"), "绿灯"), (2, "邮寄费", Decimal("12.00"), "红灯")])
    assert count == 2
    assert [value for value, _, _ in rows[0]] == ["序号", "项目名称", "跟踪期预算数", "预警"]
    assert [value for value, _, _ in rows[2]] == [2, "邮寄费", 12, "红灯"]


def test_amounts_are_numbers_that_print_with_their_places():
    _, rows = _written([(1, "宣传费", Decimal("109832.79"), None)])
    assert rows[1][2] == (109832.79, "0.00", "n")
    assert rows[1][3][0] is None


def test_a_name_that_looks_like_a_formula_stays_text():
    _, rows = _written([(1, "=HYPERLINK(\"http://example.com\")", Decimal("1.00"), "绿灯")])
    value, number_format, data_type = rows[1][1]
    assert value == "=HYPERLINK(\"http://example.com\")" and data_type == "s" and number_format == "@"


def test_control_characters_are_dropped_rather_than_refusing_the_workbook():
    _, rows = _written([(1, "宣传\x07费", Decimal("1.00"), "绿灯")])
    assert rows[1][1][0] == "宣传费"


def test_an_empty_list_is_a_sheet_with_its_headings_only():
    count, rows = _written([])
    assert count == 0 and len(rows) == 1
