import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from jixiao.tracking.models import TrackingReport
from tests.integration.conftest import PASSWORD, login

pytestmark = pytest.mark.django_db

PAGES = ["tracking:dashboard", "tracking:report_list", "tracking:rollup", "tracking:upload"]
OTHER_PROJECT = "救助站运维（他部门）"


@pytest.mark.parametrize("username", ["demo-finance", "demo-department", "demo-unit"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_loads_for_every_demo_account(demo, username, page):
    response = login(username).get(reverse(page))
    assert response.status_code == 200
    assert "绩效跟踪" in response.content.decode()


ADMIN_HOMES = {"demo-admin": "/manage/organisations/", "demo-security": "/manage/security/", "demo-auditor": "/audit/"}


@pytest.mark.parametrize("username", sorted(ADMIN_HOMES))
@pytest.mark.parametrize("page", PAGES)
def test_the_three_administrators_are_sent_from_the_form_pages_to_their_own_home(demo, username, page):
    # 三员分立: none of the administrators sees forms; overview and lists lead to their own page.
    client = login(username)
    response = client.get(reverse(page))
    if page == "tracking:upload":
        assert response.status_code == 403
        return
    assert response.status_code == 302
    assert response["Location"] == ADMIN_HOMES[username]
    home = client.get(ADMIN_HOMES[username])
    assert home.status_code == 200
    assert "跟踪表" not in home.content.decode().split("</header>")[0]


@pytest.mark.parametrize("page", PAGES[1:3])
def test_pages_ask_anonymous_visitors_to_log_in(client, page):
    response = client.get(reverse(page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_visitors_at_the_home_page_land_on_the_disclosure_site_with_a_login_link(client, demo):
    response = client.get("/", follow=True)
    assert response.redirect_chain == [(reverse("public:index"), 302)]
    content = response.content.decode()
    assert "信息公开" in content
    assert f'href="{reverse("login")}"' in content and "登录" in content


def test_a_signed_in_user_at_the_home_page_gets_the_dashboard(as_unit):
    response = as_unit.get("/")
    assert response.status_code == 200
    assert 'id="project-count"' in response.content.decode()


def test_logging_in_from_a_page_returns_to_that_page(client, demo):
    asked = client.get(reverse("tracking:rollup"))
    assert asked["Location"] == f"{reverse('login')}?next={reverse('tracking:rollup')}"
    response = client.post(asked["Location"], {"username": "demo-unit", "password": PASSWORD,
                                               "next": reverse("tracking:rollup")})
    assert response.status_code == 302 and response["Location"] == reverse("tracking:rollup")
    # Without a page to return to, the login lands on the dashboard, not on the disclosure site.
    client.logout()
    response = client.post(reverse("login"), {"username": "demo-unit", "password": PASSWORD})
    assert response["Location"] == reverse("tracking:dashboard")


def test_the_login_page_is_in_chinese_and_says_when_the_password_is_wrong(client, demo):
    response = client.post(reverse("login"), {"username": "demo-unit", "password": "wrong"})
    assert "用户名或密码不正确" in response.content.decode()


def test_the_list_shows_all_nine_seed_projects_to_the_unit(as_unit):
    content = as_unit.get(reverse("tracking:report_list")).content.decode()
    assert "共 9 张跟踪表" in content
    assert "征地养老慰问经费" in content


@pytest.mark.parametrize(("username", "sees_other"), [
    ("demo-finance", True), ("demo-department", False), ("demo-unit", False),
])
def test_each_account_sees_only_its_own_scope(other_unit, username, sees_other):
    client = login(username)
    other = TrackingReport.objects.get(project__name=OTHER_PROJECT)
    for page in ("tracking:dashboard", "tracking:report_list"):
        assert (OTHER_PROJECT in client.get(reverse(page)).content.decode()) is sees_other
    expected = 200 if sees_other else 404
    assert client.get(reverse("tracking:report_detail", args=[other.pk])).status_code == expected
    # Those who see everything still may not fill in a unit's form.
    assert client.get(reverse("tracking:report_edit", args=[other.pk])).status_code == (403 if sees_other else 404)
    rollup = client.get(reverse("tracking:rollup"), {"department": other.unit.parent_id}).content.decode()
    assert (OTHER_PROJECT in rollup) is sees_other


def test_the_form_page_reads_like_the_official_table(as_unit):
    report = TrackingReport.objects.get(project__name="鉴定、认定费")
    content = as_unit.get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    for label in ("财政项目支出绩效跟踪表", "跟踪时段：（ 2024年1月 至 2024年8月 ）", "项目名称", "主管部门",
                  "实施单位",
                  "预算执行情况", "年初预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)", "年度资金总额",
                  "其中：当年财政拨款", "上年结转资金", "其他资金", "预期目标", "跟踪期实际完成情况", "一级指标",
                  "二级指标", "三级指标", "年度指标值", "跟踪期计划完成值", "跟踪期实际完成值", "偏差原因分析",
                  "绩效跟踪总体判断", "年度项目预算完成可能性", "年度绩效目标完成可能性", "纠偏措施"):
        assert label in content, label
    assert "上海市闵行区人力资源和社会保障局(汇总)" in content
    assert "36.04" in content and "89.98" in content and "鉴定对象满意度" in content


def test_the_form_page_lists_every_stored_finding_and_marks_its_field(as_finance):
    report = TrackingReport.objects.filter(findings__isnull=False).distinct().first()
    assert report is not None, "the seed is known to contain problems"
    content = as_finance.get(reverse("tracking:report_detail", args=[report.pk])).content.decode()
    for finding in report.findings.all():
        assert escape(finding.message) in content
    assert 'href="#finding-1"' in content


def test_the_rollup_totals_the_department(as_department):
    content = as_department.get(reverse("tracking:rollup")).content.decode()
    assert "上海市闵行区人力资源和社会保障局(汇总)" in content
    assert len(re.findall(r'href="/reports/\d+/"', content)) == 9
    # the nine forms' total period budgets and spending, and the overall rate of the two
    assert "109,832.79" in content and "71,116.04" in content and "64.75%" in content


def test_the_list_filters_and_sorts(as_finance):
    url = reverse("tracking:report_list")
    content = as_finance.get(url, {"q": "征地养老"}).content.decode()
    assert "共 3 张跟踪表" in content
    content = as_finance.get(url, {"likelihood": "有可能完成"}).content.decode()
    assert "外省市差旅费" in content and "宣传费" not in content
    content = as_finance.get(url, {"sort": "-rate"}).content.decode()
    assert content.index("鉴定、认定费") < content.index("征地养老慰问经费")
    assert as_finance.get(url, {"page": "999", "sort": "nonsense", "unit": "x"}).status_code == 200


def test_a_missing_page_answers_in_chinese(as_unit):
    response = as_unit.get("/reports/999999/")
    assert response.status_code == 404
    assert "找不到页面" in response.content.decode()


@pytest.mark.parametrize("username", ["demo-finance", "demo-department", "demo-unit"])
def test_every_form_and_edit_page_of_the_seed_loads_for_every_demo_account(demo, username):
    client = login(username)
    for report in TrackingReport.objects.all():
        for page in ("tracking:report_detail", "tracking:report_edit"):
            response = client.get(reverse(page, args=[report.pk]))
            if page == "tracking:report_edit" and username != "demo-unit":
                assert response.status_code == 403, (page, report.project.name)
                assert "无权操作" in response.content.decode()
                continue
            if page == "tracking:report_edit" and report.status != "draft":
                assert response.status_code == 409, (page, report.project.name)
                assert "只有草稿可以修改" in response.content.decode()
                continue
            assert response.status_code == 200, (page, report.project.name)
            assert report.project.name in response.content.decode()


@pytest.mark.parametrize("username", ["demo-admin", "demo-security", "demo-auditor"])
def test_no_administrator_opens_any_form_page_of_the_seed(demo, username):
    client = login(username)
    for report in TrackingReport.objects.all():
        for page in ("tracking:report_detail", "tracking:report_edit", "tracking:report_versions"):
            assert client.get(reverse(page, args=[report.pk])).status_code == 403, (page, username)
        response = client.get(reverse("tracking:report_download", args=[report.pk, "xlsx"]))
        assert response.status_code == 403
