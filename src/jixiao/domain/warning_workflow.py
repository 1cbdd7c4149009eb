"""Warnings and rectification (预警与整改) as a pure state machine, on the forms' machine (domain/workflow.py).

open (待答复) → answered (已答复整改措施) → rectified (已报告整改完成) → closed (已关闭); the issuer may
reopen a closed warning, or one whose completion report does not convince, back to open with a
required comment. The unit of the warned forms answers with its rectification measures and later
reports them done with evidence; finance or a department issues a warning on forms in its scope, and
only the issuer (the issuing organisation in the issuing role) closes or reopens it.

A warning is overdue while it waits for the unit's answer (open) after its reply deadline.
"""

from __future__ import annotations

import datetime

from jixiao.domain import workflow
from jixiao.domain.workflow import DEPARTMENT, FINANCE, UNIT, Transition

OPEN = "open"
ANSWERED = "answered"
RECTIFIED = "rectified"
CLOSED = "closed"
STATES = (OPEN, ANSWERED, RECTIFIED, CLOSED)
STATE_LABELS = {OPEN: "待答复", ANSWERED: "已答复整改措施", RECTIFIED: "已报告整改完成", CLOSED: "已关闭"}

ANSWER = "answer"
REPORT_DONE = "done"
CLOSE = "close"
REOPEN = "reopen"
ACTIONS = (ANSWER, REPORT_DONE, CLOSE, REOPEN)
ACTION_LABELS = {ANSWER: "答复整改措施", REPORT_DONE: "报告整改完成", CLOSE: "关闭预警", REOPEN: "重新打开预警"}
# Who issues: finance for every form, a department for its units' forms (the scope decides which).
ISSUING_ROLES = frozenset({FINANCE, DEPARTMENT})
# Steps the issuer takes (only the issuing organisation, see ``issuer_may``); the unit takes the others.
ISSUER_ACTIONS = frozenset({CLOSE, REOPEN})
NEEDS_TEXT = {ANSWER: "整改措施", REPORT_DONE: "整改完成情况", REOPEN: "重新打开的原因"}
NOUN = "预警"

TRANSITIONS = (
    Transition(ANSWER, OPEN, ANSWERED, frozenset({UNIT})),
    Transition(REPORT_DONE, ANSWERED, RECTIFIED, frozenset({UNIT})),
    Transition(CLOSE, RECTIFIED, CLOSED, ISSUING_ROLES),
    Transition(REOPEN, RECTIFIED, OPEN, ISSUING_ROLES),
    Transition(REOPEN, CLOSED, OPEN, ISSUING_ROLES),
)


def _labelled(state: str) -> str:
    return STATE_LABELS.get(state, state)


def warning_transition(state: str, action: str, role: str) -> str:
    """The warning's state after ``role`` does ``action``; TransitionRefused (403 or 409) otherwise."""
    if action not in ACTION_LABELS:
        raise workflow.TransitionRefused(f"没有“{action}”这个操作")
    if not warning_role_may(role, action):
        raise workflow.TransitionRefused(f"您的角色不能{ACTION_LABELS[action]}", forbidden=True)
    for candidate in TRANSITIONS:
        if candidate.action == action and candidate.source == state:
            return candidate.target
    raise workflow.TransitionRefused(f"{NOUN}当前为“{_labelled(state)}”，不能{ACTION_LABELS[action]}")


def warning_role_may(role: str, action: str) -> bool:
    return workflow.role_may(role, action, transitions=TRANSITIONS)


def may_issue(role: str) -> bool:
    return role in ISSUING_ROLES


def issuer_may(*, role: str, organisation_id: int | None, issuer_role: str, issuer_organisation_id: int | None) -> bool:
    """Whether a user of ``role`` in ``organisation_id`` acts for the warning's issuer (closes, reopens)."""
    return role == issuer_role and organisation_id is not None and organisation_id == issuer_organisation_id


def available_actions(state: str, role: str) -> list[str]:
    return workflow.available_actions(state, role, transitions=TRANSITIONS)


def is_overdue(state: str, deadline: datetime.date | None, today: datetime.date) -> bool:
    """Overdue: the reply deadline has passed and the unit has not answered yet."""
    return state == OPEN and deadline is not None and today > deadline


def text_problem(action: str, text: str) -> str | None:
    """Why the text sent with ``action`` is not enough, in Chinese; None when it is."""
    what = NEEDS_TEXT.get(action)
    if what and text.strip() in workflow.NO_REASON:
        return f"{ACTION_LABELS[action]}须填写{what}"
    return None
