"""What the full-text demo publishers serve: teaser feeds and article pages, over time.

Each source (Wikinews, Global Voices, a development folder) has one RSS feed,
``/feeds/<key>.xml``, and one page per article, ``/articles/<key>/<slug>.html``. Articles
arrive in their original order on the demo's clock (the same simulation as the
headline feeds, see ``newsstand.demo.timeline``): a feed shows its newest ``max_items``
arrived articles, and a page answers 404 until its article has arrived. Feeds and pages
give each article its own original date (2004-2023), as an archive publishing its back
catalogue would: the reader shows them as archive, never as news of the moment. Feeds are
rendered once per change, pages once, and both are then served from memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from newsstand.core.opml import OpmlOutline
from newsstand.demo.article_pages import feed_entry, render_article_feed, render_article_page
from newsstand.demo.articles import ArticleSource, DemoArticle
from newsstand.demo.render import CONTENT_TYPES
from newsstand.demo.site import Clock, Rendered, rendered
from newsstand.demo.timeline import visible_count

FULL_TEXT_CATEGORY = "Demo: full text"
RELATED_LINKS = 5
ROBOTS_TXT = (
    b"# Newsstand demo publishers: every page may be fetched but /private/.\n"
    b"User-agent: *\nDisallow: /private/\n"
)


@dataclass(slots=True)
class ArticleFeed:
    """One full-text source's feed and the publication times of its articles."""

    source: ArticleSource
    file_name: str
    times: tuple[datetime, ...]  # one per article, ascending
    cached: tuple[int, Rendered] | None = field(default=None)


class ArticleShelf:
    """The full-text sources of one server run at ``base_url``."""

    def __init__(
        self,
        sources: Sequence[ArticleSource],
        *,
        times_for: Callable[[int], Sequence[datetime]],
        base_url: str,
        now: Clock,
        max_items: int = 30,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.now = now
        self.max_items = max_items
        self.feeds: dict[str, ArticleFeed] = {}
        self._where: dict[tuple[str, str], tuple[ArticleFeed, int]] = {}
        self._pages: dict[tuple[str, str], Rendered] = {}
        for source in sources:
            feed = ArticleFeed(source, f"{source.key}.xml", tuple(times_for(len(source.articles))))
            self.feeds[feed.file_name] = feed
            for index, article in enumerate(source.articles):
                self._where[(source.key, article.slug)] = (feed, index)

    def feed_url(self, feed: ArticleFeed) -> str:
        return f"{self.base_url}/feeds/{feed.file_name}"

    def page_url(self, source: ArticleSource, article: DemoArticle) -> str:
        return f"{self.base_url}/articles/{source.key}/{article.slug}.html"

    @property
    def feed_urls(self) -> tuple[str, ...]:
        return tuple(self.feed_url(feed) for feed in self.feeds.values())

    def current(self, feed: ArticleFeed) -> Rendered:
        """The feed as it reads now (rendered once per change of its visible articles)."""
        count = visible_count(feed.times, self.now())
        if feed.cached is not None and feed.cached[0] == count:
            return feed.cached[1]
        source = feed.source
        first = max(0, count - self.max_items)
        entries = [
            feed_entry(
                source,
                article,
                published=article.published(moment),
                page_url=self.page_url(source, article),
            )
            for article, moment in zip(
                source.articles[first:count], feed.times[first:count], strict=True
            )
        ]
        updated = feed.times[count - 1] if count else (feed.times[0] if feed.times else self.now())
        body = render_article_feed(
            source, entries[::-1], self_url=self.feed_url(feed), updated=updated
        )
        result = rendered(body, updated, CONTENT_TYPES["rss"])
        feed.cached = (count, result)
        return result

    def page(self, source_key: str, name: str) -> Rendered | None:
        """The page ``/articles/<source_key>/<name>``, or ``None`` (unknown, not yet out)."""
        key = (source_key, name.removesuffix(".html"))
        found = self._where.get(key)
        if found is None:
            return None
        feed, index = found
        if feed.times[index] > self.now():
            return None
        page = self._pages.get(key)
        if page is None:
            page = self._render_page(feed, index)
            self._pages[key] = page
        return page

    def _render_page(self, feed: ArticleFeed, index: int) -> Rendered:
        source = feed.source
        article = source.articles[index]
        older = source.articles[max(0, index - RELATED_LINKS) : index][::-1]
        related = [(a.title, self.page_url(source, a)) for a in older]
        body = render_article_page(
            source,
            article,
            published=article.published(feed.times[index]),
            page_url=self.page_url(source, article),
            related=related,
        )
        return rendered(body, feed.times[index], _html_type(body, saved=bool(article.page)))

    def outlines(self) -> list[OpmlOutline]:
        return [
            OpmlOutline(
                xml_url=self.feed_url(feed),
                html_url=feed.source.homepage,
                title=feed.source.name,
                category_path=(FULL_TEXT_CATEGORY,),
            )
            for feed in self.feeds.values()
        ]


def _html_type(body: bytes, *, saved: bool) -> str:
    """``text/html`` with the charset when it is known (a saved page may not be UTF-8)."""
    if not saved:
        return "text/html; charset=utf-8"
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return "text/html"
    return "text/html; charset=utf-8"
