"""The fast path: fastfeedparser's result mapped into the canonical model.

Only called for documents that ``trust.fast_plan`` accepted; the result is checked once
more (entry count against the byte count of items) and ``FastPathDistrust`` sends the
document to the tolerant parser instead.
"""

from __future__ import annotations

import re
from functools import lru_cache
from operator import itemgetter
from typing import Any

import fastfeedparser
from fastfeedparser import main as _ffp_main

from newsstand.core.entries import Content, Enclosure, Link, ParsedEntry, ParsedFeed, Person, Tag
from newsstand.core.images import ImageCandidate
from newsstand.core.parsing.common import (
    MAX_ENTRIES,
    alternate_link,
    content_or_none,
    content_type_of,
    datetime_from_iso,
    int_or_none,
    keep_newest,
    names_of,
    person_from_text,
    tags_from,
    terms_of,
)
from newsstand.core.parsing.head import HeadUnreadable, read_head
from newsstand.core.parsing.skeleton import Extras, SkeletonMismatch, scan
from newsstand.core.parsing.trust import FastPlan

_XHTML_WRAPPER = re.compile(r"^\s*<(?:\w+:)?content\b[^>]*>(.*)</(?:\w+:)?content>\s*$", re.DOTALL)
_XHTML_DIV = re.compile(r"^\s*<div\b[^>]*>(.*)</div>\s*$", re.DOTALL)


_FIRST_ENTRY = re.compile(rb"<(?:\w+:)?(?:item|entry)\b")


class FastPathDistrust(Exception):
    """The fast parser's result does not match the document; use the tolerant parser."""


def _unwrap_xhtml(value: str) -> str:
    match = _XHTML_WRAPPER.match(value)
    if match:
        value = match.group(1)
    match = _XHTML_DIV.match(value)
    return match.group(1).strip() if match else value.strip()


def _synthesized(entry: dict[str, Any]) -> bool:
    """Whether fastfeedparser made up ``description`` from the content."""
    description = entry.get("description")
    content = entry.get("content")
    if not description or not content or len(description) > _ffp_main._SYNTH_DESCRIPTION_LEN:
        return False
    if _starts_otherwise(description, content):
        return False
    probe: dict[str, Any] = {"content": content}
    _ffp_main._synthesize_entry_description(probe)
    return bool(probe.get("description") == description)


# The first word of HTML or text: leading whitespace and tags skipped, up to the next
# whitespace or "<".
_FIRST_WORD = re.compile(r"(?:\s|<[^>]+>)*([^\s<]+)")


def _starts_otherwise(description: str, content: object) -> bool:
    """Whether ``description`` cannot have been made from ``content``: a made-up description
    is the content's text (tags replaced by spaces, references decoded, whitespace
    collapsed) cut short, so it starts with the content's first word (copied as it is
    when it holds no character reference), or is itself the start of that word. Saves
    making one up to compare."""
    if not isinstance(content, list) or not isinstance(content[0], dict):
        return False
    value = content[0].get("value")
    if not isinstance(value, str):
        return False
    match = _FIRST_WORD.match(value)
    if match is None or "&" in match[1]:
        return False
    word = match[1]
    # Either may be cut short: the description at its length cap, the word where only
    # the start of long content is read.
    shorter = min(len(word), len(description))
    return description[:shorter] != word[:shorter]


def _content(entry: dict[str, Any], summary: Content | None) -> Content | None:
    items = entry.get("content")
    if not isinstance(items, list) or not items or not isinstance(items[0], dict):
        return None
    first = items[0]
    declared = str(first.get("type") or "")
    value = first.get("value")
    if not isinstance(value, str):
        return None
    if declared in ("xhtml", "application/xhtml+xml"):
        value = _unwrap_xhtml(value)
    content = content_or_none(value, content_type_of(declared))
    if content is not None and summary is not None and content.value == summary.value:
        return None
    return content


