"""Inserting many rows of one model quickly, for the few paths that write tens of thousands.

``QuerySet.bulk_create`` is correct for every case Django supports, and pays for it per value:
it resolves expressions, calls ``pre_save`` and ``get_db_prep_save`` through several layers,
and on SQLite it assumes the 999-parameter limit of old releases, so a wide table goes in
~40 rows per statement, each compiled anew. A province's spreadsheet of 100,000 households
spent more time there than in all its checks.

``insert_rows`` covers the narrow case those paths need: new, unsaved instances whose values
are already plain (no expressions, no ``auto_now``), written as multi-row ``INSERT …
RETURNING <pk>`` statements sized to the database's real parameter limit, each value
converted by one converter chosen once per field. The primary keys come back onto the
instances, as ``bulk_create`` sets them. It runs on the caller's connection and transaction.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router

__all__ = ["insert_rows", "insert_values"]

ModelType = TypeVar("ModelType", bound=models.Model)

# What a statement may carry at most, per vendor, when the driver cannot say.
_DEFAULT_PARAMETER_LIMIT = {"sqlite": 32_766, "postgresql": 65_535}
# Rows per statement at most: larger statements stop paying off and cost memory.
_MAX_ROWS_PER_STATEMENT = 1_000
_PLAIN_FIELDS = (
    models.CharField,  # includes SlugField, EmailField, …
    models.TextField,
    models.IntegerField,  # includes the small, big and positive variants
    models.BooleanField,
    models.ForeignKey,
    models.OneToOneField,
)


def _parameter_limit(connection: Any) -> int:
    if connection.vendor == "sqlite":
        import sqlite3

        connection.ensure_connection()
        return int(connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER))
    return _DEFAULT_PARAMETER_LIMIT.get(connection.vendor, 999)


def _plain(value: Any) -> Any:
    """Text choices and other ``str``/``int`` subclasses as the plain type the drivers take."""
    if value is None or type(value) in (str, int, bool):
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str(value)
    if isinstance(value, int):
        return int(value)
    return value


def _converter(field: models.Field, connection: Any) -> Callable[[Any], Any]:
    """One function per field turning a Python value into what the driver takes."""
    if isinstance(field, _PLAIN_FIELDS):
        return _plain
    if isinstance(field, models.DateTimeField):
        adapt_datetime = connection.ops.adapt_datetimefield_value

        def datetime_value(value: Any) -> Any:
            if value is not None and not isinstance(value, datetime.datetime):
                return field.get_db_prep_save(value, connection)
            return adapt_datetime(value)

        return datetime_value
    if isinstance(field, models.DecimalField):
        adapt_decimal = connection.ops.adapt_decimalfield_value

        def decimal_value(value: Any) -> Any:
            if value is not None and not isinstance(value, decimal.Decimal):
                value = field.to_python(value)
            return adapt_decimal(value, field.max_digits, field.decimal_places)

        return decimal_value
    return lambda value: field.get_db_prep_save(value, connection)


def insert_rows(
    model: type[ModelType], objects: Sequence[ModelType], *, using: str | None = None
) -> list[ModelType]:
    """Insert new ``objects`` of ``model`` (auto primary key unset) and set their keys.

    Every concrete field but the auto primary key is written with the value the instance
    holds; defaults must already be on the instances (constructing a model instance applies
    them). Refuses instances that already have a primary key, and models with a primary key
    that is not an auto field, rather than guessing.
    """
    if not objects:
        return list(objects)
    if any(item.pk is not None for item in objects):
        raise ValueError(f"insert_rows takes new {model.__name__} rows only")
    alias = using or router.db_for_write(model)
    keys = _insert(model, [item.__dict__ for item in objects], alias, defaults=False)
    attname = model._meta.pk.attname
    for item, key in zip(objects, keys, strict=True):
        setattr(item, attname, key)
        item._state.adding = False
        item._state.db = alias
    return list(objects)


def insert_values(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], *, using: str | None = None
) -> list[Any]:
    """Insert rows given as ``{attname: value}`` without building model instances (each
    costs ~30 µs in ``Model.__init__``); a field left out takes its default. Returns the new
    primary keys in the rows' order."""
    if not rows:
        return []
    return _insert(model, rows, using or router.db_for_write(model), defaults=True)


def _insert(
    model: type[models.Model], rows: Sequence[Mapping[str, Any]], alias: str, *, defaults: bool
) -> list[Any]:
    meta = model._meta
    pk = meta.pk
    if not isinstance(pk, models.AutoField | models.BigAutoField | models.SmallAutoField):
        raise ValueError(f"{model.__name__} has no auto primary key")
    connection = connections[alias]
    fields = [field for field in meta.concrete_fields if field is not pk]
    converters = [(field.attname, field, _converter(field, connection)) for field in fields]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    row_placeholder = "(" + ", ".join(["%s"] * len(fields)) + ")"
    limit = _parameter_limit(connection)
    per_statement = max(1, min(_MAX_ROWS_PER_STATEMENT, limit // max(1, len(fields))))
    prefix = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608 - names from the model
    suffix = f" RETURNING {quote(pk.column)}"
    all_keys: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            parameters: list[Any] = []
            for values in chunk:
                if defaults:
                    parameters.extend(
                        convert(values[attname] if attname in values else field.get_default())
                        for attname, field, convert in converters
                    )
                else:
                    parameters.extend(
                        convert(values[attname]) for attname, _field, convert in converters
                    )
            sql = prefix + ", ".join([row_placeholder] * len(chunk)) + suffix
            cursor.execute(sql, parameters)
            # Neither database promises the order of RETURNING rows, but both number new rows
            # upwards in the order of the VALUES list (a sequence, or SQLite's max rowid + 1),
            # so the keys sorted are the keys of the rows in order.
            keys = sorted(row[0] for row in cursor.fetchall())
            if len(keys) != len(chunk):  # pragma: no cover - the database broke its promise
                raise RuntimeError("the database returned fewer keys than rows inserted")
            all_keys.extend(keys)
    return all_keys
