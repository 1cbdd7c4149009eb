"""Audit events: written once, never changed or deleted through the application.

``save()`` refuses to update an existing row, ``delete()`` refuses outright, and the queryset
refuses bulk ``update()`` and ``delete()``, so no page, command or admin screen built on the
ORM can rewrite history. Someone with SQL access could, but not unseen: every event carries a
hash chained to the one before it, and ``jixiao audit verify`` names the first event altered,
inserted or deleted (chain.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutable(Exception):
    """Someone tried to change or delete an audit record."""


class Action(models.TextChoices):
    CREATE = "create", _("新建")
    EDIT = "edit", _("修改")
    IMPORT = "import", _("导入")
    SUBMIT = "submit", _("送审")
    WITHDRAW = "withdraw", _("撤回")
    RETURN = "return", _("退回")
    APPROVE = "approve", _("审核通过")
    PUBLISH = "publish", _("公开")
    CORRECT = "correct", _("更正（新版本）")
    LOGIN = "login", _("登录")
    LOGOUT = "logout", _("退出")
    LOGIN_FAILED = "login_failed", _("登录失败")
    RECHECK = "recheck", _("重新检查")
    PURGE = "purge", _("清理过期审计记录")
    LIBRARY_MERGE = "library_merge", _("合并指标库指标")
    LIBRARY_RECOMMEND = "library_recommend", _("推荐指标库指标")
    LIBRARY_UNRECOMMEND = "library_unrecommend", _("取消推荐指标库指标")
    # The year's closing loop (自评, 预警与整改, 预算调整建议): one migration for all of them.
    EVALUATE = "evaluate", _("评分")
    WARNING_ISSUE = "warning_issue", _("发出预警")
    RECTIFY_ANSWER = "rectify_answer", _("答复整改措施")
    RECTIFY_DONE = "rectify_done", _("报告整改完成")
    WARNING_CLOSE = "warning_close", _("关闭预警")
    WARNING_REOPEN = "warning_reopen", _("重新打开预警")
    PROPOSAL_ACCEPT = "proposal_accept", _("采纳调整建议")
    PROPOSAL_REJECT = "proposal_reject", _("不采纳调整建议")


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("审计记录不能修改")

    def delete(self):
        raise AuditImmutable("审计记录不能删除")


class AuditEvent(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    # PROTECT: a user with a history is deactivated, never deleted, so the record keeps its author.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("用户名"), max_length=150, blank=True, default="")
    ip = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    action = models.CharField(_("操作"), max_length=20, choices=Action.choices, db_index=True)
    report = models.ForeignKey(
        "tracking.TrackingReport", verbose_name=_("跟踪表"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_events",
    )
    subject = models.CharField(_("对象"), max_length=400, blank=True, default="")
    revision = models.PositiveIntegerField(null=True, blank=True)
    # For edits and imports: [{"field": label, "before": text, "after": text}, …]
    changes = models.JSONField(_("修改内容"), default=list, blank=True)
    comment = models.TextField(_("意见"), blank=True, default="")
    state_before = models.CharField(max_length=30, blank=True, default="")
    state_after = models.CharField(max_length=30, blank=True, default="")
    # The hash chain (chain.py): the event's place, the hash of the event before it, and its own hash
    # over its canonical serialisation and that previous hash. Unique: two writers cannot fork it.
    sequence = models.BigIntegerField(_("序号"), null=True, blank=True, unique=True, editable=False)
    previous_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    hash = models.CharField(_("哈希"), max_length=64, blank=True, default="", editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计记录")
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["report", "at"]), models.Index(fields=["actor_name", "at"])]
        default_permissions = ("view",)

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditImmutable("审计记录不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("审计记录不能删除")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.get_action_display()} {self.subject}"
