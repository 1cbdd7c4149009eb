"""PDFs on a machine without any Chinese font, and where a single form's PDF starts."""

import copy
import io
import logging

import pdfplumber
import pytest

from jixiao.domain.model import TrackingDocument
from jixiao.formats import fonts
from jixiao.formats.pdf_findings import write_findings_pdf
from jixiao.formats.pdf_write import write_pdf

PROJECT = "工伤认定和劳动能力鉴定业务系统（2024年运维）"


def _pages(write, doc) -> tuple[bytes, list[str]]:
    out = io.BytesIO()
    write(doc, out)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        return out.getvalue(), [page.extract_text() or "" for page in pdf.pages]


def _single(seed_doc) -> TrackingDocument:
    report = next(r for r in seed_doc.reports if r.project == PROJECT)
    return TrackingDocument(period=seed_doc.period, department_goal=seed_doc.department_goal, reports=[report])


def test_without_any_installed_font_every_pdf_falls_back_to_the_builtin_chinese_font(fresh_machine, seed_doc, caplog):
    caplog.set_level(logging.WARNING, logger="jixiao.formats.fonts")
    for write, doc in ((write_pdf, _single(seed_doc)), (write_pdf, seed_doc), (write_findings_pdf, seed_doc)):
        data, pages = _pages(write, doc)
        assert b"STSong-Light" in data and b"/FontFile2" not in data
        assert PROJECT in "".join(pages).replace("\n", "")
    assert fonts.cjk_font() == fonts.FALLBACK_FONT
    warnings = [r for r in caplog.records if r.name == "jixiao.formats.fonts"]
    assert len(warnings) == 1 and "STSong-Light" in warnings[0].getMessage()


def test_an_installed_truetype_font_is_still_embedded(seed_doc):
    if fonts.find_cjk_font() is None:
        pytest.skip("no Chinese TrueType font on this machine")
    data, pages = _pages(write_pdf, _single(seed_doc))
    assert b"/FontFile2" in data and b"STSong" not in data
    assert PROJECT in pages[0].replace("\n", "")


def test_a_single_forms_pdf_starts_with_the_form(seed_doc):
    _, pages = _pages(write_pdf, _single(seed_doc))
    first = pages[0]
    assert "财政项目支出绩效跟踪表" in first and PROJECT in first.replace("\n", "") and "预算执行情况" in first
    assert "项目支出绩效跟踪情况" not in first  # no department page
    assert "年度总体目标" in first  # the department goal is folded above the form


def test_a_single_form_without_a_department_goal_opens_with_its_title(seed_doc):
    doc = _single(seed_doc)
    doc.department_goal = None
    _, pages = _pages(write_pdf, doc)
    assert pages[0].startswith("财政项目支出绩效跟踪表") and len(pages) == 1


def test_a_long_department_goal_keeps_its_own_page_before_a_single_form(seed_doc):
    doc = copy.deepcopy(_single(seed_doc))
    doc.department_goal = "推进智慧人社建设，提升公共服务水平。" * 120
    _, pages = _pages(write_pdf, doc)
    assert "年度总体目标" in pages[0] and "财政项目支出绩效跟踪表" not in pages[0]
    assert pages[1].startswith("财政项目支出绩效跟踪表")


def test_several_forms_still_open_with_the_department_page(seed_doc):
    _, pages = _pages(write_pdf, seed_doc)
    assert "项目支出绩效跟踪情况" in pages[0] and "财政项目支出绩效跟踪表" not in pages[0]
    assert len(pages) == 1 + len(seed_doc.reports)


def test_a_single_form_with_its_folded_goal_reads_back_field_for_field(seed_doc):
    from jixiao.formats.pdf_read import read_pdf

    doc = _single(seed_doc)
    doc.department_goal = "全面推进人社数字化转型，提升经办效率。"
    out = io.BytesIO()
    write_pdf(doc, out)
    assert read_pdf(io.BytesIO(out.getvalue()), "x.pdf") == doc


@pytest.mark.parametrize("forms", [1, 9])
@pytest.mark.parametrize("repeat", [6, 60])
def test_a_department_goal_of_several_lines_stays_inside_its_box_and_reads_back(seed_doc, forms, repeat):
    from jixiao.formats.pdf_read import read_pdf

    doc = TrackingDocument(period=seed_doc.period, department_goal="推进智慧人社建设，提升公共服务水平。" * repeat,
                           reports=seed_doc.reports[:forms])
    out = io.BytesIO()
    write_pdf(doc, out)
    assert read_pdf(io.BytesIO(out.getvalue()), "x.pdf") == doc


def test_a_pdf_set_in_the_builtin_chinese_font_reads_back_field_for_field(fresh_machine, seed_doc):
    # On a machine with no CJK font at all (after `make run` alone) PDFium maps no text to the lone "无" of
    # the seed's 纠偏措施 in STSong-Light; formats/pdf_page.py reads such pages with pdfminer. Where a system
    # font is installed PDFium substitutes it and the page never needs pdfminer.
    from jixiao.formats.pdf_read import read_pdf

    out = io.BytesIO()
    write_pdf(seed_doc, out)
    assert b"STSong-Light" in out.getvalue()
    assert read_pdf(io.BytesIO(out.getvalue()), "fallback.pdf") == seed_doc
