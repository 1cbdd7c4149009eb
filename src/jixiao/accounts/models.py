"""Organisations as a tree and users with a role in one organisation (DESIGN §6)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    FINANCE = "finance", _("财政局")
    DEPARTMENT = "department", _("主管部门")
    UNIT = "unit", _("实施单位")


class Organisation(models.Model):
    """One node of finance bureau → supervising department → implementing unit."""

    name = models.CharField(_("名称"), max_length=200)
    kind = models.CharField(_("类别"), max_length=20, choices=OrganisationKind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Deactivated: no new users or forms, hidden from menus; its forms and history stay.
    is_active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("机构")
        verbose_name_plural = _("机构")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="organisation_unique_name_under_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=models.Q(parent__isnull=True), name="organisation_unique_root_name"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Role(models.TextChoices):
    UNIT = "unit", _("实施单位填报")
    DEPARTMENT = "department", _("主管部门审核")
    FINANCE = "finance", _("财政审核")
    # 三员分立 (docs/ARCHITECTURE.md, README 角色表): none of the three sees or touches forms.
    SYSTEM_ADMIN = "system_admin", _("系统管理员")
    SECURITY_ADMIN = "security_admin", _("安全管理员")
    AUDITOR = "auditor", _("安全审计员")


ADMINISTRATOR_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDITOR})


class User(AbstractUser):
    """A person with one role in one organisation; the role and organisation define their scope."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.UNIT)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    # Set when an administrator resets the password: every page leads to 修改密码 until it is changed.
    must_change_password = models.BooleanField(_("须修改密码"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.get_full_name() or self.username


class LoginFailure(models.Model):
    """One failed login, kept in the database so that throttling holds across server processes."""

    username = models.CharField(max_length=150)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["username", "ip", "at"])]


class OrganisationRename(models.Model):
    """One rename of an organisation: the name history (forms keep the name they were filed under)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="renames")
    old_name = models.CharField(_("原名称"), max_length=200)
    new_name = models.CharField(_("新名称"), max_length=200)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        ordering = ["-at", "-pk"]


class UserSession(models.Model):
    """A signed-in session of a user, so that the security administrator can list and end them."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sessions")
    session_key = models.CharField(max_length=40, unique=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    started_at = models.DateTimeField(_("登录时间"), auto_now_add=True)

    class Meta:
        ordering = ["-started_at", "-pk"]


class SecurityPolicy(models.Model):
    """Password and lock-out policy set by the security administrator (one row; absent: the settings)."""

    password_min_length = models.PositiveSmallIntegerField(_("密码最短长度"), default=10)
    login_max_failures = models.PositiveSmallIntegerField(_("登录失败次数上限"), default=5)
    login_lock_minutes = models.PositiveSmallIntegerField(_("锁定时间（分钟）"), default=15)
    updated_at = models.DateTimeField(auto_now=True)
