"""The reviewers' findings report: per form its lights and what the checker found, with what to fix.

Reviewers print this beside the forms, so it opens with a one-line-per-project overview
(lights and counts) and then gives each form a section whose findings are ordered
errors first; each message already says what to do (DESIGN §3).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jixiao.domain.checker import check_report
from jixiao.domain.findings import ERROR, INFO, LIGHT_LABELS, SEVERITIES, SEVERITY_LABELS, WARNING, ReportCheck
from jixiao.domain.form_layout import FIELD_LABELS
from jixiao.domain.model import TrackingDocument, TrackingReport
from jixiao.domain.rules.registry import rule_title
from jixiao.formats.fonts import cjk_font
from jixiao.formats.form_grid import period_line
from jixiao.formats.pdf_write import CREATOR, MARGIN, PAGE_WIDTH, page_number

Check = Callable[[TrackingReport], ReportCheck]

_LIGHT_COLORS = {"red": "#E06666", "yellow": "#F1C232", "green": "#6AA84F"}
_SEVERITY_COLORS = {ERROR: "#CC0000", WARNING: "#B45F06", INFO: "#3D85C6"}


def field_label(field: str | None) -> str:
    """``budget.total.rate`` → 年度资金总额·执行率: where on the form a finding points."""
    if not field:
        return "整表"
    parts = field.split(".")
    words = [FIELD_LABELS.get(p, p) for p in parts if not p.isdigit()]  # the one layout definition's words
    if parts[0] == "budget" and len(words) > 1:
        words = words[1:]
    return "·".join(words)


def _light(light: str | None) -> str:
    return LIGHT_LABELS.get(light or "", "—")


class _Styles:
    def __init__(self, font: str):
        self.title = ParagraphStyle("t", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER)
        self.sub = ParagraphStyle("s", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER)
        self.heading = ParagraphStyle("h", fontName=font, fontSize=12, leading=16, spaceBefore=10, spaceAfter=4)
        self.body = ParagraphStyle("b", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
        self.cell = ParagraphStyle("c", fontName=font, fontSize=8, leading=10, wordWrap="CJK")


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"), style)


def _table(rows: list[list], widths: list[float], font: str, extra: list | None = None) -> Table:
    style = [
        ("FONT", (0, 0), (-1, -1), font, 8, 10),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#F2F2F2")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        *(extra or []),
    ]
    return Table(rows, colWidths=widths, style=TableStyle(style), repeatRows=1)


def _overview(doc: TrackingDocument, checks: list[ReportCheck], s: _Styles, font: str) -> Table:
    w = PAGE_WIDTH
    rows: list[list] = [["序号", "项目名称", "实施单位", "预算执行", "总体", "错误", "警告", "提示"]]
    extra = []
    for n, (report, result) in enumerate(zip(doc.reports, checks, strict=True), start=1):
        counts = [sum(1 for f in result.findings if f.severity == sev) for sev in SEVERITIES]
        rows.append([str(n), _p(report.project, s.cell), _p(report.unit, s.cell),
                     _light(result.budget_light), _light(result.light), *map(str, counts)])
        for col, light in ((3, result.budget_light), (4, result.light)):
            if light in _LIGHT_COLORS:
                extra.append(("BACKGROUND", (col, n), (col, n), colors.HexColor(_LIGHT_COLORS[light])))
    widths = [0.06 * w, 0.34 * w, 0.26 * w, 0.08 * w, 0.08 * w, 0.06 * w, 0.06 * w, 0.06 * w]
    return _table(rows, widths, font, [("ALIGN", (3, 0), (-1, -1), "CENTER"), *extra])


def _section(n: int, report: TrackingReport, result: ReportCheck, s: _Styles, font: str) -> list:
    total = report.budget.total
    rate = "—" if total.rate is None else f"{total.rate}%"
    facts = (f"实施单位：{report.unit}　序时进度：{result.time_progress}%　执行率：{rate}　"
             f"预算执行：{_light(result.budget_light)}　总体：{_light(result.light)}")
    head = [_p(f"{n}. {report.project}", s.heading), _p(facts, s.body), Spacer(1, 4)]
    if not result.findings:
        return [KeepTogether([*head, _p("未发现问题。", s.body)])]
    findings = sorted(result.findings, key=lambda f: SEVERITIES.index(f.severity))
    rows: list[list] = [["严重程度", "指标", "位置", "问题与修改建议", "问题类别"]]
    extra = []
    for i, f in enumerate(findings, start=1):
        rows.append([SEVERITY_LABELS[f.severity], _p(f.indicator or "整表", s.cell), _p(field_label(f.field), s.cell),
                     _p(f.message, s.cell), _p(rule_title(f.rule), s.cell)])
        extra.append(("TEXTCOLOR", (0, i), (0, i), colors.HexColor(_SEVERITY_COLORS[f.severity])))
    w = PAGE_WIDTH
    table = _table(rows, [0.09 * w, 0.18 * w, 0.15 * w, 0.46 * w, 0.12 * w], font, extra)
    return [KeepTogether([*head, table])] if len(findings) <= 8 else [*head, table]


def write_findings_pdf(doc: TrackingDocument, stream: BinaryIO, check: Check = check_report) -> None:
    """The review report of ``doc``: an overview of lights, then each form's findings (``check`` may carry a config)."""
    font = cjk_font()
    s = _Styles(font)
    checks = [check(report) for report in doc.reports]
    department = doc.reports[0].department if doc.reports else ""
    template = SimpleDocTemplate(
        stream, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN, bottomMargin=MARGIN,
        title=f"{department} 绩效跟踪审核意见", author=department, creator=CREATOR, subject="绩效跟踪审核意见",
        initialFontName=font,
    )
    story: list = [_p(f"{department} 绩效跟踪审核意见", s.title)]
    if doc.period is not None:
        story.append(_p(period_line(doc.period), s.sub))
    errors = sum(1 for c in checks for f in c.findings if f.severity == ERROR)
    warnings = sum(1 for c in checks for f in c.findings if f.severity == WARNING)
    story += [Spacer(1, 6), _p(f"共 {len(checks)} 张表，错误 {errors} 项，警告 {warnings} 项。"
                               "红灯、黄灯项目及全部“错误”须在退回前处理。", s.body), Spacer(1, 6),
              _overview(doc, checks, s, font)]
    for n, (report, result) in enumerate(zip(doc.reports, checks, strict=True), start=1):
        story += _section(n, report, result, s, font)
    template.build(story, onFirstPage=page_number, onLaterPages=page_number)
