"""The audit trail as a hash chain: change, insert or delete one event with SQL and it shows.

Every event has a ``sequence`` (1, 2, 3 … in the order written), the ``previous_hash`` of the
event before it and its own ``hash``: SHA-256 over a canonical serialisation of its fields
(sorted-key JSON, UTF-8, times in UTC to the microsecond) followed by the previous hash.
Appending takes a lock first — an advisory lock on PostgreSQL, the database's write lock on
SQLite — then reads the head, so concurrent writers queue instead of forking the chain; the
unique sequence would refuse a fork anyway. ``verify`` walks the chain and names the first
event that was altered, inserted or deleted. Expired events may be purged (purge.py); the purge
is itself an event recording where the remaining chain begins.

What it cannot tell: someone who rewrites every later event's hash too, or who deletes the newest
events. ``jixiao audit verify`` prints the head's hash; writing it down elsewhere now and then
closes both gaps.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, transaction
from django.utils.ipv6 import clean_ipv6_address

GENESIS = "0" * 64
FIELDS = ("sequence", "at", "actor_id", "actor_name", "ip", "action", "report_id", "subject", "revision",
          "changes", "comment", "state_before", "state_after", "previous_hash")
_LOCK_KEY = 0x6A69786961_0001  # "jixia" + 1: this application's advisory lock for the audit chain


# One encoder for every event: json.dumps with these options builds a new one per call. Same bytes.
_ENCODER = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def canonical(values: Mapping[str, Any]) -> bytes:
    data = {name: values.get(name) for name in FIELDS}
    at, ip = data["at"], data["ip"]
    if isinstance(at, datetime):
        data["at"] = at.astimezone(UTC).isoformat(timespec="microseconds")
    if ip and ":" in ip:
        data["ip"] = clean_ipv6_address(ip)  # as the database stores it
    return _ENCODER.encode(data).encode()


def event_hash(event: Any) -> str:
    """The hash of an event (a model instance, or a dict of its field values)."""
    values = event if isinstance(event, Mapping) else {name: getattr(event, name) for name in FIELDS}
    return hashlib.sha256(canonical(values) + (values.get("previous_hash") or "").encode()).hexdigest()


def _lock() -> None:
    """Hold the chain until the transaction ends."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_LOCK_KEY])
        else:  # SQLite: transactions begin IMMEDIATE (web/env.py), holding the write lock already; a write
            # statement takes it too, even one that changes nothing, should a caller's mode differ
            cursor.execute('UPDATE "audit_auditevent" SET "id" = "id" WHERE 0 = 1')


def _head() -> tuple[int, str]:
    from jixiao.audit.models import AuditEvent

    last = AuditEvent.objects.exclude(sequence=None).order_by("-sequence").values_list("sequence", "hash").first()
    return last if last is not None else (0, GENESIS)


def chain(values: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give events (dicts of their field values, about to be written in this transaction) their place in the
    chain. Call inside ``transaction.atomic``; the lock is held until it ends."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("audit events are chained inside a transaction")
    _lock()
    sequence, previous = _head()
    out = []
    for event in values:
        sequence += 1
        event["sequence"], event["previous_hash"] = sequence, previous
        event["hash"] = previous = event_hash(event)
        out.append(event)
    return out


def append(event) -> None:
    """Save one new AuditEvent instance at the end of the chain."""
    with transaction.atomic():
        values = {name: getattr(event, name) for name in FIELDS}
        chained = chain([values])[0]
        event.sequence, event.previous_hash, event.hash = chained["sequence"], chained["previous_hash"], chained["hash"]
        event.save()


@dataclass
class Verdict:
    ok: bool
    checked: int
    head: str
    message: str  # in Chinese: all well, or the first event that is wrong and how


def verify() -> Verdict:
    """Walk the chain from its start; stop at the first event altered, inserted or deleted."""
    from jixiao.audit.models import Action, AuditEvent

    outside = AuditEvent.objects.filter(sequence=None).order_by("pk").first()
    if outside is not None:
        return Verdict(False, 0, "", f"第 {outside.pk} 号记录（{outside}）不在哈希链中：它是绕过系统直接插入的")
    expected, previous, checked = None, GENESIS, 0
    purges = {cut["through_sequence"]: cut["hash"] for cut in _purge_cuts(AuditEvent, Action)}
    for event in AuditEvent.objects.order_by("sequence").iterator(chunk_size=2000):
        if expected is None:  # the start: sequence 1, or where the last purge left it
            expected = event.sequence if event.sequence - 1 in purges or event.sequence == 1 else 1
            previous = purges.get(event.sequence - 1, GENESIS)
        def where(event=event) -> str:  # named only when wrong: its text costs more than its hash
            return f"第 {event.sequence} 条记录（编号 {event.pk}，{event}）"

        if event.sequence != expected:
            gap = f"{expected}" if event.sequence == expected + 1 else f"{expected}–{event.sequence - 1}"
            missing = f"第 {gap} 条"
            return Verdict(False, checked, "", f"{missing}记录已被删除（{where()}之前）")
        if event.previous_hash != previous:
            return Verdict(False, checked, "",
                           f"{where()}与前一条记录的哈希不相连：前一条记录被改动、删除，或这一条是插入的")
        if event_hash(event) != event.hash:
            return Verdict(False, checked, "", f"{where()}的内容已被改动（哈希不符）")
        previous, expected, checked = event.hash, expected + 1, checked + 1
    return Verdict(True, checked, previous, f"审计记录完好：共 {checked} 条，哈希链首尾相连，末条哈希 {previous}")


def _purge_cuts(AuditEvent, Action) -> list[dict]:
    return [change for changes in AuditEvent.objects.filter(action=Action.PURGE).values_list("changes", flat=True)
            for change in changes if "through_sequence" in change]
