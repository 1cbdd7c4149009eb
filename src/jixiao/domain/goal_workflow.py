"""The review of an annual performance goal (绩效目标) on the forms' state machine (domain/workflow.py).

draft → submitted → department_approved → finance_approved; either review step may return the goal
to draft with a required comment, and the unit may withdraw it before the department acts. An
approved goal is locked: a change (调整) is a new version, a draft with a required reason that goes
through review again while the approved one stays readable and in force.
"""

from __future__ import annotations

from jixiao.domain import workflow
from jixiao.domain.workflow import (
    APPROVE,
    DEPARTMENT,
    DEPARTMENT_APPROVED,
    DRAFT,
    FINANCE,
    FINANCE_APPROVED,
    RETURN,
    SUBMIT,
    SUBMITTED,
    UNIT,
    WITHDRAW,
    Transition,
)

ADJUST = "adjust"
STATES = (DRAFT, SUBMITTED, DEPARTMENT_APPROVED, FINANCE_APPROVED)
STATE_LABELS = {state: workflow.STATE_LABELS[state] for state in STATES}
ACTIONS = (SUBMIT, WITHDRAW, RETURN, APPROVE, ADJUST)
ACTION_LABELS = {**{action: workflow.ACTION_LABELS[action] for action in ACTIONS if action != ADJUST},
                 ADJUST: "调整（新版本）"}
# The steps taken with one button on the goal's page (调整 has a page of its own for the reason).
BUTTON_ACTIONS = (SUBMIT, WITHDRAW, RETURN, APPROVE)
NEEDS_COMMENT = frozenset({RETURN})

TRANSITIONS = (
    Transition(SUBMIT, DRAFT, SUBMITTED, frozenset({UNIT})),
    Transition(WITHDRAW, SUBMITTED, DRAFT, frozenset({UNIT})),
    Transition(RETURN, SUBMITTED, DRAFT, frozenset({DEPARTMENT})),
    Transition(RETURN, DEPARTMENT_APPROVED, DRAFT, frozenset({FINANCE})),
    Transition(APPROVE, SUBMITTED, DEPARTMENT_APPROVED, frozenset({DEPARTMENT})),
    Transition(APPROVE, DEPARTMENT_APPROVED, FINANCE_APPROVED, frozenset({FINANCE})),
    # 调整 leaves the approved version as it is and starts a new draft beside it.
    Transition(ADJUST, FINANCE_APPROVED, DRAFT, frozenset({UNIT})),
)
NOUN = "绩效目标"


def goal_transition(state: str, action: str, role: str) -> str:
    """The goal's state after ``role`` does ``action``; TransitionRefused otherwise."""
    return workflow.transition(state, action, role, transitions=TRANSITIONS, labels=ACTION_LABELS, noun=NOUN)


def goal_role_may(role: str, action: str) -> bool:
    return workflow.role_may(role, action, transitions=TRANSITIONS)


def goal_may_edit(state: str, role: str) -> bool:
    """Only drafts are written, and only by the unit."""
    return state == DRAFT and role == UNIT


def is_approved(state: str) -> bool:
    return state == FINANCE_APPROVED

