"""The audit trail: every kind of event with who, when, where and what changed; and no way to alter it."""

import csv
import io
from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.audit.models import Action, AuditEvent, AuditImmutable
from jixiao.tracking import workflow
from jixiao.tracking.models import TrackingReport
from tests.integration.conftest import PASSWORD, edit_form_data, login, user

pytestmark = pytest.mark.django_db


def last(action: str) -> AuditEvent:
    return AuditEvent.objects.filter(action=action).order_by("-at", "-pk").first()


def test_logins_logouts_and_failed_logins_are_recorded_with_the_address(demo):
    client = Client(REMOTE_ADDR="10.1.2.3")
    client.post(reverse("login"), {"username": "demo-unit", "password": "wrong"})
    client.post(reverse("login"), {"username": "demo-unit", "password": PASSWORD})
    client.post(reverse("logout"))
    failed, login_, logout = last(Action.LOGIN_FAILED), last(Action.LOGIN), last(Action.LOGOUT)
    assert (failed.actor_name, failed.ip, failed.actor_id) == ("demo-unit", "10.1.2.3", None)
    assert (login_.actor.username, login_.ip) == ("demo-unit", "10.1.2.3")
    assert (logout.actor.username, logout.ip) == ("demo-unit", "10.1.2.3")


def test_creating_by_import_records_the_new_forms_and_organisations(demo):
    created = AuditEvent.objects.filter(action=Action.CREATE)
    assert created.filter(report__isnull=False).count() == 9
    assert created.filter(subject="实施单位：上海市闵行区社会保障服务中心").exists()
    assert all(event.comment.startswith("导入文件：") for event in created.filter(report__isnull=False))


def test_an_edit_records_before_and_after_of_each_changed_field(demo):
    report = TrackingReport.objects.get(project__name="宣传费")
    client = login("demo-unit")
    client.defaults["REMOTE_ADDR"] = "192.0.2.7"
    data = edit_form_data(report, goal="新的目标", indicator_0_deviation_reason="按计划推进", action="save")
    assert client.post(reverse("tracking:report_edit", args=[report.pk]), data).status_code == 302
    event = last(Action.EDIT)
    assert (event.actor.username, event.ip, event.report_id, event.revision) == ("demo-unit", "192.0.2.7", report.pk, 2)
    changes = {change["field"]: (change["before"], change["after"]) for change in event.changes}
    assert changes["预期目标"][1] == "新的目标"
    reason = next(label for label in changes if label.endswith("偏差原因分析"))
    assert changes[reason][1] == "按计划推进" and changes[reason][0] != "按计划推进"
    assert len(changes) == 2  # unchanged fields are not listed


def test_reimporting_a_changed_form_records_an_import_with_the_changes(demo, seed_documents):
    from jixiao.tracking.importing import documents_import

    name, document = seed_documents[0]
    document.reports = [replace(r, goal="导入的新目标") if r.project == "宣传费" else r for r in document.reports]
    documents_import(documents=[(name, document)], user=user("demo-unit"))
    event = last(Action.IMPORT)
    assert event.report.project.name == "宣传费" and event.actor.username == "demo-unit"
    assert [c["field"] for c in event.changes] == ["预期目标"] and event.changes[0]["after"] == "导入的新目标"


def test_every_transition_is_recorded_with_its_states_and_comment(demo):
    report = TrackingReport.objects.get(project__name="征地养老慰问经费")
    workflow.report_return(report_id=report.pk, user=user("demo-department"), comment="请补充")
    workflow.report_submit(report_id=report.pk, user=user("demo-unit"), comment="已补充")
    workflow.report_withdraw(report_id=report.pk, user=user("demo-unit"))
    events = list(report.audit_events.order_by("at", "pk").values_list("action", "state_before", "state_after",
                                                                        "comment"))
    assert events[-3:] == [
        ("return", "submitted", "draft", "请补充"), ("submit", "draft", "submitted", "已补充"),
        ("withdraw", "submitted", "draft", ""),
    ]
    published = TrackingReport.objects.get(status="published")
    workflow.report_correct(report_id=published.pk, user=user("demo-finance"), comment="更正")
    assert last(Action.CORRECT).report.version == 2


def test_audit_records_refuse_to_be_changed_or_deleted(demo):
    event = AuditEvent.objects.first()
    event.comment = "改写历史"
    with pytest.raises(AuditImmutable):
        event.save()
    with pytest.raises(AuditImmutable):
        event.delete()
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.filter(pk=event.pk).update(comment="改写历史")
    with pytest.raises(AuditImmutable):
        AuditEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.comment != "改写历史"


@pytest.mark.parametrize("username", ["demo-finance", "demo-auditor"])
def test_the_pages_offer_no_way_to_change_the_trail(demo, username):
    client = login(username)
    count = AuditEvent.objects.count()
    page = client.get(reverse("audit:list")).content.decode()
    # The only form on the audit page is the GET filter; the header's logout form is the other POST.
    assert page.count('method="post"') == 1 and 'action="/logout/"' in page
    for url in (reverse("audit:list"), reverse("audit:export")):
        for method in ("post", "put", "patch", "delete"):
            assert getattr(client, method)(url).status_code == 405
    event = AuditEvent.objects.first()
    assert client.get("/admin/").status_code == 404  # no admin site at all
    assert client.post(f"/audit/{event.pk}/", {"comment": "x"}).status_code == 404
    assert AuditEvent.objects.count() == count + 0


def test_finance_filters_and_exports_the_trail(demo):
    client = login("demo-finance")
    page = client.get(reverse("audit:list"), {"action": "publish"}).content.decode()
    assert "共 1 条记录" in page
    response = client.get(reverse("audit:export"), {"action": "approve"})
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[0][:4] == ["时间", "用户名", "IP 地址", "操作"]
    assert len(rows) == 1 + AuditEvent.objects.filter(action="approve").count() == 4
    assert {row[3] for row in rows[1:]} == {"审核通过"}


def test_each_form_shows_its_history(demo):
    report = TrackingReport.objects.get(status="published")
    page = login("demo-unit").get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    for action in ("create", "submit", "approve", "publish"):
        assert f'data-action="{action}"' in page
