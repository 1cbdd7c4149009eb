"""`jixiao serve --production`: gunicorn workers, collected and compressed static files, sessions in the database."""

import http.cookiejar
import os
import re
import subprocess
import time
import urllib.parse
import urllib.request
from contextlib import contextmanager

import pytest

from tests.integration.test_commands import JIXIAO, _free_port, clean_env


@contextmanager
def own_database(tmp_path):
    """A database of the server's own: a SQLite file, or a new database beside the test run's PostgreSQL one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        yield f"sqlite:///{tmp_path / 'production.sqlite3'}"
        return
    import psycopg

    name = f"jixiao_serve_{os.getpid()}"
    parts = urllib.parse.urlsplit(url)
    with psycopg.connect(url, autocommit=True) as admin:
        admin.execute(f"DROP DATABASE IF EXISTS {name}")
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def wait_for(url: str, opener, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with opener.open(url, timeout=5) as response:
                return response.read().decode()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_the_production_server_logs_in_and_serves_pages_and_hashed_static_files(tmp_path):
    with own_database(tmp_path) as database_url:
        env = clean_env("DATABASE_URL", "JIXIAO_DEBUG")
        env.update(DATABASE_URL=database_url, JIXIAO_DATA_DIR=str(tmp_path), SECRET_KEY="production-test",
                   JIXIAO_DEMO_PASSWORD="pw-for-production", JIXIAO_SSL_REDIRECT="0", JIXIAO_SECURE_COOKIES="0")
        subprocess.run([JIXIAO, "demo"], env=env, check=True, capture_output=True)
        port = _free_port()
        server = subprocess.Popen(
            [JIXIAO, "serve", "--production", "--port", str(port), "--workers", "2", "--threads", "2"],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        try:
            assert "生产模式" in server.stdout.readline()
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            base = f"http://127.0.0.1:{port}"
            login_page = wait_for(f"{base}/login/", opener)
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page).group(1)
            form = urllib.parse.urlencode({"username": "demo-finance", "password": "pw-for-production",
                                           "csrfmiddlewaretoken": token}).encode()
            request = urllib.request.Request(f"{base}/login/", data=form, headers={"Referer": f"{base}/login/"})
            with opener.open(request, timeout=10) as response:
                dashboard = response.read().decode()
            assert 'id="project-count"' in dashboard and ">9<" in dashboard
            for _ in range(6):  # any worker answers for the session kept in the database
                with opener.open(f"{base}/reports/", timeout=10) as response:
                    assert response.status == 200
            css = re.search(r'/static/tracking/app\.[0-9a-f]{12}\.css', dashboard).group(0)
            request = urllib.request.Request(base + css, headers={"Accept-Encoding": "gzip"})
            with opener.open(request, timeout=10) as response:
                assert response.headers["Content-Encoding"] == "gzip"
                assert "immutable" in response.headers["Cache-Control"]
        finally:
            server.terminate()
            server.wait(timeout=20)
        assert server.returncode == 0, server.stderr.read()


@pytest.mark.django_db
def test_replica_reads_go_to_a_replica_only_inside_wrapped_views(monkeypatch):
    from jixiao.tracking import models
    from jixiao.web import replicas
    from jixiao.web.replicas import ReplicaRouter, replica_reads

    router = ReplicaRouter()
    monkeypatch.setattr(replicas, "replica_aliases", lambda: ["replica1"])
    seen = []
    replica_reads(lambda request: seen.append(router.db_for_read(models.TrackingReport)))(None)
    assert seen == ["replica1"]
    assert router.db_for_read(models.TrackingReport) == "default"
    assert router.db_for_write(models.TrackingReport) == "default"
    assert not router.allow_migrate("replica1", "tracking")
