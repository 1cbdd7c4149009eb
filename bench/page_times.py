"""Uncached single-request times of the dashboard, a roll-up, the list and a form page (issue 15),
and of the floor page (the user's own API tokens: one small query, a short template, the same layout).

In-process (Django's test client, every cache a dummy one, so each request pays full price),
against the database that DATABASE_URL / JIXIAO_DATA_DIR name — e.g. after
``jixiao demo --scale 10000``. Each page is requested ``--repeat`` times after one warm-up; the
median is printed in ms (wall clock and this process's CPU), with ``--calls`` the Python function calls
of one request (steady on a loaded machine, where CPU times drift by ±20 %), and with ``--profile PAGE``
the cProfile summary of one request.

    JIXIAO_DATA_DIR=/tmp/d SECRET_KEY=x JIXIAO_SSL_REDIRECT=0 python bench/page_times.py
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import time


def explain(connection, name: str, url: str, queries: list[dict], n: int) -> str:
    """The plans (EXPLAIN ANALYZE) of the page's ``n`` slowest queries of its last request, slowest first;
    the SQL is as psycopg sent it (parameters bound), so the plan is that of the request."""
    lines = [f"=== {name} {url}: {len(queries)} queries"]
    for query in sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:n]:
        if not query["sql"].lstrip().upper().startswith("SELECT"):
            continue
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, COSTS OFF) " + query["sql"])
            plan = [row[0] for row in cursor.fetchall()]
        lines += [f"--- {float(query['time']) * 1000:.1f} ms: {query['sql'][:600]}", *plan, ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--profile", default="")
    parser.add_argument("--label", default="")
    parser.add_argument("--calls", action="store_true",
                        help="also count each page's Python function calls in one request (cProfile): unlike CPU time, "
                             "the same on a loaded machine, so before/after comparisons hold")
    parser.add_argument("--explain", type=int, default=0,
                        help="EXPLAIN ANALYZE each page's N slowest queries (PostgreSQL) into --explain-out")
    parser.add_argument("--explain-out", default="")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from jixiao.accounts.models import Organisation, User
    from jixiao.tracking.models import TrackingReport

    dummy = {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    with override_settings(CACHES={"default": dummy, "template_fragments": dummy}, ALLOWED_HOSTS=["*"]):
        client = Client()
        client.force_login(User.objects.get(username="demo-finance"))
        department = (Organisation.objects.filter(kind="department").order_by("-pk").values_list("pk", flat=True)
                      .first())
        form = TrackingReport.objects.filter(is_latest=True).order_by("pk").values_list("pk", flat=True)[500]
        pages = {"dashboard": "/", "rollup": f"/rollup/?department={department}", "list": "/reports/",
                 "list-rate": "/reports/?sort=rate", "form": f"/reports/{form}/",
                 # the floor (issue 15): a logged-in page of one small query in the same layout
                 "floor": "/account/api-tokens/",
                 "public": "/public/"}
        result, plans = {}, []
        for name, url in pages.items():
            assert client.get(url).status_code == 200, url
            times, cpu = [], []
            for _ in range(args.repeat):
                start, start_cpu = time.perf_counter(), time.process_time()
                with CaptureQueriesContext(connection) as captured:
                    client.get(url)
                times.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - start_cpu) * 1000)
            sql = sum(float(q["time"]) for q in captured.captured_queries) * 1000
            # CPU time of this process (SQLite's work included, PostgreSQL's not): steadier than the
            # wall clock on a shared machine.
            result[name] = {"ms": round(statistics.median(times), 1), "cpu_ms": round(statistics.median(cpu), 1),
                            "queries": len(captured.captured_queries),
                            "sql_ms": round(sql, 1)}
            if args.calls:
                counting = cProfile.Profile()
                counting.enable()
                client.get(url)
                counting.disable()
                result[name]["calls"] = pstats.Stats(counting, stream=io.StringIO()).total_calls
            if args.explain and connection.vendor == "postgresql":
                plans.append(explain(connection, name, url, captured.captured_queries, args.explain))
            if args.profile == name:
                profile = cProfile.Profile()
                profile.enable()
                client.get(url)
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
    if plans and args.explain_out:
        with open(args.explain_out, "w", encoding="utf-8") as out:
            out.write("\n".join(plans))
    forms = TrackingReport.objects.filter(is_latest=True).count()
    print(json.dumps({"label": args.label, "engine": connection.vendor, "forms": forms, "pages": result},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
