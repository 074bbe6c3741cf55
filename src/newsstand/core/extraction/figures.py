"""Figures and captions: extractors keep an article's images but drop their captions.

``captions_of`` reads the page's ``<figure>``/``<figcaption>`` pairs (keyed by the image's
absolute URL); ``restore_figures`` wraps each extracted image that had a caption back into
a ``<figure>`` with its ``<figcaption>``.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

_IMAGE_SOURCES = ("src", "data-src", "data-lazy-src", "data-original")


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
