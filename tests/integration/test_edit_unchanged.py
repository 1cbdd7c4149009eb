"""Every demo edit page sent back exactly as it was rendered, with each of its buttons.

Findings fresh from the checker (先检查, or a save refused for errors) and findings read back from
the database must render alike; this once answered 500 for every form with an indicator finding.
"""

import pytest
from django.urls import reverse

from jixiao.audit.models import AuditEvent
from jixiao.tracking.models import Status, TrackingReport
from tests.integration.conftest import edit_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("action", ["check", "save"])
def test_every_demo_edit_page_sent_back_unchanged_answers_without_a_server_error(as_unit, action):
    drafts = list(TrackingReport.objects.filter(status=Status.DRAFT, is_latest=True).order_by("pk"))
    assert len(drafts) >= 6  # the demo's drafts: with errors, warnings and none at all
    for report in drafts:
        before = (report.revision, report.error_count, report.warning_count)
        events = AuditEvent.objects.filter(report=report).count()
        url = reverse("tracking:report_edit", args=[report.pk])
        stored = [f.rule for f in report.findings.all()]
        response = as_unit.post(url, edit_form_data(report, action=action))
        content = response.content.decode()
        report.refresh_from_db()
        if action == "check" or report.error_count:
            assert response.status_code == 200, (report.project.name, response.status_code)
            assert report.revision == before[0]  # checked or refused: not saved
            # The page lists exactly what the checker says, each with its rule (here: the stored ones).
            assert content.count('<li id="finding-') == len(stored), report.project.name
            for rule in set(stored):
                assert f'data-rule="{rule}"' in content
        else:
            assert response.status_code == 302, (report.project.name, response.status_code)
            # Sent back as it was: nothing changed, so no new revision and no empty audit event.
            assert report.revision == before[0], report.project.name
            assert AuditEvent.objects.filter(report=report).count() == events, report.project.name
        assert (report.error_count, report.warning_count) == before[1:]  # the same verdict as before
