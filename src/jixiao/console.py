"""Readable, coloured terminal output of the checker's verdicts (rich)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.table import Table

from jixiao.domain.findings import ERROR, INFO, LIGHT_LABELS, SEVERITY_LABELS, WARNING, ReportCheck
from jixiao.domain.model import TrackingReport

LIGHT_STYLES = {"red": "bold red", "yellow": "bold yellow", "green": "bold green", None: "dim"}
SEVERITY_STYLES = {ERROR: "red", WARNING: "yellow", INFO: "cyan"}


def _light(light: str | None) -> str:
    return f"[{LIGHT_STYLES[light]}]{LIGHT_LABELS.get(light, '无')}[/]"


def print_checks(checked: Iterable[tuple[TrackingReport, ReportCheck]], console: Console | None = None) -> None:
    console = console or Console(highlight=False)
    totals = {ERROR: 0, WARNING: 0, INFO: 0}
    count = 0
    for count, (report, check) in enumerate(checked, start=1):
        rate = report.budget.total.rate
        console.print(
            f"[bold]{count}. {report.project}[/]  {report.unit}\n"
            f"   执行率 {rate if rate is not None else '—'}%  序时进度 {check.time_progress}%  "
            f"预算执行 {_light(check.budget_light)}  综合 {_light(check.light)}"
        )
        if not check.findings:
            console.print("   [green]未发现问题[/]\n")
            continue
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1), expand=False)
        table.add_column("级别", no_wrap=True)
        table.add_column("规则", no_wrap=True)
        table.add_column("位置")
        table.add_column("说明", overflow="fold")
        for finding in check.findings:
            totals[finding.severity] += 1
            where = finding.indicator or "整表"
            if finding.field:
                where = f"{where} · {finding.field}"
            style = SEVERITY_STYLES[finding.severity]
            table.add_row(f"[{style}]{SEVERITY_LABELS[finding.severity]}[/]", finding.rule, where, finding.message)
        console.print(table)
        console.print()
    console.print(
        f"[bold]共 {count} 张表：[/][red]错误 {totals[ERROR]}[/]，[yellow]警告 {totals[WARNING]}[/]，"
        f"[cyan]提示 {totals[INFO]}[/]"
    )
