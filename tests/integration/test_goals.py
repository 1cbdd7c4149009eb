"""Annual performance goals (jixiao.goals): start from the form, save, review, 调整, copy forward, scope."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from jixiao.audit.models import AuditEvent
from jixiao.domain.workflow import TransitionRefused
from jixiao.goals.models import PerformanceGoal
from jixiao.goals.selectors import approved_goals, goals_of_year
from jixiao.goals.services import GoalContent, goal_adjust, goal_copy_forward, goal_save, goal_start, goal_step
from jixiao.tracking.models import Project
from tests.integration.conftest import OTHER_PROJECT, edit_form_data, user

pytestmark = pytest.mark.django_db


def _project(name="宣传费"):
    return Project.objects.get(name=name)


def _approved(name="宣传费"):
    goal = goal_start(user=user("demo-unit"), project_id=_project(name).pk)
    goal_step(goal_id=goal.pk, user=user("demo-unit"), action="submit")
    goal_step(goal_id=goal.pk, user=user("demo-department"), action="approve")
    return goal_step(goal_id=goal.pk, user=user("demo-finance"), action="approve")


def _content(goal, **changes):
    rows = list(goal.indicators.values("level1", "level2", "name", "target_text", "direction", "kind",
                                       "monthly_plan"))
    initial = {s: goal.initial(s) for s in ("total", "appropriation", "carryover", "other")}
    fields = {"overall_goal": goal.overall_goal, "amount_unit": goal.amount_unit, "initial": initial,
              "indicators": rows, **changes}
    return GoalContent(**fields)


def test_a_goal_starts_from_the_projects_form(demo):
    goal = goal_start(user=user("demo-unit"), project_id=_project().pk)
    report = _project().reports.get(is_latest=True)
    assert goal.state == "draft" and goal.version == 1 and goal.unit_id == report.unit_id
    assert goal.overall_goal == report.goal
    assert goal.initial_total == report.budget_lines.get(source="total").initial
    assert list(goal.indicators.values_list("name", "target_text")) == list(
        report.indicators.values_list("name", "target_text"))
    assert AuditEvent.objects.filter(action="create", subject=str(goal)).exists()
    # Asking again gives the same goal.
    assert goal_start(user=user("demo-unit"), project_id=_project().pk).pk == goal.pk


def test_only_the_unit_starts_and_saves(demo):
    with pytest.raises(PermissionDenied):
        goal_start(user=user("demo-department"), project_id=_project().pk)
    goal = goal_start(user=user("demo-unit"), project_id=_project().pk)
    with pytest.raises(PermissionDenied):
        goal_save(goal_id=goal.pk, user=user("demo-finance"), content=_content(goal))


def test_saving_replaces_contents_and_audits_each_change(demo):
    goal = goal_start(user=user("demo-unit"), project_id=_project().pk)
    rows = [{"level1": "产出指标", "level2": "数量指标", "name": "宣传活动场次", "target_text": "≥12场",
             "direction": "higher_better", "kind": "accumulating", "monthly_plan": []}]
    goal_save(goal_id=goal.pk, user=user("demo-unit"),
              content=_content(goal, overall_goal="做好宣传", indicators=rows, initial={"total": Decimal("50")}))
    goal.refresh_from_db()
    assert goal.overall_goal == "做好宣传" and goal.initial_total == Decimal("50") and goal.initial_other is None
    (indicator,) = goal.indicators.all()
    assert (indicator.target_comparator, indicator.target_value, indicator.target_unit) == ("≥", Decimal(12), "场")
    event = AuditEvent.objects.filter(action="edit", subject=str(goal)).get()
    assert {"field": "年度总体目标", "before": _project().reports.get().goal, "after": "做好宣传"} in event.changes


def test_an_indicator_added_at_the_end_is_stored_with_its_level(demo):
    goal = goal_start(user=user("demo-unit"), project_id=_project().pk)
    row = {"direction": "higher_better", "kind": "accumulating", "monthly_plan": []}
    rows = [{**row, "level1": "产出指标", "level2": "数量指标", "name": "宣传活动场次", "target_text": "≥12场"},
            {**row, "level1": "满意度指标", "level2": "服务对象满意度指标", "name": "群众满意度", "target_text": "≥90%",
             "kind": "level"},
            {**row, "level1": "产出指标", "level2": "数量指标", "name": "宣传品份数", "target_text": "≥3000份"}]
    goal_save(goal_id=goal.pk, user=user("demo-unit"), content=_content(goal, indicators=rows))
    assert list(goal.indicators.order_by("position").values_list("name", flat=True)) == [
        "宣传活动场次", "宣传品份数", "群众满意度"]


def test_review_path_locks_the_goal_and_returns_need_a_comment(demo):
    goal = goal_start(user=user("demo-unit"), project_id=_project().pk)
    goal_step(goal_id=goal.pk, user=user("demo-unit"), action="submit")
    with pytest.raises(TransitionRefused, match="不能修改"):
        goal_save(goal_id=goal.pk, user=user("demo-unit"), content=_content(goal))
    with pytest.raises(TransitionRefused, match="退回意见"):
        goal_step(goal_id=goal.pk, user=user("demo-department"), action="return")
    returned = goal_step(goal_id=goal.pk, user=user("demo-department"), action="return", comment="请细化指标")
    assert returned.state == "draft" and returned.return_comment == "请细化指标"
    approved = _approved()
    assert approved.state == "finance_approved" and approved.approved_at is not None
    with pytest.raises(TransitionRefused):
        goal_save(goal_id=goal.pk, user=user("demo-unit"), content=_content(goal))
    assert [e.action for e in AuditEvent.objects.filter(subject=str(goal)).order_by("pk")] == [
        "create", "submit", "return", "submit", "approve", "approve"]


def test_adjustment_is_a_new_version_with_a_reason(demo):
    goal = _approved()
    with pytest.raises(TransitionRefused, match="调整原因"):
        goal_adjust(goal_id=goal.pk, user=user("demo-unit"), reason=" ")
    with pytest.raises(PermissionDenied):
        goal_adjust(goal_id=goal.pk, user=user("demo-finance"), reason="预算调减")
    new = goal_adjust(goal_id=goal.pk, user=user("demo-unit"), reason="预算调减")
    goal.refresh_from_db()
    assert (new.version, new.state, new.previous_id, new.is_latest) == (2, "draft", goal.pk, True)
    assert goal.is_latest is False and goal.state == "finance_approved"
    assert new.indicators.count() == goal.indicators.count()
    # The approved version stays in force until the new one is approved.
    assert approved_goals(year_id=goal.fiscal_year_id)[goal.project_id].pk == goal.pk


def test_copy_forward_makes_a_draft_for_next_year(demo):
    goal = _approved()
    new = goal_copy_forward(goal_id=goal.pk, user=user("demo-unit"))
    assert new.fiscal_year.year == goal.fiscal_year.year + 1 and new.state == "draft"
    assert new.project.name == goal.project.name and new.project_id != goal.project_id
    assert list(new.indicators.values_list("name", flat=True)) == list(goal.indicators.values_list("name", flat=True))
    with pytest.raises(TransitionRefused, match="已有"):
        goal_copy_forward(goal_id=goal.pk, user=user("demo-unit"))


def test_scope(other_accounts):
    mine = goal_start(user=user("demo-unit"), project_id=_project().pk)
    theirs = goal_start(user=user("other-unit"), project_id=_project(OTHER_PROJECT).pk)
    with pytest.raises(Http404):
        goal_step(goal_id=theirs.pk, user=user("demo-unit"), action="submit")
    with pytest.raises(Http404):
        goal_start(user=user("demo-unit"), project_id=_project(OTHER_PROJECT).pk)
    year = mine.fiscal_year.year
    seen = lambda name: {row.project.name for row in goals_of_year(user=user(name), year=year)}  # noqa: E731
    assert OTHER_PROJECT not in seen("demo-unit") and OTHER_PROJECT not in seen("demo-department")
    assert {OTHER_PROJECT, "宣传费"} <= seen("demo-finance")
    assert seen("other-department") == {OTHER_PROJECT}
    assert PerformanceGoal.objects.count() == 2


def test_opening_a_period_builds_the_form_from_the_approved_goal(demo):
    import datetime

    from jixiao.tracking.models import Indicator, TrackingReport
    from jixiao.tracking.periods import period_open

    goal = _approved()
    rows = [{"level1": "产出指标", "level2": "数量指标", "name": "宣传活动场次", "target_text": "≥12场",
             "direction": "higher_better", "kind": "accumulating", "monthly_plan": []},
            {"level1": "产出指标", "level2": "质量指标", "name": "宣传品合格率", "target_text": "≥98%",
             "direction": "higher_better", "kind": "level", "monthly_plan": []}]
    new = goal_adjust(goal_id=goal.pk, user=user("demo-unit"), reason="细化指标")
    goal_save(goal_id=new.pk, user=user("demo-unit"),
              content=_content(new, indicators=rows, initial={"total": Decimal("60"), "appropriation": Decimal("60")}))
    for who in ("demo-unit", "demo-department", "demo-finance"):
        goal_step(goal_id=new.pk, user=user(who), action={"demo-unit": "submit"}.get(who, "approve"))
    # A project with only a goal (no form yet this year) gets its first form too.
    lonely = Project.objects.create(name="新项目", unit=new.unit, fiscal_year=new.fiscal_year)
    only = goal_start(user=None, project_id=lonely.pk)
    PerformanceGoal.objects.filter(pk=only.pk).update(state="finance_approved")
    opened = period_open(user=user("demo-finance"), year=2024, start_month=1, end_month=10,
                         deadline=datetime.date(2024, 11, 10))
    assert opened.from_goals == 2
    form = TrackingReport.objects.get(project=new.project, period=opened.period)
    assert form.goal == new.overall_goal
    total = form.budget_lines.get(source="total")
    previous = _previous_total(new.project)
    assert total.initial == Decimal("60") and total.period_budget == previous.period_budget and total.spent is None
    count, level = Indicator.objects.filter(report=form).order_by("position")
    assert (count.name, count.planned, count.plan_derived) == ("宣传活动场次", "10", "10")
    assert count.plan_derivation == "年度 12场 × 10/12 = 10场"
    assert level.planned == "98" and "等于年度指标值" in level.plan_derivation
    assert TrackingReport.objects.filter(project=lonely, period=opened.period).exists()
    # Projects without an approved goal continue from their previous form as before.
    other = TrackingReport.objects.filter(period=opened.period).exclude(project__in=[new.project, lonely]).first()
    assert set(other.indicators.values_list("plan_derivation", flat=True)) == {""}
    # The detail page of the form shows each derivation.
    from tests.integration.conftest import login

    unit = login("demo-unit")
    page = unit.get(f"/reports/{form.pk}/").content.decode()
    assert "年度 12场 × 10/12 = 10场" in page
    # The unit may change a derived plan only with a reason.
    edit = unit.get(f"/reports/{form.pk}/edit/").content.decode()
    assert "年度 12场 × 10/12 = 10场" in edit and "indicator_0_plan_override_reason" in edit
    data = edit_form_data(form, indicator_0_planned="8")
    response = unit.post(f"/reports/{form.pk}/edit/", {**data, "action": "save"})
    assert response.status_code == 200 and "请填写改写理由" in response.content.decode()
    assert Indicator.objects.get(report=form, position=0).planned == "10"
    data = edit_form_data(form, indicator_0_planned="8", indicator_0_plan_override_reason="上半年场地检修")
    # With a reason the form is valid (the blank actuals still keep it from being saved on the page):
    # the reason and the derivation are stored with the plan.
    from jixiao.tracking.forms import ReportEditForm
    from jixiao.tracking.mapping import report_to_domain
    from jixiao.tracking.services import report_store

    row = TrackingReport.objects.get(pk=form.pk)
    edited = ReportEditForm(data, report=report_to_domain(row), revision=row.revision)
    assert edited.is_valid(), edited.errors
    report_store(data=edited.to_domain(), project=row.project, period=row.period, row=row, user=user("demo-unit"))
    saved = Indicator.objects.get(report=row, position=0)
    assert (saved.planned, saved.plan_override_reason, saved.plan_derived) == ("8", "上半年场地检修", "10")
    assert saved.plan_derivation == "年度 12场 × 10/12 = 10场"
    assert "上半年场地检修" in unit.get(f"/reports/{form.pk}/").content.decode()


def _previous_total(project):
    """The total budget line of the project's 1–8 月 form."""
    from jixiao.tracking.models import BudgetLine

    return BudgetLine.objects.get(report__project=project, report__period__end="2024-08", source="total")


