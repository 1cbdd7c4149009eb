"""Guidance for every role: deadlines on tracking periods, the 待办 of each role, who returned a form,
the completeness table, confirmation before risky steps and refusals shown where they can be acted on."""

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from jixiao.audit.models import AuditEvent
from jixiao.domain.workflow import TransitionRefused
from jixiao.tracking import workflow
from jixiao.tracking.importing import ImportRefused, documents_import, import_plan
from jixiao.tracking.models import Project, Status, TrackingPeriod, TrackingReport
from jixiao.tracking.services import report_update
from jixiao.tracking.summaries import summaries_rebuild
from tests.integration.conftest import OTHER_UNIT, edit_form_data, login, user

pytestmark = pytest.mark.django_db

ACCOUNTS = {"unit": "demo-unit", "department": "demo-department", "finance": "demo-finance",
            "system_admin": "demo-admin", "security_admin": "demo-security", "auditor": "demo-auditor"}
ADMINISTRATORS = ["system_admin", "security_admin", "auditor"]  # 三员分立: they see no forms


def report(project: str) -> TrackingReport:
    return TrackingReport.objects.get(project__name=project, is_latest=True)


def period() -> TrackingPeriod:
    return TrackingPeriod.objects.get()


def client_for(role: str) -> Client:
    return Client() if role == "anonymous" else login(ACCOUNTS[role])


def page(client: Client, name: str, *args, **params) -> str:
    response = client.get(reverse(name, args=args), params)
    assert response.status_code == 200, response.status_code
    return response.content.decode()


# --- Deadlines and open/closed periods -------------------------------------------------------------------


def test_the_demo_sets_the_period_deadline_two_weeks_from_today(demo):
    assert period().deadline == timezone.localdate() + datetime.timedelta(days=14)
    assert period().is_open
    assert "还剩 14 天" in page(login("demo-unit"), "tracking:inbox")
    assert 'id="nav-periods"' in page(login("demo-finance"), "tracking:dashboard")


