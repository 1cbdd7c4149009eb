"""The review workflow of a tracking form (DESIGN §6) as a pure state machine.

draft → submitted → department_approved → finance_approved → published; a return from either
review step goes back to draft with a required comment; the unit may withdraw a submitted form
before the department has acted. A published form never changes: a correction is a new
version, a new draft that goes through review again.

Who may do what is decided here by role; *which* forms a user may touch (their scope) is the
web application's business (``jixiao.accounts.permissions``).
"""

from __future__ import annotations

from dataclasses import dataclass

DRAFT = "draft"
SUBMITTED = "submitted"
DEPARTMENT_APPROVED = "department_approved"
FINANCE_APPROVED = "finance_approved"
PUBLISHED = "published"
STATES = (DRAFT, SUBMITTED, DEPARTMENT_APPROVED, FINANCE_APPROVED, PUBLISHED)
STATE_LABELS = {
    DRAFT: "草稿",
    SUBMITTED: "已送审",
    DEPARTMENT_APPROVED: "主管部门已审核",
    FINANCE_APPROVED: "财政已审核",
    PUBLISHED: "已公开",
}

UNIT = "unit"
DEPARTMENT = "department"
FINANCE = "finance"
ADMIN = "admin"

SUBMIT = "submit"
WITHDRAW = "withdraw"
RETURN = "return"
APPROVE = "approve"
PUBLISH = "publish"
CORRECT = "correct"
ACTIONS = (SUBMIT, WITHDRAW, RETURN, APPROVE, PUBLISH, CORRECT)
ACTION_LABELS = {
    SUBMIT: "送审",
    WITHDRAW: "撤回",
    RETURN: "退回",
    APPROVE: "审核通过",
    PUBLISH: "公开",
    CORRECT: "更正（新版本）",
}


@dataclass(frozen=True)
class Transition:
    action: str
    source: str
    target: str
    roles: frozenset[str]


TRANSITIONS = (
    Transition(SUBMIT, DRAFT, SUBMITTED, frozenset({UNIT})),
    Transition(WITHDRAW, SUBMITTED, DRAFT, frozenset({UNIT})),
    Transition(RETURN, SUBMITTED, DRAFT, frozenset({DEPARTMENT})),
    Transition(RETURN, DEPARTMENT_APPROVED, DRAFT, frozenset({FINANCE})),
    Transition(RETURN, FINANCE_APPROVED, DRAFT, frozenset({FINANCE})),
    Transition(APPROVE, SUBMITTED, DEPARTMENT_APPROVED, frozenset({DEPARTMENT})),
    Transition(APPROVE, DEPARTMENT_APPROVED, FINANCE_APPROVED, frozenset({FINANCE})),
    Transition(PUBLISH, FINANCE_APPROVED, PUBLISHED, frozenset({FINANCE})),
    # A correction leaves the published version as it is and starts a new draft beside it.
    Transition(CORRECT, PUBLISHED, DRAFT, frozenset({UNIT, FINANCE})),
)

# Roles that may fill in a form (edit or import it) while it is a draft.
EDITING_ROLES = frozenset({UNIT})


@dataclass(frozen=True)
class Reason:
    """One reason an action is refused, and where on the form the user can act on it:
    ``finding`` is the 1-based number of the finding concerned (as numbered on the form page),
    ``field`` a form field (``"comment"``: the comment box of the workflow step)."""

    message: str
    finding: int | None = None
    field: str | None = None


class TransitionRefused(Exception):
    """The action is not possible: the message says why, in Chinese, for the user.

    ``reasons`` lists each reason on its own when there are several (the message joins them)."""

    def __init__(self, message: str, *, forbidden: bool = False, reasons: tuple[Reason, ...] = ()):
        super().__init__(message)
        self.message = message
        # True when the role may never do this (HTTP 403), False when the form's state is wrong.
        self.forbidden = forbidden
        self.reasons = tuple(reasons) or (Reason(message),)

    @classmethod
    def because(cls, reasons: list[Reason]) -> TransitionRefused:
        return cls("；".join(reason.message for reason in reasons), reasons=tuple(reasons))


def role_may(role: str, action: str, *, transitions: tuple[Transition, ...] = TRANSITIONS) -> bool:
    """Whether ``role`` may ever do ``action`` (in some state)."""
    return any(action == t.action and role in t.roles for t in transitions)


def transition(
    state: str, action: str, role: str, *, transitions: tuple[Transition, ...] = TRANSITIONS,
    labels: dict[str, str] = ACTION_LABELS, noun: str = "跟踪表",
) -> str:
    """The state after ``role`` does ``action`` on a form in ``state``; TransitionRefused otherwise.

    ``transitions``, ``labels`` and ``noun`` let another reviewed document (a goal, goals/workflow)
    run on the same machine with its own steps."""
    if action not in labels:
        raise TransitionRefused(f"没有“{action}”这个操作")
    if not role_may(role, action, transitions=transitions):
        raise TransitionRefused(f"您的角色不能{labels[action]}{noun}", forbidden=True)
    for candidate in transitions:
        if candidate.action == action and candidate.source == state:
            if role not in candidate.roles:
                label = STATE_LABELS.get(state, state)
                raise TransitionRefused(f"{noun}当前为“{label}”，您的角色不能{labels[action]}", forbidden=True)
            return candidate.target
    raise TransitionRefused(f"{noun}当前为“{STATE_LABELS.get(state, state)}”，不能{labels[action]}")


def available_actions(state: str, role: str, *, transitions: tuple[Transition, ...] = TRANSITIONS) -> list[str]:
    """The actions ``role`` may do on a form in ``state``, in workflow order."""
    return [t.action for t in transitions if t.source == state and role in t.roles]


def may_edit(state: str, role: str) -> bool:
    """Only drafts are filled in, and only by those who fill forms."""
    return state == DRAFT and role in EDITING_ROLES


@dataclass(frozen=True)
class OpenFinding:
    """What the submission rule needs to know of a stored finding."""

    severity: str
    message: str
    indicator: str | None = None
    # The indicator's 偏差原因分析, when the finding concerns one indicator.
    deviation_reason: str | None = None


NO_REASON = {"", "无", "无偏差", "/", "-", "—"}


def submission_problems(findings: list[OpenFinding], comment: str) -> list[str]:
    """Why a form may not be submitted yet, as messages; an empty list means it may."""
    return [reason.message for reason in submission_refusals(findings, comment)]


def submission_refusals(findings: list[OpenFinding], comment: str) -> list[Reason]:
    """Why a form may not be submitted yet, each with the finding it concerns (``findings`` in the
    form page's order, numbered from 1); an empty list means it may.

    Errors must be corrected first. A warning needs a word of explanation: the indicator's own
    deviation reason, or failing that the submission comment.
    """
    numbered = list(enumerate(findings, start=1))
    reasons = [
        Reason(f"仍有错误未更正：{(f.indicator + '：') if f.indicator else ''}{f.message}", finding=number)
        for number, f in numbered if f.severity == "error"
    ]
    if comment.strip():
        return reasons
    for number, finding in numbered:
        if finding.severity != "warning":
            continue
        if finding.indicator and (finding.deviation_reason or "").strip() not in NO_REASON:
            continue
        where = f"{finding.indicator}：" if finding.indicator else ""
        reasons.append(
            Reason(f"警告需要说明（请填写偏差原因分析或送审说明）：{where}{finding.message}", finding=number)
        )
    return reasons
