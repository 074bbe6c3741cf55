"""The tolerant path: feedparser's result mapped into the canonical model.

feedparser is always handed the bytes (wrapped in a stream, so it never treats them as a
URL or a file name) and the response headers, so its encoding detection and relative-URL
resolution work. Its own sanitiser is off: ``newsstand.core.sanitize`` does that job
for every path alike.
"""

from __future__ import annotations

import io
import warnings
from typing import Any

import feedparser

from newsstand.core.entries import (
    Content,
    Enclosure,
    Generator,
    Image,
    ParsedEntry,
    ParsedFeed,
    Person,
)
from newsstand.core.errors import NotAFeed
from newsstand.core.images import ImageCandidate
from newsstand.core.parsing.common import (
    alternate_link,
    content_or_none,
    content_type_of,
    datetime_from_struct,
    int_or_none,
    keep_newest,
    links_from,
    names_of,
    people_from,
    tags_from,
    terms_of,
    text_of,
)

_FORMATS = {
    "rss20": "rss20",
    "rss": "rss20",
    "rss10": "rss10",
    "rss090": "rss09x",
    "rss091n": "rss09x",
    "rss091u": "rss09x",
    "rss092": "rss09x",
    "rss093": "rss09x",
    "rss094": "rss09x",
    "atom10": "atom10",
    "atom": "atom10",
    "atom01": "atom03",
    "atom02": "atom03",
    "atom03": "atom03",
    "cdf": "rss09x",
    "json1": "json10",
    "json11": "json11",
}


def _detail_type(entry: dict[str, Any], key: str, default: str) -> str:
    detail = entry.get(key + "_detail")
    if isinstance(detail, dict):
        return str(detail.get("type") or default)
    return default


def _contents(entry: dict[str, Any]) -> tuple[Content | None, Content | None]:
    summary_type = content_type_of(_detail_type(entry, "summary", "text/html"))
    summary = content_or_none(entry.get("summary"), summary_type)
    content = None
    for item in entry.get("content") or ():
        if isinstance(item, dict):
            content = content_or_none(item.get("value"), content_type_of(item.get("type")))
            if content is not None:
                break
    if content is not None and summary is not None and content.value == summary.value:
        summary = None  # feedparser copies content into summary when there is none
    return summary, content


def _people(entry: dict[str, Any]) -> tuple[Person, ...]:
    people = people_from(entry.get("authors"))
    if people:
        return people
    author = entry.get("author")
    return (Person(author.strip()),) if isinstance(author, str) and author.strip() else ()


def _image(entry: dict[str, Any]) -> str:
    for key in ("media_thumbnail", "media_content"):
        for media in entry.get(key) or ():
            if not isinstance(media, dict) or not isinstance(media.get("url"), str):
                continue
            medium, type_ = str(media.get("medium") or ""), str(media.get("type") or "")
            if key == "media_thumbnail" or medium == "image" or type_.startswith("image/"):
                return str(media["url"])
    image = entry.get("image")
    if isinstance(image, dict) and isinstance(image.get("href"), str):
        return str(image["href"])
    return ""


def _media(entry: dict[str, Any]) -> tuple[ImageCandidate, ...]:
    """The entry's media:content pictures and media:thumbnails with their declared sizes."""
    found = []
    for key, origin in (("media_content", "media_content"), ("media_thumbnail", "media_thumbnail")):
        for media in entry.get(key) or ():
            if not isinstance(media, dict) or not isinstance(media.get("url"), str):
                continue
            medium, type_ = str(media.get("medium") or ""), str(media.get("type") or "")
            if key == "media_thumbnail" or medium == "image" or type_.startswith("image/"):
                found.append(
                    ImageCandidate(
                        str(media["url"]),
                        origin,  # type: ignore[arg-type]
                        int_or_none(media.get("width")) or 0,
                        int_or_none(media.get("height")) or 0,
                        type_,
                    )
                )
    return tuple(found)


def _enclosures(entry: dict[str, Any]) -> tuple[Enclosure, ...]:
    found = []
    for link in entry.get("enclosures") or ():
        href = link.get("href") if isinstance(link, dict) else None
        if isinstance(href, str) and href:
            found.append(
                Enclosure(href, str(link.get("type") or ""), int_or_none(link.get("length")))
            )
    return tuple(found)