def _image(entry: dict[str, Any]) -> str:
    image = entry.get("image")
    if isinstance(image, str) and image:
        return image
    if isinstance(image, dict) and isinstance(image.get("href") or image.get("url"), str):
        return str(image.get("href") or image.get("url"))
    for media in entry.get("media_content") or ():
        if not isinstance(media, dict) or not isinstance(media.get("url"), str):
            continue
        medium, type_ = str(media.get("medium") or ""), str(media.get("type") or "")
        if medium == "image" or type_.startswith("image/") or not (medium or type_):
            return str(media["url"])
    return ""


def _media(entry: dict[str, Any]) -> tuple[ImageCandidate, ...]:
    """The entry's media:content pictures with their declared sizes."""
    found = []
    for media in entry.get("media_content") or ():
        if not isinstance(media, dict) or not isinstance(media.get("url"), str):
            continue
        medium, type_ = str(media.get("medium") or ""), str(media.get("type") or "")
        if medium == "image" or type_.startswith("image/") or not (medium or type_):
            found.append(
                ImageCandidate(
                    str(media["url"]),
                    "media_content",
                    int_or_none(media.get("width")) or 0,
                    int_or_none(media.get("height")) or 0,
                    type_,
                )
            )
    return tuple(found)


def _enclosures(entry: dict[str, Any]) -> tuple[Enclosure, ...]:
    found: list[Enclosure] = []
    for item in entry.get("enclosures") or ():
        if isinstance(item, dict) and isinstance(item.get("url"), str) and item["url"]:
            found.append(
                Enclosure(item["url"], str(item.get("type") or ""), int_or_none(item.get("length")))
            )
    for link in entry.get("links") or ():
        if isinstance(link, dict) and link.get("rel") == "enclosure" and link.get("href"):
            found.append(Enclosure(str(link["href"]), str(link.get("type") or ""), None))
    return tuple(found)


@lru_cache(maxsize=1024)  # entries of a feed share their authors and tags
def _rss_people(author: str) -> tuple[tuple[Person, ...], tuple[str, ...]]:
    people = (person_from_text(author),) if author.strip() else ()
    return people, names_of(people)


@lru_cache(maxsize=1024)
def _tags_of(
    raw: tuple[tuple[str | None, str | None, str | None], ...],
) -> tuple[tuple[Tag, ...], tuple[str, ...]]:
    tags = tags_from(
        [{"term": term, "scheme": scheme, "label": label} for term, scheme, label in raw]
    )
    return tags, terms_of(tags)


def _links(raw: object) -> tuple[Link, ...]:
    """fastfeedparser's links (strings or None in each field; no length)."""
    if not isinstance(raw, list) or not raw:
        return ()
    return tuple(
        Link(
            str(link["href"]).strip(),
            link.get("rel") or "alternate",
            link.get("type") or "",
            link.get("title") or "",
        )
        for link in raw
        if isinstance(link, dict) and link.get("href")
    )


_TAG_FIELDS = itemgetter("term", "scheme", "label")


def _tags(raw: object) -> tuple[tuple[Tag, ...], tuple[str, ...]]:
    if not isinstance(raw, list) or not raw:
        return (), ()
    try:
        return _tags_of(tuple(map(_TAG_FIELDS, raw)))
    except (KeyError, TypeError):  # not the dicts fastfeedparser makes
        return _tags_of(tuple((t.get("term"), t.get("scheme"), t.get("label")) for t in raw))


