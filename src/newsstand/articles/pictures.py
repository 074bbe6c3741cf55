"""Pictures: registered when an article or a publisher names one, claimed by the images
task with a lease (no picture is fetched twice at once), looked up by the reader pages.

A picture is keyed by the SHA-256 of its URL: the same picture named by many articles
is one row and one set of files.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Sum

from newsstand.articles.models import Picture, PictureKind, PictureState

CLAIM_LEASE = timedelta(minutes=5)
MAX_ATTEMPTS = 3  # transient failures (timeouts, 5xx) are retried this often


def picture_key(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8", "surrogatepass")).hexdigest()


def register_pictures(
    urls: Iterable[str], *, now: datetime, kind: PictureKind = PictureKind.LEAD
) -> int:
    """Record pictures to fetch (those already known stay as they are); returns how many
    URLs were offered. One ``INSERT … ON CONFLICT DO NOTHING``."""
    unique = {url for url in urls if url.startswith(("http://", "https://")) and len(url) <= 2048}
    rows = [
        Picture(key=picture_key(url), url=url, kind=kind, created_at=now, next_attempt_at=now)
        for url in unique
    ]
    Picture.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def pending_count(now: datetime) -> int:
    return Picture.objects.filter(state=PictureState.PENDING, next_attempt_at__lte=now).count()


def claim_pictures(now: datetime, limit: int) -> tuple[str, list[Picture]]:
    """Lease up to ``limit`` due pictures to the caller; returns the lease's token and the
    pictures. A picture leased by another worker whose lease has not run out is skipped."""
    token = secrets.token_hex(16)
    with transaction.atomic():
        due = (
            Picture.objects.filter(state=PictureState.PENDING, next_attempt_at__lte=now)
            .exclude(claimed_until__gt=now)
            .order_by("next_attempt_at", "id")
            .values_list("id", flat=True)[:limit]
        )
        ids = list(due.select_for_update(skip_locked=True)) if _locks_rows() else list(due)
        Picture.objects.filter(id__in=ids).update(
            claimed_until=now + CLAIM_LEASE, claim_token=token
        )
    return token, list(Picture.objects.filter(id__in=ids, claim_token=token))


def _locks_rows() -> bool:
    from django.db import connection

    return bool(connection.features.has_select_for_update_skip_locked)


@dataclass(frozen=True, slots=True)
class PictureOutcome:
    """What became of one claimed picture."""

    picture_id: int
    ready: bool
    width: int = 0
    height: int = 0
    widths: tuple[int, ...] = ()
    stored_bytes: int = 0
    error_code: str = ""
    error: str = ""
    retry_at: datetime | None = None  # a transient failure: try again then


def save_outcomes(outcomes: Sequence[PictureOutcome], *, token: str, now: datetime) -> None:
    """Record each outcome on its picture, if the caller still holds its lease."""
    for outcome in outcomes:
        rows = Picture.objects.filter(pk=outcome.picture_id, claim_token=token)
        if outcome.ready:
            rows.update(
                state=PictureState.READY,
                width=outcome.width,
                height=outcome.height,
                widths=",".join(str(w) for w in outcome.widths),
                stored_bytes=outcome.stored_bytes,
                error_code="",
                error="",
                fetched_at=now,
                claimed_until=None,
                claim_token="",
            )
            continue
        failed = outcome.retry_at is None
        picture = rows.only("attempts").first()
        if picture is None:
            continue
        attempts = picture.attempts + 1
        gives_up = failed or attempts >= MAX_ATTEMPTS
        rows.update(
            state=PictureState.FAILED if gives_up else PictureState.PENDING,
            attempts=attempts,
            error_code=outcome.error_code[:40],
            error=outcome.error[:500],
            next_attempt_at=outcome.retry_at or now,
            claimed_until=None,
            claim_token="",
        )


def ready_pictures(urls: Iterable[str]) -> dict[str, Picture]:
    """The fetched pictures among ``urls``, by URL (one query)."""
    keys = {picture_key(url): url for url in urls if url}
    if not keys:
        return {}
    found = Picture.objects.filter(key__in=list(keys), state=PictureState.READY).only(
        "key", "width", "height", "widths"
    )
    return {keys[p.key]: p for p in found}


def ready_picture(key: str) -> Picture | None:
    return (
        Picture.objects.filter(key=key, state=PictureState.READY)
        .only("key", "width", "height", "widths")
        .first()
    )


def stored_bytes() -> int:
    """Bytes the picture cache holds, as recorded when its files were written."""
    total = Picture.objects.filter(state=PictureState.READY).aggregate(n=Sum("stored_bytes"))
    return int(total["n"] or 0)


def oldest_ready(limit: int) -> list[Picture]:
    """The pictures fetched longest ago (evicted first when the cache is full)."""
    rows = Picture.objects.filter(state=PictureState.READY).order_by("fetched_at", "id")
    return list(rows.only("id", "key", "widths", "stored_bytes")[:limit])


def forget_files(ids: Sequence[int], *, now: datetime) -> None:
    """Mark pictures whose files were removed to make room: pages show them no more
    (an old article's page shows its section's placeholder instead)."""
    Picture.objects.filter(id__in=list(ids)).update(
        state=PictureState.FAILED,
        widths="",
        stored_bytes=0,
        error_code="evicted",
        error="removed from the picture cache to make room",
    )
