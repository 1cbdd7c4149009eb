"""Backtest of the year-end spending forecast (domain/forecast.py) on synthetic projects.

Run with ``make bench`` or ``.venv/bin/python bench/forecast_backtest.py [N]``. Each synthetic project
has a known monthly spending pattern — steady, fourth-quarter, ramping up, paid early, or one lump —
that recurs from year to year with noise. Two previous years are observed at 1–4, 1–8 and 1–12 月
(a quarter of the projects are new: no own history, only the portfolio of all projects); in the
current year the forecast at 1–8 月 (with the 1–4 月 point as earlier pace) is compared with the true
year-end spending, beside the naive straight line (spent × 12 / 8). Errors are in % of the true
year-end spending; coverage is the share of projects whose true value lies within the range.
Deterministic (fixed seed); the forecast must beat the naive line (exit code 1 otherwise).
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal

from jixiao.domain.config import DEFAULT_CONFIG
from jixiao.domain.forecast import Curve, forecast_series, portfolio

POINTS = (4, 8, 12)
PATTERNS = {
    "steady": [1] * 12,
    "fourth_quarter": [1, 1, 1, 1, 1, 1, 1, 1, 1, 4, 5, 7],
    "ramp": list(range(1, 13)),
    "early": [6, 4, 3, 2, 1, 1, 1, 1, 1, 1, 1, 1],
    "lump": None,  # one large payment in a month of its own, small amounts otherwise
}


def _monthly(rng: random.Random, pattern: list[int] | None, lump_month: int, noise: float) -> list[float]:
    base = [0.3] * 12 if pattern is None else [float(w) for w in pattern]
    if pattern is None:
        base[lump_month - 1] = 8.0
    return [max(w * (1 + rng.uniform(-noise, noise)), 0.0) for w in base]


def _cumulative(monthly: list[float], total: Decimal) -> dict[int, Decimal]:
    whole = sum(monthly)
    running, out = 0.0, {}
    for month, amount in enumerate(monthly, start=1):
        running += amount
        if month in POINTS:
            out[month] = (total * Decimal(running / whole)).quantize(Decimal("0.01"))
    return out


def _project(rng: random.Random, index: int) -> dict:
    name = list(PATTERNS)[index % len(PATTERNS)]
    lump = rng.choice((3, 6, 9, 11, 12))
    budget = Decimal(rng.randint(20, 2000))
    years = []
    for _ in range(3):  # two previous years, then the current one
        lump_this_year = lump if rng.random() < 0.8 else rng.choice((6, 9, 11, 12))
        completion = Decimal(str(round(rng.uniform(0.80, 1.0), 3)))
        years.append(_cumulative(_monthly(rng, PATTERNS[name], lump_this_year, 0.35), budget * completion))
    return {"pattern": name, "budget": budget, "years": years, "new": rng.random() < 0.25}


def run(n: int = 1000, seed: int = 20241208) -> dict:
    rng = random.Random(seed)
    projects = [_project(rng, i) for i in range(n)]
    last_year = portfolio(c for c in (Curve.from_points(p["years"][1].items()) for p in projects) if c)
    errors, naive_errors, covered, skipped = [], [], 0, 0
    by_pattern: dict[str, list[tuple[Decimal, Decimal]]] = {}
    for p in projects:
        own = () if p["new"] else tuple(c for c in (Curve.from_points(y.items()) for y in p["years"][:2]) if c)
        now = p["years"][2]
        truth = now[12]
        made = forecast_series([(4, now[4]), (8, now[8])], own=own, portfolio=last_year, goal=p["budget"],
                               cap=p["budget"], config=DEFAULT_CONFIG)
        if made is None:  # no pace known (nothing spent by August): not forecast, not counted
            skipped += 1
            continue
        error = abs(made.value - truth) / truth * 100
        naive_error = abs(made.naive - truth) / truth * 100
        errors.append(error)
        naive_errors.append(naive_error)
        covered += made.low <= truth <= made.high
        by_pattern.setdefault(p["pattern"], []).append((error, naive_error))
    mean = lambda xs: sum(xs, Decimal(0)) / len(xs)  # noqa: E731
    return {
        "forecast": mean(errors), "naive": mean(naive_errors), "coverage": Decimal(covered * 100) / len(errors),
        "skipped": skipped,
        "patterns": {k: (mean([e for e, _ in v]), mean([e for _, e in v])) for k, v in by_pattern.items()},
        "n": n,
    }


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 1000
    result = run(n)
    q = Decimal("0.01")
    print(f"forecast backtest: {result['n']} synthetic projects, year-end spending forecast at the 1–8 月 point")
    print(f"  mean absolute error  forecast {result['forecast'].quantize(q)} %   "
          f"naive straight line {result['naive'].quantize(q)} %")
    print(f"  not forecast (no pace known) {result['skipped']}")
    print(f"  range coverage       {result['coverage'].quantize(q)} % of true year-end values within low–high")
    for name, (error, naive) in result["patterns"].items():
        print(f"    {name:<15} forecast {error.quantize(q):>6} %   naive {naive.quantize(q):>6} %")
    if result["forecast"] >= result["naive"]:
        print("FAIL: the forecast does not beat the naive straight line")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
