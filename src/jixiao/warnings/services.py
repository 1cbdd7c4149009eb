"""Writing warnings: issue them on chosen forms (one per unit and period), the unit's answer and completion
report with evidence, the issuer's closing and reopening.

Every write is one transaction, checks permissions (``warning_check``, on accounts/permissions.py and
domain/warning_workflow.py) and leaves one audit event per warning (audit/services.py) naming it.
Out of scope: 404; a role that may never: 403; a state that forbids the step: 409 (TransitionRefused).
An attachment refused by its size or kind refuses the whole step: nothing is stored.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.models import User
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.domain import warning_workflow as flow
from jixiao.domain.workflow import TransitionRefused
from jixiao.formats.attachments import AttachmentRefused, attachment_kind
from jixiao.formats.limits import megabytes
from jixiao.tracking.caching import data_changed
from jixiao.tracking.models import TrackingReport
from jixiao.warnings.models import WarningAttachment, WarningNotice

VIEW = "view"
ISSUE = "issue"
TEXT_LIMIT = 4000
NAME_LIMIT = 200
_AUDIT = {flow.ANSWER: Action.RECTIFY_ANSWER, flow.REPORT_DONE: Action.RECTIFY_DONE, flow.CLOSE: Action.WARNING_CLOSE,
          flow.REOPEN: Action.WARNING_REOPEN}
NOT_FOUND = "没有这份预警，或您无权查看"
# Where each step's text is kept, and its label in the audit trail.
_FIELDS = {flow.ANSWER: ("answer", "整改措施"), flow.REPORT_DONE: ("done_report", "整改完成情况"),
           flow.CLOSE: ("close_comment", "关闭意见"), flow.REOPEN: ("reopen_comment", "重新打开的原因")}


@dataclass(frozen=True)
class Upload:
    """A file the unit attaches: its name as sent and its bytes."""

    name: str
    data: bytes


@dataclass(frozen=True)
class Issued:
    warnings: list[WarningNotice]
    skipped: list[TrackingReport]  # forms that already have a warning not yet closed


def warning_check(user: User, action: str, warning: WarningNotice | None = None) -> None:
    """Raise unless ``user`` may do ``action`` (on ``warning``): 404 out of scope, 403 role, 409 state."""
    permissions.check(user, permissions.WARNINGS)
    role = permissions.role_of(user)
    if action == ISSUE:
        if not flow.may_issue(role) or user.organisation_id is None:
            raise PermissionDenied(_("只有财政部门和主管部门可以发出预警"))
        return
    if warning is None:
        return
    if not permissions.in_scope(user, warning):
        raise Http404(_(NOT_FOUND))
    if action == VIEW:
        return
    if not flow.warning_role_may(role, action):
        raise PermissionDenied(_("您的角色不能%(a)s") % {"a": flow.ACTION_LABELS.get(action, action)})
    if action in flow.ISSUER_ACTIONS and not flow.issuer_may(
            role=role, organisation_id=user.organisation_id, issuer_role=warning.issuer_role,
            issuer_organisation_id=warning.issuer_organisation_id):
        raise PermissionDenied(_("只有发出这份预警的%(o)s可以%(a)s") % {
            "o": warning.issuer_organisation.name, "a": flow.ACTION_LABELS[action]})
    flow.warning_transition(warning.state, action, role)


def warning_can(user: User, action: str, warning: WarningNotice | None = None) -> bool:
    try:
        warning_check(user, action, warning)
    except (PermissionDenied, Http404, TransitionRefused):
        return False
    return True


def _locked(warning_id: int) -> WarningNotice:
    try:
        return WarningNotice.objects.select_for_update(of=("self",)).select_related(
            "unit", "unit__parent", "period", "issuer_organisation").get(pk=warning_id)
    except WarningNotice.DoesNotExist:
        raise Http404(_(NOT_FOUND)) from None


def _clean(text: str) -> str:
    return text.replace("\x00", "").strip()[:TEXT_LIMIT]


def _form_list(reports: list[TrackingReport]) -> str:
    return "；".join(f"{r.project.name}（{r.get_light_display() or '未评'}）" for r in reports)


def _check_deadline(deadline: datetime.date) -> None:
    if deadline < timezone.localdate():
        raise TransitionRefused(_("答复期限 %(d)s 已过，请选择今天或以后的日期") % {"d": deadline.isoformat()})


@transaction.atomic
def warnings_issue(*, user: User, report_ids: list[int], problem: str, deadline: datetime.date) -> Issued:
    """预警通知 on the chosen forms: one warning per unit and period, listing its forms. Forms that already
    have a warning not yet closed are left out (and returned); every id must be a form in the user's scope."""
    warning_check(user, ISSUE)
    problem = _clean(problem)
    if not problem:
        raise TransitionRefused(_("请填写存在的问题"))
    _check_deadline(deadline)
    ids = sorted(set(report_ids))
    if not ids:
        raise TransitionRefused(_("请至少选择一张跟踪表"))
    reports = list(TrackingReport.objects.filter(pk__in=ids, is_latest=True)
                   .select_related("project", "unit", "unit__parent", "period").order_by("unit__name", "project__name"))
    if len(reports) != len(ids) or not all(permissions.in_scope(user, r) for r in reports):
        raise Http404(_("所选跟踪表中有不存在、不是最新版本或您无权查看的"))
    links = WarningNotice.reports.through.objects.filter(trackingreport_id__in=ids)
    warned = set(links.exclude(warningnotice__state=flow.CLOSED).values_list("trackingreport_id", flat=True))
    skipped = [r for r in reports if r.pk in warned]
    groups: dict[tuple[int, int], list[TrackingReport]] = defaultdict(list)
    for report in reports:
        if report.pk not in warned:
            groups[(report.unit_id, report.period_id)].append(report)
    if not groups:
        raise TransitionRefused(_("所选跟踪表都已有尚未关闭的预警，未重复发出"))
    issued = []
    for forms in groups.values():
        warning = WarningNotice.objects.create(
            period=forms[0].period, unit=forms[0].unit, issuer=user, issuer_role=permissions.role_of(user),
            issuer_organisation_id=user.organisation_id, problem=problem, deadline=deadline)
        warning.reports.set(forms)
        audit_record(action=Action.WARNING_ISSUE, user=user, subject=str(warning), comment=problem,
                     changes=[{"field": "跟踪表", "before": "", "after": _form_list(forms)},
                              {"field": "答复期限", "before": "", "after": deadline.isoformat()}],
                     state_after=warning.state)
        issued.append(warning)
    data_changed()  # the 待办 counts
    return Issued(issued, skipped)


