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
- readability's text lies within trafilatura's (``CONTAINED``), and what trafilatura has
  more is page furniture at the edges: at least ``FURNITURE_SHARE`` of those surplus words
  are in fragment lines (the menus, link labels and headlines of other stories that the
  gate above looks for), and at most ``INNER_FURNITURE`` of them sit between lines both
  kept. However large the surplus, it is not article text: a section of a long article
  is made of sentences.
- trafilatura's text lies within readability's and readability has at least twice as
  much (``HALF`` or less of readability's 4-grams are in trafilatura's): trafilatura
  missed part of the article.

Words are counted by ``count_words`` (Chinese, Japanese and Thai have no spaces), and a
line closed by the full stop or closing bracket of those scripts is a sentence, not a fragment.

The measurements behind these numbers are in docs/decisions/0005-extraction.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from lxml import etree

from newsstand.core.extraction.blocks import fragment_text
from newsstand.core.extraction.engines import Candidate, run_readability
from newsstand.core.extraction.page import Page
from newsstand.core.extraction.words import count_words, shingles

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
FURNITURE_SHARE = 0.6
INNER_FURNITURE = 0.1

_PARAGRAPH_TEXT = etree.XPath("//p//text()")
_CLOSING = frozenset('.!?:"\u201d)\u3002\uff01\uff1f\u300d\u300f\uff09')


def _is_fragment(line: str) -> bool:
    """A short line with no closing punctuation: a label, a menu entry, a headline."""
    return count_words(line) <= FRAGMENT_WORDS and line.rstrip()[-1:] not in _CLOSING


def worth_second_opinion(page: Page, text: str) -> bool:
    """Whether trafilatura's reading ``text`` shows a sign that readability may do better."""
    words = count_words(text)
    if words < SHORT_WORDS:
        return True
    paragraph_words = count_words(" ".join(str(piece) for piece in _PARAGRAPH_TEXT(page.tree)))
    if paragraph_words >= MISSED_TEXT_RATIO * words:
        return True
    lines = [line for line in text.split("\n") if line.strip()]
    fragments = sum(1 for line in lines if _is_fragment(line))
    return fragments >= FRAGMENT_SHARE * len(lines)


def choose(first_text: str, second_text: str) -> bool:
    """Whether readability's reading (``second_text``) should replace trafilatura's."""
    if not first_text.strip():
        return bool(second_text.strip())
    first, second = shingles(first_text), shingles(second_text)
    if not first or not second:
        return False
    shared = len(first & second)
    first_in_second, second_in_first = shared / len(first), shared / len(second)
    if second_in_first >= CONTAINED and first_in_second < TRF_CONTAINED:
        surplus = _Surplus.of(first_text, second)
        if (
            EXCESS_LOW <= first_in_second <= EXCESS_HIGH
            and surplus.inner <= INNER_SURPLUS * surplus.total
        ):
            return True
        return (
            surplus.words > 0
            and surplus.furniture >= FURNITURE_SHARE * surplus.words
            and surplus.inner <= INNER_FURNITURE * surplus.words
        )
    return first_in_second >= TRF_CONTAINED and second_in_first <= HALF


@dataclass(frozen=True)
class _Surplus:
    """The words of one reading's lines that are missing from the other reading."""

    total: int  # all the words of the reading
    words: int  # words in its lines missing from the other
    inner: int  # of those, words between lines both kept (embedded posts, quotes)
    furniture: int  # of those, words in fragment lines (labels, menus, headlines)

    @classmethod
    def of(cls, text: str, other: set[tuple[str, ...]]) -> _Surplus:
        lines = []
        for line in text.split("\n"):
            words = count_words(line)
            if words:
                grams = shingles(line)
                shared = len(grams & other) >= 0.5 * len(grams) if grams else False
                lines.append((shared, words, _is_fragment(line)))
        kept = [i for i, (shared, _, _) in enumerate(lines) if shared]
        missing = [
            (i, words, fragment) for i, (shared, words, fragment) in enumerate(lines) if not shared
        ]
        return cls(
            total=sum(words for _, words, _ in lines),
            words=sum(words for _, words, _ in missing),
            inner=sum(words for i, words, _ in missing if kept and kept[0] < i < kept[-1]),
            furniture=sum(words for _, words, fragment in missing if fragment),
        )


def choose_candidate(page: Page, first: Candidate | None) -> Candidate | None:
    """trafilatura's reading, or readability's where the rules above prefer it."""
    first_text = fragment_text(first.body) if first is not None else ""
    if not worth_second_opinion(page, first_text):
        return first
    second = run_readability(page)
    if second is None:
        return first
    return second if choose(first_text, fragment_text(second.body)) else first