def test_finance_sets_a_deadline_and_closes_a_period_and_the_change_is_audited(demo):
    row = period()
    response = login("demo-finance").post(
        reverse("tracking:periods"), {"period": row.pk, "deadline": "2024-09-10"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("tracking:periods")
    assert "已关闭，不再接受修改和导入" in response.content.decode()
    row.refresh_from_db()
    assert row.deadline == datetime.date(2024, 9, 10) and not row.is_open
    event = AuditEvent.objects.filter(subject__startswith="跟踪时段").latest("pk")
    assert event.actor_name == "demo-finance" and event.action == "edit"
    assert {c["field"]: (c["before"], c["after"]) for c in event.changes} == {
        "报送截止日期": ((timezone.localdate() + datetime.timedelta(days=14)).isoformat(), "2024-09-10"),
        "接受填报": ("接受填报", "已关闭"),
    }


def test_a_bad_deadline_is_refused_with_a_chinese_message_and_nothing_changes(demo):
    before = period().deadline
    response = login("demo-finance").post(reverse("tracking:periods"), {"period": period().pk, "deadline": "9月10日",
                                                                         "is_open": "on"})
    assert response.status_code == 400 and "请按“年-月-日”填写日期" in response.content.decode()
    assert period().deadline == before


@pytest.mark.parametrize("role", ["unit", "department", *ADMINISTRATORS, "anonymous"])
def test_only_finance_may_open_or_change_the_periods_page(demo, role):
    client = client_for(role)
    got = client.get(reverse("tracking:periods"))
    posted = client.post(reverse("tracking:periods"), {"period": period().pk, "deadline": "2024-09-10"})
    if role == "anonymous":
        assert got.status_code == posted.status_code == 302
    else:
        assert got.status_code == posted.status_code == 403
        assert ("无权操作" if role not in ADMINISTRATORS else "管理员不查看") in got.content.decode()
    assert period().is_open and period().deadline != datetime.date(2024, 9, 10)
    if role != "anonymous":  # the dashboard, or the administrator's own home page
        home = client.get(reverse("tracking:dashboard"), follow=True)
        assert home.status_code == 200 and 'id="nav-periods"' not in home.content.decode()


def close_the_period() -> None:
    TrackingPeriod.objects.update(is_open=False)


def test_a_closed_period_refuses_edits_on_the_page_and_in_the_service(demo):
    close_the_period()
    row = report("宣传费")
    client = login("demo-unit")
    response = client.get(reverse("tracking:report_edit", args=[row.pk]))
    assert response.status_code == 409
    assert "跟踪时段“2024-01 至 2024-08”已关闭，不再接受修改或导入" in response.content.decode()
    edit_url = reverse("tracking:report_edit", args=[row.pk])
    posted = client.post(edit_url, edit_form_data(row, goal="新目标", action="save"))
    assert posted.status_code == 409
    assert 'id="edit"' not in page(client, "tracking:report_detail", row.pk)
    from jixiao.tracking.mapping import report_to_domain

    with pytest.raises(TransitionRefused, match="已关闭"):
        report_update(row=row, data=report_to_domain(row), user=user("demo-unit"))
    assert report("宣传费").goal != "新目标"


def test_a_closed_period_refuses_imports_new_and_changed_alike(demo, seed_documents):
    close_the_period()
    plan = import_plan(documents=seed_documents, user=user("demo-finance"))
    assert not plan.can_import
    assert any("已关闭，不再接受导入" in problem and "第 1 张表" in problem for problem in plan.problems)
    with pytest.raises(ImportRefused, match="已关闭"):
        documents_import(documents=seed_documents, user=user("demo-finance"))


def test_a_closed_period_refuses_the_bulk_import_too(demo, seed_path):
    from jixiao.tracking.bulk import FilePart, reports_import_bulk

    close_the_period()
    count = TrackingReport.objects.count()
    with pytest.raises(ImportRefused, match="已关闭，不再接受导入"):
        reports_import_bulk(parts=[FilePart(str(seed_path))], user=None)
    assert TrackingReport.objects.count() == count


# --- 待办 of each role ---------------------------------------------------------------------------------------


def inbox_rows(content: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr data-report="(\d+)" data-task="(\w+)">', content)


def header_count(content: str) -> int:
    found = re.search(r'id="inbox-count">(\d+)<', content)
    return int(found.group(1)) if found else 0


def test_the_units_inbox_lists_every_draft_with_its_errors_and_warnings_and_the_deadline(demo):
    content = page(login("demo-unit"), "tracking:inbox")
    drafts = TrackingReport.objects.filter(status=Status.DRAFT, is_latest=True)
    rows = inbox_rows(content)
    assert {int(pk) for pk, _ in rows} == set(drafts.values_list("pk", flat=True))
    assert header_count(content) == len(rows) == drafts.count() == 6
    assert f"共 {drafts.count()} 项待办" in content
    tasks = dict(rows)
    assert tasks[str(report("宣传费").pk)] == "ready"
    assert tasks[str(report("鉴定、认定费").pk)] == "errors"
    assert "5 个错误需更正" in content and "3 个警告需说明" in content  # 鉴定、认定费; 征地养老管理信息系统
    deadline = period().deadline
    assert f"报送截止 {deadline:%Y-%m-%d}" in content and "还剩 14 天" in content and "尚有 6 张未送审" in content


def test_an_overdue_deadline_is_shown_in_red_with_the_days_past(demo):
    TrackingPeriod.objects.update(deadline=timezone.localdate() - datetime.timedelta(days=3))
    content = page(login("demo-unit"), "tracking:inbox")
    assert re.search(r'<li class="overdue" data-period="\d+">', content)
    assert "已逾期 3 天" in content


def test_a_returned_form_shows_who_returned_it_when_and_why_in_the_inbox_and_on_its_pages(demo):
    row = report("征地养老慰问经费")
    workflow.report_return(report_id=row.pk, user=user("demo-department"), comment="请补充纠偏措施")
    row.refresh_from_db()
    assert row.returned_by.username == "demo-department"
    banner = f"由 demo-department 于 {timezone.localtime(row.returned_at):%Y-%m-%d %H:%M} 退回"
    client = login("demo-unit")
    content = page(client, "tracking:inbox")
    assert inbox_rows(content)[0] == (str(row.pk), "returned")  # returned forms come first
    assert banner in content and '<span class="return-comment">请补充纠偏措施</span>' in content
    for name in ("tracking:report_detail", "tracking:report_edit"):
        shown = page(client, name, row.pk)
        assert 'id="return-comment"' in shown and banner in shown and "请补充纠偏措施" in shown
    workflow.report_submit(report_id=row.pk, user=user("demo-unit"), comment="已补充")
    row.refresh_from_db()
    assert (row.return_comment, row.returned_at, row.returned_by) == ("", None, None)
    assert str(row.pk) not in dict(inbox_rows(page(client, "tracking:inbox")))


def test_the_department_sees_what_waits_for_it_with_when_it_was_submitted_and_how_long_ago(demo):
    row = report("征地养老慰问经费")
    TrackingReport.objects.filter(pk=row.pk).update(status_changed_at=timezone.now() - datetime.timedelta(days=3))
    content = page(login("demo-department"), "tracking:inbox")
    assert inbox_rows(content) == [(str(row.pk), "submitted")]
    assert header_count(content) == 1
    assert "已等待 3" in content and "天" in content


def test_finance_sees_forms_to_review_before_forms_to_publish(demo):
    to_publish = report("宣传费")
    TrackingReport.objects.filter(pk=to_publish.pk).update(status=Status.FINANCE_APPROVED,
                                                          status_changed_at=timezone.now())
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    content = page(login("demo-finance"), "tracking:inbox")
    assert inbox_rows(content) == [
        (str(report("政府购买辅助服务").pk), "department_approved"), (str(to_publish.pk), "finance_approved"),
    ]
    assert header_count(content) == 2 and "待审核" in content and "待公开" in content


@pytest.mark.parametrize("role", ADMINISTRATORS)
def test_the_administrators_have_no_inbox_and_land_on_their_own_page(demo, role):
    from jixiao.accounts.permissions import HOME_PAGES

    response = client_for(role).get(reverse("tracking:inbox"))
    assert response.status_code == 302
    assert response["Location"] == reverse(HOME_PAGES[user(ACCOUNTS[role]).role])
    content = client_for(role).get(reverse("tracking:inbox"), follow=True).content.decode()
    assert inbox_rows(content) == [] and header_count(content) == 0


# --- 报送进度 ----------------------------------------------------------------------------------------------


def completeness_row(content: str, unit_pk: int) -> dict[str, str]:
    row = re.search(rf'<tr data-unit="{unit_pk}" class="(\w*)">(.*?)</tr>', content, re.S)
    assert row, f"no row for unit {unit_pk}"
    cells = dict(re.findall(r'<td class="num ([\w-]+)">(\d+)</td>', row.group(2)))
    return {**cells, "late": row.group(1)}


def test_the_department_sees_how_far_each_of_its_units_has_got(other_unit):
    unit = report("宣传费").unit
    Project.objects.create(name="尚未填报的项目", unit=unit, fiscal_year=period().fiscal_year)
    content = page(login("demo-department"), "tracking:completeness")
    assert completeness_row(content, unit.pk) == {
        "not-started": "1", "draft": "6", "submitted": "1", "approved": "1", "published": "1", "late": "",
    }
    assert f'data-unit="{other_unit.pk}"' not in content  # another department's unit
    assert "还剩 14 天" in content


def test_finance_sees_every_unit_and_which_are_late(other_unit):
    TrackingPeriod.objects.update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    content = page(login("demo-finance"), "tracking:completeness")
    own = report("宣传费").unit
    assert completeness_row(content, own.pk)["late"] == "late"
    assert completeness_row(content, other_unit.pk) == {
        "not-started": "0", "draft": "1", "submitted": "0", "approved": "0", "published": "0", "late": "late",
    }
    assert "逾期：6 张未送审" in content and "逾期：1 张未送审" in content  # the demo unit's drafts, the other's
    TrackingReport.objects.filter(unit=other_unit).update(status=Status.SUBMITTED)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    again = page(login("demo-finance"), "tracking:completeness")
    assert completeness_row(again, other_unit.pk)["late"] == ""  # everything submitted: not late


@pytest.mark.parametrize("role", ["unit", *ADMINISTRATORS, "anonymous"])
def test_units_and_visitors_do_not_see_the_completeness_table(demo, role):
    response = client_for(role).get(reverse("tracking:completeness"))
    assert response.status_code == (302 if role == "anonymous" else 403)


# --- Confirmation before risky steps ---------------------------------------------------------------------


def test_publishing_asks_for_confirmation_first(demo):
    row = report("宣传费")
    TrackingReport.objects.filter(pk=row.pk).update(status=Status.FINANCE_APPROVED)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    client = login("demo-finance")
    url = reverse("tracking:report_action", args=[row.pk, "publish"])
    confirm = client.post(url, {"comment": "按期公开"})
    content = confirm.content.decode()
    assert confirm.status_code == 200 and "确认公开" in content and "将公开 1 张表，均无红灯和警告" in content
    assert f'href="{reverse("tracking:report_detail", args=[row.pk])}"' in content  # 取消 goes back
    assert report("宣传费").status == Status.FINANCE_APPROVED
    done = client.post(url, {"comment": "按期公开", "confirmed": "1"})
    assert done.status_code == 302 and report("宣传费").status == Status.PUBLISHED


def test_a_submission_with_warnings_is_confirmed_and_one_without_goes_straight_through(demo):
    client = login("demo-unit")
    warned = report("征地养老慰问经费")
    workflow.report_withdraw(report_id=warned.pk, user=user("demo-unit"))
    url = reverse("tracking:report_action", args=[warned.pk, "submit"])
    confirm = client.post(url, {"comment": "重阳节集中慰问"})
    assert confirm.status_code == 200 and "将送审 1 张表，其中 1 张红灯、5 个警告" in confirm.content.decode()
    assert report("征地养老慰问经费").status == Status.DRAFT
    assert client.post(url, {"comment": "重阳节集中慰问", "confirmed": "1"}).status_code == 302
    assert report("征地养老慰问经费").status == Status.SUBMITTED
    clean = report("宣传费")
    assert client.post(reverse("tracking:report_action", args=[clean.pk, "submit"])).status_code == 302
    assert report("宣传费").status == Status.SUBMITTED


def test_bulk_steps_are_confirmed_with_a_summary_of_lights_and_warnings(demo):
    forms = [report("征地养老慰问经费"), report("政府购买辅助服务")]
    TrackingReport.objects.filter(pk=forms[0].pk).update(status=Status.DEPARTMENT_APPROVED)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    client = login("demo-finance")
    back = "status=department_approved&sort=light"
    confirm = client.post(reverse("tracking:bulk_action"), {
        "action": "approve", "report": [f.pk for f in forms] + [report("宣传费").pk], "back": back,
    })
    content = confirm.content.decode()
    assert confirm.status_code == 200
    assert "将审核通过 2 张表，其中 2 张红灯、9 个警告" in content
    assert "另有 1 张不能审核通过" in content and "跟踪表当前为“草稿”，不能审核通过" in content
    assert f'id="cancel" href="{reverse("tracking:report_list")}?{back.replace("&", "&amp;")}"' in content
    assert all(report(f.project.name).status == Status.DEPARTMENT_APPROVED for f in forms)
    # The confirmation carries only the forms that can be approved.
    carried = re.findall(r'<input type="hidden" name="report" value="(\d+)">', content)
    assert sorted(map(int, carried)) == sorted(f.pk for f in forms)
    done = client.post(reverse("tracking:bulk_action"), {
        "action": "approve", "report": carried, "back": back, "confirmed": "1",
    })
    assert done.status_code == 302 and done["Location"] == f"{reverse('tracking:report_list')}?{back}"
    assert all(report(f.project.name).status == Status.FINANCE_APPROVED for f in forms)


# --- Refusals on the same page ---------------------------------------------------------------------------


def test_submitting_with_errors_comes_back_on_the_form_page_with_each_reason_linked_to_its_cell(demo):
    row = report("邮寄费")  # one error, one warning
    response = login("demo-unit").post(reverse("tracking:report_action", args=[row.pk, "submit"]), {"comment": ""})
    content = response.content.decode()
    assert response.status_code == 409
    assert "未能送审，原因如下" in content and 'class="sheet"' in content  # the form page itself
    links = re.findall(r'<li><a href="#mark-(\d+)">(仍有错误未更正|警告需要说明)', content)
    kinds = [kind for _, kind in links]  # the error first, then each warning without an explanation
    assert kinds[0] == "仍有错误未更正" and set(kinds[1:]) == {"警告需要说明"} and len(kinds) > 1
    for number, _ in links:
        assert f'id="mark-{number}"' in content  # the anchor is on the cell's finding mark
    assert report("邮寄费").status == Status.DRAFT


def test_a_return_without_a_comment_comes_back_on_the_form_page_pointing_at_the_comment_box(demo):
    row = report("征地养老慰问经费")
    response = login("demo-department").post(reverse("tracking:report_action", args=[row.pk, "return"]))
    content = response.content.decode()
    assert response.status_code == 409
    assert '<a href="#id_comment">退回必须填写退回意见' in content and 'id="id_comment"' in content
    assert report("征地养老慰问经费").status == Status.SUBMITTED


def test_a_bulk_submission_with_some_refused_lists_the_reasons_on_the_list_page(demo):
    client = login("demo-unit")
    ready, refused = report("宣传费"), report("邮寄费")
    response = client.post(reverse("tracking:bulk_action"), {
        "action": "submit", "report": [ready.pk, refused.pk], "confirmed": "1",
    }, follow=True)
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("tracking:report_list") and 'id="reports"' in content
    assert "已批量送审 1 张跟踪表" in content and "1 张跟踪表未能送审" in content
    detail = reverse("tracking:report_detail", args=[refused.pk])
    assert re.search(rf'<a href="{detail}#mark-\d+">仍有错误未更正', content)
    assert report("宣传费").status == Status.SUBMITTED and report("邮寄费").status == Status.DRAFT


def test_a_bulk_step_on_another_units_form_says_so_without_naming_it(other_accounts):
    other = TrackingReport.objects.get(unit__name=OTHER_UNIT)
    response = login("demo-department").post(reverse("tracking:bulk_action"), {
        "action": "approve", "report": [other.pk],
    }, follow=True)
    content = response.content.decode()
    assert "没有这张跟踪表" in content and other.project.name not in content
    assert f"第 {other.pk} 号跟踪表" in content


def test_the_migration_finds_who_returned_a_form_before_it_was_recorded_in_the_audit_trail(demo):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("jixiao.tracking.migrations.0005_period_deadline")
    row = report("征地养老慰问经费")
    workflow.report_return(report_id=row.pk, user=user("demo-department"), comment="请补充")
    TrackingReport.objects.filter(pk=row.pk).update(returned_by=None)  # as returned before 0005
    migration.returned_by_from_the_audit_trail(apps, None)
    row.refresh_from_db()
    assert row.returned_by.username == "demo-department"
    assert report("宣传费").returned_by is None  # never returned: left alone


def test_the_upload_page_names_each_form_of_a_closed_period_and_offers_no_import(demo, seed_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    close_the_period()
    response = login("demo-finance").post(
        reverse("tracking:upload"), {"file": SimpleUploadedFile("forms.txt", seed_path.read_bytes())}
    )
    content = response.content.decode()
    assert "forms.txt 第 1 张表" in content and "已关闭，不再接受导入" in content
    assert 'name="token"' not in content  # nothing to confirm


@pytest.mark.parametrize("role", ["unit", "department", "finance", *ADMINISTRATORS])
def test_the_completeness_page_answers_get_only(demo, role):
    response = client_for(role).post(reverse("tracking:completeness"))
    assert response.status_code == (403 if role in ADMINISTRATORS else 405)  # administrators: refused first
