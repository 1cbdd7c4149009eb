"""Year-end self-evaluations (项目支出绩效自评表) in the database: one per project (and so per fiscal year).

The budget block (年初预算数, 全年预算数, 全年执行数, 分值, 执行率, 得分) and the indicator rows (年度指标值,
实际完成值, 分值, 得分, 偏差原因分析及改进措施) are stored as the unit wrote them — a 分值 or 得分 left blank
is None and the score of docs/SCORING.md counts (``weight_used``, ``score_used``, ``total``, ``grade`` are
that scoring, stored by the service on every save). Its review steps are the forms' (domain/workflow.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.accounts.models import Organisation
from jixiao.domain.framework import DIRECTIONS, HIGHER_BETTER
from jixiao.domain.scoring import GRADE_LABELS
from jixiao.tracking.mapping import printed
from jixiao.tracking.models import AMOUNT, TEXT, FiscalYear, Project, Status, TrackingReport

SCORE = {"max_digits": 7, "decimal_places": 2, "null": True, "blank": True}


class SelfEvaluation(models.Model):
    """项目支出绩效自评表 of one project (a project belongs to one fiscal year)."""

    project = models.OneToOneField(Project, on_delete=models.PROTECT, related_name="self_evaluation")
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="self_evaluations")
    # Denormalised from the project: scope filters (accounts/scope.py) are on ``unit``.
    unit = models.ForeignKey(Organisation, verbose_name=_("实施单位"), on_delete=models.PROTECT,
                             related_name="self_evaluations")
    # The year's last tracking form it was drafted from (the checks compare with it).
    source_report = models.ForeignKey(TrackingReport, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+")
    # The forms' states and labels (one definition): the same review steps, domain/workflow.py.
    state = models.CharField(_("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    amount_unit = models.CharField(_("金额单位"), max_length=10, default="万元")
    initial = models.DecimalField(_("年初预算数"), **AMOUNT)
    annual = models.DecimalField(_("全年预算数"), **AMOUNT)
    spent = models.DecimalField(_("全年执行数"), **AMOUNT)
    execution_weight = models.DecimalField(_("分值"), **SCORE)
    rate = models.DecimalField(_("执行率"), **SCORE)
    execution_score = models.DecimalField(_("得分（单位填写）"), **SCORE)
    execution_score_used = models.DecimalField(_("得分"), **SCORE)
    budget_explanation = models.TextField(_("预算执行偏差原因及改进措施"), **TEXT)
    goal = models.TextField(_("年度总体目标"), **TEXT)
    achieved = models.TextField(_("全年实际完成情况"), **TEXT)
    total = models.DecimalField(_("总分"), **SCORE)
    grade = models.CharField(_("等级"), max_length=10, choices=list(GRADE_LABELS.items()), **TEXT)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    return_comment = models.TextField(_("退回意见"), **TEXT)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("绩效自评表")
        ordering = ["project__name"]
        indexes = [models.Index(fields=["fiscal_year", "unit"], name="selfeval_year_unit")]

    def __str__(self) -> str:
        return f"{self.project.name}（{self.unit.name}，{self.fiscal_year.year}年绩效自评）"

    def amount(self, name: str):
        """An amount as printed (stored with six places: 40.05, not 40.050000)."""
        return printed(getattr(self, name))


class EvaluationIndicator(models.Model):
    """One indicator row of a self-evaluation."""

    evaluation = models.ForeignKey(SelfEvaluation, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField()
    level1 = models.CharField(_("一级指标"), max_length=100, **TEXT)
    level2 = models.CharField(_("二级指标"), max_length=100, **TEXT)
    name = models.CharField(_("三级指标"), max_length=300)
    target_text = models.CharField(_("年度指标值"), max_length=200)
    direction = models.CharField(_("指标方向"), max_length=20, choices=list(DIRECTIONS.items()), default=HIGHER_BETTER)
    actual = models.CharField(_("实际完成值"), max_length=200, **TEXT)
    weight = models.DecimalField(_("分值（单位设定）"), **SCORE)
    weight_used = models.DecimalField(_("分值"), **SCORE)
    score = models.DecimalField(_("得分（单位填写）"), **SCORE)
    computed = models.DecimalField(_("按公式得分"), **SCORE)
    score_used = models.DecimalField(_("得分"), **SCORE)
    basis = models.CharField(_("计分依据"), max_length=400, **TEXT)
    reason = models.TextField(_("偏差原因分析及改进措施"), **TEXT)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "position"], name="selfeval_row_position")]

    def __str__(self) -> str:
        return self.name


class YearScoring(models.Model):
    """The weights and grade bands finance set for one fiscal year (docs/SCORING.md §1, §6), as the plain
    values ``ScoringConfig.from_mapping`` reads; a year without one scores with the defaults."""

    fiscal_year = models.OneToOneField(FiscalYear, on_delete=models.CASCADE, related_name="scoring")
    values = models.JSONField(_("评分设置"), default=dict)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = _("年度评分设置")

    def __str__(self) -> str:
        return f"{self.fiscal_year.year}年绩效自评评分设置"
