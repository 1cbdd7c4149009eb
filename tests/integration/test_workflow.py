"""The workflow through the services and the pages: submission rules, returns, bulk steps, versions."""

import pytest
from django.urls import reverse

from jixiao.domain.workflow import TransitionRefused
from jixiao.tracking import workflow
from jixiao.tracking.models import Status, TrackingReport
from jixiao.tracking.services import report_update
from jixiao.tracking.summaries import summaries_rebuild
from tests.integration.conftest import edit_form_data, login, user

pytestmark = pytest.mark.django_db


def report(project: str) -> TrackingReport:
    return TrackingReport.objects.get(project__name=project, is_latest=True)


def walk_to_published(project: str) -> TrackingReport:
    row = report(project)
    workflow.report_submit(report_id=row.pk, user=user("demo-unit"), comment="说明")
    workflow.report_approve(report_id=row.pk, user=user("demo-department"))
    workflow.report_approve(report_id=row.pk, user=user("demo-finance"))
    return workflow.report_publish(report_id=row.pk, user=user("demo-finance"))


def test_the_whole_path_from_draft_to_published(demo):
    row = walk_to_published("宣传费")
    assert row.status == Status.PUBLISHED and row.public_current and row.published_at is not None
    actions = list(row.audit_events.order_by("at", "pk").values_list("action", "actor_name", "state_after"))
    assert actions[-4:] == [
        ("submit", "demo-unit", "submitted"), ("approve", "demo-department", "department_approved"),
        ("approve", "demo-finance", "finance_approved"), ("publish", "demo-finance", "published"),
    ]


def test_submitting_is_refused_while_errors_remain(demo):
    row = TrackingReport.objects.filter(error_count__gt=0).first()
    with pytest.raises(TransitionRefused, match="仍有错误未更正"):
        workflow.report_submit(report_id=row.pk, user=user("demo-unit"), comment="已说明")
    row.refresh_from_db()
    assert row.status == Status.DRAFT


def test_warnings_need_an_explanation_before_submission(demo):
    row = report("征地养老慰问经费")
    workflow.report_withdraw(report_id=row.pk, user=user("demo-unit"))
    with pytest.raises(TransitionRefused, match="警告需要说明"):
        workflow.report_submit(report_id=row.pk, user=user("demo-unit"))
    done = workflow.report_submit(report_id=row.pk, user=user("demo-unit"), comment="重阳节集中慰问，进度正常。")
    assert done.status == Status.SUBMITTED and done.submit_comment == "重阳节集中慰问，进度正常。"


def test_a_return_needs_a_comment_which_the_unit_then_sees(demo):
    row = report("征地养老慰问经费")  # submitted by the demo
    with pytest.raises(TransitionRefused, match="退回必须填写退回意见"):
        workflow.report_return(report_id=row.pk, user=user("demo-department"), comment="  ")
    workflow.report_return(report_id=row.pk, user=user("demo-department"), comment="请补充纠偏措施")
    row.refresh_from_db()
    assert row.status == Status.DRAFT and row.return_comment == "请补充纠偏措施"
    client = login("demo-unit")
    inbox = client.get(reverse("tracking:inbox")).content.decode()
    assert "征地养老慰问经费" in inbox and "请补充纠偏措施" in inbox
    drafts = TrackingReport.objects.filter(status=Status.DRAFT, is_latest=True).count()
    assert f'id="inbox-count">{drafts}<' in inbox  # the unit's 待办 is every draft, the returned one first
    assert "请补充纠偏措施" in client.get(reverse("tracking:report_detail", args=[row.pk])).content.decode()
    # Submitting again clears the return note from the unit's to-do list.
    workflow.report_submit(report_id=row.pk, user=user("demo-unit"), comment="已补充")
    assert "征地养老慰问经费" not in client.get(reverse("tracking:inbox")).content.decode()


def test_finance_can_return_after_the_department_approved(demo):
    row = report("政府购买辅助服务")  # department-approved by the demo
    workflow.report_return(report_id=row.pk, user=user("demo-finance"), comment="执行率偏低，请说明")
    row.refresh_from_db()
    assert row.status == Status.DRAFT


