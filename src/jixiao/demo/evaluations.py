"""The demo's year-end self-evaluations (绩效自评): each project of the demo unit drafted from its last
tracking form (scores as docs/SCORING.md); 宣传费 taken through review to 已公开, 政府购买辅助服务 submitted
with a word on its warning (high scores, nothing spent), the others left as drafts with their findings.
A second run changes nothing."""

from __future__ import annotations

from jixiao.accounts import permissions
from jixiao.evaluation.models import SelfEvaluation
from jixiao.evaluation.services import evaluation_draft, evaluation_step
from jixiao.tracking.models import Project

PUBLISHED = "宣传费"
SUBMITTED = "政府购买辅助服务"
STEPS = (("demo-unit", "submit"), ("demo-department", "approve"), ("demo-finance", "approve"),
         ("demo-finance", "publish"))


def demo_evaluations(users: dict, *, year: int) -> int:
    """Self-evaluations for the demo unit's projects of ``year`` that have none; returns how many were made."""
    made = 0
    for project in Project.objects.filter(fiscal_year__year=year).select_related("unit", "unit__parent"):
        if not permissions.in_scope(users["demo-unit"], project) or SelfEvaluation.objects.filter(
                project=project).exists() or not project.reports.exists():
            continue
        evaluation = evaluation_draft(user=users["demo-unit"], project_id=project.pk)
        steps = STEPS if project.name == PUBLISHED else STEPS[:1] if project.name == SUBMITTED else ()
        for who, action in steps:
            evaluation = evaluation_step(evaluation_id=evaluation.pk, user=users[who], action=action,
                                         comment="资金将于年底前按合同结算支付，各项工作已按计划完成。")
        made += 1
    return made
