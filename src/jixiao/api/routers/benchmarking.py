"""预算调整建议 and 跨项目对标: the same data as the pages /benchmarking/proposals/ and /benchmarking/.

Who may read (finance; a department its own units' proposals) and decide (finance) is decided by
``accounts.permissions`` inside the selectors and the service; this adapter maps their refusals as every
endpoint does: out of scope 404, outside the role 403, a decision already taken or no proposal 409.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema

from jixiao.accounts.scope import departments_in_scope
from jixiao.api.auth import current_user
from jixiao.api.errors import BAD_REQUEST, ApiError, ErrorOut, not_found
from jixiao.api.schemas import Id, dec
from jixiao.benchmarking import comparing, selectors, services

router = Router(tags=["benchmarking"])
ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ErrorOut}
Reason = Annotated[str, Field(min_length=1, max_length=services.REASON_LIMIT, pattern=r"^[^\x00]*$")]


class ProposalQuery(Schema):
    period: Id | None = Field(None, description="跟踪时段 id；缺省为最近的年中跟踪时段")
    department: Id | None = Field(None, description="主管部门 id")


class ProposalOut(Schema):
    report_id: int
    project: str
    unit: str
    department: str
    amount_unit: str
    budget: str = Field(..., description="全年预算数（调整后预算数，否则年初预算数）")
    spent: str | None = Field(None, description="跟踪期执行数")
    forecast: str = Field(..., description="预计全年执行数（与跟踪表“预测”栏同一算法）")
    expected_balance: str = Field(..., description="预计结余")
    balance_share: str = Field(..., description="预计结余占全年预算数的百分比")
    action: Literal["reduce", "recover", "reallocate"] = Field(..., description="调减 / 收回 / 调剂")
    action_label: str
    state: Literal["pending", "accepted", "rejected"]
    reason: str | None = Field(None, description="财政处理的理由")


class DepartmentTotalOut(Schema):
    department: str
    count: int
    balance: str = Field(..., description="预计结余合计（万元）")
    by_action: dict[str, str] = Field(..., description="按建议（reduce/recover/reallocate）的预计结余（万元）")
    accepted: str = Field(..., description="已采纳的预计结余（万元）")


class ProposalsOut(Schema):
    period_id: int | None
    items: list[ProposalOut]
    totals: list[DepartmentTotalOut]


class DecisionIn(Schema):
    decision: Literal["accept", "reject"] = Field(description="accept 采纳、reject 不采纳")
    reason: Reason = Field(description="理由（必填）")


def _item(row: selectors.ProposalRow) -> dict:
    made = row.proposal
    return {"report_id": row.report_id, "project": row.project, "unit": row.unit, "department": row.department,
            "amount_unit": row.amount_unit, "budget": dec(made.budget), "spent": dec(row.spent),
            "forecast": dec(made.forecast), "expected_balance": dec(made.expected_balance),
            "balance_share": dec(made.balance_share), "action": made.action, "action_label": made.action_label,
            "state": row.state, "reason": row.decision.reason if row.decision else None}


@router.get("/proposals", response={200: ProposalsOut, **ERRORS}, summary="预算调整建议（及各主管部门合计）")
def proposals(request: HttpRequest, query: Query[ProposalQuery]):
    user = current_user(request)
    periods = selectors.proposal_periods(user=user)
    if query.period is None:
        period = periods[0] if periods else None
    else:
        period = next((p for p in periods if p.pk == query.period), None)
        if period is None:
            raise not_found()
    if query.department is not None and not departments_in_scope(user).filter(pk=query.department).exists():
        raise not_found()
    rows = [] if period is None else selectors.proposals(user=user, period=period, department_id=query.department)
    return {"period_id": period.pk if period else None, "items": [_item(r) for r in rows],
            "totals": [{"department": t.department, "count": t.count, "balance": dec(t.balance),
                        "by_action": {k: dec(v) for k, v in t.by_action.items()}, "accepted": dec(t.accepted)}
                       for t in selectors.department_totals(rows)]}


@router.post("/proposals/{report_id}/decision", response={200: ProposalOut, **ERRORS},
             summary="财政采纳或不采纳一项预算调整建议")
def proposal_decision(request: HttpRequest, report_id: Path[Id], body: DecisionIn):
    user = current_user(request)
    try:
        saved = services.proposal_decide(user=user, report_id=report_id, decision=body.decision, reason=body.reason)
    except ValueError as error:
        raise ApiError(400, BAD_REQUEST, str(error)) from None
    row = next(r for r in selectors.proposals(user=user, period=saved.period) if r.project_id == saved.project_id)
    return _item(row)


class BenchmarkQuery(Schema):
    year: int | None = Field(None, ge=1900, le=2999, description="年度；缺省为全部年度")


class StatsOut(Schema):
    count: int
    min: str
    q1: str
    median: str
    q3: str
    max: str


class GroupOut(Schema):
    name: str = Field(..., description="三级指标（指标库规范名称）")
    unit: str
    bound: Literal["lower", "upper", "exact", "cost"]
    projects: int
    units: int
    years: list[int]
    targets: StatsOut | None
    actuals: StatsOut | None
    outliers: int


class OutlierOut(Schema):
    kind: Literal["lenient", "costly"] = Field(..., description="lenient 目标明显宽松；costly 单位成本数倍于中位数")
    name: str
    unit: str
    project_id: int
    project: str
    implementing_unit: str
    department: str
    year: int
    comparator: str
    value: str
    peers: StatsOut
    limit: str = Field(..., description="判定界限：同类的内篱笆（宽松目标）或中位数的倍数（单位成本）")


class QualityOut(Schema):
    department: str
    forms: int
    missed: int = Field(..., description="偏差指标数（红灯、黄灯）")
    missed_no_deviation: int = Field(..., description="其中偏差原因填“无偏差”等空话的")
    no_deviation_share: str | None
    submitted: int
    late: int = Field(..., description="首次送审晚于报送截止日期的跟踪表")
    returns: int
    rules: list[dict[str, str | int]] = Field(..., description="最常见的问题：code、title、count")


class BenchmarkOut(Schema):
    groups: list[GroupOut]
    outliers: list[OutlierOut]
    departments: list[QualityOut]


def _stats(q) -> dict | None:
    if q is None:
        return None
    return {"count": q.count, "min": str(q.low), "q1": str(q.q1), "median": str(q.median), "q3": str(q.q3),
            "max": str(q.high)}


@router.get("/benchmarking", response={200: BenchmarkOut, **ERRORS}, summary="跨项目对标：分布、异常与填报质量")
def benchmarking(request: HttpRequest, query: Query[BenchmarkQuery]):
    result = comparing.benchmark(user=current_user(request), year=query.year)
    return {
        "groups": [{"name": g.name, "unit": g.unit, "bound": g.bound, "projects": len(g.targets), "units": g.units,
                    "years": g.years, "targets": _stats(g.target_stats), "actuals": _stats(g.actual_stats),
                    "outliers": g.outliers} for g in result.groups],
        "outliers": [{"kind": o.kind, "name": o.group.name, "unit": o.group.unit, "project_id": o.value.project_id,
                      "project": o.value.project, "implementing_unit": o.value.unit,
                      "department": o.value.department, "year": o.value.year, "comparator": o.value.comparator,
                      "value": dec(o.value.value), "peers": _stats(o.peers), "limit": dec(o.limit)}
                     for o in result.outliers],
        "departments": [{"department": q.department, "forms": q.forms, "missed": q.missed,
                         "missed_no_deviation": q.missed_no_deviation,
                         "no_deviation_share": dec(q.no_deviation_share), "submitted": q.submitted,
                         "late": q.late, "returns": q.returns,
                         "rules": [{"code": c, "title": t, "count": n} for c, t, n in q.rules]}
                        for q in result.departments],
    }
