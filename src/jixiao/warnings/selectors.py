"""Reading warnings, always from the user's scope (accounts/scope.py): the register, one warning, its files
and audit trail, the forms a warning may be issued on, and the 待办 they give (tracking/inbox.py)."""

from __future__ import annotations

from django.db.models import BooleanField, Count, ExpressionWrapper, Prefetch, Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.models import User
from jixiao.accounts.scope import unit_filter
from jixiao.audit.models import AuditEvent
from jixiao.domain import warning_workflow as flow
from jixiao.tracking.inbox import InboxTask
from jixiao.tracking.models import TrackingReport
from jixiao.tracking.selectors import current_reports_in_scope
from jixiao.warnings.models import WarningAttachment, WarningNotice
from jixiao.warnings.services import NOT_FOUND, VIEW, warning_check

TASK_LIMIT = 50  # the inbox lists at most this many; the register has them all


def warnings_in_scope(user: User) -> QuerySet[WarningNotice]:
    return WarningNotice.objects.filter(unit_filter(user))


def warning_register(*, user: User, period: int | None = None, department: int | None = None,
                     state: str = "", overdue: bool = False) -> QuerySet[WarningNotice]:
    """The register: the warnings in scope that the filters select (``register_rows`` for a page of them)."""
    warning_check(user, VIEW)
    rows = warnings_in_scope(user)
    if period:
        rows = rows.filter(period_id=period)
    if department:
        rows = rows.filter(unit__parent_id=department)
    if state:
        rows = rows.filter(state=state)
    if overdue:
        rows = rows.filter(state=flow.OPEN, deadline__lt=timezone.localdate())
    return rows


def register_rows(rows: QuerySet[WarningNotice]) -> QuerySet[WarningNotice]:
    """The register's rows for a page: with their unit, department, period, issuer and number of forms."""
    return (rows.select_related("unit", "unit__parent", "period", "issuer", "issuer_organisation")
            .annotate(form_count=Count("reports")).order_by("-created_at", "-pk"))


def state_counts(rows: QuerySet[WarningNotice]) -> dict[str, int]:
    grouped = rows.order_by().values_list("state").annotate(n=Count("pk"))
    counted = dict(grouped.values_list("state", "n"))
    return {state: counted.get(state, 0) for state in flow.STATES}


def department_counts(rows: QuerySet[WarningNotice]) -> list[dict]:
    """Per department (the warned units' parent): how many warnings in each state and how many overdue
    (one query)."""
    late = Q(state=flow.OPEN, deadline__lt=timezone.localdate())
    grouped = (rows.order_by("unit__parent__name").values("unit__parent_id", "unit__parent__name")
               .annotate(total=Count("pk"), overdue=Count("pk", filter=late),
                         **{state: Count("pk", filter=Q(state=state)) for state in flow.STATES}))
    return [{"department": row["unit__parent__name"] or "", "department_id": row["unit__parent_id"],
             "total": row["total"], "overdue": row["overdue"], "states": [row[state] for state in flow.STATES]}
            for row in grouped]


def warning_detail(*, user: User, pk: int) -> WarningNotice:
    """One warning with its forms and files (not their bytes); 404 when it is not in the user's scope."""
    try:
        warning = (WarningNotice.objects.select_related("unit", "unit__parent", "period", "issuer",
                                                        "issuer_organisation", "answered_by", "done_by", "closed_by")
                   .prefetch_related(Prefetch("reports", queryset=TrackingReport.objects.select_related("project")
                                              .order_by("project__name")),
                                     Prefetch("attachments", queryset=WarningAttachment.objects.defer("data")
                                              .select_related("uploaded_by")))
                   .get(pk=pk))
    except WarningNotice.DoesNotExist:
        raise Http404(_(NOT_FOUND)) from None
    warning_check(user, VIEW, warning)
    return warning


def warning_events(warning: WarningNotice, *, limit: int = 50) -> list[AuditEvent]:
    """The warning's audit trail, newest first (its subjects name it)."""
    return list(AuditEvent.objects.filter(subject__startswith=warning.subject_prefix).order_by("-at", "-pk")[:limit])


def warning_attachment(*, user: User, pk: int, file_pk: int) -> WarningAttachment:
    warning = warning_detail(user=user, pk=pk)
    try:
        return WarningAttachment.objects.get(warning=warning, pk=file_pk)
    except WarningAttachment.DoesNotExist:
        raise Http404(_("没有这个附件")) from None


def report_warnings(*, user: User, report: TrackingReport) -> list[WarningNotice]:
    """The warnings on one form (for its page), newest first."""
    return list(warnings_in_scope(user).filter(reports=report).select_related("period", "unit"))


def issue_candidates(*, user: User, period: int | None = None, report_ids: list[int] = ()) -> list[TrackingReport]:
    """The forms a warning may be issued on: the chosen ones in scope, or every form of a period (red lights
    first: the ones the page ticks)."""
    warning_check(user, "issue")
    rows = current_reports_in_scope(user).select_related("project", "unit", "unit__parent", "period")
    if report_ids:
        rows = rows.filter(pk__in=report_ids)
    elif period:
        rows = rows.filter(period_id=period)
    else:
        return []
    open_warned = WarningNotice.objects.exclude(state=flow.CLOSED).filter(reports__pk__in=rows.values("pk"))
    warned = set(open_warned.values_list("reports__pk", flat=True))
    found = list(rows.order_by("-light_rank", "unit__parent__name", "unit__name", "project__name"))
    for report in found:
        report.already_warned = report.pk in warned
    return found


# ---- 待办 (registered with tracking/inbox.py in apps.py) ----

def _waiting(user: User) -> QuerySet[WarningNotice] | None:
    """The warnings waiting for ``user``: the unit's to answer or report done; the issuer's to close."""
    role = permissions.role_of(user)
    if not user.is_authenticated or role not in (*flow.ISSUING_ROLES, "unit"):
        return None
    rows = warnings_in_scope(user)
    if role == "unit":
        return rows.filter(state__in=(flow.OPEN, flow.ANSWERED))
    return rows.filter(state=flow.RECTIFIED, issuer_role=role, issuer_organisation_id=user.organisation_id)


_TASK_LABELS = {flow.OPEN: "答复预警的整改措施", flow.ANSWERED: "报告整改完成情况",
                flow.RECTIFIED: "审核整改完成情况并关闭预警"}


def warning_tasks(user: User) -> list[InboxTask]:
    rows = _waiting(user)
    if rows is None:
        return []
    today = timezone.localdate()
    late = ExpressionWrapper(Q(state=flow.OPEN, deadline__lt=today), output_field=BooleanField())
    overdue_first = rows.annotate(late=late).order_by("-late", "deadline", "pk")
    return [InboxTask(label=_TASK_LABELS[w.state], subject=str(w), url=reverse("warnings:detail", args=[w.pk]),
                      due=w.deadline if w.state == flow.OPEN else None, overdue=w.is_overdue)
            for w in overdue_first.select_related("unit", "period")[:TASK_LIMIT]]


def warning_tasks_count(user: User) -> int:
    rows = _waiting(user)
    return 0 if rows is None else rows.count()
