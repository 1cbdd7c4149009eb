"""Re-running the checker on every stored report, fast enough for a province.

For when the rules or their thresholds change: the forms are unchanged, so their revision is
not bumped. Reports are taken in ranges of ids; each range is read with three plain queries
(reports, budget lines, indicators — no model instances), mapped back to domain reports by
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

from jixiao.tracking import mapping, models
from jixiao.tracking.bulkwrite import Table, update_many
from jixiao.tracking.caching import data_changed
from jixiao.tracking.checking import run_checker
from jixiao.tracking.summaries import summaries_refresh

JOINED = {key: F(path) for key, path in mapping.REPORT_JOINED_VALUES.items()}
VERDICT = ("time_progress", "budget_light", "light", "light_rank", "error_count", "warning_count", "info_count")


def reports_recheck(
    *, batch_size: int = 2000, workers: int = 1, progress: Callable[[int], None] | None = None
) -> int:
    """Check every stored report again and store the new verdict; returns the number checked."""
    ids = models.TrackingReport.objects.order_by("pk").values_list("pk", flat=True)
    first, last = ids.first(), ids.last()
    if first is None:
        return 0
    ranges = [(low, min(low + batch_size, last + 1)) for low in range(first, last + 1, batch_size)]
    checked = 0
    data_changed()
    if workers <= 1 or len(ranges) == 1:
        for low, high in ranges:
            checked += recheck_range(low, high)
            if progress is not None:
                progress(checked)
        data_changed()
        return checked
    # Each process opens its own connection: the parent's is closed before forking, never shared.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(workers, initializer=_fresh_connections) as pool:
        for count in pool.imap_unordered(_recheck_range_args, ranges):
            checked += count
            if progress is not None:
                progress(checked)
    data_changed()
    return checked


def _fresh_connections() -> None:
    for connection in connections.all(initialized_only=True):
        connection.connection = None


def _recheck_range_args(bounds: tuple[int, int]) -> int:
    return recheck_range(*bounds)


def recheck_range(low: int, high: int) -> int:
    """Check again the reports with ``low <= id < high``; returns how many there were.

    Reading and checking happen before the write transaction, so that on SQLite (one writer at a
    time) several processes check in parallel and queue only for their short writes."""
    rows = list(
        models.TrackingReport.objects.filter(pk__gte=low, pk__lt=high)
        .order_by("pk")
        .values("pk", *mapping.REPORT_VALUES, **JOINED)
    )
    if not rows:
        return 0
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
    verdicts, lights, findings = [], [], []
    for row in rows:
        pk = row["pk"]
        own = indicators.get(pk, [])
        check = run_checker(mapping.report_from_values(row, lines.get(pk, []), own))
        verdict = mapping.verdict_fields(check)
        verdicts.append((*(verdict[name] for name in VERDICT), pk))
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
        summaries_refresh(models.TrackingReport.objects.filter(pk__gte=low, pk__lt=high)
                          .values_list("unit_id", "period_id").distinct())
    return len(rows)
