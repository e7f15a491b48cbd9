"""Writing thousands of rows in a few statements: COPY on PostgreSQL, Django's bulk_create and
bulk_update elsewhere (SQLite is in-process, so its statements cost no round trips).

Rows are tuples of values for the named fields, not model instances: building a model instance
per row would cost more than writing the row with COPY. Call these inside a transaction.
"""

import contextlib
from collections.abc import Iterator

from django.db import connection
from django.db.models import JSONField, Model

BATCH = 1000  # rows per statement where COPY is not available


def insert(model: type[Model], fields: list[str], rows: list[tuple], *, ids=False) -> list[int]:
    """Insert rows of values for `fields`; every other field takes its default. With `ids`,
    returns the new rows' ids in order."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        made = model.objects.bulk_create(
            [model(**dict(zip(fields, row, strict=True))) for row in rows], batch_size=BATCH
        )
        return [m.pk for m in made] if ids else []
    new_ids = _new_ids(model, len(rows)) if ids else []
    if ids:  # COPY cannot return the ids it makes, so they were taken from the sequence first
        fields, rows = ["pk", *fields], [(i, *row) for i, row in zip(new_ids, rows, strict=True)]
    # COPY leaves an unnamed column NULL, so the other fields' defaults are written too.
    named = {*fields, "pk", model._meta.pk.attname}
    others = [f for f in model._meta.concrete_fields if f.attname not in named]
    defaults = tuple(f.get_db_prep_save(f.get_default(), connection) for f in others)
    names = _columns(model, [*fields, *(f.attname for f in others)])
    with connection.cursor() as cursor:
        _copy(cursor, _quote(model._meta.db_table), names, _adapted(model, fields, rows, defaults))
    return new_ids


def _new_ids(model, count: int) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
            [model._meta.db_table, model._meta.pk.column, count],
        )
        return [new_id for (new_id,) in cursor.fetchall()]


def update(model: type[Model], fields: list[str], rows: list[tuple]) -> None:
    """Set `fields` of each row by id; rows are (id, *values)."""
    if not rows:
        return
    if connection.vendor != "postgresql":
        objects = [model(pk=row[0], **dict(zip(fields, row[1:], strict=True))) for row in rows]
        model.objects.bulk_update(objects, fields, batch_size=BATCH)
        return
    table, pk = _quote(model._meta.db_table), _columns(model, ["pk"])
    names = _columns(model, ["pk", *fields])
    assignments = ", ".join(f"{c} = s.{c}" for c in names.split(", ")[1:])
    with connection.cursor() as cursor, _temporary(cursor, table, names) as temporary:
        _copy(cursor, temporary, names, _adapted(model, ["pk", *fields], rows, ()))
        cursor.execute(
            f"UPDATE {table} SET {assignments} FROM {temporary} s"  # noqa: S608
            f" WHERE {table}.{pk} = s.{pk}"
        )


def _adapted(model, fields: list[str], rows: list[tuple], defaults: tuple) -> Iterator[tuple]:
    """Each row with its defaults. JSON needs Django's adapter; psycopg adapts the rest itself."""
    json = [(i, model._meta.get_field(name)) for i, name in enumerate(fields) if name != "pk"]
    json = [(i, f) for i, f in json if isinstance(f, JSONField)]
    for row in rows:
        if json:
            row = list(row)
            for i, f in json:
                row[i] = f.get_db_prep_save(row[i], connection)
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
