"""The fast path: fastfeedparser's result mapped into the canonical model.

Only called for documents that ``trust.fast_plan`` accepted; the result is checked once
more (entry count against the byte count of items) and ``FastPathDistrust`` sends the
document to the tolerant parser instead.
"""

from __future__ import annotations

import html
import re
from typing import Any

import fastfeedparser
from fastfeedparser import main as _ffp_main

from newsstand.core.entries import Content, Enclosure, ParsedEntry, ParsedFeed
from newsstand.core.parsing.common import (
    MAX_ENTRIES,
    alternate_link,
    author_name,
    content_or_none,
    content_type_of,
    datetime_from_iso,
    int_or_none,
    keep_newest,
    text_list,
)
from newsstand.core.parsing.trust import FastPlan

_XHTML_WRAPPER = re.compile(r"^\s*<(?:\w+:)?content\b[^>]*>(.*)</(?:\w+:)?content>\s*$", re.DOTALL)
_CHANNEL_LANGUAGE = re.compile(rb"<(?:dc:)?language>\s*([^<\s]{1,35})\s*</(?:dc:)?language>")
_XHTML_DIV = re.compile(r"^\s*<div\b[^>]*>(.*)</div>\s*$", re.DOTALL)
_FEED_RIGHTS = re.compile(
    rb"<(copyright|dc:rights|rights)\b[^>]*>\s*(?:<!\[CDATA\[)?(.{1,2000}?)(?:\]\]>)?\s*</\1>",
    re.DOTALL,
)
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


def _authors(entry: dict[str, Any]) -> tuple[str, ...]:
    authors = text_list(entry.get("authors"))
    if not authors:
        author = entry.get("author")
        authors = (author,) if isinstance(author, str) else ()
    names: list[str] = []
    for author in authors:
        name = author_name(author)
        if name and name not in names:
            names.append(name)
    return tuple(names)


def _entry(entry: dict[str, Any], plan: FastPlan) -> ParsedEntry:
    summary = content_or_none(entry.get("description"), plan.summary_type)
    content = _content(entry, summary)
    if content is not None and summary is not None and _synthesized(entry):
        summary = None
    guid = entry.get("id") if plan.has_guids else ""
    return ParsedEntry(
        guid=str(guid or "").strip(),
        link=alternate_link(entry),
        title=str(entry.get("title") or ""),
        title_type=plan.title_type,
        summary=summary,
        content=content,
        authors=_authors(entry),
        published=datetime_from_iso(entry.get("published")),
        updated=datetime_from_iso(entry.get("updated")),
        categories=text_list(entry.get("tags")),
        image=_image(entry),
        enclosures=_enclosures(entry),
        comments=str(entry.get("comments") or "").strip(),
    )


def _newest_raw(raw_entries: list[Any]) -> list[Any]:
    """The newest MAX_ENTRIES raw entries in document order (dates are UTC ISO strings)."""
    if len(raw_entries) <= MAX_ENTRIES:
        return raw_entries
    keys = [str(e.get("published") or e.get("updated") or "") for e in raw_entries]
    if not all(keys):
        return raw_entries[:MAX_ENTRIES]
    ranked = sorted(range(len(keys)), key=keys.__getitem__, reverse=True)[:MAX_ENTRIES]
    return [raw_entries[i] for i in sorted(ranked)]


def _feed_rights(data: bytes, first_entry: int) -> str:
    """The feed-level copyright or rights (fastfeedparser reports neither).

    Raises FastPathDistrust when an entry carries its own rights, which fastfeedparser
    drops: the tolerant parser reads those.
    """
    if data.find(b"rights>", first_entry) >= 0:
        raise FastPathDistrust("entries carry rights")
    match = _FEED_RIGHTS.search(data, 0, first_entry)
    if match is None:
        return ""
    return html.unescape(match.group(2).decode("utf-8", "replace")).strip()


def _channel_language(data: bytes) -> str:
    """The RSS channel's language (fastfeedparser does not report it)."""
    first_item = data.find(b"<item")
    match = _CHANNEL_LANGUAGE.search(data, 0, first_item if first_item > 0 else len(data))
    return match.group(1).decode("utf-8", "replace") if match else ""


def parse_fast(data: bytes, plan: FastPlan) -> ParsedFeed:
    """Parse ``data`` with fastfeedparser.

    Raises FastPathDistrust when the result does not match the document, ValueError (and
    whatever else fastfeedparser raises) when it cannot parse it.
    """
    first = _FIRST_ENTRY.search(data)
    rights = _feed_rights(data, first.start() if first else len(data))
    result = fastfeedparser.parse(data)
    raw_entries = result.get("entries") or []
    if len(raw_entries) != plan.items:
        raise FastPathDistrust(f"{len(raw_entries)} entries parsed, {plan.items} in the document")
    feed = result.get("feed") or result
    entries = [_entry(e, plan) for e in _newest_raw(raw_entries)]
    icon = feed.get("icon") or ""
    language = str(feed.get("language") or "").strip()
    if not language and plan.format != "atom10":
        language = _channel_language(data)
    return ParsedFeed(
        format=plan.format,
        title=str(feed.get("title") or "").strip(),
        link=str(feed.get("link") or "").strip(),
        description=str(feed.get("subtitle") or "").strip(),
        language=language,
        icon=icon if isinstance(icon, str) else "",
        entries=keep_newest(entries),
        rights=rights,
    )
