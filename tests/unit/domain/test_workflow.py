"""The workflow state machine: every legal transition, and every illegal one refused with a reason."""

import itertools

import pytest

from jixiao.domain import workflow as wf
from jixiao.domain.workflow import OpenFinding, TransitionRefused

ROLES = (wf.UNIT, wf.DEPARTMENT, wf.FINANCE, wf.ADMIN)
LEGAL = {
    (wf.DRAFT, wf.SUBMIT, wf.UNIT): wf.SUBMITTED,
    (wf.SUBMITTED, wf.WITHDRAW, wf.UNIT): wf.DRAFT,
    (wf.SUBMITTED, wf.RETURN, wf.DEPARTMENT): wf.DRAFT,
    (wf.SUBMITTED, wf.APPROVE, wf.DEPARTMENT): wf.DEPARTMENT_APPROVED,
    (wf.DEPARTMENT_APPROVED, wf.RETURN, wf.FINANCE): wf.DRAFT,
    (wf.DEPARTMENT_APPROVED, wf.APPROVE, wf.FINANCE): wf.FINANCE_APPROVED,
    (wf.FINANCE_APPROVED, wf.RETURN, wf.FINANCE): wf.DRAFT,
    (wf.FINANCE_APPROVED, wf.PUBLISH, wf.FINANCE): wf.PUBLISHED,
    (wf.PUBLISHED, wf.CORRECT, wf.UNIT): wf.DRAFT,
    (wf.PUBLISHED, wf.CORRECT, wf.FINANCE): wf.DRAFT,
}


@pytest.mark.parametrize(("state", "action", "role"), sorted(LEGAL))
def test_each_legal_transition_leads_to_its_state(state, action, role):
    assert wf.transition(state, action, role) == LEGAL[(state, action, role)]


ILLEGAL = [
    combination for combination in itertools.product(wf.STATES, wf.ACTIONS, ROLES) if combination not in LEGAL
]


@pytest.mark.parametrize(("state", "action", "role"), ILLEGAL)
def test_every_other_combination_is_refused_with_a_chinese_reason(state, action, role):
    with pytest.raises(TransitionRefused) as refused:
        wf.transition(state, action, role)
    assert "不能" in refused.value.message
    # Forbidden (403) when the step belongs to another role; otherwise the form's state is wrong (409).
    someone_else_may = any(s == state and a == action for (s, a, _r) in LEGAL)
    assert refused.value.forbidden is (not wf.role_may(role, action) or someone_else_may)


def test_a_published_form_can_only_be_corrected_never_edited():
    assert wf.available_actions(wf.PUBLISHED, wf.UNIT) == [wf.CORRECT]
    assert not wf.may_edit(wf.PUBLISHED, wf.UNIT)
    assert wf.may_edit(wf.DRAFT, wf.UNIT)
    assert not wf.may_edit(wf.DRAFT, wf.FINANCE)
    assert not wf.may_edit(wf.SUBMITTED, wf.UNIT)


def test_the_admin_takes_no_part_in_the_review():
    assert all(not wf.role_may(wf.ADMIN, action) for action in wf.ACTIONS)


def test_an_unknown_action_is_refused():
    with pytest.raises(TransitionRefused, match="没有"):
        wf.transition(wf.DRAFT, "delete", wf.UNIT)


def test_errors_block_submission_whatever_the_comment():
    problems = wf.submission_problems([OpenFinding("error", "执行率与金额不符")], "已说明")
    assert problems == ["仍有错误未更正：执行率与金额不符"]


def test_a_warning_needs_a_comment_unless_its_indicator_explains_the_deviation():
    about_form = OpenFinding("warning", "预算执行偏慢")
    explained = OpenFinding("warning", "进度偏慢", indicator="慰问人数", deviation_reason="重阳节集中发放")
    unexplained = OpenFinding("warning", "进度偏慢", indicator="慰问人数", deviation_reason="无偏差")
    assert wf.submission_problems([explained], "") == []
    assert len(wf.submission_problems([about_form, unexplained], "")) == 2
    assert "慰问人数" in wf.submission_problems([unexplained], "")[0]
    assert wf.submission_problems([about_form, unexplained], "年内按合同支付") == []
    assert wf.submission_problems([OpenFinding("info", "提示")], "") == []


def test_each_refusal_names_the_finding_it_concerns_by_its_number_on_the_form():
    findings = [
        OpenFinding("error", "执行率与金额不符"),
        OpenFinding("warning", "进度偏慢", indicator="慰问人数", deviation_reason="重阳节集中发放"),
        OpenFinding("warning", "预算执行偏慢"),
    ]
    reasons = wf.submission_refusals(findings, "")
    assert [(r.finding, r.message[:4]) for r in reasons] == [(1, "仍有错误"), (3, "警告需要")]


def test_a_refusal_with_several_reasons_keeps_each_and_joins_them_for_the_message():
    refused = TransitionRefused.because([wf.Reason("甲"), wf.Reason("乙", field="comment")])
    assert refused.message == "甲；乙" and [r.field for r in refused.reasons] == [None, "comment"]
    assert TransitionRefused("只有一个原因").reasons == (wf.Reason("只有一个原因"),)
