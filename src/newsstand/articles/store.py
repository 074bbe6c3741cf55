"""Storing prepared entries: each article once per publisher, linked to every feed.

Called inside the caller's transaction (the refresh use case commits the entries and the
feed's HTTP validators together). An entry matches an existing article of the same
publisher by identity, then by canonical URL, then by content hash: so the same article
in two feeds of a publisher, or re-sent with a new GUID, stays one article.

Entries arrive as ``core.ingest`` rows (plain text and numbers, built in the parsing
worker), so what runs here per entry is a dictionary look-up and the insert itself: one
multi-row ``INSERT … RETURNING`` for the new articles of a feed, one ``executemany`` for
its links. Raw SQL because Django's ``bulk_create`` spent most of a refresh preparing
values field by field (measured: 23.5 s of 83 s for 80k entries).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Q

from newsstand.articles.models import Article, ArticleFeed, FullTextState
from newsstand.articles.pictures import register_pictures
from newsstand.core.images import html_images
from newsstand.core.ingest import (
    ENTRY_ROW_FIELDS,
    ROW_HASH,
    ROW_IDENTITY,
    ROW_URL,
    ROW_WANTS_FULL_TEXT,
    EntryRow,
    utc_text,
)

_ROW_IMAGE = ENTRY_ROW_FIELDS.index("image")
_ROW_CONTENT = ENTRY_ROW_FIELDS.index("content")
# Rows per INSERT: SQLite allows 32,766 bound values; 20 columns x 500 rows stays below.
INSERT_CHUNK = 500

# Columns written for a new article: the row's own fields (all but the full-text decision),
# then what this module adds. Columns left out take their constant in _CONSTANTS.
_ROW_COLUMNS = ENTRY_ROW_FIELDS[:ROW_WANTS_FULL_TEXT]
_ARTICLE_COLUMNS = (
    "publisher_id",
    *_ROW_COLUMNS,
    "first_seen_at",
    "full_text_state",
    "full_text_next_at",
)
_CONSTANTS = {"word_count": "0", "full_text_error": "''", "full_text_attempts": "0"}
# Text the rows carry for these, cast on PostgreSQL (SQLite stores the text as it is).
_JSON_COLUMNS = frozenset({"authors", "categories"})
_TIME_COLUMNS = frozenset({"published_at", "updated_at", "first_seen_at", "full_text_next_at"})


@dataclass(frozen=True, slots=True)
class StoreReport:
    new: int
    seen: int  # matched an article we already had


def _existing(publisher_id: int, rows: Sequence[EntryRow]) -> list[tuple[int, str, str, str]]:
    identities = list({r[ROW_IDENTITY] for r in rows})
    urls = list({r[ROW_URL] for r in rows if r[ROW_URL]})
    hashes = list({r[ROW_HASH] for r in rows})
    query = Q(identity__in=identities) | Q(content_hash__in=hashes)
    if urls:
        query |= Q(url__in=urls)
    return list(
        Article.objects.filter(publisher_id=publisher_id)
        .filter(query)
        .values_list("id", "identity", "url", "content_hash")
    )


class _Index:
    """Looks up already-stored (or just-added) articles of one publisher."""

    def __init__(self, rows: list[tuple[int, str, str, str]]) -> None:
        self.by_identity: dict[object, int] = {}
        self.by_url: dict[object, int] = {}
        self.by_hash: dict[object, int] = {}
        for row in rows:
            self.add(*row)

    def add(self, article_id: int, identity: object, url: object, content_hash: object) -> None:
        self.by_identity.setdefault(identity, article_id)
        if url:
            self.by_url.setdefault(url, article_id)
        self.by_hash.setdefault(content_hash, article_id)

    def match(self, row: EntryRow) -> int | None:
        found = self.by_identity.get(row[ROW_IDENTITY])
        if found is None and row[ROW_URL]:
            found = self.by_url.get(row[ROW_URL])
        if found is None:
            found = self.by_hash.get(row[ROW_HASH])
        return found


def _placeholder(column: str) -> str:
    if connection.vendor == "postgresql":
        if column in _JSON_COLUMNS:
            return "%s::jsonb"
        if column in _TIME_COLUMNS:
            return "(%s::timestamp AT TIME ZONE 'UTC')"
    return "%s"


@functools.lru_cache(maxsize=64)
def _insert_sql(vendor: str, rows: int) -> str:
    quote = connection.ops.quote_name
    names = ", ".join(quote(c) for c in (*_ARTICLE_COLUMNS, *_CONSTANTS))
    values = [_placeholder(c) for c in _ARTICLE_COLUMNS] + list(_CONSTANTS.values())
    one = "(" + ", ".join(values) + ")"
    table = quote(Article._meta.db_table)
    # Table and column names are our constants; every value is bound.
    return f"INSERT INTO {table} ({names}) VALUES {', '.join([one] * rows)} RETURNING id"  # noqa: S608


def _params(publisher_id: int, row: EntryRow, first_seen: str) -> tuple[Any, ...]:
    wants = row[ROW_WANTS_FULL_TEXT]
    return (
        publisher_id,
        *row[:ROW_WANTS_FULL_TEXT],
        first_seen,
        FullTextState.PENDING.value if wants else "",
        first_seen if wants else None,
    )


def _insert_returning(publisher_id: int, rows: Sequence[EntryRow], first_seen: str) -> list[int]:
    """INSERT the rows as new articles and return their ids, in order (PostgreSQL)."""
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), INSERT_CHUNK):
            chunk = rows[start : start + INSERT_CHUNK]
            params: list[Any] = [v for r in chunk for v in _params(publisher_id, r, first_seen)]
            cursor.execute(_insert_sql(connection.vendor, len(chunk)), params)
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def _insert_and_link_sqlite(
    feed_id: int, publisher_id: int, rows: Sequence[EntryRow], first_seen: str
) -> None:
    """INSERT the rows as new articles and link them to the feed (SQLite).

    One ``executemany`` (measured: a third cheaper than a multi-row ``INSERT … RETURNING``
    per feed), then the links with one ``INSERT … SELECT`` of the ids above the largest
    before: this transaction holds SQLite's only write lock and the ids only grow
    (AUTOINCREMENT), so those are exactly the rows just inserted.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("storing articles needs the caller's transaction (its write lock)")
    table = connection.ops.quote_name(Article._meta.db_table)
    links = connection.ops.quote_name(ArticleFeed._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")  # noqa: S608
        before = cursor.fetchone()[0]
        cursor.executemany(
            _insert_sql(connection.vendor, 1).removesuffix(" RETURNING id"),
            [_params(publisher_id, row, first_seen) for row in rows],
        )
        cursor.execute(
            f"INSERT INTO {links} (article_id, feed_id, first_seen_at) "  # noqa: S608
            f"SELECT id, %s, %s FROM {table} WHERE id > %s",
            [feed_id, first_seen, before],
        )


def _link(feed_id: int, article_ids: Sequence[int], first_seen: str) -> None:
    """Record that ``feed_id`` carried these articles (links that exist stay as they are)."""
    if not article_ids:
        return
    quote = connection.ops.quote_name
    table = quote(ArticleFeed._meta.db_table)
    seen = _placeholder("first_seen_at")
    sql = (
        f"INSERT INTO {table} (article_id, feed_id, first_seen_at) VALUES (%s, %s, {seen}) "  # noqa: S608
        "ON CONFLICT (article_id, feed_id) DO NOTHING"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(a_id, feed_id, first_seen) for a_id in article_ids])


