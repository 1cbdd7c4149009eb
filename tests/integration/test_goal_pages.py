"""The goal pages (jixiao.goals.views) for each role: list, start, edit with the indicator formset, review
buttons, 调整 and copying forward; each asserts the status and the state left behind."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jixiao.goals.models import PerformanceGoal
from jixiao.goals.services import goal_start, goal_step
from jixiao.tracking.models import Project, TrackingReport
from tests.integration.conftest import login, user

pytestmark = pytest.mark.django_db


def _goal(state="draft", name="宣传费"):
    goal = goal_start(user=user("demo-unit"), project_id=Project.objects.get(name=name).pk)
    steps = {"submitted": [("demo-unit", "submit")],
             "department_approved": [("demo-unit", "submit"), ("demo-department", "approve")],
             "finance_approved": [("demo-unit", "submit"), ("demo-department", "approve"),
                                  ("demo-finance", "approve")]}
    for who, action in steps.get(state, []):
        goal = goal_step(goal_id=goal.pk, user=user(who), action=action)
    return goal


def _edit_data(client, goal, **changes):
    """The edit page's fields as the page sends them (first row changed by ``changes``)."""
    html = client.get(f"/goals/{goal.pk}/edit/").content.decode()
    data = {}
    for name, value in re.findall(r'<input type="(?:text|number|hidden)" name="([^"]+)" value="([^"]*)"', html):
        data[name] = value
    for name, value in re.findall(r'<input type="text" name="([^"]+)"[^>]*value="([^"]*)"', html):
        data[name] = value
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)"[^>]*selected', body)
        data[name] = chosen.group(1) if chosen else re.search(r'<option value="([^"]*)"', body).group(1)
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = body.strip()
    data.update(changes)
    return data


def test_the_list_shows_every_project_and_lets_the_unit_start(demo, django_assert_max_num_queries):
    client = login("demo-unit")
    response = client.get("/goals/")
    assert response.status_code == 200
    text = response.content.decode()
    assert "填报绩效目标" in text and "宣传费" in text
    project = Project.objects.get(name="宣传费")
    response = client.post(f"/goals/start/{project.pk}/")
    goal = PerformanceGoal.objects.get(project=project)
    assert response.status_code == 302 and response["Location"] == f"/goals/{goal.pk}/edit/"
    assert goal.state == "draft" and goal.indicators.count() == project.reports.get().indicators.count()


@pytest.mark.parametrize("who", ["demo-department", "demo-finance"])
def test_reviewers_see_the_list_but_do_not_start(demo, who):
    client = login(who)
    assert client.get("/goals/").status_code == 200
    assert "填报绩效目标" not in client.get("/goals/").content.decode()
    project = Project.objects.get(name="宣传费")
    assert client.post(f"/goals/start/{project.pk}/").status_code == 403
    assert not PerformanceGoal.objects.exists()


def test_administrators_are_refused(demo):
    goal = _goal()
    for username in ("demo-admin", "demo-security", "demo-auditor"):
        client = login(username)
        assert client.get("/goals/").status_code == 403
        assert client.get(f"/goals/{goal.pk}/").status_code == 403


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_list_queries_do_not_grow_with_projects(demo):
    client = login("demo-finance")
    for project in Project.objects.all():
        goal_start(user=user("demo-unit"), project_id=project.pk)
    few = _queries(client, "/goals/")
    some = Project.objects.first()
    for number in range(40):
        extra = Project.objects.create(name=f"新增项目{number}", unit=some.unit, fiscal_year=some.fiscal_year)
        goal_start(user=None, project_id=extra.pk)
    assert PerformanceGoal.objects.count() >= 49
    assert _queries(client, "/goals/") == few


