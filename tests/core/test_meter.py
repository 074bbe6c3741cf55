from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsstand.core.meter import (
    MAX_ENTRIES,
    WINDOW_SECONDS,
    MeterEntry,
    WallPolicy,
    decide,
    format_meter,
    is_crawler,
    parse_meter,
)

NOW = 1_800_000_000
THREE = WallPolicy(allowance=3)


def _read(ids: list[int], policy: WallPolicy = THREE, now: int = NOW):
    meter = ()
    decisions = []
    for article in ids:
        decision = decide(meter, article, now, policy)
        meter = decision.meter
        decisions.append(decision)
    return decisions


def test_three_free_articles_then_the_wall() -> None:
    decisions = _read([1, 2, 3, 4])
    assert [d.full for d in decisions] == [True, True, True, False]
    assert [d.remaining for d in decisions] == [2, 1, 0, 0]
    assert not decisions[3].counted


def test_an_article_on_the_meter_opens_again_without_counting() -> None:
    decisions = _read([1, 2, 3, 1, 2])
    assert all(d.full for d in decisions)
    assert [d.counted for d in decisions] == [True, True, True, False, False]


def test_reads_older_than_the_window_no_longer_count() -> None:
    old = (MeterEntry(1, NOW - WINDOW_SECONDS), MeterEntry(2, NOW - 10), MeterEntry(3, NOW - 5))
    decision = decide(old, 4, NOW, THREE)
    assert decision.full and decision.counted
    assert [e.article_id for e in decision.meter] == [2, 3, 4]


def test_entries_from_the_future_do_not_count() -> None:
    forged = tuple(MeterEntry(i, NOW + 86_400) for i in range(3))
    assert decide(forged, 9, NOW, THREE).full


def test_zero_walls_every_article_and_minus_one_none() -> None:
    assert not decide((), 1, NOW, WallPolicy(allowance=0)).full
    off = decide((), 1, NOW, WallPolicy(allowance=-1))
    assert off.full and not off.counted and off.meter == ()


def test_the_address_cap_walls_a_visitor_with_a_fresh_meter() -> None:
    policy = WallPolicy(allowance=3, address_cap=50)
    assert decide((), 1, NOW, policy, address_reads=49).full
    assert not decide((), 1, NOW, policy, address_reads=50).full
    # an article already on the visitor's meter still opens
    assert decide((MeterEntry(1, NOW - 5),), 1, NOW, policy, address_reads=50).full


def test_a_negative_cap_is_no_cap() -> None:
    assert decide((), 1, NOW, WallPolicy(allowance=3, address_cap=-1), address_reads=10**6).full


def test_the_meter_round_trips_through_its_cookie_text() -> None:
    meter = (MeterEntry(12, NOW - 3), MeterEntry(7, NOW))
    assert parse_meter(format_meter(meter)) == meter


@given(st.text(max_size=3000))
def test_any_cookie_text_parses_to_a_bounded_meter(text: str) -> None:
    assert len(parse_meter(text)) <= MAX_ENTRIES


def test_a_huge_allowance_keeps_the_meter_bounded() -> None:
    policy = WallPolicy(allowance=10**9)
    meter = ()
    for article in range(MAX_ENTRIES + 5):
        meter = decide(meter, article, NOW, policy).meter
    assert len(meter) == MAX_ENTRIES


def test_crawlers_are_recognised_and_browsers_are_not() -> None:
    assert is_crawler("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    assert is_crawler("Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)")
    assert is_crawler("DuckDuckBot/1.1; (+http://duckduckgo.com/duckduckbot.html)")
    assert not is_crawler(
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0 Safari/537.36"
    )
    assert not is_crawler("Mozilla/5.0 (Linux; Android 12; CUBOT X30) Mobile DuckDuckGo/5")
