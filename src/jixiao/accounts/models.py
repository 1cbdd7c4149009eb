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
    ADMIN = "admin", _("系统管理员")


class User(AbstractUser):
    """A person with one role in one organisation; the role and organisation define their scope."""

    role = models.CharField(_("角色"), max_length=20, choices=Role.choices, default=Role.UNIT)
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("所属机构"), null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )

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
