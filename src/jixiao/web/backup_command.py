"""`jixiao backup FILE` and `jixiao restore FILE`: the whole database, forms, findings and audit trail.

SQLite: the online backup API, a consistent copy even while the server writes (WAL), checked with
``PRAGMA integrity_check``. PostgreSQL: ``pg_dump --format=custom`` and ``pg_restore`` in one
transaction. A restore refuses a database that already holds forms unless ``--replace`` is given,
and a backup of the other engine; afterwards it migrates, so an older backup comes up to date.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

SQLITE_MAGIC, PG_MAGIC = b"SQLite format 3\x00", b"PGDMP"


def _database() -> dict:
    from django.conf import settings

    return settings.DATABASES["default"]


def _is_sqlite(db: dict) -> bool:
    return db["ENGINE"].endswith("sqlite3")


def _pg_command(tool: str, db: dict) -> tuple[list[str], dict[str, str]]:
    if shutil.which(tool) is None:
        raise SystemExit(f"错误：找不到 {tool}，请安装 PostgreSQL 客户端工具（Debian：postgresql-client）")
    args = [tool, "--no-owner", f"--dbname={db['NAME']}"]
    if db.get("HOST"):
        args.append(f"--host={db['HOST']}")
    if db.get("PORT"):
        args.append(f"--port={db['PORT']}")
    if db.get("USER"):
        args.append(f"--username={db['USER']}")
    env = {**os.environ, **({"PGPASSWORD": db["PASSWORD"]} if db.get("PASSWORD") else {})}
    return args, env


def backup(target: Path) -> None:
    db = _database()
    target.parent.mkdir(parents=True, exist_ok=True)
    if _is_sqlite(db):
        partial = target.with_name(target.name + ".partial")
        partial.unlink(missing_ok=True)
        with sqlite3.connect(db["NAME"]) as source, sqlite3.connect(partial) as copy:
            source.backup(copy)
            if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise SystemExit(f"错误：备份文件 {target} 未通过完整性检查")
        source.close()
        copy.close()
        partial.replace(target)
        return
    args, env = _pg_command("pg_dump", db)
    done = subprocess.run([*args, "--format=custom", f"--file={target}"], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"错误：pg_dump 失败：{done.stderr.strip()}")


def restore(source: Path, *, replace: bool) -> None:
    from django.db import connections

    db = _database()
    try:
        with source.open("rb") as fh:
            head = fh.read(16)
    except OSError as exc:
        raise SystemExit(f"错误：无法读取备份文件 {source}（{exc.strerror}）") from None
    kind = "sqlite" if head.startswith(SQLITE_MAGIC) else "postgresql" if head.startswith(PG_MAGIC) else None
    if kind is None:
        raise SystemExit(f"错误：{source} 不是 jixiao backup 生成的备份文件")
    if kind != ("sqlite" if _is_sqlite(db) else "postgresql"):
        raise SystemExit(f"错误：{source} 是 {kind} 的备份，而当前数据库（DATABASE_URL）不是")
    if not replace and _holds_forms():
        raise SystemExit("错误：当前数据库中已有跟踪表；确需用备份覆盖时请加 --replace")
    connections.close_all()
    if _is_sqlite(db):
        with sqlite3.connect(f"file:{source}?mode=ro", uri=True) as backup_db, sqlite3.connect(db["NAME"]) as live:
            backup_db.backup(live)
        backup_db.close()
        live.close()
        return
    args, env = _pg_command("pg_restore", db)
    done = subprocess.run([*args, "--clean", "--if-exists", "--single-transaction", str(source)], env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"错误：pg_restore 失败：{done.stderr.strip()}")


def _holds_forms() -> bool:
    from django.db import connection

    if "tracking_trackingreport" not in connection.introspection.table_names():
        return False
    from jixiao.tracking.models import TrackingReport

    return TrackingReport.objects.exists()


def cmd_backup(args: argparse.Namespace) -> int:
    from jixiao.web.commands import setup_django

    setup_django()
    backup(Path(args.file))
    print(f"已备份到 {args.file}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from jixiao.web.commands import _migrate, setup_django

    setup_django()
    restore(Path(args.file), replace=args.replace)
    _migrate()
    print(f"已从 {args.file} 恢复数据库", file=sys.stdout)
    return 0


def add_backup_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "backup", help="备份整个数据库（跟踪表、问题、审计记录、账号）到一个文件",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  jixiao backup /var/backups/jixiao/$(date +%F).backup\n"
        "SQLite 用在线备份（服务运行中也可备份）；PostgreSQL 用 pg_dump（需安装 PostgreSQL 客户端）。",
    )
    p.add_argument("file", metavar="文件", help="备份文件路径")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser(
        "restore", help="从 jixiao backup 的备份文件恢复数据库",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog="示例：\n  DATABASE_URL=sqlite:///新库.sqlite3 jixiao restore 2026-12-01.backup\n"
        "恢复前请停止网页服务。",
    )
    p.add_argument("file", metavar="文件", help="备份文件路径")
    p.add_argument("--replace", action="store_true", help="当前数据库已有跟踪表时也用备份覆盖")
    p.set_defaults(func=cmd_restore)
