"""Demo feeds as documents: RSS 2.0, Atom 1.0 and JSON Feed 1.1.

Each publisher gets one format, fixed by a hash of its slug (about 70 % RSS, 20 % Atom,
10 % JSON Feed), so a run of the demo exercises every parser path the same way each time.
The documents carry what real news feeds carry: title, link to the original article, a
stable id, publication time, a short description, a category and the publisher as author.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from typing import Literal
from xml.sax.saxutils import escape, quoteattr

from newsstand.demo.corpus import DemoItem, DemoPublisher

FeedFormat = Literal["rss", "atom", "json"]
EXTENSIONS: dict[FeedFormat, str] = {"rss": "xml", "atom": "atom", "json": "json"}
CONTENT_TYPES: dict[FeedFormat, str] = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "json": "application/feed+json; charset=utf-8",
}
_NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One item as a feed shows it."""

    guid: str
    title: str
    link: str
    published: datetime
    description: str
    category: str
    author: str
    categories: tuple[str, ...] = ()  # more categories after ``category``
    rights: str = ""  # licence line of the item (dc:rights, Atom rights)


@dataclass(frozen=True, slots=True)
class FeedDocument:
    """What one feed says at one moment."""

    id: str  # stable across runs (the port is not part of it)
    title: str
    homepage: str
    self_url: str
    description: str
    updated: datetime
    entries: Sequence[FeedEntry]  # newest first


def feed_format(slug: str) -> FeedFormat:
    """The format a publisher's feed is served in (stable across runs)."""
    bucket = int(hashlib.sha256(slug.encode()).hexdigest()[:8], 16) % 10
    if bucket < 7:
        return "rss"
    return "atom" if bucket < 9 else "json"


def entry_for(item: DemoItem, published: datetime) -> FeedEntry:
    return FeedEntry(
        guid=f"urn:newsstand-demo:uci:{item.id}",
        title=item.title,
        link=item.url,
        published=published,
        # The corpus has headlines only: no summary (a sentence common to every item would
        # pull every article towards every other in story clustering).
        description="",
        category=item.category,
        author=item.publisher,
    )


def describe(publisher: DemoPublisher) -> str:
    return (
        f"Headlines from {publisher.name} in the UCI News Aggregator corpus, "
        "served by the Newsstand demo."
    )


def render(fmt: FeedFormat, doc: FeedDocument) -> bytes:
    """The feed document in ``fmt``, UTF-8 encoded."""
    if fmt == "rss":
        return render_rss(doc)
    if fmt == "atom":
        return render_atom(doc)
    return render_json_feed(doc)


def _all_categories(entry: FeedEntry) -> list[str]:
    return [c for c in (entry.category, *entry.categories) if c]


def render_rss(doc: FeedDocument) -> bytes:
    items = "".join(
        "<item>"
        f"<title>{_text(e.title)}</title>"
        f"<link>{_text(e.link)}</link>"
        f'<guid isPermaLink="false">{_text(e.guid)}</guid>'
        f"<pubDate>{_rfc822(e.published)}</pubDate>"
        f"<description>{_text(e.description)}</description>"
        + "".join(f"<category>{_text(c)}</category>" for c in _all_categories(e))
        + (f"<dc:creator>{_text(e.author)}</dc:creator>" if e.author else "")
        + (f"<dc:rights>{_text(e.rights)}</dc:rights>" if e.rights else "")
        + "</item>\n"
        for e in doc.entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n<channel>\n'
        f"<title>{_text(doc.title)}</title>\n"
        f"<link>{_text(doc.homepage)}</link>\n"
        f"<description>{_text(doc.description)}</description>\n"
        "<language>en</language>\n"
        f"<lastBuildDate>{_rfc822(doc.updated)}</lastBuildDate>\n"
        f'<atom:link rel="self" type="application/rss+xml" href={_attr(doc.self_url)}/>\n'
        f"{items}</channel>\n</rss>\n"
    ).encode()


def render_atom(doc: FeedDocument) -> bytes:
    entries = "".join(
        "<entry>"
        f"<id>{_text(e.guid)}</id>"
        f'<title type="text">{_text(e.title)}</title>'
        f'<link rel="alternate" type="text/html" href={_attr(e.link)}/>'
        f"<published>{_iso(e.published)}</published>"
        f"<updated>{_iso(e.published)}</updated>"
        f'<summary type="text">{_text(e.description)}</summary>'
        + "".join(f"<category term={_attr(c)}/>" for c in _all_categories(e))
        + (f"<author><name>{_text(e.author)}</name></author>" if e.author else "")
        + (f'<rights type="text">{_text(e.rights)}</rights>' if e.rights else "")
        + "</entry>\n"
        for e in doc.entries
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\n'
        f"<id>{_text(doc.id)}</id>\n"
        f'<title type="text">{_text(doc.title)}</title>\n'
        f'<subtitle type="text">{_text(doc.description)}</subtitle>\n'
        f"<updated>{_iso(doc.updated)}</updated>\n"
        f'<link rel="alternate" type="text/html" href={_attr(doc.homepage)}/>\n'
        f'<link rel="self" type="application/atom+xml" href={_attr(doc.self_url)}/>\n'
        f"<author><name>{_text(doc.title)}</name></author>\n"
        f"{entries}</feed>\n"
    ).encode()


def render_json_feed(doc: FeedDocument) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": doc.title,
        "home_page_url": doc.homepage,
        "feed_url": doc.self_url,
        "description": doc.description,
        "language": "en",
        "authors": [{"name": doc.title}],
        "items": [
            {
                "id": e.guid,
                "url": e.link,
                "title": e.title,
                "content_text": e.description,
                "summary": e.description,
                "date_published": _iso(e.published),
                "tags": _all_categories(e),
                "authors": [{"name": e.author}] if e.author else [],
            }
            for e in doc.entries
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=1).encode() + b"\n"


def _text(value: str) -> str:
    return escape(_NOT_XML_CHARS.sub("", value))


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML_CHARS.sub("", value))


def _rfc822(moment: datetime) -> str:
    return format_datetime(moment, usegmt=True)


def _iso(moment: datetime) -> str:
    return moment.isoformat().replace("+00:00", "Z")
