"""The forecast's history read from the database (tracking/forecasting.py) and the paths that check with it."""

from decimal import Decimal

import pytest

from jixiao.tracking import models
from jixiao.tracking.forecasting import histories, history_of

pytestmark = pytest.mark.django_db


def _key(row):
    return (row.project_id, int(row.period.end[5:]), row.amount_unit)


def test_a_form_of_the_demo_year_knows_its_earlier_points_its_previous_year_and_all_projects(demo_cycle):
    row = models.TrackingReport.objects.select_related("period").get(project__name="宣传费", period__end="2024-08")
    history = history_of(project_id=row.project_id, end_month=8, amount_unit=row.amount_unit)
    early = models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-04")
    assert history.points == ((4, early.total_spent),)  # the 1–10 月 point is later: not history
    assert len(history.years) == 1 and history.portfolio is not None
    last = {r.period.end: r.total_spent for r in models.TrackingReport.objects.filter(
        project__name="宣传费", period__fiscal_year__year=2023).select_related("period")}
    assert history.years[0].at(8) == last["2023-08"] / last["2023-12"]


def test_histories_take_three_queries_whatever_the_number_of_forms(demo_cycle, django_assert_num_queries):
    rows = list(models.TrackingReport.objects.select_related("period"))
    with django_assert_num_queries(3):
        found = histories(_key(row) for row in rows)
    assert len(found) == len({_key(row) for row in rows})
    with django_assert_num_queries(3):
        histories([_key(rows[0])])


def test_a_form_with_nothing_known_has_no_history(demo):
    row = models.TrackingReport.objects.select_related("period").first()
    assert history_of(project_id=row.project_id, end_month=8, amount_unit=row.amount_unit) is None
    assert histories([]) == {}


def test_pending_forms_of_a_batch_count_as_earlier_points(demo):
    row = models.TrackingReport.objects.select_related("period").first()
    pending = [({"project_id": row.project_id, "period__end": "2024-04", "total_spent": Decimal("1.00"),
                 "amount_unit": "万元"}, {})]
    history = histories([(row.project_id, 8, "元")], pending)[(row.project_id, 8, "元")]
    assert history.points == ((4, Decimal("10000")),)  # 1 万元 in the form's unit, 元
