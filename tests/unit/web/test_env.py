"""Settings from the environment: sensible defaults, and a loud failure on a value that makes no sense."""

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from jixiao.web.env import database_from_url, env_bool, env_int


def test_without_database_url_it_uses_sqlite_in_wal_mode_under_the_data_directory():
    database = database_from_url(None, data_dir=Path("/srv/jixiao"))
    assert database["ENGINE"] == "django.db.backends.sqlite3"
    assert database["NAME"] == "/srv/jixiao/jixiao.sqlite3"
    assert "journal_mode=WAL" in database["OPTIONS"]["init_command"]


def test_it_reads_a_sqlite_url_with_a_relative_or_absolute_path():
    assert database_from_url("sqlite:///db/x.sqlite3", data_dir=Path("."))["NAME"] == "db/x.sqlite3"
    assert database_from_url("sqlite:////var/x.sqlite3", data_dir=Path("."))["NAME"] == "/var/x.sqlite3"


def test_it_reads_a_postgres_url_with_user_password_host_port_and_socket():
    database = database_from_url("postgres://jx:s%40cret@db.local:5433/jixiao", data_dir=Path("."))
    assert database["ENGINE"] == "django.db.backends.postgresql"
    assert (database["USER"], database["PASSWORD"], database["HOST"], database["PORT"], database["NAME"]) == (
        "jx", "s@cret", "db.local", "5433", "jixiao"
    )
    socket = database_from_url("postgresql://jx@/jixiao?host=/run/postgresql", data_dir=Path("."))
    assert socket["HOST"] == "/run/postgresql"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "postgres://u:pw@h:5432/", "sqlite://", "postgres://h:notaport/db"])
def test_it_rejects_a_database_url_it_cannot_use(url):
    with pytest.raises(ImproperlyConfigured) as raised:
        database_from_url(url, data_dir=Path("."))
    assert "DATABASE_URL" in str(raised.value)
    assert "pw" not in str(raised.value)


def test_it_rejects_a_flag_that_is_neither_true_nor_false(monkeypatch):
    monkeypatch.setenv("JIXIAO_DEBUG", "ture")
    with pytest.raises(ImproperlyConfigured, match="JIXIAO_DEBUG"):
        env_bool("JIXIAO_DEBUG", default=False)
    monkeypatch.setenv("JIXIAO_DEBUG", "yes")
    assert env_bool("JIXIAO_DEBUG", default=False) is True


def test_it_rejects_an_upload_limit_that_is_not_a_positive_number(monkeypatch):
    monkeypatch.setenv("JIXIAO_UPLOAD_MAX_MB", "ten")
    with pytest.raises(ImproperlyConfigured, match="JIXIAO_UPLOAD_MAX_MB"):
        env_int("JIXIAO_UPLOAD_MAX_MB", default=10, minimum=1)
    monkeypatch.setenv("JIXIAO_UPLOAD_MAX_MB", "0")
    with pytest.raises(ImproperlyConfigured):
        env_int("JIXIAO_UPLOAD_MAX_MB", default=10, minimum=1)
