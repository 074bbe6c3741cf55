"""Decide, from bytes alone, whether the fast parser's result can be trusted.

fastfeedparser is quick but gives up on things the tolerant parser handles: HTML entities
that XML does not define (text after ``&nbsp;`` is lost), namespace URIs or prefixes other
than the usual ones, Atom 0.3, base64 content, other encodings than UTF-8, DTDs,
``xml:base``, and it does not report Atom text constructs' types per entry. Each check
here is a byte search; a document that fails one goes to the tolerant parser. Realistic
feeds pass all of them and stay on the fast path.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

from newsstand.core.entries import ContentType
from newsstand.core.parsing.sniff import Sniffed

ATOM_NS = b"http://www.w3.org/2005/Atom"
RSS10_NS = b"http://purl.org/rss/1.0/"
RDF_NS = b"http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XHTML_NS = b"http://www.w3.org/1999/xhtml"

# Namespaces the fast parser reads, with the one prefix it may be bound to.
_PREFIX_OF_URI = {
    b"http://purl.org/dc/elements/1.1/": b"dc",
    b"http://purl.org/rss/1.0/modules/content/": b"content",
    b"http://search.yahoo.com/mrss/": b"media",
    b"http://search.yahoo.com/mrss": b"media",
    ATOM_NS: b"atom",
    RDF_NS: b"rdf",
}
_URI_OF_PREFIX: dict[bytes, frozenset[bytes]] = {
    b"dc": frozenset({b"http://purl.org/dc/elements/1.1/"}),
    b"content": frozenset({b"http://purl.org/rss/1.0/modules/content/"}),
    b"media": frozenset({b"http://search.yahoo.com/mrss/", b"http://search.yahoo.com/mrss"}),
    b"atom": frozenset({ATOM_NS}),
    b"rdf": frozenset({RDF_NS}),
}
_RSS_VERSIONS = {b"2.0": "rss20", b"2.0.1": "rss20", b"0.91": "rss09x", b"0.92": "rss09x"}

_XMLNS = re.compile(rb"""xmlns(?::([\w.\-]+))?\s*=\s*["']([^"']*)["']""")
_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([^"']+)["']""")
_NON_XML_ENTITY = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);)[A-Za-z][A-Za-z0-9]*;")
_TYPED = re.compile(rb"<(title|summary|subtitle)\b([^>]*)>")
_TYPE_ATTR = re.compile(rb"""\btype\s*=\s*["']([^"']*)["']""")
_BASE64_MODE = re.compile(rb"""mode\s*=\s*["']base64""")
# Markup inside an RSS text element (not escaped, not CDATA): fastfeedparser reads only
# the text before it.
_INLINE_MARKUP = re.compile(rb"<(description|content:encoded)>[^<]*<(?!!\[CDATA\[|/\1>)")
_RSS_ITEM_TAGS = re.compile(rb"<(item|guid|dc:creator)[\s>/]")
# Elements the fast parser does not read.
# (media:category: fastfeedparser keeps its term but not its scheme or label.)
_UNREAD = re.compile(rb"<(?:fullitem|body|xhtml:body|dc:title|dcterms:\w+|media:category)[\s>/]")
_UTF8_NAMES = frozenset({b"utf-8", b"utf8", b"us-ascii", b"ascii"})
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:\-]+)", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class FastPlan:
    """How to read the fast parser's output for one document."""

    format: str
    title_type: ContentType = "text"
    summary_type: ContentType = "html"
    has_guids: bool = True
    items: int = 0
    markup: bytes = b""  # the document with its CDATA sections emptied


def count_tags(view: bytes, name: bytes) -> int:
    """How many start tags ``<name>`` / ``<name ...>`` the markup has."""
    opening = b"<" + name
    total = view.count(opening)
    if not total:
        return 0
    # Discount longer names that share the prefix (<items>, <identity>...): rare, so exact
    # counting only runs when the quick forms do not account for every match.
    quick = view.count(opening + b">") + view.count(opening + b" ")
    if quick == total:
        return total
    return len(re.findall(re.escape(opening) + rb"[\s>/]", view))


@lru_cache(maxsize=256)
def _undeclared_prefix_pattern(declared: frozenset[bytes]) -> re.Pattern[bytes]:
    """A pattern for a prefixed tag whose prefix is not among ``declared``."""
    known = b"|".join(re.escape(p) for p in sorted(declared, key=len, reverse=True))
    # The name is read once (possessively) and the known prefixes tried only on prefixed
    # names: most tags have none, and trying every prefix at every "<" is what costs.
    return re.compile(rb"</?(?=[A-Za-z_][\w.\-]*+:[A-Za-z_])(?!(?:" + known + rb"):)")


