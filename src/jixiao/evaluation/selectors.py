"""Reading self-evaluations, always from the user's scope (accounts/scope.py): the year's list and one
evaluation with its rows and audit trail."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import F, Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.models import Role, User
from jixiao.accounts.permissions import role_of
from jixiao.accounts.scope import unit_filter
from jixiao.audit.models import AuditEvent
from jixiao.evaluation.models import EvaluationIndicator, SelfEvaluation
from jixiao.evaluation.services import VIEW, evaluation_check
from jixiao.tracking import models as tracking
from jixiao.tracking.inbox import InboxTask
from jixiao.tracking.models import Status


@dataclass(frozen=True)
class EvaluationRow:
    project: tracking.Project
    evaluation: SelfEvaluation | None
    has_form: bool  # a tracking form exists to draft from


def evaluation_years() -> list[int]:
    return list(tracking.FiscalYear.objects.order_by("-year").values_list("year", flat=True))


def year_id(year: int) -> int:
    return tracking.FiscalYear.objects.values_list("pk", flat=True).get(year=year)


def evaluations_of_year(*, user: User, year: int) -> list[EvaluationRow]:
    """Every project of ``year`` in the user's scope with its self-evaluation, if any (three queries)."""
    evaluation_check(user, VIEW)
    projects = list(tracking.Project.objects.filter(unit_filter(user), fiscal_year__year=year)
                    .select_related("unit", "unit__parent").order_by("unit__parent__name", "unit__name", "name"))
    evaluations = {e.project_id: e for e in SelfEvaluation.objects.filter(unit_filter(user), fiscal_year__year=year)}
    with_forms = set(tracking.TrackingReport.objects.filter(unit_filter(user), project__fiscal_year__year=year)
                     .values_list("project_id", flat=True).distinct())
    return [EvaluationRow(p, evaluations.get(p.pk), p.pk in with_forms) for p in projects]


def evaluation_detail(*, user: User, pk: int) -> SelfEvaluation:
    """One self-evaluation with its project, unit and rows; 404 when it is not in the user's scope."""
    try:
        evaluation = (SelfEvaluation.objects.select_related("project", "fiscal_year", "unit", "unit__parent",
                                                            "returned_by", "source_report__period")
                      .prefetch_related(Prefetch("indicators",
                                                 queryset=EvaluationIndicator.objects.order_by("position")))
                      .get(pk=pk))
    except SelfEvaluation.DoesNotExist:
        raise Http404(_("没有这份绩效自评表，或您无权查看")) from None
    evaluation_check(user, VIEW, evaluation)
    return evaluation


def evaluation_events(evaluation: SelfEvaluation, *, limit: int = 50) -> list[AuditEvent]:
    """The evaluation's audit trail, newest first (its subject names it)."""
    return list(AuditEvent.objects.filter(subject=str(evaluation)).order_by("-at", "-pk")[:limit])


# 待办 (tracking/inbox.py): the self-evaluations waiting for a user, in the forms' workflow and roles.
_WAITING = {
    Role.UNIT: (Status.DRAFT,),
    Role.DEPARTMENT: (Status.SUBMITTED,),
    Role.FINANCE: (Status.DEPARTMENT_APPROVED, Status.FINANCE_APPROVED),
}
_TASK_LABELS = {
    Status.DRAFT: "填写并送审绩效自评表", Status.SUBMITTED: "审核绩效自评表",
    Status.DEPARTMENT_APPROVED: "审核绩效自评表", Status.FINANCE_APPROVED: "公开绩效自评表",
}
_RETURNED = "修改退回的绩效自评表"
TASK_LIMIT = 50  # the inbox lists at most this many; the list page has them all


def _waiting(user: User):
    states = _WAITING.get(role_of(user)) if user.is_authenticated else None
    if states is None or not permissions.can(user, permissions.EVALUATIONS):
        return None
    return SelfEvaluation.objects.filter(unit_filter(user), state__in=states)


def evaluation_tasks(user: User) -> list[InboxTask]:
    rows = _waiting(user)
    if rows is None:
        return []
    # Returned ones first (newest return first), then as the list orders them.
    ordered = rows.select_related("project", "unit", "fiscal_year").order_by(
        F("returned_at").desc(nulls_last=True), "state", "project__name", "pk")[:TASK_LIMIT]
    return [InboxTask(label=_RETURNED if e.returned_at and e.state == Status.DRAFT else _TASK_LABELS[e.state],
                      subject=str(e), url=reverse("evaluation:detail", args=[e.pk])) for e in ordered]


def evaluation_tasks_count(user: User) -> int:
    rows = _waiting(user)
    return 0 if rows is None else rows.count()
