"""When to fetch a feed next: pure decisions of feed state and time.

The poll interval adapts to how often a feed publishes: a fetch that brings new entries
shortens it, one that brings none lengthens it, always within the operator's bounds.
Errors back off exponentially (with jitter) from the current interval; a server's
Retry-After is honoured, capped. A gone feed is never due.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

SHRINK = 0.5  # interval factor after a fetch with new entries
GROW = 1.5  # interval factor after a fetch without new entries
SUCCESS_JITTER = 0.5  # a successful fetch's next one comes up to this share early


@dataclass(frozen=True, slots=True)
class ScheduleBounds:
    min_interval: int = 600
    max_interval: int = 86_400
    max_backoff: int = 86_400
    max_retry_after: int = 7 * 86_400


@dataclass(frozen=True, slots=True)
class FeedTiming:
    """The scheduling state of one feed."""

    interval: int
    error_streak: int = 0
    next_fetch_at: datetime | None = None
    gone: bool = False


def is_due(timing: FeedTiming, *, now: datetime, claimed_until: datetime | None = None) -> bool:
    """True when the feed should be fetched now and no worker holds it."""
    if timing.gone:
        return False
    if claimed_until is not None and claimed_until > now:
        return False
    return timing.next_fetch_at is None or timing.next_fetch_at <= now


def clamp_interval(seconds: float, bounds: ScheduleBounds) -> int:
    return int(min(max(seconds, bounds.min_interval), bounds.max_interval))


def after_success(
    timing: FeedTiming,
    *,
    now: datetime,
    new_entries: int,
    bounds: ScheduleBounds,
    jitter: float = 0.0,
) -> FeedTiming:
    """The next timing after a successful fetch (200 or 304).

    ``jitter`` in [0, 1) brings the next fetch forward by up to ``SUCCESS_JITTER`` of the
    interval (never later than the interval): feeds first fetched together drift apart,
    so polls, and the news they bring, come steadily instead of in waves (pass a random
    number; tests pass a fixed one)."""
    factor = SHRINK if new_entries else GROW
    interval = clamp_interval(timing.interval * factor, bounds)
    delay = interval * (1.0 - SUCCESS_JITTER * jitter)
    return FeedTiming(
        interval=interval, error_streak=0, next_fetch_at=now + timedelta(seconds=delay)
    )


def after_error(
    timing: FeedTiming,
    *,
    now: datetime,
    bounds: ScheduleBounds,
    retry_after: float | None = None,
    jitter: float = 0.0,
) -> FeedTiming:
    """The next timing after a failed fetch.

    ``jitter`` in [0, 1) spreads retries of many feeds that failed together (pass a random
    number; tests pass a fixed one). ``retry_after`` (seconds, from the server) wins over the
    backoff when it is longer, capped at ``bounds.max_retry_after``.
    """
    streak = timing.error_streak + 1
    backoff = min(timing.interval * (2 ** min(streak - 1, 16)), bounds.max_backoff)
    delay = backoff * (1.0 + 0.25 * jitter)
    if retry_after is not None and retry_after > delay:
        delay = min(retry_after, bounds.max_retry_after)
    return replace(timing, error_streak=streak, next_fetch_at=now + timedelta(seconds=delay))


def after_gone(timing: FeedTiming) -> FeedTiming:
    """A 410: the feed is never fetched again until an operator revives it."""
    return replace(timing, gone=True, next_fetch_at=None)


def follow_permanent_redirect(
    *, current_target: str, current_streak: int, seen_target: str, needed: int = 3
) -> tuple[str, int, bool]:
    """Track a permanent redirect; move the feed only once it is consistent.

    Returns ``(target, streak, move_now)``. A permanent redirect must point to the same
    target on ``needed`` consecutive fetches before the stored URL changes; any fetch
    without one resets the count.
    """
    if not seen_target:
        return "", 0, False
    streak = current_streak + 1 if seen_target == current_target else 1
    return seen_target, streak, streak >= needed
