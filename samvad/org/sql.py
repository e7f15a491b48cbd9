"""Queries written out by hand, for the reads that the pages opened most make every time: the
ORM took longer to build them (about 1 ms a query) than the database took to answer. Each such
query runs on PostgreSQL and on the tests' SQLite; these helpers are what the ORM would have
done for it. `Rows` reads model instances (the user and the user's roles, on every page):
Django's RawQuerySet matched the columns to the model's fields anew on every call, which took
longer than reading the row (about 0.15 ms a page)."""

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
    found = connection.ops.get_db_converters(_DATETIME)
    converters = [(column, found, _DATETIME) for column in columns] if found else []
    return [_converted(row, converters) for row in rows]


class Rows:
    """`Rows(Model, "user_id = %s")(42)`: the model's instances matching the condition. The SQL
    names the model's columns in its own field order, so each row is the instance as it stands."""

    def __init__(self, model, where: str):
        self.model = model
        self.fields = model._meta.concrete_fields
        quote = connection.ops.quote_name
        columns = ", ".join(quote(field.column) for field in self.fields)
        table = quote(model._meta.db_table)
        self.sql = f"SELECT {columns} FROM {table} WHERE {where}"  # noqa: S608  (our names)
        self._converters = None

    def __call__(self, *params) -> list:
        with connection.cursor() as cursor:
            cursor.execute(self.sql, params)
            rows = cursor.fetchall()
        if converters := self.converters():  # SQLite's booleans and times, for one
            rows = [_converted(row, converters) for row in rows]
        return [self.model.from_db(connection.alias, None, row) for row in rows]

    def converters(self) -> list:
        """What the database backend and the fields turn a column's value into (as the ORM does),
        found once: none for our models on PostgreSQL."""
        if self._converters is None:
            self._converters = []
            for position, field in enumerate(self.fields):
                column = field.get_col(self.model._meta.db_table)
                found = connection.ops.get_db_converters(column) + column.get_db_converters(
                    connection
                )
                if found:
                    self._converters.append((position, found, column))
        return self._converters


def _converted(row, converters) -> list:
    row = list(row)
    for position, found, column in converters:
        for converter in found:
            row[position] = converter(row[position], column, connection)
    return row