def test_reviewers_see_what_waits_for_them(demo):
    department = login("demo-department").get(reverse("tracking:inbox")).content.decode()
    assert "征地养老慰问经费" in department and "政府购买辅助服务" not in department
    finance = login("demo-finance").get(reverse("tracking:inbox")).content.decode()
    assert "政府购买辅助服务" in finance and "征地养老慰问经费" not in finance
    assert 'id="inbox-count">1<' in finance


def test_an_illegal_step_through_the_page_answers_with_the_reason(demo):
    row = report("宣传费")  # a draft
    response = login("demo-unit").post(reverse("tracking:report_action", args=[row.pk, "withdraw"]))
    assert response.status_code == 409
    assert "跟踪表当前为“草稿”，不能撤回" in response.content.decode()
    response = login("demo-finance").post(reverse("tracking:report_action", args=[row.pk, "publish"]))
    assert response.status_code == 409 and "不能公开" in response.content.decode()


def test_the_detail_page_offers_only_the_steps_the_user_may_take(demo):
    row = report("征地养老慰问经费")  # submitted
    page = login("demo-department").get(reverse("tracking:report_detail", args=[row.pk])).content.decode()
    assert 'id="do-approve"' in page and 'id="do-return"' in page and 'id="do-publish"' not in page
    page = login("demo-unit").get(reverse("tracking:report_detail", args=[row.pk])).content.decode()
    assert 'id="do-withdraw"' in page and 'id="do-approve"' not in page and 'id="edit"' not in page


def test_bulk_approval_goes_on_past_a_form_that_cannot_be_approved(demo):
    unit = user("demo-unit")
    ready = [report("宣传费"), report("工伤认定和劳动能力鉴定业务系统（2024年运维）")]
    workflow.report_submit(report_id=ready[0].pk, user=unit)
    still_draft = report("邮寄费")
    submitted = report("征地养老慰问经费")
    ids = [ready[0].pk, still_draft.pk, submitted.pk]
    client = login("demo-department")
    confirm = client.post(reverse("tracking:bulk_action"), {"action": "approve", "report": ids})
    assert confirm.status_code == 200 and "跟踪表当前为“草稿”，不能审核通过" in confirm.content.decode()
    assert report("宣传费").status == Status.SUBMITTED  # nothing done before the confirmation
    response = client.post(
        reverse("tracking:bulk_action"), {"action": "approve", "report": ids, "confirmed": "1"}, follow=True
    )
    content = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("tracking:report_list")
    assert "已批量审核通过 2 张跟踪表" in content
    assert "1 张跟踪表未能审核通过" in content and "跟踪表当前为“草稿”，不能审核通过" in content
    assert report("宣传费").status == Status.DEPARTMENT_APPROVED
    assert report("征地养老慰问经费").status == Status.DEPARTMENT_APPROVED
    assert report("邮寄费").status == Status.DRAFT


