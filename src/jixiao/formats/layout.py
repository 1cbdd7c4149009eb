"""Locate the fields of the published tracking-form layout in rows of cells.

Text, PDF and spreadsheet readers all end here: each turns its input into ``Row``s (the
cells of one printed line, with where it came from) and this module finds every field by
what it is — its label — never by its column number, because the columns shift from form
to form in real documents (the seed's 宣传费, 征地养老费支出 and 征地养老管理信息系统).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import lru_cache

from jixiao.domain import form_layout as form
from jixiao.domain.model import (
    FUNDING_LABELS,
    LEVEL1_NAMES,
    Budget,
    BudgetAdjustment,
    BudgetLine,
    Indicator,
    Period,
    TrackingDocument,
    TrackingReport,
    parse_number,
)
from jixiao.domain.notation import parse_target
from jixiao.formats.errors import FormatError
from jixiao.formats.placing import CAUSE_SEPARATORS, Unplaced, place_budget, place_indicator

TITLE = form.TITLE
_CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u303f\u3400-\u9fff\uff00-\uffef])")
_PERIOD = re.compile(
    r"跟踪时段\s*[:：]?\s*[（(]?\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(?:至|到|-|—|－|~|～)\s*"
    r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*[)）]?"
)
_AMOUNT_UNIT = re.compile(r"[（(]\s*(万元|元)\s*[)）]")
_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?").fullmatch

# Header (as a label, whitespace removed) → field; from the one layout definition.
BUDGET_COLUMNS = form.BUDGET_HEADERS
INDICATOR_COLUMNS = form.INDICATOR_HEADERS
FUNDING_BY_LABEL = {label: source for source, label in FUNDING_LABELS.items()}
LIKELIHOOD_LABELS = {label: field for field, label in form.LIKELIHOOD_LABELS.items()}
_FORM_LABELS = {
    form.PROJECT_LABEL, form.DEPARTMENT_LABEL, form.UNIT_LABEL, form.INDICATORS_LABEL, form.GOAL_BLOCK_LABEL,
    form.JUDGEMENT_LABEL, form.CORRECTIVE_LABEL, form.GOAL_LABEL, form.PROGRESS_LABEL, *LIKELIHOOD_LABELS,
    form.REMARKS_LABEL, form.ADJUSTMENTS_LABEL,
}


class Row:
    """The cells of one printed line; ``where`` overrides the default ``第 N 行`` in errors.

    ``labels`` are the cells as labels (see ``label``). A reader that knows the line holds no
    whitespace passes ``labels=cells``: they are then the cells themselves and need no
    computing (most lines of a text file). ``key``: the printed line, where the reader has one.
    """

    __slots__ = ("_filled", "cells", "key", "labels", "line", "where")

    def __init__(self, line: int, cells: Sequence[str], where: str | None = None,
                 labels: Sequence[str] | None = None, key: str | None = None):
        self.line = line
        self.cells = cells
        self.where = where
        # What the row's reading is memoised under (_Readings): the printed line itself where a reader has
        # one (a text line decides the cells and labels), else the cells and whether they hold whitespace.
        self.key = key if key is not None else (tuple(cells), labels is not None and labels is cells)
        # label() inlined: every row's labels are read at least once, most rows' many times.
        self.labels = labels if labels is not None else [
            "".join(c.split()) if " " in c or "\u3000" in c or "\xa0" in c or "\n" in c else c for c in cells
        ]
        self._filled: list[tuple[int, str]] | None = None

    def __repr__(self) -> str:
        return f"Row({self.line}, {self.cells!r})"

    @property
    def filled(self) -> list[tuple[int, str]]:
        if self._filled is None:
            self._filled = [(i, c) for i, c in enumerate(self.cells) if c]
        return self._filled


def label(cell: str) -> str:
    """A cell as a label: all whitespace gone (PDF wrapping breaks 服务对象满意度 指标)."""
    if " " in cell or "\u3000" in cell or "\xa0" in cell or "\n" in cell:
        return "".join(cell.split())
    return cell


def tidy(cell: str) -> str:
    """A printed name or value: trimmed, with wrap-spaces between Chinese characters removed."""
    cell = cell.strip()
    return _CJK_GAP.sub("", cell) if " " in cell or "\u3000" in cell else cell


def _funding_source(cell: str) -> str | None:
    if cell in FUNDING_BY_LABEL:
        return FUNDING_BY_LABEL[cell]
    text = label(cell)
    for prefix in ("其中：", "其中:", "其中"):
        if text.startswith(prefix):
            text = text[len(prefix):]
            break
    return FUNDING_BY_LABEL.get(text)


class _Readings(dict):
    """What rows read as, by their block's columns (``context``) and the row's ``key`` (its printed line, or
    its cells): the same lines recur across thousands of forms — the headers, the indicators, the funding
    rows without money — and each distinct one is read once. Only readings are kept: a row that cannot be
    read raises each time it is met, naming its own line. A reading is made of immutable parts; every form
    gets its own objects built from it. One table per context, each bounded (emptied when full)."""

    __slots__ = ()
    LIMIT = 4096

    def table(self, context) -> dict:
        """The readings of one block's rows, keyed by ``Row.key``."""
        table = self.get(context)
        if table is None:
            if len(self) >= 256:
                self.clear()
            table = self[context] = {}
        return table


