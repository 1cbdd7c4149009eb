"""`jixiao demo`: load the seed's organisations, projects and forms and create the demo accounts."""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from jixiao.accounts.models import Organisation, OrganisationKind, Role
from jixiao.accounts.services import organisation_finance_root, user_create_or_update
from jixiao.demo import SEED_NAME, seed_bytes
from jixiao.demo.cycle import demo_cycle
from jixiao.demo.evaluations import demo_evaluations
from jixiao.demo.goals import demo_goals
from jixiao.demo.warnings import demo_warnings
from jixiao.formats.registry import read_bytes
from jixiao.library.services import library_rebuild
from jixiao.tracking.importing import NEW, ImportPlan, documents_import
from jixiao.tracking.mapping import department_name
from jixiao.tracking.models import TrackingPeriod, TrackingReport
from jixiao.tracking.periods import period_update
from jixiao.tracking.workflow import report_transition


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role_label: str
    organisation: str


def demo_password(environ: dict[str, str]) -> tuple[str, bool]:
    """The demo password from JIXIAO_DEMO_PASSWORD, or a new random one (and whether it was generated)."""
    given = environ.get("JIXIAO_DEMO_PASSWORD", "").strip()
    if given:
        return given, False
    return secrets.token_urlsafe(9), True


@transaction.atomic
def demo_load(*, password: str, cycle: bool = True) -> tuple[ImportPlan, list[DemoAccount]]:
    """Import the seed (a second run changes nothing) and (re)create the demo accounts.

    ``cycle``: also the year's other tracking points, 1–4 月 and 1–10 月 (demo/cycle.py); the tests'
    ``demo`` fixture leaves them out so that its one period of nine forms stays what they count."""
    document = read_bytes(seed_bytes(), SEED_NAME)
    plan = documents_import(documents=[(SEED_NAME, document)], user=None)
    finance = organisation_finance_root()
    department = Organisation.objects.get(
        parent=finance, name=department_name(document.reports[0].department), kind=OrganisationKind.DEPARTMENT
    )
    unit = Organisation.objects.get(parent=department, name=document.reports[0].unit)
    accounts = [
        ("demo-finance", Role.FINANCE, finance),
        ("demo-department", Role.DEPARTMENT, department),
        ("demo-unit", Role.UNIT, unit),
        # 三员分立: system, security and audit administration are three accounts.
        ("demo-admin", Role.SYSTEM_ADMIN, finance),
        ("demo-security", Role.SECURITY_ADMIN, finance),
        ("demo-auditor", Role.AUDITOR, finance),
    ]
    created = []
    users = {}
    for username, role, organisation in accounts:
        users[username] = user_create_or_update(
            username=username, password=password, role=role, organisation=organisation, full_name=username
        )
        created.append(DemoAccount(username, str(role.label), organisation.name))
    if plan.reports and plan.count(NEW) == len(plan.reports):
        _walk_the_workflow(users)
    _set_deadline(users["demo-finance"])
    if cycle:
        demo_cycle(users)
        # The year's approved goals, derived from the forms (after the cycle: its points keep the seed's plans).
        demo_goals(users, year=document.reports[0].period.year)
        # The year-end self-evaluations, drafted from each project's last form (demo/evaluations.py).
        demo_evaluations(users, year=document.reports[0].period.year)
        # A warning in each state on the seed period's red lights (demo/warnings.py).
        seed_period = TrackingPeriod.objects.get(start=document.reports[0].period.start,
                                                 end=document.reports[0].period.end)
        demo_warnings(users, period_id=seed_period.pk)
    library_rebuild()  # the 指标库 of every form just loaded (finance's merges and recommendations stay)
    return plan, created


# The demo period's submission deadline, counted from the day `jixiao demo` runs so that the
# units' 待办 and the 报送进度 page show "还剩 14 天" (a later run keeps the date first set).
DEMO_DEADLINE_DAYS = 14


def _set_deadline(finance) -> None:
    for period in TrackingPeriod.objects.filter(deadline__isnull=True):
        period_update(period_id=period.pk, user=finance, is_open=period.is_open,
                      deadline=timezone.localdate() + datetime.timedelta(days=DEMO_DEADLINE_DAYS))


# Where the demo leaves some of the seed's forms (those without errors), so that every account
# finds something to do: the department a form to review, the finance bureau one to approve,
# the public a published form. The others stay drafts; 宣传费 (no findings at all) is the one
# the unit can submit at once and follow through the whole path.
DEMO_STEPS = {
    "工伤认定和劳动能力鉴定业务系统（2024年运维）": (
        "submit", "approve:demo-department", "approve:demo-finance", "publish",
    ),
    "政府购买辅助服务": ("submit", "approve:demo-department"),
    "征地养老慰问经费": ("submit",),
}
DEMO_SUBMIT_COMMENT = "预算执行偏慢的原因已在进度说明中解释，年内按合同节点支付。"


def _walk_the_workflow(users) -> None:
    for project, steps in DEMO_STEPS.items():
        row = TrackingReport.objects.filter(project__name=project, is_latest=True).order_by("period__end").first()
        if row is None:
            continue
        for step in steps:
            action, _, who = step.partition(":")
            user = users[who or ("demo-unit" if action == "submit" else "demo-finance")]
            comment = DEMO_SUBMIT_COMMENT if action == "submit" else ""
            report_transition(report_id=row.pk, user=user, action=action, comment=comment)
