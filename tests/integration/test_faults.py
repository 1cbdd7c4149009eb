"""Killed part-way (SIGKILL, at seeded random moments), `jixiao import`, `jixiao import --bulk` and `jixiao recheck`
leave the database as before or as after each transaction they committed, never half a form or half a batch:
`jixiao doctor` finds nothing wrong, and every stored form has all its rows as the source file has them.

Each command runs as a subprocess against a temporary database made from a template (migrated, demo loaded): a
SQLite file, or a PostgreSQL database when DATABASE_URL points to one (the suite's second run). The whole process
group is killed, as a crash would, workers included. Bounded: a few kills per command, a time budget for each.
"""

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.faults

JIXIAO = str(Path(sys.executable).parent / "jixiao")
FORMS = 160
KILLS = 3
BUDGET_SECONDS = 18  # per command, kills and checks included; at least one kill always happens
RECHECK_BATCH = 20
SEED = 20241202


def _environment(url: str, data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env.update(JIXIAO_DEBUG="1", DATABASE_URL=url, JIXIAO_DATA_DIR=str(data),
               JIXIAO_DEMO_PASSWORD="demo-pass-for-tests")
    return env


class SqliteDatabases:
    def __init__(self, root: Path):
        self.root = root

    def url(self, name: str) -> str:
        return f"sqlite:///{self.root / name}.sqlite3"

    def copy(self, template: str, name: str) -> str:
        for suffix in ("", "-wal", "-shm"):
            source = self.root / f"{template}.sqlite3{suffix}"
            target = self.root / f"{name}.sqlite3{suffix}"
            target.unlink(missing_ok=True)
            if source.exists():
                shutil.copyfile(source, target)
        return self.url(name)

    def query(self, url: str, statement: str) -> list[tuple]:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            return db.execute(statement).fetchall()

    def execute(self, url: str, statement: str) -> None:
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            db.execute(statement)

    def close(self) -> None:
        pass


class PostgresDatabases:
    """Databases beside the test database, each copied from a template with CREATE DATABASE … TEMPLATE."""

    def __init__(self, url: str):
        import psycopg

        self.base, _, rest = url.rpartition("/")
        self.prefix, _, query = rest.partition("?")
        self.suffix = f"?{query}" if query else ""
        self.admin = psycopg.connect(url, autocommit=True)
        self.made: list[str] = []
        self.psycopg = psycopg

    def _name(self, name: str) -> str:
        return f"{self.prefix}_faults_{name}"

    def url(self, name: str) -> str:
        if self._name(name) not in self.made:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{self._name(name)}" WITH (FORCE)')
            self.admin.execute(f'CREATE DATABASE "{self._name(name)}"')
            self.made.append(self._name(name))
        return f"{self.base}/{self._name(name)}{self.suffix}"

    def copy(self, template: str, name: str) -> str:
        self.admin.execute(f'DROP DATABASE IF EXISTS "{self._name(name)}" WITH (FORCE)')
        self.admin.execute(f'CREATE DATABASE "{self._name(name)}" TEMPLATE "{self._name(template)}"')
        if self._name(name) not in self.made:
            self.made.append(self._name(name))
        return f"{self.base}/{self._name(name)}{self.suffix}"

    def query(self, url: str, statement: str) -> list[tuple]:
        with self.psycopg.connect(url) as db:
            return db.execute(statement).fetchall()

    def execute(self, url: str, statement: str) -> None:
        with self.psycopg.connect(url) as db:
            db.execute(statement)

    def close(self) -> None:
        for name in self.made:
            self.admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.admin.close()


FORMS_QUERY = """
SELECT p.name, tp.start, tp."end", r.id,
       (SELECT COUNT(*) FROM tracking_budgetline b WHERE b.report_id = r.id),
       (SELECT COUNT(*) FROM tracking_indicator i WHERE i.report_id = r.id)
FROM tracking_trackingreport r JOIN tracking_project p ON p.id = r.project_id
JOIN tracking_trackingperiod tp ON tp.id = r.period_id
"""


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """The source file, the expected forms, and the databases: ``demo`` (migrated, demo loaded) and ``imported``
    (the demo and the source file, bulk imported, with ``checked_at`` cleared to mark the recheck's progress)."""
    from jixiao.demo.synthetic import Province, seed_templates
    from jixiao.domain.model import TrackingDocument
    from jixiao.formats.registry import read_document
    from jixiao.formats.text import to_text

    root = tmp_path_factory.mktemp("faults")
    source = root / "省级跟踪表.txt"
    province = Province(forms=FORMS, seed=SEED)
    reports = list(province.reports(0, FORMS, seed_templates()))
    source.write_text(to_text(TrackingDocument(period=None, reports=reports)), encoding="utf-8")
    expected = {(r.project, r.period.start, r.period.end): (4, len(r.indicators))
                for r in read_document(source).reports}
    assert len(expected) == FORMS
    url = os.environ.get("DATABASE_URL", "")
    databases = PostgresDatabases(url) if url.startswith("postgres") else SqliteDatabases(root)
    try:
        demo = databases.url("demo")
        assert run(["demo"], demo, root).returncode == 0
        imported = databases.copy("demo", "imported")
        done = run(["import", "--bulk", str(source)], imported, root)
        assert done.returncode == 0, done.stderr
        databases.execute(imported, "UPDATE tracking_trackingreport SET checked_at = NULL")
        yield {"root": root, "source": source, "expected": expected, "db": databases,
               "demo_forms": set(forms(databases, demo))}
    finally:
        databases.close()


def run(args: list[str], url: str, root: Path) -> subprocess.CompletedProcess:
    return subprocess.run([JIXIAO, *args], env=_environment(url, root), capture_output=True, text=True, timeout=120)


def forms(databases, url: str) -> dict[tuple[str, str, str], tuple[int, int]]:
    return {(name, start, end): (lines, indicators)
            for name, start, end, _pk, lines, indicators in databases.query(url, FORMS_QUERY)}


def killed(args: list[str], url: str, root: Path, delay: float) -> int | None:
    """Run, SIGKILL the whole process group after ``delay`` seconds; the exit code if it finished first."""
    process = subprocess.Popen([JIXIAO, *args], env=_environment(url, root), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        return process.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        return None


def assert_doctor_finds_nothing(databases, url: str, root: Path) -> None:
    done = run(["doctor", "--workers", "1"], url, root)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "数据库一致，没有发现问题" in done.stdout


def timed(args: list[str], url: str, root: Path) -> float:
    started = time.perf_counter()
    done = run(args, url, root)
    assert done.returncode == 0, done.stderr
    return time.perf_counter() - started


def kill_moments(full: float, rng: random.Random, earliest: float = 0.15):
    """Seeded delays across the run (start-up included: a kill before any write is a case too), within budget."""
    started = time.perf_counter()
    for attempt in range(KILLS):
        if attempt and time.perf_counter() - started > BUDGET_SECONDS:
            return
        yield rng.uniform(earliest, 0.95) * full


@pytest.mark.parametrize("bulk", [False, True], ids=["form-by-form", "bulk"])
def test_a_killed_import_leaves_every_form_whole_or_none_of_them(world, bulk):
    databases, root, expected, demo_forms = world["db"], world["root"], world["expected"], world["demo_forms"]
    args = ["import", *(["--bulk", "--workers", "2"] if bulk else []), str(world["source"])]
    full = timed(args, databases.copy("demo", "measure"), root)
    rng = random.Random(f"{SEED}:{bulk}")
    outcomes = []
    for number, delay in enumerate(kill_moments(full, rng)):
        url = databases.copy("demo", f"import{number}")
        code = killed(args, url, root, delay)
        assert code in (None, 0)
        assert_doctor_finds_nothing(databases, url, root)
        stored = forms(databases, url)
        assert set(stored) >= demo_forms
        new = {key: value for key, value in stored.items() if key not in demo_forms}
        assert new in ({}, expected), f"after a kill at {delay:.2f}s: {len(new)} of {len(expected)} forms"
        outcomes.append(f"{delay:.2f}s/{full:.2f}s: {'none' if not new else 'all'}")
        if new == {} and outcomes[:-1] == []:  # once: run again to the end over what the kill left
            assert run(args, url, root).returncode == 0
            assert {k: v for k, v in forms(databases, url).items() if k not in demo_forms} == expected
    print("killed import:", outcomes)
    assert outcomes


def test_a_killed_recheck_leaves_each_batch_as_before_or_as_after(world):
    databases, root, expected = world["db"], world["root"], world["expected"]
    args = ["recheck", "--batch-size", str(RECHECK_BATCH), "--workers", "2"]
    full = timed(args, databases.copy("imported", "measure"), root)
    rng = random.Random(f"{SEED}:recheck")
    rechecked = []
    for number, delay in enumerate(kill_moments(full, rng, earliest=0.5)):  # its writes come late in the run
        url = databases.copy("imported", f"recheck{number}")
        killed(args, url, root, delay)
        assert_doctor_finds_nothing(databases, url, root)
        stored = forms(databases, url)
        assert {key: value for key, value in stored.items() if key in expected} == expected
        rows = databases.query(url, "SELECT id, checked_at FROM tracking_trackingreport ORDER BY id")
        first = rows[0][0]
        batches: dict[int, set] = {}
        for pk, checked_at in rows:
            batches.setdefault((pk - first) // RECHECK_BATCH, set()).add(checked_at)
        assert all(len(moments) == 1 for moments in batches.values()), "a batch was left half rechecked"
        rechecked.append(f"{delay:.2f}s/{full:.2f}s: {sum(None not in m for m in batches.values())}/{len(batches)}")
    print("killed recheck, batches rechecked:", rechecked)
    assert rechecked