def _namespaces_ok(view: bytes, root_local: bytes) -> bool:
    declarations = _XMLNS.findall(view)
    declared = frozenset({prefix for prefix, _ in declarations if prefix} | {b"xml", b"xmlns"})
    if _undeclared_prefix_pattern(declared).search(view):
        return False  # an undeclared prefix outside CDATA: not well-formed XML
    for prefix, uri in declarations:
        if not prefix:
            if uri == XHTML_NS or (uri == ATOM_NS and root_local == b"feed"):
                continue
            if uri == RSS10_NS and root_local == b"RDF":
                continue
            return False
        expected_prefix = _PREFIX_OF_URI.get(uri)
        if expected_prefix is not None and expected_prefix != prefix:
            return False
        allowed = _URI_OF_PREFIX.get(prefix)
        if allowed is not None and uri not in allowed:
            return False
    return True


def _encoding_ok(sniffed: Sniffed, data: bytes, content_type: str) -> bool:
    if sniffed.view is not data and not data.startswith(b"\xef\xbb\xbf"):
        return False
    declared = _DECLARED_ENCODING.match(sniffed.view.lstrip())
    if declared and declared.group(1).lower() not in _UTF8_NAMES:
        return False
    charset = _CHARSET.search(content_type)
    if charset and charset.group(1).lower().encode() not in _UTF8_NAMES:
        return False
    if sniffed.view.isascii():
        return True
    try:
        sniffed.view.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _ends_with_root(view: bytes, root: bytes) -> bool:
    tail = view[-512:].rstrip()
    while tail.endswith(b"-->"):
        tail = tail[: tail.rfind(b"<!--")].rstrip()
    return tail.endswith(b"</" + root + b">")


def _atom_types(view: bytes) -> tuple[ContentType, ContentType] | None:
    """The one declared type of entry titles and summaries, or None if mixed/xhtml."""
    seen: dict[bytes, set[bytes]] = {b"title": set(), b"summary": set(), b"subtitle": set()}
    first_entry = view.find(b"<entry")
    for name, attrs in set(_TYPED.findall(view, max(first_entry, 0))):
        match = _TYPE_ATTR.search(attrs)
        seen[name].add(match.group(1).lower() if match else b"text")
    for kinds in seen.values():
        if b"xhtml" in kinds or len(kinds) > 1:
            return None
        if kinds - {b"text", b"html", b"text/plain", b"text/html"}:
            return None
    title = "html" if seen[b"title"] & {b"html", b"text/html"} else "text"
    summary = "html" if seen[b"summary"] & {b"html", b"text/html"} else "text"
    return title, summary  # type: ignore[return-value]


def _plan_for_root(sniffed: Sniffed, view: bytes) -> FastPlan | None:
    """``view`` is the markup outside CDATA; the plan keeps it."""
    attrs = sniffed.root_attrs or {}
    if sniffed.root == b"rss":
        fmt = _RSS_VERSIONS.get(attrs.get(b"version", b"").strip())
        if fmt is None:
            return None
        if _INLINE_MARKUP.search(view):
            return None
        counts = Counter(_RSS_ITEM_TAGS.findall(view))
        items, guids = counts[b"item"], counts[b"guid"]
        if guids not in (0, items) or counts[b"dc:creator"] > items:
            return None
        return FastPlan(fmt, "html", items=items, has_guids=guids > 0, markup=view)
    if sniffed.root == b"rdf:RDF" and attrs.get(b"xmlns") == RSS10_NS:
        items = count_tags(view, b"item")
        return FastPlan("rss10", "html", items=items, markup=view)
    if sniffed.root == b"feed" and attrs.get(b"xmlns") == ATOM_NS:
        types = _atom_types(view)
        if types is None:
            return None
        items = count_tags(view, b"entry")
        if count_tags(view, b"id") < items:
            return None
        return FastPlan("atom10", types[0], types[1], items=items, markup=view)
    return None


def markup_outside_cdata(view: bytes) -> bytes | None:
    """The document with every CDATA section emptied, or None if one is not closed.

    Most of a realistic feed's bytes are article HTML inside CDATA, which none of the
    checks concern; they run on this much smaller skeleton instead.
    """
    if b"<![CDATA[" not in view:
        return view
    parts, pos = [], 0
    while True:
        start = view.find(b"<![CDATA[", pos)
        if start < 0:
            parts.append(view[pos:])
            return b"".join(parts)
        end = view.find(b"]]>", start + 9)
        if end < 0:
            return None
        parts.append(view[pos : start + 9])
        pos = end  # keeps the "]]>"


def fast_plan(sniffed: Sniffed, data: bytes, content_type: str) -> FastPlan | None:
    """Return how to read the fast parser's result, or None when it cannot be trusted."""
    if sniffed.has_doctype or sniffed.kind != "xml":
        return None
    if not _ends_with_root(sniffed.view, sniffed.root):
        return None
    markup = markup_outside_cdata(sniffed.view)
    if markup is None:
        return None
    if b"xml:base" in markup or _BASE64_MODE.search(markup):
        return None
    if not _encoding_ok(sniffed, data, content_type):
        return None
    local = sniffed.root.rpartition(b":")[2]
    if not _namespaces_ok(markup, local):
        return None
    if _NON_XML_ENTITY.search(markup) or _UNREAD.search(markup):
        return None
    return _plan_for_root(sniffed, markup)
