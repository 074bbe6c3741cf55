"""The hostile-feed corpus through the real refresh pipeline (fetch, parse, normalise, store).

Every vector ends as a typed error on its feed or as sanitised articles; the run always
finishes (the trickler is cut by the 2 s fetch deadline), and the good feeds of the same
run are stored. One test runs everything at once; the parametrised ones run each vector
beside one good feed, so a failure names its vector.
"""

from __future__ import annotations

import pytest

from net.servers import SECRET
from newsstand.articles.models import Article
from newsstand.sources.models import Feed, FeedState
from newsstand.usecases.refresh import RefreshConfig, refresh_feeds
from newsstand.usecases.subscribe import add_feed

from .checks import article_problems, publisher_problems, stored_text
from .conftest import Corpus
from .corpus import CANARY, GOOD_FEEDS, GOOD_TITLES, Fails, Stores, Vector

pytestmark = pytest.mark.django_db

VECTOR_NAMES = [
    "billion-laughs",
    "quadratic-blowup",
    "xxe-local-file",
    "xxe-internal-http",
    "external-dtd-internal-http",
    "xinclude",
    "truncated",
    "html-page",
    "empty-body",
    "binary-body",
    "fifty-thousand-items",
    "deep-elements",
    "deep-html",
    "deep-json",
    "gzip-bomb",
    "stacked-gzip",
    "trickle",
    "redirect-to-internal",
    "rss-url-fields",
    "atom-url-fields",
    "json-url-fields",
    "active-content",
    "latin1-declared-utf8",
    "utf8-declared-latin1",
    "header-charset-wrong",
    "utf16-bom",
    "invalid-utf8",
    "unknown-charset",
]


def subscribe(corpus: Corpus, name: str) -> Feed:
    """One publisher per feed (its own homepage), so no two vectors share articles."""
    feed, _ = add_feed(corpus.url(name), homepage=f"https://{name}.example/")
    return feed


def check_failed(feed: Feed, expect: Fails) -> list[str]:
    problems = []
    if feed.last_error_code != expect.code:
        problems.append(
            f"expected error {expect.code!r}, got {feed.last_error_code!r} ({feed.last_error})"
        )
    if feed.state != FeedState.FAILING:
        problems.append(f"state {feed.state!r}")
    if Article.objects.filter(feeds=feed).exists():
        problems.append("articles were stored")
    return problems


def check_stored(feed: Feed, expect: Stores) -> list[str]:
    if feed.last_error_code:
        return [f"failed with {feed.last_error_code!r} ({feed.last_error})"]
    articles = list(Article.objects.filter(feeds=feed))
    titles = {a.title for a in articles}
    problems = []
    if not expect.least <= len(articles) <= expect.most:
        problems.append(f"{len(articles)} articles, expected {expect.least}..{expect.most}")
    if not expect.titles <= titles:
        problems.append(f"titles {sorted(expect.titles - titles)} missing from {titles}")
    if expect.feed_title is not None and feed.title != expect.feed_title:
        problems.append(f"feed title {feed.title!r}, expected {expect.feed_title!r}")
    for article in articles:
        problems += [f"{article.title[:40]!r}: {p}" for p in article_problems(article)]
    problems += publisher_problems(feed.publisher)
    return problems


def vector_problems(feed: Feed, vector: Vector) -> list[str]:
    feed.refresh_from_db()
    if feed.last_error_code == "internal":
        return [f"a bug of ours, recorded as internal: {feed.last_error}"]
    if isinstance(vector.expect, Fails):
        return check_failed(feed, vector.expect)
    return check_stored(feed, vector.expect)


def good_feeds_stored(feeds: dict[str, Feed]) -> None:
    for name, feed in feeds.items():
        feed.refresh_from_db()
        assert feed.state == FeedState.ACTIVE and not feed.last_error_code, name
        titles = set(Article.objects.filter(feeds=feed).values_list("title", flat=True))
        assert titles == GOOD_TITLES[name]


def nothing_leaked(corpus: Corpus) -> None:
    text = stored_text()
    assert CANARY not in text, "the canary file's content reached the database"
    assert SECRET.decode() not in text, "the internal service's answer reached the database"
    assert corpus.internal.accepts == 0, "something connected to the internal origin"


def test_the_whole_corpus_in_one_run(corpus: Corpus, config: RefreshConfig) -> None:
    assert sorted(corpus.vectors) == sorted(VECTOR_NAMES)
    hostile = {name: subscribe(corpus, name) for name in VECTOR_NAMES}
    good = {name: subscribe(corpus, name) for name in GOOD_FEEDS}

    report = refresh_feeds(config=config)

    assert report.feeds == len(hostile) + len(good)
    assert report.errors["internal"] == 0
    good_feeds_stored(good)
    problems = {
        name: found
        for name, feed in hostile.items()
        if (found := vector_problems(feed, corpus.vectors[name]))
    }
    assert problems == {}
    failing = sum(isinstance(v.expect, Fails) for v in corpus.vectors.values())
    assert (report.failed, report.updated) == (failing, len(hostile) - failing + len(good))
    nothing_leaked(corpus)


@pytest.mark.parametrize("name", VECTOR_NAMES)
def test_each_vector_beside_a_good_feed(corpus: Corpus, config: RefreshConfig, name: str) -> None:
    feed = subscribe(corpus, name)
    good = {GOOD_FEEDS[0]: subscribe(corpus, GOOD_FEEDS[0])}

    report = refresh_feeds([feed.pk, good[GOOD_FEEDS[0]].pk], config=config)

    assert report.feeds == 2
    good_feeds_stored(good)
    assert vector_problems(feed, corpus.vectors[name]) == []
    nothing_leaked(corpus)


def test_a_truncated_item_leaves_no_empty_article(corpus: Corpus, config: RefreshConfig) -> None:
    feed = subscribe(corpus, "truncated")
    refresh_feeds([feed.pk], config=config)
    empty = [
        a.pk
        for a in Article.objects.filter(feeds=feed)
        if not (a.title or a.url or a.summary or a.content)
    ]
    assert empty == []
