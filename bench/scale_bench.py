"""Province-scale figures (issue 6): import against a raw insert, re-check, HTTP latency.

For SQLite and, when DATABASE_URL names a PostgreSQL server (``make bench`` starts a throwaway
one), for PostgreSQL: a fresh database with the demo accounts; ``jixiao import`` of BENCH_FORMS
synthetic forms (text files of 1,000 forms each, from ``jixiao.demo.synthetic``) timed with its
peak memory; the very same rows written into another fresh database by ``sqlite3`` executemany
or psycopg COPY; ``jixiao recheck`` of every stored form; and, against ``jixiao serve
--production``, 20 logged-in clients on loopback for 60 s (PostgreSQL at BENCH_FORMS forms,
SQLite at BENCH_SQLITE_HTTP_FORMS) on the realistic mix and 60 s on the floor page (the user's own API
tokens), interleaved, with the mix's throughput and p95 as ratios of the floor's (issue 15).

    BENCH_FORMS=10000 BENCH_SECONDS=15 scripts/with-postgres.sh .venv/bin/python bench/scale_bench.py
"""

from __future__ import annotations

import json
import multiprocessing
import os
import platform
import random
import sqlite3
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "scale"
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

import http_load  # noqa: E402

FORMS = int(os.environ.get("BENCH_FORMS", 100_000))
SQLITE_HTTP_FORMS = int(os.environ.get("BENCH_SQLITE_HTTP_FORMS", 7_000))
SECONDS = float(os.environ.get("BENCH_SECONDS", 60))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", 20))
SEED = int(os.environ.get("BENCH_SEED", 20240831))
# BENCH_STEPS=import: only the import and the raw insert (the 3× goal of issue 11), no recheck or HTTP;
# BENCH_STEPS=http: only the HTTP figures (PostgreSQL, or SQLite without DATABASE_URL), on a database loaded by
# `jixiao demo --scale` (the same bulk import).
STEPS = os.environ.get("BENCH_STEPS", "all")
FILE_FORMS = 1000
PASSWORD = "bench-demo-password"
JIXIAO = str(Path(sys.executable).parent / "jixiao")
# The import writes its audit events too (chained, docs/PERFORMANCE.md): the raw insert copies them, and the
# accounts they name, as well.
TABLES = ("accounts_organisation", "accounts_user", "tracking_fiscalyear", "tracking_trackingperiod",
          "tracking_project", "tracking_trackingreport", "tracking_budgetline", "tracking_indicator",
          "tracking_finding", "audit_auditevent")
GOALS = {"dashboard": 300, "rollup": 300, "list": 200, "form": 100}
# Reports the peak RSS of the command it runs (the largest of its processes), for the import's memory goal,
# and the CPU seconds of it and its processes (on a shared machine wall time is also the queue for the cores).
PEAK = ("import resource, subprocess, sys; code = subprocess.run(sys.argv[1:]).returncode; "
        "u = resource.getrusage(resource.RUSAGE_CHILDREN); "
        "print(f'peak_kib={u.ru_maxrss} cpu_s={u.ru_utime + u.ru_stime:.2f}', file=sys.stderr); "
        "sys.exit(code)")


def _write_file(args: tuple[int, int, str]) -> None:
    from jixiao.demo.synthetic import Province, seed_templates
    from jixiao.domain.model import TrackingDocument
    from jixiao.formats.text import to_text

    start, stop, path = args
    province = Province(forms=FORMS, seed=SEED)
    doc = TrackingDocument(period=None, reports=list(province.reports(start, stop, seed_templates())))
    Path(path).write_text(to_text(doc), encoding="utf-8")


def province_files(forms: int) -> list[Path]:
    """Text files of FILE_FORMS forms each, generated once per size and seed (in parallel)."""
    folder = OUT / f"province-{FORMS}-{SEED}"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = [(start, min(start + FILE_FORMS, FORMS), str(folder / f"forms-{start:07d}.txt"))
              for start in range(0, FORMS, FILE_FORMS)]
    missing = [item for item in wanted if not Path(item[2]).exists()]
    if missing:
        with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
            pool.map(_write_file, missing)
    return [Path(path) for _, _, path in wanted][: -(-forms // FILE_FORMS)]


@dataclass
class Database:
    label: str
    url: str

    @property
    def is_postgres(self) -> bool:
        return self.url.startswith("postgres")

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "JIXIAO_DEBUG")}
        # The load generator speaks plain HTTP on loopback: no HTTPS redirect, no secure-only cookies.
        env.update(DATABASE_URL=self.url, SECRET_KEY="bench-not-secret", JIXIAO_DEMO_PASSWORD=PASSWORD,
                   JIXIAO_DATA_DIR=str(OUT / f"data-{self.label}"), JIXIAO_SSL_REDIRECT="0",
                   JIXIAO_SECURE_COOKIES="0")
        return env

    def connect(self):
        if self.is_postgres:
            import psycopg

            return psycopg.connect(self.url)
        return sqlite3.connect(urllib.parse.urlsplit(self.url).path[1:])