def _publisher_has_articles(publisher_id: int) -> bool:
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM {table} WHERE publisher_id = %s LIMIT 1", [publisher_id])  # noqa: S608
        return cursor.fetchone() is not None


def _pictures_of(rows: Sequence[EntryRow]) -> list[str]:
    """The lead pictures of new articles and the pictures in their text."""
    found = []
    for row in rows:
        found.append(str(row[_ROW_IMAGE] or ""))
        content = str(row[_ROW_CONTENT] or "")
        if "<img" in content:
            found.extend(image.url for image in html_images(content))
    return found


def store_rows(
    *, feed_id: int, publisher_id: int, rows: Sequence[EntryRow], now: datetime
) -> StoreReport:
    """Insert the rows that are new articles and link every row's article to the feed.

    Rows come from ``core.ingest`` with their section and full-text decision; new
    articles are stored with both, in the same statement, and their lead pictures are
    registered for the images task. Must run inside a transaction
    that holds the publisher's lock (see the caller).
    """
    if not rows:
        return StoreReport(new=0, seen=0)
    known = _existing(publisher_id, rows) if _publisher_has_articles(publisher_id) else []
    index = _Index(known)
    fresh: list[EntryRow] = []
    linked: set[int] = set()
    for row in rows:
        found = index.match(row)
        if found is None:
            # Not stored yet; later entries of this same batch may still match it.
            fresh.append(row)
            index.add(-len(fresh), row[ROW_IDENTITY], row[ROW_URL], row[ROW_HASH])
        elif found > 0:
            linked.add(found)
    first_seen = utc_text(now)
    assert first_seen is not None
    seen = len(linked)
    if fresh and connection.vendor == "sqlite":
        _insert_and_link_sqlite(feed_id, publisher_id, fresh, first_seen)
    elif fresh:
        linked.update(_insert_returning(publisher_id, fresh, first_seen))
    _link(feed_id, list(linked), first_seen)
    register_pictures(_pictures_of(fresh), now=now)
    return StoreReport(new=len(fresh), seen=seen)
