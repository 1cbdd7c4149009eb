"""Action-matrix entries of the goal pages (jixiao.goals): every role opens each goal in each state and
sends each form the page shows; the goal's state (or the goals that exist) changes exactly when the
answer says so."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse

from jixiao.accounts.models import User
from jixiao.formats.goal_xlsx import write_goal_xlsx
from jixiao.goals.models import PerformanceGoal
from jixiao.goals.services import goal_declaration, goal_start, goal_step
from jixiao.tracking.models import Project
from jixiao.web.downloads import XLSX_TYPE
from tests.integration.conftest import OTHER_PROJECT
from tests.integration.matrix_support import (
    BIG,
    COMMENT,
    FORM_ROLES,
    Ctx,
    detail_pages,
    login_redirect,
    page,
    post_forms,
    rolled_back,
    steps_not_offered,
    unit_draft_edit_forms,
)

STATES = ("draft", "submitted", "department_approved", "finance_approved")
_PATH = {"submitted": [("demo-unit", "submit")],
         "department_approved": [("demo-unit", "submit"), ("demo-department", "approve")],
         "finance_approved": [("demo-unit", "submit"), ("demo-department", "approve"), ("demo-finance", "approve")]}


def _goal(state: str, project: str = "宣传费") -> PerformanceGoal:
    """A goal of ``project`` in ``state`` (made inside the caller's rolled-back block): the demo's own
    project walks the real steps; another department's (no accounts in the matrix) is set directly."""
    goal = goal_start(user=None, project_id=Project.objects.filter(name=project).order_by("pk").first().pk)
    if project == OTHER_PROJECT:
        PerformanceGoal.objects.filter(pk=goal.pk).update(state=state)
        return PerformanceGoal.objects.get(pk=goal.pk)
    for who, action in _PATH.get(state, []):
        goal = goal_step(goal_id=goal.pk, user=User.objects.get(username=who), action=action)
    return goal


def _state() -> list[tuple]:
    return list(PerformanceGoal.objects.order_by("pk").values_list("pk", "state", "version", "is_latest",
                                                                   "overall_goal"))


def _status(ctx: Ctx, project: str) -> int:
    if ctx.administrator:
        return 403
    return 404 if project == OTHER_PROJECT and ctx.role != "finance" else 200


goal_list = page("/goals/", "/goals/?year=abc", f"/goals/?year={BIG}", "/goals/?year=2024", ok=FORM_ROLES)


def goal_start_entry(ctx: Ctx) -> None:
    """填报绩效目标: the unit starts its own project's goal (302 to the edit page); reviewers 403,
    another department's project 404, administrators 403, anonymous to login."""
    for project in ("宣传费", OTHER_PROJECT):
        pk = Project.objects.filter(name=project).order_by("pk").first().pk
        url = reverse("goals:start", args=[pk])
        with rolled_back():
            if ctx.role == "anonymous":
                assert login_redirect(ctx.send("post", url, expect=302))
            elif ctx.role == "unit" and project != OTHER_PROJECT:
                ctx.send("post", url, expect=302)
                assert PerformanceGoal.objects.filter(project_id=pk, state="draft").exists()
                continue
            else:
                expect = 403 if ctx.administrator else (404 if project == OTHER_PROJECT and ctx.role != "finance"
                                                        else 403)
                ctx.send("post", url, expect=expect)
            assert not PerformanceGoal.objects.filter(project_id=pk).exists()
    if ctx.role == "unit":  # the button on the list page reaches the route
        _response, parsed = ctx.page("/goals/?year=2024")
        assert post_forms(parsed, "goals:start")


def goal_detail(ctx: Ctx) -> None:
    """Each goal state, in and out of scope: the page, then each button on it (送审, 撤回, 退回 with and
    without a comment, 审核通过, 复制为下一年度草稿)."""
    for _project, goal, parsed in detail_pages(ctx, projects=("宣传费", OTHER_PROJECT), states=STATES, make=_goal,
                                               route="goals:detail", status_of=_status):
        for route in ("goals:action", "goals:copy"):
            for form in post_forms(parsed, route):
                for button, target in form.submissions():
                    _send_button(ctx, goal, form, button, target)


def _send_button(ctx: Ctx, goal: PerformanceGoal, form, button, target: str) -> None:
    before = _state()
    with rolled_back():
        if "/copy/" in target:
            ctx.send("post", target, form.data(button), expect=302)
            assert PerformanceGoal.objects.filter(fiscal_year__year=goal.fiscal_year.year + 1).exists()
            return
        if "/return/" in target:
            ctx.send("post", target, form.data(button, comment=""), expect=409)
            assert _state() == before
            ctx.send("post", target, form.data(button, comment=COMMENT), expect=302)
            assert PerformanceGoal.objects.get(pk=goal.pk).return_comment == COMMENT
        else:
            ctx.send("post", target, form.data(button), expect=302)
        assert PerformanceGoal.objects.get(pk=goal.pk).state != goal.state


def goal_action(ctx: Ctx) -> None:
    """Steps the page does not offer: each answers deliberately and changes nothing (an unknown step 404)."""
    with rolled_back():
        goal = _goal("draft")
        steps_not_offered(ctx, "goals:action", goal.pk, ("approve", "return", "withdraw"), {"comment": COMMENT},
                          _state)


def goal_edit(ctx: Ctx) -> None:
    """The edit page: the unit's draft 200 (saved unchanged, and with a new overall goal); later states 409;
    reviewers 403; another department's 404."""
    for goal, form in unit_draft_edit_forms(ctx, projects=("宣传费", OTHER_PROJECT), states=STATES, make=_goal,
                                            route="goals:edit", status_of=_status, snapshot=_state,
                                            refused={"overall_goal": "改"}):
        for button, target in form.submissions():
            with rolled_back():
                ctx.send("post", target, form.data(button), expect=302)
            with rolled_back():
                ctx.send("post", target, form.data(button, overall_goal="全年完成宣传任务"), expect=302)
                assert PerformanceGoal.objects.get(pk=goal.pk).overall_goal == "全年完成宣传任务"
            with rolled_back():
                before = _state()
                ctx.send("post", target, form.data(button, overall_goal=""), expect=400)
                assert _state() == before


def goal_adjust(ctx: Ctx) -> None:
    """调整: the unit's approved goal gives a new version with a reason (none: 400); other states 409."""
    for state in STATES:
        with rolled_back():
            goal = _goal(state)
            url = reverse("goals:adjust", args=[goal.pk])
            if ctx.role == "anonymous":
                assert login_redirect(ctx.send("get", url, expect=302))
                continue
            if ctx.role != "unit":
                ctx.send("get", url, expect=403)
                continue
            if state != "finance_approved":
                ctx.send("get", url, expect=409)
                continue
            _response, parsed = ctx.page(url)
            (form,) = post_forms(parsed, "goals:adjust")
            for button, target in form.submissions():
                with rolled_back():
                    ctx.send("post", target, form.data(button, reason=""), expect=400)
                    assert not PerformanceGoal.objects.filter(project=goal.project, version=2).exists()
                with rolled_back():
                    ctx.send("post", target, form.data(button, reason="年中预算调减"), expect=302)
                    assert PerformanceGoal.objects.get(project=goal.project, version=2).state == "draft"


def goal_copy(ctx: Ctx) -> None:
    """复制为下一年度草稿 from a draft: 409 for the unit, 403 for the others; nothing is copied."""
    with rolled_back():
        goal = _goal("draft")
        before = _state()
        url = reverse("goals:copy", args=[goal.pk])
        expect = 302 if ctx.role == "anonymous" else 409 if ctx.role == "unit" else 403
        ctx.send("post", url, expect=expect)
        assert _state() == before


def goal_download(ctx: Ctx) -> None:
    """下载申报表: every form role in scope gets the workbook; out of scope 404; administrators 403."""
    for project in ("宣传费", OTHER_PROJECT):
        with rolled_back():
            goal = _goal("draft", project)
            url = reverse("goals:download", args=[goal.pk])
            if ctx.role == "anonymous":
                assert login_redirect(ctx.send("get", url, expect=302))
                continue
            response = ctx.send("get", url, expect=_status(ctx, project))
            if response.status_code == 200:
                assert response["Content-Type"] == XLSX_TYPE


def goal_import(ctx: Ctx) -> None:
    """导入申报表: the unit's draft takes its own downloaded workbook (302, contents kept); without a file
    or with one that is no workbook it answers 302 with the reason and nothing changes; others 403/404."""
    import io

    with rolled_back():
        goal = _goal("draft")
        url = reverse("goals:import", args=[goal.pk])
        before = _state()
        workbook = io.BytesIO()
        write_goal_xlsx(workbook, goal_declaration(goal))
        if ctx.role == "anonymous":
            assert login_redirect(ctx.send("post", url, expect=302))
            return
        expect = 302 if ctx.role == "unit" else 403
        for upload in (None, b"not a workbook", workbook.getvalue()):
            files = None
            if upload is not None:
                files = {"file": io.BytesIO(upload)}
                files["file"].name = "申报表.xlsx"
            with rolled_back():
                ctx.send("post", url, files=files, expect=expect)
                assert _state() == before  # the own workbook: the same contents again
    with rolled_back():
        submitted = _goal("submitted")
        ctx.send("post", reverse("goals:import", args=[submitted.pk]),
                 expect=409 if ctx.role == "unit" else 403)


GOALS_COVERAGE: dict[str, Callable[[Ctx], None]] = {
    "goals:list": goal_list,
    "goals:start": goal_start_entry,
    "goals:detail": goal_detail,
    "goals:edit": goal_edit,
    "goals:adjust": goal_adjust,
    "goals:copy": goal_copy,
    "goals:action": goal_action,
    "goals:download": goal_download,
    "goals:import": goal_import,
}
