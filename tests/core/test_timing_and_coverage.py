"""Honest times, a story's top coverage and timeline, countries from feeds."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from newsstand.core.countries import country_of_language, publisher_country
from newsstand.core.coverage import CoverageCandidate, timeline, top_coverage
from newsstand.core.schedule import FeedTiming, ScheduleBounds, after_success
from newsstand.core.timing import is_archive, published_time

NOW = datetime(2026, 3, 10, 12, tzinfo=UTC)


def test_an_article_found_long_after_its_date_is_archive() -> None:
    old = datetime(2011, 3, 14, 12, tzinfo=UTC)
    assert is_archive(old, NOW)
    told = published_time(old, NOW, NOW)
    assert (told.telling, told.moment) == ("archive", old)


@pytest.mark.parametrize(
    ("age", "seen_after", "telling"),
    [
        (timedelta(minutes=2), timedelta(0), "relative"),
        (timedelta(hours=30), timedelta(hours=1), "relative"),
        (timedelta(days=3), timedelta(0), "date"),  # old news seen on time: its date
        (timedelta(days=3), timedelta(days=2), "date"),  # a feed a little late: not archive
        (timedelta(days=30), timedelta(days=20), "archive"),
    ],
)
def test_recent_news_is_relative_older_news_dated(age, seen_after, telling) -> None:
    published = NOW - age
    assert published_time(published, published + seen_after, NOW).telling == telling


def _candidate(
    key: int, publisher: int, hours: float, words: int = 0, country: str = "", dup=False
):
    return CoverageCandidate(key, publisher, country, NOW + timedelta(hours=hours), words, dup)


def test_top_coverage_leads_with_the_first_report_then_the_most_complete() -> None:
    candidates = [
        _candidate(1, 10, 0, words=100, country="US"),  # first
        _candidate(2, 10, 1, words=2000, country="US"),  # same publisher: never twice
        _candidate(3, 11, 2, words=900, country="US"),  # most complete of the others
        _candidate(4, 12, 3, words=300, country="FR"),  # a new country comes before...
        _candidate(5, 13, 4, words=800, country="US"),  # ...a longer article
        _candidate(6, 14, 5, words=5000, country="GB", dup=True),  # a wire copy: never
    ]
    assert top_coverage(candidates, 4) == [1, 3, 4, 5]
    assert top_coverage([], 5) == []
    only_copies = [_candidate(7, 1, 0, dup=True)]
    assert top_coverage(only_copies) == [7]


def test_the_timeline_steps_hours_for_a_day_and_days_for_longer() -> None:
    day = [_candidate(n, n, hours) for n, hours in enumerate([0, 0.5, 3.2, 3.4, 7.9])]
    points = timeline(day, points=8)
    assert [p.articles for p in points] == [2, 2, 1]
    assert [p.first for p in points] == [0, 2, 4]
    assert not points[0].daily
    week = [_candidate(n, n, 24 * d) for n, d in enumerate([0, 0, 1, 6, 6, 6])]
    points = timeline(week, points=4)
    assert points[0].daily and sum(p.articles for p in points) == 6
    assert len(points) <= 4
    with_copy = [_candidate(1, 1, 0.1, dup=True), _candidate(2, 2, 0.2)]
    assert timeline(with_copy)[0].first == 2  # a step shows an original, not a copy
    assert timeline([_candidate(1, 1, 0.1, dup=True)])[0].first is None


def test_countries_from_the_domain_else_the_feeds_language() -> None:
    assert country_of_language("en-GB") == "GB"
    assert country_of_language("pt_br") == "BR"
    assert country_of_language("zh-Hant-TW") == "TW"
    assert country_of_language("en") == country_of_language("zh-Hant") == ""
    assert publisher_country("", "lemonde.fr", "en-us") == "FR"
    assert publisher_country("", "example.com", "en-us") == "US"
    assert publisher_country("DE", "example.com", "en-us") == "DE"
    assert publisher_country("", "example.com", "en") == ""


def test_successful_polls_drift_apart_but_never_wait_longer_than_the_interval() -> None:
    bounds = ScheduleBounds(min_interval=60, max_interval=120)
    timing = FeedTiming(interval=120)
    soonest = after_success(timing, now=NOW, new_entries=0, bounds=bounds, jitter=0.999)
    latest = after_success(timing, now=NOW, new_entries=0, bounds=bounds, jitter=0.0)
    assert latest.next_fetch_at == NOW + timedelta(seconds=120)
    assert NOW + timedelta(seconds=60) <= soonest.next_fetch_at < latest.next_fetch_at
