import copy
import io
import shutil
import subprocess
from decimal import Decimal

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen.canvas import Canvas

from jixiao.domain.findings import ERROR, WARNING, Finding, ReportCheck
from jixiao.formats.errors import FormatError
from jixiao.formats.pdf_findings import field_label, write_findings_pdf
from jixiao.formats.pdf_read import join_lines, pdf_rows, read_pdf
from jixiao.formats.pdf_write import wrap, write_pdf
from tests.strategies import documents


def to_pdf(doc) -> bytes:
    out = io.BytesIO()
    write_pdf(doc, out)
    return out.getvalue()


def read_back(data: bytes):
    return read_pdf(io.BytesIO(data), "disclosure.pdf")


def test_the_seed_written_to_pdf_reads_back_field_for_field(seed_doc):
    assert read_back(to_pdf(seed_doc)) == seed_doc


@settings(max_examples=25, deadline=None)
@given(documents())
def test_any_document_survives_a_round_trip_through_pdf(doc):
    assert read_back(to_pdf(doc)) == doc


def test_long_latin_text_keeps_its_spaces_across_line_breaks(seed_doc):
    report = seed_doc.reports[0]
    report.goal = "Maintain the system  with 99.9% uptime and answer every ticket within two days. " * 6 + "完毕"
    report.progress = "x" * 400
    report.indicators[0].deviation_reason = "Supplier changed, see note A-12 of 2024 for details; 已整改"
    assert read_back(to_pdf(seed_doc)) == seed_doc


def test_wrapping_never_loses_a_character():
    from jixiao.formats.fonts import cjk_font

    text = "通过购买第三方服务开展 system maintenance，运维工作完成率达100%，  两个空格 and more words here"
    lines = wrap(text, 60, cjk_font())
    assert "\n" in lines and lines.replace("\n", "") == text


def test_one_form_per_page_after_the_department_page(seed_doc):
    with pdfplumber.open(io.BytesIO(to_pdf(seed_doc))) as pdf:
        assert len(pdf.pages) == 10
        first, second = pdf.pages[0].extract_text(), pdf.pages[1].extract_text()
    assert "年度总体目标" in first and "跟踪时段：（ 2024年1月 至 2024年8月 ）" in first
    assert second.startswith("财政项目支出绩效跟踪表") and "工伤认定和劳动能力鉴定业务系统（2024年运维）" in second
    assert second.rstrip().endswith("第 2 页")  # the reader skips page numbers, see the round trips


def test_the_chinese_font_is_embedded_and_no_other_font_is_used(seed_doc):
    data = to_pdf(seed_doc)
    assert b"/FontFile2" in data  # TrueType outlines inside the file
    assert b"/Helvetica" not in data and b"STSong" not in data


def test_the_extracted_rows_are_the_published_layout(seed_doc):
    rows = pdf_rows(io.BytesIO(to_pdf(seed_doc)), "d.pdf")
    cells = [[c for c in r.cells if c] for r in rows[:12]]
    period = ["跟踪时段：（ 2024年1月 至 2024年8月 ）"]
    assert cells[:5] == [period, ["年度总体目标"], ["无"], ["财政项目支出绩效跟踪表"], period]
    assert cells[7] == ["预算执行情况 (万元)", "年初预算数", "跟踪期预算数", "跟踪期执行数", "执行率(%)"]
    assert cells[8] == ["年度资金总额", "6.89", "6.89", "0.50", "7.25"]
    assert rows[8].where == "第 2 页"


def test_lines_of_someone_elses_pdf_join_with_a_space_only_between_latin_words():
    assert join_lines("服务对象满意度\n指标", exact=False) == "服务对象满意度指标"
    assert join_lines("uptime of\n99 percent", exact=False) == "uptime of 99 percent"
    assert join_lines("达到\n95%以上", exact=False) == "达到95%以上"
    assert join_lines("uptime of \n99", exact=True) == "uptime of 99"


def test_a_file_that_is_not_a_pdf_is_refused():
    with pytest.raises(FormatError, match="不是有效的 PDF"):
        read_back(b"%PDF-1.4 but nothing else")


def test_a_scanned_pdf_without_text_is_refused():
    out = io.BytesIO()
    canvas = Canvas(out)
    canvas.rect(50, 50, 300, 300, fill=1)
    canvas.showPage()
    canvas.save()
    with pytest.raises(FormatError, match="没有可提取的文字"):
        read_back(out.getvalue())


def _dark_share(pgm: bytes) -> float:
    """Share of dark pixels in a binary PGM (P5) image."""
    parts = pgm.split(b"\n", 3)
    assert parts[0] == b"P5"
    pixels = parts[3]
    return sum(1 for p in pixels if p < 128) / len(pixels)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (Debian poppler-utils) is absent")
def test_every_rendered_page_shows_ink(seed_doc, tmp_path):
    pdf = tmp_path / "seed.pdf"
    pdf.write_bytes(to_pdf(seed_doc))
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(tmp_path / "page")], check=True, timeout=120)
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) == 10
    shares = [_dark_share(p.read_bytes()) for p in pages]
    assert shares[0] > 0.002  # the department page: heading, period and goal box
    assert all(share > 0.02 for share in shares[1:]), shares  # ruled tables full of Chinese text


