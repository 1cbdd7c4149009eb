"""How the pages' time grows with the province (issue 15), on PostgreSQL.

For each size of BENCH_GROWTH_SIZES up to BENCH_GROWTH_MAX (default 10,000 and 100,000 forms;
BENCH_GROWTH_MAX=1000000 adds 1,000,000): a fresh database
loaded by ``jixiao demo --scale N`` (the demo accounts and the synthetic province written by the bulk
import — the fastest path that stores what the application stores), its size on disk, then
``bench/page_times.py``: uncached single requests (every cache a dummy), median of BENCH_REPEAT, of
the dashboard, a department's roll-up, the list, a form page and the floor page (the user's own API
tokens: one small query in the same layout) and the public index, with the load average beside them,
and the plans (EXPLAIN ANALYZE) of each page's three slowest queries in bench/out/growth/explain_N.txt.
The database is dropped after it is measured (BENCH_GROWTH_KEEP=1 keeps it). Prints each page's ratio from one size
to the next; the goal is ≤ 1.3× from 100,000 to 1,000,000 forms for each page.

    scripts/with-postgres.sh .venv/bin/python bench/growth_bench.py

Figures are merged into bench/out/growth/results.json by size, so a size measured in a later run
(1,000,000 needs a quarter of an hour and several GiB) joins the table with its own date and load.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import scale_bench  # noqa: E402

OUT = ROOT / "bench" / "out" / "growth"
# 10^6 forms need about a quarter of an hour and several GiB: only when BENCH_GROWTH_MAX allows it.
MAX = int(os.environ.get("BENCH_GROWTH_MAX", 100_000))
SIZES = [int(v) for v in os.environ.get("BENCH_GROWTH_SIZES", "10000,100000,1000000").split(",")
         if v and int(v) <= MAX]
REPEAT = int(os.environ.get("BENCH_REPEAT", 9))
KEEP = os.environ.get("BENCH_GROWTH_KEEP") == "1"
PAGES = ("dashboard", "rollup", "list", "list-rate", "form", "public")
FLOOR = "floor"
GOAL = 1.3  # from 10^5 to 10^6 forms, each page


def growth(before: dict, after: dict) -> dict[str, float]:
    """Each page's time at ``after`` as a multiple of its time at ``before`` (and the floor page's, which
    says how much of a change is the machine's)."""
    return {page: round(after["pages"][page]["ms"] / before["pages"][page]["ms"], 2)
            for page in (*PAGES, FLOOR) if page in before["pages"] and page in after["pages"]}


def disk(db: scale_bench.Database) -> dict[str, int]:
    with db.connect() as conn:
        database = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        wal = conn.execute("SELECT coalesce(sum(size), 0) FROM pg_ls_waldir()").fetchone()[0]
    return {"database_bytes": int(database), "wal_bytes": int(wal)}


def measure(size: int, server: str) -> dict:
    db = scale_bench.fresh(f"growth_{size}", server)
    load = os.getloadavg()[0]
    seconds, peak, _ = scale_bench.jixiao(db, "demo", "--scale", str(size))
    used = disk(db)
    print(f"{size:,} 张：载入 {seconds:.0f} 秒（峰值内存 {peak:.0f} MiB，负载 {load:.1f}），"
          f"数据库 {used['database_bytes'] / 2**30:.2f} GiB，WAL {used['wal_bytes'] / 2**30:.2f} GiB", flush=True)
    load_before = os.getloadavg()[0]
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "page_times.py"), "--repeat", str(REPEAT),
                           "--label", str(size),
                           "--explain", "3", "--explain-out", str(OUT / f"explain_{size}.txt")],
                          env=db.env(), capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"page_times.py 失败：\n{done.stderr[-3000:]}")
    times = json.loads(done.stdout.strip().splitlines()[-1])
    if not KEEP:
        import psycopg

        with psycopg.connect(server, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS bench_growth_{size} WITH (FORCE)")
    return {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "forms": times["forms"],
            "load_seconds": round(seconds), "load_peak_mib": round(peak), **used,
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)], "pages": times["pages"]}


def table(results: dict[str, dict]) -> None:
    sizes = sorted(results, key=int)
    print(f"\n{'页面 (ms, 中位数)':<16}" + "".join(f"{int(s):>14,}" for s in sizes))
    for page in (*PAGES, FLOOR):
        cells = [results[s]["pages"].get(page, {}).get("ms", float("nan")) for s in sizes]
        print(f"{page:<16}" + "".join(f"{v:>14}" for v in cells))
    print(f"{'负载':<16}" + "".join(f"{'–'.join(map(str, results[s]['load_average'])):>14}" for s in sizes))
    print(f"{'数据库 (GiB)':<16}" + "".join(f"{results[s]['database_bytes'] / 2**30:>14.2f}" for s in sizes))
    for before, after in itertools.pairwise(sizes):
        ratio = growth(results[before], results[after])
        floor = ratio.get(FLOOR, float("nan"))
        print(f"\n{int(before):,} → {int(after):,} 张（基准页 {floor}×）：")
        for page in PAGES:
            if page not in ratio:
                continue
            verdict = ""
            if (int(before), int(after)) == (100_000, 1_000_000):
                verdict = f"  目标 ≤ {GOAL}×：{'是' if ratio[page] <= GOAL else '否'}"
            print(f"  {page:<14}{ratio[page]:>8}×{verdict}")


def main() -> None:
    server = os.environ.get("DATABASE_URL", "")
    if not server.startswith("postgres"):
        raise SystemExit("需要 PostgreSQL：scripts/with-postgres.sh .venv/bin/python bench/growth_bench.py")
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / "results.json"
    results = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    began = time.perf_counter()
    for size in SIZES:
        results[str(size)] = measure(size, server)
        path.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    table(results)
    print(f"\n用时 {time.perf_counter() - began:.0f} 秒；结果另存于 {path}")


if __name__ == "__main__":
    main()
