from decimal import Decimal

import pytest

from jixiao.domain.model import Period, parse_number, percent


@pytest.mark.parametrize(("end", "progress"), [("2024-08", "66.67"), ("2024-06", "50.00"), ("2024-12", "100.00"),
                                                ("2024-01", "8.33")])
def test_time_progress_is_months_elapsed_over_twelve(end, progress):
    assert Period("2024-01", end).time_progress == Decimal(progress)


def test_a_period_must_stay_in_one_year_and_run_forwards():
    with pytest.raises(ValueError, match="跨了年度"):
        Period("2023-11", "2024-02")
    with pytest.raises(ValueError, match="晚于"):
        Period("2024-08", "2024-01")
    with pytest.raises(ValueError, match="YYYY-MM"):
        Period("2024-1", "2024-08")


def test_percent_rounds_half_up_and_is_zero_for_a_zero_budget():
    assert percent(Decimal("36.04"), Decimal("40.05")) == Decimal("89.99")
    assert percent(Decimal("1"), Decimal("0")) == Decimal("0.00")


def test_parse_number_keeps_the_printed_places_and_rejects_words():
    assert str(parse_number("0.50")) == "0.50"
    assert parse_number("1,234.50") == Decimal("1234.50")
    assert parse_number("有效") is None and parse_number("") is None and parse_number(None) is None