def _keep(table: dict, key, reading):
    if len(table) >= _Readings.LIMIT:
        table.clear()
    table[key] = reading
    return reading


_READINGS = _Readings()
_END = ("end of block",)  # the reading of a row that ends its block


class _Cursor:
    """Walks the rows of one form; every error names the file and the row."""

    def __init__(self, rows: list[Row], file: str, end_line: int):
        self.rows = rows
        self.pos = 0
        self.file = file
        self.end_line = end_line

    def error(self, message: str, row: Row | None = None) -> FormatError:
        if row is None:
            return FormatError(message, file=self.file, line=self.end_line)
        return FormatError(message, file=self.file, line=row.line, where=row.where)

    def peek(self) -> Row | None:
        return self.rows[self.pos] if self.pos < len(self.rows) else None

    def take(self, test, expected: str) -> Row:
        row = self.peek()
        if row is None:
            raise self.error(f"表格在此处中断：缺少“{expected}”")
        if not test(row):
            raise self.error(f"此处应为“{expected}”，实际为“{_preview(row)}”", row)
        self.pos += 1
        return row


def _preview(row: Row) -> str:
    text = " | ".join(c for c in row.cells if c)
    return text if len(text) <= 40 else text[:40] + "…"


def _value_after(row: Row, wanted: str) -> tuple[int, str | None]:
    """The first filled cell after the cell labelled ``wanted`` that is not itself a label."""
    labels = row.labels
    start = labels.index(wanted)
    for i in range(start + 1, len(row.cells)):
        if row.cells[i] and labels[i] not in _FORM_LABELS:
            return i, row.cells[i]
        if labels[i] in _FORM_LABELS:
            break
    return start, None


def _has_label(row: Row, *wanted: str) -> bool:
    labels = row.labels
    return all(w in labels for w in wanted)


def _period_of(row: Row, file: str) -> Period | None:
    match = _PERIOD.search("".join(row.labels))  # labels: spaces typed into 跟踪 时段 do not matter
    if not match:
        return None
    try:
        return _period(*match.groups())
    except ValueError as exc:
        raise FormatError(str(exc), file=file, line=row.line, where=row.where) from None


@lru_cache(maxsize=256)
def _period(y1: str, m1: str, y2: str, m2: str) -> Period:
    """Cached: every form of a file prints the same 跟踪时段, and a Period is immutable."""
    return Period(f"{int(y1):04d}-{int(m1):02d}", f"{int(y2):04d}-{int(m2):02d}")


def read_rows(rows: Iterable[Row], file: str) -> TrackingDocument:
    """Read a whole document from its rows; raises FormatError and returns nothing partial."""
    doc, reports = stream_rows(rows, file)
    doc.reports = list(reports)
    if doc.period is None:
        doc.period = doc.reports[0].period
    return doc


def _is_title(row: Row) -> bool:
    return TITLE in row.labels


