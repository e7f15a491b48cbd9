"""Queries written out by hand, for the reads that the pages opened most make every time: the
ORM took longer to build them (about 1 ms a query) than the database took to answer. Each such
query runs on PostgreSQL and on the tests' SQLite; these helpers are what the ORM would have
done for it."""

from django.db import connection
from django.db.models import DateTimeField, Value

_DATETIME = Value(None, output_field=DateTimeField())


def placeholders(values) -> str:
    """`%s, %s, %s` for an IN (...) of these values."""
    return ", ".join(["%s"] * len(values))


def timestamp(value):
    """A datetime as a parameter, as the database keeps it (SQLite: naive UTC text)."""
    return connection.ops.adapt_datetimefield_value(value)


def with_datetimes(rows, *columns: int) -> list[list]:
    """The rows with these columns read as aware datetimes (SQLite hands timestamps back as
    text or naive; PostgreSQL's are aware already)."""
    converters = connection.ops.get_db_converters(_DATETIME)
    if not converters:
        return [list(row) for row in rows]
    converted = []
    for row in rows:
        row = list(row)
        for column in columns:
            for convert in converters:
                row[column] = convert(row[column], _DATETIME, connection)
        converted.append(row)
    return converted
