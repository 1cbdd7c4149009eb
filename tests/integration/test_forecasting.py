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


def _page(client, row):
    response = client.get(f"/reports/{row.pk}/")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("username", ["demo-finance", "demo-department", "demo-unit"])
def test_the_form_page_shows_the_forecast_with_its_range_the_straight_line_and_a_suggested_likelihood(
        demo_cycle, username):
    from jixiao.tracking.forecasting import report_forecast

    from .conftest import login

    row = models.TrackingReport.objects.select_related("period").get(project__name="宣传费", period__end="2024-08")
    made = report_forecast(row).spending
    html = _page(login(username), row)
    assert 'id="forecast"' in html and "预计全年执行数" in html and "按直线推算" in html
    assert f"{made.value:,f}" in html and f"{made.low:,f}～{made.high:,f}" in html and f"{made.naive:,f}" in html
    assert made.likelihood in html and made.value <= made.goal  # never more than the budget


def test_a_slow_project_is_forecast_above_the_straight_line_from_its_fourth_quarter_year(demo_cycle):
    from jixiao.tracking.forecasting import report_forecast

    slowest = (models.TrackingReport.objects.select_related("period")
               .filter(period__end="2024-08", total_rate__gt=0).order_by("total_rate").first())
    made = report_forecast(slowest).spending
    # the previous year spent its last third in the fourth quarter: the straight line falls short
    assert made.basis == "本项目往年" and made.value > made.naive


def test_the_last_point_of_a_year_and_a_form_without_history_show_no_forecast(demo_cycle):
    from .conftest import login

    client = login("demo-finance")
    year_end = models.TrackingReport.objects.get(project__name="宣传费", period__end="2023-12")
    assert 'id="forecast"' not in _page(client, year_end)
    first = models.TrackingReport.objects.get(project__name="宣传费", period__end="2023-04")
    assert 'id="forecast"' not in _page(client, first)  # nothing earlier, no year before


def test_opening_a_point_prefills_the_forecast_spending_from_the_history(demo_cycle):
    from jixiao.accounts.models import User
    from jixiao.domain.checker import DEFAULT_CONFIG
    from jixiao.domain.forecast import forecast_series
    from jixiao.tracking.periods import period_open

    row = models.TrackingReport.objects.select_related("period").get(project__name="宣传费", period__end="2024-10")
    history = history_of(project_id=row.project_id, end_month=12 - 1, amount_unit=row.amount_unit)
    total = row.budget_lines.get(source="total")
    expected = forecast_series(history.points, own=history.years, portfolio=history.portfolio, goal=total.initial,
                               cap=total.initial, config=DEFAULT_CONFIG)
    period_open(user=User.objects.get(username="demo-finance"), year=2024, start_month=1, end_month=11,
                deadline=None)
    opened = models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-11")
    assert opened.budget_lines.get(source="total").forecast_spent == expected.value


def test_the_forecast_block_is_chinese(demo_cycle):
    from .conftest import login
    from .test_visible_text import SEED_FILE, english_problems, visible_text

    row = models.TrackingReport.objects.get(project__name="宣传费", period__end="2024-08")
    html = _page(login("demo-finance"), row)
    start = html.index('<section class="forecast"')
    block = html[start:html.index("</section>", start)]
    assert not english_problems(visible_text(block), {"demo-finance", SEED_FILE})


@pytest.mark.parametrize("workers", [1, 2])
def test_the_bulk_import_checks_with_the_history_in_its_own_batch_as_a_recheck_would(tmp_path, seed_documents,
                                                                                      workers):
    from dataclasses import replace

    from jixiao.demo.cycle import derive
    from jixiao.domain.model import Period
    from jixiao.formats.json import write_json
    from jixiao.tracking.bulk import FilePart, reports_import_bulk
    from jixiao.tracking.doctor import check_verdicts

    _name, document = seed_documents[0]
    early = [derive(r, Period("2024-01", "2024-04"), n % 3, forecasts=False) for n, r in enumerate(document.reports)]
    path = tmp_path / "two_points.json"
    with path.open("w", encoding="utf-8") as fh:
        write_json(replace(document, period=None, reports=[*early, *document.reports]), fh)
    result = reports_import_bulk(parts=[FilePart(str(path))], user=None, workers=workers)
    assert result.created == 18
    ids = list(models.TrackingReport.objects.order_by("pk").values_list("pk", flat=True))
    assert list(check_verdicts(ids[0], ids[-1] + 1)) == []
    # the pace rule speaks only thanks to the 1–4 月 point of the same batch
    assert models.Finding.objects.filter(rule__startswith="forecast.", rule__contains="pace",
                                         report__period__end="2024-08").exists()
