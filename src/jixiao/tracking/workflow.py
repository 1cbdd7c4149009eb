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
from jixiao.domain.workflow import Reason, TransitionRefused
from jixiao.tracking import mapping, models
from jixiao.tracking.caching import data_changed
from jixiao.tracking.summaries import summaries_refresh


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
    summaries_refresh([(row.unit_id, row.period_id)])
    audit_record(action=action, user=user, report=row, comment=comment, state_before=before, state_after=row.status)
    data_changed()  # lists and roll-ups show the state
    return row


def _open_findings(row: models.TrackingReport) -> list[workflow.OpenFinding]:
    """The stored findings in the form page's order (its numbering), with their indicators' reasons."""
    reasons = {indicator.position: indicator.deviation_reason for indicator in row.indicators.all()}
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
    _refuse_unless_ready(row, action=workflow.SUBMIT, comment=comment)
    row.submit_comment = comment.strip()
    row.return_comment, row.returned_at, row.returned_by = "", None, None
    return _finish(row, user=user, action=Action.SUBMIT, before=before, comment=row.submit_comment,
                   fields=("submit_comment", "return_comment", "returned_at", "returned_by"))


def _step_refusals(row: models.TrackingReport, *, action: str, comment: str) -> list[Reason]:
    """What the step itself needs beyond the state machine: a submission its findings dealt with,
    a return its comment."""
    if action == workflow.SUBMIT:
        return workflow.submission_refusals(_open_findings(row), comment)
    if action == workflow.RETURN and not comment.strip():
        return [Reason(_("退回必须填写退回意见，说明需要修改什么"), field="comment")]
    return []


def _refuse_unless_ready(row: models.TrackingReport, *, action: str, comment: str) -> None:
    reasons = _step_refusals(row, action=action, comment=comment)
    if reasons:
        raise TransitionRefused.because(reasons)


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
    _refuse_unless_ready(row, action=workflow.RETURN, comment=comment)
    row.return_comment = comment.strip()
    row.returned_at = timezone.now()
    row.returned_by = user
    return _finish(row, user=user, action=Action.RETURN, before=before, comment=row.return_comment,
                   fields=("return_comment", "returned_at", "returned_by"))


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
    new.return_comment, new.returned_at, new.returned_by, new.submit_comment = "", None, None, ""
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
    summaries_refresh([(new.unit_id, new.period_id)])
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
    reasons: tuple[Reason, ...] = ()
    visible: bool = False  # within the user's scope: the form may be linked to


def reports_bulk_transition(*, report_ids: list[int], user: User, action: str, comment: str = "") -> list[BulkResult]:
    """The same step on many forms, each checked and saved on its own: one refusal stops no other."""
    results = []
    for report_id in dict.fromkeys(report_ids):
        row = models.TrackingReport.objects.select_related("project", "period", "unit").filter(pk=report_id).first()
        label, visible = _label(user, row, report_id), row is not None and permissions.in_scope(user, row)
        try:
            done = report_transition(report_id=report_id, user=user, action=action, comment=comment)
        except (TransitionRefused, PermissionDenied, Http404) as refused:
            reasons = _reasons_of(refused)
            message = "；".join(r.message for r in reasons)
            results.append(BulkResult(report_id, label, False, message, reasons, visible))
        else:
            results.append(BulkResult(report_id, label, True, done.get_status_display(), visible=visible))
    return results


def _label(user: User, row: models.TrackingReport | None, report_id: int) -> str:
    if row is not None and permissions.in_scope(user, row):
        return str(row)
    return _("第 %(id)s 号跟踪表") % {"id": report_id}


def _reasons_of(refused: Exception) -> tuple[Reason, ...]:
    if isinstance(refused, TransitionRefused):
        return refused.reasons
    return (Reason(str(refused) or _("无权操作")),)


@dataclass(frozen=True)
class PlannedStep:
    """One form of a step about to be taken: done unless ``reasons`` says why not."""

    report_id: int
    label: str
    report: models.TrackingReport | None
    reasons: tuple[Reason, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.reasons

    @property
    def visible(self) -> bool:
        return self.report is not None


@dataclass(frozen=True)
class StepPreview:
    """What a step would do, for the confirmation page: which forms, how many red lights and warnings."""

    action: str
    steps: list[PlannedStep]

    @property
    def ready(self) -> list[PlannedStep]:
        return [step for step in self.steps if step.ok]

    @property
    def refused(self) -> list[PlannedStep]:
        return [step for step in self.steps if not step.ok]

    @property
    def red(self) -> int:
        return sum(1 for step in self.ready if step.report.light == models.Light.RED)

    @property
    def warnings(self) -> int:
        return sum(step.report.warning_count for step in self.ready)

    @property
    def summary(self) -> str:
        """"3 张表，其中 1 张红灯、4 个警告" for the forms the step would be done on."""
        count = len(self.ready)
        notes = [f"{self.red} 张红灯"] if self.red else []
        notes += [f"{self.warnings} 个警告"] if self.warnings else []
        return f"{count} 张表，其中 {'、'.join(notes)}" if notes else f"{count} 张表，均无红灯和警告"

    def needs_confirmation(self, *, bulk: bool) -> bool:
        """Publishing and every bulk step are confirmed first, and so is a submission with warnings
        (the reviewers will read them); a step refused for every form has nothing to confirm."""
        if not self.ready:
            return False
        return bulk or self.action == workflow.PUBLISH or (self.action == workflow.SUBMIT and self.warnings > 0)


def transition_preview(*, report_ids: list[int], user: User, action: str, comment: str = "") -> StepPreview:
    """What ``reports_bulk_transition`` (or one step) would do, checked by the same rules, writing nothing.

    A fixed number of queries for any number of forms (the forms, their findings, their indicators)."""
    ids = list(dict.fromkeys(report_ids))
    rows = {
        row.pk: row
        for row in models.TrackingReport.objects.select_related("project", "period", "unit__parent")
        .prefetch_related("findings", "indicators")
        .filter(pk__in=ids)
    }
    steps = []
    for report_id in ids:
        row = rows.get(report_id)
        label = _label(user, row, report_id)
        try:
            if row is None:
                raise Http404(_("没有这张跟踪表，或您无权查看"))
            permissions.check(user, action, row)
            reasons = tuple(_step_refusals(row, action=action, comment=comment))
        except (TransitionRefused, PermissionDenied, Http404) as refused:
            reasons = _reasons_of(refused)
        visible = row if row is not None and permissions.in_scope(user, row) else None
        steps.append(PlannedStep(report_id, label, visible, reasons))
    return StepPreview(action, steps)