def test_edit_saves_the_rows_and_refuses_bad_ones(demo):
    goal = _goal()
    client = login("demo-unit")
    page = client.get(f"/goals/{goal.pk}/edit/")
    assert page.status_code == 200 and "suggest.js" in page.content.decode()
    data = _edit_data(client, goal, **{"overall_goal": "全年开展宣传", "ind-0-target_text": "≥12场",
                                       "ind-0-kind": "accumulating", "ind-0-monthly_plan": "1,1,1,1,1,1,1,1,1,1,1,1"})
    response = client.post(f"/goals/{goal.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    goal.refresh_from_db()
    first = goal.indicators.get(position=1)
    assert goal.overall_goal == "全年开展宣传" and first.target_text == "≥12场" and len(first.monthly_plan) == 12
    # A monthly plan of 11 months: 400 with the row named, nothing saved.
    bad = _edit_data(client, goal, **{"ind-0-monthly_plan": "1,1,1", "overall_goal": "别的"})
    response = client.post(f"/goals/{goal.pk}/edit/", bad)
    assert response.status_code == 400 and "第 1 行" in response.content.decode()
    goal.refresh_from_db()
    assert goal.overall_goal == "全年开展宣传"
    # A new row in the blank extra line, and deleting the first.
    count = goal.indicators.count()
    more = _edit_data(client, goal, **{"ind-0-DELETE": "on", f"ind-{count}-level": "产出指标|质量指标",
                                       f"ind-{count}-name": "宣传品合格率", f"ind-{count}-target_text": "≥98%",
                                       f"ind-{count}-kind": "level"})
    assert client.post(f"/goals/{goal.pk}/edit/", more).status_code == 302
    rows = list(goal.indicators.order_by("position").values_list("name", "level1"))
    assert "宣传品合格率" in dict(rows) and len(rows) == count
    # The new 产出 row is stored with the other 产出 rows, not after 满意度指标: each level stays in one block.
    levels = [level1 for _, level1 in rows]
    assert all(levels.index(level) + levels.count(level) - 1 == len(levels) - 1 - levels[::-1].index(level)
               for level in set(levels))
    assert levels[[name for name, _ in rows].index("宣传品合格率")] == "产出指标"


def test_edit_is_refused_to_reviewers_and_after_submission(demo):
    goal = _goal()
    assert login("demo-department").get(f"/goals/{goal.pk}/edit/").status_code == 403
    submitted = _goal("submitted", name="宣传费")
    assert login("demo-unit").get(f"/goals/{submitted.pk}/edit/").status_code == 409


def test_review_buttons_move_the_goal(demo):
    goal = _goal()
    unit, department, finance = login("demo-unit"), login("demo-department"), login("demo-finance")
    assert "送审" in unit.get(f"/goals/{goal.pk}/").content.decode()
    assert unit.post(f"/goals/{goal.pk}/submit/").status_code == 302
    assert department.post(f"/goals/{goal.pk}/return/", {"comment": ""}).status_code == 409
    assert department.post(f"/goals/{goal.pk}/approve/").status_code == 302
    assert unit.post(f"/goals/{goal.pk}/approve/").status_code == 403
    assert finance.post(f"/goals/{goal.pk}/approve/").status_code == 302
    goal.refresh_from_db()
    assert goal.state == "finance_approved"
    assert finance.post(f"/goals/{goal.pk}/approve/").status_code == 409
    assert finance.post(f"/goals/{goal.pk}/nonsense/").status_code == 404
    page = unit.get(f"/goals/{goal.pk}/").content.decode()
    assert "调整（新版本）" in page and "复制为2025年草稿" in page and "各跟踪期计划完成值" in page


def test_return_with_a_comment_is_shown_to_the_unit(demo):
    goal = _goal("submitted")
    response = login("demo-department").post(f"/goals/{goal.pk}/return/", {"comment": "请细化数量指标"})
    assert response.status_code == 302
    goal.refresh_from_db()
    assert goal.state == "draft"
    assert "请细化数量指标" in login("demo-unit").get(f"/goals/{goal.pk}/edit/").content.decode()


def test_adjust_and_copy_forward_pages(demo):
    goal = _goal("finance_approved")
    unit = login("demo-unit")
    assert unit.get(f"/goals/{goal.pk}/adjust/").status_code == 200
    assert unit.post(f"/goals/{goal.pk}/adjust/", {"reason": ""}).status_code == 400
    assert login("demo-finance").post(f"/goals/{goal.pk}/adjust/", {"reason": "x"}).status_code == 403
    response = unit.post(f"/goals/{goal.pk}/adjust/", {"reason": "年中预算调减"})
    new = PerformanceGoal.objects.get(project=goal.project, version=2)
    assert response.status_code == 302 and response["Location"] == f"/goals/{new.pk}/edit/"
    old_page = unit.get(f"/goals/{goal.pk}/").content.decode()
    assert "已有新版本" in old_page and "第2版" in old_page
    assert "年中预算调减" in unit.get(f"/goals/{new.pk}/").content.decode()
    assert unit.post(f"/goals/{goal.pk}/adjust/", {"reason": "again"}).status_code == 409
    response = unit.post(f"/goals/{goal.pk}/copy/")
    assert response.status_code == 302
    assert PerformanceGoal.objects.filter(fiscal_year__year=goal.fiscal_year.year + 1, state="draft").count() == 1
    assert unit.post(f"/goals/{new.pk}/copy/").status_code == 409  # a draft is not copied


def test_out_of_scope_is_404(other_accounts):
    goal = _goal()
    assert login("other-unit").get(f"/goals/{goal.pk}/").status_code == 404
    assert login("other-department").post(f"/goals/{goal.pk}/submit/").status_code == 404
    assert TrackingReport.objects.exists()


def test_download_and_import_the_declaration(demo):
    import io

    from openpyxl import load_workbook

    goal = _goal()
    unit = login("demo-unit")
    response = unit.get(f"/goals/{goal.pk}/download/")
    from urllib.parse import quote

    assert response.status_code == 200 and quote("绩效目标申报表_宣传费") in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    wb = load_workbook(io.BytesIO(content))
    wb.active["B11"] = "导入后的总体目标"
    wb.active["D14"] = "≥999件"
    changed = io.BytesIO()
    wb.save(changed)
    upload = io.BytesIO(changed.getvalue())
    upload.name = "申报表.xlsx"
    response = unit.post(f"/goals/{goal.pk}/import/", {"file": upload})
    assert response.status_code == 302 and response["Location"] == f"/goals/{goal.pk}/"
    goal.refresh_from_db()
    assert goal.overall_goal == "导入后的总体目标" and goal.indicators.get(position=2).target_text == "≥999件"
    # A broken cell: nothing changes and the message names the cell.
    wb.active["B13"] = "数量"
    broken = io.BytesIO()
    wb.save(broken)
    broken.seek(0)
    broken.name = "坏表.xlsx"
    response = unit.post(f"/goals/{goal.pk}/import/", {"file": broken}, follow=True)
    assert "单元格 B13" in response.content.decode()
    goal.refresh_from_db()
    assert goal.indicators.get(position=1).level2 != "数量"
    # Reviewers download but do not import.
    assert login("demo-department").get(f"/goals/{goal.pk}/download/").status_code == 200
    assert login("demo-department").post(f"/goals/{goal.pk}/import/").status_code == 403
