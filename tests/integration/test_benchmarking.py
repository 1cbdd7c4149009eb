"""预算调整建议 and 跨项目对标: pages per role, the accept/reject service, the xlsx, query counts."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from jixiao.accounts.models import Organisation, OrganisationKind, Role, User
from jixiao.audit.models import Action, AuditEvent
from jixiao.benchmarking import selectors
from jixiao.benchmarking.models import ProposalDecision
from jixiao.domain.forecast import forecast_spending
from jixiao.tracking import mapping, models
from jixiao.tracking.checking import checker_config
from jixiao.tracking.forecasting import history_of
from tests.integration.conftest import login, make_user

pytestmark = pytest.mark.django_db
REASON = "经核实项目实施进度滞后，同意按预计结余调整。"


def _period(end: str) -> models.TrackingPeriod:
    return models.TrackingPeriod.objects.get(fiscal_year__year=2024, start="2024-01", end=end)


def _finance_rows(end="2024-10"):
    return selectors.proposals(user=User.objects.get(username="demo-finance"), period=_period(end))


def test_the_proposals_follow_the_forms_forecast(demo_cycle):
    rows = _finance_rows()
    assert rows, "the demo's 1–10 月 forms leave money unspent"
    for row in rows:
        report = models.TrackingReport.objects.get(pk=row.report_id)
        history = history_of(project_id=report.project_id, end_month=10, amount_unit=report.amount_unit)
        made = forecast_spending(mapping.report_to_domain(report), history, checker_config())
        # The same forecast as the form page's 预测 block, the budget less it as the balance.
        assert row.proposal.forecast == made.value
        assert row.proposal.expected_balance == row.proposal.budget - made.value
        assert row.proposal.action in ("reduce", "recover", "reallocate")


def test_finance_accepts_and_rejects_with_a_reason_once(demo_cycle):
    client = login("demo-finance")
    first, second = _finance_rows()[:2]
    url = reverse("benchmarking:proposal_decide", args=[first.report_id])
    assert client.post(url, {"decision": "accept", "reason": "  "}).status_code == 400
    assert client.post(url, {"decision": "maybe", "reason": REASON}).status_code == 400
    assert not ProposalDecision.objects.exists()
    response = client.post(url, {"decision": "accept", "reason": REASON, "back": "period=x&action=recover"})
    assert response.status_code == 302 and response["Location"].endswith("?period=x&action=recover")
    saved = ProposalDecision.objects.get()
    assert (saved.decision, saved.reason, saved.action, saved.expected_balance) == (
        "accepted", REASON, first.proposal.action, first.proposal.expected_balance)
    event = AuditEvent.objects.get(action=Action.PROPOSAL_ACCEPT)
    assert event.report_id == first.report_id and event.comment == REASON and event.actor.username == "demo-finance"
    assert client.post(url, {"decision": "reject", "reason": REASON}).status_code == 409
    assert ProposalDecision.objects.count() == 1
    other = reverse("benchmarking:proposal_decide", args=[second.report_id])
    assert client.post(other, {"decision": "reject", "reason": REASON}).status_code == 302
    assert AuditEvent.objects.filter(action=Action.PROPOSAL_REJECT, report_id=second.report_id).count() == 1
    page = client.get(reverse("benchmarking:proposals"), {"state": "accepted"}).content.decode()
    assert page.count('data-state="accepted"') == 1 and 'data-state="pending"' not in page


def test_a_form_without_a_proposal_is_refused(demo_cycle):
    client = login("demo-finance")
    listed = {row.report_id for row in _finance_rows()}
    without = models.TrackingReport.objects.filter(period=_period("2024-10"), is_latest=True).exclude(pk__in=listed)
    response = client.post(reverse("benchmarking:proposal_decide", args=[without.first().pk]),
                           {"decision": "accept", "reason": REASON})
    assert response.status_code == 409 and "没有调整建议" in response.content.decode()
    assert client.post(reverse("benchmarking:proposal_decide", args=[10**12]),
                       {"decision": "accept", "reason": REASON}).status_code == 404
    assert not ProposalDecision.objects.exists()


def test_the_department_reads_its_own_and_may_not_decide(demo_cycle):
    report_id = _finance_rows()[0].report_id
    department = login("demo-department")
    page = department.get(reverse("benchmarking:proposals"))
    assert page.status_code == 200 and f'data-report="{report_id}"' in page.content.decode()
    assert "proposal_decide" not in page.content.decode() and "/decide/" not in page.content.decode()
    url = reverse("benchmarking:proposal_decide", args=[report_id])
    assert department.post(url, {"decision": "accept", "reason": REASON}).status_code == 403
    # Another department's account sees none of them and cannot reach the form.
    finance = Organisation.objects.get(kind=OrganisationKind.FINANCE)
    Organisation.objects.create(name="上海市闵行区民政局", kind=OrganisationKind.DEPARTMENT, parent=finance)
    make_user("other-department", Role.DEPARTMENT, "上海市闵行区民政局")
    other = login("other-department")
    assert 'data-report="' not in other.get(reverse("benchmarking:proposals")).content.decode()
    assert other.post(url, {"decision": "accept", "reason": REASON}).status_code == 404
    for username in ("demo-unit", "demo-auditor"):
        assert login(username).get(reverse("benchmarking:proposals")).status_code == 403
    assert not ProposalDecision.objects.exists()


def test_bad_filters_are_ignored_never_a_server_error(demo_cycle):
    client = login("demo-finance")
    for query in ({"period": "9" * 30}, {"department": "x"}, {"action": "nope"}, {"state": "\x00"}):
        assert client.get(reverse("benchmarking:proposals"), query).status_code == 200
        assert client.get(reverse("benchmarking:proposals_export"), query).status_code == 200
    assert client.get(reverse("benchmarking:index"), {"year": "abc", "outlier": "x"}).status_code == 200


def test_the_xlsx_holds_the_rows_of_the_list_with_a_chinese_name(demo_cycle):
    client = login("demo-finance")
    period = _period("2024-10")
    response = client.get(reverse("benchmarking:proposals_export"), {"period": period.pk, "action": "recover"})
    assert response.status_code == 200
    assert "filename*=UTF-8''" + "%E9%A2%84%E7%AE%97" in response["Content-Disposition"]  # 预算…
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("序号", "主管部门", "实施单位", "项目名称")
    expected = [r for r in _finance_rows() if r.proposal.action == "recover"]
    assert [r[3] for r in rows[1:]] == [r.project for r in expected]
    assert all(r[10] == "收回" for r in rows[1:])


# ---- query counts: 10 and 500 projects ----

def _organisations():
    finance = Organisation.objects.create(name="财政局", kind=OrganisationKind.FINANCE)
    department = Organisation.objects.create(name="测试局", kind=OrganisationKind.DEPARTMENT, parent=finance)
    unit = Organisation.objects.create(name="测试中心", kind=OrganisationKind.UNIT, parent=department)
    year = models.FiscalYear.objects.create(year=2024)
    periods = [models.TrackingPeriod.objects.create(fiscal_year=year, start="2024-01", end=end)
               for end in ("2024-04", "2024-08")]
    make_user("finance-user", Role.FINANCE, "财政局")
    make_user("department-user", Role.DEPARTMENT, "测试局")
    return unit, periods


def _add(unit, periods, count: int) -> None:
    """``count`` projects, each with a 1–4 月 and a 1–8 月 form spending slowly, two indicators, a finding."""
    first = models.Project.objects.count()
    projects = models.Project.objects.bulk_create(
        models.Project(name=f"项目{i:04d}", unit=unit, fiscal_year=periods[0].fiscal_year)
        for i in range(first, first + count))
    for months, period in zip((4, 8), periods, strict=True):
        reports = models.TrackingReport.objects.bulk_create(
            models.TrackingReport(project=p, period=period, unit=unit, department_label="测试局(汇总)",
                                  total_spent=Decimal(months + i % 5), light="red")
            for i, p in enumerate(projects))
        models.BudgetLine.objects.bulk_create(
            models.BudgetLine(report=r, source="total", initial=Decimal(100), spent=r.total_spent) for r in reports)
        models.Indicator.objects.bulk_create(
            models.Indicator(report=r, position=0, level1="满意度指标", level2="服务对象满意度指标", name="满意度",
                             target_text=f"≥{80 + i % 15}%", target_kind="quantitative", target_comparator="≥",
                             target_value=Decimal(80 + i % 15), target_unit="%", actual="70", light="red",
                             deviation_reason="无偏差")
            for i, r in enumerate(reports))
        models.Finding.objects.bulk_create(
            models.Finding(report=r, position=0, rule="indicator.deviation_unexplained", severity="error",
                           severity_rank=3, message="偏差未说明") for r in reports)
    models.TrackingReport.objects.filter(period=periods[0]).update(is_latest=True)


def _queries(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("username", ["finance-user", "department-user"])
def test_the_query_count_does_not_grow_with_the_number_of_projects(db, username):
    unit, periods = _organisations()
    pages = [reverse("benchmarking:proposals"), f"{reverse('benchmarking:proposals_export')}?period={periods[1].pk}"]
    if username == "finance-user":
        pages.append(reverse("benchmarking:index"))
    _add(unit, periods, 10)
    client = login(username)
    with_10 = [_queries(client, url) for url in pages]
    rows_10 = len(selectors.proposals(user=User.objects.get(username=username), period=periods[1]))
    _add(unit, periods, 490)
    with_500 = [_queries(client, url) for url in pages]
    assert rows_10 == 10
    assert len(selectors.proposals(user=User.objects.get(username=username), period=periods[1])) == 500
    assert with_10 == with_500


def test_the_pages_with_proposals_and_decisions_read_chinese(demo_cycle):
    from tests.integration.test_visible_text import english_problems, visible_text

    client = login("demo-finance")
    first = _finance_rows()[0]
    client.post(reverse("benchmarking:proposal_decide", args=[first.report_id]),
                {"decision": "reject", "reason": REASON})
    for url in (reverse("benchmarking:proposals") + f"?period={_period('2024-10').pk}", reverse("benchmarking:index")):
        html = client.get(url).content.decode()
        assert 'data-report="' in html or 'id="groups"' in html
        assert not english_problems(visible_text(html), {"demo-finance"}), url


def test_reporting_quality_counts_late_submissions_returns_and_no_deviation(demo_cycle):
    import datetime

    from jixiao.benchmarking.comparing import benchmark
    from jixiao.tracking import workflow

    finance = User.objects.get(username="demo-finance")

    def quality():
        (row,) = [q for q in benchmark(user=finance, year=2024).departments if q.department_id]
        return row

    models.TrackingPeriod.objects.update(deadline=datetime.date(2999, 12, 31))
    before = quality()
    assert before.submitted > 0 and before.late == 0  # every form submitted before its deadline
    submitted = set(AuditEvent.objects.filter(action=Action.SUBMIT, report__period__fiscal_year__year=2024)
                    .values_list("report__period_id", flat=True))
    period = models.TrackingPeriod.objects.get(pk=sorted(submitted)[0])
    period.deadline = datetime.date(2024, 1, 1)
    period.save()
    late = AuditEvent.objects.filter(action=Action.SUBMIT, report__period=period).values(
        "report__project_id").distinct().count()
    assert quality().late == late > 0
    form = models.TrackingReport.objects.filter(period__fiscal_year__year=2024, is_latest=True,
                                                status=models.Status.SUBMITTED).first()
    workflow.report_return(report_id=form.pk, user=User.objects.get(username="demo-department"), comment="请补充")
    assert quality().returns == before.returns + 1
    # The share of missed indicators marked 无偏差 is what the stored lights and reasons say.
    missed = models.Indicator.objects.filter(report__is_latest=True, report__period__fiscal_year__year=2024,
                                             light__in=("red", "yellow"))
    assert before.missed == missed.count() > 0
    assert before.missed_no_deviation == sum(1 for r in missed.values_list("deviation_reason", flat=True)
                                             if (r or "").strip() in ("", "无", "无偏差"))
