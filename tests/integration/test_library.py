"""指标库: the rebuild from the forms, the search and entry pages per role, finance's merge and
recommendation (confirmed, audited, kept by a rebuild) and the suggestions the goal editor calls."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from jixiao.accounts.models import Organisation
from jixiao.audit.models import Action, AuditEvent
from jixiao.cli import main
from jixiao.demo import SEED_NAME, seed_bytes
from jixiao.domain.notation import parse_target
from jixiao.formats.registry import read_bytes
from jixiao.library.models import LibraryIndicator, LibraryUsage
from jixiao.library.services import library_rebuild
from jixiao.tracking.importing import documents_import
from tests.integration.conftest import login, user

pytestmark = pytest.mark.django_db

SATISFACTION = "系统使用人员满意度"  # on two of the demo's forms (≥90 %)
CONTRACT = {"name", "level1", "level2", "unit", "direction", "kind", "comparator", "value", "uses"}


def entry(name: str, unit: str = "%") -> LibraryIndicator:
    return LibraryIndicator.objects.get(name=name, unit=unit)


def import_other_department(index: int = 0, **changes) -> Organisation:
    """One form of another department (民政局) whose indicator ``index`` is renamed or re-targeted."""
    document = read_bytes(seed_bytes(), SEED_NAME)
    report = replace(document.reports[0], department="上海市闵行区民政局(汇总)", unit="上海市闵行区救助管理站",
                     project="救助站运维（他部门）")
    report.indicators[index] = replace(report.indicators[index], **changes)
    document.reports = [report]
    documents_import(documents=[("other.txt", document)], user=None)
    return Organisation.objects.get(name="上海市闵行区救助管理站")


def test_the_demo_builds_the_library_from_its_forms(demo):
    satisfaction = entry(SATISFACTION)
    assert (satisfaction.level1, satisfaction.level2, satisfaction.direction, satisfaction.kind) == (
        "满意度指标", "服务对象满意度指标", "higher_better", "level")
    assert (satisfaction.uses, satisfaction.projects, satisfaction.departments) == (2, 2, 1)
    assert satisfaction.spread == {"≥": {"count": 2, "min": "90.00", "median": "90.00", "max": "90.00"}}
    assert (satisfaction.comparator, satisfaction.value) == ("≥", Decimal(90))
    faults = entry("全年重大故障数", "起")
    assert (faults.direction, faults.kind) == ("lower_better", "accumulating")
    assert LibraryUsage.objects.filter(entry=satisfaction).count() == 2


def test_a_rebuild_files_a_spelling_with_spaces_and_full_width_units_under_the_same_entry(demo):
    done = read_bytes(seed_bytes(), SEED_NAME).reports[0].indicators[1]
    assert (done.name, done.target.text) == ("运维工作完成率", "=100.00(%)")
    import_other_department(1, name="运维工作 完成率", target=parse_target("=100.00（％）"))
    library_rebuild()
    same = entry("运维工作完成率")
    assert (same.departments, same.projects, same.uses) == (2, 3, 3)
    assert set(LibraryUsage.objects.filter(entry=same).values_list("name", flat=True)) == {"运维工作完成率",
                                                                                          "运维工作 完成率"}


def test_a_rebuild_keeps_finance_merges_and_recommendations(demo):
    finance = user("demo-finance")
    timely = LibraryIndicator.objects.get(name="运维工作及时性", unit="")
    timely_percent = entry("运维工作及时性")
    from jixiao.library.services import library_merge, library_recommend

    library_recommend(user=finance, entry_id=timely_percent.pk, recommended=True)
    library_merge(user=finance, entry_id=timely.pk, survivor_id=timely_percent.pk)
    before = entry("运维工作及时性").uses
    rebuilt = library_rebuild()
    survivor, merged = entry("运维工作及时性"), LibraryIndicator.objects.get(pk=timely.pk)
    assert survivor.recommended and survivor.uses == before == 2
    assert merged.merged_into_id == survivor.pk and merged.uses == 0
    assert not LibraryUsage.objects.filter(entry=merged).exists()
    assert rebuilt.entries == LibraryIndicator.objects.filter(merged_into=None, uses__gt=0).count()


def test_a_rebuild_drops_entries_nobody_uses_unless_finance_decided_on_them(demo):
    LibraryIndicator.objects.create(name="早已不用的指标", direction="higher_better", kind="level", uses=3)
    LibraryIndicator.objects.create(name="推荐但未使用", direction="higher_better", kind="level", level2="数量指标",
                                    recommended=True, uses=3)
    assert library_rebuild().removed == 1
    assert not LibraryIndicator.objects.filter(name="早已不用的指标").exists()
    kept = LibraryIndicator.objects.get(name="推荐但未使用")
    assert (kept.uses, kept.level2) == (0, "数量指标")


def test_the_command_rebuilds_the_library(demo, capsys):
    LibraryIndicator.objects.all().delete()
    assert main(["library", "--rebuild"]) == 0
    assert "已重建指标库" in capsys.readouterr().out
    assert entry(SATISFACTION).uses == 2


def test_the_rebuild_is_a_few_statements_not_one_per_indicator(demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        library_rebuild()


# ---------------------------------------------------------------- the search page


@pytest.mark.parametrize("username", ["demo-unit", "demo-department", "demo-finance"])
def test_the_form_roles_search_the_library(demo, username):
    page = login(username).get(reverse("library:index"), {"q": "满意度"}).content.decode()
    assert SATISFACTION in page and "鉴定对象满意度" in page and "送达文书数量" not in page
    assert "≥ 90.00 / 90.00 / 90.00 %" in page
    assert ('设为推荐' in login(username).get(reverse("library:detail", args=[entry(SATISFACTION).pk]))
            .content.decode()) == (username == "demo-finance")


@pytest.mark.parametrize("username", ["demo-admin", "demo-security", "demo-auditor"])
def test_the_administrators_do_not_read_the_library(demo, username):
    client = login(username)
    assert client.get(reverse("library:index")).status_code == 403
    assert client.get(reverse("library:detail", args=[entry(SATISFACTION).pk])).status_code == 403
    assert client.get(reverse("library:suggest")).status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(demo):
    assert Client().get(reverse("library:index")).status_code == 302
    assert Client().get(reverse("library:suggest"), {"q": "满意"}).status_code == 401


def test_the_search_filters_by_level_and_department(as_finance, demo):
    other = import_other_department(name="救助站专用指标")
    library_rebuild()
    page = as_finance.get(reverse("library:index"), {"level2": "服务对象满意度指标"}).content.decode()
    assert SATISFACTION in page and "送达文书数量" not in page
    page = as_finance.get(reverse("library:index"), {"level1": "产出指标"}).content.decode()
    assert "送达文书数量" in page and SATISFACTION not in page
    page = as_finance.get(reverse("library:index"), {"department": other.parent_id}).content.decode()
    assert "救助站专用指标" in page and "送达文书数量" not in page


def test_a_recommended_entry_comes_first(as_finance, demo):
    last = LibraryIndicator.objects.filter(merged_into=None).order_by("uses", "-name").first()
    LibraryIndicator.objects.filter(pk=last.pk).update(recommended=True)
    page = as_finance.get(reverse("library:index")).content.decode()
    rows = page.split('id="library"', 1)[1]
    assert rows.index(f'data-entry="{last.pk}"') < rows.index(f'data-entry="{entry(SATISFACTION).pk}"')


def test_a_bad_filter_is_ignored_with_a_message(as_unit):
    response = as_unit.get(reverse("library:index"), {"department": "9" * 20, "level2": "不存在"})
    assert response.status_code == 200 and "已忽略" in response.content.decode()


# ---------------------------------------------------------------- one entry and its usages


def test_the_entry_lists_only_the_projects_in_the_readers_scope(demo):
    import_other_department(name=SATISFACTION)
    library_rebuild()
    pk = entry(SATISFACTION).pk
    department_page = login("demo-department").get(reverse("library:detail", args=[pk])).content.decode()
    finance_page = login("demo-finance").get(reverse("library:detail", args=[pk])).content.decode()
    assert "救助站运维（他部门）" in finance_page and "救助站运维（他部门）" not in department_page
    assert 'id="entry-projects">3 / 2' in department_page  # the figures are the whole library's


def test_an_unknown_entry_is_404(as_unit):
    assert as_unit.get(reverse("library:detail", args=[999999])).status_code == 404


# ---------------------------------------------------------------- merging and recommending


def _merge(client, survivor, merged, **extra):
    return client.post(reverse("library:merge", args=[survivor.pk]),
                       {"other": merged.pk, "keep": "this", "comment": "同一指标，单位漏填", **extra})


def test_finance_merges_a_duplicate_after_confirming_and_its_usages_move(as_finance):
    survivor, merged = entry("运维工作及时性"), LibraryIndicator.objects.get(name="运维工作及时性", unit="")
    detail = as_finance.get(reverse("library:detail", args=[survivor.pk])).content.decode()
    assert f'name="other" value="{merged.pk}"' in detail  # proposed as a duplicate: the same name
    confirm = _merge(as_finance, survivor, merged)
    assert confirm.status_code == 200 and "确认合并" in confirm.content.decode()
    assert LibraryIndicator.objects.get(pk=merged.pk).merged_into_id is None  # nothing done yet
    done = _merge(as_finance, survivor, merged, confirmed="1")
    assert done.status_code == 302 and done["Location"] == reverse("library:detail", args=[survivor.pk])
    survivor.refresh_from_db()
    assert survivor.uses == 2 and survivor.projects == 2
    assert LibraryUsage.objects.filter(entry=survivor).count() == 2 and not LibraryUsage.objects.filter(
        entry=merged).exists()
    assert LibraryIndicator.objects.get(pk=merged.pk).merged_into_id == survivor.pk
    event = AuditEvent.objects.get(action=Action.LIBRARY_MERGE)
    assert event.actor.username == "demo-finance" and event.comment == "同一指标，单位漏填"
    assert "并入" in event.subject
    assert "已合并到" in as_finance.get(reverse("library:detail", args=[merged.pk])).content.decode()
    page = as_finance.get(reverse("library:index"), {"q": "运维工作及时性"}).content.decode()
    assert f'data-entry="{merged.pk}"' not in page and f'data-entry="{survivor.pk}"' in page


def test_finance_may_keep_the_other_entry(as_finance):
    this, other = entry("运维工作及时性"), LibraryIndicator.objects.get(name="运维工作及时性", unit="")
    _merge(as_finance, this, other, keep="other", confirmed="1")
    assert LibraryIndicator.objects.get(pk=this.pk).merged_into_id == other.pk


def test_a_merged_entry_cannot_be_merged_again(as_finance):
    survivor, merged = entry("运维工作及时性"), LibraryIndicator.objects.get(name="运维工作及时性", unit="")
    _merge(as_finance, survivor, merged, confirmed="1")
    assert _merge(as_finance, survivor, merged).status_code == 409
    assert _merge(as_finance, survivor, merged, confirmed="1").status_code == 409
    assert _merge(as_finance, survivor, survivor, confirmed="1").status_code == 409
    assert AuditEvent.objects.filter(action=Action.LIBRARY_MERGE).count() == 1


def test_a_merge_without_a_choice_is_400_and_changes_nothing(as_finance):
    response = as_finance.post(reverse("library:merge", args=[entry(SATISFACTION).pk]), {"keep": "nonsense"})
    assert response.status_code == 400 and "请选择要合并的另一个指标" in response.content.decode()
    assert not LibraryIndicator.objects.exclude(merged_into=None).exists()


@pytest.mark.parametrize("username", ["demo-unit", "demo-department"])
def test_units_and_departments_read_only(demo, username):
    client = login(username)
    survivor, merged = entry("运维工作及时性"), LibraryIndicator.objects.get(name="运维工作及时性", unit="")
    assert _merge(client, survivor, merged, confirmed="1").status_code == 403
    assert client.post(reverse("library:recommend", args=[survivor.pk]),
                       {"recommended": "1", "confirmed": "1"}).status_code == 403
    assert not LibraryIndicator.objects.filter(recommended=True).exists()
    assert not LibraryIndicator.objects.exclude(merged_into=None).exists()
    assert not AuditEvent.objects.filter(action__startswith="library").exists()


def test_finance_recommends_after_confirming_and_the_entry_is_suggested_first(as_finance):
    rare = entry("鉴定对象满意度")
    url = reverse("library:recommend", args=[rare.pk])
    confirm = as_finance.post(url, {"recommended": "1"})
    assert confirm.status_code == 200 and "确认推荐" in confirm.content.decode()
    assert not LibraryIndicator.objects.get(pk=rare.pk).recommended
    assert as_finance.post(url, {"recommended": "1", "confirmed": "1"}).status_code == 302
    assert LibraryIndicator.objects.get(pk=rare.pk).recommended
    assert AuditEvent.objects.get(action=Action.LIBRARY_RECOMMEND).changes == [
        {"field": "推荐", "before": "否", "after": "是"}]
    results = as_finance.get(reverse("library:suggest"), {"q": "满意度"}).json()["results"]
    assert results[0]["name"] == "鉴定对象满意度"
    assert as_finance.post(url, {"recommended": "0", "confirmed": "1"}).status_code == 302
    assert not LibraryIndicator.objects.get(pk=rare.pk).recommended
    assert AuditEvent.objects.filter(action=Action.LIBRARY_UNRECOMMEND).count() == 1
    assert as_finance.post(url, {"recommended": "maybe"}).status_code == 400


# ---------------------------------------------------------------- the suggestions (the goal editor's contract)


def test_suggest_returns_the_contract(as_unit):
    response = as_unit.get(reverse("library:suggest"), {"q": "满意度", "level2": "服务对象满意度指标"})
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    results = response.json()["results"]
    assert 1 <= len(results) <= 10 and all(set(result) == CONTRACT for result in results)
    first = results[0]
    assert first == {"name": SATISFACTION, "level1": "满意度指标", "level2": "服务对象满意度指标", "unit": "%",
                     "direction": "higher_better", "kind": "level", "comparator": "≥", "value": "90", "uses": 2}
    assert [r["uses"] for r in results] == sorted((r["uses"] for r in results), reverse=True)


def test_suggest_gives_at_most_ten_and_null_for_a_qualitative_target(as_unit):
    results = as_unit.get(reverse("library:suggest")).json()["results"]
    assert len(results) == 10
    qualitative = as_unit.get(reverse("library:suggest"), {"q": "成本控制有效性"}).json()["results"]
    assert qualitative[0]["comparator"] is None and qualitative[0]["value"] is None
    assert qualitative[0]["kind"] == "qualitative"


def test_suggest_finds_nothing_for_an_unknown_name(as_unit):
    assert as_unit.get(reverse("library:suggest"), {"q": "没有这个指标"}).json() == {"results": []}


# ---------------------------------------------------------------- query counts


def _entries(count: int) -> None:
    LibraryIndicator.objects.bulk_create(
        LibraryIndicator(name=f"测试指标{i:04d}", unit="件", level1="产出指标", level2="数量指标",
                         direction="higher_better", kind="accumulating", uses=i + 1, projects=1,
                         spread={"=": {"count": 1, "min": "1", "median": "1", "max": "1"}})
        for i in range(LibraryIndicator.objects.count(), LibraryIndicator.objects.count() + count)
    )


def _queries(client, url, params, django_capture) -> int:
    client.get(url, params)  # warm up
    with django_capture() as captured:
        assert client.get(url, params).status_code == 200
    return len(captured)


def test_the_pages_run_as_many_queries_for_many_entries_as_for_ten(as_finance, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    capture = lambda: CaptureQueriesContext(connection)  # noqa: E731
    pk = entry(SATISFACTION).pk
    pages = [(reverse("library:index"), {}), (reverse("library:index"), {"department": "1", "q": "测试"}),
             (reverse("library:detail", args=[pk]), {}), (reverse("library:suggest"), {"q": "指标"})]
    few = [_queries(as_finance, url, params, capture) for url, params in pages]
    _entries(600)
    many = [_queries(as_finance, url, params, capture) for url, params in pages]
    assert few == many and max(many) <= 12, many


def _usages(entry_pk: int, count: int) -> None:
    from jixiao.tracking.models import Project, TrackingReport

    report = TrackingReport.objects.select_related("project", "unit").first()
    start = Project.objects.count()
    projects = Project.objects.bulk_create(
        Project(name=f"使用项目{i:04d}", unit=report.unit, fiscal_year=report.project.fiscal_year)
        for i in range(start, start + count))
    LibraryUsage.objects.bulk_create(
        LibraryUsage(entry_id=entry_pk, project=project, unit=report.unit, department_id=report.unit.parent_id,
                     name=SATISFACTION, target_text="≥90.00(%)") for project in projects)


def test_the_entry_page_runs_as_many_queries_for_500_projects_as_for_10(as_unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    capture = lambda: CaptureQueriesContext(connection)  # noqa: E731
    pk = entry(SATISFACTION).pk
    url = reverse("library:detail", args=[pk])
    _usages(pk, 8)
    few = [_queries(as_unit, url, params, capture) for params in ({}, {"page": "2"})]
    _usages(pk, 490)
    many = [_queries(as_unit, url, params, capture) for params in ({}, {"page": "2"})]
    assert few == many, (few, many)
    assert 'data-project' in as_unit.get(url, {"page": "2"}).content.decode()
