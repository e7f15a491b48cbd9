"""Model instances read with written-out SQL, for the rows that every page reads (its user and the
user's roles). Django's RawQuerySet matched the columns to the model's fields anew on every call,
which took longer than reading the row: about 0.15 ms a page."""

from django.db import connection


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
