"""预算调整建议: which projects are expected to leave money unspent at year end, and what to propose.

Pure domain (Decimal, no Django). The expected spending is the year-end forecast of domain/forecast.py
(``forecast_spending``) — never a second estimate. The 预计结余 (``expected_balance``) is the annual
budget (调整后预算数, else 年初预算数: ``forecast.annual_budget``) less the forecast; the firm balance is
the budget less the forecast's high end (what stays unspent even if the project spends as fast as any
known curve allows).

The rule choosing the action (thresholds in ``ClosingConfig``, domain/config.py):

- no proposal when the expected balance is below ``proposal_min_share`` % of the budget or below
  ``proposal_min_wanyuan`` 万元;
- 收回 (recover to the treasury) when the firm balance is at least ``proposal_recover_share`` % of the
  budget: even the optimistic forecast leaves that much unspent;
- 调剂 (reallocate within the department) when the expected balance is below
  ``proposal_reallocate_below`` % of the budget: a small sum, better moved to a project that needs it;
- 调减 (reduce the project's budget by the expected balance) otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao.domain.config import DEFAULT_CLOSING, ClosingConfig
from jixiao.domain.forecast import Forecast
from jixiao.domain.model import CENT, HUNDRED, to_wanyuan

REDUCE, RECOVER, REALLOCATE = "reduce", "recover", "reallocate"
ACTION_LABELS = {REDUCE: "调减", RECOVER: "收回", REALLOCATE: "调剂"}
ACTION_REASONS = {
    RECOVER: "按预测区间上限测算仍有较大结余，建议收回财政",
    REDUCE: "预计年末有结余，建议按预计结余调减项目预算",
    REALLOCATE: "预计结余较小，建议在部门内调剂至资金需求较大的项目",
}


@dataclass(frozen=True)
class Proposal:
    """A proposed adjustment: amounts in the form's amount unit, shares in % of the budget."""

    budget: Decimal
    forecast: Decimal
    expected_balance: Decimal
    firm_balance: Decimal
    balance_share: Decimal
    action: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS[self.action]

    @property
    def rationale(self) -> str:
        return ACTION_REASONS[self.action]


def _share(part: Decimal, whole: Decimal) -> Decimal:
    return (part / whole * HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def choose_action(balance_share: Decimal, firm_share: Decimal, config: ClosingConfig = DEFAULT_CLOSING) -> str:
    """收回, 调剂 or 调减 by the rule in the module's docstring."""
    if firm_share >= config.proposal_recover_share:
        return RECOVER
    if balance_share < config.proposal_reallocate_below:
        return REALLOCATE
    return REDUCE


def propose(budget: Decimal | None, forecast: Forecast | None, amount_unit: str,
            config: ClosingConfig = DEFAULT_CLOSING) -> Proposal | None:
    """The proposal for a project with annual ``budget`` and year-end spending ``forecast``; None when
    nothing is expected to stay unspent (or too little to propose)."""
    if budget is None or budget <= 0 or forecast is None:
        return None
    balance = budget - forecast.value
    share = _share(balance, budget)
    wanyuan = to_wanyuan(balance, amount_unit)
    if share < config.proposal_min_share or wanyuan is None or wanyuan < config.proposal_min_wanyuan:
        return None
    firm = max(budget - forecast.high, Decimal(0))
    return Proposal(budget=budget, forecast=forecast.value, expected_balance=balance, firm_balance=firm,
                    balance_share=share, action=choose_action(share, _share(firm, budget), config))
