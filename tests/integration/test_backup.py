"""`jixiao backup` then `jixiao restore` elsewhere: every form, finding and audit event comes back identical."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

JIXIAO = str(Path(sys.executable).parent / "jixiao")
TABLES = ("tracking_trackingreport", "tracking_budgetline", "tracking_indicator", "tracking_finding",
          "audit_auditevent", "accounts_organisation", "accounts_user")


def env_for(database: Path, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(JIXIAO_DEBUG="1", DATABASE_URL=f"sqlite:///{database}", JIXIAO_DATA_DIR=str(data),
               JIXIAO_DEMO_PASSWORD="demo-pass-for-tests")
    return env


def rows(database: Path) -> dict[str, list]:
    with sqlite3.connect(database) as db:
        return {table: db.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in TABLES}


def run(*args, env):
    return subprocess.run([JIXIAO, *args], env=env, capture_output=True, text=True)


def test_a_backup_restored_elsewhere_holds_every_form_finding_and_audit_event(tmp_path):
    live, restored, backup = tmp_path / "live.sqlite3", tmp_path / "restored.sqlite3", tmp_path / "jixiao.backup"
    source, target = env_for(live, tmp_path / "a"), env_for(restored, tmp_path / "b")
    assert run("demo", env=source).returncode == 0
    done = run("backup", str(backup), env=source)
    assert done.returncode == 0 and f"已备份到 {backup}" in done.stdout
    done = run("restore", str(backup), env=target)
    assert done.returncode == 0, done.stderr
    original, copy = rows(live), rows(restored)
    assert len(original["tracking_trackingreport"]) == 54 and len(original["tracking_finding"]) > 0  # 2023 and 2024
    assert len(original["audit_auditevent"]) > 9
    assert copy == original
    verified = run("audit", "verify", env=target)
    assert verified.returncode == 0 and "审计记录完好" in verified.stdout


def test_a_restore_over_a_database_with_forms_needs_replace(tmp_path):
    live, backup = tmp_path / "live.sqlite3", tmp_path / "jixiao.backup"
    env = env_for(live, tmp_path / "a")
    assert run("demo", env=env).returncode == 0
    assert run("backup", str(backup), env=env).returncode == 0
    refused = run("restore", str(backup), env=env)
    assert refused.returncode != 0 and "当前数据库中已有跟踪表；确需用备份覆盖时请加 --replace" in refused.stderr
    assert run("restore", "--replace", str(backup), env=env).returncode == 0


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    junk = tmp_path / "junk.backup"
    junk.write_bytes(b"not a backup at all")
    refused = run("restore", str(junk), env=env_for(tmp_path / "x.sqlite3", tmp_path / "x"))
    assert refused.returncode != 0 and "不是 jixiao backup 生成的备份文件" in refused.stderr


PG_TABLES = TABLES


def test_a_postgresql_backup_restored_into_another_database_is_identical(tmp_path):
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        import pytest

        pytest.skip("needs PostgreSQL (scripts/with-postgres.sh)")
    import psycopg

    base, _, name = url.rpartition("/")
    name, _, query = name.partition("?")
    suffix = f"?{query}" if query else ""
    admin = psycopg.connect(url, autocommit=True)
    names = [f"{name}_backup_live", f"{name}_backup_restored"]
    for db in names:
        admin.execute(f'DROP DATABASE IF EXISTS "{db}"')
        admin.execute(f'CREATE DATABASE "{db}"')
    try:
        live, restored = (f"{base}/{db}{suffix}" for db in names)
        source, target = ({**env_for(tmp_path / "unused.sqlite3", tmp_path / d), "DATABASE_URL": u}
                          for d, u in (("a", live), ("b", restored)))
        backup = tmp_path / "pg.backup"
        assert run("demo", env=source).returncode == 0
        done = run("backup", str(backup), env=source)
        assert done.returncode == 0, done.stderr
        assert run("restore", str(backup), env=target).returncode == 0

        def pg_rows(u):
            with psycopg.connect(u) as db:
                return {t: db.execute(f"SELECT * FROM {t} ORDER BY id").fetchall() for t in PG_TABLES}

        original = pg_rows(live)
        assert len(original["tracking_trackingreport"]) == 54 and original == pg_rows(restored)
        assert run("audit", "verify", env=target).returncode == 0
    finally:
        for db in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{db}" WITH (FORCE)')
        admin.close()
