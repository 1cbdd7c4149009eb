"""Reading settings from environment variables, failing loudly on a value that makes no sense.

A misspelt ``DATABASE_URL`` or ``JIXIAO_DEBUG=ture`` must stop the program at start-up with a
message that names the variable, not fall back silently to a default.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 无法识别：应为 1/0、true/false、yes/no 或 on/off")


def env_int(name: str, *, default: int, minimum: int = 0) -> int:
    raw = os.environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 不是整数") from None
    if value < minimum:
        raise ImproperlyConfigured(f"环境变量 {name}={raw!r} 不能小于 {minimum}")
    return value


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def database_from_url(url: str | None, *, data_dir: Path) -> dict:
    """A Django DATABASES entry from ``DATABASE_URL``.

    Unset or empty: a SQLite file ``jixiao.sqlite3`` under the data directory.
    ``sqlite:///relative.db``, ``sqlite:////absolute/path.db``: SQLite at that path.
    ``postgres://user:password@host:port/name`` (or ``postgresql://``): PostgreSQL through
    psycopg 3; ``?host=/socket/dir`` selects a Unix socket.
    """
    if not url:
        return _sqlite(data_dir / "jixiao.sqlite3")
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        if not path or path == "/":
            raise ImproperlyConfigured(f"DATABASE_URL={url!r} 缺少 SQLite 文件路径，例如 sqlite:///data/jixiao.sqlite3")
        return _sqlite(Path(path[1:]) if path.startswith("/") else Path(path))
    if parts.scheme in ("postgres", "postgresql"):
        name = unquote(parts.path.lstrip("/"))
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL={_redacted(url)!r} 缺少数据库名，例如 postgres://user@host:5432/jixiao")
        query = {key: values[-1] for key, values in parse_qs(parts.query).items()}
        try:
            port = parts.port
        except ValueError:
            raise ImproperlyConfigured(f"DATABASE_URL={_redacted(url)!r} 的端口无效") from None
        options = {key: value for key, value in query.items() if key != "host"}
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "USER": unquote(parts.username or ""),
            "PASSWORD": unquote(parts.password or ""),
            "HOST": query.get("host") or parts.hostname or "",
            "PORT": str(port or ""),
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": options,
        }
    raise ImproperlyConfigured(
        f"DATABASE_URL={_redacted(url)!r} 不受支持：请使用 sqlite:///路径 或 postgres://用户@主机:端口/库名"
    )


def _sqlite(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # Each server thread keeps its connection: opening one (file, pragmas, Django's SQL
        # functions) on every request cost more than many of the requests themselves.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at the
        # start of a transaction so that two writers queue instead of failing half-way.
        "OPTIONS": {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        return url.replace(f":{parts.password}@", ":***@", 1)
    return url


CACHE_TABLE = "jixiao_cache"


def cache_setting(kind: str) -> dict:
    """``db``: a table shared by every worker and server (created by ``createcachetable``);
    ``locmem``: per process, for development; ``memcached://host:port``: an external memcached."""
    if kind == "db":
        # Django's default of 300 entries would cull the cached pages of a province (a roll-up per
        # department, a page per list query) faster than they are read; Django's own backend counts
        # the whole table on every write, this one every 200th (web/db_cache.py).
        return {"BACKEND": "jixiao.web.db_cache.SparselyCulledDatabaseCache", "LOCATION": CACHE_TABLE,
                "OPTIONS": {"MAX_ENTRIES": 50_000, "CULL_EVERY": 200}}
    if kind == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 5_000}}
    if kind.startswith("memcached://"):
        return {"BACKEND": "django.core.cache.backends.memcached.PyMemcacheCache", "LOCATION": kind[12:]}
    raise ImproperlyConfigured(f"JIXIAO_CACHE={kind!r} 不受支持：请使用 db、locmem 或 memcached://主机:端口")


def replica_databases(urls: list[str], *, data_dir: Path) -> dict[str, dict]:
    """``replica1``, ``replica2`` … from ``DATABASE_REPLICA_URLS``; tests read them through the primary."""
    replicas = {}
    for number, url in enumerate(urls, start=1):
        entry = database_from_url(url, data_dir=data_dir)
        entry["TEST"] = {"MIRROR": "default"}
        replicas[f"replica{number}"] = entry
    return replicas
