"""The goal's review steps (domain/goal_workflow.py)."""

import pytest

from jixiao.domain.goal_workflow import ADJUST, goal_may_edit, goal_transition
from jixiao.domain.workflow import TransitionRefused


def test_the_path_to_approval_and_an_adjustment():
    state = goal_transition("draft", "submit", "unit")
    state = goal_transition(state, "approve", "department")
    assert goal_transition(state, "approve", "finance") == "finance_approved"
    assert goal_transition("finance_approved", ADJUST, "unit") == "draft"


def test_returns_and_withdrawal_go_back_to_draft():
    assert goal_transition("submitted", "return", "department") == "draft"
    assert goal_transition("department_approved", "return", "finance") == "draft"
    assert goal_transition("submitted", "withdraw", "unit") == "draft"


def test_refusals_speak_of_the_goal():
    with pytest.raises(TransitionRefused, match="绩效目标当前为“财政已审核”，不能退回") as refused:
        goal_transition("finance_approved", "return", "finance")
    assert not refused.value.forbidden
    with pytest.raises(TransitionRefused, match="您的角色不能审核通过绩效目标") as refused:
        goal_transition("submitted", "approve", "unit")
    assert refused.value.forbidden
    with pytest.raises(TransitionRefused):
        goal_transition("draft", "publish", "finance")


def test_only_the_unit_writes_drafts():
    assert goal_may_edit("draft", "unit")
    assert not goal_may_edit("submitted", "unit")
    assert not goal_may_edit("draft", "department")
