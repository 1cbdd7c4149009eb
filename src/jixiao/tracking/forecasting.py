"""What the forecast knows of a project besides its form (domain/forecast.py ``History``), read from the database.

For a set of (project, end month, amount unit) keys, in three queries whatever their number: the projects,
then every current (latest-version) form from January of these projects and of all projects of the
``YEARS_BACK`` previous fiscal years, then the indicators of the forms that are some key's history. A
project's previous years are the projects of the same unit with the same name in earlier fiscal years.

Every path that stores or shows findings — saving, the edit page's check, imports, the bulk import, the
API, ``jixiao recheck`` and ``jixiao doctor`` — checks with the history read here, so that the findings
agree everywhere. A later point of the same year is never history: saving it leaves earlier points'
findings as they were. A key with nothing known (no earlier point, no previous year) has no history
(None): the pace rules then stay silent rather than extrapolate one point by a straight line.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from jixiao.domain.forecast import (
    Curve,
    Forecast,
    History,
    forecast_indicators,
    forecast_series,
    forecast_spending,
    portfolio,
)
from jixiao.domain.lights import UPPER_BOUNDS, value_number
from jixiao.domain.model import WANYUAN_PER_UNIT, to_wanyuan
from jixiao.domain.notation import QUANTITATIVE
from jixiao.tracking import mapping, models
from jixiao.tracking.checking import checker_config

YEARS_BACK = 3
Key = tuple[int, int, str]  # project id, end month of the form, its amount unit


def _month(end: str) -> int:
    return int(end[5:])


def histories(keys: Iterable[Key], pending: Iterable[tuple[dict, dict[str, str | None]]] = (),
              projects: dict[int, dict] | None = None) -> dict[Key, History | None]:
    """The history of each key (see the module's docstring); three queries (two with ``projects``).

    ``pending``: forms about to be written with them (the bulk import's batch), each as the values read
    here (``project_id``, ``period__end``, ``total_spent``, ``amount_unit``) with its indicators' actuals
    by name; they count as stored, in place of a stored form of the same project and months.
    ``projects``: the keys' projects as the first query reads them (``pk``, ``unit_id``, ``name``,
    ``fiscal_year__year``) when the caller has them already."""
    keys = set(keys)
    if not keys:
        return {}
    project_ids = {project_id for project_id, _, _ in keys}
    if projects is None or not project_ids <= projects.keys():
        projects = {row["pk"]: row for row in models.Project.objects.filter(pk__in=project_ids)
                    .values("pk", "unit_id", "name", "fiscal_year__year")}
    years = {row["fiscal_year__year"] for row in projects.values()}
    back = {year - step for year in years for step in range(1, YEARS_BACK + 1)}
    # One query, as a UNION of the two reads: with an OR of them PostgreSQL walked every current form
    # (a form page's 300 ms at 100,000 forms; docs/PERFORMANCE.md), each part alone uses its index.
    january = models.TrackingReport.objects.filter(is_latest=True, period__start__endswith="-01").order_by().values(
        "pk", "project_id", "project__unit_id", "project__name", "period__fiscal_year__year", "period__end",
        "total_spent", "amount_unit")
    forms = list(january.filter(project_id__in=project_ids).union(january.filter(period__fiscal_year__year__in=back)))
    pending = list(pending)
    if pending:
        replaced = {(form["project_id"], form["period__end"]) for form, _ in pending}
        forms = [form for form in forms if (form["project_id"], form["period__end"]) not in replaced]
    same_year: dict[int, list[dict]] = defaultdict(list)  # project id → its forms of its year
    by_year_project: dict[int, dict[int, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for form in forms:
        if form["project_id"] in projects and form["period__fiscal_year__year"] in years:
            same_year[form["project_id"]].append(form)
        if form["period__fiscal_year__year"] in back:
            by_year_project[form["period__fiscal_year__year"]][form["project_id"]].append(form)
    wanted = {(row["unit_id"], row["name"]) for row in projects.values()}
    earlier_projects = {form["project_id"] for year in by_year_project.values() for pid, rows in year.items()
                        for form in rows[:1] if (form["project__unit_id"], form["project__name"]) in wanted}
    indicator_rows: dict[int, dict[str, Decimal]] = defaultdict(dict)
    history_form_ids = [form["pk"] for form in forms
                        if form["project_id"] in earlier_projects or form["project_id"] in same_year]
    if history_form_ids:
        for row in (models.Indicator.objects.filter(report_id__in=history_form_ids, target_kind=QUANTITATIVE)
                    .exclude(target_comparator__in=UPPER_BOUNDS).values("report_id", "name", "actual")):
            actual = value_number(row["actual"])
            if actual is not None:
                indicator_rows[row["report_id"]][row["name"]] = actual
    for number, (form, actuals) in enumerate(pending, start=1):
        project = projects.get(form["project_id"])
        if project is None:
            continue
        pk = -number  # never a stored id
        same_year[form["project_id"]].append({**form, "pk": pk})
        indicator_rows[pk] = {name: a for name, a in ((n, value_number(t)) for n, t in actuals.items())
                              if a is not None}
    portfolios = {year - 1: portfolio(c for c in (_curve(rows) for rows in by_year_project[year - 1].values()) if c)
                  for year in years}
    found: dict[Key, History | None] = {}
    for key in keys:
        project_id, month, unit = key
        project = projects.get(project_id)
        found[key] = None if project is None else _history(
            project, month, unit, same_year.get(project_id, []), by_year_project, portfolios, indicator_rows)
    return found


def history_of(*, project_id: int, end_month: int, amount_unit: str, project: dict | None = None) -> History | None:
    key = (project_id, end_month, amount_unit)
    return histories([key], projects=None if project is None else {project_id: project})[key]


def _curve(rows: list[dict]) -> Curve | None:
    return Curve.from_points((_month(r["period__end"]), to_wanyuan(r["total_spent"], r["amount_unit"])) for r in rows)


def _history(project: dict, month: int, unit: str, own_forms: list[dict], by_year_project, portfolios,
             indicator_rows: dict[int, dict[str, Decimal]]) -> History | None:
    year = project["fiscal_year__year"]
    earlier = sorted((f for f in own_forms if _month(f["period__end"]) < month and f["total_spent"] is not None),
                     key=lambda f: f["period__end"])
    per_unit = WANYUAN_PER_UNIT.get(unit, Decimal(1))
    points = tuple((_month(f["period__end"]), to_wanyuan(f["total_spent"], f["amount_unit"]) / per_unit)
                   for f in earlier)
    indicator_points: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for form in earlier:
        for name, actual in indicator_rows.get(form["pk"], {}).items():
            indicator_points[name].append((_month(form["period__end"]), actual))
    curves, indicator_years = [], defaultdict(list)
    mine = (project["unit_id"], project["name"])
    for earlier_year in range(year - 1, year - 1 - YEARS_BACK, -1):
        for rows in by_year_project[earlier_year].values():
            if (rows[0]["project__unit_id"], rows[0]["project__name"]) != mine:
                continue
            curve = _curve(rows)
            if curve is not None:
                curves.append(curve)
            values: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
            for form in rows:
                for name, actual in indicator_rows.get(form["pk"], {}).items():
                    values[name].append((_month(form["period__end"]), actual))
            for name, pairs in values.items():
                made = Curve.from_points(pairs)
                if made is not None:
                    indicator_years[name].append(made)
    last = portfolios.get(year - 1)
    if not points and not curves and last is None:
        return None
    return History(points=points, years=tuple(curves), portfolio=last,
                   indicator_points={name: tuple(pairs) for name, pairs in indicator_points.items()},
                   indicator_years={name: tuple(c) for name, c in indicator_years.items()})


@dataclass(frozen=True)
class ReportForecast:
    """The form page's 预测 block: the spending forecast and one per accumulating indicator."""

    spending: Forecast | None
    indicators: list[tuple[str, str, str | None, Forecast]]  # name, 年度指标值, actual, forecast
    amount_unit: str
    stated: str | None  # the likelihood the form states for its budget


def report_forecast(row: models.TrackingReport) -> ReportForecast | None:
    """The forecast of a stored form (four queries: the history, its budget lines and indicators; its project
    is the row's, with the fiscal year when loaded); None without a history or with nothing to forecast."""
    project = None
    if models.Project.fiscal_year.is_cached(row.project):  # select_related("project__fiscal_year")
        project = {"pk": row.project_id, "unit_id": row.project.unit_id, "name": row.project.name,
                   "fiscal_year__year": row.project.fiscal_year.year}
    history = history_of(project_id=row.project_id, end_month=int(row.period.end[5:]), amount_unit=row.amount_unit,
                         project=project)
    if history is None:
        return None
    report = mapping.report_to_domain(row)
    config = checker_config()
    spending = forecast_spending(report, history, config)
    indicators = [(report.indicators[made.index].name, report.indicators[made.index].target.text,
                   report.indicators[made.index].actual, made.forecast)
                  for made in forecast_indicators(report, history, config)]
    if spending is None and not indicators:
        return None
    return ReportForecast(spending, indicators, report.amount_unit, report.budget_likelihood)


def opening_forecast_spent(*, reports: dict[int, dict], lines: dict[int, list[dict]], source_ids: list[int],
                           end_month: int) -> dict[int, Decimal]:
    """全年预计执行数 to pre-fill in the forms a new tracking point creates (tracking/periods.py), by source
    form id: the year-end spending forecast from the project's earlier points and previous years (three
    queries). ``reports``/``lines``: the source forms' values (project_id, amount_unit) and budget lines."""
    config = checker_config()
    keys = {pk: (reports[pk]["project_id"], end_month, reports[pk]["amount_unit"]) for pk in source_ids}
    known = histories(keys.values())
    found = {}
    for pk, key in keys.items():
        history = known[key]
        total = next((line for line in lines.get(pk, []) if line["source"] == "total"), None)
        budget = None if total is None else total["adjusted"] if total["adjusted"] is not None else total["initial"]
        made = None if history is None or not history.points else forecast_series(
            history.points, own=history.years, portfolio=history.portfolio, goal=budget, cap=budget, config=config)
        if made is not None:
            found[pk] = made.value
    return found
