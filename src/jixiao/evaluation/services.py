"""Writing self-evaluations: drafting one from the year's last tracking form, saving the unit's scores, and
the review steps (送审, 撤回, 退回, 审核通过, 公开 — the forms' own, domain/workflow.py).

Every write is one transaction, checks permissions (``evaluation_check``, on accounts/permissions.py and
domain/workflow.py) and leaves one audit event: 新建 for the draft, 评分 (EVALUATE) for a save, the workflow
action for a step. Scores follow docs/SCORING.md (domain/scoring.py); checks are domain/rules/selfeval.py.
Out of scope: 404; a role that may never: 403; a state that forbids the step: 409 (TransitionRefused).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.models import Role, User
from jixiao.audit.models import Action
from jixiao.audit.services import audit_record
from jixiao.domain import workflow
from jixiao.domain.findings import ERROR, WARNING, Finding
from jixiao.domain.model import TrackingReport as DomainReport
from jixiao.domain.notation import parse_target
from jixiao.domain.rules.selfeval import check_evaluation
from jixiao.domain.scoring import (
    DEFAULT_SCORING,
    EXECUTION,
    EvaluationBudget,
    EvaluationIndicator,
    EvaluationSheet,
    Scorecard,
    ScoringConfig,
    draft_from_report,
    score_sheet,
)
from jixiao.domain.workflow import OpenFinding, TransitionRefused
from jixiao.evaluation.models import EvaluationIndicator as Row
from jixiao.evaluation.models import SelfEvaluation, YearScoring
from jixiao.goals.selectors import approved_goals
from jixiao.tracking import models as tracking
from jixiao.tracking.mapping import printed, report_to_domain

VIEW = "view"
EDIT = "edit"
NOUN = "绩效自评表"
BUTTON_ACTIONS = (workflow.SUBMIT, workflow.WITHDRAW, workflow.RETURN, workflow.APPROVE, workflow.PUBLISH)
TRANSITIONS = tuple(t for t in workflow.TRANSITIONS if t.action in BUTTON_ACTIONS)
COMMENT_LIMIT = 2000
_AUDIT = {"submit": Action.SUBMIT, "withdraw": Action.WITHDRAW, "return": Action.RETURN, "approve": Action.APPROVE,
          "publish": Action.PUBLISH}
_NOT_FOUND = "没有这份绩效自评表，或您无权查看"


@dataclass
class EvaluationContent:
    """What the unit writes: the year's amounts, the execution score if it sets one, the explanations, and per
    indicator row (in order) its actual, 分值 and 得分 (None: as docs/SCORING.md computes) and reason."""

    annual: Decimal | None = None
    spent: Decimal | None = None
    rate: Decimal | None = None
    execution_score: Decimal | None = None
    budget_explanation: str = ""
    achieved: str = ""
    rows: list[dict] = field(default_factory=list)


def evaluation_check(user: User, action: str, evaluation: SelfEvaluation | None = None) -> None:
    """Raise unless ``user`` may do ``action`` on ``evaluation`` (404 out of scope, 403 role, 409 state)."""
    permissions.check(user, permissions.EVALUATIONS)
    if evaluation is None:
        return
    if not permissions.in_scope(user, evaluation):
        raise Http404(_(_NOT_FOUND))
    role = permissions.role_of(user)
    if action == VIEW:
        return
    if action == EDIT:
        if role not in workflow.EDITING_ROLES:
            raise PermissionDenied(_("只有实施单位填写绩效自评表"))
        if not workflow.may_edit(evaluation.state, role):
            raise TransitionRefused(_("绩效自评表当前为“%(s)s”，不能修改；只有草稿可以修改（已送审的可先撤回）")
                                    % {"s": evaluation.get_state_display()})
        return
    if action not in BUTTON_ACTIONS:
        raise Http404(_("没有这个操作"))
    if not workflow.role_may(role, action, transitions=TRANSITIONS):
        raise PermissionDenied(_("您的角色不能%(a)s绩效自评表") % {"a": workflow.ACTION_LABELS[action]})
    try:
        workflow.transition(evaluation.state, action, role, transitions=TRANSITIONS, noun=NOUN)
    except TransitionRefused as refused:
        if refused.forbidden:
            raise PermissionDenied(refused.message) from None
        raise


def scoring_check(user: User) -> None:
    """Only finance sets a year's weights and bands (403 for the others)."""
    permissions.check(user, permissions.SCORING)


