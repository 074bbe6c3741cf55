"""A feed's fetch state read and written, and what a refresh changed on many feeds and
publishers saved at once (one statement, many rows).

The fields of a feed's fetch state are those of ``core.feed_state.FeedStateUpdate``: the
decision names them, this module reads and writes exactly those.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.models import Field

from newsstand.core.feed_state import FEED_STATE_FIELDS, FeedStateUpdate
from newsstand.sources.models import Feed, Publisher


def stored_state(feed: Feed) -> FeedStateUpdate:
    """The fetch state ``feed`` was read with (the one its next decision starts from)."""
    return FeedStateUpdate(**{name: getattr(feed, name) for name in FEED_STATE_FIELDS})


def feeds_at(urls: Iterable[str]) -> dict[str, int]:
    """The ids of the feeds at these URLs, by URL (no query for no URL)."""
    wanted = list(urls)
    if not wanted:
        return {}
    return dict(Feed.objects.filter(url__in=wanted).values_list("url", "id"))


def save_fetch_states(
    feed_ids: Sequence[int], states: Sequence[FeedStateUpdate], *, token: str
) -> None:
    """Write the fetch states of feeds this worker claimed with ``token``, a group of feeds
    in one statement (a Django ``save()`` each cost more than the rest of a round of 304s).

    A feed whose lease ran out and that another worker claimed since is left to that
    worker: its row no longer carries ``token``.
    """
    if not states:
        return
    fields: list[Field[Any, Any]] = [Feed._meta.get_field(n) for n in FEED_STATE_FIELDS]  # type: ignore[misc]
    # The connection itself, not the ``connection`` proxy: each look-up through the proxy
    # goes through a thread-local, and 17 fields x 2,000 feeds of them took 68 ms against
    # 41 ms (a round of 304s).
    db = connections[DEFAULT_DB_ALIAS]
    rows: list[list[Any]] = [
        [f.get_db_prep_save(getattr(state, f.name), db) for f in fields] + [feed_id, token]
        for feed_id, state in zip(feed_ids, states, strict=True)
    ]
    columns = [str(f.column) for f in fields]
    update_rows(Feed._meta.db_table, columns, ("id", "claim_token"), rows)


def save_publisher_fields(changes: Mapping[int, Mapping[str, str]]) -> None:
    """Write what feeds taught about their publishers: {publisher id: {field: value}}.

    One update per set of changed fields (a refresh's first round names most publishers;
    a Django ``save()`` each cost more than storing their articles' links).
    """
    by_fields: dict[tuple[str, ...], list[list[Any]]] = {}
    for publisher_id, fields in changes.items():
        if fields:
            names = tuple(sorted(fields))
            by_fields.setdefault(names, []).append([fields[n] for n in names] + [publisher_id])
    for names, rows in by_fields.items():
        columns = [_column(Publisher, n) for n in names]
        update_rows(Publisher._meta.db_table, columns, ("id",), rows)


def update_rows(
    table: str, columns: Sequence[str], keys: Sequence[str], rows: Sequence[Sequence[Any]]
) -> None:
    """Set ``columns`` of the rows of ``table`` that match ``keys``: each row of values holds
    the columns' new values, then the keys' values.

    On SQLite 3.33+ one ``UPDATE … FROM (VALUES …)`` a few hundred rows, not an
    ``executemany``: Python's sqlite3 lets go of the GIL around every row's step, and while
    another thread of the process holds it (a refresh's fetching thread) the writer waits
    up to the 5 ms switch interval to get it back, every row. Saving 2,000 feeds' states in
    a round of 304s took 0.33-0.51 s that way, 0.09 s alone, 0.11 s in one statement a
    group. PostgreSQL keeps ``executemany`` (psycopg sends it as one pipeline).
    """
    if not rows:
        return
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite" and sqlite3.sqlite_version_info >= (3, 33):
            per_statement = _MAX_SQLITE_VALUES // (len(columns) + len(keys))
            for start in range(0, len(rows), per_statement):
                chunk = rows[start : start + per_statement]
                params = [value for row in chunk for value in row]
                cursor.execute(_update_from_values_sql(table, columns, keys, len(chunk)), params)
        else:
            cursor.executemany(_update_sql(table, columns, keys), rows)


# SQLite binds at most 32,766 values a statement (since 3.32); a margin below it.
_MAX_SQLITE_VALUES = 30_000


def _update_sql(table: str, columns: Sequence[str], keys: Sequence[str]) -> str:
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
    where = " AND ".join(f"{quote(k)} = %s" for k in keys)
    return f"UPDATE {quote(table)} SET {assignments} WHERE {where}"  # noqa: S608


def _update_from_values_sql(
    table: str, columns: Sequence[str], keys: Sequence[str], rows: int
) -> str:
    """SQLite names the columns of ``VALUES`` column1, column2… in order."""
    quote = connection.ops.quote_name
    target = quote(table)
    assignments = ", ".join(f"{quote(c)} = v.column{n}" for n, c in enumerate(columns, 1))
    where = " AND ".join(
        f"{target}.{quote(k)} = v.column{n}" for n, k in enumerate(keys, len(columns) + 1)
    )
    one = "(" + ", ".join(["%s"] * (len(columns) + len(keys))) + ")"
    values = ", ".join([one] * rows)
    return f"UPDATE {target} SET {assignments} FROM (VALUES {values}) AS v WHERE {where}"  # noqa: S608


def _column(model: type[Publisher], name: str) -> str:
    field: Field[Any, Any] = model._meta.get_field(name)  # type: ignore[assignment]
    return str(field.column)
