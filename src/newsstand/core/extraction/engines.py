"""The extractors: trafilatura (first choice) and readability-lxml (second opinion).

Each returns a ``Candidate``: the main content as an HTML fragment (``<div>`` of
paragraphs, headings, lists, quotes, tables, images), or ``None`` when it finds nothing.
Both run on copies of the page's tree, so the page stays intact for the other one.
"""

from __future__ import annotations

import copy
import logging
from dataclasses import dataclass
from typing import Any

from lxml import etree, html
from readability import Document as ReadabilityDocument
from trafilatura import bare_extraction
from trafilatura.htmlprocessing import convert_to_html
from trafilatura.settings import Document as TrafilaturaDocument

from newsstand.core.extraction.page import Page

# Both libraries log every page they give up on at WARNING/ERROR: that is our decision
# to report, not theirs.
for _name in ("trafilatura", "readability", "readability.readability", "htmldate"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


@dataclass(frozen=True)
class Candidate:
    """One extractor's reading of the page."""

    extractor: str
    body: etree._Element  # a <div> holding the content blocks


@dataclass(frozen=True)
class Metadata:
    """What trafilatura's metadata pass found (dates through htmldate)."""

    title: str = ""
    author: str = ""
    date: str = ""
    image: str = ""


def run_trafilatura(
    page: Page, *, date_params: dict[str, Any], precision: bool = False
) -> tuple[Candidate | None, Metadata]:
    """Extract with trafilatura's default (balanced) settings, metadata included."""
    document = bare_extraction(
        page.tree,
        url=page.url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        include_images=True,
        include_formatting=True,
        include_links=True,
        favor_precision=precision,
        date_extraction_params=date_params,
    )
    if not isinstance(document, TrafilaturaDocument):
        return None, Metadata()
    metadata = Metadata(
        title=document.title or "",
        author=document.author or "",
        date=document.date or "",
        image=document.image or "",
    )
    if document.body is None or not len(document.body):
        return None, metadata
    converted = convert_to_html(document.body)
    body = converted.find("body")
    if body is None:
        return None, metadata
    body.tag = "div"
    return Candidate("trafilatura", body), metadata


def run_readability(page: Page) -> Candidate | None:
    """Extract with readability-lxml; ``None`` when it finds nothing."""
    try:
        document = ReadabilityDocument(copy.deepcopy(page.tree), url=page.url or None)
        summary = document.summary(html_partial=True)
    except (ValueError, TypeError, etree.LxmlError):
        return None
    if not summary or not summary.strip():
        return None
    body = html.fragment_fromstring(summary, create_parent="div")
    return Candidate("readability", body)
