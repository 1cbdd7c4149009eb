"""指标库 in the database: one ``LibraryIndicator`` per normalised (name, unit) and its usages.

``library_rebuild`` (services.py) derives every figure from the forms' indicators; what finance
decides — ``recommended`` and ``merged_into`` — is kept across rebuilds, because the rows are found
again by their key (name, unit). A merged entry stays as a row that points at its survivor, so a
rebuild sends the usages of its key there again.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.accounts.models import Organisation
from jixiao.domain.framework import DIRECTIONS, KINDS


class LibraryIndicator(models.Model):
    name = models.CharField(_("三级指标"), max_length=300)
    unit = models.CharField(_("计量单位"), max_length=20, blank=True, default="")
    level1 = models.CharField(_("一级指标"), max_length=100, blank=True, default="")
    level2 = models.CharField(_("二级指标"), max_length=100, blank=True, default="")
    direction = models.CharField(_("指标方向"), max_length=20, choices=list(DIRECTIONS.items()))
    kind = models.CharField(_("指标类型"), max_length=20, choices=list(KINDS.items()))
    uses = models.PositiveIntegerField(_("使用次数"), default=0)  # indicators on current forms
    projects = models.PositiveIntegerField(_("项目数"), default=0)
    departments = models.PositiveIntegerField(_("主管部门数"), default=0)
    # {"≥": {"count": 3, "min": "90", "median": "95", "max": "98"}, …} (domain/library.py Spread)
    spread = models.JSONField(_("指标值分布"), default=dict, blank=True)
    comparator = models.CharField(_("最常见的比较符"), max_length=2, blank=True, default="")
    value = models.DecimalField(_("最常见的指标值"), max_digits=20, decimal_places=6, null=True, blank=True)
    recommended = models.BooleanField(_("推荐"), default=False)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("已合并到"), null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    rebuilt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("指标库指标")
        constraints = [models.UniqueConstraint(fields=["name", "unit"], name="library_unique_name_unit")]
        indexes = [
            # The search's order: recommended first, then the most used.
            models.Index(fields=["-recommended", "-uses", "name"], name="library_order"),
            models.Index(fields=["level2", "-recommended", "-uses"], name="library_level2_order"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.unit}）" if self.unit else self.name


class LibraryUsage(models.Model):
    """One project's use of an entry with one target: on how many of its current forms (``uses``).

    The levels and the target are kept so that an entry's figures can be derived again from its
    usages alone (after a merge) exactly as a rebuild derives them from the forms."""

    entry = models.ForeignKey(LibraryIndicator, on_delete=models.CASCADE, related_name="usages")
    project = models.ForeignKey("tracking.Project", on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey(Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("三级指标（原文）"), max_length=300)
    level1 = models.CharField(_("一级指标"), max_length=100, blank=True, default="")
    level2 = models.CharField(_("二级指标"), max_length=100, blank=True, default="")
    target_text = models.CharField(_("年度指标值"), max_length=200)
    uses = models.PositiveIntegerField(default=1)

    class Meta:
        indexes = [models.Index(fields=["department", "entry"], name="library_usage_department")]
