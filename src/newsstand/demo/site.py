"""What the demo publisher server serves, independent of HTTP: feeds, OPML, validators.

``DemoSite`` holds one feed per corpus publisher plus the special failing feeds, and answers
"what does this feed say now" with a cached rendering. A feed's body changes only when
the number of its published items changes (see ``newsstand.demo.timeline``), so each
feed is rendered once per new item and then served from memory: the server stays fast
with thousands of feeds polled at once. The full-text publishers' feeds and article pages
(``articles``, a ``newsstand.demo.article_site.ArticleShelf``) are listed in the OPML too.
"""

from __future__ import annotations

import gzip
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from newsstand.core.opml import OpmlOutline, render_opml
from newsstand.demo.corpus import DemoCorpus, DemoPublisher
from newsstand.demo.render import (
    CONTENT_TYPES,
    EXTENSIONS,
    FeedDocument,
    FeedEntry,
    FeedFormat,
    describe,
    entry_for,
    feed_format,
    render,
)
from newsstand.demo.timeline import Timeline, visible_count

if TYPE_CHECKING:
    from newsstand.demo.article_site import ArticleShelf

Clock = Callable[[], datetime]
FAILURES_CATEGORY = "Demo: failures"

# kind → (title, file name under /feeds/, what it shows)
SPECIAL_FEEDS: dict[str, tuple[str, str, str]] = {
    "moved": (
        "Demo: moved feed",
        "demo-moved.xml",
        "answers 301 Moved Permanently to demo-moved-here.xml, a valid feed",
    ),
    "server-error": ("Demo: server error", "demo-server-error.xml", "answers 500"),
    "gone": ("Demo: gone feed", "demo-gone.xml", "answers 410 Gone"),
    "slow": (
        "Demo: slow feed",
        "demo-slow.xml",
        "starts a feed, then trickles a byte a second for up to two minutes and closes",
    ),
    "not-a-feed": ("Demo: not a feed", "demo-not-a-feed.xml", "serves an HTML page"),
    "malformed": ("Demo: broken XML", "demo-malformed.xml", "serves malformed XML"),
}
MOVED_TARGET = "demo-moved-here.xml"


@dataclass(frozen=True, slots=True)
class Rendered:
    """A response body with its validators, ready to serve."""

    body: bytes
    gzipped: bytes
    etag: str  # weak: the same for the identity and gzip codings
    last_modified: datetime
    content_type: str


def rendered(body: bytes, last_modified: datetime, content_type: str) -> Rendered:
    digest = hashlib.blake2b(body, digest_size=10).hexdigest()
    gzipped = gzip.compress(body, compresslevel=6, mtime=0)
    return Rendered(body, gzipped, f'W/"{digest}"', last_modified, content_type)


@dataclass(slots=True)
class PublisherFeed:
    """One publisher's feed and the publication times of its items (ascending)."""

    publisher: DemoPublisher
    format: FeedFormat
    file_name: str
    times: tuple[datetime, ...]
    cached: tuple[int, Rendered] | None = field(default=None)


class DemoSite:
    """The demo's feeds, OPML and pages for one server run at ``base_url``."""

    def __init__(
        self,
        corpus: DemoCorpus,
        timeline: Timeline,
        *,
        base_url: str,
        now: Clock,
        max_items: int = 30,
        articles: ArticleShelf | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.articles = articles
        self.timeline = timeline
        self.now = now
        self.max_items = max_items
        self.feeds: dict[str, PublisherFeed] = {}
        for publisher in corpus.publishers:
            fmt = feed_format(publisher.slug)
            file_name = f"{publisher.slug}.{EXTENSIONS[fmt]}"
            times = tuple(timeline.published[item.id] for item in publisher.items)
            self.feeds[file_name] = PublisherFeed(publisher, fmt, file_name, times)
        self.opml = rendered(self._opml_body(), timeline.start, "text/x-opml; charset=utf-8")
        self.moved_target = rendered(
            self._moved_target_body(), timeline.first, CONTENT_TYPES["rss"]
        )

    def feed_url(self, file_name: str) -> str:
        return f"{self.base_url}/feeds/{file_name}"

    @property
    def feed_urls(self) -> tuple[str, ...]:
        """The publishers' feeds (the special failing feeds are not among them)."""
        return tuple(self.feed_url(name) for name in self.feeds)

    @property
    def article_feed_urls(self) -> tuple[str, ...]:
        """The full-text publishers' teaser feeds (Wikinews, Global Voices, dev pages)."""
        return self.articles.feed_urls if self.articles is not None else ()

    @property
    def special_feed_urls(self) -> dict[str, str]:
        return {kind: self.feed_url(spec[1]) for kind, spec in SPECIAL_FEEDS.items()}

    def current(self, feed: PublisherFeed) -> Rendered:
        """The feed as it reads now (rendered once per change of its visible items)."""
        count = visible_count(feed.times, self.now())
        if feed.cached is not None and feed.cached[0] == count:
            return feed.cached[1]
        result = self._render_feed(feed, count)
        feed.cached = (count, result)
        return result

    def _render_feed(self, feed: PublisherFeed, count: int) -> Rendered:
        publisher = feed.publisher
        first = max(0, count - self.max_items)
        visible = list(zip(publisher.items[first:count], feed.times[first:count], strict=True))
        entries = [entry_for(item, published) for item, published in reversed(visible)]
        updated = feed.times[count - 1] if count else self.timeline.first
        doc = FeedDocument(
            id=f"urn:newsstand-demo:feed:{publisher.slug}",
            title=publisher.name,
            homepage=publisher.homepage,
            self_url=self.feed_url(feed.file_name),
            description=describe(publisher),
            updated=updated,
            entries=entries,
        )
        return rendered(render(feed.format, doc), updated, CONTENT_TYPES[feed.format])

    def _opml_body(self) -> bytes:
        ordered = sorted(
            self.feeds.values(), key=lambda f: (f.publisher.category, f.publisher.name.lower())
        )
        outlines = [
            OpmlOutline(
                xml_url=self.feed_url(feed.file_name),
                html_url=feed.publisher.homepage,
                title=feed.publisher.name,
                category_path=(feed.publisher.category,),
            )
            for feed in ordered
        ]
        if self.articles is not None:
            outlines += self.articles.outlines()
        outlines += [
            OpmlOutline(
                xml_url=self.feed_url(file_name),
                html_url=f"{self.base_url}/about#{kind}",
                title=title,
                category_path=(FAILURES_CATEGORY,),
            )
            for kind, (title, file_name, _) in SPECIAL_FEEDS.items()
        ]
        return render_opml("Newsstand demo publishers", outlines, now=self.timeline.start)

    def _moved_target_body(self) -> bytes:
        start = self.timeline.first
        entry = FeedEntry(
            guid="urn:newsstand-demo:moved:1",
            title="This feed has moved",
            link=f"{self.base_url}/about#moved",
            published=start,
            description=(
                "The demo listed this feed at demo-moved.xml, which now answers 301 Moved "
                "Permanently. A reader should follow it and remember this address."
            ),
            category="Demo",
            author="Newsstand demo",
        )
        doc = FeedDocument(
            id="urn:newsstand-demo:feed:demo-moved",
            title=SPECIAL_FEEDS["moved"][0],
            homepage=f"{self.base_url}/about",
            self_url=self.feed_url(MOVED_TARGET),
            description="The target of the demo's permanent redirect.",
            updated=start,
            entries=[entry],
        )
        return render("rss", doc)
