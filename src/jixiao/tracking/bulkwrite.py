"""Writing many rows at once: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

The row values come from mapping.py as dicts keyed by field name, exactly as the model
instances would get them; this module only puts them in column order, fills each field's
default, and adapts the few values Django would adapt (times) once per batch. It skips model
instances because at a hundred thousand forms their construction alone outweighs the insert.
Must run inside a transaction: callers are all-or-nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from operator import itemgetter
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone


class Table:
    """The insertable columns of one model and how to turn a field dict into a row."""

    def __init__(self, model: type[models.Model], *, with_id: bool = False):
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.model = model
        self.table = model._meta.db_table
        self.names = [f.attname for f in fields]
        self.defaults = [None if f.primary_key else f.get_default() for f in fields]
        self.times = {
            f.attname for f in fields if isinstance(f, models.DateTimeField) and (f.auto_now or f.auto_now_add)
        }
        self._fields = {f.attname: f for f in fields}

    def prepare(self, value: Any, name: str) -> Any:
        """A value as Django would send it to the database (for values that are the same in a whole batch)."""
        return self._fields[name].get_db_prep_save(value, connection)

    def _layout(self, first: Mapping[str, Any], constants: Mapping[str, Any], parent: str | None = None):
        """For dicts shaped like ``first``: the fields they give, picked in column order, the fields
        they lack (after ``parent``, when given) and those fields' values — the batch's constants,
        else the time now or the default — and the columns of a row in that order."""
        given = [name for name in self.names
                 if name in first and name not in constants and name not in self.times and name != parent]
        rest = [name for name in self.names if name not in given and name != parent]
        fixed = dict(zip(self.names, self.defaults, strict=True))
        if self.times:
            now = self.prepare(timezone.now(), next(iter(self.times)))
            fixed.update({name: now for name in self.times})
        fixed.update({name: self.prepare(value, name) for name, value in constants.items()})
        columns = [self._fields[name].column for name in [*given, *([parent] if parent else []), *rest]]
        return itemgetter(*given), len(given) == 1, tuple(fixed[name] for name in rest), columns

    def rows(self, dicts: list[Mapping[str, Any]], constants: Mapping[str, Any] | None = None) -> Rows:
        """The dicts (all with the same keys) as tuples; fields they lack get the batch's constants or defaults."""
        if not dicts:
            return Rows([], [])
        pick, single, tail, columns = self._layout(dicts[0], constants or {})
        if single:
            return Rows(columns, [(pick(row), *tail) for row in dicts])
        return Rows(columns, [pick(row) + tail for row in dicts])

    def child_rows(self, parent: str, groups: list[tuple[int, list[Mapping[str, Any]]]]) -> Rows:
        """Rows of children from (parent id, the children's dicts) groups, the dicts all with the same keys:
        as ``rows`` with ``parent`` set, without merging the id into a new dict for every row."""
        first = next((dicts[0] for _, dicts in groups if dicts), None)
        if first is None:
            return Rows([], [])
        pick, single, tail, columns = self._layout(first, {}, parent)
        if single:
            return Rows(columns, [(pick(row), pk, *tail) for pk, dicts in groups for row in dicts])
        return Rows(columns, [(*pick(row), pk, *tail) for pk, dicts in groups for row in dicts])

    def insert(self, rows: Rows) -> None:
        if not rows.values:
            return
        columns = ", ".join(connection.ops.quote_name(column) for column in rows.columns)
        table = connection.ops.quote_name(self.table)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows.values:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(rows.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows.values)


@dataclass
class Rows:
    columns: list[str]
    values: list[tuple]


class Ids:
    """Primary keys handed out before the rows are written, so children can point at their parent
    without reading anything back. On PostgreSQL they come from the table's sequence; on SQLite from
    the largest id, which is safe because the import's transaction holds the database's write lock."""

    def __init__(self, model: type[models.Model]):
        self.table = model._meta.db_table
        self._next: int | None = None

    def take(self, count: int) -> list[int]:
        if count == 0:
            return []
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [self.table, count]
                )
                return [row[0] for row in cursor.fetchall()]
            if self._next is None:
                cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(self.table)}")
                self._next = cursor.fetchone()[0] + 1
        first, self._next = self._next, self._next + count
        return list(range(first, first + count))


def delete_where_in(model: type[models.Model], column: str, values: list[int]) -> None:
    """DELETE the rows whose ``column`` is one of ``values``, in chunks the database accepts."""
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(values), 900):
            chunk = values[start:start + 900]
            marks = ", ".join(["%s"] * len(chunk))
            cursor.execute(f"DELETE FROM {table} WHERE {connection.ops.quote_name(column)} IN ({marks})", chunk)


def update_many(model: type[models.Model], names: list[str], rows: list[tuple]) -> None:
    """UPDATE ``names`` of many rows at once; each row is (value, …, id)."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    sets = ", ".join(f"{connection.ops.quote_name(model._meta.get_field(name).column)} = %s" for name in names)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


ANALYZE_AFTER = 1000  # forms written at once, from which the planner's statistics are refreshed


def analyze_after_bulk(forms: int, *tables: type[models.Model]) -> None:
    """After a bulk write of ``forms`` forms (≥ ANALYZE_AFTER) on PostgreSQL, ANALYZE the tables it wrote, once
    its transaction has committed (at once outside one).

    Until autovacuum's next analyze a freshly loaded table keeps the statistics it had before, ``reltuples``
    0 after a fresh database: the planner then reckons each table empty and picks nested loops and subplans
    run once per row (benchmarking/comparing.py; docs/PERFORMANCE.md) — the first pages after an import were
    the slowest. SQLite plans from its indexes without statistics (and ``ANALYZE`` there would fix plans
    the tests do not see): nothing to do."""
    if connection.vendor != "postgresql" or forms < ANALYZE_AFTER or not tables:
        return
    names = ", ".join(connection.ops.quote_name(model._meta.db_table) for model in tables)

    def analyze() -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {names}")

    transaction.on_commit(analyze)
