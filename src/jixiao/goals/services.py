"""Writing annual performance goals: start, save, review steps, 调整 (a new version), copy forward.

Every write is one transaction, checks permissions (``goal_check``, on accounts/scope.py and
domain/goal_workflow.py) and leaves one audit event (audit/services.py) naming the goal.
Out of scope: 404; a role that may never: 403; a state that forbids the step: 409 (TransitionRefused).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.models import Role, User
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.domain import goal_workflow
from jixiao.domain.framework import DIRECTIONS, KINDS, grouped
from jixiao.domain.goal_sheet import GoalDeclaration, GoalRow
from jixiao.domain.model import FUNDING_LABELS, FUNDING_SOURCES
from jixiao.domain.notation import parse_target
from jixiao.domain.plans import suggested_direction, suggested_kind
from jixiao.domain.workflow import TransitionRefused
from jixiao.goals.models import GoalIndicator, PerformanceGoal
from jixiao.tracking import models as tracking

VIEW = "view"
EDIT = "edit"
COPY_FORWARD = "copy_forward"
COMMENT_LIMIT = 2000
INDICATOR_FIELDS = ("level1", "level2", "name", "target_text", "direction", "kind", "monthly_plan")
_AUDIT = {"submit": Action.SUBMIT, "withdraw": Action.WITHDRAW, "return": Action.RETURN, "approve": Action.APPROVE}


@dataclass
class GoalContent:
    """What a unit writes on a goal: the text, the budget by source and the indicator rows."""

    overall_goal: str = ""
    amount_unit: str = "万元"
    initial: dict[str, Decimal | None] = field(default_factory=dict)
    indicators: list[dict] = field(default_factory=list)


def goal_check(user: User, action: str, goal: PerformanceGoal | None = None) -> None:
    """Raise unless ``user`` may do ``action`` on ``goal`` (404 out of scope, 403 role, 409 state)."""
    permissions.check(user, permissions.GOALS)
    if goal is None:
        return
    if not permissions.in_scope(user, goal):
        raise Http404(_("没有这份绩效目标，或您无权查看"))
    role = permissions.role_of(user)
    if action == VIEW:
        return
    if action in (EDIT, COPY_FORWARD):
        if role != Role.UNIT:
            raise PermissionDenied(_("只有实施单位填写绩效目标"))
        if action == COPY_FORWARD:
            if not goal_workflow.is_approved(goal.state):
                raise TransitionRefused(_("只有财政审核通过的绩效目标可以复制到下一年度"))
            return
        if not goal.is_latest:
            raise TransitionRefused(_("这是旧版本，不能修改"))
        if not goal_workflow.goal_may_edit(goal.state, role):
            raise TransitionRefused(_("绩效目标当前为“%(s)s”，不能修改；只有草稿可以修改（审核通过后可“调整”）")
                                    % {"s": goal.get_state_display()})
        return
    if not goal_workflow.goal_role_may(role, action):
        raise PermissionDenied(_("您的角色不能%(a)s绩效目标") % {"a": goal_workflow.ACTION_LABELS.get(action, action)})
    if not goal.is_latest:
        raise TransitionRefused(_("这是旧版本，请在最新版本上操作"))
    try:
        goal_workflow.goal_transition(goal.state, action, role)
    except TransitionRefused as refused:
        if refused.forbidden:
            raise PermissionDenied(refused.message) from None
        raise


def goal_can_start(user: User) -> bool:
    """Whether the user writes goals (starts a project's first draft): the unit."""
    return user.is_authenticated and permissions.role_of(user) == Role.UNIT


def goal_can(user: User, action: str, goal: PerformanceGoal) -> bool:
    try:
        goal_check(user, action, goal)
    except (PermissionDenied, Http404, TransitionRefused):
        return False
    return True


def _locked(goal_id: int) -> PerformanceGoal:
    try:
        return PerformanceGoal.objects.select_for_update(of=("self",)).select_related(
            "project", "fiscal_year", "unit", "unit__parent").get(pk=goal_id)
    except PerformanceGoal.DoesNotExist:
        raise Http404(_("没有这份绩效目标，或您无权查看")) from None


# ---- contents: as a dict of labelled values, for the audit trail's before/after ----

def _snapshot(goal: PerformanceGoal, indicators: list[dict]) -> dict[str, str]:
    shown = {"年度总体目标": goal.overall_goal, "金额单位": goal.amount_unit}
    for source in FUNDING_SOURCES:
        value = goal.initial(source)
        shown[f"年初预算数·{FUNDING_LABELS[source]}"] = "" if value is None else format(value, "f")
    for number, row in enumerate(indicators, start=1):
        shown[f"绩效指标 {number}"] = "；".join([
            f"{row['level1']}/{row['level2']}/{row['name']}", row["target_text"],
            DIRECTIONS.get(row["direction"], row["direction"]), KINDS.get(row["kind"], row["kind"]),
            *(["月度计划 " + "、".join(str(v) for v in row["monthly_plan"])] if row.get("monthly_plan") else []),
        ])
    return shown


def _changes(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    return [{"field": name, "before": before.get(name, ""), "after": after.get(name, "")}
            for name in dict.fromkeys([*before, *after]) if before.get(name, "") != after.get(name, "")]


def _rows(goal: PerformanceGoal) -> list[dict]:
    return list(goal.indicators.order_by("position").values(*INDICATOR_FIELDS))


def _indicator(goal: PerformanceGoal, position: int, row: dict) -> GoalIndicator:
    target = parse_target(row["target_text"])
    return GoalIndicator(
        goal=goal, position=position, level1=row["level1"], level2=row["level2"], name=row["name"].strip(),
        target_text=target.text, target_comparator=target.comparator or "", target_value=target.value,
        target_unit=target.unit or "", direction=row["direction"], kind=row["kind"],
        monthly_plan=list(row.get("monthly_plan") or []),
    )


def _write(goal: PerformanceGoal, content: GoalContent) -> None:
    goal.overall_goal = content.overall_goal
    goal.amount_unit = content.amount_unit
    for source in FUNDING_SOURCES:
        setattr(goal, f"initial_{source}", content.initial.get(source))
    goal.save()
    goal.indicators.all().delete()
    rows = grouped(content.indicators, lambda row: (row["level1"] or "", row["level2"] or ""))
    GoalIndicator.objects.bulk_create(_indicator(goal, i, row) for i, row in enumerate(rows, 1))


def _copy(source: PerformanceGoal, **fields) -> PerformanceGoal:
    """A new goal (draft) with the contents of ``source``; ``fields`` set the rest."""
    goal = PerformanceGoal.objects.create(
        overall_goal=source.overall_goal, amount_unit=source.amount_unit,
        **{f"initial_{s}": source.initial(s) for s in FUNDING_SOURCES}, **fields)
    GoalIndicator.objects.bulk_create(_indicator(goal, i, row) for i, row in enumerate(_rows(source), 1))
    return goal


# ---- writes ----

def content_from_report(report_id: int | None) -> GoalContent:
    """A goal's first draft from the project's latest tracking form: its overall goal, 年初预算数 and
    indicators with their annual targets, each with a suggested direction and kind (reviewed by the unit)."""
    if report_id is None:
        return GoalContent()
    report = tracking.TrackingReport.objects.get(pk=report_id)
    lines = {line.source: line.initial for line in report.budget_lines.all()}
    return GoalContent(
        overall_goal=report.goal, amount_unit=report.amount_unit,
        initial={source: lines.get(source) for source in FUNDING_SOURCES},
        indicators=[{"level1": i.level1, "level2": i.level2, "name": i.name, "target_text": i.target_text,
                     "direction": suggested_direction(i.target_text), "kind": suggested_kind(i.level2, i.target_text),
                     "monthly_plan": []} for i in report.indicators.order_by("position")],
    )


@transaction.atomic
def goal_start(*, user: User | None, project_id: int, audit_user: bool = True) -> PerformanceGoal:
    """The project's goal: a new draft (from its latest form) when it has none yet, else the existing one."""
    project = tracking.Project.objects.select_related("unit", "unit__parent", "fiscal_year").get(pk=project_id)
    existing = PerformanceGoal.objects.filter(project=project, is_latest=True).first()
    if user is not None:
        permissions.check(user, permissions.GOALS)
        if not permissions.in_scope(user, project):
            raise Http404(_("没有这个项目，或您无权查看"))
        if permissions.role_of(user) != Role.UNIT and existing is None:
            raise PermissionDenied(_("只有实施单位填写绩效目标"))
    if existing is not None:
        return existing
    report_id = (tracking.TrackingReport.objects.filter(project=project, is_latest=True)
                 .order_by("-period__end").values_list("pk", flat=True).first())
    goal = PerformanceGoal.objects.create(project=project, fiscal_year=project.fiscal_year, unit=project.unit,
                                          updated_by=user)
    content = content_from_report(report_id)
    _write(goal, content)
    audit_record(action=Action.CREATE, user=user if audit_user else None, subject=str(goal),
                 changes=_changes({}, _snapshot(goal, content.indicators)))
    return goal


@transaction.atomic
def goal_save(*, goal_id: int, user: User, content: GoalContent) -> PerformanceGoal:
    goal = _locked(goal_id)
    goal_check(user, EDIT, goal)
    before = _snapshot(goal, _rows(goal))
    goal.updated_by = user
    _write(goal, content)
    changes = _changes(before, _snapshot(goal, _rows(goal)))
    if changes:
        audit_record(action=Action.EDIT, user=user, subject=str(goal), changes=changes)
    return goal


@transaction.atomic
def goal_step(*, goal_id: int, user: User, action: str, comment: str = "") -> PerformanceGoal:
    """One review step (送审, 撤回, 退回 with a required comment, 审核通过)."""
    if action not in goal_workflow.BUTTON_ACTIONS:
        raise Http404(_("没有这个操作"))
    goal = _locked(goal_id)
    goal_check(user, action, goal)
    comment = comment.strip()[:COMMENT_LIMIT]
    if action in goal_workflow.NEEDS_COMMENT and not comment:
        raise TransitionRefused(_("退回须填写退回意见"))
    if action == "submit" and not goal.indicators.exists():
        raise TransitionRefused(_("绩效目标还没有绩效指标，不能送审"))
    before = goal.state
    goal.state = goal_workflow.goal_transition(goal.state, action, permissions.role_of(user))
    goal.updated_by = user
    if action == "return":
        goal.return_comment, goal.returned_at, goal.returned_by = comment, timezone.now(), user
    elif action == "submit":
        goal.return_comment = ""
    if goal_workflow.is_approved(goal.state):
        goal.approved_at = timezone.now()
    goal.save()
    audit_record(action=_AUDIT[action], user=user, subject=str(goal), comment=comment,
                 state_before=before, state_after=goal.state)
    return goal


@transaction.atomic
def goal_adjust(*, goal_id: int, user: User, reason: str) -> PerformanceGoal:
    """调整: a new draft version of an approved goal, with the reason; the approved one stays in force
    (and readable) until the new version is approved."""
    goal = _locked(goal_id)
    goal_check(user, goal_workflow.ADJUST, goal)
    reason = reason.strip()[:COMMENT_LIMIT]
    if not reason:
        raise TransitionRefused(_("调整绩效目标须填写调整原因"))
    PerformanceGoal.objects.filter(pk=goal.pk).update(is_latest=False)
    new = _copy(goal, project=goal.project, fiscal_year=goal.fiscal_year, unit=goal.unit, version=goal.version + 1,
                previous=goal, adjustment_reason=reason, updated_by=user)
    audit_record(action=Action.CREATE, user=user, subject=str(new), comment=reason,
                 changes=[{"field": "调整（新版本）", "before": f"第{goal.version}版", "after": f"第{new.version}版"}],
                 state_before=goal.state, state_after=new.state)
    return new


@transaction.atomic
def goal_copy_forward(*, goal_id: int, user: User) -> PerformanceGoal:
    """The goal copied into a draft for the same project (name and unit) in the next fiscal year."""
    goal = _locked(goal_id)
    goal_check(user, COPY_FORWARD, goal)
    year, _created = tracking.FiscalYear.objects.get_or_create(year=goal.fiscal_year.year + 1)
    project, _created = tracking.Project.objects.get_or_create(unit=goal.unit, fiscal_year=year,
                                                               name=goal.project.name)
    if PerformanceGoal.objects.filter(project=project).exists():
        raise TransitionRefused(_("%(y)s年已有该项目的绩效目标，未复制") % {"y": year.year})
    new = _copy(goal, project=project, fiscal_year=year, unit=goal.unit, updated_by=user)
    audit_record(action=Action.CREATE, user=user, subject=str(new),
                 changes=[{"field": "复制上年绩效目标", "before": str(goal), "after": f"{year.year}年草稿"}])
    return new


def goal_declaration(goal: PerformanceGoal) -> GoalDeclaration:
    """The goal as the goal-declaration workbook holds it (formats/goal_xlsx.py)."""
    return GoalDeclaration(
        project=goal.project.name, department=goal.unit.parent.name if goal.unit.parent else "", unit=goal.unit.name,
        year=goal.fiscal_year.year, amount_unit=goal.amount_unit,
        initial={source: goal.initial(source) for source in FUNDING_SOURCES}, overall_goal=goal.overall_goal,
        indicators=[GoalRow(i.level1, i.level2, i.name, i.target_text, i.direction, i.kind)
                    for i in goal.indicators.order_by("position")])


def content_from_declaration(goal: PerformanceGoal, declaration: GoalDeclaration, *, file: str) -> GoalContent:
    """A read declaration as the goal's new contents; TransitionRefused when it is another project's."""
    if declaration.project != goal.project.name:
        raise TransitionRefused(_("%(f)s 是项目“%(p)s”的绩效目标申报表，不是“%(q)s”的，未导入")
                                % {"f": file, "p": declaration.project, "q": goal.project.name})
    return GoalContent(
        overall_goal=declaration.overall_goal, amount_unit=declaration.amount_unit, initial=dict(declaration.initial),
        indicators=[{"level1": row.level1, "level2": row.level2, "name": row.name, "target_text": row.target_text,
                     "direction": row.direction or suggested_direction(row.target_text),
                     "kind": row.kind or suggested_kind(row.level2, row.target_text), "monthly_plan": []}
                    for row in declaration.indicators])