def test_a_form_differing_from_the_approved_goal_is_warned_on_save_and_recheck(demo):
    from jixiao.goals.models import GoalIndicator
    from jixiao.tracking.mapping import report_to_domain
    from jixiao.tracking.models import TrackingReport
    from jixiao.tracking.rechecking import checked_range
    from jixiao.tracking.services import report_store

    goal = _approved()
    first = GoalIndicator.objects.filter(goal=goal).order_by("position").first()
    GoalIndicator.objects.filter(pk=first.pk).update(target_text="≥99999件")
    PerformanceGoal.objects.filter(pk=goal.pk).update(initial_total=Decimal("1"))
    row = TrackingReport.objects.get(project=goal.project)
    report_store(data=report_to_domain(row), project=row.project, period=row.period, row=row)
    rules = {f.rule: f.message for f in row.findings.all()}
    assert "≥99999件" in rules["goal.target_differs_from_approved"] and first.name in rules[
        "goal.target_differs_from_approved"]
    assert "年度资金总额" in rules["goal.budget_differs_from_approved"]
    # The recheck (and so `jixiao doctor`) judges with the same goal.
    (_row, _indicators, check), = [c for c in checked_range(row.pk, row.pk + 1)]
    assert {f.rule for f in check.findings} == set(rules)


