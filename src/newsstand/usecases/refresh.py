"""refresh_feeds: fetch feeds, store their new articles, schedule their next fetch.

The one use case behind the worker, the scheduler, the CLI (`newsstand refresh`) and the
admin's "refresh now". Each feed is committed in its own transaction, entries together
with the HTTP validators that cover them: a crash loses nothing that was committed, and a
feed whose transaction did not commit is fetched again with its old validators (its
articles are then matched, not duplicated). One feed's failure never touches another.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.utils import timezone

from newsstand.articles.store import store_rows
from newsstand.compute.pool import prepare_all
from newsstand.core import schedule
from newsstand.core.errors import FetchError, Gone, HTTPStatusError, InternalError, NewsstandError
from newsstand.core.ingest import PreparedFeed, PrepareJob
from newsstand.core.retry_after import parse_retry_after
from newsstand.net.fetch import FetchPolicy, FetchRequest, FetchResult, FetchSession
from newsstand.sources.claims import claim_feeds
from newsstand.sources.models import Feed, FeedState, Publisher, Section
from newsstand.sources.state import save_fetch_states, save_publisher_fields

if TYPE_CHECKING:
    from newsstand.core.normalise import FeedMeta

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=15)
GROUP_SIZE = 100  # feeds settled per transaction


@dataclass(frozen=True)
class RefreshConfig:
    """How refreshes fetch, schedule and parse (built from the settings by the composition
    root: ``newsstand.configuration``)."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    bounds: schedule.ScheduleBounds = field(default_factory=schedule.ScheduleBounds)
    batch: int = 200
    parse_workers: int = 1  # processes that parse and normalise (1: inline)
    # Bytes of changed documents a batch needs before it is parsed in the worker processes
    # (measured: 200 benchmark feeds are 10.7 MB; the 200 largest demo feeds 1.3 MB).
    pool_min_bytes: int = 2_000_000


@dataclass
class RefreshReport:
    feeds: int = 0
    updated: int = 0  # 200 with a feed parsed
    not_modified: int = 0  # 304
    failed: int = 0
    new_articles: int = 0
    errors: Counter[str] = field(default_factory=Counter)

    def summary(self) -> dict[str, Any]:
        """Plain data, for task results and the command line."""
        return {
            "feeds": self.feeds,
            "updated": self.updated,
            "not_modified": self.not_modified,
            "failed": self.failed,
            "new_articles": self.new_articles,
            "errors": dict(self.errors),
        }

    def add(self, other: RefreshReport) -> None:
        self.feeds += other.feeds
        self.updated += other.updated
        self.not_modified += other.not_modified
        self.failed += other.failed
        self.new_articles += other.new_articles
        self.errors.update(other.errors)


def refresh_feeds(
    feed_ids: Sequence[int] | None = None,
    *,
    config: RefreshConfig,
    now: datetime | None = None,
    limit: int | None = None,
) -> RefreshReport:
    """Refresh the given feeds (due or not), or up to ``limit`` due feeds when none given.

    Feeds another worker holds are skipped. Returns what happened, feed by feed counted.
    """
    claimed = _Claim.take(feed_ids, config=config, now=now, limit=limit)
    with closing(FetchSession(config.policy)) as session:
        batch = claimed.fetch_and_prepare(session)
    return batch.finish()


def refresh_all(*, config: RefreshConfig, now: datetime | None = None) -> RefreshReport:
    """Refresh every due feed, batch after batch, until none is left (the CLI's default).

    Pipelined: while this thread stores a batch, a second thread fetches the next one and
    hands its documents to the parsing workers as soon as they arrive (SQLite and the
    sockets let go of the GIL), so fetching, parsing and storing overlap. That thread
    fetches every batch through one HTTP session, so connections outlive a batch.
    """
    total = RefreshReport()
    session = FetchSession(config.policy)
    with ThreadPoolExecutor(1, thread_name_prefix="newsstand-fetch") as fetcher:
        try:
            claim = _Claim.take(None, config=config, now=now)
            batch = fetcher.submit(claim.fetch_and_prepare, session).result()
            while len(batch.feeds) == config.batch:
                claim = _Claim.take(None, config=config, now=now)
                following = fetcher.submit(claim.fetch_and_prepare, session)
                total.add(batch.finish())
                batch = following.result()
            total.add(batch.finish())
        finally:
            fetcher.submit(session.close).result()
    return total


