"""The goal-declaration workbook (formats/goal_xlsx.py): round trip and errors naming the cell."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from jixiao.domain.goal_sheet import GoalDeclaration, GoalRow
from jixiao.formats.errors import FormatError
from jixiao.formats.goal_xlsx import read_goal_xlsx, write_goal_xlsx

GOAL = GoalDeclaration(
    project="宣传费", department="上海市闵行区人力资源和社会保障局", unit="上海市闵行区就业促进中心", year=2024,
    amount_unit="万元", initial={"total": Decimal("60.5"), "appropriation": Decimal("60.5"), "carryover": None,
                                 "other": Decimal("0")},
    overall_goal="全年开展宣传活动12场，群众满意度达90%。",
    indicators=[GoalRow("产出指标", "数量指标", "宣传活动场次", "≥12场", "higher_better", "accumulating"),
                GoalRow("满意度指标", "服务对象满意度指标", "群众满意度", "≥90%", "higher_better", "level"),
                GoalRow("产出指标", "时效指标", "完成时间", "=100.00(%)", "lower_better", "deadline")])


def _bytes(goal=GOAL) -> bytes:
    buffer = io.BytesIO()
    write_goal_xlsx(buffer, goal)
    return buffer.getvalue()


def test_round_trip_field_for_field():
    assert read_goal_xlsx(io.BytesIO(_bytes()), "申报表.xlsx") == GOAL


def _broken(cell: str, value) -> io.BytesIO:
    wb = load_workbook(io.BytesIO(_bytes()))
    wb.active[cell] = value
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


@pytest.mark.parametrize(("cell", "value", "message"), [
    ("B3", None, "单元格 B3：项目名称空白"),
    ("B7", "六十", "单元格 B7：年度资金总额的年初预算数“六十”不是数字"),
    ("B13", "数量", "单元格 B13：二级指标“数量”不在指标体系中"),
    ("D14", None, "单元格 D14：指标值空白"),
    ("E13", "向上", "单元格 E13：指标方向“向上”应为“正向”或“反向”"),
    ("B5", "美元", "单元格 B5：金额单位“美元”不可用"),
])
def test_errors_name_the_cell(cell, value, message):
    with pytest.raises(FormatError, match=message):
        read_goal_xlsx(_broken(cell, value), "申报表.xlsx")


def test_not_a_declaration():
    with pytest.raises(FormatError, match="找不到“项目名称”"):
        read_goal_xlsx(_broken("A3", "别的"), "x.xlsx")
    with pytest.raises(FormatError, match="不是有效的 Excel"):
        read_goal_xlsx(io.BytesIO(b"not a zip"), "x.xlsx")