def stream_rows(rows: Iterable[Row], file: str) -> tuple[TrackingDocument, Iterator[TrackingReport]]:
    """The document's head (period, department goal; no reports yet) and its forms one by one.

    The head is read at once; each form is read when the iterator reaches it, so a large
    file can be checked form by form in constant memory. A broken form raises FormatError
    when it is reached.
    """
    rows = iter(rows)
    head: list[Row] = []
    title = None
    for row in rows:
        if not any(row.cells):
            continue
        if _is_title(row):
            title = row
            break
        head.append(row)
    if title is None:
        if not head:
            raise FormatError("文件是空的，没有找到任何绩效跟踪表", file=file)
        raise FormatError(f"没有找到任何绩效跟踪表（缺少标题“{TITLE}”）", file=file, line=head[0].line)
    doc_period, department_goal = _read_head(head, file)

    def forms() -> Iterator[TrackingReport]:
        current, body = title, []
        for row in rows:
            if TITLE in row.labels:
                yield _read_form(body, file, doc_period, body[-1].line if body else current.line, title=current)
                current, body = row, []
            elif any(row.cells):
                body.append(row)
        yield _read_form(body, file, doc_period, body[-1].line if body else current.line, title=current)

    return TrackingDocument(period=doc_period, department_goal=department_goal), forms()


def _read_head(head: list[Row], file: str) -> tuple[Period | None, str | None]:
    period = None
    goal_lines: list[str] | None = None
    for row in head:
        found = _period_of(row, file) if "跟踪时段" in "".join(row.labels) else None
        if found:
            period = found
        elif label("".join(row.cells)) in ("年度总体目标", "部门年度总体目标"):
            goal_lines = []
        elif goal_lines is not None:
            goal_lines.append(" ".join(c.strip() for c in row.cells if c.strip()))
        else:
            raise FormatError(f"表格之前出现了无法识别的内容“{_preview(row)}”", file=file, line=row.line,
                              where=row.where)
    department_goal = "\n".join(goal_lines) if goal_lines else None
    return period, department_goal


def _read_form(rows: list[Row], file: str, doc_period: Period | None, end_line: int, title: Row) -> TrackingReport:
    cur = _Cursor(rows, file, end_line)
    period = doc_period
    first = cur.peek()
    if first is not None and "跟踪时段" in "".join(first.labels):
        period = _period_of(first, file)
        if period is None:
            raise cur.error("无法识别跟踪时段，应写作“跟踪时段：（ 2024年1月 至 2024年8月 ）”", first)
        cur.pos += 1
    if period is None:
        raise cur.error("缺少“跟踪时段”", title)

    row = cur.take(lambda r: _has_label(r, "项目名称"), "项目名称")
    project = _required(cur, row, "项目名称")
    row = cur.take(lambda r: _has_label(r, "主管部门"), "主管部门")
    department = _required(cur, row, "主管部门")
    if _has_label(row, "实施单位"):
        unit = _required(cur, row, "实施单位")
    else:
        unit = _required(cur, cur.take(lambda r: _has_label(r, "实施单位"), "实施单位"), "实施单位")

    amount_unit, budget = _read_budget(cur)
    goal, progress = _read_goal(cur)
    indicators = _read_indicators(cur)
    judgement = _read_judgement(cur)
    return TrackingReport(
        project=project, department=department, unit=unit, period=period, amount_unit=amount_unit,
        budget=budget, goal=goal, progress=progress, indicators=indicators, **judgement,
    )


def _required(cur: _Cursor, row: Row, wanted: str) -> str:
    _, value = _value_after(row, wanted)
    if value is None:
        raise cur.error(f"“{wanted}”没有填写", row)
    return tidy(value)


def _read_budget(cur: _Cursor) -> tuple[str, Budget]:
    header = cur.take(lambda r: any(c.startswith("预算执行情况") for c in r.labels), "预算执行情况")
    unit_match = _AMOUNT_UNIT.search("".join(header.cells))
    amount_unit = unit_match.group(1) if unit_match else "万元"
    columns = [(i, BUDGET_COLUMNS[lab]) for i, lab in enumerate(header.labels) if lab in BUDGET_COLUMNS]
    if not columns:
        raise cur.error("“预算执行情况”一行缺少“年初预算数/跟踪期预算数/跟踪期执行数/执行率”等列名", header)
    lines: dict[str, BudgetLine] = {}
    positions, width = dict(columns), len(header.cells)
    table = _READINGS.table(("budget", tuple(columns), width))
    while (row := cur.peek()) is not None:
        key = row.key
        reading = table.get(key)
        if reading is None:
            filled = row.filled
            source = _funding_source(filled[0][1]) if filled else None
            if source is None:  # the first row after the funding rows
                _keep(table, key, _END)
                break
        elif reading is _END:
            break
        else:
            source = reading[0]
        if source in lines:
            raise cur.error(f"“{FUNDING_LABELS[source]}”出现了两次", row)
        if reading is None:
            reading = _keep(table, key, (source, _budget_amounts(cur, row, columns, positions, width)))
        lines[source] = BudgetLine(**reading[1])
        cur.pos += 1
    missing = [FUNDING_LABELS[s] for s in FUNDING_LABELS if s not in lines]
    if missing:
        raise cur.error(f"预算执行情况缺少“{'、'.join(missing)}”一行", cur.peek())
    return amount_unit, Budget(**lines)


