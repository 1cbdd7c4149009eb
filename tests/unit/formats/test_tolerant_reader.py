"""The reader takes rows whose fields come in the usual order, whatever blank cells PDF-to-text or
copy-paste put between them and however their labels are spaced; a row it cannot place for
sure is refused with its line, never filled by counting cells (docs/FORMATS.md)."""

import io
from itertools import pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jixiao.domain import form_layout as form
from jixiao.domain.model import LIKELIHOODS, BudgetLine
from jixiao.formats.errors import FormatError
from jixiao.formats.text import read_text, to_text
from tests.strategies import amounts, documents, words
from tests.unit.formats.seed_expected import DEPARTMENT, FORMS, UNIT

_FUNDING_ROW_LABELS = set(form.FUNDING_ROW_LABELS.values())
# Every label the writer prints, so that spaces can be typed into them.
_LABELS = {
    form.TITLE, form.PROJECT_LABEL, form.DEPARTMENT_LABEL, form.UNIT_LABEL, form.GOAL_LABEL, form.PROGRESS_LABEL,
    *form.LEVEL_LABELS, *_FUNDING_ROW_LABELS, *(c.header for c in form.BUDGET_COLUMNS),
    *(c.header for c in form.INDICATOR_COLUMNS), form.CORRECTIVE_LABEL, "年度总体目标",
    "年度 总体 目标", "绩效 指标", "绩效跟踪 总体判断", "跟踪期 计划完成值", "跟踪期 实际完成值",
    "年度项目预算 完成可能性", "年度绩效目标 完成可能性", "预算执行情况 (万元)", "预算执行情况 (元)",
}


def _read(text: str):
    return read_text(io.StringIO(text), "t.txt")


def _gaps(cells: list[str]) -> list[int]:
    """Where a blank cell may go: after a filled cell that another filled cell follows.

    Not between a funding row's label and its first amount: that row would then look exactly
    like a blank 年初预算数 followed by a stray number, which the reader refuses (tested below).
    """
    filled = [i for i, c in enumerate(cells) if c]
    gaps = [i + 1 for i, j in pairwise(filled)]
    if filled and cells[filled[0]] in _FUNDING_ROW_LABELS:
        gaps = gaps[1:]
    return gaps


@st.composite
def disturbed(draw, text: str, headers: bool = True, funding_first: bool = False):
    """``text`` with blank cells inserted between fields and spaces typed into labels.

    Returns the text and the numbers of the lines whose cells were moved.
    """
    out, moved = [], set()
    for number, line in enumerate(text.split("\n"), start=1):
        cells = line.split("\t")
        is_header = any(c in ("年初预算数", "三级指标", "预期目标") for c in cells)
        gaps = [] if is_header and not headers else _gaps(cells)
        if funding_first and cells and any(c in _FUNDING_ROW_LABELS for c in cells):
            filled = [i for i, c in enumerate(cells) if c]
            gaps = [i + 1 for i, j in pairwise(filled)]
        inserts = draw(st.lists(st.sampled_from(gaps), max_size=3)) if gaps else []
        for at in sorted(inserts, reverse=True):
            cells.insert(at, "")
        if inserts:
            moved.add(number)
        for i, cell in enumerate(cells):
            if cell in _LABELS and len(cell) > 1 and draw(st.booleans()):
                at = draw(st.integers(1, len(cell) - 1))
                # (a run of spaces would split a line without tabs into cells: see text.split_cells)
                spaces = [" ", "  ", "\u3000"] if len(cells) > 1 else [" ", "\u3000"]
                cells[i] = cell[:at] + draw(st.sampled_from(spaces)) + cell[at:]
        out.append("\t".join(cells))
    return "\n".join(out), moved


full_lines = st.builds(BudgetLine, initial=amounts, period_budget=amounts, spent=amounts, rate=amounts)


@st.composite
def full_documents(draw):
    """Documents with every field of every form filled."""
    doc = draw(documents())
    for report in doc.reports:
        for source, _ in report.budget.lines():
            setattr(report.budget, source, draw(full_lines))
        report.goal, report.progress, report.corrective_actions = draw(words), draw(words), draw(words)
        report.budget_likelihood = draw(st.sampled_from(LIKELIHOODS))
        report.goal_likelihood = draw(st.sampled_from(LIKELIHOODS))
        for indicator in report.indicators:
            value = indicator.target.text if not indicator.target.is_quantitative else None
            indicator.planned = indicator.planned or value or "1.00"
            indicator.actual = indicator.actual or value or "2.00"
            indicator.deviation_reason = indicator.deviation_reason or draw(words)
    return doc


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), full_documents())
def test_a_document_with_blank_cells_between_fields_and_spaced_labels_reads_back_equal(data, doc):
    text, _ = data.draw(disturbed(to_text(doc)))
    assert _read(text) == doc


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), documents())
def test_a_row_with_blank_fields_and_moved_cells_is_read_equal_or_refused_at_its_line_never_misread(data, doc):
    text, moved = data.draw(disturbed(to_text(doc), headers=False, funding_first=True))
    try:
        got = _read(text)
    except FormatError as exc:
        assert exc.line in moved, exc
    else:
        assert got == doc


