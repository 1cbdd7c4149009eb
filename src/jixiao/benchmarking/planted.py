"""How well 跨项目对标 finds the outliers planted in the synthetic province (jixiao.demo.synthetic):
recall and precision of ``comparing.benchmark`` against ``Province.planted``. Read by
bench/benchmarking_bench.py and its small-size test."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from jixiao.accounts.models import User
from jixiao.benchmarking.comparing import benchmark
from jixiao.demo.synthetic import Province
from jixiao.domain.library import normalise_name

RECALL_GOAL = Decimal(90)
PRECISION_GOAL = Decimal(80)


@dataclass(frozen=True)
class Score:
    planted: int
    found: int
    hits: int

    @property
    def recall(self) -> Decimal:
        return _pct(self.hits, self.planted)

    @property
    def precision(self) -> Decimal:
        return _pct(self.hits, self.found)

    @property
    def holds(self) -> bool:
        return self.recall >= RECALL_GOAL and self.precision >= PRECISION_GOAL


def _pct(part: int, whole: int) -> Decimal:
    return (Decimal(100) if not whole else Decimal(part) * 100 / whole).quantize(Decimal("0.1"), ROUND_HALF_UP)


def planted_truth(province: Province) -> set[tuple[str, int, str]]:
    """(kind, project number, indicator name) of every outlier planted in the province."""
    return {(kind, project, normalise_name(name)) for project in range(province.projects)
            for kind, name in province.planted(project)}


def score(*, province: Province, user: User) -> dict[str, Score]:
    """Per outlier kind and in all: how many planted, how many found, how many of those planted."""
    truth = planted_truth(province)
    found = {(o.kind, Province.number_of(o.value.project), o.group.name) for o in benchmark(user=user).outliers}
    kinds = sorted({k for k, _, _ in truth | found})
    scores = {kind: Score(sum(1 for t in truth if t[0] == kind), sum(1 for f in found if f[0] == kind),
                          sum(1 for f in found & truth if f[0] == kind)) for kind in kinds}
    scores["all"] = Score(len(truth), len(found), len(found & truth))
    return scores
