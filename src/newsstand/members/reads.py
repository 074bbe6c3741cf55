"""Full reads by members: their reading history, and the anonymous count per publisher per day.

A read counts once per member, article and day. What remembers that it was counted is a
keyed digest of (member, article, day) in ``CountedRead`` — not the history, which the
member may clear — and the digests of past days are deleted as days pass, so the count
keeps no personal data and cannot be raised by clearing the history and reading again.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils.crypto import salted_hmac

from newsstand.members.models import CountedRead, PublisherReads, Reading


def _digest(user_id: int, article_id: int, day: date) -> str:
    message = f"{day.isoformat()}:{user_id}:{article_id}"
    return salted_hmac("newsstand.members.read", message).hexdigest()[:32]


def record_full_read(user_id: int, article_id: int, publisher_id: int, now: datetime) -> bool:
    """Note that the member read the article in full at ``now`` (history), and count it for
    the publisher unless it was counted today already. Returns whether it was counted."""
    day = now.date()
    counted_table = CountedRead._meta.db_table
    reads_table = PublisherReads._meta.db_table
    with transaction.atomic():
        Reading.objects.bulk_create(
            [Reading(user_id=user_id, article_id=article_id, read_at=now)],
            update_conflicts=True,
            unique_fields=["user", "article"],
            update_fields=["read_at"],
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {counted_table} (digest, day) VALUES (%s, %s) "  # noqa: S608
                "ON CONFLICT (digest) DO NOTHING",
                [_digest(user_id, article_id, day), day],
            )
            if cursor.rowcount != 1:
                return False
            cursor.execute(
                f"INSERT INTO {reads_table} (publisher_id, day, reads) VALUES (%s, %s, 1) "  # noqa: S608
                f"ON CONFLICT (publisher_id, day) DO UPDATE SET reads = {reads_table}.reads + 1",
                [publisher_id, day],
            )
            cursor.execute(
                f"DELETE FROM {counted_table} WHERE day < %s",  # noqa: S608
                [day - timedelta(days=1)],
            )
    return True


def read_article_ids(user_id: int, article_ids: list[int]) -> set[int]:
    """Which of ``article_ids`` the member has read (for the marks on a page)."""
    if not article_ids:
        return set()
    found = Reading.objects.filter(user_id=user_id, article_id__in=article_ids)
    return set(found.values_list("article_id", flat=True))


def last_read_at(user_id: int, article_id: int) -> datetime | None:
    row = Reading.objects.filter(user_id=user_id, article_id=article_id).first()
    return row.read_at if row else None


def clear_history(user_id: int) -> int:
    """Forget every article the member read; returns how many were forgotten."""
    deleted, _ = Reading.objects.filter(user_id=user_id).delete()
    return deleted
