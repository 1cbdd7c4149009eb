import io

import pytest

from jixiao.domain.model import Period
from jixiao.formats.errors import FormatError
from jixiao.formats.text import read_text
from tests.unit.formats.seed_expected import DEPARTMENT, FORMS, UNIT


def read(text: str | bytes, name: str = "t.txt"):
    data = text.encode("utf-8") if isinstance(text, str) else text
    return read_text(io.BytesIO(data), name)


def test_the_seed_holds_nine_forms_and_78_indicators(seed_doc):
    assert len(seed_doc.reports) == 9
    assert sum(len(r.indicators) for r in seed_doc.reports) == 78
    assert seed_doc.department_goal == "无"
    assert seed_doc.period == Period("2024-01", "2024-08")


@pytest.mark.parametrize("index", range(9))
def test_every_field_of_every_seed_form_reads_as_printed(seed_doc, index):
    report, expected = seed_doc.reports[index], FORMS[index]
    assert report.project == expected["project"]
    assert report.department == DEPARTMENT
    assert report.unit == UNIT
    assert report.period == Period("2024-01", "2024-08")
    assert report.amount_unit == "万元"
    printed = [
        tuple(str(getattr(line, name)) for name in ("initial", "period_budget", "spent", "rate"))
        for _, line in report.budget.lines()
    ]
    assert printed == expected["budget"]
    assert report.goal == expected["goal"]
    assert report.progress == expected["progress"]
    got = [(i.level1, i.level2, i.name, i.target.text, i.planned, i.actual, i.deviation_reason)
           for i in report.indicators]
    assert got == expected["indicators"]
    assert report.budget_likelihood == expected["budget_likelihood"]
    assert report.goal_likelihood == expected["goal_likelihood"]
    assert report.corrective_actions == expected["corrective_actions"]


def test_it_finds_budget_amounts_where_the_columns_shifted(seed_doc):
    # 鉴定、认定费 prints "年度资金总额\t\t40.05\t\t40.05\t36.04\t89.98": the initial budget sits one column early.
    total = seed_doc.reports[1].budget.total
    assert (str(total.initial), str(total.period_budget), str(total.spent), str(total.rate)) == (
        "40.05", "40.05", "36.04", "89.98")


def test_it_reads_indicator_levels_that_drifted_into_the_wrong_column(seed_doc):
    publicity = seed_doc.reports[3]  # 宣传费: 效益指标 printed in the 二级 column, 社会效益指标 in the 一级 one
    shifted = {i.name: (i.level1, i.level2) for i in publicity.indicators}
    assert shifted["政策宣传知晓率提升"] == ("效益指标", "社会效益指标")
    assert shifted["政策宣传覆盖率"] == ("效益指标", "社会效益指标")
    assert shifted["长效管理机制健全性"] == ("效益指标", "可持续影响指标")
    pension = seed_doc.reports[5]  # 征地养老费支出: the 满意度 row starts one column early
    assert (pension.indicators[-1].level1, pension.indicators[-1].level2) == ("满意度指标", "服务对象满意度指标")


def test_labels_lose_the_spaces_pdf_wrapping_put_between_chinese_characters(seed_doc):
    names = [i.name for i in seed_doc.reports[2].indicators]
    assert "当年度完成信息核实和待遇领取情况确认" in names
    assert seed_doc.reports[1].indicators[-1].level2 == "服务对象满意度指标"


def test_it_keeps_values_typed_into_the_reason_column(seed_doc):
    system = seed_doc.reports[6]
    assert [i.deviation_reason for i in system.indicators[-2:]] == ["建立健全", "90.00"]


def test_it_parses_targets_into_comparator_value_and_unit(seed_doc):
    target = seed_doc.reports[1].indicators[1].target
    assert (target.text, target.kind, target.comparator, str(target.value), target.unit) == (
        ">99.00(%)", "quantitative", ">", "99.00", "%")
    festival = seed_doc.reports[7].indicators[3].target
    assert (festival.text, festival.kind, festival.value) == ("2024年重阳节前", "qualitative", None)


def test_it_reads_gb18030_files(seed_text):
    doc = read(seed_text.encode("gb18030"))
    assert len(doc.reports) == 9 and doc.reports[0].project.startswith("工伤认定")


def test_it_reads_utf8_with_a_bom_and_crlf_line_ends(seed_text):
    doc = read(b"\xef\xbb\xbf" + seed_text.replace("\n", "\r\n").encode("utf-8"))
    assert len(doc.reports) == 9
    assert doc.reports[8].corrective_actions == "无"


def test_cells_separated_by_runs_of_spaces_read_the_same(seed_text, seed_doc):
    import re

    spaced = "\n".join(re.sub(r"\t+", "   ", line) for line in seed_text.splitlines())
    assert read(spaced) == seed_doc


def test_it_reads_a_period_without_brackets_and_a_budget_in_yuan(seed_text):
    text = seed_text.replace("跟踪时段：（ 2024年1月 至 2024年8月 ）", "跟踪时段: 2024年1月-2024年6月")
    text = text.replace("预算执行情况 (万元)", "预算执行情况（元）")
    doc = read(text)
    assert doc.reports[0].period == Period("2024-01", "2024-06")
    assert doc.reports[0].amount_unit == "元"


