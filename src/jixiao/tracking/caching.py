"""The dashboard's and the roll-up's figures, kept in the shared cache until the data changes.

Every write that changes reports calls ``data_changed`` (report_store, the bulk import, the
recheck), which moves the data version on; cached figures are keyed by that version, so they
are never served after a change, and expire after ``TTL`` seconds anyway as a safety net for any
write that forgets. Keys include the user's scope: users who see the same reports share them.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

from jixiao.accounts.models import User
from jixiao.accounts.scope import sees_everything

VERSION_KEY = "jixiao:data-version"
TTL = 120
T = TypeVar("T")


def data_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
    return version


def data_changed() -> None:
    """Call after (or inside the transaction of) any write to reports, findings or organisations."""
    transaction.on_commit(lambda: cache.set(VERSION_KEY, time.time_ns(), None))


def scope_key(user: User) -> str:
    if sees_everything(user):
        return "all"
    return f"{user.role}-{user.organisation_id}"


def cached(name: str, user: User, parts: tuple, compute: Callable[[], T]) -> T:
    key = f"jixiao:{name}:{data_version()}:{scope_key(user)}:{':'.join(map(str, parts))}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TTL)
    return value
