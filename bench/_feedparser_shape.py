"""Our ParsedFeed dressed in feedparser's result shape, so feedparser's own expectations
(Python expressions over its result dict) can be evaluated against our parser.

Only the fields Newsstand keeps are filled: titles, links (rel/type/title), ids,
summaries, content, authors (name/e-mail/home page), dates, tags (term/scheme/label),
enclosures, comments, rights; on the feed also id, subtitle, language, authors, links,
tags, generator, image/logo, icon, dates; version and bozo. ``published``/``updated`` are
the dates as the feed wrote them where the parser reports that text, else the ISO form.
feedparser's own conventions are applied here, not in the model: a link without a type
is text/html when alternate and application/atom+xml when self. ``FeedParserDict`` supplies feedparser's aliases
(``description`` → ``summary``, ``guid`` → ``id``, ``issued`` → ``published``...).
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from feedparser.util import FeedParserDict

from newsstand.core.entries import Content, Link, ParsedEntry, ParsedFeed, Person, Tag

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


def _person(person: Person) -> FeedParserDict:
    shaped = FeedParserDict()
    for key in ("name", "email", "href"):
        if getattr(person, key):
            shaped[key] = getattr(person, key)
    return shaped


def _author_text(person: Person) -> str:
    if person.name and person.email:
        return f"{person.name} ({person.email})"
    return person.name or person.email


def _people(shaped: FeedParserDict, people: tuple[Person, ...]) -> None:
    if people:
        shaped["author"] = _author_text(people[0])
        shaped["author_detail"] = _person(people[0])
        shaped["authors"] = [_person(p) for p in people]


_DEFAULT_LINK_TYPES = {"alternate": "text/html", "self": "application/atom+xml"}


def _link(link: Link) -> FeedParserDict:
    shaped = FeedParserDict(rel=link.rel, href=link.href)
    type_ = link.type or _DEFAULT_LINK_TYPES.get(link.rel, "")
    if type_:
        shaped["type"] = type_
    if link.title:
        shaped["title"] = link.title
    if link.length is not None:
        shaped["length"] = str(link.length)
    return shaped


def _tags(shaped: FeedParserDict, tags: tuple[Tag, ...]) -> None:
    if tags:
        shaped["tags"] = [
            FeedParserDict(term=t.term or None, scheme=t.scheme or None, label=t.label or None)
            for t in tags
        ]


def _dates(shaped: FeedParserDict, item: ParsedEntry | ParsedFeed) -> None:
    for key in ("published", "updated"):
        moment = getattr(item, key)
        text = getattr(item, key + "_text")
        if text:
            shaped[key] = text
        if moment is not None:
            shaped.setdefault(key, moment.isoformat())
            shaped[key + "_parsed"] = _struct(moment)


def _rights(shaped: FeedParserDict, rights: str) -> None:
    if rights:
        shaped["rights"] = rights
        shaped["rights_detail"] = _detail(rights, "text/plain")


def _entry(entry: ParsedEntry) -> FeedParserDict:
    shaped = FeedParserDict()
    shaped["title"] = entry.title
    shaped["title_detail"] = _detail(entry.title, _mime(entry.title_type))
    links = [_link(link) for link in entry.links]
    if entry.link:
        shaped["link"] = entry.link
        if not any(link.href == entry.link for link in entry.links):
            links.insert(0, FeedParserDict(rel="alternate", href=entry.link, type="text/html"))
    enclosures = []
    for enclosure in entry.enclosures:
        item = FeedParserDict(rel="enclosure", href=enclosure.url)
        if enclosure.type:
            item["type"] = enclosure.type
        if enclosure.length is not None:
            item["length"] = str(enclosure.length)
        if not any(link.rel == "enclosure" and link.href == enclosure.url for link in entry.links):
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
    people = entry.people or tuple(Person(name) for name in entry.authors)
    _people(shaped, people)
    _dates(shaped, entry)
    _tags(shaped, entry.tags or tuple(Tag(c) for c in entry.categories))
    if entry.comments:
        shaped["comments"] = entry.comments
    _rights(shaped, entry.rights)
    return shaped


def _feed(parsed: ParsedFeed) -> FeedParserDict:
    shaped = FeedParserDict()
    if parsed.title:
        shaped["title"] = parsed.title
        shaped["title_detail"] = _detail(parsed.title, "text/plain")
    links = [_link(link) for link in parsed.links]
    if parsed.link:
        shaped["link"] = parsed.link
        if not any(link.href == parsed.link for link in parsed.links):
            links.insert(0, FeedParserDict(rel="alternate", href=parsed.link, type="text/html"))
    if links:
        shaped["links"] = links
    if parsed.id:
        shaped["id"] = parsed.id
    if parsed.description:
        shaped["subtitle"] = parsed.description
        shaped["subtitle_detail"] = _detail(parsed.description, _mime(parsed.description_type))
    if parsed.language:
        shaped["language"] = parsed.language
    if parsed.icon:
        shaped["icon"] = parsed.icon
    _people(shaped, parsed.people)
    _tags(shaped, parsed.tags)
    _dates(shaped, parsed)
    _rights(shaped, parsed.rights)
    if parsed.generator is not None:
        shaped["generator"] = parsed.generator.name
        detail = FeedParserDict()
        for key in ("name", "href", "version"):
            if getattr(parsed.generator, key):
                detail[key] = getattr(parsed.generator, key)
        shaped["generator_detail"] = detail
    if parsed.image is not None and parsed.format == "atom10":
        shaped["logo"] = parsed.image.url
    elif parsed.image is not None:
        image = FeedParserDict(href=parsed.image.url)
        for key in ("title", "link", "width", "height"):
            if getattr(parsed.image, key):
                image[key] = getattr(parsed.image, key)
        shaped["image"] = image
    return shaped


def feedparser_shape(parsed: ParsedFeed) -> dict[str, Any]:
    """The names an expectation may use, as feedparser would provide them."""
    return {
        "bozo": 1 if parsed.warnings else 0,
        "feed": _feed(parsed),
        "entries": [_entry(e) for e in parsed.entries],
        "version": _VERSIONS.get(parsed.format, parsed.format),
    }
