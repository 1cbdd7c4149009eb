"""Finance's decision on a budget adjustment proposal (预算调整建议), one per project and tracking point.

The proposals themselves are derived, never stored: domain/proposals.py on the year-end forecast of the
point's current form (benchmarking/selectors.py). What finance decides is kept here with the figures the
decision was taken on — the form version, budget, forecast, 预计结余 and the action proposed — so that a
later correction of the form does not rewrite what was accepted or rejected.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.accounts.models import Organisation
from jixiao.domain.proposals import ACTION_LABELS
from jixiao.tracking.models import AMOUNT, Project, TrackingPeriod, TrackingReport


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("已采纳")
    REJECTED = "rejected", _("未采纳")


class ProposalDecision(models.Model):
    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="+")
    period = models.ForeignKey(TrackingPeriod, on_delete=models.PROTECT, related_name="+")
    report = models.ForeignKey(TrackingReport, verbose_name=_("跟踪表"), on_delete=models.PROTECT, related_name="+")
    # Denormalised from the project: scope filters (accounts/scope.py) are on ``unit``.
    unit = models.ForeignKey(Organisation, verbose_name=_("实施单位"), on_delete=models.PROTECT, related_name="+")
    amount_unit = models.CharField(_("金额单位"), max_length=10, default="万元")
    budget = models.DecimalField(_("全年预算数"), **AMOUNT)
    forecast = models.DecimalField(_("预计全年执行数"), **AMOUNT)
    expected_balance = models.DecimalField(_("预计结余"), **AMOUNT)
    action = models.CharField(_("建议"), max_length=20, choices=list(ACTION_LABELS.items()))
    decision = models.CharField(_("处理结果"), max_length=20, choices=Decision.choices)
    reason = models.TextField(_("理由"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    decided_at = models.DateTimeField(_("处理时间"))

    class Meta:
        verbose_name = _("预算调整建议的处理")
        constraints = [models.UniqueConstraint(fields=["project", "period"], name="proposal_one_decision")]

    def __str__(self) -> str:
        return f"{self.project.name}（{self.period.start} 至 {self.period.end}）{self.get_decision_display()}"
