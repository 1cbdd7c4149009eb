"""The tracking form in the database. Domain objects are mapped to and from these in mapping.py.

Amounts and parsed target values are decimals; planned and actual values stay the printed
text (they may be a number or a phrase). The checker's verdict is stored beside the report
(lights, counts) and as Finding rows, and is recomputed by the service that saves a report.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from jixiao.accounts.models import Organisation
from jixiao.domain import workflow

AMOUNT = {"max_digits": 20, "decimal_places": 6, "null": True, "blank": True}
SUMMED = {"max_digits": 30, "decimal_places": 10, "default": 0}  # a sum of amounts in 万元 (UnitPeriodSummary)
TEXT = {"blank": True, "default": ""}


class Light(models.TextChoices):
    GREEN = "green", _("绿灯")
    YELLOW = "yellow", _("黄灯")
    RED = "red", _("红灯")


LIGHT_RANK = {None: 0, "": 0, "green": 1, "yellow": 2, "red": 3}


class Severity(models.TextChoices):
    ERROR = "error", _("错误")
    WARNING = "warning", _("警告")
    INFO = "info", _("提示")


SEVERITY_RANK = {"info": 1, "warning": 2, "error": 3}


def worst_rank(error_count: int, warning_count: int, info_count: int) -> int:
    """The rank (SEVERITY_RANK) of a form's most serious finding, 0 without any: ``TrackingReport.worst``."""
    if error_count:
        return SEVERITY_RANK["error"]
    if warning_count:
        return SEVERITY_RANK["warning"]
    return SEVERITY_RANK["info"] if info_count else 0


class Likelihood(models.TextChoices):
    CERTAIN = "确定能完成", _("确定能完成")
    POSSIBLE = "有可能完成", _("有可能完成")
    IMPOSSIBLE = "完全不可能完成", _("完全不可能完成")


class Status(models.TextChoices):
    """Workflow states (DESIGN §6); the transitions between them are in jixiao.domain.workflow."""

    # The labels are the workflow's (one definition of each state's Chinese name).
    DRAFT = workflow.DRAFT, workflow.STATE_LABELS[workflow.DRAFT]
    SUBMITTED = workflow.SUBMITTED, workflow.STATE_LABELS[workflow.SUBMITTED]
    DEPARTMENT_APPROVED = workflow.DEPARTMENT_APPROVED, workflow.STATE_LABELS[workflow.DEPARTMENT_APPROVED]
    FINANCE_APPROVED = workflow.FINANCE_APPROVED, workflow.STATE_LABELS[workflow.FINANCE_APPROVED]
    PUBLISHED = workflow.PUBLISHED, workflow.STATE_LABELS[workflow.PUBLISHED]


class FiscalYear(models.Model):
    year = models.PositiveSmallIntegerField(_("年度"), unique=True)

    class Meta:
        verbose_name = _("年度")
        ordering = ["-year"]

    def __str__(self) -> str:
        return f"{self.year}年"


class TrackingPeriod(models.Model):
    """跟踪时段: ``start`` and ``end`` as ``YYYY-MM`` within one fiscal year.

    ``deadline`` (报送截止日期) is the date by which units submit; a closed period (``is_open``
    false) takes no more edits or imports (accounts.permissions and importing refuse them).
    """

    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="periods")
    start = models.CharField(_("起始月"), max_length=7)
    end = models.CharField(_("截止月"), max_length=7)
    deadline = models.DateField(_("报送截止日期"), null=True, blank=True)
    is_open = models.BooleanField(_("接受填报"), default=True)

    class Meta:
        verbose_name = _("跟踪时段")
        ordering = ["-end", "-start"]
        constraints = [models.UniqueConstraint(fields=["start", "end"], name="period_unique_months")]

    def __str__(self) -> str:
        return f"{self.start} 至 {self.end}"


class Project(models.Model):
    """A budget project of one implementing unit in one fiscal year."""

    name = models.CharField(_("项目名称"), max_length=300)
    unit = models.ForeignKey(
        Organisation, verbose_name=_("实施单位"), on_delete=models.PROTECT, related_name="projects"
    )
    fiscal_year = models.ForeignKey(FiscalYear, on_delete=models.PROTECT, related_name="projects")

    class Meta:
        verbose_name = _("项目")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "fiscal_year", "name"], name="project_unique_per_unit_year")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        """A rename is carried to the project's forms, which keep the name as a sort key (``project_name``)."""
        adding = self._state.adding  # a new project has no forms yet
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if not adding and (update_fields is None or "name" in update_fields):
            TrackingReport.objects.filter(project_id=self.pk).exclude(project_name=self.name).update(
                project_name=self.name)