def scoring_may(user: User) -> bool:
    try:
        scoring_check(user)
    except PermissionDenied:
        return False
    return True


def evaluation_can(user: User, action: str, evaluation: SelfEvaluation) -> bool:
    try:
        evaluation_check(user, action, evaluation)
    except (PermissionDenied, Http404, TransitionRefused):
        return False
    return True


def evaluation_can_draft(user: User) -> bool:
    return user.is_authenticated and permissions.role_of(user) == Role.UNIT


# ---- between the database and the domain ----

def last_report(project_id: int) -> tracking.TrackingReport | None:
    """The project's tracking form of the year's last period (its latest version), loaded for the domain."""
    return (tracking.TrackingReport.objects.filter(project_id=project_id, is_latest=True)
            .select_related("project", "period", "unit").prefetch_related("budget_lines", "indicators")
            .order_by("-period__end", "-pk").first())


def sheet_of(evaluation: SelfEvaluation) -> EvaluationSheet:
    """The stored self-evaluation as the domain scores it (its rows loaded in order)."""
    department = evaluation.unit.parent.name if evaluation.unit.parent else ""
    return EvaluationSheet(
        project=evaluation.project.name, department=department, unit=evaluation.unit.name,
        year=evaluation.fiscal_year.year, amount_unit=evaluation.amount_unit,
        budget=EvaluationBudget(initial=printed(evaluation.initial), annual=printed(evaluation.annual),
                                spent=printed(evaluation.spent), rate=evaluation.rate,
                                score=evaluation.execution_score, explanation=evaluation.budget_explanation),
        indicators=[EvaluationIndicator(r.level1 or None, r.level2 or None, r.name, parse_target(r.target_text),
                                        r.actual or None, r.reason or None, r.weight, r.score, r.direction)
                    for r in evaluation.indicators.all()],
        goal=evaluation.goal, achieved=evaluation.achieved)


def year_config(fiscal_year_id: int) -> ScoringConfig:
    """The year's weights and bands (docs/SCORING.md §1, §6); the defaults until finance sets the year's."""
    stored = YearScoring.objects.filter(fiscal_year_id=fiscal_year_id).values_list("values", flat=True).first()
    return ScoringConfig.from_mapping(stored) if stored else DEFAULT_SCORING


def scoring_config(evaluation: SelfEvaluation) -> ScoringConfig:
    return year_config(evaluation.fiscal_year_id)


def config_values(config: ScoringConfig) -> dict[str, str]:
    """A configuration as the plain values stored and shown (成本指标 only when it has a weight of its own)."""
    values = {EXECUTION: config.execution_weight, **dict(config.level_weights), "partly_share": config.partly_share,
              "excellent_from": config.excellent_from, "good_from": config.good_from, "fair_from": config.fair_from}
    return {key: format(value, "f") for key, value in values.items()}


@transaction.atomic
def scoring_save(*, user: User, year: int, values: dict) -> ScoringConfig:
    """Finance sets the year's weights and bands; ScoringError (nothing stored) when they do not add up. Every
    self-evaluation of the year is scored again under them, in the same transaction."""
    scoring_check(user)
    fiscal_year = tracking.FiscalYear.objects.get(year=year)
    config = ScoringConfig.from_mapping(values)
    stored, _created = YearScoring.objects.select_for_update().get_or_create(fiscal_year=fiscal_year)
    before = config_values(year_config(fiscal_year.pk))
    stored.values, stored.updated_by = config_values(config), user
    stored.save()
    changes = _changes(before, stored.values)
    if changes:
        for pk in SelfEvaluation.objects.filter(fiscal_year=fiscal_year).values_list("pk", flat=True):
            _store(_fresh(pk))
        audit_record(action=Action.EDIT, user=user, subject=str(stored), changes=changes)
    return config


def assess(evaluation: SelfEvaluation, source: DomainReport | None = None) -> tuple[Scorecard, list[Finding]]:
    """The evaluation's scores and the checks' findings (against its source tracking form when it has one)."""
    sheet = sheet_of(evaluation)
    card = score_sheet(sheet, scoring_config(evaluation))
    if source is None and evaluation.source_report_id is not None:
        row = last_report(evaluation.project_id)
        source = report_to_domain(row) if row is not None else None
    return card, check_evaluation(sheet, card, last_report=source)


