"""项目支出绩效目标申报表 as plain data: what the goal-declaration workbook holds (formats/goal_xlsx.py)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class GoalRow:
    level1: str
    level2: str
    name: str
    target_text: str
    direction: str | None = None  # higher_better / lower_better; None: not stated
    kind: str | None = None  # domain/framework.py KINDS; None: not stated


@dataclass
class GoalDeclaration:
    project: str
    department: str = ""
    unit: str = ""
    year: int | None = None
    amount_unit: str = "万元"
    initial: dict[str, Decimal | None] = field(default_factory=dict)
    overall_goal: str = ""
    indicators: list[GoalRow] = field(default_factory=list)
