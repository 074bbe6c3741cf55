"""Small helpers shared by the format readers: dates, content types, entry caps."""

from __future__ import annotations

import re
import time
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from newsstand.core.entries import Content, ContentType, ParsedEntry

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


def text_list(values: object) -> tuple[str, ...]:
    """Strings from a list of strings or of dicts with ``name``/``term``, de-duplicated."""
    if not isinstance(values, list):
        return ()
    out: list[str] = []
    for value in values:
        if isinstance(value, dict):
            value = value.get("name") or value.get("term") or value.get("label")
        if isinstance(value, str):
            value = value.strip()
            if value and value not in out:
                out.append(value)
    return tuple(out)


_NAME_WITH_EMAIL = re.compile(r"^\s*(.*?)\s*<[^<>@\s]+@[^<>\s]+>\s*$")
_EMAIL_WITH_NAME = re.compile(r"^\s*[^()@\s]+@[^()\s]+\s*\((.*)\)\s*$")
_NAME_WITH_PAREN_EMAIL = re.compile(r"^\s*(.*?)\s*\([^()@\s]+@[^()\s]+\)\s*$")


def author_name(value: str) -> str:
    """The name in an RSS author field: "Name <a@b>", "a@b (Name)", "Name (a@b)" → "Name"."""
    if "@" not in value:
        return value.strip()
    for pattern in (_EMAIL_WITH_NAME, _NAME_WITH_EMAIL, _NAME_WITH_PAREN_EMAIL):
        match = pattern.match(value)
        if match and match.group(1).strip():
            return match.group(1).strip()
    return value.strip()


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
