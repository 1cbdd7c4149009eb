import io

from hypothesis import given, settings

from jixiao.formats.text import read_text, to_text
from tests.strategies import documents


def read_back(doc):
    return read_text(io.StringIO(to_text(doc)), "written.txt")


def test_writing_the_seed_and_reading_it_back_gives_the_same_data(seed_doc):
    assert read_back(seed_doc) == seed_doc


def test_the_written_layout_is_the_published_one(seed_doc):
    text = to_text(seed_doc)
    assert text.startswith("跟踪时段：（ 2024年1月 至 2024年8月 ）\n\n年度总体目标\n\n无\n")
    assert text.count("财政项目支出绩效跟踪表") == 9
    assert "\t\t年度资金总额\t\t\t6.89\t6.89\t0.50\t7.25\n" in text


@settings(max_examples=150, deadline=None)
@given(documents())
def test_any_document_survives_a_round_trip_through_text(doc):
    assert read_back(doc) == doc