@dataclass
class _Claim:
    """Feeds this worker claimed (with ``token``), not fetched yet."""

    token: str
    feeds: list[Feed]
    sections: dict[str, int]  # section ids by slug, for the parsing workers
    config: RefreshConfig

    @classmethod
    def take(
        cls,
        feed_ids: Sequence[int] | None,
        *,
        config: RefreshConfig,
        now: datetime | None,
        limit: int | None = None,
    ) -> _Claim:
        token, feeds = claim_feeds(
            now=now or timezone.now(), lease=LEASE, limit=limit or config.batch, feed_ids=feed_ids
        )
        sections = dict(Section.objects.values_list("slug", "id")) if feeds else {}
        return cls(token, feeds, sections, config)

    def fetch_and_prepare(self, session: FetchSession) -> _Batch:
        """Fetch the feeds through ``session`` and hand their documents to the parsing
        workers.

        Touches no database, so it may run in another thread.
        """
        if not self.feeds:
            return _Batch(self.token, [], [], iter(()), self.config)
        requests = [
            FetchRequest(f.url, etag=f.etag, last_modified=f.last_modified) for f in self.feeds
        ]
        outcomes = session.fetch_many(requests)
        prepared = _prepare(self.feeds, outcomes, sections=self.sections, config=self.config)
        return _Batch(self.token, self.feeds, outcomes, prepared, self.config)


@dataclass
class _Batch:
    """Claimed and fetched feeds whose documents are being prepared, waiting to be stored."""

    token: str
    feeds: list[Feed]
    outcomes: list[FetchResult | FetchError]
    prepared: Iterator[PreparedFeed | NewsstandError]
    config: RefreshConfig

    def finish(self) -> RefreshReport:
        """Store every feed's entries and state, a group of feeds per transaction."""
        report = RefreshReport(feeds=len(self.feeds))
        group: list[tuple[Feed, FetchResult | FetchError, Prepared]] = []
        for feed, outcome in zip(self.feeds, self.outcomes, strict=True):
            group.append((feed, outcome, next(self.prepared) if _has_body(outcome) else None))
            if len(group) == GROUP_SIZE:
                report.add(_settle_group(group, token=self.token, config=self.config))
                group = []
        if group:
            report.add(_settle_group(group, token=self.token, config=self.config))
        return report


Prepared = PreparedFeed | NewsstandError | None


def _has_body(outcome: FetchResult | FetchError) -> bool:
    return isinstance(outcome, FetchResult) and outcome.status == 200


def _prepare(
    feeds: Sequence[Feed],
    outcomes: Sequence[FetchResult | FetchError],
    *,
    sections: dict[str, int],
    config: RefreshConfig,
) -> Iterator[PreparedFeed | NewsstandError]:
    """Parse, normalise and decide every fetched document, in order (on every core when
    many): see ``core.ingest``."""
    now = timezone.now()
    jobs = [
        PrepareJob(
            o.body,
            o.final_url,
            o.content_type,
            now,
            full_text_mode=feed.full_text,
            section_hint=feed.section_hint_id,
            sections=sections,
        )
        for feed, o in zip(feeds, outcomes, strict=True)
        if isinstance(o, FetchResult) and o.status == 200
    ]
    return iter(prepare_all(jobs, workers=config.parse_workers, min_bytes=config.pool_min_bytes))


