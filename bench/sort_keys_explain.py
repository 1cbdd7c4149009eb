"""EXPLAIN ANALYZE of the queries the stored sort keys, their indexes and the per-source summaries replaced
(issue 15), before and after, on one PostgreSQL database loaded by ``jixiao demo --scale N``.

"Before" is each query as main wrote it (ORDER BY the project's name through a join, the CASE of the
万元 conversion and of the worst severity, the roll-up's GROUP BY over the department's budget lines; the
待办 count unchanged) with main's indexes: inside a transaction that drops this branch's indexes and
recreates the one it removed, rolled back afterwards. "After" is the query the pages run now. Prints the
plans' key lines (the top node, the scans, the execution time) of each; ``--full`` prints whole plans.

    BENCH_GROWTH_KEEP=1 scripts/with-postgres.sh bash -c '.venv/bin/python bench/growth_bench.py &&
        DATABASE_URL=${DATABASE_URL%/*}/bench_growth_100000 SECRET_KEY=x .venv/bin/python bench/sort_keys_explain.py'

(``growth_bench.py`` keeps its databases with BENCH_GROWTH_KEEP=1; any database of ``jixiao demo --scale N`` will do).
"""

from __future__ import annotations

import argparse
import os
import re

KEY_LINE = re.compile(r"^\s*(->\s*)?(Limit|Sort|Incremental Sort|Index|Bitmap|Seq Scan|Nested Loop|Hash|Merge|"
                      r"Aggregate|GroupAggregate|HashAggregate|Finalize|Gather|Unique|Sort Key|Rows Removed|"
                      r"Execution Time|Sort Method|Index Cond|Filter|SubPlan|InitPlan|Result)")

BRANCH_INDEXES = ("report_current_project", "report_current_rate", "report_current_rate_desc", "report_current_light",
                  "report_current_findings", "report_current_budget", "report_period_chart", "report_period_worst",
                  "report_unit_published", "summary_status")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.db import connection, transaction
    from django.db.models import Case, DecimalField, Exists, F, OuterRef, Sum, Value, When

    from jixiao.accounts.models import Organisation, OrganisationKind, User
    from jixiao.domain.model import WANYUAN_PER_UNIT
    from jixiao.public.selectors import published_reports
    from jixiao.tracking import models, selectors

    finance = User.objects.get(username="demo-finance")
    period = selectors.default_period(selectors.periods_in_scope(finance))
    department = Organisation.objects.filter(kind="department").order_by("-pk").first()
    current = selectors.current_reports_in_scope(finance)
    of_period = current.filter(period=period)
    money = DecimalField(max_digits=30, decimal_places=10)
    budget_case = Case(*(When(amount_unit=unit, then=F("total_period_budget") * Value(factor, output_field=money))
                         for unit, factor in WANYUAN_PER_UNIT.items() if factor != 1),
                       default=F("total_period_budget"), output_field=money)
    worst_case = Case(When(error_count__gt=0, then=Value(3)), When(warning_count__gt=0, then=Value(2)),
                      When(info_count__gt=0, then=Value(1)), default=Value(0))
    units = Organisation.objects.filter(parent=department).values("pk")
    published = published_reports()
    departments = Organisation.objects.filter(kind=OrganisationKind.DEPARTMENT).filter(Exists(
        Organisation.objects.filter(parent=OuterRef("pk")).filter(Exists(published.filter(unit=OuterRef("pk"))))))
    waiting = ('SELECT SUM("count") FROM "tracking_unitperiodsummary" WHERE "status" IN (%s, %s)',
               [models.Status.DEPARTMENT_APPROVED, models.Status.FINANCE_APPROVED])
    rollup_summaries = selectors.summaries_in_scope(finance).filter(unit__in=units, period=period)
    cases = {
        "list (light)": (
            current.order_by("-light_rank", "-error_count", "project__name", "pk").values_list("pk")[:50],
            current.order_by(*selectors.SORTS["light"]).values_list("pk")[:50]),
        "list (rate)": (
            current.order_by("total_rate", "project__name", "pk").values_list("pk")[:50],
            current.order_by(*selectors.SORTS["rate"]).values_list("pk")[:50]),
        "dashboard chart": (
            of_period.annotate(b=budget_case).order_by(F("b").desc(nulls_last=True), "project__name", "pk")
            .values_list("pk", "project__name")[:15],
            of_period.filter(budget_wanyuan__isnull=False).order_by(*selectors.CHART_ORDER)
            .values_list("pk", "project_name")[:15]),
        "dashboard top findings": (
            of_period.annotate(w=worst_case).filter(w__gt=0).select_related("project")
            .order_by("-w", "-light_rank", "project__name", "pk")[:12],
            of_period.filter(worst__gt=0).only("pk", "project_name", "light_rank")
            .order_by(*selectors.TOP_FINDINGS_ORDER)[:12]),
        "public departments": (departments.order_by("name"), departments.order_by("name")),
        "roll-up per source": (
            models.BudgetLine.objects.filter(report__in=current.filter(unit__in=units, period=period)).order_by()
            .values("source", "report__amount_unit")
            .annotate(initial=Sum("initial"), period_budget=Sum("period_budget"), spent=Sum("spent")),
            None),  # after: the summaries' aggregate, below
        # the header's 待办 count of the finance bureau (tracking/inbox.py), on every page
        "待办 count (finance)": (waiting, waiting),
    }
    print(f"PostgreSQL, {current.count():,} current forms; period {period}, department {department}")

    def plan(queryset) -> list[str]:
        sql, params = queryset if isinstance(queryset, tuple) else queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (ANALYZE, TIMING ON, BUFFERS OFF) {sql}", params)
            lines = [row[0] for row in cursor.fetchall()]
        return lines if args.full else [line for line in lines if KEY_LINE.match(line)]

    def show(title: str, lines: list[str]) -> None:
        print(f"    {title}")
        for line in lines:
            print(f"      {line.strip() if not args.full else line}")

    for name, (before, after) in cases.items():
        print(f"\n== {name}")
        with transaction.atomic():
            with connection.cursor() as cursor:
                for index in BRANCH_INDEXES:
                    cursor.execute(f'DROP INDEX IF EXISTS "{index}"')
                cursor.execute('CREATE INDEX IF NOT EXISTS "report_light_errors" ON "tracking_trackingreport" '
                               '("light_rank" DESC, "error_count" DESC)')
                cursor.execute("ANALYZE tracking_trackingreport, tracking_unitperiodsummary")
            plan(before)  # warm the cache alike for both
            show("before", plan(before))
            transaction.set_rollback(True)
        if after is None:
            sums = {column: Sum(column) for column in selectors.SOURCE_COLUMNS}
            sql, params = rollup_summaries.order_by().values("period").annotate(**sums).query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, TIMING ON, BUFFERS OFF) {sql}", params)
                lines = [row[0] for row in cursor.fetchall()]
            show("after (summaries)", lines if args.full else [line for line in lines if KEY_LINE.match(line)])
            continue
        plan(after)
        show("after", plan(after))


if __name__ == "__main__":
    main()
