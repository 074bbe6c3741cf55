"""Saving what a refresh changed on many feeds and publishers at once (one statement, many rows)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.db import connection
from django.db.models import Field

from newsstand.sources.models import Feed, Publisher

# What a refresh changes on a feed. Saved with one executemany: a Django save() per feed
# cost more than the rest of a round of 304s.
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
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    table = quote(Feed._meta.db_table)
    sql = f"UPDATE {table} SET {assignments} WHERE id = %s AND claim_token = %s"  # noqa: S608
    rows: list[list[Any]] = [
        [f.get_db_prep_save(getattr(feed, f.attname), connection) for f in fields]
        + [feed.pk, token]
        for feed in feeds
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


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
