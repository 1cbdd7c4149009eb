from dataclasses import replace
from decimal import Decimal

import pytest

from jixiao.accounts.models import Organisation
from jixiao.tracking import mapping, models
from jixiao.tracking.importing import NEW, UNCHANGED, UPDATE, ImportRefused, documents_import, import_plan
from jixiao.tracking.summaries import summaries_rebuild

pytestmark = pytest.mark.django_db


def test_it_imports_the_nine_seed_forms_with_their_organisations(seed_documents):
    plan = documents_import(documents=seed_documents, user=None)
    assert plan.count(NEW) == 9
    assert models.TrackingReport.objects.count() == 9
    unit = Organisation.objects.get(name="上海市闵行区社会保障服务中心")
    assert unit.parent.name == "上海市闵行区人力资源和社会保障局"
    assert unit.parent.parent.name == "财政局"


def test_a_stored_report_reads_back_as_the_same_domain_report(seed_documents):
    documents_import(documents=seed_documents, user=None)
    originals = {r.project: r for r in seed_documents[0][1].reports}
    rows = models.TrackingReport.objects.select_related("project", "period", "unit").prefetch_related(
        "budget_lines", "indicators"
    )
    for row in rows:
        assert mapping.report_to_domain(row) == originals[row.project.name]


def test_a_second_import_of_the_same_forms_changes_nothing(seed_documents):
    documents_import(documents=seed_documents, user=None)
    ids = set(models.TrackingReport.objects.values_list("pk", "revision"))
    plan = documents_import(documents=seed_documents, user=None)
    assert plan.count(UNCHANGED) == 9
    assert set(models.TrackingReport.objects.values_list("pk", "revision")) == ids


def test_a_changed_form_is_shown_as_an_update_and_replaced_on_import(seed_documents):
    documents_import(documents=seed_documents, user=None)
    name, document = seed_documents[0]
    first = document.reports[0]
    first.budget.total = replace(first.budget.total, spent=Decimal("1.50"))
    plan = import_plan(documents=[(name, document)], user=None)
    assert [p.action for p in plan.reports].count(UPDATE) == 1
    changed = next(p for p in plan.reports if p.action == UPDATE)
    assert [(c.label, c.old, c.new) for c in changed.changes] == [("年度资金总额·跟踪期执行数", "0.50", "1.50")]
    documents_import(documents=[(name, document)], user=None)
    row = models.TrackingReport.objects.get(project__name=first.project)
    assert row.total_spent == Decimal("1.50")
    assert row.revision == 2
    assert models.TrackingReport.objects.count() == 9


def test_two_copies_of_one_form_in_an_upload_refuse_the_whole_import(seed_documents):
    name, document = seed_documents[0]
    document.reports.append(document.reports[0])
    with pytest.raises(ImportRefused, match="同一项目同一跟踪时段"):
        documents_import(documents=[(name, document)], user=None)
    assert models.TrackingReport.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_findings_are_stored_with_each_report(seed_documents):
    documents_import(documents=seed_documents, user=None)
    total_findings = models.Finding.objects.count()
    assert total_findings == sum(
        r.error_count + r.warning_count + r.info_count for r in models.TrackingReport.objects.all()
    )
    assert models.TrackingReport.objects.exclude(light="").exists()


def test_recheck_replaces_stale_findings_without_touching_the_forms(seed_documents):
    from jixiao.tracking.services import reports_recheck

    documents_import(documents=seed_documents, user=None)
    expected = sorted(models.Finding.objects.values_list("report_id", "rule", "message"))
    models.Finding.objects.all().delete()
    models.TrackingReport.objects.update(light="", light_rank=0, error_count=0)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    assert reports_recheck(batch_size=4) == 9
    assert sorted(models.Finding.objects.values_list("report_id", "rule", "message")) == expected
    assert not models.TrackingReport.objects.filter(light="").exists()
    assert set(models.TrackingReport.objects.values_list("revision", flat=True)) == {1}


def test_a_form_outside_the_users_scope_is_not_compared_with_the_stored_report(seed_documents):
    from jixiao.accounts.models import Role
    from jixiao.accounts.services import user_create_or_update

    documents_import(documents=seed_documents, user=None)
    name, document = seed_documents[0]
    first = document.reports[0]
    first.budget.total = replace(first.budget.total, spent=Decimal("1.50"))
    outsider = user_create_or_update(
        username="outsider", password="x-pass-123", role=Role.UNIT,
        organisation=Organisation.objects.create(name="别的单位", kind="unit",
                                                 parent=Organisation.objects.get(name="财政局")),
    )
    plan = import_plan(documents=[(name, document)], user=outsider)
    assert plan.problems and not plan.can_import
    assert all(p.action == NEW and not p.changes and p.existing_id is None for p in plan.reports)
    assert plan.new_organisations == []
