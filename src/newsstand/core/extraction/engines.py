"""The extractors: trafilatura (first choice) and readability-lxml (second opinion).

Each returns a ``Candidate``: the main content as an HTML fragment (``<div>`` of
paragraphs, headings, lists, quotes, tables, images), or ``None`` when it finds nothing.
Both run on copies of the page's tree, so the page stays intact for the other one.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from lxml import etree, html
from lxml_html_clean import Cleaner
from readability import Document as ReadabilityDocument
from readability.readability import REGEXES
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Document as TrafilaturaDocument

from newsstand.core.extraction.page import Page

_DISPLAY_NONE = REGEXES["displayNoneRe"]
# What the extractor libraries raise on pages they cannot handle (lxml asserts on some).
LIBRARY_FAILURES = (
    ValueError, TypeError, AttributeError, KeyError, IndexError, LookupError,
    UnicodeError, RecursionError, AssertionError, etree.LxmlError,
)  # fmt: skip


@dataclass(frozen=True)
class Candidate:
    """One extractor's reading of the page."""

    extractor: str
    body: etree._Element  # a <div> holding the content blocks


def run_trafilatura(page: Page, *, precision: bool = False) -> Candidate | None:
    """Extract with trafilatura's fast settings (no fallback of its own).

    Comments, images, links and inline formatting are left out: each of them changes
    which blocks trafilatura keeps, for the worse on both benchmarks (images are put back
    by ``figures.insert_figures``).
    """
    document = bare_extraction(
        page.tree,
        url=page.url or None,
        fast=True,
        include_comments=False,
        include_tables=True,
        favor_precision=precision,
    )
    if not isinstance(document, TrafilaturaDocument):
        return None
    if document.body is None or not len(document.body):
        return None
    body = convert_to_html(document.body).find("body")
    if body is None:
        return None
    body.tag = "div"
    return Candidate("trafilatura", body)


# readability's own cleaner also rewrites every link to strip javascript: URLs, which is
# a third of its time; the sanitiser does that job on our output.
_READABILITY_CLEANER = Cleaner(
    scripts=True, javascript=False, comments=True, style=True, links=True, meta=False,
    add_nofollow=False, page_structure=False, processing_instructions=True, embedded=False,
    frames=False, forms=False, annoying_tags=False,
    remove_unknown_tags=False, safe_attrs_only=False,
)  # fmt: skip


class _Readability(ReadabilityDocument):  # type: ignore[misc]
    """readability-lxml reading our parsed tree, with a cheaper cleaner (same output)."""

    def _parse(self, input: html.HtmlElement) -> html.HtmlElement:
        self.encoding = "utf-8"
        for element in input.xpath("//*[@hidden]"):
            element.drop_tree()
        for element in input.xpath("//*[@style]"):
            if _DISPLAY_NONE.search(element.get("style") or ""):
                element.drop_tree()
        cleaned: html.HtmlElement = _READABILITY_CLEANER.clean_html(input)
        return cleaned


def run_readability(page: Page) -> Candidate | None:
    """Extract with readability-lxml; ``None`` when it finds nothing."""
    try:
        summary = _Readability(copy.deepcopy(page.tree)).summary(html_partial=True)
    except LIBRARY_FAILURES:
        return None  # trafilatura's reading stands
    if not summary or not summary.strip():
        return None
    body = html.fragment_fromstring(summary, create_parent="div")
    return Candidate("readability", body)
