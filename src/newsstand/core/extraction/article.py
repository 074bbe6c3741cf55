"""From an article page to an ``ExtractedArticle``: decode, parse, extract, clean, sanitise.

trafilatura reads every page; readability-lxml gives a second opinion only where
``second_opinion`` says it is worth its cost, and ``choose`` keeps the better reading
(see docs/decisions/0005-extraction.md). The chosen fragment loses its leading headline
and any app chrome, gets its figure captions back, and goes through ``sanitize_html``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from newsstand.core.errors import CookieWall, ExtractionError, ExtractorFailed, NotAnArticle
from newsstand.core.extraction.blocks import fragment_html, fragment_text
from newsstand.core.extraction.chrome import link_texts, remove_chrome
from newsstand.core.extraction.decode import decode_page
from newsstand.core.extraction.engines import LIBRARY_FAILURES, Candidate, run_trafilatura
from newsstand.core.extraction.figures import captions_of, insert_figures, restore_figures
from newsstand.core.extraction.metadata import PageMetadata, page_metadata
from newsstand.core.extraction.page import Page, parse_page
from newsstand.core.extraction.select import choose_candidate
from newsstand.core.extraction.structure import restore_quotes, restore_structure
from newsstand.core.extraction.walls import consent_text, refuse_short_page
from newsstand.core.extraction.words import count_words
from newsstand.core.sanitize import sanitize_html
from newsstand.core.urls import safe_url

_NO_LATER_THAN = "2100-01-01"
_LEADING_BLOCKS = ("h1", "h2")


@dataclass(frozen=True)
class ExtractedArticle:
    """The article read from a page: text and sanitised HTML, with its metadata."""

    title: str
    authors: tuple[str, ...]
    published: datetime | None
    text: str
    html: str  # sanitised with newsstand.core.sanitize.sanitize_html
    lead_image: str  # http(s) or ""
    language: str  # from the page's lang attribute or "", not detected here
    word_count: int
    extractor: str  # "trafilatura" | "readability"


def _same_words(left: str, right: str) -> bool:
    return left.split() == right.split() or left.casefold().split() == right.casefold().split()


def _drop_headline(fragment: etree._Element, title: str) -> None:
    """Remove a first heading that repeats the title (the reading view shows it apart)."""
    first = next((child for child in fragment if isinstance(child.tag, str)), None)
    if first is None or first.tag not in _LEADING_BLOCKS or not title:
        return
    if _same_words(" ".join(first.itertext()), title):
        fragment.remove(first)


def _lead_image(metadata: PageMetadata, fragment: etree._Element, url: str) -> str:
    if metadata.image:
        image = safe_url(metadata.image, url)
        if image:
            return image
    first = next(fragment.iter("img"), None)
    return safe_url(first.get("src") or "", url) if first is not None else ""


def _finish(page: Page, candidate: Candidate, metadata: PageMetadata) -> ExtractedArticle:
    fragment = candidate.body
    restore_structure(fragment, page.tree)
    restore_quotes(fragment, page.tree)
    _drop_headline(fragment, metadata.title)
    remove_chrome(fragment, lambda: link_texts(page.tree))
    text = fragment_text(fragment)
    refuse_short_page(page.tree, text)
    if candidate.extractor == "trafilatura":
        insert_figures(fragment, page.tree, page.url)
    else:
        restore_figures(fragment, captions_of(page.tree, page.url))
    return ExtractedArticle(
        title=metadata.title,
        authors=metadata.authors,
        published=metadata.published,
        text=text,
        html=sanitize_html(fragment_html(fragment), page.url),
        lead_image=_lead_image(metadata, fragment, page.url),
        language=page.language,
        word_count=count_words(text),
        extractor=candidate.extractor,
    )


def _extract(page: Page, now: datetime | None) -> ExtractedArticle:
    latest = now.strftime("%Y-%m-%d") if now is not None else _NO_LATER_THAN
    metadata = page_metadata(page.tree, url=page.url, latest=latest)
    candidate = choose_candidate(page, run_trafilatura(page))
    if candidate is None:
        refuse_short_page(page.tree, "")
        raise NotAnArticle("no extractor found an article on the page")
    article = _finish(page, candidate, metadata)
    if consent_text(article.text, article.word_count):
        raise CookieWall("the page is a cookie or consent notice", article.text)
    return article


def extract_article(
    page: bytes | str, *, url: str, now: datetime | None = None
) -> ExtractedArticle:
    """Extract the article of ``page`` (fetched from ``url``).

    ``now`` bounds the publication date (no date after it); without it any date up to
    2100 is accepted. Raises an ``ExtractionError``: ``PageTooLarge``, ``PageTooDeep``,
    ``NotHTML``, ``UnknownEncoding``, or a ``NotAnArticle`` (``ScriptShell``,
    ``CookieWall``, ``PaywallStub``, ``TooLittleText``); a failure inside the extractors
    is wrapped as ``ExtractorFailed``.
    """
    parsed = parse_page(decode_page(page), url=url)
    try:
        return _extract(parsed, now)
    except ExtractionError:
        raise
    except LIBRARY_FAILURES as exc:
        raise ExtractorFailed(f"extraction failed: {exc!r}") from exc
