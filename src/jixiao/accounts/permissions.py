"""Who may do what: the one place deciding permissions, on top of ``scope`` (who sees what).

Plain functions for every adapter (pages, downloads, imports, the JSON API):

- ``can(user, action, report)`` — a yes/no for showing a button;
- ``check(user, action, report)`` — raises ``Http404`` when the report is outside the user's
  scope (it must look as if it did not exist), ``PermissionDenied`` (403) when the user's role
  may never do this, and ``TransitionRefused`` when the role may but not in the form's state.

Which role may do which workflow step is the domain's (``jixiao.domain.workflow``).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.accounts.models import ADMINISTRATOR_ROLES, Role, User
from jixiao.accounts.scope import sees_everything
from jixiao.domain import workflow

VIEW = "view"
EDIT = "edit"
HISTORY = "history"
IMPORT = "import"
AUDIT = "audit"
INBOX = "inbox"
PERIODS = "periods"  # set tracking periods' deadlines, open or close them
COMPLETENESS = "completeness"  # who has submitted what, per period
DEPARTMENTS = "departments"  # the finance view by department
# 三员分立: organisations and accounts (系统管理员); deactivating accounts, ending sessions and
# revoking tokens (系统管理员 and 安全管理员); the password and lock-out policy (安全管理员).
ORGANISATIONS = "organisations"
ACCOUNTS = "accounts"
DEACTIVATE = "deactivate"
SECURITY = "security"
FORMS = "forms"
LIBRARY = "library"  # read the indicator library (指标库)
LIBRARY_MANAGE = "library_manage"  # merge its duplicates, mark recommended ones
GOALS = "goals"  # annual performance goals (绩效目标): their pages; each goal then by scope, jixiao.goals
EVALUATIONS = "evaluations"  # year-end self-evaluations (绩效自评): their pages; each then by scope, jixiao.evaluation
SCORING = "scoring"  # set a year's self-evaluation weights and grade bands (docs/SCORING.md)
PROPOSALS = "proposals"  # 预算调整建议: read (a department its own units'), jixiao.benchmarking
PROPOSALS_DECIDE = "proposals_decide"  # accept or reject a proposal
BENCHMARKING = "benchmarking"  # 跨项目对标
WARNINGS = "warnings"  # warnings and rectification (预警与整改): their pages; each warning by scope, jixiao.warnings
WORKFLOW_ACTIONS = workflow.ACTIONS
REPORT_ACTIONS = (VIEW, EDIT, HISTORY, *WORKFLOW_ACTIONS)
GLOBAL_ACTIONS = (IMPORT, AUDIT, INBOX, PERIODS, COMPLETENESS, DEPARTMENTS, ORGANISATIONS, ACCOUNTS, DEACTIVATE,
                  SECURITY, FORMS, LIBRARY, LIBRARY_MANAGE, GOALS, EVALUATIONS, SCORING,
                  PROPOSALS, PROPOSALS_DECIDE, BENCHMARKING, WARNINGS)

_GLOBAL_ROLES = {
    IMPORT: {Role.UNIT, Role.DEPARTMENT, Role.FINANCE},
    AUDIT: {Role.FINANCE, Role.AUDITOR},
    INBOX: {Role.UNIT, Role.DEPARTMENT, Role.FINANCE},
    PERIODS: {Role.FINANCE},
    COMPLETENESS: {Role.DEPARTMENT, Role.FINANCE},
    DEPARTMENTS: {Role.DEPARTMENT, Role.FINANCE},
    ORGANISATIONS: {Role.SYSTEM_ADMIN},
    ACCOUNTS: {Role.SYSTEM_ADMIN},
    DEACTIVATE: {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN},
    SECURITY: {Role.SECURITY_ADMIN},
    FORMS: {Role.UNIT, Role.DEPARTMENT, Role.FINANCE},
    LIBRARY: {Role.UNIT, Role.DEPARTMENT, Role.FINANCE},
    LIBRARY_MANAGE: {Role.FINANCE},
    GOALS: {Role.UNIT, Role.DEPARTMENT, Role.FINANCE},
    EVALUATIONS: {Role.UNIT, Role.DEPARTMENT, Role.FINANCE},
    SCORING: {Role.FINANCE},
    PROPOSALS: {Role.DEPARTMENT, Role.FINANCE},
    PROPOSALS_DECIDE: {Role.FINANCE},
    BENCHMARKING: {Role.FINANCE},
    WARNINGS: {Role.UNIT, Role.DEPARTMENT, Role.FINANCE},
}

# Where each administrator lands (their pages, never the forms).
HOME_PAGES = {
    Role.SYSTEM_ADMIN: "manage:organisations",
    Role.SECURITY_ADMIN: "manage:security",
    Role.AUDITOR: "audit:list",
}


def role_of(user: User) -> str:
    """The user's role: it alone decides (``is_superuser`` grants nothing; there is no Django admin)."""
    return str(user.role)


