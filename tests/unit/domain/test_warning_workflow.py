"""Warnings and rectification (domain/warning_workflow.py): states, who takes which step, overdue."""

import datetime

import pytest

from jixiao.domain.warning_workflow import (
    ANSWER,
    ANSWERED,
    CLOSE,
    CLOSED,
    OPEN,
    RECTIFIED,
    REOPEN,
    REPORT_DONE,
    available_actions,
    is_overdue,
    issuer_may,
    may_issue,
    text_problem,
    warning_transition,
)
from jixiao.domain.workflow import TransitionRefused


def test_the_whole_loop_and_a_reopening():
    state = warning_transition(OPEN, ANSWER, "unit")
    assert state == ANSWERED
    state = warning_transition(state, REPORT_DONE, "unit")
    assert state == RECTIFIED
    assert warning_transition(state, CLOSE, "finance") == CLOSED
    assert warning_transition(CLOSED, REOPEN, "department") == OPEN
    assert warning_transition(RECTIFIED, REOPEN, "finance") == OPEN


@pytest.mark.parametrize(("state", "action", "role"), [
    (OPEN, ANSWER, "finance"), (OPEN, ANSWER, "department"), (ANSWERED, REPORT_DONE, "finance"),
    (RECTIFIED, CLOSE, "unit"), (CLOSED, REOPEN, "unit"), (OPEN, CLOSE, "system_admin"),
])
def test_a_role_that_never_takes_the_step_is_forbidden(state, action, role):
    with pytest.raises(TransitionRefused) as refused:
        warning_transition(state, action, role)
    assert refused.value.forbidden
    assert "您的角色不能" in refused.value.message


@pytest.mark.parametrize(("state", "action", "role"), [
    (ANSWERED, ANSWER, "unit"), (CLOSED, ANSWER, "unit"), (OPEN, REPORT_DONE, "unit"),
    (OPEN, CLOSE, "finance"), (ANSWERED, CLOSE, "finance"), (OPEN, REOPEN, "finance"), (ANSWERED, REOPEN, "finance"),
])
def test_a_state_that_forbids_the_step_is_a_conflict_not_a_permission(state, action, role):
    with pytest.raises(TransitionRefused, match="预警当前为") as refused:
        warning_transition(state, action, role)
    assert not refused.value.forbidden


def test_an_unknown_step_is_refused():
    with pytest.raises(TransitionRefused, match="没有"):
        warning_transition(OPEN, "publish", "finance")


def test_available_actions_per_role_and_state():
    assert available_actions(OPEN, "unit") == [ANSWER]
    assert available_actions(ANSWERED, "unit") == [REPORT_DONE]
    assert available_actions(RECTIFIED, "unit") == []
    assert available_actions(RECTIFIED, "finance") == [CLOSE, REOPEN]
    assert available_actions(CLOSED, "department") == [REOPEN]
    assert available_actions(OPEN, "finance") == []


def test_finance_and_departments_issue_units_do_not():
    assert may_issue("finance") and may_issue("department")
    assert not may_issue("unit") and not may_issue("auditor")


def test_only_the_issuing_organisation_in_the_issuing_role_acts_for_the_issuer():
    assert issuer_may(role="finance", organisation_id=1, issuer_role="finance", issuer_organisation_id=1)
    assert not issuer_may(role="department", organisation_id=1, issuer_role="finance", issuer_organisation_id=1)
    assert not issuer_may(role="department", organisation_id=2, issuer_role="department", issuer_organisation_id=3)
    assert not issuer_may(role="finance", organisation_id=None, issuer_role="finance", issuer_organisation_id=None)


def test_overdue_is_a_passed_deadline_while_waiting_for_the_answer():
    deadline = datetime.date(2024, 9, 30)
    assert not is_overdue(OPEN, deadline, datetime.date(2024, 9, 30))  # the deadline day itself is in time
    assert is_overdue(OPEN, deadline, datetime.date(2024, 10, 1))
    for state in (ANSWERED, RECTIFIED, CLOSED):
        assert not is_overdue(state, deadline, datetime.date(2024, 10, 1))
    assert not is_overdue(OPEN, None, datetime.date(2024, 10, 1))


def test_answers_need_words_not_a_placeholder():
    assert text_problem(ANSWER, "  无 ") == "答复整改措施须填写整改措施"
    assert text_problem(REPORT_DONE, "") == "报告整改完成须填写整改完成情况"
    assert text_problem(REOPEN, "-") == "重新打开预警须填写重新打开的原因"
    assert text_problem(ANSWER, "九月底前完成政府采购并支付首期款") is None
    assert text_problem(CLOSE, "") is None
