"""Retry-After: delay-seconds or an HTTP-date, read against an injected clock."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from newsstand.core.retry_after import parse_retry_after

NOW = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("0", 0.0),
        ("120", 120.0),
        (" 3600 ", 3600.0),
        ("Sun, 01 Mar 2026 12:02:00 GMT", 120.0),  # IMF-fixdate
        ("Sunday, 01-Mar-26 12:00:30 GMT", 30.0),  # RFC 850
        ("Sun Mar  1 13:00:00 2026", 3600.0),  # asctime
        ("Sun, 01 Mar 2026 11:00:00 GMT", 0.0),  # past → now
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),
    ],
)
def test_valid_values(value: str, seconds: float) -> None:
    assert parse_retry_after(value, now=NOW) == seconds


@pytest.mark.parametrize(
    "value", ["", "  ", "-5", "1.5", "soon", "Sun, 99 Foo 2026", "١٢٠", "120 seconds"]
)
def test_invalid_values_give_none(value: str) -> None:
    assert parse_retry_after(value, now=NOW) is None


def test_naive_now_is_taken_as_utc_and_other_zones_compare_correctly() -> None:
    naive = NOW.replace(tzinfo=None)
    assert parse_retry_after("Sun, 01 Mar 2026 12:01:00 GMT", now=naive) == 60.0
    paris = NOW.astimezone(timezone(timedelta(hours=1)))
    assert parse_retry_after("Sun, 01 Mar 2026 12:01:00 GMT", now=paris) == 60.0
