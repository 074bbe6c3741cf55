"""When to ask readability-lxml for a second opinion, and which reading to keep.

trafilatura reads every page. readability-lxml costs about as much again, so it runs only
where trafilatura's reading shows a sign of trouble (``worth_second_opinion``):

- it is short (under ``SHORT_WORDS`` words), so a missed part would weigh much;
- the page has at least ``MISSED_TEXT_RATIO`` times as many words in ``<p>`` elements as
  the reading, so part of the article may have been missed;
- at least ``FRAGMENT_SHARE`` of its lines are fragments (at most ``FRAGMENT_WORDS`` words
  with no closing punctuation): headlines of other stories, button labels, sign-up
  prompts, the signs of page furniture taken for the article.

``choose`` then compares the two readings by their shared word 4-grams (the unit of the
Zyte scorer, and of most near-duplicate detection). readability's reading replaces
trafilatura's in two cases only:

- readability's text lies within trafilatura's (``CONTAINED`` of its 4-grams are there)
  and trafilatura has between a quarter and four fifths more (``EXCESS_LOW``..``EXCESS_HIGH``
  of trafilatura's 4-grams are in readability's), and that surplus lies before or after
  the text both kept, not between its lines (at most ``INNER_SURPLUS`` of trafilatura's
  words): trafilatura took the article plus page furniture, readability the article.
  Surplus between shared lines is embedded posts, quotes or tables that readability
  drops. When trafilatura has far more than that, readability has usually kept one
  section of a long page, and trafilatura stays.
- trafilatura's text lies within readability's and readability has at least twice as
  much (``HALF`` or less of readability's 4-grams are in trafilatura's): trafilatura
  missed part of the article.

The measurements behind these numbers are in docs/decisions/0005-extraction.md.
"""

from __future__ import annotations

import re

from lxml import etree

from newsstand.core.extraction.blocks import fragment_text
from newsstand.core.extraction.engines import Candidate, run_readability
from newsstand.core.extraction.page import Page

SHORT_WORDS = 100
MISSED_TEXT_RATIO = 2.0
FRAGMENT_SHARE = 0.2
FRAGMENT_WORDS = 12
CONTAINED = 0.9
EXCESS_LOW = 0.55
EXCESS_HIGH = 0.8
TRF_CONTAINED = 0.95
HALF = 0.5
INNER_SURPLUS = 0.05

_WORD = re.compile(r"\w+")
_PARAGRAPH_TEXT = etree.XPath("//p//text()")
_CLOSING = frozenset('.!?:"\u201d)')


def _shingles(text: str) -> set[tuple[str, ...]]:
    words = _WORD.findall(text)
    return {tuple(words[i : i + 4]) for i in range(max(1, len(words) - 3))} if words else set()


def worth_second_opinion(page: Page, text: str) -> bool:
    """Whether trafilatura's reading ``text`` shows a sign that readability may do better."""
    words = len(text.split())
    if words < SHORT_WORDS:
        return True
    paragraph_words = sum(len(str(piece).split()) for piece in _PARAGRAPH_TEXT(page.tree))
    if paragraph_words >= MISSED_TEXT_RATIO * words:
        return True
    lines = [line for line in text.split("\n") if line.strip()]
    fragments = sum(
        1
        for line in lines
        if len(line.split()) <= FRAGMENT_WORDS and line.rstrip()[-1:] not in _CLOSING
    )
    return fragments >= FRAGMENT_SHARE * len(lines)


def choose(first_text: str, second_text: str) -> bool:
    """Whether readability's reading (``second_text``) should replace trafilatura's."""
    if not first_text.strip():
        return bool(second_text.strip())
    first, second = _shingles(first_text), _shingles(second_text)
    if not first or not second:
        return False
    shared = len(first & second)
    first_in_second, second_in_first = shared / len(first), shared / len(second)
    if second_in_first >= CONTAINED and EXCESS_LOW <= first_in_second <= EXCESS_HIGH:
        return _inner_surplus(first_text, second) <= INNER_SURPLUS
    return first_in_second >= TRF_CONTAINED and second_in_first <= HALF


def _inner_surplus(text: str, other: set[tuple[str, ...]]) -> float:
    """Share of ``text``'s words in lines missing from ``other`` that sit between lines
    present in it (an embedded post or quote, not a header or a footer)."""
    lines = []
    for line in text.split("\n"):
        words = len(line.split())
        if words:
            shingles = _shingles(line)
            shared = len(shingles & other) >= 0.5 * len(shingles) if shingles else False
            lines.append((shared, words))
    kept = [i for i, (shared, _) in enumerate(lines) if shared]
    if not kept:
        return 0.0
    inner = sum(words for i, (shared, words) in enumerate(lines[kept[0] : kept[-1]]) if not shared)
    return inner / sum(words for _, words in lines)


def choose_candidate(page: Page, first: Candidate | None) -> Candidate | None:
    """trafilatura's reading, or readability's where the rules above prefer it."""
    first_text = fragment_text(first.body) if first is not None else ""
    if not worth_second_opinion(page, first_text):
        return first
    second = run_readability(page)
    if second is None:
        return first
    return second if choose(first_text, fragment_text(second.body)) else first
