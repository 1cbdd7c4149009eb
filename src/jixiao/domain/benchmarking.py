"""跨项目对标: the same indicator across units and years — its distribution and the outliers in it.

Pure domain (Decimal, no Django). Indicators are the same when their library key (domain/library.py
``library_key``: normalised name and unit) is the same. Thresholds are ``ClosingConfig``
(domain/config.py).

Quartiles are the inclusive ones (linear interpolation between order statistics, as a spreadsheet's
QUARTILE.INC): for sorted values x₀ … xₙ₋₁ the p-quantile is x at position p·(n−1).

Outliers, each judged against the *other* values of its group (its peers), at least
``benchmark_min_peers`` of them:

- a lenient target (目标偏低/偏宽松): a lower-bound target (≥, >: more is better) below the peers' lower
  fence Q1 − k·IQR, or an upper-bound target (≤, <: less is better) above the upper fence Q3 + k·IQR,
  k = ``benchmark_fence``, and at least ``benchmark_min_gap`` % of the peers' median away from it
  (so that peers all at 90 do not make 89 lenient);
- a unit cost far above its peers (单位成本偏高): at least ``benchmark_cost_multiple`` times the peers'
  median. A unit cost is a numeric 成本指标 target, or the annual budget (万元) divided by the numeric
  target of a 数量指标 (money per unit of output).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao.domain.config import DEFAULT_CLOSING, ClosingConfig
from jixiao.domain.model import HUNDRED

LOWER_BOUNDS = ("≥", ">")
UPPER_BOUNDS_ = ("≤", "<")
LENIENT, COSTLY = "lenient", "costly"
OUTLIER_LABELS = {LENIENT: "目标明显宽松于同类", COSTLY: "单位成本为同类中位数的数倍"}
PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Quartiles:
    count: int
    low: Decimal
    q1: Decimal
    median: Decimal
    q3: Decimal
    high: Decimal

    @property
    def iqr(self) -> Decimal:
        return self.q3 - self.q1


def quantile(ordered: Sequence[Decimal], p: Decimal, skip: int | None = None) -> Decimal:
    """The inclusive p-quantile of sorted ``ordered`` without its element at ``skip`` (when given)."""
    size = len(ordered) - (skip is not None)

    def at(k: int) -> Decimal:
        return ordered[k + 1 if skip is not None and k >= skip else k]

    position = p * (size - 1)
    below = int(position)
    if below + 1 >= size:
        return at(size - 1)
    return at(below) + (at(below + 1) - at(below)) * (position - below)


def plain(value: Decimal) -> Decimal:
    """``value`` to four places without trailing zeros and never in exponent form (90, 88.5)."""
    rounded = value.quantize(PLACES, rounding=ROUND_HALF_UP).normalize()
    return rounded.quantize(Decimal(1)) if rounded == rounded.to_integral_value() else rounded


def _quartiles(ordered: Sequence[Decimal], skip: int | None = None) -> Quartiles | None:
    size = len(ordered) - (skip is not None)
    if size <= 0:
        return None
    q = [plain(quantile(ordered, Decimal(p) / 4, skip)) for p in (1, 2, 3)]
    low = plain(ordered[1] if skip == 0 else ordered[0])
    high = plain(ordered[-2] if skip == len(ordered) - 1 else ordered[-1])
    return Quartiles(size, low, q[0], q[1], q[2], high)


def quartiles(values: Sequence[Decimal]) -> Quartiles | None:
    """Count, min, Q1, median, Q3 and max of ``values``; None when there are none."""
    return _quartiles(sorted(values))


def peer_quartiles(values: Sequence[Decimal]) -> list[Quartiles | None]:
    """For each value, the quartiles of all the others (its peers); n log n in all."""
    ordered = sorted(values)
    return [_quartiles(ordered, bisect_left(ordered, value)) for value in values]


def is_lenient(value: Decimal, comparator: str, peers: Quartiles | None,
               config: ClosingConfig = DEFAULT_CLOSING) -> bool:
    """Whether a target ``comparator value`` is far easier than its peers' (see the module's docstring)."""
    if peers is None or peers.count < config.benchmark_min_peers:
        return False
    gap = abs(peers.median) * config.benchmark_min_gap / HUNDRED
    if comparator in LOWER_BOUNDS:
        return value < peers.q1 - config.benchmark_fence * peers.iqr and value <= peers.median - gap
    if comparator in UPPER_BOUNDS_:
        return value > peers.q3 + config.benchmark_fence * peers.iqr and value >= peers.median + gap
    return False


def is_costly(unit_cost: Decimal, peers: Quartiles | None, config: ClosingConfig = DEFAULT_CLOSING) -> bool:
    """Whether a unit cost is at least ``benchmark_cost_multiple`` times its peers' median."""
    if peers is None or peers.count < config.benchmark_min_peers or peers.median <= 0:
        return False
    return unit_cost >= peers.median * config.benchmark_cost_multiple


def unit_cost(budget_wanyuan: Decimal | None, quantity: Decimal | None) -> Decimal | None:
    """万元 per unit of output: the budget over a positive quantity target; None otherwise."""
    if budget_wanyuan is None or quantity is None or quantity <= 0 or budget_wanyuan <= 0:
        return None
    return (budget_wanyuan / quantity).quantize(PLACES, rounding=ROUND_HALF_UP)


def share(part: int, whole: int) -> Decimal | None:
    """``part`` of ``whole`` in %, two places; None when there is no whole."""
    if not whole:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