def is_administrator(user: User) -> bool:
    return user.is_authenticated and role_of(user) in ADMINISTRATOR_ROLES


def home_page(user: User) -> str:
    """The URL name of the user's own home page."""
    return HOME_PAGES.get(role_of(user), "tracking:dashboard") if user.is_authenticated else "login"


def check_not_self(actor: User, target: User) -> None:
    """No one administers their own account (role, organisation, deactivation, reset)."""
    if actor.pk == target.pk:
        raise PermissionDenied(_("不能管理自己的账号（角色、机构、停用、重置密码须由其他管理员进行）"))


def in_scope(user: User, report) -> bool:
    """Whether ``report`` (anything with ``unit_id`` and ``unit.parent_id``) is within the user's scope."""
    if not user.is_authenticated:
        return False
    if sees_everything(user):
        return True
    if user.organisation_id is None:
        return False
    if user.role == Role.DEPARTMENT:
        return report.unit.parent_id == user.organisation_id
    return report.unit_id == user.organisation_id


def check(user: User, action: str, report=None) -> None:
    """Raise unless ``user`` may do ``action`` (on ``report`` when the action concerns one)."""
    if not user.is_authenticated:
        raise PermissionDenied(_("请先登录"))
    role = role_of(user)
    if action in GLOBAL_ACTIONS:
        if role not in _GLOBAL_ROLES[action]:
            raise PermissionDenied(_("您的角色无权进行此操作"))
        return
    if report is None or action not in REPORT_ACTIONS:
        raise PermissionDenied(_("没有这个操作"))
    if not in_scope(user, report):
        raise Http404(_("没有这张跟踪表，或您无权查看"))
    if action in (VIEW, HISTORY):
        return
    if action == EDIT:
        if role not in workflow.EDITING_ROLES:
            raise PermissionDenied(_("您的角色不能修改跟踪表"))
        if not report.is_latest:
            raise workflow.TransitionRefused(_("这是旧版本，不能修改"))
        if not workflow.may_edit(report.status, role):
            raise workflow.TransitionRefused(
                _("跟踪表当前为“%(state)s”，不能修改；只有草稿可以修改（已送审的可先撤回）")
                % {"state": workflow.STATE_LABELS.get(report.status, report.status)}
            )
        period_check_open(report.period)
        return
    if not workflow.role_may(role, action):
        raise PermissionDenied(_("您的角色不能%(action)s跟踪表") % {"action": workflow.ACTION_LABELS[action]})
    if not report.is_latest:
        raise workflow.TransitionRefused(_("这是旧版本，请在最新版本上操作"))
    try:
        workflow.transition(report.status, action, role)
    except workflow.TransitionRefused as refused:
        if refused.forbidden:
            raise PermissionDenied(refused.message) from None
        raise


def period_check_open(period) -> None:
    """A closed tracking period (``is_open`` false) takes no more edits or imports: 409 with the way out."""
    if period is not None and not period.is_open:
        raise workflow.TransitionRefused(
            _("跟踪时段“%(period)s”已关闭，不再接受修改或导入；如确需修改，请联系财政部门重新开放该时段")
            % {"period": f"{period.start} 至 {period.end}"}
        )


def can(user: User, action: str, report=None) -> bool:
    try:
        check(user, action, report)
    except (PermissionDenied, Http404, workflow.TransitionRefused):
        return False
    return True


def unit_may_fill_in(report) -> bool:
    """Whether the form's unit may still fill it in (edit it, or import a template over it): the
    state test of ``check(EDIT)`` for the role that fills in forms, whoever asks (a draft, returned
    or not; not one submitted, approved or published, nor an older version)."""
    return bool(report.is_latest) and workflow.may_edit(report.status, Role.UNIT)


def role_may_ever(user: User, action: str) -> bool:
    """Whether the user's role may do a workflow ``action`` on some form (for showing bulk buttons)."""
    return user.is_authenticated and workflow.role_may(role_of(user), action)


def report_actions(user: User, report) -> list[str]:
    """The workflow actions the user may do on ``report`` now, in workflow order."""
    return [action for action in WORKFLOW_ACTIONS if can(user, action, report)]
