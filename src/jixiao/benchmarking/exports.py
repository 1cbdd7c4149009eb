"""预算调整建议 as an xlsx workbook: the rows the list shows for the same filters (formats/xlsx_table.py)."""

from __future__ import annotations

from typing import BinaryIO

from jixiao.benchmarking.selectors import ProposalRow
from jixiao.formats.xlsx_table import write_table

COLUMNS = (
    ("序号", 6), ("主管部门", 26), ("实施单位", 26), ("项目名称", 32), ("金额单位", 8), ("全年预算数", 14),
    ("跟踪期执行数", 14), ("预计全年执行数", 14), ("预计结余", 14), ("结余占预算(%)", 12), ("建议", 8),
    ("建议理由", 40), ("处理结果", 10), ("处理理由", 40),
)


def proposal_cells(number: int, row: ProposalRow) -> tuple:
    made = row.proposal
    return (number, row.department, row.unit, row.project, row.amount_unit, made.budget, row.spent, made.forecast,
            made.expected_balance, made.balance_share, made.action_label, made.rationale, row.state_label,
            row.decision.reason if row.decision else None)


def write_proposals(stream: BinaryIO, rows: list[ProposalRow]) -> int:
    return write_table(stream, title="预算调整建议", columns=COLUMNS,
                       rows=(proposal_cells(n, r) for n, r in enumerate(rows, start=1)))
