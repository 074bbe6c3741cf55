"""Normalise parsed entries into candidates ready to store.

Pure and fast (it runs on every entry of every refresh): URLs checked and canonicalised,
identity fixed, dates clamped, titles reduced to plain text, HTML sanitised, sizes
capped, and a content hash computed for exact-duplicate detection.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from functools import lru_cache

from newsstand.core.entries import Content, Enclosure, EntryCandidate, ParsedEntry, ParsedFeed
from newsstand.core.images import ImageCandidate, choose_image, html_images
from newsstand.core.sanitize import (
    collapse_whitespace,
    collapsed_utf8,
    escape_text,
    plain_text,
    sanitize_html,
    text_of_clean_html,
)
from newsstand.core.urls import canonical_url, safe_url

MAX_TITLE_CHARS = 1_000
MAX_CONTENT_CHARS = 1_000_000
MAX_GUID_CHARS = 2_000
MAX_AUTHORS = 20
MAX_CATEGORIES = 50
MAX_NAME_CHARS = 200
MAX_RIGHTS_CHARS = 1_000
_INPUT_SLACK = 2  # raw HTML beyond twice the cap is cut before sanitising
MAX_HTML_IMAGES = 3  # of an entry's HTML, the first pictures considered for its lead


def _title(entry: ParsedEntry) -> str:
    raw = entry.title
    text = plain_text(raw) if entry.title_type == "html" else collapse_whitespace(raw)
    return text[:MAX_TITLE_CHARS]


def _truncate_html(html: str, base_url: str) -> str:
    """Cut sanitised HTML to the size cap at a tag boundary and re-balance its tags."""
    while len(html) > MAX_CONTENT_CHARS:
        cut = html.rfind(">", 0, MAX_CONTENT_CHARS - 4_096)
        html = sanitize_html(
            html[: cut + 1] if cut > 0 else html[: MAX_CONTENT_CHARS // 2], base_url
        )
    return html


def _html_of(content: Content | None, base_url: str) -> str:
    if content is None or not content.value:
        return ""
    raw = content.value[: MAX_CONTENT_CHARS * _INPUT_SLACK]
    html = escape_text(raw) if content.type == "text" else sanitize_html(raw, base_url)
    return _truncate_html(html, base_url) if len(html) > MAX_CONTENT_CHARS else html


def _hash_text(entry: ParsedEntry, summary_html: str, content_html: str) -> str:
    """The text the content hash is made of, whitespace collapsed: the content's, or the
    summary's where the content has none (a blank ``text`` content still counts)."""
    for part, html_text in ((entry.content, content_html), (entry.summary, summary_html)):
        if part is None or not part.value:
            continue
        if part.type == "text":
            return collapse_whitespace(part.value)
        text = text_of_clean_html(html_text)
        if text:
            return text
    return ""


def content_hash(title: str, text: str) -> str:
    """sha256 hex digest of the lower-cased, whitespace-collapsed title and text."""
    return hashlib.sha256(collapsed_utf8(f"{title} {text}".lower())).hexdigest()


def _hash_of_collapsed(title: str, text: str) -> str:
    """``content_hash`` of a title and a text that are already collapsed (the title perhaps
    with one space left at its end by the length cap); lower-casing keeps them so."""
    title = title.rstrip(" ")
    joined = f"{title} {text}" if title and text else title or text
    return hashlib.sha256(joined.lower().encode("utf-8", "surrogatepass")).hexdigest()


@lru_cache(maxsize=4096)  # authors and categories repeat from entry to entry
def _names(values: tuple[str, ...], limit: int) -> tuple[str, ...]:
    out: list[str] = []
    for value in values:
        name = plain_text(value)[:MAX_NAME_CHARS]
        if name and name not in out:
            out.append(name)
            if len(out) == limit:
                break
    return tuple(out)


@lru_cache(maxsize=256)  # usually the feed's, the same for every entry
def _rights(text: str) -> str:
    return plain_text(text)[:MAX_RIGHTS_CHARS]


def _clamp(moment: datetime | None, now: datetime) -> datetime | None:
    if moment is None:
        return None
    return now if moment > now else moment