def fresh(label: str, server: str | None) -> Database:
    if server is None:
        path = OUT / f"{label}.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return Database(label, f"sqlite:///{path}")
    import psycopg

    with psycopg.connect(server, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS bench_{label} WITH (FORCE)")
        admin.execute(f"CREATE DATABASE bench_{label}")
    return Database(label, urllib.parse.urlunsplit(urllib.parse.urlsplit(server)._replace(path=f"/bench_{label}")))


def jixiao(db: Database, *args: str) -> tuple[float, float, str]:
    """Wall seconds, peak RSS in MiB and output of one `jixiao` command (its CPU seconds in ``last_cpu``)."""
    began = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", PEAK, JIXIAO, *args], env=db.env(), capture_output=True, text=True)
    elapsed = time.perf_counter() - began
    if done.returncode != 0:
        raise SystemExit(f"jixiao {' '.join(args[:2])} 失败：\n{done.stderr[-3000:]}")
    tail = done.stderr.rsplit("peak_kib=", 1)[1].split()
    peak = int(tail[0]) / 1024
    last_cpu[0] = float(tail[1].removeprefix("cpu_s="))
    return elapsed, peak, done.stdout


last_cpu = [0.0]


def raw_insert(source: Database, target: Database) -> tuple[float, float]:
    """Seconds (wall, and CPU of this process) to write every row of ``source``'s tables into ``target``
    (migrated, empty) in one transaction."""
    jixiao(target, "recheck")  # migrates the empty database
    total = cpu = 0.0
    with source.connect() as src, target.connect() as dst:
        if source.is_postgres:  # JSON columns (the audit events' changes) copied as their text, unparsed
            from psycopg.types.string import TextLoader

            for name in ("json", "jsonb"):
                src.adapters.register_loader(name, TextLoader)
        for table in TABLES:
            cursor = src.execute(f"SELECT * FROM {table}")
            columns = ", ".join(f'"{d[0]}"' for d in cursor.description)
            width = len(cursor.description)
            rows = cursor.fetchall()
            began, cpu_began = time.perf_counter(), time.process_time()
            if target.is_postgres:
                with dst.cursor() as out, out.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join("?" * width)
                dst.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
            total += time.perf_counter() - began
            cpu += time.process_time() - cpu_began
            del rows
        began, cpu_began = time.perf_counter(), time.process_time()
        dst.commit()
        total += time.perf_counter() - began
        cpu += time.process_time() - cpu_began
    return total, cpu


# The floor page of the HTTP ratios (issue 15): a logged-in page served by the same server, workers, session
# and middleware, that runs one small query (the user's own API tokens) and renders a short template in the
# same layout as the other pages. BENCH_HTTP_ROUNDS rounds, each the mix then the floor for SECONDS / ROUNDS:
# each side SECONDS in all, interleaved so that the machine's other load falls on both alike.
FLOOR = "/account/api-tokens/"
ROUNDS = int(os.environ.get("BENCH_HTTP_ROUNDS", 2))
HTTP_GOALS = {"throughput": 0.5, "p95": 2.0}  # mix ÷ floor: throughput at least, p95 at most


def ratios(mix: http_load.Result, floor: http_load.Result) -> dict:
    """Throughput and p95 of the whole mix (every kind pooled) against the floor page's, and whether each goal
    holds (no errors on either side)."""
    def side(result: http_load.Result) -> dict:
        values = [v for kind in result.latencies.values() for v in kind]
        pooled = http_load.Result(latencies={"all": values}, seconds=result.seconds)
        return {"n": len(values), "per_s": round(len(values) / result.seconds, 1) if result.seconds else 0.0,
                "p95_ms": round(pooled.p("all", .95), 1), "errors": sum(result.errors.values())}

    mixed, low = side(mix), side(floor)
    throughput = round(mixed["per_s"] / low["per_s"], 2) if low["per_s"] else float("nan")
    p95 = round(mixed["p95_ms"] / low["p95_ms"], 2) if low["p95_ms"] else float("nan")
    clean = mixed["errors"] == 0 and low["errors"] == 0
    return {"mix": mixed, "floor": low, "throughput_ratio": throughput, "p95_ratio": p95,
            "throughput_met": clean and throughput >= HTTP_GOALS["throughput"],
            "p95_met": clean and p95 <= HTTP_GOALS["p95"]}


def http(db: Database) -> dict[str, dict]:
    with db.connect() as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM tracking_trackingreport ORDER BY id").fetchall()]
        departments = [row[0] for row in conn.execute(
            "SELECT id FROM accounts_organisation WHERE kind = 'department'").fetchall()]
    ids = random.Random(1).sample(ids, min(len(ids), 5000))
    pages = {
        "dashboard": lambda rng: "/",
        "rollup": lambda rng: f"/rollup/?department={rng.choice(departments)}",
        "list": lambda rng: rng.choice(["/reports/", f"/reports/?page={rng.randint(2, 40)}", "/reports/?sort=rate",
                                        f"/reports/?department={rng.choice(departments)}", "/reports/?light=red"]),
        "form": lambda rng: f"/reports/{rng.choice(ids)}/",
    }
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([JIXIAO, "serve", "--production", "--port", str(port)], env=db.env(),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    mix = http_load.Result(latencies={kind: [] for kind in pages}, errors={kind: 0 for kind in pages})
    floor = http_load.Result(latencies={"floor": []}, errors={"floor": 0})
    loads = [os.getloadavg()[0]]
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(f"{base}/login/", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("生产模式服务未能启动") from None
                time.sleep(0.5)
        for _ in range(ROUNDS):
            for total, kinds in ((mix, pages), (floor, {"floor": lambda rng: FLOOR})):
                part = http_load.run(base, pages=kinds, username="demo-finance", password=PASSWORD,
                                     clients=CLIENTS, seconds=SECONDS / ROUNDS)
                for kind in kinds:
                    total.latencies[kind] += part.latencies[kind]
                    total.errors[kind] += part.errors[kind]
                total.seconds += part.seconds
                loads.append(os.getloadavg()[0])
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = {kind: {"n": len(mix.latencies[kind]), "p50_ms": round(mix.p(kind, .5), 1),
                      "p95_ms": round(mix.p(kind, .95), 1), "errors": mix.errors[kind]} for kind in pages}
    figures["ratios"] = {**ratios(mix, floor), "load": [round(v, 2) for v in loads]}
    return figures


def http_only(engine: str, server: str | None, figures: dict) -> None:
    forms = FORMS if server is not None else min(SQLITE_HTTP_FORMS, FORMS)
    db = fresh(f"{engine}_http", server)
    jixiao(db, "demo", "--scale", str(forms))
    figures[f"{engine}.http"] = {"forms": forms + 9, **http(db)}
    report(figures)


def scale(engine: str, server: str | None, files: list[Path], figures: dict) -> None:
    db = fresh(f"{engine}_import", server)
    jixiao(db, "demo")
    load = os.getloadavg()[0]
    seconds, peak, _ = jixiao(db, "import", "--bulk", *map(str, files))
    cpu = last_cpu[0]
    raw, raw_cpu = raw_insert(db, fresh(f"{engine}_raw", server))
    figures[f"{engine}.import"] = {"forms": FORMS, "seconds": round(seconds, 1), "forms_per_s": round(FORMS / seconds),
                                   "cpu_seconds": round(cpu, 1), "peak_mib": round(peak), "raw_seconds": round(raw, 1),
                                   "raw_cpu_seconds": round(raw_cpu, 1), "ratio": round(seconds / raw, 2),
                                   "load_before": load}
    print(f"{engine}：导入 {seconds:.1f} 秒（CPU {cpu:.1f} 秒，负载 {load:.1f}），直接写入 {raw:.1f} 秒"
          f"（本进程 CPU {raw_cpu:.1f} 秒），{seconds / raw:.2f}×", flush=True)
    report(figures)
    if STEPS == "import":
        return
    seconds, _, out = jixiao(db, "recheck")
    count = int("".join(ch for ch in out.split("重新检查", 1)[1] if ch.isdigit()))
    figures[f"{engine}.recheck"] = {"forms": count, "seconds": round(seconds, 1), "forms_per_s": round(count / seconds)}
    report(figures)
    if server is not None:
        figures[f"{engine}.http"] = {"forms": FORMS + 9, **http(db)}
    else:
        small = fresh("sqlite_http", None)
        jixiao(small, "demo")
        jixiao(small, "import", "--bulk", *map(str, province_files(SQLITE_HTTP_FORMS)))
        figures[f"{engine}.http"] = {"forms": min(SQLITE_HTTP_FORMS, FORMS) + 9, **http(small)}
    report(figures)


def report(figures: dict) -> None:
    (OUT / "results.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2), encoding="utf-8")


def table(figures: dict) -> None:
    print(f"\n{'指标':<40} {'结果':>24} {'目标':>14}  达标")
    for engine in ("sqlite", "postgresql"):
        imp, re_ = figures.get(f"{engine}.import"), figures.get(f"{engine}.recheck")
        if imp:
            print(f"{engine + ' 导入 ' + format(imp['forms'], ',') + ' 张 (s)':<40} "
                  f"{imp['seconds']:>10} / 直接写入 {imp['raw_seconds']:>5} {'≤ 3×':>14}  "
                  f"{'是' if imp['ratio'] <= 3 else '否'}（{imp['ratio']}×）")
            print(f"{engine + ' 导入峰值内存 (MiB)':<40} {imp['peak_mib']:>24} {'< 1024':>14}  "
                  f"{'是' if imp['peak_mib'] < 1024 else '否'}")
        if re_:
            print(f"{engine + ' 重新检查 (表/秒)':<40} {re_['forms_per_s']:>24} {'≥ 5000':>14}  "
                  f"{'是' if re_['forms_per_s'] >= 5000 else '否'}")
        web = figures.get(f"{engine}.http")
        if web:
            for kind, goal in GOALS.items():
                row = web[kind]
                print(f"{engine + ' ' + format(web['forms'], ',') + ' 张 ' + kind + ' p95 (ms)':<40} "
                      f"{row['p95_ms']:>10} (n={row['n']}, 错误 {row['errors']})".ljust(66)
                      + f"{'< ' + str(goal):>8}  {'是' if row['p95_ms'] < goal and row['errors'] == 0 else '否'}")
            r = web.get("ratios")
            if r:
                for side, name in (("mix", "混合"), ("floor", "基准页")):
                    row = r[side]
                    print(f"{engine + ' ' + name + ' (次/秒, p95 ms)':<40} "
                          f"{row['per_s']:>8} /s, p95 {row['p95_ms']} (n={row['n']}, 错误 {row['errors']})")
                print(f"{engine + ' 吞吐 混合 ÷ 基准页':<40} {r['throughput_ratio']:>24} "
                      f"{'≥ ' + str(HTTP_GOALS['throughput']) + '×':>14}  {'是' if r['throughput_met'] else '否'}")
                print(f"{engine + ' p95 混合 ÷ 基准页':<40} {r['p95_ratio']:>24} "
                      f"{'≤ ' + str(HTTP_GOALS['p95']) + '×':>14}  {'是' if r['p95_met'] else '否'}"
                      f"（负载 {', '.join(map(str, r['load']))}）")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    server = os.environ.get("DATABASE_URL") if os.environ.get("DATABASE_URL", "").startswith("postgres") else None
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.machine())
    memory = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal"))) / 2**20
    figures: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
                     "machine": f"{cpu}，{os.cpu_count()} 核，{memory:.0f} GiB，Python {platform.python_version()}，"
                                f"SQLite {sqlite3.sqlite_version}",
                     "load_before": os.getloadavg()[0], "clients": CLIENTS, "seconds": SECONDS}
    print(f"机器：{figures['machine']}；开始时负载 {figures['load_before']:.2f}")
    if STEPS == "http":
        http_only("postgresql" if server else "sqlite", server, figures)
        figures["load_after"] = os.getloadavg()[0]
        report(figures)
        table(figures)
        return
    began = time.perf_counter()
    files = province_files(FORMS)
    print(f"生成 {FORMS} 张模拟跟踪表（{len(files)} 个文件）：{time.perf_counter() - began:.0f} 秒", flush=True)
    scale("sqlite", None, files, figures)
    if server:
        scale("postgresql", server, files, figures)
    else:
        print("未设置 PostgreSQL 的 DATABASE_URL：跳过 PostgreSQL（make bench 会临时启动一个）")
    figures["load_after"] = os.getloadavg()[0]
    report(figures)
    table(figures)
    print(f"\n结束时负载 {figures['load_after']:.2f}；结果另存于 {OUT / 'results.json'}")


if __name__ == "__main__":
    main()