def test_the_demo_has_an_approved_goal_for_each_project_of_the_year(demo_cycle):
    from jixiao.demo.goals import demo_goals
    from jixiao.tracking.models import Finding
    from jixiao.tracking.rechecking import reports_recheck

    goals = PerformanceGoal.objects.filter(fiscal_year__year=2024)
    assert goals.count() == Project.objects.filter(fiscal_year__year=2024).count() == 9
    assert set(goals.values_list("state", flat=True)) == {"finance_approved"}
    assert demo_goals({}, year=2024) == 0  # a second run changes nothing
    # Derived from the forms: rechecking with the goals finds no difference.
    reports_recheck()
    assert not Finding.objects.filter(rule__endswith="_from_approved").exists()


def test_the_bulk_import_checks_a_new_form_against_the_approved_goal(demo, seed_documents, tmp_path):
    """The bulk import's workers know no goals; the writer checks such forms against theirs, as the
    form-by-form import does (so `jixiao doctor` finds the stored findings equal to a recheck)."""
    import dataclasses

    from jixiao.domain.model import Period, TrackingDocument
    from jixiao.formats.text import write_text
    from jixiao.goals.models import GoalIndicator
    from jixiao.tracking.bulk import FilePart, reports_import_bulk
    from jixiao.tracking.models import TrackingReport
    from jixiao.tracking.rechecking import checked_range

    goal = _approved()
    first = GoalIndicator.objects.filter(goal=goal).order_by("position").first()
    GoalIndicator.objects.filter(pk=first.pk).update(target_text="≥99999件")
    (_name, document), = seed_documents
    later = Period("2024-01", "2024-10")
    reports = [dataclasses.replace(r, period=later) for r in document.reports if r.project == "宣传费"]
    path = tmp_path / "宣传费-1-10.txt"
    with path.open("w", encoding="utf-8") as stream:
        write_text(TrackingDocument(period=later, department_goal=document.department_goal, reports=reports), stream)
    reports_import_bulk(parts=[FilePart(str(path))], user=None, workers=1)
    row = TrackingReport.objects.get(project=goal.project, period__end="2024-10")
    rules = {f.rule for f in row.findings.all()}
    assert "goal.target_differs_from_approved" in rules
    (_row, _indicators, check), = checked_range(row.pk, row.pk + 1)
    assert {f.rule for f in check.findings} == rules
