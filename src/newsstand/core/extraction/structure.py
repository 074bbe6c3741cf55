"""Sub-heads and lists put back where an extractor kept only the paragraphs.

When trafilatura finds no article container it gathers the page's paragraphs one by one
and loses the sub-heads ("What's new", "The background") and lists between them.
``restore_structure`` puts back a page's heading or list when it stood between two
paragraphs that the extraction kept next to each other (with at most some dropped
chrome between): it was part of the same run of text. Lists made mostly of links (related stories) are not put back.

``restore_quotes`` does the same for block quotes, whatever else the extraction kept:
extractors drop embedded posts (a ``<blockquote>`` and the embedding script) that the
article quotes between its paragraphs.
"""

from __future__ import annotations

from copy import deepcopy

from lxml import etree

from newsstand.core.extraction.blocks import fragment_text
from newsstand.core.extraction.chrome import is_chrome_text
from newsstand.core.extraction.words import shingles

_CANDIDATES = etree.XPath(
    "//body//*[self::h2 or self::h3 or self::h4 or self::ul or self::ol]"
    "[not(ancestor::header or ancestor::nav or ancestor::aside or ancestor::footer"
    " or ancestor::form or ancestor::ul or ancestor::ol)]"
)
_NEAREST = 4
_PRECEDING = etree.XPath(f"preceding::p[normalize-space()][position() <= {_NEAREST}]")
_FOLLOWING = etree.XPath(f"following::p[normalize-space()][position() <= {_NEAREST}]")
_STRUCTURE = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol"})
_MAX_CANDIDATES = 60
_KEY_CHARACTERS = 80
_MAX_LINK_SHARE = 0.5


def _text(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())


def _key(element: etree._Element) -> str:
    return _text(element)[:_KEY_CHARACTERS]


def _copy(element: etree._Element) -> etree._Element | None:
    """A plain copy: a heading's text, or a list's items' texts."""
    if element.tag in ("ul", "ol"):
        items = [item for item in element if isinstance(item.tag, str) and item.tag == "li"]
        texts = [_text(item) for item in items]
        if not items or not all(texts):
            return None
        linked = sum(len(_text(a)) for a in element.iter("a"))
        if linked > _MAX_LINK_SHARE * sum(len(t) for t in texts):
            return None
        copy = etree.Element(element.tag)
        for text in texts:
            etree.SubElement(copy, "li").text = text
        return copy
    text = _text(element)
    if not text:
        return None
    copy = etree.Element(element.tag)
    copy.text = text
    return copy


def _nearest_kept(
    paragraphs: list[etree._Element], blocks: dict[str, etree._Element]
) -> etree._Element | None:
    """The first of ``paragraphs`` (nearest first) that the extraction kept, passing over
    only chrome (sign-up prompts and the like) that it dropped."""
    for paragraph in paragraphs:
        kept = blocks.get(_key(paragraph))
        if kept is not None:
            return kept
        if not is_chrome_text(_text(paragraph)):
            return None
    return None


def restore_structure(fragment: etree._Element, tree: etree._Element) -> int:
    """Insert into ``fragment`` the page's sub-heads and lists it lost; return how many.

    Only acts when ``fragment`` has no heading and no list at all.
    """
    if any(isinstance(e.tag, str) and e.tag in _STRUCTURE for e in fragment.iter()):
        return 0
    blocks = {_key(child): child for child in fragment if isinstance(child.tag, str)}
    restored = 0
    for element in _CANDIDATES(tree)[:_MAX_CANDIDATES]:
        # XPath returns nodes in document order: the nearest preceding one is last.
        first = _nearest_kept(list(reversed(_PRECEDING(element))), blocks)
        second = _nearest_kept(list(_FOLLOWING(element)), blocks)
        if first is None or second is None:
            continue
        following = first.getnext()
        while following is not None and following.get("data-restored") is not None:
            following = following.getnext()
        if following is not second:
            continue
        copy = _copy(element)
        if copy is None:
            continue
        copy.set("data-restored", "")
        (following.addprevious if following is not None else first.addnext)(copy)
        restored += 1
    for element in fragment.iter():
        if isinstance(element.tag, str) and "data-restored" in element.attrib:
            del element.attrib["data-restored"]
    return restored


_QUOTES = etree.XPath(
    "//body//blockquote[not(ancestor::blockquote or ancestor::header or ancestor::nav"
    " or ancestor::aside or ancestor::footer or ancestor::form)]"
)
_MAX_QUOTES = 30
# The paragraphs around a quote, not counting those of other quotes.
_PRECEDING_OUTSIDE_QUOTES = etree.XPath(
    f"preceding::p[normalize-space()][not(ancestor::blockquote)][position() <= {_NEAREST}]"
)
_FOLLOWING_OUTSIDE_QUOTES = etree.XPath(
    f"following::p[normalize-space()][not(ancestor::blockquote)][position() <= {_NEAREST}]"
)
# A quote is already there when more than this share of its 4-grams is in the fragment.
_PRESENT_SHARE = 0.3
_DROPPED_IN_QUOTES = ("script", "style", "noscript", "iframe", "button", "form", "svg")


def _paragraphs(fragment: etree._Element) -> dict[str, etree._Element]:
    return {_key(p): p for p in fragment.iter("p") if _key(p)}


def _quote_copy(quote: etree._Element) -> etree._Element:
    """The quote's content without scripts or attributes (the sanitiser comes after)."""
    copy = deepcopy(quote)
    copy.tail = None
    for element in list(copy.iter(*_DROPPED_IN_QUOTES)):
        parent = element.getparent()
        if parent is not None:
            _drop_keeping_tail(element)
    for element in copy.iter():
        if isinstance(element.tag, str):
            keep = {name: element.get(name) for name in ("href", "src") if element.get(name)}
            element.attrib.clear()
            element.attrib.update(keep)
    return copy


def _drop_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    if element.tail and element.tail.strip():
        previous = element.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + element.tail
        else:
            parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def restore_quotes(fragment: etree._Element, tree: etree._Element) -> int:
    """Insert into ``fragment`` the page's block quotes it lost; return how many.

    Extractors drop embedded posts (a ``<blockquote>`` followed by the embedding script)
    and some quotes. A page's quote goes back when the paragraphs just before and just
    after it on the page were both kept, one after the other, and its text is not there
    already: it stood inside the run of article text.
    """
    if next(tree.iter("blockquote"), None) is None:
        return 0
    quotes = _QUOTES(tree)[:_MAX_QUOTES]
    paragraphs = _paragraphs(fragment) if quotes else {}
    if not paragraphs:
        return 0
    present = shingles(fragment_text(fragment))
    restored: list[etree._Element] = []
    for quote in quotes:
        quoted = shingles(_text(quote))
        if not quoted or len(quoted & present) > _PRESENT_SHARE * len(quoted):
            continue
        first = _nearest_kept(list(reversed(_PRECEDING_OUTSIDE_QUOTES(quote))), paragraphs)
        second = _nearest_kept(list(_FOLLOWING_OUTSIDE_QUOTES(quote)), paragraphs)
        if first is None or second is None:
            continue
        following = first.getnext()
        while following is not None and any(following is r for r in restored):
            following = following.getnext()
        if following is not second:
            continue
        copy = _quote_copy(quote)
        second.addprevious(copy)
        restored.append(copy)
    return len(restored)
