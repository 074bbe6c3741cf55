"""Leases on articles waiting for full text: no article page is fetched twice at once.

An article waits with ``full_text_state="pending"`` until ``full_text_next_at``. A worker
claims it by moving ``full_text_next_at`` past the lease (a conditional UPDATE: only rows
still due win, so two workers racing for an article cannot both get it, on SQLite or
PostgreSQL). The new ``full_text_next_at`` doubles as the claim token: it carries random
microseconds, so the claimer finds exactly its own rows again. When the worker settles an
article it rewrites these fields; when the worker dies, the lease runs out and the article
is due again.

Politeness starts here: a claim takes at most ``per_host`` articles of one host.
"""

from __future__ import annotations

import secrets
from collections import Counter
from datetime import datetime, timedelta
from urllib.parse import urlsplit

from django.db import connection, transaction
from django.db.models import F, QuerySet

from newsstand.articles.models import Article, FullTextState

_CANDIDATES_PER_CLAIM = 8  # candidates read per article wanted, to fill per-host caps


def due_articles(now: datetime) -> QuerySet[Article]:
    """Articles whose full text should be fetched now (pending, due, not leased)."""
    return Article.objects.filter(
        full_text_state=FullTextState.PENDING, full_text_next_at__lte=now
    ).exclude(url="")


def pending_count(now: datetime) -> int:
    return due_articles(now).count()


def host_of(url: str) -> str:
    """The host (and port) politeness counts by."""
    return urlsplit(url).netloc.lower()


def _pick(rows: list[tuple[int, str]], *, limit: int, per_host: int) -> list[int]:
    taken: Counter[str] = Counter()
    picked: list[int] = []
    for article_id, url in rows:
        host = host_of(url)
        if taken[host] < per_host:
            taken[host] += 1
            picked.append(article_id)
            if len(picked) == limit:
                break
    return picked


def claim_articles(
    *, now: datetime, lease: timedelta, limit: int, per_host: int
) -> tuple[datetime, list[Article]]:
    """Claim up to ``limit`` due articles, the most overdue first, ``per_host`` per host.

    Returns the lease's end (the claim token) and the claimed articles, with their
    publishers loaded.
    """
    lease_until = now + lease + timedelta(microseconds=1 + secrets.randbelow(999_998))
    with transaction.atomic():
        candidates = due_articles(now).order_by(F("full_text_next_at").asc(), "id")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        rows = list(candidates.values_list("id", "url")[: limit * _CANDIDATES_PER_CLAIM])
        ids = _pick(rows, limit=limit, per_host=per_host)
        if ids:
            due_articles(now).filter(pk__in=ids).update(full_text_next_at=lease_until)
    claimed = Article.objects.filter(
        pk__in=ids, full_text_state=FullTextState.PENDING, full_text_next_at=lease_until
    )
    return lease_until, list(claimed.select_related("publisher").order_by("id"))
