"""Golden article pages: each ``tests/data/pages/<name>.html`` with its expected output in
``<name>.expected.json`` (written once from the extractor's output and checked by hand).

The aggregator pages wrap an article of our own writing in a news app's chrome, in the
header, aside and footer and between paragraphs. The article must come out alone: its
paragraphs, sub-heads, quotes, lists, figures with captions and the reporter's contact
line, and none of the chrome.
"""

import json
import re
from datetime import datetime
from pathlib import Path

import html5lib
import pytest

from newsstand.core.extract import extract_article
from newsstand.core.sanitize import sanitize_html

PAGES = Path(__file__).resolve().parent.parent / "data" / "pages"
NAMES = sorted(p.name.removesuffix(".expected.json") for p in PAGES.glob("*.expected.json"))


def _load(name: str) -> tuple[bytes, dict]:
    expected = json.loads((PAGES / f"{name}.expected.json").read_text(encoding="utf-8"))
    return (PAGES / f"{name}.html").read_bytes(), expected


def _words(text: str) -> str:
    return " ".join(text.split()).casefold()


def test_there_are_aggregator_pages():
    assert len([n for n in NAMES if n.startswith("aggregator-")]) >= 3


@pytest.mark.parametrize("name", NAMES)
def test_metadata(name):
    page, expected = _load(name)
    article = extract_article(page, url=expected["url"])
    assert article.title == expected["title"]
    assert list(article.authors) == expected["authors"]
    assert article.published == datetime.fromisoformat(expected["published"])
    assert article.language == expected["language"]
    assert article.lead_image == expected["lead_image"]
    assert article.extractor == expected["extractor"]


@pytest.mark.parametrize("name", NAMES)
def test_text_is_the_golden_text(name):
    page, expected = _load(name)
    article = extract_article(page, url=expected["url"])
    assert article.text == expected["text"]
    assert article.word_count == len(expected["text"].split())


@pytest.mark.parametrize("name", NAMES)
def test_chrome_is_gone_from_text_and_html(name):
    page, expected = _load(name)
    article = extract_article(page, url=expected["url"])
    for chrome in expected["chrome"]:
        assert _words(chrome) not in _words(article.text), chrome
        assert _words(chrome) not in _words(article.html), chrome


@pytest.mark.parametrize("name", NAMES)
def test_structure_is_kept(name):
    page, expected = _load(name)
    article = extract_article(page, url=expected["url"])
    tree = html5lib.parse(article.html, namespaceHTMLElements=False)
    headings = [
        " ".join("".join(h.itertext()).split())
        for h in tree.iter()
        if isinstance(h.tag, str) and re.fullmatch(r"h[2-4]", h.tag)
    ]
    assert headings == expected["headings"]
    for kept in expected["kept"]:
        assert _words(kept) in _words(article.text), kept
    captions = [" ".join("".join(c.itertext()).split()) for c in tree.iter("figcaption")]
    assert captions == expected["captions"]
    for figure in tree.iter("figure"):
        assert figure.find("img").get("src").startswith("https://")


@pytest.mark.parametrize("name", NAMES)
def test_html_is_sanitised_and_has_no_headline(name):
    page, expected = _load(name)
    article = extract_article(page, url=expected["url"])
    assert sanitize_html(article.html, expected["url"]) == article.html
    assert "<h1" not in article.html  # the reading view shows the title apart
    assert "<script" not in article.html
    assert 'class="' not in article.html


def test_subheads_sit_between_their_paragraphs():
    page, expected = _load("aggregator-app-chrome")
    text = extract_article(page, url=expected["url"]).text.split("\n")
    whats_new, background = text.index("What's new"), text.index("The background")
    assert text[whats_new + 1].startswith("Councillors changed the route")
    assert text[background + 1].startswith("The network was first proposed")
    assert text[-1].startswith("Contact the reporter at")
