"""Cheap byte-level looks at a document before it is parsed.

``sniff`` says what the document is (JSON, XML with which root element) and refuses what
must not be parsed: empty bodies and HTML pages (``NotAFeed``), and DTDs that declare
external, nested or oversized entities (``UnsafeXML``: billion laughs, quadratic blowup,
XXE). Nothing here resolves an entity or opens anything.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from newsstand.core.errors import NotAFeed, UnsafeXML

_WHITESPACE = b" \t\r\n\x0c"
_ROOT = re.compile(rb"<([A-Za-z_][\w.\-]*(?::[\w.\-]+)?)([^>]*)>?", re.DOTALL)
_ATTR = re.compile(rb"""([\w.:\-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_ENTITY_DECL = re.compile(
    rb"""<!ENTITY\s+(%\s+)?([^\s"']+)\s+(?:(SYSTEM|PUBLIC)\b|"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)
_ENTITY_MARK = re.compile(rb"<!ENTITY", re.IGNORECASE)
_REFERENCE = re.compile(rb"[&%][A-Za-z_:][\w.:\-]*;")
_HTML_ROOTS = frozenset({b"html", b"head", b"body", b"div", b"p", b"br", b"title", b"script"})

MAX_ENTITY_DECLARATIONS = 64
MAX_ENTITY_VALUE_BYTES = 8_192
MAX_ENTITY_EXPANSION_BYTES = 1_000_000


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What a first look found: the kind of document and, for XML, its root and prolog."""

    kind: str  # "json" or "xml"
    view: bytes  # the document as ASCII-compatible bytes (UTF-16/32 re-encoded as UTF-8)
    root: bytes = b""  # qualified name of the root element, e.g. b"rss", b"rdf:RDF"
    root_attrs: dict[bytes, bytes] | None = None
    prolog_end: int = 0  # offset of the root element in ``view``
    has_doctype: bool = False
    has_entities: bool = False


def _ascii_view(data: bytes) -> bytes:
    """The document as ASCII-compatible bytes, so byte patterns can be searched."""
    head = data[:4]
    for bom, codec in (
        (codecs.BOM_UTF32_LE, "utf-32"),
        (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"),
    ):
        if head.startswith(bom):
            return data.decode(codec, "replace").encode("utf-8")
    if b"\x00" in head:
        for codec in ("utf-32-be", "utf-32-le", "utf-16-be", "utf-16-le"):
            text = data[:8].decode(codec, "replace")
            if text.lstrip().startswith("<"):
                return data.decode(codec, "replace").encode("utf-8")
    if data.startswith(codecs.BOM_UTF8):
        return data[3:]
    return data


def _skip_prolog(view: bytes) -> tuple[int, bool, int, int]:
    """Return (root offset, has doctype, doctype start, doctype end); -1 when no root."""
    pos, end = 0, len(view)
    doctype_start = doctype_end = -1
    while pos < end:
        lt = view.find(b"<", pos)
        if lt < 0:
            return -1, doctype_start >= 0, doctype_start, doctype_end
        if view.startswith(b"<?", lt):
            close = view.find(b"?>", lt + 2)
            pos = end if close < 0 else close + 2
        elif view.startswith(b"<!--", lt):
            close = view.find(b"-->", lt + 4)
            pos = end if close < 0 else close + 3
        elif view[lt + 1 : lt + 9].upper() == b"!DOCTYPE":
            doctype_start = lt
            pos = _doctype_end(view, lt)
            doctype_end = pos
        elif view.startswith(b"<!", lt):
            close = view.find(b">", lt)
            pos = end if close < 0 else close + 1
        else:
            return lt, doctype_start >= 0, doctype_start, doctype_end
    return -1, doctype_start >= 0, doctype_start, doctype_end


def _doctype_end(view: bytes, start: int) -> int:
    bracket = view.find(b"[", start)
    close = view.find(b">", start)
    if close < 0:
        return len(view)
    if 0 <= bracket < close:
        subset_end = view.find(b"]", bracket)
        if subset_end < 0:
            return len(view)
        close = view.find(b">", subset_end)
        return len(view) if close < 0 else close + 1
    return close + 1


def check_entities(view: bytes, subset: bytes) -> None:
    """Refuse entity declarations that are external, nested or too large.

    Raises UnsafeXML.
    """
    declarations = _ENTITY_DECL.findall(subset)
    if len(_ENTITY_MARK.findall(subset)) != len(declarations):
        raise UnsafeXML("entity declaration that cannot be checked")
    if len(declarations) > MAX_ENTITY_DECLARATIONS:
        raise UnsafeXML(f"{len(declarations)} entity declarations")
    for _parameter, name, external, double, single in declarations:
        if external:
            raise UnsafeXML(f"external entity {name.decode('ascii', 'replace')!r}")
        value = double or single
        if _REFERENCE.search(value):
            raise UnsafeXML(f"entity {name.decode('ascii', 'replace')!r} refers to another")
        if len(value) > MAX_ENTITY_VALUE_BYTES:
            raise UnsafeXML(f"entity {name.decode('ascii', 'replace')!r} is too large")
        uses = view.count(b"&" + name + b";")
        if uses * len(value) > MAX_ENTITY_EXPANSION_BYTES:
            raise UnsafeXML(f"entity {name.decode('ascii', 'replace')!r} expands too much")


def _attributes(raw: bytes) -> dict[bytes, bytes]:
    return {m[0]: m[1] or m[2] for m in _ATTR.findall(raw)}


def sniff(data: bytes, content_type: str = "") -> Sniffed:
    """Classify ``data``. Raises NotAFeed (empty, HTML, no root element), UnsafeXML."""
    view = _ascii_view(data)
    stripped = view.lstrip(_WHITESPACE)
    if not stripped:
        raise NotAFeed("the document is empty")
    if stripped[:1] in (b"{", b"["):
        return Sniffed(kind="json", view=stripped)
    root_at, has_doctype, dt_start, dt_end = _skip_prolog(view)
    if root_at < 0:
        if b"json" in content_type.lower().encode("ascii", "replace"):
            return Sniffed(kind="json", view=stripped)
        raise NotAFeed("the document has no root element")
    match = _ROOT.match(view, root_at)
    if match is None:
        raise NotAFeed("the document has no root element")
    root = match.group(1)
    local = root.rpartition(b":")[2].lower()
    doctype = view[dt_start:dt_end] if has_doctype else b""
    if local in _HTML_ROOTS:
        raise NotAFeed("the document is an HTML page")
    has_entities = bool(doctype) and _ENTITY_MARK.search(doctype) is not None
    if has_entities:
        check_entities(view, doctype)
    return Sniffed(
        kind="xml",
        view=view,
        root=root,
        root_attrs=_attributes(match.group(2)),
        prolog_end=root_at,
        has_doctype=has_doctype,
        has_entities=has_entities,
    )
