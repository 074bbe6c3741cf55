"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1) into the canonical model.

Read directly with ``json``: the format is small and both versions map field by field.
Values of the wrong type are ignored rather than trusted.
"""

from __future__ import annotations

import json
from typing import Any

from newsstand.core.entries import Content, Enclosure, Link, ParsedEntry, ParsedFeed, Person, Tag
from newsstand.core.errors import NotAFeed, ParseError
from newsstand.core.images import ImageCandidate
from newsstand.core.parsing.common import (
    content_or_none,
    datetime_from_iso,
    int_or_none,
    keep_newest,
    names_of,
)

_VERSION_PREFIX = "https://jsonfeed.org/version/"


def _str(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def _id(value: Any) -> str:
    """Item ids should be strings; some feeds give numbers."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _str(value)


def _people(container: dict[str, Any]) -> tuple[Person, ...]:
    """JSON Feed 1.1 ``authors``, else 1.0 ``author``: name and home page (``url``)."""
    raw = container.get("authors")
    if not isinstance(raw, list):
        single = container.get("author")
        raw = [single] if isinstance(single, dict) else []
    people: list[Person] = []
    for author in raw:
        if isinstance(author, dict):
            person = Person(_str(author.get("name")), href=_str(author.get("url")))
            if (person.name or person.href) and person not in people:
                people.append(person)
    return tuple(people)


def _links(*pairs: tuple[str, Any]) -> tuple[Link, ...]:
    return tuple(Link(_str(href), rel) for rel, href in pairs if _str(href))


def _enclosures(item: dict[str, Any]) -> tuple[Enclosure, ...]:
    found = []
    for attachment in item.get("attachments") or ():
        if isinstance(attachment, dict) and _str(attachment.get("url")):
            found.append(
                Enclosure(
                    _str(attachment.get("url")),
                    _str(attachment.get("mime_type")),
                    int_or_none(attachment.get("size_in_bytes")),
                )
            )
    return tuple(found)


def _entry(item: dict[str, Any], feed_people: tuple[Person, ...]) -> ParsedEntry:
    content: Content | None = content_or_none(item.get("content_html"), "html")
    if content is None:
        content = content_or_none(item.get("content_text"), "text")
    tags = item.get("tags")
    categories = (
        tuple(dict.fromkeys(t.strip() for t in tags if isinstance(t, str) and t.strip()))
        if isinstance(tags, list)
        else ()
    )
    people = _people(item) or feed_people
    published, updated = _str(item.get("date_published")), _str(item.get("date_modified"))
    return ParsedEntry(
        guid=_id(item.get("id")),
        link=_str(item.get("url")) or _str(item.get("external_url")),
        title=_str(item.get("title")),
        title_type="text",
        summary=content_or_none(item.get("summary"), "text"),
        content=content,
        authors=names_of(people),
        published=datetime_from_iso(published),
        updated=datetime_from_iso(updated),
        categories=categories,
        image=_str(item.get("image")) or _str(item.get("banner_image")),
        enclosures=_enclosures(item),
        media=tuple(
            ImageCandidate(url, "jsonfeed")
            for url in (_str(item.get("image")), _str(item.get("banner_image")))
            if url
        ),
        language=_str(item.get("language")),
        people=people,
        tags=tuple(Tag(term) for term in categories),
        links=_links(("alternate", item.get("url")), ("related", item.get("external_url"))),
        published_text=published,
        updated_text=updated,
    )


def parse_json_feed(data: bytes) -> ParsedFeed:
    """Parse a JSON Feed document.

    Raises NotAFeed (valid JSON that is not a JSON Feed) and ParseError (invalid JSON,
    nesting too deep, numbers too long).
    """
    try:
        document = json.loads(data)
    except RecursionError as exc:
        raise ParseError("JSON nested too deeply") from exc
    except ValueError as exc:  # includes JSONDecodeError, UnicodeDecodeError, int digit limit
        raise ParseError(f"invalid JSON: {exc}") from exc
    if not isinstance(document, dict):
        raise NotAFeed("JSON document is not an object")
    version = _str(document.get("version"))
    if not version.startswith(_VERSION_PREFIX) or not isinstance(document.get("items"), list):
        raise NotAFeed("JSON document is not a JSON Feed")
    feed_people = _people(document)
    items = [item for item in document["items"] if isinstance(item, dict)]
    return ParsedFeed(
        format="json11" if version.endswith("/1.1") else "json10",
        title=_str(document.get("title")),
        link=_str(document.get("home_page_url")),
        description=_str(document.get("description")),
        language=_str(document.get("language")),
        icon=_str(document.get("icon")) or _str(document.get("favicon")),
        entries=keep_newest([_entry(item, feed_people) for item in items]),
        people=feed_people,
        links=_links(
            ("alternate", document.get("home_page_url")), ("self", document.get("feed_url"))
        ),
        description_type="text",
    )
