"""Parse a feed document (RSS 0.9x/1.0/2.0, Atom 0.3/1.0, JSON Feed 1.0/1.1).

One entry point, ``parse_feed``, from bytes to ``ParsedFeed``. The core never fetches:
the bytes come from ``newsstand.net``.

Two parsers sit behind it. fastfeedparser is the fast path; feedparser is the tolerant
fallback. A byte-level look (``parsing.trust``) decides when the fast path cannot be
trusted with a document (undefined HTML entities, unusual namespaces, Atom 0.3, base64,
another encoding than UTF-8, a DTD...), and its result is checked against the document
once more; those documents go to feedparser. JSON Feed is read directly.
"""

from __future__ import annotations

import re
from itertools import islice

from lxml import etree

from newsstand.core.entries import ParsedFeed
from newsstand.core.errors import NewsstandError, ParseError
from newsstand.core.parsing.common import MAX_ENTRIES
from newsstand.core.parsing.fast import FastPathDistrust, parse_fast
from newsstand.core.parsing.jsonfeed import parse_json_feed
from newsstand.core.parsing.sniff import Sniffed, sniff
from newsstand.core.parsing.tolerant import parse_tolerant
from newsstand.core.parsing.trust import fast_plan

__all__ = ["MAX_ENTRIES", "parse_feed"]

# The tolerant parser takes about half a millisecond per item, so a document with more
# items than this is cut after that many before it goes there (50,000 items would take
# about 20 s otherwise).
TOLERANT_MAX_ITEMS = 4 * MAX_ENTRIES
_ITEM_END = re.compile(rb"</(?:[\w.\-]+:)?(?:item|entry)\s*>")


def _bounded_for_tolerant(sniffed: Sniffed, data: bytes) -> bytes:
    """``data`` cut after TOLERANT_MAX_ITEMS items, with its root closed again."""
    if sniffed.view is not data:
        return data
    ends = _ITEM_END.finditer(data)
    cut = next(islice(ends, TOLERANT_MAX_ITEMS - 1, None), None)
    if cut is None or next(ends, None) is None:
        return data
    closing = b"</channel>" if sniffed.root == b"rss" else b""
    return data[: cut.end()] + closing + b"</" + sniffed.root + b">"


def _parse_xml(data: bytes, *, url: str, content_type: str) -> ParsedFeed:
    sniffed = sniff(data, content_type)
    if sniffed.kind == "json":
        return parse_json_feed(sniffed.view)
    plan = None if sniffed.has_entities else fast_plan(sniffed, data, content_type)
    if plan is not None:
        try:
            return parse_fast(data, plan)
        except (FastPathDistrust, ValueError, etree.LxmlError):
            pass  # the tolerant parser below decides
    data = repair_utf8(_bounded_for_tolerant(sniffed, data))
    return parse_tolerant(data, url=url, content_type=content_type)


_XML_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:\-]+)["']""")
_UTF8_MULTIBYTE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)


def repair_utf8(data: bytes) -> bytes:
    """UTF-8 with a few broken bytes, with those bytes replaced by U+FFFD.

    feedparser decodes a document that fails as UTF-8 as windows-1252 instead, which turns
    every correct accented letter into mojibake. When the document says it is UTF-8 (or
    says nothing, which means UTF-8) and its valid multi-byte sequences outnumber its
    invalid bytes, the invalid bytes are the damage, not the encoding.
    """
    declared = _XML_DECLARED_ENCODING.match(data[:200])
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8"):
        return data
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        text = data.decode("utf-8", errors="replace")
        invalid = text.count("\ufffd")
        if len(_UTF8_MULTIBYTE.findall(data)) > invalid:
            return text.encode("utf-8")
    return data


def parse_feed(data: bytes, *, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse ``data`` into the canonical model, keeping the newest ``MAX_ENTRIES`` entries.

    ``url`` (the document's address) resolves relative URLs in the tolerant parser;
    ``content_type`` (the response header) helps it find the encoding.

    Raises NotAFeed (HTML page, empty body, unknown format), UnsafeXML (entity bombs,
    external entities) and ParseError (anything else that cannot be parsed).
    """
    try:
        return _parse_xml(data, url=url, content_type=content_type)
    except NewsstandError:
        raise
    except (RecursionError, MemoryError) as exc:
        raise ParseError(f"document too deeply nested or too large: {type(exc).__name__}") from exc
    except Exception as exc:  # a foreign parser's error, wrapped once here
        raise ParseError(f"could not parse the document: {exc}") from exc
