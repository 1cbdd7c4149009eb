"""The dashboard, roll-up and list pages' bodies, kept in the shared cache until the data changes.

The pages wrap everything that depends only on the data (not on the user's name or CSRF token)
in ``{% cache TTL name fragment %}`` with ``fragment_key``; their views hand the template lazy
objects, so nothing is queried when the fragment is cached. Every write that changes reports
calls ``data_changed`` (report_store, the bulk import, the recheck), which moves the data version
on: a cached fragment is never served after a change, and expires after ``TTL`` seconds anyway
as a safety net for any write that forgets. Keys include the user's scope, not the user: users
who see the same reports share them.
"""

from __future__ import annotations

import time
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

from jixiao.accounts.models import User
from jixiao.accounts.scope import sees_everything

VERSION_KEY = "jixiao:data-version"
TTL = 120  # seconds; the templates say the same


# Within one request the version is read once: the page, its menus and the header's count all
# key their cached parts by it. DataVersionMiddleware gives each request its own memo.
_memo: ContextVar[dict | None] = ContextVar("jixiao_data_version", default=None)


def data_version() -> int:
    memo = _memo.get()
    if memo is not None and "version" in memo:
        return memo["version"]
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, None)
    if memo is not None:
        memo["version"] = version
    return version


def data_changed() -> None:
    """Call after (or inside the transaction of) any write to reports, findings or organisations."""
    def changed() -> None:
        cache.set(VERSION_KEY, time.time_ns(), None)
        memo = _memo.get()
        if memo is not None:
            memo.pop("version", None)  # what this request renders after its write is read afresh

    transaction.on_commit(changed)


class DataVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _memo.set({})
        try:
            return self.get_response(request)
        finally:
            _memo.reset(token)


def scope_key(user: User) -> str:
    # The role is always part of the key: pages offer different actions (bulk steps) per role.
    if sees_everything(user):
        return f"{user.role}-all"
    return f"{user.role}-{user.organisation_id}"


def fragment_key(user: User, *parts) -> str:
    return f"{data_version()}:{scope_key(user)}:{':'.join(map(str, parts))}"


def report_fragment_key(report_id: int) -> str:
    """The form page's table and findings: the same for everyone allowed to open the page."""
    return f"{data_version()}:report:{report_id}"


def remember(user: User, name: str, compute, *parts):
    """A value computed from the data in ``user``'s scope (the inbox count, the periods menu), kept
    until the data changes; in a worker's memory first when fragments are (see layered_cache.py)."""
    store = caches["template_fragments"] if "template_fragments" in settings.CACHES else cache
    return store.get_or_set(fragment_key(user, name, *parts), compute, TTL)
