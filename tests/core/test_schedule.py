from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsstand.core.schedule import (
    FeedTiming,
    ScheduleBounds,
    after_error,
    after_gone,
    after_success,
    follow_permanent_redirect,
    is_due,
)

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
BOUNDS = ScheduleBounds(min_interval=600, max_interval=86_400, max_backoff=86_400)


def test_new_feed_is_due():
    assert is_due(FeedTiming(interval=3600), now=NOW)


def test_feed_due_only_once_its_time_has_come():
    timing = FeedTiming(interval=3600, next_fetch_at=NOW + timedelta(seconds=1))
    assert not is_due(timing, now=NOW)
    assert is_due(timing, now=NOW + timedelta(seconds=1))


def test_claimed_feed_is_not_due_until_the_lease_ends():
    timing = FeedTiming(interval=3600, next_fetch_at=NOW - timedelta(hours=1))
    assert not is_due(timing, now=NOW, claimed_until=NOW + timedelta(minutes=5))
    assert is_due(timing, now=NOW, claimed_until=NOW - timedelta(seconds=1))


def test_gone_feed_is_never_due():
    assert not is_due(after_gone(FeedTiming(interval=3600)), now=NOW + timedelta(days=365))


def test_new_entries_shorten_the_interval_and_quiet_lengthens_it():
    busy = after_success(FeedTiming(interval=3600), now=NOW, new_entries=5, bounds=BOUNDS)
    quiet = after_success(FeedTiming(interval=3600), now=NOW, new_entries=0, bounds=BOUNDS)
    assert busy.interval < 3600 < quiet.interval
    assert busy.next_fetch_at == NOW + timedelta(seconds=busy.interval)


def test_success_resets_the_error_streak():
    timing = FeedTiming(interval=3600, error_streak=4)
    assert after_success(timing, now=NOW, new_entries=0, bounds=BOUNDS).error_streak == 0


@given(
    interval=st.integers(1, 10**7),
    new=st.integers(0, 500),
    rounds=st.integers(1, 40),
)
def test_interval_always_stays_within_bounds(interval, new, rounds):
    timing = FeedTiming(interval=interval)
    for _ in range(rounds):
        timing = after_success(timing, now=NOW, new_entries=new, bounds=BOUNDS)
        assert BOUNDS.min_interval <= timing.interval <= BOUNDS.max_interval


def test_errors_back_off_exponentially_up_to_the_cap():
    timing = FeedTiming(interval=600, next_fetch_at=NOW)
    delays = []
    for _ in range(12):
        timing = after_error(timing, now=NOW, bounds=BOUNDS)
        delays.append((timing.next_fetch_at - NOW).total_seconds())
    assert delays[:4] == [600, 1200, 2400, 4800]
    assert max(delays) == BOUNDS.max_backoff
    assert timing.error_streak == 12


def test_jitter_spreads_retries_by_at_most_a_quarter():
    timing = FeedTiming(interval=1000)
    plain = after_error(timing, now=NOW, bounds=BOUNDS, jitter=0.0).next_fetch_at
    spread = after_error(timing, now=NOW, bounds=BOUNDS, jitter=0.99).next_fetch_at
    assert plain < spread <= plain + timedelta(seconds=250)


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [
        (None, 600),  # no header: backoff
        (60, 600),  # shorter than the backoff: backoff wins
        (7200, 7200),  # longer: honoured
        (30 * 86_400, 7 * 86_400),  # absurd: capped
    ],
)
def test_retry_after_is_honoured_within_the_cap(retry_after, expected):
    timing = after_error(FeedTiming(interval=600), now=NOW, bounds=BOUNDS, retry_after=retry_after)
    assert (timing.next_fetch_at - NOW).total_seconds() == expected


def test_permanent_redirect_moves_the_feed_only_when_consistent():
    target, streak, move = follow_permanent_redirect(
        current_target="", current_streak=0, seen_target="https://b.example/feed"
    )
    assert (streak, move) == (1, False)
    target, streak, move = follow_permanent_redirect(
        current_target=target, current_streak=streak, seen_target="https://b.example/feed"
    )
    assert (streak, move) == (2, False)
    target, streak, move = follow_permanent_redirect(
        current_target=target, current_streak=streak, seen_target="https://b.example/feed"
    )
    assert move and target == "https://b.example/feed"


def test_a_different_or_missing_redirect_restarts_the_count():
    _, streak, _ = follow_permanent_redirect(
        current_target="https://b.example/", current_streak=2, seen_target="https://c.example/"
    )
    assert streak == 1
    assert follow_permanent_redirect(
        current_target="https://b.example/", current_streak=2, seen_target=""
    ) == ("", 0, False)
