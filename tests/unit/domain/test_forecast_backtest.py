"""The backtest of bench/forecast_backtest.py on a small sample: the forecast beats the naive straight line
(accuracy, not speed — the figures of docs/PERFORMANCE.md come from the full run)."""

import importlib.util
from pathlib import Path

BENCH = Path(__file__).parents[3] / "bench" / "forecast_backtest.py"


def test_the_forecast_beats_the_naive_straight_line_on_synthetic_projects():
    spec = importlib.util.spec_from_file_location("forecast_backtest", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result = module.run(100)
    assert result["forecast"] < result["naive"]
    assert result["patterns"]["fourth_quarter"][0] < result["patterns"]["fourth_quarter"][1]
