import pytest

from jixiao.formats.text import read_text


@pytest.fixture()
def seed_documents(seed_path):
    with seed_path.open("rb") as fh:
        return [(seed_path.name, read_text(fh, seed_path.name))]
