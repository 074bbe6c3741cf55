"""The bundled demo corpus and its time simulation (pure, no server)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest

from newsstand.demo.corpus import (
    corpus_from_tsv,
    load_corpus,
    repair_name,
    repair_title,
    repair_url,
    slugify,
)
from newsstand.demo.timeline import DEFAULT_ARRIVAL, build_timeline, visible_count

START = datetime(2026, 3, 1, 12, 0, 0, tzinfo=UTC)


def test_corpus_has_every_headline_and_publisher() -> None:
    corpus = load_corpus()
    assert len(corpus.items) == 6366
    assert len(corpus.publishers) == 1948
    assert sum(len(p.items) for p in corpus.publishers) == 6366
    assert [i.id for i in corpus.items] == list(range(1, 6367))
    assert Counter(i.category for i in corpus.items) == {
        "Business": 2061,
        "Technology": 2033,
        "Entertainment": 2188,
        "Health": 84,
    }
    assert len({i.story for i in corpus.items}) == 87


def test_urls_are_repaired_and_http() -> None:
    corpus = load_corpus()
    assert all(i.url.startswith(("http://", "https://")) for i in corpus.items)
    assert not any("\\" in i.url for i in corpus.items)
    assert not any("&amp;" in i.url for i in corpus.items)
    first = corpus.items[0]
    assert first.url.endswith(".story?track=rss")
    assert repair_url("http://a.example/x\\?a=1&amp;b=2") == "http://a.example/x?a=1&b=2"


def test_publisher_names_lose_the_exports_backslashes() -> None:
    corpus = load_corpus()
    assert not any("\\" in p.name for p in corpus.publishers)
    assert "Reuters UK (blog)" in {p.name for p in corpus.publishers}
    assert repair_name("Law360 \\(subscription\\)") == "Law360 (subscription)"
    assert repair_name("AT&T \\& Co.") == "AT&T & Co."


def test_titles_lose_the_exports_csv_quoting() -> None:
    titles = {i.title for i in load_corpus().items}
    assert not any(t.startswith('"') and t.endswith('"') and '""' in t for t in titles)
    assert 'A "Credible Threat" Approach to Long Run Deterrence of Russian-European  ...' in titles
    assert repair_title('"MtGox ""fraud evidence"" hacked"') == 'MtGox "fraud evidence" hacked'
    assert repair_title('"Quoted" and not') == '"Quoted" and not'
    assert repair_title('"') == '"'


def test_publishers_have_unique_url_safe_slugs_and_homepages() -> None:
    corpus = load_corpus()
    slugs = [p.slug for p in corpus.publishers]
    assert len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*(-\d+)?", s) for s in slugs)
    reuters = next(p for p in corpus.publishers if p.name == "Reuters")
    assert reuters.slug == "reuters"
    assert len(reuters.items) == 77
    assert reuters.homepage == "http://in.reuters.com/"  # its most frequent host
    nameless = corpus.publisher("denver-cbslocal-com")
    assert nameless.name == "denver.cbslocal.com"  # the row without a publisher name


def test_slugify_and_collisions() -> None:
    assert slugify("Wall Street Journal") == "wall-street-journal"
    assert slugify("Contactmusic.com") == "contactmusic-com"
    assert slugify("Télérama") == "telerama"
    header = "ID\tTITLE\tURL\tPUBLISHER\tCATEGORY\tSTORY\tHOSTNAME\tTIMESTAMP\n"
    rows = [
        "1\tA\thttp://a.example/1\tA & B\tb\ts1\ta.example\t1394470370698\n",
        "2\tB\thttp://b.example/2\tA B\tt\ts1\tb.example\t1394470371698\n",
    ]
    corpus = corpus_from_tsv(header + "".join(rows))
    assert sorted(p.slug for p in corpus.publishers) == ["a-b", "a-b-2"]


def test_a_file_without_the_columns_is_refused() -> None:
    with pytest.raises(ValueError, match="columns"):
        corpus_from_tsv("ID\tTITLE\n1\tx\n")


# --- time simulation --------------------------------------------------------------------


def test_timeline_publishes_the_share_before_start_and_the_rest_over_the_window() -> None:
    items = load_corpus().items
    timeline = build_timeline(items, start=START, published_share=0.6)
    times = [timeline.published[i.id] for i in items]

    assert times == sorted(times)  # crawl order is publication order
    already = sum(t <= START for t in times)
    assert already == round(6366 * 0.6)
    assert times[0] == START - timedelta(hours=24)
    assert times[already - 1] == START
    assert times[-1] == START + DEFAULT_ARRIVAL
    assert timeline.first == times[0]
    assert timeline.last == times[-1]
    assert all(t.microsecond == 0 for t in times)


def test_speed_divides_the_arrival_window() -> None:
    items = load_corpus().items
    fast = build_timeline(items, start=START, speed=4.0)
    assert fast.last == START + DEFAULT_ARRIVAL / 4


def test_visible_count_moves_with_the_clock() -> None:
    items = load_corpus().items
    timeline = build_timeline(items, start=START)
    times = [timeline.published[i.id] for i in items]
    assert visible_count(times, START) == 3820
    assert visible_count(times, START + DEFAULT_ARRIVAL / 2) == 3820 + 2546 // 2
    assert visible_count(times, START + DEFAULT_ARRIVAL) == 6366
    assert visible_count(times, START - timedelta(days=2)) == 0


@pytest.mark.parametrize(("share", "speed"), [(-0.1, 1.0), (1.1, 1.0), (0.5, 0.0)])
def test_bad_simulation_parameters_are_refused(share: float, speed: float) -> None:
    with pytest.raises(ValueError):
        build_timeline(load_corpus().items, start=START, published_share=share, speed=speed)


def test_everything_published_at_start_when_share_is_one() -> None:
    items = load_corpus().items
    timeline = build_timeline(items, start=START, published_share=1.0)
    assert timeline.last == START
