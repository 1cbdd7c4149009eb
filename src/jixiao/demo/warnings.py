"""The demo's warnings (预警与整改): one warning in each state on the seed period's red-light forms, so that
the register, the 待办 of the unit and of finance and the notice letter all have something to show —
an overdue one still waiting for its answer, one answered, one reported done with an evidence file,
one closed, and one the department issued. A second run changes nothing."""

from __future__ import annotations

import datetime

from django.utils import timezone

from jixiao.tracking.models import Light, TrackingReport
from jixiao.warnings.models import WarningNotice
from jixiao.warnings.services import Upload, warning_step, warnings_issue

PROBLEM = "经跟踪监控，该项目预算执行明显滞后于序时进度（红灯预警）。请分析原因，提出整改措施并按期答复。"
MEASURES = "已与供应商确认合同节点，九月底前完成验收并支付首期款；每月向主管部门报送执行进度。"
DONE = "已于九月完成验收并支付首期款，执行率升至序时进度的八成以上，佐证材料见附件。"
EVIDENCE = Upload("整改完成情况说明.txt", "付款凭证号：2024-09-018；验收单：2024-09-012。\n".encode())
# (issuer, steps taken by whom) for each warning, on the red-light forms in turn.
PLAN = (
    ("demo-finance", ()),  # open, its deadline passed: overdue
    ("demo-finance", (("demo-unit", "answer"),)),
    ("demo-finance", (("demo-unit", "answer"), ("demo-unit", "done"))),
    ("demo-finance", (("demo-unit", "answer"), ("demo-unit", "done"), ("demo-finance", "close"))),
    ("demo-department", ()),
)
TEXTS = {"answer": MEASURES, "done": DONE, "close": "整改到位，予以关闭。"}


def demo_warnings(users: dict, *, period_id: int) -> int:
    """The demo's warnings on the period's red-light forms of the demo unit, when there are none yet."""
    if WarningNotice.objects.exists():
        return 0
    red = list(TrackingReport.objects.filter(period_id=period_id, is_latest=True, light=Light.RED,
                                             unit=users["demo-unit"].organisation).order_by("project__name"))
    made = 0
    for report, (issuer, steps) in zip(red, PLAN, strict=False):
        deadline = timezone.localdate() + datetime.timedelta(days=14)
        warning = warnings_issue(user=users[issuer], report_ids=[report.pk], problem=PROBLEM,
                                 deadline=deadline).warnings[0]
        for who, action in steps:
            warning_step(warning_id=warning.pk, user=users[who], action=action, text=TEXTS[action],
                         uploads=[EVIDENCE] if action == "done" else [])
        if made == 0:  # the first one's reply deadline has passed
            passed = timezone.localdate() - datetime.timedelta(days=3)
            WarningNotice.objects.filter(pk=warning.pk).update(deadline=passed)
        made += 1
    return made
