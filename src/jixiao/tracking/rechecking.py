"""Re-running the checker on every stored report, fast enough for a province.

For when the rules or their thresholds change: the forms are unchanged, so their revision is
not bumped. Reports are taken in ranges of ids; each range is read with three plain queries
(reports, budget lines, indicators — no model instances; three more for the forecast's history,
tracking/forecasting.py), mapped back to domain reports by
mapping.py, checked, and its verdict written in one transaction: the reports' lights and
counts, the indicators' lights that changed, and the findings replaced. Ranges may be shared
out to several processes, each with its own database connection.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable

from django.db import connections, transaction
from django.db.models import F
from django.utils import timezone

from jixiao.audit.models import Action
from jixiao.domain.findings import LIGHT_LABELS, ReportCheck
from jixiao.goals.selectors import approved_goal_checks
from jixiao.tracking import mapping, models
from jixiao.tracking.bulkaudit import AuditBatch
from jixiao.tracking.bulkwrite import Table, analyze_after_bulk, update_many
from jixiao.tracking.caching import data_changed
from jixiao.tracking.checking import run_checker
from jixiao.tracking.forecasting import histories
from jixiao.tracking.summaries import summaries_refresh

# What a recheck rewrites: the verdicts, the findings (all replaced) and the summaries.
RECHECKED = (models.TrackingReport, models.Finding, models.UnitPeriodSummary)
JOINED = {key: F(path) for key, path in mapping.REPORT_JOINED_VALUES.items()}
VERDICT = ("time_progress", "budget_light", "light", "light_rank", "error_count", "warning_count", "info_count",
           "worst")


def reports_recheck(
    *, batch_size: int = 2000, workers: int = 1, progress: Callable[[int], None] | None = None
) -> int:
    """Check every stored report again and store the new verdict; returns the number checked."""
    ranges = id_ranges(batch_size)
    if not ranges:
        return 0
    checked = 0
    data_changed()
    if workers <= 1 or len(ranges) == 1:
        for low, high in ranges:
            checked += recheck_range(low, high)
            if progress is not None:
                progress(checked)
        data_changed()
        analyze_after_bulk(checked, *RECHECKED)
        return checked
    # Each process opens its own connection: the parent's is closed before forking, never shared.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers, initializer=fresh_connections) as pool:
        for count in pool.imap_unordered(_recheck_range_args, ranges):
            checked += count
            if progress is not None:
                progress(checked)
    data_changed()
    analyze_after_bulk(checked, *RECHECKED)
    return checked


def id_ranges(batch_size: int) -> list[tuple[int, int]]:
    """The stored reports' ids cut into ``(low, high)`` ranges of at most ``batch_size`` ids."""
    ids = models.TrackingReport.objects.order_by("pk").values_list("pk", flat=True)
    first, last = ids.first(), ids.last()
    if first is None:
        return []
    return [(low, min(low + batch_size, last + 1)) for low in range(first, last + 1, batch_size)]


def fresh_connections() -> None:
    for connection in connections.all(initialized_only=True):
        connection.connection = None


def _recheck_range_args(bounds: tuple[int, int]) -> int:
    return recheck_range(*bounds)


def _subject(row: dict) -> str:  # as audit_record names a report
    return f"{row['project_name']}（{row['period_start']} 至 {row['period_end']}）第{row['version']}版"


def checked_range(low: int, high: int, *stored: str) -> list[tuple[dict, list[dict], ReportCheck]]:
    """The reports with ``low <= id < high``, each with its indicators and the checker's verdict on it,
    computed as the recheck computes it; nothing is written. ``stored``: more report fields to read."""
    rows = list(
        models.TrackingReport.objects.filter(pk__gte=low, pk__lt=high)
        .order_by("pk")
        .values("pk", "light", "version", "project_id", *stored, *mapping.REPORT_VALUES, **JOINED)
    )
    if not rows:
        return []
    lines: dict[int, list] = {}
    for line in models.BudgetLine.objects.filter(report_id__gte=low, report_id__lt=high).values(
        "report_id", "source", *mapping.BUDGET_FIELDS
    ):
        lines.setdefault(line["report_id"], []).append(line)
    indicators: dict[int, list] = {}
    for indicator in (
        models.Indicator.objects.filter(report_id__gte=low, report_id__lt=high)
        .order_by("report_id", "position")
        .values("id", "report_id", "light", *mapping.INDICATOR_VALUES)
    ):
        indicators.setdefault(indicator["report_id"], []).append(indicator)
    # The approved goals of the range's projects (two queries), so the recheck judges as the edit did.
    goals = approved_goal_checks(project__reports__pk__gte=low, project__reports__pk__lt=high)
    known = histories((row["project_id"], int(row["period_end"][5:]), row["amount_unit"]) for row in rows)
    checked = []
    for row in rows:
        own = indicators.get(row["pk"], [])
        report = mapping.report_from_values(row, lines.get(row["pk"], []), own)
        history = known[(row["project_id"], int(row["period_end"][5:]), row["amount_unit"])]
        checked.append((row, own, run_checker(report, approved_goal=goals.get(row["project_id"]), history=history)))
    return checked


def recheck_range(low: int, high: int) -> int:
    """Check again the reports with ``low <= id < high``; returns how many there were.

    Reading and checking happen before the write transaction, so that on SQLite (one writer at a
    time) several processes check in parallel and queue only for their short writes."""
    checked = checked_range(low, high)
    if not checked:
        return 0
    verdicts, lights, findings = [], [], []
    audit = AuditBatch(user=None)
    for row, own, check in checked:
        pk = row["pk"]
        verdict = mapping.verdict_fields(check)
        verdicts.append((*(verdict[name] for name in VERDICT), pk))
        if verdict["light"] != row["light"]:  # what a reader of the form sees change: its light
            audit.add(action=Action.RECHECK, report_id=pk, comment="按当前规则重新检查",
                      subject=_subject(row),
                      changes=[{"field": "预警灯", "before": LIGHT_LABELS.get(row["light"] or "", "无"),
                                "after": LIGHT_LABELS.get(verdict["light"] or "", "无")}])
        for position, indicator in enumerate(own):
            light = mapping.indicator_light(check, position)
            if light != indicator["light"]:
                lights.append((light, indicator["id"]))
        findings.extend({**fields, "report_id": pk} for fields in mapping.finding_fields(check))
    table = Table(models.TrackingReport)
    checked_at = table.prepare(timezone.now(), "checked_at")
    with transaction.atomic():
        update_many(models.TrackingReport, [*VERDICT, "checked_at"],
                    [(*verdict[:-1], checked_at, verdict[-1]) for verdict in verdicts])
        update_many(models.Indicator, ["light"], lights)
        models.Finding.objects.filter(report_id__gte=low, report_id__lt=high).delete()
        finding_table = Table(models.Finding)
        finding_table.insert(finding_table.rows(findings))
        audit.flush()
        summaries_refresh(models.TrackingReport.objects.filter(pk__gte=low, pk__lt=high)
                          .values_list("unit_id", "period_id").distinct())
    return len(checked)