def _settle_group(
    group: Sequence[tuple[Feed, FetchResult | FetchError, Prepared]],
    *,
    token: str,
    config: RefreshConfig,
) -> RefreshReport:
    """Settle a group of feeds in one transaction; one feed's failure stays that feed's.

    One commit per group instead of per feed (commits dominated a round of 304s). The
    entries of every feed are stored first without savepoints: a savepoint per feed made
    SQLite copy every page a feed touched into its statement journal, a quarter of the
    cost of storing (measured below). Should any feed's store fail, the whole transaction
    rolls back and the group is settled again with each feed in a savepoint of its own, so
    that feed alone fails. The feeds' states change only after their entries are stored,
    so a group settled again starts from the states it was claimed in. A crash loses at
    most the uncommitted group, whose feeds are then fetched again with their old
    validators.

    Measured (storing round 1 of bench/refresh_throughput.py's 79,676 rows, groups of 100
    feeds): 3.1-3.8 s of CPU with a savepoint per feed, 2.1-2.3 s without.
    """
    try:
        with transaction.atomic():
            return _settle_all(group, token=token, config=config, isolated=False)
    except _StoreFailed as failed:
        log.info("a feed of the group failed to store (%s): storing feed by feed", failed)
    with transaction.atomic():
        return _settle_all(group, token=token, config=config, isolated=True)


class _StoreFailed(Exception):
    """A feed's entries failed to store outside a savepoint: the transaction must go."""


def _settle_all(
    group: Sequence[tuple[Feed, FetchResult | FetchError, Prepared]],
    *,
    token: str,
    config: RefreshConfig,
    isolated: bool,
) -> RefreshReport:
    now = timezone.now()
    stored = [
        _stored(feed, outcome, prepared, now=now, isolated=isolated)
        for feed, outcome, prepared in group
    ]
    report = RefreshReport()
    learnt: dict[int, dict[str, str]] = {}
    for (feed, outcome, prepared), result in zip(group, stored, strict=True):
        report.add(_settle(feed, outcome, prepared, result, now=now, config=config, learnt=learnt))
    save_publisher_fields(learnt)
    save_fetch_states([feed for feed, _, _ in group], token=token)
    return report


def _stored(
    feed: Feed,
    outcome: FetchResult | FetchError,
    prepared: Prepared,
    *,
    now: datetime,
    isolated: bool,
) -> int | NewsstandError:
    """Store one feed's entries: how many articles were new, or why the feed failed.

    ``isolated``: in a savepoint of its own, a failure returned; otherwise a failure
    raises ``_StoreFailed`` (its statements may have half run: the transaction must go).
    """
    if isinstance(outcome, FetchError):
        return outcome
    if isinstance(prepared, NewsstandError):
        return prepared
    if not prepared:
        return 0
    if not isolated:
        try:
            return _store(feed, prepared, now=now)
        except Exception as exc:
            raise _StoreFailed(f"feed {feed.pk}: {type(exc).__name__}: {exc}") from exc
    try:
        with transaction.atomic():
            return _store(feed, prepared, now=now)
    except NewsstandError as error:
        return error
    except Exception as exc:
        # A bug of ours (or a database failure) on this feed must not stop the others:
        # recorded on this feed, with the traceback in the log.
        log.exception("feed %s: unexpected error while storing", feed.pk)
        return InternalError(f"{type(exc).__name__}: {exc}")


def _settle(
    feed: Feed,
    outcome: FetchResult | FetchError,
    prepared: Prepared,
    stored: int | NewsstandError,
    *,
    now: datetime,
    config: RefreshConfig,
    learnt: dict[int, dict[str, str]],
) -> RefreshReport:
    """Decide one feed's next fetch state from how its fetch and store went.

    The state itself, and what the feed taught about its publisher, are saved for the
    whole group by the caller.
    """
    try:
        if isinstance(stored, NewsstandError):
            raise stored
        assert isinstance(outcome, FetchResult)
        if isinstance(prepared, PreparedFeed):
            learnt.setdefault(feed.publisher_id, {}).update(_learn_names(feed, prepared.meta))
        _record_success(feed, outcome, new_entries=stored, now=now, config=config)
    except NewsstandError as error:
        _record_error(feed, error, now=now, config=config)
        return RefreshReport(failed=1, errors=Counter({error.code: 1}))
    except Exception as exc:
        log.exception("feed %s: unexpected error while settling", feed.pk)
        _record_error(feed, InternalError(f"{type(exc).__name__}: {exc}"), now=now, config=config)
        return RefreshReport(failed=1, errors=Counter({InternalError.code: 1}))
    if outcome.status == 304:
        return RefreshReport(not_modified=1)
    return RefreshReport(updated=1, new_articles=stored)


