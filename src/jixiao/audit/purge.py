"""Deleting audit events past their retention (JIXIAO_AUDIT_RETENTION_DAYS, never under 180 days).

The only way events ever leave the trail: the oldest, in one piece from the start of the chain, and
the purge is itself an event that records where the remaining chain begins (the last deleted
sequence and its hash), so ``verify`` can tell a purge from a deletion. Unset: nothing is deleted.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from jixiao.audit.models import Action, AuditEvent

MINIMUM_DAYS = 180


def audit_purge(*, now=None) -> int:
    """Delete the events older than the retention period; returns how many. 0 when retention is unset."""
    days = settings.JIXIAO_AUDIT_RETENTION_DAYS
    if not days:
        return 0
    if days < MINIMUM_DAYS:  # settings refuse this already; kept so no caller can shorten it
        raise ValueError(f"审计记录保存期限不能少于 {MINIMUM_DAYS} 天")
    cutoff = (now or timezone.now()) - timedelta(days=days)
    from jixiao.audit.services import audit_record

    with transaction.atomic():
        last = (AuditEvent.objects.filter(at__lt=cutoff).exclude(sequence=None).order_by("-sequence")
                .values_list("sequence", "hash").first())
        if last is None:
            return 0
        through, last_hash = last
        count = AuditEvent.objects.filter(sequence__lte=through).count()
        # Recorded first, so the purge follows the chain's head; then the start of the chain goes.
        audit_record(action=Action.PURGE, subject=f"审计记录（{cutoff:%Y-%m-%d} 之前）",
                     comment=f"按保存期限 {days} 天删除了 {count} 条过期审计记录",
                     changes=[{"field": "保存期限", "before": "", "after": f"{days} 天",
                               "through_sequence": through, "hash": last_hash}])
        table = connection.ops.quote_name(AuditEvent._meta.db_table)
        with connection.cursor() as cursor:  # past the model's refusal to delete, on purpose and only here
            cursor.execute(f"DELETE FROM {table} WHERE sequence <= %s", [through])
    return count