def _budget_amounts(cur: _Cursor, row: Row, columns: list[tuple[int, str]], positions: dict[int, str],
                    header_width: int) -> dict[str, Decimal]:
    """A funding row's amounts by field (the arguments of its ``BudgetLine``); a function of the row's cells."""
    filled = row.filled
    # The hot path, inlined from place_budget: a row as wide as its header, every amount under a column.
    if len(row.cells) == header_width:
        try:
            amounts = {positions[i]: _number(text) for i, text in filled[1:]}
        except KeyError:  # an amount under no column
            pass
        else:
            if None not in amounts.values():  # plain numbers; else _amount reads a "%" or names the cell
                return amounts
            return {positions[i]: _amount(cur, row, text) for i, text in filled[1:]}
    try:
        assigned = place_budget(row.cells, filled[1:], columns, header_width)
    except Unplaced as why:
        raise cur.error(f"“{tidy(filled[0][1])}”一行{why}：{_preview(row)}", row) from None
    return {name: _amount(cur, row, text) for name, text in assigned}


# Amounts repeat across forms (half of them are 0.00) and a Decimal is immutable: cached.
_number = lru_cache(maxsize=4096)(parse_number)


def _amount(cur: _Cursor, row: Row, text: str) -> Decimal:
    value = _number(text)
    if value is None and ("%" in text or "％" in text):  # a rate printed with its sign
        value = parse_number(text.replace("%", "").replace("％", ""))
    if value is None:
        raise cur.error(f"金额应为数字，实际为“{text.strip()}”", row)
    return value


def _read_goal(cur: _Cursor) -> tuple[str | None, str | None]:
    header = cur.take(lambda r: _has_label(r, "预期目标"), "预期目标 / 跟踪期实际完成情况")
    labels = header.labels
    progress_col = labels.index("跟踪期实际完成情况") if "跟踪期实际完成情况" in labels else None
    goal_col, width = labels.index("预期目标"), len(header.cells)
    parts: dict[bool, list[str]] = {False: [], True: []}  # is progress → texts
    table = _READINGS.table(("goal", progress_col, goal_col, width))
    while (row := cur.peek()) is not None:
        reading = table.get(row.key)
        if reading is None:
            reading = _keep(table, row.key, _goal_row(cur, row, progress_col, goal_col, width))
        if reading is _END:
            break
        for is_progress, text in reading:
            parts[is_progress].append(text)
        cur.pos += 1
    return ("\n".join(parts[False]) or None), ("\n".join(parts[True]) or None)


def _goal_row(cur: _Cursor, row: Row, progress_col: int | None, goal_col: int, width: int) -> tuple:
    """A row of the goal block as (is progress, text) pairs; ``_END`` for the indicators' header after it."""
    if _has_label(row, "一级指标"):
        return _END
    texts = [(i, c.strip()) for i, c in row.filled if label(c) not in ("年度总体目标", "预期目标")]
    if len(texts) == 2:
        return (False, texts[0][1]), (True, texts[1][1])
    if len(texts) == 1:
        index, text = texts[0]
        if progress_col is not None and index >= progress_col:
            return ((True, text),)
        if index <= goal_col or progress_col is None or len(row.cells) == width:
            return ((False, text),)
        # between the two columns of a row that does not line up with its header
        raise cur.error(f"无法确定“{text[:20]}”属于“预期目标”还是“跟踪期实际完成情况”："
                        "此行与表头的列对不上，另一格空着", row)
    if texts:
        raise cur.error(f"“预期目标”和“跟踪期实际完成情况”只应有两格，此行有 {len(texts)} 格", row)
    return ()


def _is_indicator_end(row: Row) -> bool:
    text = "".join(row.labels)
    return "总体判断" in text or "完成可能性" in text or "纠偏措施" in text


