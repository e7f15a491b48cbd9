"""Writing thousands of rows in a few statements: COPY on PostgreSQL; on SQLite, which runs
in-process so that a statement costs no round trip, INSERTs of many rows and executemany.

Rows are tuples of values for the named fields, not model instances: building a model instance
per row, as bulk_create does, costs more than writing the row. Call these inside a transaction.
"""

import contextlib
from collections.abc import Iterator

from django.db import connection
from django.db.models import Model

SQLITE_VALUES = 999  # the most values one SQLite statement takes
ADAPTED_ON_SQLITE = {
    "DateField", "DateTimeField", "DecimalField", "DurationField", "JSONField", "TimeField",
    "UUIDField",
}  # fmt: skip


def insert(model: type[Model], fields: list[str], rows: list[tuple], *, ids=False) -> list[int]:
    """Insert rows of values for `fields`; every other field takes its default. With `ids`,
    returns the new rows' ids in order."""
    if not rows:
        return []
    # An unnamed column would be NULL, so the other fields' defaults are written too.
    others = [
        f for f in model._meta.concrete_fields if f.attname not in fields and not f.primary_key
    ]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
    columns = [*fields, *(f.attname for f in others)]
    table = _quote(model._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            rows = _adapted(model, fields, rows, defaults)
            return _insert_returning_ids(cursor, model, table, _columns(model, columns), list(rows))
        new_ids = _new_ids(cursor, model, len(rows)) if ids else []
        if ids:  # COPY cannot return the ids it makes, so they are taken from the sequence first
            columns, rows = ["pk", *columns], [(i, *r) for i, r in zip(new_ids, rows, strict=True)]
            fields = ["pk", *fields]
        _copy(cursor, table, _columns(model, columns), _adapted(model, fields, rows, defaults))
    return new_ids


def update(model: type[Model], fields: list[str], rows: list[tuple]) -> None:
    """Set `fields` of each row by id; rows are (id, *values)."""
    if not rows:
        return
    table, pk = _quote(model._meta.db_table), _columns(model, ["pk"])
    columns = [_columns(model, [name]) for name in fields]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            # Not bulk_update: its CASE per row made 20,000 changes take 45 s on SQLite.
            assignments = ", ".join(f"{c} = %s" for c in columns)
            cursor.executemany(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # noqa: S608
                [(*row[1:], row[0]) for row in _adapted(model, ["pk", *fields], rows, ())],
            )
            return
        names = ", ".join([pk, *columns])
        with _temporary(cursor, table, names) as temporary:
            _copy(cursor, temporary, names, _adapted(model, ["pk", *fields], rows, ()))
            assignments = ", ".join(f"{c} = s.{c}" for c in columns)
            cursor.execute(
                f"UPDATE {table} SET {assignments} FROM {temporary} s"  # noqa: S608
                f" WHERE {table}.{pk} = s.{pk}"
            )


def _new_ids(cursor, model, count: int) -> list[int]:
    cursor.execute(
        "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
        [model._meta.db_table, model._meta.pk.column, count],
    )
    return [new_id for (new_id,) in cursor.fetchall()]


def _insert_returning_ids(cursor, model, table: str, names: str, rows: list[tuple]) -> list[int]:
    """SQLite: as many rows a statement as it takes values."""
    each = f"({', '.join(['%s'] * len(rows[0]))})"
    per_statement, ids = SQLITE_VALUES // len(rows[0]), []
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        cursor.execute(
            f"INSERT INTO {table} ({names}) VALUES {', '.join([each] * len(chunk))}"  # noqa: S608
            f" RETURNING {_columns(model, ['pk'])}",
            [value for row in chunk for value in row],
        )
        ids += [new_id for (new_id,) in cursor.fetchall()]
    return ids


def _adapted(model, fields: list[str], rows: list[tuple], defaults: tuple) -> Iterator[tuple]:
    """Each row with its defaults, each value as the database takes it. Django adapts JSON, and
    on SQLite dates, times, decimals and UUIDs as well (psycopg writes those itself)."""
    kinds = ADAPTED_ON_SQLITE if connection.vendor != "postgresql" else {"JSONField"}
    meta = model._meta
    adapters = [
        (i, meta.get_field(name).get_db_prep_save)
        for i, name in enumerate(fields)
        if name != "pk" and meta.get_field(name).get_internal_type() in kinds
    ]
    for row in rows:
        if adapters:
            row = list(row)
            for i, adapt in adapters:
                row[i] = adapt(row[i], connection)
        yield (*row, *defaults)


def _copy(cursor, table: str, names: str, rows: Iterator[tuple]) -> None:
    with cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@contextlib.contextmanager
def _temporary(cursor, table: str, names: str) -> Iterator[str]:
    """An empty temporary table with some of a table's columns. After an error it is left to the
    transaction's rollback, which takes it away."""
    cursor.execute(
        f"CREATE TEMPORARY TABLE bulk_rows AS SELECT {names} FROM {table} WITH NO DATA"  # noqa: S608
    )
    yield "bulk_rows"
    cursor.execute("DROP TABLE bulk_rows")


def _columns(model, fields: list[str]) -> str:
    """The fields' quoted column names, comma-separated ("pk" names the primary key)."""
    meta = model._meta
    return ", ".join(_quote((meta.pk if f == "pk" else meta.get_field(f)).column) for f in fields)


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)