def _store(evaluation: SelfEvaluation, source: DomainReport | None = None) -> None:
    """Write the scoring (分值, 得分 used, 总分, 等级, counts of findings) beside what the unit wrote."""
    card, findings = assess(evaluation, source)
    rows = list(evaluation.indicators.all())
    for row, scored in zip(rows, card.indicators, strict=True):
        row.weight_used, row.computed, row.score_used, row.basis = (scored.weight, scored.computed, scored.score,
                                                                    scored.basis[:400])
    Row.objects.bulk_update(rows, ["weight_used", "computed", "score_used", "basis"])
    evaluation.execution_weight = card.execution.weight
    evaluation.execution_score_used = card.execution.score
    evaluation.total, evaluation.grade = card.total, card.grade
    evaluation.error_count = sum(1 for f in findings if f.severity == ERROR)
    evaluation.warning_count = sum(1 for f in findings if f.severity == WARNING)
    evaluation.save()


def _snapshot(evaluation: SelfEvaluation) -> dict[str, str]:
    def shown(value) -> str:
        return "" if value is None else format(printed(value), "f")

    values = {"全年预算数": shown(evaluation.annual), "全年执行数": shown(evaluation.spent),
              "执行率": shown(evaluation.rate), "预算执行率得分": shown(evaluation.execution_score),
              "预算执行偏差原因及改进措施": evaluation.budget_explanation, "全年实际完成情况": evaluation.achieved}
    for row in evaluation.indicators.all():
        values[f"{row.name}"] = "；".join([f"实际完成值 {row.actual}", f"分值 {shown(row.weight)}",
                                           f"得分 {shown(row.score)}", f"偏差原因分析及改进措施 {row.reason}"])
    values["总分"] = shown(evaluation.total)
    return values


def _changes(before: dict[str, str], after: dict[str, str]) -> list[dict]:
    return [{"field": name, "before": before.get(name, ""), "after": after.get(name, "")}
            for name in dict.fromkeys([*before, *after]) if before.get(name, "") != after.get(name, "")]


def _locked(evaluation_id: int) -> SelfEvaluation:
    try:
        evaluation = SelfEvaluation.objects.select_for_update(of=("self",)).select_related(
            "project", "fiscal_year", "unit", "unit__parent").get(pk=evaluation_id)
    except SelfEvaluation.DoesNotExist:
        raise Http404(_(_NOT_FOUND)) from None
    return evaluation


def _fresh(evaluation_id: int) -> SelfEvaluation:
    return (SelfEvaluation.objects.select_related("project", "fiscal_year", "unit", "unit__parent")
            .prefetch_related(Prefetch("indicators", queryset=Row.objects.order_by("position"))).get(pk=evaluation_id))


# ---- writes ----

@transaction.atomic
def evaluation_draft(*, user: User | None, project_id: int) -> SelfEvaluation:
    """The project's self-evaluation: drafted from its last tracking form when it has none yet (actuals taken
    as the year's, scores computed), else the existing one."""
    try:
        project = tracking.Project.objects.select_related("unit", "unit__parent", "fiscal_year").get(pk=project_id)
    except tracking.Project.DoesNotExist:
        raise Http404(_("没有这个项目，或您无权查看")) from None
    existing = SelfEvaluation.objects.filter(project=project).first()
    if user is not None:
        permissions.check(user, permissions.EVALUATIONS)
        if not permissions.in_scope(user, project):
            raise Http404(_("没有这个项目，或您无权查看"))
        if existing is None and permissions.role_of(user) != Role.UNIT:
            raise PermissionDenied(_("只有实施单位填写绩效自评表"))
    if existing is not None:
        return existing
    row = last_report(project.pk)
    if row is None:
        raise TransitionRefused(_("项目“%(p)s”本年度还没有跟踪表，无法起草绩效自评表") % {"p": project.name})
    report = report_to_domain(row)
    goal = approved_goals(project_id=project.pk).get(project.pk)
    directions = {i.name: i.direction for i in goal.indicators.all()} if goal is not None else {}
    sheet = draft_from_report(report, directions)
    evaluation = SelfEvaluation.objects.create(
        project=project, fiscal_year=project.fiscal_year, unit=project.unit, source_report=row,
        amount_unit=sheet.amount_unit, initial=sheet.budget.initial, annual=sheet.budget.annual,
        spent=sheet.budget.spent, goal=sheet.goal or "", achieved=sheet.achieved or "", updated_by=user)
    Row.objects.bulk_create(
        Row(evaluation=evaluation, position=n, level1=i.level1 or "", level2=i.level2 or "", name=i.name,
            target_text=i.target.text, direction=i.direction or Row._meta.get_field("direction").default,
            actual=i.actual or "", reason=i.reason or "")
        for n, i in enumerate(sheet.indicators, start=1))
    evaluation = _fresh(evaluation.pk)
    _store(evaluation, report)
    audit_record(action=Action.CREATE, user=user, subject=str(evaluation),
                 comment=_("由%(p)s跟踪表起草") % {"p": row.period}, changes=_changes({}, _snapshot(evaluation)))
    return evaluation


