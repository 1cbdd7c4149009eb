"""Demo data: the seed document (published Minhang forms, Jan–Aug 2024) and one account per role."""

from importlib.resources import files

SEED_NAME = "minhang_2024_08.txt"


def seed_bytes() -> bytes:
    return files(__package__).joinpath(SEED_NAME).read_bytes()