def _entry(entry: dict[str, Any]) -> ParsedEntry:
    summary, content = _contents(entry)
    title_type = content_type_of(_detail_type(entry, "title", "text/plain"), default="text")
    guid = entry.get("id") if "id" in entry else ""
    people = _people(entry)
    tags = tags_from(entry.get("tags"))
    return ParsedEntry(
        guid=str(guid or "").strip(),
        link=alternate_link(entry),
        title=str(entry.get("title") or ""),
        title_type=title_type,
        summary=summary,
        content=content,
        authors=names_of(people),
        published=datetime_from_struct(entry.get("published_parsed")),
        updated=datetime_from_struct(entry.get("updated_parsed")),
        categories=terms_of(tags),
        image=_image(entry),
        enclosures=_enclosures(entry),
        comments=str(entry.get("comments") or "").strip(),
        media=_media(entry),
        language=str((entry.get("title_detail") or {}).get("language") or "").strip(),
        rights=str(entry.get("rights") or "").strip(),
        people=people,
        tags=tags,
        links=links_from(entry.get("links")),
        published_text=text_of(entry.get("published")),
        updated_text=text_of(entry.get("updated")),
    )


def _generator(feed: dict[str, Any]) -> Generator | None:
    detail = feed.get("generator_detail")
    if not isinstance(detail, dict):
        name = feed.get("generator")
        return Generator(name.strip()) if isinstance(name, str) and name.strip() else None
    fields = [str(detail.get(key) or "").strip() for key in ("name", "href", "version")]
    return Generator(*fields) if any(fields) else None


def _feed_image(feed: dict[str, Any]) -> Image | None:
    image = feed.get("image")
    if not isinstance(image, dict):
        logo = feed.get("logo")  # Atom 1.0
        return Image(logo.strip()) if isinstance(logo, str) and logo.strip() else None
    url = str(image.get("href") or image.get("url") or "").strip()
    if not url:
        return None
    return Image(
        url,
        str(image.get("title") or "").strip(),
        str(image.get("link") or "").strip(),
        int_or_none(image.get("width")),
        int_or_none(image.get("height")),
    )


def _headers(url: str, content_type: str) -> dict[str, str]:
    headers = {}
    if content_type:
        headers["content-type"] = content_type
    if url:
        headers["content-location"] = url
    return headers


def run_feedparser(data: bytes, *, url: str = "", content_type: str = "") -> Any:
    """feedparser's raw result for ``data`` (never fetches: the bytes go in as a stream)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return feedparser.parse(
            io.BytesIO(data),
            response_headers=_headers(url, content_type),
            sanitize_html=False,
            resolve_relative_uris=True,
        )


def parse_tolerant(data: bytes, *, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse ``data`` with feedparser. Raises NotAFeed when it finds no feed in it."""
    result = run_feedparser(data, url=url, content_type=content_type)
    version = str(result.get("version") or "")
    raw_entries = result.get("entries") or []
    feed = result.get("feed") or {}
    if not version and not raw_entries and not (feed.get("title") or feed.get("link")):
        reason = result.get("bozo_exception")
        raise NotAFeed(f"no feed found ({reason})" if reason else "no feed found")
    warnings_found = (str(result["bozo_exception"]),) if result.get("bozo") else ()
    icon = feed.get("icon") or (feed.get("image") or {}).get("href") or ""
    return ParsedFeed(
        format=_FORMATS.get(version, "rss20"),
        title=str(feed.get("title") or "").strip(),
        link=str(feed.get("link") or "").strip(),
        description=str(feed.get("subtitle") or "").strip(),
        language=str(feed.get("language") or "").strip(),
        icon=str(icon),
        entries=keep_newest([_entry(e) for e in raw_entries]),
        used_fallback=True,
        warnings=warnings_found,
        rights=str(feed.get("rights") or "").strip(),
        id=str(feed.get("id") or "").strip(),
        people=_people(feed),
        tags=tags_from(feed.get("tags")),
        links=links_from(feed.get("links")),
        generator=_generator(feed),
        image=_feed_image(feed),
        updated=datetime_from_struct(feed.get("updated_parsed")),
        published=datetime_from_struct(feed.get("published_parsed")),
        published_text=text_of(feed.get("published")),
        updated_text=text_of(feed.get("updated")),
        description_type=content_type_of(_detail_type(feed, "subtitle", "text/html")),
    )
