"""Reading budget adjustment proposals (预算调整建议), always from the user's scope (accounts/scope.py).

A proposal is derived from the current form of each project at one tracking point: its year-end spending
forecast (domain/forecast.py ``forecast_spending`` with the history of tracking/forecasting.py
``histories``) and the rule of domain/proposals.py. Finance's decisions are ``ProposalDecision`` rows.
Queries are bounded whatever the number of projects: the forms with their total budget line (one), the
history (three), the decisions (one).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.utils.translation import gettext as _

from jixiao.accounts import permissions
from jixiao.accounts.models import User
from jixiao.accounts.scope import unit_filter
from jixiao.benchmarking.models import ProposalDecision
from jixiao.domain import model as domain
from jixiao.domain.forecast import annual_budget, forecast_spending
from jixiao.domain.proposals import ACTION_LABELS, Proposal, propose
from jixiao.tracking import models as tracking
from jixiao.tracking.checking import checker_config
from jixiao.tracking.forecasting import histories
from jixiao.tracking.mapping import printed

PENDING = "pending"
DECISION_LABELS = {PENDING: "待处理", "accepted": "已采纳", "rejected": "未采纳"}


@dataclass(frozen=True)
class ProposalRow:
    report_id: int
    project_id: int
    project: str
    unit: str
    department_id: int | None
    department: str
    amount_unit: str
    spent: Decimal | None
    proposal: Proposal
    decision: ProposalDecision | None

    @property
    def state(self) -> str:
        return self.decision.decision if self.decision else PENDING

    @property
    def state_label(self) -> str:
        return DECISION_LABELS[self.state]

    @property
    def balance_wanyuan(self) -> Decimal:
        return domain.to_wanyuan(self.proposal.expected_balance, self.amount_unit)


@dataclass
class DepartmentTotal:
    department: str
    count: int = 0
    balance: Decimal = Decimal(0)  # 万元
    by_action: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(ACTION_LABELS, Decimal(0)))
    accepted: Decimal = Decimal(0)


def proposal_periods(*, user: User) -> list[tracking.TrackingPeriod]:
    """The tracking points before the year's end, newest first: those a forecast is made at."""
    permissions.check(user, permissions.PROPOSALS)
    return [p for p in tracking.TrackingPeriod.objects.select_related("fiscal_year").order_by("-end", "-start")
            if int(p.end[5:]) < 12]


def _total_line(column: str):
    return Subquery(tracking.BudgetLine.objects.filter(report=OuterRef("pk"), source="total").values(column)[:1])


def _forms(user: User, period: tracking.TrackingPeriod, **filters):
    return (tracking.TrackingReport.objects.filter(unit_filter(user), period=period, is_latest=True, **filters)
            .annotate(total_initial=_total_line("initial"), total_adjusted=_total_line("adjusted"))
            .values("pk", "project_id", "project__name", "unit__name", "unit__parent_id", "unit__parent__name",
                    "amount_unit", "total_spent", "total_initial", "total_adjusted")
            .order_by("unit__parent__name", "unit__name", "project__name"))


def _proposal(row: dict, period: tracking.TrackingPeriod, history, config) -> Proposal | None:
    report = domain.TrackingReport(
        project=row["project__name"], department="", unit="", period=domain.Period(period.start, period.end),
        amount_unit=row["amount_unit"],
        budget=domain.Budget(total=domain.BudgetLine(initial=printed(row["total_initial"]),
                                                     adjusted=printed(row["total_adjusted"]),
                                                     spent=printed(row["total_spent"]))))
    return propose(annual_budget(report), forecast_spending(report, history, config), row["amount_unit"])


def proposals(*, user: User, period: tracking.TrackingPeriod, department_id: int | None = None,
              **filters) -> list[ProposalRow]:
    """Every project of ``period`` in the user's scope expected to leave money unspent, with its proposal
    and finance's decision (five queries)."""
    permissions.check(user, permissions.PROPOSALS)
    if department_id is not None:
        filters["unit__parent_id"] = department_id
    rows = list(_forms(user, period, **filters))
    end = int(period.end[5:])
    known = histories((row["project_id"], end, row["amount_unit"]) for row in rows)
    config = checker_config()
    found = []
    for row in rows:
        made = _proposal(row, period, known.get((row["project_id"], end, row["amount_unit"])), config)
        if made is not None:
            found.append((row, made))
    decisions = {d.project_id: d for d in ProposalDecision.objects.filter(
        period=period, project_id__in=[row["project_id"] for row, _ in found]).select_related("decided_by")}
    return [ProposalRow(report_id=row["pk"], project_id=row["project_id"], project=row["project__name"],
                        unit=row["unit__name"], department_id=row["unit__parent_id"],
                        department=row["unit__parent__name"] or "", amount_unit=row["amount_unit"],
                        spent=row["total_spent"], proposal=made, decision=decisions.get(row["project_id"]))
            for row, made in found]


def proposal_of_report(*, user: User, report: tracking.TrackingReport) -> Proposal | None:
    """The proposal of one stored form (the service's check before a decision); four queries."""
    row = _forms(user, report.period, pk=report.pk).first()
    if row is None:
        raise Http404(_("没有这张跟踪表，或您无权查看"))
    end = int(report.period.end[5:])
    key = (row["project_id"], end, row["amount_unit"])
    return _proposal(row, report.period, histories([key])[key], checker_config())


def department_totals(rows: list[ProposalRow]) -> list[DepartmentTotal]:
    """预计结余 (万元) per department: in all, per proposed action, and what finance accepted."""
    totals: dict[str, DepartmentTotal] = defaultdict(lambda: DepartmentTotal(""))
    for row in rows:
        total = totals[row.department]
        total.department = row.department
        total.count += 1
        total.balance += row.balance_wanyuan
        total.by_action[row.proposal.action] += row.balance_wanyuan
        if row.state == "accepted":
            total.accepted += row.balance_wanyuan
    return sorted(totals.values(), key=lambda t: (-t.balance, t.department))