def _read_indicators(cur: _Cursor) -> list[Indicator]:
    header = cur.take(lambda r: _has_label(r, "一级指标", "二级指标", "三级指标"), "一级指标 / 二级指标 / 三级指标")
    labels = header.labels
    name_col = labels.index("三级指标")
    columns = [(i, INDICATOR_COLUMNS[lab]) for i, lab in enumerate(labels) if i > name_col and lab in INDICATOR_COLUMNS]
    fields = [f for _, f in columns]
    if "target" not in fields:
        raise cur.error("指标表头缺少“年度指标值”列", header)
    # A row lines up with the header when its name is followed by as many cells as the header's
    # 三级指标 and the header's columns follow 三级指标 without a gap (see placing).
    contiguous = [i for i, _ in columns] == list(range(name_col + 1, name_col + 1 + len(columns)))
    after = len(header.cells) - name_col if contiguous else -1
    indicators: list[Indicator] = []
    level1 = level2 = None
    table = _READINGS.table(("indicators", tuple(fields), after))
    for row in cur.rows[cur.pos:]:
        reading = table.get(row.key)
        if reading is None:
            reading = _keep(table, row.key, _indicator(cur, row, fields, after))
        if reading is _END:
            break
        new_level1, new_level2, values = reading
        if new_level1 is not None:
            level1, level2 = new_level1, None
        if new_level2 is not None:
            level2 = new_level2
        indicators.append(Indicator(level1, level2, *values))
    cur.pos += len(indicators)
    if not indicators:
        raise cur.error("绩效指标表中没有任何指标", cur.peek())
    return indicators


# The published layout's value columns after 三级指标, and every field an indicator row may fill.
_PUBLISHED_FIELDS = [c.field for c in form.PUBLISHED_INDICATOR_COLUMNS]
_VALUE_FIELDS = ("target", "planned", "actual", "deviation_reason", "forecast", "deviation_causes", "likelihood")


def _indicator(cur: _Cursor, row: Row, fields: list[str], after: int) -> tuple[str | None, str | None, tuple]:
    """What an indicator row says: the 一级 and 二级指标 it names (None where it names none: the row above's
    carry on) and the arguments of its ``Indicator`` after the two levels; ``_END`` for the row after the
    indicators. A function of the row's cells."""
    if _is_indicator_end(row):
        return _END
    cells = row.cells
    labels = row.labels
    count = len(cells)
    last_filled = count - 1
    while last_filled >= 0 and not cells[last_filled]:
        last_filled -= 1
    # Leading cells: the block label 绩效指标, then the levels wherever the columns drifted them.
    start = 0
    new_level1 = new_level2 = None
    while start < last_filled:
        lab = labels[start]
        if not lab:
            start += 1
            continue
        if lab == "绩效指标":
            pass
        elif lab in LEVEL1_NAMES and new_level1 is None and new_level2 is None:
            new_level1 = lab
        elif new_level2 is None and lab.endswith("指标") and lab not in LEVEL1_NAMES:
            new_level2 = lab
        else:
            break
        start += 1
    width = 1 + len(fields)
    if count - start == after and not any(cells[start + width :]):
        if fields == _PUBLISHED_FIELDS:  # lined up in the seed's columns, the common case: by position
            target, planned, actual, reason = cells[start + 1 : start + width]
            causes = forecast = likelihood = None
        else:
            values = dict(zip(fields, cells[start + 1 : start + width], strict=False))  # lined up: by column
            target, planned, actual, reason, forecast, causes, likelihood = map(values.get, _VALUE_FIELDS)
    else:
        try:
            values = place_indicator([c for c in cells[start + 1 :] if c], fields)
        except Unplaced as why:
            raise cur.error(f"指标“{tidy(cells[start])}”一行{why}：{_preview(row)}", row) from None
        target, planned, actual, reason, forecast, causes, likelihood = map(values.get, _VALUE_FIELDS)
    if not target:
        raise cur.error(f"指标“{tidy(cells[start])}”缺少年度指标值", row)
    name = cells[start]
    if labels is not cells:  # the line holds whitespace (see Row): trim values, close up wrapped names
        name, target = tidy(name), tidy(target)
        planned, actual, forecast, likelihood = (tidy(v) if v else v for v in (planned, actual, forecast, likelihood))
        reason = reason.strip() if reason else reason
    return new_level1, new_level2, (
        name, parse_target(target), planned or None, actual or None, reason or None,
        forecast or None, tuple(c for c in CAUSE_SEPARATORS.split(causes) if c) if causes else (),
        likelihood or None,
    )


