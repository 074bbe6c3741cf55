"""The feed-level metadata of a fast-path document, read from its head with lxml.

fastfeedparser reports the feed's title, link, subtitle and a few names, but not its
authors' e-mail addresses and home pages, its self and other links, its image size, its
RSS dates or its rights. Those live in the head of the document (before the first item
or entry), which is small: that part alone, with its root closed again, is parsed here
(no DTD is possible: ``trust`` refuses documents with one).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from lxml import etree

from newsstand.core.entries import ContentType, Generator, Image, Link, Person, Tag
from newsstand.core.parsing.common import (
    datetime_from_text,
    int_or_none,
    person_from_text,
)

ATOM = "{http://www.w3.org/2005/Atom}"
DC = "{http://purl.org/dc/elements/1.1/}"
RSS10 = "{http://purl.org/rss/1.0/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
T = TypeVar("T")

_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=False
)
_CLOSING = {"rss20": b"</channel></rss>", "rss09x": b"</channel></rss>", "rss10": b"</rdf:RDF>"}


class HeadUnreadable(Exception):
    """The head of the document is not well-formed on its own."""


@dataclass(frozen=True, slots=True)
class FeedHead:
    id: str = ""
    language: str = ""
    rights: str = ""
    people: tuple[Person, ...] = ()
    links: tuple[Link, ...] = ()
    tags: tuple[Tag, ...] = ()
    generator: Generator | None = None
    image: Image | None = None
    icon: str = ""
    updated: datetime | None = None
    published: datetime | None = None
    updated_text: str = ""
    published_text: str = ""
    description_type: ContentType = "html"


def _text(element: etree._Element | None) -> str:
    if element is None:
        return ""
    return "".join(element.itertext()).strip()


def _unique(items: list[T]) -> tuple[T, ...]:
    return tuple(dict.fromkeys(items))


def _atom_person(element: etree._Element) -> Person:
    return Person(
        _text(element.find(ATOM + "name")),
        _text(element.find(ATOM + "email")),
        _text(element.find(ATOM + "uri")) or _text(element.find(ATOM + "url")),
    )


def _atom_link(element: etree._Element) -> Link | None:
    href = (element.get("href") or "").strip()
    if not href:
        return None
    rel = (element.get("rel") or "alternate").strip()
    type_, title = (element.get("type") or "").strip(), (element.get("title") or "").strip()
    return Link(href, rel, type_, title, int_or_none(element.get("length")))


def _atom_tag(element: etree._Element) -> Tag | None:
    term, scheme = (element.get("term") or "").strip(), (element.get("scheme") or "").strip()
    label = (element.get("label") or "").strip()
    return Tag(term, scheme, label) if term or label else None


_TEXT_TYPES = {"text": "text", "text/plain": "text", "html": "html", "text/html": "html"}


def _text_construct_types(root: etree._Element) -> dict[str, ContentType]:
    """The types of the feed's title, subtitle and rights; HeadUnreadable for XHTML, base64
    or other MIME types, which fastfeedparser and the reading here do not decode."""
    types: dict[str, ContentType] = {}
    for name in ("title", "subtitle", "rights"):
        element = root.find(ATOM + name)
        if element is None:
            continue
        declared = (element.get("type") or "text").strip().lower()
        if declared not in _TEXT_TYPES or element.get("mode") is not None or len(element):
            raise HeadUnreadable(f"feed {name} of type {declared!r}")
        types[name] = "text" if _TEXT_TYPES[declared] == "text" else "html"
    return types


def _atom_head(root: etree._Element) -> FeedHead:
    types = _text_construct_types(root)
    people = [p for p in map(_atom_person, root.iterfind(ATOM + "author")) if p != Person()]
    links = [link for link in map(_atom_link, root.iterfind(ATOM + "link")) if link]
    tags = [tag for tag in map(_atom_tag, root.iterfind(ATOM + "category")) if tag]
    generator = root.find(ATOM + "generator")
    updated = _text(root.find(ATOM + "updated"))
    logo = _text(root.find(ATOM + "logo"))
    return FeedHead(
        id=_text(root.find(ATOM + "id")),
        language=(root.get(XML_LANG) or "").strip(),
        rights=_text(root.find(ATOM + "rights")),
        people=_unique(people),
        links=tuple(links),
        tags=_unique(tags),
        generator=None
        if generator is None
        else Generator(
            _text(generator),
            (generator.get("uri") or generator.get("url") or "").strip(),
            (generator.get("version") or "").strip(),
        ),
        image=Image(logo) if logo else None,
        icon=_text(root.find(ATOM + "icon")),
        updated=datetime_from_text(updated),
        updated_text=updated,
        description_type=types.get("subtitle", "text"),
    )


def _rss_image(element: etree._Element | None, ns: str) -> Image | None:
    if element is None:
        return None
    url = _text(element.find(ns + "url"))
    if not url:
        return None
    return Image(
        url,
        _text(element.find(ns + "title")),
        _text(element.find(ns + "link")),
        int_or_none(_text(element.find(ns + "width"))),
        int_or_none(_text(element.find(ns + "height"))),
    )


# RSS channel elements read here, by local role; the first of each text wins.
_RSS_AUTHORS = ("creator", "managingEditor", "author")


def _rss_head(channel: etree._Element, ns: str, image: etree._Element | None) -> FeedHead:
    """One pass over the channel's children (it has a dozen or so)."""
    texts: dict[str, str] = {}
    authors: list[str] = []
    links: list[Link] = []
    tags: list[Tag] = []
    for child in channel:
        tag = child.tag
        if not isinstance(tag, str):
            continue  # a comment or processing instruction
        namespace, _, local = tag.rpartition("}")
        namespace += "}" if namespace else ""
        if namespace == ATOM:
            link = _atom_link(child) if local == "link" else None
            if link:
                links.append(link)
            continue
        if namespace not in (ns, DC):
            continue
        text = _text(child)
        if not text:
            continue
        if local in _RSS_AUTHORS:
            authors.append(text)
        elif local == "link":
            links.append(Link(text))
        elif local == "category":
            tags.append(Tag(text, (child.get("domain") or "").strip()))
        elif local == "subject":
            tags.append(Tag(text))
        else:
            texts.setdefault(local, text)
    updated = texts.get("lastBuildDate") or texts.get("date", "")
    published = texts.get("pubDate", "")
    generator = texts.get("generator")
    return FeedHead(
        language=texts.get("language", ""),
        rights=texts.get("copyright") or texts.get("rights", ""),
        people=_unique([person_from_text(a) for a in authors]),
        links=tuple(links),
        tags=_unique(tags),
        generator=Generator(generator) if generator else None,
        image=_rss_image(image, ns),
        updated=datetime_from_text(updated),
        published=datetime_from_text(published),
        updated_text=updated,
        published_text=published,
    )


def read_head(data: bytes, first_entry: int, fmt: str) -> FeedHead:
    """The feed-level metadata of ``data``, whose first item or entry starts at
    ``first_entry``. Raises HeadUnreadable when that part is not well-formed alone."""
    head = data[:first_entry] + _CLOSING.get(fmt, b"</feed>") if first_entry < len(data) else data
    try:
        root = etree.fromstring(head, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise HeadUnreadable(str(exc)) from exc
    if fmt == "atom10":
        return _atom_head(root)
    if fmt == "rss10":
        channel = root.find(RSS10 + "channel")
        if channel is None:
            raise HeadUnreadable("no channel")
        return _rss_head(channel, RSS10, root.find(RSS10 + "image"))
    channel = root.find("channel")
    if channel is None:
        raise HeadUnreadable("no channel")
    return _rss_head(channel, "", channel.find("image"))