def _attachments(warning: WarningNotice, step: str, uploads: list[Upload], user: User) -> list[WarningAttachment]:
    """The uploads as attachments (not yet saved); AttachmentRefused names the first file not taken."""
    limit, most = settings.JIXIAO_ATTACHMENT_MAX_BYTES, settings.JIXIAO_ATTACHMENTS_PER_STEP
    if len(uploads) > most:
        raise AttachmentRefused(_("一次最多附 %(n)s 个文件（本次 %(m)s 个），未保存") % {"n": most, "m": len(uploads)})
    rows = []
    for upload in uploads:
        name = upload.name.replace("\x00", "").strip()[-NAME_LIMIT:] or "附件"
        kind = attachment_kind(upload.data, name, limit=limit)
        rows.append(WarningAttachment(warning=warning, step=step, name=name, content_type=kind.content_type,
                                      size=len(upload.data), data=upload.data, uploaded_by=user))
    return rows


def read_limit() -> int:
    """How much of an uploaded file to read: one byte beyond the limit tells that it is too big."""
    return settings.JIXIAO_ATTACHMENT_MAX_BYTES + 1


def attachment_limit_text() -> str:
    return _("每个文件不超过 %(s)s，一次最多 %(n)s 个") % {"s": megabytes(settings.JIXIAO_ATTACHMENT_MAX_BYTES),
                                                      "n": settings.JIXIAO_ATTACHMENTS_PER_STEP}


@transaction.atomic
def warning_step(*, warning_id: int, user: User, action: str, text: str = "", uploads: list[Upload] = (),
                 deadline: datetime.date | None = None) -> WarningNotice:
    """One step: 答复整改措施 or 报告整改完成 (text and evidence files) by the unit; 关闭 or 重新打开
    (a reason required, and a new reply deadline if given) by the issuer. TransitionRefused (409) also for
    missing text, a past deadline or a refused file."""
    if action not in flow.ACTIONS:
        raise Http404(_("没有这个操作"))
    warning = _locked(warning_id)
    warning_check(user, action, warning)
    text = _clean(text)
    problem = flow.text_problem(action, text)
    if problem:
        raise TransitionRefused(problem)
    if deadline is not None:
        if action != flow.REOPEN:
            raise TransitionRefused(_("只有重新打开预警时可以改答复期限"))
        _check_deadline(deadline)
    uploads = list(uploads)
    if uploads and action not in (flow.ANSWER, flow.REPORT_DONE):
        raise TransitionRefused(_("只有答复整改措施和报告整改完成时可以附文件"))
    try:
        files = _attachments(warning, action, uploads, user)
    except AttachmentRefused as refused:
        raise TransitionRefused(refused.message) from None
    before = warning.state
    warning.state = flow.warning_transition(warning.state, action, permissions.role_of(user))
    now = timezone.now()
    field, label = _FIELDS[action]
    old = getattr(warning, field)
    setattr(warning, field, text)
    stamp = {flow.ANSWER: ("answered_at", "answered_by"), flow.REPORT_DONE: ("done_at", "done_by"),
             flow.CLOSE: ("closed_at", "closed_by"), flow.REOPEN: ("reopened_at", None)}[action]
    setattr(warning, stamp[0], now)
    if stamp[1]:
        setattr(warning, stamp[1], user)
    changes = [{"field": label, "before": old, "after": text}] if old != text else []
    if deadline is not None and deadline != warning.deadline:
        changes.append({"field": "答复期限", "before": warning.deadline.isoformat(), "after": deadline.isoformat()})
        warning.deadline = deadline
    warning.save()
    WarningAttachment.objects.bulk_create(files)
    changes += [{"field": "附件", "before": "", "after": f"{f.name}（{megabytes(f.size)}）"} for f in files]
    audit_record(action=_AUDIT[action], user=user, subject=str(warning), comment=text, changes=changes,
                 state_before=before, state_after=warning.state)
    data_changed()
    return warning
