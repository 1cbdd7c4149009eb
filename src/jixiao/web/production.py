"""`jixiao serve --production`: gunicorn with several worker processes in front of the same WSGI app.

Before the workers start, the master migrates, creates the cache table and collects the static
files (hashed and compressed once); then it closes its database connections so that no worker
inherits one. Each worker runs a few threads; with the database holding sessions and the
cache, any worker — on this machine or another app server behind the proxy — can answer any
request.
"""

from __future__ import annotations

import gc
import os
import sys

from gunicorn.app.base import BaseApplication


class _Gunicorn(BaseApplication):
    def __init__(self, application, options: dict):
        self.application = application
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return self.application


def default_workers() -> int:
    return int(os.environ.get("JIXIAO_WORKERS") or 2 * (os.cpu_count() or 1) + 1)


def prepare() -> None:
    """Everything that must happen once, before the workers fork."""
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    call_command("createcachetable", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        print("注意：正在使用 SQLite。生产部署请设置 DATABASE_URL=postgres://…", file=sys.stderr)
    connections.close_all()


def proxy_options() -> dict:
    """Which proxies gunicorn believes: their X-Forwarded-For always (JIXIAO_FORWARDED_ALLOW_IPS), their
    X-Forwarded-Proto only when JIXIAO_PROXY_SSL_HEADER says TLS ends at them, as Django does."""
    from django.conf import settings

    options = {"forwarded_allow_ips": os.environ.get("JIXIAO_FORWARDED_ALLOW_IPS", "127.0.0.1")}
    if not settings.JIXIAO_PROXY_SSL_HEADER:
        options["secure_scheme_headers"] = {}
    return options


def serve_production(*, host: str, port: int, workers: int, threads: int) -> None:
    prepare()
    from jixiao.web.wsgi import application  # after collectstatic: WhiteNoise indexes the files at start
    options = {
        "bind": f"{host}:{port}",
        "workers": workers,
        "worker_class": "gthread",
        "threads": threads,
        "timeout": 60,
        "graceful_timeout": 10,
        "keepalive": 5,
        # Recycle a worker now and then so that a slow leak can never grow without bound.
        "max_requests": 5000,
        "max_requests_jitter": 500,
        "accesslog": os.environ.get("JIXIAO_ACCESS_LOG") or None,
        "errorlog": "-",
        "loglevel": "warning",
        "proc_name": "jixiao",
        **proxy_options(),
    }
    # Everything loaded so far (Django, the app, its templates' modules: ~150,000 objects) lives as long as the
    # process: moved out of the collector's sight before the workers fork, so that a full collection in a worker
    # scans what requests made, not all of it again (~100 ms each, a pause under load; docs/PERFORMANCE.md).
    gc.collect()
    gc.freeze()
    _Gunicorn(application, options).run()
