"""`jixiao doctor`: is what the database holds consistent? Reads only; writes nothing.

Each check is one function yielding the problems it finds — of one range of reports' ids, or of the
whole database — listed in ``CHECKS``; a new kind of stored figure (a summary table, say) gets its
check by adding one function there. The checks:

- the stored verdict (lights, counts, findings, indicators' lights) of every report against the
  checker run again on the stored form, by the recheck's own code path (rechecking.checked_range);
- the summary figures stored on each report (counts, light rank, the total row, the sort keys of
  sortkeys.py) against its rows and its project,
  and every report's rows complete (all four funding lines, positions without gaps);
- orphan rows: lines, indicators and findings whose report is gone, reports without their project,
  period or unit, projects without their unit or year; every project and period with a latest version;
- the per-unit-and-period summaries the overview pages read (tracking.summaries.summaries_check);
- the audit trail's hash chain (audit.chain.verify).

Reports are read in ranges of ids (a few queries each, plain values), so memory stays flat for any
number of forms; orphans are found with anti-joins and streamed.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, connections, transaction
from django.db.models import Count, Exists, F, OuterRef, Q

from jixiao.accounts.models import Organisation
from jixiao.domain.findings import LIGHT_LABELS
from jixiao.domain.model import FUNDING_LABELS, FUNDING_SOURCES
from jixiao.tracking import mapping, models
from jixiao.tracking.rechecking import VERDICT, checked_range, fresh_connections, id_ranges

FINDING_VALUES = ("position", "rule", "severity", "severity_rank", "message", "field", "indicator_name",
                  "indicator_index")
TOTALS = {"total_period_budget": "period_budget", "total_spent": "spent", "total_rate": "rate"}
VERDICT_LABELS = {
    "time_progress": "序时进度", "budget_light": "预算执行预警", "light": "预警灯", "light_rank": "预警等级",
    "error_count": "错误数", "warning_count": "警告数", "info_count": "提示数", "worst": "最严重问题等级",
}
COUNTS = {"error": "error_count", "warning": "warning_count", "info": "info_count"}


@dataclass(frozen=True)
class Problem:
    kind: str  # the check's name (CHECKS), for the JSON output and tests
    message: str  # Chinese
    report_id: int | None = None
    project: str = ""

    def __str__(self) -> str:
        if self.report_id is None:
            return self.message
        project = f"「{self.project}」" if self.project else ""
        return f"跟踪表 {self.report_id} 号{project}：{self.message}"

    def as_dict(self) -> dict:
        return {"kind": self.kind, "report_id": self.report_id, "project": self.project, "message": self.message}


@dataclass(frozen=True)
class Check:
    """One check: either of the reports with ``low <= id < high`` (``each_range``, run range by range,
    perhaps in several processes) or of the whole database at once (``whole``, streamed)."""

    name: str
    title: str  # what it checks, in Chinese
    each_range: Callable[[int, int], Iterator[Problem]] | None = None
    whole: Callable[[], Iterator[Problem]] | None = None


def _shown(value) -> str:
    if value is None or value == "":
        return "空"
    if isinstance(value, Decimal):
        return str(mapping.printed(value))
    return LIGHT_LABELS.get(value, str(value)) if isinstance(value, str) else str(value)


def _stored_findings(low: int, high: int) -> dict[int, list[dict]]:
    stored: dict[int, list[dict]] = {}
    for row in (models.Finding.objects.filter(report_id__gte=low, report_id__lt=high)
                .order_by("report_id", "position").values("report_id", *FINDING_VALUES)):
        stored.setdefault(row.pop("report_id"), []).append(row)
    return stored


def _finding_difference(stored: list[dict], expected: list[dict]) -> str:
    key = ("rule", "severity", "message", "field", "indicator_index")
    have = [tuple(row[name] for name in key) for row in stored]
    want = [tuple(row[name] for name in key) for row in expected]
    missing = [row for row in want if row not in have]
    extra = [row for row in have if row not in want]
    parts = []
    if missing:
        parts.append(f"缺少 {len(missing)} 条（如「{missing[0][2]}」）")
    if extra:
        parts.append(f"多出 {len(extra)} 条（如「{extra[0][2]}」）")
    return "，".join(parts) or "顺序或编号不符"


def check_verdicts(low: int, high: int) -> Iterator[Problem]:
    """The stored verdict against the checker run again, as `jixiao recheck` would compute it."""
    stored_findings = _stored_findings(low, high)
    for row, indicators, check in checked_range(low, high, *(name for name in VERDICT if name != "light")):
        pk, project = row["pk"], row["project_name"]
        verdict = mapping.verdict_fields(check)
        wrong = [f"{VERDICT_LABELS[name]}存为{_shown(row[name])}，应为{_shown(verdict[name])}"
                 for name in VERDICT if row[name] != verdict[name]]  # decimals compare by value
        if wrong:
            yield Problem("verdicts", "与按当前规则重新检查的结果不符：" + "；".join(wrong), pk, project)
        expected = mapping.finding_fields(check)
        stored = stored_findings.get(pk, [])
        if stored != expected:
            yield Problem("verdicts", f"存储的问题清单与重新检查不符：{_finding_difference(stored, expected)}",
                          pk, project)
        for position, indicator in enumerate(indicators):
            light = mapping.indicator_light(check, position)
            if (indicator["light"] or "") != light:
                yield Problem("verdicts", f"第 {position + 1} 项指标「{indicator['name']}」的预警灯存为"
                              f"{_shown(indicator['light'])}，应为{_shown(light)}", pk, project)


SORT_KEYS = ("project_name", "budget_wanyuan", "worst")


def _sort_key_problems(row: dict) -> Iterator[str]:
    """The sort keys stored on a report (mapping.py) against what they are copies of."""
    if row["of_project"] is not None and row["project_name"] != row["of_project"]:
        yield f"排序用的项目名称存为「{row['project_name']}」，项目名称为「{row['of_project']}」"
    budget = mapping.budget_wanyuan(row["total_period_budget"], row["amount_unit"])
    if row["budget_wanyuan"] != budget:  # decimals compare by value
        yield f"排序用的跟踪期预算数（万元）存为{_shown(row['budget_wanyuan'])}，应为{_shown(budget)}"
    worst = models.worst_rank(row["error_count"], row["warning_count"], row["info_count"])
    if row["worst"] != worst:
        yield f"排序用的最严重问题等级存为 {row['worst']}，按问题数应为 {worst}"


def _gaps(positions: list[int]) -> list[int]:
    return sorted(set(range(max(positions) + 1)) - set(positions)) if positions else []


def check_summaries(low: int, high: int) -> Iterator[Problem]:
    """Figures stored on each report against its own rows, and the rows complete."""
    summary = ("light", "light_rank", *COUNTS.values(), *TOTALS)
    in_range = {"report_id__gte": low, "report_id__lt": high}
    counts: dict[int, dict[str, int]] = {}
    for row in models.Finding.objects.filter(**in_range).values("report_id", "severity").annotate(
            n=Count("pk")).order_by():
        counts.setdefault(row["report_id"], {})[row["severity"]] = row["n"]
    lines: dict[int, dict[str, dict]] = {}
    for line in models.BudgetLine.objects.filter(**in_range).values("report_id", "source", *TOTALS.values()):
        lines.setdefault(line["report_id"], {})[line["source"]] = line
    indicators: dict[int, list[int]] = {}
    for report_id, position in models.Indicator.objects.filter(**in_range).values_list("report_id", "position"):
        indicators.setdefault(report_id, []).append(position)
    findings: dict[int, list[int]] = {}
    for report_id, position in models.Finding.objects.filter(**in_range).values_list("report_id", "position"):
        findings.setdefault(report_id, []).append(position)
    for row in (models.TrackingReport.objects.filter(pk__gte=low, pk__lt=high).order_by("pk")
                .values("pk", *summary, *SORT_KEYS, "amount_unit", of_project=F("project__name"))):
        pk, project = row["pk"], row["of_project"]
        wrong = list(_sort_key_problems(row))
        if row["light_rank"] != models.LIGHT_RANK.get(row["light"], 0):
            wrong.append(f"预警等级 {row['light_rank']} 与预警灯（{_shown(row['light'])}）不符")
        own = counts.get(pk, {})
        wrong.extend(f"{VERDICT_LABELS[field]}存为 {row[field]}，问题明细中有 {own.get(severity, 0)} 条"
                     for severity, field in COUNTS.items() if row[field] != own.get(severity, 0))
        own_lines = lines.get(pk, {})
        missing = [FUNDING_LABELS[source] for source in FUNDING_SOURCES if source not in own_lines]
        if missing:
            wrong.append(f"预算执行情况缺少“{'、'.join(missing)}”行")
        total = own_lines.get("total")
        if total is not None:
            wrong.extend(f"合计的{models.TrackingReport._meta.get_field(field).verbose_name}存为"
                         f"{_shown(row[field])}，资金总额行为{_shown(total[column])}"
                         for field, column in TOTALS.items()
                         if row[field] != total[column])
        if gaps := _gaps(indicators.get(pk, [])):
            wrong.append(f"缺少第 {'、'.join(str(p + 1) for p in gaps)} 项指标")
        if gaps := _gaps(findings.get(pk, [])):
            wrong.append(f"问题清单缺少第 {'、'.join(str(p + 1) for p in gaps)} 条")
        if wrong:
            yield Problem("summaries", "；".join(wrong), pk, project)


# (model, foreign key, the model it points to, what the row is, what it lacks)
REFERENCES = (
    (models.BudgetLine, "report_id", models.TrackingReport, "预算执行行", "跟踪表"),
    (models.Indicator, "report_id", models.TrackingReport, "绩效指标", "跟踪表"),
    (models.Finding, "report_id", models.TrackingReport, "检查问题", "跟踪表"),
    (models.TrackingReport, "project_id", models.Project, "跟踪表", "项目"),
    (models.TrackingReport, "period_id", models.TrackingPeriod, "跟踪表", "跟踪时段"),
    (models.TrackingReport, "unit_id", Organisation, "跟踪表", "实施单位"),
    (models.TrackingReport, "previous_id", models.TrackingReport, "跟踪表", "上一版本"),
    (models.Project, "unit_id", Organisation, "项目", "实施单位"),
    (models.Project, "fiscal_year_id", models.FiscalYear, "项目", "年度"),
    (models.TrackingPeriod, "fiscal_year_id", models.FiscalYear, "跟踪时段", "年度"),
)


def _orphans(model, key: str, target, what: str, lacks: str) -> Iterator[Problem]:
    rows = (model.objects.exclude(**{f"{key}__isnull": True})
            .filter(~Exists(target.objects.filter(pk=OuterRef(key)))))
    if key == "report_id":  # one problem per missing report, however many rows it had
        for report_id, n in rows.values_list(key).annotate(n=Count("pk")).order_by(key).iterator():
            yield Problem("orphans", f"已不存在，却还有 {n} 条{what}指向它", report_id)
        return
    if model is models.TrackingReport:
        for pk, missing in rows.order_by("pk").values_list("pk", key).iterator():
            yield Problem("orphans", f"所属{lacks}（{missing} 号）已不存在", pk)
        return
    label = "name" if model is models.Project else "start"
    for pk, missing, name in rows.order_by("pk").values_list("pk", key, label).iterator():
        yield Problem("orphans", f"{what} {pk} 号（{name}）所属{lacks}（{missing} 号）已不存在")


def check_orphans() -> Iterator[Problem]:
    """Rows pointing at rows that are gone, denormalised keys that disagree, periods without a latest version."""
    for reference in REFERENCES:
        yield from _orphans(*reference)
    projects = models.Project.objects.filter(pk=OuterRef("project_id"))
    for pk, name in (models.TrackingReport.objects.filter(Exists(projects))
                     .filter(~Exists(projects.filter(unit_id=OuterRef("unit_id"))))
                     .order_by("pk").values_list("pk", "project__name").iterator()):
        yield Problem("orphans", "记录的实施单位与其项目的实施单位不同", pk, name)
    for row in (models.TrackingReport.objects.values("project_id", "period_id", of_project=F("project__name"))
                .annotate(latest=Count("pk", filter=Q(is_latest=True)), first=Count("pk"))
                .filter(latest=0).order_by("project_id", "period_id").iterator()):
        yield Problem("orphans", f"项目「{row['of_project']}」（{row['project_id']} 号）在跟踪时段 "
                      f"{row['period_id']} 号的 {row['first']} 个版本中没有一个是最新版本")


def check_unit_period_summaries() -> Iterator[Problem]:
    """The per-unit-and-period summaries the overview pages read (tracking.summaries) against a recomputation."""
    from jixiao.tracking.summaries import summaries_check

    for difference in summaries_check():
        yield Problem("unit_summaries", difference)


def check_audit() -> Iterator[Problem]:
    from jixiao.audit.chain import verify

    verdict = verify()
    if not verdict.ok:
        yield Problem("audit", verdict.message)


CHECKS: tuple[Check, ...] = (
    Check("verdicts", "预警灯、问题与指标预警灯（与按当前规则重新检查的结果比较）", each_range=check_verdicts),
    Check("summaries", "汇总数字与明细（问题数、预警等级、合计金额；预算行与指标齐全）", each_range=check_summaries),
    Check("orphans", "孤立记录（明细的跟踪表；跟踪表的项目、时段与单位；项目的单位与年度；最新版本）",
          whole=check_orphans),
    Check("unit_summaries", "各单位各时段的汇总（总览、部门汇总、待办与报送进度所读）与跟踪表重新汇总的结果比较",
          whole=check_unit_period_summaries),
    Check("audit", "审计记录的哈希链", whole=check_audit),
)


@contextmanager
def _snapshot() -> Iterator[None]:
    """One consistent view for a check's queries, taking no write lock: a read-only REPEATABLE READ transaction on
    PostgreSQL, a deferred transaction on SQLite (a snapshot under WAL). Inside a transaction already: that one."""
    if connection.in_atomic_block:
        yield
    elif connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
    else:  # Django's atomic would BEGIN IMMEDIATE (web/env.py), holding the write lock while the checker runs
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("COMMIT")


def _range_problems(args: tuple[Callable, int, int]) -> list[Problem]:
    check, low, high = args
    with _snapshot():
        return list(check(low, high))


def doctor_problems(*, batch_size: int = 2000, workers: int = 1, checks: Iterable[Check] = CHECKS
                    ) -> Iterator[Problem]:
    """Every problem each check finds, check after check, in the order of the reports' ids, as they are found.
    ``workers`` > 1: the range checks run in that many processes, each with its own connection."""
    ranges = id_ranges(batch_size)
    for check in checks:
        if check.whole is not None:
            with _snapshot():
                yield from check.whole()
            continue
        tasks = [(check.each_range, low, high) for low, high in ranges]
        if workers <= 1 or len(tasks) <= 1:
            for task in tasks:
                yield from _range_problems(task)
            continue
        connections.close_all()  # never shared with the children (as rechecking does)
        with multiprocessing.get_context("fork").Pool(workers, initializer=fresh_connections) as pool:
            for found in pool.imap(_range_problems, tasks):
                yield from found
