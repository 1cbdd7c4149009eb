"""The bulk import stores exactly what the form-by-form import stores, and is as all-or-nothing."""

import pytest

from jixiao.cli import main
from jixiao.formats.errors import FormatError
from jixiao.tracking import mapping, models
from jixiao.tracking.bulk import FilePart, reports_import_bulk
from jixiao.tracking.importing import ImportRefused, documents_import
from jixiao.tracking.summaries import summaries_rebuild

pytestmark = pytest.mark.django_db


def stored() -> dict:
    """Every stored report as (domain report, verdict, indicator lights, findings) by project name."""
    rows = (
        models.TrackingReport.objects.select_related("project", "period", "unit")
        .prefetch_related("budget_lines", "indicators", "findings")
    )
    return {
        row.project.name: (
            mapping.report_to_domain(row),
            (row.light, row.budget_light, row.light_rank, row.error_count, row.warning_count, row.info_count,
             row.time_progress, row.total_rate, row.department_goal, row.unit.parent.name),
            [indicator.light for indicator in row.indicators.all()],
            [(f.rule, f.severity, f.message, f.field, f.indicator_index) for f in row.findings.all()],
        )
        for row in rows
    }


@pytest.mark.parametrize("workers", [1, 2])
def test_it_stores_the_same_reports_and_findings_as_the_regular_import(seed_documents, seed_path, workers):
    from django.db import transaction

    # The regular import's result, then rolled back: its audit records protect the rows from deletion.
    before = transaction.savepoint()
    documents_import(documents=seed_documents, user=None)
    expected = stored()
    transaction.savepoint_rollback(before)
    assert not models.TrackingReport.objects.exists()
    result = reports_import_bulk(parts=[FilePart(str(seed_path))], user=None, workers=workers, batch_size=4)
    assert (result.created, result.updated, result.unchanged) == (9, 0, 0)
    assert stored() == expected
    assert models.Project.objects.count() == 9


def test_a_second_bulk_import_changes_nothing_and_a_changed_form_is_updated(seed_path, tmp_path):
    reports_import_bulk(parts=[FilePart(str(seed_path))], user=None)
    changed = tmp_path / "changed.txt"
    changed.write_text(seed_path.read_text(encoding="utf-8").replace("36.04", "36.05", 1), encoding="utf-8")
    result = reports_import_bulk(parts=[FilePart(str(changed))], user=None)
    assert (result.created, result.updated, result.unchanged) == (0, 1, 8)
    assert models.TrackingReport.objects.count() == 9
    assert models.TrackingReport.objects.filter(revision=2).count() == 1


def test_a_broken_file_after_good_ones_leaves_the_database_unchanged(seed_path, tmp_path):
    broken = tmp_path / "broken.txt"
    broken.write_text("这不是跟踪表\n", encoding="utf-8")
    with pytest.raises(FormatError):
        reports_import_bulk(parts=[FilePart(str(seed_path)), FilePart(str(broken))], user=None, batch_size=2)
    assert models.TrackingReport.objects.count() == 0
    assert models.Project.objects.count() == 0


def test_the_same_form_twice_refuses_the_whole_import(seed_path):
    with pytest.raises(ImportRefused) as refused:
        reports_import_bulk(parts=[FilePart(str(seed_path)), FilePart(str(seed_path))], user=None, batch_size=3)
    assert "同一项目同一跟踪时段" in refused.value.problems[0]
    assert models.TrackingReport.objects.count() == 0


def test_jixiao_import_bulk_reports_what_it_did(seed_path, capsys):
    assert main(["import", "--bulk", "--workers", "1", str(seed_path)]) == 0
    out = capsys.readouterr().out
    assert "新增 9" in out and "新建主管部门" in out
    assert models.TrackingReport.objects.count() == 9


def test_recheck_restores_every_light_count_and_finding_it_would_store(seed_documents):
    from jixiao.tracking.services import reports_recheck

    documents_import(documents=seed_documents, user=None)
    expected = stored()
    models.Finding.objects.all().delete()
    models.Indicator.objects.update(light="green")
    models.TrackingReport.objects.update(light="", budget_light="", light_rank=0, error_count=0, warning_count=9)
    summaries_rebuild()  # a direct write: the services would have refreshed the summaries
    assert reports_recheck(batch_size=2) == 9
    assert stored() == expected
