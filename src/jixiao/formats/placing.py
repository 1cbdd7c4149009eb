"""Which field each value of a budget or indicator row belongs to (docs/FORMATS.md, "what the reader tolerates").

A row is placed by the header's columns when it lines up with them: nothing was added to the
row (it is as wide as its header) and every value sits under a column. That is almost every
row, and the readers' hot path. Otherwise blank cells were inserted somewhere (PDF-to-text
and copy-paste tools do that), or the columns drifted, and the positions say nothing: the
values are placed by their order — the fields always come in the form's order — and, where
some fields are blank, by the kind of what is written (a number under a quantitative target,
a list of 偏差原因类别, one of the three likelihoods). A row that can still be read in more than
one way is refused, naming the fields that could not be told apart; it is never filled by counting cells.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from itertools import combinations

from jixiao.domain.form_layout import FIELD_LABELS
from jixiao.domain.model import DEVIATION_CAUSES, LIKELIHOODS, parse_number
from jixiao.domain.notation import parse_target

CAUSE_SEPARATORS = re.compile(r"[、,，;；/\s]+")
_CAUSES = frozenset(DEVIATION_CAUSES)


class Unplaced(Exception):
    """The row's values cannot be given to its fields; ``str()`` says why, in Chinese (the caller adds the line)."""


def _titles(fields: Sequence[str], titles: dict[str, str]) -> str:
    return "、".join(f"“{titles[f]}”" for f in fields)


def place_budget(cells: Sequence[str], values: list[tuple[int, str]], columns: list[tuple[int, str]],
                 header_width: int) -> list[tuple[str, str]]:
    """(field, text) for a budget row's amounts ``values`` ((column, text), in order).

    ``columns`` are the header's (column, field) in order and ``header_width`` its number of
    cells. Every amount is a number, so when the row does not line up with the header only a
    row with every amount present can be placed, by order — unless its amounts start right of
    the first column and end right of the last: a blank 年初预算数 followed by a stray number
    and a whole row pushed one column right look the same, so that row is refused.
    """
    positions = dict(columns)
    if len(cells) == header_width and all(i in positions for i, _ in values):
        return [(positions[i], text) for i, text in values]
    fields = [f for _, f in columns]
    if len(values) > len(fields):
        raise Unplaced(f"有 {len(values)} 个金额，而表头只有 {len(fields)} 列（{_titles(fields, FIELD_LABELS)}）")
    if len(values) < len(fields):
        raise Unplaced(f"金额与表头的列对不上，{len(values)} 个金额无法确定各属于"
                       f"{_titles(fields, FIELD_LABELS)}中的哪一列（哪一列空着）")
    first, last = columns[0][0], columns[-1][0]
    if values[0][0] > first and values[-1][0] > last:
        raise Unplaced(f"金额与表头的列对不上：“{FIELD_LABELS[fields[0]]}”一列是空的，"
                       f"而“{values[-1][1].strip()}”写在了“{FIELD_LABELS[fields[-1]]}”之后，"
                       f"无法分辨是“{FIELD_LABELS[fields[0]]}”空着、多了一个数，还是整行右移了一列")
    return list(zip(fields, (text for _, text in values), strict=True))


def _is_number(text: str) -> bool:
    text = text.strip()
    if text.endswith(("%", "％")):
        text = text[:-1]
    return parse_number(text) is not None


def _is_causes(text: str) -> bool:
    parts = [p for p in CAUSE_SEPARATORS.split(text) if p]
    return bool(parts) and all(p in _CAUSES for p in parts)


def _fits(field: str, text: str, quantitative: bool) -> bool:
    """Whether ``text`` can be what the form writes under ``field``."""
    if field in ("planned", "actual", "forecast"):
        return _is_number(text) if quantitative else True
    if field == "deviation_causes":
        return _is_causes(text)
    if field == "likelihood":
        return text.strip() in LIKELIHOODS
    return True  # the target (its own notation or free words) and 偏差原因分析 (free text)


def place_indicator(values: list[str], fields: Sequence[str]) -> dict[str, str]:
    """field → text for an indicator row's values after 三级指标 that do not line up with the header.

    ``values`` are the filled cells in order, ``fields`` the header's fields in order. Every
    field present: by order. Fewer values: every order-keeping choice of fields whose kinds
    fit (the target is required); exactly one must remain.
    """
    n, m = len(values), len(fields)
    if n > m:
        raise Unplaced(f"有 {n} 个值，而表头只有 {m} 列（{_titles(fields, FIELD_LABELS)}）")
    if n == m:
        return dict(zip(fields, values, strict=True))
    target_at = fields.index("target") if "target" in fields else -1
    candidates = []
    for chosen in combinations(range(m), n):
        if target_at not in chosen:
            continue
        quantitative = parse_target(values[chosen.index(target_at)].strip()).is_quantitative
        if all(_fits(fields[f], v, quantitative) for f, v in zip(chosen, values, strict=True)):
            candidates.append(chosen)
    if len(candidates) == 1:
        return {fields[f]: v for f, v in zip(candidates[0], values, strict=True)}
    if not candidates:
        raise Unplaced(f"{n} 个值无法按顺序对应到{_titles(fields, FIELD_LABELS)}（与各列应填的内容不符）")
    unsure = [fields[f] for f in range(m) if len({f in chosen for chosen in candidates}) > 1]
    raise Unplaced(f"与表头的列对不上，有 {n} 个值，无法确定{_titles(unsure, FIELD_LABELS)}中哪些空着")
