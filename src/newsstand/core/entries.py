"""The data of the ingest flow, named by stage.

``FetchResult`` (newsstand.net) → ``ParsedFeed``/``ParsedEntry`` (parse) →
``EntryCandidate`` (normalise) → ``Article`` (stored by newsstand.articles).

Nothing downstream of the parser knows which format (RSS, Atom, JSON Feed) an entry came
from. All values are plain, immutable data; times are timezone-aware UTC datetimes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, NamedTuple

from newsstand.core.images import ImageCandidate

ContentType = Literal["html", "text"]


@dataclass(frozen=True, slots=True)
class Content:
    """A piece of entry text with its declared type (``text`` is escaped, never sanitised as HTML)."""

    value: str
    type: ContentType = "html"


@dataclass(frozen=True, slots=True)
class Enclosure:
    url: str
    type: str = ""
    length: int | None = None


# Person, Link and Tag are named tuples rather than dataclasses: entries carry several
# of each and the fast path builds them per entry, where a tuple is several times cheaper
# to make, hash and compare.


class Person(NamedTuple):
    """An author as the feed describes them (Atom person, RSS "a@b (Name)", JSON author)."""

    name: str = ""
    email: str = ""
    href: str = ""  # home page (Atom uri, JSON url)


class Link(NamedTuple):
    """A link of an entry or feed (Atom link, RSS link, atom:link in RSS)."""

    href: str
    rel: str = "alternate"
    type: str = ""
    title: str = ""
    length: int | None = None  # bytes, for rel="enclosure"


class Tag(NamedTuple):
    """A category: its term, the scheme (RSS domain, Atom scheme) and a readable label."""

    term: str
    scheme: str = ""
    label: str = ""


@dataclass(frozen=True, slots=True)
class Generator:
    name: str = ""
    href: str = ""
    version: str = ""


@dataclass(frozen=True, slots=True)
class Image:
    """The feed's image (RSS image, Atom logo)."""

    url: str
    title: str = ""
    link: str = ""
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """One entry exactly as the feed gave it (raw strings, URLs not yet checked)."""

    guid: str = ""
    link: str = ""
    title: str = ""
    title_type: ContentType = "text"
    summary: Content | None = None
    content: Content | None = None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    image: str = ""
    enclosures: tuple[Enclosure, ...] = ()
    comments: str = ""
    language: str = ""
    rights: str = ""  # licence or copyright of this entry (dc:rights, Atom rights)
    # Every picture the entry offers with what the feed says of its size (media:content,
    # media:thumbnail, JSON Feed image); ``image`` is the parser's first pick among them.
    media: tuple[ImageCandidate, ...] = ()
    # The details behind ``authors`` and ``categories`` (same items, same order), and
    # every link of the entry (``link`` is the alternate one among them).
    people: tuple[Person, ...] = ()
    tags: tuple[Tag, ...] = ()
    links: tuple[Link, ...] = ()
    # The dates as the feed wrote them (``published``/``updated`` are these, parsed).
    published_text: str = ""
    updated_text: str = ""


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed document parsed into the canonical model."""

    format: str  # "rss20", "rss10", "rss09x", "atom10", "atom03", "json10", "json11"
    title: str = ""
    link: str = ""
    description: str = ""
    language: str = ""
    icon: str = ""
    entries: tuple[ParsedEntry, ...] = ()
    # True when the fast path was not trusted and the tolerant parser produced this result.
    used_fallback: bool = False
    # Non-fatal problems (feedparser's "bozo" exceptions), kept for the feed-health page.
    warnings: tuple[str, ...] = ()
    rights: str = ""  # the feed's copyright (RSS copyright, dc:rights, Atom rights)
    id: str = ""  # Atom id
    people: tuple[Person, ...] = ()  # the feed's authors (Atom author, RSS managingEditor)
    tags: tuple[Tag, ...] = ()
    links: tuple[Link, ...] = ()
    generator: Generator | None = None
    image: Image | None = None
    updated: datetime | None = None  # Atom updated, RSS lastBuildDate
    published: datetime | None = None  # RSS pubDate
    published_text: str = ""
    updated_text: str = ""
    description_type: ContentType = "html"  # RSS descriptions are HTML, Atom subtitles text


@dataclass(frozen=True, slots=True)
class EntryCandidate:
    """A normalised entry, ready to be stored: URLs checked, HTML sanitised, identity fixed."""

    identity: str  # stable key within a publisher: "guid:…", "url:…" or "hash:…"
    guid: str
    url: str  # canonical URL, or "" when the entry has none that is http(s)
    title: str  # plain text
    summary_html: str  # sanitised
    content_html: str  # sanitised
    authors: tuple[str, ...]
    published: datetime  # never in the future; first-seen time when the feed gave none
    updated: datetime | None
    categories: tuple[str, ...]
    image: str  # http(s) or ""
    comments: str  # http(s) or ""
    language: str
    content_hash: str  # hex digest of the normalised title + text, for exact duplicates
    enclosures: tuple[Enclosure, ...] = field(default=())
    rights: str = ""  # plain text: the entry's licence line, else the feed's
