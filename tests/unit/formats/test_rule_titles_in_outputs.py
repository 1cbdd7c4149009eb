"""The findings PDF and the CLI name each problem by the rule's Chinese title, not its code."""

import io
import re

import pdfplumber
from rich.console import Console

from jixiao.console import print_checks
from jixiao.domain.checker import check_report
from jixiao.formats.pdf_findings import write_findings_pdf

CODE = re.compile(r"\b[a-z_]+\.[a-z_0-9]+\b")


def test_the_findings_pdf_shows_rule_titles_and_no_codes(seed_doc):
    out = io.BytesIO()
    write_findings_pdf(seed_doc, out)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        text = "".join(page.extract_text() or "" for page in pdf.pages).replace("\n", "")
    assert "偏差未说明" in text and "问题类别" in text
    assert not CODE.search(text), CODE.search(text)


def test_the_cli_shows_rule_titles_and_no_codes(seed_doc):
    console = Console(record=True, width=200, highlight=False)
    print_checks(((report, check_report(report)) for report in seed_doc.reports), console)
    text = console.export_text()
    assert "偏差未说明" in text
    assert not CODE.search(text), CODE.search(text)
