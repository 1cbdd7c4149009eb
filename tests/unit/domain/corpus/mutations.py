"""Mutations declared as data, applied to a deep copy of a seed form.

An edit is a tuple:
- ``("text", field, value)``: 预期目标 / 跟踪期实际完成情况 / 纠偏措施 / 完成可能性 (``goal``, ``progress``,
  ``corrective_actions``, ``budget_likelihood``, ``goal_likelihood``);
- ``("budget", column, value)``: one column of 年度资金总额 and 当年财政拨款 together (the other
  sources are 0), every rate recomputed from the amounts unless the column is ``rate`` itself;
- ``("cell", "source.column", value)``: one cell of one funding row, nothing recomputed;
- ``("indicator", name, field, value)``: a field of the named indicator (``target`` is parsed);
- ``("relevel", old_level1, new_level1)``: every indicator under one 一级指标 moved to another;
- ``("drop", level1)`` / ``("drop", level1, level2)``: every indicator under one 一级指标 (or one of its
  二级指标) removed;
- ``("repeat", name)``: the named indicator copied into the row after it (a copy-paste);
- ``("unit", amount_unit)``: the header's amount unit (元 / 万元) changed, the amounts left as they are;
- ``("scale", factor)``: every amount of every funding row multiplied by ``factor``, the rates recomputed.
"""

from __future__ import annotations

import copy
from decimal import Decimal

from jixiao.domain.model import TrackingReport, percent
from jixiao.domain.notation import parse_target

Edit = tuple


def _amount(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def apply(report: TrackingReport, edits: tuple[Edit, ...]) -> TrackingReport:
    form = copy.deepcopy(report)
    for edit in edits:
        kind = edit[0]
        if kind == "text":
            _, field, value = edit
            setattr(form, field, value)
        elif kind == "budget":
            _, column, value = edit
            for line in (form.budget.total, form.budget.appropriation):
                setattr(line, column, _amount(value))
                if column != "rate" and line.spent is not None and line.period_budget is not None:
                    line.rate = percent(line.spent, line.period_budget)
        elif kind == "cell":
            _, where, value = edit
            source, column = where.split(".")
            setattr(form.budget.line(source), column, _amount(value))
        elif kind == "indicator":
            _, name, field, value = edit
            matches = [i for i in form.indicators if i.name == name]
            assert len(matches) == 1, f"no single indicator {name!r} in {form.project}"
            setattr(matches[0], field, parse_target(value) if field == "target" else value)
        elif kind == "relevel":
            _, old, new = edit
            for indicator in form.indicators:
                if indicator.level1 == old:
                    indicator.level1 = new
        elif kind == "drop":
            _, level1, *level2 = edit
            form.indicators = [i for i in form.indicators
                               if not (i.level1 == level1 and (not level2 or i.level2 == level2[0]))]
        elif kind == "repeat":
            at = next(n for n, i in enumerate(form.indicators) if i.name == edit[1])
            form.indicators.insert(at + 1, copy.deepcopy(form.indicators[at]))
        elif kind == "unit":
            form.amount_unit = edit[1]
        elif kind == "scale":
            factor = Decimal(edit[1])
            for _, line in form.budget.lines():
                for column in ("initial", "period_budget", "spent", "adjusted", "forecast_spent"):
                    value = getattr(line, column)
                    if value is not None:
                        setattr(line, column, (value * factor).quantize(Decimal("0.01")))
                budget = line.period_budget if line.period_budget is not None else line.initial
                if line.spent is not None and budget:
                    line.rate = percent(line.spent, budget)  # the exact amounts' rate, as the unit would print
        else:
            raise ValueError(f"unknown edit {edit!r}")
    return form
