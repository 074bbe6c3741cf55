"""Text and markup of an extracted fragment, block by block.

``fragment_text`` gives the fragment's text with one line per block (paragraph, heading,
list item, quote, cell), which is what word counts, language detection and the benchmark
scorers read. ``fragment_html`` serialises the fragment's children.
"""

from __future__ import annotations

import re
from html import escape

from lxml import etree

BLOCK_TAGS = frozenset(
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "li", "dt", "dd", "blockquote", "pre",
        "figcaption", "caption", "td", "th", "tr", "table", "ul", "ol", "dl", "div",
        "section", "article", "figure", "br", "hr", "header", "footer", "aside", "main",
    }
)  # fmt: skip
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_NEWLINES = re.compile(r"\s*\n\s*")


def _walk(element: etree._Element, parts: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    block = tag in BLOCK_TAGS
    if block:
        parts.append("\n")
    if tag and element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
    if block:
        parts.append("\n")
    if element.tail:
        parts.append(element.tail)


def fragment_text(fragment: etree._Element) -> str:
    """Plain text of ``fragment``: one line per block, spaces collapsed."""
    parts: list[str] = []
    if fragment.text:
        parts.append(fragment.text)
    for child in fragment:
        _walk(child, parts)
    joined = _SPACES.sub(" ", "".join(parts))
    return _NEWLINES.sub("\n", joined).strip()


def fragment_html(fragment: etree._Element) -> str:
    """The markup of ``fragment``'s content (its own tag left out)."""
    pieces = [escape(fragment.text, quote=False)] if fragment.text else []
    pieces.extend(etree.tostring(child, encoding="unicode", method="html") for child in fragment)
    return "".join(pieces)