def _assert_seed(doc):
    assert len(doc.reports) == 9
    for report, expected in zip(doc.reports, FORMS, strict=True):
        assert (report.project, report.department, report.unit) == (expected["project"], DEPARTMENT, UNIT)
        printed = [tuple(str(getattr(line, name)) for name in ("initial", "period_budget", "spent", "rate"))
                   for _, line in report.budget.lines()]
        assert printed == expected["budget"]
        assert (report.goal, report.progress) == (expected["goal"], expected["progress"])
        assert [(i.level1, i.level2, i.name, i.target.text, i.planned, i.actual, i.deviation_reason)
                for i in report.indicators] == expected["indicators"]
        assert (report.budget_likelihood, report.goal_likelihood, report.corrective_actions) == (
            expected["budget_likelihood"], expected["goal_likelihood"], expected["corrective_actions"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_the_seed_with_blank_cells_inserted_anywhere_between_fields_reads_the_same(data, seed_text):
    text, _ = data.draw(disturbed(seed_text))
    _assert_seed(_read(text))


def test_the_seeds_row_with_blanks_between_level_and_name_is_read(seed_text):
    # 宣传费 prints "社会效益指标 | | 政策宣传覆盖率"; one more blank after each of its fields reads the same.
    row = "\t社会效益指标\t\t政策宣传覆盖率\t=100(%)\t100.00\t100.00\t无偏差\t"
    assert row in seed_text
    wider = "\t社会效益指标\t\t\t政策宣传覆盖率\t\t=100(%)\t\t100.00\t100.00\t\t无偏差\t"
    _assert_seed(_read(seed_text.replace(row, wider)))


def _refusal(seed_text: str, row: str, instead: str) -> FormatError:
    """The error reading the seed with ``row`` (its first occurrence) replaced by ``instead``."""
    assert row in seed_text
    with pytest.raises(FormatError) as caught:
        _read(seed_text.replace(row, instead, 1))
    return caught.value


def test_a_blank_initial_budget_with_a_stray_number_is_refused_naming_the_line(seed_text):
    row = "\t\t年度资金总额\t\t\t6.89\t6.89\t0.50\t7.25"
    error = _refusal(seed_text, row, "\t\t年度资金总额\t\t\t\t6.89\t0.50\t7.25\t12")
    assert error.line == 16
    assert "年度资金总额" in error.message and "年初预算数" in error.message
    assert "“12”写在了“执行率”之后" in error.message


def test_a_budget_row_with_blanks_between_its_amounts_is_read_in_order(seed_text):
    row = "\t\t年度资金总额\t\t\t6.89\t6.89\t0.50\t7.25"
    spread = "\t\t年度资金总额\t\t\t6.89\t\t6.89\t0.50\t\t7.25"
    total = _read(seed_text.replace(row, spread, 1)).reports[0].budget.total
    assert [str(v) for v in (total.initial, total.period_budget, total.spent, total.rate)] == [
        "6.89", "6.89", "0.50", "7.25"]


def test_a_moved_budget_row_with_a_blank_amount_is_refused(seed_text):
    row = "\t\t上年结转资金\t\t\t0.00\t0.00\t0.00\t0.00"
    moved = "\t\t上年结转资金\t\t\t0.00\t\t\t0.00\t0.00"  # one amount left blank, the others moved
    error = _refusal(seed_text, row, moved)
    assert error.line == 18
    assert "无法确定" in error.message and "哪一列空着" in error.message


def test_an_indicator_row_that_could_be_read_two_ways_is_refused_naming_the_fields(seed_text):
    row = "\t产出指标\t数量指标\t运维工作完成率\t=100.00(%)\t100.00\t100.00\t无偏差\t"
    # The planned value left blank and a blank cell inserted: 100.00 could be planned or actual.
    error = _refusal(seed_text, row, "\t产出指标\t数量指标\t运维工作完成率\t=100.00(%)\t\t\t100.00\t无偏差\t")
    assert error.line == 24
    assert "“跟踪期计划完成值”、“跟踪期实际完成值”" in error.message
    assert "运维工作完成率" in error.message


def test_a_word_under_a_quantitative_target_with_moved_cells_goes_to_the_reason(seed_text):
    row = "\t产出指标\t数量指标\t运维工作完成率\t=100.00(%)\t100.00\t100.00\t无偏差\t"
    moved = "\t产出指标\t数量指标\t运维工作完成率\t\t=100.00(%)\t\t\t\t无偏差\t"
    indicator = _read(seed_text.replace(row, moved, 1)).reports[0].indicators[1]
    assert (indicator.planned, indicator.actual, indicator.deviation_reason) == (None, None, "无偏差")
