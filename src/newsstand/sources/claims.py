"""Leases on feeds: a worker claims feeds before fetching them, so no feed is fetched twice
at once, whether by threads of one process or by workers on many machines.

A claim is a conditional UPDATE (only rows whose lease is free or expired), so two workers
racing for the same feed cannot both win, on SQLite or PostgreSQL. On PostgreSQL the
candidate rows are picked with SKIP LOCKED so workers do not queue behind each other.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q, QuerySet

from newsstand.sources.models import Feed, FeedState


def due_feeds(now: datetime) -> QuerySet[Feed]:
    """Feeds that should be fetched now (mirrors ``core.schedule.is_due``)."""
    return (
        Feed.objects.exclude(state=FeedState.GONE)
        .filter(Q(next_fetch_at__isnull=True) | Q(next_fetch_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))
    )


def claim_feeds(
    *, now: datetime, lease: timedelta, limit: int, feed_ids: Sequence[int] | None = None
) -> tuple[str, list[Feed]]:
    """Claim up to ``limit`` feeds: the given ones (due or not), else the most overdue.

    Returns the claim token and the claimed feeds (with their publishers loaded).
    """
    token = secrets.token_hex(16)
    free = Q(claimed_until__isnull=True) | Q(claimed_until__lte=now)
    with transaction.atomic():
        if feed_ids is None:
            candidates = due_feeds(now).order_by(F("next_fetch_at").asc(nulls_first=True), "id")
        else:
            candidates = Feed.objects.filter(pk__in=list(feed_ids)).filter(free).order_by("id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        ids = list(candidates.values_list("id", flat=True)[:limit])
        if ids:
            Feed.objects.filter(pk__in=ids).filter(free).update(
                claimed_until=now + lease, claim_token=token
            )
    claimed = list(Feed.objects.filter(claim_token=token).select_related("publisher"))
    return token, claimed


def pending_count(now: datetime) -> int:
    return due_feeds(now).count()
