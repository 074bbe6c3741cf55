"""A feed's fetch state after a fetch: one pure decision, returned as data.

A refresh fetches a feed, stores its new entries, then asks ``next_fetch_state`` what the
feed's row should say now: when to fetch it next (``core.schedule``), the HTTP validators
that cover what was stored, the outcome and error, a permanent redirect followed, the
lease released. The answer is a frozen ``FeedStateUpdate`` whose fields are named as the
``Feed`` model's; ``sources.state`` writes exactly those fields, so a new field of a feed's
state is the model, its migration and this module.

``learned_publisher_fields`` decides what a feed teaches about its publisher (names, home
page, icon, language) where the subscriber gave none.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from newsstand.core.countries import country_of_language
from newsstand.core.errors import Gone, HTTPStatusError, NewsstandError
from newsstand.core.normalise import FeedMeta
from newsstand.core.retry_after import parse_retry_after
from newsstand.core.schedule import (
    FeedTiming,
    ScheduleBounds,
    after_error,
    after_gone,
    after_success,
    follow_permanent_redirect,
)

# What a feed's row keeps of longer values (the model's column sizes).
ETAG_CHARS = 500
LAST_MODIFIED_CHARS = 100
ERROR_CHARS = 2000


class FeedStatus(StrEnum):
    """Whether a feed is fetched: ``gone`` feeds (a 410) wait for an operator."""

    ACTIVE = "active"
    FAILING = "failing"
    GONE = "gone"


class FetchedFeed(Protocol):
    """What the decision reads of a fetch that succeeded (``net.fetch.FetchResult``)."""

    @property
    def status(self) -> int: ...  # 200 or 304

    @property
    def etag(self) -> str: ...

    @property
    def last_modified(self) -> str: ...

    @property
    def permanent_redirect(self) -> str: ...  # where every hop was 301/308, else ""


@dataclass(frozen=True, slots=True)
class FeedStateUpdate:
    """A feed's fetch state as a refresh writes it; each field is the ``Feed`` field of that
    name. Read back from the row, it is also the state the next decision starts from."""

    url: str
    title: str
    etag: str
    last_modified: str
    state: str
    interval_seconds: int
    next_fetch_at: datetime | None
    last_fetched_at: datetime | None
    last_new_entry_at: datetime | None
    last_status: int | None
    last_error_code: str
    last_error: str
    error_streak: int
    redirect_target: str
    redirect_streak: int
    claimed_until: datetime | None = None  # the lease: released by every decision
    claim_token: str = ""


FEED_STATE_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(FeedStateUpdate))


def next_fetch_state(
    stored: FeedStateUpdate,
    outcome: FetchedFeed | NewsstandError,
    new_entries: int | NewsstandError,
    *,
    now: datetime,
    bounds: ScheduleBounds,
    jitter: float,
    title_seen: str = "",
    redirect_taken: bool = False,
) -> FeedStateUpdate:
    """The feed's state after a fetch.

    ``stored``: its state when it was claimed. ``outcome``: the fetch, or why it failed.
    ``new_entries``: how many of its entries were new, or why storing them failed (a failed
    store counts as a failed fetch: the validators stay, so the entries come again).
    ``jitter`` in [0, 1) spreads the next fetches of feeds fetched together (the retries
    of those that failed, the polls of those that did not). ``title_seen``:
    the feed's own title, kept when the subscriber gave none. ``redirect_taken``: another
    feed already has the URL this one redirects to (then it is not moved there).
    """
    failure = outcome if isinstance(outcome, NewsstandError) else new_entries
    if isinstance(failure, NewsstandError):
        return _after_failure(stored, failure, now=now, bounds=bounds, jitter=jitter)
    assert not isinstance(outcome, NewsstandError) and isinstance(new_entries, int)
    return _after_fetch(
        stored,
        outcome,
        new_entries,
        now=now,
        bounds=bounds,
        jitter=jitter,
        title_seen=title_seen,
        redirect_taken=redirect_taken,
    )


def _timing(stored: FeedStateUpdate) -> FeedTiming:
    return FeedTiming(
        interval=stored.interval_seconds,
        error_streak=stored.error_streak,
        next_fetch_at=stored.next_fetch_at,
        gone=stored.state == FeedStatus.GONE,
    )


def _after_fetch(
    stored: FeedStateUpdate,
    fetched: FetchedFeed,
    new_entries: int,
    *,
    now: datetime,
    bounds: ScheduleBounds,
    jitter: float,
    title_seen: str,
    redirect_taken: bool,
) -> FeedStateUpdate:
    timing = after_success(
        _timing(stored), now=now, new_entries=new_entries, bounds=bounds, jitter=jitter
    )
    target, streak, move = follow_permanent_redirect(
        current_target=stored.redirect_target,
        current_streak=stored.redirect_streak,
        seen_target=fetched.permanent_redirect,
    )
    url = stored.url
    if move and not redirect_taken:
        url, target, streak = target, "", 0
    return FeedStateUpdate(
        url=url,
        title=stored.title or title_seen,
        etag=fetched.etag[:ETAG_CHARS],
        last_modified=fetched.last_modified[:LAST_MODIFIED_CHARS],
        state=FeedStatus.ACTIVE.value,
        interval_seconds=timing.interval,
        next_fetch_at=timing.next_fetch_at,
        last_fetched_at=now,
        last_new_entry_at=now if new_entries else stored.last_new_entry_at,
        last_status=fetched.status,
        last_error_code="",
        last_error="",
        error_streak=timing.error_streak,
        redirect_target=target,
        redirect_streak=streak,
    )


def _after_failure(
    stored: FeedStateUpdate,
    error: NewsstandError,
    *,
    now: datetime,
    bounds: ScheduleBounds,
    jitter: float,
) -> FeedStateUpdate:
    if isinstance(error, Gone):
        timing, state = after_gone(_timing(stored)), FeedStatus.GONE.value
    else:
        retry_after = None
        if isinstance(error, HTTPStatusError) and error.retry_after:
            retry_after = parse_retry_after(error.retry_after, now=now)
        timing = after_error(
            _timing(stored), now=now, bounds=bounds, retry_after=retry_after, jitter=jitter
        )
        state = FeedStatus.FAILING.value
    return replace(
        stored,
        state=state,
        interval_seconds=timing.interval,
        next_fetch_at=timing.next_fetch_at,
        error_streak=timing.error_streak,
        last_fetched_at=now,
        last_status=error.status if isinstance(error, HTTPStatusError) else None,
        last_error_code=error.code,
        last_error=error.message[:ERROR_CHARS],
        claimed_until=None,
        claim_token="",
    )


@dataclass(frozen=True, slots=True)
class PublisherFacts:
    """What a publisher's row says about it, as far as feeds may fill it in."""

    name: str
    host: str
    homepage: str
    favicon: str
    language: str
    country: str = ""


def learned_publisher_fields(publisher: PublisherFacts, meta: FeedMeta) -> dict[str, str]:
    """The publisher's fields a feed fills in where the subscriber gave none: its title as
    the name (while the name is still the host), its home page, icon and language, and
    the country its language names a region of."""
    changed: dict[str, str] = {}
    if meta.title and publisher.name == publisher.host:
        changed["name"] = meta.title
    for name, value in (("homepage", meta.homepage), ("favicon", meta.icon)):
        if value and not getattr(publisher, name):
            changed[name] = value
    if meta.language and not publisher.language:
        changed["language"] = meta.language
        if not publisher.country and country_of_language(meta.language):
            changed["country"] = country_of_language(meta.language)  # "en-GB": British
    return changed
