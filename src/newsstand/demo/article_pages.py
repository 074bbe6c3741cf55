"""Article pages and teaser feeds of the full-text demo publishers.

A page looks like a news site's: a header with the site's name and sections, a
subscription box, the article (headline, byline, time, body), its attribution with the
licence and what the demo changed, a "more from" list and a footer. Global Voices pages
carry the article's original HTML; Wikinews pages one ``<p>`` per paragraph. Pages of a
development folder are served as they were saved, without this template.

The feed items carry only the first sentence (a teaser), the page's address, the
article's categories, the author and a ``<dc:rights>`` line, so Newsstand fetches and
extracts the page through its normal full-text path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from html import escape
from urllib.parse import urlsplit

from newsstand.demo.articles import ArticleSource, DemoArticle
from newsstand.demo.render import FeedDocument, FeedEntry, render

SECTIONS = ("World", "Politics", "Business", "Technology", "Science", "Culture")
_STYLE = (
    "body{font:17px/1.6 Georgia,serif;margin:0;color:#222}"
    "header,footer{background:#14213d;color:#fff;padding:.6em 1em}"
    "header a,footer a{color:#fff}nav a{margin-right:1em;font:14px sans-serif}"
    "main{max-width:46em;margin:auto;padding:1em}.byline{color:#555;font:14px sans-serif}"
    ".attribution{border-top:1px solid #ccc;font:14px sans-serif;color:#444}"
    ".newsletter{background:#f1f1f1;padding:.5em 1em;font:14px sans-serif}"
)


def _body(article: DemoArticle) -> str:
    if article.html:
        return article.html
    return "".join(f"<p>{escape(p)}</p>" for p in article.paragraphs)


def _byline(source: ArticleSource, article: DemoArticle, published: datetime) -> str:
    who = f"By {escape(article.author)}" if article.author else f"From {escape(source.name)}"
    stamp = published.strftime("%d %B %Y, %H:%M UTC")
    return f'<p class="byline">{who} · <time datetime="{published.isoformat()}">{stamp}</time></p>'


def _attribution(source: ArticleSource, article: DemoArticle) -> str:
    licences = ", ".join(
        f'<a rel="license" href="{escape(url)}">{escape(name)}</a>'
        for name, url in article.licence_links
    )
    original = ""
    if article.url:
        host = urlsplit(article.url).netloc
        when = f" on {escape(article.date)}" if article.date else ""
        original = (
            f'Originally published{when} at <a href="{escape(article.url)}">{escape(host)}</a>. '
        )
    return (
        '<footer class="attribution">'
        f"<p>{original}{escape(article.attribution)}.</p>"
        f"<p>Licence: {escape(article.licence)}{' (' + licences + ')' if licences else ''}. "
        f"{escape(source.changes)}.</p></footer>"
    )


def _related(links: Sequence[tuple[str, str]], source: ArticleSource) -> str:
    if not links:
        return ""
    items = "".join(f'<li><a href="{escape(u)}">{escape(t)}</a></li>' for t, u in links)
    return (
        f'<aside class="related"><h2>More from {escape(source.name)}</h2><ul>{items}</ul></aside>'
    )


def render_article_page(
    source: ArticleSource,
    article: DemoArticle,
    *,
    published: datetime,
    page_url: str,
    related: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The article's page (a development page: its saved bytes, unchanged)."""
    if article.page:
        return article.page
    title = escape(article.title)
    nav = "".join(f'<a href="/about#{s.lower()}">{s}</a>' for s in SECTIONS)
    author = f'<meta name="author" content="{escape(article.author)}">' if article.author else ""
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title} | {escape(source.name)} (Newsstand demo)</title>"
        f'<meta property="og:title" content="{title}"><meta property="og:type" content="article">'
        f'<meta property="og:site_name" content="{escape(source.name)}">{author}'
        f'<meta property="article:published_time" content="{published.isoformat()}">'
        f'<link rel="canonical" href="{escape(page_url)}"><style>{_STYLE}</style></head>\n<body>'
        f'<header><a class="logo" href="/about"><strong>{escape(source.name)}</strong></a> '
        f"<small>on the Newsstand demo</small><nav>{nav}</nav></header>\n<main>"
        f"<article><h1>{title}</h1>{_byline(source, article, published)}"
        f'<div class="article-body">{_body(article)}</div>{_attribution(source, article)}'
        "</article>\n"
        '<div class="newsletter"><p><strong>Get the day\'s stories by e-mail.</strong> '
        "Sign up for our free newsletter.</p></div>"
        f"{_related(related, source)}</main>\n"
        f"<footer><p>{escape(source.name)} articles served offline by the Newsstand demo "
        'publisher server. <a href="/about">About</a></p></footer>\n</body></html>\n'
    ).encode()


def feed_entry(
    source: ArticleSource, article: DemoArticle, *, published: datetime, page_url: str
) -> FeedEntry:
    """The article as a teaser feed item that links to its page on the demo server."""
    categories = article.categories
    return FeedEntry(
        guid=f"urn:newsstand-demo:{source.key}:{article.id}",
        title=article.title,
        link=page_url,
        published=published,
        description=article.teaser,
        category=categories[0] if categories else "",
        categories=categories[1:],
        author=article.author,
        rights=source.rights(article),
    )


def render_article_feed(
    source: ArticleSource,
    entries: Sequence[FeedEntry],
    *,
    self_url: str,
    updated: datetime,
) -> bytes:
    """The source's RSS feed with ``entries`` (newest first)."""
    doc = FeedDocument(
        id=f"urn:newsstand-demo:feed:{source.key}",
        title=source.name,
        homepage=source.homepage,
        self_url=self_url,
        description=source.description,
        updated=updated,
        entries=entries,
    )
    return render("rss", doc)