def _store(feed: Feed, prepared: PreparedFeed, *, now: datetime) -> int:
    _lock_publisher(feed.publisher_id)
    stored = store_rows(
        feed_id=feed.pk, publisher_id=feed.publisher_id, rows=prepared.rows, now=now
    )
    return stored.new


def _lock_publisher(publisher_id: int) -> None:
    """Serialise stores of one publisher, so two feeds of it cannot insert one article twice.

    SQLite transactions here are IMMEDIATE, which already serialises every writer.
    """
    if connection.features.has_select_for_update:
        list(Publisher.objects.select_for_update().filter(pk=publisher_id).values_list("pk"))


def _learn_names(feed: Feed, meta: FeedMeta) -> dict[str, str]:
    """Fill in what the subscriber did not give (names, homepage, icon) from the feed.

    Sets them on the objects and returns the publisher's changed fields, which the group
    saves together (``save_publisher_fields``); the feed's title goes with its state.
    """
    if not feed.title and meta.title:
        feed.title = meta.title
    publisher = feed.publisher
    changed: dict[str, str] = {}
    if meta.title and publisher.name == publisher.host:
        changed["name"] = meta.title
    for field_name, value in (("homepage", meta.homepage), ("favicon", meta.icon)):
        if value and not getattr(publisher, field_name):
            changed[field_name] = value
    if meta.language and not publisher.language:
        changed["language"] = meta.language
    for field_name, value in changed.items():
        setattr(publisher, field_name, value)
    return changed


def _timing(feed: Feed) -> schedule.FeedTiming:
    return schedule.FeedTiming(
        interval=feed.interval_seconds,
        error_streak=feed.error_streak,
        next_fetch_at=feed.next_fetch_at,
        gone=feed.state == FeedState.GONE,
    )


def _apply_timing(feed: Feed, timing: schedule.FeedTiming) -> None:
    feed.interval_seconds = timing.interval
    feed.error_streak = timing.error_streak
    feed.next_fetch_at = timing.next_fetch_at


def _record_success(
    feed: Feed, result: FetchResult, *, new_entries: int, now: datetime, config: RefreshConfig
) -> None:
    _apply_timing(
        feed,
        schedule.after_success(
            _timing(feed), now=now, new_entries=new_entries, bounds=config.bounds
        ),
    )
    feed.state = FeedState.ACTIVE
    feed.last_fetched_at = now
    feed.last_status = result.status
    feed.last_error_code = ""
    feed.last_error = ""
    feed.etag = result.etag[:500]
    feed.last_modified = result.last_modified[:100]
    if new_entries:
        feed.last_new_entry_at = now
    _track_redirect(feed, result.permanent_redirect)
    _release(feed)


def _track_redirect(feed: Feed, target: str) -> None:
    seen, streak, move = schedule.follow_permanent_redirect(
        current_target=feed.redirect_target,
        current_streak=feed.redirect_streak,
        seen_target=target,
    )
    feed.redirect_target, feed.redirect_streak = seen, streak
    if move and not Feed.objects.filter(url=seen).exclude(pk=feed.pk).exists():
        log.info("feed %s moved permanently to %s", feed.pk, seen)
        feed.url = seen
        feed.redirect_target, feed.redirect_streak = "", 0


def _record_error(
    feed: Feed, error: NewsstandError, *, now: datetime, config: RefreshConfig
) -> None:
    timing = _timing(feed)
    if isinstance(error, Gone):
        timing = schedule.after_gone(timing)
        feed.state = FeedState.GONE
    else:
        retry_after = None
        if isinstance(error, HTTPStatusError) and error.retry_after:
            retry_after = parse_retry_after(error.retry_after, now=now)
        timing = schedule.after_error(
            timing, now=now, bounds=config.bounds, retry_after=retry_after, jitter=random.random()
        )
        feed.state = FeedState.FAILING
    _apply_timing(feed, timing)
    feed.last_fetched_at = now
    feed.last_status = error.status if isinstance(error, HTTPStatusError) else None
    feed.last_error_code = error.code
    feed.last_error = error.message[:2000]
    _release(feed)
    log.info("feed %s failed: %s (%s)", feed.pk, error.code, error.message)


def _release(feed: Feed) -> None:
    feed.claimed_until = None
    feed.claim_token = ""
