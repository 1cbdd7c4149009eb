"""Forms and roll-ups as files in the official layout, through the exports the download pages use."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from jixiao.formats.registry import read_bytes
from tests.integration.api.conftest import OWN_PROJECT, World, as_user
from tests.integration.api.test_permissions import ROLES, SEES, assert_error, client_for

pytestmark = pytest.mark.django_db


def test_a_form_downloads_as_a_workbook_that_reads_back(world: World):
    response = as_user("demo-unit").get(f"/api/reports/{world.own.pk}/file", {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert OWN_PROJECT in unquote(response["Content-Disposition"])
    document = read_bytes(response.content, "form.xlsx")
    assert [r.project for r in document.reports] == [OWN_PROJECT]


def test_a_form_downloads_as_pdf(world: World):
    response = as_user("demo-unit").get(f"/api/reports/{world.own.pk}/file", {"format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")


@pytest.mark.parametrize("kind", ["xlsx", "findings"])
def test_a_departments_period_downloads_with_every_form_in_scope(world: World, kind):
    params = {"department": world.own.unit.parent_id, "period": world.own.period_id, "format": kind}
    response = as_user("demo-department").get("/api/rollup/file", params)
    assert response.status_code == 200
    if kind == "xlsx":
        assert len(read_bytes(response.content, "rollup.xlsx").reports) == 10
    else:
        assert response.content.startswith(b"%PDF-")


def test_a_bad_format_is_a_validation_error(world: World):
    response = as_user("demo-unit").get(f"/api/reports/{world.own.pk}/file", {"format": "docx"})
    assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("which", ["own", "sibling", "other"])
def test_files_are_given_only_within_scope(world: World, role, which):
    report = getattr(world, which)
    status = 401 if role == "anonymous" else 200 if which in SEES[role] else 404
    client = client_for(role)
    assert_error(client.get(f"/api/reports/{report.pk}/file", {"format": "xlsx"}), status)
    rollup = client.get("/api/rollup/file", {"department": report.unit.parent_id, "period": report.period_id,
                                             "format": "xlsx"})
    if role == "anonymous":
        assert_error(rollup, 401)
    elif (which == "other" and "other" not in SEES[role]) or not SEES[role]:
        assert_error(rollup, 404)  # a department outside scope (no department at all for the administrators)
    else:
        projects = {r.project for r in read_bytes(rollup.content, "rollup.xlsx").reports}
        assert (report.project.name in projects) is (which in SEES[role])
