"""Time of ``jixiao library --rebuild`` (jixiao/library/services.py) and its statements, against the
database that DATABASE_URL / JIXIAO_DATA_DIR name — e.g. after ``jixiao demo --scale 5000``.

The rebuild reads every indicator of the current forms in one query and writes in batches of 500: the
statements grow with the rows only by those batches, never one per indicator. Printed: indicators,
entries, usages, statements, wall and CPU seconds (median of ``--repeat`` runs after one warm-up).

    JIXIAO_DATA_DIR=/tmp/d JIXIAO_DEBUG=1 python bench/library_rebuild.py
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jixiao.web.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jixiao.library.services import library_rebuild

    library_rebuild()  # warm-up: the entries exist, as on every rebuild but the first
    walls, cpus = [], []
    for _ in range(args.repeat):
        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            rebuilt = library_rebuild()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
    print(json.dumps({
        "indicators": rebuilt.indicators, "entries": rebuilt.entries, "usages": rebuilt.usages,
        "statements": len(captured.captured_queries), "wall_s": round(statistics.median(walls), 3),
        "cpu_s": round(statistics.median(cpus), 3),
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
