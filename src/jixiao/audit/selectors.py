"""Reads of the audit trail: a form's history and the filterable list for the finance bureau."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import F, QuerySet
from django.utils import timezone

from jixiao.audit.models import Action, AuditEvent


def report_history(*, report) -> QuerySet[AuditEvent]:
    """Every event on any version of the report's project and period, oldest first, each with its form's
    ``report_version`` (the version alone: the page shows nothing else of the form's row)."""
    return AuditEvent.objects.filter(
        report__project_id=report.project_id, report__period_id=report.period_id
    ).annotate(report_version=F("report__version")).order_by("at", "pk")


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    user: str = ""
    q: str = ""
    since: date | None = None
    until: date | None = None
    report: int | None = None


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def audit_events(*, filters: AuditFilters) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.select_related("report")
    if filters.action in Action.values:
        events = events.filter(action=filters.action)
    if filters.user.strip():
        events = events.filter(actor_name__icontains=filters.user.strip())
    if filters.q.strip():
        events = events.filter(subject__icontains=filters.q.strip())
    if filters.since:
        events = events.filter(at__gte=_start_of(filters.since))
    if filters.until:
        events = events.filter(at__lt=_start_of(filters.until + timedelta(days=1)))
    if filters.report:
        events = events.filter(report_id=filters.report)
    return events.order_by("-at", "-pk")
