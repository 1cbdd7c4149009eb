"""Readable, coloured terminal output of the checker's verdicts (rich)."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Console
from rich.markup import escape

from jixiao.domain.findings import (
    ERROR,
    INFO,
    LIGHT_LABELS,
    SEVERITY_LABELS,
    WARNING,
    ReportCheck,
    field_label,
)
from jixiao.domain.model import TrackingReport
from jixiao.domain.rules.registry import rule_title

LIGHT_STYLES = {"red": "bold red", "yellow": "bold yellow", "green": "bold green", None: "dim"}
SEVERITY_STYLES = {ERROR: "bold red", WARNING: "yellow", INFO: "cyan"}


def _light(light: str | None) -> str:
    return f"[{LIGHT_STYLES[light]}]{LIGHT_LABELS.get(light, '未判定')}[/]"


def print_checks(checked: Iterable[tuple[TrackingReport, ReportCheck]], console: Console | None = None) -> None:
    """Each form's lights, then its findings one block each: severity, place, rule title, message."""
    console = console or Console(highlight=False)
    totals = {ERROR: 0, WARNING: 0, INFO: 0}
    count = 0
    for count, (report, check) in enumerate(checked, start=1):
        rate = report.budget.total.rate
        console.print(f"[bold]{count}. {escape(report.project)}[/]  [dim]{escape(report.unit)}[/]")
        console.print(
            f"   执行率 {rate if rate is not None else '—'}%  序时进度 {check.time_progress}%  "
            f"预算执行 {_light(check.budget_light)}  综合 {_light(check.light)}"
        )
        if not check.findings:
            console.print("   [green]未发现问题[/]")
        for finding in check.findings:
            totals[finding.severity] += 1
            place = "·".join(p for p in (finding.indicator, field_label(finding.field)) if p) or "整表"
            console.print(
                f"   [{SEVERITY_STYLES[finding.severity]}]{SEVERITY_LABELS[finding.severity]}[/] "
                f"{escape(place)}  [dim]{escape(rule_title(finding.rule))}[/]"
            )
            console.print(f"      {escape(finding.message)}", soft_wrap=True)
        console.print()
    console.print(
        f"[bold]共 {count} 张表：[/][red]错误 {totals[ERROR]}[/]，[yellow]警告 {totals[WARNING]}[/]，"
        f"[cyan]提示 {totals[INFO]}[/]"
    )
