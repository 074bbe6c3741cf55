"""Small helpers shared by the format readers: dates, content types, entry caps."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from feedparser.datetimes import _parse_date

from newsstand.core.entries import Content, ContentType, Link, ParsedEntry, Person, Tag

MAX_ENTRIES = 500

_HTML_TYPES = frozenset(
    {"html", "text/html", "xhtml", "application/xhtml+xml", "escaped", "application/xhtml"}
)
_TEXT_TYPES = frozenset({"text", "text/plain", "plain"})


@lru_cache(maxsize=256)
def content_type_of(declared: str | None, *, default: ContentType = "html") -> ContentType:
    """Map a declared Atom/RSS/feedparser content type to ``html`` or ``text``."""
    if not declared:
        return default
    declared = declared.strip().lower()
    if declared in _TEXT_TYPES:
        return "text"
    if declared in _HTML_TYPES or declared.endswith(("html", "xml")):
        return "html"
    return "text" if declared.startswith("text/") else default


def content_or_none(value: object, type_: ContentType) -> Content | None:
    if not isinstance(value, str):
        return None
    value = value.strip()
    return Content(value, type_) if value else None


def datetime_from_iso(value: object) -> datetime | None:
    """Parse an ISO 8601 string into an aware UTC datetime, or None."""
    if not isinstance(value, str) or not value:
        return None
    return _datetime_from_iso(value)


@lru_cache(maxsize=4096)  # entries share dates (published and updated, items of one hour)
def _datetime_from_iso(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def datetime_from_text(value: str) -> datetime | None:
    """A date as feeds write it (ISO 8601, RFC 822 and the variants feedparser reads)."""
    if not value:
        return None
    return datetime_from_iso(value) or datetime_from_struct(_parse_date(value))


def datetime_from_struct(value: object) -> datetime | None:
    """Convert feedparser's UTC ``struct_time`` into an aware datetime, or None."""
    if not isinstance(value, time.struct_time):
        return None
    try:
        return datetime(*value[:6], tzinfo=UTC)
    except (ValueError, OverflowError):
        return None


def _sort_key(entry: ParsedEntry) -> datetime:
    return entry.published or entry.updated or datetime.min.replace(tzinfo=UTC)


def keep_newest(entries: list[ParsedEntry], limit: int = MAX_ENTRIES) -> tuple[ParsedEntry, ...]:
    """Return at most ``limit`` entries: the newest by date, in document order.

    Entries without a date rank by their position (feeds list newest first).
    """
    if len(entries) <= limit:
        return tuple(entries)
    if any(e.published is None and e.updated is None for e in entries):
        return tuple(entries[:limit])
    ranked = sorted(range(len(entries)), key=lambda i: _sort_key(entries[i]), reverse=True)
    keep = sorted(ranked[:limit])
    return tuple(entries[i] for i in keep)


_NAME_WITH_EMAIL = re.compile(r"^\s*(.*?)\s*<[^<>@\s]+@[^<>\s]+>\s*$")
_EMAIL_WITH_NAME = re.compile(r"^\s*[^()@\s]+@[^()\s]+\s*\((.*)\)\s*$")
_NAME_WITH_PAREN_EMAIL = re.compile(r"^\s*(.*?)\s*\([^()@\s]+@[^()\s]+\)\s*$")
_EMAIL_IN = re.compile(r"[^<>()@\s]+@[^<>()\s]+")


_EMAIL_ONLY = re.compile(r"^\s*<?([^<>()@\s]+@[^<>()\s]+?)>?\s*$")


def person_from_text(value: str) -> Person:
    """An RSS author field as a person: "Name <a@b>", "a@b (Name)", "Name (a@b)", "a@b"."""
    email = _EMAIL_IN.search(value) if "@" in value else None
    if email is None:
        return Person(value.strip())
    for pattern in (_EMAIL_WITH_NAME, _NAME_WITH_EMAIL, _NAME_WITH_PAREN_EMAIL):
        match = pattern.match(value)
        if match and match.group(1).strip():
            return Person(match.group(1).strip(), email.group(0))
    only = _EMAIL_ONLY.match(value)
    return Person("", only.group(1)) if only else Person(value.strip())


def alternate_link(entry: dict[str, Any]) -> str:
    """The entry's first ``rel="alternate"`` link, else its ``link``."""
    for link in entry.get("links") or ():
        if isinstance(link, dict) and link.get("rel") in ("alternate", None):
            href = link.get("href")
            if isinstance(href, str) and href.strip():
                return href.strip()
    link = entry.get("link")
    return link.strip() if isinstance(link, str) else ""


def int_or_none(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if 0 <= value < 2**63 else None
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) < 19:
        return int(value.strip())
    return None


def text_of(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def people_from(values: object) -> tuple[Person, ...]:
    """People from a list of ``{name, email, href}`` dicts, de-duplicated, empty ones dropped."""
    if not isinstance(values, list):
        return ()
    out: list[Person] = []
    for value in values:
        if not isinstance(value, dict):
            continue
        person = Person(
            text_of(value.get("name")), text_of(value.get("email")), text_of(value.get("href"))
        )
        if (person.name or person.email or person.href) and person not in out:
            out.append(person)
    return tuple(out)


def tags_from(values: object) -> tuple[Tag, ...]:
    """Tags from a list of ``{term, scheme, label}`` dicts, de-duplicated."""
    if not isinstance(values, list):
        return ()
    out: list[Tag] = []
    for value in values:
        if not isinstance(value, dict):
            continue
        tag = Tag(
            text_of(value.get("term")), text_of(value.get("scheme")), text_of(value.get("label"))
        )
        if (tag.term or tag.label) and tag not in out:
            out.append(tag)
    return tuple(out)


def links_from(values: object) -> tuple[Link, ...]:
    """Links from a list of ``{href, rel, type, title}`` dicts (those without href dropped)."""
    if not isinstance(values, list):
        return ()
    out: list[Link] = []
    for value in values:
        if not isinstance(value, dict):
            continue
        href = text_of(value.get("href"))
        if href:
            rel = text_of(value.get("rel")) or "alternate"
            type_, title = text_of(value.get("type")), text_of(value.get("title"))
            out.append(Link(href, rel, type_, title, int_or_none(value.get("length"))))
    return tuple(out)


def names_of(people: tuple[Person, ...]) -> tuple[str, ...]:
    """The names of ``people`` (the e-mail address where a person has no name), de-duplicated."""
    names: list[str] = []
    for person in people:
        name = person.name or person.email
        if name and name not in names:
            names.append(name)
    return tuple(names)


def terms_of(tags: tuple[Tag, ...]) -> tuple[str, ...]:
    """The terms of ``tags`` (the label where a tag has no term), de-duplicated."""
    terms: list[str] = []
    for tag in tags:
        term = tag.term or tag.label
        if term and term not in terms:
            terms.append(term)
    return tuple(terms)
