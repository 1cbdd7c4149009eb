"""Writing audit events: the one function every audited service calls."""

from __future__ import annotations

from django.utils import timezone

from jixiao.audit.chain import append
from jixiao.audit.context import client_ip
from jixiao.audit.models import AuditEvent


def audit_record(
    *,
    action: str,
    user=None,
    report=None,
    changes=(),
    comment: str = "",
    subject: str = "",
    state_before: str = "",
    state_after: str = "",
    username: str = "",
    ip: str | None = None,
) -> AuditEvent:
    """Record one event. ``changes`` are diffing.Change objects (label, old, new) or dicts."""
    actor = user if user is not None and getattr(user, "is_authenticated", False) else None
    rows = [
        change if isinstance(change, dict) else {"field": change.label, "before": change.old, "after": change.new}
        for change in changes
    ]
    if report is not None and not subject:
        subject = f"{report.project.name}（{report.period}）第{report.version}版"
    event = AuditEvent(
        at=timezone.now(),
        actor=actor,
        actor_name=username or (actor.get_username() if actor else ""),
        ip=ip if ip is not None else client_ip(),
        action=action,
        report=report,
        subject=subject[:400],
        revision=report.revision if report is not None else None,
        changes=rows,
        comment=comment,
        state_before=state_before,
        state_after=state_after,
    )
    append(event)  # at the end of the hash chain, under its lock
    return event
