"""Two people edit the same form at once: the later save is refused with what the other changed."""

import re

import pytest
from django.urls import reverse

from jixiao.tracking.models import TrackingReport
from tests.integration.conftest import edit_form_data, login, make_user

pytestmark = pytest.mark.django_db


def test_the_second_save_gets_the_conflict_and_no_change_is_lost(demo):
    from jixiao.accounts.models import Role

    make_user("unit-colleague", Role.UNIT, "上海市闵行区社会保障服务中心")
    report = TrackingReport.objects.get(project__name="宣传费")
    url = reverse("tracking:report_edit", args=[report.pk])
    alice, bob = login("demo-unit"), login("unit-colleague")
    # Both open the edit page at the same revision.
    assert 'name="revision" value="1"' in alice.get(url).content.decode()
    assert 'name="revision" value="1"' in bob.get(url).content.decode()
    loaded = edit_form_data(report)

    first = alice.post(url, {**loaded, "progress": "甲补充的完成情况", "action": "save"})
    assert first.status_code == 302

    second = bob.post(url, {**loaded, "corrective_actions": "乙填写的纠偏措施", "action": "save"})
    assert second.status_code == 409
    content = second.content.decode()
    assert "其他人已保存了这张表" in content
    assert 'id="conflict"' in content and "跟踪期实际完成情况" in content and "甲补充的完成情况" in content
    assert "demo-unit" in content  # who made the other change
    assert "乙填写的纠偏措施" in content  # bob's own input is still in the form
    assert 'name="revision" value="2"' in content  # ready to save again on top of the newer revision
    # Bob had not touched the progress text, so Alice's version of it is taken into his form.
    assert 'id="merged"' in content and 'id="clashes"' not in content
    assert re.search(r'<textarea name="progress"[^>]*>\s*甲补充的完成情况</textarea>', content)
    report.refresh_from_db()
    assert report.progress == "甲补充的完成情况" and report.corrective_actions != "乙填写的纠偏措施"

    # Bob saves the merged form again: both changes survive.
    merged = {**loaded, "revision": "2", "progress": "甲补充的完成情况", "corrective_actions": "乙填写的纠偏措施",
              "action": "save"}
    assert bob.post(url, merged).status_code == 302
    report.refresh_from_db()
    assert report.progress == "甲补充的完成情况" and report.corrective_actions == "乙填写的纠偏措施"
    assert report.revision == 3


def test_a_stale_save_without_other_changes_recorded_is_still_refused(demo):
    report = TrackingReport.objects.get(project__name="宣传费")
    url = reverse("tracking:report_edit", args=[report.pk])
    stale = edit_form_data(report, revision="1", action="save")
    TrackingReport.objects.filter(pk=report.pk).update(revision=5)
    response = login("demo-unit").post(url, stale)
    assert response.status_code == 409 and "其他人已保存了这张表" in response.content.decode()


def test_when_both_change_the_same_field_the_users_own_value_is_kept_and_the_clash_named(demo):
    report = TrackingReport.objects.get(project__name="宣传费")
    url = reverse("tracking:report_edit", args=[report.pk])
    loaded = edit_form_data(report)
    assert login("demo-unit").post(url, {**loaded, "goal": "甲的目标", "action": "save"}).status_code == 302
    response = login("demo-unit").post(url, {**loaded, "goal": "乙的目标", "action": "save"})
    content = response.content.decode()
    assert response.status_code == 409
    assert 'id="clashes"' in content and "预期目标" in content
    assert re.search(r'<textarea name="goal"[^>]*>\s*乙的目标</textarea>', content)
    report.refresh_from_db()
    assert report.goal == "甲的目标"


def test_an_indicators_change_is_merged_into_the_other_form_too(demo):
    report = TrackingReport.objects.get(project__name="宣传费")
    url = reverse("tracking:report_edit", args=[report.pk])
    loaded = edit_form_data(report)
    first = {**loaded, "indicator_2_deviation_reason": "主题与政策要求一致", "action": "save"}
    assert login("demo-unit").post(url, first).status_code == 302
    content = login("demo-unit").post(url, {**loaded, "goal": "乙的目标", "action": "save"}).content.decode()
    assert "偏差原因分析" in content.split('id="merged"')[1].split("</p>")[0]
    assert re.search(r'<textarea name="indicator_2_deviation_reason"[^>]*>\s*主题与政策要求一致</textarea>', content)
