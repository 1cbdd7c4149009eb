"""The 自评表 grid (formats/evaluation_sheet.py): eight columns on every row, the usual headings, the scores
of the scorecard, and an xlsx that reads back with its merged cells."""

import io
from pathlib import Path

from openpyxl import load_workbook

from jixiao.domain.scoring import draft_from_report, score_sheet
from jixiao.formats.evaluation_sheet import COLUMNS, grid, write_evaluation_xlsx
from jixiao.formats.text import read_text

SEED = Path(__file__).parents[2] / "fixtures" / "minhang_2024_08.txt"


def _sheet():
    with SEED.open("rb") as stream:
        sheet = draft_from_report(read_text(stream, SEED.name).reports[1])  # 鉴定、认定费
    return sheet, score_sheet(sheet)


def test_every_row_spans_eight_columns_and_the_total_closes_the_sheet():
    sheet, card = _sheet()
    rows = grid(sheet, card)
    assert all(sum(cell.span for cell in row) == COLUMNS for row in rows)
    headings = [cell.text for row in rows for cell in row if cell.head]
    for heading in ("年初预算数", "全年预算数", "全年执行数", "分值", "执行率", "得分", "年度指标值", "实际完成值",
                    "偏差原因分析及改进措施", "总分"):
        assert heading in headings
    assert [c.text for c in rows[3]][4:7] == ["10.00", "89.99%", "9.00"]
    assert [c.text for c in rows[-1]] == ["总分", "100.00", "97.29", "等级：优"]
    assert len(rows) == 7 + len(sheet.indicators) + 1


def test_the_workbook_holds_the_grid():
    sheet, card = _sheet()
    stream = io.BytesIO()
    write_evaluation_xlsx(stream, sheet, card)
    ws = load_workbook(io.BytesIO(stream.getvalue())).active
    assert ws["A1"].value == "项目支出绩效自评表" and ws["A2"].value == "（2024年度）"
    assert ws["B3"].value == "鉴定、认定费" and "B3:H3" in {str(r) for r in ws.merged_cells.ranges}
    assert ws.cell(3 + 7, 3).value == "鉴定工作完成率" and ws.cell(3 + 7, 7).value == 15