def _enclosures(entry: ParsedEntry, base: str) -> tuple[Enclosure, ...]:
    kept = []
    for enclosure in entry.enclosures:
        url = safe_url(enclosure.url, base)
        if not url:
            continue
        if url == enclosure.url and len(enclosure.type) <= 200:
            kept.append(enclosure)  # already what it would become
        else:
            kept.append(Enclosure(url, enclosure.type[:200], enclosure.length))
    return tuple(kept)


def normalise_entry(
    entry: ParsedEntry, *, feed_url: str, now: datetime, language: str = "", rights: str = ""
) -> EntryCandidate:
    """Turn one parsed entry into a candidate. ``now`` stands for the first-seen time.

    ``language`` and ``rights`` are the feed's, used when the entry has none. Never raises.
    """
    url = canonical_url(entry.link, feed_url) if entry.link else ""
    guid = entry.guid.strip()[:MAX_GUID_CHARS]
    title = _title(entry)
    summary_html = _html_of(entry.summary, feed_url)
    content_html = _html_of(entry.content, feed_url)
    digest = _hash_of_collapsed(title, _hash_text(entry, summary_html, content_html))
    if guid:
        identity = "guid:" + guid
    elif url:
        identity = "url:" + url
    else:
        identity = "hash:" + digest
    published = _clamp(entry.published or entry.updated, now) or now
    return EntryCandidate(
        identity=identity,
        guid=guid,
        url=url,
        title=title,
        summary_html=summary_html,
        content_html=content_html,
        authors=_names(entry.authors, MAX_AUTHORS),
        published=published,
        updated=_clamp(entry.updated, now),
        categories=_names(entry.categories, MAX_CATEGORIES),
        image=lead_image(entry, feed_url, content_html or summary_html),
        comments=safe_url(entry.comments, feed_url) if entry.comments else "",
        language=(entry.language or language)[:35],
        content_hash=digest,
        enclosures=_enclosures(entry, feed_url),
        rights=_rights(entry.rights or rights),
    )


def lead_image(entry: ParsedEntry, feed_url: str, html: str) -> str:
    """The entry's lead picture (``core.images.choose_image``): among the feed's media,
    the parser's pick and image enclosures, else the first pictures of its HTML; every
    URL checked and made absolute first; "" when none is a news picture."""
    offered = [*entry.media, ImageCandidate(entry.image, "feed")] if entry.image else entry.media
    candidates = [
        *offered,
        *(
            ImageCandidate(e.url, "enclosure", mime_type=e.type)
            for e in entry.enclosures
            if e.type.lower().startswith("image/")
        ),
    ]
    chosen = choose_image(_checked(candidates, feed_url))
    if chosen or not html:
        return chosen
    return choose_image(_checked(html_images(html)[:MAX_HTML_IMAGES], feed_url))


def _checked(candidates: Sequence[ImageCandidate], base: str) -> list[ImageCandidate]:
    checked = []
    for candidate in candidates:
        url = safe_url(candidate.url, base)
        if url:
            checked.append(replace(candidate, url=url) if url != candidate.url else candidate)
    return checked


def normalise_entries(feed: ParsedFeed, *, feed_url: str, now: datetime) -> list[EntryCandidate]:
    """Normalise every entry of ``feed``, keeping the first of entries with the same identity.

    Entries with nothing to show (no title, no link and no text, such as the cut-off last
    item of a truncated document) are dropped.
    """
    seen: set[str] = set()
    candidates = []
    for entry in feed.entries:
        candidate = normalise_entry(
            entry, feed_url=feed_url, now=now, language=feed.language, rights=feed.rights
        )
        if not (
            candidate.title or candidate.url or candidate.summary_html or candidate.content_html
        ):
            continue
        if candidate.identity not in seen:
            seen.add(candidate.identity)
            candidates.append(candidate)
    return candidates


@dataclass(frozen=True, slots=True)
class FeedMeta:
    """What a feed says about itself, cleaned: plain-text title, http(s) URLs only."""

    title: str
    homepage: str
    icon: str
    language: str


def normalise_feed_meta(feed: ParsedFeed, *, feed_url: str) -> FeedMeta:
    return FeedMeta(
        title=plain_text(feed.title)[:300],
        homepage=safe_url(feed.link, feed_url),
        icon=safe_url(feed.icon, feed_url),
        language=feed.language.strip()[:16],
    )