@pytest.mark.parametrize(
    ("content", "message", "line"),
    [
        (b"", "文件是空的", None),
        (b"\n\n   \n", "文件是空的", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "不是文本文件", None),
        ("会议纪要\n今天讨论了预算。\n".encode(), "没有找到任何绩效跟踪表", 1),
    ],
)
def test_it_refuses_documents_that_are_not_forms(content, message, line):
    with pytest.raises(FormatError) as caught:
        read(content, "bad.txt")
    assert message in str(caught.value)
    assert caught.value.file == "bad.txt"
    assert caught.value.line == line


@pytest.mark.parametrize("code", [0x01, 0x07, 0x08, 0x0B, 0x0C, 0x0E, 0x1B, 0x1F, 0x7F])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "str"])
def test_a_control_character_anywhere_is_refused_in_every_encoding(seed_text, code, encoding):
    text = seed_text.replace("工伤认定", f"工伤{chr(code)}认定", 1)
    stream = io.StringIO(text) if encoding == "str" else io.BytesIO(text.encode(encoding))
    with pytest.raises(FormatError) as caught:
        read_text(stream, "bad.txt")
    # GB18030 is the fallback guess: text with control characters in it is no GB18030 either.
    expected = "无法识别文件编码" if encoding == "gb18030" else "含有控制字符"
    assert expected in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "gb18030"])
def test_tabs_and_line_ends_are_no_control_characters(seed_text, encoding):
    doc = read_text(io.BytesIO(seed_text.replace("\n", "\r\n").encode(encoding)), "t.txt")
    assert len(doc.reports) == 9


def test_a_form_cut_off_halfway_names_the_last_line(seed_text):
    lines = seed_text.splitlines()
    cut = "\n".join(lines[:30])  # stops inside the first form's indicator table
    with pytest.raises(FormatError) as caught:
        read(cut, "cut.txt")
    assert "缺少" in caught.value.message
    assert caught.value.line == 30
    assert str(caught.value).startswith("cut.txt，第 30 行：")


def test_a_word_where_an_amount_should_be_names_the_line(seed_text):
    broken = seed_text.replace("\t\t年度资金总额\t\t\t6.89", "\t\t年度资金总额\t\t\t六点八九", 1)
    with pytest.raises(FormatError) as caught:
        read(broken, "amount.txt")
    assert caught.value.line == 16
    assert "金额应为数字" in caught.value.message and "六点八九" in caught.value.message


def test_a_row_with_too_many_amounts_is_refused(seed_text):
    row = "\t\t上年结转资金\t\t\t0.00\t0.00\t0.00\t0.00"
    broken = seed_text.replace(row, "\t\t上年结转资金\t0.00\t0.00\t0.00\t0.00\t0.00", 1)
    with pytest.raises(FormatError) as caught:
        read(broken)
    assert "有 5 个金额，而表头只有 4 列" in caught.value.message


def test_a_missing_project_name_is_refused(seed_text):
    broken = seed_text.replace("项目名称\t\t宣传费", "项目名称\t\t", 1)
    with pytest.raises(FormatError) as caught:
        read(broken)
    assert "“项目名称”没有填写" in caught.value.message


def test_an_unreadable_period_is_refused(seed_text):
    broken = seed_text.replace("（ 2024年1月 至 2024年8月 ）", "（ 2024年8月 至 2024年1月 ）")
    with pytest.raises(FormatError) as caught:
        read(broken)
    assert "晚于截止月" in str(caught.value)


def test_lines_split_piece_by_piece_number_and_read_as_one(seed_text, seed_doc):
    # Large files are split a piece at a time; pieces as small as a few bytes must give the
    # same lines (CRLF and lone CR included) and the same line numbers in errors.
    from jixiao.formats.text import _pieces, text_rows

    for text in (seed_text, seed_text.replace("\n", "\r\n"), "a\rb\r\n\r\nc\n\nd"):
        pieces = list(_pieces(text, size=7))
        assert "".join(pieces) == text
        assert [line for piece in pieces for line in piece.splitlines()] == text.splitlines()
    rows = list(text_rows(seed_text))
    expected = [n for n, line in enumerate(seed_text.splitlines(), start=1) if line.strip()]
    assert [row.line for row in rows] == expected
    broken = seed_text.replace("\t\t年度资金总额\t\t\t6.89", "\t\t年度资金总额\t\t\t六点八九", 1)
    with pytest.raises(FormatError) as caught:
        read("\n" * 2_000_000 + broken, "far.txt")  # the form starts past the first piece
    assert caught.value.line == 2_000_016


def test_control_bytes_are_found_in_any_piece_of_a_large_file():
    from jixiao.formats.text import _has_control_bytes

    assert _has_control_bytes(b"ab" * 5 + b"\x1b", size=4)
    assert _has_control_bytes(b"\x7f" + b"ab" * 5, size=4)
    assert not _has_control_bytes("预算\t执行\r\n".encode() * 5, size=4)
    assert not _has_control_bytes(b"", size=4)
