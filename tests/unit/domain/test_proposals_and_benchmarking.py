"""The proposal rule (domain/proposals.py) and the benchmarking statistics (domain/benchmarking.py)."""

from decimal import Decimal as D

from jixiao.domain.benchmarking import is_costly, is_lenient, peer_quartiles, quartiles, unit_cost
from jixiao.domain.forecast import Forecast
from jixiao.domain.proposals import REALLOCATE, RECOVER, REDUCE, propose


def _forecast(value, high):
    return Forecast(D(value), D(value), D(high), D(value), D(100), None, "本年进度")


def test_the_action_follows_the_documented_rule():
    assert propose(D(100), _forecast("50", "65"), "万元").action == RECOVER  # 35 % unspent even at the high end
    assert propose(D(100), _forecast("50", "80"), "万元").action == REDUCE  # 50 % expected, 20 % firm
    assert propose(D(100), _forecast("90", "99"), "万元").action == REALLOCATE  # 10 % expected
    made = propose(D(100), _forecast("90", "99"), "万元")
    assert (made.expected_balance, made.firm_balance, made.balance_share) == (D(10), D(1), D("10.00"))


def test_no_proposal_below_the_thresholds_or_without_a_forecast():
    assert propose(D(100), _forecast("96", "100"), "万元") is None  # 4 % < 5 %
    assert propose(D(100), None, "万元") is None
    assert propose(None, _forecast("10", "20"), "万元") is None
    assert propose(D(1000), _forecast("900", "950"), "元") is None  # 100 元 = 0.01 万元 < 0.5 万元


def test_inclusive_quartiles_as_a_spreadsheet_computes_them():
    q = quartiles([D(x) for x in (90, 95, 85, 60, 92, 88, 90)])
    # sorted 60 85 88 90 90 92 95: Q1 at position 1.5 → 86.5, median 90, Q3 at 4.5 → 91
    assert (q.count, q.low, q.q1, q.median, q.q3, q.high) == (7, D(60), D("86.5"), D(90), D(91), D(95))
    assert quartiles([]) is None


def test_peers_leave_the_value_itself_out():
    values = [D(x) for x in (90, 95, 85, 60, 92, 88, 90)]
    peers = peer_quartiles(values)
    for index, value in enumerate(values):
        assert peers[index] == quartiles(values[:index] + values[index + 1:]), value


def test_a_lenient_target_lies_beyond_the_fence_and_the_gap():
    values = [D(x) for x in (90, 95, 85, 60, 92, 88, 90)]
    peers = peer_quartiles(values)
    flagged = [v for v, p in zip(values, peers, strict=True) if is_lenient(v, "≥", p)]
    assert flagged == [D(60)]  # others' Q1 88.5, IQR 3: fence 84
    assert not is_lenient(D(60), "=", peers[3])
    # All peers at 90: 89 is below the fence but not 5 % below the median.
    same = quartiles([D(90)] * 6)
    assert not is_lenient(D(89), "≥", same) and is_lenient(D(80), "≥", same)
    assert is_lenient(D(30), "≤", quartiles([D(x) for x in (5, 6, 7, 8, 9)]))
    assert not is_lenient(D(60), "≥", quartiles([D(90)] * 4))  # fewer than five peers


def test_a_unit_cost_several_times_the_median():
    peers = quartiles([D(x) for x in (10, 11, 12, 9, 10)])
    assert is_costly(D(30), peers) and not is_costly(D("29.9"), peers)
    assert unit_cost(D(100), D(8)) == D("12.5") and unit_cost(D(100), D(0)) is None
