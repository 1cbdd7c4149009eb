"""Warnings (预警通知) and the unit's rectification (整改) in the database.

A warning goes to one implementing unit about one or more of its forms of one tracking period (issuing on
a period's red lights gives one warning per unit: one notice letter, one reply, one rectification per
addressee). It carries what is wrong and the reply deadline; the unit's answer (整改措施) and later its
completion report (整改完成情况) with evidence files stored in the database. Its steps are
domain/warning_workflow.py; the services in services.py write it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jixiao.accounts.models import Organisation
from jixiao.domain import warning_workflow
from jixiao.tracking.models import TEXT, TrackingPeriod, TrackingReport


class WarningState(models.TextChoices):
    OPEN = warning_workflow.OPEN, warning_workflow.STATE_LABELS[warning_workflow.OPEN]
    ANSWERED = warning_workflow.ANSWERED, warning_workflow.STATE_LABELS[warning_workflow.ANSWERED]
    RECTIFIED = warning_workflow.RECTIFIED, warning_workflow.STATE_LABELS[warning_workflow.RECTIFIED]
    CLOSED = warning_workflow.CLOSED, warning_workflow.STATE_LABELS[warning_workflow.CLOSED]


def _user(**kwargs):
    return models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="+", **kwargs)


class WarningNotice(models.Model):
    """预警通知: to one unit about some of its forms of one period, with a reply deadline."""

    period = models.ForeignKey(TrackingPeriod, verbose_name=_("跟踪时段"), on_delete=models.PROTECT,
                               related_name="warnings")
    # The warned unit: scope filters (accounts/scope.py) are on ``unit``.
    unit = models.ForeignKey(Organisation, verbose_name=_("实施单位"), on_delete=models.PROTECT,
                             related_name="warnings")
    reports = models.ManyToManyField(TrackingReport, verbose_name=_("跟踪表"), related_name="warnings")
    issuer = _user(verbose_name=_("发出人"))
    issuer_role = models.CharField(_("发出机构角色"), max_length=20)
    issuer_organisation = models.ForeignKey(Organisation, verbose_name=_("发出机构"), on_delete=models.PROTECT,
                                            related_name="+")
    problem = models.TextField(_("存在的问题"))
    deadline = models.DateField(_("答复期限"))
    state = models.CharField(_("状态"), max_length=20, choices=WarningState.choices, default=WarningState.OPEN)
    answer = models.TextField(_("整改措施"), **TEXT)
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = _user()
    done_report = models.TextField(_("整改完成情况"), **TEXT)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = _user()
    close_comment = models.TextField(_("关闭意见"), **TEXT)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = _user()
    reopen_comment = models.TextField(_("重新打开的原因"), **TEXT)
    reopened_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("发出时间"), default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("预警通知")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["period", "unit"], name="warning_period_unit"),
            models.Index(fields=["state", "deadline"], name="warning_state_deadline"),
            models.Index(fields=["issuer_organisation", "issuer_role", "state"], name="warning_issuer_state"),
        ]

    def __str__(self) -> str:
        return f"{self.number}（{self.unit.name}，{self.period}）"

    @property
    def number(self) -> str:
        return f"预警第{self.pk}号"

    @property
    def subject_prefix(self) -> str:
        """What the warning's audit subjects start with."""
        return f"{self.number}（"

    @property
    def is_overdue(self) -> bool:
        return warning_workflow.is_overdue(self.state, self.deadline, timezone.localdate())


class WarningAttachment(models.Model):
    """A file of evidence the unit attached to its answer or completion report (kind checked by its bytes)."""

    warning = models.ForeignKey(WarningNotice, on_delete=models.CASCADE, related_name="attachments")
    step = models.CharField(_("环节"), max_length=20, choices=[
        (warning_workflow.ANSWER, warning_workflow.ACTION_LABELS[warning_workflow.ANSWER]),
        (warning_workflow.REPORT_DONE, warning_workflow.ACTION_LABELS[warning_workflow.REPORT_DONE])])
    name = models.CharField(_("文件名"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField(_("大小"))
    data = models.BinaryField()
    uploaded_by = _user()
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("整改佐证材料")
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.name