CURRENT = models.Q(is_latest=True)  # the current version of a form: what lists, sums and the roll-up read


class TrackingReport(models.Model):
    """财政项目支出绩效跟踪表: one project's form for one tracking period."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="reports")
    period = models.ForeignKey(TrackingPeriod, on_delete=models.PROTECT, related_name="reports")
    # Denormalised from the project so that scope filters are one join shorter on every list.
    unit = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="reports")
    department_label = models.CharField(_("主管部门（原文）"), max_length=300)
    # The unit's name when the form was filed, kept when the unit is renamed or merged (empty: the
    # current name, unit.name); accounts.services fills it in before changing the name.
    unit_label = models.CharField(_("实施单位（填报时名称）"), max_length=200, blank=True, default="")
    department_goal = models.TextField(_("部门年度总体目标"), **TEXT)
    amount_unit = models.CharField(_("金额单位"), max_length=10, default="万元")
    goal = models.TextField(_("预期目标"), **TEXT)
    progress = models.TextField(_("跟踪期实际完成情况"), **TEXT)
    budget_likelihood = models.CharField(_("年度项目预算完成可能性"), max_length=20, **TEXT)
    goal_likelihood = models.CharField(_("年度绩效目标完成可能性"), max_length=20, **TEXT)
    corrective_actions = models.TextField(_("纠偏措施"), **TEXT)
    remarks = models.TextField(_("备注"), **TEXT)  # MoF layout
    # 预算调整 (MoF layout) as JSON text, a list of {date, source, amount, reason} as jixiao.tracking/1
    # writes them (mapping.py); text, not a JSON column, so the bulk writers insert it as it is.
    adjustments = models.TextField(_("预算调整"), **TEXT)
    status = models.CharField(_("状态"), max_length=30, choices=Status.choices, default=Status.DRAFT)
    # Bumped by every save of the form's contents: the edit page's optimistic lock.
    revision = models.PositiveIntegerField(_("修订次数"), default=1)

    # Versions: a correction of a published form is a new row (version + 1, ``previous`` the
    # published one); only the newest version of a project and period is ``is_latest``, and
    # only the newest *published* one is ``public_current`` (what the public site shows).
    version = models.PositiveIntegerField(_("版本"), default=1)
    previous = models.ForeignKey(
        "self", verbose_name=_("上一版本"), null=True, blank=True, on_delete=models.PROTECT, related_name="corrections"
    )
    is_latest = models.BooleanField(default=True)
    public_current = models.BooleanField(default=False)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    # The last return's reason, shown to the unit until it submits again.
    return_comment = models.TextField(_("退回意见"), **TEXT)
    returned_at = models.DateTimeField(null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("退回人"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    # The unit's explanation given with the submission (warnings need one).
    submit_comment = models.TextField(_("送审说明"), **TEXT)

    # The checker's verdict, kept current by the services that save a report.
    time_progress = models.DecimalField(_("序时进度"), max_digits=7, decimal_places=2, null=True, blank=True)
    budget_light = models.CharField(_("预算执行预警"), max_length=10, choices=Light.choices, **TEXT)
    light = models.CharField(_("预警"), max_length=10, choices=Light.choices, **TEXT)
    light_rank = models.PositiveSmallIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    info_count = models.PositiveIntegerField(default=0)
    checked_at = models.DateTimeField(null=True, blank=True)

    # The total row, copied here so that lists can sort and sum without a join per row.
    total_period_budget = models.DecimalField(_("跟踪期预算数"), **AMOUNT)
    total_spent = models.DecimalField(_("跟踪期执行数"), **AMOUNT)
    total_rate = models.DecimalField(_("执行率"), **AMOUNT)

    # Sort keys stored so that each list order is an index (docs/PERFORMANCE.md, issue 15), set by
    # mapping.py on every write: the project's name (Project.save carries a rename), the total row's
    # 跟踪期预算数 in 万元 (domain.model.to_wanyuan; None without a budget or with an unknown unit) and
    # the rank of the most serious finding (``worst_rank``).
    project_name = models.CharField(_("项目名称"), max_length=300, blank=True, default="")
    budget_wanyuan = models.DecimalField(_("跟踪期预算数（万元）"), max_digits=30, decimal_places=10, null=True,
                                         blank=True)
    worst = models.PositiveSmallIntegerField(default=0)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("绩效跟踪表")
        ordering = ["project_name"]  # the stored copy of the project's name: no join to sort
        constraints = [
            models.UniqueConstraint(fields=["project", "period", "version"], name="report_unique_version"),
            models.UniqueConstraint(
                fields=["project", "period"], condition=models.Q(is_latest=True), name="report_one_latest_per_period"
            ),
        ]
        indexes = [
            models.Index(fields=["period", "unit"]),
            models.Index(fields=["light_rank"]),
            models.Index(fields=["status", "is_latest"]),
            models.Index(fields=["public_current", "period"]),
            models.Index(fields=["period", "-light_rank", "-error_count"], name="report_period_light_errors"),
            # The dashboard's chart ranks a period's reports by their rate.
            models.Index(fields=["period", "total_rate"], name="report_period_rate"),
            # Each list order of the current forms (selectors.SORTS, the unit's name apart) exactly, so that
            # ORDER BY … LIMIT 50 walks an index and stops (EXPLAIN in docs/PERFORMANCE.md); "-project" walks
            # the first backwards. Partial: the older versions are never listed. They replace the list's
            # (-light_rank, -error_count) index, whose ties were sorted by joining every project.
            *(models.Index(fields=[*fields, "id"], condition=CURRENT, name=name) for name, fields in (
                ("report_current_project", ["project_name"]),
                ("report_current_rate", ["total_rate", "project_name"]),
                ("report_current_rate_desc", ["-total_rate", "project_name"]),
                ("report_current_light", ["-light_rank", "-error_count", "project_name"]),
                ("report_current_findings", ["-error_count", "-warning_count", "project_name"]),
                ("report_current_budget", ["-budget_wanyuan", "project_name"]),
            )),
            # The dashboard's chart (biggest budgets in 万元; only forms with one) and top findings (most serious
            # first; only forms with a finding) of one period: selectors.CHART_ORDER, TOP_FINDINGS_ORDER.
            models.Index(fields=["period", "-budget_wanyuan", "project_name", "id"],
                         condition=CURRENT & models.Q(budget_wanyuan__isnull=False), name="report_period_chart"),
            models.Index(fields=["period", "-worst", "-light_rank", "project_name", "id"],
                         condition=CURRENT & models.Q(worst__gt=0), name="report_period_worst"),
            # The public index's probe per unit (public.selectors: EXISTS a published form of the unit): one
            # look-up in a small index of the published forms, not a walk of each unit's forms.
            models.Index(fields=["unit"], condition=models.Q(public_current=True, status=Status.PUBLISHED),
                         name="report_unit_published"),
        ]

    def __str__(self) -> str:
        return f"{self.project.name}（{self.period}）"

    @property
    def has_other_versions(self) -> bool:
        """A correction (更正) makes a new version and the one before stops being the latest: a first
        version that is still the latest is the only one."""
        return self.version > 1 or not self.is_latest


class BudgetLine(models.Model):
    """One funding row of 预算执行情况."""

    report = models.ForeignKey(TrackingReport, on_delete=models.CASCADE, related_name="budget_lines")
    source = models.CharField(max_length=20)  # total / appropriation / carryover / other
    initial = models.DecimalField(_("年初预算数"), **AMOUNT)
    period_budget = models.DecimalField(_("跟踪期预算数"), **AMOUNT)
    spent = models.DecimalField(_("跟踪期执行数"), **AMOUNT)
    rate = models.DecimalField(_("执行率"), **AMOUNT)
    adjusted = models.DecimalField(_("调整后预算数"), **AMOUNT)
    forecast_spent = models.DecimalField(_("全年预计执行数"), **AMOUNT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "source"], name="budget_line_unique_source")]


class Indicator(models.Model):
    """One 三级指标 with its levels, target (printed and parsed) and the period's values."""

    report = models.ForeignKey(TrackingReport, on_delete=models.CASCADE, related_name="indicators")
    position = models.PositiveSmallIntegerField()
    level1 = models.CharField(_("一级指标"), max_length=100, **TEXT)
    level2 = models.CharField(_("二级指标"), max_length=100, **TEXT)
    name = models.CharField(_("三级指标"), max_length=300)
    target_text = models.CharField(_("年度指标值"), max_length=200)
    target_kind = models.CharField(max_length=20)
    target_comparator = models.CharField(max_length=2, **TEXT)
    target_value = models.DecimalField(**AMOUNT)
    target_unit = models.CharField(max_length=20, **TEXT)
    planned = models.CharField(_("跟踪期计划完成值"), max_length=200, null=True, blank=True)
    actual = models.CharField(_("跟踪期实际完成值"), max_length=200, null=True, blank=True)
    deviation_reason = models.TextField(_("偏差原因分析"), null=True, blank=True)
    forecast = models.CharField(_("全年预计完成值"), max_length=200, null=True, blank=True)
    deviation_causes = models.CharField(_("偏差原因类别"), max_length=200, **TEXT)
    likelihood = models.CharField(_("完成目标可能性"), max_length=20, **TEXT)  # MoF layout
    # The plan derived from the approved goal (domain/plans.py), its derivation, and the unit's reason
    # when ``planned`` differs from it (goals; empty for forms not built from a goal).
    plan_derived = models.CharField(_("按绩效目标推算的计划值"), max_length=200, **TEXT)
    plan_derivation = models.CharField(_("计划值推算"), max_length=400, **TEXT)
    plan_override_reason = models.TextField(_("改写计划值的理由"), **TEXT)
    light = models.CharField(max_length=10, choices=Light.choices, **TEXT)

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["report", "position"], name="indicator_unique_position")]