def _read_judgement(cur: _Cursor) -> dict:
    """The rows after the indicators: the two likelihoods, 纠偏措施 and, in the MoF layout, 备注 and the
    预算调整情况 block (a header row, then one row per adjustment)."""
    likelihoods: dict[str, str | None] = {}
    corrective: str | None = None
    corrective_seen = False
    remarks: str | None = None
    adjustments: list[BudgetAdjustment] | None = None
    table = _READINGS.table("judgement")
    while (row := cur.peek()) is not None:
        reading = table.get(row.key)
        if reading is None:
            reading = _keep(table, row.key, _judgement_row(row))
        said, said_corrective, said_remarks, starts_adjustments, known = reading
        likelihoods.update(said)
        if said_corrective is not _NOT_SAID:
            corrective, corrective_seen = said_corrective, True
        if said_remarks is not _NOT_SAID:
            remarks = said_remarks
        if starts_adjustments:
            adjustments = []
        elif not known and adjustments is not None:
            adjustments.append(_adjustment(cur, row))
            known = True
        if not known and not (set(row.labels) - {""} <= {"绩效跟踪总体判断"}):
            raise cur.error(f"无法识别的行“{_preview(row)}”", row)
        cur.pos += 1
    for lab, field in LIKELIHOOD_LABELS.items():
        if field not in likelihoods:
            raise cur.error(f"表格缺少“{lab}”")
    if not corrective_seen:
        raise cur.error("表格缺少“纠偏措施”")
    return {**likelihoods, "corrective_actions": corrective, "remarks": remarks, "adjustments": adjustments or []}


_NOT_SAID = ("not said",)


def _judgement_row(row: Row) -> tuple:
    """What a row after the indicators says: (field, likelihood) pairs, its 纠偏措施 and 备注 (``_NOT_SAID``
    when it has no such label), whether it heads the 预算调整情况 block, and whether it holds any of these labels."""
    labels = row.labels
    said = tuple((field, tidy(value) if value else None) for lab, field in LIKELIHOOD_LABELS.items()
                 if lab in labels for _, value in (_value_after(row, lab),))
    corrective = _text_after(row, "纠偏措施") if "纠偏措施" in labels else _NOT_SAID
    remarks = _text_after(row, form.REMARKS_LABEL) if form.REMARKS_LABEL in labels else _NOT_SAID
    starts_adjustments = form.ADJUSTMENTS_LABEL in labels
    known = bool(said) or corrective is not _NOT_SAID or remarks is not _NOT_SAID or starts_adjustments
    return said, corrective, remarks, starts_adjustments, known


def _text_after(row: Row, wanted: str) -> str | None:
    start = row.labels.index(wanted)
    return " ".join(c.strip() for c in row.cells[start + 1 :] if c.strip()) or None


def _adjustment(cur: _Cursor, row: Row) -> BudgetAdjustment:
    """One row of 预算调整情况: 调整日期, 资金来源, 调整金额 and 调整原因 in that order (the reason may be blank).

    Each has its own kind of content (a date, a funding row's label, a signed number, free text),
    so the values are placed by order whatever blank cells lie between them."""
    values = [c.strip() for c in row.cells if c.strip()]
    titles = "、".join(f"“{c.header}”" for c in form.ADJUSTMENT_COLUMNS)
    if len(values) < 3:
        raise cur.error(f"预算调整一行应依次填写{titles}（原因可空），此行只有 {len(values)} 格：{_preview(row)}", row)
    date_text, source_text, amount_text, *rest = values
    match = _DATE(date_text)
    try:
        date = datetime.date(*(int(g) for g in match.groups())) if match else None
    except ValueError:
        date = None
    if date is None:
        raise cur.error(f"预算调整的调整日期应写作“2024-05-20”，实际为“{date_text}”", row)
    source = _funding_source(source_text)
    if source is None:
        raise cur.error(f"预算调整的资金来源应为“{'、'.join(FUNDING_LABELS.values())}”之一，实际为“{source_text}”", row)
    amount = parse_number(amount_text)
    if amount is None:
        raise cur.error(f"预算调整的调整金额应为数字（调减写负数），实际为“{amount_text}”", row)
    return BudgetAdjustment(date=date, amount=amount, source=source, reason=" ".join(rest) or None)
