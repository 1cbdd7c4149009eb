"""The sort keys stored on each report (``project_name``, ``budget_wanyuan``, ``worst``) recomputed from the
columns they derive from, for rows written before the keys existed (migration 0011) or written directly.

Every write path sets them through mapping.py (``report_fields``, ``verdict_fields``) and the writer's
project; this recomputes them with the same functions, in ranges of ids (plain values, one executemany
UPDATE per range), so the stored keys are exact decimals on SQLite too and memory stays flat.
``jixiao doctor`` compares them report by report (doctor.check_summaries).
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import F

from jixiao.tracking import mapping, models
from jixiao.tracking.bulkwrite import update_many

KEYS = ("project_name", "budget_wanyuan", "worst")
_BATCH = 5000


def _wrong(report_model) -> Iterator[list[tuple]]:
    """Per range of ids, the (keys…, id) of the reports whose stored keys differ from a recomputation."""
    last = 0
    while True:
        rows = list(
            report_model.objects.filter(pk__gt=last).order_by("pk")
            .values("pk", "total_period_budget", "amount_unit", "error_count", "warning_count", "info_count", *KEYS,
                    of_project=F("project__name"))[:_BATCH]
        )
        if not rows:
            return
        last = rows[-1]["pk"]
        wrong = []
        for row in rows:
            keys = (row["of_project"], mapping.budget_wanyuan(row["total_period_budget"], row["amount_unit"]),
                    models.worst_rank(row["error_count"], row["warning_count"], row["info_count"]))
            if keys != tuple(row[key] for key in KEYS):  # decimals compare by value
                wrong.append((*keys, row["pk"]))
        yield wrong


def sort_keys_fill(report_model=models.TrackingReport) -> int:
    """Recompute the sort keys of every report; returns the number of rows whose keys changed."""
    changed = 0
    for wrong in _wrong(report_model):
        update_many(report_model, list(KEYS), wrong)
        changed += len(wrong)
    return changed


def sort_keys_check() -> list[int]:
    """The ids of the reports whose stored sort keys differ from a recomputation (none when they agree)."""
    return [row[-1] for wrong in _wrong(models.TrackingReport) for row in wrong]
