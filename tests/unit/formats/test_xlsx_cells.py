import datetime
import io
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from jixiao.formats.fonts import FontMissing, find_cjk_font
from jixiao.formats.xlsx_cells import cell_form, numeric_form, printed, put_printed


def test_a_plain_decimal_becomes_a_number_showing_the_same_places():
    assert numeric_form("99.00") == (99.0, "0.00")
    assert numeric_form("100") == (100, "0")
    assert numeric_form("0.50") == (0.5, "0.00")
    assert numeric_form("-3.125") == (-3.125, "0.000")


def test_what_a_number_cannot_print_stays_text():
    for text in ("007", "12,000.00", "-0.00", "1E+3", ".5", "5.", "1234567890123456.7", "=100.00(%)", "有效"):
        assert numeric_form(text) is None, text
    assert cell_form("=100.00(%)") == ("=100.00(%)", "@")
    assert cell_form(Decimal("6.80")) == (6.8, "0.00")
    assert cell_form("bell\x07 and nul\x00") == ("bell and nul", "General")  # XML cannot carry them


def test_cells_print_as_a_spreadsheet_shows_them():
    assert printed(6.8) == "6.8" and printed(100.0) == "100" and printed(7) == "7"
    assert printed(6.8, "0.00") == "6.80" and printed(0.125, "0.00") == "0.13"
    assert printed(0.8998, "0.00%") == "89.98"  # a rate typed as a fraction, shown in per cent
    assert printed(109491, "#,##0.00") == "109491.00"
    assert printed(datetime.datetime(2024, 10, 11)) == "2024-10-11"
    assert printed("  有效 ") == "有效" and printed("   ") is None and printed(None) is None


printed_values = st.one_of(
    st.decimals(min_value=-10**9, max_value=10**9, places=2, allow_nan=False).map(str),
    st.decimals(min_value=0, max_value=10**6, places=0).map(str),
    st.decimals(min_value=0, max_value=1000, places=4).map(str),
    st.from_regex(r"0[0-9]{1,3}|[0-9]{1,3},[0-9]{3}\.[0-9]{2}|[=≥>≤<][0-9]{1,3}\.[0-9]{2}\(%\)", fullmatch=True),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(printed_values, min_size=1, max_size=20))
def test_any_printed_value_survives_a_saved_workbook(values):
    wb = Workbook()
    for row, text in enumerate(values, start=1):
        put_printed(wb.active.cell(row, 1), text)
    out = io.BytesIO()
    wb.save(out)
    ws = load_workbook(io.BytesIO(out.getvalue()), read_only=True).active
    back = [printed(c.value, c.number_format) for (c,) in ws.iter_rows(max_col=1)]
    assert back == values


def test_a_configured_font_that_does_not_exist_is_named(monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_CJK_FONT", str(tmp_path / "nowhere.ttc"))
    with pytest.raises(FontMissing, match=r"nowhere\.ttc"):
        find_cjk_font()


def test_font_discovery_searches_the_configured_folders(monkeypatch, tmp_path):
    monkeypatch.delenv("JIXIAO_CJK_FONT", raising=False)
    monkeypatch.setenv("JIXIAO_FONT_DIRS", str(tmp_path))
    assert find_cjk_font() is None
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "uming.ttc").write_bytes(b"")
    monkeypatch.setenv("JIXIAO_FONT_DIRS", f"{tmp_path}/sub")
    assert find_cjk_font() == (tmp_path / "sub" / "uming.ttc", 0)
