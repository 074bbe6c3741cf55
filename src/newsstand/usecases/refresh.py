"""refresh_feeds: fetch feeds, store their new articles, schedule their next fetch.

The one use case behind the worker, the scheduler, the CLI (`newsstand refresh`) and the
admin's "refresh now". It runs in phases, as lemon24/reader's update pipeline does:

1. claim a batch of feeds with a lease (``sources.claims``): no feed is fetched twice;
2. fetch them through one HTTP session (``net``), conditionally;
3. parse, normalise and sort each document's entries (``core.ingest``, in worker
   processes when there are many);
4. store each feed's new entries (``articles.store``);
5. decide each feed's next fetch state (``core.feed_state``: pure, a frozen value);
6. write the states and what feeds taught about their publishers (``sources.state``).

Phases 4 to 6 run a group of feeds a transaction (``_settle``), entries together with the
HTTP validators that cover them: a crash loses nothing that was committed, and a feed
whose transaction did not commit is fetched again with its old validators (its articles
are then matched, not duplicated). One feed's failure never touches another.
"""

from __future__ import annotations

import logging
import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from newsstand.articles.models import PictureKind
from newsstand.articles.pictures import register_pictures
from newsstand.articles.store import store_rows
from newsstand.compute.pool import prepare_all
from newsstand.core.errors import FetchError, InternalError, NewsstandError
from newsstand.core.feed_state import (
    FeedStateUpdate,
    PublisherFacts,
    learned_publisher_fields,
    next_fetch_state,
)
from newsstand.core.ingest import PreparedFeed, PrepareJob
from newsstand.core.schedule import ScheduleBounds
from newsstand.net.fetch import FetchPolicy, FetchRequest, FetchResult, FetchSession
from newsstand.sources.claims import claim_feeds
from newsstand.sources.models import Feed, Publisher, Section
from newsstand.sources.state import (
    feeds_at,
    save_fetch_states,
    save_publisher_fields,
    stored_state,
)

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=15)
GROUP_SIZE = 100  # feeds settled per transaction


@dataclass(frozen=True)
class RefreshConfig:
    """How refreshes fetch, schedule and parse (built from the settings by the composition
    root: ``newsstand.configuration``)."""

    policy: FetchPolicy = field(default_factory=FetchPolicy)
    bounds: ScheduleBounds = field(default_factory=ScheduleBounds)
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
    claim = _claim(feed_ids, config=config, now=now, limit=limit)  # 1. claim
    with closing(FetchSession(config.policy)) as session:
        batch = _fetch_and_prepare(claim, session)  # 2. fetch, 3. parse (in the background)
    return _settle_batch(batch)  # 4. store, 5. decide, 6. write: a group a transaction


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
            claim = _claim(None, config=config, now=now)
            batch = fetcher.submit(_fetch_and_prepare, claim, session).result()
            while len(batch.feeds) == config.batch:
                claim = _claim(None, config=config, now=now)
                following = fetcher.submit(_fetch_and_prepare, claim, session)
                total.add(_settle_batch(batch))
                batch = following.result()
            total.add(_settle_batch(batch))
        finally:
            fetcher.submit(session.close).result()
    return total


