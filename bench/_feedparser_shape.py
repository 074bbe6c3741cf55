"""Our ParsedFeed dressed in feedparser's result shape, so feedparser's own expectations
(Python expressions over its result dict) can be evaluated against our parser.

Only the fields Newsstand keeps are filled: titles, links, ids, summaries, content,
authors' names, dates, categories, enclosures, comments, feed title/link/language/
subtitle/icon, version and bozo. ``FeedParserDict`` supplies feedparser's aliases
(``description`` → ``summary``, ``guid`` → ``id``, ``issued`` → ``published``...).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from feedparser.util import FeedParserDict

from newsstand.core.entries import Content, ParsedEntry, ParsedFeed

_VERSIONS = {
    "rss20": "rss20",
    "rss10": "rss10",
    "rss09x": "rss09x",
    "atom10": "atom10",
    "atom03": "atom03",
    "json10": "json1",
    "json11": "json11",
}


def _struct(moment: datetime | None) -> time.struct_time | None:
    return moment.utctimetuple() if moment is not None else None


def _detail(value: str, type_: str) -> FeedParserDict:
    return FeedParserDict(type=type_, value=value, language=None, base="")


def _mime(kind: str) -> str:
    return "text/plain" if kind == "text" else "text/html"


def _content_detail(content: Content) -> FeedParserDict:
    return _detail(content.value, _mime(content.type))


def _entry(entry: ParsedEntry) -> FeedParserDict:
    shaped = FeedParserDict()
    shaped["title"] = entry.title
    shaped["title_detail"] = _detail(entry.title, _mime(entry.title_type))
    links = []
    if entry.link:
        shaped["link"] = entry.link
        links.append(FeedParserDict(rel="alternate", href=entry.link, type="text/html"))
    enclosures = []
    for enclosure in entry.enclosures:
        item = FeedParserDict(rel="enclosure", href=enclosure.url)
        if enclosure.type:
            item["type"] = enclosure.type
        if enclosure.length is not None:
            item["length"] = str(enclosure.length)
        links.append(item)
        enclosures.append(item)
    shaped["links"] = links
    if enclosures:
        shaped["enclosures"] = enclosures
    if entry.guid:
        shaped["id"] = entry.guid
    summary = entry.summary or entry.content
    if summary is not None:
        shaped["summary"] = summary.value
        shaped["summary_detail"] = _content_detail(summary)
    if entry.content is not None:
        shaped["content"] = [_content_detail(entry.content)]
    if entry.authors:
        shaped["author"] = entry.authors[0]
        shaped["author_detail"] = FeedParserDict(name=entry.authors[0])
        shaped["authors"] = [FeedParserDict(name=name) for name in entry.authors]
    for key in ("published", "updated"):
        moment = getattr(entry, key)
        if moment is not None:
            shaped[key] = moment.isoformat()
            shaped[key + "_parsed"] = _struct(moment)
    if entry.categories:
        shaped["tags"] = [FeedParserDict(term=c, scheme=None, label=None) for c in entry.categories]
    if entry.comments:
        shaped["comments"] = entry.comments
    return shaped


def _feed(parsed: ParsedFeed) -> FeedParserDict:
    shaped = FeedParserDict()
    if parsed.title:
        shaped["title"] = parsed.title
        shaped["title_detail"] = _detail(parsed.title, "text/plain")
    if parsed.link:
        shaped["link"] = parsed.link
        shaped["links"] = [FeedParserDict(rel="alternate", href=parsed.link, type="text/html")]
    if parsed.description:
        shaped["subtitle"] = parsed.description
        shaped["subtitle_detail"] = _detail(parsed.description, "text/html")
    if parsed.language:
        shaped["language"] = parsed.language
    if parsed.icon:
        shaped["icon"] = parsed.icon
    return shaped


def feedparser_shape(parsed: ParsedFeed) -> dict[str, Any]:
    """The names an expectation may use, as feedparser would provide them."""
    return {
        "bozo": 1 if parsed.warnings else 0,
        "feed": _feed(parsed),
        "entries": [_entry(e) for e in parsed.entries],
        "version": _VERSIONS.get(parsed.format, parsed.format),
    }
