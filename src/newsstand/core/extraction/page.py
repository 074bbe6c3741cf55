"""The parsed page: one lxml tree, its depth checked, shared by every extractor.

``parse_page`` parses decoded HTML once; extractors work on copies. Pages nested deeper
than ``MAX_DEPTH`` are refused (libxml2 itself silently cuts documents at depth 255, so
such a page would lose its end without a word).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree, html
from trafilatura.utils import load_html

from newsstand.core.errors import NotHTML, PageTooDeep

MAX_DEPTH = 200


@lru_cache(maxsize=1)
def _deeper_than_limit() -> etree.XPath:
    return etree.XPath("/" + "/".join(["*"] * (MAX_DEPTH + 1)) + "[1]")


@dataclass(frozen=True)
class Page:
    """A decoded, parsed article page."""

    url: str
    text: str
    tree: html.HtmlElement

    @property
    def language(self) -> str:
        """The primary subtag of the ``<html lang>`` attribute, lower-cased, or ``""``."""
        value = (self.tree.get("lang") or self.tree.get("xml:lang") or "").strip()
        primary = value.replace("_", "-").split("-", 1)[0].lower()
        return primary if primary.isascii() and primary.isalpha() and len(primary) in (2, 3) else ""


def parse_page(text: str, *, url: str) -> Page:
    """Parse decoded HTML.

    Raises ``NotHTML`` when lxml finds no document and ``PageTooDeep`` past ``MAX_DEPTH``.
    """
    try:
        tree = load_html(text)
    except (ValueError, TypeError, etree.LxmlError) as exc:
        raise NotHTML("the page could not be parsed as HTML") from exc
    if tree is None or not isinstance(tree, html.HtmlElement):
        raise NotHTML("the page could not be parsed as HTML")
    if _deeper_than_limit()(tree.getroottree()):
        raise PageTooDeep(f"the page nests elements deeper than {MAX_DEPTH} levels")
    return Page(url=url, text=text, tree=tree)
