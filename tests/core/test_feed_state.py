"""A feed's next fetch state, decided from its fetch and store alone (no database)."""

from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta

from newsstand.core.errors import Gone, InternalError, ParseError, RateLimited, Timeout
from newsstand.core.feed_state import (
    ETAG_CHARS,
    FeedStateUpdate,
    FeedStatus,
    PublisherFacts,
    learned_publisher_fields,
    next_fetch_state,
)
from newsstand.core.normalise import FeedMeta
from newsstand.core.schedule import ScheduleBounds

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BOUNDS = ScheduleBounds(min_interval=600, max_interval=86_400, max_backoff=86_400)
CLAIMED = FeedStateUpdate(
    url="https://news.example/feed.xml",
    title="",
    etag='"old"',
    last_modified="Sat, 28 Feb 2026 10:00:00 GMT",
    state=FeedStatus.ACTIVE.value,
    interval_seconds=3600,
    next_fetch_at=NOW - timedelta(minutes=5),
    last_fetched_at=NOW - timedelta(hours=1),
    last_new_entry_at=NOW - timedelta(days=1),
    last_status=200,
    last_error_code="",
    last_error="",
    error_streak=0,
    redirect_target="",
    redirect_streak=0,
    claimed_until=NOW + timedelta(minutes=15),
    claim_token="token",
)


@dataclass(frozen=True)
class Fetched:
    status: int = 200
    etag: str = '"new"'
    last_modified: str = "Sun, 01 Mar 2026 11:00:00 GMT"
    permanent_redirect: str = ""


def decide(outcome, entries=0, stored=CLAIMED, **options):
    options.setdefault("jitter", 0.0)
    return next_fetch_state(stored, outcome, entries, now=NOW, bounds=BOUNDS, **options)


def test_new_entries_keep_the_validators_shorten_the_interval_and_release_the_lease():
    state = decide(Fetched(), 3)
    assert (state.etag, state.last_modified) == ('"new"', "Sun, 01 Mar 2026 11:00:00 GMT")
    assert state.interval_seconds == 1800
    assert state.next_fetch_at == NOW + timedelta(seconds=1800)
    assert state.last_fetched_at == state.last_new_entry_at == NOW
    assert (state.state, state.last_status, state.last_error_code) == ("active", 200, "")
    assert (state.claimed_until, state.claim_token) == (None, "")


def test_a_304_lengthens_the_interval_and_keeps_the_last_new_entry_time():
    state = decide(Fetched(status=304), 0)
    assert state.interval_seconds == 5400
    assert state.last_new_entry_at == CLAIMED.last_new_entry_at
    assert state.last_status == 304


def test_a_success_clears_the_last_error():
    failing = replace(CLAIMED, state="failing", error_streak=3, last_error_code="timeout")
    state = decide(Fetched(), 0, stored=failing)
    assert (state.state, state.error_streak, state.last_error_code) == ("active", 0, "")


def test_a_failed_fetch_backs_off_with_the_jitter_given_and_keeps_the_validators():
    state = decide(Timeout("too slow"), jitter=0.5)
    assert (state.state, state.error_streak) == ("failing", 1)
    assert state.next_fetch_at == NOW + timedelta(seconds=3600 * 1.125)
    assert (state.etag, state.last_modified) == (CLAIMED.etag, CLAIMED.last_modified)
    assert (state.last_status, state.last_error_code, state.last_error) == (
        None,
        "timeout",
        "too slow",
    )
    assert state.last_fetched_at == NOW and state.claim_token == ""


def test_a_failed_store_is_a_failed_fetch():
    state = decide(Fetched(), InternalError("disk full"))
    assert (state.state, state.last_error_code) == ("failing", "internal")
    assert state.etag == CLAIMED.etag  # the entries come again with the old validators


def test_a_parse_error_counts_against_the_feed():
    assert decide(Fetched(), ParseError("not a feed")).last_error_code == "parse"


def test_retry_after_wins_over_a_shorter_backoff():
    state = decide(RateLimited(429, "slow down", retry_after="7200"))
    assert state.next_fetch_at == NOW + timedelta(seconds=7200)
    assert state.last_status == 429


def test_a_410_marks_the_feed_gone_for_good():
    state = decide(Gone(410, "gone"))
    assert (state.state, state.next_fetch_at, state.last_status) == ("gone", None, 410)


def test_long_validators_and_errors_are_cut_to_what_the_row_keeps():
    state = decide(Fetched(etag="x" * 600))
    assert len(state.etag) == ETAG_CHARS
    assert len(decide(Timeout("y" * 5000)).last_error) == 2000


def test_the_feeds_own_title_fills_in_only_a_missing_one():
    assert decide(Fetched(), title_seen="Example News").title == "Example News"
    named = replace(CLAIMED, title="Chosen by the subscriber")
    assert decide(Fetched(), stored=named, title_seen="Example").title == named.title
    assert decide(Timeout(), title_seen="Example News").title == ""


def test_a_permanent_redirect_moves_the_feed_on_its_third_sighting():
    target = "https://news.example/new.xml"
    state = CLAIMED
    for seen in range(1, 3):
        state = decide(Fetched(permanent_redirect=target), stored=state)
        assert (state.url, state.redirect_target, state.redirect_streak) == (
            CLAIMED.url,
            target,
            seen,
        )
    moved = decide(Fetched(permanent_redirect=target), stored=state)
    assert (moved.url, moved.redirect_target, moved.redirect_streak) == (target, "", 0)
    kept = decide(Fetched(permanent_redirect=target), stored=state, redirect_taken=True)
    assert kept.url == CLAIMED.url  # another feed is there already


def test_a_feed_teaches_its_publisher_only_what_is_missing():
    meta = FeedMeta(title="Example News", homepage="https://news.example/", icon="", language="en")
    bare = PublisherFacts("news.example", "news.example", "", "", "")
    assert learned_publisher_fields(bare, meta) == {
        "name": "Example News",
        "homepage": "https://news.example/",
        "language": "en",
    }
    known = PublisherFacts("The Example", "news.example", "https://x.example/", "", "fr")
    assert learned_publisher_fields(known, meta) == {}
