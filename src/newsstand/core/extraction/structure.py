"""Sub-heads and lists put back where an extractor kept only the paragraphs.

When trafilatura finds no article container it gathers the page's paragraphs one by one
and loses the sub-heads ("What's new", "The background") and lists between them.
``restore_structure`` puts back a page's heading or list when it stood between two
paragraphs that the extraction kept next to each other (with at most some dropped
chrome between): it was part of the same run of text. Lists made mostly of links (related stories) are not put back.
"""

from __future__ import annotations

from lxml import etree

from newsstand.core.extraction.chrome import is_chrome_text

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
