"""Action-matrix entries of the self-evaluation pages (jixiao.evaluation): every role opens each evaluation
in each state and sends each form the page shows; the evaluation's state (or the evaluations that exist)
changes exactly when the answer says so."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from django.urls import reverse

from jixiao.accounts.models import User
from jixiao.evaluation.models import SelfEvaluation
from jixiao.evaluation.services import evaluation_draft, evaluation_step
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

STATES = ("draft", "submitted", "department_approved", "finance_approved", "published")
_STEPS = (("demo-unit", "submit"), ("demo-department", "approve"), ("demo-finance", "approve"),
          ("demo-finance", "publish"))


def _project(name: str) -> Project:
    return Project.objects.filter(name=name).order_by("pk").first()


def _evaluation(state: str, project: str = "宣传费") -> SelfEvaluation:
    """An evaluation of ``project`` in ``state`` (inside the caller's rolled-back block): the demo's own project
    walks the real steps (宣传费 meets every target, so it may be submitted as drafted); another department's
    (no accounts in the matrix) is set directly."""
    evaluation = evaluation_draft(user=None, project_id=_project(project).pk)
    if project == OTHER_PROJECT:
        SelfEvaluation.objects.filter(pk=evaluation.pk).update(state=state)
        return SelfEvaluation.objects.get(pk=evaluation.pk)
    for who, action in _STEPS[:STATES.index(state)]:
        evaluation = evaluation_step(evaluation_id=evaluation.pk, user=User.objects.get(username=who), action=action)
    return evaluation


def _state() -> list[tuple]:
    return list(SelfEvaluation.objects.order_by("pk").values_list("pk", "state", "total", "spent", "achieved"))


def _status(ctx: Ctx, project: str) -> int:
    if ctx.administrator:
        return 403
    return 404 if project == OTHER_PROJECT and ctx.role != "finance" else 200


evaluation_list = page("/evaluations/", "/evaluations/?year=abc", f"/evaluations/?year={BIG}",
                       "/evaluations/?year=2024", ok=FORM_ROLES)


def evaluation_draft_entry(ctx: Ctx) -> None:
    """由跟踪表起草: the unit drafts its own project's evaluation (302 to the edit page); reviewers 403, another
    department's project 404, administrators 403, anonymous to login."""
    for project in ("宣传费", OTHER_PROJECT):
        pk = _project(project).pk
        url = reverse("evaluation:draft", args=[pk])
        with rolled_back():
            if ctx.role == "anonymous":
                assert login_redirect(ctx.send("post", url, expect=302))
            elif ctx.role == "unit" and project != OTHER_PROJECT:
                ctx.send("post", url, expect=302)
                assert SelfEvaluation.objects.filter(project_id=pk, state="draft").exists()
                continue
            else:
                expect = 403 if ctx.administrator else (404 if project == OTHER_PROJECT and ctx.role != "finance"
                                                        else 403)
                ctx.send("post", url, expect=expect)
            assert not SelfEvaluation.objects.filter(project_id=pk).exists()
    ctx.send("post", reverse("evaluation:draft", args=[int(BIG[:12])]),
             expect=302 if ctx.role == "anonymous" else {403, 404})
    if ctx.role == "unit":  # the button on the list page reaches the route
        _response, parsed = ctx.page("/evaluations/?year=2024")
        assert post_forms(parsed, "evaluation:draft")


def evaluation_detail(ctx: Ctx) -> None:
    """Each state, in and out of scope: the page, then each button on it (送审, 撤回, 退回 with and without a
    comment, 审核通过, 公开)."""
    for _project, evaluation, parsed in detail_pages(ctx, projects=("宣传费", OTHER_PROJECT), states=STATES,
                                                     make=_evaluation, route="evaluation:detail", status_of=_status):
        for form in post_forms(parsed, "evaluation:action"):
            for button, target in form.submissions():
                _send_button(ctx, evaluation, form, button, target)


def _send_button(ctx: Ctx, evaluation: SelfEvaluation, form, button, target: str) -> None:
    before = _state()
    with rolled_back():
        if "/return/" in target:
            ctx.send("post", target, form.data(button, comment=""), expect=409)
            assert _state() == before
            ctx.send("post", target, form.data(button, comment=COMMENT), expect=302)
            assert SelfEvaluation.objects.get(pk=evaluation.pk).return_comment == COMMENT
        else:
            ctx.send("post", target, form.data(button), expect=302)
        assert SelfEvaluation.objects.get(pk=evaluation.pk).state != evaluation.state


def evaluation_action(ctx: Ctx) -> None:
    """Steps the page does not offer: each answers deliberately and changes nothing (an unknown step 404,
    and 更正, a step of published forms that self-evaluations do not have)."""
    with rolled_back():
        evaluation = _evaluation("draft")
        steps_not_offered(ctx, "evaluation:action", evaluation.pk, ("approve", "return", "withdraw", "publish"),
                          {"comment": COMMENT}, _state)
        before = _state()
        url = reverse("evaluation:action", args=[evaluation.pk, "correct"])
        if ctx.role == "anonymous":
            assert login_redirect(ctx.send("post", url, expect=302))
        else:
            ctx.send("post", url, {"comment": COMMENT}, expect=404)
        assert _state() == before


def evaluation_edit(ctx: Ctx) -> None:
    """The edit page: the unit's draft 200 (saved unchanged, with the year's spending, with a bad number 400);
    later states 409; reviewers 403; another department's 404."""
    for evaluation, form in unit_draft_edit_forms(ctx, projects=("宣传费", OTHER_PROJECT), states=STATES,
                                                  make=_evaluation, route="evaluation:edit", status_of=_status,
                                                  snapshot=_state, refused={"spent": "1"}):
        for button, target in form.submissions():
            with rolled_back():
                before = _state()
                ctx.send("post", target, form.data(button), expect=302)
                assert _state() == before
            with rolled_back():
                ctx.send("post", target, form.data(button, spent="6.80"), expect=302)
                # 6.80 of 6.80 spent: the execution score rises from 6.91 to 10 → 96.91 + 3.09 = 100
                assert str(SelfEvaluation.objects.get(pk=evaluation.pk).total) == "100.00"
            with rolled_back():
                before = _state()
                ctx.send("post", target, form.data(button, spent="很多"), expect=400)
                assert _state() == before


def _download(route: str, content_type: str) -> Callable[[Ctx], None]:
    def run(ctx: Ctx) -> None:
        """The 自评表 file: every form role in scope gets it; out of scope 404; administrators 403."""
        for project in ("宣传费", OTHER_PROJECT):
            with rolled_back():
                evaluation = _evaluation("draft", project)
                url = reverse(route, args=[evaluation.pk])
                if ctx.role == "anonymous":
                    assert login_redirect(ctx.send("get", url, expect=302))
                    continue
                response = ctx.send("get", url, expect=_status(ctx, project))
                if response.status_code == 200:
                    assert response["Content-Type"] == content_type
    return run


def evaluation_scoring(ctx: Ctx) -> None:
    """评分设置: finance opens it and sends the form unchanged (302, no change), with a new grade line (302,
    stored) and with weights that do not add up (400, nothing stored); the others 403, anonymous to login."""
    from jixiao.evaluation.models import YearScoring

    url = reverse("evaluation:scoring")
    if ctx.role == "anonymous":
        assert login_redirect(ctx.send("get", url, expect=302))
        return
    if ctx.role != "finance":
        ctx.send("get", url, expect=403)
        ctx.send("post", url, {"year": "2024", "output": "50"}, expect=403)
        assert not YearScoring.objects.exists()
        return
    ctx.send("get", f"{url}?year={BIG}")
    _response, parsed = ctx.page(f"{url}?year=2024")
    (form,) = post_forms(parsed, "evaluation:scoring")
    for button, target in form.submissions():
        with rolled_back():
            ctx.send("post", target, form.data(button), expect=302)
            assert Decimal(YearScoring.objects.get().values["excellent_from"]) == 90
        with rolled_back():
            ctx.send("post", target, form.data(button, excellent_from="95"), expect=302)
            assert Decimal(YearScoring.objects.get().values["excellent_from"]) == 95
        with rolled_back():
            ctx.send("post", target, form.data(button, output="60"), expect=400)
            assert not YearScoring.objects.exists()


EVALUATION_COVERAGE: dict[str, Callable[[Ctx], None]] = {
    "evaluation:list": evaluation_list,
    "evaluation:scoring": evaluation_scoring,
    "evaluation:draft": evaluation_draft_entry,
    "evaluation:detail": evaluation_detail,
    "evaluation:edit": evaluation_edit,
    "evaluation:action": evaluation_action,
    "evaluation:xlsx": _download("evaluation:xlsx", XLSX_TYPE),
    "evaluation:pdf": _download("evaluation:pdf", "application/pdf"),
}