def test_bulk_return_without_a_comment_returns_nothing(demo):
    submitted = report("征地养老慰问经费")
    response = login("demo-department").post(
        reverse("tracking:bulk_action"), {"action": "return", "report": [submitted.pk], "comment": ""}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("tracking:report_list")
    assert "退回必须填写退回意见" in response.content.decode()
    assert report("征地养老慰问经费").status == Status.SUBMITTED


def test_a_published_form_cannot_be_edited_or_reimported(demo, seed_documents):
    from jixiao.tracking.importing import import_plan

    row = walk_to_published("宣传费")
    response = login("demo-unit").post(
        reverse("tracking:report_edit", args=[row.pk]), edit_form_data(row, goal="悄悄改", action="save")
    )
    assert response.status_code == 409
    row.refresh_from_db()
    assert row.goal != "悄悄改"
    document = seed_documents[0][1]
    changed = next(r for r in document.reports if r.project == "宣传费")
    changed.goal = "导入时悄悄改"
    plan = import_plan(documents=seed_documents, user=None)
    assert any("已公开" in problem and "更正" in problem for problem in plan.problems)


def test_a_correction_is_a_new_version_reviewed_again_and_then_replaces_the_published_one(demo):
    first = walk_to_published("宣传费")
    unit = user("demo-unit")
    second = workflow.report_correct(report_id=first.pk, user=unit, comment="更正执行数")
    assert (second.version, second.previous_id, second.status) == (2, first.pk, Status.DRAFT)
    first.refresh_from_db()
    assert first.status == Status.PUBLISHED and first.public_current and not first.is_latest
    # The correction is edited like any draft; the published version does not change.
    from jixiao.tracking.mapping import report_to_domain

    data = report_to_domain(TrackingReport.objects.get(pk=second.pk))
    data.progress = "更正后的完成情况"
    report_update(row=second, data=data, user=unit, expected_revision=second.revision)
    first.refresh_from_db()
    assert first.progress != "更正后的完成情况"

    # Until the new version is published, the public still reads the first.
    public = login("demo-unit").get(reverse("public:index")).content.decode()
    assert f'href="/public/{first.pk}/"' in public
    workflow.report_submit(report_id=second.pk, user=unit)
    inbox = login("demo-department").get(reverse("tracking:inbox")).content.decode()
    assert reverse("tracking:report_versions", args=[second.pk]) in inbox  # the reviewer goes straight to the diff
    workflow.report_approve(report_id=second.pk, user=user("demo-department"))
    workflow.report_approve(report_id=second.pk, user=user("demo-finance"))
    workflow.report_publish(report_id=second.pk, user=user("demo-finance"))
    first.refresh_from_db()
    assert not first.public_current and first.status == Status.PUBLISHED

    from django.test import Client

    anonymous = Client()
    listing = anonymous.get(reverse("public:index")).content.decode()
    assert f'href="/public/{second.pk}/"' in listing and f'href="/public/{first.pk}/"' not in listing
    assert anonymous.get(reverse("public:report", args=[first.pk])).status_code == 404
    page = anonymous.get(reverse("public:report", args=[second.pk])).content.decode()
    assert "更正后的完成情况" in page and "更正（第 2 版）" in page

    # Reviewers compare the versions field by field, and see the whole history.
    versions = login("demo-finance").get(reverse("tracking:report_versions", args=[second.pk])).content.decode()
    assert "跟踪期实际完成情况" in versions and "更正后的完成情况" in versions
    history = login("demo-finance").get(reverse("tracking:report_detail", args=[second.pk])).content.decode()
    assert history.count('data-action="publish"') == 2 and 'data-action="correct"' in history
    old = login("demo-unit").get(reverse("tracking:report_detail", args=[first.pk])).content.decode()
    assert 'id="old-version"' in old and 'id="do-correct"' not in old


ROLE_USERS = {"unit": "demo-unit", "department": "demo-department", "finance": "demo-finance"}
LEGAL_STEPS = {
    ("draft", "submit", "unit"), ("submitted", "withdraw", "unit"), ("submitted", "return", "department"),
    ("submitted", "approve", "department"), ("department_approved", "return", "finance"),
    ("department_approved", "approve", "finance"), ("finance_approved", "return", "finance"),
    ("finance_approved", "publish", "finance"), ("published", "correct", "unit"), ("published", "correct", "finance"),
}


@pytest.mark.parametrize("state", [s for s, _label in Status.choices])
@pytest.mark.parametrize("action", ["submit", "withdraw", "return", "approve", "publish", "correct"])
@pytest.mark.parametrize("role", sorted(ROLE_USERS))
def test_every_step_through_the_service_is_done_or_refused_without_a_trace(demo, state, action, role):
    from django.core.exceptions import PermissionDenied

    from jixiao.audit.models import AuditEvent

    row = report("宣传费")
    TrackingReport.objects.filter(pk=row.pk).update(status=state)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    events = AuditEvent.objects.count()
    call = {"report_id": row.pk, "user": user(ROLE_USERS[role]), "action": action, "comment": "意见"}
    if (state, action, role) in LEGAL_STEPS:
        workflow.report_transition(**call)
        assert AuditEvent.objects.count() == events + 1
        return
    with pytest.raises((TransitionRefused, PermissionDenied)):
        workflow.report_transition(**call)
    row.refresh_from_db()
    assert row.status == state and row.is_latest
    assert AuditEvent.objects.count() == events
