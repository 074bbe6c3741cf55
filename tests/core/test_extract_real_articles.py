"""Real article HTML (Global Voices, CC BY 3.0, from ../shared/data/demo/globalvoices) set
inside a news app's page chrome: the extraction returns the article's text and none of
the chrome. Recall is measured as the share of the record's word 4-grams found."""

import json
import re
from pathlib import Path

import pytest

from newsstand.core.extract import extract_article

DATA = (
    Path(__file__).resolve().parents[3]
    / "shared"
    / "data"
    / "demo"
    / "globalvoices"
    / "globalvoices.jsonl"
)
WORD = re.compile(r"\w+")
CHROME = [
    "Get all your news in one place",
    "Sign up to read this article",
    "Already a member? Sign in here",
    "Top stories right now",
    "Download the app",
    "Sign up for our daily newsletter",
]
PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} - Newsfold</title>
<meta property="og:title" content="{title}"><meta name="author" content="{author}">
<meta property="article:published_time" content="{date}"></head><body>
<header><a href="/">Newsfold</a><nav><a href="/world">World</a> <a href="/tech">Tech</a></nav>
<p>Get all your news in one place</p></header>
<div class="gate"><p>Sign up to read this article</p><p>Already a member? <a href="/in">Sign in here</a></p></div>
<main><article><h1>{title}</h1><p class="byline">By {author}</p>{body}
<div class="promo"><p>Download the app</p></div>
<div class="newsletter"><p>Sign up for our daily newsletter</p></div></article></main>
<aside><h3>Top stories right now</h3><ul><li><a href="/1">Markets steady after rate decision</a></li>
<li><a href="/2">Storm warning for the east coast</a></li></ul></aside>
<footer><p>Download the app</p><p>&copy; Newsfold</p></footer></body></html>"""


def _records(count: int) -> list[dict]:
    if not DATA.exists():
        pytest.skip(f"shared data not found: {DATA}")
    lines = DATA.read_text(encoding="utf-8").splitlines()
    step = len(lines) // count
    return [json.loads(lines[i * step]) for i in range(count)]


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = WORD.findall(text.casefold())
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}


@pytest.mark.parametrize("record", _records(8) if DATA.exists() else [], ids=lambda r: r["id"])
def test_real_article_in_app_chrome(record):
    page = PAGE.format(
        title=record["title"],
        author=record["author"],
        date=record["date"],
        body=record["content_html"],
    )
    article = extract_article(page.encode(), url=record["url"])
    expected = _shingles(record["text"])
    found = _shingles(article.text)
    assert len(expected & found) >= 0.9 * len(expected)
    assert len(found - expected) <= 0.1 * len(found)
    folded = article.text.casefold()
    for chrome in CHROME:
        assert chrome.casefold() not in folded
    assert article.title == record["title"]
    assert article.authors == (record["author"],)
    assert article.published is not None
    assert article.published.date().isoformat() == record["date"]
