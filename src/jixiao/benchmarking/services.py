"""Writing finance's decision on a budget adjustment proposal: accept (采纳) or reject (不采纳), with a reason.

One transaction, the permission check (accounts/permissions.py ``PROPOSALS_DECIDE``: finance), and one
audit event (PROPOSAL_ACCEPT / PROPOSAL_REJECT) naming the project, the point and the figures. Out of
scope: 404; another role: 403; a form that is not the point's current one, no proposal (nothing expected
to stay unspent) or a decision already taken: 409 (TransitionRefused).
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.models import User
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.benchmarking import selectors
from jixiao.benchmarking.models import Decision, ProposalDecision
from jixiao.domain.workflow import TransitionRefused
from jixiao.tracking import models as tracking

ACCEPT, REJECT = "accept", "reject"
DECISIONS = {ACCEPT: Decision.ACCEPTED, REJECT: Decision.REJECTED}
_AUDIT = {ACCEPT: Action.PROPOSAL_ACCEPT, REJECT: Action.PROPOSAL_REJECT}
REASON_LIMIT = 2000


def proposal_decide(*, user: User, report_id: int, decision: str, reason: str) -> ProposalDecision:
    """Record finance's ``decision`` (accept/reject) on the proposal of form ``report_id``."""
    permissions.check(user, permissions.PROPOSALS)
    with transaction.atomic():
        try:
            report = (tracking.TrackingReport.objects.select_for_update(of=("self",))
                      .select_related("project", "period", "unit", "unit__parent").get(pk=report_id))
        except tracking.TrackingReport.DoesNotExist:
            raise Http404(_("没有这张跟踪表，或您无权查看")) from None
        if not permissions.in_scope(user, report):
            raise Http404(_("没有这张跟踪表，或您无权查看"))
        permissions.check(user, permissions.PROPOSALS_DECIDE)
        reason = (reason or "").replace("\x00", "").strip()
        if decision not in DECISIONS:
            raise ValueError(_("处理结果只能是“采纳”或“不采纳”"))
        if not reason:
            raise ValueError(_("请填写采纳或不采纳的理由"))
        if len(reason) > REASON_LIMIT:
            raise ValueError(_("理由不能超过 %(n)d 个字") % {"n": REASON_LIMIT})
        if not report.is_latest:
            raise TransitionRefused(_("这是旧版本的跟踪表，请在最新版本上处理调整建议"))
        if ProposalDecision.objects.filter(project_id=report.project_id, period_id=report.period_id).exists():
            raise TransitionRefused(_("该项目本跟踪期的调整建议已处理，不能重复处理"))
        made = selectors.proposal_of_report(user=user, report=report)
        if made is None:
            raise TransitionRefused(_("该项目预计年末没有需要调整的结余，没有调整建议"))
        saved = ProposalDecision.objects.create(
            project=report.project, period=report.period, report=report, unit=report.unit,
            amount_unit=report.amount_unit, budget=made.budget, forecast=made.forecast,
            expected_balance=made.expected_balance, action=made.action, decision=DECISIONS[decision],
            reason=reason, decided_by=user, decided_at=timezone.now())
        audit_record(
            action=_AUDIT[decision], user=user, report=report, comment=reason,
            subject=f"{report.project.name}（{report.unit.name}，{report.period.start} 至 {report.period.end}）"
                    f"预算调整建议：{made.action_label} {made.expected_balance}{report.amount_unit}",
            changes=[{"field": "预计结余", "before": "", "after": f"{made.expected_balance}{report.amount_unit}"},
                     {"field": "建议", "before": "", "after": made.action_label},
                     {"field": "处理结果", "before": "待处理", "after": saved.get_decision_display()}],
            state_before=selectors.PENDING, state_after=saved.decision)
    return saved