class Finding(models.Model):
    """One problem the checker found on a report, stored so that lists can sort by it."""

    report = models.ForeignKey(TrackingReport, on_delete=models.CASCADE, related_name="findings")
    position = models.PositiveSmallIntegerField()
    rule = models.CharField(_("规则"), max_length=60)
    severity = models.CharField(_("严重程度"), max_length=10, choices=Severity.choices)
    severity_rank = models.PositiveSmallIntegerField()
    message = models.TextField(_("说明"))
    field = models.CharField(_("字段"), max_length=100, **TEXT)
    indicator_name = models.CharField(_("指标"), max_length=300, **TEXT)
    indicator_index = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-severity_rank", "position"]
        indexes = [models.Index(fields=["report", "-severity_rank", "position"])]


class UnitPeriodSummary(models.Model):
    """One unit's current forms (``is_latest``) of one period with one status and overall light:
    how many, their 跟踪期预算数 and 执行数 in 万元, their errors and warnings, and their budget lines'
    sums in 万元 per funding source. Kept by
    ``summaries.summaries_refresh`` in the transaction of every write, so that the dashboard,
    roll-up, department view, 待办 counts and completeness table read these instead of the forms
    (docs/PERFORMANCE.md)."""

    unit = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(TrackingPeriod, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=30)
    light = models.CharField(max_length=10, blank=True, default="")
    count = models.PositiveIntegerField(default=0)
    budget_wanyuan = models.DecimalField(**SUMMED)
    spent_wanyuan = models.DecimalField(**SUMMED)
    errors = models.PositiveIntegerField(default=0)  # error findings of these forms, added up
    warnings = models.PositiveIntegerField(default=0)
    # Their budget lines' 年初预算数, 跟踪期预算数 and 执行数 in 万元 per funding source (domain.model.FUNDING_SOURCES):
    # the roll-up's totals per source (summaries.SOURCE_COLUMNS), instead of summing the department's lines.
    total_initial = models.DecimalField(**SUMMED)
    total_budget = models.DecimalField(**SUMMED)
    total_spent = models.DecimalField(**SUMMED)
    appropriation_initial = models.DecimalField(**SUMMED)
    appropriation_budget = models.DecimalField(**SUMMED)
    appropriation_spent = models.DecimalField(**SUMMED)
    carryover_initial = models.DecimalField(**SUMMED)
    carryover_budget = models.DecimalField(**SUMMED)
    carryover_spent = models.DecimalField(**SUMMED)
    other_initial = models.DecimalField(**SUMMED)
    other_budget = models.DecimalField(**SUMMED)
    other_spent = models.DecimalField(**SUMMED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "period", "status", "light"],
                                               name="summary_unique_group")]
        # The period's foreign-key index serves the pages' GROUP BY and the unique constraint (unit first) the
        # refresh's DELETE; the status index the header's 待办 count of the finance bureau, which sums the rows
        # waiting for it over every unit and period on every page (EXPLAIN in docs/PERFORMANCE.md).
        indexes = [models.Index(fields=["status"], name="summary_status")]
