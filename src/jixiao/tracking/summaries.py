"""Aggregates kept on write (issue 15): per unit, period, status and overall light, the count of
current forms, their budget and spending in 万元 and their errors and warnings.

Every write of reports calls ``summaries_refresh`` with the (unit, period) pairs it touched, inside
its own transaction: the pairs' summary rows are deleted and recomputed from the forms with one
GROUP BY (per unit of money in SQL, converted to 万元 here with Decimal, as ``selectors.wanyuan``
does). Pages then cost O(units shown), not O(forms). ``summaries_check`` compares the rows with a
recomputation (``jixiao summaries --check``); ``summaries_rebuild`` recomputes all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from jixiao.accounts.models import Organisation
from jixiao.domain.findings import LIGHT_LABELS
from jixiao.domain.model import to_wanyuan
from jixiao.domain.workflow import STATE_LABELS
from jixiao.tracking import models
from jixiao.tracking.bulkwrite import Table

Key = tuple[int, int, str, str]  # unit, period, status, light
_CHUNK = 500  # units per statement: well under any database's limit of parameters


def _computed(reports, report_model=models.TrackingReport) -> dict[Key, list]:
    """count, budget, spent (万元), errors, warnings per key, from the current forms of ``reports``."""
    result: dict[Key, list] = {}
    grouped = (
        reports.filter(is_latest=True).order_by()
        .values_list("unit_id", "period_id", "status", "light", "amount_unit")
        .annotate(n=Count("pk"), budget=Sum("total_period_budget"), spent=Sum("total_spent"),
                  errors=Sum("error_count"), warnings=Sum("warning_count"))
    )
    for unit, period, status, light, money, n, budget, spent, errors, warnings in grouped:
        row = result.setdefault((unit, period, status, light or ""), [0, Decimal(0), Decimal(0), 0, 0])
        row[0] += n
        row[1] += to_wanyuan(budget or Decimal(0), money)
        row[2] += to_wanyuan(spent or Decimal(0), money)
        row[3] += errors or 0
        row[4] += warnings or 0
    return result


def _write(summary_model, computed: dict[Key, list]) -> None:
    # executemany / COPY (bulkwrite.py) rather than bulk_create: a bulk import refreshes some ten thousand
    # rows at once, and building and compiling a model instance for each cost more than the GROUP BY.
    table = Table(summary_model)
    table.insert(table.rows([
        {"unit_id": unit, "period_id": period, "status": status, "light": light, "count": n,
         "budget_wanyuan": budget, "spent_wanyuan": spent, "errors": errors, "warnings": warnings}
        for (unit, period, status, light), (n, budget, spent, errors, warnings) in sorted(computed.items())
    ]))


def summaries_refresh(pairs: Iterable[tuple[int, int]]) -> None:
    """Recompute the summaries of every (unit, period) in ``pairs``; call inside the write's transaction.

    The units' rows are locked first (in id order), so that two transactions refreshing the same
    unit (parallel rechecks, a step during an import) take turns and the second one sees the first's
    forms; the pairs are widened to units × periods, which recomputes a few more rows, never wrong ones."""
    pairs = set(pairs)
    if not pairs:
        return
    periods = sorted({period for _, period in pairs})
    units = sorted({unit for unit, _ in pairs})
    with transaction.atomic(savepoint=False):  # no extra statement inside the caller's transaction
        _refresh(units, periods)


def _refresh(units: list[int], periods: list[int]) -> None:
    for start in range(0, len(units), _CHUNK):
        chunk = units[start:start + _CHUNK]
        list(Organisation.objects.select_for_update().filter(pk__in=chunk).order_by("pk").values_list("pk"))
        models.UnitPeriodSummary.objects.filter(unit_id__in=chunk, period_id__in=periods).delete()
        reports = models.TrackingReport.objects.filter(unit_id__in=chunk, period_id__in=periods)
        _write(models.UnitPeriodSummary, _computed(reports))


def summaries_rebuild(report_model=models.TrackingReport, summary_model=models.UnitPeriodSummary) -> int:
    """Recompute every summary from the forms (the data migration and ``jixiao summaries --rebuild``)."""
    summary_model.objects.all().delete()
    computed = _computed(report_model.objects.all())
    _write(summary_model, computed)
    return len(computed)


def summaries_check() -> list[str]:
    """The differences between the stored summaries and a recomputation from the forms (none when
    they agree), each as a sentence for ``jixiao summaries --check``."""
    expected = _computed(models.TrackingReport.objects.all())
    stored = {
        (row.unit_id, row.period_id, row.status, row.light):
            [row.count, row.budget_wanyuan, row.spent_wanyuan, row.errors, row.warnings]
        for row in models.UnitPeriodSummary.objects.all()
    }
    problems = []
    for key in sorted(set(expected) | set(stored)):
        want, have = expected.get(key), stored.get(key)
        if want is None or have is None or not _same(want, have):
            unit, period, status, light = key
            problems.append(f"单位 {unit}、时段 {period}、状态 {STATE_LABELS.get(status, status)}、"
                            f"预警 {LIGHT_LABELS.get(light or '', '无')}："
                            f"汇总为 {_shown(have)}，按跟踪表重算为 {_shown(want)}")
    return problems


_PLACES = Decimal("0.000001")


def _same(want: list, have: list) -> bool:
    # Amounts compared to the millionth of 万元: SQLite keeps decimals as floating point.
    return (want[0], want[3], want[4]) == (have[0], have[3], have[4]) and all(
        Decimal(a).quantize(_PLACES) == Decimal(b).quantize(_PLACES) for a, b in zip(want[1:3], have[1:3], strict=True)
    )


def _shown(row: list | None) -> str:
    if row is None:
        return "无"
    n, budget, spent, errors, warnings = row
    return f"{n} 张、预算 {budget} 万元、执行 {spent} 万元、错误 {errors}、警告 {warnings}"