def test_the_findings_report_lists_lights_findings_and_what_to_fix(seed_doc):
    finding = Finding("indicator.no_deviation_claimed", ERROR, "实际完成值低于计划却写“无偏差”：请说明原因。",
                      field="indicators.3.deviation_reason", indicator="鉴定工作完成及时性", indicator_index=3)

    def check(report):
        if report.project == "鉴定、认定费":
            return ReportCheck(Decimal("66.67"), "green", "red", findings=[
                Finding("budget.rate", WARNING, "执行率偏低", field="budget.total.rate"), finding])
        return ReportCheck(Decimal("66.67"), "green", "green")

    out = io.BytesIO()
    write_findings_pdf(seed_doc, out, check)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    assert "绩效跟踪审核意见" in text and "共 9 张表，错误 1 项，警告 1 项" in text
    assert "红灯" in text and "鉴定工作完成及时性" in text and "请说明原因" in text
    assert text.index("实际完成值低于计划") < text.index("执行率偏低")  # errors first


def test_finding_fields_are_named_as_on_the_form():
    assert field_label("budget.total.rate") == "年度资金总额·执行率"
    assert field_label("indicators.3.actual") == "绩效指标·跟踪期实际完成值"
    assert field_label(None) == "整表"
    # Every field a rule names is in the form's words (domain/form_layout.FIELD_LABELS), none left in English.
    assert field_label("level1") == "一级指标"
    assert field_label("budget.appropriation.adjusted") == "当年财政拨款·调整后预算数"


def test_a_form_too_long_for_a_page_continues_under_a_repeated_header_and_reads_back(seed_doc):
    report = seed_doc.reports[0]
    report.indicators = [copy.deepcopy(report.indicators[i % 10]) for i in range(70)]
    for i, indicator in enumerate(report.indicators):
        indicator.name = f"{indicator.name}{i}"
    data = to_pdf(seed_doc)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1 + 2 + 8
        assert pdf.pages[2].extract_text().count("三级指标") == 1  # the header, repeated
    assert read_back(data) == seed_doc


def test_the_findings_report_runs_the_checker_by_default(seed_doc):
    from jixiao.domain.checker import check_report

    out = io.BytesIO()
    write_findings_pdf(seed_doc, out)
    with pdfplumber.open(io.BytesIO(out.getvalue())) as pdf:
        text = "".join(page.extract_text() for page in pdf.pages)
    errors = sum(1 for r in seed_doc.reports for f in check_report(r).findings if f.severity == ERROR)
    assert f"共 9 张表，错误 {errors} 项" in text
    assert "鉴定结果准确性" in text and "请如实分析偏差原因" in text


def test_a_long_goal_is_set_smaller_and_still_reads_back(seed_doc):
    seed_doc.reports[0].goal = "通过购买第三方服务开展工伤认定和劳动能力鉴定业务系统运维，" * 40  # 1,200 characters
    assert read_back(to_pdf(seed_doc)) == seed_doc


def test_an_absurdly_long_reason_is_cut_with_a_note_instead_of_breaking_the_pdf(seed_doc):
    seed_doc.reports[0].indicators[0].deviation_reason = "原因" * 2000
    back = read_back(to_pdf(seed_doc))
    assert back.reports[0].indicators[0].deviation_reason.endswith("……（内容过长，此处从略，全文见 Excel 版）")
    assert back.reports[1:] == seed_doc.reports[1:]


mixed_text = st.text(
    alphabet="通过购买第三方服务运维工作完成率达，。（）%abcXYZ0123456789 -/.:;",
    min_size=1, max_size=300,
).filter(lambda s: s == s.strip())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mixed_text, mixed_text)
def test_mixed_chinese_and_latin_text_with_spaces_reads_back_exactly(seed_doc, goal, reason):
    seed_doc.reports = seed_doc.reports[:1]
    seed_doc.reports[0].goal = goal
    seed_doc.reports[0].indicators[0].deviation_reason = reason
    assert read_back(to_pdf(seed_doc)) == seed_doc


def test_a_password_protected_pdf_is_refused_in_chinese():
    out = io.BytesIO()
    canvas = Canvas(out, encrypt="secret")
    canvas.drawString(50, 50, "text")
    canvas.showPage()
    canvas.save()
    with pytest.raises(FormatError, match="设有打开密码"):
        read_back(out.getvalue())


def test_two_threads_reading_pdfs_at_once_both_read_them_whole(seed_doc):
    from concurrent.futures import ThreadPoolExecutor

    data = to_pdf(seed_doc)
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(lambda _: read_back(data), range(4)))
    assert all(doc == seed_doc for doc in results)


def test_a_pdf_whose_pages_are_wrapped_in_form_xobjects_still_reads_its_tables(seed_doc):
    import pypdfium2 as pdfium

    seed_doc.reports = seed_doc.reports[:1]
    source = pdfium.PdfDocument(to_pdf(seed_doc))
    wrapped = pdfium.PdfDocument.new()  # as page-merging tools write them: each page one form XObject
    for i in range(len(source)):
        page = wrapped.new_page(*source[i].get_size())
        page.insert_obj(source.page_as_xobject(i, wrapped).as_pageobject())
        page.gen_content()
    out = io.BytesIO()
    wrapped.save(out)
    wrapped.close()
    source.close()
    assert b"/XObject" in out.getvalue()
    assert read_back(out.getvalue()) == seed_doc


def test_a_hyphen_ending_a_cell_reads_back(seed_doc):
    # PDFium reports a "-" at the end of a text line as a soft hyphen; it is the form's own character.
    seed_doc.reports = seed_doc.reports[:1]
    seed_doc.reports[0].indicators[0].deviation_reason = "X-"
    seed_doc.reports[0].goal = "2024-"
    assert read_back(to_pdf(seed_doc)) == seed_doc
