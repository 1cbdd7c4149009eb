"""The notice letter of a warning (预警通知书) as PDF: addressee, the forms concerned with their lights and
execution rates, what is wrong, the reply deadline, and — once given — the unit's answer and its state."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.platypus import SimpleDocTemplate, Spacer

from jixiao.domain.findings import LIGHT_LABELS
from jixiao.formats.fonts import cjk_font
from jixiao.formats.pdf_findings import _LIGHT_COLORS, _p, _Styles, _table
from jixiao.formats.pdf_write import CREATOR, MARGIN, PAGE_WIDTH, page_number


@dataclass(frozen=True)
class NoticeForm:
    project: str
    light: str  # red, yellow, green or ""
    rate: str  # 执行率 as printed, "—" when unknown
    time_progress: str


@dataclass(frozen=True)
class NoticeLetter:
    number: str
    issuer: str
    unit: str
    department: str
    period: str
    issued_on: str
    deadline: str
    problem: str
    state: str
    forms: list[NoticeForm] = field(default_factory=list)
    answer: str = ""
    done_report: str = ""


def write_notice_pdf(letter: NoticeLetter, stream: BinaryIO) -> None:
    font = cjk_font()
    s = _Styles(font)
    template = SimpleDocTemplate(
        stream, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=f"预警通知书 {letter.number}", author=letter.issuer, creator=CREATOR, subject="预警通知书",
        initialFontName=font,
    )
    addressee = f"{letter.unit}（{letter.department}）" if letter.department else letter.unit
    story: list = [
        _p("绩效运行监控预警通知书", s.title), _p(letter.number, s.sub), Spacer(1, 10),
        _p(f"{addressee}：", s.body), Spacer(1, 4),
        _p(f"根据 {letter.period} 绩效跟踪监控结果，你单位下列项目存在以下问题，现予预警：", s.body), Spacer(1, 6),
    ]
    w = PAGE_WIDTH
    rows: list[list] = [["序号", "项目名称", "预警", "执行率", "序时进度"]]
    extra = [("ALIGN", (2, 0), (-1, -1), "CENTER")]
    for n, form in enumerate(letter.forms, start=1):
        rows.append([str(n), _p(form.project, s.cell), LIGHT_LABELS.get(form.light, "—"), form.rate,
                     form.time_progress])
        if form.light in _LIGHT_COLORS:
            extra.append(("BACKGROUND", (2, n), (2, n), colors.HexColor(_LIGHT_COLORS[form.light])))
    story += [_table(rows, [0.08 * w, 0.5 * w, 0.12 * w, 0.15 * w, 0.15 * w], font, extra), Spacer(1, 8),
              _p("存在的问题：", s.heading), _p(letter.problem, s.body), Spacer(1, 6),
              _p(f"请于 {letter.deadline} 前在绩效跟踪系统中答复整改措施；"
                 "整改完成后报告整改情况并附佐证材料。", s.body)]
    if letter.answer:
        story += [_p("单位答复的整改措施：", s.heading), _p(letter.answer, s.body)]
    if letter.done_report:
        story += [_p("整改完成情况：", s.heading), _p(letter.done_report, s.body)]
    story += [Spacer(1, 16), _p(f"当前状态：{letter.state}", s.body), Spacer(1, 10),
              _p(f"{letter.issuer}　　{letter.issued_on}", s.body)]
    template.build(story, onFirstPage=page_number, onLaterPages=page_number)
