"""Aggregates kept on write (issue 15): per unit, period, status and overall light, the count of
current forms, their budget and spending in 万元, their errors and warnings, and their budget lines'
年初预算数, 跟踪期预算数 and 执行数 in 万元 per funding source (the roll-up's totals per source).

Every write of reports calls ``summaries_refresh`` with the (unit, period) pairs it touched, inside
its own transaction: the pairs' summary rows are deleted and recomputed from the forms with two
GROUP BYs, one over the forms and one over their budget lines (per unit of money in SQL, converted to
万元 here with Decimal, as ``selectors.wanyuan`` does). Pages then cost O(units shown), not O(forms).
``summaries_check`` compares the rows with a recomputation (``jixiao summaries --check``, ``jixiao doctor``);
``summaries_rebuild`` recomputes all of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from django.db.models import Count, Sum

from jixiao.accounts.models import Organisation
from jixiao.domain.findings import LIGHT_LABELS
from jixiao.domain.model import FUNDING_LABELS, FUNDING_SOURCES, to_wanyuan
from jixiao.domain.workflow import STATE_LABELS
from jixiao.tracking import models
from jixiao.tracking.bulkwrite import Table

Key = tuple[int, int, str, str]  # unit, period, status, light
_CHUNK = 500  # units per statement: well under any database's limit of parameters
# The per-source columns (UnitPeriodSummary) and the budget line's field each one sums.
LINE_FIELDS = {"initial": "initial", "budget": "period_budget", "spent": "spent"}
SOURCE_COLUMNS = {f"{source}_{name}": (source, field) for source in FUNDING_SOURCES
                  for name, field in LINE_FIELDS.items()}
FIGURES = ("count", "budget_wanyuan", "spent_wanyuan", "errors", "warnings", *SOURCE_COLUMNS)
_COUNTED = (0, 3, 4)  # the figures that are counts; the others are sums in 万元
_SOURCE_AT = {key: 5 + i for i, key in enumerate(SOURCE_COLUMNS.values())}  # (source, field) → figure


def _computed(report_model=models.TrackingReport, line_model=models.BudgetLine, **where) -> dict[Key, list]:
    """The FIGURES per key, from the current forms matching ``where`` (filters on the reports) and their lines.

    The lines are joined to their reports with the same filters (never ``report IN (subquery)``: see
    benchmarking/comparing.py on PostgreSQL's plans of those with stale statistics)."""
    result: dict[Key, list] = {}

    def figures(key: Key) -> list:
        return result.setdefault(key, [0, Decimal(0), Decimal(0), 0, 0, *(Decimal(0) for _ in SOURCE_COLUMNS)])

    grouped = (
        report_model.objects.filter(is_latest=True, **where).order_by()
        .values_list("unit_id", "period_id", "status", "light", "amount_unit")
        .annotate(n=Count("pk"), budget=Sum("total_period_budget"), spent=Sum("total_spent"),
                  errors=Sum("error_count"), warnings=Sum("warning_count"))
    )
    for unit, period, status, light, money, n, budget, spent, errors, warnings in grouped:
        row = figures((unit, period, status, light or ""))
        row[0] += n
        row[1] += to_wanyuan(budget or Decimal(0), money)
        row[2] += to_wanyuan(spent or Decimal(0), money)
        row[3] += errors or 0
        row[4] += warnings or 0
    if line_model is None:  # the summaries of migration 0008, before the per-source columns
        return result
    lines = (
        line_model.objects.filter(report__is_latest=True, source__in=FUNDING_SOURCES,
                                  **{f"report__{name}": value for name, value in where.items()}).order_by()
        .values_list("report__unit_id", "report__period_id", "report__status", "report__light",
                     "report__amount_unit", "source")
        .annotate(**{field: Sum(field) for field in LINE_FIELDS.values()})
    )
    for unit, period, status, light, money, source, *sums in lines:
        row = figures((unit, period, status, light or ""))
        for field, total in zip(LINE_FIELDS.values(), sums, strict=True):
            row[_SOURCE_AT[(source, field)]] += to_wanyuan(total or Decimal(0), money)
    return result


def _write(summary_model, computed: dict[Key, list]) -> None:
    # executemany / COPY (bulkwrite.py) rather than bulk_create: a bulk import refreshes some ten thousand
    # rows at once, and building and compiling a model instance for each cost more than the GROUP BY.
    table = Table(summary_model)
    table.insert(table.rows([
        {"unit_id": unit, "period_id": period, "status": status, "light": light, **dict(zip(FIGURES, row, strict=True))}
        for (unit, period, status, light), row in sorted(computed.items())
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
        _write(models.UnitPeriodSummary, _computed(unit_id__in=chunk, period_id__in=periods))


def summaries_rebuild(report_model=models.TrackingReport, summary_model=models.UnitPeriodSummary,
                      line_model=models.BudgetLine) -> int:
    """Recompute every summary from the forms (the data migrations and ``jixiao summaries --rebuild``);
    ``line_model=None``: without the per-source figures (migration 0008's summaries had none)."""
    summary_model.objects.all().delete()
    computed = _computed(report_model, line_model)
    _write(summary_model, computed)
    return len(computed)


def summaries_check() -> list[str]:
    """The differences between the stored summaries and a recomputation from the forms (none when
    they agree), each as a sentence for ``jixiao summaries --check``."""
    expected = _computed()
    stored = {
        (unit, period, status, light): list(figures)
        for unit, period, status, light, *figures in models.UnitPeriodSummary.objects.values_list(
            "unit_id", "period_id", "status", "light", *FIGURES)
    }
    problems = []
    for key in sorted(set(expected) | set(stored)):
        want, have = expected.get(key), stored.get(key)
        if want is None or have is None or not _same(want, have):
            unit, period, status, light = key
            problems.append(f"单位 {unit}、时段 {period}、状态 {STATE_LABELS.get(status, status)}、"
                            f"预警 {LIGHT_LABELS.get(light or '', '无')}："
                            f"汇总为 {_shown(have, want)}，按跟踪表重算为 {_shown(want, have)}")
    return problems


_PLACES = Decimal("0.000001")


def _equal(i: int, a, b) -> bool:
    # Amounts compared to the millionth of 万元: SQLite keeps decimals as floating point.
    return a == b if i in _COUNTED else Decimal(a).quantize(_PLACES) == Decimal(b).quantize(_PLACES)


def _same(want: list, have: list) -> bool:
    return all(_equal(i, a, b) for i, (a, b) in enumerate(zip(want, have, strict=True)))


def _source_label(column: str) -> str:
    """年度资金总额年初预算数 …: the funding source and the budget line's field as the form names them."""
    source, field = SOURCE_COLUMNS[column]
    return f"{FUNDING_LABELS[source]}{models.BudgetLine._meta.get_field(field).verbose_name}"


def _shown(row: list | None, other: list | None = None) -> str:
    """A summary's figures; beside ``other`` (the row compared with), also the per-source ones that differ."""
    if row is None:
        return "无"
    n, budget, spent, errors, warnings = row[:5]
    text = f"{n} 张、预算 {budget} 万元、执行 {spent} 万元、错误 {errors}、警告 {warnings}"
    if other is not None:
        text += "".join(f"、{_source_label(column)} {row[i]} 万元" for i, column in enumerate(SOURCE_COLUMNS, 5)
                        if not _equal(i, row[i], other[i]))
    return text
