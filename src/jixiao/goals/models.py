"""Annual performance goals (绩效目标申报表) in the database: one goal per project, fiscal year and version.

A goal holds the overall goal text, the 年初预算数 of each funding source (domain/model.py
FUNDING_SOURCES) and its indicators in the framework's levels (domain/framework.py). Its review
steps are domain/goal_workflow.py; only the newest version is ``is_latest``; an approved goal is
what opening a tracking period builds each form from (tracking/periods.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.accounts.models import Organisation
from jixiao.domain import goal_workflow
from jixiao.domain.framework import DIRECTIONS, HIGHER_BETTER, KINDS, LEVEL
from jixiao.tracking.mapping import printed
from jixiao.tracking.models import AMOUNT, TEXT, FiscalYear, Project


class GoalState(models.TextChoices):
    DRAFT = "draft", goal_workflow.STATE_LABELS["draft"]
    SUBMITTED = "submitted", goal_workflow.STATE_LABELS["submitted"]
    DEPARTMENT_APPROVED = "department_approved", goal_workflow.STATE_LABELS["department_approved"]
    FINANCE_APPROVED = "finance_approved", goal_workflow.STATE_LABELS["finance_approved"]


class PerformanceGoal(models.Model):
    """绩效目标: a project's annual goals, indicators and budget for one fiscal year, in one version."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="goals")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="goals")
    # Denormalised from the project: scope filters (accounts/scope.py) are on ``unit``.
    unit = models.ForeignKey(Organisation, verbose_name=_("实施单位"), on_delete=models.PROTECT, related_name="goals")
    version = models.PositiveIntegerField(_("版本"), default=1)
    previous = models.ForeignKey("self", verbose_name=_("上一版本"), null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="adjustments")
    is_latest = models.BooleanField(default=True)
    state = models.CharField(_("状态"), max_length=30, choices=GoalState.choices, default=GoalState.DRAFT)
    overall_goal = models.TextField(_("年度总体目标"), **TEXT)
    adjustment_reason = models.TextField(_("调整原因"), **TEXT)
    amount_unit = models.CharField(_("金额单位"), max_length=10, default="万元")
    initial_total = models.DecimalField(_("年初预算数：年度资金总额"), **AMOUNT)
    initial_appropriation = models.DecimalField(_("年初预算数：当年财政拨款"), **AMOUNT)
    initial_carryover = models.DecimalField(_("年初预算数：上年结转资金"), **AMOUNT)
    initial_other = models.DecimalField(_("年初预算数：其他资金"), **AMOUNT)
    return_comment = models.TextField(_("退回意见"), **TEXT)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    approved_at = models.DateTimeField(_("审核通过时间"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("绩效目标")
        ordering = ["project__name", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="goal_unique_version"),
            models.UniqueConstraint(fields=["project"], condition=models.Q(is_latest=True),
                                    name="goal_one_latest_per_project"),
        ]
        indexes = [models.Index(fields=["fiscal_year", "unit", "is_latest"], name="goal_year_unit_latest")]

    def __str__(self) -> str:
        return f"{self.subject_prefix}第{self.version}版"

    @property
    def subject_prefix(self) -> str:
        """What every version's audit subject starts with: project, unit and year."""
        return f"{self.project.name}（{self.unit.name}，{self.fiscal_year.year}年绩效目标）"

    def initial(self, source: str):
        """年初预算数 of ``source`` as printed (stored with six places: 40.05, not 40.050000)."""
        return printed(getattr(self, f"initial_{source}"))


class GoalIndicator(models.Model):
    """One 三级指标 of a goal: levels, annual target (printed and parsed), direction, kind, monthly plan."""

    goal = models.ForeignKey(PerformanceGoal, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField()
    level1 = models.CharField(_("一级指标"), max_length=100)
    level2 = models.CharField(_("二级指标"), max_length=100)
    name = models.CharField(_("三级指标"), max_length=300)
    target_text = models.CharField(_("年度指标值"), max_length=200)
    target_comparator = models.CharField(max_length=2, **TEXT)
    target_value = models.DecimalField(**AMOUNT)
    target_unit = models.CharField(_("计量单位"), max_length=20, **TEXT)
    direction = models.CharField(_("指标方向"), max_length=20, choices=list(DIRECTIONS.items()), default=HIGHER_BETTER)
    kind = models.CharField(_("指标类型"), max_length=20, choices=list(KINDS.items()), default=LEVEL)
    # Twelve monthly values (text as entered) for an accumulating indicator planned by month; empty: by time.
    monthly_plan = models.JSONField(_("月度计划"), default=list, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["goal", "position"], name="goal_indicator_unique_position")]

    def __str__(self) -> str:
        return self.name
