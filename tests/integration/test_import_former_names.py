"""A form filed under an organisation's former name belongs to the renamed organisation.

Renaming a unit keeps its history (accounts.OrganisationRename); importing a file printed before
the rename must not create a namesake unit beside it — neither form by form nor in bulk."""

import pytest

from jixiao.accounts import services as accounts
from jixiao.accounts.models import Organisation, OrganisationKind
from jixiao.tracking import models
from jixiao.tracking.bulk import FilePart, reports_import_bulk
from jixiao.tracking.importing import documents_import, import_plan

pytestmark = pytest.mark.django_db


def _rename_every_unit_and_department():
    for org in Organisation.objects.filter(kind__in=[OrganisationKind.UNIT, OrganisationKind.DEPARTMENT]):
        accounts.organisation_rename(user=None, organisation=org, name=f"{org.name}（新）")
    return {org.pk: org.name for org in Organisation.objects.all()}


@pytest.mark.parametrize("path", ["regular", "bulk"])
def test_reimporting_a_file_printed_before_the_rename_creates_no_namesake(seed_documents, seed_path, path):
    documents_import(documents=seed_documents, user=None)
    names = _rename_every_unit_and_department()
    changed = seed_path.read_text(encoding="utf-8").replace("6.89", "6.90", 1)
    if path == "regular":
        import io

        from jixiao.formats.text import read_text

        documents = [("seed.txt", read_text(io.StringIO(changed), "seed.txt"))]
        assert import_plan(documents=documents, user=None).new_organisations == []  # the preview announces none
        documents_import(documents=documents, user=None)
    else:
        import tempfile
        from pathlib import Path

        with tempfile.TemporaryDirectory() as folder:
            file = Path(folder) / "seed.txt"
            file.write_text(changed, encoding="utf-8")
            result = reports_import_bulk(parts=[FilePart(str(file))], user=None)
        assert result.new_organisations == []
    assert {org.pk: org.name for org in Organisation.objects.all()} == names  # nothing created, nothing renamed
    assert models.TrackingReport.objects.filter(is_latest=True).count() == 9
    assert models.TrackingReport.objects.filter(revision=2).count() == 1  # the changed form updated in place
