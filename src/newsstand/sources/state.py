"""Saving the fetch state of many feeds at once (one statement, many rows)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.db import connection
from django.db.models import Field

from newsstand.sources.models import Feed

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
