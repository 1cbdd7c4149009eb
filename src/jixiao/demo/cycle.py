"""The demo's budget year as a cycle (README.md “年度跟踪周期”): besides the seed's 1–8 月 forms (unchanged),
a 1–4 月 point (published, closed) and a 1–10 月 point (drafts, open), derived from the seed; and the
previous fiscal year (1–4, 1–8, 1–12 月, published where the checker allows, closed) of the same nine
projects, so that the forecast (domain/forecast.py) and the trends have history. The previous year
spends the last third of its budget in the fourth quarter (96 % by December), as many projects do.

Derived deterministically: each amount and each cumulative value of a form is the seed's scaled to
the point's months, with a small per-project spread; levels (%, 率) and texts are the seed's. The
1–10 月 forms also carry the MoF monitoring layout's forecasts, so the 全年预计 block has content.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

from jixiao.domain import model as domain
from jixiao.domain.model import FUNDING_SOURCES, parse_number, percent
from jixiao.domain.notation import parse_target
from jixiao.domain.workflow import TransitionRefused
from jixiao.tracking import mapping, models
from jixiao.tracking.periods import period_open, period_update
from jixiao.tracking.rechecking import reports_recheck
from jixiao.tracking.services import period_get_or_create, project_get_or_create, report_store
from jixiao.tracking.workflow import report_transition

SEED_END_MONTH = 8
DEMO_POINTS = (4, 10)  # the tracking points the demo adds around the seed's 1–8 月
DEMO_OPEN_DAYS = 14
PREVIOUS_YEAR_POINTS = (4, 8, 12)
YEAR_END_RATE = Decimal("0.96")
PUBLISH = ("submit", "approve:demo-department", "approve:demo-finance", "publish:demo-finance")
SUBMIT_COMMENT = "1—4 月执行情况已核实，偏慢的原因已在进度说明中解释。"


def _factor(end_month: int, spread: int) -> Decimal:
    """How much of the seed's cumulative figures a point holds: its months' share, ± a few percent."""
    base = Decimal(end_month) / Decimal(SEED_END_MONTH)
    return base * (Decimal(1) + Decimal(spread - 1) * Decimal("0.06"))


def _scaled(value: Decimal | None, factor: Decimal, cap: Decimal | None = None) -> Decimal | None:
    if value is None:
        return None
    result = (value * factor).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return min(result, cap) if cap is not None else result


def _scaled_text(text: str | None, factor: Decimal, target: domain.Indicator) -> str | None:
    """A cumulative planned/actual value scaled; levels (%-targets) and phrases unchanged."""
    number = parse_number(text)
    if number is None or not target.target.is_quantitative or (target.target.unit or "").endswith("%"):
        return text
    places = -number.as_tuple().exponent if number.as_tuple().exponent < 0 else 0
    scaled = (number * factor).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    if target.target.value is not None and target.target.comparator not in ("≤", "<"):
        scaled = min(scaled, target.target.value)
    return str(scaled)


def derive(
    seed: domain.TrackingReport, period: domain.Period, spread: int, *, forecasts: bool
) -> domain.TrackingReport:
    """The seed form as it would read at ``period``'s end (see the module's docstring); at a 1–12 月
    point ``YEAR_END_RATE`` of each line's budget is spent."""
    factor = _factor(period.end_month, spread)
    budget_factor = Decimal(period.end_month) / Decimal(SEED_END_MONTH)
    lines = {}
    for source in FUNDING_SOURCES[1:]:
        line = seed.budget.line(source)
        budget = _scaled(line.period_budget, budget_factor, line.initial)
        spent = _scaled(line.spent, factor, budget)
        if period.end_month == 12 and spent is not None and budget is not None:
            spent = _scaled(budget, YEAR_END_RATE)
        lines[source] = replace(line, period_budget=budget, spent=spent,
                                rate=percent(spent, budget) if spent is not None and budget is not None else None)
    total = seed.budget.total

    def summed(name: str) -> Decimal | None:
        values = [getattr(lines[s], name) for s in FUNDING_SOURCES[1:]]
        return sum((v for v in values if v is not None), Decimal("0.00")) if any(v is not None for v in values) \
            else None

    budget, spent = summed("period_budget"), summed("spent")
    lines["total"] = replace(total, period_budget=budget, spent=spent,
                             rate=percent(spent, budget) if spent is not None and budget is not None else None)
    if forecasts:
        for source, line in lines.items():
            short = Decimal("0.9") if spread == 0 and source in ("total", "appropriation") else Decimal(1)
            lines[source] = replace(line, adjusted=line.initial, forecast_spent=_scaled(line.initial, short))
    year, seed_year = str(period.year), str(seed.period.year)

    def dated(text):  # a deadline of the seed's year ("2024年重阳节前") moved to the form's year
        return text.replace(seed_year, year) if text and year != seed_year else text

    indicators = [
        replace(ind, target=parse_target(dated(ind.target.text)) if seed_year in (ind.target.text or "")
                else ind.target,
                planned=dated(_scaled_text(ind.planned, budget_factor, ind)),
                actual=dated(_scaled_text(ind.actual, factor, ind)),
                forecast=str(ind.target.value) if forecasts and ind.target.value is not None else None)
        for ind in seed.indicators
    ]
    texts = {name: getattr(seed, name).replace(seed_year, year) if getattr(seed, name) else getattr(seed, name)
             for name in ("goal", "progress", "corrective_actions")}
    return replace(seed, period=period, budget=domain.Budget(**lines), indicators=indicators, **texts,
                   remarks="按月报送进度，预计年底前完成全部支付。" if forecasts else None)


