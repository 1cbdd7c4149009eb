"""The 跟踪表 list as an xlsx workbook: exactly the rows the list shows for the same filters,
search and sort (``selectors.report_list``), every page of them, one row per form.

The rows are read with a database cursor in chunks and written in openpyxl's write-only mode
(``formats.xlsx_table``), so memory stays bounded however long the list is; one query in all.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from jixiao.accounts.models import User
from jixiao.domain.findings import LIGHT_LABELS, SEVERITY_LABELS
from jixiao.formats.xlsx_table import write_table
from jixiao.tracking import selectors

COLUMNS = (
    ("序号", 6), ("项目名称", 32), ("状态", 12), ("版本", 6), ("主管部门", 26), ("实施单位", 26),
    ("跟踪时段", 18), ("金额单位", 8), ("跟踪期预算数", 14), ("跟踪期执行数", 14), ("执行率(%)", 10),
    ("预警", 8), ("错误数", 8), ("警告数", 8), ("最严重的问题", 60),
)
CHUNK = 2000


def export_rows(*, user: User, filters: selectors.ReportFilters) -> Iterator[tuple]:
    rows = selectors.report_list(user=user, filters=filters)
    for number, r in enumerate(rows.iterator(chunk_size=CHUNK), start=1):
        worst = f"[{SEVERITY_LABELS.get(r.worst_severity, '')}] {r.worst_message}" if r.worst_message else None
        yield (
            number, r.project.name, r.get_status_display(), r.version, r.unit.parent.name if r.unit.parent else None,
            r.unit.name, f"{r.period.start} 至 {r.period.end}", r.amount_unit, r.total_period_budget, r.total_spent,
            r.total_rate, LIGHT_LABELS.get(r.light or "", "未判定"), r.error_count, r.warning_count, worst,
        )


def write_report_list(stream: BinaryIO, *, user: User, filters: selectors.ReportFilters) -> int:
    """Write the list to ``stream``; returns how many forms it holds."""
    return write_table(stream, title="跟踪表", columns=COLUMNS, rows=export_rows(user=user, filters=filters))