def _entry(
    entry: dict[str, Any],
    plan: FastPlan,
    extras: Extras,
    index: int,
) -> ParsedEntry:
    summary = content_or_none(entry.get("description"), plan.summary_type)
    content = _content(entry, summary)
    if content is not None and summary is not None and _synthesized(entry):
        summary = None
    guid = entry.get("id") if plan.has_guids else ""
    if extras.people is not None and extras.names is not None:  # Atom
        people, names = extras.people[index], extras.names[index]
    else:
        author = entry.get("author")
        people, names = _rss_people(author) if isinstance(author, str) else ((), ())
    tags, terms = _tags(entry.get("tags"))
    links = _links(entry.get("links"))
    link = next((item.href for item in links if item.rel == "alternate"), "")
    if not link:
        link = alternate_link(entry)
        if link and not links:
            links = (Link(link),)
    return ParsedEntry(
        guid=str(guid or "").strip(),
        link=link,
        title=str(entry.get("title") or ""),
        title_type=plan.title_type,
        summary=summary,
        content=content,
        authors=names,
        published=datetime_from_iso(entry.get("published")),
        updated=datetime_from_iso(entry.get("updated")),
        categories=terms,
        image=_image(entry),
        enclosures=_enclosures(entry),
        comments=str(entry.get("comments") or "").strip(),
        media=_media(entry),
        people=people,
        tags=tags,
        links=links,
        published_text=extras.published_text[index],
        updated_text=extras.updated_text[index],
    )


def _newest(raw_entries: list[Any]) -> list[int]:
    """The indices of the newest MAX_ENTRIES raw entries, in document order (dates are UTC
    ISO strings)."""
    if len(raw_entries) <= MAX_ENTRIES:
        return list(range(len(raw_entries)))
    keys = [str(e.get("published") or e.get("updated") or "") for e in raw_entries]
    if not all(keys):
        return list(range(MAX_ENTRIES))
    return sorted(sorted(range(len(keys)), key=keys.__getitem__, reverse=True)[:MAX_ENTRIES])


def parse_fast(data: bytes, plan: FastPlan) -> ParsedFeed:
    """Parse ``data`` with fastfeedparser (entries), lxml (the feed's head) and byte
    searches (``skeleton``: what fastfeedparser does not report of each entry).

    Raises FastPathDistrust when the result does not match the document, ValueError (and
    whatever else fastfeedparser raises) when it cannot parse it.
    """
    first = _FIRST_ENTRY.search(data)
    first_in_markup = _FIRST_ENTRY.search(plan.markup)
    if first_in_markup and plan.markup.find(b"rights>", first_in_markup.start()) >= 0:
        raise FastPathDistrust("entries carry rights")  # fastfeedparser drops them
    try:
        extras = scan(plan.markup, plan.format, plan.items)
    except SkeletonMismatch as exc:
        raise FastPathDistrust(str(exc)) from exc
    try:
        head = read_head(data, first.start() if first else len(data), plan.format)
    except HeadUnreadable as exc:
        raise FastPathDistrust(f"the feed's head alone is not well-formed: {exc}") from exc
    result = fastfeedparser.parse(data)
    raw_entries = result.get("entries") or []
    if len(raw_entries) != plan.items:
        raise FastPathDistrust(f"{len(raw_entries)} entries parsed, {plan.items} in the document")
    feed = result.get("feed") or result
    entries = [_entry(raw_entries[i], plan, extras, i) for i in _newest(raw_entries)]
    icon = head.icon or feed.get("icon") or ""
    if not icon and head.image is not None and plan.format != "atom10":
        icon = head.image.url  # the RSS image, as the tolerant path reports it
    link = str(feed.get("link") or "").strip()
    links = head.links
    if link and not any(item.href == link for item in links):
        links = (Link(link), *links)
    return ParsedFeed(
        format=plan.format,
        title=str(feed.get("title") or "").strip(),
        link=link,
        description=str(feed.get("subtitle") or "").strip(),
        language=head.language or str(feed.get("language") or "").strip(),
        icon=icon if isinstance(icon, str) else "",
        entries=keep_newest(entries),
        rights=head.rights,
        id=head.id,
        people=head.people,
        tags=head.tags,
        links=links,
        generator=head.generator,
        image=head.image,
        updated=head.updated,
        published=head.published,
        updated_text=head.updated_text,
        published_text=head.published_text,
        description_type=head.description_type if plan.format == "atom10" else "html",
    )
