"""Figures and captions: extractors keep an article's images but drop their captions.

``captions_of`` reads the page's ``<figure>``/``<figcaption>`` pairs (keyed by the image's
absolute URL); ``restore_figures`` wraps each extracted image that had a caption back into
a ``<figure>`` with its ``<figcaption>``.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

# Lazy-loading pages keep the real address in data-* and a placeholder in src.
_IMAGE_SOURCES = ("data-src", "data-lazy-src", "data-original", "src")


def _sources(image: etree._Element, base: str) -> list[str]:
    found = []
    for name in _IMAGE_SOURCES:
        value = (image.get(name) or "").strip()
        if value and not value.startswith("data:"):
            found.append(urljoin(base, value) if base else value)
    return found


def captions_of(tree: etree._Element, base: str) -> dict[str, str]:
    """Map each captioned figure's image URL (absolute) to its caption text."""
    captions: dict[str, str] = {}
    for figure in tree.iter("figure"):
        caption = figure.find(".//figcaption")
        if caption is None:
            continue
        text = " ".join("".join(caption.itertext()).split())
        if not text:
            continue
        for image in figure.iter("img"):
            for source in _sources(image, base):
                captions.setdefault(source, text)
    return captions


def restore_figures(fragment: etree._Element, captions: dict[str, str]) -> None:
    """Wrap captioned images of ``fragment`` in ``<figure>`` with their caption, in place."""
    if not captions:
        return
    for image in list(fragment.iter("img")):
        caption = captions.get((image.get("src") or "").strip())
        if caption is None or any(a.tag == "figure" for a in image.iterancestors()):
            continue
        parent = image.getparent()
        if parent is None:
            continue
        figure = etree.Element("figure")
        figure.tail = image.tail
        image.tail = None
        parent.replace(image, figure)
        figure.append(image)
        etree.SubElement(figure, "figcaption").text = caption


_FIGURE_LIMIT = 20
_KEY_CHARACTERS = 80
_OUTSIDE_ARTICLE = frozenset({"header", "nav", "aside", "footer", "form"})
_ANCHOR_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "table"})
_PRECEDING_BLOCK = etree.XPath(
    "preceding::*[self::p or self::h2 or self::h3][normalize-space()][1]"
)
_FOLLOWING_BLOCK = etree.XPath(
    "following::*[self::p or self::h2 or self::h3][normalize-space()][1]"
)


def _key(element: etree._Element) -> str:
    return " ".join("".join(element.itertext()).split())[:_KEY_CHARACTERS]


def _top_blocks(fragment: etree._Element) -> dict[str, etree._Element]:
    """Each anchorable block's text key, mapped to the fragment child that holds it."""
    blocks: dict[str, etree._Element] = {}
    for child in fragment:
        if not isinstance(child.tag, str):
            continue
        for block in child.iter(*_ANCHOR_TAGS):
            key = _key(block)
            if len(key) >= 20:
                blocks.setdefault(key, child)
    return blocks


def _new_figure(image: etree._Element, caption: str, base: str) -> etree._Element | None:
    sources = _sources(image, base)
    if not sources:
        return None
    figure = etree.Element("figure")
    attributes = {"src": sources[0]}
    if image.get("alt"):
        attributes["alt"] = image.get("alt") or ""
    etree.SubElement(figure, "img", attributes)
    if caption:
        etree.SubElement(figure, "figcaption").text = caption
    return figure


def _page_figures(tree: etree._Element) -> list[tuple[etree._Element, etree._Element, str]]:
    """The page's figures with an image, outside header/nav/aside/footer: (figure, img, caption)."""
    found = []
    for figure in tree.iter("figure"):
        if any(a.tag in _OUTSIDE_ARTICLE for a in figure.iterancestors()):
            continue
        image = next(figure.iter("img"), None)
        if image is None:
            continue
        caption = figure.find(".//figcaption")
        text = " ".join("".join(caption.itertext()).split()) if caption is not None else ""
        found.append((figure, image, text))
        if len(found) == _FIGURE_LIMIT:
            break
    return found


def insert_figures(fragment: etree._Element, tree: etree._Element, base: str) -> None:
    """Put the page's figures into ``fragment`` beside the paragraphs they stood by.

    A figure goes after the fragment block holding the paragraph that precedes it on the
    page, or else before the block holding the paragraph that follows it; a figure next
    to no extracted paragraph is not part of the article and stays out.
    """
    figures = _page_figures(tree)
    if not figures:
        return
    blocks = _top_blocks(fragment)
    seen = {image.get("src") for image in fragment.iter("img")}
    for figure, image, caption in figures:
        new = _new_figure(image, caption, base)
        if new is None or new[0].get("src") in seen:
            continue
        before = _PRECEDING_BLOCK(figure)
        anchor = blocks.get(_key(before[0])) if before else None
        if anchor is not None:
            anchor.addnext(new)
        else:
            after = _FOLLOWING_BLOCK(figure)
            anchor = blocks.get(_key(after[0])) if after else None
            if anchor is None:
                continue
            anchor.addprevious(new)
        seen.add(new[0].get("src"))