def demo_cycle(users) -> None:
    """Open the demo's extra tracking points and fill their forms (a second run changes nothing)."""
    finance = users["demo-finance"]
    seed_period = models.TrackingPeriod.objects.order_by("-end").filter(end__endswith=f"-{SEED_END_MONTH:02d}").first()
    if seed_period is None:
        return
    year = int(seed_period.end[:4])
    rows = list(models.TrackingReport.objects.filter(period=seed_period, is_latest=True)
                .select_related("project", "period", "unit").prefetch_related("budget_lines", "indicators"))
    seeds = {row.project_id: mapping.report_to_domain(row) for row in rows}
    changed = _previous_year(year - 1, sorted(rows, key=lambda row: row.project.name), seeds, users)
    for end_month in DEMO_POINTS:
        deadline = (datetime.date(year, end_month + 1, 10) if end_month < SEED_END_MONTH
                    else timezone.localdate() + datetime.timedelta(days=DEMO_OPEN_DAYS))
        opened = period_open(user=finance, year=year, start_month=1, end_month=end_month, deadline=deadline)
        if not opened.created:
            continue
        changed = True
        rows = list(models.TrackingReport.objects.filter(period=opened.period, is_latest=True)
                    .select_related("project", "period").order_by("project__name"))
        for spread, row in enumerate(rows):
            seed = seeds.get(row.project_id)
            if seed is None:
                continue
            data = derive(seed, mapping.period_to_domain(opened.period), spread % 3,
                          forecasts=end_month > SEED_END_MONTH)
            report_store(data=data, project=row.project, period=row.period, row=row, user=users["demo-unit"])
            if end_month < SEED_END_MONTH:
                _publish(row.pk, users)
        # The past point stays open for imports: `jixiao demo --scale` and the benchmarks add a province's
        # forms of the same months after the demo; finance closes a point on the 跟踪时段 page.
    if changed:
        # Forms stored before their earlier points or previous year existed were checked without that
        # history: check every form again so the stored findings include the forecast's pace rules.
        reports_recheck()


def _previous_year(year: int, rows, seeds, users) -> bool:
    """The previous fiscal year's points of the seed's projects, published where possible, then closed."""
    finance = users["demo-finance"]
    created = False
    for end_month in PREVIOUS_YEAR_POINTS:
        period = period_get_or_create(period=domain.Period(f"{year}-01", f"{year}-{end_month:02d}"))
        if models.TrackingReport.objects.filter(period=period).exists():
            continue
        created = True
        for spread, row in enumerate(rows):
            project = project_get_or_create(name=row.project.name, unit=row.unit, period=period)
            data = derive(seeds[row.project_id], mapping.period_to_domain(period), spread % 3, forecasts=False)
            saved = report_store(data=data, project=project, period=period, user=users["demo-unit"])
            _publish(saved.row.pk, users)
        deadline = datetime.date(year + 1, 1, 10) if end_month == 12 else datetime.date(year, end_month + 1, 10)
        period_update(period_id=period.pk, user=finance, deadline=deadline, is_open=False)
    return created

def _publish(report_id: int, users) -> None:
    """Walk a past point's form to 已公开; one the workflow refuses (errors) stays where it stopped."""
    for step in PUBLISH:
        action, _, who = step.partition(":")
        try:
            report_transition(report_id=report_id, user=users[who or "demo-unit"], action=action,
                              comment=SUBMIT_COMMENT if action == "submit" else "")
        except TransitionRefused:
            return