@transaction.atomic
def evaluation_save(*, evaluation_id: int, user: User, content: EvaluationContent) -> SelfEvaluation:
    """Save what the unit wrote and its scoring (audited as 评分); ScoringError when the 分值 set do not add up
    (nothing is stored then: the transaction rolls back)."""
    evaluation = _locked(evaluation_id)
    evaluation_check(user, EDIT, evaluation)
    evaluation = _fresh(evaluation.pk)
    rows = list(evaluation.indicators.all())
    if len(content.rows) != len(rows):
        raise TransitionRefused(_("绩效指标的行数与自评表不符（页面已过期？），请重新打开修改页"))
    before = _snapshot(evaluation)
    for name in ("annual", "spent", "rate", "execution_score", "budget_explanation", "achieved"):
        setattr(evaluation, name, getattr(content, name))
    for row, values in zip(rows, content.rows, strict=True):
        row.actual, row.weight, row.score, row.reason = (values["actual"], values["weight"], values["score"],
                                                         values["reason"])
    Row.objects.bulk_update(rows, ["actual", "weight", "score", "reason"])
    evaluation.updated_by = user
    evaluation = _refreshed(evaluation)
    _store(evaluation)
    changes = _changes(before, _snapshot(evaluation))
    if changes:
        audit_record(action=Action.EVALUATE, user=user, subject=str(evaluation), changes=changes)
    return evaluation


def _refreshed(evaluation: SelfEvaluation) -> SelfEvaluation:
    """The evaluation with its just-written rows (the prefetch cache dropped)."""
    evaluation.save()
    return _fresh(evaluation.pk)


@transaction.atomic
def evaluation_step(*, evaluation_id: int, user: User, action: str, comment: str = "") -> SelfEvaluation:
    """One review step; 送审 refuses while errors remain or a warning has no word (the forms' rule,
    domain/workflow.py ``submission_refusals``), 退回 needs a comment."""
    if action not in BUTTON_ACTIONS:
        raise Http404(_("没有这个操作"))
    evaluation = _locked(evaluation_id)
    evaluation_check(user, action, evaluation)
    comment = comment.strip()[:COMMENT_LIMIT]
    if action == workflow.RETURN and not comment:
        raise TransitionRefused(_("退回须填写退回意见"), reasons=(workflow.Reason(_("退回须填写退回意见"),
                                                                           field="comment"),))
    if action == workflow.SUBMIT:
        evaluation = _fresh(evaluation.pk)
        _card, findings = assess(evaluation)
        rows = {r.name: r.reason for r in evaluation.indicators.all()}
        refusals = workflow.submission_refusals(
            [OpenFinding(f.severity, f.message, f.indicator, rows.get(f.indicator or "")) for f in findings], comment)
        if refusals:
            raise TransitionRefused.because(refusals)
    before = evaluation.state
    evaluation.state = workflow.transition(evaluation.state, action, permissions.role_of(user),
                                           transitions=TRANSITIONS, noun=NOUN)
    evaluation.updated_by = user
    if action == workflow.RETURN:
        evaluation.return_comment, evaluation.returned_at, evaluation.returned_by = comment, timezone.now(), user
    elif action == workflow.SUBMIT:
        evaluation.return_comment = ""
    evaluation.save()
    audit_record(action=_AUDIT[action], user=user, subject=str(evaluation), comment=comment,
                 state_before=before, state_after=evaluation.state)
    return evaluation