def _claim(
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
    return _Claim(token, feeds, sections, config)


@dataclass(frozen=True)
class _Claim:
    """Feeds this worker claimed (with ``token``), not fetched yet."""

    token: str
    feeds: list[Feed]
    sections: dict[str, int]  # section ids by slug, for the parsing workers
    config: RefreshConfig


def _fetch_and_prepare(claim: _Claim, session: FetchSession) -> _Batch:
    """Fetch the claimed feeds through ``session`` and hand their documents to the parsing
    workers.

    Touches no database, so it may run in another thread.
    """
    if not claim.feeds:
        return _Batch(claim.token, [], [], iter(()), claim.config)
    requests = [
        FetchRequest(f.url, etag=f.etag, last_modified=f.last_modified) for f in claim.feeds
    ]
    outcomes = session.fetch_many(requests)
    prepared = _prepare(claim.feeds, outcomes, sections=claim.sections, config=claim.config)
    return _Batch(claim.token, claim.feeds, outcomes, prepared, claim.config)


Prepared = PreparedFeed | NewsstandError | None


@dataclass(frozen=True)
class _Fetched:
    """One feed of a batch as its fetch and parsing left it."""

    feed: Feed
    outcome: FetchResult | FetchError
    prepared: Prepared  # None when there was no document (a 304, a failed fetch)


@dataclass(frozen=True)
class _Batch:
    """Claimed and fetched feeds whose documents are being prepared, waiting to be stored."""

    token: str
    feeds: list[Feed]
    outcomes: list[FetchResult | FetchError]
    prepared: Iterator[PreparedFeed | NewsstandError]
    config: RefreshConfig


def _settle_batch(batch: _Batch) -> RefreshReport:
    """Settle every feed of the batch, a group of feeds a transaction (``_settle_group``),
    each group as soon as its documents are prepared."""
    report = RefreshReport(feeds=len(batch.feeds))
    group: list[_Fetched] = []
    for feed, outcome in zip(batch.feeds, batch.outcomes, strict=True):
        prepared = next(batch.prepared) if _has_body(outcome) else None
        group.append(_Fetched(feed, outcome, prepared))
        if len(group) == GROUP_SIZE:
            report.add(_settle_group(group, token=batch.token, config=batch.config))
            group = []
    if group:
        report.add(_settle_group(group, token=batch.token, config=batch.config))
    return report


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


# --- phases 4 to 6: store, decide, write (a group of feeds a transaction) -----------


def _settle_group(group: Sequence[_Fetched], *, token: str, config: RefreshConfig) -> RefreshReport:
    """Settle a group of feeds in one transaction; one feed's failure stays that feed's.

    One commit per group instead of per feed (commits dominated a round of 304s). The
    entries of every feed are stored first without savepoints: a savepoint per feed made
    SQLite copy every page a feed touched into its statement journal, a quarter of the
    cost of storing (measured below). Should any feed's store fail, the whole transaction
    rolls back and the group is settled again with each feed in a savepoint of its own, so
    that feed alone fails. The feeds' states are decided only after their entries are
    stored, so a group settled again starts from the states it was claimed in. A crash
    loses at most the uncommitted group, whose feeds are then fetched again with their old
    validators.

    Measured (storing round 1 of bench/refresh_throughput.py's 79,676 rows, groups of 100
    feeds): 3.1-3.8 s of CPU with a savepoint per feed, 2.1-2.3 s without.
    """
    try:
        with transaction.atomic():
            return _settle(group, token=token, config=config, isolated=False)
    except _StoreFailed as failed:
        log.info("a feed of the group failed to store (%s): storing feed by feed", failed)
    with transaction.atomic():
        return _settle(group, token=token, config=config, isolated=True)


def _settle(
    group: Sequence[_Fetched], *, token: str, config: RefreshConfig, isolated: bool
) -> RefreshReport:
    """The group's last phases, in the caller's transaction: store each feed's entries,
    decide each feed's next state (pure: ``core.feed_state``), write the states and what
    the feeds taught about their publishers."""
    now = timezone.now()
    # 4. store: each feed's new entries (how many), or why it failed
    stored = [_store_entries(item, now=now, isolated=isolated) for item in group]
    # 5. decide: each feed's next state, from its fetch, its store and what it held
    taken = feeds_at(_redirect_targets(group))
    states = [
        _decide(item, entries, now=now, bounds=config.bounds, taken=taken)
        for item, entries in zip(group, stored, strict=True)
    ]
    # 6. write: the states (unless another worker claimed a feed since), the publishers
    save_fetch_states([item.feed.pk for item in group], states, token=token)
    learned = _publisher_changes(group, states)
    save_publisher_fields(learned)
    icons = (fields.get("favicon", "") for fields in learned.values())
    register_pictures(icons, now=now, kind=PictureKind.ICON)  # fetched by the images task
    return _report(group, stored, states)


class _StoreFailed(Exception):
    """A feed's entries failed to store outside a savepoint: the transaction must go."""


def _store_entries(item: _Fetched, *, now: datetime, isolated: bool) -> int | NewsstandError:
    """Store one feed's entries: how many articles were new, or why the feed failed.

    ``isolated``: in a savepoint of its own, a failure returned; otherwise a failure
    raises ``_StoreFailed`` (its statements may have half run: the transaction must go).
    """
    if isinstance(item.outcome, FetchError):
        return item.outcome
    if isinstance(item.prepared, NewsstandError):
        return item.prepared
    if not item.prepared:
        return 0
    if not isolated:
        try:
            return _insert(item.feed, item.prepared, now=now)
        except Exception as exc:
            raise _StoreFailed(f"feed {item.feed.pk}: {type(exc).__name__}: {exc}") from exc
    try:
        with transaction.atomic():
            return _insert(item.feed, item.prepared, now=now)
    except NewsstandError as error:
        return error
    except Exception as exc:
        # A bug of ours (or a database failure) on this feed must not stop the others:
        # recorded on this feed, with the traceback in the log.
        log.exception("feed %s: unexpected error while storing", item.feed.pk)
        return InternalError(f"{type(exc).__name__}: {exc}")


def _insert(feed: Feed, prepared: PreparedFeed, *, now: datetime) -> int:
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


def _redirect_targets(group: Iterable[_Fetched]) -> set[str]:
    """Where feeds of the group are permanently redirected (a decision needs to know
    whether another feed is there already)."""
    return {
        item.outcome.permanent_redirect
        for item in group
        if isinstance(item.outcome, FetchResult) and item.outcome.permanent_redirect
    }


def _decide(
    item: _Fetched,
    entries: int | NewsstandError,
    *,
    now: datetime,
    bounds: ScheduleBounds,
    taken: Mapping[str, int],
) -> FeedStateUpdate:
    """The feed's next fetch state (``core.feed_state.next_fetch_state``), logged."""
    feed, outcome = item.feed, item.outcome
    before = stored_state(feed)
    meta = item.prepared.meta if isinstance(item.prepared, PreparedFeed) else None
    target = outcome.permanent_redirect if isinstance(outcome, FetchResult) else ""
    jitter = random.random()
    try:
        state = next_fetch_state(
            before,
            outcome,
            entries,
            now=now,
            bounds=bounds,
            jitter=jitter,
            title_seen=meta.title if meta else "",
            redirect_taken=taken.get(target, feed.pk) != feed.pk,
        )
    except Exception as exc:
        # A bug of ours must not stop the group: the feed records it and is tried again.
        log.exception("feed %s: unexpected error while deciding its state", feed.pk)
        error = InternalError(f"{type(exc).__name__}: {exc}")
        state = next_fetch_state(before, error, 0, now=now, bounds=bounds, jitter=jitter)
    if state.last_error_code:
        log.info("feed %s failed: %s (%s)", feed.pk, state.last_error_code, state.last_error)
    elif state.url != feed.url:
        log.info("feed %s moved permanently to %s", feed.pk, state.url)
    return state


def _publisher_changes(
    group: Sequence[_Fetched], states: Sequence[FeedStateUpdate]
) -> dict[int, dict[str, str]]:
    """What the feeds fetched well taught about their publishers, by publisher id."""
    changes: dict[int, dict[str, str]] = {}
    for item, state in zip(group, states, strict=True):
        if isinstance(item.prepared, PreparedFeed) and not state.last_error_code:
            p = item.feed.publisher
            facts = PublisherFacts(p.name, p.host, p.homepage, p.favicon, p.language, p.country)
            learned = learned_publisher_fields(facts, item.prepared.meta)
            changes.setdefault(p.pk, {}).update(learned)
    return changes


def _report(
    group: Sequence[_Fetched],
    stored: Sequence[int | NewsstandError],
    states: Sequence[FeedStateUpdate],
) -> RefreshReport:
    report = RefreshReport()
    for item, entries, state in zip(group, stored, states, strict=True):
        if state.last_error_code:
            report.add(RefreshReport(failed=1, errors=Counter({state.last_error_code: 1})))
        elif isinstance(item.outcome, FetchResult) and item.outcome.status == 304:
            report.not_modified += 1
        else:
            new = entries if isinstance(entries, int) else 0
            report.add(RefreshReport(updated=1, new_articles=new))
    return report
