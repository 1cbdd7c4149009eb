"""The review workflow's services: submit, withdraw, return, approve, publish and correct.

Each locks the form, checks the user's permission (``accounts.permissions``) and the state
machine (``domain.workflow``), changes the state and writes an audit record, all in one
transaction. Refusals raise ``TransitionRefused`` (a Chinese message for the user),
``PermissionDenied`` or ``Http404``; the bulk service turns them into one result per form.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.models import User
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.domain import workflow
from jixiao.domain.workflow import TransitionRefused
from jixiao.tracking import mapping, models
from jixiao.tracking.caching import data_changed


def _locked(report_id: int) -> models.TrackingReport:
    row = (
        models.TrackingReport.objects.select_for_update(of=("self",))
        .select_related("project", "period", "unit")
        .filter(pk=report_id)
        .first()
    )
    if row is None:
        raise Http404(_("没有这张跟踪表，或您无权查看"))
    return row


def _move(row: models.TrackingReport, *, user: User, action: str) -> models.TrackingReport:
    permissions.check(user, action, row)
    row.status = workflow.transition(row.status, action, permissions.role_of(user))
    row.status_changed_at = timezone.now()
    return row


def _finish(row, *, user, action, before, comment="", fields=()) -> models.TrackingReport:
    row.save(update_fields=["status", "status_changed_at", *fields])
    audit_record(action=action, user=user, report=row, comment=comment, state_before=before, state_after=row.status)
    data_changed()  # lists and roll-ups show the state
    return row


def _open_findings(row: models.TrackingReport) -> list[workflow.OpenFinding]:
    reasons = dict(row.indicators.values_list("position", "deviation_reason"))
    return [
        workflow.OpenFinding(
            severity=finding.severity,
            message=finding.message,
            indicator=finding.indicator,
            deviation_reason=reasons.get(finding.indicator_index) if finding.indicator_index is not None else None,
        )
        for finding in mapping.stored_findings(row)
    ]


@transaction.atomic
def report_submit(*, report_id: int, user: User, comment: str = "") -> models.TrackingReport:
    """送审: refused while errors remain or a warning has no explanation."""
    row = _locked(report_id)
    before = row.status
    _move(row, user=user, action=workflow.SUBMIT)
    problems = workflow.submission_problems(_open_findings(row), comment)
    if problems:
        raise TransitionRefused("；".join(problems))
    row.submit_comment = comment.strip()
    row.return_comment = ""
    return _finish(row, user=user, action=Action.SUBMIT, before=before, comment=row.submit_comment,
                   fields=("submit_comment", "return_comment"))


@transaction.atomic
def report_withdraw(*, report_id: int, user: User, comment: str = "") -> models.TrackingReport:
    """撤回: the unit takes back a submitted form before the department has acted on it."""
    row = _locked(report_id)
    before = row.status
    _move(row, user=user, action=workflow.WITHDRAW)
    return _finish(row, user=user, action=Action.WITHDRAW, before=before, comment=comment.strip())


@transaction.atomic
def report_return(*, report_id: int, user: User, comment: str) -> models.TrackingReport:
    """退回: back to draft, with the reason the unit will see."""
    row = _locked(report_id)
    before = row.status
    _move(row, user=user, action=workflow.RETURN)
    if not comment.strip():
        raise TransitionRefused(_("退回必须填写退回意见，说明需要修改什么"))
    row.return_comment = comment.strip()
    row.returned_at = timezone.now()
    return _finish(row, user=user, action=Action.RETURN, before=before, comment=row.return_comment,
                   fields=("return_comment", "returned_at"))


@transaction.atomic
def report_approve(*, report_id: int, user: User, comment: str = "") -> models.TrackingReport:
    """审核通过: by the department first, then by the finance bureau."""
    row = _locked(report_id)
    before = row.status
    _move(row, user=user, action=workflow.APPROVE)
    return _finish(row, user=user, action=Action.APPROVE, before=before, comment=comment.strip())


@transaction.atomic
def report_publish(*, report_id: int, user: User, comment: str = "") -> models.TrackingReport:
    """公开: the form becomes what the public sees for its project and period, replacing an older version."""
    row = _locked(report_id)
    before = row.status
    _move(row, user=user, action=workflow.PUBLISH)
    models.TrackingReport.objects.filter(project_id=row.project_id, period_id=row.period_id).exclude(
        pk=row.pk
    ).update(public_current=False)
    row.public_current = True
    row.published_at = timezone.now()
    return _finish(row, user=user, action=Action.PUBLISH, before=before, comment=comment.strip(),
                   fields=("public_current", "published_at"))


@transaction.atomic
def report_correct(*, report_id: int, user: User, comment: str = "") -> models.TrackingReport:
    """更正: a published form stays as it is; a copy becomes the new draft version to correct and review."""
    row = _locked(report_id)
    permissions.check(user, workflow.CORRECT, row)
    lines, indicators, findings = list(row.budget_lines.all()), list(row.indicators.all()), list(row.findings.all())
    row.is_latest = False
    row.save(update_fields=["is_latest"])
    new = models.TrackingReport.objects.get(pk=row.pk)
    new.pk = None
    new._state.adding = True
    new.version, new.previous_id, new.is_latest = row.version + 1, row.pk, True
    new.status, new.status_changed_at = workflow.DRAFT, timezone.now()
    new.public_current, new.published_at = False, None
    new.return_comment, new.returned_at, new.submit_comment = "", None, ""
    new.revision = 1
    new.updated_by = user
    new.save()
    for children in (lines, indicators, findings):
        for child in children:
            child.pk = None
            child.report = new
    models.BudgetLine.objects.bulk_create(lines)
    models.Indicator.objects.bulk_create(indicators)
    models.Finding.objects.bulk_create(findings)
    audit_record(
        action=Action.CORRECT, user=user, report=new, comment=comment.strip(),
        state_before=workflow.PUBLISHED, state_after=workflow.DRAFT,
    )
    data_changed()
    return new


SERVICES = {
    workflow.SUBMIT: report_submit,
    workflow.WITHDRAW: report_withdraw,
    workflow.RETURN: report_return,
    workflow.APPROVE: report_approve,
    workflow.PUBLISH: report_publish,
    workflow.CORRECT: report_correct,
}


def report_transition(*, report_id: int, user: User, action: str, comment: str = "") -> models.TrackingReport:
    service = SERVICES.get(action)
    if service is None:
        raise PermissionDenied(_("没有这个操作"))
    return service(report_id=report_id, user=user, comment=comment)


@dataclass(frozen=True)
class BulkResult:
    report_id: int
    label: str
    ok: bool
    message: str


def reports_bulk_transition(*, report_ids: list[int], user: User, action: str, comment: str = "") -> list[BulkResult]:
    """The same step on many forms, each checked and saved on its own: one refusal stops no other."""
    results = []
    for report_id in dict.fromkeys(report_ids):
        row = models.TrackingReport.objects.select_related("project", "period", "unit").filter(pk=report_id).first()
        label = str(row) if row is not None and permissions.in_scope(user, row) else _("第 %(id)s 号跟踪表") % {
            "id": report_id
        }
        try:
            done = report_transition(report_id=report_id, user=user, action=action, comment=comment)
        except (TransitionRefused, PermissionDenied, Http404) as refused:
            message = refused.message if isinstance(refused, TransitionRefused) else str(refused)
            results.append(BulkResult(report_id, label, False, message or _("无权操作")))
        else:
            results.append(BulkResult(report_id, label, True, done.get_status_display()))
    return results
