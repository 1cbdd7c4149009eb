"""Reads that may go to a read replica: the dashboard's and the roll-up's aggregates.

With ``DATABASE_REPLICA_URLS`` set, the views wrapped in ``replica_reads`` read from one of the
replicas (chosen at random per request); every other read, and every write, goes to the primary.
Only read-heavy pages that tolerate a replica's lag of a moment are wrapped: a page shown right
after a save (the form, the list) always reads the primary, so a user sees their own change.
"""

from __future__ import annotations

import functools
import random
from contextvars import ContextVar

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS

_replica: ContextVar[str | None] = ContextVar("jixiao_replica", default=None)


def replica_aliases() -> list[str]:
    return [alias for alias in settings.DATABASES if alias.startswith("replica")]


def replica_reads(view):
    """Decorator: the view's reads go to a replica when there is one."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        replicas = replica_aliases()
        token = _replica.set(random.choice(replicas) if replicas else None)
        try:
            return view(request, *args, **kwargs)
        finally:
            _replica.reset(token)

    return wrapper


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return _replica.get() or DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS
