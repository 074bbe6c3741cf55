"""OPML: reading subscription lists from users, writing our own.

Reading treats the document as hostile (security catalogue §1C, §1D):

- XML goes through defusedxml with ``forbid_dtd=True``: a DTD, entity declarations or
  external references make the whole document an ``OPMLError`` (billion laughs, XXE and
  DTD retrieval never get as far as expansion or a network/file access).
- Only ``xmlUrl``, ``htmlUrl``, ``text``/``title`` and the category are read. Every other
  attribute (vendor extensions such as ``frss:CURLOPT_*``, credentials, ``opmlUrl``) is
  ignored. Attribute names are matched without regard to case (``xmlurl`` is common).
- ``xmlUrl`` must be an absolute http(s) URL, else the outline is skipped with a reason;
  ``htmlUrl`` is kept only when it is http(s). User names and passwords in URLs are
  dropped: credentials are never imported.
- The number of feed outlines is capped (``max_outlines``); past the cap reading stops and
  the result says it was truncated. The tree is walked without recursion, so deep nesting
  cannot exhaust the stack.

Category: the titles of the enclosing folder outlines, outermost first, give
``category_path``; ``category`` is the outermost one (the "section"). When an outline sits
in no folder, its OPML 2.0 ``category`` attribute ("/Tech/Blogs,/Other") is used instead.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from urllib.parse import urlsplit, urlunsplit

import defusedxml
import defusedxml.ElementTree as SafeET

from newsstand.core.errors import OPMLError

MAX_URL_LENGTH = 2048
MAX_TITLE_LENGTH = 300
MAX_CATEGORY_DEPTH = 8
_SCHEMES = frozenset({"http", "https"})


@dataclass(frozen=True, slots=True)
class OpmlOutline:
    """One feed from an OPML document: the only fields we ever import."""

    xml_url: str
    html_url: str = ""
    title: str = ""
    category_path: tuple[str, ...] = ()

    @property
    def category(self) -> str:
        """The outermost folder (the section), or ""."""
        return self.category_path[0] if self.category_path else ""


@dataclass(frozen=True, slots=True)
class SkippedOutline:
    """An outline that was not imported, and why."""

    title: str
    xml_url: str
    reason: str


@dataclass(frozen=True, slots=True)
class OpmlDocument:
    title: str
    outlines: tuple[OpmlOutline, ...]
    skipped: tuple[SkippedOutline, ...] = ()
    truncated: bool = False


# --- reading ------------------------------------------------------------------------


def parse_opml(data: bytes, *, max_outlines: int = 2000) -> OpmlDocument:
    """Read the feeds of an OPML document.

    Raises ``OPMLError`` when the bytes are not well-formed XML, use a DTD, entities or
    external references, or are not an OPML document (no ``<opml>`` root with a ``<body>``).
    Outlines that cannot be imported are reported in ``skipped``, never raised.
    """
    root = _parse_xml(data)
    if _local_name(root.tag) != "opml":
        raise OPMLError(f"not an OPML document (root element is <{_local_name(root.tag)}>)")
    head = _child(root, "head")
    body = _child(root, "body")
    if body is None:
        raise OPMLError("not an OPML document (no <body>)")
    doc_title = _clean_text(_child(head, "title"))
    return _read_body(body, doc_title, max_outlines)


def _parse_xml(data: bytes) -> ET.Element:
    try:
        root: ET.Element = SafeET.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DTDForbidden as exc:
        raise OPMLError("OPML refused: it declares a DTD") from exc
    except defusedxml.EntitiesForbidden as exc:
        raise OPMLError("OPML refused: it declares entities") from exc
    except defusedxml.ExternalReferenceForbidden as exc:
        raise OPMLError("OPML refused: it references an external resource") from exc
    except ET.ParseError as exc:
        raise OPMLError(f"OPML is not well-formed XML: {exc}") from exc
    return root


def _read_body(body: ET.Element, doc_title: str, max_outlines: int) -> OpmlDocument:
    outlines: list[OpmlOutline] = []
    skipped: list[SkippedOutline] = []
    seen: set[str] = set()
    truncated = False
    budget = max(0, max_outlines)
    for element, path in _walk_outlines(body):
        attrs = _attributes(element)
        raw_url = attrs.get("xmlurl")
        if raw_url is None:
            continue  # a folder: its title is already in the path of its children
        if budget == 0:
            truncated = True
            break
        budget -= 1
        outline, reason = _read_feed_outline(attrs, raw_url, path)
        if outline is None:
            skipped.append(SkippedOutline(_title_of(attrs), raw_url[:MAX_URL_LENGTH], reason))
        elif outline.xml_url in seen:
            skipped.append(SkippedOutline(outline.title, outline.xml_url, "duplicate xmlUrl"))
        else:
            seen.add(outline.xml_url)
            outlines.append(outline)
    return OpmlDocument(doc_title, tuple(outlines), tuple(skipped), truncated)


def _walk_outlines(body: ET.Element) -> Iterator[tuple[ET.Element, tuple[str, ...]]]:
    """Yield every ``<outline>`` in document order with the titles of its folders."""
    stack: list[tuple[ET.Element, tuple[str, ...]]] = [
        (child, ()) for child in reversed(list(body)) if _local_name(child.tag) == "outline"
    ]
    while stack:
        element, path = stack.pop()
        yield element, path
        children = [c for c in element if _local_name(c.tag) == "outline"]
        if children:
            title = _title_of(_attributes(element))
            child_path = (*path, title) if title and len(path) < MAX_CATEGORY_DEPTH else path
            stack.extend((child, child_path) for child in reversed(children))


def _read_feed_outline(
    attrs: dict[str, str], raw_url: str, path: tuple[str, ...]
) -> tuple[OpmlOutline | None, str]:
    xml_url, problem = _http_url(raw_url)
    if xml_url is None:
        return None, f"xmlUrl {problem}"
    html_url, _ = _http_url(attrs.get("htmlurl", ""))
    category_path = path or _category_attribute(attrs.get("category", ""))
    outline = OpmlOutline(xml_url, html_url or "", _title_of(attrs), category_path)
    return outline, ""


def _http_url(value: str) -> tuple[str | None, str]:
    """The URL without credentials when it is absolute http(s), else None and why."""
    value = value.strip()
    if not value:
        return None, "is empty"
    if len(value) > MAX_URL_LENGTH:
        return None, f"is longer than {MAX_URL_LENGTH} characters"
    try:
        parts = urlsplit(value)
        hostname = parts.hostname
        _ = parts.port  # raises ValueError on a malformed port
    except ValueError:
        return None, "is not a valid URL"
    if parts.scheme.lower() not in _SCHEMES:
        return None, f"scheme {parts.scheme.lower() or '(none)'!r} is not http(s)"
    if any(ord(ch) < 0x20 or ch in " \x7f" for ch in value):
        return None, "contains spaces or control characters"
    if not hostname:
        return None, "has no host"
    return strip_userinfo(value), ""


def strip_userinfo(url: str) -> str:
    """The URL with any ``user:password@`` removed from its authority."""
    parts = urlsplit(url)
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, host, parts.path, parts.query, parts.fragment))


def _category_attribute(value: str) -> tuple[str, ...]:
    """The first category of an OPML 2.0 ``category`` attribute as a path."""
    first = value.split(",", 1)[0]
    parts = tuple(p.strip()[:MAX_TITLE_LENGTH] for p in first.split("/") if p.strip())
    return parts[:MAX_CATEGORY_DEPTH]


def _attributes(element: ET.Element) -> dict[str, str]:
    """The attributes we read, by lower-cased local name (namespaced vendor ones dropped)."""
    wanted = {"xmlurl", "htmlurl", "text", "title", "category"}
    return {
        name.lower(): value
        for name, value in element.attrib.items()
        if not name.startswith("{") and name.lower() in wanted
    }


def _title_of(attrs: dict[str, str]) -> str:
    raw = attrs.get("text") or attrs.get("title") or ""
    return " ".join(raw.split())[:MAX_TITLE_LENGTH]


def _clean_text(element: ET.Element | None) -> str:
    if element is None or not element.text:
        return ""
    return " ".join(element.text.split())[:MAX_TITLE_LENGTH]


def _child(element: ET.Element | None, name: str) -> ET.Element | None:
    if element is None:
        return None
    for child in element:
        if _local_name(child.tag) == name:
            return child
    return None


def _local_name(tag: object) -> str:
    if not isinstance(tag, str):
        return ""  # comments and processing instructions
    return tag.rpartition("}")[2]


# --- writing ------------------------------------------------------------------------


def render_opml(title: str, outlines: Iterable[OpmlOutline], *, now: datetime) -> bytes:
    """An OPML 2.0 document listing ``outlines``, nested in folders by ``category_path``.

    URLs lose any user name and password. Outlines whose ``xml_url`` is not http(s) are
    left out; an ``html_url`` that is not http(s) is omitted. Raises nothing.
    """
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = title
    created = now.astimezone(UTC) if now.tzinfo else now.replace(tzinfo=UTC)
    ET.SubElement(head, "dateCreated").text = format_datetime(created, usegmt=True)
    body = ET.SubElement(root, "body")
    folders: dict[tuple[str, ...], ET.Element] = {}
    for outline in outlines:
        xml_url, _ = _http_url(outline.xml_url)
        if xml_url is None:
            continue
        parent = _folder(body, folders, outline.category_path)
        attrs = {"type": "rss", "text": outline.title}
        if outline.title:
            attrs["title"] = outline.title
        attrs["xmlUrl"] = xml_url
        html_url, _ = _http_url(outline.html_url)
        if html_url:
            attrs["htmlUrl"] = html_url
        ET.SubElement(parent, "outline", attrs)
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return document + b"\n"


def _folder(
    body: ET.Element, folders: dict[tuple[str, ...], ET.Element], path: tuple[str, ...]
) -> ET.Element:
    parent = body
    for depth in range(1, len(path) + 1):
        key = path[:depth]
        folder = folders.get(key)
        if folder is None:
            folder = ET.SubElement(parent, "outline", text=key[-1], title=key[-1])
            folders[key] = folder
        parent = folder
    return parent
