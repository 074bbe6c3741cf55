"""Article pages and stored articles for the full-text tests (shared by their modules)."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape
from pathlib import Path

from newsstand.articles.models import Article, ArticleFeed
from newsstand.sources.models import Feed, Publisher
from newsstand.usecases.enrich import EnrichConfig

# Enrichment with the shipped section model only (no operator's model at this path).
ENRICHMENT = EnrichConfig(section_model=Path("/nonexistent/newsstand-test/sections.zip"))

PARAGRAPHS = [
    "The city council voted on Tuesday to rebuild the old harbour bridge, ending a debate "
    "that had divided the town for more than ten years and cost two mayors their seats.",
    "Engineers told the council that the bridge, opened in 1931, could no longer carry buses "
    "and that its steel piers were rusting faster than the last survey had predicted.",
    "The new bridge will have two lanes for cars, a wide path for bicycles and a lifting span "
    "so that the sailing ships of the summer festival can still reach the inner harbour.",
    "Work is due to start in the spring and to last three years. During that time a ferry "
    "will run every fifteen minutes between the two banks, free of charge for residents.",
    "Shop owners on the north bank said they feared losing customers while the bridge is "
    "closed, and asked the council for lower rents until the new crossing opens.",
    "The council's finance committee will publish the full cost next month. A first estimate "
    "put it at forty million euros, half of it paid by the regional government.",
]
TEASER = PARAGRAPHS[0].split(", ending")[0] + "."


def article_page(
    title: str = "Council votes to rebuild the harbour bridge",
    paragraphs: list[str] | None = None,
    *,
    author: str = "Maria Jensen",
    published: str = "2026-02-14",
    image: str = "https://images.example/bridge.jpg",
    lang: str = "en",
) -> bytes:
    """A news page: site chrome around an article with byline, date and lead image."""
    body = "".join(f"<p>{escape(p)}</p>" for p in (paragraphs or PARAGRAPHS))
    return f"""<!doctype html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{escape(title)} | Harbour Times</title>
<meta property="og:title" content="{escape(title)}">
<meta property="og:image" content="{escape(image)}">
<meta name="author" content="{escape(author)}">
<meta property="article:published_time" content="{published}T08:30:00Z">
</head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article>
<h1>{escape(title)}</h1>
<p class="byline">By {escape(author)}, <time datetime="{published}">{published}</time></p>
{body}
</article>
<aside><h2>Most read</h2><ul><li><a href="/a">Ferry timetable changes</a></li>
<li><a href="/b">Summer festival dates announced</a></li></ul></aside></main>
<footer><p>© 2026 Harbour Times. All rights reserved.</p></footer>
</body></html>""".encode()


def make_publisher(name: str = "Harbour Times", host: str = "127.0.0.1") -> Publisher:
    return Publisher.objects.create(name=name, host=host)


def make_feed(publisher: Publisher, url: str, *, full_text: str = "auto") -> Feed:
    return Feed.objects.create(url=url, publisher=publisher, full_text=full_text)


def make_article(
    feed: Feed,
    url: str,
    *,
    title: str = "Council votes to rebuild the harbour bridge",
    summary: str = f"<p>{TEASER}</p>",
    content: str = "",
    published: datetime | None = None,
    seen: datetime | None = None,
) -> Article:
    """An article as the store leaves it (``published`` None: the feed gave no date)."""
    seen = seen or datetime(2026, 3, 1, 12, tzinfo=UTC)
    article = Article.objects.create(
        publisher_id=feed.publisher_id,
        identity="url:" + url if url else "hash:" + title,
        url=url,
        title=title,
        summary=summary,
        content=content,
        published_at=published or seen,
        first_seen_at=seen,
        content_hash=url,
    )
    ArticleFeed.objects.create(article=article, feed=feed, first_seen_at=seen)
    return article
