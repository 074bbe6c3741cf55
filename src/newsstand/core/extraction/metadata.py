"""An article page's title, authors, publication time and lead image.

Read from what publishers declare for search engines and social cards, in order of
trust: the JSON-LD ``Article`` object (``headline``, ``author``, ``image``), the Open
Graph and Twitter card ``<meta>`` tags, ``<meta name="author">`` and its variants, then
the page's byline markup (``rel="author"``, ``itemprop="author"``, ``class="byline"``)
and its ``<title>`` or first ``<h1>``. The publication time comes from htmldate
(markup only, no guessing from free text), bounded by ``latest``.

trafilatura's own metadata pass reads the same sources and more (categories, tags,
licence, site name); this one skips what Newsstand does not store and costs a fifth as
much, which keeps extraction within its time budget (docs/decisions/0005-extraction.md).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from htmldate import find_date
from lxml import etree

_ARTICLE_TYPES = frozenset(
    {
        "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "blogposting",
        "socialmediaposting", "liveblogposting", "techarticle", "scholarlyarticle", "report",
        "webpage",
    }
)  # fmt: skip
_JSON_LD = etree.XPath("//script[@type='application/ld+json']")
_MAX_JSON_LD = 200_000
_META = etree.XPath("//meta[@content]")
_BYLINES = etree.XPath(
    "//body//*[@rel='author' or @itemprop='author' or contains(@class, 'byline')"
    " or contains(@class, 'author')][not(self::script or self::style or self::meta"
    " or self::img or self::link or self::label or self::input)]"
    "[not(ancestor::form or ancestor::footer or ancestor::aside"
    " or ancestor::*[contains(@class, 'comment')])]"
)
_MAX_BYLINES = 8
_H1 = etree.XPath("(//h1)[1]")
_TITLE = etree.XPath("//head/title")
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "parsely-author",
    "sailthru.author",
    "dc.creator",
)
_TITLE_META = ("og:title", "twitter:title")
_IMAGE_META = (
    "og:image",
    "og:image:url",
    "og:image:secure_url",
    "twitter:image",
    "twitter:image:src",
)
_BY = re.compile(r"^\s*(by|von|par|por|di|door)\s+", re.IGNORECASE)
_NAME_SEPARATORS = re.compile(r"\s*(?:,|;|\||&|\band\b|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
_TITLE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014\u00b7\u2022-]\s+")
_MAX_NAME = 60
_MAX_AUTHORS = 6
_DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"


@dataclass(frozen=True)
class PageMetadata:
    """What the page says about its article."""

    title: str = ""
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    image: str = ""


def _json_objects(tree: etree._Element) -> Iterator[dict[str, Any]]:
    """Every JSON object of the page's JSON-LD blocks, ``@graph`` members included."""
    for script in _JSON_LD(tree):
        source = script.text or ""
        if not source.strip() or len(source) > _MAX_JSON_LD:
            continue
        try:
            data = json.loads(source)
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))


def _types(item: dict[str, Any]) -> set[str]:
    kind = item.get("@type", "")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds}


def _article_object(tree: etree._Element) -> dict[str, Any]:
    """The first JSON-LD object typed as an article (a web page as a last resort)."""
    fallback: dict[str, Any] = {}
    for item in _json_objects(tree):
        kinds = _types(item) & _ARTICLE_TYPES
        if kinds - {"webpage"}:
            return item
        if kinds and not fallback:
            fallback = item
    return fallback


def _names(value: Any) -> list[str]:
    """Person names from a JSON-LD ``author`` value (a string, an object or a list)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [name for item in value[:_MAX_AUTHORS] for name in _names(item)]
    return []


def _first_url(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return _first_url(value.get("url") or value.get("contentUrl") or "")
    if isinstance(value, list) and value:
        return _first_url(value[0])
    return ""


def _meta_tags(tree: etree._Element) -> dict[str, str]:
    """``<meta>`` contents by lower-cased ``name``/``property``; the first one wins."""
    tags: dict[str, str] = {}
    for meta in _META(tree):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
        content = " ".join((meta.get("content") or "").split())
        if key and content and key not in tags:
            tags[key] = content
    return tags


def _clean_names(raw: list[str]) -> tuple[str, ...]:
    names: dict[str, None] = {}
    for value in raw:
        for name in _NAME_SEPARATORS.split(_BY.sub("", " ".join(value.split()))):
            name = name.strip(" .:-")
            if not name or len(name) > _MAX_NAME or "@" in name or "/" in name:
                continue
            if any(character.isdigit() for character in name):
                continue
            if name.isupper() and len(name) > 3:
                name = name.title()  # wire bylines in capitals: "TOM KRISHER"
            names.setdefault(name, None)
    return tuple(names)[:_MAX_AUTHORS]


def _authors(
    tree: etree._Element, article: dict[str, Any], meta: dict[str, str]
) -> tuple[str, ...]:
    found = _clean_names(_names(article.get("author")))
    if found:
        return found
    found = _clean_names([meta[key] for key in _AUTHOR_META if key in meta])
    if found:
        return found
    for node in _BYLINES(tree)[:_MAX_BYLINES]:
        text = " ".join("".join(node.itertext()).split())
        found = _clean_names([text]) if text and len(text) <= 2 * _MAX_NAME else ()
        if found:
            return found
    return ()


def _title(tree: etree._Element, article: dict[str, Any], meta: dict[str, str]) -> str:
    headline = article.get("headline")
    if isinstance(headline, str) and headline.strip():
        return " ".join(headline.split())
    for key in _TITLE_META:
        if key in meta:
            return meta[key]
    heading = _H1(tree)
    heading_text = " ".join("".join(heading[0].itertext()).split()) if heading else ""
    titles = _TITLE(tree)
    if titles:
        title = " ".join("".join(titles[0].itertext()).split())
        if heading_text and heading_text in title:
            return heading_text
        parts = _TITLE_SEPARATORS.split(title)
        return max(parts, key=len) if parts else title
    return heading_text


def _published(tree: etree._Element, url: str, latest: str) -> datetime | None:
    try:
        value = find_date(
            tree,
            url=url or None,
            original_date=True,
            extensive_search=False,
            outputformat=_DATE_FORMAT,
            max_date=latest,
        )
    except (ValueError, TypeError, OverflowError):
        return None
    if not value:
        return None
    try:
        moment = datetime.strptime(value, _DATE_FORMAT)
    except ValueError:
        try:
            moment = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
        except ValueError:
            return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def page_metadata(tree: etree._Element, *, url: str, latest: str) -> PageMetadata:
    """Read the metadata of the page ``tree``; ``latest`` (YYYY-MM-DD) bounds the date."""
    article = _article_object(tree)
    meta = _meta_tags(tree)
    image = _first_url(article.get("image")) or next(
        (meta[key] for key in _IMAGE_META if key in meta), ""
    )
    return PageMetadata(
        title=_title(tree, article, meta),
        authors=_authors(tree, article, meta),
        published=_published(tree, url, latest),
        image=image.strip(),
    )
