"""Saving what a refresh changed on many feeds and publishers at once (one statement, many rows)."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field

from newsstand.sources.models import Feed, Publisher

# What a refresh changes on a feed. Saved a group of feeds at a time (see
# save_fetch_states): a Django save() per feed cost more than the rest of a round of 304s.
FETCH_STATE_FIELDS = (
    "url", "title", "etag", "last_modified", "state", "interval_seconds", "next_fetch_at",
    "last_fetched_at", "last_new_entry_at", "last_status", "last_error_code", "last_error",
    "error_streak", "redirect_target", "redirect_streak", "claimed_until", "claim_token",
)  # fmt: skip


def save_fetch_states(feeds: Sequence[Feed], *, token: str) -> None:
    """Write the fetch state of feeds this worker claimed with ``token``.

    A feed whose lease ran out and that another worker claimed since is left to that
    worker: its row no longer carries ``token``.
    """
    if not feeds:
        return
    fields: list[Field[Any, Any]] = [Feed._meta.get_field(n) for n in FETCH_STATE_FIELDS]  # type: ignore[misc]
    # The connection itself, not the ``connection`` proxy: each look-up through the proxy
    # goes through a thread-local, and 17 fields x 2,000 feeds of them took 68 ms against
    # 41 ms (a round of 304s).
    db = connections[DEFAULT_DB_ALIAS]
    rows: list[list[Any]] = [
        [f.get_db_prep_save(getattr(feed, f.attname), db) for f in fields] + [feed.pk, token]
        for feed in feeds
    ]
    columns = [str(f.column) for f in fields]
    with connection.cursor() as cursor:
        if _one_statement_updates():
            for start in range(0, len(rows), _ROWS_PER_STATEMENT):
                chunk = rows[start : start + _ROWS_PER_STATEMENT]
                params = [value for row in chunk for value in row]
                cursor.execute(_update_from_values_sql(columns, len(chunk)), params)
        else:
            cursor.executemany(_update_sql(columns), rows)


# SQLite binds at most 32,766 values a statement: 19 a feed, so 500 feeds stay well below.
_ROWS_PER_STATEMENT = 500


def _one_statement_updates() -> bool:
    """Whether to update many rows with one ``UPDATE … FROM (VALUES …)`` (SQLite 3.33+).

    One statement instead of an ``executemany``: Python's sqlite3 lets go of the GIL
    around every row's step, and each time the refresh's fetching thread took it, the
    writer waited up to the 5 ms switch interval to get it back. Saving 2,000 feeds'
    states in a round of 304s took 0.33-0.51 s that way, 0.09 s alone. PostgreSQL keeps
    ``executemany`` (psycopg sends it as one pipeline).
    """
    return connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33)


def _update_sql(columns: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    table = quote(Feed._meta.db_table)
    return f"UPDATE {table} SET {assignments} WHERE id = %s AND claim_token = %s"  # noqa: S608


def _update_from_values_sql(columns: Sequence[str], rows: int) -> str:
    """``UPDATE … FROM (VALUES …)``: SQLite names the values' columns column1, column2…;
    the last two are the feed's id and the claim token."""
    quote = connection.ops.quote_name
    table = quote(Feed._meta.db_table)
    assignments = ", ".join(f"{quote(c)} = v.column{n}" for n, c in enumerate(columns, 1))
    one = "(" + ", ".join(["%s"] * (len(columns) + 2)) + ")"
    values = ", ".join([one] * rows)
    pk, token = len(columns) + 1, len(columns) + 2
    return (
        f"UPDATE {table} SET {assignments} FROM (VALUES {values}) AS v "  # noqa: S608
        f"WHERE {table}.id = v.column{pk} AND {table}.claim_token = v.column{token}"
    )


def save_publisher_fields(changes: Mapping[int, Mapping[str, str]]) -> None:
    """Write what feeds taught about their publishers: {publisher id: {field: value}}.

    One ``executemany`` per set of changed fields (a refresh's first round names most
    publishers; a Django ``save()`` each cost more than storing their articles' links).
    """
    by_fields: dict[tuple[str, ...], list[list[Any]]] = {}
    for publisher_id, fields in changes.items():
        if fields:
            names = tuple(sorted(fields))
            by_fields.setdefault(names, []).append([fields[n] for n in names] + [publisher_id])
    quote = connection.ops.quote_name
    table = quote(Publisher._meta.db_table)
    with connection.cursor() as cursor:
        for names, rows in by_fields.items():
            columns = [_column(Publisher, n) for n in names]
            assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)  # noqa: S608


def _column(model: type[Publisher], name: str) -> str:
    field: Field[Any, Any] = model._meta.get_field(name)  # type: ignore[assignment]
    return str(field.column)
